"""How the coordinator reaches nodes: one interface, two carriers.

- :class:`FlowerTransport` (``coordinator.query.flower_server``): Flower messages
  of type ``query.<kind>`` through a ``Grid`` (simulation or the Deployment
  Engine, where nodes dial out to the SuperLink).
- :class:`InProcessTransport`: direct calls on node services in this process,
  with each message passed through JSON exactly as on the wire (tests, benchmarks).

A transport returns ``None`` for a node that did not answer (dropped).
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Protocol


class Transport(Protocol):
    def call(self, kind: str, payloads: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any] | None]:
        """Send ``payloads[site]`` as a ``query.<kind>`` message to each site; replies by site."""
        ...

    def sites(self) -> list[str]:
        """The sites currently reachable."""
        ...


class InProcessTransport:
    """Calls :class:`node.query.service.NodeQueryService` objects directly.

    Parameters
    ----------
    services:
        Site id -> that node's query service.
    drop:
        Sites that "crash" before answering the given kinds (to exercise dropout
        recovery), e.g. ``{"hospital-c": {"count"}}``.
    """

    def __init__(self, services: Mapping[str, Any], drop: Mapping[str, set[str]] | None = None) -> None:
        self.services = dict(services)
        self.drop = {k: set(v) for k, v in (drop or {}).items()}

    def sites(self) -> list[str]:
        return sorted(self.services)

    def call(self, kind: str, payloads: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any] | None]:
        replies: dict[str, dict[str, Any] | None] = {}
        for site, payload in payloads.items():
            service = self.services.get(site)
            if service is None or kind in self.drop.get(site, set()):
                replies[site] = None
                continue
            wire = json.loads(json.dumps(payload))
            handler = {"hello": lambda _p: service.hello(), "count": service.count, "unmask": service.unmask}[kind]
            replies[site] = json.loads(json.dumps(handler(wire)))
        return replies
