"""Warm start: the coordinator pretrains the trainable head on public pairs before federated round 1.

:func:`pretrain_on_public` trains a fresh :class:`~fl_tasks.model.ClipHead` on the cached
features of any :class:`~fl_tasks.data.PairSource` (the coordinator's
:class:`coordinator.public_data.pairs.PublicPairSource`, or a MedPix folder restricted to
public cases) with the same ``local_train`` the centralized baseline runs, and writes a
checkpoint whose metadata lists the case ids (``group``) it saw. A federated run started with
``warm_start=<checkpoint>`` begins from those parameters (the ServerApp strategy's initial
parameters) and leaves those cases out of the nodes' shares.

Which public pairs qualify (see docs/training.md): in the demo, a fixed, seeded fraction of the
MedPix 2.0 *train* cases (:func:`public_cases`) is published by the coordinator and never dealt
to a node; the dev split, used for evaluation, is never public. :func:`check_disjoint` enforces
both before any federated round runs.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable

import numpy as np

from fl_tasks.checkpoint import load_checkpoint, save_checkpoint
from fl_tasks.config import ModelConfig, TrainConfig
from fl_tasks.data import PUBLIC_FRACTION, DataError, PairSource, public_cases  # noqa: F401 - re-exported
from fl_tasks.features import FeatureCache
from fl_tasks.model import build_head, get_arrays
from fl_tasks.train import local_train

__all__ = ["PUBLIC_FRACTION", "WarmStart", "check_disjoint", "load_warm_start", "pretrain_on_public", "public_cases"]


def check_disjoint(public: Iterable[str], nodes: dict[str, Iterable[str]], evaluation: Iterable[str]) -> None:
    """Raise :class:`DataError` if a public case is also a node's case or an evaluation case."""
    public_set = set(public)
    for site, cases in nodes.items():
        shared = public_set & set(cases)
        if shared:
            raise DataError(f"warm start: {len(shared)} public case(s) are also in node {site!r}'s share; "
                            "deal the shares with exclude_cases=<the checkpoint's public cases>")
    leaked = public_set & set(evaluation)
    if leaked:
        raise DataError(f"warm start: {len(leaked)} public case(s) are in the evaluation split; "
                        "pretrain on pairs outside the dev split (exclude_groups=...)")


def pretrain_on_public(pairs: PairSource, cfg: TrainConfig, cache_dir: Path, out: Path, epochs: int = 5,
                       exclude_groups: Iterable[str] = (), progress: bool = False) -> Path:
    """Pretrain the trainable head on public ``pairs``; write and return the checkpoint ``out``.

    Parameters
    ----------
    pairs : PairSource
        Public image-caption pairs (e.g. ``PublicPairSource`` or ``MedPixFolderSource(cases=...)``).
    cfg : TrainConfig
        The federated run's configuration: ``cfg.model`` must be the one the run will use
        (same trainable parameters); ``cfg.optim`` (lr, batch size, seed) drives pretraining.
    cache_dir : Path
        Feature cache folder (shared with the run: same trunk outputs).
    out : Path
        Checkpoint to write (``fednet-clip-head/1`` format, :func:`fl_tasks.checkpoint.load_checkpoint`).
    epochs : int
        Passes over the public pairs.
    exclude_groups : Iterable[str]
        Case ids to drop before anything is computed (the nodes' and the evaluation's cases).

    The checkpoint's metadata holds ``warm_start.public_cases`` (the case ids trained on), so a
    federated run can prove its node shares and evaluation split are disjoint from them.
    """
    excluded = frozenset(exclude_groups)
    kept = [p for p in pairs if p.group not in excluded]
    if not kept:
        raise DataError("warm start: no public pairs left to pretrain on (source empty or every case excluded)")
    feats = FeatureCache(Path(cache_dir), cfg.model, progress=progress).features(kept)
    head = build_head(cfg.model)
    start = time.perf_counter()
    losses = [local_train(head, feats, cfg.optim, epochs=1, round_seed=1000 + e).loss for e in range(epochs)]
    meta = {"round": 0, "warm_start": {"public_cases": sorted({p.group for p in kept}), "pairs": len(kept),
                                       "epochs": epochs, "epoch_losses": losses,
                                       "seconds": time.perf_counter() - start}}
    return save_checkpoint(Path(out), head, meta)


class WarmStart:
    """A loaded warm-start checkpoint: initial parameters and the public cases behind them."""

    def __init__(self, arrays: list[np.ndarray], public: tuple[str, ...], path: Path) -> None:
        self.arrays = arrays
        self.public_cases = public
        self.path = path


def load_warm_start(path: Path, model: ModelConfig) -> WarmStart:
    """Load ``path`` for a run with ``model``; errors name the file and what to do."""
    head, meta = load_checkpoint(Path(path))
    if head.cfg != model:
        raise ValueError(f"{path}: pretrained with model config {head.cfg.model_dump()} but the run uses "
                         f"{model.model_dump()}; pretrain again with the run's --image-size/--trainable-blocks")
    public = tuple((meta.get("warm_start") or {}).get("public_cases") or ())
    if not public:
        raise ValueError(f"{path}: not a warm-start checkpoint (no warm_start.public_cases in its metadata); "
                         "write one with fl_tasks.warm_start.pretrain_on_public (fedcoord pretrain)")
    return WarmStart(get_arrays(head), public, Path(path))
