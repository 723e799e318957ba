"""The coordinator's side of cross-site queries as a Flower ``ServerApp``.

:class:`FlowerTransport` carries the count protocol (:func:`coordinator.query.count.run_count`)
as Flower messages of type ``query.hello|count|unmask`` through the ``Grid``:
in a simulation (:func:`simulate_count`) or on the Deployment Engine, where the
coordinator service's long-running query run (:class:`coordinator.query.deployment.QueryServer`)
uses it and the hospitals' SuperNodes dial out to the SuperLink. A node that does not
reply before the timeout counts as dropped.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any, Mapping

from flwr.app import Context, Message
from flwr.serverapp import Grid, ServerApp

from node.query.flower_client import pack, unpack

DEFAULT_TIMEOUT_S = 60.0
SIMULATION_TIMEOUT_S = 300.0
"""A round's wait in a simulation: its virtual nodes cannot disconnect, so a late reply only means a busy
host (Ray starting actors, each actor opening its node, other work on the same cores), never a dropped site."""
log = logging.getLogger("fednet.query")


class FlowerTransport:
    """:class:`coordinator.query.transport.Transport` over a Flower ``Grid``.

    Parameters
    ----------
    grid:
        The run's grid (simulation, or the Deployment Engine's ``HttpGrid``: replies are then
        pulled promptly, :func:`fl_tasks.grid.exchange`).
    timeout_s:
        How long a round waits for replies; a node that has not answered counts as dropped.
    min_nodes:
        Wait (up to ``timeout_s``) for this many connected nodes before the first hello.
    site_keys:
        The PKI's binding of SuperNode keys to sites (``NodeInfo.public_key`` bytes -> site id).
        When given, a node is only known as the site its authentication key was registered
        for: a hello claiming another site id is ignored (and logged in :attr:`mismatches`).
    """

    def __init__(self, grid: Grid, timeout_s: float = DEFAULT_TIMEOUT_S, min_nodes: int = 1,
                 site_keys: Mapping[bytes, str] | None = None) -> None:
        self.grid = grid
        self.timeout_s = timeout_s
        self.site_keys = dict(site_keys) if site_keys is not None else None
        self._node_of: dict[str, int] = {}
        self._hello: dict[str, dict[str, Any]] = {}
        self.mismatches: dict[int, str] = {}
        self._wait_for_nodes(min_nodes)
        self.refresh()

    def _wait_for_nodes(self, min_nodes: int) -> None:
        """Return once at least ``min_nodes`` SuperNodes are connected (or the timeout passed)."""
        deadline = time.monotonic() + self.timeout_s
        while len(list(self.grid.get_node_ids())) < min_nodes and time.monotonic() < deadline:
            time.sleep(0.2)

    def refresh(self, *, everyone: bool = False) -> list[str]:
        """Send ``hello`` to connected nodes not yet known (all of them with ``everyone``); returns new sites.

        A site whose node is no longer connected is forgotten.
        """
        nodes = {n.node_id: bytes(n.public_key) for n in self.grid.get_nodes()}
        for site, node_id in list(self._node_of.items()):
            if node_id not in nodes:
                log.info("%s (node %d) is no longer connected: its hello is forgotten", site, node_id)
                del self._node_of[site], self._hello[site]
        known = set(self._node_of.values())
        ask = [n for n in nodes if everyone or n not in known]
        added = []
        for node_id, reply in self._send("hello", {n: {} for n in ask}).items():
            site = reply.get("site_id") if reply else None
            if not site:
                continue
            expected = self.site_keys.get(nodes[node_id]) if self.site_keys is not None else site
            if expected != site:
                self.mismatches[node_id] = f"node {node_id} says it is {site!r}; its key is registered for {expected!r}"
                continue
            added += [] if site in self._node_of else [site]
            self._node_of[site] = node_id
            self._hello[site] = reply
        return added

    def forget(self) -> None:
        """Drop every kept hello (the next :meth:`refresh` asks every node again)."""
        self._node_of.clear()
        self._hello.clear()
        self.mismatches.clear()

    def _send(self, kind: str, payloads: Mapping[int, dict[str, Any]]) -> dict[int, dict[str, Any] | None]:
        from fl_tasks.grid import exchange

        out: dict[int, dict[str, Any] | None] = {node_id: None for node_id in payloads}
        if not payloads:
            return out
        messages = [Message(pack(p), dst_node_id=node_id, message_type=f"query.{kind}", ttl=self.timeout_s)
                    for node_id, p in payloads.items()]
        for reply in exchange(self.grid, messages, self.timeout_s):
            if not reply.has_error() and reply.metadata.src_node_id in out:
                out[reply.metadata.src_node_id] = unpack(reply.content)
        return out

    def sites(self) -> list[str]:
        return sorted(self._node_of)

    def node_of(self, site: str) -> int | None:
        return self._node_of.get(site)

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
    """The query run is served in the coordinator service's own process (``fedcoord serve``)."""
    raise RuntimeError("the fednet query run is served by `fedcoord serve` (coordinator.query.deployment."
                       "QueryServer), not by flwr-serverapp: start the coordinator with fedcoord serve")


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
    a long-running coordinator pays once. A job without ``timeout_s`` waits
    :data:`SIMULATION_TIMEOUT_S` a round.
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
            result = _run_job(grid, {"timeout_s": SIMULATION_TIMEOUT_S, **job, "min_nodes": len(node_settings)})
            results.append((result, time.perf_counter() - start))

    run_simulation(server_app=server, client_app=client_app, num_supernodes=len(node_settings),
                   backend_config={"client_resources": {"num_cpus": 1, "num_gpus": 0.0}, "init_args": {"num_cpus": 2}},
                   verbose_logging=verbose)
    if len(results) != len(jobs):
        raise RuntimeError("the Flower simulation ended without all results: run with verbose=True to see why")
    return results
