"""One image in, de-identified out: DICOM (header + pixels) or PNG/JPEG (pixels).

Order of the pixel steps, each recorded as :class:`~deid.image.types.Redaction` entries
(box, reason, entity type; never the text):

1. ``ctp_rule``: rectangles of the RSNA CTP scanner-model rules matching the header;
2. ``us_outside_regions``: for ultrasound, everything outside SequenceOfUltrasoundRegions;
3. ``ocr``: burned-in text the OCR scanner judges to be PHI, over several renderings of the
   image (on up to ``max_ocr_frames`` frames of a multi-frame object: first, middle, last;
   boxes apply to every frame);
4. ``ocr_verify``: the redacted result is OCR'd again (other renderings) and whatever
   PHI-like text it still reads is redacted too, up to ``ocr_verify_rounds`` times (a second
   chance that costs a little time only where readable text is left).

The BurnedInAnnotation flag is never trusted: every image goes through the steps.
Pixels outside the boxes are unchanged; a DICOM whose pixels changed is written back
uncompressed (Explicit VR Little Endian). Then the header is de-identified
(:mod:`deid.image.header`) with the patient's pseudonym and date shift, the same as
their notes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np
from PIL import Image
from pydicom.dataset import Dataset

from deid.image import ctp_rules, us_regions
from deid.image.header import HeaderContext, HeaderDeidentifier, collect_identifiers
from deid.image.ocr import DEFAULT_RENDERINGS, VERIFY_RENDERINGS, OcrScanner, Rendering
from deid.image.pixels import fill_boxes, fill_value, frames_of, store_frames, to_8bit
from deid.image.types import Box, HeaderReport, Redaction
from deid.types import PatientContext


class ImageDecodeError(ValueError):
    """The image's pixels cannot be decoded here; the message says why (never the content)."""


@dataclass(frozen=True)
class ImageDeidConfig:
    """Switches of the image de-identification (``[images]`` in the node TOML)."""

    ocr: bool = True
    ctp_rules: bool = True
    us_regions: bool = True
    max_ocr_frames: int = 3
    ocr_min_confidence: float = 20.0
    ocr_renderings: tuple[str, ...] = tuple(str(r) for r in DEFAULT_RENDERINGS)  # "kind/psm", ocr.Rendering
    ocr_verify_renderings: tuple[str, ...] = tuple(str(r) for r in VERIFY_RENDERINGS)
    ocr_verify_rounds: int = 2  # re-OCR of the redacted result; 0 = no verification pass

    def __post_init__(self) -> None:
        for spec in (*self.ocr_renderings, *self.ocr_verify_renderings):
            Rendering.parse(spec)  # fail at start-up, naming the bad entry
        if not self.ocr_renderings:
            raise ValueError("ocr_renderings must name at least one rendering, e.g. ['original/3']")
        if self.ocr_verify_rounds < 0:
            raise ValueError("ocr_verify_rounds must be 0 or more")


@dataclass
class ImageDeidResult:
    """A de-identified image. ``dataset`` for DICOM input, ``picture`` for PNG/JPEG."""

    redactions: list[Redaction] = field(default_factory=list)
    header: HeaderReport | None = None
    dataset: Dataset | None = None
    picture: Image.Image | None = None
    has_pixels: bool = True
    date_shift_days: int = 0

    @property
    def boxes_redacted(self) -> int:
        return len(self.redactions)

    def provenance(self) -> dict[str, Any]:
        """What was done, for the stored record (boxes, reasons, entity types, header counts)."""
        return {"redactions": [r.to_dict() for r in self.redactions],
                "header": self.header.to_dict() if self.header else None,
                "date_shift_days": self.date_shift_days}

    def dicom_bytes(self) -> bytes:
        if self.dataset is None:
            raise ValueError("not a DICOM result")
        buf = io.BytesIO()
        self.dataset.save_as(buf, enforce_file_format=True)
        return buf.getvalue()

    def png_bytes(self) -> bytes:
        """The de-identified pixels (first frame for DICOM) as an 8-bit PNG."""
        buf = io.BytesIO()
        preview_image(self).save(buf, format="PNG", optimize=False)
        return buf.getvalue()


def preview_image(result: ImageDeidResult, frame: int = 0) -> Image.Image:
    """An 8-bit rendering of the de-identified pixels (for thumbnails and audits)."""
    if result.picture is not None:
        return result.picture
    if result.dataset is None or not result.has_pixels:
        raise ValueError("this image has no pixels")
    ds = result.dataset
    frames = frames_of(ds)
    return to_8bit(frames[min(frame, frames.shape[0] - 1)], str(ds.get("PhotometricInterpretation", "MONOCHROME2")), ds)


class ImageDeidentifier:
    """De-identifies images with the node's text de-identifier and site secret.

    Parameters
    ----------
    text_deid:
        The node's :class:`deid.pipeline.Deidentifier`: its analyzer reads OCR text, its
        ``pseudonym`` and ``date_shift_days`` key the header.
    site_secret:
        Keys the UID remapping.
    config:
        Which pixel steps run.
    """

    def __init__(self, text_deid: Any, site_secret: bytes, config: ImageDeidConfig | None = None):
        if not site_secret:
            raise ValueError("site_secret must be non-empty bytes")
        self.text_deid = text_deid
        self.config = config or ImageDeidConfig()
        self._secret = bytes(site_secret)
        self.header = HeaderDeidentifier()
        self._scanner: OcrScanner | None = None

    @property
    def scanner(self) -> OcrScanner:
        if self._scanner is None:
            cfg = self.text_deid.config
            analyzer = self.text_deid.ocr_analyzer() if hasattr(self.text_deid, "ocr_analyzer") else self.text_deid.analyzer
            self._scanner = OcrScanner(analyzer,
                                       analyzer.get_supported_entities(cfg.language),
                                       language=cfg.language, score_threshold=cfg.score_threshold,
                                       min_confidence=self.config.ocr_min_confidence,
                                       renderings=[Rendering.parse(r) for r in self.config.ocr_renderings])
        return self._scanner

    def _ocr_redactions(self, frames: np.ndarray, picks: list[int], render, identifiers: Iterable[str],
                        value: int | float) -> list[Redaction]:
        """OCR ``picks`` frames, blank PHI boxes in every frame (in place), then verify.

        ``render(i)`` is the 8-bit image of frame ``i`` as it is now. Verification OCRs the
        redacted frames with the verify renderings (and the first-pass ones after a round
        that still found text), until a round finds nothing new or ``ocr_verify_rounds``.
        """
        identifiers = tuple(identifiers)
        redactions: list[Redaction] = []
        verify = [Rendering.parse(r) for r in self.config.ocr_verify_renderings] or list(self.scanner.renderings)
        for round_no in range(1 + self.config.ocr_verify_rounds):
            renderings = None if round_no == 0 else verify if round_no == 1 else [*verify, *self.scanner.renderings]
            found: dict[Box, str] = {}  # one redaction per box: the first (most specific) entity type
            done = [r.box for r in redactions]
            for i in picks:
                for f in self.scanner.scan(render(i), identifiers, renderings, redacted=done):
                    if f.box not in found and not _already_blank(frames, f.box, value):
                        found[f.box] = f.entity_type
            if not found:
                break
            new = [Redaction(box, "ocr" if round_no == 0 else "ocr_verify", entity) for box, entity in found.items()]
            fill_boxes(frames, [r.box for r in new], value)
            redactions += new
        return redactions

    # ------------------------------------------------------------------ DICOM
    def deidentify_dicom(self, ds: Dataset, patient: PatientContext | None = None) -> ImageDeidResult:
        """De-identify a DICOM dataset in place (pixels, then header).

        Parameters
        ----------
        ds:
            The dataset as read (it is modified).
        patient:
            The registered patient (its ``patient_key`` keys pseudonym and date shift; its
            known identifiers are redacted wherever they appear). Without it the header's
            Patient ID is the key (manual checks).

        Raises
        ------
        ImageDecodeError
            When the pixel data cannot be decoded.
        """
        key = patient.patient_key if patient else str(ds.get("PatientID") or "unknown")
        known = tuple(v for vals in (patient.known_identifiers.values() if patient else ()) for v in vals)
        identifiers = tuple(set(collect_identifiers(ds)) | set(known))
        result = ImageDeidResult(dataset=ds, has_pixels="PixelData" in ds)
        if result.has_pixels:
            result.redactions = self._clean_dicom_pixels(ds, identifiers)
        ctx = HeaderContext(pseudonym=self.text_deid.pseudonym(key), date_shift_days=self.text_deid.date_shift_days(key),
                            uid_key=self._secret, known_identifiers=identifiers)
        result.header = self.header.deidentify(ds, ctx, pixels_cleaned=result.has_pixels)
        result.date_shift_days = ctx.date_shift_days
        return result

    def _clean_dicom_pixels(self, ds: Dataset, identifiers: tuple[str, ...]) -> list[Redaction]:
        try:
            frames = frames_of(ds).copy()
        except ValueError as exc:
            raise ImageDecodeError(str(exc)) from None
        photometric = str(ds.get("PhotometricInterpretation", "MONOCHROME2"))
        n, height, width = frames.shape[0], frames.shape[1], frames.shape[2]
        redactions: list[Redaction] = []
        if self.config.ctp_rules:
            redactions += [Redaction(b, "ctp_rule") for box in ctp_rules.matching_boxes(ds)
                           if (b := box.clipped(width, height))]
        if self.config.us_regions and us_regions.is_ultrasound(ds):
            outside = us_regions.outside_boxes(us_regions.region_boxes(ds), width, height)
            redactions += [Redaction(b, "us_outside_regions") for b in outside]
        value = fill_value(frames, photometric)
        fill_boxes(frames, [r.box for r in redactions], value)
        if self.config.ocr:
            picks = _frame_picks(n, self.config.max_ocr_frames)
            redactions += self._ocr_redactions(frames, picks, lambda i: to_8bit(frames[i], photometric, ds),
                                               identifiers, value)
        if redactions:
            store_frames(ds, frames, photometric)
        return redactions

    # ------------------------------------------------------------------ PNG / JPEG
    def deidentify_picture(self, image: Image.Image, patient: PatientContext | None = None) -> ImageDeidResult:
        """De-identify a plain picture (PNG/JPEG): OCR redaction only (it has no header).

        The output is a new 8-bit image (greyscale or RGB); metadata chunks (EXIF, text)
        are not carried over.
        """
        known = tuple(v for vals in (patient.known_identifiers.values() if patient else ()) for v in vals)
        img = image.convert("RGB") if image.mode not in ("L", "RGB") else image.copy()
        arr = np.asarray(img).copy()
        redactions: list[Redaction] = []
        if self.config.ocr:
            frames = arr[np.newaxis, ...]
            redactions = self._ocr_redactions(frames, [0], lambda i: Image.fromarray(frames[i]), known, 0)
            arr = frames[0]
        key = patient.patient_key if patient else "unknown"
        return ImageDeidResult(redactions=_dedupe(redactions), picture=Image.fromarray(arr),
                               date_shift_days=self.text_deid.date_shift_days(key))


def _frame_picks(n: int, limit: int) -> list[int]:
    picks = sorted({0, n // 2, n - 1}) if n > 1 else [0]
    return picks[:max(1, limit)]


def _already_blank(frames: np.ndarray, box: Box, value: int | float) -> bool:
    """Whether ``box`` is already filled with ``value`` in every frame (nothing left to redact)."""
    b = box.clipped(frames.shape[2], frames.shape[1])
    return b is None or bool((frames[:, b.top:b.top + b.height, b.left:b.left + b.width, ...] == value).all())


def _dedupe(redactions: Iterable[Redaction]) -> list[Redaction]:
    seen, out = set(), []
    for r in redactions:
        key = (r.box, r.reason)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
