"""The two console scripts: help a newcomer understands, clear errors, eval output shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coordinator.cli import main as fedcoord
from node.cli import main as fednode


def test_help_texts_explain_the_commands(capsys):
    for main, words in ((fednode, ["ingest", "quarantine", "deid", "de-identification"]),
                        (fedcoord, ["demo", "simulated hospitals"])):
        with pytest.raises(SystemExit) as exit_:
            main(["--help"])
        assert exit_.value.code == 0
        out = capsys.readouterr().out
        for word in words:
            assert word in out


def test_console_scripts_are_installed():
    bindir = Path(sys.executable).parent
    for script in ("fednode", "fedcoord"):
        result = subprocess.run([str(bindir / script), "--help"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "usage:" in result.stdout


def test_missing_export_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FEDNET_NODE__DATA_DIR", str(tmp_path / "node"))
    monkeypatch.delenv("MONGODB_URI", raising=False)
    assert fednode(["ingest", str(tmp_path / "missing"), "--quiet"]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_status_before_init_says_what_to_do(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FEDNET_NODE__DATA_DIR", str(tmp_path / "node"))
    assert fednode(["status"]) == 2
    assert "fednode init" in capsys.readouterr().err


def test_deid_eval_json_shape(shared_data, capsys):
    assert fednode(["deid", "eval", "--gold", str(shared_data / "physionet-deid" / "gold_dev.jsonl"),
                    "--json", "--limit", "40"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"recall", "precision", "notes_per_second", "by_type"} <= set(report)
    assert 0.0 <= report["precision"] <= 1.0 and 0.5 < report["recall"] <= 1.0
    assert report["notes_per_second"] > 0 and "Date" in report["by_type"]


def test_deid_eval_reads_presidio_research_format(shared_data, capsys):
    assert fednode(["deid", "eval", "--gold", str(shared_data / "presidio-research" / "generated_small.json")]) == 0
    out = capsys.readouterr().out
    assert "PERSON" in out and "recall" in out.lower()
