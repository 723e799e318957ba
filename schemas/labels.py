"""Normalized image labels: modality, body region, plane/view and findings.

One vocabulary for every image source of the network, so that a cohort query
("CT of the thorax, axial") means the same at every node and in the public-data
importers:

- ``modality``: the DICOM (0008,0060) code (``CT``, ``MR``, ``US``, ``XR``, ``PT``,
  ``NM``, ``XA``, ``MG``, ``ES``, ``SM``, ``XC``, ``OT``);
- ``body_region``: ``head``, ``neck``, ``spine``, ``thorax``, ``breast``,
  ``abdomen``, ``pelvis``, ``upper_limb``, ``lower_limb``, ``whole_body``;
- ``plane``: ``axial``, ``coronal``, ``sagittal``, ``oblique``, ``ap``, ``pa``,
  ``lateral``, ``frontal``, ``3d``;
- ``findings``: the canonical clinical terms of :func:`schemas.query_fields.extract_terms`
  (the notes' vocabulary) plus ``mass``/``benign``/``malignant`` from MultiCaRe,
  dropped when negated ("no mass").

Sources (``schemas/data/labels/``, provenance in its README):

- ``vocabulary.yaml``: hand-kept canonical values and the synonyms DICOM headers,
  MedPix 2.0 fields and captions use; it also maps MultiCaRe labels to our axes.
- ``caption_ngrams.csv``: derived from the MultiCaRe caption dictionary
  (``annotated_ngrams.csv``, CC0) by :func:`build_caption_dictionary`: the n-grams whose
  labels fall on one of our axes (e.g. ``computed tomography`` -> ``ct`` -> ``CT``).

Usage::

    from schemas.labels import normalize_caption, labels_from_dicom, modality_from
    normalize_caption("Axial CAT scan of the chest: no mass").to_dict()
    # {'modality': 'CT', 'body_region': 'thorax', 'plane': 'axial', 'findings': []}
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from schemas.query_fields import extract_terms

__all__ = [
    "AXES",
    "Labels",
    "LabelVocabulary",
    "normalize_caption",
    "labels_from_dicom",
    "labels_from_medpix",
    "modality_from",
    "body_region_from",
    "plane_from",
    "plane_from_orientation",
    "vocabulary",
    "build_caption_dictionary",
]

DATA_DIR = Path(__file__).parent / "data" / "labels"
VOCABULARY_FILE = DATA_DIR / "vocabulary.yaml"
NGRAM_FILE = DATA_DIR / "caption_ngrams.csv"

AXES: tuple[str, ...] = ("modality", "body_region", "plane")
"""The single-valued label axes (findings is a list)."""

_BLOCKER = "_LABEL_BLOCKER"
_NEGATION = "_assertion_absent"
_NEGATION_WINDOW = 3  # tokens after "no"/"without" whose findings are dropped
_TOKEN = re.compile(r"[a-z0-9]+(?:[/\-'&.][a-z0-9]+)*")


@dataclass(frozen=True)
class Labels:
    """Normalized labels of one image (``None`` = unknown on that axis)."""

    modality: str | None = None
    body_region: str | None = None
    plane: str | None = None
    findings: tuple[str, ...] = ()

    def merged(self, fallback: "Labels") -> "Labels":
        """These labels, with each unknown axis filled from ``fallback``; findings united."""
        return Labels(
            modality=self.modality or fallback.modality,
            body_region=self.body_region or fallback.body_region,
            plane=self.plane or fallback.plane,
            findings=tuple(sorted(set(self.findings) | set(fallback.findings))),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (findings as a sorted list)."""
        return {"modality": self.modality, "body_region": self.body_region, "plane": self.plane,
                "findings": sorted(self.findings)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Labels":
        return cls(data.get("modality"), data.get("body_region"), data.get("plane"),
                   tuple(data.get("findings") or ()))


@dataclass(frozen=True)
class _Entry:
    """What one n-gram means: a value per axis, findings, or a blocker/negation."""

    values: dict[str, str] = field(default_factory=dict)
    findings: tuple[str, ...] = ()
    blocker: bool = False
    negation: bool = False


class LabelVocabulary:
    """The loaded vocabulary: exact field synonyms and the caption n-gram dictionary.

    Parameters
    ----------
    vocabulary:
        Parsed ``vocabulary.yaml``.
    ngram_rows:
        Rows of ``caption_ngrams.csv`` (``ngram``, ``labels`` joined by ``|``).
    """

    def __init__(self, vocabulary: Mapping[str, Any], ngram_rows: Iterable[Mapping[str, str]]):
        self.canonical: dict[str, tuple[str, ...]] = {axis: tuple(vocabulary[axis]) for axis in AXES}
        self.field_synonyms: dict[str, dict[str, str]] = {axis: {} for axis in AXES}
        for axis in AXES:
            for value, synonyms in vocabulary[axis].items():
                for syn in [value, *synonyms]:
                    self.field_synonyms[axis][_norm(str(syn))] = str(value)
        self.multicare: dict[str, dict[str, str]] = {k: dict(v) for k, v in vocabulary["multicare"].items()}
        not_in_captions = {_norm(s) for s in vocabulary.get("not_in_captions", [])}
        self.ngrams: dict[tuple[str, ...], _Entry] = {}
        for row in ngram_rows:
            entry = self._entry_from_multicare(row["labels"].split("|"))
            key = tuple(_tokens(row["ngram"]))
            if key and entry is not None:
                self.ngrams[key] = entry
        for axis in AXES:  # hand-kept synonyms win over the derived dictionary
            for syn, value in self.field_synonyms[axis].items():
                if syn in not_in_captions:
                    continue
                key = tuple(_tokens(syn))
                if not key:
                    continue
                old = self.ngrams.get(key, _Entry())
                self.ngrams[key] = _Entry({**old.values, axis: value}, old.findings)
        self.max_n = max((len(k) for k in self.ngrams), default=1)

    def _entry_from_multicare(self, labels: list[str]) -> _Entry | None:
        if _BLOCKER in labels:
            return _Entry(blocker=True)
        if _NEGATION in labels:
            return _Entry(negation=True)
        values: dict[str, str] = {}
        findings: list[str] = []
        for label in labels:
            for axis in AXES:
                if label in self.multicare.get(axis, {}):
                    values.setdefault(axis, self.multicare[axis][label])
            if label in self.multicare.get("findings", {}):
                findings.append(self.multicare["findings"][label])
        if not values and not findings:
            return None
        return _Entry(values, tuple(findings))

    def _names_an_axis_value(self, term: str) -> bool:
        """Whether a notes-vocabulary term is a modality/region/plane name ("ct", "x-ray")."""
        key = _norm(term)
        entry = self.ngrams.get(tuple(_tokens(key)))
        return bool(entry and entry.values) or any(key in self.field_synonyms[axis] for axis in AXES)

    def field_value(self, axis: str, value: Any) -> str | None:
        """Canonical value of a header/form field on ``axis`` (exact synonym match first)."""
        if value is None:
            return None
        text = _norm(str(value))
        if not text:
            return None
        exact = self.field_synonyms[axis].get(text)
        if exact:
            return exact
        tokens = _tokens(text)
        for n in range(min(len(tokens), 4), 0, -1):  # "MR - T1W w/Gd" -> "mr"
            lead = self.field_synonyms[axis].get(" ".join(tokens[:n]))
            if lead:
                return lead
        return getattr(self.caption(str(value)), axis)

    def caption(self, text: str) -> Labels:
        """Labels of a free-text caption (longest n-gram match, left to right)."""
        tokens = _tokens(text)
        votes: dict[str, Counter] = {axis: Counter() for axis in AXES}
        first_seen: dict[str, dict[str, int]] = {axis: {} for axis in AXES}
        findings: set[str] = set()
        negated_until = -1
        i = 0
        while i < len(tokens):
            match, length = None, 1
            for n in range(min(self.max_n, len(tokens) - i), 0, -1):
                entry = self.ngrams.get(tuple(tokens[i:i + n]))
                if entry is not None:
                    match, length = entry, n
                    break
            if match is not None:
                if match.negation:
                    negated_until = i + length + _NEGATION_WINDOW
                elif not match.blocker:
                    for axis, value in match.values.items():
                        votes[axis][value] += 1
                        first_seen[axis].setdefault(value, i)
                    if i >= negated_until:
                        findings.update(match.findings)
            i += length
        chosen = {axis: _vote(votes[axis], first_seen[axis]) for axis in AXES}
        findings.update(t for t in _non_negated_terms(text) if not self._names_an_axis_value(t))
        return Labels(findings=tuple(sorted(findings)), **chosen)


def _vote(votes: Counter, first_seen: dict[str, int]) -> str | None:
    """Most frequent value; ties go to the one mentioned first."""
    if not votes:
        return None
    return min(votes, key=lambda v: (-votes[v], first_seen[v]))


_NEGATED_TERM = re.compile(r"\b(?:no|without|negative for|free of)\s+(?:\w+\s+){0,2}?$", re.IGNORECASE)


def _non_negated_terms(text: str) -> set[str]:
    """Vocabulary terms of the notes (``extract_terms``) not preceded by a negation."""
    out: set[str] = set()
    for sentence in re.split(r"[.;:\n]", text):
        terms = extract_terms(sentence)
        if not terms:
            continue
        if re.search(r"\b(?:no|without|negative for|free of)\b", sentence, re.IGNORECASE):
            continue  # the notes' extractor has no negation scope: skip negated sentences whole
        out.update(terms)
    return out


def _norm(value: str) -> str:
    return " ".join(value.strip().lower().split())


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@lru_cache(maxsize=1)
def vocabulary() -> LabelVocabulary:
    """The packaged vocabulary (loaded once)."""
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    with NGRAM_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return LabelVocabulary(data, rows)


# --------------------------------------------------------------------------- #
# Public API                                                                  #
# --------------------------------------------------------------------------- #


def normalize_caption(text: str) -> Labels:
    """Labels of a caption or report (e.g. ``"CAT scan of the chest"`` -> CT, thorax).

    Parameters
    ----------
    text:
        Free text (a de-identified caption; labels carry no PHI either way).

    Returns
    -------
    Labels
        Each axis is the most frequently named value (first named on ties), or ``None``.
    """
    return vocabulary().caption(text or "")


def modality_from(value: Any) -> str | None:
    """Canonical modality of a header or form value (``"CT - noncontrast"``, ``"MRI"``, ``"US"``)."""
    return vocabulary().field_value("modality", value)


def body_region_from(value: Any) -> str | None:
    """Canonical body region of a header or form value (``"CHEST"``, ``"Spine and Muscles"``)."""
    return vocabulary().field_value("body_region", value)


def plane_from(value: Any) -> str | None:
    """Canonical plane/view of a header or form value (``"Axial"``, ``"PA"``, ``"Transverse"``)."""
    return vocabulary().field_value("plane", value)


def plane_from_orientation(orientation: Iterable[float] | None) -> str | None:
    """Plane of a slice from DICOM ImageOrientationPatient (row and column direction cosines).

    The slice normal is row x column; its dominant patient axis gives the plane
    (x: sagittal, y: coronal, z: axial). ``None`` when absent or malformed.
    """
    try:
        r = [float(v) for v in orientation][:6]  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return None
    if len(r) != 6:
        return None
    normal = (r[1] * r[5] - r[2] * r[4], r[2] * r[3] - r[0] * r[5], r[0] * r[4] - r[1] * r[3])
    magnitudes = [abs(c) for c in normal]
    if max(magnitudes) < 0.5:
        return "oblique" if max(magnitudes) > 0 else None
    return ("sagittal", "coronal", "axial")[magnitudes.index(max(magnitudes))]


def labels_from_dicom(ds: Any) -> Labels:
    """Labels from a DICOM dataset's header (a ``pydicom.Dataset`` or anything with ``.get``).

    Modality (0008,0060), BodyPartExamined (0018,0015), ViewPosition (0018,5101) or the
    plane of ImageOrientationPatient (0020,0037); descriptions (study, series, protocol)
    fill whatever the coded fields leave unknown. Call it on the original header, before
    de-identification removes the descriptions: only vocabulary values come out.
    """
    get = getattr(ds, "get", None)
    if get is None:
        return Labels()
    coded = Labels(
        modality=modality_from(get("Modality")),
        body_region=body_region_from(get("BodyPartExamined")),
        plane=plane_from(get("ViewPosition")) or plane_from_orientation(get("ImageOrientationPatient")),
    )
    described = " ; ".join(str(get(k) or "") for k in ("StudyDescription", "SeriesDescription", "ProtocolName"))
    from_text = normalize_caption(described)
    return coded.merged(replace(from_text, findings=()))


def labels_from_medpix(record: Mapping[str, Any]) -> Labels:
    """Labels of a MedPix 2.0 ``Descriptions.json`` image record.

    ``Type`` / ``Description.Modality`` give the modality, ``Location Category`` (then
    ``Location``) the body region, ``Description.Plane`` the plane; the caption fills
    gaps and gives the findings.
    """
    desc = record.get("Description") or {}
    fields = Labels(
        modality=modality_from(record.get("Type")) or modality_from(desc.get("Modality")),
        body_region=body_region_from(record.get("Location Category")) or body_region_from(record.get("Location")),
        plane=plane_from(desc.get("Plane")),
    )
    return fields.merged(normalize_caption(str(desc.get("Caption") or "")))


def build_caption_dictionary(annotated_ngrams: Path, out: Path = NGRAM_FILE) -> int:
    """Derive ``caption_ngrams.csv`` from MultiCaRe's ``annotated_ngrams.csv``.

    Keeps the n-grams with at least one label that maps to one of our axes (or a
    findings label), plus the blockers and negations; writes ``ngram,labels,count``.

    Returns
    -------
    int
        Rows written.
    """
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    known = {label for table in data["multicare"].values() for label in table} | {_BLOCKER, _NEGATION}
    rows = []
    with Path(annotated_ngrams).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            labels = [row[k] for k in ("label_1", "label_2", "label_3") if row.get(k)]
            kept = [lab for lab in labels if lab in known]
            if row["ngram"].strip() and kept:
                rows.append({"ngram": row["ngram"].strip(), "labels": "|".join(kept), "count": row["count"]})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["ngram", "labels", "count"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    vocabulary.cache_clear()
    return len(rows)


if __name__ == "__main__":  # python -m schemas.labels ../shared/data/multicare/annotated_ngrams.csv
    import sys

    print(f"{build_caption_dictionary(Path(sys.argv[1]))} n-grams written to {NGRAM_FILE}")
