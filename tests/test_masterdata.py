"""Site master data (issue 13): the staff roster, wards/buildings and towns a node imports are
redacted in every note, and never reach the store, the log or any output; bad CSVs are refused
naming file and line."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from node.cli import main as fednode
from node.ingest.pipeline import IngestJob
from node.masterdata.storage import load_masterdata
from node.runtime import open_node
from node.settings import load_settings
from tests.helpers import ALICE, node_env, note_file, write_patients_csv

#: The planted master data: values a generic de-identifier has no reason to know.
STAFF = [("Ravenscroft-Pryce", "Ottoline", "Otty"), ("Quenby", "Bexley", ""), ("Bell", "Winifred", "")]
WARD, BUILDING, TOWN = "Hollingbrook 4", "Tamsworth Pavilion", "Cressingham Parva"
PLANTED = ["Ravenscroft-Pryce", "Ottoline", "Otty", "Quenby", "Bexley", "Winifred", "Hollingbrook", "Tamsworth",
           "Cressingham"]

NOTES = [
    "Seen with ottoline ravenscroft-pryce on hollingbrook 4. CT head negative.",
    "Pt from cressingham parva, transferred to the Tamsworth Pavilion. Bexley Quenby aware.",
    "RAVENSCROFT-PRYCE, OTTOLINE paged re: potassium. Otty agrees with the plan. QUENBY RN.",
    "Patient asked for the call bell twice overnight. Dr Bell reviewed; Winifred Bell to follow up.",
]


@pytest.fixture
def env(tmp_path, store_uri, database_name, monkeypatch):
    values = node_env(tmp_path, store_uri, database_name, {"COLUMNS": "400"})
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def _csvs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {"staff": folder / "staff.csv", "facilities": folder / "facilities.csv", "towns": folder / "towns.csv"}
    files["staff"].write_text("employee_no,family,given,other_names,role\n" + "".join(
        f"{100 + i},{f},{g},{o},consultant\n" for i, (f, g, o) in enumerate(STAFF)), encoding="utf-8")
    files["facilities"].write_text(f"name,kind,aliases\n{WARD},ward,HB4\n{BUILDING},building,\n", encoding="utf-8")
    files["towns"].write_text(f"name,aliases\n{TOWN},Cressingham P.\n", encoding="utf-8")
    return files


def _import(files: dict[str, Path], capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = fednode(["masterdata", "import", *[a for name, path in files.items() for a in (f"--{name}", str(path))]])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


class _Recording:
    """The real de-identifier, recording the site terms each note's deny list received."""

    def __init__(self, inner):
        self.inner, self.terms = inner, []

    def pseudonym(self, key):
        return self.inner.pseudonym(key)

    def deidentify_batch(self, items):
        for _, ctx in items:
            self.terms.append({k: v for k, v in ctx.known_identifiers.items() if k in ("PROVIDER", "WARD", "HOSPITAL",
                                                                                         "LOCATION")})
        return self.inner.deidentify_batch(items)


def test_imported_master_data_is_redacted_and_kept_off_the_store_and_logs(env, tmp_path, capsys, deidentifier):
    rc, out, err = _import(_csvs(tmp_path / "hr"), capsys)
    assert rc == 0, err
    assert "staff: 3 rows imported" in out and "towns: 1 rows imported" in out
    settings = load_settings(None)
    folder = settings.node.data_dir / "masterdata"
    assert (folder.stat().st_mode & 0o777) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == ["facilities.json", "staff.json", "towns.json"]
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in folder.iterdir())
    export = tmp_path / "export"
    export.mkdir()
    write_patients_csv(export / "patients.csv", [ALICE])
    for i, text in enumerate(NOTES):
        note_file(export / "notes", f"n{i}.txt", ALICE["mrn"], f"2023-03-1{i}", text)
    recording = _Recording(deidentifier)
    rt = open_node(settings, create=True)
    try:
        report = IngestJob(settings, rt.store, recording, rt.secret).run(export)
        store_text = "\n".join(json.dumps(doc, default=str) for _, doc in rt.store.all_records())
        texts = [base64.b64decode(d["resource"]["content"][0]["attachment"]["data"]).decode()
                 for d in rt.store.iter_documents()]
    finally:
        rt.close()
    assert report.notes_stored == 4
    # the terms reached each note's deny list, by entity type, and only the ones in that note
    assert "Ottoline Ravenscroft-Pryce" in recording.terms[0]["PROVIDER"] and recording.terms[0]["WARD"] == (WARD,)
    assert recording.terms[1]["LOCATION"] == (TOWN,) and recording.terms[1]["HOSPITAL"] == (BUILDING,)
    assert "Bell" not in recording.terms[3]["PROVIDER"] and "Dr Bell" in recording.terms[3]["PROVIDER"]
    capsys.readouterr()
    assert fednode(["status"]) == 0 and fednode(["masterdata", "show"]) == 0
    shown = capsys.readouterr().out
    assert json.loads(shown[shown.rindex("{\n  \"rows\""):])["rows"] == {"staff": 3, "facilities": 2, "towns": 1}
    where = {"store": store_text, "stored texts": "\n".join(texts), "node.log": (settings.log_dir / "node.log").read_text(),
             "import output": out + err, "status/show output": shown}
    assert {k: [p for p in PLANTED if p.lower() in v.lower()] for k, v in where.items()} == {k: [] for k in where}
    assert "call bell" in "\n".join(texts)  # a surname that is also a word is not redacted as a word...
    assert sum(t.lower().count("bell") for t in texts) == 1  # ...but "Dr Bell" and "Winifred Bell" are


def _bad(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("which,content,expected", [
    ("staff", b"given,role\nAnn,nurse\n", "staff.csv line 1: lacks column(s) family"),
    ("staff", b"family,given\nQuenby,Bexley\n,Orphan\nRavenscroft,Ottoline\n", "staff.csv line 3: empty 'family' column"),
    ("staff", b"family,given\nQu\xe9nby,Bexley\n", "staff.csv line 2: not UTF-8"),
    ("staff", b"family,given\nB12345,Bexley\n", "staff.csv line 2: 'family' looks like a number"),
    ("facilities", b"name,kind\nHollingbrook 4,wing\n", "facilities.csv line 2: 'kind' must be one of"),
    ("towns", b'name\n"Cressingham\n', "towns.csv line 2: malformed CSV"),
], ids=["no-family-column", "empty-family", "not-utf8", "number", "bad-kind", "unbalanced-quote"])
def test_bad_master_data_csv_is_refused_naming_file_and_line(which, content, expected, env, tmp_path, capsys):
    good = _csvs(tmp_path / "hr")
    assert _import(good, capsys)[0] == 0
    before = load_masterdata(load_settings(None).node.data_dir)
    bad = _bad(tmp_path, f"{which}.csv", content)
    rc, out, err = _import({**good, which: bad}, capsys)
    assert rc == 2 and expected in err and "nothing was imported" in err
    assert load_masterdata(load_settings(None).node.data_dir) == before  # no list was replaced, not even the good ones
    for value in ("Orphan", "Bexley", "Hollingbrook", "Cressingham", "Ann"):
        assert value not in err  # the refusal names lines and columns, never values


def test_a_fifo_is_refused_without_hanging(env, tmp_path, capsys):
    fifo = tmp_path / "staff.csv"
    os.mkfifo(fifo)
    rc, out, err = _import({"staff": fifo}, capsys)
    assert rc == 2 and "not a regular file" in err
