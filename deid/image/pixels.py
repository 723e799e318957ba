"""Pixel access for redaction: frames as arrays, 8-bit renderings for OCR, box filling."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
from PIL import Image

from deid.image.types import Box


def frames_of(ds: Any) -> np.ndarray:
    """Decoded pixels as ``(frames, rows, columns[, samples])``.

    Colour is returned as RGB (pydicom converts YBR); PALETTE COLOR as palette indices.

    Raises
    ------
    ValueError
        When the pixel data cannot be decoded here (transfer syntax, truncation).
    """
    try:
        arr = ds.pixel_array
    except Exception as exc:  # noqa: BLE001 - pydicom raises many kinds; the caller quarantines
        raise ValueError(f"pixel data cannot be decoded ({exc.__class__.__name__})") from None
    frames = int(ds.get("NumberOfFrames") or 1)
    samples = int(ds.get("SamplesPerPixel") or 1)
    if frames == 1:
        arr = arr[np.newaxis, ...]
    expected = 4 if samples > 1 else 3
    if arr.ndim != expected:
        raise ValueError(f"pixel array has shape {arr.shape}, expected {expected} dimensions")
    return arr


def to_8bit(frame: np.ndarray, photometric: str = "MONOCHROME2", ds: Any = None) -> Image.Image:
    """An 8-bit greyscale or RGB rendering of one frame, for OCR (min-max windowing)."""
    if photometric == "PALETTE COLOR" and ds is not None:
        from pydicom.pixels import apply_color_lut

        frame = apply_color_lut(frame, ds)
        if frame.dtype != np.uint8:
            frame = (frame >> 8).astype(np.uint8) if frame.max() > 255 else frame.astype(np.uint8)
        return Image.fromarray(frame, mode="RGB")
    if frame.ndim == 3:
        if frame.dtype != np.uint8:
            frame = _stretch(frame)
        return Image.fromarray(frame[..., :3].astype(np.uint8), mode="RGB")
    out = _stretch(frame)
    if photometric == "MONOCHROME1":
        out = 255 - out
    return Image.fromarray(out, mode="L")


def _stretch(frame: np.ndarray) -> np.ndarray:
    f = frame.astype(np.float64)
    lo, hi = float(f.min()), float(f.max())
    if hi <= lo:
        return np.zeros(frame.shape, dtype=np.uint8)
    return ((f - lo) * (255.0 / (hi - lo))).round().astype(np.uint8)


def fill_value(frames: np.ndarray, photometric: str) -> int | float:
    """The value a blanked box gets: black as displayed (minimum; maximum for MONOCHROME1)."""
    if photometric == "MONOCHROME1":
        return frames.max()
    if photometric == "PALETTE COLOR":
        return 0
    return frames.min()


def fill_boxes(frames: np.ndarray, boxes: Iterable[Box], value: int | float,
               frame_indices: Iterable[int] | None = None) -> int:
    """Set every pixel inside each box to ``value`` (in place). Returns pixels changed."""
    height, width = frames.shape[1], frames.shape[2]
    indices = list(frame_indices) if frame_indices is not None else list(range(frames.shape[0]))
    changed = 0
    for box in boxes:
        b = box.clipped(width, height)
        if b is None:
            continue
        for i in indices:
            frames[i, b.top:b.top + b.height, b.left:b.left + b.width, ...] = value
        changed += b.width * b.height * len(indices)
    return changed


def store_frames(ds: Any, frames: np.ndarray, photometric: str) -> None:
    """Write modified frames back as native (uncompressed) Explicit VR Little Endian pixels."""
    from pydicom.uid import ExplicitVRLittleEndian

    arr = frames[0] if frames.shape[0] == 1 else frames
    if photometric.startswith("YBR") or (arr.ndim >= 3 and frames.ndim == 4 and photometric not in ("RGB",)):
        photometric = "RGB"  # pydicom decoded colour to RGB
    bits = int(ds.get("BitsStored") or arr.dtype.itemsize * 8)
    bits = min(bits, arr.dtype.itemsize * 8)
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.set_pixel_data(np.ascontiguousarray(arr), photometric, bits, generate_instance_uid=False)
    if "LossyImageCompression" in ds and str(ds.LossyImageCompression) == "01":
        pass  # the history of lossy compression stays recorded
