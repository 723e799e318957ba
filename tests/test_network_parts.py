"""The parts of the real network, each on its own (no process started): what keeps its guarantees.

- the SuperLink's fence: other hosts reach its Fleet API only (not Control: run apps, register keys;
  not Runtime: read the nodes' replies);
- the SuperNode's pacing replaces exactly Flower 1.41's fixed sleeps, and nothing on another version;
- the node worker runs only the node's installed apps, and the node's identity is its own;
- the coordinator knows a node only as the site its SuperNode key is registered for;
- a training run prepares only the nodes that accept its permit, under their registered keys;
- a node prepares its training data under a valid permit only, opt-outs applied, refusals audited;
- the service's API wants its token; the UI of a network is the service's.
"""

from __future__ import annotations

import importlib
import inspect
import io
import json
import zipfile
from types import SimpleNamespace

import httpx
import pytest

from node.query.flower_client import pack, unpack


@pytest.fixture
def task_identity():
    """What a Flower app process has set before it builds messages."""
    from flwr.supercore.task_identity import TaskIdentity

    TaskIdentity.run_id, TaskIdentity.node_id, TaskIdentity.task_id = 7, 0, 1
    yield
    TaskIdentity.run_id = TaskIdentity.node_id = TaskIdentity.task_id = None


# -- the SuperLink's fence --------------------------------------------------------------------------

async def _ok(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.mark.parametrize("path,outside,inside", [
    ("/v1/fleet/pull-messages", 200, 200),        # SuperNodes dial in from anywhere (TLS + node auth apply)
    ("/health", 200, 200),
    ("/v1/control/register-node", 403, 200),      # would let anyone register a SuperNode key
    ("/v1/control/start-run", 403, 200),          # ... or start a run
    ("/v1/runtime/pull-messages", 403, 200),      # ... or read the nodes' replies as a ServerApp
    ("/v1/fleetx", 403, 200),
])
def test_the_superlink_answers_other_hosts_on_its_fleet_api_only(path, outside, inside):
    import asyncio

    from coordinator.network.superlink import LoopbackFence

    async def status(client) -> int:
        transport = httpx.ASGITransport(app=LoopbackFence(_ok), client=client)
        async with httpx.AsyncClient(transport=transport, base_url="https://superlink") as http:
            return (await http.post(path)).status_code

    for client, expected in ((("203.0.113.9", 40000), outside), (("127.0.0.1", 40000), inside),
                             (("::1", 40000), inside)):
        assert asyncio.run(status(client)) == expected, (path, client)


# -- the SuperNode's pacing -------------------------------------------------------------------------

def test_pacing_replaces_flower_141s_sleeps_only(monkeypatch):
    from node.network import supernode

    loop = importlib.import_module("flwr.supernode.start_client_internal")
    source = inspect.getsource(loop)
    assert "time.sleep(3)" in source and "time.sleep(0.5)" in source  # the sleeps the pacing maps are there
    slept: list[float] = []
    clock = [1000.0]
    monkeypatch.setattr(supernode.time, "sleep", slept.append)
    monkeypatch.setattr(supernode.time, "monotonic", lambda: clock[0])
    paced = supernode.PacedTime(idle_s=0.25, reply_s=0.02, busy_s=0.05, busy_for_s=5.0)
    paced.sleep(3)       # idle: no message pulled
    paced.sleep(0.5)     # waiting for a reply: a message is being handled
    paced.sleep(3)       # right after a message: the next SecAgg+ stage is near
    clock[0] += 6.0
    paced.sleep(3)       # idle again
    assert slept == [0.25, 0.02, 0.05, 0.25]
    assert paced.monotonic() == clock[0]  # everything else is the real module's

    assert "pull_objects(" in source and "from flwr.supercore.inflatable.inflatable_utils import" in source
    pulls = []
    fake = SimpleNamespace(time=supernode.time, pull_objects=lambda ids, fn, **kw: pulls.append(kw))
    assert not supernode.pace(fake, 0.25, 0.02, version="1.42.0") and fake.time is supernode.time
    assert supernode.pace(fake, 0.25, 0.02, version=supernode.PATCHED_FLOWER)
    assert isinstance(fake.time, supernode.PacedTime)
    fake.pull_objects(["id"], None)
    assert pulls == [{"initial_backoff": 0.02, "backoff_cap": 0.5}]


# -- the node worker --------------------------------------------------------------------------------

def _fab(clientapp: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("pyproject.toml", f'[project]\nname = "x"\nversion = "0.1.0"\n\n[tool.flwr.app]\npublisher = "x"\n\n'
                                     f'[tool.flwr.app.components]\nserverapp = "x:app"\nclientapp = "{clientapp}"\n')
    return buf.getvalue()


def test_the_worker_runs_only_installed_apps_as_its_own_node(task_identity):
    from flwr.app import Context, Message, RecordDict

    from node.network.worker import QUERY_APP, NodeWorker, app_of

    seen = []

    def query_app(message, context):
        seen.append(dict(context.node_config))
        return Message(pack({"site_id": "site-a"}), reply_to=message)

    worker = NodeWorker("127.0.0.1:1", {"fednet-config": "/etc/fednet/node.toml", "fednet-node-dir": "/var/lib/fednet"},
                        apps={QUERY_APP: query_app, "evil:app": query_app})
    assert set(worker.apps) == {QUERY_APP}  # an app outside the allow-list is never even registered
    message = Message(pack({}), dst_node_id=3, message_type="query.hello")
    message.metadata.__dict__["_message_id"] = message.object_id
    context = Context(run_id=7, node_id=3, node_config={"fednet-config": "/tmp/someone-elses.toml"},
                      state=RecordDict(), run_config={})

    reply = worker.answer(message, context, _fab(QUERY_APP))
    assert unpack(reply.content) == {"site_id": "site-a"}
    assert seen == [{"fednet-config": "/etc/fednet/node.toml", "fednet-node-dir": "/var/lib/fednet"}]

    assert app_of(_fab("os:system")) == "os:system"
    refused = worker.answer(message, context, _fab("os:system"))
    assert refused.has_error() and "only its installed fednet apps" in refused.error.reason
    assert len(seen) == 1 and worker.stats.refused_apps == 1
    worker.close()


# -- the coordinator's view of the nodes ------------------------------------------------------------

class FakeGrid:
    """Nodes answering ``query.*`` by their ``answer`` functions; what the Deployment Engine reports."""

    def __init__(self, nodes: dict[int, tuple[bytes, object]]) -> None:
        self.nodes = nodes  # node_id -> (SuperNode key bytes, answer(kind, payload) -> dict | None)

    def get_node_ids(self):
        return list(self.nodes)

    def get_nodes(self):
        return [SimpleNamespace(node_id=n, public_key=k, status="online", name="") for n, (k, _) in self.nodes.items()]

    def send_and_receive(self, messages, *, timeout=None):
        out = []
        for m in messages:
            payload = self.nodes[m.metadata.dst_node_id][1](m.metadata.message_type, unpack(m.content))
            if payload is not None:
                out.append(SimpleNamespace(has_error=lambda: False, content=pack(payload),
                                           metadata=SimpleNamespace(src_node_id=m.metadata.dst_node_id)))
        return out


def test_a_node_is_known_only_as_the_site_its_key_is_registered_for(task_identity):
    from coordinator.query.flower_server import FlowerTransport

    def says(site):
        return lambda kind, payload: {"site_id": site, "public_key": f"mask-{site}", "min_cell_count": 10}

    grid = FakeGrid({1: (b"key-a", says("site-a")), 2: (b"key-b", says("site-a")), 3: (b"key-c", says("site-c"))})
    transport = FlowerTransport(grid, timeout_s=1, min_nodes=0, site_keys={b"key-a": "site-a", b"key-b": "site-b"})
    assert transport.sites() == ["site-a"]  # node 2 claims site-a with site-b's key; node 3's key is unknown
    assert set(transport.mismatches) == {2, 3} and "registered for 'site-b'" in transport.mismatches[2]
    assert transport.call("hello", {"site-a": {}, "site-b": {}})["site-b"] is None


def test_a_training_run_prepares_only_nodes_that_accept_it_under_their_registered_keys(task_identity, tmp_path):
    import base64

    from fl_tasks.config import TrainConfig
    from fl_tasks.run_spec import RunSpec
    from fl_tasks.server_app import PreparationFailed, prepare_nodes

    def node(site, status="ok"):
        return lambda kind, payload: {"status": status, "site_id": site, "pairs": 5} if kind == "query.prepare" else None

    b64 = lambda k: base64.b64encode(k).decode()  # noqa: E731
    spec = RunSpec(train=TrainConfig(), permit="p", sites=["site-a", "site-b", "site-c"], prepare_on_nodes=True,
                   node_keys={"site-a": b64(b"ka"), "site-b": b64(b"kb"), "site-c": b64(b"kc")})
    grid = FakeGrid({1: (b"ka", node("site-a")), 2: (b"kb", node("site-b")), 3: (b"kx", node("site-c")),
                     4: (b"kd", node("site-d")), 5: (b"kc", node("site-c", "refused"))})
    new_spec, only = prepare_nodes(grid, spec, tmp_path)
    assert new_spec.sites == ["site-a", "site-b"] and sorted(only.get_node_ids()) == [1, 2]
    answers = json.loads((tmp_path / "prepare.json").read_text())
    assert "not the one registered" in answers["node 3"]["reason"]  # site-c's name, another key
    assert answers["site-c"]["status"] == "refused"  # site-c itself refused the permit
    assert "not a site of this run" in answers["site-d"]["reason"]
    with pytest.raises(PreparationFailed):
        prepare_nodes(FakeGrid({1: (b"ka", node("site-a"))}), spec, tmp_path)


# -- a node prepares its own training data ----------------------------------------------------------

@pytest.mark.slow
def test_a_node_prepares_training_data_under_a_valid_permit_only(tmp_path):
    from coordinator.governance.keys import load_or_create_key
    from fl_tasks.config import ModelConfig, TrainConfig
    from fl_tasks.node_source import node_store_source
    from fl_tasks.permit import generate_signing_key, issue_permit
    from fl_tasks.run_spec import RunSpec
    from node.governance.optout import OptOutRegistry
    from node.governance.permits import public_key_b64
    from node.network.training import prepare_training
    from node.settings import load_settings
    from tests.conftest import SHARED_DATA
    from tests.helpers import node_audit_entries
    from tests.network_fixtures import build_nodes
    from coordinator.demo.loopback import update_toml

    nodes = build_nodes(tmp_path, SHARED_DATA / "medpix2", ["site-a"], train_cases_per_site=2, dev_cases=1)
    key = load_or_create_key(tmp_path / "coordinator")
    update_toml(nodes.configs[0], {"query": {"coordinator_public_key": public_key_b64(key)},
                                   "network": {"feature_cache": str(tmp_path / "cache")}})
    settings = load_settings(nodes.configs[0])
    cfg = TrainConfig(model=ModelConfig(image_size=64, image_trainable_blocks=1, embed_dim=32))

    def spec(signer, sites=("site-a",)):
        return RunSpec(train=cfg, permit=issue_permit(signer, cfg.model_dump_json(), list(sites), "test"),
                       sites=list(sites)).to_run_config()

    forger = generate_signing_key(tmp_path / "forger.pem")
    for run in (spec(forger), spec(key, ("site-b",))):
        answer = prepare_training(settings, run)
        assert answer["status"] == "refused" and not (settings.node.data_dir / "training" / "features.npz").exists()
    with node_store_source(settings) as source:
        images = list(source)
        OptOutRegistry(source.store).add(images[0].group)  # this patient opts out before the run
    opted = sum(p.group == images[0].group for p in images)
    answer = prepare_training(settings, spec(key))
    assert answer == {"status": "ok", "site_id": "site-a", "pairs": len(images) - opted}
    entries, chain_ok = node_audit_entries(settings)
    runs = [(e["decision"], e.get("reason") or "") for e in entries if e["kind"] == "training_run"]
    assert chain_ok and [d for d, _ in runs] == ["refused", "refused", "accepted"]
    assert "signature" in runs[0][1] and "site-a" in runs[1][1]


# -- the service's API and UI -----------------------------------------------------------------------

def test_the_api_wants_its_token_and_checks_what_it_is_given():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from coordinator.network.api import make_router

    class Service:
        counted: list = []

        def status(self):
            return {"sites": ["site-a"]}

        def count(self, permit, query, epsilon):
            self.counted.append((permit.permit.permit_id, query.canonical(), epsilon))
            return SimpleNamespace(to_dict=lambda: {"total": 12})

    from coordinator.governance.permits import issue_permit
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    app = FastAPI()
    service = Service()
    app.include_router(make_router(service, "s3cret"))
    http = TestClient(app)
    assert http.get("/api/status").status_code == 401
    assert http.get("/api/status", headers={"authorization": "Bearer wrong"}).status_code == 401
    ok = {"authorization": "Bearer s3cret"}
    assert http.get("/api/status", headers=ok).json() == {"sites": ["site-a"]}
    permit = issue_permit(Ed25519PrivateKey.generate(), requester="r", purpose="scientific_research",
                          allowed_fields=["age"], epsilon_budget=1.0, sites=["site-a"], permit_id="p1")
    body = {"permit": permit.model_dump(mode="json"), "where": "age >= 40", "by": [], "epsilon": 0.5}
    assert http.post("/api/count", json=body, headers=ok).json() == {"total": 12}
    assert service.counted[0][0] == "p1" and service.counted[0][2] == 0.5
    bad = http.post("/api/count", json={**body, "where": "age >>= 4"}, headers=ok)
    assert bad.status_code == 400 and len(service.counted) == 1


def test_the_ui_of_a_network_is_the_services(capsys, tmp_path):
    from coordinator.cli import main

    assert main(["ui", "--dir", str(tmp_path)]) == 2
    assert "fedcoord serve" in capsys.readouterr().err
    permit = tmp_path / "permit.json"
    from coordinator.governance.keys import load_or_create_key
    from coordinator.governance.permits import issue_permit

    key = load_or_create_key(tmp_path)
    permit.write_text(issue_permit(key, requester="r", purpose="scientific_research", allowed_fields=["age"],
                                   epsilon_budget=1.0, sites=["a", "b"]).model_dump_json())
    assert main(["count", "--permit", str(permit), "--superlink", "127.0.0.1:9092", "--dir", str(tmp_path)]) == 1
    assert "fedcoord serve" in capsys.readouterr().err  # no coordinator service: says what to start
