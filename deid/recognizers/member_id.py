"""Insurance/member/policy ids and device serial numbers, with context."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found, compile_context

_ID = re.compile(r"(?<![\w-])(?=[\w-]*\d)[A-Z0-9][A-Z0-9-]{4,}(?![\w-])", re.I)
#: Letters then six or more digits ("AS8705691", "AB1234567"): an identifier shape with no clinical reading.
_LETTERED = re.compile(r"(?<![\w-])[A-Z]{1,3}\d{6,12}(?![\w-])")


class MemberIdRecognizer(DeidRecognizer):
    """Ids after "member id", "policy #", "serial number", "S/N", "Medicare"..."""

    ENTITIES = ("ID",)
    CONFIG_KEY = "member_id"

    def __init__(self, resources):
        super().__init__(resources)
        self._context = compile_context(self.settings.context)

    def find(self, text: str) -> Iterable[Found]:
        """Find alphanumeric ids (5+ chars, 3+ digits) with a context word before them."""
        for m in _ID.finditer(text):
            tok = m.group()
            if sum(c.isdigit() for c in tok) < 4:
                continue
            if self._context.search(text, max(0, m.start() - 30), m.start()):
                yield Found(m.start(), m.end(), "ID", self.score)
        for m in _LETTERED.finditer(text):
            yield Found(m.start(), m.end(), "ID", self.score * 0.8)
