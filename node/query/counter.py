"""Which way a node counts: the in-memory snapshot (kept current) or the store itself.

``[query] count_engine``:

- ``auto`` (default): the snapshot on the embedded store (where the store path
  interprets every query in Python, ~1 s per 10k documents, and the fingerprint
  is exact), the aggregation pipeline on MongoDB (indexed, evaluated by the
  server, always current, and not bounded by this process's memory);
- ``snapshot``: the snapshot on any store (on MongoDB: only if every writer of
  ``documents`` goes through :class:`~node.store.node_store.NodeStore` or calls
  ``mark_changed``; see :mod:`node.query.freshness`);
- ``store``: always the store path (:func:`node.query.engine.count_patients`).

Both give the same exact counts (``tests/test_query_snapshot.py``).
"""

from __future__ import annotations

import threading
from typing import Iterable, Literal

from node.query.engine import ExactCounts, count_patients
from node.query.freshness import Fingerprint
from node.query.snapshot import QuerySnapshot, SnapshotUnsupported, build_snapshot
from node.query.spec import CountQuery
from node.store.node_store import NodeStore

EngineChoice = Literal["auto", "snapshot", "store"]


class PatientCounter:
    """Exact patient counts for one store, from a snapshot rebuilt whenever the store changed.

    Parameters
    ----------
    store:
        The node's store.
    engine:
        ``auto``, ``snapshot`` or ``store`` (see the module docstring).

    Attributes
    ----------
    rebuilds:
        How many snapshots were built (for tests and benchmarks).
    last_path:
        ``"snapshot"`` or ``"store"``: how the last count was made.
    """

    def __init__(self, store: NodeStore, engine: EngineChoice = "auto") -> None:
        self.store = store
        self.use_snapshot = engine == "snapshot" or (engine == "auto" and store.info.kind == "embedded")
        self._fingerprint = Fingerprint(store) if self.use_snapshot else None
        self._snapshot: QuerySnapshot | None = None
        self._unsupported_at: object = None  # fingerprint at which the data could not be snapshotted
        self._lock = threading.Lock()
        self.rebuilds = 0
        self.last_path = ""

    def snapshot(self) -> QuerySnapshot | None:
        """The current snapshot (rebuilt first if the store changed); ``None`` if the data cannot be snapshotted."""
        if self._fingerprint is None:
            return None
        with self._lock:
            version = self._fingerprint.read()
            if self._snapshot is not None and self._snapshot.version == version:
                return self._snapshot
            if self._unsupported_at == version:
                return None
            self._snapshot = None
            try:
                self._snapshot = build_snapshot(self.store, version, self._fingerprint.raw_records())
            except SnapshotUnsupported:
                self._unsupported_at = version
                return None
            self.rebuilds += 1
            return self._snapshot

    def count(self, query: CountQuery, *, excluded: Iterable[str] | None = None,
              max_cells_per_patient: int = 2) -> ExactCounts:
        """Exact distinct-patient counts (see :func:`node.query.engine.count_patients`)."""
        snap = self.snapshot()
        excluded = list(excluded or [])
        if snap is not None:
            self.last_path = "snapshot"
            return snap.count(query, excluded=excluded, max_cells_per_patient=max_cells_per_patient)
        self.last_path = "store"
        return count_patients(self.store, query, excluded=excluded, max_cells_per_patient=max_cells_per_patient)

    def close(self) -> None:
        if self._fingerprint is not None:
            self._fingerprint.close()
