"""Counts over the Flower Deployment Engine: the coordinator service's long-running query run.

``fedcoord serve`` submits one Flower run (the ``fednet-query`` app) when it starts and runs
that run's ServerApp task in its own process (:mod:`coordinator.network.executor`): a
:class:`QueryServer` holding the run's grid. Every count (``fedcoord count --superlink``, the
web UI, ``POST /api/count``) is then only the messages of
:func:`coordinator.query.count.run_count` — ``count`` (and ``unmask`` after a dropout) — sent
to the hospitals' SuperNodes and pulled back promptly (:func:`fl_tasks.grid.exchange`). There
is no ``flwr run``, no process start and no ``hello`` round per count: the nodes' hellos are
kept (:class:`coordinator.query.flower_server.FlowerTransport`), asked again of a node that
connects, and refreshed every :attr:`QueryServer.hello_every_s`.

Nothing of the node's guarantees moves here: each node checks the signed request and its
permit, spends ε, adds noise, masks, and audits every request itself
(:mod:`node.query.service`); the coordinator only signs requests and sums masked vectors.
A node is known under the site its SuperNode key is registered for in the PKI
(``site_keys``): a hello claiming another site is not believed.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Mapping

from flwr.serverapp import Grid


class QueryServer:
    """Serves counts over one long-running run's grid (thread-safe: one count at a time).

    Parameters
    ----------
    grid:
        The query run's grid (an ``HttpGrid`` holding the run's task token).
    key:
        The coordinator's signing key.
    site_keys:
        SuperNode key bytes (as the SuperLink reports them) -> site id, from the PKI registry.
    timeout_s:
        How long one round waits for the nodes' replies (a node silent that long is dropped).
    """

    hello_every_s = 30.0

    def __init__(self, grid: Grid, key, site_keys: Mapping[bytes, str] | None, timeout_s: float = 20.0) -> None:
        from coordinator.query.flower_server import FlowerTransport

        self.grid = grid
        self.key = key
        self.lock = threading.Lock()
        self.transport = FlowerTransport(grid, timeout_s, min_nodes=0, site_keys=site_keys)
        self.counts = 0
        self._last_hello = time.monotonic()

    def set_site_keys(self, site_keys: Mapping[bytes, str]) -> None:
        """New PKI bindings (a node approved or revoked): every node is asked again."""
        with self.lock:
            self.transport.site_keys = dict(site_keys)
            self.transport.forget()
            self.transport.refresh()

    def count(self, permit, query, epsilon: float, sites: list[str] | None = None):
        """One cross-site count (:func:`coordinator.query.count.run_count`) over the connected nodes."""
        from coordinator.query.count import run_count

        with self.lock:
            self.transport.refresh()  # nodes that connected since: their hello (others are kept)
            result = run_count(self.transport, self.key, permit, query, epsilon, sites=sites)
            self.counts += 1
            return result

    def connected_sites(self) -> list[str]:
        """The sites connected now: nodes that connected since the last hello are asked first
        (a training run is offered to these sites)."""
        with self.lock:
            self.transport.refresh()
            return self.transport.sites()

    def maintain(self) -> None:
        """Ask every connected node for its hello again (call periodically; cheap when nothing changed)."""
        if time.monotonic() - self._last_hello < self.hello_every_s:
            return
        with self.lock:
            self.transport.refresh(everyone=True)
            self._last_hello = time.monotonic()

    def status(self) -> dict[str, Any]:
        """Connected SuperNodes, the site each one is known as, and hellos not believed."""
        nodes = []
        with self.lock:
            for info in self.grid.get_nodes():
                site = next((s for s in self.transport.sites() if self.transport.node_of(s) == info.node_id), None)
                nodes.append({"node_id": int(info.node_id), "site_id": site, "status": info.status or "online",
                              "name": info.name})
            return {"sites": self.transport.sites(), "nodes": nodes, "counts_served": self.counts,
                    "mismatches": {str(k): v for k, v in self.transport.mismatches.items()}}
