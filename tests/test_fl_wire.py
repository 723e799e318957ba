"""The model travels as one flat array (fl_tasks.wire): lossless, and a node answers in the form it got."""

from __future__ import annotations

import numpy as np

from fl_tasks.client_app import HospitalClient
from fl_tasks.config import ModelConfig, OptimConfig, PrivacyConfig, TrainConfig
from fl_tasks.features import FeatureSet
from fl_tasks.model import build_head, get_arrays
from fl_tasks.node_training import NodeTraining
from fl_tasks.permit import parameters_digest
from fl_tasks.run_spec import RunSpec
from fl_tasks.wire import is_packed, pack, shapes_for, unpack

CFG = TrainConfig(model=ModelConfig(image_size=64, embed_dim=32), optim=OptimConfig(batch_size=8),
                  privacy=PrivacyConfig(secagg=False))


def _feats(n: int = 16) -> FeatureSet:
    rng = np.random.default_rng(0)
    return FeatureSet(image=rng.normal(size=(n, 192, 2, 2)).astype(np.float16),
                      text=rng.normal(size=(n, 2, 384)).astype(np.float32), text_mask=np.ones((n, 2), np.int8),
                      modality=np.zeros(n, np.int8), region=np.zeros(n, np.int8), group=np.arange(n, dtype=np.int32))


def test_pack_and_unpack_are_lossless_and_keep_wire_order():
    arrays = get_arrays(build_head(CFG.model))
    shapes = shapes_for(CFG.model)
    packed = pack(arrays)
    assert len(arrays) > 10 and len(packed) == 1 and packed[0].dtype == np.float32
    assert is_packed(packed, shapes) and not is_packed(arrays, shapes)
    back = unpack(packed, shapes)
    assert [a.shape for a in back] == [a.shape for a in arrays]
    assert parameters_digest(back) == parameters_digest(arrays)
    assert unpack(arrays, shapes) == arrays  # unpacked input passes through


def test_a_single_tensor_model_is_packed_by_shape():
    matrix = [np.arange(6, dtype=np.float32).reshape(2, 3)]
    packed = pack(matrix)
    assert is_packed(packed, ((2, 3),)) and np.array_equal(unpack(packed, ((2, 3),))[0], matrix[0])
    vector = [np.arange(4, dtype=np.float32)]
    assert not is_packed(vector, ((4,),)) and unpack(vector, ((4,),))[0] is vector[0]


def test_a_wrong_size_flat_array_is_not_taken_for_a_packed_model():
    shapes = shapes_for(CFG.model)
    flat = pack(get_arrays(build_head(CFG.model)))[0]
    assert not is_packed([flat[:-1]], shapes) and unpack([flat[:-1]], shapes)[0].shape == flat[:-1].shape


def test_a_node_answers_packed_parameters_packed_and_the_permit_check_sees_the_real_model(tmp_path):
    fresh = get_arrays(build_head(CFG.model))
    node = NodeTraining("site-x", tmp_path, _feats(), tmp_path / "coordinator.pub")
    spec = RunSpec(train=CFG, permit="p", sites=["site-x"])
    client = HospitalClient(node, spec, "permit-1", initial_sha256=parameters_digest(fresh))
    out, n, _ = client.fit(pack(fresh), {"server_round": 1})  # round 1: the digest is checked on the unpacked model
    assert n == 16 and is_packed(out, shapes_for(CFG.model))
    trained = unpack(out, shapes_for(CFG.model))
    assert any(not np.array_equal(a, b) for a, b in zip(trained, fresh))
    out, _, _ = client.fit(fresh, {"server_round": 2})
    assert len(out) == len(fresh)  # unpacked in, unpacked out


def test_the_global_model_travels_in_float32_although_secagg_and_fedavg_aggregate_in_float64():
    from flwr.common import Code, FitRes, Status, ndarrays_to_parameters, parameters_to_ndarrays

    from fl_tasks.server_app import FiniteGuard, ModelDtypeGlobal, build_strategy

    spec = RunSpec(train=CFG, permit="p", sites=["site-x", "site-y"])
    strategy = build_strategy(spec, None)
    assert isinstance(strategy, ModelDtypeGlobal) and isinstance(strategy.strategy, FiniteGuard)  # outermost
    arrays = get_arrays(build_head(CFG.model))
    updates = [[a.astype(np.float64) + 1e-9 * k for a in pack(arrays)] for k in (1, 2)]  # as SecAgg+ dequantises
    results = [(None, FitRes(Status(Code.OK, ""), ndarrays_to_parameters(u), 4, {"train_loss": 1.0})) for u in updates]
    params, _ = strategy.aggregate_fit(1, results, [])
    (flat,) = parameters_to_ndarrays(params)
    exact = (updates[0][0] + updates[1][0]) / 2
    assert flat.dtype == np.float32 and flat.nbytes == exact.nbytes // 2
    assert np.array_equal(flat, exact.astype(np.float32))  # rounded once, as every node would on loading it
    bad = [np.full_like(updates[0][0], np.nan)]
    params, metrics = strategy.aggregate_fit(2, [results[0], (None, FitRes(Status(Code.OK, ""),
                                                                           ndarrays_to_parameters(bad), 4, {}))], [])
    assert params is None and metrics == {}  # a rejected aggregate still keeps the previous model
