"""Run a federated training in Flower's Simulation Engine (one process, Ray-backed SuperNodes)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from fl_tasks.run_spec import RunSpec


def flower_env(flwr_home: Path | None = None) -> None:
    """Flower settings for an offline node: no telemetry, no per-run dependency installs."""
    os.environ["FLWR_TELEMETRY_ENABLED"] = "0"
    os.environ["FLWR_DISABLE_RUNTIME_DEPENDENCY_INSTALLATION"] = "1"
    os.environ.setdefault("FLWR_HOME", str(flwr_home or Path(tempfile.gettempdir()) / "fednet-flwr-home"))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")


@contextmanager
def flower_log_to_file(path: Path, console_level: int = logging.WARNING) -> Iterator[Path]:
    """Send Flower's log (INFO and up) to ``path``; its console shows ``console_level`` and up only.

    Flower logs every round and dumps the whole history at INFO; our own per-round lines and
    table are what a person reads, the full Flower log stays in the file.
    """
    from flwr.common.logger import FLOWER_LOGGER, console_handler

    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s flwr: %(message)s"))
    old_level = console_handler.level
    console_handler.setLevel(console_level)
    FLOWER_LOGGER.addHandler(handler)
    try:
        yield path
    finally:
        FLOWER_LOGGER.removeHandler(handler)
        handler.close()
        console_handler.setLevel(old_level)


def run_simulated(spec: RunSpec, cpus: int = 2, verbose: bool = False) -> list[dict]:
    """Run ``spec`` with one simulated SuperNode per entry of ``spec.sim_nodes``; returns the metrics rows.

    Each simulated node gets all ``cpus`` (nodes train one after the other, as in the
    no-Flower baseline of ``bench/fl_rounds.py``). Flower's own log goes to
    ``<spec.out_dir>/flower.log``; the console shows its warnings and errors only (all of it
    with ``verbose``).
    """
    from flwr.simulation import run_simulation

    from fl_tasks.client_app import make_client_app
    from fl_tasks.server_app import make_server_app

    if not spec.sim_nodes:
        raise ValueError("spec.sim_nodes is empty: prepare the nodes first (fl_tasks.node_training.prepare_node)")
    flower_env()
    out = Path(spec.out_dir)
    metrics = out / "metrics.jsonl"
    if metrics.exists():
        metrics.unlink()
    bound = spec.to_run_config()
    with flower_log_to_file(out / "flower.log", logging.DEBUG if verbose else logging.WARNING):
        run_simulation(server_app=make_server_app(bound), client_app=make_client_app(bound),
                       num_supernodes=len(spec.sim_nodes),
                       backend_config={"client_resources": {"num_cpus": cpus, "num_gpus": 0.0},
                                       "init_args": {"num_cpus": cpus, "num_gpus": 0, "logging_level": "ERROR",
                                                     "log_to_driver": verbose}},
                       verbose_logging=verbose)
    if not metrics.exists():
        raise RuntimeError(f"the federated run wrote no metrics to {metrics}: see the Flower log {out / 'flower.log'}")
    return read_metrics(metrics)


def read_metrics(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
