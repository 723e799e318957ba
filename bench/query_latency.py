"""Benchmark: latency of cohort counts, one node and across three nodes.

Prints p50/p99 of:

1. one-node count on the embedded store (litemongo = the mongomock engine on SQLite) at 10k and
   100k documents: (a) the count alone, on the in-memory snapshot (node/query/snapshot.py) and on
   the store path (compiled $match through the engine), (b) the snapshot's build time, (c) the
   node's full answer (verify the signed request, ledger, count, OpenDP noise, audit entry) with
   each engine, and, as the baseline measured in the same run, (d) the same count in plain
   Python over the same records in memory;
2. a cross-site count over 3 nodes (full protocol: hello, count, secure sum), with messages
   passed in-process as JSON (snapshot and store path), and carried by Flower (Simulation
   Engine; per-count time after start-up, and the start-up itself).

Targets (issue 4): < 50 ms p50 one node at 100k documents; < 1 s p50 cross-site.

    .venv/bin/python bench/query_latency.py [--sizes 10000 100000] [--reps 7] [--store-reps 3] [--no-flower]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from coordinator.governance.permits import issue_permit
from coordinator.query.count import run_count
from coordinator.query.transport import InProcessTransport
from node.governance.permits import QueryRequest, public_key_b64, sign_request
from node.query.counter import PatientCounter
from node.query.engine import count_patients
from node.query.fields import FIELDS
from node.query.service import NodeQueryService
from node.query.where import query_from_cli
from node.settings import QuerySection, load_settings
from node.store import open_store

TERMS = ["glioma", "pneumonia", "hypertension", "atrial fibrillation", "diabetes mellitus", "stroke"]
WORDS = ["mri", "head", "left", "frontal", "mass", "stable", "cough", "fever", "biopsy", "follow"]


def documents(site: str, n: int, seed: int = 1) -> list[dict]:
    """``n`` notes of ``n // 4`` patients with realistic query fields."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        p = i // 4
        prng = random.Random(p)
        age = min(90, prng.randint(0, 88) + i % 4)
        out.append({"_id": f"{site}-{i}", "patient_pseudonym": f"PX-{p:07d}", "site_id": site,
                    "query": {"site_id": site, "patient_pseudonym": f"PX-{p:07d}",
                              "sex": prng.choice(["female", "male"]), "age_at_note": age,
                              "age_band": "90+" if age >= 90 else f"{age // 10 * 10}-{age // 10 * 10 + 9}",
                              "note_type": rng.choice(["radiology_report", "progress_note", "discharge_summary"]),
                              "note_date_shifted": (dt.date(2030, 1, 1) + dt.timedelta(days=rng.randint(0, 900))).isoformat(),
                              "terms": sorted(rng.sample(TERMS, 2)), "tokens": sorted(rng.sample(WORDS, 5)),
                              "text_length": 900}})
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def fmt(label: str, secs: list[float]) -> str:
    return f"  {label:<66} p50 {1000 * pct(secs, .5):9.1f} ms   p99 {1000 * pct(secs, .99):9.1f} ms   (n={len(secs)})"


def python_count(docs: list[dict], min_age: int) -> tuple[int, dict]:
    patients: set[str] = set()
    by_sex: dict[str, set] = {}
    for d in docs:
        q = d["query"]
        if q["age_at_note"] >= min_age and "glioma" in q["terms"]:
            patients.add(d["patient_pseudonym"])
            by_sex.setdefault(q["sex"], set()).add(d["patient_pseudonym"])
    return len(patients), {k: len(v) for k, v in by_sex.items()}


def time_it(fn, reps: int) -> list[float]:
    out = []
    for i in range(reps):
        t = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t)
    return out


def one_node(n: int, reps: int, store_reps: int, tmp: Path, key: Ed25519PrivateKey) -> None:
    docs = documents("hospital-a", n)
    store = open_store(f"embedded://{tmp / f'one-{n}'}", "bench")
    store.ensure_schema()
    t = time.perf_counter()
    for i in range(0, n, 5000):
        store.collection("documents").insert_many(docs[i:i + 5000])
    print(f"\none node, {n:,} documents ({n // 4:,} patients); loaded in {time.perf_counter() - t:.1f} s")
    where = "age >= {} and term = glioma"
    counter = PatientCounter(store, "snapshot")
    t = time.perf_counter()
    snap = counter.snapshot()
    build = time.perf_counter() - t
    assert snap is not None
    print(f"  snapshot build (read every document's query fields, {n:,} rows): {build:.2f} s, paid after each "
          "change of the store")
    on_snapshot = time_it(lambda i: counter.count(query_from_cli(where.format(30 + i), ["sex"])), reps)
    assert counter.rebuilds == 1 and counter.last_path == "snapshot"
    on_store = time_it(lambda i: count_patients(store, query_from_cli(where.format(30 + i), ["sex"])), store_reps)
    baseline = time_it(lambda i: python_count(docs, 30 + i), reps)
    for q in [query_from_cli(where.format(30), ["sex"]), query_from_cli("text contains 'mri mass' or not sex = male",
                                                                        ["term", "age_band"])]:
        assert counter.count(q) == count_patients(store, q), "snapshot and store path disagree"
    q = counter.count(query_from_cli(where.format(30), ["sex"]))
    assert q.total == python_count(docs, 30)[0], "engine and baseline disagree"
    config = QuerySection(coordinator_public_key=public_key_b64(key), max_epsilon_per_query=1.0,
                          min_secure_sum_sites=2, requester_epsilon_budget=100.0, node_epsilon_budget=1000.0)
    service = NodeQueryService(store, b"s" * 32, "hospital-a", config)
    old_service = NodeQueryService(store, b"s" * 32, "hospital-a", config.model_copy(update={"count_engine": "store"}))
    permit = issue_permit(key, requester="bench", purpose="scientific_research", allowed_fields=sorted(FIELDS),
                          epsilon_budget=100.0, sites=["hospital-a", "hospital-b"])
    peer = NodeQueryService(store, b"t" * 32, "hospital-b", service.config).hello()["public_key"]

    def full(i: int, cached: bool = False, node: NodeQueryService = service) -> None:
        first_age = 60 if node is old_service else 40  # distinct queries: not answered from the shared ledger
        query = query_from_cli(where.format(30 if cached else first_age + i), ["sex"])
        req = QueryRequest(permit=permit, query=query.model_dump(mode="json", by_alias=True, exclude_none=True),
                           epsilon=0.1, participants={"hospital-a": service.hello()["public_key"], "hospital-b": peer},
                           protocol=2,
                           nonce=os.urandom(16).hex(), issued_at=dt.datetime.now(dt.timezone.utc))
        reply = node.count(sign_request(key, req).model_dump(mode="json"))
        assert reply["status"] == "ok", reply

    full(0)  # the service's own snapshot: built here, not timed (see the build time above)
    answered = time_it(lambda i: full(i + 1), reps)
    answered_old = time_it(lambda i: full(i, node=old_service), store_reps)
    full(0, cached=True)
    repeated = time_it(lambda i: full(i, cached=True), reps)
    print(fmt("count only, snapshot", on_snapshot))
    print(fmt("count only, store path (compiled $match on the embedded engine)", on_store))
    print(fmt("full node answer, snapshot (verify, ledger, count, noise, audit)", answered))
    print(fmt("full node answer, store path", answered_old))
    print(fmt("repeated query (answer from the ledger, no counting)", repeated))
    print(fmt("baseline: same count in plain Python, records in memory", baseline))
    b = pct(baseline, .5)
    print(f"  ratios to plain Python (p50): snapshot count {pct(on_snapshot, .5) / b:.2f}x, store-path count "
          f"{pct(on_store, .5) / b:.0f}x; snapshot is {pct(on_store, .5) / pct(on_snapshot, .5):.0f}x faster than the "
          f"store path; target < 50 ms p50 full answer: {'MET' if pct(answered, .5) < 0.05 else 'NOT MET'}")
    counter.close()
    store.close()


def cross_site(n: int, reps: int, store_reps: int, tmp: Path, key: Ed25519PrivateKey, flower: bool) -> None:
    from node.runtime import open_node

    sites = ["hospital-a", "hospital-b", "hospital-c"]
    nodes = []
    for i, site in enumerate(sites):
        env = {"FEDNET_NODE__SITE_ID": site, "FEDNET_NODE__SITE_NAME": site, "FEDNET_NODE__DATA_DIR": str(tmp / site),
               "FEDNET_QUERY__COORDINATOR_PUBLIC_KEY": public_key_b64(key),
               # two survivors when one node is dropped below; enough ε for every repetition
               "FEDNET_QUERY__MIN_SECURE_SUM_SITES": "2", "FEDNET_QUERY__REQUESTER_EPSILON_BUDGET": "100",
               "FEDNET_QUERY__NODE_EPSILON_BUDGET": "1000"}
        settings = load_settings(None, env)
        rt = open_node(settings, create=True)
        rt.store.collection("documents").insert_many(documents(site, n, seed=i))
        rt.close()
        nodes.append(settings)
    permit = issue_permit(key, requester="bench", purpose="scientific_research", allowed_fields=sorted(FIELDS),
                          epsilon_budget=100.0, sites=sites)
    print(f"\ncross-site count, 3 nodes x {n:,} documents, full protocol (hello, count, agree, reveal)")
    runtimes = [open_node(s) for s in nodes]
    from node.query.service import service_for

    services = {rt.settings.node.site_id: service_for(rt) for rt in runtimes}
    transport = InProcessTransport(services)
    first = time_it(lambda i: run_count(transport, key, permit, query_from_cli("age >= 19", ["sex"]), 0.1), 1)
    secs = time_it(lambda i: run_count(transport, key, permit, query_from_cli(f"age >= {20 + i}", ["sex"]), 0.1), reps)
    dropped = InProcessTransport(services, drop={"hospital-c": {"count"}})
    secs_drop = time_it(lambda i: run_count(dropped, key, permit, query_from_cli(f"age >= {60 + i}"), 0.1), reps)
    old = {site: NodeQueryService(s.store, s.site_secret, s.site_id, s.config.model_copy(update={"count_engine": "store"}))
           for site, s in services.items()}
    secs_old = time_it(lambda i: run_count(InProcessTransport(old), key, permit,
                                           query_from_cli(f"age >= {30 + i}", ["sex"]), 0.1), store_reps)
    for rt in runtimes:
        rt.close()
    print(fmt("first count after start (3 snapshots built)", first))
    print(fmt("messages in-process (JSON), snapshot, sites one after another", secs))
    print(fmt("same with one node dropped (survivors unmask it)", secs_drop))
    print(fmt("messages in-process, store path (before the snapshot)", secs_old))
    print(f"  ratio store path / snapshot (p50): {pct(secs_old, .5) / pct(secs, .5):.0f}x")
    if flower:
        from coordinator.query.flower_server import simulate_counts

        key_dir = tmp / "coord"
        key_dir.mkdir(exist_ok=True)
        from cryptography.hazmat.primitives import serialization

        (key_dir / "coordinator.key").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        jobs = [{"permit": permit.model_dump(mode="json"),
                 "query": query_from_cli(f"age >= {40 + i}", ["sex"]).model_dump(mode="json", by_alias=True),
                 "epsilon": 0.1, "key_dir": str(key_dir)} for i in range(reps)]
        t = time.perf_counter()
        results = simulate_counts(nodes, jobs)
        total = time.perf_counter() - t
        assert all(r.error is None for r, _ in results), [r.error for r, _ in results]
        fsecs = [s for _, s in results]
        print(fmt("Flower Simulation Engine (per count, after start-up)", fsecs))
        print(f"  Flower simulation start-up + shutdown: {total - sum(fsecs):.1f} s (paid once per session)")
    print(f"  target < 1 s p50: {'MET' if pct(secs, .5) < 1 else 'NOT MET'} (in-process)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--store-reps", type=int, default=3, help="repetitions of the (slow) store-path measurements")
    parser.add_argument("--cross-docs", type=int, default=10_000, help="documents per node for the cross-site count")
    parser.add_argument("--no-flower", action="store_true", help="skip the Flower simulation measurement")
    args = parser.parse_args()
    os.environ.setdefault("FLWR_TELEMETRY_ENABLED", "0")
    key = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            one_node(n, args.reps, args.store_reps, Path(tmp), key)
        cross_site(args.cross_docs, args.reps, args.store_reps, Path(tmp), key, not args.no_flower)


if __name__ == "__main__":
    main()
