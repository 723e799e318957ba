"""Building blocks of migrations: the stored version, the step type, re-stamping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from node.store.node_store import DOCUMENTS, PATIENTS, NodeStore
from schemas.version import SCHEMA_VERSION, SCHEMA_VERSION_SYSTEM, parse_version

META = "store_meta"
IMAGES = "images"  # node/images/pipeline.py (not imported here: it pulls in the image de-identifier)
VERSIONED = (PATIENTS, DOCUMENTS, IMAGES)
_RESOURCE_FIELDS = ("resource", "study", "media")  # FHIR resources inside a record, each with a version tag


class MigrationError(RuntimeError):
    """The store cannot be brought to the code's schema version; the message says why."""


@dataclass(frozen=True)
class Migration:
    """One step ``source`` -> ``target``; ``apply(store)`` returns how many records it changed."""

    source: str
    target: str
    summary: str
    apply: Callable[[NodeStore], int]


def stored_version(store: NodeStore) -> str | None:
    """The store's schema version (``None`` for an empty store without a meta record)."""
    meta = store.collection(META).find_one({"_id": "schema"})
    if meta:
        return str(meta["schema_version"])
    versions: set[str] = set()
    for name in VERSIONED:
        versions.update(v for v in store.collection(name).distinct("schema_version") if isinstance(v, str))
    if not versions:
        return None
    return min(versions, key=parse_version)


def record_version(store: NodeStore, version: str = SCHEMA_VERSION) -> None:
    store.collection(META).replace_one(
        {"_id": "schema"},
        {"_id": "schema", "schema_version": version, "updated_at": dt.datetime.now(dt.timezone.utc)},
        upsert=True)


def restamp(store: NodeStore, source: str, target: str) -> int:
    """Set ``schema_version`` (record, query fields, FHIR meta tags) from ``source`` to ``target``."""
    changed = 0
    projection = {"_id": 1, **{f"{f}.meta.tag": 1 for f in _RESOURCE_FIELDS}}
    for name in VERSIONED:
        col = store.collection(name)
        for doc in col.find({"schema_version": source}, projection):
            update: dict = {"schema_version": target, "query.schema_version": target}
            for resource in _RESOURCE_FIELDS:
                tags = (doc.get(resource) or {}).get("meta", {}).get("tag")
                if isinstance(tags, list):
                    update[f"{resource}.meta.tag"] = [
                        {**t, "code": target} if t.get("system") == SCHEMA_VERSION_SYSTEM else t for t in tags]
            changed += col.update_one({"_id": doc["_id"], "schema_version": source}, {"$set": update}).modified_count
    return changed


