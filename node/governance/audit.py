"""Append-only, hash-chained audit log of every request a node receives.

One entry per request (and per secure-sum unmask): requester, permit,
purpose, the canonical query, the decision, the released answer, ε spent.
Training writes here too (``fl_tasks/node_audit.py``): one entry per run permit
accepted or refused, one per round the node took part in (numbers only).
Entries live in the node store (collection ``audit_log``), ``_id`` = sequence
number 0, 1, 2, ...; each holds the previous entry's hash and its own:

    hash_n = HMAC-SHA256(audit_key, canonical_json(entry_n without hash, prev = hash_{n-1}))

``audit_key`` is derived from the site secret, so someone with write access
to the database but not the secret cannot recompute a valid chain after
editing it. ``audit_head`` holds the last sequence number and hash, so removing
entries at the end is detected too; every answer also carries its entry's hash
as a receipt the coordinator keeps (an outside anchor).

:func:`verify_chain` (``fednode audit verify``) detects any edited, removed,
inserted or reordered entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from pymongo.errors import DuplicateKeyError

from node.store.node_store import NodeStore

AUDIT = "audit_log"
AUDIT_HEAD = "audit_head"
GENESIS = "0" * 64
_FIELDS = ("seq", "prev", "at", "site_id", "kind", "requester", "permit_id", "purpose", "query", "epsilon",
           "decision", "reason", "answer", "epsilon_spent", "nonce")


def audit_key(site_secret: bytes) -> bytes:
    return hmac.new(site_secret, b"fednet-audit-log-v1", hashlib.sha256).digest()


def entry_hash(key: bytes, entry: dict[str, Any]) -> str:
    body = {k: entry.get(k) for k in _FIELDS}
    data = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")
    return hmac.new(key, data, hashlib.sha256).hexdigest()


@dataclass
class AuditReport:
    entries: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class AuditLog:
    """The node's audit log.

    Parameters
    ----------
    store:
        The node store.
    site_secret:
        The site secret (keys the chain).
    site_id:
        Recorded in each entry.
    """

    def __init__(self, store: NodeStore, site_secret: bytes, site_id: str) -> None:
        self._log = store.collection(AUDIT)
        self._head = store.collection(AUDIT_HEAD)
        self._key = audit_key(site_secret)
        self._site = site_id

    def append(self, *, kind: str, decision: str, requester: str | None = None, permit_id: str | None = None,
               purpose: str | None = None, query: str | None = None, epsilon: float | None = None,
               reason: str | None = None, answer: Any = None, epsilon_spent: float = 0.0,
               nonce: str | None = None) -> dict[str, Any]:
        """Append one entry and return it (with ``seq`` and ``hash``)."""
        for _ in range(100):
            last = next(iter(self._log.find({}, {"_id": 1, "hash": 1}).sort("_id", -1).limit(1)), None)
            seq = 0 if last is None else int(last["_id"]) + 1
            entry = {
                "seq": seq, "prev": GENESIS if last is None else last["hash"],
                "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),
                "site_id": self._site, "kind": kind, "requester": requester, "permit_id": permit_id,
                "purpose": purpose, "query": query, "epsilon": epsilon, "decision": decision, "reason": reason,
                "answer": answer, "epsilon_spent": epsilon_spent, "nonce": nonce,
            }
            entry["hash"] = entry_hash(self._key, entry)
            try:
                self._log.insert_one({"_id": seq, **entry})
            except DuplicateKeyError:
                continue  # another writer took this sequence number: chain onto theirs
            self._head.replace_one({"_id": "head"}, {"_id": "head", "seq": seq, "hash": entry["hash"]}, upsert=True)
            return entry
        raise RuntimeError("audit log: could not append after 100 concurrent retries")

    def entries(self) -> list[dict[str, Any]]:
        return list(self._log.find({}).sort("_id", 1))

    def verify(self) -> AuditReport:
        return verify_chain(self.entries(), self._key, self._head.find_one({"_id": "head"}))


def verify_chain(entries: list[dict[str, Any]], key: bytes, head: dict[str, Any] | None) -> AuditReport:
    """Check a chain: contiguous sequence, each ``prev`` = previous hash, each hash recomputed, head matches."""
    report = AuditReport(entries=len(entries))
    prev = GENESIS
    for expected_seq, entry in enumerate(entries):
        seq = entry.get("_id")
        if seq != expected_seq or entry.get("seq") != expected_seq:
            report.problems.append(f"entry {expected_seq}: found sequence number {seq} (entry removed or reordered)")
            break
        if entry.get("prev") != prev:
            report.problems.append(f"entry {seq}: does not chain to the previous entry (removed, inserted or reordered)")
        if not hmac.compare_digest(str(entry.get("hash")), entry_hash(key, entry)):
            report.problems.append(f"entry {seq}: content does not match its hash (edited)")
        prev = str(entry.get("hash"))
    if head is None:
        if entries:
            report.problems.append("audit head record is missing")
    elif not entries or head.get("seq") != entries[-1].get("_id") or head.get("hash") != entries[-1].get("hash"):
        report.problems.append(f"the log ends before the recorded head (entry {head.get('seq')}): entries removed at the end")
    return report
