"""A cross-site count: the coordinator's protocol over any transport, and its printable result.

Rounds (each one message per node, nodes only answer what they are sent):

1. ``hello``: each node's secure-sum public key (with its key certificate, binding
   it to the node's network certificate), its small-cell threshold and limits.
2. ``count``: the signed request (permit, query, ε, participants' keys and
   certificates, nonce, time). Each node checks it, answers from its ledger or
   spends ε, and returns its noisy vector under its pair masks and self-mask (plus
   its per-site table where the permit allows).
3. ``unmask``/``agree``: the nodes that answered (the survivors) each commit to the
   one outcome (survivors, dropped) and return MACs of it for each other.
4. ``unmask``/``reveal`` (with all those MACs): each survivor reveals its self-mask
   and its pair masks with the nodes that did not answer; their sum is the noisy
   total of the survivors and nothing else.

The coordinator learns the noisy network total (and per-site tables only where
the permit allows). The total is made consistent (non-negative, cells agreeing
with the total: post-processing, no ε) and thresholded like any released count;
with per-site tables, a row where exactly one site is hidden loses one more cell
so that the network column cannot give it away (:func:`node.disclosure.threshold.protect_grid`).
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
from node.disclosure.consistency import make_consistent
from node.disclosure.epsilon import EpsilonError, epsilon_micro
from node.disclosure.sensitivity import shape_with_bound
from node.disclosure.threshold import Cell, cell_from_json, protect_grid, suppress_table
from node.governance.permits import (
    KeyCertificate,
    QueryRequest,
    SignedPermit,
    UnmaskRequest,
    sign_request,
    sign_unmask,
)
from node.query.spec import CountQuery

PROTOCOL = 2  # the nodes' node.query.service.PROTOCOL this coordinator speaks


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
    anchors: list[dict[str, Any]] = field(default_factory=list)
    per_site_adjusted: dict[str, list[bool]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query, "by": self.by, "contributing_sites": self.contributing,
            "total": None if self.total is None else self.total.to_json(),
            "total_adjusted": bool(self.total and self.total.adjusted and not self.total.suppressed),
            "cells": [{"cell": list(c), "count": v.to_json(), "noisy": True,
                       "adjusted": v.adjusted and not v.suppressed, "suppressed": v.suppressed}
                      for c, v in zip(self.cells, self.cell_values)],
            "per_site": self.per_site, "per_site_adjusted": self.per_site_adjusted or None,
            "refused": self.refused, "dropped": self.dropped,
            "noise": {"total_std": self.noise_std, "per_site": self.site_noise, "every_count_is_noisy": True,
                      "adjusted": "changed by consistency post-processing (non-negative, cells agree with the "
                                  "total); costs no privacy"},
            "threshold": self.threshold, "audit_receipts": self.receipts, "audit_anchors": self.anchors,
            "error": self.error,
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
                row += [str(self.per_site[s][i]) + ("*" if self.per_site_adjusted.get(s, [False] * len(labels))[i]
                                                    else "") for s in sorted(self.per_site)]
            cell = network[i]
            row.append("n/a" if cell is None else cell.display + ("*" if cell.adjusted and not cell.suppressed else ""))
            main.add_row(*row)
        main.caption = (f"every count is noisy (discrete Laplace per site; network std ≈ {self.noise_std:.1f}); "
                        f"* = changed to make the table consistent (no privacy cost); counts < {self.threshold} "
                        f"and their complements shown as <{self.threshold}") if self.noise_std else self.error
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


def _certificate(reply: dict[str, Any]) -> KeyCertificate | None:
    try:
        return KeyCertificate.model_validate(reply["key_certificate"]) if reply.get("key_certificate") else None
    except (ValueError, TypeError):
        return None


def _why(reply: dict[str, Any] | None) -> str:
    return "no answer" if reply is None else f"{reply.get('reason')}: {reply.get('message')}"


def _unmask_round(transport: Transport, key: Ed25519PrivateKey, result: CountResult, nonce: str,
                  survivors: list[str], missing: list[str], ok: dict[str, dict[str, Any]]) -> dict[str, list[int]] | None:
    """Agree, then reveal; returns each survivor's revealed masks (``None`` and ``result.error`` set on failure)."""
    agree = UnmaskRequest(phase="agree", query_nonce=nonce, dropped=missing, survivors=survivors,
                          nonce=secrets.token_hex(16), issued_at=_now())
    agreed = transport.call("unmask", {s: sign_unmask(key, agree).model_dump(mode="json") for s in survivors})
    _keep_anchors(result, agreed)
    failed = {s: _why(r) for s, r in agreed.items() if not (r and r.get("status") == "ok")}
    if failed:
        result.error = f"could not remove the masks: survivors did not agree on the outcome: {failed}"
        return None
    reveal = UnmaskRequest(phase="reveal", query_nonce=nonce, dropped=missing, survivors=survivors,
                           confirmations={s: dict(r.get("confirmations") or {}) for s, r in agreed.items()},
                           nonce=secrets.token_hex(16), issued_at=_now())
    replies = transport.call("unmask", {s: sign_unmask(key, reveal).model_dump(mode="json") for s in survivors})
    _keep_anchors(result, replies)
    revealed = {s: r["masks"] for s, r in replies.items() if r and r.get("status") == "ok"}
    if set(revealed) != set(survivors):
        failed = {s: _why(replies.get(s)) for s in survivors if s not in revealed}
        result.error = f"could not remove the masks: survivors {sorted(failed)} did not unmask: {failed}"
        return None
    return revealed


def _keep_anchors(result: CountResult, replies: dict[str, dict[str, Any] | None]) -> None:
    for reply in replies.values():
        if reply and isinstance(reply.get("audit"), dict):
            result.anchors.append(reply["audit"])


def run_count(transport: Transport, key: Ed25519PrivateKey, permit: SignedPermit, query: CountQuery,
              epsilon: float, *, sites: list[str] | None = None, receipts=None) -> CountResult:
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
        Privacy loss each site spends on this query (a whole number of micro-ε).
    sites:
        Sites to ask (default: every reachable site the permit covers).
    receipts:
        A :class:`coordinator.governance.receipts.ReceiptBook` keeping the nodes' audit
        receipts (``None``: kept in the result only).

    Returns
    -------
    CountResult
        The noisy total (and cells), per-site values where the permit allows,
        refusals and dropped sites with reasons; ``error`` set if no total could be formed.
    """
    wanted = [s for s in (sites or transport.sites()) if s in permit.permit.sites]
    cells = query.cells()
    result = CountResult(query=query.canonical(), by=list(query.by), cells=cells, total=None, cell_values=[],
                         per_site=None, contributing=[])
    try:
        epsilon_micro(epsilon)
    except EpsilonError as exc:
        result.error = str(exc)
        return result
    hellos = transport.call("hello", {s: {} for s in wanted})
    good = {s: r for s, r in hellos.items() if r and r.get("site_id") == s and isinstance(r.get("public_key"), str)}
    participants = {s: r["public_key"] for s, r in good.items()}
    certificates = {s: c for s, c in ((s, _certificate(r)) for s, r in good.items()) if c is not None}
    thresholds = [int(r.get("min_cell_count", 10)) for r in good.values()]
    result.threshold = threshold = max(thresholds) if thresholds else 10
    need = max([int(r.get("min_secure_sum_sites", 2)) for r in good.values()] or [2])
    max_dropped = min([int(r.get("max_dropouts", len(good))) for r in good.values()] or [0])
    result.dropped = sorted(set(wanted) - set(participants))
    if not participants:
        result.error = "no site answered the hello round: check that the nodes are connected"
        return result
    if len(participants) < need:
        result.error = (f"only {len(participants)} site(s) reachable: the nodes need at least {need} for a secure "
                        "sum ([query] min_secure_sum_sites)")
        return result
    request = QueryRequest(permit=permit, query=query.model_dump(mode="json", by_alias=True, exclude_none=True),
                           epsilon=epsilon, participants=participants, participant_certificates=certificates or None,
                           protocol=PROTOCOL, nonce=secrets.token_hex(16), issued_at=_now())
    signed = sign_request(key, request).model_dump(mode="json", exclude_none=True)
    replies = transport.call("count", {s: signed for s in participants})
    ok = {s: r for s, r in replies.items() if r and r.get("status") == "ok"}
    for site, reply in replies.items():
        if reply is None:
            result.dropped.append(site)
        elif reply.get("status") != "ok":
            result.refused[site] = _why(reply)
        if reply and reply.get("audit_hash"):
            result.receipts[site] = reply["audit_hash"]
    _keep_anchors(result, replies)
    result.dropped = sorted(set(result.dropped))
    missing = sorted(set(participants) - set(ok))
    result.contributing = sorted(ok)
    try:
        if not ok:
            result.error = "no site answered: see refusals"
            return result
        if len(ok) < need or len(missing) > max_dropped:
            result.error = (f"{len(ok)} of {len(participants)} sites answered ({len(missing)} missing): the nodes need "
                            f"at least {need} and accept at most {max_dropped} missing ([query] min_secure_sum_sites, "
                            "max_dropouts); no total")
            return result
        revealed = _unmask_round(transport, key, result, request.nonce, sorted(ok), missing, ok)
        if revealed is None:
            return result
        result.site_noise = {s: r["noise"] for s, r in ok.items()}
        result.noise_std = math.sqrt(sum(2 * float(r["noise"]["scale"]) ** 2 for r in ok.values()))
        try:
            total = unmask_total({s: r["masked"] for s, r in ok.items()}, revealed)
        except SecureSumError as exc:
            result.error = str(exc)
            return result
        bound = max(int(r["noise"].get("sensitivity", 1)) for r in ok.values()) - 1 if cells else 0
        shape = shape_with_bound(query, bound)
        network = suppress_table(make_consistent(total, shape), threshold, shape, noisy=total)
        if permit.permit.per_site_results:
            columns = {s: [cell_from_json(v, int(r.get("min_cell_count", threshold))) for v in r["per_site"]]
                       for s, r in ok.items() if r.get("per_site") is not None}
            result.per_site_adjusted = {s: list(r.get("per_site_adjusted") or [False] * len(total))
                                        for s, r in ok.items() if r.get("per_site") is not None}
            columns, network = protect_grid(columns, network, shape)
            result.per_site = {s: [c.to_json() for c in col] for s, col in columns.items()}
            result.per_site_adjusted = {s: [bool(flag) and not cell.suppressed for flag, cell in
                                            zip(result.per_site_adjusted[s], columns[s])] for s in columns}
        result.total, result.cell_values = network[0], network[1:]
        return result
    finally:
        if receipts is not None:
            receipts.record(result.anchors, query_nonce=request.nonce)
