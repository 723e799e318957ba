"""Governance: signed permits and request checks, the opt-out registry, the hash-chained audit log."""
