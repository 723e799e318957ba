"""The demo's training part: three simulated hospitals train a CLIP-style model with Flower.

:func:`run_federated_demo` deals non-IID shares of the MedPix 2.0 train split to the three
demo hospitals, prepares each node's training folder (cached features, trusted coordinator
key), signs a run permit, runs federated training in simulation (SecAgg+ on), trains the
centralized baseline on the pooled shares with the same compute, and writes into
``<out_dir>/training/``::

    global_final.pt            the final global checkpoint (fedcoord evaluate --checkpoint ...)
    federated/metrics.jsonl    per-round zero-shot metrics; federated/checkpoints/round_NNN.pt
    centralized/metrics.jsonl  the baseline's per-round metrics
    training_curves.png        the plot; MODEL_CARD.md the model card
    cache/                     cached trunk features (pass cache_dir to keep them across runs)
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from fl_tasks.config import TrainConfig
from fl_tasks.data import MedPixFolderSource, describe, load_splits, non_iid_shares
from fl_tasks.features import FeatureSet
from fl_tasks.node_training import prepare_node
from fl_tasks.permit import generate_signing_key, issue_permit, public_pem
from fl_tasks.run_spec import RunSpec

REPO = Path(__file__).resolve().parents[1]


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

    def gap_points(self, key: str) -> float:
        """Centralized minus federated, final round, in percentage points."""
        return 100 * (self.centralized[-1][key] - self.federated[-1][key])


def run_federated_demo(out_dir: Path, rounds: int = 5, config: TrainConfig | None = None,
                       medpix_dir: Path | None = None, cache_dir: Path | None = None, seed: int = 0,
                       centralized: bool = True, progress: bool = True,
                       excluded_pseudonyms: dict[str, set[str]] | None = None, warm_start: Path | None = None,
                       exclude_cases: Iterable[str] = ()) -> TrainingResult:
    """Run the demo's federated training (simulation) and its centralized baseline.

    Parameters
    ----------
    out_dir : Path
        The demo's run folder (e.g. ``runs/demo``); nodes live in ``<out_dir>/nodes/<site>``.
    rounds : int
        Federated rounds (each ``config.optim.local_epochs`` local epochs).
    excluded_pseudonyms : dict[str, set[str]] | None
        Per site, the pseudonyms in its opt-out registry (issue 4): skipped before training.
    warm_start : Path | None
        A checkpoint of :func:`fl_tasks.warm_start.pretrain_on_public`: round 0's global model
        (federated and centralized). Its public cases are dealt to no node, and the run stops
        with :class:`~fl_tasks.data.DataError` if one is in the dev split.
    exclude_cases : Iterable[str]
        Train cases dealt to no node (e.g. the public cases, for a cold run comparable with a
        warm-started one).
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
    shares = non_iid_shares(medpix, "train", seed=seed, exclude_cases=public)
    if warm:
        check_disjoint(warm.public_cases, {s.site_id: s.cases for s in shares}, load_splits(medpix).get("dev", []))
    node_dirs, site_feats, sites = [], [], {}
    for share in shares:
        node_dir = Path(out_dir) / "nodes" / share.site_id
        source = MedPixFolderSource(medpix, cases=share.cases)
        excluded = (excluded_pseudonyms or {}).get(share.site_id, set())
        feats = prepare_node(node_dir, share.site_id, source, cfg.model, cache, public_pem(key.public_key()),
                             excluded_pseudonyms=excluded, progress=progress)
        node_dirs.append(str(node_dir))
        site_feats.append(feats)
        sites[share.site_id] = {"pairs": len(feats), **describe([p for p in source if p.group not in excluded])}

    permit = issue_permit(key, cfg.model_dump_json(), [s.site_id for s in shares], purpose="demo: CLIP on MedPix shares")
    spec = RunSpec(train=cfg, permit=permit, sites=[s.site_id for s in shares], out_dir=str(root / "federated"),
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
    return TrainingResult(federated, central, root / "global_final.pt", card, plot, sites)
