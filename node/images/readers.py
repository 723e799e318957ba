"""Read an export's ``images/`` folder: DICOM files and PNG/JPEG pictures with sidecars.

Format (``node/ingest/FORMATS.md``, "Images"): every file under ``images/`` (sub-folders
too) except ``*.json`` sidecars. ``<name>.dcm`` (or any file with the DICOM ``DICM``
preamble) is DICOM; ``.png``/``.jpg``/``.jpeg`` is a picture. ``<name>.json`` beside a
file is its sidecar: ``{"mrn", "date", "caption" | "report", "modality", "body_part",
"view"}``; pictures need one (``mrn`` and ``date``), DICOM may use it to add a report or
override the header's Patient ID / Study Date.

Everything here holds raw PHI in memory only; a :class:`~node.ingest.records.BadInput`
reason names the file and the problem, never the content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from node.ingest.records import BadInput, BadKind, parse_note_date

DICOM_SUFFIXES = frozenset({".dcm", ".dicom", ".dic"})
PICTURE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg"})


class ImageReadError(ValueError):
    """The file is not a readable image; ``kind`` says which quarantine kind applies."""

    def __init__(self, kind: BadKind, reason: str):
        super().__init__(reason)
        self.kind = kind


@dataclass(frozen=True)
class RawImage:
    """One image file as read, with its sidecar (raw PHI: memory only)."""

    source: str  # path relative to the images folder
    kind: str  # "dicom" or "picture"
    raw: bytes = field(repr=False)
    sidecar: dict[str, Any] = field(default_factory=dict, repr=False)
    sidecar_raw: bytes = field(default=b"", repr=False)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the file and its sidecar: the same input gives the same hash."""
        return hashlib.sha256(self.raw + b"\x1f" + self.sidecar_raw).hexdigest()

    @property
    def caption(self) -> str:
        return str(self.sidecar.get("report") or self.sidecar.get("caption") or "")

    @property
    def patient_ref(self) -> str:
        return str(self.sidecar.get("mrn") or "").strip()

    def sidecar_date(self) -> dt.datetime | None:
        value = self.sidecar.get("date")
        return parse_note_date(str(value)) if value else None


def _is_dicom(raw: bytes) -> bool:
    return len(raw) >= 132 and raw[128:132] == b"DICM"


def read_images_folder(folder: Path, max_bytes: int) -> Iterator[RawImage | BadInput]:
    """Yield each image of ``folder`` (sorted by path) or the reason it cannot be used."""
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        if path.suffix.lower() == ".json" or path.name.startswith("."):
            continue
        source = path.relative_to(folder).as_posix()
        size = path.stat().st_size
        if size > max_bytes:
            yield BadInput(source, BadKind.OVERSIZED, f"{source}: {size} bytes, over the {max_bytes}-byte image limit "
                           "([images] max_image_bytes)", b"")
            continue
        raw = path.read_bytes()
        suffix = path.suffix.lower()
        if suffix in PICTURE_SUFFIXES:
            kind = "picture"
        elif suffix in DICOM_SUFFIXES or _is_dicom(raw):
            kind = "dicom"
        else:
            yield BadInput(source, BadKind.UNSUPPORTED_IMAGE,
                           f"{source}: not a DICOM, PNG or JPEG file (by name and content); export images as .dcm/.png/.jpg", raw)
            continue
        sidecar_path = path.with_suffix(".json")
        sidecar, sidecar_raw = {}, b""
        if sidecar_path.exists():
            sidecar_raw = sidecar_path.read_bytes()
            try:
                sidecar = json.loads(sidecar_raw.decode("utf-8"))
                if not isinstance(sidecar, dict):
                    raise ValueError("not an object")
            except (UnicodeDecodeError, ValueError) as exc:
                yield BadInput(source, BadKind.MALFORMED_JSON,
                               f"{source}: its sidecar {sidecar_path.name} is not a UTF-8 JSON object ({exc.__class__.__name__})",
                               raw + b"\x1f" + sidecar_raw)
                continue
        if kind == "picture" and not (sidecar.get("mrn") and sidecar.get("date")):
            yield BadInput(source, BadKind.MISSING_FIELD,
                           f"{source}: a PNG/JPEG needs a sidecar {path.stem}.json with \"mrn\" and \"date\"",
                           raw + b"\x1f" + sidecar_raw)
            continue
        yield RawImage(source, kind, raw, sidecar, sidecar_raw)


def open_dicom(image: RawImage):
    """Parse a DICOM file (``ImageReadError`` when it is not readable)."""
    import pydicom
    from pydicom.errors import InvalidDicomError

    try:
        ds = pydicom.dcmread(io.BytesIO(image.raw), force=not _is_dicom(image.raw))
        ds.get("PatientID")  # touch the header: a garbage file read with force fails here
        _ = ds.file_meta.get("TransferSyntaxUID") if hasattr(ds, "file_meta") else None
    except (InvalidDicomError, EOFError, OSError, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise ImageReadError(BadKind.CORRUPT_IMAGE,
                             f"{image.source}: not a readable DICOM file ({exc.__class__.__name__}); re-export it") from None
    if "SOPClassUID" not in ds and "PixelData" not in ds:
        raise ImageReadError(BadKind.CORRUPT_IMAGE, f"{image.source}: no DICOM header (no SOP Class UID, no pixels); re-export it")
    if "PixelData" not in ds:
        raise ImageReadError(BadKind.UNSUPPORTED_IMAGE,
                             f"{image.source}: a DICOM object without pixel data (SR, RT structure, waveform...); "
                             "only images are ingested")
    if getattr(ds, "file_meta", None) is None or "TransferSyntaxUID" not in ds.file_meta:
        from pydicom.dataset import FileMetaDataset
        from pydicom.uid import ImplicitVRLittleEndian

        ds.file_meta = ds.file_meta if getattr(ds, "file_meta", None) is not None else FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
    return ds


def open_picture(image: RawImage):
    """Decode a PNG/JPEG fully (``ImageReadError`` when corrupt or truncated)."""
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(image.raw))
        img.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageReadError(BadKind.CORRUPT_IMAGE,
                             f"{image.source}: not a readable PNG/JPEG (corrupt or truncated: {exc.__class__.__name__})") from None
    return img
