"""Ultrasound: blank everything outside the SequenceOfUltrasoundRegions rectangles.

An ultrasound frame is the scan regions plus the scanner's user interface, where the
patient banner lives. The regions (0018,6011) say where the image data are; whatever
lies outside every region is blanked, whatever the BurnedInAnnotation flag says.
"""

from __future__ import annotations

from typing import Any

from deid.image.types import Box


def region_boxes(ds: Any) -> list[Box]:
    """The ultrasound regions of ``ds`` as boxes (empty when it has none)."""
    out = []
    for item in ds.get("SequenceOfUltrasoundRegions") or []:
        try:
            x0, y0 = int(item.RegionLocationMinX0), int(item.RegionLocationMinY0)
            x1, y1 = int(item.RegionLocationMaxX1), int(item.RegionLocationMaxY1)
        except (AttributeError, TypeError, ValueError):
            continue
        if x1 >= x0 and y1 >= y0:
            out.append(Box(x0, y0, x1 - x0 + 1, y1 - y0 + 1))  # Max X1/Y1 are inclusive
    return out


def outside_boxes(regions: list[Box], width: int, height: int) -> list[Box]:
    """Rectangles that exactly cover the image minus the union of ``regions``.

    Horizontal bands between the regions' top/bottom edges; in each band, the x-intervals
    no region covers.
    """
    if not regions:
        return []
    clipped = [b for r in regions if (b := r.clipped(width, height)) is not None]
    ys = sorted({0, height, *(b.top for b in clipped), *(b.top + b.height for b in clipped)})
    out: list[Box] = []
    for y0, y1 in zip(ys, ys[1:]):
        if y1 <= y0:
            continue
        covering = sorted((b.left, b.left + b.width) for b in clipped if b.top <= y0 and b.top + b.height >= y1)
        x = 0
        for a, b in covering:
            if a > x:
                out.append(Box(x, y0, a - x, y1 - y0))
            x = max(x, b)
        if x < width:
            out.append(Box(x, y0, width - x, y1 - y0))
    return out


def is_ultrasound(ds: Any) -> bool:
    return str(ds.get("Modality") or "").upper() == "US" or "SequenceOfUltrasoundRegions" in ds
