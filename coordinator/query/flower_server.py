"""The coordinator's side of cross-site queries as a Flower ``ServerApp``.

:class:`FlowerTransport` carries the count protocol (:func:`coordinator.query.count.run_count`)
as Flower messages of type ``query.hello|count|unmask`` through the ``Grid``:
in a simulation (:func:`simulate_count`) or on the Deployment Engine, where
``app`` below is the ServerApp that ``flwr run`` starts and the hospitals'
SuperNodes dial out to the SuperLink. A node that does not reply before the
timeout counts as dropped.

The Deployment-Engine job is passed as ``--run-config 'fednet-job="/path/job.json"'``:
a JSON file with ``permit`` (signed), ``query``, ``epsilon``, ``key_dir`` and
``result`` (where to write the result JSON).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Mapping

from flwr.app import Context, Message
from flwr.serverapp import Grid, ServerApp

from node.query.flower_client import pack, unpack

DEFAULT_TIMEOUT_S = 60.0


class FlowerTransport:
    """:class:`coordinator.query.transport.Transport` over a Flower ``Grid``."""

    def __init__(self, grid: Grid, timeout_s: float = DEFAULT_TIMEOUT_S, min_nodes: int = 1) -> None:
        self.grid = grid
        self.timeout_s = timeout_s
        self._node_of: dict[str, int] = {}
        self._hello: dict[str, dict[str, Any]] = {}
        replies = self._send("hello", {node_id: {} for node_id in self._wait_for_nodes(min_nodes)})
        for node_id, reply in replies.items():
            if reply and reply.get("site_id"):
                self._node_of[reply["site_id"]] = node_id
                self._hello[reply["site_id"]] = reply

    def _wait_for_nodes(self, min_nodes: int) -> list[int]:
        """The connected SuperNodes, once at least ``min_nodes`` are there (or the timeout passed)."""
        deadline = time.monotonic() + self.timeout_s
        while True:
            node_ids = list(self.grid.get_node_ids())
            if len(node_ids) >= min_nodes or time.monotonic() > deadline:
                return node_ids
            time.sleep(0.2)

    def _send(self, kind: str, payloads: Mapping[int, dict[str, Any]]) -> dict[int, dict[str, Any] | None]:
        messages = [Message(pack(p), dst_node_id=node_id, message_type=f"query.{kind}", ttl=self.timeout_s)
                    for node_id, p in payloads.items()]
        out: dict[int, dict[str, Any] | None] = {node_id: None for node_id in payloads}
        for reply in self.grid.send_and_receive(messages, timeout=self.timeout_s):
            if not reply.has_error():
                out[reply.metadata.src_node_id] = unpack(reply.content)
        return out

    def sites(self) -> list[str]:
        return sorted(self._node_of)

    def call(self, kind: str, payloads: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any] | None]:
        if kind == "hello":
            return {site: self._hello.get(site) for site in payloads}
        by_node = {self._node_of[s]: p for s, p in payloads.items() if s in self._node_of}
        replies = self._send(kind, by_node)
        return {site: replies.get(self._node_of[site]) if site in self._node_of else None for site in payloads}


def _run_job(grid: Grid, job: Mapping[str, Any]):
    from coordinator.governance.keys import load_or_create_key
    from coordinator.query.count import run_count
    from node.governance.permits import SignedPermit
    from node.query.spec import parse_query

    from coordinator.governance.receipts import ReceiptBook

    key = load_or_create_key(Path(job["key_dir"]), create=False)
    transport = FlowerTransport(grid, float(job.get("timeout_s", DEFAULT_TIMEOUT_S)), int(job.get("min_nodes", 1)))
    return run_count(transport, key, SignedPermit.model_validate(job["permit"]), parse_query(job["query"]),
                     float(job["epsilon"]), receipts=ReceiptBook(Path(job["key_dir"])))


app = ServerApp()


@app.main()
def main(grid: Grid, context: Context) -> None:
    """Deployment Engine entry point: run the job file named in the run config, write the result."""
    job = json.loads(Path(str(context.run_config["fednet-job"])).read_text())
    result = _run_job(grid, job)
    out = Path(job["result"])
    partial = out.with_name(out.name + ".partial")
    partial.write_text(json.dumps(result.to_dict(), indent=2))
    partial.replace(out)  # written whole, then renamed: a reader never sees half a result


def simulate_count(node_settings: list, job: Mapping[str, Any], *, verbose: bool = False):
    """Run one count through Flower's Simulation Engine (one virtual SuperNode per node).

    Parameters
    ----------
    node_settings:
        :class:`node.settings.NodeSettings` of each node (the simulated SuperNodes open them).
    job:
        ``permit`` (signed, as a dict), ``query`` (spec dict), ``epsilon``, ``key_dir``.

    Returns
    -------
    CountResult
    """
    return simulate_counts(node_settings, [job], verbose=verbose)[0][0]


def simulate_counts(node_settings: list, jobs: list[Mapping[str, Any]], *, verbose: bool = False):
    """Run several counts in one Flower simulation; returns ``[(CountResult, seconds), ...]``.

    The per-count seconds exclude the simulation's start-up (Ray, ~15-30 s), which
    a long-running coordinator pays once.
    """
    from flwr.simulation import run_simulation

    from node.query.flower_client import SIM_NODES_ENV
    from node.query.flower_client import app as client_app

    os.environ.setdefault("FLWR_TELEMETRY_ENABLED", "0")
    os.environ[SIM_NODES_ENV] = json.dumps([s.model_dump(mode="json") for s in node_settings])
    results: list = []
    server = ServerApp()

    @server.main()
    def _main(grid: Grid, context: Context) -> None:
        for job in jobs:
            start = time.perf_counter()
            result = _run_job(grid, {**job, "min_nodes": len(node_settings)})
            results.append((result, time.perf_counter() - start))

    run_simulation(server_app=server, client_app=client_app, num_supernodes=len(node_settings),
                   backend_config={"client_resources": {"num_cpus": 1, "num_gpus": 0.0}, "init_args": {"num_cpus": 2}},
                   verbose_logging=verbose)
    if len(results) != len(jobs):
        raise RuntimeError("the Flower simulation ended without all results: run with verbose=True to see why")
    return results
