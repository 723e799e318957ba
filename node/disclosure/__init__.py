"""Disclosure control: DP noise (OpenDP), small-cell suppression, the privacy-budget ledger."""
