"""Reader for FHIR R4 NDJSON exports: DocumentReference with base64 ``text/plain`` notes."""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from typing import Iterator

from pydantic import ValidationError

from node.ingest.files import ExportFiles
from node.ingest.ndjson import json_line, read_ndjson
from node.ingest.records import BadInput, BadKind, InputRef, RawNote, parse_note_date

LABEL = "fhir/DocumentReference.ndjson"
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,40}$")


def validation_summary(exc: ValidationError, limit: int = 3) -> str:
    """Where a resource is invalid, without echoing its values or unknown keys (they may be PHI)."""
    parts = []
    for e in exc.errors()[:limit]:
        loc = [str(p) if isinstance(p, int) or _FIELD.match(str(p)) else "?" for p in e["loc"]]
        if e["type"] == "extra_forbidden" and loc:
            loc[-1] = "<unknown field>"
        parts.append(f"{'.'.join(loc)} ({e['type']})")
    return "; ".join(parts)


def _validate_r4(resource: dict) -> None:
    from fhir.resources.R4B.documentreference import DocumentReference

    DocumentReference.model_validate(resource)


def document_to_note(resource: dict, source: str, raw: bytes, max_bytes: int,
                     ref: InputRef | None = None) -> RawNote | BadInput:
    """Map one DocumentReference to a :class:`RawNote`, or say why it cannot be used."""
    ref = ref or InputRef(LABEL)
    if resource.get("resourceType") != "DocumentReference":
        return BadInput(ref, BadKind.INVALID_FHIR, "resourceType is not DocumentReference", raw)
    try:
        _validate_r4(resource)
    except ValidationError as exc:
        return BadInput(ref, BadKind.INVALID_FHIR, f"invalid FHIR R4 DocumentReference: {validation_summary(exc)}", raw)
    subject = ((resource.get("subject") or {}).get("reference") or "")
    if not subject.startswith("Patient/"):
        return BadInput(ref, BadKind.MISSING_FIELD, "subject is not a Patient/<id> reference", raw)
    attachments = [c.get("attachment", {}) for c in resource.get("content", [])]
    text_att = next((a for a in attachments if str(a.get("contentType", "")).startswith("text/plain") and a.get("data")), None)
    if text_att is None:
        return BadInput(ref, BadKind.MISSING_FIELD, "no text/plain attachment with inline data", raw)
    try:
        body_bytes = base64.b64decode(text_att["data"], validate=True)
    except (binascii.Error, ValueError):
        return BadInput(ref, BadKind.INVALID_FHIR, "attachment data is not valid base64", raw)
    if len(body_bytes) > max_bytes:
        return BadInput(ref, BadKind.OVERSIZED, f"note of {len(body_bytes)} bytes, over the {max_bytes}-byte limit "
                                                "(ingest.max_note_bytes)")
    try:
        body = body_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return BadInput(ref, BadKind.NON_UTF8, f"attachment text is not UTF-8 (byte {exc.start})", raw)
    if not body.strip():
        return BadInput(ref, BadKind.EMPTY, "the note text is empty", raw)
    try:
        date = parse_note_date(str(resource.get("date") or ""))
    except ValueError as exc:
        return BadInput(ref, BadKind.BAD_DATE, f"DocumentReference.date: {exc}", raw)
    codings = (resource.get("type") or {}).get("coding") or [{}]
    note_type = codings[0].get("display") or codings[0].get("code") or "note"
    return RawNote(source=source, patient_ref=subject.split("/", 1)[1], date=date, note_type=note_type, text=body,
                   raw=raw, ref=ref)


def read_fhir_documents(path: Path, max_bytes: int, files: ExportFiles | None = None) -> Iterator[RawNote | BadInput]:
    """Yield notes from an NDJSON file of DocumentReference resources (one per line).

    Outside memory a resource is named ``fhir/DocumentReference.ndjson line <n>``, never by
    its id (ids often hold names and dates).
    """
    files = files or ExportFiles.of(Path(path).parent.parent)
    line_limit = max_bytes * 4 // 3 + 1_000_000  # base64 text plus the resource around it
    yield from read_ndjson(path, files, LABEL, line_limit, f"line over {line_limit} bytes (ingest.max_note_bytes)",
                           lambda raw, fallback, ref: _line_to_note(raw, fallback, ref, max_bytes))


def _line_to_note(raw: bytes, fallback: str, ref: InputRef, max_bytes: int) -> RawNote | BadInput:
    resource = json_line(raw, ref)
    if isinstance(resource, BadInput):
        return resource
    if not isinstance(resource, dict):
        return BadInput(ref, BadKind.INVALID_FHIR, "not a JSON object", raw)
    source = f"DocumentReference/{resource['id']}" if isinstance(resource.get("id"), str) else fallback
    return document_to_note(resource, source, raw, max_bytes, ref)
