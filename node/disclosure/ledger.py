"""The privacy-budget ledger, persisted in the node store.

Two collections:

- ``privacy_budget``: one record per (permit, requester): the ε budget and what
  was spent, in micro-ε integers (no float drift). Spending is one atomic
  conditional update, so two concurrent queries can never overspend.
- ``released_answers``: every noisy answer released, keyed by (permit,
  requester, canonical query, ε). Asking the same query again returns the
  stored noisy answer and spends nothing: averaging repeated answers learns
  nothing new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from pymongo.errors import DuplicateKeyError

from node.store.node_store import NodeStore

BUDGETS = "privacy_budget"
ANSWERS = "released_answers"
MICRO = 1_000_000


class BudgetExceeded(RuntimeError):
    """The query would spend more ε than the permit has left."""


def to_micro(epsilon: float) -> int:
    return int(round(epsilon * MICRO))


def answer_key(permit_id: str, requester: str, canonical_query: str, epsilon: float) -> str:
    """The key of a released answer: identical query under the same permit and ε → same key."""
    material = "\x1f".join([permit_id, requester, canonical_query, str(to_micro(epsilon))])
    return "ans:" + hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BudgetState:
    budget: float
    spent: float

    @property
    def remaining(self) -> float:
        return max(0.0, self.budget - self.spent)


class BudgetLedger:
    """Per-requester, per-permit ε accounting and the store of released answers."""

    def __init__(self, store: NodeStore) -> None:
        self._budgets = store.collection(BUDGETS)
        self._answers = store.collection(ANSWERS)

    @staticmethod
    def _id(permit_id: str, requester: str) -> str:
        return f"{permit_id}\x1f{requester}"

    def state(self, permit_id: str, requester: str, budget: float) -> BudgetState:
        doc = self._budgets.find_one({"_id": self._id(permit_id, requester)})
        spent = (doc or {}).get("spent_micro", 0)
        return BudgetState(budget=budget, spent=spent / MICRO)

    def spend(self, permit_id: str, requester: str, budget: float, epsilon: float) -> BudgetState:
        """Spend ``epsilon`` of the permit's ``budget`` atomically.

        Raises
        ------
        BudgetExceeded
            If fewer than ``epsilon`` remain; nothing is spent then.
        """
        key = self._id(permit_id, requester)
        budget_micro, eps_micro = to_micro(budget), to_micro(epsilon)
        try:
            self._budgets.update_one({"_id": key}, {"$setOnInsert": {"spent_micro": 0, "permit_id": permit_id,
                                                                      "requester": requester}}, upsert=True)
        except DuplicateKeyError:  # a concurrent first spend created it
            pass
        doc = self._budgets.find_one_and_update(
            {"_id": key, "spent_micro": {"$lte": budget_micro - eps_micro}},
            {"$inc": {"spent_micro": eps_micro}, "$set": {"updated_at": dt.datetime.now(dt.timezone.utc)}},
        )
        if doc is None:
            state = self.state(permit_id, requester, budget)
            raise BudgetExceeded(f"privacy budget exhausted for permit {permit_id}: ε {epsilon} asked, "
                                 f"{state.remaining:.6g} of {budget} left")
        return BudgetState(budget=budget, spent=(doc["spent_micro"] + eps_micro) / MICRO)

    def cached(self, key: str) -> dict[str, Any] | None:
        """The stored answer for ``key``, if this exact query was answered before."""
        return self._answers.find_one({"_id": key}, {"_id": 0})

    def remember(self, key: str, answer: dict[str, Any]) -> dict[str, Any]:
        """Store a released answer; if one raced in first, keep and return that one."""
        try:
            self._answers.insert_one({"_id": key, **answer, "at": dt.datetime.now(dt.timezone.utc)})
        except DuplicateKeyError:
            pass
        return self.cached(key) or answer
