"""Ages over 89 become "90+" (HIPAA Safe Harbor aggregation)."""

from __future__ import annotations

from deid.operators.base import DeidOperator


class AgeCap(DeidOperator):
    """Replace an age >= 90 with ``90+``."""

    NAME = "age_cap"

    def validate(self, params: dict | None = None) -> None:  # no keying needed
        """Nothing to check."""

    def operate(self, text: str, params: dict | None = None) -> str:
        """Return ``90+`` (or ``90s`` for a decade)."""
        return "90s" if "s" in text.lower() else "90+"
