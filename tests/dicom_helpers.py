"""Small synthetic DICOM files for image-ingest tests (no real data: real images are read from ../shared)."""

from __future__ import annotations

import io

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"


def dicom_bytes(patient_id: str, *, name: str = "Quackenbush^Rosalind", study_date: str = "20230405",
                institution: str = "Ashgrove Mercy", size: int = 32, seed: int = 0) -> bytes:
    """An explicit-VR little-endian secondary-capture image with a few identifying header fields."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = SECONDARY_CAPTURE
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SOPClassUID = SECONDARY_CAPTURE
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.PatientID, ds.PatientName, ds.StudyDate = patient_id, name, study_date
    ds.Modality, ds.BodyPartExamined, ds.InstitutionName = "OT", "CHEST", institution
    ds.Rows = ds.Columns = size
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit, ds.SamplesPerPixel, ds.PixelRepresentation = 7, 1, 0
    ds.PhotometricInterpretation = "MONOCHROME2"
    rng = np.random.default_rng(seed)
    ds.PixelData = rng.integers(0, 255, size=(size, size), dtype=np.uint8).tobytes()
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


def with_unknown_vr(data: bytes, marker: bytes = b"Ashgrove") -> bytes:
    """``data`` with the VR of the element holding ``marker`` replaced by the unknown ``ZZ``
    (pydicom raises ``NotImplementedError`` when that element is first read)."""
    i = data.find(marker) - 8  # tag (4 bytes), VR (2), length (2), then the value
    assert i > 0, "marker not found in the DICOM bytes"
    return data[: i + 4] + b"ZZ" + data[i + 6:]
