"""Benchmark: federated CLIP training rounds with and without Flower, bytes per node, accuracy per round.

On the demo's three non-IID MedPix 2.0 shares (same model, data and local epochs):

1. Flower simulation with SecAgg+ (the default), and with plain FedAvg aggregation;
2. the same FedAvg rounds without Flower: each node's ``local_train`` called in turn in this
   process and averaged with NumPy - the pure compute a round needs;
3. the centralized baseline (all shares pooled, same epochs per round).

Prints per round: wall time of each (Flower overhead ratio = Flower round / no-Flower round),
bytes each node sent, zero-shot modality/region accuracy and recall@5 on the dev split for
federated vs centralized, and the targets. Simulated nodes get both CPUs and train one after
another, like the no-Flower loop.

    .venv/bin/python bench/fl_rounds.py [--rounds 4] [--local-epochs 1] [--cache runs/bench/cache]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fl_tasks.centralized import run_centralized  # noqa: E402
from fl_tasks.config import OptimConfig, PrivacyConfig, TrainConfig  # noqa: E402
from fl_tasks.data import MedPixFolderSource, non_iid_shares  # noqa: E402
from fl_tasks.demo import default_medpix_dir  # noqa: E402
from fl_tasks.evaluate import Evaluator  # noqa: E402
from fl_tasks.features import FeatureCache, FeatureSet  # noqa: E402
from fl_tasks.model import build_head, get_arrays, set_arrays  # noqa: E402
from fl_tasks.node_training import prepare_node  # noqa: E402
from fl_tasks.permit import generate_signing_key, issue_permit, public_pem  # noqa: E402
from fl_tasks.run_spec import RunSpec  # noqa: E402
from fl_tasks.simulation import run_simulated  # noqa: E402
from fl_tasks.train import local_train  # noqa: E402


def without_flower(site_feats: list[FeatureSet], evaluator: Evaluator, cfg: TrainConfig) -> list[dict]:
    """Plain FedAvg in one process: the same local training, no messaging, no secure aggregation."""
    global_arrays = get_arrays(build_head(cfg.model))
    rows = []
    for rnd in range(1, cfg.rounds + 1):
        start = time.perf_counter()
        updates, weights = [], []
        for feats in site_feats:
            head = build_head(cfg.model)
            set_arrays(head, global_arrays)
            local_train(head, feats, cfg.optim, round_seed=rnd)
            updates.append(get_arrays(head))
            weights.append(len(feats))
        global_arrays = [np.average(np.stack([u[i] for u in updates]), axis=0, weights=weights).astype(np.float32)
                         for i in range(len(global_arrays))]
        seconds = time.perf_counter() - start
        head = build_head(cfg.model)
        set_arrays(head, global_arrays)
        rows.append({"round": rnd, "round_seconds": seconds, **evaluator(head).to_dict()})
    return rows


def traffic_per_round(node_dirs: list[Path]) -> dict[int, list[int]]:
    """Bytes each node sent per round (all SecAgg+ stages together)."""
    out: dict[int, list[int]] = defaultdict(list)
    for node in node_dirs:
        per: dict[int, int] = defaultdict(int)
        path = node / "training" / "traffic.jsonl"
        for line in path.read_text().splitlines() if path.exists() else []:
            row = json.loads(line)
            per[int(row["group"])] += row["array_bytes"] + row["opaque_bytes"]
        for rnd, n in per.items():
            out[rnd].append(n)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--local-epochs", type=int, default=1)
    ap.add_argument("--out", default="runs/bench/fl_rounds")
    ap.add_argument("--cache", default="runs/bench/cache")
    ap.add_argument("--data", default=None)
    ap.add_argument("--skip-plain", action="store_true", help="skip the Flower run without SecAgg+")
    args = ap.parse_args()

    medpix = Path(args.data) if args.data else default_medpix_dir()
    out, cache = Path(args.out), Path(args.cache)
    base = TrainConfig(optim=OptimConfig(local_epochs=args.local_epochs), rounds=args.rounds)
    key = generate_signing_key(out / "coordinator.pem")
    t0 = time.perf_counter()
    shares = non_iid_shares(medpix, "train")
    node_dirs, site_feats = [], []
    for share in shares:
        node = out / "nodes" / share.site_id
        for old in (node / "training" / "traffic.jsonl",):
            old.unlink(missing_ok=True)
        site_feats.append(prepare_node(node, share.site_id, MedPixFolderSource(medpix, cases=share.cases), base.model,
                                       cache, public_pem(key.public_key()), progress=True))
        node_dirs.append(node)
    evaluator = Evaluator.from_source(MedPixFolderSource(medpix, split="dev"), FeatureCache(cache, base.model))
    print(f"features ready in {time.perf_counter() - t0:.0f} s: nodes " +
          ", ".join(f"{s.site_id}={len(f)}" for s, f in zip(shares, site_feats)) + f", dev={len(evaluator.feats)}")

    runs: dict[str, list[dict]] = {}
    traffic: dict[str, dict[int, list[int]]] = {}
    variants = [("flower+secagg", True)] + ([] if args.skip_plain else [("flower", False)])
    for name, secagg in variants:
        cfg = base.model_copy(update={"privacy": PrivacyConfig(secagg=secagg)})
        for node in node_dirs:
            (node / "training" / "traffic.jsonl").unlink(missing_ok=True)
        spec = RunSpec(train=cfg, permit=issue_permit(key, cfg.model_dump_json(), [s.site_id for s in shares], "bench"),
                       sites=[s.site_id for s in shares], out_dir=str(out / name), eval_dir=str(medpix),
                       eval_split="dev", cache_dir=str(cache), sim_nodes=[str(n) for n in node_dirs])
        start = time.perf_counter()
        runs[name] = [r for r in run_simulated(spec) if r["round"] > 0]
        print(f"{name}: {time.perf_counter() - start:.0f} s in all (incl. simulation start-up and evaluation)")
        traffic[name] = traffic_per_round(node_dirs)
    runs["no-flower"] = without_flower(site_feats, evaluator, base)
    runs["centralized"] = [r for r in run_centralized(FeatureSet.concat(site_feats), evaluator, base, out / "centralized")
                           if r["round"] > 0]

    update_mb = sum(a.nbytes for a in get_arrays(build_head(base.model))) / 1e6
    print(f"\ntrainable parameters per update: {update_mb:.2f} MB (float32)")
    print("\nround | s flower+secagg | s flower | s no-flower | overhead secagg | overhead plain | "
          "MB/node secagg | MB/node plain")
    for i in range(args.rounds):
        rnd = i + 1
        nf = runs["no-flower"][i]["round_seconds"]
        fs = runs["flower+secagg"][i]["round_seconds"]
        fp = runs["flower"][i]["round_seconds"] if "flower" in runs else float("nan")
        mb_s = np.mean(traffic["flower+secagg"].get(rnd, [0])) / 1e6
        mb_p = np.mean(traffic["flower"].get(rnd, [0])) / 1e6 if "flower" in traffic else float("nan")
        print(f"{rnd:5d} | {fs:15.1f} | {fp:8.1f} | {nf:11.1f} | {fs / nf:15.2f}x | {fp / nf:14.2f}x | "
              f"{mb_s:14.2f} | {mb_p:13.2f}")
    print("\nzero-shot on MedPix 2.0 dev (modality / region / recall@5)")
    print("round | " + " | ".join(f"{k:>22}" for k in runs))
    for i in range(args.rounds):
        print(f"{i + 1:5d} | " + " | ".join(
            f"{100 * r[i]['modality_accuracy']:5.1f} / {100 * r[i]['region_accuracy']:5.1f} / {100 * r[i]['recall_at_5']:5.1f}"
            for r in runs.values()))
    fed, cen = runs["flower+secagg"][-1], runs["centralized"][-1]
    mean_overhead = (np.mean([r["round_seconds"] for r in runs["flower+secagg"]])
                     / np.mean([r["round_seconds"] for r in runs["no-flower"]]) - 1)
    print("\ntargets (final round)")
    print(f"  modality >= 95 %: federated {100 * fed['modality_accuracy']:.1f} %")
    print(f"  region   >= 80 %: federated {100 * fed['region_accuracy']:.1f} %")
    print(f"  federated within 3 points of centralized: modality {100 * (cen['modality_accuracy'] - fed['modality_accuracy']):+.1f}, "
          f"region {100 * (cen['region_accuracy'] - fed['region_accuracy']):+.1f} points (centralized - federated)")
    print(f"  Flower overhead < 10 % of round time: {100 * mean_overhead:.0f} % (SecAgg+ on, mean over rounds)")


if __name__ == "__main__":
    main()
