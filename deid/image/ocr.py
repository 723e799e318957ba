"""Burned-in text: Tesseract OCR through presidio-image-redactor, with the node's analyzer.

``presidio_image_redactor.ImageAnalyzerEngine`` runs Tesseract and maps the PHI spans the
analyzer finds in the OCR text back to word boxes. We always hand it the node's own,
configured ``AnalyzerEngine`` (``Deidentifier.analyzer``): it never builds a default one
(which would try to download spaCy's large model).

On top of the analyzer's findings, three rules make the OCR step robust to OCR noise:

- **known identifiers**: an OCR word equal to, or a truncation of (``PATIENTFI..``,
  ``CLEVELAN..``), a token of the patient's known identifiers (header and registry:
  names, MRN, birth date, institution) is redacted (``KNOWN_IDENTIFIER``);
- **numbers**: a word with 5 or more digits (IDs, dates, times, phone numbers) is
  redacted (``NUMBER``), as are date- and time-shaped words (``DATE``, ``TIME``);
- **lines**: when a line of text holds PHI, the whole line's box is redacted: banners
  put name, MRN, birth date and institution on one line, and OCR may split or garble
  their words.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np
from PIL import Image, ImageOps

from deid.image.types import Box

# Tesseract's OpenMP threads contend with the node's other work: one thread per call measured
# 3x faster on a loaded 2-core machine (bench/image_deid.py). An operator's setting wins.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

_DIGITS = re.compile(r"\d")
_DATE_LIKE = re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")
_TIME_LIKE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_WORD = re.compile(r"[A-Za-z0-9]+")
MIN_TOKEN = 3
MIN_PREFIX = 4


@dataclass(frozen=True)
class OcrFinding:
    """A box of burned-in text judged to be PHI, and why (entity type; never the text)."""

    box: Box
    entity_type: str


def _recording_ocr():
    from presidio_image_redactor import TesseractOCR

    class RecordingTesseractOCR(TesseractOCR):
        """Tesseract that keeps its last raw result (word boxes with line numbers)."""

        last: dict | None = None

        def perform_ocr(self, image: object, **kwargs) -> dict:
            self.last = super().perform_ocr(image, **kwargs)
            return self.last

    return RecordingTesseractOCR()


def identifier_tokens(values: Iterable[str]) -> frozenset[str]:
    """Upper-case alphanumeric tokens (3+ characters) of the known identifiers; dates also
    in their usual written forms (``19510829`` -> ``08/29/1951`` pieces)."""
    tokens: set[str] = set()
    for value in values:
        text = str(value)
        m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", text.strip())
        if m:
            y, mo, d = m.groups()
            tokens.update({y + mo + d, mo + d + y, d + mo + y, mo + "/" + d + "/" + y})
        for tok in _WORD.findall(text):
            if len(tok) >= MIN_TOKEN:
                tokens.add(tok.upper())
    return frozenset(tokens)


def _word_is_known(word: str, tokens: frozenset[str]) -> bool:
    for piece in _WORD.findall(word):
        up = piece.upper()
        if len(up) < MIN_TOKEN:
            continue
        if up in tokens:
            return True
        if len(up) >= MIN_PREFIX and any(t.startswith(up) or up.startswith(t) and len(t) >= MIN_PREFIX for t in tokens):
            return True
    return False


def rule_entity(word: str) -> str | None:
    """Entity type a word gets from the shape rules (dates, times, long numbers), if any."""
    if _DATE_LIKE.search(word):
        return "DATE"
    if _TIME_LIKE.search(word):
        return "TIME"
    if len(_DIGITS.findall(word)) >= 5:
        return "NUMBER"
    return None


class OcrScanner:
    """Find PHI burned into an image.

    Parameters
    ----------
    analyzer:
        The node's configured Presidio ``AnalyzerEngine`` (``Deidentifier.analyzer``).
    entities:
        Entity types to ask the analyzer for.
    language, score_threshold:
        Passed to the analyzer.
    min_confidence:
        Tesseract word confidence (0-100) below which a word is ignored.
    upscale_below:
        Images whose longer side is under this many pixels are upscaled 2x before OCR
        (Tesseract reads small UI fonts poorly).
    """

    def __init__(self, analyzer: Any, entities: Sequence[str], language: str = "en",
                 score_threshold: float = 0.0, min_confidence: float = 0.0, upscale_below: int = 512):
        from presidio_image_redactor import ImageAnalyzerEngine

        if analyzer is None:
            raise ValueError("OcrScanner needs the node's configured AnalyzerEngine (never a default one)")
        self._ocr = _recording_ocr()
        self.engine = ImageAnalyzerEngine(analyzer_engine=analyzer, ocr=self._ocr)
        self.entities = list(entities)
        self.language = language
        self.score_threshold = score_threshold
        self.min_confidence = min_confidence
        self.upscale_below = upscale_below

    def scan(self, image: Image.Image, known_identifiers: Iterable[str] = (), pad: int = 16) -> list[OcrFinding]:
        """PHI boxes in ``image`` (coordinates of ``image``)."""
        prepared, scale = self._prepare(image, pad)
        results = self.engine.analyze(prepared, ocr_kwargs={"ocr_threshold": self.min_confidence},
                                      language=self.language, entities=self.entities,
                                      score_threshold=self.score_threshold)
        ocr = self._ocr.last or {"text": []}
        tokens = identifier_tokens(known_identifiers)
        width, height = image.size
        findings: list[OcrFinding] = []
        flagged_lines: set[tuple[int, int, int]] = set()

        def to_image_box(left: float, top: float, w: float, h: float) -> Box | None:
            return Box(int(left / scale) - pad - 2, int(top / scale) - pad - 2,
                       int(np.ceil(w / scale)) + 4, int(np.ceil(h / scale)) + 4).clipped(width, height)

        for r in results:
            box = to_image_box(r.left, r.top, r.width, r.height)
            if box:
                findings.append(OcrFinding(box, r.entity_type))
                flagged_lines.update(self._lines_at(ocr, r.left, r.top))
        for i, word in enumerate(ocr.get("text", [])):
            word = str(word or "").strip()
            if not word or float(ocr["conf"][i]) < self.min_confidence:
                continue
            entity = "KNOWN_IDENTIFIER" if tokens and _word_is_known(word, tokens) else rule_entity(word)
            if entity:
                box = to_image_box(ocr["left"][i], ocr["top"][i], ocr["width"][i], ocr["height"][i])
                if box:
                    findings.append(OcrFinding(box, entity))
                    flagged_lines.add(self._line_key(ocr, i))
        findings.extend(self._line_boxes(ocr, flagged_lines, to_image_box))
        return findings

    # -- helpers --------------------------------------------------------------------------
    def _prepare(self, image: Image.Image, pad: int) -> tuple[Image.Image, float]:
        img = image.convert("L") if image.mode not in ("L", "RGB") else image
        corners = np.asarray(img.convert("L"))
        background = int(np.median(np.concatenate([corners[0], corners[-1]]))) if corners.size else 0
        fill = background if img.mode == "L" else (background,) * 3
        img = ImageOps.expand(img, border=pad, fill=fill)
        scale = 2.0 if max(image.size) < self.upscale_below else 1.0
        if scale != 1.0:
            img = img.resize((int(img.width * scale), int(img.height * scale)), Image.LANCZOS)
        return img, scale

    @staticmethod
    def _line_key(ocr: dict, i: int) -> tuple[int, int, int]:
        return (ocr["block_num"][i], ocr["par_num"][i], ocr["line_num"][i])

    def _lines_at(self, ocr: dict, left: float, top: float) -> list[tuple[int, int, int]]:
        return [self._line_key(ocr, i) for i in range(len(ocr.get("text", [])))
                if ocr["left"][i] == left and ocr["top"][i] == top]

    def _line_boxes(self, ocr: dict, lines: set[tuple[int, int, int]], to_image_box) -> list[OcrFinding]:
        out = []
        for key in lines:
            idx = [i for i in range(len(ocr["text"])) if self._line_key(ocr, i) == key and str(ocr["text"][i]).strip()]
            if not idx:
                continue
            x0 = min(ocr["left"][i] for i in idx)
            y0 = min(ocr["top"][i] for i in idx)
            x1 = max(ocr["left"][i] + ocr["width"][i] for i in idx)
            y1 = max(ocr["top"][i] + ocr["height"][i] for i in idx)
            box = to_image_box(x0, y0, x1 - x0, y1 - y0)
            if box:
                out.append(OcrFinding(box, "TEXT_LINE"))
        return out


def read_text(image: Image.Image, upscale_below: int = 512) -> str:
    """Plain OCR text of an image (for audits: what can still be read in stored pixels)."""
    import pytesseract

    img = ImageOps.expand(image.convert("L") if image.mode not in ("L", "RGB") else image, border=16,
                          fill=0 if image.mode == "L" else (0, 0, 0))
    if max(image.size) < upscale_below:
        img = img.resize((img.width * 2, img.height * 2), Image.LANCZOS)
    return pytesseract.image_to_string(img)
