"""A node's record of the training runs it is asked to join, in its hash-chained audit log.

The node's ClientApp writes two kinds of entries to the node's audit log
(:class:`node.governance.audit.AuditLog`, the one its cohort counts use; ``fednode audit
verify|show``):

- ``training_run``: a run permit was presented: ``decision`` ``accepted`` or ``refused`` (with
  the reason), the permit id and purpose, and as ``query`` the SHA-256 of the training
  configuration the node was asked to run. One entry per permit and decision, however many
  times Flower rebuilds the client (the permit token's SHA-256 is the entry's ``nonce``).
- ``training_round``: a round the node took part in: ``decision`` ``update_sent``,
  ``update_withheld`` (non-finite update, with the reason) or ``dropped_out``, and as
  ``answer`` numbers only: round, examples, loss.

Never text, captions, patient pseudonyms or case ids. The node is opened from the settings its
training folder records (:func:`fl_tasks.node_training.prepare_node`): its store and site
secret only (no de-identifier, no logging set-up), once per process and node.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from fl_tasks.permit import Permit, config_digest
from node.governance.audit import AUDIT, AuditLog
from node.secrets import load_site_secret
from node.settings import NodeSettings
from node.store import NodeStore, open_store

KIND_RUN = "training_run"
KIND_ROUND = "training_round"


class TrainingAudit:
    """Training entries in one node's audit log.

    Parameters
    ----------
    store : node.store.NodeStore
        The node's store (collection ``audit_log``).
    site_secret : bytes
        The node's site secret (keys the hash chain).
    site_id : str
        The node's site id.
    """

    def __init__(self, store: NodeStore, site_secret: bytes, site_id: str, anchor_path=None) -> None:
        self.store = store
        self.log = AuditLog(store, site_secret, site_id, anchor_path)

    @classmethod
    def open(cls, settings: NodeSettings) -> "TrainingAudit":
        """Open the node's store and site secret (``SecretError`` / ``StoreError`` name what is missing)."""
        from node.governance.audit import anchor_path_for

        secret = load_site_secret(settings.secret_path)
        return cls(open_store(settings.effective_store_uri, settings.node.database), secret, settings.node.site_id,
                   anchor_path_for(settings))

    def run_decision(self, token: str, config_json: str, permit: Permit | None, refusal: Exception | None = None
                     ) -> dict[str, Any]:
        """Record that the permit ``token`` for ``config_json`` was accepted (``permit``) or refused (``refusal``).

        Returns the entry (an earlier one when this permit already got this decision here).
        """
        decision = "refused" if refusal is not None else "accepted"
        nonce = "permit-sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()
        earlier = self.store.collection(AUDIT).find_one({"kind": KIND_RUN, "nonce": nonce, "decision": decision})
        if earlier is not None:
            return earlier
        return self.log.append(kind=KIND_RUN, decision=decision, requester="coordinator",
                               permit_id=permit.permit_id if permit else None, purpose=permit.purpose if permit else None,
                               query=f"training config sha256 {config_digest(config_json)}",
                               reason=f"{refusal.__class__.__name__}: {refusal}" if refusal is not None else None,
                               nonce=nonce)

    def round(self, permit_id: str, rnd: int, decision: str, examples: int | None = None, loss: float | None = None,
              reason: str | None = None) -> dict[str, Any]:
        """Record one round of this node: ``update_sent``, ``update_withheld`` or ``dropped_out`` (numbers only)."""
        finite_loss = float(loss) if loss is not None and math.isfinite(loss) else None
        return self.log.append(kind=KIND_ROUND, decision=decision, permit_id=permit_id, reason=reason,
                               answer={"round": int(rnd), "examples": None if examples is None else int(examples),
                                       "loss": finite_loss})

    def close(self) -> None:
        self.store.close()


_OPEN: dict[str, TrainingAudit] = {}
"""Audit logs opened by this process, by node settings (JSON): Flower builds a client per message."""


def audit_for(settings: NodeSettings) -> TrainingAudit:
    """The node's :class:`TrainingAudit`, opened once per process."""
    key = settings.model_dump_json()
    audit = _OPEN.get(key)
    if audit is None:
        audit = _OPEN[key] = TrainingAudit.open(settings)
    return audit
