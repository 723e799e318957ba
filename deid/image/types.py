"""Types of the image de-identification. None of them ever holds PHI text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Box:
    """A pixel rectangle: left, top, width, height (image coordinates)."""

    left: int
    top: int
    width: int
    height: int

    def clipped(self, width: int, height: int) -> "Box | None":
        """This box inside a ``width`` x ``height`` image, or ``None`` if it falls outside."""
        x0, y0 = max(0, self.left), max(0, self.top)
        x1, y1 = min(width, self.left + self.width), min(height, self.top + self.height)
        if x1 <= x0 or y1 <= y0:
            return None
        return Box(x0, y0, x1 - x0, y1 - y0)

    def padded(self, pad: int) -> "Box":
        return Box(self.left - pad, self.top - pad, self.width + 2 * pad, self.height + 2 * pad)

    def as_list(self) -> list[int]:
        return [self.left, self.top, self.width, self.height]


@dataclass(frozen=True)
class Redaction:
    """One blanked rectangle: where, why (``ocr``, ``ctp_rule``, ``us_outside_regions``)
    and, for OCR, the entity type found there. Never the text."""

    box: Box
    reason: str
    entity_type: str = ""
    frames: str = "all"  # "all", or the frame indices the box was found on ("0,15,29")

    def to_dict(self) -> dict[str, Any]:
        return {"box": self.box.as_list(), "reason": self.reason, "entity_type": self.entity_type,
                "frames": self.frames}


@dataclass
class HeaderReport:
    """What header de-identification did, as counts per action (and the date shift used)."""

    actions: Counter = field(default_factory=Counter)
    date_shift_days: int = 0
    private_tags_removed: int = 0
    overlays_removed: int = 0
    swept: int = 0  # elements removed because they still held a known identifier

    def to_dict(self) -> dict[str, Any]:
        return {"actions": dict(sorted(self.actions.items())), "date_shift_days": self.date_shift_days,
                "private_tags_removed": self.private_tags_removed, "overlays_removed": self.overlays_removed,
                "identifier_sweep_removed": self.swept}
