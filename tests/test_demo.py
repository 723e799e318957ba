"""README command 1's main job, small: the demo network end to end (training skipped: see test_fl_*)."""

from __future__ import annotations

import json

import pytest

from coordinator.cli import main as fedcoord


@pytest.mark.slow
def test_demo_network_end_to_end(tmp_path, shared_data, capsys):
    out = tmp_path / "demo"
    summary = tmp_path / "summary.json"
    code = fedcoord(["demo", "--out", str(out), "--patients", "8", "--seed", "5", "--quiet", "--rounds", "0",
                     "--public-limit", "30", "--json", str(summary)])
    printed = capsys.readouterr().out
    assert code == 0, printed[-3000:]
    assert "planted-PHI check passed" in printed
    rows = json.loads(summary.read_text())
    assert len(rows) == 3 and all(r["leaks"] == 0 and r["image_leaks"] == 0 for r in rows)
    assert sum(r["notes_stored"] for r in rows) > 10 and sum(sum(r["quarantined"].values()) for r in rows) >= 3
    assert sum(r["images"]["images_stored"] for r in rows if r["images"]) >= 1
    assert "cohort count" in printed and "network (secure sum)" in printed
    # by default the count ran over a loopback Deployment Engine: coordinator and each hospital in its own process
    assert "Deployment Engine" in printed and "network up: aurelia, halvorsen, kellerby connected" in printed
    assert {p.name for p in (out / "network-logs").iterdir()} == {"coordinator.log", "aurelia.log", "halvorsen.log",
                                                                  "kellerby.log"}
    assert "public case reports imported" in printed
    for site in ("aurelia", "halvorsen", "kellerby"):
        assert (out / "nodes" / site / "store").is_dir()
