"""Readers for patient registrations: ``patients.csv`` and FHIR ``Patient.ndjson``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterator

from node.ingest.records import BadInput, BadKind, RawPatient, parse_birth_date
from node.settings import PatientColumns

_SEX = {"f": "female", "female": "female", "m": "male", "male": "male", "o": "other", "other": "other"}


def normalize_sex(value: str) -> str:
    return _SEX.get((value or "").strip().lower(), "unknown")


def read_patients_csv(path: Path, columns: PatientColumns) -> Iterator[RawPatient | BadInput]:
    """Yield one :class:`RawPatient` per valid row; bad rows become :class:`BadInput`."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield BadInput(path.name, BadKind.NON_UTF8, f"{path.name} is not UTF-8 (byte {exc.start}); re-export it as UTF-8", data)
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in (columns.mrn, columns.birth_date) if c not in (reader.fieldnames or [])]
    if missing:
        yield BadInput(path.name, BadKind.MISSING_FIELD, f"{path.name} lacks column(s) {missing}; map them in [ingest.patient_columns]", data)
        return
    for i, row in enumerate(reader):
        source = f"{path.name}#{i}"
        mrn = (row.get(columns.mrn) or "").strip()
        if not mrn:
            yield BadInput(source, BadKind.MISSING_FIELD, f"{source}: empty '{columns.mrn}' column", b"")
            continue
        try:
            birth = parse_birth_date(row.get(columns.birth_date, ""))
        except ValueError:
            yield BadInput(source, BadKind.BAD_DATE, f"{source}: birth date is not ISO YYYY-MM-DD", b"")
            continue
        g = lambda key: (row.get(getattr(columns, key)) or "").strip()  # noqa: E731
        yield RawPatient(
            mrn=mrn, source=source, given=g("given"), family=g("family"), sex=normalize_sex(g("sex")),
            birth_date=birth, address=g("address"), city=g("city"), state=g("state"), zip=g("zip"),
            phone=g("phone"), email=g("email"), insurance_id=g("insurance_id"),
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


def patient_from_fhir(resource: dict, source: str) -> RawPatient:
    """Map a FHIR R4 Patient to a :class:`RawPatient` (raises ``ValueError`` if unusable)."""
    if resource.get("resourceType") != "Patient" or not resource.get("id"):
        raise ValueError("not a Patient resource with an id")
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
        birth_date=_fhir_birth_date(resource),
        address=" ".join(addr.get("line", []) or []), city=addr.get("city", ""), state=addr.get("state", ""),
        zip=addr.get("postalCode", ""), phone=phone, email=email, other_ids=others, fhir_id=resource["id"],
    )


def _fhir_birth_date(resource: dict):
    try:
        return parse_birth_date(resource.get("birthDate", ""))
    except ValueError:
        raise ValueError("birthDate is not ISO YYYY-MM-DD") from None


def read_fhir_patients(path: Path) -> Iterator[RawPatient | BadInput]:
    """Yield patients from an NDJSON file of FHIR R4 Patient resources."""
    for lineno, raw in enumerate(path.read_bytes().splitlines(), start=1):
        source = f"{path.name}:{lineno}"
        if not raw.strip():
            continue
        try:
            resource = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield BadInput(source, BadKind.NON_UTF8, f"{source}: line is not UTF-8", raw)
            continue
        except json.JSONDecodeError as exc:
            yield BadInput(source, BadKind.MALFORMED_JSON, f"{source}: malformed JSON ({exc.msg} at column {exc.colno})", raw)
            continue
        try:
            yield patient_from_fhir(resource, source)
        except ValueError as exc:  # our own messages: they never quote the content
            yield BadInput(source, BadKind.INVALID_FHIR, f"{source}: unusable Patient ({exc})", raw)
        except (TypeError, AttributeError):
            yield BadInput(source, BadKind.INVALID_FHIR, f"{source}: Patient has fields of the wrong shape", raw)
