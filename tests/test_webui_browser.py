"""The web UIs end to end in headless Chromium (Debian ``chromium``, driven by Playwright).

Two real nodes (ingested, with governance records) and a coordinator (CA with
approved nodes, signing key, a permit, one recorded training run) are served
by uvicorn on loopback; the browser loads every page, runs a cohort count from
the form and checks the cross-site table, the chart and the nodes' audit logs.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("playwright")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.fail("Debian chromium is required for the browser tests: apt-get install -y chromium", pytrace=False)

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.deploy_fixtures import node_settings, populate  # noqa: E402
from tests.helpers import ALICE, BOB  # noqa: E402
from tests.processes import free_port

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]



class Served:
    """An ASGI app served by uvicorn on 127.0.0.1 in a thread."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            assert time.time() < deadline, "uvicorn did not start"
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    """Two ingested nodes trusting one coordinator; the coordinator's PKI, permit and a training run."""
    from coordinator.governance.keys import load_or_create_key
    from coordinator.governance.permits import issue_permit
    from coordinator.pki.ca import init_ca
    from coordinator.pki.enrolment import approve, revoke
    from deid.config import load_deid_config
    from deid.pipeline import Deidentifier
    from node.governance.permits import public_key_b64
    from node.identity.keys import create_identity

    tmp = tmp_path_factory.mktemp("web")
    coord = tmp / "coord"
    key = load_or_create_key(coord)
    nodes = []
    deidentifier = Deidentifier(load_deid_config(None), b"browser-test-secret-0123456789ab")
    for site in ("hospital-a", "hospital-b"):
        s = node_settings(tmp, f"embedded://{tmp / site / 'store'}", f"fednet_{site}", site,
                          FEDNET_QUERY__COORDINATOR_PUBLIC_KEY=public_key_b64(key),
                          FEDNET_QUERY__MIN_CELL_COUNT="1", FEDNET_QUERY__MAX_EPSILON_PER_QUERY="10",
                          FEDNET_QUERY__MIN_SECURE_SUM_SITES="2")
        populate(s, deidentifier, tmp)
        nodes.append(s)
    ca = init_ca(coord / "pki", "testnet")
    for s in nodes:
        approve(ca, create_identity(s.pki_dir, s.node.site_id).csr_path.read_bytes())
    revoke(ca, "hospital-b", "test revocation")
    permit = issue_permit(key, requester="dr-ui", purpose="scientific_research", allowed_fields=["age", "sex", "text"],
                          epsilon_budget=50.0, sites=[s.node.site_id for s in nodes], per_site_results=True,
                          permit_id="permit-ui")
    (coord / "permits").mkdir()
    (coord / "permits" / "permit-ui.json").write_text(permit.model_dump_json())
    run = coord / "runs" / "run-0001"
    run.mkdir(parents=True)
    (run / "metrics.jsonl").write_text("\n".join(json.dumps({"round": r, "loss": 2.0 / r, "modality_accuracy": 0.6 + 0.1 * r})
                                                 for r in (1, 2, 3)))
    return {"nodes": nodes, "coord": coord}


@pytest.fixture(scope="module")
def servers(network):
    from coordinator.webui.app import create_app as coordinator_app
    from coordinator.webui.views import CoordinatorUIConfig
    from node.webui.app import create_app as node_app

    node = Served(node_app(network["nodes"][0]))
    coordinator = Served(coordinator_app(CoordinatorUIConfig(network["coord"], network["nodes"])))
    yield {"node": node.url, "coordinator": coordinator.url}
    node.stop()
    coordinator.stop()


@pytest.fixture(scope="module")
def page():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page()
        blocked: list[str] = []

        def only_loopback(route):
            if route.request.url.startswith("http://127.0.0.1:"):
                route.continue_()
            else:  # any CDN or outside fetch would show up here
                blocked.append(route.request.url)
                route.abort()

        page.route("**/*", only_loopback)
        page.blocked = blocked  # type: ignore[attr-defined]
        yield page
        browser.close()
        assert not blocked, f"pages tried to fetch from outside: {blocked}"


def _text(page, selector: str) -> str:
    return page.locator(selector).inner_text()


def test_node_pages(servers, page):
    base = servers["node"]
    page.goto(base + "/")
    assert _text(page, "#n-patients") == "2" and int(_text(page, "#n-documents")) >= 4
    assert "oversized" not in _text(page, "#by-type") and _text(page, "#runs").count("done") == 1
    assert page.evaluate("getComputedStyle(document.querySelector('header')).display") == "flex"  # CSS loaded

    page.goto(base + "/quarantine")
    table = _text(page, "#quarantine")
    assert "oversized" in table and "word word" not in table  # the reason, never the content

    page.goto(base + "/audit")
    page.click("#verify")
    assert "Chain verified" in _text(page, "#chain-result")
    assert "mallory" in _text(page, "#audit") and "refused" in _text(page, "#audit")

    page.goto(base + "/budget")
    assert "permit-1" in _text(page, "#budget") and "1.5" in _text(page, "#budget")


def test_node_optout_management(servers, page):
    base = servers["node"]
    page.goto(base + "/optouts")
    before = page.locator("#optouts tr").count()
    page.fill("#mrn", BOB["mrn"])
    page.click("#add-optout button")
    assert "opted out" in _text(page, "#message")
    assert page.locator("#optouts tr").count() == before + 1
    assert BOB["mrn"] not in page.content() and BOB["mrn"] not in page.url  # the MRN is never shown or put in a URL
    page.fill("#mrn", ALICE["mrn"])
    page.click("#add-optout button")
    assert "already opted out" in _text(page, "#message")
    page.locator("#optouts tr", has_text="operator (web UI)").locator("button").click()
    assert "withdrawn" in _text(page, "#message") and page.locator("#optouts tr").count() == before


def test_coordinator_pages(servers, page):
    base = servers["coordinator"]
    page.goto(base + "/")
    nodes = _text(page, "#nodes")
    assert "hospital-a" in nodes and "active" in nodes and "revoked" in nodes and "test revocation" in nodes

    page.goto(base + "/training")
    assert "run-0001" in page.content() and "(3 rounds)" in page.content()
    assert page.locator("svg.line-chart polyline.series").count() == 2

    page.goto(base + "/public")
    assert page.locator("#no-public-store, .unavailable").count() >= 1  # says what is missing, shows no made-up data


def test_cohort_query_from_the_form(servers, page, network):
    base = servers["coordinator"]
    page.goto(base + "/cohort")
    assert "permit-ui" in _text(page, "#permit")
    page.select_option("#field1", "age")
    page.select_option("#op1", "gte")
    page.fill("#value1", "18")
    page.select_option("#by1", "sex")
    page.fill("#epsilon", "5")
    page.click("#run")
    assert _text(page, "#expression") == "age >= 18"
    header = page.locator("#result tr").first.inner_text()
    assert "hospital-a" in header and "hospital-b" in header and "network" in header
    rows = {r.split("\t")[0]: r.split("\t")[1:] for r in page.locator("#result tr").all_inner_texts()[1:]}
    assert {"total", "female", "male"} <= set(rows)
    total = rows["total"][-1]
    assert total.isdigit() or total.startswith("<")  # a noisy count, never an identifier
    assert page.locator("#chart svg.bar-chart rect.bar").count() >= 1
    # The request reached each node and is in its audit log, under the researcher's permit.
    from node.governance.audit import AuditLog
    from node.runtime import open_node

    for settings in network["nodes"]:
        rt = open_node(settings)
        try:
            entries = AuditLog(rt.store, rt.secret, settings.node.site_id).entries()
        finally:
            rt.close()
        count = [e for e in entries if e["kind"] == "count"][-1]
        assert count["requester"] == "dr-ui" and count["decision"] == "released"
    # A bad value is a clear error on the page, not a crash.
    page.goto(base + "/cohort")
    page.select_option("#field1", "sex")
    page.fill("#value1", "martian")
    page.click("#run")
    assert "sex must be one of" in _text(page, "#error")
