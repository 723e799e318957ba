"""Image ingest: the demo's planted image PHI (header, banner, report) is found nowhere in the
store; corrupt and truncated files are quarantined while the batch goes on; re-ingest is a no-op."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from coordinator.demo.hospitals import HospitalSpec, generate_hospital
from coordinator.demo.image_check import check_planted_images, pixels_text
from coordinator.demo.images import add_images
from node.images.blobs import FileBlobStore, open_blob_store
from node.images.pipeline import IMAGES, ImageIngestJob
from node.runtime import open_node
from node.settings import load_settings


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory, request):
    """A small simulated hospital (3 MedPix patients, 1 image each) with images and manifest."""
    from tests.conftest import SHARED_DATA

    root = tmp_path_factory.mktemp("imgdemo") / "mercy"
    spec = HospitalSpec(site_id="mercy", name="Ashgrove Mercy Hospital", export_kind="text", n_patients=3,
                        source_weights={"medpix": 1.0}, wards=["Linden 4"], short_name="AMH",
                        with_bad_inputs=False)
    manifest = generate_hospital(spec, root, seed=11, shared_data=SHARED_DATA)
    add_images(root, manifest, per_patient=1, shared_data=SHARED_DATA)
    return root, manifest


def _settings(tmp_path, store_uri, database_name):
    env = {"FEDNET_NODE__SITE_ID": "mercy", "FEDNET_NODE__DATA_DIR": str(tmp_path / "node"),
           "FEDNET_NODE__STORE_URI": store_uri, "FEDNET_NODE__DATABASE": database_name,
           "FEDNET_INGEST__SHOW_PROGRESS": "false"}
    return load_settings(None, env)


def test_demo_images_plant_phi_that_ocr_can_read(demo_export):
    root, manifest = demo_export
    assert len(manifest.images) == 3
    truth = manifest.images[0]
    text = pixels_text((root / truth.source).read_bytes(), "application/dicom").upper()
    banner = [p.value.upper() for p in truth.planted if p.where == "banner"]
    assert sum(v in text for v in banner) >= len(banner) - 1  # the check below is meaningful: OCR reads the banner


def test_planted_image_phi_is_found_nowhere_in_the_store(demo_export, tmp_path, store_uri, database_name, deidentifier):
    root, manifest = demo_export
    settings = _settings(tmp_path, store_uri, database_name)
    rt = open_node(settings, create=True)
    try:
        job = ImageIngestJob(settings, rt.store, deidentifier, rt.secret)
        report = job.run(root)
        assert report.images_stored == 3 and report.quarantined_total == 0
        assert report.boxes_redacted >= 3 * 5  # name, MRN, birth date, date/time, institution at least
        check = check_planted_images(manifest, root, rt.store, job.blobs, rt.secret, "mercy", [rt.log_path])
        assert check.images_checked == 3 and check.ocr_images == 3 and check.values_checked >= 3 * 18
        assert check.leaks == []
        record = rt.store.collection(IMAGES).find_one()
        assert record["labels"]["modality"] in ("CT", "MR") and record["labels"]["body_region"]
        assert record["media"]["subject"]["reference"] == f"Patient/{record['patient_pseudonym']}"
        assert all(set(r) == {"box", "reason", "entity_type", "frames"} for r in record["provenance"]["redactions"])
        assert job.blobs.exists(record["thumbnail"]["blob"])
        if store_uri.startswith("embedded"):
            assert isinstance(job.blobs, FileBlobStore)
        again = ImageIngestJob(settings, rt.store, deidentifier, rt.secret).run(root)
        assert (again.images_stored, again.images_already_stored) == (0, 3)
        assert rt.store.count(IMAGES) == 3
    finally:
        rt.close()


def _picture(path: Path, text: str) -> None:
    img = Image.new("L", (400, 300), 20)
    ImageDraw.Draw(img).text((10, 10), text, fill=255, font=ImageFont.load_default(size=16))
    img.save(path)


def test_corrupt_and_truncated_files_are_quarantined_and_the_batch_goes_on(demo_export, tmp_path, store_uri,
                                                                            database_name, deidentifier):
    src, manifest = demo_export
    root = tmp_path / "export"
    shutil.copytree(src, root)
    images = root / "images"
    good = images / "img_0001.dcm"
    (images / "truncated.dcm").write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    (images / "garbage.dcm").write_bytes(b"\x00" * 128 + b"DICM" + b"\x07" * 300)
    (images / "notes.txt").write_text("not an image")
    (images / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    patient = manifest.patients[0]
    (images / "broken.json").write_text(json.dumps({"mrn": patient["mrn"], "date": "2023-04-05"}))
    _picture(images / "photo.png", f"{patient['family'].upper()} MRN {patient['mrn']}")
    (images / "photo.json").write_text(json.dumps({"mrn": patient["mrn"], "date": "2023-04-05",
                                                   "report": "Clinical photograph of the left hand."}))
    _picture(images / "stranger.png", "nothing")
    (images / "stranger.json").write_text(json.dumps({"mrn": "000-NOT-REGISTERED", "date": "2023-04-05"}))
    settings = _settings(tmp_path, store_uri, database_name)
    rt = open_node(settings, create=True)
    try:
        report = ImageIngestJob(settings, rt.store, deidentifier, rt.secret).run(root)
        kinds = {q["source"]: q["kind"] for q in rt.store.list_quarantine()}
        stored = rt.store.count(IMAGES)
        picture = rt.store.collection(IMAGES).find_one({"query.source_kind": "picture"})
        blobs = open_blob_store(rt.store, settings.image_blob_dir)
    finally:
        rt.close()
    names = sorted(p.name for p in images.iterdir() if p.suffix != ".json")  # labels are ordinals in this order
    label = {name: f"images/#{names.index(name) + 1}{Path(name).suffix}" for name in names}
    assert kinds == {label["truncated.dcm"]: "corrupt_image", label["garbage.dcm"]: "corrupt_image",
                     label["broken.png"]: "corrupt_image", label["notes.txt"]: "unsupported_image",
                     label["stranger.png"]: "unknown_patient"}
    assert all(patient["mrn"] not in q and "stranger" not in q for q in kinds)  # labels never quote names or content
    assert stored == 3 + 1 and report.images_stored == 4
    assert picture is not None and picture["labels"]["body_region"] == "upper_limb"
    text = pixels_text(blobs.get(picture["pixels"]["blob"]), "image/png").upper()
    assert patient["mrn"] not in text and patient["family"].upper() not in text
