"""Benchmark: counts and training rounds over the Flower Deployment Engine, against their baselines.

Builds small real nodes (``tests/network_fixtures.py``: synthetic notes for counts, a teaching
archive of MedPix cases through the real image ingest for training), then in one run:

1. **counts in process**: the full protocol (signed request, permit check, ε, noise, masking,
   audit, secure sum) over the node services called directly, messages passed through JSON;
2. **counts over the Deployment Engine** on loopback: ``fedcoord serve`` (TLS SuperLink, SuperNode
   authentication, the long-running query run) and one ``fednode join`` per node (paced
   SuperNode + node worker), each node its own process group; counts submitted through the
   coordinator service's API, timed from the client (HTTP included), after start-up;
3. **a training round in simulation** (Flower Simulation Engine, SecAgg+) and **over the
   Deployment Engine** for the same work: same nodes, same prepared features, same
   configuration; ``round_seconds`` as the ServerApp records it (evaluation excluded).

Every count asks a new query (ages shift), so none is answered from a node's ledger cache.
Prints p50/p95 and the ratios, with the targets (count p50 <= 4 s; a round within 2x the
simulated one) and the machine's load.

    .venv/bin/python bench/network.py [--counts 20] [--rounds 2] [--sites 3] [--image-size 64] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("FLWR_TELEMETRY_ENABLED", "0")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def counts_in_process(configs, key, permit, n: int, epsilon: float) -> list[float]:
    from coordinator.query.count import run_count
    from coordinator.query.transport import InProcessTransport
    from node.query.service import service_for
    from node.query.where import query_from_cli
    from node.runtime import open_node
    from node.settings import load_settings

    runtimes = [open_node(load_settings(c)) for c in configs]
    try:
        transport = InProcessTransport({rt.settings.node.site_id: service_for(rt) for rt in runtimes})
        run_count(transport, key, permit, query_from_cli("age >= 1", ["sex"]), epsilon)  # warm: snapshots built
        times = []
        for i in range(n):
            start = time.perf_counter()
            result = run_count(transport, key, permit, query_from_cli(f"age >= {10 + i}", ["sex"]), epsilon)
            times.append(time.perf_counter() - start)
            assert result.error is None, result.error
        return times
    finally:
        for rt in runtimes:
            rt.close()


def simulated_round(configs, key, cfg, root: Path, eval_dir: Path) -> list[dict]:
    """The same training in Flower's Simulation Engine: each node prepared by its own prepare step."""
    from fl_tasks.permit import issue_permit
    from fl_tasks.run_spec import RunSpec
    from fl_tasks.simulation import run_simulated
    from node.network.training import prepare_training
    from node.settings import load_settings

    settings = [load_settings(c) for c in configs]
    sites = [s.node.site_id for s in settings]
    spec = RunSpec(train=cfg, permit=issue_permit(key, cfg.model_dump_json(), sites, "bench: simulation"), sites=sites,
                   out_dir=str(root / "simulation"), eval_dir=str(eval_dir), eval_split="dev",
                   cache_dir=str(root / "coordinator-cache"), sim_nodes=[str(s.node.data_dir) for s in settings])
    for s in settings:
        answer = prepare_training(s, spec.to_run_config())
        assert answer["status"] == "ok", answer
    return run_simulated(spec)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sites", type=int, default=3)
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--epsilon", type=float, default=0.05)
    parser.add_argument("--medpix", default=str(REPO.parent / "shared" / "data" / "medpix2"))
    parser.add_argument("--out", help="work folder (default: a temporary one)")
    parser.add_argument("--no-training", action="store_true")
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    from coordinator.demo.loopback import LoopbackNetwork, enrol, free_port
    from coordinator.governance.keys import load_or_create_key
    from coordinator.governance.permits import issue_permit as issue_query_permit
    from fl_tasks.config import ModelConfig, OptimConfig, PrivacyConfig, TrainConfig
    from tests.network_fixtures import build_nodes

    console = Console()
    root = Path(args.out or tempfile.mkdtemp(prefix="fednet-bench-net-"))
    sites = [f"site-{chr(97 + i)}" for i in range(args.sites)]
    console.print(f"load before: {load()} ({os.cpu_count()} CPUs); work folder {root}")
    nodes = build_nodes(root, Path(args.medpix), sites)
    port = free_port()
    coord = root / "coordinator"
    enrol(coord, nodes.configs, f"127.0.0.1:{port}", feature_cache=root / "node-feature-cache")
    key = load_or_create_key(coord)
    permit = issue_query_permit(key, requester="bench", purpose="scientific_research", allowed_fields=["age", "sex"],
                                epsilon_budget=10.0, sites=sites, per_site_results=True)
    inproc = counts_in_process(nodes.configs, key, permit, args.counts, args.epsilon)
    cfg = TrainConfig(model=ModelConfig(image_size=args.image_size, image_trainable_blocks=1, embed_dim=32),
                      optim=OptimConfig(local_epochs=1, batch_size=8), privacy=PrivacyConfig(secagg=True),
                      rounds=args.rounds)
    sim_rows = [] if args.no_training else simulated_round(nodes.configs, key, cfg, root, nodes.medpix.root)

    net = LoopbackNetwork(coord, nodes.configs, root / "logs", port, serve_args=["--eval-data", str(nodes.medpix.root)])
    deployed, de_rows = [], []
    try:
        started = time.perf_counter()
        net.start(sites)
        startup = time.perf_counter() - started
        client = net.client()
        body = permit.model_dump(mode="json")
        for i in range(args.counts):
            start = time.perf_counter()
            result = client.count(body, f"age >= {40 + i}", ["sex"], args.epsilon)
            deployed.append(time.perf_counter() - start)
            assert result["error"] is None and sorted(result["contributing_sites"]) == sites, result
        if not args.no_training:
            run = client.train(cfg.model_dump(mode="json"), name="bench", round_timeout_s=300)
            while (status := client.train_status(run["name"]))["status"] == "running":
                time.sleep(1.0)
            de_rows = status["rows"]
            assert status["status"] == "finished", status
    finally:
        net.stop()

    table = Table(title=f"counts: {args.sites} sites, {args.counts} counts each, new query every time")
    for col in ("transport", "p50 s", "p95 s", "vs in-process (p50)"):
        table.add_column(col, justify="right")
    table.add_row("in process (JSON, no network)", f"{pct(inproc, .5):.3f}", f"{pct(inproc, .95):.3f}", "1.0x")
    table.add_row("Deployment Engine (TLS, node auth, loopback)", f"{pct(deployed, .5):.3f}", f"{pct(deployed, .95):.3f}",
                  f"{pct(deployed, .5) / pct(inproc, .5):.1f}x")
    console.print(table)
    console.print(f"Deployment Engine start-up (SuperLink, query run, {args.sites} nodes connected): {startup:.1f} s; "
                  f"target count p50 <= 4 s: {'met' if pct(deployed, .5) <= 4 else 'MISSED'} ({pct(deployed, .5):.2f} s)")
    if sim_rows and de_rows:
        sim = [r["round_seconds"] for r in sim_rows if r["round"] > 0]
        dep = [r["round_seconds"] for r in de_rows if r["round"] > 0]
        table = Table(title=f"training rounds: {args.sites} nodes, {args.image_size} px, SecAgg+, same features")
        for col in ("engine", "all rounds (mean s)", "rounds 2+ (mean s)", "per round"):
            table.add_column(col, justify="right")
        steady = (lambda xs: statistics.mean(xs[1:]) if len(xs) > 1 else xs[0])  # noqa: E731
        table.add_row("Simulation Engine", f"{statistics.mean(sim):.2f}", f"{steady(sim):.2f}",
                      " ".join(f"{x:.1f}" for x in sim))
        table.add_row("Deployment Engine", f"{statistics.mean(dep):.2f}", f"{steady(dep):.2f}",
                      " ".join(f"{x:.1f}" for x in dep))
        console.print(table)
        ratio, ratio_steady = statistics.mean(dep) / statistics.mean(sim), steady(dep) / steady(sim)
        console.print(f"Deployment Engine / simulation: {ratio:.2f}x over all rounds (round 1 includes the simulation's "
                      f"client start-up), {ratio_steady:.2f}x from round 2 on; target within 2x: "
                      f"{'met' if ratio_steady <= 2 else 'MISSED'} from round 2 on, "
                      f"{'met' if ratio <= 2 else 'MISSED'} over all rounds. Held-out loss after the last round: "
                      f"simulation {sim_rows[-1]['held_out_loss']:.3f}, Deployment Engine {de_rows[-1]['held_out_loss']:.3f}")
    console.print(f"load after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
