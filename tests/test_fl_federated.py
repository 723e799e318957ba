"""Federated training in Flower's simulation: one shared run (SecAgg+ on, one node dropping out
mid-round 2, canaries planted in every caption and case id), then what it must show.

Ray start-up costs 10-20 s, so all assertions share the one module-scoped run.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from fl_tasks.config import ModelConfig, OptimConfig, PrivacyConfig, TrainConfig
from fl_tasks.data import MedPixFolderSource
from fl_tasks.node_training import prepare_node
from fl_tasks.permit import generate_signing_key, issue_permit, public_pem
from fl_tasks.run_spec import Fault, RunSpec
from fl_tasks.testing import make_canary_medpix

pytestmark = pytest.mark.slow
SITES = ("site-a", "site-b", "site-c")
DROPPING = "site-c"


def _capture_inner(out_dir: str):
    """Plaintext update of each node (between the privacy mods and the client)."""

    def mod(msg, context, call_next):
        from flwr.compat.common import recorddict_compat as compat
        from flwr.common import parameters_to_ndarrays

        out = call_next(msg, context)
        if not out.has_error() and out.content.array_records:
            res = compat.recorddict_to_fitres(out.content, keep_input=True)
            part = context.node_config.get("partition-id")
            with open(Path(out_dir) / f"inner_{part}_{msg.metadata.group_id}.pkl", "wb") as f:
                pickle.dump({"arrays": parameters_to_ndarrays(res.parameters), "n": res.num_examples,
                             "metrics": dict(res.metrics)}, f)
        return out
    return mod


def _capture_outer(out_dir: str):
    """Everything a node sends (after SecAgg+ masking), as raw bytes."""

    def mod(msg, context, call_next):
        out = call_next(msg, context)
        if out.has_error():
            return out
        chunks = []
        for rec in out.content.array_records.values():
            chunks += [a.data for a in rec.values()]
        for recs in (out.content.config_records, out.content.metric_records):
            for rec in recs.values():
                chunks.append(repr(dict(rec)).encode())
        part = context.node_config.get("partition-id")
        with open(Path(out_dir) / f"outer_{part}_{msg.metadata.group_id}_{os.urandom(4).hex()}.bin", "wb") as f:
            f.write(b"\n".join(chunks))
        return out
    return mod


@pytest.fixture(scope="module")
def fed_run(tmp_path_factory):
    from fl_tasks.client_app import make_client_app
    from fl_tasks.server_app import make_server_app
    from fl_tasks.simulation import flower_env, read_metrics
    from flwr.simulation import run_simulation

    from tests.conftest import SHARED_DATA

    tmp = tmp_path_factory.mktemp("fl")
    data = make_canary_medpix(SHARED_DATA / "medpix2", tmp / "medpix", n_train_cases=24, n_dev_cases=8)
    cfg = TrainConfig(model=ModelConfig(image_size=64, image_trainable_blocks=1, embed_dim=64),
                      optim=OptimConfig(local_epochs=3, batch_size=16, lr=1e-3), privacy=PrivacyConfig(secagg=True),
                      rounds=2)
    key = generate_signing_key(tmp / "coordinator.pem")
    nodes = []
    for i, site in enumerate(SITES):
        node_dir = tmp / "nodes" / site
        prepare_node(node_dir, site, MedPixFolderSource(data.root, cases=data.train_cases[i::3]), cfg.model,
                     tmp / "cache", public_pem(key.public_key()))
        nodes.append(str(node_dir))
    permit = issue_permit(key, cfg.model_dump_json(), list(SITES), purpose="test")
    spec = RunSpec(train=cfg, permit=permit, sites=list(SITES), out_dir=str(tmp / "server"), eval_dir=str(data.root),
                   eval_split="dev", cache_dir=str(tmp / "cache"), sim_nodes=nodes,
                   faults=[Fault(site=DROPPING, round=2)])
    capture = tmp / "capture"
    capture.mkdir()
    flower_env(tmp / "flwr-home")
    bound = spec.to_run_config()
    run_simulation(server_app=make_server_app(bound),
                   client_app=make_client_app(bound, outer_mods=[_capture_outer(str(capture))],
                                              inner_mods=[_capture_inner(str(capture))]),
                   num_supernodes=3,
                   backend_config={"client_resources": {"num_cpus": 1, "num_gpus": 0.0},
                                   "init_args": {"num_cpus": 2, "num_gpus": 0, "logging_level": "ERROR"}})
    return {"tmp": tmp, "data": data, "spec": spec, "metrics": read_metrics(tmp / "server" / "metrics.jsonl"),
            "capture": capture, "nodes": [Path(n) for n in nodes]}


def _checkpoint_arrays(path: Path) -> list[np.ndarray]:
    import torch

    return [t.numpy() for t in torch.load(path, weights_only=True)["arrays"]]


def test_round_changes_global_model_and_improves_held_out_loss(fed_run):
    rows = {r["round"]: r for r in fed_run["metrics"]}
    assert sorted(rows) == [0, 1, 2]
    ckpt = fed_run["tmp"] / "server" / "checkpoints"
    before, after = _checkpoint_arrays(ckpt / "round_000.pt"), _checkpoint_arrays(ckpt / "round_001.pt")
    changed = sum(float(np.abs(a - b).max()) > 1e-6 for a, b in zip(before, after))
    assert changed >= len(before) // 2, "a federated round should move most trainable tensors"
    # contrastive loss on held data (the dev cases, never trained on) goes down
    assert rows[1]["held_out_loss"] < rows[0]["held_out_loss"] - 0.05
    assert rows[2]["held_out_loss"] < rows[0]["held_out_loss"]


def _flat(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])


def _fedavg(updates: list[dict]) -> np.ndarray:
    total = sum(u["n"] for u in updates)
    return sum(u["n"] * _flat(u["arrays"]) for u in updates) / total


@pytest.mark.parametrize("rnd, expected_nodes", [(1, 3), (2, 2)])
def test_secagg_aggregate_equals_plain_fedavg_of_the_same_updates(fed_run, rnd, expected_nodes):
    updates = [pickle.loads(p.read_bytes()) for p in sorted(fed_run["capture"].glob(f"inner_*_{rnd}.pkl"))]
    assert len(updates) == expected_nodes  # round 2: the dropping node never produced an update
    expected = _fedavg(updates)  # the updates travel packed into one array (fl_tasks.wire): compare flat
    got = _flat(_checkpoint_arrays(fed_run["tmp"] / "server" / "checkpoints" / f"round_{rnd:03d}.pt"))
    assert got.shape == expected.shape
    worst = float(np.abs(got - expected).max())
    assert worst < 1e-4, f"SecAgg+ aggregate differs from FedAvg by {worst}"
    # and it is not trivially equal to any single node's update
    assert all(float(np.abs(got - _flat(u["arrays"])).max()) > 1e-4 for u in updates)


def test_node_dropping_out_mid_round_does_not_fail_the_round(fed_run):
    rows = {r["round"]: r for r in fed_run["metrics"]}
    assert 2 in rows and np.isfinite(rows[2]["held_out_loss"])
    dropped = fed_run["nodes"][SITES.index(DROPPING)] / "logs" / "node.log"
    assert "injected failure" in dropped.read_text()
    for site, node in zip(SITES, fed_run["nodes"]):
        log = (node / "logs" / "node.log").read_text()
        assert "round 1: local loss" in log
        assert ("round 2: local loss" in log) == (site != DROPPING)


def test_every_node_audited_the_run_and_each_round_it_took_part_in(fed_run):
    from fl_tasks.node_training import NodeTraining
    from tests.helpers import node_audit_entries

    for site, node in zip(SITES, fed_run["nodes"]):
        settings = NodeTraining.open(node).settings
        assert settings.node.site_id == site
        entries, chain_ok = node_audit_entries(settings)
        assert chain_ok
        assert [e["decision"] for e in entries if e["kind"] == "training_run"] == ["accepted"]
        rounds = {e["answer"]["round"]: e["decision"] for e in entries if e["kind"] == "training_round"}
        assert rounds == {1: "update_sent", 2: "dropped_out" if site == DROPPING else "update_sent"}


def test_every_node_checked_and_logged_the_permit(fed_run):
    from fl_tasks.permit import load_public_key, verify_permit

    spec = fed_run["spec"]
    permit = verify_permit(spec.permit, load_public_key(fed_run["nodes"][0] / "training" / "coordinator.pub"),
                           spec.train_json(), SITES[0])
    for node in fed_run["nodes"]:
        assert f"run permit {permit.permit_id} accepted" in (node / "logs" / "node.log").read_text()


def test_no_planted_identifier_reaches_updates_metrics_logs_or_files(fed_run):
    canaries = [c.encode() for c in fed_run["data"].canaries]
    assert all(c in (fed_run["data"].root / "Descriptions.json").read_bytes() for c in canaries)  # really planted
    sent = list(fed_run["capture"].glob("outer_*.bin"))
    plain = list(fed_run["capture"].glob("inner_*.pkl"))
    assert len(sent) >= 8 and len(plain) == 5
    for p in plain:  # metrics dict carries numbers only
        assert all(isinstance(v, (int, float)) for v in pickle.loads(p.read_bytes())["metrics"].values())
    places = sent + plain + [p for p in (fed_run["tmp"] / "server").rglob("*") if p.is_file()]
    for node in fed_run["nodes"]:
        places += [p for p in node.rglob("*") if p.is_file()]
    places += [p for p in (fed_run["tmp"] / "cache").rglob("*.npy")][:200]
    assert len(places) > 20
    for path in places:
        try:
            blob = path.read_bytes()
        except FileNotFoundError:  # a transient SQLite journal of a node store, gone since the listing
            continue
        leaked = [c.decode() for c in canaries if c in blob]
        assert not leaked, f"planted identifier found in {path.relative_to(fed_run['tmp'])}"


def test_secagg_uploads_carry_four_bytes_per_parameter(fed_run):
    """The masked vectors leave the node as uint32 (fl_tasks.secagg_compact), not Flower's int64."""
    import json

    from fl_tasks.model import build_head, get_arrays

    n_params = sum(a.size for a in get_arrays(build_head(fed_run["spec"].train.model)))
    uploads = [json.loads(line) for node in fed_run["nodes"]
               for line in (node / "training" / "traffic.jsonl").read_text().splitlines()]
    masked = [u["opaque_bytes"] for u in uploads if u["opaque_bytes"] > n_params]
    assert len(masked) == 5  # 3 nodes in round 1, 2 in round 2
    assert all(4 * n_params <= b < 4 * n_params + 4096 for b in masked), (n_params, masked)
