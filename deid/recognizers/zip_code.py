"""US ZIP codes (12345, 12345-6789) after a state or with context words; Canadian postal codes
("T6G 2R3") and Irish Eircodes ("D02 X285"), whose shapes are identifiers on their own."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.lexicon import load_country_names
from deid.recognizers.base import DeidRecognizer, Found
from deid.recognizers.street_address import POSTCODE_FORMS

_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|"
    "NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
#: Two-letter US state and territory codes.
US_STATE_CODES = frozenset(_STATES.split("|")) | {"PR", "GU", "VI"}
_AFTER_STATE = re.compile(rf"(?:\b(?:{_STATES})|[A-Z][a-z]+),?\s+(?P<z>\d{{5}}(?:-\d{{4}})?)(?![\w-])")
_CTX = re.compile(r"\b(?:zip|zipcode|zip code|postal code|postcode|post code)\b(?:[ \t]+is)?[ \t]*[:#]?[ \t]*"
                  r"(?P<z>\d{5}(?:-\d{4})?|\d{3,4}(?:[ \t-]?(?:(?-i:[A-Z]{2})|\d{2,3}))?|\d{2}-\d{3})(?![\w-])", re.I)
#: A postcode after a country name at the end of an address line ("Portugal 4050-123", "Hungary 34796").
_AFTER_COUNTRY = re.compile(rf"(?P<country>[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?)[ \t]+(?P<z>\d{{4,6}}|{POSTCODE_FORMS})[ \t]*$", re.M)


#: Canadian postal code: letter digit letter, digit letter digit (no D, F, I, O, Q, U; no W or Z first).
_CA_POSTAL = re.compile(r"(?<![\w-])[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ \t]?\d[ABCEGHJ-NPRSTV-Z]\d(?![\w-])")
#: Irish Eircode: a routing key (letter and two digits, or D6W) and four characters of its own
#: alphabet, letters and digits mixed ("D02 X285", "W91 V3KD").
_EIRCODE = re.compile(r"(?<![\w-])(?:[A-Z]\d{2}|D6W)[ \t]?(?=[0-9ACDEFHKNPRTVWXY]{0,3}\d)(?=[0-9ACDEFHKNPRTVWXY]{0,3}[A-Z])"
                      r"[0-9ACDEFHKNPRTVWXY]{4}(?![\w-])")


class ZipCodeRecognizer(DeidRecognizer):
    """ZIP codes after a state abbreviation/name or after "zip"."""

    ENTITIES = ("ZIP",)
    CONFIG_KEY = "zip_code"

    def __init__(self, resources):
        super().__init__(resources)
        self.countries = load_country_names()

    def find(self, text: str) -> Iterable[Found]:
        """Find ZIP codes with an address context."""
        for rx in (_AFTER_STATE, _CTX):
            for m in rx.finditer(text):
                before = text[max(0, m.start("z") - 12) : m.start("z")].lower()
                if re.search(r"(?:pager|beeper|page|pg|#)\W*$", before):
                    continue
                yield Found(m.start("z"), m.end("z"), "ZIP", self.score)
        for rx in (_CA_POSTAL, _EIRCODE):
            for m in rx.finditer(text):
                yield Found(m.start(), m.end(), "ZIP", self.score * 1.3)
        for m in _AFTER_COUNTRY.finditer(text):
            if m.group("country").lower() in self.countries and not re.fullmatch(r"(?:19|20)\d\d", m.group("z")):
                yield Found(m.start("z"), m.end("z"), "ZIP", self.score)
