"""What each node UI page shows, gathered through the node's APIs (no HTML here).

Each function takes an opened :class:`node.runtime.NodeRuntime` and returns
plain data for a template. Where a feature's API is not installed, the page
gets an :class:`Unavailable` saying which module is missing instead of data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from node.store.node_store import DOCUMENTS, PATIENTS, QUARANTINE


@dataclass(frozen=True)
class Unavailable:
    """A page section whose backing API is missing in this installation."""

    what: str
    module: str
    detail: str


def _missing(what: str, module: str, exc: Exception) -> Unavailable:
    return Unavailable(what, module, f"{exc.__class__.__name__}: {exc}")


def ingest_stats(rt) -> dict[str, Any]:
    """Counts per collection, notes by type, schema version and the ingest runs (newest first)."""
    from node.migrations import stored_version

    store = rt.store
    by_type = Counter()
    for row in store.aggregate(DOCUMENTS, [{"$group": {"_id": "$query.note_type", "n": {"$sum": 1}}}]):
        by_type[row["_id"] or "unknown"] = row["n"]
    quarantine_kinds = Counter()
    for row in store.aggregate(QUARANTINE, [{"$group": {"_id": "$kind", "n": {"$sum": 1}}}]):
        quarantine_kinds[row["_id"] or "unknown"] = row["n"]
    runs = []
    for run in reversed(store.runs()):
        runs.append({"run_id": run.get("_id"), "started_at": run.get("started_at"), "status": run.get("status"),
                     "notes_seen": run.get("notes_seen"), "notes_stored": run.get("notes_stored"),
                     "already": run.get("notes_already_stored"),
                     "quarantined": sum((run.get("quarantined") or {}).values()),
                     "seconds": run.get("seconds")})
    names = set(store.collection_names())
    return {"patients": store.count(PATIENTS), "documents": store.count(DOCUMENTS),
            "quarantined": store.count(QUARANTINE), "images": store.count("images") if "images" in names else None,
            "by_type": sorted(by_type.items(), key=lambda kv: -kv[1]),
            "quarantine_kinds": sorted(quarantine_kinds.items()), "runs": runs,
            "schema_version": stored_version(store), "store": rt.store.info}


def quarantine_rows(rt) -> list[dict[str, Any]]:
    """Quarantined inputs: source, kind, reason, when (the reasons never quote content)."""
    return [{"source": r.get("source", ""), "kind": r.get("kind", ""), "reason": r.get("reason", ""),
             "at": r.get("at"), "run_id": r.get("run_id", "")} for r in rt.store.list_quarantine()]


def audit_view(rt, verify: bool = False, limit: int = 200) -> dict[str, Any] | Unavailable:
    """The newest ``limit`` audit entries, and with ``verify`` the chain check over all of them."""
    try:
        from node.governance.audit import open_audit_log
    except ImportError as exc:
        return _missing("audit log", "node.governance.audit", exc)
    log = open_audit_log(rt.store, rt.secret, rt.settings)  # with its anchor file, as `fednode audit verify`
    entries = log.entries()
    report = log.verify() if verify else None
    rows = [{"seq": e.get("seq"), "at": e.get("at"), "kind": e.get("kind"), "requester": e.get("requester"),
             "permit_id": e.get("permit_id"), "purpose": e.get("purpose"), "query": e.get("query"),
             "decision": e.get("decision"), "reason": e.get("reason"), "epsilon_spent": e.get("epsilon_spent"),
             "answer": e.get("answer"), "hash": str(e.get("hash", ""))[:16]} for e in reversed(entries[-limit:])]
    return {"total": len(entries), "rows": rows, "report": report}


def last_audit_entry(rt) -> dict[str, Any] | None:
    try:
        from node.governance.audit import AUDIT
    except ImportError:
        return None
    entry = next(iter(rt.store.collection(AUDIT).find({}).sort("_id", -1).limit(1)), None)
    if entry is None:
        return None
    return {k: entry.get(k) for k in ("seq", "at", "kind", "requester", "permit_id", "decision")}


def budget_rows(rt) -> list[dict[str, Any]] | Unavailable:
    """ε spent per (permit, requester), with queries answered/refused from the audit log.

    The node's ledger records what was spent; the permit's total budget travels
    in each signed request and is shown from the latest audited request when known.
    """
    try:
        from node.disclosure.ledger import BUDGETS, MICRO
        from node.governance.audit import AUDIT
    except ImportError as exc:
        return _missing("privacy budget", "node.disclosure.ledger", exc)
    stats: dict[tuple[str, str], Counter] = {}
    for e in rt.store.collection(AUDIT).find({"permit_id": {"$ne": None}}, {"permit_id": 1, "requester": 1,
                                                                             "decision": 1, "purpose": 1}):
        stats.setdefault((e.get("permit_id"), e.get("requester")), Counter())[e.get("decision")] += 1
    rows = []
    for doc in rt.store.collection(BUDGETS).find({}):
        key = (doc.get("permit_id"), doc.get("requester"))
        c = stats.get(key, Counter())
        budget = doc.get("budget_micro")
        rows.append({"permit_id": key[0], "requester": key[1], "spent": doc.get("spent_micro", 0) / MICRO,
                     "budget": None if budget is None else budget / MICRO,
                     "released": c["released"], "cached": c["cached"], "refused": c["refused"],
                     "updated_at": doc.get("updated_at")})
    return sorted(rows, key=lambda r: (str(r["permit_id"]), str(r["requester"])))


def optout_rows(rt) -> list[dict[str, Any]] | Unavailable:
    try:
        from node.governance.optout import OptOutRegistry
    except ImportError as exc:
        return _missing("opt-out registry", "node.governance.optout", exc)
    return [{"pseudonym": d["_id"], "at": d.get("at"), "source": d.get("source")}
            for d in OptOutRegistry(rt.store).list()]


def add_optout(rt, *, mrn: str = "", pseudonym: str = "") -> tuple[str, bool]:
    """Register an opt-out by MRN (pseudonymised here, never stored) or by pseudonym; returns (pseudonym, new)."""
    from node.governance.optout import OptOutRegistry, pseudonym_for_mrn

    mrn, pseudonym = mrn.strip(), pseudonym.strip()
    if bool(mrn) == bool(pseudonym):
        raise ValueError("give either the patient's MRN or their pseudonym (one of the two)")
    if mrn:
        pseudonym = pseudonym_for_mrn(rt.secret, mrn, rt.settings.deid.config)
    return pseudonym, OptOutRegistry(rt.store).add(pseudonym, source="operator (web UI)")


def remove_optout(rt, pseudonym: str) -> bool:
    from node.governance.optout import OptOutRegistry

    return OptOutRegistry(rt.store).remove(pseudonym.strip())
