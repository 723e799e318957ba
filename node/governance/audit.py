"""Append-only, hash-chained, anchored audit log of every request a node receives.

One entry per request (and per secure-sum unmask step): requester, permit,
purpose, the canonical query, the decision, the released answer, ε spent.
Training writes here too (``fl_tasks/node_audit.py``): one entry per run permit
accepted or refused, one per round the node took part in (numbers only).
Entries live in the node store (collection ``audit_log``), ``_id`` = sequence
number 0, 1, 2, ...; each holds the previous entry's hash and its own:

    hash_n = HMAC-SHA256(audit_key, canonical_json(every field of entry_n but the hash))

``audit_key`` is derived from the site secret, so someone with write access to
the database but not the secret can neither edit an entry nor add a field to one
(the field set of each entry version is fixed and checked) without detection.

**Where the end is.** Removing entries at the end leaves a valid chain, so the end
is recorded three times, each keyed with the same secret:

- ``audit_head`` (in the store): the last sequence number and hash, with a MAC;
- the *anchor file* (outside the store: ``<data_dir>/audit/anchor.json``, mode
  0600): the same, rewritten at every append, so emptying or replacing the store
  (deleting its SQLite files, restoring an old backup) is detected;
- the coordinator: every answer carries ``{"seq", "hash"}`` of its entry
  (a receipt the coordinator keeps, ``coordinator/governance/receipts.py``), and
  ``fednode audit verify --receipts FILE`` checks the log still holds each one.
  An attacker with the site secret *and* the node's files can rewrite the node's
  own copies; only an outside anchor catches that.

**Appends are O(1)**: the head is read by its key, the next entry inserted by its
key, the head and anchor moved forward. Nothing scans the log. A writer killed
between inserting an entry and moving the head leaves the head one behind, which
the next append (and :func:`verify_chain`) recognise as harmless.

**Fail closed.** Before appending, the head and anchor are checked against the
entries they name (two key lookups). If the log was truncated or replaced,
:meth:`AuditLog.append` raises :class:`AuditTampered` and the node refuses
queries until an operator has looked (``fednode audit verify``) and accepted the
current state (``fednode audit reanchor``, itself an audit entry).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pymongo.errors import DuplicateKeyError

from node.store.node_store import NodeStore

AUDIT = "audit_log"
AUDIT_HEAD = "audit_head"
GENESIS = "0" * 64
ENTRY_VERSION = 2
V1_FIELDS = ("seq", "prev", "at", "site_id", "kind", "requester", "permit_id", "purpose", "query", "epsilon",
             "decision", "reason", "answer", "epsilon_spent", "nonce")
V2_FIELDS = (*V1_FIELDS, "v")
_STORED = {"_id", "hash"}
_HEAD_CONTEXT = b"fednet-audit-head-v1"
_ANCHOR_CONTEXT = b"fednet-audit-anchor-v1"
_FIELDS = V1_FIELDS  # kept for readers of older code

log = logging.getLogger(__name__)


class AuditTampered(RuntimeError):
    """The audit log no longer matches its head or anchor (truncated, emptied or replaced)."""


def audit_key(site_secret: bytes) -> bytes:
    return hmac.new(site_secret, b"fednet-audit-log-v1", hashlib.sha256).digest()


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def entry_hash(key: bytes, entry: dict[str, Any]) -> str:
    """The keyed hash of an entry (version 2: every field; version 1, before anchors: the fixed list)."""
    if entry.get("v") == ENTRY_VERSION:
        body = {k: v for k, v in entry.items() if k not in _STORED}
    else:
        body = {k: entry.get(k) for k in V1_FIELDS}
    return hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()


def _end_mac(key: bytes, context: bytes, site_id: str, seq: int, digest: str) -> str:
    return hmac.new(key, context + f"|{site_id}|{seq}|{digest}".encode("utf-8"), hashlib.sha256).hexdigest()


def field_problems(entry: dict[str, Any]) -> list[str]:
    """Fields added to or removed from an entry (each version has a fixed field set)."""
    keys = set(entry) - _STORED
    if entry.get("v") == ENTRY_VERSION:
        expected = set(V2_FIELDS)
        extra, missing = sorted(keys - expected), sorted(expected - keys)
    else:
        extra, missing = sorted(keys - set(V1_FIELDS)), []
    out = []
    if extra:
        out.append(f"entry {entry.get('_id')}: fields {extra} were added after it was written")
    if missing:
        out.append(f"entry {entry.get('_id')}: fields {missing} were removed")
    return out


@dataclass(frozen=True)
class Anchor:
    """A keyed record of the log's end: sequence number and hash of the last entry."""

    site_id: str
    seq: int
    hash: str
    mac: str

    def to_dict(self) -> dict[str, Any]:
        return {"site_id": self.site_id, "seq": self.seq, "hash": self.hash, "mac": self.mac}


@dataclass
class AuditReport:
    entries: int
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    head: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def read_anchor_file(path: Path) -> dict[str, Any] | None:
    """The anchor file's content (``None`` if there is none; ``{"unreadable": why}`` if it is broken)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        return {"unreadable": f"{exc.__class__.__name__}: {exc}"}
    return data if isinstance(data, dict) else {"unreadable": "not a JSON object"}


class AuditLog:
    """The node's audit log.

    Parameters
    ----------
    store:
        The node store.
    site_secret:
        The site secret (keys the chain, the head and the anchor).
    site_id:
        Recorded in each entry.
    anchor_path:
        The anchor file outside the store (``None``: no anchor file, e.g. in tests).
    """

    def __init__(self, store: NodeStore, site_secret: bytes, site_id: str, anchor_path: Path | None = None) -> None:
        self._store = store
        self._log = store.collection(AUDIT)
        self._head = store.collection(AUDIT_HEAD)
        self._key = audit_key(site_secret)
        self._site = site_id
        self.anchor_path = Path(anchor_path) if anchor_path is not None else None

    # ------------------------------------------------------------------ the end of the log
    def _mac(self, context: bytes, seq: int, digest: str, anchored: bool = False) -> str:
        return _end_mac(self._key, context, self._site, seq, digest + ("|anchored" if anchored else ""))

    def _valid_end(self, record: dict[str, Any] | None, context: bytes) -> bool:
        if not record or not isinstance(record.get("seq"), int) or not isinstance(record.get("hash"), str):
            return False
        expected = self._mac(context, record["seq"], record["hash"], bool(record.get("anchored")))
        return hmac.compare_digest(str(record.get("mac", "")), expected)

    def _entry(self, seq: int) -> dict[str, Any] | None:
        return self._log.find_one({"_id": seq}, {"hash": 1, "v": 1})

    def _entry_matches(self, seq: int, digest: str) -> bool:
        entry = self._entry(seq)
        return entry is not None and entry.get("hash") == digest

    def head(self) -> dict[str, Any] | None:
        """The stored head record (``seq``, ``hash``, ``mac``), unchecked."""
        return self._head.find_one({"_id": "head"})

    def _read_anchor(self) -> dict[str, Any] | None:
        return read_anchor_file(self.anchor_path) if self.anchor_path is not None else None

    def _check(self, head: dict[str, Any] | None, anchor: dict[str, Any] | None) -> list[str]:
        problems = []
        if head is not None:
            if "mac" not in head and isinstance(head.get("seq"), int):
                # written before heads were keyed: acceptable only while it names an old (version 1) entry
                entry = self._entry(head["seq"])
                if entry is None or entry.get("hash") != head.get("hash") or entry.get("v") == ENTRY_VERSION:
                    problems.append("the audit head record is not keyed with this node's secret (rewritten)")
            elif not self._valid_end(head, _HEAD_CONTEXT):
                problems.append("the audit head record is not keyed with this node's secret (rewritten)")
            elif not self._entry_matches(head["seq"], head["hash"]):
                problems.append(f"the audit head names entry {head['seq']}, which is missing or different "
                                "(entries removed at the end, or the log emptied or replaced)")
        elif anchor is not None and self._log.find_one({}, {"_id": 1}) is not None:
            problems.append("the audit head record is missing")
        if self.anchor_path is not None:
            if anchor is None:
                if head is not None and head.get("anchored") and self._valid_end(head, _HEAD_CONTEXT):
                    problems.append(f"the anchor file {self.anchor_path} is missing")
            elif "unreadable" in anchor:
                problems.append(f"the anchor file {self.anchor_path} is unreadable ({anchor['unreadable']})")
            elif not self._valid_end(anchor, _ANCHOR_CONTEXT) or anchor.get("site_id") != self._site:
                problems.append(f"the anchor file {self.anchor_path} is not keyed with this node's secret")
            elif not self._entry_matches(anchor["seq"], anchor["hash"]):
                problems.append(f"the anchor file says entry {anchor['seq']} exists, but the log has no such "
                                "entry (emptied, truncated or replaced)")
        return problems

    def check_end(self) -> list[str]:
        """O(1) check that the head and the anchor still name existing entries (done before each append)."""
        return self._check(self.head(), self._read_anchor())

    def _tail(self, head: dict[str, Any] | None, anchor: dict[str, Any] | None) -> tuple[int, str]:
        """``(next sequence number, previous hash)``: from the head, walking past entries a crashed writer left."""
        seq, prev = 0, GENESIS
        for record, context in ((head, _HEAD_CONTEXT), (anchor, _ANCHOR_CONTEXT)):
            usable = self._valid_end(record, context) or (
                record is head and record is not None and "mac" not in record and isinstance(record.get("seq"), int))
            if usable and record["seq"] + 1 > seq:
                seq, prev = record["seq"] + 1, record["hash"]
        while True:  # only entries past the head: none normally, one after a crash (all of them once, for old logs)
            entry = self._entry(seq)
            if entry is None:
                return seq, prev
            seq, prev = seq + 1, str(entry.get("hash"))

    def _move_end(self, seq: int, digest: str, head: dict[str, Any] | None, anchor: dict[str, Any] | None) -> None:
        anchored = self.anchor_path is not None or bool(head and head.get("anchored") and
                                                        self._valid_end(head, _HEAD_CONTEXT))
        record = {"seq": seq, "hash": digest, "mac": self._mac(_HEAD_CONTEXT, seq, digest, anchored),
                  "anchored": anchored}
        if self._head.update_one({"_id": "head", "seq": {"$lt": seq}}, {"$set": record}).matched_count == 0:
            try:
                self._head.insert_one({"_id": "head", **record})
            except DuplicateKeyError:
                pass  # a later head is already there
        if self.anchor_path is not None:
            if anchor and isinstance(anchor.get("seq"), int) and anchor["seq"] >= seq \
                    and self._valid_end(anchor, _ANCHOR_CONTEXT):
                return
            out = Anchor(self._site, seq, digest, self._mac(_ANCHOR_CONTEXT, seq, digest))
            _write_private(self.anchor_path, json.dumps(out.to_dict()).encode("utf-8"))

    # ------------------------------------------------------------------ appending
    def append(self, *, kind: str, decision: str, requester: str | None = None, permit_id: str | None = None,
               purpose: str | None = None, query: str | None = None, epsilon: float | None = None,
               reason: str | None = None, answer: Any = None, epsilon_spent: float = 0.0,
               nonce: str | None = None, force: bool = False) -> dict[str, Any]:
        """Append one entry and return it (with ``seq`` and ``hash``).

        Raises
        ------
        AuditTampered
            If the head or anchor no longer match the log (unless ``force``: the
            operator's :meth:`reanchor`). Nothing is written then.
        """
        head, anchor = self.head(), self._read_anchor()
        if not force:
            problems = self._check(head, anchor)
            if problems:
                raise AuditTampered("; ".join(problems) + ": this node refuses requests until an operator has run "
                                    "`fednode audit verify` and accepted the log with `fednode audit reanchor`")
        for attempt in range(100):
            if attempt:
                head, anchor = self.head(), self._read_anchor()
            seq, prev = self._tail(head, anchor)
            entry = {
                "seq": seq, "prev": prev,
                "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),
                "site_id": self._site, "kind": kind, "requester": requester, "permit_id": permit_id,
                "purpose": purpose, "query": query, "epsilon": epsilon, "decision": decision, "reason": reason,
                "answer": answer, "epsilon_spent": epsilon_spent, "nonce": nonce, "v": ENTRY_VERSION,
            }
            entry["hash"] = entry_hash(self._key, entry)
            try:
                self._log.insert_one({"_id": seq, **entry})
            except DuplicateKeyError:
                continue  # another writer took this sequence number: chain onto theirs
            self._move_end(seq, entry["hash"], head, anchor)
            return entry
        raise RuntimeError("audit log: could not append after 100 concurrent retries")

    def reanchor(self, operator_note: str) -> dict[str, Any]:
        """Accept the log as it is now (after an investigation): an entry saying so, then head and anchor on it."""
        problems = self.check_end()
        head, anchor = self.head(), self._read_anchor()
        found = {"head": {k: head.get(k) for k in ("seq", "hash")} if head else None,
                 "anchor": {k: anchor.get(k) for k in ("seq", "hash")} if anchor and "seq" in anchor else anchor}
        if self.anchor_path is not None and self.anchor_path.exists():
            self.anchor_path.unlink()
        if head is not None and (not self._valid_end(head, _HEAD_CONTEXT)
                                 or not self._entry_matches(head["seq"], head["hash"])):
            self._head.delete_one({"_id": "head"})
        return self.append(kind="audit_reanchor", decision="accepted", requester="operator",
                           reason=f"{operator_note}; problems found: {'; '.join(problems) or 'none'}",
                           answer=found, force=True)

    # ------------------------------------------------------------------ reading
    def entries(self) -> list[dict[str, Any]]:
        return list(self._log.find({}).sort("_id", 1))

    def last(self, n: int) -> list[dict[str, Any]]:
        """The last ``n`` entries, by key lookups from the head (no scan)."""
        end, _ = self._tail(self.head(), self._read_anchor())
        found = [self._log.find_one({"_id": seq}) for seq in range(max(0, end - n), end)]
        return [e for e in found if e is not None]

    def receipt(self, entry: dict[str, Any]) -> dict[str, Any]:
        """What an answer carries for the coordinator to keep: this entry's place and hash."""
        return {"site_id": self._site, "seq": entry["seq"], "hash": entry["hash"]}

    def verify(self, receipts: Iterable[dict[str, Any]] = (), cross_check: bool = True) -> AuditReport:
        """The full check (:func:`verify_chain`), plus the head, anchor, receipts and the store's other records."""
        entries = self.entries()
        report = verify_chain(entries, self._key, None)
        report.problems += self.check_end()
        head = self.head()
        if head is None and entries:
            if "the audit head record is missing" not in report.problems:
                report.problems.append("the audit head record is missing")
        elif head is not None and entries and isinstance(head.get("seq"), int):
            if head["seq"] < entries[-1]["_id"]:
                report.notes.append(f"the head is {entries[-1]['_id'] - head['seq']} entries behind the last entry "
                                    "(a writer stopped between writing an entry and moving the head): harmless")
        elif head is not None and not entries:
            report.problems.append(f"the audit log is empty but its head names entry {head.get('seq')}: emptied")
        if self.anchor_path is not None and self._read_anchor() is None and entries and \
                not (head or {}).get("anchored"):
            report.notes.append(f"no anchor file at {self.anchor_path} yet (written from the next append on)")
        report.problems += receipt_problems(entries, receipts, self._site)
        if cross_check:
            report.problems += store_cross_check(self._store, entries)
        report.head = {k: head.get(k) for k in ("seq", "hash")} if head else None
        return report


def verify_chain(entries: list[dict[str, Any]], key: bytes, head: dict[str, Any] | None = None) -> AuditReport:
    """Check a chain: contiguous sequence, each ``prev`` = previous hash, each hash recomputed, fixed fields.

    With ``head`` (the stored head record) the log must also reach it.
    """
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
        report.problems += field_problems(entry)
        prev = str(entry.get("hash"))
    if head is not None and (not entries or head.get("seq", -1) > entries[-1].get("_id")):
        report.problems.append(f"the log ends before the recorded head (entry {head.get('seq')}): entries removed at the end")
    return report


def receipt_problems(entries: list[dict[str, Any]], receipts: Iterable[dict[str, Any]], site_id: str) -> list[str]:
    """Receipts the coordinator kept (``{"site_id", "seq", "hash"}``) that the log no longer holds."""
    by_seq = {e.get("_id"): e.get("hash") for e in entries}
    problems = []
    for r in receipts:
        if r.get("site_id") not in (None, site_id):
            continue
        seq, digest = r.get("seq"), r.get("hash")
        if by_seq.get(seq) != digest:
            what = "is missing" if seq not in by_seq else "has a different hash"
            problems.append(f"entry {seq}, for which the coordinator holds a receipt, {what} (truncated or replaced)")
    return problems


class ReceiptsError(ValueError):
    """A receipts file cannot be read; the message names the file and the line."""


def read_receipts(path: Path, site_id: str | None = None) -> list[dict[str, Any]]:
    """Receipts (``{"site_id", "seq", "hash"}``, one JSON object a line) from a file.

    The coordinator's ``audit_receipts.jsonl`` and ``fednode audit head --json`` output both fit.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReceiptsError(f"cannot read receipts file {path}: {exc.__class__.__name__}: give the coordinator's "
                            "audit_receipts.jsonl (UTF-8 text)") from None
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise ReceiptsError(f"{path} line {number} is not JSON: one receipt object a line expected") from None
        if not isinstance(record, dict) or not isinstance(record.get("seq"), int) \
                or not isinstance(record.get("hash"), str):
            raise ReceiptsError(f"{path} line {number} is not a receipt (needs integer 'seq' and text 'hash')")
        if site_id is None or record.get("site_id") in (None, site_id):
            out.append(record)
    return out


def store_cross_check(store: NodeStore, entries: list[dict[str, Any]]) -> list[str]:
    """The log against what the store remembers elsewhere: every request nonce and every ε spent is audited."""
    from node.disclosure.ledger import BUDGETS
    from node.governance.replay import NONCES

    problems = []
    audited_nonces = {e.get("nonce") for e in entries if e.get("nonce")}
    missing = [d["_id"] for d in store.collection(NONCES).find({}, {"_id": 1}) if d["_id"] not in audited_nonces]
    if missing:
        problems.append(f"{len(missing)} request(s) recorded in {NONCES} have no audit entry (the log was "
                        "truncated or emptied, or the node was killed in the middle of a request)")
    spent: dict[tuple[Any, Any], int] = {}
    for e in entries:
        if e.get("kind") == "count" and e.get("epsilon_spent"):
            key = (e.get("permit_id"), e.get("requester"))
            spent[key] = spent.get(key, 0) + round(float(e["epsilon_spent"]) * 1_000_000)
    for doc in store.collection(BUDGETS).find({}):
        key = (doc.get("permit_id"), doc.get("requester"))
        if int(doc.get("spent_micro", 0)) > spent.get(key, 0):
            problems.append(f"the ledger has {int(doc.get('spent_micro', 0)) / 1e6:g} ε spent under permit {key[0]} "
                            f"by {key[1]}, the audit log only {spent.get(key, 0) / 1e6:g} (entries removed)")
    return problems


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, then rename), mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def anchor_path_for(settings) -> Path:
    """Where a node keeps its audit anchor: ``<data_dir>/audit/anchor.json`` (outside the store)."""
    return Path(settings.node.data_dir) / "audit" / "anchor.json"


def open_audit_log(store: NodeStore, site_secret: bytes, settings) -> AuditLog:
    """The audit log of a node opened from its settings (with its anchor file)."""
    return AuditLog(store, site_secret, settings.node.site_id, anchor_path_for(settings))
