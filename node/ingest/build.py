"""Turn de-identified content into the store records of the shared schema (``schemas/``).

Everything here sees only de-identified values, plus the patient's true birth
date and note date, which are used in memory to compute an age and dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from deid.types import DeidResult
from node.ingest.records import RawNote, RawPatient
from schemas.jsonschema import check_record
from schemas.query_fields import derive_query_fields
from schemas.records import make_document_record, make_patient_record
from schemas.resources import build_document_reference, build_patient


def document_id(site_id: str, note: RawNote) -> str:
    """Store key of a note: same input at the same site -> same id (idempotent ingest)."""
    return hashlib.sha256(f"{site_id}\x1f{note.content_hash}".encode()).hexdigest()


def _birth_year(patient: RawPatient) -> int | None:
    return patient.birth_date.year if patient.birth_date else None


def patient_record(patient: RawPatient, pseudonym: str, site_id: str) -> dict:
    """A validated ``patients`` record: pseudonym, sex, birth year (none over 89)."""
    resource = build_patient(pseudonym=pseudonym, sex=patient.sex, birth_year=_birth_year(patient), site_id=site_id)
    record = make_patient_record(resource, site_id)
    check_record("patients", record)
    return record


def document_record(
    *, doc_id: str, note: RawNote, result: DeidResult, patient: RawPatient, pseudonym: str, site_id: str
) -> dict:
    """A complete, validated ``documents`` record (raises ``SchemaError`` on anything invalid)."""
    shifted = note.date + dt.timedelta(days=result.date_shift_days)
    resource = build_document_reference(
        doc_id=doc_id[:64], patient_pseudonym=pseudonym, note_type=note.note_type, shifted_date=shifted,
        deid_text=result.text, content_hash=doc_id, site_id=site_id,
    )
    patient_resource = build_patient(pseudonym=pseudonym, sex=patient.sex, birth_year=_birth_year(patient), site_id=site_id)
    query = derive_query_fields(patient_resource, resource, _birth_year(patient), site_id,
                                age_reference_date=note.date.date())
    record = make_document_record(doc_id, resource, query)
    check_record("documents", record)
    return record
