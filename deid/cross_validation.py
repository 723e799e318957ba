"""Patient-grouped k-fold cross-validation of the de-identification pipeline.

For each fold the learned tagger is trained again without that fold's patients
(:func:`deid.tagger.training.train.train`), and the whole pipeline — rules plus that fold's
tagger — is scored on the left-out notes. The pooled left-out figures are the *unseen-fold*
figures: no learned weight and no threshold saw those patients. The rules are the same in every
fold; they were written against the whole development set, so for them the figures are still
tuned-on, and the report says so. The *tuned-on* figures score the given pipeline on every note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from deid.config import DeidConfig
from deid.evaluation import EvalReport, GoldNote, detect, load_gold, score_spans


@dataclass
class CrossValidationReport:
    """Unseen-fold and tuned-on figures of one gold set."""

    dataset: str
    folds: int
    unseen: EvalReport
    tuned_on: EvalReport | None
    per_fold: list[EvalReport] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "dataset": self.dataset, "folds": self.folds,
            "unseen_folds": self.unseen.to_json(),
            "per_fold": [{"recall": round(r.recall, 4), "precision": round(r.precision, 4), "n_notes": r.n_notes,
                          "n_gold": r.n_gold} for r in self.per_fold],
            "tuned_on": self.tuned_on.to_json() if self.tuned_on else None,
            "note": "unseen_folds: tagger retrained without each fold's patients; rules unchanged across folds "
                    "(written against this development set). tuned_on: the shipped pipeline on every note.",
        }

    def to_table(self) -> str:
        lines = [f"== {self.dataset}: {self.folds}-fold patient-grouped cross-validation ==",
                 "-- UNSEEN folds (tagger retrained per fold without the fold's patients; rules fixed) --",
                 self.unseen.to_table()]
        lines += [f"   fold {i}: recall {r.recall:.4f}  precision {r.precision:.4f}  ({r.n_notes} notes, {r.n_gold} PHI)"
                  for i, r in enumerate(self.per_fold)]
        if self.tuned_on:
            lines += ["-- TUNED-ON (shipped pipeline, every note; its tagger trained on these notes) --", self.tuned_on.to_table()]
        return "\n".join(lines)


def fold_model(work: Path, gold: Path, k: int, fold: int, epochs: int | None, threads: int,
               overrides: dict | None = None) -> Path:
    """The tagger of one fold (trained with the shipped model's settings, changed by ``overrides``,
    unless ``work/fold<i>/meta.json`` exists)."""
    from deid.tagger.training.train import TrainConfig, train

    out = work / f"fold{fold}"
    if not (out / "meta.json").exists():
        cfg = TrainConfig(gold=[str(gold)], out=str(out), folds=k, fold=fold, threads=threads, **(overrides or {}))
        if epochs:
            cfg.epochs = epochs
        train(cfg)
    return out


def cross_validate(gold: Path, config: DeidConfig, k: int, work: Path, *, epochs: int | None = None,
                   threads: int = 2, tuned_on: bool = True, site_secret: bytes = b"evaluation-only-secret",
                   overrides: dict | None = None) -> CrossValidationReport:
    """Run the k-fold cross-validation (see the module doc).

    Parameters
    ----------
    gold:
        A PhysioNet-style gold file with a ``patient`` per note.
    config:
        The pipeline configuration; its ``learned_tagger.model`` is replaced per fold.
    k:
        Number of patient folds.
    work:
        Folder for the fold models (re-used when present: a rerun only scores).
    overrides:
        :class:`~deid.tagger.training.train.TrainConfig` fields to change (tests use a tiny budget).
    """
    from deid.pipeline import Deidentifier
    from deid.tagger.training.data import split_by_patient

    notes = load_gold(gold)
    if any(n.patient is None for n in notes):
        raise ValueError(f"{gold}: cross-validation needs a patient id on every note (PhysioNet-style 'patient')")
    held_notes: list[GoldNote] = []
    held_spans: list[list] = []
    per_fold = []
    seconds = 0.0
    for fold in range(k):
        _, held = split_by_patient(notes, k, fold)
        model = fold_model(work, gold, k, fold, epochs, threads, overrides)
        cfg = config.model_copy(deep=True)
        cfg.recognizers["learned_tagger"] = cfg.recognizer("learned_tagger").model_copy(update={"model": str(model), "enabled": True})
        spans, elapsed = detect(held, Deidentifier(cfg, site_secret))
        per_fold.append(score_spans(held, spans, elapsed, f"{gold.name} fold {fold}"))
        held_notes += held
        held_spans += spans
        seconds += elapsed
    unseen = score_spans(held_notes, held_spans, seconds, f"{gold.name} (unseen folds)")
    tuned = None
    if tuned_on:
        spans, elapsed = detect(notes, Deidentifier(config, site_secret))
        tuned = score_spans(notes, spans, elapsed, f"{gold.name} (tuned-on)")
    return CrossValidationReport(gold.name, k, unseen, tuned, per_fold)
