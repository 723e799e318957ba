"""The node's query endpoint: everything a node does with a count request, in order.

``count``:

1. Check *everything* before anything is spent: the signed request and permit
   (forged, expired, site), the permit's purpose (``[query] count_purposes``),
   the query, its fields and ε (a whole number of micro-ε between the node's
   minimum and maximum), the participants (this node with its own key, all
   covered by the permit, at least ``min_secure_sum_sites`` of them, every key
   well-formed and not low-order, and bound to the network PKI where required,
   :mod:`node.query.keycert`), freshness and the nonce (replay), and that the
   budgets have room. The masks are computed here too.
2. The same release made before (same permit, requester, query, ε, participants
   and opt-out registry): return the stored noisy answer, spend nothing.
3. Otherwise spend ε on every account at once (permit, requester, node), count
   distinct patients (opted-out patients excluded), add discrete Laplace noise
   with the query's sensitivity, make the table consistent (post-processing),
   store the answer.
4. Release: the noisy vector under its pair masks *and* this node's self-mask
   (nothing in the reply reveals a value; see :mod:`node.query.masking`), plus the
   per-site table (consistent, small cells and their complements suppressed) only
   where the permit allows per-site results.
5. Append one audit entry and return its place and hash as a receipt. Every
   request is audited: refusals, malformed messages, internal errors (with the ε
   already spent, if any).

``unmask`` (every count has one; two phases): ``agree`` commits this node to one
view of who answered and MACs it for the other survivors; ``reveal`` checks that
all of them agreed to the same view, that no more than ``max_dropouts`` were
declared dropped and at least ``min_secure_sum_sites`` survived, that this
answer was never revealed over another set of sites, then reveals this node's
self-mask and its pair masks with the dropped nodes, once.

Messages in and out are plain JSON-able dicts, so any transport (Flower
messages, direct calls in tests) carries them unchanged (:meth:`NodeQueryService.handle`).
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from node.disclosure.consistency import make_consistent
from node.disclosure.epsilon import EpsilonError, as_float, as_fraction, epsilon_micro
from node.disclosure.ledger import BudgetExceeded, BudgetLedger, answer_key
from node.disclosure.noise import noisy_counts
from node.disclosure.sensitivity import l1_sensitivity, table_shape
from node.disclosure.threshold import suppress_table
from node.governance.audit import AuditLog, AuditTampered
from node.governance.optout import OptOutRegistry, registry_digest
from node.governance.permits import (
    REQUEST_CONTEXT,
    UNMASK_CONTEXT,
    PermitError,
    QueryRequest,
    SignedRequest,
    SignedUnmask,
    check_fresh,
    check_permit,
    check_purpose,
    check_scope,
    parse_signed,
    public_key_from_b64,
    verify_signature,
)
from node.governance.replay import NonceRegistry
from node.query import masking
from node.query.counter import PatientCounter
from node.query.keycert import load_network_ca, make_key_certificate, verify_key_certificate
from node.query.spec import QueryError, parse_query
from node.settings import QuerySection
from node.store.node_store import NodeStore
from schemas.version import SCHEMA_VERSION

Clock = Callable[[], dt.datetime]
PROTOCOL = 2  # 2: self-masks, an agree + reveal unmask step after every count, key certificates

log = logging.getLogger(__name__)


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
        The site secret: keys the audit chain and the secure-sum keys.
    site_id:
        This node's site id.
    config:
        The ``[query]`` settings.
    clock:
        Current time (tests pass a fixed clock).
    pki_dir:
        The node's PKI folder (``node.key``, ``node.crt``, ``ca.crt``): binds its secure-sum key
        to its certificate and checks the other participants'. ``None``: no PKI.
    anchor_path:
        The audit anchor file outside the store (``None``: none).
    """

    store: NodeStore
    site_secret: bytes
    site_id: str
    config: QuerySection
    clock: Clock = _utcnow
    pki_dir: Path | None = None
    anchor_path: Path | None = None

    def __post_init__(self) -> None:
        self.audit = AuditLog(self.store, self.site_secret, self.site_id, self.anchor_path)
        self.ledger = BudgetLedger(self.store)
        self.optouts = OptOutRegistry(self.store)
        self.nonces = NonceRegistry(self.store)
        self._mask_key = masking.node_private_key(self.site_secret)
        self._public = masking.public_b64(self._mask_key)
        self.key_certificate = make_key_certificate(self.pki_dir, self.site_id, self._public)
        self.network_ca = load_network_ca(self.pki_dir)
        self.counter = PatientCounter(self.store, self.config.count_engine)  # type: ignore[arg-type]

    def handle(self, kind: str, payload: dict[str, Any] | str) -> dict[str, Any]:
        """Dispatch one message (``hello``, ``count``, ``unmask``): what every transport calls."""
        if kind == "hello":
            return self.hello()
        if kind == "count":
            return self.count(payload)
        if kind == "unmask":
            return self.unmask(payload)
        return {"status": "refused", "site_id": self.site_id, "reason": "malformed",
                "message": f"unknown message kind {str(kind)[:40]!r}: use hello, count or unmask"}

    # ------------------------------------------------------------------ hello
    def hello(self) -> dict[str, Any]:
        """Public facts the coordinator needs before a secure sum (no patient data)."""
        return {"site_id": self.site_id, "public_key": self._public, "schema_version": SCHEMA_VERSION,
                "min_cell_count": self.config.min_cell_count, "protocol": PROTOCOL,
                "key_certificate": self.key_certificate.model_dump() if self.key_certificate else None,
                "min_secure_sum_sites": self.config.min_secure_sum_sites, "max_dropouts": self.config.max_dropouts,
                "min_epsilon_per_query": self.config.min_epsilon_per_query,
                "max_epsilon_per_query": self.config.max_epsilon_per_query}

    def _coordinator_key(self):
        if not self.config.coordinator_public_key:
            raise PermitError("config", f"node {self.site_id} has no coordinator_public_key configured "
                                        "([query] in its TOML): it refuses every query")
        return public_key_from_b64(self.config.coordinator_public_key)

    def _requires_certificates(self) -> bool:
        mode = self.config.participant_key_certificates
        return mode == "required" or (mode == "auto" and self.key_certificate is not None)

    # ------------------------------------------------------------------ audit helpers
    def _audit(self, **entry: Any) -> dict[str, Any] | None:
        """Append an entry; ``None`` when the log is tampered (then nothing is released)."""
        try:
            return self.audit.append(**entry)
        except AuditTampered as exc:
            log.error("audit log of %s: %s", self.site_id, exc)
            return None

    def _log_broken(self) -> bool:
        """The O(1) check of the audit log's end, before anything is spent or revealed."""
        problems = self.audit.check_end()
        if problems:
            log.error("audit log of %s: %s: refusing requests", self.site_id, "; ".join(problems))
        return bool(problems)

    def _receipt(self, entry: dict[str, Any] | None) -> dict[str, Any]:
        if entry is None:
            return {}
        return {"audit_hash": entry["hash"], "audit": self.audit.receipt(entry)}

    def _refuse(self, exc: Exception, reason: str, spent_micro: int = 0, **audit: Any) -> dict[str, Any]:
        kind = audit.pop("kind", "count")
        if reason == "config":  # the operator must act: say so in node.log too, not only in the audit log
            log.error("query refused at %s: %s", self.site_id, exc)
        entry = self._audit(kind=kind, decision="refused", reason=f"{reason}: {exc}",
                            epsilon_spent=as_float(spent_micro), **audit)
        if entry is None:
            return self._tampered()
        return {"status": "refused", "site_id": self.site_id, "reason": reason, "message": str(exc),
                "epsilon_spent": as_float(spent_micro), **self._receipt(entry)}

    def _tampered(self) -> dict[str, Any]:
        return {"status": "refused", "site_id": self.site_id, "reason": "audit",
                "message": f"node {self.site_id} refuses every request: its audit log does not match its anchor "
                           "(its operator must run `fednode audit verify`)"}

    def _internal(self, exc: Exception, spent_micro: int, info: dict[str, Any]) -> dict[str, Any]:
        log.exception("query request failed at %s", self.site_id)
        return self._refuse(RuntimeError(f"internal error {exc.__class__.__name__} (see the node's log)"), "error",
                            spent_micro, **info)

    # ------------------------------------------------------------------ count
    def _epsilon(self, epsilon: float) -> int:
        try:
            return epsilon_micro(epsilon, self.config.min_epsilon_per_query)
        except EpsilonError as exc:
            raise PermitError("epsilon", str(exc)) from None

    def _participants(self, req: QueryRequest, permit_id: str, sites: list[str],
                      now: dt.datetime) -> tuple[dict[str, bytes], dict[str, str]]:
        """Shared secrets with every other participant, and the certificates accepted for them."""
        parts = req.participants
        if parts.get(self.site_id) != self._public:
            raise PermitError("keys", f"the request does not list site {self.site_id} with its own key")
        outside = sorted(set(parts) - set(sites))
        if outside:
            raise PermitError("scope", f"participants {outside[:10]} are not covered by permit {permit_id}")
        if len(parts) < self.config.min_secure_sum_sites:
            raise PermitError("scope", f"a secure sum needs at least {self.config.min_secure_sum_sites} participating "
                                       f"sites here ([query] min_secure_sum_sites); this request lists {len(parts)}")
        try:
            shared = masking.shared_secrets(self._mask_key, self.site_id, parts)
        except masking.ParticipantKeyError as exc:
            raise PermitError("keys", str(exc)) from None
        accepted: dict[str, str] = {}
        if self._requires_certificates():
            if self.network_ca is None:
                raise PermitError("config", f"node {self.site_id} must check participant key certificates but has "
                                            "no network CA (ca.crt in its PKI folder): `fednode pki install`")
            certs = req.participant_certificates or {}
            for site in sorted(parts):
                if site != self.site_id:
                    try:
                        accepted[site] = verify_key_certificate(site, parts[site], certs.get(site), self.network_ca,
                                                                now)
                    except masking.ParticipantKeyError as exc:
                        raise PermitError("keys", str(exc)) from None
        return shared, accepted

    def count(self, message: dict[str, Any] | str) -> dict[str, Any]:
        """Answer one signed count request (see the module docstring for the steps)."""
        now = self.clock()
        info: dict[str, Any] = {}
        if self._log_broken():
            return self._tampered()
        try:
            signed = parse_signed(SignedRequest, message)
            req = signed.request
            permit = req.permit.permit
            info = {"requester": permit.requester, "permit_id": permit.permit_id, "purpose": permit.purpose,
                    "epsilon": req.epsilon, "nonce": req.nonce}
            key = self._coordinator_key()
            verify_signature(key, REQUEST_CONTEXT, req, signed.signature, "query request")
            if req.protocol != PROTOCOL:
                raise PermitError("malformed", f"the request is for secure-sum protocol {req.protocol or 1}; this node "
                                               f"speaks {PROTOCOL} (its masks need the agree/reveal unmask step): "
                                               "upgrade the coordinator")
            check_permit(req.permit, key, self.site_id, now, self.config.request_max_age_s)
            check_purpose(permit, self.config.count_purposes)
            query = parse_query(req.query)
            info["query"] = query.canonical()
            check_scope(permit, query.fields_used(), req.epsilon, self.config.max_epsilon_per_query)
            eps = self._epsilon(req.epsilon)
            shared, certified = self._participants(req, permit.permit_id, permit.sites, now)
            check_fresh(req.issued_at, now, self.config.request_max_age_s)
            length = 1 + len(query.cells())
            excluded = self.optouts.pseudonyms()
            cache_key = answer_key(permit.permit_id, permit.requester, info["query"], eps, req.participants,
                                   registry_digest(excluded))
            accounts = self.ledger.accounts(permit.permit_id, permit.requester, permit.epsilon_budget,
                                            requester_budget=self.config.requester_epsilon_budget,
                                            node_budget=self.config.node_epsilon_budget)
            cached = self.ledger.cached(cache_key)
            if cached is None:
                self.ledger.check(accounts, eps)
            masks = masking.add_vectors(masking.pair_masks(shared, self.site_id, req.nonce, length),
                                 masking.self_mask(self.site_secret, req.nonce, length))
            self.nonces.claim(req.nonce, "count", participants=dict(req.participants),
                              per_site=permit.per_site_results, length=length, answer_key=cache_key)
        except PermitError as exc:
            return self._refuse(exc, exc.reason, **info)
        except QueryError as exc:
            return self._refuse(exc, "invalid_query", **info)
        except BudgetExceeded as exc:
            return self._refuse(exc, "budget", **info)
        except Exception as exc:  # never a crash, never unaudited
            return self._internal(exc, 0, info)

        spent = 0
        try:
            answer, decision = cached, "cached"
            shape = table_shape(query, self.config.max_cells_per_patient)
            if answer is None:
                try:
                    self.ledger.spend_micro(accounts, eps)
                except BudgetExceeded as exc:  # a concurrent query took the last of it
                    return self._refuse(exc, "budget", **info)
                spent = eps
                exact = self.counter.count(query, excluded=excluded,
                                           max_cells_per_patient=self.config.max_cells_per_patient)
                noisy, noise = noisy_counts(exact.vector(), as_fraction(eps),
                                            l1_sensitivity(query, self.config.max_cells_per_patient))
                answer = self.ledger.remember(cache_key, {"vector": noisy, "consistent": make_consistent(noisy, shape),
                                                          "noise": noise.to_dict(),
                                                          "cells": [list(c) for c in exact.cells]})
                decision = "released"
            per_site = per_site_adjusted = None
            if permit.per_site_results:
                consistent = answer.get("consistent") or make_consistent(answer["vector"], shape)
                table = suppress_table(consistent, self.config.min_cell_count, shape, noisy=answer["vector"])
                per_site = [c.to_json() for c in table]
                per_site_adjusted = [c.adjusted and not c.suppressed for c in table]  # nothing about hidden cells
            masked = masking.add_vectors(answer["vector"], masks)
            self.nonces.mark(req.nonce, "masked")
            entry = self._audit(kind="count", decision=decision, epsilon_spent=as_float(spent),
                                answer={"noisy": answer["vector"], "per_site": per_site,
                                        "participant_certificates": certified or None}, **info)
        except Exception as exc:
            return self._internal(exc, spent, info)
        if entry is None:
            return self._tampered()
        return {"status": "ok", "site_id": self.site_id, "decision": decision, "masked": masked,
                "per_site": per_site, "per_site_adjusted": per_site_adjusted, "cells": answer["cells"],
                "noise": answer["noise"], "min_cell_count": self.config.min_cell_count,
                "epsilon_spent": as_float(spent), **self._receipt(entry)}

    # ------------------------------------------------------------------ unmask
    def unmask(self, message: dict[str, Any] | str) -> dict[str, Any]:
        """The unmask step of a count this node masked for (phases ``agree`` and ``reveal``)."""
        now = self.clock()
        info: dict[str, Any] = {"kind": "unmask"}
        if self._log_broken():
            return self._tampered()
        try:
            signed = parse_signed(SignedUnmask, message)
            req = signed.request
            info.update(nonce=req.nonce, query=f"{req.phase} for query {req.query_nonce}")
            verify_signature(self._coordinator_key(), UNMASK_CONTEXT, req, signed.signature, "unmask request")
            check_fresh(req.issued_at, now, self.config.request_max_age_s)
            record = self.nonces.get(req.query_nonce)
            if record is None or not record.get("masked"):
                raise PermitError("scope", "this node sent no masked value for that query")
            participants: dict[str, str] = record["participants"]
            survivors, dropped = set(req.survivors), set(req.dropped)
            if self.site_id in dropped or self.site_id not in survivors:
                raise PermitError("scope", "this node is not a survivor of that query")
            if survivors | dropped != set(participants) or survivors & dropped \
                    or len(survivors) != len(req.survivors) or len(dropped) != len(req.dropped):
                raise PermitError("scope", "dropped + survivors do not partition the query's participants")
            if len(survivors) < self.config.min_secure_sum_sites:
                raise PermitError("scope", f"only {len(survivors)} survivors: a sum needs at least "
                                           f"{self.config.min_secure_sum_sites} sites ([query] min_secure_sum_sites)")
            if len(dropped) > self.config.max_dropouts:
                raise PermitError("scope", f"{len(dropped)} participants declared dropped: this node accepts at most "
                                           f"{self.config.max_dropouts} ([query] max_dropouts)")
            view = masking.view_digest(req.query_nonce, sorted(survivors), sorted(dropped))
            shared = masking.shared_secrets(self._mask_key, self.site_id, participants)
            if req.phase == "agree":
                return self._agree(req, record, view, shared, sorted(survivors), sorted(dropped), info)
            return self._reveal(req, record, view, shared, sorted(survivors), sorted(dropped), info)
        except PermitError as exc:
            return self._refuse(exc, exc.reason, **info)
        except masking.ParticipantKeyError as exc:
            return self._refuse(exc, "keys", **info)
        except Exception as exc:
            return self._internal(exc, 0, info)

    def _agree(self, req, record, view, shared, survivors, dropped, info) -> dict[str, Any]:
        if not self.nonces.set_once(req.query_nonce, "view", view) and self.nonces.get(req.query_nonce).get("view") != view:
            raise PermitError("scope", "this node already agreed to another outcome of that query: a second, "
                                       "different one would let two sums be subtracted")
        self.nonces.claim(req.nonce, "unmask", query_nonce=req.query_nonce, phase="agree")
        confirmations = {peer: masking.view_mac(shared[peer], self.site_id, peer, view)
                         for peer in survivors if peer != self.site_id}
        entry = self._audit(decision="agreed", answer={"survivors": survivors, "dropped": dropped}, **info)
        if entry is None:
            return self._tampered()
        return {"status": "ok", "site_id": self.site_id, "phase": "agree", "confirmations": confirmations,
                **self._receipt(entry)}

    def _reveal(self, req, record, view, shared, survivors, dropped, info) -> dict[str, Any]:
        if record.get("view") != view:
            raise PermitError("scope", "this node did not agree to that outcome of the query")
        confirmations = req.confirmations or {}
        for peer in survivors:
            if peer == self.site_id:
                continue
            given = (confirmations.get(peer) or {}).get(self.site_id)
            expected = masking.view_mac(shared[peer], peer, self.site_id, view)
            if not isinstance(given, str) or not hmac.compare_digest(given, expected):
                raise PermitError("scope", f"survivor {peer} did not confirm the same outcome: unmask refused")
        if record.get("answer_key") and not self.ledger.pin_survivors(record["answer_key"], survivors):
            raise PermitError("scope", "this answer was already revealed in a sum over another set of sites: "
                                       "a second sum would isolate a site")
        self.nonces.claim(req.nonce, "unmask", query_nonce=req.query_nonce, phase="reveal")
        if not self.nonces.mark(req.query_nonce, "unmasked"):
            raise PermitError("replay", "this node already unmasked that query once")
        masks = masking.reveal(self.site_secret, shared, self.site_id, dropped, req.query_nonce, int(record["length"]))
        entry = self._audit(decision="unmasked", answer={"survivors": survivors, "dropped": dropped}, **info)
        if entry is None:
            return self._tampered()
        return {"status": "ok", "site_id": self.site_id, "phase": "reveal", "masks": masks, **self._receipt(entry)}


def service_for(runtime) -> NodeQueryService:
    """The query service of an opened node (:func:`node.runtime.open_node`)."""
    from node.governance.audit import anchor_path_for

    settings = runtime.settings
    return NodeQueryService(runtime.store, runtime.secret, settings.node.site_id, settings.query,
                            pki_dir=settings.pki_dir, anchor_path=anchor_path_for(settings))
