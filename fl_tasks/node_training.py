"""A node's side of training: its prepared training folder, its log, its trust in the coordinator.

Layout under the node's data folder (``<node_dir>``)::

    training/node.json           site id, pair count
    training/node_settings.json  the node's settings (0600): how its ClientApp opens the node's
                                 store and site secret to write the audit log
    training/features.npz        cached trunk features of its de-identified pairs (no text, no ids)
    training/coordinator.pub     the coordinator key whose permits this node accepts
    training/traffic.jsonl       bytes of each update the node sent (numbers only)
    logs/node.log                the node's log (runs, permits, rounds: counts and ids only)

:func:`prepare_node` builds it from any :class:`~fl_tasks.data.PairSource` (the node store's
images: :func:`fl_tasks.node_source.node_store_source`; or a MedPix share in benchmarks and
tests), skipping opted-out patients. Every training folder belongs to a node with a store and a
site secret, because every run is written to the node's audit log (:mod:`fl_tasks.node_audit`):
given no settings, :func:`prepare_node` makes a bare node in ``<node_dir>`` (embedded store,
new site secret).
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
from node.secrets import load_or_create_site_secret
from node.settings import NodeSection, NodeSettings

SETTINGS_FILE = "node_settings.json"


@dataclass
class NodeTraining:
    site_id: str
    node_dir: Path
    features: FeatureSet
    trusted_key_path: Path
    settings: NodeSettings | None = None  # None only for folders made by hand (unit tests): no audit log

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
        settings_path = node_dir / "training" / SETTINGS_FILE
        settings = NodeSettings.model_validate_json(settings_path.read_text()) if settings_path.is_file() else None
        return cls(site_id, node_dir, FeatureSet.load(node_dir / "training" / "features.npz"),
                   node_dir / "training" / "coordinator.pub", settings)


def open_cached(node_dir: Path) -> NodeTraining:
    """:meth:`NodeTraining.open`, once per process while ``training/features.npz`` is unchanged.

    Flower builds a client for every message (SecAgg+ sends four per round), so without this the
    node would reload its features several times a round.
    """
    node_dir = Path(node_dir).resolve()
    features = node_dir / "training" / "features.npz"
    version = features.stat().st_mtime_ns if features.is_file() else -1
    cached = _OPENED.get(str(node_dir))
    if cached is None or cached[0] != version:
        cached = _OPENED[str(node_dir)] = (version, NodeTraining.open(node_dir))
    return cached[1]


_OPENED: dict[str, tuple[int, NodeTraining]] = {}
"""Training folders opened by this process, by folder: (features file version, node)."""


def bare_node_settings(node_dir: Path, site_id: str) -> NodeSettings:
    """Settings of a node that is only a training folder: embedded store and secret in ``node_dir``.

    Built from the packaged defaults alone (no ``FEDNET_*`` or ``MONGODB_URI``): benchmarks and
    tests that train on MedPix shares still get a store for the node's audit log.
    """
    return NodeSettings(node=NodeSection(site_id=site_id, site_name=site_id, data_dir=Path(node_dir).resolve()))


def prepare_node(node_dir: Path, site_id: str, source: PairSource, cfg: ModelConfig, cache_dir: Path,
                 trusted_coordinator_pem: bytes, excluded_pseudonyms: Iterable[str] = (),
                 progress: bool = False, settings: NodeSettings | None = None) -> FeatureSet:
    """Compute (or reuse) the node's cached features and write its training folder.

    ``excluded_pseudonyms``: the node's opt-out registry; those patients' pairs are dropped
    here, before anything is computed (sources also accept the set themselves).
    ``settings``: the node's settings (its store, site secret, site id), recorded in the folder
    so that the node's ClientApp can open the node's audit log; default :func:`bare_node_settings`
    (and a site secret is created if missing).
    """
    if settings is None:
        settings = bare_node_settings(Path(node_dir), site_id)
        load_or_create_site_secret(settings.secret_path)
    if settings.node.site_id != site_id:
        raise ValueError(f"prepare_node: site id {site_id!r} differs from the node settings' "
                         f"{settings.node.site_id!r}; pass the settings of node {site_id!r}")
    excluded = frozenset(excluded_pseudonyms)
    pairs = [p for p in source if p.group not in excluded]
    feats = FeatureCache(cache_dir, cfg, progress=progress).features(pairs)
    out = Path(node_dir) / "training"
    out.mkdir(parents=True, exist_ok=True)
    feats.save(out / "features.npz")
    (out / "coordinator.pub").write_bytes(trusted_coordinator_pem)
    settings_path = out / SETTINGS_FILE
    settings_path.touch(mode=0o600, exist_ok=True)
    settings_path.chmod(0o600)  # may hold the store URI's credentials, like the node's own TOML
    settings_path.write_text(settings.model_dump_json(), encoding="utf-8")
    (out / "node.json").write_text(json.dumps({"site_id": site_id, "pairs": len(feats),
                                               "opted_out_skipped": len(excluded)}))
    node_logger(Path(node_dir), site_id).info("training data prepared: %d image-text pairs (%d opt-out pseudonyms applied)",
                                              len(feats), len(excluded))
    return feats


def node_logger(node_dir: Path, site_id: str) -> logging.Logger:
    """The node's training logger, writing to ``<node_dir>/logs/node.log`` (idempotent, per site).

    The audit log gets its own entries (:mod:`fl_tasks.node_audit`), numbers and ids only.
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
