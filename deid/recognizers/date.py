"""Dates in clinical forms: 7/22, 7/22/2023, 2023-07-22, 22-Jul, July 22nd, May 16, 2015,
20th Oct 1989, March of 1993, nov, 96."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.dates import DAY_MONTH, ISO, MONTH_DAY, MONTH_YEAR, NUM_MONTH_YEAR, NUMERIC
from deid.recognizers.base import DeidRecognizer, Found

#: Numbers before a slash-pair that make it a ratio/score, not a date.
_NOT_DATE_BEFORE = re.compile(
    r"(?:\b(?:bp|b/p|nbp|abp|pain|peep|ps|cpap|ips|eps|bipap|psv|strength|grade|score|"
    r"map|ratio|x|sats?|vent|ventilator|settings|abg|vbg|hr|rr|fio2|tv|rate|mask|nc|"
    r"quartermain|ward|strength|murmur|gcs|apgar|cmv|imv|simv|"
    r"sbp|dbp|pap|pas|ra|cvp|pcwp|pad|rvsp|ef)\b[\s:=-]*(?:of\s+)?$)",
    re.I,
)
_NOT_DATE_AFTER = re.compile(
    r"^\s*(?:mmhg|mm|cm|mg|mcg|ml|cc|units?|strength|pain|scale|assist|x|%|breaths?|bpm|"
    r"psi|kg|g\b|l\b|lpm|times|ratio|meq|grade|murmur|sec|cp\b|up\b|bottles?|str|ns\b|amp|dose|hrs?\b|hour|nph)",
    re.I,
)
_VENT = re.compile(r"\b(?:cpap|psv|ps|bipap|peep|flowby|flow-by|vent|wean(?:ed|ing)?|ips|epap|ipap|fio2|imv|simv|settings|trialed)\b", re.I)
_PAIN = re.compile(r"(?:\bpain|\bcp\b|c/o|#|\bpainful|\bdiscomfort|\bscale)", re.I)
_AMBIGUOUS_MONTH = re.compile(r"^(?:may|mar|march|dec|jan|june?|sept?)\.?$", re.I)


class DeidDateRecognizer(DeidRecognizer):
    """Calendar dates (full or partial) in every form nurses and doctors write."""

    ENTITIES = ("DATE",)
    CONFIG_KEY = "date"

    def find(self, text: str) -> Iterable[Found]:
        """Find numeric and month-name dates; skip ratios like ``BP 120/80`` or ``5/10 pain``."""
        score = self.score
        for m in ISO.finditer(text):
            yield Found(m.start(), m.end(), "DATE", score)
        for m in NUMERIC.finditer(text):
            before = text[max(0, m.start() - 25) : m.start()]
            if _NOT_DATE_BEFORE.search(before) or _NOT_DATE_AFTER.match(text[m.end() : m.end() + 10]):
                continue
            if m.group("y") is None and m.group("sep") == "-":
                continue  # "3-4" is a range
            mo, dy = int(m.group("m")), int(m.group("d"))
            if m.group("y") is None and ((dy <= 4 and mo <= dy) or (mo == 1 and dy <= 8)):
                continue  # 1/2, 2/3, 3/4, 4/4: fractions and counts
            if m.group("y") is None and dy == 10 and _PAIN.search(text, max(0, m.start() - 30), m.start()):
                continue  # pain scores "c/o CP 5/10"
            if m.group("y") is None and dy <= 10 and _VENT.search(text, max(0, m.start() - 45), m.start()):
                continue  # ventilator settings "CPAP 5/5", "PSV 10/5"
            yield Found(m.start(), m.end(), "DATE", score)
        for m in NUM_MONTH_YEAR.finditer(text):
            if _NOT_DATE_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
                continue
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
