"""Centralized baseline: the same model, data and compute, with all nodes' data pooled in one place.

One "round" = ``local_epochs`` epochs over the pooled data: the same number of passes over
every example as one federated round, so curves compare round for round.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from fl_tasks.checkpoint import save_checkpoint
from fl_tasks.config import TrainConfig
from fl_tasks.evaluate import Evaluator
from fl_tasks.features import FeatureSet
from fl_tasks.model import build_head, set_arrays
from fl_tasks.train import local_train


def run_centralized(train: FeatureSet, evaluator: Evaluator, cfg: TrainConfig, out_dir: Path,
                    initial: list[np.ndarray] | None = None) -> list[dict]:
    """Train on pooled features for ``cfg.rounds`` rounds, evaluating after each; returns metrics rows.

    ``initial``: round-0 parameters (a warm start); default a fresh head.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    head = build_head(cfg.model)
    if initial is not None:
        set_arrays(head, initial)
    rows = [{"round": 0, "round_seconds": 0.0, **evaluator(head).to_dict()}]
    for rnd in range(1, cfg.rounds + 1):
        start = time.perf_counter()
        local_train(head, train, cfg.optim, round_seed=rnd)
        seconds = time.perf_counter() - start
        rows.append({"round": rnd, "round_seconds": seconds, **evaluator(head).to_dict()})
    with (out_dir / "metrics.jsonl").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    save_checkpoint(out_dir / "centralized_final.pt", head, {"round": cfg.rounds, "metrics": rows[-1]})
    return rows
