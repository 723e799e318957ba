"""Burned-in text: Tesseract OCR through presidio-image-redactor, with the node's analyzer.

One OCR pass can miss a whole banner: Tesseract's page segmentation may decide that a
strip of text on a busy scan is "picture" (white on black next to bright anatomy, a grey
padding border, a second line under a first). So the scanner never relies on one
reading. It OCRs several **renderings** of the image (:class:`Rendering`: original,
inverted, contrast-stretched, upscaled; each with a Tesseract page-segmentation mode),
concurrently, and takes the union of what they find.

PHI in the OCR text of each rendering is judged by:

- the **analyzer**: the node's own, configured Presidio ``AnalyzerEngine``
  (``Deidentifier.analyzer``), mapped back to word boxes by
  ``presidio_image_redactor.ImageAnalyzerEngine``; it never builds a default one (which
  would try to download spaCy's large model);
- **known identifiers**: an OCR word equal to, or a truncation of (``PATIENTFI..``,
  ``CLEVELAN..``), a token of the patient's known identifiers (header and registry:
  names, MRN, birth date, institution) is redacted (``KNOWN_IDENTIFIER``);
- **shapes**: a word with 5 or more digits (IDs, dates, times, phone numbers) is
  redacted (``NUMBER``), as are date- and time-shaped words (``DATE``, ``TIME``).

Then **whole text lines** are redacted (``TEXT_LINE``): the words of all renderings are
grouped geometrically into runs of text on one row (not by Tesseract's own line numbers,
which differ per rendering); a run that holds PHI is blanked from end to end, since
banners put name, MRN, birth date and institution on one line and OCR may garble or split
any of its words.

The engine (:mod:`deid.image.engine`) also re-OCRs the redacted result
(:data:`VERIFY_RENDERINGS`) and redacts anything PHI-like it still reads.
"""

from __future__ import annotations

import functools
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np
from PIL import Image, ImageOps

from deid.image.types import Box


def _one_tesseract_thread(func):
    """Run ``func`` with ``OMP_THREAD_LIMIT=1`` for the Tesseract processes it starts.

    Tesseract's OpenMP threads contend with the node's other work: one thread per call measured
    3x faster on a loaded 2-core machine (bench/image_deid.py); renderings run as parallel
    Tesseract processes instead (``OcrScanner.workers``). Scoped to OCR calls on purpose: set
    process-wide, the limit reaches torch, whose CPU kernels then return NaN when torch runs
    more threads than OpenMP allows (seen in federated training started after image ingest).
    An operator's own setting wins.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if "OMP_THREAD_LIMIT" in os.environ:
            return func(*args, **kwargs)
        os.environ["OMP_THREAD_LIMIT"] = "1"
        try:
            return func(*args, **kwargs)
        finally:
            os.environ.pop("OMP_THREAD_LIMIT", None)

    return wrapper


_DIGITS = re.compile(r"\d")
_DATE_LIKE = re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")
_TIME_LIKE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_WORD = re.compile(r"[A-Za-z0-9]+")
_ALNUM = re.compile(r"[A-Za-z0-9]")
MIN_TOKEN = 3
MIN_PREFIX = 4
PAD = 16


@dataclass(frozen=True)
class Rendering:
    """One way of showing an image to Tesseract.

    Parameters
    ----------
    kind:
        ``original`` (as rendered, black border), ``inverted`` (dark text on light ground:
        what Tesseract is trained on), ``stretched`` (1st-99th percentile contrast stretch:
        faint text), ``upscaled`` (2x: small fonts).
    psm:
        Tesseract page-segmentation mode: 3 = automatic layout, 11 = sparse text (finds
        scattered text anywhere, does not need a "text block"), 6 = one uniform block.
    """

    kind: str = "original"
    psm: int = 3

    @classmethod
    def parse(cls, spec: str) -> "Rendering":
        """``"inverted/11"`` -> ``Rendering("inverted", 11)``; ``"original"`` -> psm 3."""
        kind, _, psm = spec.partition("/")
        rendering = cls(kind.strip(), int(psm) if psm.strip() else 3)
        if rendering.kind not in RENDERING_KINDS:
            raise ValueError(f"unknown OCR rendering {spec!r}: use one of {sorted(RENDERING_KINDS)}, "
                             "optionally with /<tesseract psm>, e.g. 'inverted/11'")
        if rendering.psm not in (1, 3, 4, 6, 11, 12):
            raise ValueError(f"OCR rendering {spec!r}: page-segmentation mode must be one of 1, 3, 4, 6, 11, 12")
        return rendering

    def __str__(self) -> str:
        return f"{self.kind}/{self.psm}"


# First pass: two polarities, two segmentations. Verification pass (on the redacted result):
# a third rendering and segmentation, so a banner all first readings missed gets another chance.
DEFAULT_RENDERINGS: tuple[Rendering, ...] = (Rendering("original", 3), Rendering("inverted", 11))
VERIFY_RENDERINGS: tuple[Rendering, ...] = (Rendering("stretched", 11),)


@dataclass(frozen=True)
class OcrFinding:
    """A box of burned-in text judged to be PHI, and why (entity type; never the text)."""

    box: Box
    entity_type: str


def _grey(image: Image.Image) -> Image.Image:
    return image if image.mode == "L" else image.convert("L")


def _stretched(image: Image.Image) -> Image.Image:
    arr = np.asarray(_grey(image), dtype=np.float32)
    lo, hi = np.percentile(arr, (1, 99)) if arr.size else (0.0, 255.0)
    if hi <= lo:
        return _grey(image)
    return Image.fromarray(np.clip((arr - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8), mode="L")


RENDERING_KINDS = frozenset({"original", "inverted", "stretched", "upscaled"})


def render(image: Image.Image, rendering: Rendering, upscale_below: int = 512,
           pad: int = PAD) -> tuple[Image.Image, float]:
    """The image as Tesseract sees it for ``rendering``, and its scale factor.

    A ``pad``-pixel border in the ground colour (black; white when inverted) lets text that
    touches the edge be read; images whose longer side is under ``upscale_below`` pixels
    (and every ``upscaled`` rendering) are enlarged 2x (Tesseract reads small UI fonts
    poorly). Image coordinates are ``rendered / scale - pad``.
    """
    img = image.convert("RGB") if image.mode not in ("L", "RGB") else image
    fill: Any = 0
    if rendering.kind == "inverted":
        img, fill = ImageOps.invert(_grey(img)), 255
    elif rendering.kind == "stretched":
        img = _stretched(img)
    if img.mode == "RGB":
        fill = (fill,) * 3
    img = ImageOps.expand(img, border=pad, fill=fill)
    scale = 2.0 if rendering.kind == "upscaled" or max(image.size) < upscale_below else 1.0
    if scale != 1.0:
        img = img.resize((int(img.width * scale), int(img.height * scale)), Image.LANCZOS)
    return img, scale


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


def _same_run(a: Box, b: Box) -> bool:
    """Whether two word boxes belong to one run of text on a row: similar heights, centres
    on one row, at most two heights apart (a banner's fields are a few spaces apart)."""
    ha, hb = a.height, b.height
    if min(ha, hb) <= 0 or max(ha, hb) > 3 * min(ha, hb):
        return False
    if abs((a.top + ha / 2) - (b.top + hb / 2)) > 0.5 * min(ha, hb):
        return False
    gap = max(a.left, b.left) - min(a.left + a.width, b.left + b.width)
    return gap <= 2.0 * min(ha, hb)


def text_runs(boxes: Sequence[Box]) -> list[list[int]]:
    """Indices of ``boxes`` grouped into runs of text on one row (union-find on neighbours)."""
    parent = list(range(len(boxes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(boxes)), key=lambda k: boxes[k].top)
    for n, i in enumerate(order):
        for j in order[n + 1:]:
            if boxes[j].top > boxes[i].top + boxes[i].height:
                break  # sorted by top: no later box shares i's row
            if _same_run(boxes[i], boxes[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(boxes)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


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
        Tesseract word confidence (0-100) below which a word is ignored (neither judged nor
        counted in a text line: such "words" are mostly anatomy read as text).
    upscale_below:
        Images whose longer side is under this many pixels are upscaled 2x before OCR.
    renderings:
        What :meth:`scan` OCRs by default (:data:`DEFAULT_RENDERINGS`).
    workers:
        Tesseract processes run at once (default: one per rendering, at most the CPUs).
    """

    def __init__(self, analyzer: Any, entities: Sequence[str], language: str = "en",
                 score_threshold: float = 0.0, min_confidence: float = 0.0, upscale_below: int = 512,
                 renderings: Sequence[Rendering] = DEFAULT_RENDERINGS, workers: int | None = None):
        from presidio_image_redactor import ImageAnalyzerEngine, TesseractOCR

        if analyzer is None:
            raise ValueError("OcrScanner needs the node's configured AnalyzerEngine (never a default one)")
        if not renderings:
            raise ValueError("OcrScanner needs at least one rendering")
        self._tesseract = TesseractOCR()
        self.engine = ImageAnalyzerEngine(analyzer_engine=analyzer, ocr=self._tesseract)
        self.analyzer = analyzer
        self.entities = list(entities)
        self.language = language
        self.score_threshold = score_threshold
        self.min_confidence = min_confidence
        self.upscale_below = upscale_below
        self.renderings = tuple(renderings)
        self.workers = workers or max(1, min(len(self.renderings), 4, os.cpu_count() or 1))

    @_one_tesseract_thread
    def scan(self, image: Image.Image, known_identifiers: Iterable[str] = (),
             renderings: Sequence[Rendering] | None = None, redacted: Sequence[Box] = ()) -> list[OcrFinding]:
        """PHI boxes in ``image`` (coordinates of ``image``), over the union of ``renderings``.

        ``redacted``: boxes already blanked (verification pass): text still read on the
        same row right next to one is the rest of a PHI line, and is redacted with it.
        """
        chosen = tuple(renderings or self.renderings)
        tokens = identifier_tokens(known_identifiers)
        width, height = image.size
        prepared = [render(image, r, self.upscale_below) for r in chosen]
        if self.workers > 1 and len(chosen) > 1:
            with ThreadPoolExecutor(max_workers=min(self.workers, len(chosen))) as pool:
                raw = list(pool.map(lambda p, r: self._ocr(p[0], r), prepared, chosen))
        else:
            raw = [self._ocr(p[0], r) for p, r in zip(prepared, chosen)]
        boxes: list[Box] = []  # every confident word of every rendering, in image coordinates
        entities: list[str | None] = []  # its PHI entity type, or None
        for (_, scale), ocr in zip(prepared, raw):
            def to_image(left: float, top: float, w: float, h: float, s: float = scale) -> Box | None:
                return Box(int(left / s) - PAD - 2, int(top / s) - PAD - 2,
                           int(np.ceil(w / s)) + 4, int(np.ceil(h / s)) + 4).clipped(width, height)

            phi_words = self._judge(ocr, tokens)
            for i, text in enumerate(ocr["text"]):
                box = to_image(ocr["left"][i], ocr["top"][i], ocr["width"][i], ocr["height"][i])
                if box is None or not _ALNUM.search(text) or float(ocr["conf"][i]) < self.min_confidence:
                    continue  # low-confidence "words" are mostly anatomy read as text: they widen no line
                boxes.append(box)
                entities.append(phi_words.get(i))
        return _unique(line_findings(boxes, entities, width, height, redacted))

    # -- helpers --------------------------------------------------------------------------
    def _ocr(self, image: Image.Image, rendering: Rendering) -> dict:
        """Tesseract word boxes of one rendering, empty words dropped."""
        raw = self._tesseract.perform_ocr(image, config=f"--psm {rendering.psm}")
        return self.engine.remove_space_boxes(raw)

    def _judge(self, ocr: dict, tokens: frozenset[str]) -> dict[int, str]:
        """Index of each PHI word of one OCR result -> its entity type."""
        confident = [i for i, c in enumerate(ocr["conf"]) if float(c) >= self.min_confidence]
        if not confident:
            return {}
        kept = {key: [ocr[key][i] for i in confident] for key in ocr}
        text = self._tesseract.get_text_from_ocr_dict(kept)
        found: dict[int, str] = {}
        results = self.analyzer.analyze(text=text, language=self.language, entities=self.entities,
                                        score_threshold=self.score_threshold)
        boxes = self.engine.map_analyzer_results_to_bounding_boxes(results, kept, text, [])
        where = {(kept["left"][k], kept["top"][k], kept["width"][k], kept["height"][k]): confident[k]
                 for k in range(len(confident))}
        for r in boxes:
            i = where.get((r.left, r.top, r.width, r.height))
            if i is not None:
                found.setdefault(i, r.entity_type)
        for i in confident:
            word = str(ocr["text"][i]).strip()
            entity = "KNOWN_IDENTIFIER" if tokens and _word_is_known(word, tokens) else rule_entity(word)
            if entity:
                found.setdefault(i, entity)
        return found


def line_findings(boxes: Sequence[Box], entities: Sequence[str | None], width: int, height: int,
                  redacted: Sequence[Box] = ()) -> list[OcrFinding]:
    """Findings for the PHI words (``entities[i]`` not ``None``) and a ``TEXT_LINE`` over every
    run of text that holds one, or that continues a ``redacted`` line (a box already blanked).

    Tesseract sometimes gives a word a box several lines tall (glyphs merged with the scan
    under them); each run's boxes are therefore clipped to the run's row band (median top
    and bottom of its words, plus a margin), so one such box does not blank the anatomy
    below a banner. Whatever the clipping leaves readable, the verification pass sees.
    """
    out: list[OcrFinding] = []
    n = len(boxes)
    boxes = [*boxes, *redacted]
    for run in text_runs(boxes):
        if not any(i >= n or entities[i] for i in run) or all(i >= n for i in run):
            continue
        h = float(np.median([boxes[i].height for i in run]))
        margin = max(2, int(round(0.3 * h)))
        top = int(np.median([boxes[i].top for i in run])) - margin
        bottom = int(np.median([boxes[i].top + boxes[i].height for i in run])) + margin
        band = Box(0, top, width, bottom - top)
        for i in run:
            if i < n and entities[i] and (b := _intersect(boxes[i], band)):
                out.append(OcrFinding(b, str(entities[i])))
        x0 = min(boxes[i].left for i in run) - margin
        x1 = max(boxes[i].left + boxes[i].width for i in run) + margin
        line = Box(x0, top, x1 - x0, bottom - top).clipped(width, height)
        if line:
            out.append(OcrFinding(line, "TEXT_LINE"))
    return out


def _intersect(a: Box, b: Box) -> Box | None:
    x0, y0 = max(a.left, b.left), max(a.top, b.top)
    x1, y1 = min(a.left + a.width, b.left + b.width), min(a.top + a.height, b.top + b.height)
    return Box(x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None


def _unique(findings: Iterable[OcrFinding]) -> list[OcrFinding]:
    seen: set[Box] = set()
    out = []
    for f in findings:
        if f.box not in seen:
            seen.add(f.box)
            out.append(f)
    return out


@_one_tesseract_thread
def read_text(image: Image.Image, upscale_below: int = 512, psm: int = 3) -> str:
    """Plain OCR text of an image (for audits: what can still be read in stored pixels).

    Deliberately independent of :class:`OcrScanner` (plain ``image_to_string``, black
    border), so an audit does not share the scanner's blind spots; ``psm`` is Tesseract's
    page-segmentation mode (3 automatic, 11 sparse text).
    """
    import pytesseract

    img = ImageOps.expand(image.convert("L") if image.mode not in ("L", "RGB") else image, border=16,
                          fill=0 if image.mode == "L" else (0, 0, 0))
    if max(image.size) < upscale_below:
        img = img.resize((img.width * 2, img.height * 2), Image.LANCZOS)
    return pytesseract.image_to_string(img, config=f"--psm {psm}")
