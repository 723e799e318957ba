"""Phone, fax and pager numbers ("410-555-9876", "(301) 944-5032", "pager #12345", "x45"),
also mistyped with one digit too many ("(301 273 45166)")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found, compile_context

_PHONE = re.compile(
    r"(?<![\w/.])(?<!\d-)(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})(?:[\s./-]{0,3}|-?\s?)\d{3}[\s./-]{0,3}\d{4}\d?"
    r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w/]|\.\d)",
    re.I,
)
_SHORT = re.compile(
    r"\b(?P<ctx>pager|beeper|pg|page|pgr|bpr|beep|ext|extension|cell|phone|tel|fax|"
    r"home|work|office)\b[^\w\n]{0,4}(?:number|no\.?|#)?[^\w\n]{0,3}(?P<n>\d{4,5}|\d{3}-\d{4}|\d-\d{4})(?![\w/]|\.\d)",
    re.I,
)
#: International numbers: "+44 20 7946 0958", "+48 22 123 45 67", "+1 (410) 555-0199".
_INTERNATIONAL = re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(\d{1,4}\))?(?:[\s.-]?\d{1,5}){2,5}(?![\w]|\.\d)")
#: National numbers with a trunk 0 (UK, Europe): "020 7946 0958", "01446 111016".
_TRUNK = re.compile(r"(?<![\w+/.-])0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}(?![\w/]|\.\d)")
#: Any national grouping after an explicit phone cue: "Phone: 0481 33 72 19", "call her on
#: 06.12.44.87.30", "Mobile: (02) 9374 4410", "fax 71-33-52-22" (6-15 digits; not a date).
_CUED = re.compile(
    r"\b(?:phone|telephone|tel|mobile|cell(?:phone)?|fax|"
    r"(?:call|ring|reach|text|contact)(?:ed)?[ \t]+(?:me|him|her|them|us|back)[ \t]+(?:at|on))"
    r"(?:[ \t]*(?:number|no\.?|#))?[ \t]*[:.]?[ \t]*"
    r"(?P<n>\+?\(?\d{1,5}\)?(?:[ \t.-]{1,2}\(?\d{1,5}\)?){1,5})(?![\w/]|[.,]\d)",
    re.I,
)
_DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
#: An extension on its own after a paging or calling word: "paged Dr X at x70401", "call x4417".
_X_EXTENSION = re.compile(r"(?<![\w])x(?P<n>\d{4,5})(?![\w/]|\.\d)", re.I)
_CALL_CUE = re.compile(r"(?i:\b(?:page[ds]?|paging|pager|call(?:ed|ing)?|reach(?:ed)?|ext|extension|phone|contact|beep(?:ed)?|"
                       r"at|on|via|returned|dial(?:ed)?))\W{0,3}(?:\w+\W{1,3}){0,4}$")
_EXT = re.compile(r"(?<=\d)\s+(?P<n>x\s?\d{1,5}\.?)(?!\w)", re.I)


class DeidPhoneRecognizer(DeidRecognizer):
    """US-style phone/fax numbers and short pager/extension numbers with context."""

    ENTITIES = ("PHONE",)
    CONFIG_KEY = "phone"

    def __init__(self, resources):
        super().__init__(resources)
        self._context = compile_context(self.settings.context)

    def find(self, text: str) -> Iterable[Found]:
        """Find 10-digit numbers (any separators) and 4-5 digit pagers after a context word."""
        for m in _PHONE.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if len(digits) < 10:
                continue
            # blood pressures such as "120/80 130/70" never have 10 digits in one run
            score = self.score if self._context.search(text, max(0, m.start() - 25), m.start()) else self.score * 0.9
            yield Found(m.start(), m.end(), "PHONE", score)
        for m in _X_EXTENSION.finditer(text):
            if _CALL_CUE.search(text, max(0, m.start() - 40), m.start()):
                yield Found(m.start(), m.end(), "PHONE", self.score * 0.9)
        for m in _INTERNATIONAL.finditer(text):
            if 8 <= len(re.sub(r"\D", "", m.group())) <= 15:
                yield Found(m.start(), m.end(), "PHONE", self.score)
        for m in _TRUNK.finditer(text):
            if 10 <= len(re.sub(r"\D", "", m.group())) <= 11:
                yield Found(m.start(), m.end(), "PHONE", self.score * 0.9)
        for m in _CUED.finditer(text):
            number = m.group("n")
            if 6 <= len(re.sub(r"\D", "", number)) <= 15 and not _DATE_LIKE.fullmatch(number):
                yield Found(m.start("n"), m.end("n"), "PHONE", self.score)
        for m in _SHORT.finditer(text):
            yield Found(m.start("n"), m.end("n"), "PHONE", self.score)
