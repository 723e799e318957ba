"""The records a node keeps in MongoDB, as typed models.

Two collections (see ``schemas/README.md`` for the full description):

- ``patients``: one record per pseudonymized patient, :class:`PatientRecord`.
- ``documents``: one record per ingested note, :class:`DocumentRecord`.

Build records with :func:`make_patient_record` / :func:`make_document_record`:
they validate everything (the FHIR resource included) and return the ``dict``
to pass to ``insert_one``. The MongoDB validators in :mod:`schemas.jsonschema`
are generated from these models.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from schemas.query_fields import PatientQueryFields, QueryFields, derive_patient_query_fields
from schemas.resources import FORBIDDEN_PATIENT_ELEMENTS, SchemaError, parse_resource, subject_pseudonym
from schemas.version import SCHEMA_VERSION

__all__ = [
    "PatientRecord",
    "DocumentRecord",
    "INDEXES",
    "make_patient_record",
    "make_document_record",
]

_SEMVER = r"^\d+\.\d+\.\d+$"
_SITE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
_FHIR_ID = r"^[A-Za-z0-9\-.]{1,64}$"
_CONTENT_HASH = r"^[A-Za-z0-9:+/=_.\-]{8,128}$"

INDEXES: dict[str, list[list[tuple[str, int]]]] = {
    "patients": [[("site_id", 1)], [("query.sex", 1), ("query.birth_year", 1)]],
    "documents": [
        [("patient_pseudonym", 1)],
        [("query.note_type", 1)],
        [("query.sex", 1), ("query.age_band", 1)],
        [("query.terms", 1)],
        [("query.note_date_shifted", 1)],
        [("schema_version", 1)],
    ],
}
"""Suggested secondary indexes per collection (``create_index`` keys lists)."""


class PatientRecord(BaseModel):
    """A ``patients`` record: the de-identified Patient and its query fields."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(alias="_id", pattern=_FHIR_ID, description="Patient pseudonym (= resource.id).")
    schema_version: str = Field(default=SCHEMA_VERSION, pattern=_SEMVER, description="Schema version (semver).")
    site_id: str = Field(pattern=_SITE_ID, description="Site that registered the patient.")
    resource: dict[str, Any] = Field(description="De-identified FHIR R4 Patient JSON.")
    query: PatientQueryFields = Field(description="Flat fields for aggregate queries.")

    @field_validator("resource")
    @classmethod
    def _valid_patient(cls, value: dict[str, Any]) -> dict[str, Any]:
        """The resource must be a valid FHIR Patient without identifying elements."""
        parse_resource(value, "Patient")
        present = [name for name in FORBIDDEN_PATIENT_ELEMENTS if name in value]
        if present:
            raise ValueError(f"a stored Patient must be de-identified; found {', '.join(present)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> PatientRecord:
        """``_id``, site and version must agree with the resource and query."""
        if self.resource.get("id") != self.id:
            raise ValueError(f"_id {self.id!r} != resource.id {self.resource.get('id')!r}")
        if self.query.site_id != self.site_id or self.query.schema_version != self.schema_version:
            raise ValueError("query.site_id/schema_version differ from the record's")
        return self

    def to_mongo(self) -> dict[str, Any]:
        """The record as a JSON/BSON-ready dict (``_id`` key, no Python-only types)."""
        return self.model_dump(mode="json", by_alias=True)


class DocumentRecord(BaseModel):
    """A ``documents`` record: one de-identified note and its query fields."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(alias="_id", pattern=_CONTENT_HASH, description="Hash of the raw input + site (dedup key).")
    content_hash: str = Field(pattern=_CONTENT_HASH, description="Same as _id; also resource.masterIdentifier.")
    schema_version: str = Field(default=SCHEMA_VERSION, pattern=_SEMVER, description="Schema version (semver).")
    site_id: str = Field(pattern=_SITE_ID, description="Site that holds the note.")
    patient_pseudonym: str = Field(pattern=_FHIR_ID, description="Pseudonym of the note's patient.")
    resource: dict[str, Any] = Field(description="FHIR R4 DocumentReference JSON with the de-identified text.")
    query: QueryFields = Field(description="Flat fields for aggregate queries.")
    ingested_at: datetime = Field(description="When the node stored the note (UTC; BSON date in MongoDB).")

    @field_validator("resource")
    @classmethod
    def _valid_document(cls, value: dict[str, Any]) -> dict[str, Any]:
        """The resource must be a valid FHIR DocumentReference."""
        parse_resource(value, "DocumentReference")
        return value

    @field_validator("ingested_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        """Store aware UTC datetimes (naive ones are taken as UTC)."""
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    @model_validator(mode="after")
    def _consistent(self) -> DocumentRecord:
        """Ids, pseudonym, site and version must agree across the record."""
        if self.content_hash != self.id:
            raise ValueError("content_hash must equal _id")
        if subject_pseudonym(self.resource) != self.patient_pseudonym:
            raise ValueError("resource.subject is not Patient/<patient_pseudonym>")
        if self.query.patient_pseudonym != self.patient_pseudonym:
            raise ValueError("query.patient_pseudonym differs from the record's")
        if self.query.site_id != self.site_id or self.query.schema_version != self.schema_version:
            raise ValueError("query.site_id/schema_version differ from the record's")
        return self

    def to_mongo(self) -> dict[str, Any]:
        """The record as a BSON-ready dict: ``_id`` key, ``ingested_at`` a datetime."""
        data = self.model_dump(mode="json", by_alias=True)
        data["ingested_at"] = self.ingested_at
        return data


def make_patient_record(patient: dict[str, Any], site_id: str) -> dict[str, Any]:
    """Wrap a de-identified Patient into a ``patients`` record.

    Parameters
    ----------
    patient:
        Patient JSON from :func:`schemas.resources.build_patient`.
    site_id:
        Id of the node's site.

    Returns
    -------
    dict
        ``{"_id": pseudonym, "schema_version", "site_id", "resource", "query"}``.

    Raises
    ------
    SchemaError
        If the patient or the record is invalid.
    """
    query = derive_patient_query_fields(patient, site_id)
    try:
        record = PatientRecord(_id=patient.get("id"), site_id=site_id, resource=patient, query=query)
    except ValidationError as exc:
        raise SchemaError(f"invalid patients record for Patient/{patient.get('id')}: {exc}") from exc
    return record.to_mongo()


def make_document_record(
    record_id: str,
    doc: dict[str, Any],
    query: QueryFields,
    ingested_at: datetime | None = None,
) -> dict[str, Any]:
    """Wrap a DocumentReference and its query fields into a ``documents`` record.

    Parameters
    ----------
    record_id:
        Hash of the raw input + site (``_id`` and ``content_hash``).
    doc:
        DocumentReference JSON from :func:`schemas.resources.build_document_reference`.
    query:
        Query fields from :func:`schemas.query_fields.derive_query_fields`.
    ingested_at:
        Storage time; defaults to now (UTC).

    Returns
    -------
    dict
        ``{"_id", "content_hash", "schema_version", "site_id", "patient_pseudonym",
        "resource", "query", "ingested_at"}``.

    Raises
    ------
    SchemaError
        If the record is invalid or inconsistent.
    """
    try:
        record = DocumentRecord(
            _id=record_id,
            content_hash=record_id,
            site_id=query.site_id,
            patient_pseudonym=query.patient_pseudonym,
            resource=doc,
            query=query,
            ingested_at=ingested_at or datetime.now(timezone.utc),
        )
    except ValidationError as exc:
        raise SchemaError(f"invalid documents record for DocumentReference/{doc.get('id')}: {exc}") from exc
    return record.to_mongo()
