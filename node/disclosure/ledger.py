"""The privacy-budget ledger and the store of released answers, persisted in the node store.

Three collections:

- ``privacy_budget``: one account per (permit, requester): the permit's ε budget
  and what was spent under it;
- ``privacy_budget_totals``: one account per requester (all its permits together,
  ``[query] requester_epsilon_budget``) and one for the node (all requesters
  together, ``[query] node_epsilon_budget``);
- ``released_answers``: every noisy answer released, keyed by everything that
  makes it the same release (see :func:`answer_key`).

Amounts are integers of micro-ε (:mod:`node.disclosure.epsilon`): no float drift,
nothing rounds to 0. A query spends on all its accounts or on none: each account
is charged with one atomic conditional update (``spent <= budget - ε``), and if a
later account refuses, the earlier charges are refunded. Concurrent queries can
never overspend an account (at worst one is refused while another's charge is
briefly held).

**Answer reuse.** An identical request (same permit, requester, canonical query,
ε, *set of participating sites* and *opt-out registry*) gets the stored noisy
answer back and spends nothing: averaging repeats learns nothing. Any of those
changing makes a new release that pays ε:

- a different site set: otherwise ``total(a,b,c) - total(a,b)`` would isolate site
  ``c`` at no cost;
- an opt-out registered since: the stored answer counted the patient.

Each stored answer also remembers the one set of survivors its secure sum was
revealed for (:meth:`BudgetLedger.pin_survivors`): the same answer summed over
two different survivor sets would give a difference of one site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

from pymongo.errors import DuplicateKeyError

from node.disclosure.epsilon import MICRO, as_float, budget_micro, epsilon_micro
from node.store.node_store import NodeStore

BUDGETS = "privacy_budget"
TOTALS = "privacy_budget_totals"
ANSWERS = "released_answers"


class BudgetExceeded(RuntimeError):
    """The query would spend more ε than one of its accounts has left."""


def to_micro(epsilon: float) -> int:
    """An ε in exact micro-ε (raises :class:`~node.disclosure.epsilon.EpsilonError` if it is not one)."""
    return epsilon_micro(epsilon)


def answer_key(permit_id: str, requester: str, canonical_query: str, eps_micro: int,
               participants: Iterable[str] = (), optout_digest: str = "") -> str:
    """The key of a released answer: the same only for the same release (see the module docstring)."""
    material = json.dumps([permit_id, requester, canonical_query, int(eps_micro), sorted(participants),
                           optout_digest], separators=(",", ":"))
    return "ans:" + hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Account:
    """One budget: where it lives, its id, its size in micro-ε, and how to name it in a refusal."""

    collection: str
    id: str
    budget_micro: int
    label: str
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class BudgetState:
    budget: float
    spent: float

    @property
    def remaining(self) -> float:
        return max(0.0, self.budget - self.spent)


class BudgetLedger:
    """ε accounting (per permit and requester, per requester, per node) and the store of released answers."""

    def __init__(self, store: NodeStore) -> None:
        self._cols = {BUDGETS: store.collection(BUDGETS), TOTALS: store.collection(TOTALS)}
        self._answers = store.collection(ANSWERS)

    @staticmethod
    def _id(permit_id: str, requester: str) -> str:
        return f"{permit_id}\x1f{requester}"

    def accounts(self, permit_id: str, requester: str, permit_budget: float, *,
                 requester_budget: float | None = None, node_budget: float | None = None) -> list[Account]:
        """The accounts one query of ``requester`` under ``permit_id`` spends on."""
        out = [Account(BUDGETS, self._id(permit_id, requester), budget_micro(permit_budget),
                       f"permit {permit_id} (for {requester})", (("permit_id", permit_id), ("requester", requester)))]
        if requester_budget is not None:
            out.append(Account(TOTALS, f"requester\x1f{requester}", budget_micro(requester_budget),
                               f"requester {requester} at this node (all permits; [query] requester_epsilon_budget)",
                               (("scope", "requester"), ("requester", requester))))
        if node_budget is not None:
            out.append(Account(TOTALS, "node", budget_micro(node_budget),
                               "this node (all requesters; [query] node_epsilon_budget)", (("scope", "node"),)))
        return out

    def _spent(self, account: Account) -> int:
        doc = self._cols[account.collection].find_one({"_id": account.id}) or {}
        return int(doc.get("spent_micro", 0))

    def state(self, permit_id: str, requester: str, budget: float) -> BudgetState:
        spent = self._spent(self.accounts(permit_id, requester, budget)[0])
        return BudgetState(budget=budget, spent=spent / MICRO)

    def check(self, accounts: list[Account], eps_micro: int) -> None:
        """Refuse now if an account is already too low (the spend re-checks atomically)."""
        for account in accounts:
            spent = self._spent(account)
            if spent + eps_micro > account.budget_micro:
                raise self._exceeded(account, eps_micro, spent)

    @staticmethod
    def _exceeded(account: Account, eps_micro: int, spent: int) -> BudgetExceeded:
        left = max(0, account.budget_micro - spent)
        return BudgetExceeded(f"privacy budget exhausted for {account.label}: ε {as_float(eps_micro):g} asked, "
                              f"{as_float(left):g} of {as_float(account.budget_micro):g} left")

    def _charge(self, account: Account, eps_micro: int) -> dict[str, Any] | None:
        col = self._cols[account.collection]
        try:
            col.update_one({"_id": account.id}, {"$setOnInsert": {"spent_micro": 0, **dict(account.fields)}},
                           upsert=True)
        except DuplicateKeyError:  # a concurrent first spend created it
            pass
        return col.find_one_and_update(
            {"_id": account.id, "spent_micro": {"$lte": account.budget_micro - eps_micro}},
            {"$inc": {"spent_micro": eps_micro},
             "$set": {"budget_micro": account.budget_micro, "updated_at": dt.datetime.now(dt.timezone.utc)}},
        )

    def spend_micro(self, accounts: list[Account], eps_micro: int) -> BudgetState:
        """Charge ``eps_micro`` to every account, or to none.

        Raises
        ------
        BudgetExceeded
            Naming the first account that has less left; nothing stays spent then.
        """
        if eps_micro < 1:
            raise ValueError("a release costs at least 1 micro-ε")
        charged: list[Account] = []
        first_doc = None
        for account in accounts:
            doc = self._charge(account, eps_micro)
            if doc is None:
                for done in charged:  # refund: the query is refused as a whole
                    self._cols[done.collection].update_one({"_id": done.id}, {"$inc": {"spent_micro": -eps_micro}})
                raise self._exceeded(account, eps_micro, self._spent(account))
            charged.append(account)
            first_doc = first_doc or doc
        assert first_doc is not None
        return BudgetState(budget=as_float(accounts[0].budget_micro),
                           spent=(int(first_doc["spent_micro"]) + eps_micro) / MICRO)

    def spend(self, permit_id: str, requester: str, budget: float, epsilon: float, *,
              requester_budget: float | None = None, node_budget: float | None = None) -> BudgetState:
        """Spend ``epsilon`` (exactly; see :mod:`node.disclosure.epsilon`) on the query's accounts."""
        accounts = self.accounts(permit_id, requester, budget, requester_budget=requester_budget,
                                 node_budget=node_budget)
        return self.spend_micro(accounts, epsilon_micro(epsilon))

    # ------------------------------------------------------------------ released answers
    def cached(self, key: str) -> dict[str, Any] | None:
        """The stored answer for ``key``, if this exact release was made before."""
        return self._answers.find_one({"_id": key}, {"_id": 0})

    def remember(self, key: str, answer: dict[str, Any]) -> dict[str, Any]:
        """Store a released answer; if one raced in first, keep and return that one."""
        try:
            self._answers.insert_one({"_id": key, **answer, "at": dt.datetime.now(dt.timezone.utc)})
        except DuplicateKeyError:
            pass
        return self.cached(key) or answer

    def pin_survivors(self, key: str, survivors: Iterable[str]) -> bool:
        """Tie a released answer to the one set of sites its secure sum is revealed over.

        ``True`` if ``survivors`` is that set (now or from before); ``False`` if the
        answer was already revealed in a sum over a different set.
        """
        digest = ",".join(sorted(survivors))
        result = self._answers.update_one(
            {"_id": key, "$or": [{"summed_over": {"$exists": False}}, {"summed_over": digest}]},
            {"$set": {"summed_over": digest}})
        return result.matched_count == 1
