"""Benchmark: the embedded store engine (litemongo, on disk) vs in-memory mongomock.

Prints inserts/s, a $match+$group aggregation and an indexed lookup for both
engines on the same synthetic query records, and the ratios (litemongo /
mongomock). With MONGODB_URI set it measures that real server too.

    .venv/bin/python bench/store_engines.py [--docs 5000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

import mongomock

from node.store import open_store
from node.store.node_store import DOCUMENTS, NodeStore, StoreInfo


def records(n: int, seed: int = 1) -> list[dict]:
    rnd = random.Random(seed)
    terms = ["glioma", "pneumonia", "fracture", "stroke", "cirrhosis", "lymphoma"]
    return [{"_id": f"d{i}", "patient_pseudonym": f"p{i // 4}", "site_id": "s1",
             "query": {"sex": rnd.choice(["female", "male"]), "age_at_note": rnd.randint(0, 90),
                       "note_type": rnd.choice(["progress", "discharge", "radiology"]),
                       "terms": rnd.sample(terms, 2)},
             "resource": {"text": "x" * 1200}} for i in range(n)]


def measure(store: NodeStore, docs: list[dict]) -> dict[str, float]:
    store.ensure_schema()
    t = time.perf_counter()
    for d in docs:
        store.insert_document(d)
    insert_s = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(5):
        store.aggregate(DOCUMENTS, [{"$match": {"query.age_at_note": {"$gte": 60}, "query.terms": "glioma"}},
                                    {"$group": {"_id": "$query.sex", "n": {"$sum": 1}}}])
    agg_s = (time.perf_counter() - t) / 5
    t = time.perf_counter()
    for i in range(0, len(docs), max(1, len(docs) // 200)):
        store.has_document(f"d{i}")
    lookups = len(range(0, len(docs), max(1, len(docs) // 200)))
    lookup_s = (time.perf_counter() - t) / lookups
    return {"inserts_per_s": len(docs) / insert_s, "aggregate_ms": agg_s * 1000, "lookup_ms": lookup_s * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=5000)
    args = parser.parse_args()
    docs = records(args.docs)
    client = mongomock.MongoClient()
    baseline = measure(NodeStore(client["bench"], StoreInfo("memory", "mongomock"), client), docs)
    with tempfile.TemporaryDirectory() as tmp:
        with open_store(f"embedded://{Path(tmp) / 'store'}", "bench") as store:
            embedded = measure(store, docs)
    rows = [("mongomock (memory, baseline)", baseline), ("litemongo (disk, embedded default)", embedded)]
    if os.environ.get("MONGODB_URI"):
        with open_store(os.environ["MONGODB_URI"], "fednet_bench") as store:
            store.collection(DOCUMENTS).drop()
            rows.append(("MongoDB server", measure(store, docs)))
    print(f"{args.docs} documents")
    print(f"{'engine':38s} {'inserts/s':>10s} {'aggregate ms':>13s} {'lookup ms':>10s}")
    for name, m in rows:
        print(f"{name:38s} {m['inserts_per_s']:10.0f} {m['aggregate_ms']:13.1f} {m['lookup_ms']:10.3f}")
    print("ratio litemongo/mongomock: inserts/s x{:.2f}, aggregate time x{:.2f}, lookup time x{:.2f}".format(
        embedded["inserts_per_s"] / baseline["inserts_per_s"], embedded["aggregate_ms"] / baseline["aggregate_ms"],
        embedded["lookup_ms"] / baseline["lookup_ms"]))


if __name__ == "__main__":
    main()
