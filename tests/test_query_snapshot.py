"""The in-memory query snapshot: same counts as the store path, and never stale.

1. Property test (hypothesis): on random stores (absent and null fields, values
   outside the public domains, empty and duplicated term lists, empty dates,
   patients with many notes) and random query trees with breakdowns and
   opt-outs, the snapshot's exact counts equal the store path's exactly.
2. Freshness: writes by another process (insert, in-place update, delete) and
   by another connection make the next count rebuild; an unchanged store is not
   rebuilt; an opt-out applies at once without a rebuild.
3. A stored value the snapshot does not model falls back to the store path.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from node.governance.optout import OptOutRegistry
from node.query.counter import PatientCounter
from node.query.engine import count_patients
from node.query.freshness import Fingerprint
from node.query.snapshot import SnapshotUnsupported, build_snapshot
from node.query.spec import parse_query
from node.query.where import query_from_cli
from node.store import open_store
from tests.query_helpers import open_filled_store, synthetic_docs

ROOT = Path(__file__).resolve().parents[1]
ABSENT = object()
PATIENTS = ["PX-A", "PX-B", "PX-C", "PX-D", "PX-E", "None"]
TERMS = ["glioma", "pneumonia", "stroke", "not a vocabulary term"]
WORDS = ["mri", "head", "mass", "cough"]
DATES = ["2030-12-31", "2031-01-01", "2031-01-31", "2031-02-01", "2031-06-15", "2032-01-01", ""]


def _maybe(values: st.SearchStrategy) -> st.SearchStrategy:
    """A field value, null, or the field left out (ABSENT)."""
    return st.one_of(values, values, values, st.none(), st.just(ABSENT))


documents = st.fixed_dictionaries({
    "patient_pseudonym": st.one_of(st.sampled_from(PATIENTS[:5]), st.sampled_from(PATIENTS[:5]), st.none(),
                                   st.just("None"), st.just(ABSENT)),
    "sex": _maybe(st.sampled_from(["female", "male", "other", "unknown", "X"])),
    "site_id": _maybe(st.sampled_from(["hospital-a", "hospital-b"])),
    "age_at_note": _maybe(st.integers(0, 95)),
    "age_band": _maybe(st.sampled_from(["0-9", "30-39", "60-69", "90+", "weird"])),
    "note_type": _maybe(st.sampled_from(["radiology_report", "progress_note", "nursing_note", "other_kind"])),
    "note_date_shifted": _maybe(st.sampled_from(DATES)),
    "terms": _maybe(st.lists(st.sampled_from(TERMS), max_size=3)),
    "tokens": _maybe(st.lists(st.sampled_from(WORDS), max_size=3)),
    "modality": st.one_of(st.just(ABSENT), st.just(ABSENT), st.sampled_from(["MR", "CT"]), st.none()),
    "body_region": st.one_of(st.just(ABSENT), st.sampled_from(["head", "chest"])),
})

compare = st.one_of(
    st.builds(lambda op, v: {"field": "sex", "op": op, "value": v}, st.sampled_from(["eq", "ne"]),
              st.sampled_from(["female", "male", "other"])),
    st.builds(lambda v: {"field": "sex", "op": "in", "value": v}, st.lists(st.sampled_from(["female", "male"]),
                                                                            min_size=1, max_size=2)),
    st.builds(lambda op, v: {"field": "site", "op": op, "value": v}, st.sampled_from(["eq", "ne"]),
              st.sampled_from(["hospital-a", "hospital-b", "hospital-z"])),
    st.builds(lambda op, v: {"field": "age", "op": op, "value": v},
              st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]), st.integers(0, 90)),
    st.builds(lambda a, b: {"field": "age", "op": "between", "value": sorted([a, b])}, st.integers(0, 90),
              st.integers(0, 90)),
    st.builds(lambda op, v: {"field": "age_band", "op": op, "value": v}, st.sampled_from(["eq", "ne"]),
              st.sampled_from(["30-39", "60-69", "90+"])),
    st.builds(lambda v: {"field": "note_type", "op": "in", "value": v},
              st.lists(st.sampled_from(["radiology_report", "progress_note", "nursing_note"]), min_size=1,
                       max_size=2)),
    st.builds(lambda op, v: {"field": "term", "op": op, "value": v}, st.just("eq"), st.sampled_from(TERMS[:3])),
    st.builds(lambda v: {"field": "term", "op": "in", "value": v}, st.lists(st.sampled_from(TERMS[:3]), min_size=1,
                                                                             max_size=2)),
    st.builds(lambda v: {"field": "text", "op": "contains", "value": " ".join(v)},
              st.lists(st.sampled_from(WORDS + ["absentword"]), min_size=1, max_size=2)),
    st.builds(lambda op, v: {"field": "note_date", "op": op, "value": v}, st.sampled_from(["gte", "lt"]),
              st.sampled_from(["2031", "2031-01", "2031-02", "2030-12", "2032"])),
    st.builds(lambda a, b: {"field": "note_date", "op": "between", "value": sorted([a, b])},
              st.sampled_from(["2030-12", "2031-01", "2031-06"]), st.sampled_from(["2031-01", "2031", "2032"])),
    st.builds(lambda op, v: {"field": "modality", "op": op, "value": v}, st.sampled_from(["eq", "ne"]),
              st.sampled_from(["MR", "CT"])),
)
conditions = st.recursive(compare, lambda c: st.one_of(
    st.builds(lambda xs: {"and": xs}, st.lists(c, min_size=1, max_size=3)),
    st.builds(lambda xs: {"or": xs}, st.lists(c, min_size=1, max_size=3)),
    st.builds(lambda x: {"not": x}, c)), max_leaves=6)
breakdowns = st.lists(st.sampled_from(["sex", "age_band", "note_type", "term", "modality", "body_region"]),
                      max_size=2, unique=True)
queries = st.builds(lambda where, by: parse_query({"where": where, "by": by} if where else {"by": by}),
                    st.one_of(st.none(), conditions), breakdowns)


def _record(i: int, fields: dict) -> dict:
    query = {k: v for k, v in fields.items() if v is not ABSENT}
    return {"_id": f"doc-{i}", "query": query}


@pytest.fixture
def scratch(store_uri: str, database_name: str):
    store = open_store(store_uri, database_name)
    store.ensure_schema()
    yield store
    store.close()


def test_snapshot_counts_equal_store_path_on_random_stores_and_queries(scratch) -> None:
    examples = 0
    counter = PatientCounter(scratch, "snapshot")  # the production path: fingerprint, raw read, rebuild

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(documents, max_size=30), st.lists(queries, min_size=1, max_size=4),
           st.lists(st.sampled_from(PATIENTS), max_size=2), st.integers(1, 3))
    def run(docs, qs, excluded, bound) -> None:
        nonlocal examples
        col = scratch.collection("documents")
        col.delete_many({})
        if docs:
            col.insert_many([_record(i, d) for i, d in enumerate(docs)])
        scratch.mark_changed("documents")  # the contract for raw writers (exact without it on the embedded store)
        snap = build_snapshot(scratch)  # through find
        assert snap.n_docs == len(docs)
        for q in qs:
            expected = count_patients(scratch, q, excluded=excluded, max_cells_per_patient=bound)
            assert snap.count(q, excluded=excluded, max_cells_per_patient=bound) == expected, q.canonical()
            assert counter.count(q, excluded=excluded, max_cells_per_patient=bound) == expected, q.canonical()
            assert counter.last_path == "snapshot"
            examples += 1

    run()
    counter.close()
    assert examples >= 60


DOCS = synthetic_docs("hospital-a", 30, notes_per_patient=3, seed=5)
Q_AGE = query_from_cli("age >= 40", ["sex"])


def _write_in_other_process(store_uri: str, database: str, code: str) -> None:
    """Run ``code`` (with ``col`` = the documents collection) in a fresh Python process."""
    script = ("import json, sys\nfrom node.store import open_store\n"
              f"s = open_store({store_uri!r}, {database!r})\ncol = s.collection('documents')\n{code}\ns.close()\n")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)


def test_writes_by_another_process_rebuild_the_snapshot(store_uri: str, database_name: str) -> None:
    store = open_filled_store(store_uri, database_name, DOCS)
    counter = PatientCounter(store, "snapshot")
    try:
        first = counter.count(Q_AGE)
        assert counter.last_path == "snapshot" and counter.rebuilds == 1
        assert counter.count(Q_AGE) == first and counter.rebuilds == 1  # unchanged store: no rebuild
        new = dict(DOCS[0], _id="new-doc", patient_pseudonym="PX-NEW")
        new["query"] = dict(DOCS[0]["query"], patient_pseudonym="PX-NEW", age_at_note=70, age_band="70-79")
        # insert through NodeStore.insert_document (bumps the generation)
        _write_in_other_process(store_uri, database_name, f"s.insert_document(json.loads({json.dumps(json.dumps(new))}))")
        after_insert = counter.count(Q_AGE)
        assert after_insert.total == first.total + 1 and after_insert == count_patients(store, Q_AGE)
        # an in-place update that skips mark_changed: exact on the embedded store (SQLite data_version)
        if store.info.kind == "embedded":
            _write_in_other_process(store_uri, database_name,
                                    "col.update_one({'_id': 'new-doc'}, {'$set': {'query.age_at_note': 10}})")
            assert counter.count(Q_AGE) == count_patients(store, Q_AGE) == first
            # a raw delete
            _write_in_other_process(store_uri, database_name, "col.delete_many({'query.sex': 'female'})")
            assert counter.count(Q_AGE) == count_patients(store, Q_AGE)
            assert counter.count(Q_AGE).values[0] == 0  # cell "female"
        assert counter.rebuilds >= 2
    finally:
        counter.close()
        store.close()


def test_writes_through_another_connection_rebuild(store_uri: str, database_name: str) -> None:
    store = open_filled_store(store_uri, database_name, DOCS)
    other = open_store(store_uri, database_name)
    counter = PatientCounter(store, "snapshot")
    try:
        before = counter.count(Q_AGE)
        other.collection("documents").insert_many(synthetic_docs("clinic-b", 5, seed=9))
        assert counter.count(Q_AGE) == count_patients(store, Q_AGE) != before
    finally:
        counter.close()
        other.close()
        store.close()


def test_opt_out_applies_at_once_without_rebuild(store_uri: str, database_name: str) -> None:
    store = open_filled_store(store_uri, database_name, DOCS)
    counter = PatientCounter(store, "snapshot")
    registry = OptOutRegistry(store)
    try:
        before = counter.count(Q_AGE, excluded=registry.pseudonyms())
        rebuilds = counter.rebuilds
        older = next(d["query"]["patient_pseudonym"] for d in DOCS if d["query"]["age_at_note"] >= 40)
        registry.add(older)
        after = counter.count(Q_AGE, excluded=registry.pseudonyms())
        assert after.total == before.total - 1 and counter.rebuilds == rebuilds
        assert after == count_patients(store, Q_AGE, excluded=registry.pseudonyms())
    finally:
        counter.close()
        store.close()


def test_generic_fingerprint_sees_generation_and_count(store_uri: str, database_name: str) -> None:
    """The MongoDB fingerprint (generation + count + schema record) changes on each write path that bumps it."""
    store = open_filled_store(store_uri, database_name, DOCS)
    fp = Fingerprint(store, use_sqlite=False)
    try:
        seen = [fp.read()]
        assert store.insert_document(dict(DOCS[0], _id="g-1"))
        seen.append(fp.read())
        store.collection("documents").insert_one(dict(DOCS[0], _id="g-2"))  # raw insert: the count changes
        seen.append(fp.read())
        store.mark_changed("documents")  # what restore and other bulk writers call
        seen.append(fp.read())
        assert len(set(seen)) == 4
        assert fp.read() == seen[-1]
    finally:
        fp.close()
        store.close()


def test_unsupported_values_fall_back_to_the_store_path(store_uri: str, database_name: str) -> None:
    odd = dict(DOCS[0], _id="odd")
    odd["query"] = dict(DOCS[0]["query"], age_at_note=44.5)
    store = open_filled_store(store_uri, database_name, [*DOCS, odd])
    counter = PatientCounter(store, "snapshot")
    try:
        with pytest.raises(SnapshotUnsupported, match="age"):
            build_snapshot(store)
        assert counter.count(Q_AGE) == count_patients(store, Q_AGE)
        assert counter.last_path == "store"
    finally:
        counter.close()
        store.close()


def test_auto_engine_uses_the_snapshot_on_the_embedded_store_only(store_uri: str, database_name: str) -> None:
    store = open_filled_store(store_uri, database_name, DOCS)
    counter = PatientCounter(store, "auto")
    try:
        counter.count(Q_AGE)
        assert counter.last_path == ("snapshot" if store.info.kind == "embedded" else "store")
        assert PatientCounter(store, "store").count(Q_AGE) == counter.count(Q_AGE)
    finally:
        counter.close()
        store.close()
