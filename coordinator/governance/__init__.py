"""The coordinator's governance: its signing key and permit issuing."""
