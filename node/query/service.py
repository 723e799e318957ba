"""The node's query endpoint: everything a node does with a count request, in order.

1. Check the signed request and permit (forged, expired, scope, replay) before
   anything else (:mod:`node.governance.permits`, :mod:`node.governance.replay`).
2. An identical query answered before under the same permit: return the stored
   noisy answer, spend nothing.
3. Otherwise spend ε atomically (refuse if the budget is exhausted), count
   distinct patients (opted-out patients excluded), add discrete Laplace
   noise with the query's sensitivity, store the noisy answer.
4. Release: the vector masked for the secure sum, plus per-site cells
   (clamped, "<10" suppressed) only where the permit allows per-site results.
5. Append one audit entry (refusals included) and return its hash as a receipt.

Messages in and out are plain JSON-able dicts, so any transport (Flower
messages, direct calls in tests) carries them unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from node.disclosure.ledger import BudgetExceeded, BudgetLedger, answer_key
from node.disclosure.noise import noisy_counts
from node.disclosure.sensitivity import l1_sensitivity
from node.disclosure.threshold import suppress
from node.governance.audit import AuditLog
from node.governance.optout import OptOutRegistry
from node.governance.permits import (
    REQUEST_CONTEXT,
    UNMASK_CONTEXT,
    PermitError,
    SignedRequest,
    SignedUnmask,
    check_fresh,
    check_permit,
    check_scope,
    parse_signed,
    public_key_from_b64,
    verify_signature,
)
from node.governance.replay import NonceRegistry
from node.query import masking
from node.query.counter import PatientCounter
from node.query.spec import QueryError, parse_query
from node.settings import QuerySection
from node.store.node_store import NodeStore
from schemas.version import SCHEMA_VERSION

Clock = Callable[[], dt.datetime]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class NodeQueryService:
    """Answers count requests for one node.

    Parameters
    ----------
    store:
        The node store (documents, and the ledger/audit/opt-out collections).
    site_secret:
        The site secret: keys the audit chain and the secure-sum key.
    site_id:
        This node's site id.
    config:
        The ``[query]`` settings.
    clock:
        Current time (tests pass a fixed clock).
    """

    store: NodeStore
    site_secret: bytes
    site_id: str
    config: QuerySection
    clock: Clock = _utcnow

    def __post_init__(self) -> None:
        self.audit = AuditLog(self.store, self.site_secret, self.site_id)
        self.ledger = BudgetLedger(self.store)
        self.optouts = OptOutRegistry(self.store)
        self.nonces = NonceRegistry(self.store)
        self._mask_key = masking.node_private_key(self.site_secret)
        self.counter = PatientCounter(self.store, self.config.count_engine)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ hello
    def hello(self) -> dict[str, Any]:
        """Public facts the coordinator needs before a secure sum (no patient data)."""
        return {"site_id": self.site_id, "public_key": masking.public_b64(self._mask_key),
                "schema_version": SCHEMA_VERSION, "min_cell_count": self.config.min_cell_count}

    def _coordinator_key(self):
        if not self.config.coordinator_public_key:
            raise PermitError("forged", f"node {self.site_id} has no coordinator_public_key configured "
                                        "([query] in its TOML): it refuses every query")
        return public_key_from_b64(self.config.coordinator_public_key)

    def _refuse(self, exc: Exception, reason: str, **audit: Any) -> dict[str, Any]:
        entry = self.audit.append(kind=audit.pop("kind", "count"), decision="refused", reason=f"{reason}: {exc}", **audit)
        return {"status": "refused", "site_id": self.site_id, "reason": reason, "message": str(exc),
                "audit_hash": entry["hash"]}

    # ------------------------------------------------------------------ count
    def count(self, message: dict[str, Any] | str) -> dict[str, Any]:
        """Answer one signed count request (see the module docstring for the steps)."""
        now = self.clock()
        info: dict[str, Any] = {}
        try:
            signed = parse_signed(SignedRequest, message)
            req = signed.request
            permit = req.permit.permit
            info = {"requester": permit.requester, "permit_id": permit.permit_id, "purpose": permit.purpose,
                    "epsilon": req.epsilon, "nonce": req.nonce}
            key = self._coordinator_key()
            verify_signature(key, REQUEST_CONTEXT, req, signed.signature, "query request")
            check_permit(req.permit, key, self.site_id, now, self.config.request_max_age_s)
            query = parse_query(req.query)
            info["query"] = query.canonical()
            check_scope(permit, query.fields_used(), req.epsilon, self.config.max_epsilon_per_query)
            if req.participants.get(self.site_id) != masking.public_b64(self._mask_key):
                raise PermitError("scope", f"the request does not list site {self.site_id} with its own key")
            if len(req.participants) < 2 and not permit.per_site_results:
                raise PermitError("scope", f"permit {permit.permit_id} allows no per-site results: a secure sum "
                                           "needs at least two participating sites")
            outside = sorted(set(req.participants) - set(permit.sites))
            if outside:
                raise PermitError("scope", f"participants {outside} are not covered by permit {permit.permit_id}")
            check_fresh(req.issued_at, now, self.config.request_max_age_s)
            self.nonces.claim(req.nonce, "count", participants=dict(req.participants),
                              per_site=permit.per_site_results, length=1 + len(query.cells()))
        except PermitError as exc:
            return self._refuse(exc, exc.reason, **info)
        except QueryError as exc:
            return self._refuse(exc, "invalid_query", **info)

        cache_key = answer_key(permit.permit_id, permit.requester, info["query"], req.epsilon)
        answer = self.ledger.cached(cache_key)
        decision, spent = "cached", 0.0
        if answer is None:
            try:
                self.ledger.spend(permit.permit_id, permit.requester, permit.epsilon_budget, req.epsilon)
            except BudgetExceeded as exc:
                return self._refuse(exc, "budget", **info)
            exact = self.counter.count(query, excluded=self.optouts.pseudonyms(),
                                       max_cells_per_patient=self.config.max_cells_per_patient)
            noisy, noise = noisy_counts(exact.vector(), req.epsilon,
                                        l1_sensitivity(query, self.config.max_cells_per_patient))
            answer = self.ledger.remember(cache_key, {"vector": noisy, "noise": noise.to_dict(),
                                                      "cells": [list(c) for c in exact.cells]})
            decision, spent = "released", req.epsilon
        threshold = self.config.min_cell_count
        per_site = [suppress(v, threshold).to_json() for v in answer["vector"]] if permit.per_site_results else None
        masked = masking.mask_vector(answer["vector"], self._mask_key, self.site_id, req.participants, req.nonce)
        self.nonces.mark(req.nonce, "masked")
        entry = self.audit.append(kind="count", decision=decision, epsilon_spent=spent,
                                  answer={"noisy": answer["vector"], "per_site": per_site}, **info)
        return {"status": "ok", "site_id": self.site_id, "decision": decision, "masked": masked,
                "per_site": per_site, "cells": answer["cells"], "noise": answer["noise"],
                "min_cell_count": threshold, "epsilon_spent": spent, "audit_hash": entry["hash"]}

    # ------------------------------------------------------------------ unmask
    def unmask(self, message: dict[str, Any] | str) -> dict[str, Any]:
        """Reveal this node's masks with dropped nodes, once per query, if it is safe to.

        Refused when this node did not mask for that query, is itself listed as
        dropped, the sets do not match the query's participants, or fewer than
        two nodes survive (their sum would be one site's value) unless the
        permit allows per-site results.
        """
        now = self.clock()
        info: dict[str, Any] = {"kind": "unmask"}
        try:
            signed = parse_signed(SignedUnmask, message)
            req = signed.request
            info["nonce"] = req.nonce
            verify_signature(self._coordinator_key(), UNMASK_CONTEXT, req, signed.signature, "unmask request")
            check_fresh(req.issued_at, now, self.config.request_max_age_s)
            record = self.nonces.get(req.query_nonce)
            if record is None or not record.get("masked"):
                raise PermitError("scope", "this node sent no masked value for that query")
            participants = record["participants"]
            if self.site_id in req.dropped or self.site_id not in req.survivors:
                raise PermitError("scope", "this node is not a survivor of that query")
            if set(req.dropped) | set(req.survivors) != set(participants) or set(req.dropped) & set(req.survivors):
                raise PermitError("scope", "dropped + survivors do not partition the query's participants")
            if len(req.survivors) < 2 and not record.get("per_site"):
                raise PermitError("scope", "fewer than two survivors: unmasking would reveal one site's value")
            self.nonces.claim(req.nonce, "unmask", query_nonce=req.query_nonce)
            if not self.nonces.mark(req.query_nonce, "unmasked"):
                raise PermitError("replay", "this node already unmasked that query once")
        except PermitError as exc:
            return self._refuse(exc, exc.reason, **info)
        masks = masking.dropped_masks(self._mask_key, self.site_id, participants, req.dropped, req.query_nonce,
                                      int(record["length"]))
        entry = self.audit.append(decision="unmasked", answer={"dropped": sorted(req.dropped)}, **info)
        return {"status": "ok", "site_id": self.site_id, "masks": masks, "audit_hash": entry["hash"]}


def service_for(runtime) -> NodeQueryService:
    """The query service of an opened node (:func:`node.runtime.open_node`)."""
    settings = runtime.settings
    return NodeQueryService(runtime.store, runtime.secret, settings.node.site_id, settings.query)
