"""The demo's training part: three simulated hospitals train a CLIP-style model with Flower.

:func:`run_federated_demo` reads each demo hospital's de-identified images from its node
store (``source="nodes"``: :func:`fl_tasks.node_source.node_store_source`, opt-outs applied;
the demo ingested each hospital's teaching archive, a non-IID share of the MedPix 2.0 train
split, see ``coordinator/demo/teaching.py``), prepares each node's training folder (cached
features, trusted coordinator key, the node's settings for its audit log), signs a run permit,
runs federated training in simulation (SecAgg+ on), trains the centralized baseline on the
pooled node features with the same compute, and writes into ``<out_dir>/training/``::

    global_final.pt            the final global checkpoint (fedcoord evaluate --checkpoint ...)
    federated/metrics.jsonl    per-round zero-shot metrics; federated/checkpoints/round_NNN.pt
    centralized/metrics.jsonl  the baseline's per-round metrics
    training_curves.png        the plot; MODEL_CARD.md the model card
    cache/                     cached trunk features (pass cache_dir to keep them across runs)

``source="medpix"`` keeps the earlier path for runs without demo nodes: the shares are dealt
straight from the MedPix folder (:func:`fl_tasks.data.non_iid_shares`) into bare nodes.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

from fl_tasks.config import ModelConfig, TrainConfig
from fl_tasks.data import (NODE_CASES_FILE, DataError, MedPixFolderSource, describe, load_splits, non_iid_shares,
                           read_node_cases)
from fl_tasks.features import FeatureSet
from fl_tasks.node_training import prepare_node
from fl_tasks.permit import generate_signing_key, issue_permit, parameters_digest, public_pem
from fl_tasks.run_spec import RunSpec

REPO = Path(__file__).resolve().parents[1]
DEMO_NODE_CASES = Path("teaching") / NODE_CASES_FILE
"""Where ``fedcoord demo`` records which MedPix cases reach each node (coordinator/demo/teaching.py)."""
DataSource = Literal["nodes", "medpix"]


def default_medpix_dir() -> Path:
    return Path(os.environ.get("FEDNET_SHARED_DATA", REPO.parent / "shared" / "data")) / "medpix2"


@dataclass
class TrainingResult:
    """Where a demo training run left its results, and its per-round metrics."""

    federated: list[dict]
    centralized: list[dict]
    checkpoint: Path
    model_card: Path
    plot: Path
    sites: dict[str, dict[str, int]]
    node_dirs: list[Path]

    def gap_points(self, key: str) -> float:
        """Centralized minus federated, final round, in percentage points."""
        return 100 * (self.centralized[-1][key] - self.federated[-1][key])


def run_federated_demo(out_dir: Path, rounds: int = 5, config: TrainConfig | None = None,
                       medpix_dir: Path | None = None, cache_dir: Path | None = None, seed: int = 0,
                       centralized: bool = True, progress: bool = True,
                       excluded_pseudonyms: dict[str, set[str]] | None = None, warm_start: Path | None = None,
                       exclude_cases: Iterable[str] = (), source: DataSource = "nodes") -> TrainingResult:
    """Run the demo's federated training (simulation) and its centralized baseline.

    Parameters
    ----------
    out_dir : Path
        The demo's run folder (e.g. ``runs/demo``); nodes live in ``<out_dir>/nodes/<site>``.
    rounds : int
        Federated rounds (each ``config.optim.local_epochs`` local epochs).
    excluded_pseudonyms : dict[str, set[str]] | None
        Per site, pseudonyms to skip on top of the node's opt-out registry (``"nodes"``: the
        registry always applies; ``"medpix"``: case ids).
    warm_start : Path | None
        A checkpoint of :func:`fl_tasks.warm_start.pretrain_on_public`: round 0's global model
        (federated and centralized). None of its public cases may be at a node nor in the dev
        split: :class:`~fl_tasks.data.DataError` otherwise.
    exclude_cases : Iterable[str]
        ``"medpix"``: train cases dealt to no node (e.g. the public cases, for a cold run
        comparable with a warm-started one); ``"nodes"``: cases that must be at no node.
    source : {"nodes", "medpix"}
        ``"nodes"``: each node's store, as the demo filled it (``<out_dir>/nodes/<site>/node.toml``,
        written by ``fedcoord demo``); ``"medpix"``: non-IID shares of the MedPix folder.
    """
    from fl_tasks.centralized import run_centralized
    from fl_tasks.evaluate import Evaluator
    from fl_tasks.features import FeatureCache
    from fl_tasks.model import build_head, get_arrays, n_trainable
    from fl_tasks.report import metrics_table, model_card, plot_curves
    from fl_tasks.simulation import run_simulated
    from fl_tasks.warm_start import check_disjoint, load_warm_start

    cfg = (config or TrainConfig()).model_copy(update={"rounds": rounds})
    medpix = Path(medpix_dir or default_medpix_dir())
    root = Path(out_dir) / "training"
    cache = Path(cache_dir or root / "cache")
    for sub in ("federated", "centralized"):
        shutil.rmtree(root / sub, ignore_errors=True)
    key = generate_signing_key(root / "coordinator_key.pem")

    warm = load_warm_start(Path(warm_start), cfg.model) if warm_start else None
    public = set(exclude_cases) | set(warm.public_cases if warm else ())
    dev = load_splits(medpix).get("dev", [])
    pem, extra = public_pem(key.public_key()), excluded_pseudonyms or {}
    if source == "nodes":
        nodes = demo_node_settings(Path(out_dir))
        check_node_cases(Path(out_dir), public, dev)
        prepared = [_prepare_store_node(settings, cfg.model, cache, pem, extra.get(settings.node.site_id, set()), progress)
                    for settings in nodes]
        purpose = "demo: CLIP on the hospitals' de-identified images"
    elif source == "medpix":
        shares = non_iid_shares(medpix, "train", seed=seed, exclude_cases=public)
        if warm:
            check_disjoint(warm.public_cases, {s.site_id: s.cases for s in shares}, dev)
        prepared = [_prepare_medpix_node(Path(out_dir), share.site_id, MedPixFolderSource(medpix, cases=share.cases),
                                         cfg.model, cache, pem, extra.get(share.site_id, set()), progress)
                    for share in shares]
        purpose = "demo: CLIP on MedPix shares"
    else:
        raise ValueError(f"source {source!r}: use 'nodes' (the demo nodes' stores) or 'medpix' (MedPix shares)")
    node_dirs = [str(node_dir) for node_dir, _, _ in prepared]
    site_feats = [feats for _, feats, _ in prepared]
    sites = {site: counts for _, _, (site, counts) in prepared}

    permit = issue_permit(key, cfg.model_dump_json(), list(sites), purpose=purpose,
                          initial_sha256=parameters_digest(warm.arrays) if warm else "")
    spec = RunSpec(train=cfg, permit=permit, sites=list(sites), out_dir=str(root / "federated"),
                   eval_dir=str(medpix), eval_split="dev", cache_dir=str(cache), sim_nodes=node_dirs,
                   warm_start=str(Path(warm_start).resolve()) if warm_start else "")
    federated = run_simulated(spec)
    shutil.copyfile(root / "federated" / "global_final.pt", root / "global_final.pt")

    central: list[dict] = []
    if centralized:
        evaluator = Evaluator.from_source(MedPixFolderSource(medpix, split="dev"), FeatureCache(cache, cfg.model))
        central = run_centralized(FeatureSet.concat(site_feats), evaluator, cfg, root / "centralized",
                                  initial=warm.arrays if warm else None)

    head = build_head(cfg.model)
    card = model_card(root / "MODEL_CARD.md", cfg, federated, central or None, sites, root / "global_final.pt",
                      n_trainable(head), sum(a.nbytes for a in get_arrays(head)))
    plot = plot_curves(root / "training_curves.png", federated, central or None)
    from rich.console import Console

    Console().print(metrics_table(federated, central or None))  # a result, shown with or without progress bars
    return TrainingResult(federated, central, root / "global_final.pt", card, plot, sites, [Path(d) for d in node_dirs])


def demo_node_settings(out_dir: Path) -> list:
    """The settings of every node of a demo run (``<out_dir>/nodes/<site>/node.toml``), by site folder."""
    from node.settings import load_settings

    configs = sorted((Path(out_dir) / "nodes").glob("*/node.toml"))
    if not configs:
        raise DataError(f"{Path(out_dir) / 'nodes'}: no node configuration (<site>/node.toml); run "
                        f"`fedcoord demo --out {out_dir}` first (its nodes ingest the hospitals' teaching archives), "
                        "or train on MedPix shares without nodes: fedcoord train --source medpix")
    return [load_settings(c) for c in configs]


def check_node_cases(out_dir: Path, public: set[str], dev: Iterable[str]) -> None:
    """Stop (``DataError``) if a demo node holds an evaluation case or one of ``public`` (warm start).

    Reads the demo's record of which MedPix cases reached each node (:data:`DEMO_NODE_CASES`,
    written with the teaching archives): without it the nodes hold no training share.
    """
    from fl_tasks.warm_start import check_disjoint

    path = Path(out_dir) / DEMO_NODE_CASES
    if not path.is_file():
        raise DataError(f"{path}: missing: the demo nodes got no teaching archive (their training share; "
                        f"`fedcoord demo --rounds 0` skips it); run `fedcoord demo --out {out_dir}` with --rounds 1 or more")
    node_cases = read_node_cases(path)
    dev_cases = set(dev)
    for site, cases in sorted(node_cases.items()):
        if cases & dev_cases:
            raise DataError(f"node {site!r} holds {len(cases & dev_cases)} case(s) of the dev split, the evaluation "
                            f"set ({path}); run fedcoord demo again (it deals train cases only)")
    if public:
        check_disjoint(public, node_cases, dev_cases)


def _prepare_store_node(settings, model: ModelConfig, cache: Path, pem: bytes, extra_excluded: set[str],
                        progress: bool) -> tuple[Path, FeatureSet, tuple[str, dict[str, int]]]:
    """One node's training folder from its own store (opt-out registry applied)."""
    from fl_tasks.node_source import node_store_source

    site = settings.node.site_id
    with node_store_source(settings) as source:
        pairs = [p for p in source if p.group not in extra_excluded]
        if not pairs:
            raise DataError(f"node {site!r}: no de-identified images in its store to train on; ingest its teaching "
                            "archive (fedcoord demo with --rounds > 0 does)")
        feats = prepare_node(settings.node.data_dir, site, pairs, model, cache, pem,
                             excluded_pseudonyms=set(source.excluded) | extra_excluded, progress=progress,
                             settings=settings)
    return Path(settings.node.data_dir), feats, (site, {"pairs": len(feats), **describe(pairs)})


def _prepare_medpix_node(out_dir: Path, site: str, source: MedPixFolderSource, model: ModelConfig, cache: Path,
                         pem: bytes, excluded: set[str], progress: bool) -> tuple[Path, FeatureSet, tuple[str, dict[str, int]]]:
    """One node's training folder from a MedPix share; the node's own settings if the demo made it, else a bare node."""
    from node.settings import load_settings

    node_dir = out_dir / "nodes" / site
    config = node_dir / "node.toml"
    settings = load_settings(config) if config.is_file() else None
    feats = prepare_node(node_dir, site, source, model, cache, pem, excluded_pseudonyms=excluded, progress=progress,
                         settings=settings)
    return node_dir, feats, (site, {"pairs": len(feats), **describe([p for p in source if p.group not in excluded])})
