"""A cross-site count: the coordinator's protocol over any transport, and its printable result.

Rounds (each one message per node, nodes only answer what they are sent):

1. ``hello``: each node's secure-sum public key and its small-cell threshold.
2. ``count``: the signed request (permit, query, ε, participants' keys, nonce,
   time). Each node checks it, answers from its ledger or spends ε, and returns
   its noisy vector *masked* (plus per-site cells where the permit allows).
3. ``unmask`` (only when a participant did not answer or refused): the
   survivors reveal their masks with the missing nodes, and the total of the
   survivors is recovered.

The coordinator learns the noisy network total (and per-site values only where
the permit allows); the total is thresholded like any released count.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from coordinator.query.secure_sum import SecureSumError, unmask_total
from coordinator.query.transport import Transport
from node.disclosure.threshold import Cell, suppress
from node.governance.permits import QueryRequest, SignedPermit, UnmaskRequest, sign_request, sign_unmask
from node.query.spec import CountQuery


@dataclass
class CountResult:
    """What a researcher gets back: counts only."""

    query: str
    by: list[str]
    cells: list[tuple[str, ...]]
    total: Cell | None
    cell_values: list[Cell]
    per_site: dict[str, list[int | str]] | None
    contributing: list[str]
    refused: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    noise_std: float | None = None
    site_noise: dict[str, dict[str, Any]] = field(default_factory=dict)
    threshold: int = 10
    receipts: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query, "by": self.by, "contributing_sites": self.contributing,
            "total": None if self.total is None else self.total.to_json(),
            "cells": [{"cell": list(c), "count": v.to_json()} for c, v in zip(self.cells, self.cell_values)],
            "per_site": self.per_site, "refused": self.refused, "dropped": self.dropped,
            "noise": {"total_std": self.noise_std, "per_site": self.site_noise}, "threshold": self.threshold,
            "audit_receipts": self.receipts, "error": self.error,
        }

    def tables(self):
        """Rich tables: per-site counts (where allowed), the network total with its noise, refusals."""
        from rich.table import Table

        out = []
        labels = ["total"] + [" / ".join(c) for c in self.cells]
        main = Table(title=f"cohort count ({len(self.contributing)} sites){' by ' + ', '.join(self.by) if self.by else ''}")
        main.add_column("cell")
        if self.per_site:
            for site in sorted(self.per_site):
                main.add_column(site, justify="right")
        main.add_column("network (secure sum)", justify="right")
        network = [self.total, *self.cell_values] if self.total is not None else [None] * len(labels)
        for i, label in enumerate(labels):
            row = [label]
            if self.per_site:
                row += [str(self.per_site[s][i]) for s in sorted(self.per_site)]
            row.append(network[i].display if network[i] is not None else "n/a")
            main.add_row(*row)
        main.caption = (f"discrete Laplace noise per site; network total std ≈ {self.noise_std:.1f}; "
                        f"counts < {self.threshold} shown as <{self.threshold}") if self.noise_std else self.error
        out.append(main)
        if self.refused or self.dropped:
            problems = Table(title="sites not in the total")
            problems.add_column("site")
            problems.add_column("why")
            for site, why in sorted(self.refused.items()):
                problems.add_row(site, why)
            for site in self.dropped:
                if site not in self.refused:
                    problems.add_row(site, "no answer (dropped)")
            out.append(problems)
        return out

    def print(self, console=None) -> None:
        from rich.console import Console

        console = console or Console()
        for table in self.tables():
            console.print(table)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def run_count(transport: Transport, key: Ed25519PrivateKey, permit: SignedPermit, query: CountQuery,
              epsilon: float, *, sites: list[str] | None = None) -> CountResult:
    """Run one cross-site count.

    Parameters
    ----------
    transport:
        How nodes are reached (:mod:`coordinator.query.transport`).
    key:
        The coordinator's signing key.
    permit:
        The requester's signed permit.
    query:
        A validated query.
    epsilon:
        Privacy loss each site spends on this query.
    sites:
        Sites to ask (default: every reachable site the permit covers).

    Returns
    -------
    CountResult
        The noisy total (and cells), per-site values where the permit allows,
        refusals and dropped sites with reasons; ``error`` set if no total could be formed.
    """
    wanted = [s for s in (sites or transport.sites()) if s in permit.permit.sites]
    hellos = transport.call("hello", {s: {} for s in wanted})
    participants = {s: r["public_key"] for s, r in hellos.items() if r and r.get("site_id") == s}
    thresholds = [int(r["min_cell_count"]) for r in hellos.values() if r]
    threshold = max(thresholds) if thresholds else 10
    cells = query.cells()
    result = CountResult(query=query.canonical(), by=list(query.by), cells=cells, total=None, cell_values=[],
                         per_site=None, contributing=[], threshold=threshold,
                         dropped=sorted(set(wanted) - set(participants)))
    if not participants:
        result.error = "no site answered the hello round: check that the nodes are connected"
        return result
    if len(participants) < 2 and not permit.permit.per_site_results:
        result.error = "fewer than two sites reachable: a secure sum needs at least two"
        return result
    request = QueryRequest(permit=permit, query=query.model_dump(mode="json", by_alias=True, exclude_none=True),
                           epsilon=epsilon, participants=participants, nonce=secrets.token_hex(16), issued_at=_now())
    signed = sign_request(key, request).model_dump(mode="json")
    replies = transport.call("count", {s: signed for s in participants})
    ok = {s: r for s, r in replies.items() if r and r.get("status") == "ok"}
    for site, reply in replies.items():
        if reply is None:
            result.dropped.append(site)
        elif reply.get("status") != "ok":
            result.refused[site] = f"{reply.get('reason')}: {reply.get('message')}"
        if reply and reply.get("audit_hash"):
            result.receipts[site] = reply["audit_hash"]
    result.dropped = sorted(set(result.dropped))
    missing = sorted(set(participants) - set(ok))
    revealed: dict[str, list[int]] = {}
    if missing and ok:
        unmask = UnmaskRequest(query_nonce=request.nonce, dropped=missing, survivors=sorted(ok),
                               nonce=secrets.token_hex(16), issued_at=_now())
        signed_unmask = sign_unmask(key, unmask).model_dump(mode="json")
        for site, reply in transport.call("unmask", {s: signed_unmask for s in ok}).items():
            if reply and reply.get("status") == "ok":
                revealed[site] = reply["masks"]
        if set(revealed) != set(ok):
            result.error = f"could not remove the masks of {missing}: survivors {sorted(set(ok) - set(revealed))} did not unmask"
    result.contributing = sorted(ok)
    if permit.permit.per_site_results:
        result.per_site = {s: r["per_site"] for s, r in ok.items() if r.get("per_site") is not None}
    result.site_noise = {s: r["noise"] for s, r in ok.items()}
    if ok:
        result.noise_std = math.sqrt(sum(2 * float(r["noise"]["scale"]) ** 2 for r in ok.values()))
    if result.error is None and ok:
        try:
            total = unmask_total({s: r["masked"] for s, r in ok.items()}, revealed)
        except SecureSumError as exc:
            result.error = str(exc)
        else:
            result.total = suppress(total[0], threshold)
            result.cell_values = [suppress(v, threshold) for v in total[1:]]
    elif not ok and result.error is None:
        result.error = "no site answered: see refusals"
    return result
