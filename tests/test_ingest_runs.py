"""Ingest runs (issue 12, item 13): a run killed mid-way no longer stays "running" forever.

The kill test runs a real ingest in a child process, kills it with SIGKILL in the middle of a
batch, and checks that ``fednode status`` reports the run as interrupted and that ingesting
again completes the export.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from node.cli import main as fednode
from node.ingest.pipeline import IngestJob
from node.ingest.runs import RunTracker, reconcile_runs
from node.masterdata.terms import SiteTerms
from node.runtime import open_node
from node.settings import load_settings
from node.store.node_store import DOCUMENTS, INGEST_RUNS
from tests.helpers import node_env, text_export

REPO = Path(__file__).resolve().parents[1]

_CHILD = """
import hashlib, sys, time
from pathlib import Path
from deid.types import DeidResult
from node.ingest.pipeline import IngestJob
from node.masterdata.terms import SiteTerms
from node.runtime import open_node
from node.settings import load_settings

class StallingDeid:
    calls = 0
    def pseudonym(self, key):
        return "PX-" + hashlib.sha256(key.encode()).hexdigest()[:16]
    def deidentify_batch(self, items):
        StallingDeid.calls += 1
        if StallingDeid.calls == 2:
            Path(sys.argv[2]).write_text("stalled")
            time.sleep(600)
        return [DeidResult(text="[redacted]", replacements=[], date_shift_days=40) for _ in items]

settings = load_settings(None)
rt = open_node(settings, create=True)
IngestJob(settings, rt.store, StallingDeid(), rt.secret, SiteTerms()).run(Path(sys.argv[1]))
"""


class _PassThrough:
    """A fast stand-in de-identifier for the resume step (the de-identification is not under test)."""

    def pseudonym(self, key: str) -> str:
        import hashlib

        return "PX-" + hashlib.sha256(key.encode()).hexdigest()[:16]

    def deidentify_batch(self, items):
        from deid.types import DeidResult

        return [DeidResult(text="[redacted]", replacements=[], date_shift_days=40) for _ in items]


@pytest.fixture
def env(tmp_path, store_uri, database_name, monkeypatch):
    values = node_env(tmp_path, store_uri, database_name, {"FEDNET_INGEST__BATCH_SIZE": "2"})
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def _status(capsys) -> dict:
    capsys.readouterr()
    assert fednode(["status"]) == 0
    return json.loads(capsys.readouterr().out)


def test_run_killed_mid_way_is_reported_interrupted_and_resumes(env, tmp_path, capsys):
    export = text_export(tmp_path / "export", n_alice=5)  # 6 notes, batches of 2
    marker = tmp_path / "stalled"
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(export), str(marker)], cwd=REPO,
                             env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, f"the ingest ended early: {child.stderr.read().decode()[-2000:]}"
            assert time.monotonic() < deadline, "the child ingest never reached its second batch"
            time.sleep(0.1)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(30)
    settings = load_settings(None)
    rt = open_node(settings)
    try:
        (run,) = rt.store.runs()
        assert run["status"] == "running" and run["pid"] == child.pid  # what the killed process left
        assert rt.store.count(DOCUMENTS) == 2  # one whole batch
    finally:
        rt.close()
    status = _status(capsys)
    assert status["ingest_runs_by_status"] == {"interrupted": 1}
    assert [r["run_id"] for r in status["interrupted_runs"]] == [run["_id"]]
    assert "ingest the export again" in status["interrupted_runs"][0]["what_to_do"]
    rt = open_node(settings)
    try:
        report = IngestJob(settings, rt.store, _PassThrough(), rt.secret, SiteTerms()).run(export)
        assert (report.notes_already_stored, report.notes_stored) == (2, 4)
        assert rt.store.count(DOCUMENTS) == 6
    finally:
        rt.close()
    assert _status(capsys)["ingest_runs_by_status"] == {"interrupted": 1, "done": 1}


def test_live_runs_are_not_marked_and_other_hosts_go_by_heartbeat(env):
    settings = load_settings(None)
    rt = open_node(settings, create=True)
    try:
        runs = rt.store.collection(INGEST_RUNS)
        now = dt.datetime.now(dt.timezone.utc)
        old = now - dt.timedelta(seconds=settings.ingest.stale_run_after_s + 60)
        runs.insert_one({"_id": "elsewhere-old", "status": "running", "host": "another-host", "heartbeat_at": old})
        runs.insert_one({"_id": "elsewhere-new", "status": "running", "host": "another-host", "heartbeat_at": now})
        runs.insert_one({"_id": "pre-tracking", "status": "running", "started_at": old})  # a record from older code
        with RunTracker(rt.store, settings, "live-run", "notes"):  # starting a run reconciles first
            status = {r["_id"]: r["status"] for r in runs.find({})}
            assert status == {"elsewhere-old": "interrupted", "pre-tracking": "interrupted",
                              "elsewhere-new": "running", "live-run": "running"}
            assert reconcile_runs(rt.store, settings) == []  # the live run holds its lock
        assert runs.find_one({"_id": "live-run"})["status"] == "running"  # left without done(): not finished...
        assert reconcile_runs(rt.store, settings) == ["live-run"]  # ...and its lock is gone: interrupted
    finally:
        rt.close()


def test_ctrl_c_marks_the_run_interrupted(env, tmp_path):
    class Interrupting(_PassThrough):
        def deidentify_batch(self, items):
            raise KeyboardInterrupt

    settings = load_settings(None)
    rt = open_node(settings, create=True)
    try:
        with pytest.raises(KeyboardInterrupt):
            IngestJob(settings, rt.store, Interrupting(), rt.secret, SiteTerms()).run(text_export(tmp_path / "export"))
        (run,) = rt.store.runs()
        assert run["status"] == "interrupted" and run["error"] == "KeyboardInterrupt"
        assert not list((settings.node.data_dir / "runs").glob("*.lock"))
    finally:
        rt.close()
