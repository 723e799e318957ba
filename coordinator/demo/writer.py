"""Write a simulated hospital export in the formats of ``node/ingest/FORMATS.md``.

* ``text``: ``patients.csv`` + ``notes/*.txt`` with a header block
  (``MRN:``, ``Date:``, ``Type:``, then a line ``---``).
* ``csv``: ``patients.csv`` + ``notes.csv`` (``mrn,date,type,text``).
* ``fhir``: ``fhir/Patient.ndjson`` + ``fhir/DocumentReference.ndjson``
  (note text base64 in ``content[0].attachment.data``).

All text files are UTF-8 with LF newlines, except the deliberately bad inputs.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .identities import Identity
from .manifest import PlantedValue

PATIENT_COLUMNS: tuple[str, ...] = (
    "mrn", "given", "family", "sex", "birth_date", "address", "city", "state", "zip",
    "phone", "email", "insurance_id",
)
NOTE_COLUMNS: tuple[str, ...] = ("mrn", "date", "type", "text")
#: Bad inputs are at least this large when ``kind == "oversized"``.
OVERSIZED_BYTES = 2 * 1024 * 1024 + 4096
FHIR_TZ = "-05:00"
#: Note type (lower-cased) -> LOINC (code, display) for DocumentReference.type.
LOINC_NOTE_TYPES: dict[str, tuple[str, str]] = {
    "history and physical note": ("34117-2", "History and physical note"),
    "history and physical": ("34117-2", "History and physical note"),
    "emergency department note": ("34111-5", "Emergency department note"),
    "discharge summary": ("18842-5", "Discharge summary"),
    "radiology report": ("18748-4", "Diagnostic imaging study"),
    "nursing progress note": ("34746-8", "Nurse Note"),
    "telephone encounter": ("34748-4", "Telephone encounter Note"),
    "progress note": ("11506-3", "Progress note"),
}


@dataclass
class ExportItem:
    """One note-like item to write: a good note or a bad input.

    Attributes
    ----------
    mrn:
        MRN the item claims (``""`` for none).
    when:
        Note date and time.
    type:
        Note type.
    body:
        Note text, or raw bytes for a non-UTF-8 item.
    bad_kind:
        ``None`` for a good note, else the bad-input kind.
    planted:
        Planted values (good notes: exact ground truth).
    origin:
        Source text id.
    fhir_subject:
        Patient resource id the DocumentReference points to (FHIR only).
    source:
        Filled by the writer: the id the node will see.
    """

    mrn: str
    when: datetime
    type: str
    body: str | bytes
    bad_kind: str | None = None
    planted: list[PlantedValue] = field(default_factory=list)
    origin: str = ""
    fhir_subject: str = ""
    doc_id: str = ""
    author: str = ""
    detail: str = ""
    source: str = ""


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    return buf.getvalue()


def patient_row(ident: Identity) -> list[str]:
    """A ``patients.csv`` row for ``ident`` (columns :data:`PATIENT_COLUMNS`)."""
    return [ident.mrn, ident.given, ident.family, ident.sex, ident.birth_date.isoformat(),
            ident.address, ident.city, ident.state, ident.zip, ident.phone, ident.email,
            ident.insurance_id]


def write_patients_csv(path: Path, patients: list[Identity]) -> None:
    """Write ``patients.csv`` (header row + one row per patient)."""
    rows = [list(PATIENT_COLUMNS)] + [patient_row(p) for p in patients]
    path.write_text(_csv_text(rows), encoding="utf-8", newline="")


def _body_bytes(body: str | bytes) -> bytes:
    return body if isinstance(body, bytes) else body.encode("utf-8")


def write_text_export(out: Path, patients: list[Identity], items: list[ExportItem]) -> None:
    """Write ``patients.csv`` and ``notes/note_NNNN.txt`` files.

    Each note file starts with ``MRN: <mrn>``, ``Date: <YYYY-MM-DD>``,
    ``Type: <type>``, a line ``---``, then the body. Empty bad inputs are
    zero-byte files; a ``malformed_json`` item is a header-less note with a
    truncated ``.json`` sidecar (its source is the ``.txt`` name). Sets
    ``item.source`` to the note's file name.
    """
    write_patients_csv(out / "patients.csv", patients)
    notes_dir = out / "notes"
    notes_dir.mkdir(parents=True, exist_ok=True)
    for stale in [*notes_dir.glob("note_*.txt"), *notes_dir.glob("note_*.json")]:
        stale.unlink()  # left over from an earlier, larger run
    for i, item in enumerate(items, start=1):
        name = f"note_{i:04d}.txt"
        item.source = name
        path = notes_dir / name
        if item.bad_kind == "empty":
            path.write_bytes(b"")
            continue
        if item.bad_kind == "malformed_json":  # header-less note, truncated sidecar
            path.write_bytes(_body_bytes(item.body))
            sidecar = f'{{"mrn": "{item.mrn}", "date": "{item.when:%Y-%m-%d}", "type": '
            (notes_dir / f"note_{i:04d}.json").write_text(sidecar, encoding="utf-8")
            continue
        header = f"MRN: {item.mrn}\nDate: {item.when:%Y-%m-%d}\nType: {item.type}\n---\n"
        path.write_bytes(header.encode("utf-8") + _body_bytes(item.body))


def write_csv_export(out: Path, patients: list[Identity], items: list[ExportItem]) -> None:
    """Write ``patients.csv``, ``notes.csv`` and (for non-UTF-8 items) ``notes_extra.csv``.

    ``notes.csv`` has the header ``mrn,date,type,text``; ``date`` is
    ``YYYY-MM-DD HH:MM``; fields are quoted only when needed (RFC 4180 style,
    ``"`` doubled), multi-line text is quoted, rows end with LF. Sets
    ``item.source`` to ``notes.csv#<0-based data row>`` or ``notes_extra.csv``.
    """
    write_patients_csv(out / "patients.csv", patients)
    rows = [list(NOTE_COLUMNS)]
    extra: list[ExportItem] = []
    for item in items:
        if isinstance(item.body, bytes):
            extra.append(item)
            continue
        item.source = f"notes.csv#{len(rows) - 1}"
        rows.append([item.mrn, f"{item.when:%Y-%m-%d %H:%M}", item.type, item.body])
    (out / "notes.csv").write_text(_csv_text(rows), encoding="utf-8", newline="")
    if extra:
        blob = _csv_text([list(NOTE_COLUMNS)]).encode("utf-8")
        for item in extra:
            item.source = "notes_extra.csv"
            row = _csv_text([[item.mrn, f"{item.when:%Y-%m-%d %H:%M}", item.type, "\x00"]])
            head, tail = row.split("\x00")
            blob += head.encode("utf-8") + _body_bytes(item.body) + tail.encode("utf-8")
        (out / "notes_extra.csv").write_bytes(blob)
    elif (out / "notes_extra.csv").exists():
        (out / "notes_extra.csv").unlink()


def fhir_patient(ident: Identity, site_id: str) -> dict:
    """A FHIR R4 Patient resource for ``ident`` (MRN, SSN and member-id identifiers)."""
    return {
        "resourceType": "Patient",
        "id": ident.fhir_id,
        "identifier": [
            {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                  "code": "MR", "display": "Medical Record Number"}]},
             "system": f"urn:fednet:{site_id}:mrn", "value": ident.mrn},
            {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                  "code": "SS", "display": "Social Security Number"}]},
             "system": "http://hl7.org/fhir/sid/us-ssn", "value": ident.ssn},
            {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                  "code": "MB", "display": "Member Number"}]},
             "system": f"urn:fednet:insurer:{ident.insurer.lower().replace(' ', '-')}",
             "value": ident.insurance_id},
        ],
        "name": [{"use": "official", "family": ident.family, "given": [ident.given]}],
        "telecom": [{"system": "phone", "value": ident.phone, "use": "home"},
                    {"system": "email", "value": ident.email}],
        "gender": ident.sex,
        "birthDate": ident.birth_date.isoformat(),
        "address": [{"line": [ident.address], "city": ident.city, "state": ident.state,
                     "postalCode": ident.zip, "country": "US"}],
    }


def fhir_document(item: ExportItem, site_name: str) -> dict:
    """A FHIR R4 DocumentReference holding ``item.body`` as base64 ``text/plain``."""
    data = base64.b64encode(_body_bytes(item.body)).decode("ascii")
    code, display = LOINC_NOTE_TYPES.get(item.type.lower(), LOINC_NOTE_TYPES["progress note"])
    doc = {
        "resourceType": "DocumentReference",
        "id": item.doc_id,
        "status": "current",
        "type": {"coding": [{"system": "http://loinc.org", "code": code, "display": display}],
                 "text": item.type},
        "category": [{"coding": [{
            "system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
            "code": "clinical-note", "display": "Clinical Note"}]}],
        "subject": {"reference": f"Patient/{item.fhir_subject}"},
        "date": f"{item.when:%Y-%m-%dT%H:%M:%S}{FHIR_TZ}",
        "author": [{"display": item.author}],
        "custodian": {"display": site_name},
        "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "data": data}}],
    }
    if not item.author:
        del doc["author"]
    return doc


def write_fhir_export(out: Path, site_id: str, site_name: str, patients: list[Identity],
                      items: list[ExportItem]) -> None:
    """Write ``fhir/Patient.ndjson`` and ``fhir/DocumentReference.ndjson``.

    A ``malformed_json`` item becomes a truncated JSON line; its source is
    ``DocumentReference.ndjson:<1-based line number>``. An ``empty`` item holds
    whitespace-only text. Other items' source is the DocumentReference id.
    """
    fhir = out / "fhir"
    fhir.mkdir(parents=True, exist_ok=True)
    pat_lines = [json.dumps(fhir_patient(p, site_id), separators=(",", ":")) for p in patients]
    (fhir / "Patient.ndjson").write_text("\n".join(pat_lines) + "\n", encoding="utf-8")
    lines = []
    for item in items:
        if item.bad_kind == "empty":
            item.body = " \n"
        doc = json.dumps(fhir_document(item, site_name), separators=(",", ":"))
        if item.bad_kind == "malformed_json":
            item.source = f"DocumentReference.ndjson:{len(lines) + 1}"
            doc = doc[: len(doc) // 2]
        else:
            item.source = item.doc_id
        lines.append(doc)
    (fhir / "DocumentReference.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
