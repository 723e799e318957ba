"""Date shift: the patient's keyed shift (never 0 days) applied to every date, in the
original format (7/22 stays m/d, "July 22nd" stays month-day-ordinal)."""

from __future__ import annotations

from deid.dates import shift_date_text
from deid.operators.base import DeidOperator


class DateShift(DeidOperator):
    """Shift a date by ``params['shift_days']``; unparseable text becomes ``[DATE]``."""

    NAME = "date_shift"

    def operate(self, text: str, params: dict | None = None) -> str:
        """Return the shifted date written like the original."""
        params = params or {}
        out = shift_date_text(text, int(params["shift_days"]), int(params.get("reference_year", 2001)),
                              int(params.get("pivot", 30)))
        return out if out is not None else "[DATE]"
