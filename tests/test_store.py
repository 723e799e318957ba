"""The node store: same behaviour on the embedded engine and (with MONGODB_URI) a real MongoDB."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from node.store import StoreError, open_store
from node.store.node_store import DOCUMENTS, PATIENTS


def _doc(i: int, sex: str = "female", age: int = 50) -> dict:
    return {"_id": f"doc-{i}", "patient_pseudonym": f"p{i % 3}", "site_id": "s1",
            "query": {"sex": sex, "age_at_note": age, "terms": ["glioma"] if i % 2 else []}}


def test_insert_is_idempotent_by_id(store_uri, database_name):
    with open_store(store_uri, database_name) as store:
        store.ensure_schema()
        assert store.insert_document(_doc(1)) is True
        assert store.insert_document(_doc(1)) is False
        assert store.count(DOCUMENTS) == 1
        assert store.has_document("doc-1") and not store.has_document("doc-2")


def test_restart_keeps_data(store_uri, database_name):
    with open_store(store_uri, database_name) as store:
        store.ensure_schema()
        for i in range(25):
            store.insert_document(_doc(i))
        store.upsert_patient({"_id": "p0", "site_id": "s1", "query": {"sex": "female"}})
    with open_store(store_uri, database_name) as store:
        assert store.count(DOCUMENTS) == 25
        assert store.has_patient("p0")
        assert store.collection(DOCUMENTS).find_one({"_id": "doc-7"})["query"]["age_at_note"] == 50


def test_query_field_indexes_exist(store_uri, database_name):
    with open_store(store_uri, database_name) as store:
        store.ensure_schema()
        keys = {tuple(k for k, _ in spec["key"]) for spec in store.collection(DOCUMENTS).index_information().values()}
    assert ("query.sex", "query.age_at_note") in keys
    assert ("query.terms",) in keys and ("query.note_type",) in keys


def test_aggregate_counts(store_uri, database_name):
    with open_store(store_uri, database_name) as store:
        for i in range(10):
            store.insert_document(_doc(i, sex="male" if i < 4 else "female", age=30 + i * 5))
        rows = store.aggregate(DOCUMENTS, [{"$match": {"query.age_at_note": {"$gte": 50}}},
                                           {"$group": {"_id": "$query.sex", "n": {"$sum": 1}}}])
    assert {r["_id"]: r["n"] for r in rows} == {"female": 6}


def test_quarantine_records_once(store_uri, database_name):
    with open_store(store_uri, database_name) as store:
        record = {"_id": "h1", "source": "notes/a.txt", "kind": "empty", "reason": "notes/a.txt: the file is empty"}
        assert store.quarantine(record) is True
        assert store.quarantine(record) is False
        rows = store.list_quarantine()
    assert [(r["source"], r["kind"]) for r in rows] == [("notes/a.txt", "empty")]


_WRITER = textwrap.dedent("""
    import sys
    from node.store import open_store
    store = open_store(sys.argv[1], sys.argv[2])
    i = 0
    print("ready", flush=True)
    while True:
        store.insert_document({"_id": f"d{i}", "payload": "x" * 4000, "n": i})
        i += 1
""")


def test_store_survives_killed_writer(store_uri, database_name):
    """SIGKILL a process in the middle of writing: every stored document is whole, the store works."""
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, store_uri, database_name],
                            stdout=subprocess.PIPE, text=True, env={**os.environ})
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with open_store(store_uri, database_name) as store:
        n = store.count(DOCUMENTS)
        assert n > 0
        assert store.count(DOCUMENTS, {"payload": {"$ne": "x" * 4000}}) == 0
        ids = {d["n"] for d in store.iter_documents({"n": 1})}
        assert ids == set(range(n)), "writes are committed in order, none half-written"
        assert store.insert_document({"_id": "after-crash", "n": -1})


def test_unreachable_mongodb_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot reach MongoDB at 127.0.0.1"):
        open_store("mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300")


def test_real_mongodb_validator_rejects_bad_documents(store_uri, database_name):
    """$jsonSchema validation is enforced by a real MongoDB only; the embedded engine validates in code."""
    if not store_uri.startswith("mongodb"):
        pytest.skip("needs MONGODB_URI: the embedded engine does not enforce $jsonSchema")
    from pymongo.errors import WriteError

    from schemas.jsonschema import mongo_validator

    with open_store(store_uri, database_name) as store:
        store.ensure_schema({name: mongo_validator(name) for name in (PATIENTS, DOCUMENTS)})
        with pytest.raises(WriteError):
            store.collection(DOCUMENTS).insert_one({"_id": "bad", "unexpected": True})
