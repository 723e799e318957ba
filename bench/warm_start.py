"""Benchmark: federated rounds with vs without a warm start on public pairs, same rounds, same run.

The coordinator's public pairs are the demo's public cases (``fl_tasks.warm_start.public_cases``:
a seeded 20 % of the MedPix 2.0 train cases, dealt to no hospital; never the dev split). Both
runs use the same three non-IID node shares of the remaining train cases, the same model,
local epochs and seeds; only round 0's global model differs: a fresh head (cold) or the head
pretrained on the public pairs (warm). Prints zero-shot modality / region accuracy and
recall@5 on the dev split per round for both, and the difference.

    .venv/bin/python bench/warm_start.py [--rounds 3] [--pretrain-epochs 5] [--cache runs/cache] [--no-flower]

``--no-flower`` runs the same FedAvg rounds in this process (each node's ``local_train`` in
turn, NumPy average: what ``bench/fl_rounds.py`` calls "no-flower"); default is Flower's
simulation with plain FedAvg (``--secagg`` for SecAgg+).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fl_tasks.checkpoint import load_checkpoint  # noqa: E402
from fl_tasks.config import OptimConfig, PrivacyConfig, TrainConfig  # noqa: E402
from fl_tasks.data import MedPixFolderSource, load_splits, non_iid_shares  # noqa: E402
from fl_tasks.demo import default_medpix_dir  # noqa: E402
from fl_tasks.evaluate import Evaluator  # noqa: E402
from fl_tasks.features import FeatureCache, FeatureSet  # noqa: E402
from fl_tasks.model import build_head, get_arrays, set_arrays  # noqa: E402
from fl_tasks.node_training import prepare_node  # noqa: E402
from fl_tasks.permit import generate_signing_key, issue_permit, parameters_digest, public_pem  # noqa: E402
from fl_tasks.run_spec import RunSpec  # noqa: E402
from fl_tasks.train import local_train  # noqa: E402
from fl_tasks.warm_start import check_disjoint, pretrain_on_public, public_cases  # noqa: E402


def fedavg_in_process(site_feats: list[FeatureSet], evaluator: Evaluator, cfg: TrainConfig,
                      initial: list[np.ndarray]) -> list[dict]:
    """FedAvg rounds without Flower from ``initial``; rows for rounds 0..cfg.rounds."""
    global_arrays = [a.copy() for a in initial]
    head = build_head(cfg.model)
    set_arrays(head, global_arrays)
    rows = [{"round": 0, **evaluator(head).to_dict()}]
    for rnd in range(1, cfg.rounds + 1):
        updates, weights = [], []
        for feats in site_feats:
            local = build_head(cfg.model)
            set_arrays(local, global_arrays)
            local_train(local, feats, cfg.optim, round_seed=rnd)
            updates.append(get_arrays(local))
            weights.append(len(feats))
        global_arrays = [np.average(np.stack([u[i] for u in updates]), axis=0, weights=weights).astype(np.float32)
                         for i in range(len(global_arrays))]
        set_arrays(head, global_arrays)
        rows.append({"round": rnd, **evaluator(head).to_dict()})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--local-epochs", type=int, default=1)
    ap.add_argument("--pretrain-epochs", type=int, default=5)
    ap.add_argument("--public-fraction", type=float, default=0.2)
    ap.add_argument("--out", default="runs/bench/warm_start")
    ap.add_argument("--cache", default="runs/cache")
    ap.add_argument("--data", default=None)
    ap.add_argument("--no-flower", action="store_true", help="FedAvg in this process instead of Flower's simulation")
    ap.add_argument("--secagg", action="store_true", help="Flower runs with SecAgg+ (default plain FedAvg)")
    args = ap.parse_args()

    medpix = Path(args.data) if args.data else default_medpix_dir()
    out, cache = Path(args.out), Path(args.cache)
    cfg = TrainConfig(optim=OptimConfig(local_epochs=args.local_epochs), rounds=args.rounds,
                      privacy=PrivacyConfig(secagg=args.secagg))
    public = public_cases(medpix, fraction=args.public_fraction)
    dev = load_splits(medpix)["dev"]
    shares = non_iid_shares(medpix, "train", exclude_cases=public)
    check_disjoint(public, {s.site_id: s.cases for s in shares}, dev)

    t0 = time.perf_counter()
    ckpt = pretrain_on_public(MedPixFolderSource(medpix, cases=public), cfg, cache, out / "warm_start.pt",
                              epochs=args.pretrain_epochs, exclude_groups=dev, progress=True)
    head, meta = load_checkpoint(ckpt)
    warm_arrays = get_arrays(head)
    print(f"pretrained on {meta['warm_start']['pairs']} public pairs ({len(public)} cases), {args.pretrain_epochs} "
          f"epochs in {meta['warm_start']['seconds']:.0f} s (total with features {time.perf_counter() - t0:.0f} s); "
          "epoch losses " + ", ".join(f"{x:.3f}" for x in meta["warm_start"]["epoch_losses"]))

    key = generate_signing_key(out / "coordinator.pem")
    node_dirs, site_feats = [], []
    for share in shares:
        node = out / "nodes" / share.site_id
        (node / "training" / "traffic.jsonl").unlink(missing_ok=True)
        site_feats.append(prepare_node(node, share.site_id, MedPixFolderSource(medpix, cases=share.cases), cfg.model,
                                       cache, public_pem(key.public_key()), progress=True))
        node_dirs.append(node)
    print("nodes: " + ", ".join(f"{s.site_id}={len(f)} pairs" for s, f in zip(shares, site_feats))
          + f"; public: {meta['warm_start']['pairs']} pairs; dev: {len(list(MedPixFolderSource(medpix, split='dev')))} images")

    runs: dict[str, list[dict]] = {}
    for name, initial, warm_path in (("cold", get_arrays(build_head(cfg.model)), ""), ("warm", warm_arrays, str(ckpt))):
        start = time.perf_counter()
        if args.no_flower:
            evaluator = Evaluator.from_source(MedPixFolderSource(medpix, split="dev"), FeatureCache(cache, cfg.model))
            runs[name] = fedavg_in_process(site_feats, evaluator, cfg, initial)
        else:
            from fl_tasks.simulation import run_simulated

            spec = RunSpec(train=cfg, permit=issue_permit(key, cfg.model_dump_json(), [s.site_id for s in shares],
                                                          "bench: warm start",
                                                          initial_sha256=parameters_digest(initial) if warm_path else ""),
                           sites=[s.site_id for s in shares], out_dir=str(out / name), eval_dir=str(medpix),
                           eval_split="dev", cache_dir=str(cache), sim_nodes=[str(n) for n in node_dirs],
                           warm_start=str(Path(warm_path).resolve()) if warm_path else "")
            runs[name] = run_simulated(spec)
        print(f"{name}: {time.perf_counter() - start:.0f} s")

    engine = "in-process FedAvg" if args.no_flower else f"Flower simulation, {'SecAgg+' if args.secagg else 'plain FedAvg'}"
    print(f"\nzero-shot on MedPix 2.0 dev, {engine}, {args.local_epochs} local epoch(s)/round "
          "(modality % / region % / recall@5 %)")
    print("round |                 cold |                 warm |      warm - cold (points)")
    for c, w in zip(runs["cold"], runs["warm"]):
        cells = [f"{100 * r['modality_accuracy']:5.1f} / {100 * r['region_accuracy']:5.1f} / {100 * r['recall_at_5']:5.1f}"
                 for r in (c, w)]
        d = [100 * (w[k] - c[k]) for k in ("modality_accuracy", "region_accuracy", "recall_at_5")]
        print(f"{c['round']:5d} | {cells[0]:>20} | {cells[1]:>20} | {d[0]:+5.1f} / {d[1]:+5.1f} / {d[2]:+5.1f}")


if __name__ == "__main__":
    main()
