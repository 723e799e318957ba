"""The opt-out registry: patient pseudonyms excluded from every count and training set.

Node-local (collection ``optouts``). The registry holds only the keyed
pseudonym (never the MRN): an operator registers a patient by MRN and the node
derives the pseudonym with its site secret, exactly as ingest does. Every count
reads the registry at query time, so an opt-out applies from that moment, and
a stored answer is only reused while the registry is unchanged
(:func:`registry_digest` is part of the answer's key, see
:mod:`node.disclosure.ledger`).
Training code gets the same list via :meth:`OptOutRegistry.pseudonyms` or a
ready-made MongoDB filter via :meth:`OptOutRegistry.exclusion_filter`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Iterable

from node.store.node_store import NodeStore

OPTOUTS = "optouts"
_PSEUDONYM = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


class OptOutRegistry:
    def __init__(self, store: NodeStore) -> None:
        self._col = store.collection(OPTOUTS)

    def add(self, pseudonym: str, source: str = "operator") -> bool:
        """Register an opt-out; ``False`` if the patient had already opted out."""
        if not _PSEUDONYM.match(pseudonym):
            raise ValueError(f"not a patient pseudonym: {pseudonym!r} (letters, digits, '-' and '.'; up to 64)")
        result = self._col.update_one(
            {"_id": pseudonym},
            {"$setOnInsert": {"at": dt.datetime.now(dt.timezone.utc), "source": source}},
            upsert=True,
        )
        return result.upserted_id is not None

    def remove(self, pseudonym: str) -> bool:
        """Withdraw an opt-out (the patient opts back in)."""
        return self._col.delete_one({"_id": pseudonym}).deleted_count == 1

    def pseudonyms(self) -> list[str]:
        return sorted(doc["_id"] for doc in self._col.find({}, {"_id": 1}))

    def list(self) -> list[dict]:
        return list(self._col.find({}).sort("at", 1))

    def exclusion_filter(self, path: str = "patient_pseudonym") -> dict:
        """A ``$match`` document that drops opted-out patients (for training data loaders)."""
        return {path: {"$nin": self.pseudonyms()}}


def registry_digest(pseudonyms: Iterable[str]) -> str:
    """A digest of the set of opted-out patients (changes with every opt-out or withdrawal)."""
    return hashlib.sha256("\x1f".join(sorted(set(pseudonyms))).encode("utf-8")).hexdigest()


def pseudonym_for_mrn(secret: bytes, mrn: str, deid_config_path=None) -> str:
    """The pseudonym ingest gives the patient with this MRN (same key, same prefix)."""
    from deid.config import load_deid_config
    from deid.keys import pseudonym

    prefix = load_deid_config(deid_config_path).surrogates.pseudonym_prefix
    return pseudonym(secret, mrn, prefix)
