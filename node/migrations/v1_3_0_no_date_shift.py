"""1.2.0 -> 1.3.0: remove the patient's date shift from stored image records.

Schema 1.2.0 image records kept ``provenance.date_shift_days`` (and the same inside
``provenance.header``): with it, anyone who can read the store could undo the date shift
of every date of a patient with an image. This step drops every such key at any depth of
every image's provenance (whatever its version, so running it again is harmless), then
re-stamps the records to 1.3.0.
"""

from __future__ import annotations

from typing import Any

from node.migrations.base import IMAGES, Migration, restamp
from node.store.node_store import NodeStore

SOURCE, TARGET = "1.2.0", "1.3.0"
UNSTORED_KEYS = frozenset({"date_shift_days"})  # as schemas/imaging.py UNSTORED_PROVENANCE_KEYS


def _without(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without(v) for k, v in value.items() if k not in UNSTORED_KEYS}
    if isinstance(value, list):
        return [_without(v) for v in value]
    return value


def strip_date_shift(store: NodeStore) -> int:
    """Remove the date shift from every image's provenance; return how many records changed."""
    col = store.collection(IMAGES)
    changed = 0
    for doc in col.find({}, {"_id": 1, "provenance": 1}):
        provenance = doc.get("provenance")
        cleaned = _without(provenance)
        if cleaned != provenance:
            changed += col.update_one({"_id": doc["_id"]}, {"$set": {"provenance": cleaned}}).modified_count
    return changed


def apply(store: NodeStore) -> int:
    return strip_date_shift(store) + restamp(store, SOURCE, TARGET)


MIGRATION = Migration(SOURCE, TARGET, "remove the date shift from image records (provenance.date_shift_days)", apply)
