"""What the readers produce. These hold raw PHI: they live in memory only.

Every item carries an :class:`InputRef`: how logs, quarantine records and command output
name the input *without quoting it*. File names and FHIR ids of an export often hold
patient names and dates, so they stay in memory (``RawNote.source``, ``RawImage.source``)
and never reach the store, the log or a terminal table; see ``node/ingest/FORMATS.md``,
"Naming inputs".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


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
    BROKEN_LINK = "broken_link"  # a symbolic link whose target does not exist
    OUTSIDE_EXPORT = "outside_export"  # a path (or link) that leads out of the export folder: never read
    NOT_A_FILE = "not_a_file"  # a FIFO, socket or device where a file was expected: never opened
    UNREADABLE = "unreadable"  # permission denied, vanished during the ingest, or a read error
    UNEXPECTED_ERROR = "unexpected_error"  # a defect of the node met on this input: the rest goes on

    @property
    def action(self) -> str:
        """What the operator should do about an input quarantined for this reason."""
        return _ACTIONS[self]


_ACTIONS: dict[BadKind, str] = {
    BadKind.MALFORMED_JSON: "re-export the file (or its .json sidecar) as one UTF-8 JSON object per file or line",
    BadKind.INVALID_FHIR: "re-export it as a FHIR R4 resource of the expected type (see node/ingest/FORMATS.md)",
    BadKind.NON_UTF8: "re-export it as UTF-8",
    BadKind.EMPTY: "re-export it with its content, or delete it from the export",
    BadKind.OVERSIZED: "split it, or raise the limit in the node TOML if it is genuine",
    BadKind.UNKNOWN_PATIENT: "register the patient (patients.csv / fhir/Patient.ndjson) and ingest again",
    BadKind.MISSING_FIELD: "add the missing field (header, sidecar or column; see node/ingest/FORMATS.md)",
    BadKind.BAD_DATE: "correct the date (ISO YYYY-MM-DD, not in the future) and ingest again",
    BadKind.DEID_FAILED: "report it to the fednet maintainers with the quarantined file; nothing was stored",
    BadKind.INVALID_RECORD: "check the input's dates and fields; report it if they look right; nothing was stored",
    BadKind.CORRUPT_IMAGE: "re-export the image (uncompressed if it keeps failing)",
    BadKind.UNSUPPORTED_IMAGE: "export images as DICOM, PNG or JPEG; objects without pixels are not ingested",
    BadKind.BROKEN_LINK: "replace the link with the file itself, or remove it",
    BadKind.OUTSIDE_EXPORT: "copy the file into the export folder instead of linking to it; nothing was read",
    BadKind.NOT_A_FILE: "replace it with a regular file; pipes and devices are never opened",
    BadKind.UNREADABLE: "give the node's user read access to it (or check the disk) and ingest again",
    BadKind.UNEXPECTED_ERROR: "report it to the fednet maintainers with the quarantined file; the rest was ingested",
}


@dataclass(frozen=True)
class InputRef:
    """How an input is named outside memory: a label that quotes nothing from the export.

    ``label`` is built from the export's fixed names (``patients.csv``, ``fhir/...``), the
    ordinal of a file within its folder and a known extension, and line / row numbers:
    ``notes/#3.txt``, ``notes.csv row 12 (line 14)``, ``fhir/Patient.ndjson line 7``,
    ``images/#12.dcm``. ``key`` is a keyed hash (site secret) of the file's path within the
    export: ``fednode quarantine locate EXPORT_DIR`` matches it back to the file on disk.
    """

    label: str
    key: str = ""
    line: int | None = None

    def at_line(self, line: int, label: str | None = None) -> "InputRef":
        """The same file, one line (or record) of it."""
        return InputRef(label or f"{self.label} line {line}", self.key, line)

    def __str__(self) -> str:
        return self.label


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
    ref: InputRef | None = None  # how to name this registration outside memory


@dataclass(frozen=True)
class RawNote:
    """One clinical note as read, before de-identification."""

    source: str  # file name, csv row, or resource id, in memory only (may hold PHI): demo checks match on it
    patient_ref: str  # MRN, or FHIR Patient id for FHIR exports
    date: dt.datetime
    note_type: str
    text: str
    raw: bytes = field(repr=False, default=b"")
    ref: InputRef = InputRef("note")  # what logs, quarantine records and output show

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
    """An input that cannot be ingested, with a problem an operator can act on.

    ``problem`` must never quote the input's content (it may hold PHI); ``reason`` is the
    problem prefixed with the input's label, and :attr:`BadKind.action` says what to do.
    """

    ref: InputRef
    kind: BadKind
    problem: str
    raw: bytes = field(repr=False, default=b"")

    @property
    def source(self) -> str:
        """The input's label (never its file name or id)."""
        return self.ref.label

    @property
    def reason(self) -> str:
        return f"{self.ref.label}: {self.problem}"


_MIN_BIRTH_YEAR = 1850  # as schemas/resources.py accepts


def parse_note_date(value: str) -> dt.datetime:
    """Parse an ISO date or date-time (``2023-04-05``, ``2023-04-05T10:30:00-05:00``).

    Raises
    ------
    ValueError
        With a message naming the expected format (never quoting ``value``).
    """
    value = (value or "").strip()
    if not value:
        raise ValueError("no date given (expected ISO YYYY-MM-DD)")
    if len(value) > 40:
        raise ValueError("date is not ISO YYYY-MM-DD[THH:MM[:SS][+hh:mm]]")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("date is not ISO YYYY-MM-DD[THH:MM[:SS][+hh:mm]]") from None
    return parsed


def parse_birth_date(value: str, today: dt.date | None = None) -> dt.date | None:
    """An ISO birth date, or ``None`` when empty.

    Raises
    ------
    ValueError
        When it is not ``YYYY-MM-DD``, lies in the future, or before 1850 (the message
        never quotes ``value``).
    """
    value = (value or "").strip()
    if not value:
        return None
    try:
        born = dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError("birth date is not ISO YYYY-MM-DD") from None
    if born > (today or dt.date.today()):
        raise ValueError("birth date is in the future")
    if born.year < _MIN_BIRTH_YEAR:
        raise ValueError(f"birth date is before {_MIN_BIRTH_YEAR}")
    return born


def unexpected(ref: InputRef, exc: BaseException, raw: bytes = b"") -> BadInput:
    """A :class:`BadInput` for an exception the node did not expect on this input.

    The batch goes on; the log gets the exception's class and where it was raised (file,
    line, function), never its message, which may quote the input.
    """
    import logging
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" if frames else "?"
    logging.getLogger("fednet.node.ingest").warning("unexpected %s at %s on %s", exc.__class__.__name__, where, ref.label)
    return BadInput(ref, BadKind.UNEXPECTED_ERROR, f"the node failed on it ({exc.__class__.__name__}); nothing of it "
                                                   "was stored", raw)
