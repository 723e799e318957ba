"""Guards against a diverging training run: clamped temperature, no non-finite update leaves a node,
no non-finite aggregate becomes the global model, Flower's INFO log stays off the console."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from flwr.common import Code, FitRes, Status, ndarrays_to_parameters, parameters_to_ndarrays
from flwr.server.strategy import FedAvg

from fl_tasks.client_app import HospitalClient, NonFiniteUpdate
from fl_tasks.config import OptimConfig, TrainConfig
from fl_tasks.features import FeatureSet
from fl_tasks.model import MAX_LOGIT_SCALE, build_head, get_arrays, set_arrays
from fl_tasks.node_training import NodeTraining
from fl_tasks.permit import InitialModelMismatch, parameters_digest
from fl_tasks.run_spec import RunSpec
from fl_tasks.server_app import FiniteGuard
from fl_tasks.simulation import flower_log_to_file
from fl_tasks.train import NonFiniteTraining, local_train

CFG = TrainConfig()


def _feats(n: int = 24, seed: int = 0) -> FeatureSet:
    rng = np.random.default_rng(seed)
    return FeatureSet(image=rng.normal(size=(n, 192, 4, 4)).astype(np.float16),
                      text=rng.normal(size=(n, 2, 384)).astype(np.float32), text_mask=np.ones((n, 2), np.int8),
                      modality=np.zeros(n, np.int8), region=np.zeros(n, np.int8), group=np.arange(n, dtype=np.int32))


def test_logit_scale_is_clamped_to_clips_range_on_load_and_while_training():
    head = build_head(CFG.model)
    arrays = get_arrays(head)
    idx = [n for n, p in head.named_parameters() if p.requires_grad].index("logit_scale")
    arrays[idx] = np.array([251.66], np.float32)  # what the diverged demo's aggregate carried
    set_arrays(head, arrays)
    assert float(head.logit_scale.detach()) == pytest.approx(MAX_LOGIT_SCALE)
    local_train(head, _feats(), OptimConfig(lr=0.5, batch_size=8))  # absurd lr pushes the temperature hard
    assert 0.0 <= float(head.logit_scale.detach()) <= MAX_LOGIT_SCALE + 1e-6
    assert all(torch.isfinite(p).all() for p in head.parameters())


def test_local_train_stops_at_a_non_finite_loss():
    feats = _feats()
    feats.image[3, 0, 0, 0] = np.nan
    with pytest.raises(NonFiniteTraining, match="non-finite loss"):
        local_train(build_head(CFG.model), feats, OptimConfig(batch_size=64))


def test_a_node_never_sends_a_non_finite_update(tmp_path):
    feats = _feats()
    feats.text[0, 0, 0] = np.inf
    node = NodeTraining("site-x", tmp_path, feats, tmp_path / "coordinator.pub")
    client = HospitalClient(node, RunSpec(train=CFG, permit="p", sites=["site-x"]), "permit-1")
    with pytest.raises(NonFiniteUpdate, match="update withheld"):
        client.fit(get_arrays(build_head(CFG.model)), {"server_round": 2})
    nan_global = get_arrays(build_head(CFG.model))
    nan_global[-1][:] = np.nan
    with pytest.raises(NonFiniteUpdate, match="global parameters"):
        client.fit(nan_global, {"server_round": 3})
    for h in logging.getLogger("fednet.training.site-x").handlers:
        h.flush()
    log = (tmp_path / "logs" / "node.log").read_text()
    assert "round 2: update withheld" in log and "reporting a failed round" in log and "round 3: update withheld" in log


def test_round_one_must_start_from_the_model_the_permit_signs(tmp_path):
    """A coordinator cannot start a permitted run from another model than the permit names."""
    fresh = get_arrays(build_head(CFG.model))
    other = [a + np.float32(0.01) for a in fresh]  # e.g. a checkpoint the permit does not name
    spec = RunSpec(train=CFG, permit="p", sites=["site-x"])

    def client(initial_sha256: str, node_dir: Path) -> HospitalClient:
        return HospitalClient(NodeTraining("site-x", node_dir, _feats(), node_dir / "coordinator.pub"), spec,
                              "permit-1", initial_sha256=initial_sha256)

    with pytest.raises(InitialModelMismatch, match="not the initial model"):  # permit names the fresh head
        client("", tmp_path / "a").fit(other, {"server_round": 1})
    with pytest.raises(InitialModelMismatch):  # permit names a warm start, coordinator sends the fresh head
        client(parameters_digest(other), tmp_path / "b").fit(fresh, {"server_round": 1})
    arrays, n, _ = client(parameters_digest(other), tmp_path / "c").fit(other, {"server_round": 1})
    assert n == 24 and not all(np.array_equal(a, b) for a, b in zip(arrays, other))  # the signed start trains
    arrays, n, _ = client("", tmp_path / "d").fit(other, {"server_round": 2})  # later rounds: aggregates, unchecked
    assert n == 24
    assert parameters_digest(fresh) == parameters_digest([a.astype(np.float64) for a in fresh])  # dtype-independent


def _fit_res(arrays: list[np.ndarray], n: int) -> tuple[None, FitRes]:
    return None, FitRes(Status(Code.OK, ""), ndarrays_to_parameters(arrays), n, {"train_loss": 1.0})


def test_server_rejects_a_non_finite_aggregate_and_keeps_the_previous_model():
    guard = FiniteGuard(FedAvg())
    good = [np.ones((2, 2), np.float32), np.array([2.6], np.float32)]
    params, _ = guard.aggregate_fit(1, [_fit_res(good, 5), _fit_res([a * 3 for a in good], 5)], [])
    assert params is not None and np.allclose(parameters_to_ndarrays(params)[0], 2.0)
    bad = [np.full((2, 2), np.nan, np.float32), np.array([2.6], np.float32)]
    params, metrics = guard.aggregate_fit(2, [_fit_res(good, 5), _fit_res(bad, 5)], [])
    assert params is None and metrics == {} and guard.rejected_rounds == [2]  # Flower then keeps the old global


def test_flower_info_goes_to_the_file_not_the_console(tmp_path):
    from flwr.common.logger import FLOWER_LOGGER, console_handler

    before = console_handler.level
    with flower_log_to_file(tmp_path / "flower.log"):
        info = logging.LogRecord("flwr", logging.INFO, __file__, 1, "History", None, None)
        warn = logging.LogRecord("flwr", logging.WARNING, __file__, 1, "warn", None, None)
        assert info.levelno < console_handler.level <= warn.levelno  # the console drops INFO, shows warnings
        FLOWER_LOGGER.info("History (loss, centralized): round 1: %s", math.pi)
        FLOWER_LOGGER.warning("a real warning")
    assert console_handler.level == before
    text = (tmp_path / "flower.log").read_text()
    assert "History (loss, centralized)" in text and "a real warning" in text


def test_node_log_gets_one_handler_even_for_a_relative_node_dir(tmp_path, monkeypatch):
    from fl_tasks.node_training import node_logger

    monkeypatch.chdir(tmp_path)  # the demo passes relative folders (runs/demo/nodes/<site>)
    for _ in range(3):
        log = node_logger(Path("nodes") / "site-rel", "site-rel")
    log.info("one line")
    for h in log.handlers:
        h.flush()
    assert (tmp_path / "nodes" / "site-rel" / "logs" / "node.log").read_text().count("one line") == 1


def test_torch_never_runs_more_threads_than_openmp_allows(monkeypatch):
    """Regression: OMP_THREAD_LIMIT=1 with 2 torch threads turned training NaN within 3 steps."""
    import torch

    from fl_tasks.train import align_torch_threads

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        monkeypatch.setenv("OMP_THREAD_LIMIT", "1")
        align_torch_threads()
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_ocr_thread_limit_does_not_leak_into_the_process(monkeypatch):
    import os

    from deid.image.ocr import _one_tesseract_thread

    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    seen = _one_tesseract_thread(lambda: os.environ.get("OMP_THREAD_LIMIT"))()
    assert seen == "1" and "OMP_THREAD_LIMIT" not in os.environ
