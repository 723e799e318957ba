"""The real network on loopback: the coordinator and three hospital nodes as separate processes.

They share nothing but the SuperLink's address and the network CA: each node has its own folder,
store, site secret and key, and is started with the exact command line of
``deploy/systemd/fednet-node-join.service`` (``fednode --config NODE.toml join``); the
coordinator with that of ``deploy/systemd/fednet-coordinator.service`` (``fedcoord serve``),
paths and ports replaced. One network serves every check (start-up is the slow part):

- a count submitted with ``fedcoord count --superlink`` equals the in-process transport's
  (each node's ledger returns the very answer it released over the network), and every node
  audited it;
- a count driven from the coordinator UI (``fedcoord serve``'s) in headless Chromium;
- an unregistered node (a key the PKI never approved) is refused by the SuperLink and is never
  asked anything;
- one federated training round (SecAgg+) with ``fedcoord train --superlink``, each node on its
  own store, with one node killed mid-round: the round completes with the other two.
"""

from __future__ import annotations

import configparser
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from tests.processes import free_port, log_tails, wait_for

# The tests pass one network and its results from test to test (the last one checks what the earlier
# ones asked): with pytest-xdist they must all run in one worker, in order (`--dist loadfile`, scripts/test.sh).
pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEPLOY = REPO / "deploy"
SITES = ["site-a", "site-b", "site-c"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def unit_command(unit: str, replace: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """A systemd unit's ExecStart (with ``replace`` applied) and its ``Environment=`` values."""
    cp = configparser.ConfigParser(interpolation=None, strict=False)
    cp.optionxform = str
    cp.read(DEPLOY / "systemd" / unit)
    line = cp["Service"]["ExecStart"]
    for old, new in replace.items():
        assert old in line, f"{unit}: {old!r} not in its ExecStart"
        line = line.replace(old, new)
    env = dict(item.split("=", 1) for item in shlex.split(cp["Service"].get("Environment", "")))
    return shlex.split(line), env


def test_deploy_command_lines_are_the_compose_ones():
    """Compose runs the same commands as the systemd units this test starts."""
    join, _ = unit_command("fednet-node-join.service", {})
    serve, _ = unit_command("fednet-coordinator.service", {})
    node = yaml.safe_load((DEPLOY / "node" / "compose.yaml").read_text())["services"]["join"]["command"]
    coord = yaml.safe_load((DEPLOY / "coordinator" / "compose.yaml").read_text())["services"]["coordinator"]["command"]
    assert node == [Path(join[0]).name, *join[1:]]
    # in the container the UI/API listens on its own interface (published on the host's loopback only)
    assert coord == [Path(serve[0]).name, *serve[1:]][:-4] + ["--api-host", "0.0.0.0", "--api-port", "8480"]
    assert serve[serve.index("--api-host") + 1] == "127.0.0.1"


def stop_all(procs: dict[str, subprocess.Popen]) -> None:
    """SIGTERM every process group, then SIGKILL what is left of each (children included)."""
    for proc in procs.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture(scope="module")
def network(tmp_path_factory, request):
    from coordinator.demo.loopback import enrol
    from coordinator.governance.keys import load_or_create_key
    from coordinator.governance.permits import issue_permit
    from node.identity.keys import create_identity
    from node.settings import load_settings
    from tests.conftest import SHARED_DATA
    from tests.network_fixtures import build_nodes

    tmp = tmp_path_factory.mktemp("net")
    nodes = build_nodes(tmp, SHARED_DATA / "medpix2", SITES)
    port, api_port = free_port(), free_port()
    coord = tmp / "coordinator"
    enrol(coord, nodes.configs, f"127.0.0.1:{port}", feature_cache=tmp / "feature-cache")
    # the rogue: a node with a key and the network's CA, but never approved by the operator
    rogue = tmp / "rogue" / "node.toml"
    rogue.parent.mkdir()
    rogue.write_text(f'[node]\nsite_id = "site-x"\nsite_name = "x"\ndata_dir = "{rogue.parent}"\n'
                     f'[deploy]\nsuperlink = "127.0.0.1:{port}"\n[network]\nruntime_port = {free_port()}\n')
    rogue_settings = load_settings(rogue)
    create_identity(rogue_settings.pki_dir, "site-x")
    shutil.copy(coord / "pki" / "ca.crt", rogue_settings.pki_dir / "ca.crt")

    key = load_or_create_key(coord)
    permit = issue_permit(key, requester="dr-lee", purpose="scientific_research",
                          allowed_fields=["age", "sex", "note_type"], epsilon_budget=5.0, sites=SITES,
                          per_site_results=True, permit_id="permit-net")
    (coord / "permits").mkdir()
    (coord / "permits" / "permit-net.json").write_text(permit.model_dump_json())

    logs = tmp / "logs"
    logs.mkdir()
    procs: dict[str, subprocess.Popen] = {}
    request.addfinalizer(lambda: stop_all(procs))  # also when the set-up below fails

    def start(name: str, argv: list[str], env: dict[str, str]) -> None:
        full = {**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
                "OMP_NUM_THREADS": "1"}
        with (logs / f"{name}.log").open("w") as out:
            procs[name] = subprocess.Popen(argv, env=full, cwd=tmp, stdout=out, stderr=subprocess.STDOUT,
                                           start_new_session=True)

    serve, serve_env = unit_command("fednet-coordinator.service", {
        "/opt/fednet/.venv/bin/": f"{BIN}/", "/var/lib/fednet/coordinator": str(coord),
        "--port 9092": f"--port {port}", "--api-port 8480": f"--api-port {api_port}"})
    started = time.monotonic()
    start("coordinator", serve + ["--eval-data", str(nodes.medpix.root), "--count-timeout", "15"], serve_env)
    state = coord / "service" / "service.json"
    wait_for(state.exists, 120, "the coordinator service", [logs / "coordinator.log"])
    for site, config in zip(SITES, nodes.configs):
        argv, env = unit_command("fednet-node-join.service", {"/opt/fednet/.venv/bin/": f"{BIN}/",
                                                                "/etc/fednet/node.toml": str(config)})
        start(site, argv, {**env, "FLWR_HOME": str(tmp / site / "flwr")})
    argv, env = unit_command("fednet-node-join.service", {"/opt/fednet/.venv/bin/": f"{BIN}/",
                                                            "/etc/fednet/node.toml": str(rogue)})
    start("rogue", argv, {**env, "FLWR_HOME": str(tmp / "rogue" / "flwr")})

    from coordinator.network.client import ServiceClient

    client = ServiceClient.for_dir(coord)
    all_logs = [logs / f"{n}.log" for n in ("coordinator", *SITES, "rogue")]
    wait_for(lambda: set(SITES) <= set(client.status()["sites"]), 240, "three connected sites", all_logs)
    print(f"network up in {time.monotonic() - started:.0f} s")
    return {"tmp": tmp, "coord": coord, "port": port, "api": f"http://127.0.0.1:{api_port}", "nodes": nodes,
            "permit": permit, "key": key, "procs": procs, "logs": logs, "client": client, "all_logs": all_logs}


def _fedcoord(net, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([str(BIN / "fedcoord"), *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_count_over_the_network_equals_the_in_process_count(network):
    net = network
    permit_file = net["coord"] / "permits" / "permit-net.json"
    done = _fedcoord(net, "count", "--permit", str(permit_file), "--where", "age >= 30", "--by", "sex", "--epsilon",
                     "1.0", "--superlink", f"127.0.0.1:{net['port']}", "--dir", str(net["coord"]), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["error"] is None and result["contributing_sites"] == SITES, result
    net["over_network"] = result  # compared with the in-process transport after the network stops (last test)

    # the unregistered node: refused at activation by the SuperLink, never given a message
    rogue = net["logs"] / "rogue.log"
    wait_for(lambda: "code: 2004" in rogue.read_text(), 60, "the rogue's refusal", net["all_logs"])
    assert "site-x" not in net["client"].status()["sites"]
    assert "[ApiError:2004]" in (net["coord"] / "service" / "superlink.log").read_text()
    assert "fednet.worker: query" not in rogue.read_text()  # it never answered (or was asked) anything


def test_count_from_the_coordinator_ui_in_chromium(network):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is required for the browser tests: apt-get install -y chromium", pytrace=False)
    from tests.test_webui_browser import BROWSER_ARGS

    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page()
            page.goto(network["api"] + "/cohort")
            assert "permit-net" in page.locator("#permit").inner_text()
            page.select_option("#field1", "age")
            page.select_option("#op1", "gte")
            page.fill("#value1", "50")
            page.select_option("#by1", "sex")
            page.fill("#epsilon", "0.5")
            page.click("#run")
            assert page.locator("#expression").inner_text() == "age >= 50"
            header = page.locator("#result tr").first.inner_text()
            assert all(site in header for site in SITES) and "network" in header
            rows = {r.split("\t")[0]: r.split("\t")[1:] for r in page.locator("#result tr").all_inner_texts()[1:]}
            assert {"total", "female", "male"} <= set(rows)
            total = rows["total"][-1]
            assert total.isdigit() or total.startswith("<")
            assert page.locator("#result-error").count() == 0
        finally:
            browser.close()
    network["ui_query"] = "age >= 50"


def test_training_round_with_a_node_killed_mid_round(network):
    net = network
    killed = "site-c"
    # all three connected (a node the SuperLink marked offline for a moment is asked its hello again)
    wait_for(lambda: set(SITES) <= set(net["client"].status()["sites"]), 120, "three connected sites", net["all_logs"])
    train = subprocess.Popen([str(BIN / "fedcoord"), "train", "--superlink", f"127.0.0.1:{net['port']}", "--dir",
                              str(net["coord"]), "--name", "r1", "--rounds", "1", "--image-size", "64",
                              "--trainable-blocks", "1", "--batch-size", "8", "--round-timeout", "20"],
                             env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    node_log = net["tmp"] / "nodes" / killed / "logs" / "node.log"
    try:
        wait_for(lambda: node_log.exists() and "round 1: training on" in node_log.read_text(), 300,
                 f"{killed} to start round 1", net["all_logs"] + [net["coord"] / "runs" / "r1" / "serverapp.log"])
        os.killpg(net["procs"][killed].pid, signal.SIGKILL)  # the SuperNode and the worker, mid-round
        out, _ = train.communicate(timeout=400)
    finally:
        if train.poll() is None:
            train.kill()
    assert train.returncode == 0, out
    run = net["coord"] / "runs" / "r1"
    rows = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
    assert [r["round"] for r in rows] == [0, 1] and all(r["held_out_loss"] > 0 for r in rows), out
    prepare = json.loads((run / "prepare.json").read_text())
    serverapp = run / "serverapp.log"
    assert {s for s, a in prepare.items() if a["status"] == "ok"} == set(SITES), (  # all three prepared their own data
        json.dumps(prepare) + "\n" + log_tails(net["all_logs"] + [serverapp]))
    assert (run / "checkpoints" / "round_001.pt").exists() and "zero-shot metrics per round" in out
    page = httpx.get(net["api"] + "/training", timeout=30).text  # the UI's training page, from the service
    assert "r1" in page and "finished" in page and 'id="train-form"' in page
    net["killed"] = killed


def test_every_node_audited_what_it_was_asked(network):
    """After the network stops: the counts and the training are in each node's audit log; the same
    count in process is answered from each node's ledger (cached), equal to the network's."""
    from coordinator.query.count import run_count
    from coordinator.query.transport import InProcessTransport
    from node.governance.audit import AuditLog
    from node.query.service import service_for
    from node.query.where import query_from_cli
    from node.runtime import open_node
    from node.settings import load_settings

    net = network
    stop_all(net["procs"])
    configs = net["nodes"].configs
    runtimes = [open_node(load_settings(c)) for c in configs]
    try:
        services = {rt.settings.node.site_id: service_for(rt) for rt in runtimes}
        again = run_count(InProcessTransport(services), net["key"], net["permit"], query_from_cli("age >= 30", ["sex"]),
                          1.0).to_dict()
        over = net["over_network"]  # the network's count, the same permit, query and ε
        assert again["total"] == over["total"] and again["per_site"] == over["per_site"]
        assert again["cells"] == over["cells"] and again["audit_receipts"] != over["audit_receipts"]
        canaries = net["nodes"].medpix.canaries
        for rt in runtimes:
            site = rt.settings.node.site_id
            log = AuditLog(rt.store, rt.secret, site)
            assert log.verify().ok
            entries = log.entries()
            counts = [e for e in entries if e.get("kind") == "count"]
            asked = [query_from_cli("age >= 30", ["sex"]).canonical()]
            if "ui_query" in net:
                asked.append(query_from_cli(net["ui_query"], ["sex"]).canonical())
            # the CLI's count and the UI's were released once each; the in-process repeat came from the ledger
            assert [(e["query"], e["decision"]) for e in counts] == [(q, "released") for q in asked] + [(asked[0],
                                                                                                        "cached")]
            assert all(e["requester"] == "dr-lee" and e["permit_id"] == "permit-net" for e in counts)
            assert counts[0]["hash"] == net["over_network"]["audit_receipts"][site]
            runs = [e for e in entries if e.get("kind") == "training_run"]
            rounds = [e for e in entries if e.get("kind") == "training_round"]
            if "killed" in net:
                assert [e["decision"] for e in runs] == ["accepted"]
                if site != net["killed"]:
                    assert [(e["decision"], e["answer"]["round"]) for e in rounds] == [("update_sent", 1)]
            text = json.dumps(entries, default=str) + (rt.settings.log_dir / "node.log").read_text()
            assert not [c for c in canaries if c in text]  # no caption text or case id in any log
    finally:
        for rt in runtimes:
            rt.close()
