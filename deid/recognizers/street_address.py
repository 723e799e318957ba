"""Street addresses ("123 Main St", "4 Elm Street Apt 2", "PO Box 55")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found

_SUFFIX = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|circle|cir|"
    r"way|place|pl|terrace|ter|parkway|pkwy|highway|hwy|square|sq|trail|trl|pike|route|rte|"
    r"alley|row|crescent|close|plaza|loop|run|path|heights|hts|grove|garden|gardens|walk|"
    r"strasse|straße|calle|rue|via)"
)
_UNIT = r"(?:,?\s+(?:apt|apartment|unit|suite|ste|#|fl|floor|room|rm)\.?\s*#?\s*[\w-]+)?"
_STREET = re.compile(
    rf"(?<![\w-])\d{{1,6}}[A-Z]?(?:-\d+)?\s+(?:[NSEW]\.?\s+|(?:north|south|east|west)\s+)?"
    rf"(?:[A-Z][\w'.-]*\s+){{0,3}}?{_SUFFIX}\.?(?![\w]){_UNIT}",
    re.I,
)
_CITY_TAIL = re.compile(r"^,?\s+(?:[A-Z][a-zA-Z.'-]+\s?){1,3},?\s+(?:[A-Z]{2}|[A-Z][a-z]+)(?:\s+\d{5}(?:-\d{4})?)?")
_POBOX = re.compile(r"\bp\.?\s?o\.?\s?box\s+\d+\b", re.I)
_CLINICAL_AFTER_NUMBER = re.compile(r"^\d+\s*(?:mg|mcg|cc|ml|units?|l|liters?|x|times|days?|hours?|hrs?|min)\b", re.I)


class StreetAddressRecognizer(DeidRecognizer):
    """House number + street name + suffix, optional unit and ", City, ST 12345"."""

    ENTITIES = ("ADDRESS",)
    CONFIG_KEY = "street_address"

    def find(self, text: str) -> Iterable[Found]:
        """Find street addresses; the city/state tail is included when present."""
        for m in _STREET.finditer(text):
            if _CLINICAL_AFTER_NUMBER.match(m.group()):
                continue
            words = re.findall(r"[A-Za-z][\w'.-]*", m.group())
            name_words = words[:-1] if len(words) > 1 else []
            lex = self.resources.lexicon
            # the street name must be a Capitalised word that is not a clinical/common word
            if not name_words or not all(w[:1].isupper() for w in name_words):
                continue
            if all(lex.is_common(w) and not lex.is_name(w) for w in name_words) or any(self.resources.allowed(w) for w in name_words):
                continue
            if m.group().isupper() and not re.search(r"(?i)street|avenue|road|boulevard|lane|drive|court", m.group()):
                continue
            end = m.end()
            tail = _CITY_TAIL.match(text[end : end + 60])
            if tail:
                end += tail.end()
            yield Found(m.start(), end, "ADDRESS", self.score)
        for m in _POBOX.finditer(text):
            yield Found(m.start(), m.end(), "ADDRESS", self.score)
