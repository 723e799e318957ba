"""The audit log against tampering (issue 12, item 8) and its append cost (item 9).

The attacker here has write access to the node's database (and, where said, to
its files) but not the site secret, except in the last tests, where only the
coordinator's receipts can tell.
"""

from __future__ import annotations

import shutil

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from coordinator.governance.receipts import ReceiptBook
from coordinator.query.count import run_count
from coordinator.query.transport import InProcessTransport
from node.governance.audit import AUDIT, AUDIT_HEAD, V1_FIELDS, AuditLog, AuditTampered, audit_key, entry_hash
from node.query.where import query_from_cli
from node.store import open_store
from tests.query_helpers import make_service, open_filled_store, permit_for, synthetic_docs

SECRET = b"audit-test-secret-0123456789abcd"
SITE = "hospital-a"


@pytest.fixture
def store(store_uri: str, database_name: str):
    st = open_store(store_uri, database_name)
    yield st
    st.close()


def _fill(log: AuditLog, n: int) -> list[dict]:
    return [log.append(kind="count", decision="released", requester="dr-lee", permit_id="p1", query=f"q{i}",
                       epsilon=0.5, epsilon_spent=0.5, answer={"noisy": [i]}) for i in range(n)]


# ------------------------------------------------------------------ truncation, emptying, replacing

@pytest.mark.parametrize("removed", [1, 10, 15])
def test_removing_the_last_entries_and_rewriting_the_head_is_detected(store, removed: int) -> None:
    log = AuditLog(store, SECRET, SITE)
    entries = _fill(log, 20)
    assert log.verify().ok
    col = store.collection(AUDIT)
    col.delete_many({"_id": {"$gte": 20 - removed}})
    last = entries[19 - removed]
    # what the probe did: point the head at the new last entry
    store.collection(AUDIT_HEAD).replace_one({"_id": "head"}, {"_id": "head", "seq": last["seq"], "hash": last["hash"]})
    report = log.verify()
    assert not report.ok and any("head" in p for p in report.problems), report.problems


@pytest.mark.parametrize("removed", [1, 10, 15])
def test_truncation_back_to_an_old_copy_of_the_head_is_caught_by_the_anchor(store, tmp_path, removed: int) -> None:
    """The attacker saved a genuine head record earlier and puts it back after truncating: the anchor file knows."""
    log = AuditLog(store, SECRET, SITE, tmp_path / "audit" / "anchor.json")
    _fill(log, 20 - removed)
    old_head = store.collection(AUDIT_HEAD).find_one({"_id": "head"})
    _fill(log, removed)
    store.collection(AUDIT).delete_many({"_id": {"$gte": 20 - removed}})
    store.collection(AUDIT_HEAD).replace_one({"_id": "head"}, old_head)
    report = log.verify()
    assert not report.ok and any("anchor" in p for p in report.problems), report.problems


def test_an_emptied_log_is_detected(store, tmp_path) -> None:
    log = AuditLog(store, SECRET, SITE, tmp_path / "audit" / "anchor.json")
    _fill(log, 5)
    store.collection(AUDIT).delete_many({})
    store.collection(AUDIT_HEAD).delete_many({})
    report = log.verify()
    assert not report.ok and any("emptied" in p for p in report.problems), report.problems


def test_an_emptied_log_is_detected_from_the_store_alone(store) -> None:
    """No anchor file: the nonces and ε the rest of the store recorded still expose an emptied log."""
    key = Ed25519PrivateKey.generate()
    docs = synthetic_docs(SITE, 10)
    store.collection("documents").insert_many(docs)
    services = {SITE: make_service(store, SITE, key, min_secure_sum_sites=2)}
    from tests.query_helpers import signed_request

    other = make_service(store, "hospital-b", key)
    keys = {SITE: services[SITE].hello()["public_key"], "hospital-b": other.hello()["public_key"]}
    permit = permit_for(key, [SITE, "hospital-b"])
    assert services[SITE].count(signed_request(key, permit, query_from_cli(""), 0.5, keys))["status"] == "ok"
    store.collection(AUDIT).delete_many({})
    store.collection(AUDIT_HEAD).delete_many({})
    report = AuditLog(store, SECRET, SITE).verify()
    assert not report.ok and any("request_nonces" in p for p in report.problems)
    assert any("ledger" in p for p in report.problems)


def test_deleting_the_store_files_is_detected(tmp_path) -> None:
    folder = tmp_path / "store"
    anchor = tmp_path / "audit" / "anchor.json"
    st = open_store(f"embedded://{folder}", "node")
    _fill(AuditLog(st, SECRET, SITE, anchor), 4)
    st.close()
    shutil.rmtree(folder)  # every SQLite file, audit_log and audit_head included
    st = open_store(f"embedded://{folder}", "node")
    try:
        log = AuditLog(st, SECRET, SITE, anchor)
        report = log.verify()
        assert not report.ok and any("emptied" in p for p in report.problems), report.problems
        with pytest.raises(AuditTampered):  # and the node stops answering until the operator looked
            log.append(kind="count", decision="released")
    finally:
        st.close()


def test_a_log_replaced_by_an_older_backup_is_detected(store, store_uri, database_name, tmp_path) -> None:
    anchor = tmp_path / "audit" / "anchor.json"
    log = AuditLog(store, SECRET, SITE, anchor)
    _fill(log, 3)
    backup = {name: list(store.collection(name).find({})) for name in (AUDIT, AUDIT_HEAD)}
    _fill(log, 3)
    for name, docs in backup.items():  # restore the older copy of both collections
        store.collection(name).delete_many({})
        store.collection(name).insert_many(docs)
    assert not log.verify().ok


# ------------------------------------------------------------------ fields

def test_an_added_field_is_detected(store) -> None:
    log = AuditLog(store, SECRET, SITE)
    _fill(log, 3)
    store.collection(AUDIT).update_one({"_id": 1}, {"$set": {"approved_by": "dpo"}})
    report = log.verify()
    assert not report.ok and any("entry 1" in p and "approved_by" in p for p in report.problems)


def test_a_removed_field_is_detected(store) -> None:
    log = AuditLog(store, SECRET, SITE)
    _fill(log, 3)
    store.collection(AUDIT).update_one({"_id": 2}, {"$unset": {"reason": ""}})  # it was None: same hash input before
    report = log.verify()
    assert not report.ok and any("entry 2" in p and "reason" in p for p in report.problems)


# ------------------------------------------------------------------ fail closed, re-anchor, crashes, old logs

def test_a_node_with_a_truncated_log_refuses_until_the_operator_reanchors(store, tmp_path) -> None:
    key = Ed25519PrivateKey.generate()
    store.collection("documents").insert_many(synthetic_docs(SITE, 10))
    svc = make_service(store, SITE, key, anchor_path=tmp_path / "anchor.json", min_secure_sum_sites=2)
    other = make_service(store, "hospital-b", key)
    keys = {SITE: svc.hello()["public_key"], "hospital-b": other.hello()["public_key"]}
    permit = permit_for(key, [SITE, "hospital-b"])
    from tests.query_helpers import signed_request

    assert svc.count(signed_request(key, permit, query_from_cli("age > 1"), 0.5, keys))["status"] == "ok"
    assert svc.count(signed_request(key, permit, query_from_cli("age > 2"), 0.5, keys))["status"] == "ok"
    store.collection(AUDIT).delete_one({"_id": 1})
    store.collection(AUDIT_HEAD).delete_many({})
    spent = svc.ledger.state(permit.permit.permit_id, "dr-lee", 5.0).spent
    reply = svc.count(signed_request(key, permit, query_from_cli("age > 3"), 0.5, keys))
    assert reply["status"] == "refused" and reply["reason"] == "audit" and "masked" not in reply
    assert svc.ledger.state(permit.permit.permit_id, "dr-lee", 5.0).spent == spent  # nothing spent
    entry = svc.audit.reanchor("restored after incident 42")
    assert entry["kind"] == "audit_reanchor" and "incident 42" in entry["reason"]
    assert svc.count(signed_request(key, permit, query_from_cli("age > 4"), 0.5, keys))["status"] == "ok"


def test_a_writer_killed_between_entry_and_head_leaves_a_harmless_gap(store, tmp_path, monkeypatch) -> None:
    log = AuditLog(store, SECRET, SITE, tmp_path / "anchor.json")
    _fill(log, 3)
    monkeypatch.setattr(log, "_move_end", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        log.append(kind="count", decision="released")
    monkeypatch.undo()
    report = log.verify()
    assert report.ok and report.notes, report  # head one behind: noted, not a problem
    entry = log.append(kind="count", decision="released")
    assert entry["seq"] == 4 and log.verify().ok


def test_a_log_written_before_keyed_heads_verifies_and_continues(store, tmp_path) -> None:
    """A node upgraded from the version before this one: version-1 entries and an unkeyed head."""
    key = audit_key(SECRET)
    prev = "0" * 64
    for seq in range(3):
        entry = {k: None for k in V1_FIELDS}
        entry.update(seq=seq, prev=prev, at="2026-01-01T00:00:00", site_id=SITE, kind="count", decision="released",
                     epsilon_spent=0.0)
        entry["hash"] = entry_hash(key, entry)
        store.collection(AUDIT).insert_one({"_id": seq, **entry})
        prev = entry["hash"]
    store.collection(AUDIT_HEAD).insert_one({"_id": "head", "seq": 2, "hash": prev})
    log = AuditLog(store, SECRET, SITE, tmp_path / "anchor.json")
    assert log.verify().ok
    assert log.append(kind="count", decision="released")["seq"] == 3
    assert log.verify().ok and store.collection(AUDIT_HEAD).find_one({"_id": "head"})["mac"]


# ------------------------------------------------------------------ the outside anchor: receipts

def test_receipts_kept_by_the_coordinator_catch_a_rewrite_by_someone_with_the_secret(store_uri, database_name,
                                                                                     tmp_path) -> None:
    key = Ed25519PrivateKey.generate()
    sites = ["hospital-a", "hospital-b", "hospital-c"]
    stores = [open_filled_store(store_uri, f"{database_name}_{i}", synthetic_docs(s, 15, seed=i))
              for i, s in enumerate(sites)]
    services = {s: make_service(st, s, key, anchor_path=tmp_path / s / "anchor.json") for s, st in zip(sites, stores)}
    book = ReceiptBook(tmp_path / "coord")
    try:
        for where in ("age > 1", "age > 2"):
            assert run_count(InProcessTransport(services), key, permit_for(key, sites), query_from_cli(where), 0.5,
                             receipts=book).error is None
        a = services["hospital-a"]
        receipts = book.all("hospital-a")
        assert len(receipts) == 6 and a.audit.verify(receipts).ok  # count, agree, reveal per count
        # an insider with the site secret drops the second count, its nonces and its ledger record,
        # and re-keys the end of the log
        gone = list(stores[0].collection(AUDIT).find({"_id": {"$gte": 3}}))
        stores[0].collection(AUDIT).delete_many({"_id": {"$gte": 3}})
        stores[0].collection("request_nonces").delete_many({"_id": {"$in": [e["nonce"] for e in gone]}})
        stores[0].collection("privacy_budget").delete_many({"permit_id": gone[0]["permit_id"]})
        a.audit.reanchor("cover-up")
        assert a.audit.verify().ok  # the node's own records are consistent again...
        report = a.audit.verify(receipts)
        assert not report.ok and sum("receipt" in p for p in report.problems) == 3  # ...the coordinator's are not
    finally:
        for st in stores:
            st.close()


# ------------------------------------------------------------------ O(1) appends

class _NoScans:
    """A collection proxy that fails on any query that is not a lookup by ``_id`` (a scan of the log)."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def __getattr__(self, name):
        attr = getattr(self._inner, name)
        if name in ("find", "find_one", "count_documents", "aggregate", "update_one", "delete_one"):
            def checked(*args, **kwargs):
                flt = args[0] if args else kwargs.get("filter", {})
                if not isinstance(flt, dict) or "_id" not in flt or isinstance(flt["_id"], dict):
                    raise AssertionError(f"audit append scanned the log: {name}({flt!r})")
                return attr(*args, **kwargs)
            return checked
        return attr


def test_append_reads_by_key_only(store, tmp_path) -> None:
    """Item 9: append must not sort or scan the log (it took 142 ms at 2,000 entries); only key lookups."""
    for anchor in (None, tmp_path / "anchor.json"):
        _assert_no_scans(AuditLog(store, SECRET, SITE) if anchor is None else AuditLog(store, SECRET, SITE, anchor))


def _assert_no_scans(log: AuditLog) -> None:
    before = log.verify().entries
    _fill(log, 5)
    log._log = _NoScans(log._log)
    log._head = _NoScans(log._head)
    for _ in range(3):
        log.append(kind="count", decision="released")
    log._log, log._head = log._log._inner, log._head._inner
    assert log.verify().ok and log.verify().entries == before + 8


def test_show_reads_the_last_entries_by_key(store) -> None:
    log = AuditLog(store, SECRET, SITE)
    _fill(log, 12)
    log._log = _NoScans(log._log)
    assert [e["seq"] for e in log.last(3)] == [9, 10, 11]
