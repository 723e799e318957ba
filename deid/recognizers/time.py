"""Clock times written next to a date ("7/22 at 2130", "10/22/03, 1900") or after "at"/"@".

Times are tagged (type TIME) so that they are counted and can be coarsened; the
default operator keeps them, since the date they belong to is shifted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.dates import ISO, MONTH_DAY, NUMERIC
from deid.recognizers.base import DeidRecognizer, Found

_TIME = r"(?:[01]\d|2[0-3])[0-5]\d|(?:[01]?\d|2[0-3]):[0-5]\d(?:\s?[ap]\.?m\.?)?|(?:1[0-2]|0?[1-9])\s?[ap]\.?m\.?"
_AFTER_DATE = re.compile(rf"^(?:,|\s)\s*(?:at\s+|@\s*)?(?P<t>{_TIME})(?![\d/])", re.I)
_AT_TIME = re.compile(rf"(?:\bat|@)\s*(?P<t>{_TIME})(?![\d/:]|\s*(?:cc|ml|mg|units?|mcg)\b)", re.I)


class TimeRecognizer(DeidRecognizer):
    """Times of day adjacent to a date or introduced by "at"/"@"."""

    ENTITIES = ("TIME",)
    CONFIG_KEY = "time"

    def find(self, text: str) -> Iterable[Found]:
        """Find times after dates and after "at"/"@"."""
        seen: set[int] = set()
        for rx in (ISO, NUMERIC, MONTH_DAY):
            for m in rx.finditer(text):
                t = _AFTER_DATE.match(text[m.end() : m.end() + 20])
                if t:
                    s = m.end() + t.start("t")
                    seen.add(s)
                    yield Found(s, m.end() + t.end("t"), "TIME", self.score)
        for m in _AT_TIME.finditer(text):
            if m.start("t") not in seen:
                yield Found(m.start("t"), m.end("t"), "TIME", self.score * 0.8)
