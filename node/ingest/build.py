"""Turn de-identified content into the store records of the shared schema.

Everything here sees only de-identified values plus the patient's true birth
date and note date, which are used to compute an age and then dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from deid.types import DeidResult
from node.ingest.records import RawNote, RawPatient
from schemas.query_fields import derive_query_fields
from schemas.resources import build_document_reference, build_patient, parse_resource
from schemas.version import SCHEMA_VERSION

MAX_EXACT_AGE = 89  # HIPAA Safe Harbor: ages over 89 are reported as 90+


def age_on(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def releasable_birth_year(patient: RawPatient, today: dt.date | None = None) -> int | None:
    """Birth year, unless it would reveal an age over 89 (then ``None``)."""
    age = age_on(patient.birth_date, today or dt.date.today())
    if patient.birth_date is None or age is None or age > MAX_EXACT_AGE:
        return None
    return patient.birth_date.year


def document_id(site_id: str, note: RawNote) -> str:
    """Store key of a note: same input at the same site -> same id (idempotent ingest)."""
    return hashlib.sha256(f"{site_id}\x1f{note.content_hash}".encode()).hexdigest()


def patient_record(patient: RawPatient, pseudonym: str, site_id: str) -> dict:
    birth_year = releasable_birth_year(patient)
    resource = build_patient(pseudonym=pseudonym, sex=patient.sex, birth_year=birth_year, site_id=site_id)
    parse_resource(resource)
    return {
        "_id": pseudonym,
        "schema_version": SCHEMA_VERSION,
        "site_id": site_id,
        "resource": resource,
        "query": {"sex": patient.sex, "birth_year": birth_year},
    }


def document_record(
    *, doc_id: str, note: RawNote, result: DeidResult, patient: RawPatient, pseudonym: str, site_id: str
) -> dict:
    """A complete, validated ``documents`` record (raises on anything invalid)."""
    shifted = note.date + dt.timedelta(days=result.date_shift_days)
    resource = build_document_reference(
        doc_id=doc_id[:64], patient_pseudonym=pseudonym, note_type=note.note_type, shifted_date=shifted,
        deid_text=result.text, content_hash=doc_id, site_id=site_id,
    )
    parse_resource(resource)
    age = age_on(patient.birth_date, note.date.date())
    patient_resource = build_patient(pseudonym=pseudonym, sex=patient.sex, birth_year=None, site_id=site_id)
    query = derive_query_fields(patient=patient_resource, doc=resource, age_at_note=age, site_id=site_id,
                                deid_text=result.text)
    return {
        "_id": doc_id,
        "schema_version": SCHEMA_VERSION,
        "site_id": site_id,
        "patient_pseudonym": pseudonym,
        "resource": resource,
        "query": query.model_dump(mode="json"),
        "phi_removed": dict(result.counts_by_type),
        "ingested_at": dt.datetime.now(dt.timezone.utc),
    }
