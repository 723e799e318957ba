"""Flat, indexed fields derived from the stored resources, for aggregate queries.

Cohort queries ("how many notes of women aged 60-69 mention pneumonia?") run
on these flat fields, never on the FHIR JSON. Each ``documents`` record holds a
:class:`QueryFields` under ``query``; each ``patients`` record a
:class:`PatientQueryFields`.

Design decisions
----------------
- **Dates**: only the *shifted* note date is stored (``note_date_shifted``).
  The per-patient date shift can move a date across a year boundary, so a
  "note year" would be wrong for some notes; there is deliberately no
  ``note_year`` field. Use ``note_date_shifted`` for intervals within one
  patient and coarse (year-level, +/- the shift) trends only.
- **Ages** follow HIPAA Safe Harbor (see :mod:`schemas.ages`): over 89 is
  stored as 90 / ``"90+"``. The age is computed from the birth year and, when
  the caller passes it, the *real* note date (used in memory only); otherwise
  from the shifted date, which can be off by one more year.
- **Terms** come from a small placeholder vocabulary
  (``schemas/data/terms.txt``) matched on whole words. There is no negation
  handling: "no pneumonia" yields ``pneumonia``. A proper extractor will
  replace :func:`extract_terms`; the field's shape (sorted, unique, lower-case
  strings) stays.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.ages import AGE_BANDS, CAPPED_AGE, OLDEST_BAND, age_band, age_in_year, cap_age
from schemas.note_types import NOTE_TYPES
from schemas.resources import (
    SchemaError,
    Sex,
    document_date,
    document_note_type,
    document_text,
    normalize_sex,
    patient_age_band,
    patient_birth_year,
    site_source,
    subject_pseudonym,
)
from schemas.version import SCHEMA_VERSION

__all__ = [
    "AgeBand",
    "NoteTypeCode",
    "QueryFields",
    "PatientQueryFields",
    "load_vocabulary",
    "extract_terms",
    "extract_tokens",
    "derive_query_fields",
    "derive_patient_query_fields",
]

AgeBand = Literal["0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90+"]
"""Ten-year age bands (see :data:`schemas.ages.AGE_BANDS`)."""

NoteTypeCode = Literal[
    "discharge_summary",
    "progress_note",
    "history_and_physical",
    "ed_note",
    "nursing_note",
    "radiology_report",
    "consult_note",
    "operative_note",
    "pathology_report",
    "other",
]
"""Normalized note types (keys of :data:`schemas.note_types.NOTE_TYPES`)."""

assert set(AgeBand.__args__) == set(AGE_BANDS)  # type: ignore[attr-defined]  # noqa: S101
assert set(NoteTypeCode.__args__) == set(NOTE_TYPES)  # type: ignore[attr-defined]  # noqa: S101

_SEMVER = r"^\d+\.\d+\.\d+$"
_SITE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
_FHIR_ID = r"^[A-Za-z0-9\-.]{1,64}$"
_TERM = r"^[a-z0-9][a-z0-9 \-]*$"
_TOKEN = r"^[a-z0-9]{2,40}$"


class QueryFields(BaseModel):
    """Flat query fields of one stored note (the ``query`` of a ``documents`` record).

    Store with ``model_dump(mode="json")`` (the date becomes ``"YYYY-MM-DD"``,
    which sorts and range-compares correctly as a string).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: str = Field(default=SCHEMA_VERSION, pattern=_SEMVER, description="Schema version (semver).")
    site_id: str = Field(pattern=_SITE_ID, description="Site that holds the note.")
    patient_pseudonym: str = Field(pattern=_FHIR_ID, description="Keyed pseudonym of the patient.")
    sex: Sex = Field(description="Administrative gender.")
    age_at_note: int | None = Field(
        default=None, ge=0, le=CAPPED_AGE, description="Age in the note's year; over 89 stored as 90; null if unknown."
    )
    age_band: AgeBand | None = Field(default=None, description="Ten-year band of age_at_note; '90+' for over 89.")
    note_type: NoteTypeCode = Field(description="Normalized note type.")
    note_date_shifted: date = Field(description="Note date after the patient's date shift (no real dates stored).")
    terms: list[str] = Field(
        default_factory=list,
        description="Sorted, unique, lower-case clinical terms found in the de-identified text.",
        json_schema_extra={"items": {"type": "string", "pattern": _TERM}, "uniqueItems": True},
    )
    text_length: int = Field(ge=0, description="Length of the de-identified text in characters.")
    tokens: list[str] = Field(
        default_factory=list,
        description="Sorted, unique, lower-case words of the de-identified text, for keyword search "
        "(exact token match: no regex ever runs on user text). Added in 1.1.0.",
        json_schema_extra={"items": {"type": "string", "pattern": _TOKEN}, "uniqueItems": True},
    )

    @model_validator(mode="after")
    def _check_age_band(self) -> QueryFields:
        """The age band must agree with the age when both are known."""
        if self.age_at_note is not None and self.age_band != age_band(self.age_at_note):
            raise ValueError(f"age_band {self.age_band!r} does not match age_at_note {self.age_at_note}")
        if any(not re.match(_TERM, t) for t in self.terms) or self.terms != sorted(set(self.terms)):
            raise ValueError("terms must be sorted, unique, lower-case strings")
        return self


class PatientQueryFields(BaseModel):
    """Flat query fields of one patient (the ``query`` of a ``patients`` record)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: str = Field(default=SCHEMA_VERSION, pattern=_SEMVER, description="Schema version (semver).")
    site_id: str = Field(pattern=_SITE_ID, description="Site that registered the patient.")
    sex: Sex = Field(description="Administrative gender.")
    birth_year: int | None = Field(
        default=None, ge=1850, le=9999, description="Year of birth; null when unknown or when over_89."
    )
    over_89: bool = Field(default=False, description="Older than 89: birth year suppressed (Safe Harbor).")


# --------------------------------------------------------------------------- #
# Term extraction                                                             #
# --------------------------------------------------------------------------- #

_SEPARATORS = re.compile(r"[\s\-]+")


def _term_key(phrase: str) -> str:
    """Lower-case and collapse runs of whitespace/hyphens to one space."""
    return _SEPARATORS.sub(" ", phrase.strip().lower())


def load_vocabulary(path: Path | None = None) -> dict[str, str]:
    """Read a term vocabulary file.

    Parameters
    ----------
    path:
        File in the ``terms.txt`` format (``canonical | synonym | ...`` per
        line, ``#`` comments); defaults to the packaged ``schemas/data/terms.txt``.

    Returns
    -------
    dict
        Normalized phrase (canonical or synonym; lower case, runs of spaces and
        hyphens collapsed to one space) -> canonical term (lower case, as written).

    Raises
    ------
    ValueError
        If a phrase is listed for two different canonical terms.
    """
    if path is None:
        text = importlib_resources.files("schemas").joinpath("data/terms.txt").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    vocabulary: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        phrases = [p for p in line.split("|") if p.strip()]
        canonical = " ".join(phrases[0].lower().split())
        for phrase in map(_term_key, phrases):
            if vocabulary.get(phrase, canonical) != canonical:
                raise ValueError(f"term {phrase!r} maps to both {vocabulary[phrase]!r} and {canonical!r}")
            vocabulary[phrase] = canonical
    return vocabulary


@lru_cache(maxsize=1)
def _default_matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    """Compiled regex over the packaged vocabulary, longest phrases first."""
    vocabulary = load_vocabulary()
    alternatives = sorted(vocabulary, key=len, reverse=True)
    body = "|".join(r"[\s\-]+".join(re.escape(w) for w in phrase.split(" ")) for phrase in alternatives)
    pattern = re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")
    return pattern, vocabulary


def extract_terms(text: str) -> list[str]:
    """Find the vocabulary's clinical terms in a text.

    A placeholder: whole-word, case-insensitive matching of
    ``schemas/data/terms.txt``, synonyms mapped to their canonical term, no
    negation or context handling.

    Parameters
    ----------
    text:
        De-identified note text.

    Returns
    -------
    list of str
        Canonical terms found, sorted and unique.

    Examples
    --------
    >>> extract_terms("CXR: RLL consolidation c/w pneumonia. Hx of HTN, A-fib.")
    ['atrial fibrillation', 'consolidation', 'hypertension', 'pneumonia']
    """
    pattern, vocabulary = _default_matcher()
    found = {vocabulary[_term_key(m.group(0))] for m in pattern.finditer(text.lower())}
    return sorted(found)


_TOKEN_RE = re.compile(r"[a-z0-9]+")
MAX_TOKENS = 5000


def extract_tokens(text: str) -> list[str]:
    """Words of a de-identified text for keyword search.

    Lower-case runs of ``[a-z0-9]`` of 2 to 40 characters, sorted and unique
    (at most :data:`MAX_TOKENS`). Keyword queries tokenize the user's text the
    same way and match whole tokens, so no user text ever becomes a regex.

    Examples
    --------
    >>> extract_tokens("MRI: Glioma, left frontal; glioma again.")
    ['again', 'frontal', 'glioma', 'left', 'mri']
    """
    found = {t for t in _TOKEN_RE.findall(text.lower()) if 2 <= len(t) <= 40}
    return sorted(found)[:MAX_TOKENS]


# --------------------------------------------------------------------------- #
# Derivation from resources                                                   #
# --------------------------------------------------------------------------- #


def _require_type(resource: dict[str, Any], resource_type: str) -> None:
    """Raise SchemaError unless ``resource`` is a dict of ``resource_type``."""
    if not isinstance(resource, dict) or resource.get("resourceType") != resource_type:
        got = resource.get("resourceType") if isinstance(resource, dict) else type(resource).__name__
        raise SchemaError(f"expected a {resource_type} resource, got {got!r}")


def _check_site(resource: dict[str, Any], site_id: str) -> None:
    """Raise SchemaError if the resource's ``meta.source`` names another site."""
    source = (resource.get("meta") or {}).get("source")
    if source is not None and source != site_source(site_id):
        raise SchemaError(
            f"{resource.get('resourceType')}/{resource.get('id')}: meta.source {source!r} is not site {site_id!r}"
        )


def _age(birth_year: int, reference: date, reference_is_shifted: bool) -> int:
    """Age in ``reference``'s year, capped; tolerate -1 only for a shifted date."""
    age = age_in_year(birth_year, reference.year)
    if age < 0:
        if reference_is_shifted and age == -1:
            return 0  # a newborn whose note date was shifted into the previous year
        raise SchemaError(f"birth year {birth_year} is after the note date {reference.isoformat()}")
    return cap_age(age)


def derive_query_fields(
    patient: dict[str, Any],
    doc: dict[str, Any],
    birth_year: int | None,
    site_id: str,
    *,
    age_reference_date: date | None = None,
) -> QueryFields:
    """Derive the flat query fields of a note from its resources.

    Parameters
    ----------
    patient:
        The de-identified Patient JSON (from :func:`schemas.resources.build_patient`).
    doc:
        The DocumentReference JSON (from :func:`schemas.resources.build_document_reference`,
        or any R4 DocumentReference with an inline text attachment).
    birth_year:
        The patient's real year of birth when the caller knows it (in memory,
        from the registration data); ``None`` to use the Patient's birth-year
        extension. Needed to cap ages correctly for patients over 89, whose
        Patient resource has only the ``90+`` band.
    site_id:
        Id of the node's site.
    age_reference_date:
        The real (unshifted) note date, used in memory only to compute the age;
        never stored. Defaults to the shifted date in ``doc``.

    Returns
    -------
    QueryFields
        Validated query fields.

    Raises
    ------
    SchemaError
        If the resources are of the wrong type, do not belong together (subject
        is not this patient, another site), or hold inconsistent data.
    """
    _require_type(patient, "Patient")
    _require_type(doc, "DocumentReference")
    _check_site(patient, site_id)
    _check_site(doc, site_id)
    pseudonym = subject_pseudonym(doc)
    if pseudonym != patient.get("id"):
        raise SchemaError(f"DocumentReference/{doc.get('id')} is about {pseudonym!r}, not Patient/{patient.get('id')}")

    note_date = document_date(doc)
    if birth_year is None:
        birth_year = patient_birth_year(patient)
    if birth_year is not None:
        reference = age_reference_date or note_date
        age: int | None = _age(birth_year, reference, reference_is_shifted=age_reference_date is None)
    elif patient_age_band(patient) == OLDEST_BAND:
        age = CAPPED_AGE
    else:
        age = None

    text = document_text(doc)
    try:
        return QueryFields(
            site_id=site_id,
            patient_pseudonym=pseudonym,
            sex=normalize_sex(patient.get("gender")),
            age_at_note=age,
            age_band=age_band(age) if age is not None else None,
            note_type=document_note_type(doc),
            note_date_shifted=note_date,
            terms=extract_terms(text),
            text_length=len(text),
            tokens=extract_tokens(text),
        )
    except SchemaError:
        raise
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise SchemaError(f"invalid query fields for DocumentReference/{doc.get('id')}: {exc}") from exc


def derive_patient_query_fields(patient: dict[str, Any], site_id: str) -> PatientQueryFields:
    """Derive the flat query fields of a patient from its de-identified Patient.

    Parameters
    ----------
    patient:
        Patient JSON from :func:`schemas.resources.build_patient`.
    site_id:
        Id of the node's site.

    Returns
    -------
    PatientQueryFields
        Sex, birth year (``None`` when unknown or suppressed) and the over-89 flag.

    Raises
    ------
    SchemaError
        If ``patient`` is not a Patient of this site or holds invalid values.
    """
    _require_type(patient, "Patient")
    _check_site(patient, site_id)
    try:
        return PatientQueryFields(
            site_id=site_id,
            sex=normalize_sex(patient.get("gender")),
            birth_year=patient_birth_year(patient),
            over_89=patient_age_band(patient) == OLDEST_BAND,
        )
    except SchemaError:
        raise
    except ValueError as exc:
        raise SchemaError(f"invalid query fields for Patient/{patient.get('id')}: {exc}") from exc
