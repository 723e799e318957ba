"""Normalized clinical note types and their LOINC codes.

A hospital export labels notes in free text ("D/C Summary", "H&P", "ER note").
:func:`normalize_note_type` maps such a label to one short code from
:data:`NOTE_TYPES` (``"other"`` when nothing matches); the DocumentReference
builder turns that code into a LOINC-coded ``type``.

To add a note type: add an entry to :data:`NOTE_TYPES` (MINOR schema bump) and
its spellings to :data:`_SYNONYMS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LOINC_SYSTEM = "http://loinc.org"
"""Coding system URI of LOINC."""

NOTE_TYPE_SYSTEM = "urn:fednet:note-type"
"""Coding system of our own normalized note-type codes (always present in ``type``)."""

OTHER = "other"
"""Normalized code of a note type we do not recognise."""


@dataclass(frozen=True)
class NoteType:
    """One normalized note type.

    Parameters
    ----------
    code:
        Our normalized code, e.g. ``"discharge_summary"``.
    display:
        Human-readable name.
    loinc:
        LOINC code (document ontology), or ``None`` when there is none.
    """

    code: str
    display: str
    loinc: str | None


NOTE_TYPES: dict[str, NoteType] = {
    nt.code: nt
    for nt in (
        NoteType("discharge_summary", "Discharge summary", "18842-5"),
        NoteType("progress_note", "Progress note", "11506-3"),
        NoteType("history_and_physical", "History and physical note", "34117-2"),
        NoteType("ed_note", "Emergency department note", "34111-5"),
        NoteType("nursing_note", "Nurse note", "34746-8"),
        NoteType("radiology_report", "Diagnostic imaging study", "18748-4"),
        NoteType("consult_note", "Consult note", "11488-4"),
        NoteType("operative_note", "Surgical operation note", "11504-8"),
        NoteType("pathology_report", "Pathology study", "11526-1"),
        NoteType(OTHER, "Other clinical note", None),
    )
}
"""All normalized note types, by code."""

LOINC_TO_NOTE_TYPE: dict[str, str] = {
    nt.loinc: code for code, nt in NOTE_TYPES.items() if nt.loinc is not None
}
"""LOINC code -> normalized code (for FHIR input that is already coded)."""

# Lower-case labels (after collapsing punctuation to spaces) -> normalized code.
_SYNONYMS: dict[str, str] = {
    "discharge summary": "discharge_summary",
    "discharge note": "discharge_summary",
    "d c summary": "discharge_summary",
    "dc summary": "discharge_summary",
    "ds": "discharge_summary",
    "progress note": "progress_note",
    "progress notes": "progress_note",
    "soap note": "progress_note",
    "daily progress note": "progress_note",
    "history and physical": "history_and_physical",
    "history and physical note": "history_and_physical",
    "history physical": "history_and_physical",
    "h p": "history_and_physical",
    "hp": "history_and_physical",
    "admission note": "history_and_physical",
    "ed note": "ed_note",
    "er note": "ed_note",
    "emergency note": "ed_note",
    "emergency department note": "ed_note",
    "emergency room note": "ed_note",
    "ed provider note": "ed_note",
    "nursing note": "nursing_note",
    "nurse note": "nursing_note",
    "nursing progress note": "nursing_note",
    "radiology report": "radiology_report",
    "radiology": "radiology_report",
    "imaging report": "radiology_report",
    "diagnostic imaging study": "radiology_report",
    "radiology note": "radiology_report",
    "consult note": "consult_note",
    "consultation note": "consult_note",
    "consult": "consult_note",
    "consultation": "consult_note",
    "operative note": "operative_note",
    "operative report": "operative_note",
    "op note": "operative_note",
    "surgical operation note": "operative_note",
    "pathology report": "pathology_report",
    "pathology": "pathology_report",
    "pathology study": "pathology_report",
    "other": OTHER,
}


def _label_key(label: str) -> str:
    """Lower-case a label and collapse every run of non-alphanumerics to one space."""
    return re.sub(r"[^a-z0-9]+", " ", label.lower()).strip()


def normalize_note_type(label: str) -> str:
    """Map a free-text note-type label, a normalized code or a LOINC code to a code.

    Parameters
    ----------
    label:
        For example ``"Discharge summary"``, ``"H&P"``, ``"ed_note"`` or ``"18842-5"``.

    Returns
    -------
    str
        A key of :data:`NOTE_TYPES`; ``"other"`` when the label is not recognised.

    Examples
    --------
    >>> normalize_note_type("H&P")
    'history_and_physical'
    >>> normalize_note_type("34111-5")
    'ed_note'
    >>> normalize_note_type("Chaplain visit")
    'other'
    """
    stripped = label.strip()
    if stripped in NOTE_TYPES:
        return stripped
    if stripped in LOINC_TO_NOTE_TYPE:
        return LOINC_TO_NOTE_TYPE[stripped]
    key = _label_key(stripped)
    if key.replace(" ", "_") in NOTE_TYPES:
        return key.replace(" ", "_")
    return _SYNONYMS.get(key, OTHER)
