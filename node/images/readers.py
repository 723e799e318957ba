"""Read an export's ``images/`` folder: DICOM files and PNG/JPEG pictures with sidecars.

Format (``node/ingest/FORMATS.md``, "Images"): every file under ``images/`` (sub-folders
too) except ``*.json`` sidecars. ``<name>.dcm`` (or any file with the DICOM ``DICM``
preamble) is DICOM; ``.png``/``.jpg``/``.jpeg`` is a picture. ``<name>.json`` beside a
file is its sidecar: ``{"mrn", "date", "caption" | "report", "modality", "body_part",
"view"}``; pictures need one (``mrn`` and ``date``), DICOM may use it to add a report or
override the header's Patient ID / Study Date.

Everything here holds raw PHI in memory only; a :class:`~node.ingest.records.BadInput`
names the file by its label (``images/#<n>.dcm``, never its name) and says what is wrong,
never quoting the content. Files are opened through :class:`~node.ingest.files.ExportFiles`:
never outside the export, never a FIFO or device.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from node.ingest.files import ExportFiles, UnsafeInput
from node.ingest.jsonsafe import JsonProblem, loads_object
from node.ingest.records import BadInput, BadKind, InputRef, parse_note_date, unexpected

DICOM_SUFFIXES = frozenset({".dcm", ".dicom", ".dic"})
PICTURE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg"})
FOLDER_LABEL = "images"
MAX_SIDECAR_BYTES = 1_000_000
#: Sidecar keys read by the node; each must be a string (``mrn`` may be a number) or absent.
SIDECAR_KEYS = ("mrn", "date", "report", "caption", "modality", "body_part", "body_region", "view", "plane")


class ImageReadError(ValueError):
    """The file is not a readable image; ``kind`` says which quarantine kind applies.

    The message (``problem``) says what is wrong, never naming the file or quoting it.
    """

    def __init__(self, kind: BadKind, problem: str):
        super().__init__(problem)
        self.kind = kind
        self.problem = problem


@dataclass(frozen=True)
class RawImage:
    """One image file as read, with its sidecar (raw PHI: memory only)."""

    source: str  # path relative to the images folder: memory only (may hold PHI); demo checks match on it
    kind: str  # "dicom" or "picture"
    raw: bytes = field(repr=False)
    sidecar: dict[str, Any] = field(default_factory=dict, repr=False)
    sidecar_raw: bytes = field(default=b"", repr=False)
    ref: InputRef = InputRef("image")  # what logs, quarantine records and output show

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


def _check_sidecar(sidecar: dict[str, Any]) -> str | None:
    """What is wrong with a sidecar's fields (``None``: nothing)."""
    for key in SIDECAR_KEYS:
        value = sidecar.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int)) or (key != "mrn" and not isinstance(value, str)):
            return f'"{key}" is not a string'
    return None


def read_images_folder(folder: Path, max_bytes: int, files: ExportFiles | None = None) -> Iterator[RawImage | BadInput]:
    """Yield each image of ``folder`` (sorted by path) or the reason it cannot be used.

    ``files`` is the export's :class:`~node.ingest.files.ExportFiles` (default: ``folder``'s
    parent, unkeyed names). Outside memory an image is named ``images/#<n>.<ext>``.
    """
    files = files or ExportFiles.of(Path(folder).parent)
    problem = files.folder_problem(folder, FOLDER_LABEL, "images")
    if problem is not None:
        yield problem
        return
    accept = lambda name: not (name.lower().endswith(".json") or name.startswith("."))  # noqa: E731
    for i, path in enumerate(files.walk(folder, accept), start=1):
        ref = files.ordinal_ref(FOLDER_LABEL, i, path)
        try:
            item = _read_image(path, Path(folder), files, ref, max_bytes)
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
            item = unexpected(ref, exc)
        if item is not None:
            yield item


def _read_image(path: Path, folder: Path, files: ExportFiles, ref: InputRef, max_bytes: int) -> RawImage | BadInput | None:
    try:
        if files.check(path) == "dir":
            return None if os.path.islink(path) else BadInput(ref, BadKind.UNREADABLE, "a folder the node cannot list")
        raw = files.read_bytes(path, max_bytes, "[images] max_image_bytes")
    except UnsafeInput as exc:
        return BadInput(ref, exc.kind, exc.problem)
    source = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(folder))).as_posix()
    suffix = path.suffix.lower()
    if suffix in PICTURE_SUFFIXES:
        kind = "picture"
    elif suffix in DICOM_SUFFIXES or _is_dicom(raw):
        kind = "dicom"
    else:
        return BadInput(ref, BadKind.UNSUPPORTED_IMAGE,
                        "not a DICOM, PNG or JPEG file (by name and content); export images as .dcm/.png/.jpg", raw)
    sidecar_path = path.with_suffix(".json")
    sidecar, sidecar_raw = {}, b""
    if files.exists(sidecar_path):
        try:
            sidecar_raw = files.read_bytes(sidecar_path, MAX_SIDECAR_BYTES, "sidecar limit")
        except UnsafeInput as exc:
            return BadInput(ref, exc.kind, f"its .json sidecar: {exc.problem}", raw)
        try:
            sidecar = loads_object(sidecar_raw)
        except JsonProblem as exc:
            return BadInput(ref, BadKind.MALFORMED_JSON, f"its .json sidecar {exc}", raw + b"\x1f" + sidecar_raw)
        problem = _check_sidecar(sidecar)
        if problem:
            return BadInput(ref, BadKind.MALFORMED_JSON, f"its .json sidecar's {problem}", raw + b"\x1f" + sidecar_raw)
    if kind == "picture" and not (sidecar.get("mrn") and sidecar.get("date")):
        return BadInput(ref, BadKind.MISSING_FIELD, 'a PNG/JPEG needs a .json sidecar (same name) with "mrn" and "date"',
                        raw + b"\x1f" + sidecar_raw)
    return RawImage(source, kind, raw, sidecar, sidecar_raw, ref)


def open_dicom(image: RawImage):
    """Parse a DICOM file (``ImageReadError`` when it is not readable)."""
    import pydicom

    try:
        ds = pydicom.dcmread(io.BytesIO(image.raw), force=not _is_dicom(image.raw))
        ds.get("PatientID")  # touch the header: a garbage file read with force fails here
        _ = ds.file_meta.get("TransferSyntaxUID") if hasattr(ds, "file_meta") else None
        meta = getattr(ds, "file_meta", None)
        for _elem in (*ds.iterall(), *(meta.iterall() if meta is not None else ())):
            pass  # parse every element now (pydicom is lazy): an unknown VR raises NotImplementedError
            #       here, not in the middle of de-identification
    except Exception as exc:  # noqa: BLE001 - any parse failure means the file is corrupt
        raise ImageReadError(BadKind.CORRUPT_IMAGE,
                             f"not a readable DICOM file ({exc.__class__.__name__}); re-export it") from None
    if "SOPClassUID" not in ds and "PixelData" not in ds:
        raise ImageReadError(BadKind.CORRUPT_IMAGE, "no DICOM header (no SOP Class UID, no pixels); re-export it")
    if "PixelData" not in ds:
        raise ImageReadError(BadKind.UNSUPPORTED_IMAGE,
                             "a DICOM object without pixel data (SR, RT structure, waveform...); only images are ingested")
    if getattr(ds, "file_meta", None) is None or "TransferSyntaxUID" not in ds.file_meta:
        from pydicom.dataset import FileMetaDataset
        from pydicom.uid import ImplicitVRLittleEndian

        ds.file_meta = ds.file_meta if getattr(ds, "file_meta", None) is not None else FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
    return ds


def open_picture(image: RawImage):
    """Decode a PNG/JPEG fully (``ImageReadError`` when corrupt or truncated)."""
    from PIL import Image

    try:
        img = Image.open(io.BytesIO(image.raw))
        img.load()
    except Exception as exc:  # noqa: BLE001 - UnidentifiedImageError, DecompressionBombError, OSError...
        raise ImageReadError(BadKind.CORRUPT_IMAGE,
                             f"not a readable PNG/JPEG (corrupt, truncated or too large: {exc.__class__.__name__})") from None
    return img
