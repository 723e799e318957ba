"""Warm start: pretraining on public pairs, round-0 parameters, disjointness of public / node / dev cases."""

from __future__ import annotations

import numpy as np
import pytest
from flwr.common import parameters_to_ndarrays

from fl_tasks.checkpoint import load_checkpoint
from fl_tasks.config import ModelConfig, OptimConfig, TrainConfig
from fl_tasks.data import DataError, MedPixFolderSource, load_splits, non_iid_shares
from fl_tasks.model import build_head, get_arrays
from fl_tasks.run_spec import RunSpec
from fl_tasks.server_app import build_strategy
from fl_tasks.wire import shapes_for, unpack
from fl_tasks.warm_start import check_disjoint, load_warm_start, pretrain_on_public, public_cases


def test_public_cases_are_disjoint_from_node_shares_and_the_dev_split(shared_data):
    medpix = shared_data / "medpix2"
    splits = load_splits(medpix)
    public = public_cases(medpix, fraction=0.2)
    assert public == public_cases(medpix, fraction=0.2)  # deterministic
    assert abs(len(public) - 0.2 * len(splits["train"])) <= 1
    assert set(public) <= set(splits["train"]) and not set(public) & set(splits["dev"])
    shares = non_iid_shares(medpix, "train", exclude_cases=public)
    dealt = [c for s in shares for c in s.cases]
    assert not set(public) & set(dealt)
    assert set(dealt) | set(public) >= {c for c in splits["train"] if c in MedPixFolderSource(medpix).case_labels()}
    check_disjoint(public, {s.site_id: s.cases for s in shares}, splits["dev"])  # passes
    with pytest.raises(DataError, match="also in node"):  # the usual shares (no exclusion) hold public cases
        check_disjoint(public, {s.site_id: s.cases for s in non_iid_shares(medpix, "train")}, splits["dev"])
    with pytest.raises(DataError, match="evaluation split"):
        check_disjoint(public + (splits["dev"][0],), {}, splits["dev"])


def test_warm_started_round_0_is_the_pretrained_checkpoint_and_differs_from_cold(tmp_path, shared_data):
    from fl_tasks.testing import make_canary_medpix

    data = make_canary_medpix(shared_data / "medpix2", tmp_path / "mp", n_train_cases=5, n_dev_cases=2,
                              max_images_per_case=2)
    cfg = TrainConfig(model=ModelConfig(image_size=64, embed_dim=32), optim=OptimConfig(batch_size=4, lr=1e-3))
    ckpt = pretrain_on_public(MedPixFolderSource(data.root), cfg, tmp_path / "cache", tmp_path / "ws.pt", epochs=2,
                              exclude_groups=data.dev_cases)
    head, meta = load_checkpoint(ckpt)
    assert meta["warm_start"]["public_cases"] == sorted(data.train_cases)  # dev cases excluded before training
    assert not set(meta["warm_start"]["public_cases"]) & set(data.dev_cases)

    spec = RunSpec(train=cfg, permit="unused", sites=["a", "b"])
    shapes = shapes_for(cfg.model)  # the strategy holds the parameters packed for the wire (fl_tasks.wire)
    warm = unpack(parameters_to_ndarrays(build_strategy(spec.model_copy(update={"warm_start": str(ckpt)}), None)
                                         .initialize_parameters(None)), shapes)
    cold = unpack(parameters_to_ndarrays(build_strategy(spec, None).initialize_parameters(None)), shapes)
    pretrained = get_arrays(head)
    assert len(warm) == len(pretrained) == len(cold)
    assert all(np.array_equal(w, p) for w, p in zip(warm, pretrained))
    assert all(np.array_equal(c, f) for c, f in zip(cold, get_arrays(build_head(cfg.model))))
    assert sum(not np.allclose(w, c) for w, c in zip(warm, cold)) >= len(cold) // 2  # pretraining moved most tensors

    with pytest.raises(ValueError, match="model config"):
        load_warm_start(ckpt, ModelConfig(image_size=64, embed_dim=16))
    with pytest.raises(DataError, match="no public pairs"):
        pretrain_on_public(MedPixFolderSource(data.root, split="dev"), cfg, tmp_path / "cache", tmp_path / "x.pt",
                           exclude_groups=data.dev_cases)
