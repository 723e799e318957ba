"""Ingest: idempotence, resumability, quarantine of every bad-input kind, restart, no PHI stored."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from node.ingest.pipeline import IngestJob
from node.runtime import open_node
from node.settings import load_settings
from node.store.node_store import DOCUMENTS, PATIENTS
from tests.helpers import ALICE, fhir_doc, node_env, note_file, text_export, write_ndjson, write_patients_csv


@pytest.fixture(scope="module")
def deidentifier():
    from deid.config import load_deid_config
    from deid.pipeline import Deidentifier

    return Deidentifier(load_deid_config(None), b"test-site-secret-0123456789")


@pytest.fixture
def settings(tmp_path, store_uri, database_name):
    return load_settings(None, node_env(tmp_path, store_uri, database_name,
                                        {"FEDNET_INGEST__MAX_NOTE_BYTES": "4000", "FEDNET_INGEST__BATCH_SIZE": "2"}))


def _ingest(settings, deidentifier, export: Path):
    rt = open_node(settings, create=True)
    try:
        return IngestJob(settings, rt.store, deidentifier).run(export)
    finally:
        rt.close()


def _stored_texts(settings) -> list[str]:
    rt = open_node(settings)
    try:
        return [base64.b64decode(d["resource"]["content"][0]["attachment"]["data"]).decode()
                for d in rt.store.iter_documents()]
    finally:
        rt.close()


def test_ingest_stores_deidentified_notes(settings, deidentifier, tmp_path):
    report = _ingest(settings, deidentifier, text_export(tmp_path / "export"))
    assert report.notes_stored == 4 and report.quarantined_total == 0 and report.patients_registered == 2
    texts = "\n".join(_stored_texts(settings))
    for value in ("Rosalind", "Quackenbush", "4471-553-20", "Wexford", "555-0187", "Okonkwo", "Desmond",
                  "Adaeze", "Pemberton", "03/10/2023", "10591"):
        assert value.lower() not in texts.lower(), f"{value} survived de-identification"
    assert "CT head negative" in texts and "CHF exacerbation" in texts  # clinical content kept
    assert report.phi_removed["PERSON"] >= 4 or sum(report.phi_removed.values()) >= 20


def test_reingest_stores_nothing_twice(settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export")
    first = _ingest(settings, deidentifier, export)
    second = _ingest(settings, deidentifier, export)
    assert first.notes_stored == 4
    assert second.notes_stored == 0 and second.notes_already_stored == 4
    rt = open_node(settings)
    try:
        assert rt.store.count(DOCUMENTS) == 4 and rt.store.count(PATIENTS) == 2
    finally:
        rt.close()


class _InterruptAfter:
    """Delegates to the real de-identifier, then simulates a crash (Ctrl-C) at batch ``n``."""

    def __init__(self, inner, n: int) -> None:
        self.inner, self.n, self.calls = inner, n, 0

    def pseudonym(self, key: str) -> str:
        return self.inner.pseudonym(key)

    def deidentify_batch(self, items):
        self.calls += 1
        if self.calls == self.n:
            raise KeyboardInterrupt("simulated crash")
        return self.inner.deidentify_batch(items)


def test_interrupted_ingest_resumes(settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export", n_alice=7)  # 8 notes, batches of 2
    rt = open_node(settings, create=True)
    try:
        with pytest.raises(KeyboardInterrupt):
            IngestJob(settings, rt.store, _InterruptAfter(deidentifier, 3)).run(export)
        partial = rt.store.count(DOCUMENTS)
    finally:
        rt.close()
    assert partial == 4, "two whole batches were stored before the crash, nothing of the third"
    resumed = _ingest(settings, deidentifier, export)
    assert resumed.notes_already_stored == 4 and resumed.notes_stored == 4
    assert len(_stored_texts(settings)) == 8


@pytest.mark.parametrize("kind", ["non_utf8", "empty", "oversized", "unknown_patient", "bad_date",
                                  "missing_field", "malformed_json", "invalid_fhir"])
def test_each_bad_input_is_quarantined_and_the_batch_goes_on(kind, settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export", n_alice=1)
    notes = export / "notes"
    if kind == "non_utf8":
        (notes / "bad.txt").write_bytes(f"MRN: {ALICE['mrn']}\nDate: 2023-01-01\n---\nCaf\xe9 Rosalind".encode("latin-1"))
    elif kind == "empty":
        (notes / "bad.txt").write_bytes(b"")
    elif kind == "oversized":
        note_file(notes, "bad.txt", ALICE["mrn"], "2023-01-01", "Rosalind " * 1000)
    elif kind == "unknown_patient":
        note_file(notes, "bad.txt", "9999-999-99", "2023-01-01", "Zebulon Fairweather, unknown here.")
    elif kind == "bad_date":
        note_file(notes, "bad.txt", ALICE["mrn"], "yesterday", "Rosalind seen.")
    elif kind == "missing_field":
        (notes / "bad.txt").write_text("Just a note without any header.\n", encoding="utf-8")
    elif kind in ("malformed_json", "invalid_fhir"):
        write_ndjson(export / "fhir" / "Patient.ndjson", [])
        line = '{"resourceType": "DocumentReference", "id": "x1", "content": [' if kind == "malformed_json" \
            else {"resourceType": "DocumentReference", "id": "x2", "status": "current",
                  "subject": "Patient/1", "date": "last tuesday", "content": "oops"}
        write_ndjson(export / "fhir" / "DocumentReference.ndjson", [line])
    report = _ingest(settings, deidentifier, export)
    assert report.notes_stored == 2, "the good notes are stored despite the bad one"
    assert report.quarantined == {kind: 1}
    rt = open_node(settings)
    try:
        rows = rt.store.list_quarantine()
        assert [r["kind"] for r in rows] == [kind]
        assert "Rosalind" not in rows[0]["reason"] and "Zebulon" not in rows[0]["reason"]
        if rows[0]["file"]:
            kept = settings.quarantine_dir / rows[0]["file"]
            assert kept.exists() and (kept.stat().st_mode & 0o077) == 0
        assert rt.store.count(DOCUMENTS) == 2
    finally:
        rt.close()


def test_csv_and_fhir_exports(settings, deidentifier, tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    write_patients_csv(export / "patients.csv", [ALICE])
    (export / "notes.csv").write_text(
        'mrn,date,type,text\n'
        f'{ALICE["mrn"]},2023-02-01,Discharge summary,"Rosalind Quackenbush discharged home.\nFollow up with Dr. Pemberton."\n'
        f'{ALICE["mrn"]},2023-02-02,Progress note,\n', encoding="utf-8")
    patient = {"resourceType": "Patient", "id": "pt-1", "gender": "male", "birthDate": "1950-01-01",
               "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": "MRN-777001"}],
               "name": [{"given": ["Cornelius"], "family": "Vanterpool"}]}
    write_ndjson(export / "fhir" / "Patient.ndjson", [patient])
    write_ndjson(export / "fhir" / "DocumentReference.ndjson",
                 [fhir_doc("d1", "pt-1", "Cornelius Vanterpool, MRN MRN-777001, presents with cough.")])
    report = _ingest(settings, deidentifier, export)
    assert report.notes_stored == 2 and report.quarantined == {"empty": 1}
    texts = "\n".join(_stored_texts(settings))
    for value in ("Quackenbush", "Pemberton", "Cornelius", "Vanterpool", "MRN-777001"):
        assert value not in texts
    assert "cough" in texts


def test_restart_keeps_ingested_data(settings, deidentifier, tmp_path):
    _ingest(settings, deidentifier, text_export(tmp_path / "export"))
    before = sorted(_stored_texts(settings))
    after = sorted(_stored_texts(settings))  # a fresh open_node: a new client on the same store
    assert before == after and len(after) == 4


def test_logs_hold_no_phi(settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export")
    note_file(export / "notes", "bad.txt", "9999-999-99", "2023-01-01", "Zebulon Fairweather, unknown here.")
    _ingest(settings, deidentifier, export)
    log_text = (settings.log_dir / "node.log").read_text()
    assert "quarantined" in log_text and "ingest run" in log_text
    for value in ("Rosalind", "Quackenbush", "4471-553-20", "Zebulon", "9999-999-99", "555-0187"):
        assert value not in log_text
