"""Reader for FHIR R4 NDJSON exports: DocumentReference with base64 ``text/plain`` notes."""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path
from typing import Iterator

from pydantic import ValidationError

from node.ingest.records import BadInput, BadKind, RawNote, parse_note_date


def _validation_summary(exc: ValidationError, limit: int = 3) -> str:
    """Where a resource is invalid, without echoing its values (they may be PHI)."""
    parts = [f"{'.'.join(str(p) for p in e['loc'])} ({e['type']})" for e in exc.errors()[:limit]]
    return "; ".join(parts)


def _validate_r4(resource: dict) -> None:
    from fhir.resources.R4B.documentreference import DocumentReference

    DocumentReference.model_validate(resource)


def document_to_note(resource: dict, source: str, raw: bytes, max_bytes: int) -> RawNote | BadInput:
    """Map one DocumentReference to a :class:`RawNote`, or say why it cannot be used."""
    if resource.get("resourceType") != "DocumentReference":
        return BadInput(source, BadKind.INVALID_FHIR, f"{source}: resourceType is not DocumentReference", raw)
    try:
        _validate_r4(resource)
    except ValidationError as exc:
        return BadInput(source, BadKind.INVALID_FHIR, f"{source}: invalid FHIR R4 DocumentReference: {_validation_summary(exc)}", raw)
    subject = ((resource.get("subject") or {}).get("reference") or "")
    if not subject.startswith("Patient/"):
        return BadInput(source, BadKind.MISSING_FIELD, f"{source}: subject is not a Patient/<id> reference", raw)
    attachments = [c.get("attachment", {}) for c in resource.get("content", [])]
    text_att = next((a for a in attachments if str(a.get("contentType", "")).startswith("text/plain") and a.get("data")), None)
    if text_att is None:
        return BadInput(source, BadKind.MISSING_FIELD, f"{source}: no text/plain attachment with inline data", raw)
    try:
        body_bytes = base64.b64decode(text_att["data"], validate=True)
    except (binascii.Error, ValueError):
        return BadInput(source, BadKind.INVALID_FHIR, f"{source}: attachment data is not valid base64", raw)
    if len(body_bytes) > max_bytes:
        return BadInput(source, BadKind.OVERSIZED, f"{source}: note of {len(body_bytes)} bytes, over the {max_bytes}-byte limit", b"")
    try:
        body = body_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return BadInput(source, BadKind.NON_UTF8, f"{source}: attachment text is not UTF-8 (byte {exc.start})", raw)
    if not body.strip():
        return BadInput(source, BadKind.EMPTY, f"{source}: the note text is empty", raw)
    try:
        date = parse_note_date(str(resource.get("date") or ""))
    except ValueError as exc:
        return BadInput(source, BadKind.BAD_DATE, f"{source}: DocumentReference.date: {exc}", raw)
    codings = (resource.get("type") or {}).get("coding") or [{}]
    note_type = codings[0].get("display") or codings[0].get("code") or "note"
    return RawNote(source=source, patient_ref=subject.split("/", 1)[1], date=date, note_type=note_type, text=body, raw=raw)


def read_fhir_documents(path: Path, max_bytes: int) -> Iterator[RawNote | BadInput]:
    """Yield notes from an NDJSON file of DocumentReference resources (one per line)."""
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            fallback = f"{path.name}:{lineno}"
            try:
                resource = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield BadInput(fallback, BadKind.NON_UTF8, f"{fallback}: line is not UTF-8", raw)
                continue
            except json.JSONDecodeError as exc:
                yield BadInput(fallback, BadKind.MALFORMED_JSON, f"{fallback}: malformed JSON ({exc.msg} at column {exc.colno})", raw)
                continue
            if not isinstance(resource, dict):
                yield BadInput(fallback, BadKind.INVALID_FHIR, f"{fallback}: not a JSON object", raw)
                continue
            source = f"DocumentReference/{resource['id']}" if isinstance(resource.get("id"), str) else fallback
            yield document_to_note(resource, source, raw, max_bytes)
