"""Replay protection: every signed request's nonce is accepted once, persisted in the node store.

Together with the timestamp window of
:func:`node.governance.permits.check_fresh` this means a captured request can be
neither replayed later (stale) nor now (nonce already seen), even across
restarts. The record also remembers what the node did for the nonce, so the
secure-sum unmask step (:mod:`node.query.service`) runs at most once per query.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pymongo.errors import DuplicateKeyError

from node.governance.permits import PermitError
from node.store.node_store import NodeStore

NONCES = "request_nonces"


class NonceRegistry:
    def __init__(self, store: NodeStore) -> None:
        self._nonces = store.collection(NONCES)

    def claim(self, nonce: str, kind: str, **info: Any) -> None:
        """Record ``nonce`` as used; raise ``PermitError('replay')`` if it was used before."""
        try:
            self._nonces.insert_one({"_id": nonce, "kind": kind, "at": dt.datetime.now(dt.timezone.utc), **info})
        except DuplicateKeyError:
            raise PermitError("replay", f"request nonce {nonce[:8]}… was already used: replayed request refused") from None

    def get(self, nonce: str) -> dict[str, Any] | None:
        return self._nonces.find_one({"_id": nonce})

    def mark(self, nonce: str, flag: str) -> bool:
        """Set ``flag`` on a claimed nonce once; ``False`` if it was already set."""
        result = self._nonces.update_one({"_id": nonce, flag: {"$ne": True}}, {"$set": {flag: True}})
        return result.modified_count == 1

    def set_once(self, nonce: str, field: str, value: Any) -> bool:
        """Set ``field`` on a claimed nonce if it has no value yet; ``False`` if it already had one."""
        result = self._nonces.update_one({"_id": nonce, field: {"$exists": False}}, {"$set": {field: value}})
        return result.modified_count == 1
