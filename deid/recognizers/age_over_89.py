"""Ages over 89 ("93 yo", "98 year old", "age 101", "in her 90s"); under HIPAA only these are PHI."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found

_AGE_AFTER = re.compile(
    r"(?<![\w.])(?P<a>9\d|1[01]\d)(?:\s*|-)(?:yo\b|y/o|y\.o\.?|yrs?\.?\s*old|years?[\s-]*old|"
    r"-?year-old|yr\b|years?\b(?!\s+ago)|y\b|m\b(?=\s)|f\b(?=\s))",
    re.I,
)
_AGE_BEFORE = re.compile(r"\b(?:age[ds]?|aged)\s*(?:of\s*)?:?\s*(?P<a>9\d|1[01]\d)(?![\d.])", re.I)
_DECADE = re.compile(r"\b(?:in\s+(?:his|her|their)\s+)(?P<a>90'?s|(?:late|mid|early)\s+90'?s)", re.I)
_NOTE_START = re.compile(r"(?:^|data(?: &[^\n]{0,10})?\s{2,})(?P<a>9\d|1[01]\d)\s+(?:s/p|w/|with|admitted)", re.I)


class AgeOver89Recognizer(DeidRecognizer):
    """Ages of 90 and more; the number only (operator writes "90+")."""

    ENTITIES = ("AGE",)
    CONFIG_KEY = "age_over_89"

    def find(self, text: str) -> Iterable[Found]:
        """Find ages >= 90 written with a year/yo unit, after "age", or as a decade."""
        for rx in (_AGE_AFTER, _AGE_BEFORE, _DECADE, _NOTE_START):
            for m in rx.finditer(text):
                yield Found(m.start("a"), m.end("a"), "AGE", self.score)
