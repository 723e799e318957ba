"""The node side of federated training: a Flower ``ClientApp``.

Each round the node receives the global trainable parameters, trains them for
``local_epochs`` on its own cached features, and sends back the new parameters, its example
count and a few numbers (loss, steps, seconds) - never text, ids or per-example values.
Before anything, it checks the run's permit against the coordinator key it trusts, and it
writes the run, the permit and every round to its own log and to its hash-chained audit log
(:mod:`fl_tasks.node_audit`: the permit decision, then per round numbers only). A node whose
audit log cannot be opened does not train.

SecAgg+ (``secaggplus_mod``, its masked vectors sent as 32-bit integers:
:mod:`fl_tasks.secagg_compact`) and, in DP mode, client-side update clipping
(``fixedclipping_mod``) wrap the train handler only (evaluation and parameter requests pass
untouched), chosen per run from the run spec. Deployment Engine entry point:
``fl_tasks.client_app:app`` with ``--node-config "fednet-node-dir='/path/to/node'"``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from flwr.app import Context, Message
from flwr.app.message_type import MessageType
from flwr.client import ClientApp, NumPyClient
from flwr.client.mod import fixedclipping_mod, make_ffn, secaggplus_mod

from fl_tasks.model import build_head, get_arrays, non_finite, set_arrays
from fl_tasks.node_audit import TrainingAudit, audit_for
from fl_tasks.node_training import NodeTraining, node_logger, open_cached
from fl_tasks.permit import InitialModelMismatch, Permit, load_public_key, parameters_digest, verify_permit
from fl_tasks.run_spec import RunSpec
from fl_tasks.secagg_compact import compact_masked_vectors_mod
from fl_tasks.train import NonFiniteTraining, local_train
from fl_tasks.wire import is_packed, pack, shapes_for, unpack

NODE_DIR_KEY = "fednet-node-dir"


class NodeFailure(RuntimeError):
    """Injected failure (test hook ``RunSpec.faults``): the node drops out mid-round."""


class NonFiniteUpdate(RuntimeError):
    """Local training diverged (NaN/inf): the node sends no parameters and reports a failed round."""


class HospitalClient(NumPyClient):
    """Trains the global head on one node's cached features; ``audit`` records each round (numbers only)."""

    def __init__(self, node: NodeTraining, spec: RunSpec, permit_id: str, audit: TrainingAudit | None = None,
                 initial_sha256: str = "") -> None:
        self.node = node
        self.spec = spec
        self.permit_id = permit_id
        self.audit = audit
        self.initial_sha256 = initial_sha256
        self.log = node_logger(node.node_dir, node.site_id)

    def get_parameters(self, config: dict[str, Any]) -> list[np.ndarray]:
        return get_arrays(build_head(self.spec.train.model))

    def fit(self, parameters: list[np.ndarray], config: dict[str, Any]) -> tuple[list[np.ndarray], int, dict[str, Any]]:
        rnd = int(config.get("server_round", 0))
        shapes = shapes_for(self.spec.train.model)
        packed = is_packed(parameters, shapes)  # one flat array on the wire (fl_tasks.wire): answer alike
        parameters = unpack(parameters, shapes)
        torch.set_num_threads(max(1, torch.get_num_threads()))
        head = build_head(self.spec.train.model)
        set_arrays(head, parameters)
        proximal = ([torch.from_numpy(np.asarray(a)).clone() for a in parameters]
                    if self.spec.train.optim.fedprox_mu > 0 else None)
        self.log.info("run permit %s round %d: training on %d pairs", self.permit_id, rnd, len(self.node.features))
        if rnd == 1:
            self._check_initial_model(parameters)
        if non_finite(parameters):
            self._refuse(rnd, "the global parameters received hold NaN/inf")
        try:
            stats = local_train(head, self.node.features, self.spec.train.optim, proximal_to=proximal, round_seed=rnd)
        except NonFiniteTraining as exc:
            self._refuse(rnd, str(exc))
        if any(f.site == self.node.site_id and f.round == rnd for f in self.spec.faults):
            self.log.warning("run permit %s round %d: injected failure, dropping out", self.permit_id, rnd)
            self._audit(rnd, "dropped_out", stats.examples, stats.loss, "injected failure (test hook)")
            raise NodeFailure(f"{self.node.site_id} dropped out in round {rnd} (injected)")
        self.log.info("run permit %s round %d: local loss %.4f, %d steps, %.1f s", self.permit_id, rnd, stats.loss,
                      stats.steps, stats.seconds)
        metrics = {"train_loss": float(stats.loss), "steps": int(stats.steps), "train_seconds": float(stats.seconds)}
        arrays, weight = get_arrays(head), int(stats.examples)
        if not np.isfinite(stats.loss) or non_finite(arrays):
            self._refuse(rnd, f"local loss {stats.loss} / parameters not finite after training")
        self._audit(rnd, "update_sent", stats.examples, stats.loss)
        if self.spec.train.privacy.secagg:
            # SecAgg+ scales by weight/max_weight (above 1 it would clip) and quantises in the
            # arrays' dtype: float64 keeps 2**28 levels exact; masked integers travel either way.
            weight = min(weight, self.spec.train.privacy.secagg_max_weight)
            arrays = [a.astype(np.float64) for a in arrays]
        return (pack(arrays) if packed else arrays), weight, metrics

    def _check_initial_model(self, parameters: list[np.ndarray]) -> None:
        """Round 1 starts from the model the permit signs (its digest, or the config's fresh head)."""
        expected = self.initial_sha256 or parameters_digest(get_arrays(build_head(self.spec.train.model)))
        if parameters_digest(parameters) != expected:
            why = "the round-1 global parameters are not the initial model the run permit signs"
            self.log.error("run permit %s round 1: refused, %s", self.permit_id, why)
            self._audit(1, "refused", reason=why)
            raise InitialModelMismatch(f"{self.node.site_id}: {why}; ask the coordinator for a permit that names "
                                       "this starting checkpoint")

    def _refuse(self, rnd: int, why: str) -> None:
        """Never send a non-finite update (SecAgg+ would quantise NaN into garbage): fail the round."""
        self.log.error("run permit %s round %d: update withheld, %s; reporting a failed round", self.permit_id, rnd, why)
        self._audit(rnd, "update_withheld", reason=why)
        raise NonFiniteUpdate(f"{self.node.site_id} round {rnd}: update withheld, {why}")

    def _audit(self, rnd: int, decision: str, examples: int | None = None, loss: float | None = None,
               reason: str | None = None) -> None:
        if self.audit is not None:
            self.audit.round(self.permit_id, rnd, decision, examples=examples, loss=loss, reason=reason)


def admit_run(spec: RunSpec, node: NodeTraining, audit: TrainingAudit) -> Permit:
    """Check the run's permit for this node; log and audit the decision; raise when refused."""
    log = node_logger(node.node_dir, node.site_id)
    try:
        permit = verify_permit(spec.permit, load_public_key(node.trusted_key_path), spec.train_json(), node.site_id)
    except Exception as exc:
        log.error("run refused: %s", exc)
        audit.run_decision(spec.permit, spec.train_json(), None, refusal=exc)
        raise
    log.info("run permit %s accepted (purpose %r, %d sites)", permit.permit_id, permit.purpose, len(permit.sites))
    audit.run_decision(spec.permit, spec.train_json(), permit)
    return permit


def node_audit(node: NodeTraining) -> TrainingAudit:
    """The node's audit log; a node without one does not train."""
    if node.settings is None:
        raise RuntimeError(f"{node.node_dir}: the training folder names no node settings (training/node_settings.json), "
                           "so the run could not be audited; prepare the node again (fl_tasks.node_training.prepare_node)")
    return audit_for(node.settings)


def _spec(bound: dict[str, Any] | None, context: Context) -> RunSpec:
    return RunSpec.from_run_config(bound if bound is not None else dict(context.run_config))


def _node_dir(spec: RunSpec, context: Context) -> Path:
    if NODE_DIR_KEY in context.node_config:
        return Path(str(context.node_config[NODE_DIR_KEY]))
    if "partition-id" in context.node_config and spec.sim_nodes:
        return Path(spec.sim_nodes[int(context.node_config["partition-id"])])
    raise KeyError(f"node config names no {NODE_DIR_KEY!r}: start the SuperNode with "
                   f"--node-config \"{NODE_DIR_KEY}='/path/to/node/data'\"")


def _record_traffic(node_dir: Path, msg: Message) -> None:
    """Append the size of an outgoing update (arrays + SecAgg+ masked bytes) to training/traffic.jsonl."""
    content = msg.content
    n_arrays = sum(len(a.data) for rec in content.array_records.values() for a in rec.values())
    n_bytes = 0
    for rec in content.config_records.values():
        for v in rec.values():
            if isinstance(v, bytes):
                n_bytes += len(v)
            elif isinstance(v, list):
                n_bytes += sum(len(x) for x in v if isinstance(x, bytes))
    path = node_dir / "training" / "traffic.jsonl"
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"t": time.time(), "group": msg.metadata.group_id, "array_bytes": n_arrays,
                            "opaque_bytes": n_bytes}) + "\n")


def make_client_app(bound_run_config: dict[str, Any] | None = None, outer_mods: list | None = None,
                    inner_mods: list | None = None) -> ClientApp:
    """The ClientApp; ``bound_run_config`` replaces Flower's run config (simulation has none).

    ``outer_mods`` see exactly what leaves the node (after SecAgg+ masking); ``inner_mods`` run
    between the privacy mods and the client (the plaintext update). Tests use them to inspect
    the traffic; production passes neither.
    """

    def client_fn(context: Context):
        spec = _spec(bound_run_config, context)
        node = open_cached(_node_dir(spec, context))
        audit = node_audit(node)
        permit = admit_run(spec, node, audit)
        return HospitalClient(node, spec, permit.permit_id, audit, permit.initial_sha256).to_client()

    def train_mods(msg: Message, context: Context, call_next):
        """Privacy mods chosen by this run's spec, on train messages only; then measure the reply."""
        if msg.metadata.message_type != MessageType.TRAIN:
            return call_next(msg, context)
        spec = _spec(bound_run_config, context)
        mods = (([compact_masked_vectors_mod, secaggplus_mod] if spec.train.privacy.secagg else [])
                + ([fixedclipping_mod] if spec.train.privacy.dp else []) + list(inner_mods or []))
        out = make_ffn(call_next, mods)(msg, context) if mods else call_next(msg, context)
        if not out.has_error() and (out.content.array_records or _has_bytes(out)):
            _record_traffic(_node_dir(spec, context), out)
        return out

    return ClientApp(client_fn=client_fn, mods=[*(outer_mods or []), train_mods])


def _has_bytes(msg: Message) -> bool:
    return any(isinstance(v, (bytes, list)) for rec in msg.content.config_records.values() for v in rec.values())


app = make_client_app()
