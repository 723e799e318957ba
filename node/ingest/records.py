"""What the readers produce. These hold raw PHI: they live in memory only."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import Enum


class BadKind(str, Enum):
    """Why an input was quarantined. The values are what operators see."""

    MALFORMED_JSON = "malformed_json"
    INVALID_FHIR = "invalid_fhir"
    NON_UTF8 = "non_utf8"
    EMPTY = "empty"
    OVERSIZED = "oversized"
    UNKNOWN_PATIENT = "unknown_patient"
    MISSING_FIELD = "missing_field"
    BAD_DATE = "bad_date"
    DEID_FAILED = "deid_failed"
    INVALID_RECORD = "invalid_record"
    CORRUPT_IMAGE = "corrupt_image"  # unreadable or truncated DICOM/PNG/JPEG, or pixels that cannot be decoded
    UNSUPPORTED_IMAGE = "unsupported_image"  # a valid DICOM without pixels (SR, RTSTRUCT, waveform)


@dataclass(frozen=True)
class RawPatient:
    """A patient as the hospital's ADT / FHIR export knows them (clear identity)."""

    mrn: str
    source: str
    given: str = ""
    family: str = ""
    sex: str = "unknown"
    birth_date: dt.date | None = None
    address: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    phone: str = ""
    email: str = ""
    insurance_id: str = ""
    other_ids: tuple[str, ...] = ()
    fhir_id: str = ""  # the Patient resource id, when the export is FHIR


@dataclass(frozen=True)
class RawNote:
    """One clinical note as read, before de-identification."""

    source: str  # file name, csv row, or resource id: how the operator finds it
    patient_ref: str  # MRN, or FHIR Patient id for FHIR exports
    date: dt.datetime
    note_type: str
    text: str
    raw: bytes = field(repr=False, default=b"")

    @property
    def content_hash(self) -> str:
        """Hash of what identifies this note's content: patient, date, type, text."""
        h = hashlib.sha256()
        for part in (self.patient_ref, self.date.isoformat(), self.note_type, self.text):
            h.update(part.encode("utf-8"))
            h.update(b"\x1f")
        return h.hexdigest()


@dataclass(frozen=True)
class BadInput:
    """An input that cannot be ingested, with a reason an operator can act on.

    ``reason`` must never quote the input's content (it may hold PHI).
    """

    source: str
    kind: BadKind
    reason: str
    raw: bytes = field(repr=False, default=b"")

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.source.encode() + b"\x1f" + self.raw).hexdigest()


def parse_note_date(value: str) -> dt.datetime:
    """Parse an ISO date or date-time (``2023-04-05``, ``2023-04-05T10:30:00-05:00``).

    Raises
    ------
    ValueError
        With a message naming the expected format.
    """
    value = (value or "").strip()
    if not value:
        raise ValueError("no date given (expected ISO YYYY-MM-DD)")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("date is not ISO YYYY-MM-DD[THH:MM[:SS][+hh:mm]]") from None
    return parsed


def parse_birth_date(value: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    return dt.date.fromisoformat(value[:10])
