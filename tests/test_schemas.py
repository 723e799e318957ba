"""Tests of the shared schema package (``schemas/``): fast, no database needed.

Run: ``.venv/bin/python -m pytest tests/test_schemas.py -q``
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from schemas import SCHEMA_VERSION, is_compatible
from schemas.ages import AGE_BANDS, age_band, cap_age
from schemas.jsonschema import (
    COLLECTIONS,
    check_record,
    export_json_schemas,
    mongo_to_json_schema,
    mongo_validator,
    to_mongo_schema,
)
from schemas.note_types import NOTE_TYPES, normalize_note_type
from schemas.query_fields import (
    QueryFields,
    derive_patient_query_fields,
    derive_query_fields,
    extract_terms,
    load_vocabulary,
)
from schemas.records import make_document_record, make_patient_record
from schemas.resources import (
    AGE_BAND_EXTENSION,
    BIRTH_YEAR_EXTENSION,
    SchemaError,
    build_document_reference,
    build_patient,
    document_note_type,
    document_text,
    dump_resource,
    parse_resource,
)

FHIR_DATA = Path(os.environ.get("FEDNET_FHIR_DATA", "/work/shared/data/fhir"))
EXAMPLES = FHIR_DATA / "hl7-r4-examples"
SYNTHEA = FHIR_DATA / "synthea-bulk-10-patients"
EXAMPLE_PREFIXES = (
    "Patient-",
    "DocumentReference-",
    "Encounter-",
    "ImagingStudy-",
    "Media-",
    "Observation-",
    "DiagnosticReport-",
)

# Official R4 examples that fhir.resources.R4B cannot take, with the reason.
# Empty: with fhir.resources 8.3.0 every example of the types above parses and
# round-trips (checked 2026-11). Add an entry here, never delete a file, if a
# future library version rejects one.
R4B_CANNOT_TAKE: dict[str, str] = {}

SITE = "hospital-a"
PSEUDONYM = "p-3f9a2c"
NOTE = "Pt seen for SOB. CXR: RLL consolidation c/w pneumonia.\nHx HTN, A-fib on apixaban. Ünïcödé ✓"


def _example_files() -> list[Path]:
    if not EXAMPLES.is_dir():
        return []
    return sorted(p for p in EXAMPLES.glob("*.json") if p.name.startswith(EXAMPLE_PREFIXES))


def _without_base64_whitespace(value: Any, key: str = "") -> Any:
    """Copy of a FHIR JSON value with whitespace removed from base64 ``data`` fields.

    Some official examples wrap base64 in lines; fhir.resources decodes
    ``base64Binary`` to bytes and re-encodes it unwrapped: same bytes, other text.
    """
    if isinstance(value, dict):
        return {k: _without_base64_whitespace(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_base64_whitespace(v, key) for v in value]
    if key == "data" and isinstance(value, str):
        return "".join(value.split())
    return value


def _json_ready(record: dict[str, Any]) -> Any:
    """A Mongo record as plain JSON (datetimes as ISO strings) for ``jsonschema``."""
    return json.loads(json.dumps(record, default=lambda o: o.isoformat()))


def _patient(birth_year: int | None = 1961, sex: str = "female") -> dict[str, Any]:
    return build_patient(PSEUDONYM, sex, birth_year, SITE, reference_year=2025)


def _doc(text: str = NOTE, when: date | datetime = date(2031, 6, 15), note_type: str = "Discharge summary") -> dict:
    return build_document_reference("doc-0001", PSEUDONYM, note_type, when, text, "sha256:0f1e2d3c4b5a", SITE)


# --------------------------------------------------------------------------- #
# Official HL7 R4 examples                                                    #
# --------------------------------------------------------------------------- #


def test_examples_present() -> None:
    if not EXAMPLES.is_dir():
        pytest.skip(f"{EXAMPLES} not available")
    names = {p.name for p in _example_files()}
    assert len(names) >= 22
    assert {"Patient-example.json", "DocumentReference-example.json", "Encounter-example.json"} <= names


@pytest.mark.parametrize("path", _example_files(), ids=lambda p: p.stem)
def test_official_example_round_trips(path: Path) -> None:
    if path.name in R4B_CANNOT_TAKE:
        pytest.skip(R4B_CANNOT_TAKE[path.name])
    original = json.loads(path.read_text(encoding="utf-8"))
    model = parse_resource(original)
    dumped = dump_resource(model)
    again = parse_resource(dumped)
    assert again == model
    assert dump_resource(again) == dumped
    assert dumped == _without_base64_whitespace(original)


def test_base64_whitespace_is_the_only_difference() -> None:
    """Media-example wraps its GIF base64 with whitespace: the bytes survive."""
    path = EXAMPLES / "Media-example.json"
    if not path.exists():
        pytest.skip(f"{path} not available")
    original = json.loads(path.read_text(encoding="utf-8"))
    dumped = dump_resource(parse_resource(original))
    assert dumped != original
    assert base64.b64decode(dumped["content"]["data"]) == base64.b64decode(
        "".join(original["content"]["data"].split())
    )


def test_synthea_document_reference_is_understood() -> None:
    path = SYNTHEA / "DocumentReference.000.ndjson"
    if not path.exists():
        pytest.skip(f"{path} not available")
    with path.open(encoding="utf-8") as fh:
        docs = [json.loads(next(fh)) for _ in range(20)]
    for doc in docs:
        parse_resource(doc, "DocumentReference")
        assert document_note_type(doc) in {"history_and_physical", "ed_note"}
        assert document_text(doc).strip()


# --------------------------------------------------------------------------- #
# parse_resource errors                                                       #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"resourceType": "Patient", "id": "a", "gender": 7}, "Patient/a: gender"),
        ({"resourceType": "Patient", "id": "x y"}, "Patient/x y: id"),
        ({"resourceType": "DocumentReference", "id": "d"}, "DocumentReference/d"),
        ({"resourceType": "NoSuchThing"}, "unknown FHIR resource type"),
        ({"id": "a"}, "no resourceType"),
        ([1, 2], "JSON object"),
    ],
)
def test_parse_resource_raises_clear_schema_error(data: Any, fragment: str) -> None:
    with pytest.raises(SchemaError, match=None) as info:
        parse_resource(data)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_parse_resource_checks_expected_type() -> None:
    with pytest.raises(SchemaError, match="expected a Patient"):
        parse_resource(_doc(), "Patient")


# --------------------------------------------------------------------------- #
# Builders                                                                    #
# --------------------------------------------------------------------------- #


def test_patient_is_deidentified_and_round_trips() -> None:
    patient = _patient()
    assert dump_resource(parse_resource(patient, "Patient")) == patient
    for element in ("name", "address", "telecom", "birthDate", "contact", "photo", "text"):
        assert element not in patient
    assert patient["id"] == PSEUDONYM
    assert patient["identifier"] == [{"system": "urn:fednet:pseudonym", "value": PSEUDONYM}]
    assert patient["gender"] == "female"
    assert patient["extension"] == [{"url": BIRTH_YEAR_EXTENSION, "valueInteger": 1961}]
    meta = patient["meta"]
    assert {"system": "urn:fednet:schema-version", "code": SCHEMA_VERSION} in meta["tag"]
    assert meta["security"][0]["code"] == "PSEUDED"
    assert meta["security"][0]["system"] == "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
    assert meta["source"] == f"urn:fednet:site:{SITE}"


def test_patient_over_89_keeps_only_the_age_band() -> None:
    patient = build_patient(PSEUDONYM, "M", 1930, SITE, reference_year=2025)
    assert patient["extension"] == [{"url": AGE_BAND_EXTENSION, "valueString": "90+"}]
    assert "1930" not in json.dumps(patient)
    edge = build_patient(PSEUDONYM, "m", 1936, SITE, reference_year=2025)  # 89 in 2025
    assert edge["extension"] == [{"url": BIRTH_YEAR_EXTENSION, "valueInteger": 1936}]


def test_patient_without_birth_year_and_sex_normalization() -> None:
    patient = build_patient(PSEUDONYM, "", None, SITE)
    assert "extension" not in patient
    assert patient["gender"] == "unknown"
    with pytest.raises(SchemaError, match="sex"):
        build_patient(PSEUDONYM, "yes", None, SITE)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"pseudonym": "has space"}, "pseudonym"),
        ({"pseudonym": "x" * 65}, "pseudonym"),
        ({"site_id": "bad site"}, "site_id"),
        ({"birth_year": 2999}, "birth_year"),
        ({"birth_year": 1700}, "birth_year"),
    ],
)
def test_build_patient_rejects_bad_input(kwargs: dict[str, Any], fragment: str) -> None:
    args = {"pseudonym": PSEUDONYM, "sex": "female", "birth_year": 1970, "site_id": SITE} | kwargs
    with pytest.raises(SchemaError, match=fragment):
        build_patient(**args)


def test_document_reference_attachment_is_right() -> None:
    doc = _doc()
    assert dump_resource(parse_resource(doc, "DocumentReference")) == doc
    attachment = doc["content"][0]["attachment"]
    raw = NOTE.encode("utf-8")
    assert attachment["contentType"] == "text/plain; charset=utf-8"
    assert base64.b64decode(attachment["data"]).decode("utf-8") == NOTE
    assert attachment["size"] == len(raw) != len(NOTE)  # bytes, not characters
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(raw).digest()).decode("ascii")
    assert document_text(doc) == NOTE


def test_document_reference_fields() -> None:
    doc = _doc()
    assert doc["status"] == "current"
    assert doc["subject"] == {"reference": f"Patient/{PSEUDONYM}"}
    assert doc["date"] == "2031-06-15T00:00:00Z"
    assert doc["masterIdentifier"] == {"system": "urn:fednet:content-hash", "value": "sha256:0f1e2d3c4b5a"}
    codings = {c["system"]: c["code"] for c in doc["type"]["coding"]}
    assert codings == {"http://loinc.org": "18842-5", "urn:fednet:note-type": "discharge_summary"}
    assert doc["meta"]["security"][0]["code"] == "PSEUDED"


def test_document_reference_keeps_datetime_offset() -> None:
    when = datetime(2031, 6, 15, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert _doc(when=when)["date"] == "2031-06-15T23:30:00-05:00"
    assert _doc(when=datetime(2031, 6, 15, 8, 0))["date"] == "2031-06-15T08:00:00Z"


@pytest.mark.parametrize(
    ("label", "code", "loinc"),
    [
        ("Discharge summary", "discharge_summary", "18842-5"),
        ("Progress Note", "progress_note", "11506-3"),
        ("H&P", "history_and_physical", "34117-2"),
        ("ER note", "ed_note", "34111-5"),
        ("Nursing note", "nursing_note", "34746-8"),
        ("Radiology report", "radiology_report", "18748-4"),
        ("34117-2", "history_and_physical", "34117-2"),
        ("Chaplain visit, Mr Smith", "other", None),
    ],
)
def test_note_types(label: str, code: str, loinc: str | None) -> None:
    assert normalize_note_type(label) == code
    assert NOTE_TYPES[code].loinc == loinc
    doc = _doc(note_type=label)
    loincs = [c["code"] for c in doc["type"]["coding"] if c["system"] == "http://loinc.org"]
    assert loincs == ([loinc] if loinc else [])
    assert document_note_type(doc) == code
    assert "Smith" not in json.dumps(doc)  # the raw label is never stored


def test_document_text_detects_tampering() -> None:
    doc = _doc()
    bad = copy.deepcopy(doc)
    bad["content"][0]["attachment"]["data"] = base64.b64encode(b"other text").decode()
    with pytest.raises(SchemaError, match="size|hash"):
        document_text(bad)


def test_builders_are_deterministic() -> None:
    assert _doc() == _doc()
    assert _patient() == _patient()


# --------------------------------------------------------------------------- #
# Ages and query fields                                                       #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("age", "capped", "band"),
    [(0, 0, "0-9"), (9, 9, "0-9"), (10, 10, "10-19"), (64, 64, "60-69"), (89, 89, "80-89"),
     (90, 90, "90+"), (104, 90, "90+")],
)
def test_age_capping_and_bands(age: int, capped: int, band: str) -> None:
    assert cap_age(age) == capped
    assert age_band(age) == band
    assert band in AGE_BANDS


def test_derive_query_fields_basic() -> None:
    fields = derive_query_fields(_patient(1961), _doc(), None, SITE)
    assert fields.schema_version == SCHEMA_VERSION
    assert fields.site_id == SITE
    assert fields.patient_pseudonym == PSEUDONYM
    assert fields.sex == "female"
    assert (fields.age_at_note, fields.age_band) == (70, "70-79")  # 2031 (shifted) - 1961
    assert fields.note_type == "discharge_summary"
    assert fields.note_date_shifted == date(2031, 6, 15)
    assert fields.terms == [
        "anticoagulation", "atrial fibrillation", "consolidation", "hypertension", "pneumonia", "shortness of breath",
    ]
    assert fields.terms == sorted(set(fields.terms))
    assert fields.text_length == len(NOTE)
    assert fields.model_dump(mode="json")["note_date_shifted"] == "2031-06-15"
    assert "note_year" not in QueryFields.model_fields


def test_derive_query_fields_uses_real_date_for_age() -> None:
    fields = derive_query_fields(_patient(1961), _doc(), 1961, SITE, age_reference_date=date(2030, 12, 1))
    assert fields.age_at_note == 69 and fields.age_band == "60-69"


def test_derive_query_fields_caps_ages_over_89() -> None:
    patient = build_patient(PSEUDONYM, "male", 1925, SITE, reference_year=2025)  # 90+ band only
    with_year = derive_query_fields(patient, _doc(), 1925, SITE, age_reference_date=date(2024, 1, 1))
    assert (with_year.age_at_note, with_year.age_band) == (90, "90+")  # real age 99
    without_year = derive_query_fields(patient, _doc(), None, SITE)
    assert (without_year.age_at_note, without_year.age_band) == (90, "90+")


def test_derive_query_fields_unknown_birth_year() -> None:
    fields = derive_query_fields(_patient(None), _doc(), None, SITE)
    assert fields.age_at_note is None and fields.age_band is None


def test_derive_query_fields_newborn_with_shifted_date() -> None:
    patient = _patient(2024)
    fields = derive_query_fields(patient, _doc(when=date(2023, 12, 30)), None, SITE)
    assert fields.age_at_note == 0
    with pytest.raises(SchemaError, match="after the note date"):
        derive_query_fields(patient, _doc(), 2024, SITE, age_reference_date=date(2022, 1, 1))


def test_derive_query_fields_rejects_mismatches() -> None:
    other = build_patient("someone-else", "female", 1961, SITE)
    with pytest.raises(SchemaError, match="not Patient/someone-else"):
        derive_query_fields(other, _doc(), None, SITE)
    with pytest.raises(SchemaError, match="meta.source"):
        derive_query_fields(_patient(), _doc(), None, "hospital-b")
    with pytest.raises(SchemaError, match="expected a Patient"):
        derive_query_fields(_doc(), _doc(), None, SITE)


def test_query_fields_model_rejects_inconsistent_band() -> None:
    base = derive_query_fields(_patient(), _doc(), None, SITE).model_dump()
    with pytest.raises(ValueError, match="age_band"):
        QueryFields(**(base | {"age_at_note": 45, "age_band": "60-69"}))
    with pytest.raises(ValueError):
        QueryFields(**(base | {"age_at_note": 95, "age_band": "90+"}))
    with pytest.raises(ValueError):
        QueryFields(**(base | {"unexpected": 1}))


def test_patient_query_fields() -> None:
    assert derive_patient_query_fields(_patient(1961), SITE).model_dump() == {
        "schema_version": SCHEMA_VERSION, "site_id": SITE, "sex": "female", "birth_year": 1961, "over_89": False,
    }
    old = derive_patient_query_fields(build_patient(PSEUDONYM, "male", 1920, SITE), SITE)
    assert (old.birth_year, old.over_89) == (None, True)


def test_extract_terms() -> None:
    text = "CXR: RLL consolidation. COVID-19 negative. Type 2 diabetes, CHF. X ray of the wrist: no fracture."
    assert extract_terms(text) == [
        "consolidation", "covid-19", "diabetes mellitus", "fracture", "heart failure", "x-ray",
    ]
    assert extract_terms("") == []
    assert extract_terms("scanty capillary") == []  # no match inside words ("can", "ct" ...)


def test_vocabulary_size_and_shape() -> None:
    vocabulary = load_vocabulary()
    canonical = set(vocabulary.values())
    assert 90 <= len(canonical) <= 200
    assert all(term == term.lower().strip() for term in canonical)


# --------------------------------------------------------------------------- #
# Records and MongoDB validators                                              #
# --------------------------------------------------------------------------- #

jsonschema = pytest.importorskip("jsonschema")


def _records() -> tuple[dict[str, Any], dict[str, Any]]:
    patient, doc = _patient(), _doc()
    query = derive_query_fields(patient, doc, 1961, SITE)
    return make_patient_record(patient, SITE), make_document_record("sha256:0f1e2d3c4b5a", doc, query)


def _validator(collection: str) -> Any:
    schema = mongo_to_json_schema(mongo_validator(collection))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every schema node (not the field-name maps under ``properties``)."""
    if isinstance(node, dict):
        children = [v for k, v in node.items() if k != "properties"]
        children += list(node.get("properties", {}).values())
        return [node] + [d for v in children for d in _walk(v)]
    if isinstance(node, list):
        return [d for v in node for d in _walk(v)]
    return []


def test_record_shapes() -> None:
    patient_record, doc_record = _records()
    assert set(patient_record) == {"_id", "schema_version", "site_id", "resource", "query"}
    assert patient_record["_id"] == PSEUDONYM
    assert set(doc_record) == {
        "_id", "content_hash", "schema_version", "site_id", "patient_pseudonym", "resource", "query", "ingested_at",
    }
    assert isinstance(doc_record["ingested_at"], datetime) and doc_record["ingested_at"].tzinfo is not None
    assert doc_record["query"]["note_date_shifted"] == "2031-06-15"


def test_mongo_validators_use_mongo_dialect() -> None:
    for collection in COLLECTIONS:
        validator = mongo_validator(collection)
        assert set(validator) == {"$jsonSchema"}
        for node in _walk(validator):
            assert not {"$ref", "$defs", "format", "type", "default", "const"} & set(node), node
            assert node.get("bsonType") != "integer"
    with pytest.raises(ValueError, match="unknown collection"):
        mongo_validator("nope")


@pytest.mark.parametrize("index", [0, 1], ids=["patients", "documents"])
def test_mongo_validator_accepts_built_record(index: int) -> None:
    record = _records()[index]
    errors = list(_validator(COLLECTIONS[index]).iter_errors(_json_ready(record)))
    assert errors == []


@pytest.mark.parametrize(
    ("collection", "missing"),
    [("patients", "site_id"), ("patients", "resource"), ("documents", "query"), ("documents", "ingested_at"),
     ("documents", "schema_version"), ("documents", "content_hash")],
)
def test_mongo_validator_rejects_missing_field(collection: str, missing: str) -> None:
    record = _records()[COLLECTIONS.index(collection)]
    del record[missing]
    assert not _validator(collection).is_valid(_json_ready(record))


def test_mongo_validator_rejects_bad_nested_values() -> None:
    patient_record, doc_record = _records()
    validator = _validator("documents")
    for path, value in [
        (("query", "sex"), "F"),
        (("query", "age_at_note"), 95),
        (("query", "note_type"), "Discharge summary"),
        (("query", "terms"), ["Pneumonia"]),
        (("resource", "subject"), {"reference": "Group/x"}),
    ]:
        bad = _json_ready(doc_record)
        bad[path[0]][path[1]] = value
        assert not validator.is_valid(bad), path
    bad = _json_ready(doc_record)
    del bad["query"]["age_band"]
    assert not validator.is_valid(bad)
    bad = _json_ready(doc_record)
    bad["extra"] = 1
    assert not validator.is_valid(bad)


@pytest.mark.parametrize("element", ["name", "address", "telecom", "birthDate"])
def test_mongo_validator_rejects_identified_patient(element: str) -> None:
    record = _json_ready(_records()[0])
    record["resource"][element] = [{"text": "x"}] if element != "birthDate" else "1961-02-03"
    assert not _validator("patients").is_valid(record)


def test_record_builders_reject_inconsistent_input() -> None:
    patient, doc = _patient(), _doc()
    query = derive_query_fields(patient, doc, None, SITE)
    with pytest.raises(SchemaError):
        make_document_record("bad id with spaces", doc, query)
    broken = copy.deepcopy(doc)
    broken["status"] = 42
    with pytest.raises(SchemaError, match="DocumentReference"):
        make_document_record("sha256:0f1e2d3c4b5a", broken, query)
    identified = copy.deepcopy(patient) | {"name": [{"family": "Chalmers"}]}
    with pytest.raises(SchemaError, match="de-identified; found name"):
        make_patient_record(identified, SITE)


def test_check_record() -> None:
    patient_record, doc_record = _records()
    check_record("patients", patient_record)
    check_record("documents", doc_record)
    del doc_record["query"]
    with pytest.raises(SchemaError, match="query"):
        check_record("documents", doc_record)
    patient_record["resource"]["address"] = [{"city": "Springfield"}]
    with pytest.raises(SchemaError, match="resource"):
        check_record("patients", patient_record)


def test_to_mongo_schema_conversions() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"$ref": "#/$defs/A"},
            "n": {"type": "number", "exclusiveMinimum": 0},
            "c": {"const": "x"},
            "t": {"type": "string", "format": "date-time"},
            "d": {"type": "string", "format": "date"},
        },
        "$defs": {"A": {"type": "integer", "title": "A"}},
    }
    out = to_mongo_schema(schema)
    assert out["required"] == ["a", "n", "c", "t", "d"]
    assert out["properties"]["a"] == {"bsonType": ["int", "long"]}
    assert out["properties"]["n"] == {"bsonType": ["double", "int", "long", "decimal"], "minimum": 0,
                                      "exclusiveMinimum": True}
    assert out["properties"]["c"] == {"enum": ["x"]}
    assert out["properties"]["t"] == {"bsonType": "date"}
    assert out["properties"]["d"]["pattern"] == r"^\d{4}-\d{2}-\d{2}$"
    back = mongo_to_json_schema(out)
    assert back["properties"]["n"] == {"type": "number", "exclusiveMinimum": 0}


def test_export_json_schemas(tmp_path: Path) -> None:
    paths = export_json_schemas(tmp_path / "out")
    names = sorted(p.name for p in paths)
    assert names == sorted([
        "mongo-validator.patients.json", "mongo-validator.documents.json",
        "QueryFields.schema.json", "PatientQueryFields.schema.json",
    ])
    for path in paths:
        content = json.loads(path.read_text(encoding="utf-8"))
        assert content
    assert json.loads((tmp_path / "out" / "mongo-validator.documents.json").read_text()) == mongo_validator(
        "documents"
    )
    query_schema = json.loads((tmp_path / "out" / "QueryFields.schema.json").read_text())
    jsonschema.validate(derive_query_fields(_patient(), _doc(), None, SITE).model_dump(mode="json"), query_schema)


def test_schema_version() -> None:
    assert is_compatible(SCHEMA_VERSION)
    assert is_compatible("1.7.3") and not is_compatible("2.0.0") and not is_compatible("garbage")
