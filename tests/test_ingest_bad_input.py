"""Bad input (issue 12, items 10-12): one bad input is quarantined with a reason and the rest of the
export is still stored; nothing hangs; nothing outside the export folder is ever read.

Each test plants one kind of defect from the adversarial probe beside good notes and asserts
that the good notes are stored, the defect is quarantined with its kind, and (for links leaving
the export) that the target's bytes were copied nowhere.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from node.ingest.pipeline import IngestJob
from node.runtime import open_node
from node.settings import load_settings
from node.store.node_store import DOCUMENTS
from tests.helpers import ALICE, BOB, node_env, note_file, text_export, write_ndjson, write_patients_csv

DEEP = "[" * 100_000
BIG_NUMBER = "1" * 5000


@pytest.fixture
def settings(tmp_path, store_uri, database_name):
    return load_settings(None, node_env(tmp_path, store_uri, database_name,
                                        {"FEDNET_INGEST__MAX_NOTE_BYTES": "4000", "FEDNET_INGEST__BATCH_SIZE": "2"}))


def _ingest(settings, deidentifier, export: Path):
    rt = open_node(settings, create=True)
    try:
        report = IngestJob(settings, rt.store, deidentifier).run(export)
        return report, rt.store.list_quarantine(), rt.store.count(DOCUMENTS)
    finally:
        rt.close()


def _quarantined_bytes(settings) -> bytes:
    folder = settings.quarantine_dir
    return b"".join(p.read_bytes() for p in folder.iterdir()) if folder.exists() else b""


# -- files that are not regular files -------------------------------------------------------

def test_broken_symlink_is_quarantined_and_the_rest_stored(settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export")  # 4 good notes
    os.symlink("gone_since.txt", export / "notes" / "a_dangling.txt")  # inside the export, but missing
    report, rows, stored = _ingest(settings, deidentifier, export)
    assert stored == 4 and report.notes_stored == 4
    assert [r["kind"] for r in rows] == ["broken_link"]


def test_directory_named_txt_does_not_abort_the_ingest(settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export")
    inner = export / "notes" / "a_folder.txt"
    inner.mkdir()
    note_file(inner, "inside.txt", BOB["mrn"], "2022-12-02", "Mr. Okonkwo stable on 7 North.")
    report, rows, stored = _ingest(settings, deidentifier, export)
    assert stored == 5, "the four notes and the note inside the folder are stored; the folder itself is no note"
    assert rows == []


def test_fifo_named_txt_is_never_opened(settings, deidentifier, tmp_path):
    """A FIFO named *.txt hung the ingest (open() blocks until a writer appears)."""
    export = text_export(tmp_path / "export")
    fifo = export / "notes" / "a_pipe.txt"
    os.mkfifo(fifo)
    opened, done = [], threading.Event()

    def unblock() -> None:  # if the ingest opened the FIFO for reading, let it go on (and record it)
        while not done.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: nobody is reading it
                time.sleep(0.05)
                continue
            opened.append(True)
            os.close(fd)

    helper = threading.Thread(target=unblock, daemon=True)
    helper.start()
    try:
        report, rows, stored = _ingest(settings, deidentifier, export)
    finally:
        done.set()
        helper.join(5)
    assert not opened, "the ingest opened a FIFO: it would hang without a writer"
    assert stored == 4 and [r["kind"] for r in rows] == ["not_a_file"]


# -- links leaving the export ----------------------------------------------------------------

def test_symlink_out_of_the_export_is_not_read(settings, deidentifier, tmp_path):
    """``notes/key.txt -> ../secrets/site.key`` copied the site secret into quarantine/."""
    export = text_export(tmp_path / "export")
    rt = open_node(settings, create=True)
    rt.close()
    secret = settings.secret_path.read_bytes()
    os.symlink(os.path.relpath(settings.secret_path, export / "notes"), export / "notes" / "key.txt")
    os.symlink(settings.secret_path, export / "notes" / "key_abs.txt")
    outside = tmp_path / "outside.txt"
    note_file(tmp_path, "outside.txt", ALICE["mrn"], "2023-01-01", "OUTSIDE-NOTE-BODY Rosalind seen.")
    os.symlink(outside, export / "notes" / "z_outside.txt")
    report, rows, stored = _ingest(settings, deidentifier, export)
    assert stored == 4, "the note outside the export is not ingested through a link"
    assert sorted(r["kind"] for r in rows) == ["outside_export"] * 3
    kept = _quarantined_bytes(settings)
    assert secret not in kept and b"OUTSIDE-NOTE-BODY" not in kept


def test_patients_file_linked_out_of_the_export_is_not_read(settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export")
    real = tmp_path / "elsewhere.csv"
    (export / "patients.csv").rename(real)
    os.symlink(real, export / "patients.csv")
    report, rows, stored = _ingest(settings, deidentifier, export)
    assert stored == 0 and report.patients_registered == 0
    kinds = sorted({r["kind"] for r in rows})
    assert kinds == ["outside_export", "unknown_patient"]
    assert b"42 Wexford Lane,Tarrytown" not in _quarantined_bytes(settings)  # the CSV row was never read


def test_notes_folder_linked_out_of_the_export_is_not_read(settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export")
    (export / "notes").rename(tmp_path / "real_notes")
    os.symlink(tmp_path / "real_notes", export / "notes")
    report, rows, stored = _ingest(settings, deidentifier, export)
    assert stored == 0 and [r["kind"] for r in rows] == ["outside_export"]
    assert not settings.quarantine_dir.exists() or b"Rosalind" not in _quarantined_bytes(settings)


# -- sidecars and NDJSON lines of the wrong shape ----------------------------------------------

@pytest.mark.parametrize("sidecar", ["[1, 2]", DEEP, '{"mrn": "4471-553-20", "date": "2023-01-01", "n": %s}' % BIG_NUMBER,
                                     '{"mrn": ["4471-553-20"], "date": "2023-01-01"}'],
                         ids=["list", "nested-100k", "5000-digits", "mrn-list"])
def test_bad_text_sidecar_is_quarantined_and_the_rest_stored(sidecar, settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export")
    (export / "notes" / "a_side.txt").write_text("Rosalind seen in clinic.", encoding="utf-8")
    (export / "notes" / "a_side.json").write_text(sidecar, encoding="utf-8")
    report, rows, stored = _ingest(settings, deidentifier, export)
    assert stored == 4
    assert [r["kind"] for r in rows] == ["malformed_json"]


_PATIENT = {"resourceType": "Patient", "id": "pt-9", "gender": "female", "birthDate": "1970-01-01",
            "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": "MRN-9"}]}


@pytest.mark.parametrize("line,kind", [
    ("[1, 2]", "invalid_fhir"),
    (DEEP, "malformed_json"),
    ('{"resourceType": "Patient", "id": "pt-8", "multipleBirthInteger": %s}' % BIG_NUMBER, "malformed_json"),
    (json.dumps({**_PATIENT, "id": ["d"]}), "invalid_fhir"),
    (json.dumps({**_PATIENT, "birthDate": "2099-01-01"}), "bad_date"),
], ids=["list", "nested-100k", "5000-digits", "id-list", "born-2099"])
def test_bad_patient_line_is_quarantined_and_the_rest_stored(line, kind, settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export")
    write_ndjson(export / "fhir" / "Patient.ndjson", [line])
    report, rows, stored = _ingest(settings, deidentifier, export)
    assert stored == 4 and report.patients_registered == 2
    assert [r["kind"] for r in rows] == [kind]


def test_future_birth_date_in_patients_csv_is_quarantined(settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export")
    write_patients_csv(export / "patients.csv", [ALICE, {**BOB, "birth_date": "2099-05-05"}])
    report, rows, stored = _ingest(settings, deidentifier, export)
    assert report.patients_registered == 1 and stored == 3  # Bob's note: his registration was refused
    assert sorted(r["kind"] for r in rows) == ["bad_date", "unknown_patient"]


@pytest.mark.parametrize("line", ["[1, 2]", DEEP, '{"resourceType": "DocumentReference", "id": "d", "x": %s}' % BIG_NUMBER,
                                  '{"resourceType": "DocumentReference", "id": ["d"], "status": "current"}'],
                         ids=["list", "nested-100k", "5000-digits", "id-list"])
def test_bad_document_reference_line_is_quarantined_and_the_rest_stored(line, settings, deidentifier, tmp_path):
    export = text_export(tmp_path / "export")
    write_ndjson(export / "fhir" / "DocumentReference.ndjson", [line])
    report, rows, stored = _ingest(settings, deidentifier, export)
    assert stored == 4
    assert len(rows) == 1 and rows[0]["kind"] in ("malformed_json", "invalid_fhir")


def test_note_dated_at_the_end_of_time_is_quarantined(settings, deidentifier, tmp_path):
    """9999-12-31 plus a positive date shift overflows datetime: quarantine, not a crash."""
    export = text_export(tmp_path / "export")
    note_file(export / "notes", "a_late.txt", ALICE["mrn"], "9999-12-31", "Rosalind seen.")
    note_file(export / "notes", "a_early.txt", ALICE["mrn"], "0001-01-01", "Rosalind seen.")
    report, rows, stored = _ingest(settings, deidentifier, export)
    assert stored == 4 and len(rows) == 2
    assert {r["kind"] for r in rows} <= {"bad_date", "invalid_record"}


# -- images -----------------------------------------------------------------------------------

def _image_ingest(settings, deidentifier, export: Path):
    from node.images.pipeline import IMAGES, ImageIngestJob

    rt = open_node(settings, create=True)
    try:
        report = ImageIngestJob(settings, rt.store, deidentifier, rt.secret, ocr=False).run(export)
        return report, rt.store.list_quarantine(), rt.store.count(IMAGES)
    finally:
        rt.close()


def _image_export(root: Path) -> Path:
    from tests.dicom_helpers import dicom_bytes

    (root / "images").mkdir(parents=True)
    write_patients_csv(root / "patients.csv", [ALICE])
    (root / "images" / "a_good.dcm").write_bytes(dicom_bytes(ALICE["mrn"], seed=1))
    (root / "images" / "c_good.dcm").write_bytes(dicom_bytes(ALICE["mrn"], seed=2))
    return root


@pytest.mark.parametrize("marker", [b"Ashgrove", b"1.2.840.10008.5.1.4.1.1.7"], ids=["dataset", "file-meta"])
def test_malformed_dicom_does_not_stop_the_images_after_it(marker, settings, deidentifier, tmp_path):
    """An unknown VR raised NotImplementedError mid-way and aborted the images phase."""
    from tests.dicom_helpers import dicom_bytes, with_unknown_vr

    export = _image_export(tmp_path / "export")
    (export / "images" / "b_unknown_vr.dcm").write_bytes(with_unknown_vr(dicom_bytes(ALICE["mrn"], seed=3), marker))
    report, rows, stored = _image_ingest(settings, deidentifier, export)
    assert stored == 2 and report.images_stored == 2
    assert [(r["kind"], r["source"]) for r in rows] == [("corrupt_image", "images/#2.dcm")]


@pytest.mark.parametrize("sidecar", [DEEP, "[1]", '{"mrn": "4471-553-20", "n": %s}' % BIG_NUMBER,
                                     '{"mrn": "4471-553-20", "report": {"text": "x"}}'],
                         ids=["nested-100k", "list", "5000-digits", "report-object"])
def test_bad_image_sidecar_is_quarantined_and_the_rest_stored(sidecar, settings, deidentifier, tmp_path):
    from tests.dicom_helpers import dicom_bytes

    export = _image_export(tmp_path / "export")
    (export / "images" / "b_side.dcm").write_bytes(dicom_bytes(ALICE["mrn"], seed=4))
    (export / "images" / "b_side.json").write_text(sidecar, encoding="utf-8")
    report, rows, stored = _image_ingest(settings, deidentifier, export)
    assert stored == 2
    assert [r["kind"] for r in rows] == ["malformed_json"]


def test_image_links_out_of_the_export_and_fifos_are_not_read(settings, deidentifier, tmp_path):
    from tests.dicom_helpers import dicom_bytes

    export = _image_export(tmp_path / "export")
    outside = tmp_path / "outside.dcm"
    outside.write_bytes(dicom_bytes(ALICE["mrn"], institution="OUTSIDE-INSTITUTION", seed=5))
    os.symlink(outside, export / "images" / "b_link.dcm")
    os.mkfifo(export / "images" / "b_pipe.dcm")
    report, rows, stored = _image_ingest(settings, deidentifier, export)
    assert stored == 2
    assert sorted(r["kind"] for r in rows) == ["not_a_file", "outside_export"]
    assert b"OUTSIDE-INSTITUTION" not in _quarantined_bytes(settings)
