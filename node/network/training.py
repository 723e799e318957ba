"""A node prepares its own training data, under a valid run permit only.

On the Deployment Engine nobody but the node can open its store. Each training run starts
with a ``query.prepare`` message (:data:`node.network.worker.PREPARE`); the node then

1. checks the run permit against the coordinator key it trusts (``[query]
   coordinator_public_key``: the coordinator signs permits, query requests and training runs
   with its one key), for this site and this exact training configuration; a refusal is
   written to its audit log and answered, and nothing is computed;
2. reads the de-identified images and captions of its own store with its opt-out registry
   applied (:func:`fl_tasks.node_source.node_store_source`) and writes its training folder
   (:func:`fl_tasks.node_training.prepare_node`: cached trunk features in
   ``[network] feature_cache``, the trusted key, its settings for the audit log);
3. answers with its site id and how many pairs it will train on (one number: no labels, no
   text, no ids).

The training ClientApp then trains on that folder, audits the run and every round, as in
simulation.
"""

from __future__ import annotations

from typing import Any

from node.settings import NodeSettings


def trusted_coordinator_pem(settings: NodeSettings) -> bytes:
    """The coordinator key this node trusts, as the PEM the training folder keeps."""
    from fl_tasks.permit import PermitError, public_pem
    from node.governance.permits import public_key_from_b64

    if not settings.query.coordinator_public_key:
        raise PermitError(f"node {settings.node.site_id} has no [query] coordinator_public_key: it refuses every run")
    return public_pem(public_key_from_b64(settings.query.coordinator_public_key))


def prepare_training(settings: NodeSettings, run_config: dict[str, Any]) -> dict[str, Any]:
    """Check the run's permit, then prepare this node's training folder from its own store.

    Returns the reply payload: ``{"status": "ok", "site_id", "pairs"}`` or ``{"status":
    "refused", "site_id", "reason"}`` (refusals are audited).
    """
    from cryptography.hazmat.primitives import serialization

    from fl_tasks.node_audit import audit_for
    from fl_tasks.node_source import node_store_source
    from fl_tasks.node_training import prepare_node
    from fl_tasks.permit import PermitError, verify_permit
    from fl_tasks.run_spec import RunSpec

    site = settings.node.site_id
    spec = RunSpec.from_run_config(run_config)
    audit = audit_for(settings)
    try:
        pem = trusted_coordinator_pem(settings)
        permit = verify_permit(spec.permit, serialization.load_pem_public_key(pem), spec.train_json(), site)
    except (PermitError, ValueError) as exc:
        audit.run_decision(spec.permit, spec.train_json(), None, refusal=exc)
        return {"status": "refused", "site_id": site, "reason": str(exc)}
    audit.run_decision(spec.permit, spec.train_json(), permit)
    with node_store_source(settings) as source:
        pairs = list(source)
        if not pairs:
            return {"status": "refused", "site_id": site, "reason": "no de-identified images in this node's store"}
        features = prepare_node(settings.node.data_dir, site, pairs, spec.train.model, settings.feature_cache_dir, pem,
                                excluded_pseudonyms=source.excluded, settings=settings)
    return {"status": "ok", "site_id": site, "pairs": len(features)}
