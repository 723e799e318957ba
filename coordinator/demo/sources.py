"""Readers for the public texts the simulated hospitals are made from.

All data is read in place from the shared data folder (read-only, never
copied into the repository): MedPix 2.0 teaching cases, PhysioNet deid
nursing notes with gold PHI spans, and the Synthea FHIR bulk export.
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

#: Environment variable overriding the shared data folder.
SHARED_DATA_ENV = "FEDNET_SHARED_DATA"

MEDPIX_CASES = Path("medpix2") / "Case_topic.json"
PHYSIONET_NOTES = Path("physionet-deid") / "gold_dev.jsonl"
SYNTHEA_DIR = Path("fhir") / "synthea-bulk-10-patients"

_AGE_SEX = re.compile(
    r"\b(\d{1,3})\s*(?:-\s*|\s)?(?:years?|yrs?|y)\.?(?:\s*-\s*|\s+|/)?(?:old|o)?\.?\s*"
    r"(?:[a-z-]+\s+){0,3}?"
    r"(male|female|man|woman|boy|girl|gentleman|lady|m|f)\b",
    re.IGNORECASE,
)
_FEMALE = {"female", "woman", "girl", "lady", "f"}


def default_shared_data() -> Path:
    """Locate the shared data folder.

    Returns
    -------
    Path
        ``$FEDNET_SHARED_DATA`` when set, else ``<project root>/../shared/data``.
    """
    env = os.environ.get(SHARED_DATA_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


def parse_age_sex(text: str) -> tuple[int, str] | None:
    """Find the first "73-year-old male" style statement.

    Parameters
    ----------
    text:
        Free text.

    Returns
    -------
    tuple of (int, str) or None
        Age in years and ``"female"``/``"male"``, or ``None``.
    """
    m = _AGE_SEX.search(text)
    if not m:
        return None
    age = int(m.group(1))
    if age > 110:
        return None
    return age, "female" if m.group(2).lower() in _FEMALE else "male"


@dataclass(frozen=True)
class MedPixCase:
    """One MedPix teaching case with a stated age and sex.

    Attributes
    ----------
    uid:
        MedPix case id (``MPX1009``).
    title, history, exam, findings, diagnosis, treatment:
        Case sections (``""`` when absent or ``N/A``).
    age, sex:
        Parsed from the history.
    """

    uid: str
    title: str
    history: str
    exam: str
    findings: str
    diagnosis: str
    treatment: str
    age: int
    sex: str


def _section(case: dict[str, str], key: str) -> str:
    value = (case.get(key) or "").strip()
    return "" if value.upper() in {"N/A", "NA", "NONE"} else value


@lru_cache(maxsize=4)
def load_medpix(shared: Path) -> tuple[MedPixCase, ...]:
    """Load the MedPix cases whose history states an adult or child age and sex.

    Parameters
    ----------
    shared:
        Shared data folder.

    Returns
    -------
    tuple of MedPixCase
        In file order; cases without a parsable "N-year-old male/female" are left out.
    """
    raw = json.loads((shared / MEDPIX_CASES).read_text(encoding="utf-8"))
    out: list[MedPixCase] = []
    for rec in raw:
        case = rec.get("Case", {})
        history = _section(case, "History")
        parsed = parse_age_sex(history)
        findings = _section(case, "Findings")
        if not parsed or not findings or parsed[0] < 1:
            continue
        out.append(MedPixCase(
            uid=rec["U_id"], title=_section(case, "Title"), history=history,
            exam=_section(case, "Exam"), findings=findings,
            diagnosis=_section(case, "Case Diagnosis") or _section(case, "Title"),
            treatment=_section(case, "Treatment & Follow Up"), age=parsed[0], sex=parsed[1],
        ))
    return tuple(out)


@dataclass(frozen=True)
class PhiSpan:
    """A gold PHI span of a PhysioNet note (0-based, end exclusive)."""

    start: int
    end: int
    type: str
    text: str


@dataclass(frozen=True)
class PhysioNetNote:
    """One PhysioNet deid nursing note.

    Attributes
    ----------
    patient, note:
        Corpus patient and note numbers.
    text:
        Note text (already surrogate PHI).
    phi:
        Gold PHI spans, sorted by start.
    """

    patient: int
    note: int
    text: str
    phi: tuple[PhiSpan, ...]


@lru_cache(maxsize=4)
def load_physionet(shared: Path) -> dict[int, tuple[PhysioNetNote, ...]]:
    """Load the PhysioNet notes grouped by corpus patient, in note order.

    Parameters
    ----------
    shared:
        Shared data folder.

    Returns
    -------
    dict
        Corpus patient number -> its notes sorted by note number.
    """
    groups: dict[int, list[PhysioNetNote]] = {}
    with (shared / PHYSIONET_NOTES).open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            spans = tuple(sorted(
                (PhiSpan(p["start"], p["end"], p["type"], p["text"]) for p in rec["phi"]),
                key=lambda s: s.start,
            ))
            groups.setdefault(rec["patient"], []).append(
                PhysioNetNote(rec["patient"], rec["note"], rec["text"], spans))
    return {k: tuple(sorted(v, key=lambda n: n.note)) for k, v in sorted(groups.items())}


@dataclass(frozen=True)
class SyntheaNote:
    """One Synthea clinical note (DocumentReference).

    Attributes
    ----------
    doc_id:
        DocumentReference id.
    when:
        Note date.
    type:
        LOINC display of the first type coding.
    text:
        Decoded note text.
    """

    doc_id: str
    when: date
    type: str
    text: str


@dataclass(frozen=True)
class SyntheaPatient:
    """A Synthea patient with the name tokens its notes carry.

    Attributes
    ----------
    patient_id:
        Patient resource id.
    given, family:
        Name tokens exactly as in the notes (``Sumiko254``, ``Larue605``).
    prefix:
        Name prefix (``Mrs.``) or ``""``.
    birth_date:
        Synthea birth date.
    sex:
        ``female``/``male``.
    notes:
        Notes sorted by date.
    """

    patient_id: str
    given: tuple[str, ...]
    family: str
    prefix: str
    birth_date: date
    sex: str
    notes: tuple[SyntheaNote, ...]


@lru_cache(maxsize=4)
def load_synthea(shared: Path) -> tuple[SyntheaPatient, ...]:
    """Load Synthea patients that have notes.

    Parameters
    ----------
    shared:
        Shared data folder.

    Returns
    -------
    tuple of SyntheaPatient
        Sorted by patient id.
    """
    folder = shared / SYNTHEA_DIR
    notes: dict[str, list[SyntheaNote]] = {}
    with (folder / "DocumentReference.000.ndjson").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            doc = json.loads(line)
            pid = doc["subject"]["reference"].split("/", 1)[1]
            text = base64.b64decode(doc["content"][0]["attachment"]["data"]).decode("utf-8")
            notes.setdefault(pid, []).append(SyntheaNote(
                doc_id=doc["id"], when=date.fromisoformat(doc["date"][:10]),
                type=doc["type"]["coding"][0].get("display", "Clinical note"), text=text))
    out: list[SyntheaPatient] = []
    with (folder / "Patient.000.ndjson").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            pat = json.loads(line)
            if pat["id"] not in notes:
                continue
            name = pat["name"][0]
            out.append(SyntheaPatient(
                patient_id=pat["id"], given=tuple(name.get("given", [])),
                family=name.get("family", ""), prefix=" ".join(name.get("prefix", [])),
                birth_date=date.fromisoformat(pat["birthDate"]),
                sex=pat.get("gender", "unknown"),
                notes=tuple(sorted(notes[pat["id"]], key=lambda n: (n.when, n.doc_id)))))
    return tuple(sorted(out, key=lambda p: p.patient_id))


@lru_cache(maxsize=4)
def corpus_words(shared: Path) -> frozenset[str]:
    """Lower-cased words of all source texts.

    A planted name that is also a word of some source text (``bell``,
    ``grant``, ``parkinson``, a surrogate name of the PhysioNet corpus) could
    occur in a note by coincidence; generators exclude these.

    Parameters
    ----------
    shared:
        Shared data folder.

    Returns
    -------
    frozenset of str
    """
    words: set[str] = set()
    rx = re.compile(r"[a-z]+")
    for case in json.loads((shared / MEDPIX_CASES).read_text(encoding="utf-8")):
        for section in (case.get("Case", {}), case.get("Topic", {})):
            for value in section.values():
                words.update(rx.findall(str(value).lower()))
    for notes in load_physionet(shared).values():
        for note in notes:
            words.update(rx.findall(note.text.lower()))
    for pat in load_synthea(shared):
        for note in pat.notes[:40]:
            words.update(rx.findall(note.text.lower()))
    return frozenset(words)
