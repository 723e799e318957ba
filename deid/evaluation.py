"""Evaluation of a :class:`~deid.pipeline.Deidentifier` against gold PHI annotations.

Reads two formats (detected from the content):

* PhysioNet deid JSONL: one ``{"patient","note","text","phi":[{"start","end","type","text"}]}`` a line;
* presidio-research JSON: a list of ``{"full_text","spans":[{"entity_type","start_position","end_position"}]}``
  (titles, nationalities/religions, countries and ages under 90 are not PHI under Safe Harbor and are dropped);
* a Synthea FHIR export folder (:func:`load_synthea_gold`).

Metrics (type-agnostic matching):

* a gold PHI is *found* when its whole span (trailing/leading whitespace and
  punctuation ignored) is covered by the union of redacted spans; recall overall and per gold type;
* precision = detected spans overlapping some gold span / all detected spans;
* false positives per PHI-free note (detected spans in notes with no gold PHI).

Spans whose operator is ``keep`` (times) are not redactions and are not counted.
The report never holds note text.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from deid.types import PatientContext


@dataclass
class GoldNote:
    """One annotated note: text, gold spans ``(start, end, type)`` and patient key."""

    text: str
    phi: list[tuple[int, int, str]]
    patient: str | None = None


@dataclass
class EvalReport:
    """Evaluation figures (no text)."""

    recall: float
    precision: float
    notes_per_second: float
    by_type: dict[str, dict[str, float]]
    false_positives_per_phi_free_note: float
    n_notes: int = 0
    n_gold: int = 0
    n_detected: int = 0
    dataset: str = ""
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """Plain dict with keys ``recall``, ``precision``, ``notes_per_second``, ``by_type``,
        ``false_positives_per_phi_free_note`` (plus counts)."""
        return {
            "dataset": self.dataset,
            "recall": round(self.recall, 4),
            "precision": round(self.precision, 4),
            "notes_per_second": round(self.notes_per_second, 1),
            "by_type": self.by_type,
            "false_positives_per_phi_free_note": round(self.false_positives_per_phi_free_note, 4),
            "n_notes": self.n_notes,
            "n_gold": self.n_gold,
            "n_detected": self.n_detected,
        }

    def to_table(self) -> str:
        """A readable fixed-width table."""
        lines = [
            f"dataset: {self.dataset}  notes: {self.n_notes}  gold PHI: {self.n_gold}  detected: {self.n_detected}",
            f"recall {self.recall:.4f}   precision {self.precision:.4f}   "
            f"FP/PHI-free note {self.false_positives_per_phi_free_note:.4f}   {self.notes_per_second:.1f} notes/s",
            f"{'type':<20}{'support':>8}{'recall':>9}{'precision':>11}",
        ]
        for t, d in sorted(self.by_type.items(), key=lambda kv: -kv[1]["support"]):
            prec = f"{d['precision']:.4f}" if "precision" in d else "-"
            lines.append(f"{t:<20}{int(d['support']):>8}{d['recall']:>9.4f}{prec:>11}")
        return "\n".join(lines)


#: presidio-research types that are not identifiers under HIPAA Safe Harbor (the node's policy):
#: titles ("Mr."), nationalities/religions/political groups, countries, and ages under 90.
_NOT_PHI_TYPES = frozenset({"TITLE", "NRP"})


def _not_phi(entity_type: str, value: str) -> bool:
    if entity_type in _NOT_PHI_TYPES:
        return True
    if entity_type == "AGE":
        digits = "".join(c for c in value if c.isdigit())
        return bool(digits) and int(digits[:3]) < 90
    if entity_type == "GPE":
        from deid.lexicon import load_country_names

        return value.strip().lower() in load_country_names()
    return False


def load_synthea_gold(folder: Path) -> list[GoldNote]:
    """Synthea FHIR notes as gold: the patient's name tokens and the note's dates are the PHI.

    ``folder`` is a Synthea bulk export (``Patient*.ndjson``, ``DocumentReference*.ndjson``).
    This is a machine check, not a full annotation: other PHI in the notes is not marked."""
    import base64
    import re

    patients: dict[str, list[str]] = {}
    for path in sorted(Path(folder).glob("Patient*.ndjson")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            tokens = [t for n in rec.get("name", []) for t in [*n.get("given", []), n.get("family", "")] if t]
            patients[rec["id"]] = tokens
    notes = []
    date_rx = re.compile(r"\b(?:19|20)\d{2}-\d{2}-\d{2}(?:T[\d:.+-]+Z?)?")
    for path in sorted(Path(folder).glob("DocumentReference*.ndjson")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            pid = rec.get("subject", {}).get("reference", "").split("/")[-1]
            text = base64.b64decode(rec["content"][0]["attachment"]["data"]).decode("utf-8")
            spans = [(m.start(), m.end(), "Date") for m in date_rx.finditer(text)]
            for tok in patients.get(pid, []):
                spans += [(m.start(), m.end(), "PTName") for m in re.finditer(rf"(?<!\w){re.escape(tok)}(?!\w)", text)]
            notes.append(GoldNote(text, sorted(spans), pid))
    return notes


def load_gold(path: Path) -> list[GoldNote]:
    """Read gold notes: PhysioNet JSONL, presidio-research JSON (detected from the first
    character), or a Synthea FHIR export folder (:func:`load_synthea_gold`)."""
    if Path(path).is_dir():
        return load_synthea_gold(Path(path))
    raw = Path(path).read_text(encoding="utf-8")
    if raw.lstrip().startswith("["):
        notes = []
        for rec in json.loads(raw):
            text = rec["full_text"]
            spans = [(s["start_position"], s["end_position"], s["entity_type"]) for s in rec.get("spans", [])
                     if not _not_phi(s["entity_type"], text[s["start_position"] : s["end_position"]])]
            notes.append(GoldNote(text, spans, None))
        return notes
    notes = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        notes.append(GoldNote(rec["text"], [(p["start"], p["end"], p["type"]) for p in rec["phi"]],
                              str(rec.get("patient")) if rec.get("patient") is not None else None))
    return notes


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace and punctuation at the edges of a gold span."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def detect(notes: list[GoldNote], deidentifier) -> tuple[list[list], float]:
    """Run ``deidentifier`` over the notes: redacted spans per note and seconds taken."""
    t0 = time.perf_counter()
    texts = [n.text for n in notes]
    patients = [PatientContext(n.patient) if n.patient else None for n in notes]
    if hasattr(deidentifier, "analyze_batch"):
        all_spans = deidentifier.analyze_batch(texts, patients)
    else:
        all_spans = [deidentifier.analyze(t, p) for t, p in zip(texts, patients)]
    redacts = getattr(deidentifier, "redacts", lambda _t: True)
    return [[s for s in spans if redacts(s.entity_type)] for spans in all_spans], time.perf_counter() - t0


def evaluate_notes(notes: list[GoldNote], deidentifier, dataset: str = "") -> EvalReport:
    """Score ``deidentifier`` on already-loaded gold notes (see module doc for the metrics)."""
    spans, elapsed = detect(notes, deidentifier)
    return score_spans(notes, spans, elapsed, dataset)


def score_spans(notes: list[GoldNote], all_spans: list[list], elapsed: float = 0.0, dataset: str = "") -> EvalReport:
    """The report for detected (redacted) spans of each note against the gold spans."""
    found_by = defaultdict(int)
    support_by = defaultdict(int)
    det_by = defaultdict(lambda: [0, 0])  # detected type -> [overlapping gold, all]
    tp_det = n_det = fp_free = free_notes = 0
    for note, spans in zip(notes, all_spans):
        covered = bytearray(len(note.text) + 1)
        for s in spans:
            covered[s.start : s.end] = b"\x01" * (s.end - s.start)
        gold = [(*_core(note.text, a, b), t) for a, b, t in note.phi]
        for a, b, t in gold:
            support_by[t] += 1
            if b <= a or all(covered[a:b]):
                found_by[t] += 1
        for s in spans:
            hit = any(s.start < b and a < s.end for a, b, _ in gold)
            tp_det += hit
            det_by[s.entity_type][0] += hit
            det_by[s.entity_type][1] += 1
        n_det += len(spans)
        if not note.phi:
            free_notes += 1
            fp_free += len(spans)
    n_gold = sum(support_by.values())
    by_type: dict[str, dict[str, float]] = {}
    for t, sup in support_by.items():
        by_type[t] = {"recall": round(found_by[t] / sup, 4), "support": sup}
    for t, (hit, alln) in det_by.items():
        entry = by_type.setdefault(f"detected:{t}", {"recall": float("nan"), "support": 0})
        if t in support_by:
            by_type[t]["precision"] = round(hit / alln, 4)
        entry["precision"] = round(hit / alln, 4)
        entry["detected"] = alln
    by_type = {k: v for k, v in by_type.items() if not k.startswith("detected:")} | {
        k: {"recall": 0.0, "support": 0, "precision": v["precision"], "detected": v["detected"]}
        for k, v in by_type.items() if k.startswith("detected:")
    }
    return EvalReport(
        recall=sum(found_by.values()) / n_gold if n_gold else 1.0,
        precision=tp_det / n_det if n_det else 1.0,
        notes_per_second=len(notes) / elapsed if elapsed > 0 else float("inf"),
        by_type=by_type,
        false_positives_per_phi_free_note=fp_free / free_notes if free_notes else 0.0,
        n_notes=len(notes), n_gold=n_gold, n_detected=n_det, dataset=dataset,
    )


def evaluate_gold(path: Path, deidentifier, limit: int | None = None, half: str | None = None) -> EvalReport:
    """Evaluate ``deidentifier`` on a gold file (PhysioNet JSONL or presidio-research JSON).

    Parameters
    ----------
    path:
        The gold file.
    deidentifier:
        A :class:`~deid.pipeline.Deidentifier` (anything with ``analyze``).
    limit:
        Evaluate only the first ``limit`` notes.
    half:
        ``"even"`` or ``"odd"``: only the records at even or odd positions (0-based) of the file,
        so that the half whose misses were read stays apart from the half that is reported.
    """
    notes = select_half(load_gold(Path(path)), half)
    if limit is not None:
        notes = notes[:limit]
    name = Path(path).name + (f" ({half} records)" if half else "")
    return evaluate_notes(notes, deidentifier, dataset=name)


def select_half(notes: list[GoldNote], half: str | None) -> list[GoldNote]:
    """The records at even (``"even"``) or odd (``"odd"``) positions, or all (``None``)."""
    if half is None:
        return notes
    if half not in ("even", "odd"):
        raise ValueError(f"half must be 'even' or 'odd', not {half!r}")
    return notes[0 if half == "even" else 1 :: 2]
