"""Is a query snapshot still current? A cheap fingerprint of the ``documents`` collection.

The snapshot (:mod:`node.query.snapshot`) lives in the memory of one process,
while other processes write the store (``fednode ingest``, ``fednode restore``,
migrations, importers). Before every count the node reads a fingerprint and
rebuilds the snapshot when it differs from the one the snapshot was built under.
The fingerprint is read *before* the documents, so a write that lands while a
snapshot is being built changes the fingerprint and causes another rebuild.

- **Embedded store** (litemongo keeps each collection in one SQLite file, WAL
  mode): ``PRAGMA data_version`` on a connection of our own to the ``documents``
  file. SQLite changes it whenever *any other connection* (another process, or
  this process's store connection) commits to that file. It is exact for every
  write path there is (inserts, updates, deletes, restores, migrations, raw
  writes by tools) and costs microseconds.
- **MongoDB**: the ``documents`` generation (:meth:`NodeStore.mark_changed`,
  bumped by :meth:`NodeStore.insert_document`; a restore brings back the
  generation that goes with the restored data), the
  estimated document count (catches raw inserts and deletes that skip the
  generation) and the schema record's ``updated_at`` (migrations). An in-place
  update by a tool that skips ``mark_changed`` is not seen; that is why the
  snapshot is opt-in on MongoDB (``[query] count_engine``, see ``docs/queries.md``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Hashable, Iterator

import bson

from node.store.node_store import DOCUMENTS, NodeStore

SCHEMA_META = ("store_meta", "schema")  # node.migrations.base.META and its record


class Fingerprint:
    """Reads the fingerprint of one store's ``documents`` (one instance per open store)."""

    def __init__(self, store: NodeStore, use_sqlite: bool = True) -> None:
        self._store = store
        self._watch: sqlite3.Connection | None = None
        if use_sqlite and store.info.kind == "embedded":
            self._watch = _watch_connection(store)

    @property
    def exact(self) -> bool:
        """Whether every write, whatever its path, changes the fingerprint."""
        return self._watch is not None

    def raw_records(self) -> Iterator[dict] | None:
        """Embedded store only: every ``documents`` record, decoded straight from the SQLite file.

        About 10x faster than ``find`` (which runs mongomock's matcher and
        projection per document); one SELECT, so one consistent state of the file.
        ``None`` on MongoDB (use ``find``).
        """
        if self._watch is None:
            return None
        rows = self._watch.execute("SELECT doc FROM documents ORDER BY ROWID")
        return (bson.decode(row[0]) for row in rows)

    def read(self) -> Hashable:
        if self._watch is not None:
            return ("sqlite", self._watch.execute("PRAGMA data_version").fetchone()[0])
        col = self._store.collection(DOCUMENTS)
        meta = self._store.collection(SCHEMA_META[0]).find_one({"_id": SCHEMA_META[1]}, {"updated_at": 1}) or {}
        return ("mongodb", self._store.generation(DOCUMENTS), col.estimated_document_count(),
                str(meta.get("updated_at")))

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None


def _watch_connection(store: NodeStore) -> sqlite3.Connection | None:
    """A read-only connection to the SQLite file of the embedded ``documents`` collection.

    Returns ``None`` if the file is not where litemongo keeps it (then the generic
    MongoDB fingerprint is used).
    """
    col = store.collection(DOCUMENTS)
    col.estimated_document_count()  # makes the engine create the collection file if it does not exist yet
    path = Path(store.info.location) / col.database.name / DOCUMENTS
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("PRAGMA data_version").fetchone()
        conn.execute("SELECT doc FROM documents LIMIT 0")  # litemongo's table layout: (_id, doc BSON)
    except sqlite3.Error:
        return None
    return conn

