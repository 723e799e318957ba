"""Training examples for the PHI tagger: annotated notes with re-drawn PHI plus synthetic notes.

Every epoch draws new PHI values (:func:`epoch_texts`), so no name, place or date of the corpus is
seen twice in the same context and the model has to learn contexts. Folds are by patient
(:func:`patient_fold`): no patient's notes are on both sides of a split.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

from deid.evaluation import GoldNote
from deid.synth.swap import LabeledText, swap_phi
from deid.synth.templates import synthetic_note
from deid.synth.values import PhiFactory
from deid.tagger.labels import gold_class


def patient_fold(patient: str | None, k: int, seed: int = 0) -> int:
    """Fold (0..k-1) of a patient, stable across runs and machines."""
    digest = hashlib.sha256(f"{seed}:{patient}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % k


def split_by_patient(notes: Sequence[GoldNote], k: int, fold: int, seed: int = 0) -> tuple[list[GoldNote], list[GoldNote]]:
    """``(rest, held_out)``: the notes of fold ``fold`` and of all other folds."""
    rest, held = [], []
    for n in notes:
        (held if patient_fold(n.patient, k, seed) == fold else rest).append(n)
    return rest, held


def as_labeled(note: GoldNote) -> LabeledText:
    """A gold note with its spans as tagger classes."""
    return LabeledText(note.text, tuple((a, b, gold_class(t)) for a, b, t in note.phi))


def _case_augment(item: LabeledText, rng: random.Random) -> LabeledText:
    r = rng.random()
    if r < 0.08:
        return LabeledText(item.text.upper(), item.spans)
    if r < 0.11:
        return LabeledText(item.text.lower(), item.spans)
    return item


def epoch_texts(gold: Sequence[GoldNote], rng: random.Random, n_synthetic: int, keep_original: float = 0.3,
                phi_free_share: float = 0.35) -> list[LabeledText]:
    """One epoch of labelled texts.

    Parameters
    ----------
    gold:
        Annotated training notes.
    rng:
        Random source (a new seed per epoch draws new PHI).
    n_synthetic:
        Synthetic template notes to add.
    keep_original:
        Share of annotated notes kept with their corpus PHI (the rest is re-drawn).
    phi_free_share:
        Share of PHI-free notes included (they are most of a corpus and teach precision).
    """
    f = PhiFactory(rng)
    out: list[LabeledText] = []
    for note in gold:
        if not note.phi:
            if rng.random() < phi_free_share:
                out.append(_case_augment(LabeledText(note.text, ()), rng))
            continue
        if rng.random() < keep_original:
            out.append(as_labeled(note))
        else:
            out.append(swap_phi(note.text, list(note.phi), f))
    for _ in range(n_synthetic):
        out.append(_case_augment(synthetic_note(f), rng))
    rng.shuffle(out)
    return out
