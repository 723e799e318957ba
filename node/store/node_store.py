"""NodeStore: the only code that knows the node's collections and how to reach them.

Why the embedded engine is litemongo (evidence in ``bench/store_engines.py`` and
``tests/test_store.py``): it is the mongomock engine (same pymongo API, same
aggregation subset) with each collection persisted as an SQLite file in WAL
mode, so every write is one atomic SQLite transaction. A writer killed with
SIGKILL mid-stream leaves every committed document whole and the store
writable (``test_store_survives_killed_writer``); data survives a restart.
Plain mongomock is in-memory only; no real ``mongod`` can be installed here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping
from urllib.parse import urlparse

import pymongo
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

PATIENTS = "patients"
DOCUMENTS = "documents"
QUARANTINE = "quarantine"
INGEST_RUNS = "ingest_runs"
GENERATIONS = "generations"  # one change token per collection, for in-memory caches (query snapshot)

# Indexes on the query fields (see schemas/query_fields.py) and on what ingest looks up.
_INDEXES: dict[str, list[list[tuple[str, int]]]] = {
    DOCUMENTS: [
        [("patient_pseudonym", 1)],
        [("query.sex", 1), ("query.age_at_note", 1)],
        [("query.note_type", 1)],
        [("query.terms", 1)],
        [("query.tokens", 1)],
        [("query.site_id", 1)],
    ],
    PATIENTS: [[("query.sex", 1)]],
    QUARANTINE: [[("kind", 1)], [("at", 1)]],
}


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message says which store and what to do."""


@dataclass(frozen=True)
class StoreInfo:
    kind: str  # "mongodb" or "embedded"
    location: str  # host list or folder, never credentials


class NodeStore:
    """Typed access to a node's collections.

    Parameters
    ----------
    db:
        A pymongo ``Database`` (real or embedded).
    info:
        What kind of store this is, for status output.
    """

    def __init__(self, db: Database, info: StoreInfo, client: Any) -> None:
        self._db = db
        self._client = client
        self.info = info

    # -- lifecycle ---------------------------------------------------------------------------
    def ensure_schema(self, validators: Mapping[str, dict] | None = None) -> None:
        """Create indexes, and on a real MongoDB attach ``$jsonSchema`` validators."""
        if validators and self.info.kind == "mongodb":
            existing = set(self._db.list_collection_names())
            for name, validator in validators.items():
                if name in existing:
                    self._db.command("collMod", name, validator=validator, validationLevel="strict")
                else:
                    self._db.create_collection(name, validator=validator, validationLevel="strict")
        for name, indexes in _INDEXES.items():
            for keys in indexes:
                self._db[name].create_index(keys)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "NodeStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- collections -------------------------------------------------------------------------
    def collection(self, name: str) -> Collection:
        """Raw access for the query layer and audits; ingest uses the typed methods."""
        return self._db[name]

    def collection_names(self) -> list[str]:
        return sorted(self._db.list_collection_names())

    # -- patients ----------------------------------------------------------------------------
    def upsert_patient(self, record: dict) -> None:
        """Insert or replace a de-identified patient record keyed by its pseudonym (``_id``)."""
        self._db[PATIENTS].replace_one({"_id": record["_id"]}, record, upsert=True)

    def has_patient(self, pseudonym: str) -> bool:
        return self._db[PATIENTS].count_documents({"_id": pseudonym}, limit=1) > 0

    # -- documents ---------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self._db[DOCUMENTS].count_documents({"_id": doc_id}, limit=1) > 0

    def insert_document(self, record: dict) -> bool:
        """Insert one complete document record atomically.

        Returns ``False`` (and writes nothing) when a record with the same ``_id``
        (content hash) is already stored: re-ingesting is a no-op.
        """
        try:
            self._db[DOCUMENTS].insert_one(record)
        except DuplicateKeyError:
            return False
        self.mark_changed(DOCUMENTS)
        return True

    def mark_changed(self, collection: str) -> None:
        """Record that ``collection`` changed, after the change: caches built from it rebuild.

        Each call stores a fresh random token (and counts up), so two writers racing
        can never leave behind a value a reader has already seen. Code that writes
        query fields of ``documents`` directly must call this (see node/query/freshness.py).
        """
        self._db[GENERATIONS].update_one(
            {"_id": collection}, {"$inc": {"n": 1}, "$set": {"token": uuid.uuid4().hex}}, upsert=True)

    def generation(self, collection: str) -> tuple[int, str] | None:
        """``(n, token)`` of the last :meth:`mark_changed` of ``collection`` (``None``: never marked)."""
        doc = self._db[GENERATIONS].find_one({"_id": collection})
        return (int(doc.get("n", 0)), str(doc.get("token"))) if doc else None

    def iter_documents(self, projection: Mapping[str, Any] | None = None) -> Iterator[dict]:
        yield from self._db[DOCUMENTS].find({}, projection)

    def count(self, collection: str, flt: Mapping[str, Any] | None = None) -> int:
        return self._db[collection].count_documents(dict(flt or {}))

    def aggregate(self, collection: str, pipeline: list[dict]) -> list[dict]:
        return list(self._db[collection].aggregate(pipeline))

    # -- quarantine --------------------------------------------------------------------------
    def quarantine(self, record: dict) -> bool:
        """Record a rejected input (reason, source, hash; never its content).

        Keyed by ``_id`` so the same bad input quarantined twice is recorded once.
        """
        record = {**record, "at": record.get("at") or dt.datetime.now(dt.timezone.utc)}
        try:
            self._db[QUARANTINE].insert_one(record)
        except DuplicateKeyError:
            return False
        return True

    def list_quarantine(self) -> list[dict]:
        return list(self._db[QUARANTINE].find({}, {"_id": 0}).sort("at", 1))

    # -- ingest runs (resumability and operator statistics) ----------------------------------
    def record_run(self, run: dict) -> None:
        self._db[INGEST_RUNS].replace_one({"_id": run["_id"]}, run, upsert=True)

    def runs(self) -> list[dict]:
        return list(self._db[INGEST_RUNS].find({}).sort("started_at", 1))

    def all_records(self) -> Iterable[tuple[str, dict]]:
        """Every record of every collection, for audits such as the planted-PHI check."""
        for name in self.collection_names():
            for doc in self._db[name].find({}):
                yield name, doc


def open_store(uri: str, database: str = "fednet_node") -> NodeStore:
    """Open a node store.

    Parameters
    ----------
    uri:
        ``mongodb://`` or ``mongodb+srv://`` for a real server; ``embedded:///abs/folder``
        (or a plain folder path) for the embedded on-disk engine.
    database:
        Database name.

    Raises
    ------
    StoreError
        If the server cannot be reached or the folder cannot be used.
    """
    parsed = urlparse(uri)
    if parsed.scheme in ("mongodb", "mongodb+srv"):
        client: Any = pymongo.MongoClient(uri, serverSelectionTimeoutMS=5000, tz_aware=True)
        try:
            client.admin.command("ping")
        except PyMongoError as exc:
            host = parsed.hostname or "?"
            raise StoreError(
                f"cannot reach MongoDB at {host}: {exc.__class__.__name__}. Check store_uri / "
                "MONGODB_URI, the server, credentials and TLS settings."
            ) from None
        return NodeStore(client[database], StoreInfo("mongodb", parsed.hostname or "?"), client)
    folder = Path(parsed.path if parsed.scheme == "embedded" else uri)
    if not str(folder):
        raise StoreError(f"store URI {uri!r} names no folder: use embedded:///abs/path or mongodb://host")
    try:
        import litemongo

        folder.mkdir(parents=True, exist_ok=True)
        client = litemongo.connect(f"{folder}#{database}", tz_aware=True)
    except OSError as exc:
        raise StoreError(f"cannot open the embedded store in {folder}: {exc}. Check the folder's permissions.") from None
    return NodeStore(client[database], StoreInfo("embedded", str(folder)), client)
