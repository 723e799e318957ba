"""1.0.0 -> 1.1.0: add ``query.tokens`` (keyword search) to documents stored before it existed."""

from __future__ import annotations

from node.migrations.base import Migration, restamp
from node.store.node_store import DOCUMENTS, NodeStore
from schemas.query_fields import extract_tokens
from schemas.resources import SchemaError, document_text

SOURCE, TARGET = "1.0.0", "1.1.0"


def apply(store: NodeStore) -> int:
    """Derive the tokens from each 1.0.0 document's de-identified text, then re-stamp the version."""
    col = store.collection(DOCUMENTS)
    for doc in col.find({"schema_version": SOURCE}, {"_id": 1, "resource": 1}):
        try:
            tokens = extract_tokens(document_text(doc["resource"]))
        except (SchemaError, KeyError):
            tokens = []  # no readable text: no keyword can match it, as for a note without words
        col.update_one({"_id": doc["_id"], "schema_version": SOURCE}, {"$set": {"query.tokens": tokens}})
    return restamp(store, SOURCE, TARGET)


MIGRATION = Migration(SOURCE, TARGET, "add query.tokens to documents (keyword search)", apply)
