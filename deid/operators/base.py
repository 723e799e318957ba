"""Base of the deid anonymizer operators (Presidio :class:`Operator` subclasses).

Every operator receives, in its params, the keying context set by the pipeline
for the current note: ``secret`` (bytes), ``patient_key`` (str) and
``shift_days`` (int), plus ``entity_type`` (added by Presidio).
"""

from __future__ import annotations

from deid.fast_import import import_presidio

import_presidio()

from presidio_anonymizer.entities import InvalidParamError
from presidio_anonymizer.operators import Operator, OperatorType

from deid.keys import keyed_choice, keyed_int, normalize


class DeidOperator(Operator):
    """An anonymize operator keyed by site secret and patient."""

    NAME = ""

    def operator_name(self) -> str:  # noqa: D102
        return self.NAME

    def operator_type(self) -> OperatorType:  # noqa: D102
        return OperatorType.Anonymize

    def validate(self, params: dict | None = None) -> None:
        """Check that the keying context is present."""
        if not params or not isinstance(params.get("secret"), bytes | bytearray):
            raise InvalidParamError(f"{self.NAME}: params need 'secret' (bytes)")
        if "patient_key" not in params:
            raise InvalidParamError(f"{self.NAME}: params need 'patient_key'")

    @staticmethod
    def pick(params: dict, options, *parts: str, avoid: str = "") -> str:
        """Keyed choice among ``options`` for this patient, never ``avoid`` (the original value:
        a surrogate list holds real names and places, and a surrogate equal to the original would
        leave it in the text)."""
        if avoid:
            folded, head = avoid.casefold(), avoid.split()[0].casefold()
            options = [o for o in options if o.casefold() != folded and o.split()[0].casefold() != head]
        return keyed_choice(params["secret"], options, params["patient_key"], *parts)

    @staticmethod
    def number(params: dict, *parts: str) -> int:
        """Keyed integer for this patient."""
        return keyed_int(params["secret"], params["patient_key"], *parts)


def case_like(word: str, model: str) -> str:
    """Write ``word`` in the letter case of ``model`` (UPPER, lower or Title)."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model.islower():
        return word.lower()
    return word


__all__ = ["DeidOperator", "case_like", "normalize"]
