"""Deployment Engine on loopback: a TLS SuperLink with SuperNode authentication, three SuperNodes
(one per hospital node folder), ``flwr run`` of the fednet apps with SecAgg+; one slow test."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coordinator.network.control import TRAINING_APP, write_app
from fl_tasks.config import ModelConfig, OptimConfig, PrivacyConfig, TrainConfig
from fl_tasks.data import MedPixFolderSource
from fl_tasks.node_training import NodeTraining, prepare_node
from fl_tasks.permit import generate_signing_key, issue_permit, public_pem
from fl_tasks.run_spec import RunSpec
from fl_tasks.testing import make_canary_medpix
from fl_tasks.tls import make_supernode_keys, make_tls
from tests.helpers import node_audit_entries
from tests.processes import free_port, wait_for

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SITES = ("site-a", "site-b", "site-c")



def test_deployment_engine_with_tls_and_supernode_auth(tmp_path, shared_data):
    env = {**os.environ, "FLWR_HOME": str(tmp_path / "flwr-home"), "FLWR_TELEMETRY_ENABLED": "0",
           "FLWR_DISABLE_RUNTIME_DEPENDENCY_INSTALLATION": "1", "HF_HUB_OFFLINE": "1",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
           "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    data = make_canary_medpix(shared_data / "medpix2", tmp_path / "medpix", n_train_cases=9, n_dev_cases=4)
    cfg = TrainConfig(model=ModelConfig(image_size=64, image_trainable_blocks=1, embed_dim=32),
                      optim=OptimConfig(local_epochs=1, batch_size=8), privacy=PrivacyConfig(secagg=True), rounds=2)
    key = generate_signing_key(tmp_path / "coordinator.pem")
    nodes = []
    for i, site in enumerate(SITES):
        prepare_node(tmp_path / "nodes" / site, site, MedPixFolderSource(data.root, cases=data.train_cases[i::3]),
                     cfg.model, tmp_path / "cache", public_pem(key.public_key()))
        nodes.append(tmp_path / "nodes" / site)
    spec = RunSpec(train=cfg, permit=issue_permit(key, cfg.model_dump_json(), list(SITES), "deployment test"),
                   sites=list(SITES), out_dir=str(tmp_path / "server"), eval_dir=str(data.root), eval_split="dev",
                   cache_dir=str(tmp_path / "cache"), round_timeout_s=300)

    tls = make_tls(tmp_path / "certs")
    port = free_port()
    home = tmp_path / "flwr-home"
    home.mkdir()
    (home / "config.toml").write_text(f'[superlink]\ndefault = "local-tls"\n\n[superlink.local-tls]\n'
                                      f'address = "127.0.0.1:{port}"\nroot-certificates = "{tls.ca_cert}"\n')
    app = write_app(tmp_path / "app", TRAINING_APP)  # the coordinator service's own training app
    (tmp_path / "run_config.toml").write_text(f'fednet-run = "{spec.to_run_config()["fednet-run"]}"\n')

    procs: list[subprocess.Popen] = []
    logs: list[Path] = []
    run_ids: list[str] = []

    def start(name: str, args: list[str]) -> None:
        log = tmp_path / f"{name}.log"
        logs.append(log)
        procs.append(subprocess.Popen(args, env=env, cwd=tmp_path, stdout=log.open("w"), stderr=subprocess.STDOUT,
                                      start_new_session=True))

    try:
        start("superlink", [str(BIN / "flower-superlink"), "--ssl-ca-certfile", str(tls.ca_cert), "--ssl-certfile",
                            str(tls.server_cert), "--ssl-keyfile", str(tls.server_key), "--enable-supernode-auth",
                            "--disable-runtime-dependency-installation", "--port", str(port),
                            "--database", str(tmp_path / "superlink.db")])
        wait_for(lambda: "Application startup complete" in logs[0].read_text(), 60, "the SuperLink", logs)
        for i, node in enumerate(nodes):
            priv, pub = make_supernode_keys(tmp_path / "keys", f"node{i}")
            reg = subprocess.run([str(BIN / "flwr"), "supernode", "register", str(pub), "local-tls"], env=env,
                                 cwd=tmp_path, capture_output=True, text=True, timeout=60)
            assert reg.returncode == 0 and "registered" in reg.stdout, reg.stdout + reg.stderr
            start(f"supernode{i}", [str(BIN / "flower-supernode"), "--superlink", f"127.0.0.1:{port}",
                                    "--root-certificates", str(tls.ca_cert), "--auth-supernode-private-key", str(priv),
                                    "--auth-supernode-public-key", str(pub), "--port", str(free_port()),
                                    "--node-config", f"fednet-node-dir='{node}'"])
        # an unregistered SuperNode is turned away
        rogue_priv, rogue_pub = make_supernode_keys(tmp_path / "keys", "rogue")
        start("rogue", [str(BIN / "flower-supernode"), "--superlink", f"127.0.0.1:{port}", "--root-certificates",
                        str(tls.ca_cert), "--auth-supernode-private-key", str(rogue_priv),
                        "--auth-supernode-public-key", str(rogue_pub), "--port", str(free_port()),
                        "--node-config", f"fednet-node-dir='{tmp_path / 'nowhere'}'", "--max-retries", "2"])
        run = subprocess.run([str(BIN / "flwr"), "run", str(app), "local-tls", "--run-config",
                              str(tmp_path / "run_config.toml")], env=env, cwd=tmp_path, capture_output=True,
                             text=True, timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr
        run_ids += re.findall(r"run (\d{6,})", run.stdout)
        metrics = tmp_path / "server" / "metrics.jsonl"
        wait_for(lambda: metrics.exists() and len(metrics.read_text().splitlines()) >= 3, 420,
                  "two federated rounds", logs + [metrics])
        rows = [__import__("json").loads(x) for x in metrics.read_text().splitlines()]
        assert [r["round"] for r in rows] == [0, 1, 2]
        assert rows[2]["held_out_loss"] < rows[0]["held_out_loss"]
        for node in nodes:  # every node checked the permit and trained both rounds, over TLS
            log = (node / "logs" / "node.log").read_text()
            assert "accepted" in log and "round 2: local loss" in log
            # ... and wrote both to its hash-chained audit log
            entries, chain_ok = node_audit_entries(NodeTraining.open(node).settings)
            assert chain_ok
            assert [(e["kind"], e["decision"]) for e in entries if e["kind"] == "training_run"] == [("training_run", "accepted")]
            assert sorted(e["answer"]["round"] for e in entries if e["kind"] == "training_round") == [1, 2]
        rogue = (tmp_path / "rogue.log").read_text()
        assert "flwr-clientapp" not in rogue and "Connection attempt failed" in rogue  # unregistered: refused
        assert not (tmp_path / "nowhere").exists()
    finally:
        for run_id in run_ids:  # the ServerApp runs detached from the SuperLink: stop the run first
            if procs[0].poll() is None:
                subprocess.run([str(BIN / "flwr"), "stop", run_id, "local-tls"], env=env, cwd=tmp_path,
                               capture_output=True, timeout=60)
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, 15)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)
        shutil.rmtree(tmp_path / "flwr-home", ignore_errors=True)
