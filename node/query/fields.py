"""The catalogue of fields a cohort query may use, and where each lives in the store.

A query never names a MongoDB path: it names one of these fields, and the
compiler (:mod:`node.query.compiler`) maps it to the ``query.*`` path of the
``documents`` collection (see :class:`schemas.query_fields.QueryFields`). Any
other name is rejected.

Each field has a *level*:

- ``patient``: the same for every note of a patient (sex, site); a patient falls
  in exactly one cell of a breakdown by it.
- ``note``: may differ between a patient's notes (age at the note, note type,
  terms, modality...); a patient can fall in several cells, which bounds the
  query's sensitivity (see :mod:`node.disclosure.sensitivity`).

``modality`` and ``body_region`` come from imaging studies. Until images are
ingested no document carries them, so conditions on them simply match nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from schemas.ages import AGE_BANDS, CAPPED_AGE
from schemas.note_types import NOTE_TYPES
from schemas.resources import SEXES

Level = Literal["patient", "note"]
Kind = Literal["enum", "int", "term", "text", "month", "site"]

# DICOM Modality (0008,0060) codes seen in clinical imaging archives.
MODALITIES: tuple[str, ...] = ("CT", "MR", "CR", "DX", "US", "NM", "PT", "MG", "XA", "RF", "OT")
# Coarse body regions (DICOM Body Part Examined, grouped).
BODY_REGIONS: tuple[str, ...] = (
    "head", "neck", "chest", "abdomen", "pelvis", "spine", "upper_limb", "lower_limb", "whole_body", "other",
)


@dataclass(frozen=True)
class FieldSpec:
    """One queryable field.

    Attributes
    ----------
    name:
        Name used in query specs and ``--where`` expressions.
    path:
        Dotted path in a ``documents`` record.
    level:
        ``patient`` or ``note`` (see the module docstring).
    kind:
        Value type: ``enum`` (one of ``domain``), ``int`` (``0..max_int``),
        ``term`` (a normalized vocabulary term), ``text`` (keyword, matched on
        tokens), ``month`` (``YYYY`` or ``YYYY-MM`` on shifted dates), ``site``.
    ops:
        Operators allowed on it.
    domain:
        The public list of values (for enums, and the cells of a breakdown).
    groupable:
        Whether a breakdown by it is allowed.
    complete:
        Whether every document holds a value of ``domain`` (a required field of
        :class:`schemas.query_fields.QueryFields`): then every counted patient falls
        in some cell of a breakdown by it (see :mod:`node.disclosure.consistency`).
    """

    name: str
    path: str
    level: Level
    kind: Kind
    ops: frozenset[str]
    domain: tuple[str, ...] = ()
    groupable: bool = False
    max_int: int = 0
    complete: bool = False


_EQ = frozenset({"eq", "ne", "in"})
_RANGE = frozenset({"eq", "ne", "gt", "gte", "lt", "lte", "between"})


@lru_cache(maxsize=1)
def term_domain() -> tuple[str, ...]:
    """Canonical terms of the packaged vocabulary (the cells of a breakdown by term)."""
    from schemas.query_fields import load_vocabulary

    return tuple(sorted(set(load_vocabulary().values())))


def _fields() -> dict[str, FieldSpec]:
    specs = [
        FieldSpec("sex", "query.sex", "patient", "enum", _EQ, tuple(SEXES), groupable=True, complete=True),
        FieldSpec("site", "query.site_id", "patient", "site", _EQ),
        FieldSpec("age", "query.age_at_note", "note", "int", _RANGE, max_int=CAPPED_AGE),
        FieldSpec("age_band", "query.age_band", "note", "enum", _EQ, tuple(AGE_BANDS), groupable=True),
        FieldSpec("note_type", "query.note_type", "note", "enum", _EQ, tuple(NOTE_TYPES), groupable=True,
                  complete=True),
        FieldSpec("term", "query.terms", "note", "term", frozenset({"eq", "in"}), groupable=True),
        FieldSpec("text", "query.tokens", "note", "text", frozenset({"contains"})),
        FieldSpec("note_date", "query.note_date_shifted", "note", "month",
                  frozenset({"gte", "lt", "between"})),
        FieldSpec("modality", "query.modality", "note", "enum", _EQ, MODALITIES, groupable=True),
        FieldSpec("body_region", "query.body_region", "note", "enum", _EQ, BODY_REGIONS, groupable=True),
    ]
    return {s.name: s for s in specs}


FIELDS: dict[str, FieldSpec] = _fields()
"""Every queryable field by name."""


def field(name: str) -> FieldSpec:
    """The field called ``name``.

    Raises
    ------
    KeyError
        If no such field exists (the message lists the known ones).
    """
    try:
        return FIELDS[name]
    except KeyError:
        raise KeyError(f"unknown field {name!r}: use one of {', '.join(sorted(FIELDS))}") from None


def breakdown_domain(name: str) -> tuple[str, ...]:
    """The public cell values of a breakdown by ``name`` (the same on every node)."""
    spec = field(name)
    return term_domain() if spec.kind == "term" else spec.domain
