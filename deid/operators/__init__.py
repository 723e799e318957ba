"""Anonymizer operators of the deid pipeline, one per module (Presidio ``Operator``s).

:data:`OPERATORS` lists them; :func:`register_operators` adds them to a
Presidio :class:`~presidio_anonymizer.AnonymizerEngine`. The YAML maps entity
types to operator names (``operators:``); ``keep`` is Presidio's own.
"""

from __future__ import annotations

from deid.fast_import import import_presidio

import_presidio()

from presidio_anonymizer import AnonymizerEngine

from deid.operators.address_surrogate import AddressSurrogate
from deid.operators.age_cap import AgeCap
from deid.operators.base import DeidOperator
from deid.operators.date_shift import DateShift
from deid.operators.email_surrogate import EmailSurrogate
from deid.operators.id_surrogate import IdSurrogate
from deid.operators.location_surrogate import LocationSurrogate
from deid.operators.name_surrogate import NameSurrogate
from deid.operators.redact_tag import RedactTag
from deid.operators.url_surrogate import UrlSurrogate

OPERATORS: tuple[type[DeidOperator], ...] = (
    NameSurrogate, DateShift, AgeCap, IdSurrogate, EmailSurrogate, UrlSurrogate,
    AddressSurrogate, LocationSurrogate, RedactTag,
)


def register_operators(engine: AnonymizerEngine) -> AnonymizerEngine:
    """Add every deid operator to ``engine`` and return it."""
    for op in OPERATORS:
        engine.add_anonymizer(op)
    return engine


__all__ = ["OPERATORS", "register_operators", "DeidOperator"]
