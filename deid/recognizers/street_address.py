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
_UNIT = r"(?:,?[ \t]+(?:apt|apartment|unit|suite|ste|#|fl|floor|room|rm)\.?[ \t]*#?[ \t]*[\w-]+)?"
_STREET = re.compile(
    rf"(?<![\w-])\d{{1,6}}[A-Z]?(?:-\d+)?[ \t]+(?:[NSEW]\.?[ \t]+|(?:north|south|east|west)[ \t]+)?"
    rf"(?:[A-Z][\w'.-]*[ \t]+){{0,3}}?{_SUFFIX}\.?(?![\w]){_UNIT}",
    re.I,
)
#: ", Towson, MD 21204" / ", London SW3 4NX" after a street (never across a line break).
_CITY_TAIL = re.compile(
    r"^,?[ \t]+(?:(?:St|Ft|Mt)\.[ \t])?[A-Z][a-zA-Z'-]+(?:[ \t][A-Z][a-zA-Z'-]+){0,2}(?:,?[ \t]+(?:[A-Z]{2}|[A-Z][a-z]+)(?=[ \t,.]|$))?"
    r"(?:,?[ \t]+(?:\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|\d{2}-\d{3}))?")
#: Continental street forms: "ul. Dluga 12", "Hauptstraße 5a", "Rue de Rivoli 12", "Calle Mayor 3".
_EUROPEAN = re.compile(
    r"(?<![\w-])(?<!et )(?:(?:ul|al|pl|os)\.|[Uu]lica|[Aa]leja|[Rr]ue|[Cc]alle|Via|[Aa]venida|[Rr]ua)[ \t]+(?:[A-Z\u00C0-\u017F][\w\u00C0-\u017F'.-]*[ \t]+){1,3}"
    r"\d{1,4}[a-zA-Z]?(?:/\d{1,4})?(?![\w])"
    r"|(?<![\w-])[A-Z\u00C0-\u017F][\w\u00C0-\u017F-]*(?:stra(?:ss|ß)e|str\.|weg|gasse|platz|allee|laan|straat|gatan|vej|utca)"
    r"[ \t]+\d{1,4}[a-zA-Z]?(?![\w])")
#: Postcodes that need no state: UK ("SW3 4NX") and Polish ("80-831") before or after a town.
_UK_POSTCODE = re.compile(r"(?<![\w-])(?:[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2})(?![\w-])")
_PL_POSTCODE_TOWN = re.compile(r"(?<![\w-])(?P<z>\d{2}-\d{3})[ \t]+(?P<town>[A-Z\u00C0-\u017F][a-z\u00C0-\u017F-]+)(?![\w])")
_TOWN_BEFORE = re.compile(r"(?:[A-Z][a-z]+|(?i:postcode|post code|postal code))[:,]?[ \t]+$")
_POBOX = re.compile(r"\bp\.?\s?o\.?\s?box\s+\d+\b", re.I)
_CLINICAL_AFTER_NUMBER = re.compile(r"^\d+\s*(?:mg|mcg|cc|ml|units?|l|liters?|x|times|days?|hours?|hrs?|min)\b", re.I)


_MONTH_WORDS = frozenset("january february march april may june july august september october november december "
                         "jan feb mar apr jun jul aug sep sept oct nov dec".split())


class StreetAddressRecognizer(DeidRecognizer):
    """House number + street name + suffix, optional unit and ", City, ST 12345"."""

    ENTITIES = ("ADDRESS", "ZIP")
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
            if any(w.lower() in _MONTH_WORDS for w in name_words) or re.search(r"\bCT\.?$", m.group()):
                continue  # "16 August Chest CT": a date and a scan, not "... Court"
            end = m.end()
            tail = _CITY_TAIL.match(text[end : end + 60])
            if tail:
                end += tail.end()
                while end > m.end() and text[end - 1] in ". ":
                    end -= 1  # the sentence's full stop is not part of the town
            yield Found(m.start(), end, "ADDRESS", self.score)
        for m in _POBOX.finditer(text):
            yield Found(m.start(), m.end(), "ADDRESS", self.score)
        for m in _EUROPEAN.finditer(text):
            yield Found(m.start(), m.end(), "ADDRESS", self.score)
        for m in _UK_POSTCODE.finditer(text):
            before = text[max(0, m.start() - 30) : m.start()]
            if _TOWN_BEFORE.search(before) and not re.search(r"(?i)\b(?:mg|ml|mcg|units?)$", m.group()):
                yield Found(m.start(), m.end(), "ZIP", self.score * 0.9)
        for m in _PL_POSTCODE_TOWN.finditer(text):
            town = m.group("town")
            if not self.resources.lexicon.is_common(town) and not self.resources.allowed(town):
                yield Found(m.start(), m.end(), "ADDRESS", self.score * 0.9)
