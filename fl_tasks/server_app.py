"""The coordinator side of federated training: a Flower ``ServerApp``.

FedAvg (or FedProx) over the nodes' trainable parameters (sent as one flat array:
:mod:`fl_tasks.wire`), SecAgg+ by default (the
coordinator only ever sees the weighted sum of the updates), optional client-level DP
(client-side clipping + server-side Gaussian noise, epsilon reported per round). After the
initial parameters and after every round the global model is evaluated zero-shot on the
evaluation folder, checkpointed, and the round's metrics appended to ``metrics.jsonl``.
Deployment Engine entry point: ``fl_tasks.server_app:app``.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from flwr.app import Context
from flwr.common import FitRes, Metrics, Parameters, ndarrays_to_parameters, parameters_to_ndarrays
from flwr.server.client_proxy import ClientProxy
from flwr.server import LegacyContext, ServerConfig
from flwr.server.strategy import DifferentialPrivacyClientSideFixedClipping, FedAvg, FedProx, Strategy
from flwr.server.workflow import DefaultWorkflow, SecAggPlusWorkflow
from flwr.serverapp import Grid, ServerApp

from fl_tasks.accountant import gaussian_epsilon
from fl_tasks.checkpoint import save_checkpoint
from fl_tasks.data import MedPixFolderSource
from fl_tasks.evaluate import Evaluator
from fl_tasks.features import FeatureCache
from fl_tasks.model import build_head, get_arrays, non_finite, set_arrays
from fl_tasks.run_spec import RunSpec
from fl_tasks.wire import as_model_dtype, pack, shapes_for, unpack

log = logging.getLogger("fednet.training.coordinator")


@dataclass
class RoundRecorder:
    """Evaluates, checkpoints and logs the global model after every round (Flower ``evaluate_fn``)."""

    spec: RunSpec
    evaluator: Evaluator
    out_dir: Path
    started: float = field(default_factory=time.perf_counter)
    last: float = field(default_factory=time.perf_counter)

    def __call__(self, server_round: int, arrays: list[np.ndarray], config: dict[str, Any]) -> tuple[float, Metrics]:
        now = time.perf_counter()
        round_seconds = now - self.last if server_round > 0 else 0.0
        head = build_head(self.spec.train.model)
        set_arrays(head, unpack(arrays, shapes_for(self.spec.train.model)))
        result = self.evaluator(head)
        privacy = self.spec.train.privacy
        epsilon = gaussian_epsilon(privacy.dp_noise_multiplier, server_round, privacy.dp_delta) if privacy.dp else None
        row = {"round": server_round, "round_seconds": round_seconds, **result.to_dict(),
               "logit_scale": float(head.logit_scale.detach().reshape(-1)[0]), "dp_epsilon": epsilon}
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with (self.out_dir / "metrics.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")
        meta = {"round": server_round, "metrics": result.to_dict(), "dp_epsilon": epsilon}
        save_checkpoint(self.out_dir / "checkpoints" / f"round_{server_round:03d}.pt", head, meta)
        save_checkpoint(self.out_dir / "global_final.pt", head, meta)
        print(f"[fednet] round {server_round}: modality {result.modality_accuracy:.3f} region "
              f"{result.region_accuracy:.3f} R@5 {result.recall_at_5:.3f} held-out loss {result.held_out_loss:.3f}"
              + (f" eps {epsilon:.2f}" if epsilon is not None else ""), flush=True)
        self.last = time.perf_counter()  # evaluation time is not round time
        return result.held_out_loss, {k: float(v) for k, v in row.items() if isinstance(v, (int, float))}


def _weighted_loss(metrics: list[tuple[int, Metrics]]) -> Metrics:
    total = sum(n for n, _ in metrics)
    if not total or not all("train_loss" in m for _, m in metrics):
        return {}
    return {"train_loss": sum(n * float(m["train_loss"]) for n, m in metrics) / total}


def aggregate_problem(arrays: list[np.ndarray]) -> str | None:
    """Why an aggregate must not become the global model (``None``: it may)."""
    bad = non_finite(arrays)
    return f"{len(bad)} of {len(arrays)} aggregated arrays hold NaN/inf" if bad else None


class StrategyWrapper(Strategy):
    """A strategy around ``strategy`` that does everything ``strategy`` does; subclasses change one step."""

    def __init__(self, strategy: Strategy) -> None:
        super().__init__()
        self.strategy = strategy

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.strategy!r})"

    def initialize_parameters(self, client_manager):
        return self.strategy.initialize_parameters(client_manager)

    def configure_fit(self, server_round, parameters, client_manager):
        return self.strategy.configure_fit(server_round, parameters, client_manager)

    def aggregate_fit(self, server_round, results, failures):
        return self.strategy.aggregate_fit(server_round, results, failures)

    def configure_evaluate(self, server_round, parameters, client_manager):
        return self.strategy.configure_evaluate(server_round, parameters, client_manager)

    def aggregate_evaluate(self, server_round, results, failures):
        return self.strategy.aggregate_evaluate(server_round, results, failures)

    def evaluate(self, server_round, parameters):
        return self.strategy.evaluate(server_round, parameters)


class FiniteGuard(StrategyWrapper):
    """Wraps a strategy: a round whose aggregate holds NaN/inf keeps the previous global model.

    Flower's workflows leave the global parameters unchanged when ``aggregate_fit`` returns
    ``None``; this wrapper does so, with a warning, instead of passing on a broken aggregate.
    (Under SecAgg+ a NaN update would be quantised into finite garbage, so nodes never send
    one: see ``HospitalClient``.)
    """

    def __init__(self, strategy: Strategy) -> None:
        super().__init__(strategy)
        self.rejected_rounds: list[int] = []

    def aggregate_fit(self, server_round: int, results: list[tuple[ClientProxy, FitRes]],
                      failures: list) -> tuple[Parameters | None, dict[str, Any]]:
        parameters, metrics = self.strategy.aggregate_fit(server_round, results, failures)
        if parameters is None:
            return parameters, metrics
        problem = aggregate_problem(parameters_to_ndarrays(parameters))
        if problem is None:
            return parameters, metrics
        self.rejected_rounds.append(server_round)
        log.warning("round %d: aggregate rejected (%s); keeping the previous global model", server_round, problem)
        print(f"[fednet] round {server_round}: aggregate rejected ({problem}); keeping the previous global model",
              flush=True)
        return None, {}


class ModelDtypeGlobal(StrategyWrapper):
    """Wraps a strategy: the aggregate becomes the global model in the model's own dtype (float32).

    SecAgg+ dequantises in float64 and FedAvg averages in float64, so from round 2 on the global
    model would travel to every node at twice its size (11.7 MB instead of 5.9 MB at the test
    configuration, through three hops each on the Deployment Engine), only for each node to
    round it to float32 when loading it (:func:`fl_tasks.model.set_arrays`). Rounding once here
    changes nothing a node, the evaluation or a checkpoint sees.
    """

    def aggregate_fit(self, server_round: int, results: list[tuple[ClientProxy, FitRes]],
                      failures: list) -> tuple[Parameters | None, dict[str, Any]]:
        parameters, metrics = self.strategy.aggregate_fit(server_round, results, failures)
        if parameters is None:
            return parameters, metrics
        return ndarrays_to_parameters(as_model_dtype(parameters_to_ndarrays(parameters))), metrics


def initial_arrays(spec: RunSpec) -> list[np.ndarray]:
    """Round-0 global parameters: the warm-start checkpoint's (``spec.warm_start``), else a fresh head."""
    if spec.warm_start:
        from fl_tasks.warm_start import load_warm_start

        return load_warm_start(Path(spec.warm_start), spec.train.model).arrays
    return get_arrays(build_head(spec.train.model))


def build_strategy(spec: RunSpec, recorder: RoundRecorder | None) -> Strategy:
    cfg = spec.train
    n = len(spec.sites)
    common = dict(fraction_fit=1.0, fraction_evaluate=0.0, min_fit_clients=n, min_available_clients=n,
                  min_evaluate_clients=0, accept_failures=True,
                  initial_parameters=ndarrays_to_parameters(pack(initial_arrays(spec))),  # fl_tasks.wire
                  evaluate_fn=recorder, on_fit_config_fn=lambda r: {"server_round": r},
                  fit_metrics_aggregation_fn=_weighted_loss)
    strategy: Strategy = (FedProx(proximal_mu=cfg.optim.fedprox_mu, **common) if cfg.strategy == "fedprox"
                          else FedAvg(**common))
    if cfg.privacy.dp:
        strategy = DifferentialPrivacyClientSideFixedClipping(
            strategy, noise_multiplier=cfg.privacy.dp_noise_multiplier, clipping_norm=cfg.privacy.dp_clipping_norm,
            num_sampled_clients=n)
    return ModelDtypeGlobal(FiniteGuard(strategy))


def fit_workflow(spec: RunSpec):
    """SecAgg+ (default) or Flower's plain fit workflow."""
    p = spec.train.privacy
    if not p.secagg:
        return None
    # Every node shares its key with all others; any 2 of the shares rebuild a dropped node's mask.
    return SecAggPlusWorkflow(num_shares=1.0, reconstruction_threshold=min(1.0, 2 / max(2, len(spec.sites))),
                              max_weight=float(p.secagg_max_weight), clipping_range=p.secagg_clipping_range,
                              quantization_range=p.secagg_quantization_range, timeout=spec.round_timeout_s)


class PreparationFailed(RuntimeError):
    """Too few nodes accepted the run and prepared their data (each one's answer is in prepare.json)."""


def prepare_nodes(grid: Grid, spec: RunSpec, out_dir: Path) -> tuple[RunSpec, Grid]:
    """Deployment Engine: each connected node checks the permit and prepares its own features.

    Sends ``query.prepare`` to every connected node (:mod:`node.network.training` answers it);
    keeps the nodes that answered ``ok`` for a site of the permit (and, with ``spec.node_keys``,
    whose SuperNode key is registered for that site). Returns the spec with those sites and a
    grid showing only those nodes to the workflow; writes every answer to ``prepare.json``.
    """
    import base64

    from fl_tasks.grid import PromptGrid, exchange
    from flwr.app import Message
    from node.query.flower_client import pack, unpack

    keys = {n.node_id: base64.b64encode(bytes(n.public_key)).decode() for n in grid.get_nodes()}
    messages = [Message(pack({}), dst_node_id=node_id, message_type="query.prepare", ttl=spec.prepare_timeout_s)
                for node_id in keys]
    answers: dict[str, Any] = {}
    accepted: dict[int, str] = {}
    for reply in exchange(grid, messages, spec.prepare_timeout_s):
        node_id = reply.metadata.src_node_id
        if reply.has_error():
            answers[f"node {node_id}"] = {"status": "error", "reason": reply.error.reason}
            continue
        answer = unpack(reply.content)
        site = str(answer.get("site_id", ""))
        entry = site or f"node {node_id}"
        if answer.get("status") == "ok":
            if site not in spec.sites:
                answer = {"status": "refused", "reason": f"{site!r} is not a site of this run"}
            elif spec.node_keys and spec.node_keys.get(site) != keys.get(node_id):
                entry = f"node {node_id}"
                answer = {"status": "refused", "reason": f"claims {site}, but its key is not the one registered for it"}
            elif site in accepted.values():
                entry = f"node {node_id}"
                answer = {"status": "refused", "reason": f"{site} has prepared already (from another node)"}
            else:
                accepted[node_id] = site
        answers[entry] = answer
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "prepare.json").write_text(json.dumps(answers, indent=2, sort_keys=True))
    print(f"[fednet] nodes ready: {sorted(accepted.values())}; answers in {out_dir / 'prepare.json'}", flush=True)
    needed = 2 if spec.train.privacy.secagg else 1
    if len(accepted) < needed:
        raise PreparationFailed(f"{len(accepted)} node(s) prepared the run ({needed} needed); see "
                                f"{out_dir / 'prepare.json'}")
    sites = [s for s in spec.sites if s in accepted.values()]
    inner = grid.inner if isinstance(grid, PromptGrid) else grid
    return spec.model_copy(update={"sites": sites}), PromptGrid(inner, only=set(accepted))


def make_server_app(bound_run_config: dict[str, Any] | None = None) -> ServerApp:
    """The ServerApp; ``bound_run_config`` replaces Flower's run config (simulation has none).

    On the Deployment Engine the grid exchanges messages promptly (:func:`fl_tasks.grid.prompt`)
    and, with ``spec.prepare_on_nodes``, the nodes prepare their data first (:func:`prepare_nodes`).
    """
    app = ServerApp()

    @app.main()
    def main(grid: Grid, context: Context) -> None:
        from fl_tasks.grid import prompt

        spec = RunSpec.from_run_config(bound_run_config if bound_run_config is not None else dict(context.run_config))
        out_dir = Path(spec.out_dir)
        grid = prompt(grid)
        if spec.prepare_on_nodes:
            spec, grid = prepare_nodes(grid, spec, out_dir)
        evaluator = Evaluator.from_source(MedPixFolderSource(Path(spec.eval_dir), split=spec.eval_split),
                                          FeatureCache(Path(spec.cache_dir), spec.train.model))
        recorder = RoundRecorder(spec, evaluator, out_dir)
        legacy = LegacyContext(context=context, config=ServerConfig(num_rounds=spec.train.rounds,
                                                                    round_timeout=spec.round_timeout_s),
                               strategy=build_strategy(spec, recorder))
        DefaultWorkflow(fit_workflow=fit_workflow(spec))(grid, legacy)
        (out_dir / "history.txt").write_text(str(legacy.history))

    return app


app = make_server_app()
