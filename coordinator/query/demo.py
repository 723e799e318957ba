"""One cross-site count over the demo's hospitals (what ``fedcoord demo`` runs after ingest)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from coordinator.governance.keys import load_or_create_key
from coordinator.governance.permits import issue_permit
from coordinator.query.count import CountResult, run_count
from coordinator.query.transport import InProcessTransport
from node.governance.permits import public_key_b64
from node.query.fields import FIELDS
from node.query.where import query_from_cli
from node.settings import NodeSettings

DEMO_WHERE = "age >= 40"
DEMO_BY = ("sex",)


def with_coordinator_key(settings: NodeSettings, public_key: str) -> NodeSettings:
    """A copy of a node's settings that trusts this coordinator key (what its operator would configure)."""
    return settings.model_copy(update={"query": settings.query.model_copy(update={"coordinator_public_key": public_key})})


def run_demo_count(nodes: list[NodeSettings], key_dir: Path, *, where: str = DEMO_WHERE,
                   by: tuple[str, ...] = DEMO_BY, epsilon: float = 0.5, per_site: bool = True,
                   transport: Literal["inprocess", "flower"] = "inprocess") -> CountResult:
    """Issue a demo permit and run one count across the given (already ingested) nodes.

    Parameters
    ----------
    nodes:
        The demo nodes' settings (their stores and secrets exist).
    key_dir:
        Folder of the coordinator key (created if missing).
    where, by, epsilon:
        The query.
    per_site:
        Whether the demo permit allows per-site results (the table then shows each hospital).
    transport:
        ``inprocess`` (direct calls, ~0.1 s) or ``flower`` (Flower Simulation Engine with Ray,
        one virtual SuperNode per hospital; ~15 s start-up).

    Returns
    -------
    CountResult
        ``.print()`` shows the table; ``.to_dict()`` for JSON.
    """
    key = load_or_create_key(Path(key_dir))
    trusted = [with_coordinator_key(s, public_key_b64(key)) for s in nodes]
    permit = issue_permit(key, requester="demo-researcher", purpose="scientific_research",
                          allowed_fields=sorted(FIELDS), epsilon_budget=10.0,
                          sites=[s.node.site_id for s in trusted], per_site_results=per_site)
    query = query_from_cli(where, list(by))
    if transport == "flower":
        from coordinator.query.flower_server import simulate_count

        job = {"permit": permit.model_dump(mode="json"), "query": query.model_dump(mode="json", by_alias=True,
                                                                                 exclude_none=True),
               "epsilon": epsilon, "key_dir": str(key_dir)}
        return simulate_count(trusted, job)
    from node.query.service import service_for
    from node.runtime import open_node

    runtimes = [open_node(s) for s in trusted]
    try:
        services = {rt.settings.node.site_id: service_for(rt) for rt in runtimes}
        return run_count(InProcessTransport(services), key, permit, query, epsilon)
    finally:
        for rt in runtimes:
            rt.close()
