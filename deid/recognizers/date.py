"""Dates in clinical forms: 7/22, 7/22/2023, 2023-07-22, 22-Jul, July 22nd, May 16, 2015,
20th Oct 1989, March of 1993, nov, 96, ranges (10/15-10/16, 1->2 nov) and run-together or
mistyped forms (10/03/10/04, 11/21.93)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.dates import (COMPACT, DAY_MONTH, DOTTED, ISO, ISO_TIME, MONTH_DAY, MONTH_ONLY, MONTH_YEAR, NUM_MONTH_YEAR,
                        NUMERIC, ORDINAL_DAY)
from deid.recognizers.base import DeidRecognizer, Found

#: Numbers before a slash-pair that make it a ratio/score, not a date.
_NOT_DATE_BEFORE = re.compile(
    r"(?:\b(?:bp|b/p|nbp|abp|pain|peep|ps|cpap|ips|eps|bipap|psv|strength|grade|score|"
    r"map|ratio|x|sats?|vent|ventilator|settings|abg|vbg|hr|rr|fio2|tv|rate|mask|nc|"
    r"quartermain|ward|strength|murmur|gcs|apgar|cmv|imv|simv|"
    r"sbp|dbp|pap|pas|ra|cvp|pcwp|pad|rvsp|ef|power|motor|reflexes|muscle|co|ci|svr|fick)\b[\s:=-]*"
    r"(?:(?:was|is|are|were|remains|of|at)\s+)?$)",
    re.I,
)
_NOT_DATE_AFTER = re.compile(
    r"^\s*(?:mmhg|mm|cm|mg|mcg|ml|cc|units?|strength|pain|scale|assist|x|%|breaths?|bpm|"
    r"psi|kg|g\b|l\b|lpm|times|ratio|meq|grade|murmur|sem\b|hsm\b|sec|cp\b|up\b|bottles?|str|ns\b|amp|dose|hrs?\b|"
    r"hour|nph|'s\b)",
    re.I,
)
_VENT = re.compile(r"\b(?:cpap|psv|ps|bipap|peep|flowby|flow-by|vent|ventilation|wean(?:ed|ing)?\s+(?:to|down|trial)|ips|epap|"
                   r"ipap|fio2|imv|simv|settings|trialed)\b", re.I)
#: Vent modes right after a pair ("extubated from 5/5 PSV/CPAP").
_VENT_AFTER = re.compile(r"^\s*(?:cm\s*h2o\s*)?(?:psv|ps|ips|cpap|peep|bipap|ipap|epap|pressure support|[,.]*\s*\d{2,3}\s*%)", re.I)
#: Prepositions that make a short pair a date ("post 3/3", "on 7-8", "from 3-5").
_DATE_PREP = re.compile(r"\b(?:on|from|since|until|till|thru|through|dated|post|s/p)\s+$", re.I)
#: Events that are dated ("admitted 4/4", "extubated 3/3") and a time after a pair ("4/4 at 2210").
_DATE_VERB = re.compile(r"\b(?:admitted|admit|discharged|extubated|intubated|transferred|transfered|arrived|seen|"
                        r"started|stopped|placed|removed|d/c'?d|dc'?d|dated|done|drawn)\s+$", re.I)
_TIME_AFTER = re.compile(r"^\s*(?:at|@)\s*\d{1,2}:?\d{2}\b", re.I)
#: Counts and units after a short dash pair that make it a range ("from 3-5 days", "on 2-3 L").
_RANGE_AFTER = re.compile(r"^\s*(?:days?|weeks?|wks?|months?|mos?|years?|yrs?|hours?|hrs?|min|minutes?|liters?|l\b|lpm|"
                          r"beats|breaths|am\b|pm\b|times|x\b|mcg|mg|units?|cm|mm|%|ml|cc|/|more|times|per|of\b|to\b|"
                          r"people|children|kids|grandchildren)", re.I)
#: A numeric date range: "10/15-10/16" (the second date has a dash before it).
_NUM_RANGE = re.compile(r"(?<![\d/])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])\s?-\s?(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?![\w/])")
_FRACTION = re.compile(r"(?<!\d)(?:1/[1-8]|2/[234]|3/[34]|4/4)(?!\d)")
#: Two dates run together: "10/03/10/04".
_DOUBLE = re.compile(r"(?<![\d/])(?P<a>(?:0[1-9]|1[0-2])/(?:0[1-9]|[12]\d|3[01]))/(?P<b>(?:0[1-9]|1[0-2])/(?:0[1-9]|[12]\d|3[01]))(?![\w/])")
#: A two-digit year after a dot: "11/21.93".
_DOT_YEAR = re.compile(r"(?<![\d/.xX])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])\.\d{2}(?![\d./])")
#: The first day of a day range before a month: "1->2 nov, 96", "30-31 Oct".
_DAY_RANGE = re.compile(r"(?<![\w/])(?P<d>0?[1-9]|[12]\d|3[01])\s?(?:->|-|to|&)\s?$", re.I)
#: Right before a pair: "BP 120-140'2/70's" (pressures typed with apostrophes), "+3/6" (a murmur's grade).
_PRESSURE_OR_GRADE = re.compile(r"(?:\d['’]|\+)$")
_PAIN = re.compile(r"(?:\bpain|\bcp\b|c/o|#|\bpainful|\bdiscomfort|\bscale)", re.I)
_AMBIGUOUS_MONTH = re.compile(r"^(?:may|mar|march|dec|jan|june?|sept?)\.?$", re.I)
#: A day of the month alone is a date after these: "on the 22nd", "by the 3rd".
_ORDINAL_CUE = re.compile(r"\b(?:on|by|until|till|from|since|before|after|next|this|for|of|due)\s+the\s+$", re.I)
_OF_MONTH = re.compile(r"^\s+of\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
#: A month alone is a date after these: "in sept.", "since October", "last March".
_MONTH_CUE = re.compile(r"\b(?:in|since|until|till|last|next|early|late|mid|by|during|from|through|thru|of|this|before|after)[\s-]+$", re.I)
_MONTH_WORDS = ("may", "march", "mar", "dec", "jan", "jun", "june")


def numeric_is_date(text: str, m: re.Match) -> bool:
    """Whether a :data:`~deid.dates.NUMERIC` match ``m`` in ``text`` reads as a date, not as a
    ratio, score, range or setting ("BP 120/80", "5/10 pain", "CPAP 5/5", "3-4", "1/2").

    The learned tagger's numeric date proposals are judged by the same test
    (:mod:`deid.recognizers.learned_tagger`).
    """
    before = text[max(0, m.start() - 25) : m.start()]
    if _NOT_DATE_BEFORE.search(before) or _NOT_DATE_AFTER.match(text[m.end() : m.end() + 10]):
        return False
    if _PRESSURE_OR_GRADE.search(before):
        return False  # "BP 120-140'2/70's", "+3/6 murmur": a pressure or a grade
    prep = _DATE_PREP.search(before)
    after = text[m.end() : m.end() + 12]
    if m.group("y") is None and m.group("sep") == "-" and not (prep and not _RANGE_AFTER.match(after)):
        return False  # "3-4" is a range, "on 7-8" a date
    mo, dy = int(m.group("m")), int(m.group("d"))
    dated = prep or _DATE_VERB.search(before) or _TIME_AFTER.match(after)
    if m.group("y") is None and ((dy <= 4 and mo <= dy) or (mo == 1 and dy <= 8)) \
            and not (dated and m.group("sep") == "/"):
        return False  # 1/2, 2/3, 3/4, 4/4: fractions and counts (not "post 3/3")
    if m.group("y") is None and dy == 10 and _PAIN.search(text, max(0, m.start() - 30), m.start()):
        return False  # pain scores "c/o CP 5/10"
    if m.group("y") is None and dy <= 10 and _VENT.search(text, max(0, m.start() - 45), m.start()):
        return False  # ventilator settings "CPAP 5/5", "PSV 10/5"
    if m.group("y") is None and dy <= 20 and _VENT_AFTER.match(after):
        return False  # "from 5/5 PSV/CPAP", "on 10/5 40%"
    return True


class DeidDateRecognizer(DeidRecognizer):
    """Calendar dates (full or partial) in every form nurses and doctors write."""

    ENTITIES = ("DATE",)
    CONFIG_KEY = "date"

    def find(self, text: str) -> Iterable[Found]:
        """Find numeric and month-name dates; skip ratios like ``BP 120/80`` or ``5/10 pain``."""
        score = self.score
        for m in ISO.finditer(text):
            yield Found(m.start(), m.end(), "DATE", score)
        for rx in (ISO_TIME, COMPACT):
            for m in rx.finditer(text):
                yield Found(m.start(), m.end(), "DATE", score)
        for m in DOTTED.finditer(text):
            if len(m.group("y")) == 4 or (len(m.group("d")) == 2 and len(m.group("m")) == 2):
                yield Found(m.start(), m.end(), "DATE", score)
        for m in ORDINAL_DAY.finditer(text):
            if _ORDINAL_CUE.search(text, max(0, m.start() - 12), m.start()) or _OF_MONTH.match(text, m.end()):
                yield Found(m.start(), m.end(), "DATE", score * 0.9)
        for m in MONTH_ONLY.finditer(text):
            mon = m.group("mon")
            if not _MONTH_CUE.search(text, max(0, m.start() - 8), m.start()):
                continue
            if mon.lower() in _MONTH_WORDS and not m.group("dot") and not (mon[:1].isupper() and not mon.isupper()):
                continue  # "in may", "THIS MAY BE", "since dec" (decrease): only "in May" is a month
            yield Found(m.start(), m.end(), "DATE", score * 0.85)
        for m in NUMERIC.finditer(text):
            if numeric_is_date(text, m):
                yield Found(m.start(), m.end(), "DATE", score)
        for m in _NUM_RANGE.finditer(text):
            if _FRACTION.search(m.group()):
                continue  # "crackles 1/3-1/2 up"
            yield Found(m.start(), m.end(), "DATE", score)  # shifted as a range (deid.dates)
        for m in _DOUBLE.finditer(text):
            yield Found(m.start(), m.end(), "DATE", score)
        for m in _DOT_YEAR.finditer(text):
            yield Found(m.start(), m.end(), "DATE", score * 0.9)
        for m in NUM_MONTH_YEAR.finditer(text):
            before = text[max(0, m.start() - 25) : m.start()]
            if _NOT_DATE_BEFORE.search(before) or _PRESSURE_OR_GRADE.search(before) \
                    or re.match(r"['’]s\b", text[m.end() : m.end() + 3]):
                continue  # "bp 120-140'2/70's"
            yield Found(m.start(), m.end(), "DATE", score)
        for rx in (MONTH_DAY, DAY_MONTH, MONTH_YEAR):
            for m in rx.finditer(text):
                mon = m.group("mon")
                if rx is DAY_MONTH and _AMBIGUOUS_MONTH.match(mon) and not m.group("y") and mon.lower().rstrip(".") in ("may", "mar", "dec"):
                    continue  # "5 may", "2 dec" (decrease) are too ambiguous
                if rx is MONTH_DAY and mon.lower().rstrip(".") in ("dec", "mar") and not m.group("y"):
                    if not (m.group("ord") or (mon[0].isupper() and not mon.isupper())):
                        continue  # "dec 2", "mar 5" (decrease 2 ...) unless written as a date
                if rx is MONTH_YEAR and len(m.group("y").lstrip("'")) == 2 and mon.lower() in ("may", "mar", "dec", "march"):
                    continue
                yield Found(m.start(), m.end(), "DATE", score)
                if rx is DAY_MONTH:
                    head = _DAY_RANGE.search(text, max(0, m.start() - 6), m.start())
                    if head:
                        yield Found(head.start("d"), head.end("d"), "DATE", score * 0.9)
