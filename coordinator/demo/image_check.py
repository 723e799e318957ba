"""The planted-image-PHI check: no value planted in a simulated image reached the node.

For each image of the manifest, the stored record made from it is found (by the same
keyed id the node computes), and its planted values (header, banner and report) are
looked for in:

- the record itself (every string: FHIR resources, caption, labels, provenance);
- every text attribute of the stored, de-identified DICOM (read back from the blob store);
- the OCR text of the stored pixels (Tesseract, two page segmentations), when ``ocr`` is on.

Values that identify on their own (names, MRNs, institution, accession numbers) are also
looked for in every record of every collection and in the node's logs.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from coordinator.demo.manifest import Manifest
from coordinator.demo.phi_check import Leak, _strings
from node.images.blobs import BlobStore
from node.images.build import image_id
from node.images.pipeline import IMAGE_FOLDER, IMAGES
from node.images.readers import RawImage, read_images_folder
from node.store import NodeStore

STOREWIDE_TYPES = frozenset({"PATIENT", "MRN", "HOSPITAL", "ID"})
MIN_STOREWIDE_LEN = 4


@dataclass
class ImageCheck:
    """Result of the planted-image-PHI check (counts; leaks never repeat the value)."""

    images_in_manifest: int = 0
    images_checked: int = 0
    values_checked: int = 0
    ocr_images: int = 0
    leaks: list[Leak] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.leaks and self.images_checked == self.images_in_manifest


def _pattern(value: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in value.split()]
    return re.compile(r"(?<![A-Za-z0-9])" + r"\s+".join(words) + r"(?![A-Za-z0-9])", re.IGNORECASE)


def dicom_text(data: bytes) -> str:
    """Every text value of a stored DICOM (file meta and nested sequences included)."""
    import pydicom

    ds = pydicom.dcmread(io.BytesIO(data), force=True)
    parts = [str(e.value) for e in ds.iterall() if e.VR not in ("OB", "OW", "OF", "OD", "UN", "SQ")]
    parts += [str(e.value) for e in ds.file_meta]
    return "\n".join(parts)


CHECK_PSMS = (3, 11)  # Tesseract page segmentation: automatic layout, and sparse text (finds stray lines)


def pixels_text(data: bytes, content_type: str) -> str:
    """OCR text of stored pixels (DICOM first frame, or PNG), one reading per ``CHECK_PSMS`` mode.

    Two page segmentations read more than either alone: automatic layout can take a banner
    over a busy scan for picture, sparse text finds it.
    """
    from PIL import Image

    from deid.image.ocr import read_text

    if content_type == "application/dicom":
        import pydicom

        from deid.image.pixels import frames_of, to_8bit

        ds = pydicom.dcmread(io.BytesIO(data), force=True)
        frames = frames_of(ds)
        images = [to_8bit(f, str(ds.get("PhotometricInterpretation", "MONOCHROME2")), ds) for f in frames[:1]]
    else:
        images = [Image.open(io.BytesIO(data))]
    return "\n".join(read_text(img, psm=psm) for img in images for psm in CHECK_PSMS)


def check_planted_images(manifest: Manifest, export_dir: Path, store: NodeStore, blobs: BlobStore, secret: bytes,
                         site_id: str, log_paths: Iterable[Path] = (), ocr: bool = True) -> ImageCheck:
    """Look for every planted image value in what the node stored (see module docstring).

    Parameters
    ----------
    manifest, export_dir:
        The simulated hospital's ground truth and export.
    store, blobs, secret, site_id:
        The node's store, blob store, site secret and id (to find each image's record).
    log_paths:
        The node's log files.
    ocr:
        Also OCR the stored pixels (slow: two Tesseract readings, about a second or two an image).
    """
    result = ImageCheck(images_in_manifest=len(manifest.images))
    raw_by_source: dict[str, RawImage] = {
        f"{IMAGE_FOLDER}/{item.source}": item
        for item in read_images_folder(Path(export_dir) / IMAGE_FOLDER, 10**10) if isinstance(item, RawImage)}
    storewide: dict[str, str] = {}
    images = store.collection(IMAGES)
    for truth in manifest.images:
        raw = raw_by_source.get(truth.source)
        record = images.find_one({"_id": image_id(secret, site_id, raw.content_hash)}) if raw else None
        for planted in truth.planted:
            if planted.type in STOREWIDE_TYPES and len(planted.value) >= MIN_STOREWIDE_LEN:
                storewide[planted.value] = planted.type
        if record is None:
            continue
        result.images_checked += 1
        where = f"images/{record['_id']}"
        texts = {"record": "\n".join(_strings(record))}
        pixels = record["pixels"]
        data = blobs.get(pixels["blob"])
        if pixels["content_type"] == "application/dicom":
            texts["dicom header"] = dicom_text(data)
        if ocr:
            texts["pixels (OCR)"] = pixels_text(data, pixels["content_type"])
            result.ocr_images += 1
        for planted in truth.planted:
            result.values_checked += 1
            pattern = _pattern(planted.value)
            result.leaks.extend(Leak(f"{where} {part}", planted.type, len(planted.value))
                                for part, text in texts.items() if pattern.search(text))
    everywhere = [(f"{name}/{rec.get('_id')}", "\n".join(_strings(rec))) for name, rec in store.all_records()]
    everywhere += [(f"log {p.name}", p.read_text(encoding="utf-8", errors="replace")) for p in log_paths if p.exists()]
    for value, phi_type in storewide.items():
        pattern = _pattern(value)
        result.leaks.extend(Leak(where, phi_type, len(value)) for where, blob in everywhere if pattern.search(blob))
    return result
