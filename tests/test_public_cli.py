"""``fedcoord import-public`` and ``fedcoord subset`` end to end on a few real rows."""

from __future__ import annotations

import json
from pathlib import Path

from coordinator.cli import main
from tests.test_public_importers import FIXTURES


def test_import_public_and_subset_cli(shared_data: Path, tmp_path: Path, capsys) -> None:
    store = str(tmp_path / "coord")
    rc = main(["import-public", "--sources", "medpix,pmc,multicare", "--data", str(shared_data), "--multicare",
               str(FIXTURES), "--limit", "3", "--store", store, "--quiet", "--json", str(tmp_path / "r.json")])
    out = capsys.readouterr().out
    assert rc == 0 and "pmc-patients" in out and "modality=MR" in out and "ages < 90" in out
    report = json.loads((tmp_path / "r.json").read_text())
    assert {k: v["cases_stored"] for k, v in report["sources"].items()} == {"medpix": 3, "pmc-patients": 3, "multicare": 7}
    rc = main(["subset", "--store", store, "--data", str(shared_data), "--out", str(tmp_path / "subsets"),
               "--name", "brucella", "--filter", "keywords=brucellosis", "--filter", "gender=female", "--format", "text"])
    assert rc == 0 and "2 cases" in capsys.readouterr().out  # PMC6744365_02 and _05 are the women
    lines = (tmp_path / "subsets" / "brucella" / "citations.csv").read_text().splitlines()[1:]
    assert [line.split(",")[0] for line in lines] == ["PMC6744365_02", "PMC6744365_05"]
    assert main(["subset", "--store", store, "--name", "x", "--filter", "nope=1"]) == 2
    assert "unknown filter field 'nope'" in capsys.readouterr().out
    assert main(["import-public", "--sources", "roco2", "--store", store]) == 2
