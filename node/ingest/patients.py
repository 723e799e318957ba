"""Readers for patient registrations: ``patients.csv`` and FHIR ``Patient.ndjson``."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from pydantic import ValidationError

from node.ingest.csvrows import read_csv_rows
from node.ingest.files import ExportFiles
from node.ingest.ndjson import json_line, read_ndjson
from node.ingest.notes_fhir import validation_summary
from node.ingest.records import BadInput, BadKind, InputRef, RawPatient, parse_birth_date
from node.settings import PatientColumns

CSV_LABEL = "patients.csv"
FHIR_LABEL = "fhir/Patient.ndjson"
MAX_PATIENT_LINE = 1_000_000
_SEX = {"f": "female", "female": "female", "m": "male", "male": "male", "o": "other", "other": "other"}


def normalize_sex(value: str) -> str:
    return _SEX.get((value or "").strip().lower(), "unknown")


def read_patients_csv(path: Path, columns: PatientColumns, files: ExportFiles | None = None) -> Iterator[RawPatient | BadInput]:
    """Yield one :class:`RawPatient` per valid row; bad rows become :class:`BadInput`
    (named ``patients.csv line <n>``; their content is not copied to quarantine)."""
    files = files or ExportFiles.of(Path(path).parent)
    yield from read_csv_rows(path, files, CSV_LABEL, [columns.mrn, columns.birth_date], "ingest.patient_columns",
                             lambda row, source, ref: _row_to_patient(row, source, ref, columns), keep_content=False)

def _row_to_patient(row: dict, source: str, ref: InputRef, columns: PatientColumns) -> RawPatient | BadInput:
    mrn = (row.get(columns.mrn) or "").strip()
    if not mrn:
        return BadInput(ref, BadKind.MISSING_FIELD, f"empty '{columns.mrn}' column")
    try:
        birth = parse_birth_date(row.get(columns.birth_date) or "")
    except ValueError as exc:
        return BadInput(ref, BadKind.BAD_DATE, str(exc))

    def g(key: str) -> str:
        value = row.get(getattr(columns, key))
        return value.strip() if isinstance(value, str) else ""

    return RawPatient(
        mrn=mrn, source=source, given=g("given"), family=g("family"), sex=normalize_sex(g("sex")),
        birth_date=birth, address=g("address"), city=g("city"), state=g("state"), zip=g("zip"),
        phone=g("phone"), email=g("email"), insurance_id=g("insurance_id"), ref=ref,
    )


def _mrn_from_identifiers(resource: dict) -> tuple[str, tuple[str, ...]]:
    """Pick the MRN (type code MR) and keep every other identifier value as PHI to deny."""
    mrn, others = "", []
    for ident in resource.get("identifier", []) or []:
        value = str(ident.get("value", "")).strip()
        if not value:
            continue
        codes = {c.get("code") for c in (ident.get("type", {}) or {}).get("coding", []) or []}
        if "MR" in codes and not mrn:
            mrn = value
        else:
            others.append(value)
    return mrn or resource.get("id", ""), tuple(others)


class BirthDateError(ValueError):
    """The Patient's birth date is malformed, in the future or implausibly old."""


def _birth_date(value: str):
    try:
        return parse_birth_date(value)
    except ValueError as exc:
        raise BirthDateError(str(exc)) from None


def _validate_r4(resource: dict) -> None:
    from fhir.resources.R4B.patient import Patient

    Patient.model_validate(resource)


def patient_from_fhir(resource: dict, source: str, ref: InputRef | None = None) -> RawPatient:
    """Map a FHIR R4 Patient to a :class:`RawPatient`.

    Raises
    ------
    ValueError
        If unusable: not a Patient, no id, fields of the wrong shape (validated as FHIR R4),
        or a birth date that is malformed, in the future or before 1850. The message never
        quotes the resource.
    """
    if not isinstance(resource, dict) or resource.get("resourceType") != "Patient" or not resource.get("id"):
        raise ValueError("not a Patient resource with an id")
    try:
        _validate_r4(resource)
    except ValidationError as exc:
        raise ValueError(f"invalid FHIR R4 Patient: {validation_summary(exc)}") from None
    mrn, others = _mrn_from_identifiers(resource)
    names = resource.get("name") or [{}]
    given = " ".join(n for nm in names for n in nm.get("given", []) or [])
    family = " ".join(nm.get("family", "") for nm in names if nm.get("family"))
    addr = (resource.get("address") or [{}])[0]
    telecom = resource.get("telecom") or []
    phone = next((t.get("value", "") for t in telecom if t.get("system") == "phone"), "")
    email = next((t.get("value", "") for t in telecom if t.get("system") == "email"), "")
    return RawPatient(
        mrn=mrn, source=source, given=given, family=family, sex=normalize_sex(resource.get("gender", "")),
        birth_date=_birth_date(resource.get("birthDate", "")),
        address=" ".join(addr.get("line", []) or []), city=addr.get("city", ""), state=addr.get("state", ""),
        zip=addr.get("postalCode", ""), phone=phone, email=email, other_ids=others, fhir_id=resource["id"], ref=ref,
    )


def read_fhir_patients(path: Path, files: ExportFiles | None = None) -> Iterator[RawPatient | BadInput]:
    """Yield patients from an NDJSON file of FHIR R4 Patient resources (named ``fhir/Patient.ndjson line <n>``)."""
    files = files or ExportFiles.of(Path(path).parent.parent)
    yield from read_ndjson(path, files, FHIR_LABEL, MAX_PATIENT_LINE, f"line over {MAX_PATIENT_LINE} bytes",
                           _line_to_patient)


def _line_to_patient(raw: bytes, source: str, ref: InputRef) -> RawPatient | BadInput:
    resource = json_line(raw, ref)
    if isinstance(resource, BadInput):
        return resource
    try:
        return patient_from_fhir(resource, source, ref)
    except BirthDateError as exc:
        return BadInput(ref, BadKind.BAD_DATE, f"Patient.birthDate: {exc}", raw)
    except ValueError as exc:  # our own messages: they never quote the content
        return BadInput(ref, BadKind.INVALID_FHIR, f"unusable Patient ({exc})", raw)
