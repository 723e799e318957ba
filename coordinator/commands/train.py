"""``fedcoord train | evaluate``: federated CLIP-style training across the demo hospitals, zero-shot evaluation."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _defaults():
    """Defaults of the training flags: the typed configuration's (fl_tasks/config.py), never copies."""
    from fl_tasks.config import TrainConfig

    return TrainConfig()


def _config(args: argparse.Namespace):
    from fl_tasks.config import ModelConfig, OptimConfig, PrivacyConfig, TrainConfig

    return TrainConfig(
        model=ModelConfig(image_size=args.image_size, image_trainable_blocks=args.trainable_blocks,
                          full_finetune=args.full_finetune),
        optim=OptimConfig(local_epochs=args.local_epochs, batch_size=args.batch_size, lr=args.lr,
                          fedprox_mu=args.fedprox_mu),
        privacy=PrivacyConfig(secagg=not args.no_secagg, dp=args.dp, dp_noise_multiplier=args.noise_multiplier,
                              dp_clipping_norm=args.clip),
        rounds=args.rounds, strategy="fedprox" if args.fedprox_mu > 0 else "fedavg")


def cmd_train(args: argparse.Namespace) -> int:
    from rich.console import Console

    from fl_tasks.demo import run_federated_demo

    console = Console()
    cfg = _config(args)
    if args.superlink:
        return train_deployed(args, cfg, console)
    data = ("data from each node's store, opt-outs applied" if args.source == "nodes"
            else "non-IID MedPix 2.0 train shares, no node stores")
    console.print(f"[bold]federated training[/]: 3 demo hospitals ({data}), {cfg.rounds} rounds, "
                  f"SecAgg+ {'on' if cfg.privacy.secagg else 'off'}, DP {'on' if cfg.privacy.dp else 'off'} -> {args.out}")
    from fl_tasks.data import DataError

    try:
        result = run_federated_demo(Path(args.out), rounds=cfg.rounds, config=cfg,
                                    medpix_dir=Path(args.data) if args.data else None,
                                    cache_dir=Path(args.cache) if args.cache else None,
                                    centralized=not args.no_centralized, progress=not args.quiet,
                                    warm_start=Path(args.warm_start) if args.warm_start else None, source=args.source)
    except DataError as exc:
        console.print(f"[red bold]fedcoord train[/]: {exc}")
        return 2
    console.print(f"final global checkpoint: {result.checkpoint}\nmodel card: {result.model_card}\nplot: {result.plot}")
    return 0


def train_deployed(args: argparse.Namespace, cfg, console) -> int:
    """``--superlink``: a training run across the real nodes, through the coordinator service.

    The service signs the run permit for the connected sites and submits the run; each node
    checks the permit and prepares its own store's data, then the rounds run with SecAgg+ (and
    DP with ``--dp``), every node auditing the run and its rounds. This prints each round as it
    is scored and the per-round table at the end; checkpoints are in the run folder.
    """
    import time

    from coordinator.network.client import ServiceClient, ServiceUnavailable
    from fl_tasks.report import metrics_table

    try:
        client = ServiceClient.for_dir(Path(args.dir), args.superlink, args.service)
        run = client.train(cfg.model_dump(mode="json"), name=args.name, round_timeout_s=args.round_timeout,
                           sites=args.sites.split(",") if args.sites else None)
        console.print(f"[bold]federated training over the Deployment Engine[/]: run {run['name']} (Flower run "
                      f"{run['run_id']}) on {', '.join(run['sites'])}, {cfg.rounds} rounds, SecAgg+ "
                      f"{'on' if cfg.privacy.secagg else 'off'}, DP {'on' if cfg.privacy.dp else 'off'} -> {run['out_dir']}")
        shown, deadline = 0, time.monotonic() + args.timeout
        while True:
            status = client.train_status(run["name"])
            for row in status["rows"][shown:]:
                console.print(f"round {row['round']}: modality {100 * row['modality_accuracy']:.1f}% region "
                              f"{100 * row['region_accuracy']:.1f}% R@5 {100 * row['recall_at_5']:.1f}% held-out loss "
                              f"{row['held_out_loss']:.3f} ({row.get('round_seconds', 0):.1f} s)")
            shown = len(status["rows"])
            if status["status"] != "running" or time.monotonic() > deadline:
                break
            time.sleep(2.0)
    except ServiceUnavailable as exc:
        console.print(f"[red bold]fedcoord train[/]: {exc}")
        return 1
    if status["rows"]:
        console.print(metrics_table(status["rows"], title=f"run {run['name']}: zero-shot metrics per round"))
    if status["prepare"]:
        console.print("nodes: " + "; ".join(f"{site}: {a.get('pairs', a.get('reason'))}"
                                            for site, a in sorted(status["prepare"].items())))
    done = status["status"] == "finished" and len(status["rows"]) == cfg.rounds + 1
    if done and args.report:
        for path in write_report(Path(args.report), cfg, status):
            console.print(f"{path.name}: {path}")
    if not done:
        console.print(f"[red bold]run {run['name']} {status['status']}[/] after {len(status['rows'])} scored rounds; "
                      f"see {run['out_dir']}/serverapp.log")
    return 0 if done else 1


def write_report(folder: Path, cfg, status: dict) -> list[Path]:
    """The final checkpoint, the model card and the curves of a run over the Deployment Engine.

    No centralized baseline: on a real network nobody holds the pooled data to train one.
    """
    import shutil

    from fl_tasks.model import build_head, get_arrays, n_trainable
    from fl_tasks.report import model_card, plot_curves

    run_dir = Path(status["out_dir"])
    folder.mkdir(parents=True, exist_ok=True)
    checkpoint = folder / "global_final.pt"
    shutil.copyfile(run_dir / "global_final.pt", checkpoint)
    sites = {site: {"pairs": int(a.get("pairs", 0))} for site, a in sorted((status["prepare"] or {}).items())
             if a.get("status") == "ok"}
    head = build_head(cfg.model)
    card = model_card(folder / "MODEL_CARD.md", cfg, status["rows"], None, sites, checkpoint, n_trainable(head),
                      sum(a.nbytes for a in get_arrays(head)))
    return [checkpoint, card, plot_curves(folder / "training_curves.png", status["rows"])]


def _public_pairs(args: argparse.Namespace, cases: tuple[str, ...]):
    """The public pairs of the demo's public cases: from the coordinator's store, else the MedPix folder."""
    from fl_tasks.data import MedPixFolderSource

    if not args.store:
        return MedPixFolderSource(args.medpix, cases=cases), None
    from coordinator.commands.public_data import _store_uri
    from coordinator.public_data import open_public_store
    from coordinator.public_data.pairs import PublicPairSource

    store = open_public_store(_store_uri(args.store), args.database)
    return PublicPairSource(store, Path(args.public_data), sources=["medpix"], cases=cases), store


def cmd_pretrain(args: argparse.Namespace) -> int:
    from rich.console import Console

    from fl_tasks.data import load_splits
    from fl_tasks.demo import default_medpix_dir
    from fl_tasks.warm_start import load_warm_start, pretrain_on_public, public_cases

    console = Console()
    args.medpix = Path(args.data) if args.data else default_medpix_dir()
    cfg = _config(args)
    cases = public_cases(args.medpix, fraction=args.public_fraction)
    dev = load_splits(args.medpix).get("dev", [])
    pairs, store = _public_pairs(args, cases)
    try:
        out = pretrain_on_public(pairs, cfg, Path(args.cache or Path(args.out).parent / "cache"), Path(args.out),
                                 epochs=args.epochs, exclude_groups=dev, progress=not args.quiet)
    finally:
        if store is not None:
            store.close()
    warm = load_warm_start(out, cfg.model)
    console.print(f"warm start: pretrained on {len(warm.public_cases)} public cases ({args.epochs} epochs) -> {out}\n"
                  f"use it: fedcoord train --warm-start {out} (same --image-size/--trainable-blocks)")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from fl_tasks.evaluate import evaluate_folder

    data, ckpt = Path(args.data), Path(args.checkpoint)
    for path, what in ((data, "--data folder"), (ckpt, "--checkpoint file")):
        if not path.exists():
            print(f"fedcoord evaluate: {what} {path} does not exist")
            return 2
    result = evaluate_folder(data, ckpt, cache_dir=Path(args.cache) if args.cache else None, split=args.split)
    if args.json:
        print(json.dumps({"modality_accuracy": result.modality_accuracy, "region_accuracy": result.region_accuracy,
                          "recall_at_5": result.recall_at_5, **{k: v for k, v in result.to_dict().items()
                                                                 if k not in ("modality_accuracy", "region_accuracy", "recall_at_5")}}))
        return 0
    print(f"zero-shot evaluation of {ckpt} on {data}{' (' + args.split + ' split)' if args.split else ''}: "
          f"{result.n_images} images")
    print(f"  modality (CT vs MR)   accuracy {100 * result.modality_accuracy:5.1f}%")
    print(f"  body region (5)       accuracy {100 * result.region_accuracy:5.1f}%")
    print(f"  image<->text retrieval recall@1 {100 * result.recall_at_1:5.1f}%  recall@5 {100 * result.recall_at_5:5.1f}%"
          f"  recall@10 {100 * result.recall_at_10:5.1f}%")
    print(f"  held-out contrastive loss {result.held_out_loss:.3f}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    d = _defaults()
    p = sub.add_parser("train", help="federated CLIP-style training across the demo hospitals (Flower simulation)",
                       description="Train a CLIP-style model with Flower (SecAgg+ on by default) across the demo "
                                   "hospitals on the de-identified images in each node's store (fedcoord demo --out OUT "
                                   "fills them), evaluate zero-shot on the MedPix 2.0 dev split after every round, and "
                                   "train the centralized baseline on the pooled node features.")
    p.add_argument("--out", default="runs/train", help="run folder (results in OUT/training/; nodes in OUT/nodes/)")
    p.add_argument("--source", choices=("nodes", "medpix"), default="nodes",
                   help="training data: each demo node's store (default; needs fedcoord demo --out OUT first) or "
                        "non-IID shares read straight from the MedPix folder (quick runs without nodes)")
    p.add_argument("--data", help="MedPix 2.0 folder (default ../shared/data/medpix2): evaluation, and --source medpix")
    p.add_argument("--cache", help="feature cache folder to reuse across runs (default OUT/training/cache)")
    p.add_argument("--rounds", type=int, default=d.rounds)
    p.add_argument("--local-epochs", type=int, default=d.optim.local_epochs)
    p.add_argument("--batch-size", type=int, default=d.optim.batch_size)
    p.add_argument("--lr", type=float, default=d.optim.lr)
    p.add_argument("--image-size", type=int, default=d.model.image_size)
    p.add_argument("--trainable-blocks", type=int, default=d.model.image_trainable_blocks,
                   help=f"last EfficientNet blocks that train (default {d.model.image_trainable_blocks})")
    p.add_argument("--full-finetune", action="store_true", help="train the whole image tower from pixels (slow)")
    p.add_argument("--fedprox-mu", type=float, default=0.0, help="FedProx proximal term (0 = FedAvg)")
    p.add_argument("--no-secagg", action="store_true", help="plain FedAvg aggregation (the coordinator sees each update)")
    p.add_argument("--dp", action="store_true", help="client-level DP: clip each update, add Gaussian noise")
    p.add_argument("--noise-multiplier", type=float, default=d.privacy.dp_noise_multiplier)
    p.add_argument("--clip", type=float, default=d.privacy.dp_clipping_norm,
                   help="L2 clipping norm of one node's update")
    p.add_argument("--no-centralized", action="store_true", help="skip the centralized baseline")
    p.add_argument("--warm-start", metavar="CKPT", help="start round 1 from this pretrained checkpoint (fedcoord pretrain); "
                                                        "its public cases are dealt to no hospital")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--superlink", metavar="HOST:PORT",
                   help="train across the real nodes over the Flower Deployment Engine, through the coordinator "
                        "service (fedcoord serve --dir DIR) running that SuperLink on this host")
    p.add_argument("--dir", default="var/coordinator", help="with --superlink: the coordinator folder")
    p.add_argument("--service", metavar="URL", help="with --superlink: the service's API (default: DIR/service/service.json)")
    p.add_argument("--name", help="with --superlink: run name (folder DIR/runs/NAME; default a date stamp)")
    p.add_argument("--sites", help="with --superlink: comma-separated sites (default: every connected node)")
    p.add_argument("--round-timeout", type=float, default=120.0,
                   help="with --superlink: seconds a round waits for a node before it counts as dropped (default 120)")
    p.add_argument("--timeout", type=float, default=7200.0, help="with --superlink: give up waiting after this long")
    p.add_argument("--report", metavar="DIR", help="with --superlink: write global_final.pt, MODEL_CARD.md and "
                                                   "training_curves.png of the run into DIR")
    p.set_defaults(func=cmd_train)
    p = sub.add_parser("pretrain", help="warm start: pretrain the CLIP head on public pairs before federated round 1",
                       description="Pretrain the trainable head on the demo's public cases (a seeded fraction of the "
                                   "MedPix 2.0 train split that no hospital holds; never the dev split) and write a "
                                   "checkpoint for fedcoord train --warm-start.")
    p.add_argument("--out", default="runs/pretrain/warm_start.pt", help="checkpoint to write")
    p.add_argument("--data", help="MedPix 2.0 folder (default ../shared/data/medpix2)")
    p.add_argument("--cache", help="feature cache folder (default next to --out)")
    p.add_argument("--public-fraction", type=float, default=0.2, help="share of train cases that are public (default 0.2)")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--store", help="read the pairs from the coordinator's public store (folder or mongodb:// URI; "
                                   "fedcoord import-public) instead of the MedPix folder")
    p.add_argument("--database", default="fednet_coordinator")
    p.add_argument("--public-data", default="../shared/data", help="folder the store's image paths are relative to")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--image-size", type=int, default=128)
    p.add_argument("--trainable-blocks", type=int, default=1)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_pretrain, full_finetune=False, local_epochs=1, fedprox_mu=0.0, no_secagg=False, dp=False,
                   noise_multiplier=0.5, clip=1.0, rounds=1)
    p = sub.add_parser("evaluate", help="zero-shot evaluation of a checkpoint on a MedPix-layout folder",
                       description="Zero-shot modality (CT/MR) and body-region accuracy and image<->text recall@k of a "
                                   "checkpoint on a folder in the MedPix 2.0 layout (Descriptions.json + images/).")
    p.add_argument("--data", required=True, metavar="DIR")
    p.add_argument("--checkpoint", required=True, metavar="FILE")
    p.add_argument("--split", help="only this split of DIR/splits.json (default: every image)")
    p.add_argument("--cache", help="feature cache folder (default: beside the checkpoint)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_evaluate)
