"""Fallback operator: the span becomes ``[ENTITY_TYPE]``."""

from __future__ import annotations

from deid.operators.base import DeidOperator


class RedactTag(DeidOperator):
    """Replace the span by its entity type in brackets."""

    NAME = "redact_tag"

    def validate(self, params: dict | None = None) -> None:
        """Nothing to check."""

    def operate(self, text: str, params: dict | None = None) -> str:
        """Return ``[TYPE]``."""
        return f"[{(params or {}).get('entity_type', 'PHI')}]"
