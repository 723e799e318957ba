"""Builders and a validating parser for the FHIR R4 resources a node stores.

fhir.resources 8.x ships R5 (default), R4B and STU3 models but no plain R4.
R4B is wire-compatible with R4 for the resources used here (Patient,
DocumentReference, Encounter, ImagingStudy, Media, Observation,
DiagnosticReport), so we build and validate with ``fhir.resources.R4B`` and
store the plain JSON (``dict``), which is valid R4.

Every builder returns a JSON-ready ``dict`` that has already been validated by
the R4B model. Builders are deterministic: the same inputs give the same dict.

De-identification conventions (see ``schemas/README.md``):

- ``meta.security``: ``PSEUDED`` from HL7 v3 ObservationValue. The data are
  de-identified but still linkable through a keyed pseudonym the site can
  recompute, so "pseudonymized" (not ``ANONYED``) is the honest label.
- ``meta.tag``: the schema version (system ``urn:fednet:schema-version``).
- ``meta.source``: ``urn:fednet:site:<site_id>``.
- Patient: no name, address, telecom, birthDate, contact, photo...; the birth
  year (or the ``90+`` age band) goes in an extension.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date, datetime, timezone
from typing import Any, Literal, get_args

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.attachment import Attachment
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.documentreference import DocumentReference, DocumentReferenceContent
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.meta import Meta
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from pydantic import BaseModel, ValidationError

from schemas.ages import OLDEST_BAND, birth_year_allowed
from schemas.note_types import LOINC_SYSTEM, NOTE_TYPE_SYSTEM, NOTE_TYPES, normalize_note_type
from schemas.version import SCHEMA_VERSION, SCHEMA_VERSION_SYSTEM

__all__ = [
    "SchemaError",
    "Sex",
    "SEXES",
    "PSEUDONYM_SYSTEM",
    "CONTENT_HASH_SYSTEM",
    "BIRTH_YEAR_EXTENSION",
    "AGE_BAND_EXTENSION",
    "FORBIDDEN_PATIENT_ELEMENTS",
    "SECURITY_SYSTEM",
    "TEXT_CONTENT_TYPE",
    "text_attachment",
    "normalize_sex",
    "site_source",
    "build_patient",
    "build_document_reference",
    "parse_resource",
    "dump_resource",
    "patient_birth_year",
    "patient_age_band",
    "document_text",
    "document_note_type",
    "document_date",
    "subject_pseudonym",
]

# --------------------------------------------------------------------------- #
# Constants                                                                   #
# --------------------------------------------------------------------------- #

PSEUDONYM_SYSTEM = "urn:fednet:pseudonym"
"""Identifier system of the patient pseudonym."""

CONTENT_HASH_SYSTEM = "urn:fednet:content-hash"
"""Identifier system of ``DocumentReference.masterIdentifier`` (hash of the raw input)."""

BIRTH_YEAR_EXTENSION = "urn:fednet:fhir:StructureDefinition/birth-year"
"""Patient extension (``valueInteger``) holding the year of birth."""

AGE_BAND_EXTENSION = "urn:fednet:fhir:StructureDefinition/age-band"
"""Patient extension (``valueString``) used instead of the birth year for ages over 89."""

SECURITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
"""Code system of the de-identification security label."""

SITE_SOURCE_PREFIX = "urn:fednet:site:"
"""Prefix of ``meta.source``; the site id follows."""

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
"""MIME type of the note attachment."""

NOTE_CATEGORY = {
    "system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
    "code": "clinical-note",
    "display": "Clinical Note",
}
"""US Core DocumentReference category of every note."""

FORBIDDEN_PATIENT_ELEMENTS: tuple[str, ...] = (
    "name",
    "telecom",
    "address",
    "birthDate",
    "photo",
    "contact",
    "text",
)
"""Patient elements a stored (de-identified) Patient may not have.

``text`` (the narrative) is included because it usually repeats the name and
address.
"""

Sex = Literal["female", "male", "other", "unknown"]
"""Administrative gender as FHIR codes it."""

SEXES: tuple[str, ...] = get_args(Sex)

_SEX_ALIASES = {"f": "female", "m": "male", "o": "other", "u": "unknown", "": "unknown"}
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_SITE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_CONTENT_HASH = re.compile(r"^[A-Za-z0-9:+/=_.\-]{8,128}$")
_MIN_BIRTH_YEAR = 1850


class SchemaError(ValueError):
    """A resource or record does not match the schema.

    The message names the resource type (and id when known) and the problem.
    """


# --------------------------------------------------------------------------- #
# Small validators                                                            #
# --------------------------------------------------------------------------- #


def _check(pattern: re.Pattern[str], value: str, what: str) -> str:
    """Return ``value`` if it matches ``pattern``, else raise :class:`SchemaError`."""
    if not isinstance(value, str) or not pattern.match(value):
        raise SchemaError(f"invalid {what}: {value!r} (must match {pattern.pattern})")
    return value


def normalize_sex(sex: str | None) -> Sex:
    """Normalize a sex/gender value to a FHIR ``AdministrativeGender`` code.

    Parameters
    ----------
    sex:
        ``female``/``male``/``other``/``unknown`` in any case, or ``F``/``M``/
        ``O``/``U``; ``None`` or empty means unknown.

    Returns
    -------
    str
        One of :data:`SEXES`.

    Raises
    ------
    SchemaError
        For any other value.
    """
    key = (sex or "").strip().lower()
    key = _SEX_ALIASES.get(key, key)
    if key not in SEXES:
        raise SchemaError(f"invalid sex {sex!r}: expected one of {', '.join(SEXES)}")
    return key  # type: ignore[return-value]


def site_source(site_id: str) -> str:
    """``meta.source`` URI of a site, e.g. ``urn:fednet:site:hospital-a``."""
    return SITE_SOURCE_PREFIX + _check(_SITE_ID, site_id, "site_id")


def _meta(site_id: str) -> Meta:
    """Meta shared by every resource we write: site, schema version, security label."""
    return Meta(
        source=site_source(site_id),
        tag=[Coding(system=SCHEMA_VERSION_SYSTEM, code=SCHEMA_VERSION)],
        security=[Coding(system=SECURITY_SYSTEM, code="PSEUDED", display="pseudonymized")],
    )


def _as_instant(value: datetime | date) -> datetime:
    """A timezone-aware datetime for a FHIR ``instant``.

    A ``date`` becomes midnight UTC; a naive ``datetime`` is taken as UTC; an
    aware one keeps its offset (so its calendar date is unchanged).
    """
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    raise SchemaError(f"invalid date {value!r}: expected datetime or date")


# --------------------------------------------------------------------------- #
# Parsing and dumping                                                         #
# --------------------------------------------------------------------------- #


def _describe(error: ValidationError, limit: int = 5) -> str:
    """One line summarising a pydantic ValidationError: ``loc: message; ...``."""
    problems = []
    for item in error.errors()[:limit]:
        loc = ".".join(str(p) for p in item.get("loc", ())) or "<root>"
        msg = " ".join(str(item.get("msg", "")).split())
        problems.append(f"{loc}: {msg}")
    more = error.error_count() - limit
    if more > 0:
        problems.append(f"... and {more} more")
    return "; ".join(problems)


def parse_resource(d: dict[str, Any], resource_type: str | None = None) -> Resource:
    """Validate a FHIR R4 JSON resource and return its R4B model.

    Parameters
    ----------
    d:
        A resource as parsed JSON, with ``resourceType``.
    resource_type:
        If given, the resource must be of this type (e.g. ``"Patient"``).

    Returns
    -------
    fhir.resources.R4B.resource.Resource
        The validated model, e.g. a ``fhir.resources.R4B.patient.Patient``.

    Raises
    ------
    SchemaError
        If ``d`` is not a dict, has no or an unknown ``resourceType``, is not
        of ``resource_type``, or fails validation. The message names the
        resource type, the id when present and the problems found.
    """
    if not isinstance(d, dict):
        raise SchemaError(f"a FHIR resource must be a JSON object, got {type(d).__name__}")
    rtype = d.get("resourceType")
    if not isinstance(rtype, str) or not rtype:
        raise SchemaError("FHIR resource has no resourceType")
    if resource_type is not None and rtype != resource_type:
        raise SchemaError(f"expected a {resource_type} resource, got {rtype}")
    try:
        model_class = get_fhir_model_class(rtype)
    except (KeyError, ValueError) as exc:
        raise SchemaError(f"unknown FHIR resource type {rtype!r}") from exc
    try:
        return model_class.model_validate(d)
    except ValidationError as exc:
        rid = d.get("id")
        name = f"{rtype}/{rid}" if isinstance(rid, str) else rtype
        raise SchemaError(f"invalid {name}: {_describe(exc)}") from exc


def dump_resource(model: BaseModel) -> dict[str, Any]:
    """Serialise an R4B model to FHIR JSON (a ``dict``), omitting empty fields.

    Parameters
    ----------
    model:
        Any fhir.resources model (a resource or an element).

    Returns
    -------
    dict
        JSON-ready data (only str, int, float, bool, list, dict).
    """
    return model.model_dump(mode="json", exclude_none=True)


# --------------------------------------------------------------------------- #
# Builders                                                                    #
# --------------------------------------------------------------------------- #


def build_patient(
    pseudonym: str,
    sex: str,
    birth_year: int | None,
    site_id: str,
    *,
    reference_year: int | None = None,
) -> dict[str, Any]:
    """Build a de-identified FHIR R4 Patient.

    The resource holds only: ``id`` and an identifier = the pseudonym, the
    gender, the birth year in the :data:`BIRTH_YEAR_EXTENSION` extension (or,
    for patients older than 89, only the ``"90+"`` :data:`AGE_BAND_EXTENSION`)
    and ``meta`` (site, schema version, ``PSEUDED`` security label). There is
    never a name, address, telecom, birthDate, contact or photo.

    Parameters
    ----------
    pseudonym:
        Keyed pseudonym of the patient; a valid FHIR id (``[A-Za-z0-9.-]``,
        1 to 64 characters).
    sex:
        ``female``, ``male``, ``other`` or ``unknown`` (see :func:`normalize_sex`).
    birth_year:
        Year of birth, or ``None`` when unknown.
    site_id:
        Id of the node's site, e.g. ``"hospital-a"``.
    reference_year:
        Year against which "older than 89" is judged; defaults to the current
        year (the strictest choice).

    Returns
    -------
    dict
        The validated Patient as FHIR JSON.

    Raises
    ------
    SchemaError
        If an argument is invalid.
    """
    _check(_FHIR_ID, pseudonym, "pseudonym")
    if reference_year is None:
        reference_year = date.today().year
    extensions: list[Extension] = []
    if birth_year is not None:
        if not isinstance(birth_year, int) or not _MIN_BIRTH_YEAR <= birth_year <= reference_year:
            raise SchemaError(
                f"invalid birth_year {birth_year!r}: expected {_MIN_BIRTH_YEAR}..{reference_year}"
            )
        if birth_year_allowed(birth_year, reference_year):
            extensions.append(Extension(url=BIRTH_YEAR_EXTENSION, valueInteger=birth_year))
        else:
            extensions.append(Extension(url=AGE_BAND_EXTENSION, valueString=OLDEST_BAND))
    try:
        patient = Patient(
            id=pseudonym,
            meta=_meta(site_id),
            extension=extensions or None,
            identifier=[Identifier(system=PSEUDONYM_SYSTEM, value=pseudonym)],
            gender=normalize_sex(sex),
        )
    except ValidationError as exc:
        raise SchemaError(f"invalid Patient/{pseudonym}: {_describe(exc)}") from exc
    return dump_resource(patient)


def _note_type_concept(note_type: str) -> CodeableConcept:
    """CodeableConcept for a note type: LOINC (when known) + our normalized code."""
    nt = NOTE_TYPES[normalize_note_type(note_type)]
    codings = []
    if nt.loinc is not None:
        codings.append(Coding(system=LOINC_SYSTEM, code=nt.loinc, display=nt.display))
    codings.append(Coding(system=NOTE_TYPE_SYSTEM, code=nt.code, display=nt.display))
    return CodeableConcept(coding=codings, text=nt.display)


def text_attachment(text: str) -> Attachment:
    """A FHIR Attachment holding ``text`` inline.

    ``data`` is the base64 of the UTF-8 bytes, ``size`` their number and
    ``hash`` the base64 of their SHA-1 digest (as FHIR R4 defines it).

    Parameters
    ----------
    text:
        The (de-identified) note text.

    Returns
    -------
    Attachment
        An R4B Attachment with contentType :data:`TEXT_CONTENT_TYPE`.
    """
    raw = text.encode("utf-8")
    return Attachment(
        contentType=TEXT_CONTENT_TYPE,
        data=base64.b64encode(raw),
        size=len(raw),
        hash=base64.b64encode(hashlib.sha1(raw).digest()),  # noqa: S324 - FHIR mandates SHA-1
    )


def build_document_reference(
    doc_id: str,
    patient_pseudonym: str,
    note_type: str,
    shifted_date: datetime | date,
    deid_text: str,
    content_hash: str,
    site_id: str,
) -> dict[str, Any]:
    """Build a FHIR R4 DocumentReference holding one de-identified note.

    Parameters
    ----------
    doc_id:
        Resource id (a valid FHIR id).
    patient_pseudonym:
        Pseudonym of the patient; becomes ``subject = Patient/<pseudonym>``.
    note_type:
        Free-text label, normalized code or LOINC code (see
        :func:`schemas.note_types.normalize_note_type`). Known types get a LOINC
        coding; every type gets a ``urn:fednet:note-type`` coding. The raw label
        is *not* stored (it was not de-identified); unknown labels become
        ``other``.
    shifted_date:
        Date of the note after the patient's date shift; goes to ``date`` (an
        instant: a ``date`` becomes midnight UTC, a naive datetime is UTC).
    deid_text:
        De-identified note text; stored inline, base64, with SHA-1 hash and size.
    content_hash:
        Hash of the raw input + site (the record's ``_id``); stored as
        ``masterIdentifier`` with system :data:`CONTENT_HASH_SYSTEM`.
    site_id:
        Id of the node's site.

    Returns
    -------
    dict
        The validated DocumentReference as FHIR JSON.

    Raises
    ------
    SchemaError
        If an argument is invalid.
    """
    _check(_FHIR_ID, doc_id, "doc_id")
    _check(_FHIR_ID, patient_pseudonym, "patient_pseudonym")
    _check(_CONTENT_HASH, content_hash, "content_hash")
    if not isinstance(deid_text, str):
        raise SchemaError(f"deid_text must be str, got {type(deid_text).__name__}")
    try:
        doc = DocumentReference(
            id=doc_id,
            meta=_meta(site_id),
            masterIdentifier=Identifier(system=CONTENT_HASH_SYSTEM, value=content_hash),
            status="current",
            type=_note_type_concept(note_type),
            category=[CodeableConcept(coding=[Coding(**NOTE_CATEGORY)])],
            subject=Reference(reference=f"Patient/{patient_pseudonym}"),
            date=_as_instant(shifted_date),
            content=[DocumentReferenceContent(attachment=text_attachment(deid_text))],
        )
    except ValidationError as exc:
        raise SchemaError(f"invalid DocumentReference/{doc_id}: {_describe(exc)}") from exc
    return dump_resource(doc)


# --------------------------------------------------------------------------- #
# Readers (used to derive query fields, and by ingest of FHIR input)          #
# --------------------------------------------------------------------------- #


def _extension_value(resource: dict[str, Any], url: str, key: str) -> Any:
    """Value ``key`` of the first top-level extension with ``url``, else ``None``."""
    for ext in resource.get("extension", []) or []:
        if ext.get("url") == url:
            return ext.get(key)
    return None


def patient_birth_year(patient: dict[str, Any]) -> int | None:
    """Birth year stored in a de-identified Patient, or ``None``.

    ``None`` when unknown or suppressed because the patient is over 89.
    """
    value = _extension_value(patient, BIRTH_YEAR_EXTENSION, "valueInteger")
    return value if isinstance(value, int) else None


def patient_age_band(patient: dict[str, Any]) -> str | None:
    """Age band stored in a de-identified Patient (``"90+"``), or ``None``."""
    value = _extension_value(patient, AGE_BAND_EXTENSION, "valueString")
    return value if isinstance(value, str) else None


def subject_pseudonym(doc: dict[str, Any]) -> str:
    """Pseudonym in a DocumentReference's ``subject`` (``Patient/<pseudonym>``).

    Raises
    ------
    SchemaError
        If the subject is missing or does not reference a Patient.
    """
    ref = (doc.get("subject") or {}).get("reference", "")
    if not isinstance(ref, str) or not ref.startswith("Patient/") or len(ref) <= len("Patient/"):
        raise SchemaError(f"DocumentReference/{doc.get('id')}: subject is not Patient/<id>: {ref!r}")
    return ref[len("Patient/") :]


def document_note_type(doc: dict[str, Any]) -> str:
    """Normalized note type of a DocumentReference (``"other"`` if not coded).

    Reads our ``urn:fednet:note-type`` coding first, then any LOINC coding (so
    FHIR input such as Synthea's is understood too), then ``type.text``.
    """
    concept = doc.get("type") or {}
    codings = concept.get("coding") or []
    for system in (NOTE_TYPE_SYSTEM, LOINC_SYSTEM):
        for coding in codings:
            if coding.get("system") == system and coding.get("code"):
                code = normalize_note_type(coding["code"])
                if code != "other" or system == NOTE_TYPE_SYSTEM:
                    return code
    return normalize_note_type(concept.get("text") or "")


def document_date(doc: dict[str, Any]) -> date:
    """Calendar date of a DocumentReference's ``date`` (as written, in its own offset).

    Raises
    ------
    SchemaError
        If ``date`` is missing or not ISO 8601.
    """
    value = doc.get("date")
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise SchemaError(f"DocumentReference/{doc.get('id')}: invalid date {value!r}") from exc


def document_text(doc: dict[str, Any]) -> str:
    """Decode the text of ``content[0].attachment`` and check its size and hash.

    Parameters
    ----------
    doc:
        DocumentReference JSON with an inline (``data``) text attachment.

    Returns
    -------
    str
        The note text.

    Raises
    ------
    SchemaError
        If there is no inline data, it is not UTF-8, or ``size``/``hash``
        (when present) do not match the data.
    """
    name = f"DocumentReference/{doc.get('id')}"
    try:
        attachment = doc["content"][0]["attachment"]
        raw = base64.b64decode(attachment["data"], validate=False)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise SchemaError(f"{name}: no inline content[0].attachment.data") from exc
    if "size" in attachment and attachment["size"] != len(raw):
        raise SchemaError(f"{name}: attachment size {attachment['size']} != {len(raw)} bytes")
    if "hash" in attachment:
        expected = base64.b64encode(hashlib.sha1(raw).digest()).decode("ascii")  # noqa: S324
        if attachment["hash"] != expected:
            raise SchemaError(f"{name}: attachment hash does not match its data")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(f"{name}: attachment data is not UTF-8 text") from exc
