"""Data files of the schema package (``terms.txt``: the placeholder term vocabulary)."""
