"""Audit-log append time at 10^3 and 10^5 entries: O(1) now, against the old O(n) append in the same run.

Usage::

    .venv/bin/python bench/audit_append.py [--sizes 1000 100000] [--appends 200] [--store embedded|mongodb]

For each size the log is first filled to that many valid, chained entries (bulk
``insert_many`` of entries built exactly as ``append`` builds them, so filling 10^5
takes seconds, not minutes), then ``--appends`` appends are timed with:

- ``AuditLog.append`` (this version: head read by key, anchor file, entry insert,
  head and anchor moved forward), and the same without the anchor file (the anchor's
  atomic rename is a filesystem operation whose cost varies with the disk, not with n);
- the old append (find the last entry with ``sort("_id", -1).limit(1)``, then
  insert and replace the head): the O(n) baseline from before issue 12;
- a plain ``insert_one`` of the same entry into a collection of the same size:
  the floor any append pays on this store.

It prints p50/p95 per append and the ratios 10^5 / 10^3 (1.0 = constant).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from node.governance.audit import AUDIT, AUDIT_HEAD, GENESIS, AuditLog, audit_key, entry_hash  # noqa: E402
from node.store import open_store  # noqa: E402

SECRET = b"bench-secret-0123456789abcdef012"
SITE = "bench-site"


def _entry(seq: int, prev: str, key: bytes) -> dict:
    entry = {"seq": seq, "prev": prev, "at": dt.datetime.now(dt.timezone.utc).isoformat(), "site_id": SITE,
             "kind": "count", "requester": "dr-bench", "permit_id": "permit-bench", "purpose": "scientific_research",
             "query": '{"by":["sex"],"where":{"field":"age","op":"gte","value":60}}', "epsilon": 0.5,
             "decision": "released", "reason": None, "answer": {"noisy": [120, 61, 57, 1, 0], "per_site": None},
             "epsilon_spent": 0.5, "nonce": f"{seq:032x}", "v": 2}
    entry["hash"] = entry_hash(key, entry)
    return entry


def fill(store, n: int) -> None:
    """``n`` chained entries, the head on the last one (what ``n`` appends would leave)."""
    key = audit_key(SECRET)
    col = store.collection(AUDIT)
    prev, batch = GENESIS, []
    for seq in range(n):
        entry = _entry(seq, prev, key)
        prev = entry["hash"]
        batch.append({"_id": seq, **entry})
        if len(batch) == 5000:
            col.insert_many(batch)
            batch = []
    if batch:
        col.insert_many(batch)
    log = AuditLog(store, SECRET, SITE)
    log._move_end(n - 1, prev, None, None)


def old_append(store, key: bytes) -> None:
    """The append before issue 12 (node/governance/audit.py at daa44f0): O(n) on the embedded store."""
    log, head = store.collection(AUDIT), store.collection(AUDIT_HEAD)
    last = next(iter(log.find({}, {"_id": 1, "hash": 1}).sort("_id", -1).limit(1)), None)
    seq = 0 if last is None else int(last["_id"]) + 1
    entry = _entry(seq, GENESIS if last is None else last["hash"], key)
    log.insert_one({"_id": seq, **entry})
    head.replace_one({"_id": "head"}, {"_id": "head", "seq": seq, "hash": entry["hash"]}, upsert=True)


def timed(fn, reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def measure_all(sizes: list[int], appends: int, uri_for, tmp: Path) -> dict[int, dict[str, list[float]]]:
    """Fill one log per size, then time the sizes *interleaved* (batches of 10 appends in turn), so that a
    change in the machine's load during the run hits every size alike."""
    key = audit_key(SECRET)
    results: dict[int, dict[str, list[float]]] = {size: {} for size in sizes}
    new, bare, old, plain = {}, {}, {}, {}
    for size in sizes:
        print(f"filling logs of {size:,} entries ...", flush=True)
        store = open_store(uri_for(tmp, f"new{size}"), f"bench_new_{size}")
        fill(store, size)
        new[size] = AuditLog(store, SECRET, SITE, tmp / f"anchor-{size}.json")
        bare[size] = AuditLog(store, SECRET, SITE)  # the same log without the anchor file: the store's part
        store_old = open_store(uri_for(tmp, f"old{size}"), f"bench_old_{size}")
        fill(store_old, size)
        col = store_old.collection("plain")
        col.insert_many([{"_id": i, **_entry(i, GENESIS, key)} for i in range(size)])
        old[size], plain[size] = store_old, col
    counter = iter(range(10 ** 9, 2 * 10 ** 9))
    methods = {
        "AuditLog.append (now)": lambda size: new[size].append(kind="count", decision="released",
                                                               requester="dr-bench", epsilon_spent=0.5),
        "  of which in the store (no anchor file)": lambda size: bare[size].append(
            kind="count", decision="released", requester="dr-bench", epsilon_spent=0.5),
        "plain insert_one (floor)": lambda size: plain[size].insert_one({"_id": next(counter),
                                                                         **_entry(0, GENESIS, key)}),
    }
    for _ in range(max(1, appends // 10)):
        for size in sizes:
            for name, fn in methods.items():
                results[size].setdefault(name, []).extend(timed(lambda: fn(size), 10))
    for size in sizes:  # the old append is slow at large sizes: fewer repetitions
        reps = appends if size <= 10_000 else max(5, appends // 20)
        results[size]["old append (sort for the last entry)"] = timed(lambda: old_append(old[size], key), reps)
        assert new[size].verify(cross_check=False).ok
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--appends", type=int, default=200)
    parser.add_argument("--mongodb-uri", default="", help="measure on a real MongoDB instead of the embedded store")
    args = parser.parse_args(argv)

    def uri_for(tmp: Path, name: str) -> str:
        return args.mongodb_uri or f"embedded://{tmp / name}"

    with tempfile.TemporaryDirectory() as tmp:
        table = measure_all(args.sizes, args.appends, uri_for, Path(tmp))
    store_kind = "MongoDB" if args.mongodb_uri else "embedded store (litemongo)"
    print(f"\naudit append time per entry, {store_kind}, {args.appends} appends per size, sizes interleaved "
          "(old: fewer at large sizes)")
    print(f"{'method':40s}" + "".join(f"{f'{s:,} p50':>14s}{f'{s:,} p95':>14s}" for s in args.sizes))
    for method in table[args.sizes[0]]:
        row = f"{method:40s}"
        for size in args.sizes:
            values = sorted(table[size][method])
            p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
            row += f"{statistics.median(values) * 1e3:>11.3f} ms{p95 * 1e3:>11.3f} ms"
        print(row)
    if len(args.sizes) >= 2:
        lo, hi = args.sizes[0], args.sizes[-1]
        print(f"\nratio of p50 at {hi:,} to p50 at {lo:,} entries (1.0 = constant time):")
        for method in table[lo]:
            ratio = statistics.median(table[hi][method]) / statistics.median(table[lo][method])
            print(f"  {method:40s} {ratio:8.2f}x")
        now = statistics.median(table[hi]["AuditLog.append (now)"])
        old = statistics.median(table[hi]["old append (sort for the last entry)"])
        print(f"  at {hi:,} entries the old append is {old / now:,.0f}x slower than the new one")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
