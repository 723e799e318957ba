"""Years in clinical context: "MI 1992", "CABG '92", "in 2019", "PMH MI 92", "1980s"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found, compile_context

_YEAR4 = re.compile(r"(?<![\w/.:-])(?P<y>(?:19[0-9]|20[0-3])\d)(?P<s>'?s)?(?![\w/]|[.:]\d|-\d)", re.I)
_APOS2 = re.compile(r"(?<![\d'])['’](?P<y>\d{2})(?P<s>s)?(?![\w/]|[.:]\d)")
#: A two-digit year with the apostrophe after it: "MI in 74'".
_APOS_AFTER = re.compile(r"(?<![\w'’.])(?P<y>\d{2})['’](?![\w'’])")
_YEAR2 = re.compile(r"(?<![\w/.:-])(?P<y>\d{2})(?![\w/%]|[.:]\d|\s*(?:%|mg|cc|ml|units?|y|yo|yr|years?|bpm|mmhg|s\b))", re.I)
_UNIT_AFTER = re.compile(r"^\s*(?:cc|ml|mg|mcg|units?|u\b|kg|g\b|hrs?\b|hours?|am\b|pm\b|mmhg|%|-\s*\d)", re.I)
#: Words and signs before a clock time ("at 1900", "due @ 2000", "0700->1930"); "@" and "->" stand
#: after a space, where a word boundary never matches.
_TIME_BEFORE = re.compile(r"(?:\b(?:at|by|until|till|from|to|since|before|after|around|between|and)|@|->|-)\s*$", re.I)
#: Words that, right before a 2-digit number, mark it as a year ("MI 92", "CVA in 94").
_COND = (r"(?:mi|nqwmi|stemi|nstemi|ami|imi|cva|cabg|ptca|pci|stent|tia|avr|mvr|redo|ablation|"
         r"pacer|chole|appy|dvt|pe|turp|lumpectomy|mastectomy|nephrectomy|fx|repair|surgery|replacement)")
#: "it is 2020", "states the year is 1999": orientation questions.
_ORIENTATION = re.compile(r"\b(?:it\s+is|it'?s|year\s+is|year\s+was|thinks\s+it\s+is|stated|states|says|said)\s*$", re.I)
#: A further year in a list after one found: "CVA in 94 and 00", "MI 1992, 1997".
_LIST_NEXT = re.compile(r"\s*(?:,|and|&|,\s*and)\s*'?(?P<y>\d{2}|(?:19|20)\d{2})(?![\w/%]|[.:]\d)")
_HISTORY_2D = re.compile(rf"\b{_COND}(?:\s+in)?\s*(?:x\s?\d\s*)?$", re.I)
#: "09 PTCA to LCX", "13 stent": a 2-digit year right before a procedure at a list start.
_BEFORE_PROC = re.compile(rf"(?:^|[.;,:]\s*|\n\s*)(?P<y>\d{{2}})\s+{_COND}\b", re.I)


class YearRecognizer(DeidRecognizer):
    """Stand-alone years with clinical context (4-digit, 'yy, and yy after history words)."""

    ENTITIES = ("YEAR",)
    CONFIG_KEY = "year"

    def __init__(self, resources):
        super().__init__(resources)
        self._context = compile_context(self.settings.context)

    def find(self, text: str) -> Iterable[Found]:
        """Find years; a 4-digit value that could be a clock time needs context."""
        score = self.score
        for m in _APOS2.finditer(text):
            yield Found(m.start(), m.end(), "YEAR", score)
        for m in _APOS_AFTER.finditer(text):
            if self._context.search(text, max(0, m.start() - 25), m.start()):
                yield Found(m.start(), m.end(), "YEAR", score * 0.9)
        for m in _YEAR4.finditer(text):
            y = m.group("y")
            after = text[m.end() : m.end() + 8]
            if _UNIT_AFTER.match(after):
                continue
            if m.group("s"):
                yield Found(m.start(), m.end(), "YEAR", score)
                continue
            before = text[max(0, m.start() - 12) : m.start()]
            could_be_time = int(y[2:]) < 60 and int(y[:2]) <= 23
            if could_be_time and _TIME_BEFORE.search(before):
                if not re.search(r"\b(?:since|in|of|from|until)\s*$", before, re.I) or int(y) >= 2030:
                    continue
            if not could_be_time or self._context.search(text, max(0, m.start() - 25), m.start()) \
                    or _ORIENTATION.search(before):
                yield Found(m.start(), m.end(), "YEAR", score)
            elif re.search(r"[,/]\s*$", before) and re.search(r"\d", before):
                yield Found(m.start(), m.end(), "YEAR", score * 0.8)
        for m in _BEFORE_PROC.finditer(text):
            yield Found(m.start("y"), m.end("y"), "YEAR", score * 0.8)
        for m in _YEAR2.finditer(text):
            before = text[max(0, m.start() - 12) : m.start()]
            if _HISTORY_2D.search(before) and not _UNIT_AFTER.match(text[m.end() : m.end() + 8]) \
                    and not re.match(r"'?s\b", text[m.end() : m.end() + 3]):
                yield Found(m.start(), m.end(), "YEAR", score * 0.8)
                nxt = _LIST_NEXT.match(text, m.end())
                if nxt and not _UNIT_AFTER.match(text[nxt.end() : nxt.end() + 8]):
                    yield Found(nxt.start("y"), nxt.end("y"), "YEAR", score * 0.8)
