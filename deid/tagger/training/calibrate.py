"""Choose the tagger's decision thresholds on validation patients, with the shipped int8 model.

Usage::

    .venv/bin/python -m deid.tagger.training.calibrate --model deid/data/tagger \\
        --gold ../shared/data/physionet-deid/gold_dev.jsonl [--folds 5 --fold 2]

The validation patients are the ones :mod:`deid.tagger.training.train` held out (never trained
on; never the cross-validation fold). Their notes are scored as written and twice more with their
PHI re-drawn (:mod:`deid.synth.swap`): the rules were written against this corpus, so on its own
names they miss less than they will on a hospital's unseen notes; re-drawn names show the rules'
misses the tagger has to cover. Per class the threshold is the lowest at which what the tagger adds
to the rules is PHI at least ``min_precision`` of the time. Writes the thresholds into
``meta.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

from deid.evaluation import load_gold
from deid.synth.swap import LabeledText, swap_phi
from deid.synth.values import PhiFactory
from deid.tagger.encoding import word_labels
from deid.tagger.labels import CLASSES
from deid.tagger.training.data import as_labeled, patient_fold, split_by_patient

REDRAWS = 2


def validation_items(gold: Path, folds: int, fold: int, share: float, seed: int = 0) -> list[LabeledText]:
    """The validation patients' notes: as written, plus ``REDRAWS`` re-drawn copies of each with PHI."""
    notes = load_gold(gold)
    if folds:
        notes, _ = split_by_patient(notes, folds, fold)
    val = [n for n in notes if patient_fold(n.patient, 1000, seed=7) < share * 1000]
    f = PhiFactory(random.Random(20_000 + seed))
    items = []
    for n in val:
        items.append(as_labeled(n))
        if n.phi:
            items += [swap_phi(n.text, list(n.phi), f) for _ in range(REDRAWS)]
    return items


def choose_thresholds(gold: np.ndarray, probs: np.ndarray, rule_hit: np.ndarray,
                      min_precision: float = 0.35) -> dict[str, float]:
    """Per predicted class, the lowest threshold (0.3-0.98) at which the words the tagger adds to the
    rules are PHI at least ``min_precision`` of the time; 0.98 for a class with too little evidence."""
    phi = 1.0 - probs[:, 0]
    pred = np.argmax(probs[:, 1:], axis=1) + 1
    is_phi = gold > 0
    out = {"default": 0.98}
    for k, cls in enumerate(CLASSES[1:], start=1):
        out[cls] = 0.98
        for t in np.round(np.arange(0.3, 0.981, 0.02), 2):
            added = (pred == k) & (phi >= t) & ~rule_hit
            n_added = int(added.sum())
            if n_added >= 5 and (added & is_phi).sum() / n_added >= min_precision:
                out[cls] = float(t)
                break
    return out


def calibrate(model_dir: Path, gold: Path, folds: int = 0, fold: int = -1, share: float = 0.15,
              min_precision: float = 0.35, seed: int = 0) -> dict:
    """Recompute and store the thresholds of the model in ``model_dir``; returns them with figures."""
    from deid.config import load_deid_config
    from deid.pipeline import Deidentifier
    from deid.tagger.runtime import PhiTagger

    tagger = PhiTagger(model_dir)
    config = load_deid_config()
    config.recognizers["learned_tagger"] = config.recognizer("learned_tagger").model_copy(update={"enabled": False})
    rules = Deidentifier(config, b"threshold-choice")
    golds, probs, hits = [], [], []
    for item in validation_items(gold, folds, fold, share, seed):
        words, p = tagger.word_probabilities(item.text)
        if not words.spans:
            continue
        spans = [s for s in rules.analyze(item.text) if rules.redacts(s.entity_type)]
        golds.append(word_labels(words, list(item.spans), CLASSES))
        probs.append(p)
        hits.append(np.array([any(s.start < b and a < s.end for s in spans) for a, b in words.spans], dtype=bool))
    g, p, h = np.concatenate(golds), np.concatenate(probs), np.concatenate(hits)
    thresholds = choose_thresholds(g, p, h, min_precision)
    phi = 1.0 - p[:, 0]
    pred = np.argmax(p[:, 1:], axis=1) + 1
    tagged = phi >= np.array([thresholds[CLASSES[k]] for k in pred])
    union = tagged | h
    is_phi = g > 0
    fig = {"phi_words": int(is_phi.sum()),
           "rules_word_recall": round(float((h & is_phi).sum() / max(1, is_phi.sum())), 4),
           "union_word_recall": round(float((union & is_phi).sum() / max(1, is_phi.sum())), 4),
           "union_word_precision": round(float((union & is_phi).sum() / max(1, union.sum())), 4)}
    meta_path = Path(model_dir) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["thresholds"] = thresholds
    meta["calibration"] = {"min_precision": min_precision, "redraws": REDRAWS, "validation_share": share, **fig}
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return {"thresholds": thresholds, **fig}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--gold", type=Path, required=True)
    p.add_argument("--folds", type=int, default=0)
    p.add_argument("--fold", type=int, default=-1)
    p.add_argument("--validation-share", type=float, default=0.15)
    p.add_argument("--min-precision", type=float, default=0.35)
    args = p.parse_args(argv)
    out = calibrate(args.model, args.gold, args.folds, args.fold, args.validation_share, args.min_precision)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
