"""Wards and units that name a place: "7 North", "ward 4B", "Quartermain 2", "unit 5C"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found

_WARD = re.compile(
    r"\b(?:ward|unit|wing|bldg|building|pavilion)\s+#?(?P<w>\d{1,2}[A-Z]?|[A-Z]\d{1,2})(?![\w/])"
    r"|\b(?P<w2>\d{1,2}\s?(?:north|south|east|west|n\b|s\b|e\b|w\b)(?:\s?\d)?)\b(?!\s*(?:mg|cc|ml))",
    re.I,
)


class WardRecognizer(DeidRecognizer):
    """Ward/unit names with numbers (generic ICU names such as MICU/CCU are kept)."""

    ENTITIES = ("WARD",)
    CONFIG_KEY = "ward"

    def find(self, text: str) -> Iterable[Found]:
        """Find "ward 4B" / "7 North" style unit names."""
        for m in _WARD.finditer(text):
            if m.group("w2"):
                w = m.group("w2")
                if re.fullmatch(r"\d{1,2}\s?[nsew]", w, re.I) and not w[-1].isupper():
                    continue
                if re.fullmatch(r"\d{1,2}\s?[nsew]", w, re.I):
                    continue  # "3 E" etc. too ambiguous in prose
                yield Found(m.start("w2"), m.end("w2"), "WARD", self.score)
            else:
                yield Found(m.start(), m.end(), "WARD", self.score)
