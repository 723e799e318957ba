"""Source-neutral shapes the importers produce: :class:`PublicCase`, :class:`PublicImage`, :class:`SourceBatch`.

Each importer (``medpix.py``, ``pmc_patients.py``, ``multicare.py``, ``roco.py``) reads its source's
own layout and returns a :class:`SourceBatch`; dedup (``dedup.py``) and the writer
(``importer.py``) only ever see these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coordinator.public_data.licenses import License
from schemas.labels import Labels

__all__ = ["PublicImage", "PublicCase", "Rejected", "SourceBatch", "case_key", "pmcid_of", "fhir_id", "sex_of"]

_PMC_DIGITS = re.compile(r"(?i)^(?:pmc)?(\d{1,10})$")


def pmcid_of(value: object) -> str | None:
    """``"PMC7665777"`` from ``"PMC7665777"``, ``"7665777"`` or ``"pmc7665777"``; ``None`` otherwise."""
    m = _PMC_DIGITS.match(str(value or "").strip())
    return f"PMC{int(m.group(1))}" if m else None


def case_key(pmcid: str, index: int) -> str:
    """Canonical key of the ``index``-th patient (1-based) of an article: ``PMC6744365_01``.

    MultiCaRe's ``case_id`` and PMC-Patients' ``patient_uid`` (``6744365-1``) both map to it:
    the cross-source dedup key.
    """
    if index < 1:
        raise ValueError(f"case index must be >= 1, got {index}")
    return f"{pmcid}_{index:02d}"


_SEX = {"m": "male", "male": "male", "man": "male", "f": "female", "female": "female", "woman": "female",
        "o": "other", "other": "other"}


def sex_of(value: object) -> str:
    """FHIR gender from a source's sex field (``"M"``, ``"Male"``, ``"female"``); ``unknown`` otherwise (``"N/A"``)."""
    return _SEX.get(str(value or "").strip().lower(), "unknown")


def fhir_id(key: str) -> str:
    """A valid FHIR id for a case key (``PMC6744365_01`` -> ``PMC6744365-01``)."""
    out = re.sub(r"[^A-Za-z0-9.\-]", "-", key)[:64]
    if not out:
        raise ValueError(f"cannot make a FHIR id of {key!r}")
    return out


@dataclass
class PublicImage:
    """One published image (or sub-image) and its caption, before de-identification."""

    source: str
    image_id: str
    case_key: str
    caption: str
    labels: Labels
    license: License
    file: str | None = None  # relative to the public-data folder; None when no pixels ship
    content_type: str | None = None
    source_labels: list[str] = field(default_factory=list)
    text_references: list[str] = field(default_factory=list)


@dataclass
class PublicCase:
    """One patient of a published case report, before de-identification."""

    source: str
    source_id: str
    key: str
    text: str
    license: License
    dataset: str
    dataset_doi: str | None = None
    sex: str = "unknown"
    age_years: float | None = None
    pmcid: str | None = None
    pmid: str | None = None
    doi: str | None = None
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    authors: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    mesh_terms: list[str] = field(default_factory=list)
    link: str | None = None
    images: list[PublicImage] = field(default_factory=list)
    also_in: list[tuple[str, str, License]] = field(default_factory=list)  # (source, source_id, license)


@dataclass(frozen=True)
class Rejected:
    """A source row that could not be imported: where, and why (never its content)."""

    source: str
    where: str
    reason: str


@dataclass
class SourceBatch:
    """What one importer read: cases (with their images), orphan images, rejected rows."""

    source: str
    cases: list[PublicCase] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    rows_read: int = 0
