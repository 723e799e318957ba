"""Medical record, account and accession numbers, with context ("MRN 7731-002-91", "acct #: 55123")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.dates import ISO, ISO_TIME, NUMERIC
from deid.recognizers.base import DeidRecognizer, Found, compile_context

#: Candidate ids: 5+ characters with at least 4 digits, digit groups joined by - or / ("TP/7624/21" too).
_ID = re.compile(r"(?<![\w-])(?=(?:[A-Z]*\d){4}|\d{2}-\d{7}(?![\w-])|[A-Z]{1,3}\d{1,4}[-/]\d{3}|[A-Z]{1,3}/\d{3})(?:[A-Z]{1,3}/(?=\d))?[A-Z]{0,3}\d[\dA-Z]*(?:[-/]\d[\dA-Z]*)*(?![\w-])", re.I)
#: Shapes that are identifiers on their own (no context needed): 7731-002-91, an employer id 17-0070616.
_SHAPE = re.compile(r"^(?:\d{3,5}-\d{2,4}-\d{2,4}|\d{2}-\d{7})$")
#: Court and agency case numbers with letters between the digits, three parts or more: "38-CV-25811",
#: "CV-07-069911", "HEAO-8929-150681" (a serial "PJN-558123" is left to the member-id recognizer).
_LETTERED_CASE = re.compile(r"(?<![\w-])(?:\d{2,4}-[A-Z]{2,4}-\d{2,}|[A-Z]{2,4}-\d{2,}-\d{2,})(?:-\d{2,})*(?![\w-])")


#: Surgical pathology accessions, a block after them or not: letters, the two-digit year and a serial
#: ("S19-73603", "B22-26945-A2", "SC20-3021"). The shape is an identifier on its own: a specimen's number.
_ACCESSION = re.compile(r"(?<![\w-])[A-Z]{1,2}\d{2}-\d{4,6}(?:-[A-Z]{1,2}\d{0,3})?(?![\w-])")


#: "No.", "ID" or "#" right before a case number ("..., No. 21-CV-40917", "CASE ID: PCC-21-257300").
_NUMBER_CUE = re.compile(r"(?i:\b(?:no\.?|number|nr\.?|id)|#)[ \t]*:?[ \t]*$")


class MrnRecognizer(DeidRecognizer):
    """MRN / account / accession / reference numbers next to a context word."""

    ENTITIES = ("MRN",)
    CONFIG_KEY = "mrn"

    def __init__(self, resources):
        super().__init__(resources)
        self._context = compile_context(self.settings.context)

    def find(self, text: str) -> Iterable[Found]:
        """Find id-shaped tokens with an MRN-like context word within 25 characters before."""
        for m in _ACCESSION.finditer(text):
            yield Found(m.start(), m.end(), "MRN", self.score)
        for m in _LETTERED_CASE.finditer(text):
            cued = self._context.search(text, max(0, m.start() - 45), m.start()) \
                or _NUMBER_CUE.search(text, max(0, m.start() - 12), m.start())
            if sum(c.isdigit() for c in m.group()) >= 5 and cued:
                yield Found(m.start(), m.end(), "MRN", self.score)
        for m in _ID.finditer(text):
            tok = m.group()
            if _ACCESSION.fullmatch(tok):
                continue  # found above, cue or not
            digits = sum(c.isdigit() for c in tok)
            lettered = digits == 4 and re.fullmatch(r"[A-Z]{2,3}\d{4}", tok) is not None  # "Donor ID IUK7762"
            if digits < 5 and not _SHAPE.match(tok) and not lettered:
                continue
            if lettered:
                if self._context.search(text, max(0, m.start() - 25), m.start()):
                    yield Found(m.start(), m.end(), "MRN", self.score)
                continue
            if re.fullmatch(r"\d{3}-\d{3}-\d{4}|\d{3}-\d{2}-\d{4}", tok):
                continue  # phone / SSN shapes belong to their recognizers
            if ISO_TIME.match(text, m.start()) or ISO.match(text, m.start()) or NUMERIC.fullmatch(tok):
                continue  # "specimen collected 2020-11-12T08:15": a date, shifted by the date recognizer
            if re.search(r"(?:pager|beeper|pg|page|phone|cell|tel|fax|home|work|office)\W{0,4}(?:#|no\.?|number)?\W{0,3}$",
                         text[max(0, m.start() - 20) : m.start()], re.I):
                continue  # phone/pager numbers
            if self._context.search(text, max(0, m.start() - 25), m.start()):
                yield Found(m.start(), m.end(), "MRN", self.score)
            elif _SHAPE.match(tok) and not re.fullmatch(r"\d{1,2}-\d{1,2}-\d{2,4}", tok):
                yield Found(m.start(), m.end(), "MRN", self.score * 0.6)
