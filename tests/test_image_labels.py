"""The shared image-label vocabulary: captions, DICOM headers and MedPix fields -> one set of labels."""

from __future__ import annotations

import json

import pydicom
from pydicom.dataset import Dataset

from schemas.labels import (Labels, body_region_from, labels_from_dicom, labels_from_medpix, modality_from,
                            normalize_caption, plane_from, plane_from_orientation)


def test_caption_synonyms_map_to_one_modality():
    for text in ("CAT scan of the chest", "Computed tomography of the chest", "chest CT", "CTA of the chest"):
        labels = normalize_caption(text)
        assert (labels.modality, labels.body_region) == ("CT", "thorax"), text
    assert normalize_caption("Sagittal T2 MRI of the lumbar spine") == Labels("MR", "spine", "sagittal", ())
    assert normalize_caption("Abdominal ultrasonography of the liver").modality == "US"


def test_ordinary_words_are_not_labels():
    # "us" and "Mr." are not ultrasound / MR in running text; "PA" in text is usually the pulmonary artery
    assert normalize_caption("The report was sent to us by Mr. Smith").modality is None
    assert normalize_caption("Dilated PA").plane is None


def test_findings_respect_negation():
    assert "mass" in normalize_caption("Axial CT shows a hepatic mass").findings
    assert "mass" not in normalize_caption("Axial CT: no mass").findings
    assert "pneumonia" in normalize_caption("PA chest radiograph: right lower lobe pneumonia").findings
    assert "pneumonia" not in normalize_caption("No evidence of pneumonia").findings


def test_field_values():
    assert modality_from("CT - noncontrast") == "CT"
    assert modality_from("MR - T1W w/Gd (fat suppressed)") == "MR"
    assert modality_from("US") == "US"
    assert modality_from("CR") == "XR"
    assert body_region_from("Spine and Muscles") == "spine"
    assert body_region_from("Reproductive and Urinary System") == "pelvis"
    assert body_region_from("CHEST") == "thorax"
    assert plane_from("Transverse") == "axial"
    assert plane_from("PA") == "pa"
    assert plane_from("NOS - Not specified") is None


def test_plane_from_orientation():
    assert plane_from_orientation([1, 0, 0, 0, 1, 0]) == "axial"
    assert plane_from_orientation([1, 0, 0, 0, 0, -1]) == "coronal"
    assert plane_from_orientation([0, 1, 0, 0, 0, -1]) == "sagittal"
    assert plane_from_orientation(None) is None


def test_labels_from_dicom_header():
    ds = Dataset()
    ds.Modality = "MR"
    ds.BodyPartExamined = "HEAD"
    ds.ImageOrientationPatient = [0, 1, 0, 0, 0, -1]
    assert labels_from_dicom(ds) == Labels("MR", "head", "sagittal", ())
    ct = pydicom.examples.ct
    assert labels_from_dicom(ct).modality == "CT"


def test_every_medpix_image_gets_modality_and_region(shared_data):
    records = json.loads((shared_data / "medpix2" / "Descriptions.json").read_text())
    labels = [labels_from_medpix(r) for r in records]
    assert all(lab.modality in ("CT", "MR") for lab in labels)
    assert all(lab.body_region for lab in labels)
    with_plane = sum(1 for lab in labels if lab.plane)
    assert with_plane / len(labels) > 0.95  # the rest say "NOS", "Photograph", "Other View"
