"""Types shared by the de-identification pipeline and its callers.

These are the boundary of ``deid/``: the node's ingest and the evaluation code
only ever see these, never Presidio objects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PatientContext:
    """What the node knows about the patient a note belongs to.

    Parameters
    ----------
    patient_key:
        Stable local identifier (for example the MRN). Keys the surrogates, the
        date shift and the pseudonym; never stored in clear.
    birth_date:
        Used to compute ages; may be ``None``.
    known_identifiers:
        Identifiers already known from structured data (ADT/FHIR Patient), by
        PHI type, e.g. ``{"PATIENT": ["Mary", "Smith"], "MRN": ["7731-002-91"]}``.
        They are redacted wherever they appear in the note, whatever the model
        recognises (a deny list per note).
    """

    patient_key: str
    birth_date: date | None = None
    known_identifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Span:
    """A detected PHI span in the *original* text (end exclusive)."""

    start: int
    end: int
    entity_type: str
    score: float = 1.0


@dataclass(frozen=True)
class Replacement:
    """One redaction as recorded for statistics: never holds the original text."""

    entity_type: str
    start: int  # in the original text
    end: int


@dataclass
class DeidResult:
    """The de-identified text plus what was removed (types and positions only)."""

    text: str
    replacements: list[Replacement]
    date_shift_days: int

    @property
    def counts_by_type(self) -> Counter[str]:
        return Counter(r.entity_type for r in self.replacements)
