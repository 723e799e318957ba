"""Fast checks of the training building blocks: permits, DP accounting, data shares, opt-out, loss, CLI."""

from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np
import pytest
import torch

from fl_tasks.accountant import gaussian_epsilon
from fl_tasks.data import REGIONS, MedPixFolderSource, non_iid_shares
from fl_tasks.loss import clip_loss
from fl_tasks.permit import PermitError, generate_signing_key, issue_permit, load_public_key, verify_permit


def test_permit_accepts_the_signed_run_and_refuses_everything_else(tmp_path):
    key = generate_signing_key(tmp_path / "coord.pem")
    pub = load_public_key(tmp_path / "coord.pub")
    token = issue_permit(key, '{"rounds": 3}', ["aurelia", "kellerby"], purpose="test")
    assert verify_permit(token, pub, '{"rounds": 3}', "aurelia").sites == ("aurelia", "kellerby")
    with pytest.raises(PermitError, match="another training configuration"):
        verify_permit(token, pub, '{"rounds": 30}', "aurelia")
    with pytest.raises(PermitError, match="does not cover site"):
        verify_permit(token, pub, '{"rounds": 3}', "halvorsen")
    with pytest.raises(PermitError, match="expired"):
        verify_permit(token, pub, '{"rounds": 3}', "aurelia", now=1e12)
    other = generate_signing_key(tmp_path / "mallory.pem")
    with pytest.raises(PermitError, match="signature"):
        verify_permit(issue_permit(other, '{"rounds": 3}', ["aurelia"], "x"), pub, '{"rounds": 3}', "aurelia")
    payload, sig = token.split(".")
    with pytest.raises(PermitError):
        verify_permit(payload[:-4] + "AAAA." + sig, pub, '{"rounds": 3}', "aurelia")
    assert (tmp_path / "coord.pem").stat().st_mode & 0o077 == 0


def test_dp_epsilon_grows_with_rounds_and_shrinks_with_noise():
    eps = [gaussian_epsilon(1.0, t, 1e-5) for t in (1, 5, 20)]
    assert eps[0] < eps[1] < eps[2]
    assert gaussian_epsilon(2.0, 5, 1e-5) < gaussian_epsilon(1.0, 5, 1e-5)
    assert math.isinf(gaussian_epsilon(0.0, 1, 1e-5)) and gaussian_epsilon(1.0, 0, 1e-5) == 0.0
    # one Gaussian release with z=1 at delta=1e-5: classical analytic bound is ~4.4-5; RDP gives < 6
    assert 3.0 < gaussian_epsilon(1.0, 1, 1e-5) < 6.0


def test_non_iid_shares_are_disjoint_cover_the_split_and_are_skewed(shared_data):
    root = shared_data / "medpix2"
    shares = non_iid_shares(root, "train", seed=0)
    all_cases = [c for s in shares for c in s.cases]
    assert len(all_cases) == len(set(all_cases))
    assert set(all_cases) == set(json.loads((root / "splits.json").read_text())["train"])
    assert non_iid_shares(root, "train", seed=0) == shares  # deterministic
    head_share = {}
    for s in shares:
        regions = Counter(p.labels.region for p in MedPixFolderSource(root, cases=s.cases))
        head_share[s.site_id] = regions["Head"] / sum(regions.values())
    assert head_share["aurelia"] > 0.6 > 0.3 > max(head_share["halvorsen"], head_share["kellerby"])


def test_opt_out_removes_every_pair_of_the_patient(shared_data):
    root = shared_data / "medpix2"
    dev = MedPixFolderSource(root, split="dev")
    cases = Counter(p.group for p in dev)
    out = next(iter(cases))
    kept = list(MedPixFolderSource(root, split="dev", excluded_pseudonyms={out}))
    assert len(kept) == sum(cases.values()) - cases[out]
    assert out not in {p.group for p in kept}


def test_medpix_source_errors_name_the_folder(tmp_path):
    from fl_tasks.data import DataError

    with pytest.raises(DataError, match=str(tmp_path)):
        MedPixFolderSource(tmp_path)


def test_clip_loss_is_low_for_matching_pairs_and_treats_duplicate_texts_as_positives():
    torch.manual_seed(0)
    e = torch.nn.functional.normalize(torch.randn(8, 16), dim=-1)
    scale = torch.tensor([20.0])
    assert float(clip_loss(e, e, scale)) < float(clip_loss(e, e.roll(1, 0), scale))
    t = e.clone()
    t[1] = t[0]  # two images share one text: both count as positives
    img = t.clone()
    img[1] = img[0]
    assert float(clip_loss(img, t, scale)) < 0.8  # ln 2 for the duplicated pair, ~0 elsewhere


def test_fedcoord_evaluate_json_on_a_medpix_layout_folder(tmp_path, shared_data, capsys):
    from coordinator.cli import main
    from fl_tasks.checkpoint import save_checkpoint
    from fl_tasks.config import ModelConfig
    from fl_tasks.model import build_head
    from fl_tasks.testing import make_canary_medpix

    data = make_canary_medpix(shared_data / "medpix2", tmp_path / "mp", n_train_cases=2, n_dev_cases=5)
    ckpt = save_checkpoint(tmp_path / "ck.pt", build_head(ModelConfig(image_size=64, embed_dim=32)), {"round": 0})
    assert main(["evaluate", "--data", str(data.root), "--checkpoint", str(ckpt), "--split", "dev", "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {"modality_accuracy", "region_accuracy", "recall_at_5"} <= set(out)
    assert out["n_images"] == len(list(MedPixFolderSource(data.root, split="dev")))
    assert all(0.0 <= out[k] <= 1.0 for k in ("modality_accuracy", "region_accuracy", "recall_at_5"))
    assert main(["evaluate", "--data", str(tmp_path / "nope"), "--checkpoint", str(ckpt)]) == 2


def test_only_parameters_travel_and_logit_scale_is_one_element():
    from fl_tasks.config import ModelConfig
    from fl_tasks.model import build_head, get_arrays, set_arrays

    head = build_head(ModelConfig(image_size=64, embed_dim=32))
    arrays = get_arrays(head)
    assert all(a.ndim >= 1 for a in arrays), "SecAgg+ corrupts 0-d arrays"
    assert arrays[0].shape == (1,)  # logit_scale
    bn_before = [b.clone() for n, b in head.named_buffers() if "running_mean" in n]
    set_arrays(head, [a + 0.01 for a in arrays])
    assert np.allclose(get_arrays(head)[0], arrays[0] + 0.01)
    assert all(torch.equal(a, b) for a, b in zip(bn_before, [b for n, b in head.named_buffers() if "running_mean" in n]))
    with pytest.raises(ValueError, match="same TrainConfig.model"):
        set_arrays(head, arrays[:-1])
    assert REGIONS[0] == "Head"


def test_node_store_source_reads_deidentified_images_and_respects_opt_out(tmp_path, store_uri, database_name):
    import io

    from PIL import Image

    from fl_tasks.data import text_fields
    from fl_tasks.node_source import NodeStoreSource
    from node.images.blobs import FileBlobStore
    from node.store import open_store

    store = open_store(store_uri, database_name)
    blobs = FileBlobStore(tmp_path / "blobs")
    try:
        for i, (pseudo, region) in enumerate([("p-keep1", "thorax"), ("p-out", "head"), ("p-keep2", "pelvis")]):
            buf = io.BytesIO()
            Image.fromarray(np.full((20, 30), 40 * (i + 1), dtype=np.uint8)).save(buf, format="PNG")
            blob = blobs.put(buf.getvalue(), "image/png")
            store.collection("images").insert_one({
                "_id": f"img{i}", "patient_pseudonym": pseudo, "caption": f"finding {i}",
                "labels": {"modality": "CT", "body_region": region, "plane": "axial", "findings": []},
                "pixels": {"blob": blob, "content_type": "image/png", "size": len(buf.getvalue())}})
        pairs = list(NodeStoreSource(store, blobs, excluded_pseudonyms={"p-out"}))
        assert [p.group for p in pairs] == ["p-keep1", "p-keep2"]
        assert [p.labels.region for p in pairs] == ["Thorax", "Reproductive and Urinary System"]
        assert pairs[0].pixels().shape == (20, 30) and int(pairs[1].pixels()[0, 0]) == 120
        assert text_fields(pairs[0]) == ("CT axial image of the thorax", "finding 0")
        assert len(list(NodeStoreSource(store, blobs))) == 3
    finally:
        store.close()
