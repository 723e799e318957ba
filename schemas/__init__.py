"""Shared schema of the fednet node store: FHIR R4 resources, query fields, validators.

Modules
-------
version
    ``SCHEMA_VERSION`` (semver) and the changelog.
resources
    Builders of de-identified FHIR R4 ``Patient`` / ``DocumentReference`` JSON
    (validated with ``fhir.resources.R4B``) and ``parse_resource``.
note_types
    Normalized note types and their LOINC codes.
ages
    Safe Harbor age capping (over 89 -> 90) and ten-year age bands.
query_fields
    ``QueryFields`` / ``PatientQueryFields`` (flat fields for aggregate
    queries), ``derive_query_fields`` and the placeholder ``extract_terms``.
records
    The MongoDB records (``patients``, ``documents``) as typed models.
jsonschema
    MongoDB ``$jsonSchema`` validators and JSON Schema export.

See ``schemas/README.md`` for the stored document shapes.
"""

from schemas.ages import AGE_BANDS, age_band, cap_age
from schemas.jsonschema import check_record, export_json_schemas, mongo_validator
from schemas.note_types import NOTE_TYPES, normalize_note_type
from schemas.query_fields import (
    PatientQueryFields,
    QueryFields,
    derive_patient_query_fields,
    derive_query_fields,
    extract_terms,
)
from schemas.records import DocumentRecord, PatientRecord, make_document_record, make_patient_record
from schemas.resources import (
    SchemaError,
    build_document_reference,
    build_patient,
    document_text,
    dump_resource,
    parse_resource,
)
from schemas.version import SCHEMA_VERSION, is_compatible

__all__ = [
    "AGE_BANDS",
    "NOTE_TYPES",
    "SCHEMA_VERSION",
    "DocumentRecord",
    "PatientQueryFields",
    "PatientRecord",
    "QueryFields",
    "SchemaError",
    "age_band",
    "build_document_reference",
    "build_patient",
    "cap_age",
    "check_record",
    "derive_patient_query_fields",
    "derive_query_fields",
    "document_text",
    "dump_resource",
    "export_json_schemas",
    "extract_terms",
    "is_compatible",
    "make_document_record",
    "make_patient_record",
    "mongo_validator",
    "normalize_note_type",
    "parse_resource",
]
