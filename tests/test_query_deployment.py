"""Cross-site counts on Flower's Deployment Engine over loopback: a TLS SuperLink with SuperNode
authentication, three SuperNodes (one per hospital node, each opening its own store through
``--node-config``), the count submitted with ``flwr run``; an unregistered SuperNode is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coordinator.governance.keys import load_or_create_key
from coordinator.governance.permits import issue_permit
from coordinator.query.count import run_count
from coordinator.cli import main as cli_main
from coordinator.query.deployment import CONNECTION, flwr_env, write_flwr_config
from coordinator.query.transport import InProcessTransport
from fl_tasks.tls import make_supernode_keys, make_tls
from node.governance.audit import AuditLog
from node.governance.permits import public_key_b64
from node.query.service import service_for
from node.query.where import query_from_cli
from node.runtime import open_node
from node.settings import load_settings
from tests.query_helpers import synthetic_docs
from tests.processes import free_port, wait_for

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SITES = ["hospital-a", "hospital-b", "hospital-c"]




def _node_toml(tmp_path: Path, i: int, site: str, database: str, store_uri: str, coordinator_key: str) -> Path:
    store = f'store_uri = "{store_uri}"\n' if store_uri.startswith("mongodb") else ""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / f"{site}.toml"
    path.write_text(f'[node]\nsite_id = "{site}"\nsite_name = "{site}"\ndata_dir = "{tmp_path / site}"\n'
                    f'database = "{database}_{i}"\n{store}\n[query]\ncoordinator_public_key = "{coordinator_key}"\n')
    return path


def test_count_over_the_deployment_engine_matches_in_process(tmp_path: Path, store_uri: str, database_name: str,
                                                             capsys) -> None:
    key = load_or_create_key(tmp_path / "coord")
    configs = []
    for i, site in enumerate(SITES):
        config = _node_toml(tmp_path, i, site, database_name, store_uri, public_key_b64(key))
        rt = open_node(load_settings(config), create=True)
        rt.store.collection("documents").insert_many(synthetic_docs(site, 30, seed=i))
        rt.close()
        configs.append(config)
    permit = issue_permit(key, requester="dr-lee", purpose="scientific_research", allowed_fields=["age", "sex"],
                          epsilon_budget=3.0, sites=SITES, per_site_results=True)
    query = query_from_cli("age >= 30", ["sex"])
    permit_file = tmp_path / "permit.json"
    permit_file.write_text(permit.model_dump_json())

    home = tmp_path / "flwr-home"
    env = {**flwr_env(home), "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
           "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    tls = make_tls(tmp_path / "certs")
    port = free_port()
    write_flwr_config(home, f"127.0.0.1:{port}", tls.ca_cert)
    procs: list[subprocess.Popen] = []
    logs: list[Path] = []

    def start(name: str, args: list[str]) -> None:
        log = tmp_path / f"{name}.log"
        logs.append(log)
        procs.append(subprocess.Popen(args, env=env, cwd=tmp_path, stdout=log.open("w"), stderr=subprocess.STDOUT,
                                      start_new_session=True))

    def supernode(name: str, priv: Path, pub: Path, config: Path, *extra: str) -> None:
        start(name, [str(BIN / "flower-supernode"), "--superlink", f"127.0.0.1:{port}", "--root-certificates",
                     str(tls.ca_cert), "--auth-supernode-private-key", str(priv), "--auth-supernode-public-key",
                     str(pub), "--port", str(free_port()), "--node-config", f"fednet-config='{config}'", *extra])

    started = time.monotonic()
    try:
        start("superlink", [str(BIN / "flower-superlink"), "--ssl-ca-certfile", str(tls.ca_cert), "--ssl-certfile",
                            str(tls.server_cert), "--ssl-keyfile", str(tls.server_key), "--enable-supernode-auth",
                            "--disable-runtime-dependency-installation", "--port", str(port),
                            "--database", str(tmp_path / "superlink.db")])
        wait_for(lambda: "Application startup complete" in logs[0].read_text(), 60, "the SuperLink", logs)
        for i, config in enumerate(configs):
            priv, pub = make_supernode_keys(tmp_path / "keys", f"node{i}")
            reg = subprocess.run([str(BIN / "flwr"), "supernode", "register", str(pub), CONNECTION], env=env,
                                 cwd=tmp_path, capture_output=True, text=True, timeout=60)
            assert reg.returncode == 0 and "registered" in reg.stdout, reg.stdout + reg.stderr
            supernode(f"supernode{i}", priv, pub, config)
        rogue_priv, rogue_pub = make_supernode_keys(tmp_path / "keys", "rogue")
        rogue_config = _node_toml(tmp_path / "rogue", 9, "hospital-x", database_name, store_uri, public_key_b64(key))
        supernode("rogue", rogue_priv, rogue_pub, rogue_config, "--max-retries", "2")

        capsys.readouterr()
        code = cli_main(["count", "--permit", str(permit_file), "--where", "age >= 30", "--by", "sex", "--epsilon",
                         "1.0", "--superlink", f"127.0.0.1:{port}", "--root-cert", str(tls.ca_cert),
                         "--dir", str(tmp_path / "coord"), "--timeout", "150", "--json"])
        result = json.loads(capsys.readouterr().out)
        assert code == 0, result
        elapsed = time.monotonic() - started
        print(f"deployment-engine count: {elapsed:.1f} s from SuperLink start to result")
        rogue_log = tmp_path / "rogue.log"
        wait_for(lambda: "Failed to activate SuperNode" in rogue_log.read_text(), 30, "the rogue's refusal", logs)
        rogue = rogue_log.read_text()
        superlink_log = logs[0].read_text()
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, 15)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)
                p.wait(timeout=10)

    assert result["error"] is None and sorted(result["contributing_sites"]) == SITES, result
    # the unregistered SuperNode is refused at activation (Flower ApiError 2004, exit code 305):
    # it never got a ClientApp and never opened its node
    assert "code: 2004" in rogue and "[ApiError:2004]" in superlink_log
    assert "flwr-clientapp" not in rogue and not (tmp_path / "rogue" / "hospital-x").exists(), rogue

    # the same permit, query and ε in process: each node's ledger returns the very answer it released
    # over Flower (decision "cached", nothing spent), so the two results must agree exactly
    runtimes = [open_node(load_settings(c)) for c in configs]
    try:
        services = {rt.settings.node.site_id: service_for(rt) for rt in runtimes}
        again = run_count(InProcessTransport(services), key, permit, query, 1.0).to_dict()
        assert again["total"] == result["total"] and again["per_site"] == result["per_site"]
        assert again["cells"] == result["cells"] and again["audit_receipts"] != result["audit_receipts"]
        noisy_totals = []
        for rt in runtimes:
            site = rt.settings.node.site_id
            log = AuditLog(rt.store, rt.secret, site)
            entries = [e for e in log.entries() if e.get("kind") == "count"]
            assert log.verify().ok
            assert [e["decision"] for e in entries] == ["released", "cached"]
            assert entries[0]["hash"] == result["audit_receipts"][site]  # the Flower request is in its audit log
            assert entries[0]["requester"] == "dr-lee" and entries[0]["epsilon_spent"] == 1.0
            assert entries[1]["epsilon_spent"] == 0.0
            noisy_totals.append(entries[0]["answer"]["noisy"])
    finally:
        for rt in runtimes:
            rt.close()
    # the secure sum over Flower equals the sum of the values each node released, made consistent
    from node.disclosure.consistency import make_consistent
    from node.disclosure.sensitivity import table_shape

    expected = make_consistent([sum(c) for c in zip(*noisy_totals)], table_shape(query, 2))
    assert isinstance(result["total"], int) and result["total"] == expected[0]
