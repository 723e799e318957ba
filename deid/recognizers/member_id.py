"""Insurance/member/policy ids, device serial numbers and account user names, with context."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found, compile_context

_ID = re.compile(r"(?<![\w-])(?=[\w-]*\d)[A-Z0-9][A-Z0-9-]{4,}(?![\w-])", re.I)
#: Letters then six or more digits, maybe a hyphen between and a check letter ("AS8705691", "PJN0497988V",
#: "DPBV49495154", "SAEK-0312763"): an identifier shape (device serials, session, order, kit and photo-log
#: ids, "SUR19614837-A1" cassettes) with no clinical reading.
_LETTERED = re.compile(r"(?<![\w-])[A-Z]{1,4}-?\d{6,12}[A-Z]?(?:-[A-Z]\d{0,2})?(?![\w-])")
#: A user name after "Account:", "Username:", "login": letters with digits ("scruz30", "j.doe2").
_HANDLE = re.compile(r"(?i:\b(?:account|acct|user ?name|user ?id|user|login|log-in|handle|screen ?name)\s*(?:name)?\s*[:=#]\s*)"
                     r"(?P<handle>[A-Za-z][A-Za-z._-]{1,30}\d{1,6})(?![\w@.-])")


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
        for m in _HANDLE.finditer(text):
            yield Found(m.start("handle"), m.end("handle"), "ID", self.score)
