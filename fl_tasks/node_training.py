"""A node's side of training: its prepared training folder, its log, its trust in the coordinator.

Layout under the node's data folder (``<node_dir>``)::

    training/node.json         site id
    training/features.npz      cached trunk features of its de-identified pairs (no text, no ids)
    training/coordinator.pub   the coordinator key whose permits this node accepts
    training/traffic.jsonl     bytes of each update the node sent (numbers only)
    logs/node.log              the node's log (runs, permits, rounds: counts and ids only)

:func:`prepare_node` builds it from any :class:`~fl_tasks.data.PairSource` (the node store's
images, or a MedPix share in the demo), skipping opted-out patients.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from fl_tasks.config import ModelConfig
from fl_tasks.data import PairSource
from fl_tasks.features import FeatureCache, FeatureSet
from node.logs import LOG_FORMAT


@dataclass
class NodeTraining:
    site_id: str
    node_dir: Path
    features: FeatureSet
    trusted_key_path: Path

    @property
    def log_path(self) -> Path:
        return self.node_dir / "logs" / "node.log"

    @classmethod
    def open(cls, node_dir: Path) -> "NodeTraining":
        node_dir = Path(node_dir)
        meta = node_dir / "training" / "node.json"
        if not meta.is_file():
            raise FileNotFoundError(f"{node_dir}: no training/node.json; prepare the node for training first "
                                    "(fl_tasks.node_training.prepare_node)")
        site_id = json.loads(meta.read_text())["site_id"]
        return cls(site_id, node_dir, FeatureSet.load(node_dir / "training" / "features.npz"),
                   node_dir / "training" / "coordinator.pub")


def prepare_node(node_dir: Path, site_id: str, source: PairSource, cfg: ModelConfig, cache_dir: Path,
                 trusted_coordinator_pem: bytes, excluded_pseudonyms: Iterable[str] = (),
                 progress: bool = False) -> FeatureSet:
    """Compute (or reuse) the node's cached features and write its training folder.

    ``excluded_pseudonyms``: the node's opt-out registry; those patients' pairs are dropped
    here, before anything is computed (sources also accept the set themselves).
    """
    excluded = frozenset(excluded_pseudonyms)
    pairs = [p for p in source if p.group not in excluded]
    feats = FeatureCache(cache_dir, cfg, progress=progress).features(pairs)
    out = Path(node_dir) / "training"
    out.mkdir(parents=True, exist_ok=True)
    feats.save(out / "features.npz")
    (out / "coordinator.pub").write_bytes(trusted_coordinator_pem)
    (out / "node.json").write_text(json.dumps({"site_id": site_id, "pairs": len(feats),
                                               "opted_out_skipped": len(excluded)}))
    node_logger(Path(node_dir), site_id).info("training data prepared: %d image-text pairs (%d opt-out pseudonyms applied)",
                                              len(feats), len(excluded))
    return feats


def node_logger(node_dir: Path, site_id: str) -> logging.Logger:
    """The node's training logger, writing to ``<node_dir>/logs/node.log`` (idempotent, per site).

    Hook for the hash-chained audit log (issue 4): route these records to it as well.
    """
    name = f"fednet.training.{site_id}"
    logger = logging.getLogger(name)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    path = (Path(node_dir) / "logs" / "node.log").resolve()  # FileHandler keeps an absolute path: compare like with like
    if not any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path for h in logger.handlers):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logger.addHandler(handler)
    return logger
