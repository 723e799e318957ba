"""Metadata leaks (issue 13, "Outside the text"): file names and FHIR ids of an export, which often
hold names and dates, reach neither the store, nor node.log, nor the quarantine records, nor
``fednode quarantine`` / ``fednode status``; image records never keep the date shift."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from node.cli import main as fednode
from node.images.pipeline import IMAGES, ImageIngestJob
from node.ingest.pipeline import IngestJob
from node.runtime import open_node
from node.settings import load_settings
from tests.helpers import ALICE, fhir_doc, node_env, note_file, write_ndjson, write_patients_csv

#: Tokens planted only in file names and FHIR ids (no note body, name or field holds them).
NAME_PHI = ["Wolstenholme", "Primrose", "1957-08-23", "Throckmorton", "Gwendolyn", "Featherstonehaugh", "Aurelio",
            "19490217", "Barrington", "Octavia", "19630905", "Okafor", "Ifeanyi", "Lindqvist", "Solveig"]


@pytest.fixture
def env(tmp_path, store_uri, database_name, monkeypatch):
    values = node_env(tmp_path, store_uri, database_name, {"FEDNET_INGEST__BATCH_SIZE": "2", "COLUMNS": "400"})
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def _export(root: Path) -> Path:
    from tests.dicom_helpers import dicom_bytes

    root.mkdir(parents=True)
    write_patients_csv(root / "patients.csv", [ALICE])
    notes = root / "notes"
    note_file(notes, "Wolstenholme_Primrose_1957-08-23_discharge.txt", ALICE["mrn"], "2023-03-10", "CT head negative.")
    (notes / "Wolstenholme_Primrose_1957-08-23_nohdr.txt").write_text("No header in this one.", encoding="utf-8")
    note_file(notes, "Lindqvist_Solveig.txt", "0000-000-00", "2023-03-11", "Patient not registered here.")
    (root / "notes_Throckmorton_Gwendolyn.csv").write_text(
        f"mrn,date,type,text\n{ALICE['mrn']},2023-02-01,Progress note,Stable.\n{ALICE['mrn']},2023-02-02,Progress note,\n",
        encoding="utf-8")
    patient = {"resourceType": "Patient", "id": "Featherstonehaugh-Aurelio-19490217", "gender": "male",
               "birthDate": "1950-01-01", "name": [{"given": ["Cornelius"], "family": "Vanterpool"}]}
    unborn = {**patient, "id": "Featherstonehaugh-Aurelio-19490217-b", "birthDate": "2099-01-01"}
    write_ndjson(root / "fhir" / "Patient.ndjson", [patient, unborn])
    write_ndjson(root / "fhir" / "DocumentReference.ndjson", [
        fhir_doc("Featherstonehaugh-Aurelio-19490217-dc1", patient["id"], "Cough, improving."),
        fhir_doc("Featherstonehaugh-Aurelio-19490217-dc2", patient["id"], "Seen.", date="last tuesday"),
        fhir_doc("Featherstonehaugh-Aurelio-19490217-dc3", "Okafor-Ifeanyi-19630905", "Unknown patient."),
    ])
    images = root / "images"
    images.mkdir()
    (images / "BARRINGTON_OCTAVIA_19630905.dcm").write_bytes(b"\x00" * 128 + b"DICM" + b"\x07" * 64)  # corrupt
    (images / "Okafor.Ifeanyi").write_bytes(b"not an image")  # unknown extension holding a name
    (images / "Barrington_Octavia_19630905_ok.dcm").write_bytes(dicom_bytes(ALICE["mrn"], seed=7))
    return root


def _all_store_text(settings) -> str:
    rt = open_node(settings)
    try:
        return "\n".join(json.dumps(doc, default=str) for _, doc in rt.store.all_records())
    finally:
        rt.close()


def _leaks(text: str) -> list[str]:
    return [t for t in NAME_PHI if t.lower() in text.lower()]


def test_file_names_and_fhir_ids_reach_no_record_log_or_output(env, tmp_path, capsys, deidentifier):
    export = _export(tmp_path / "export")
    settings = load_settings(None)
    rt = open_node(settings, create=True)
    try:
        report = IngestJob(settings, rt.store, deidentifier).run(export)
        images = ImageIngestJob(settings, rt.store, deidentifier, rt.secret, ocr=False).run(export)
        rows = rt.store.list_quarantine()
    finally:
        rt.close()
    assert report.notes_stored == 3 and images.images_stored == 1  # the good inputs went through
    assert sorted(r["kind"] for r in rows) == sorted(["unknown_patient", "missing_field", "empty", "bad_date",
                                                      "invalid_fhir", "unknown_patient", "corrupt_image",
                                                      "unsupported_image"])
    capsys.readouterr()
    assert fednode(["quarantine"]) == 0 and fednode(["status"]) == 0
    shown = capsys.readouterr().out
    assert "notes/#3.txt" in shown and "fhir/DocumentReference.ndjson line 2" in shown and "notes*.csv #1 line 3" in shown
    where = {"store (quarantine records included)": _all_store_text(settings),
             "node.log": (settings.log_dir / "node.log").read_text(encoding="utf-8"),
             "fednode quarantine + status": shown,
             "quarantine file names": " ".join(p.name for p in settings.quarantine_dir.iterdir())}
    assert {place: _leaks(text) for place, text in where.items()} == {place: [] for place in where}
    for row in rows:  # every record names its input by label, says what to do, and keys the path
        assert re.fullmatch(r"(notes|images)/#\d+(\.\w+)?|.+ line \d+", row["source"]), row["source"]
        assert row["action"] and row["reason"].startswith(row["source"] + ": ")
        assert re.fullmatch(r"[0-9a-f]{16}", row["source_key"])


def test_operator_can_locate_a_quarantined_file(env, tmp_path, capsys, deidentifier):
    export = _export(tmp_path / "export")
    settings = load_settings(None)
    rt = open_node(settings, create=True)
    try:
        IngestJob(settings, rt.store, deidentifier).run(export)
        rows = {r["source"]: r for r in rt.store.list_quarantine()}
    finally:
        rt.close()
    kept = settings.quarantine_dir / rows["notes/#3.txt"]["file"]
    assert kept.read_bytes() == b"No header in this one." and (kept.stat().st_mode & 0o077) == 0
    capsys.readouterr()
    assert fednode(["quarantine", "--locate", str(export)]) == 0
    out = capsys.readouterr().out
    assert "notes/Wolstenholme_Primrose_1957-08-23_nohdr.txt" in out  # printed on request, to this terminal only
    assert "fhir/DocumentReference.ndjson" in out


def test_image_records_never_store_the_date_shift(env, tmp_path, deidentifier):
    from tests.dicom_helpers import dicom_bytes

    export = tmp_path / "export"
    (export / "images").mkdir(parents=True)
    write_patients_csv(export / "patients.csv", [ALICE])
    (export / "images" / "a.dcm").write_bytes(dicom_bytes(ALICE["mrn"], seed=8))
    settings = load_settings(None)
    rt = open_node(settings, create=True)
    try:
        ImageIngestJob(settings, rt.store, deidentifier, rt.secret, ocr=False).run(export)
        (record,) = list(rt.store.collection(IMAGES).find({}))
    finally:
        rt.close()
    assert record["provenance"]["header"]["actions"]  # the header provenance is still there...
    assert "date_shift_days" not in json.dumps(record, default=str)  # ...without the shift, at any depth
    assert record["query"]["study_date_shifted"] != "2023-04-05"  # the stored date is shifted
    from pydantic import ValidationError

    from schemas.imaging import ImageRecord

    planted = {**record, "provenance": {**record["provenance"], "header": {**record["provenance"]["header"],
                                                                            "date_shift_days": 40}}}
    with pytest.raises(ValidationError, match="date shift"):  # the schema refuses it too
        ImageRecord.model_validate(planted)


def test_migration_removes_the_date_shift_from_stored_images(env, tmp_path, capsys, deidentifier):
    from node.migrations import META, migrate
    from schemas.version import SCHEMA_VERSION_SYSTEM
    from tests.dicom_helpers import dicom_bytes

    export = tmp_path / "export"
    (export / "images").mkdir(parents=True)
    write_patients_csv(export / "patients.csv", [ALICE])
    (export / "images" / "a.dcm").write_bytes(dicom_bytes(ALICE["mrn"], seed=9))
    settings = load_settings(None)
    rt = open_node(settings, create=True)
    try:
        ImageIngestJob(settings, rt.store, deidentifier, rt.secret, ocr=False).run(export)
        images = rt.store.collection(IMAGES)
        (record,) = list(images.find({}))
        tag = lambda v: [{"system": SCHEMA_VERSION_SYSTEM, "code": v}]  # noqa: E731
        images.update_one({"_id": record["_id"]}, {"$set": {  # what a 1.2.0 node stored
            "schema_version": "1.2.0", "query.schema_version": "1.2.0", "study.meta.tag": tag("1.2.0"),
            "media.meta.tag": tag("1.2.0"), "provenance.date_shift_days": 123, "provenance.header.date_shift_days": 123}})
        rt.store.collection(META).replace_one({"_id": "schema"}, {"_id": "schema", "schema_version": "1.2.0"}, upsert=True)
    finally:
        rt.close()
    capsys.readouterr()
    fednode(["status"])
    assert json.loads(capsys.readouterr().out)["schema"]["pending_migrations"] == ["1.2.0 -> 1.3.0"]
    rt = open_node(settings)
    try:
        steps = migrate(rt.store)
        assert [(s.source, s.target) for s, _ in steps] == [("1.2.0", "1.3.0")] and steps[0][1] >= 2
        (record,) = list(rt.store.collection(IMAGES).find({}))
        assert "date_shift_days" not in json.dumps(record, default=str)
        assert record["schema_version"] == record["query"]["schema_version"] == "1.3.0"
        assert record["study"]["meta"]["tag"] == record["media"]["meta"]["tag"] == tag("1.3.0")
        assert migrate(rt.store) == []
    finally:
        rt.close()
