"""Cells of a table column whose header says who, where or which record ("Prescriber", "Called to",
"Pharmacy", "MRN"):
in a medication list or a call-back log the cell under such a header is a name or a facility
whatever its words ("| Fan |", "| Johnson |", "| Jeon Family Pharmacy |").

A table is a header line and the lines under it, with cells split by " | " (pipes) or tabs (an
indented line without them is a row's note and the table goes on); a row counts when it has as many
cells as the header. A cell is taken when it holds a letter, starts
with a capital and is no placeholder ("Self", "OTC", "N/A", "-").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found

#: Headers of columns of clinicians (PROVIDER: an eponym surname such as "Johnson" is taken too).
_PROVIDER_HEADER = re.compile(
    r"^(?:prescriber|prescribed by|provider|physician|doctor|clinician|ordered by|ordering(?: provider| physician)?|"
    r"attending|nurse|rn|staff|staff member|tech|technologist|called by|called to|notified|read ?back by|"
    r"signed by|entered by|author|reviewer|reviewed by|reported by|pcp|referring(?: provider| physician)?|"
    r"consultant|surgeon|verified by|performed by|administered by|documented by|taken by|physician notified|"
    r"provider notified|md notified|wasted by|waster|witness(?:ed)? by|witness rn|second rn|2nd rn|cosigner|co-signer|"
    r"counted by|pharmacist|dispensed by|checked by|prepared by|compounded by|by|initials|init|staff initials|"
    r"released by|relinquished by|collected by|handled by|transferred by|examiner|crew)$", re.I)
#: Headers of columns of anyone (PERSON).
_PERSON_HEADER = re.compile(r"^(?:name|full name|patient|patient name|pt name|contact|witness|interpreter|caller|recipient|received by|"
                            r"person notified|given to|spoke with|relationship/name)$", re.I)
_PLACE_HEADER = re.compile(r"^(?:pharmacy|dispensing pharmacy|facility|hospital|clinic|practice|employer|school|"
                           r"agency|outside facility|sending facility|receiving facility)$", re.I)
#: Headers of columns of record numbers (MRN: digits without any other cue, "| 48042332 |").
_ID_HEADER = re.compile(r"^(?:mrn|mr#|mr ?no\.?|medical record(?: number| no\.?)?|account|acct|fin|csn|encounter|"
                        r"badge|badge #|employee id|subject id|study id|case #|case number|case id|record #|"
                        r"rx|rx ?#|rx no\.?|rx number|prescription ?#|prescription number|kit ?#|claim ?#|file ?#|"
                        r"run ?#|incident ?#|screen(?:ing)? ?(?:#|no\.?|number|id)|subject ?(?:#|no\.?|number)?|"
                        r"participant(?: id| ?#)?|accession(?: ?#| no\.?| number)?|specimen ?#|outside case|"
                        r"block ?#?|request id|trip ?(?:#|id)|bottle ?#)$", re.I)
_PLACEHOLDER = frozenset("self patient pt otc historical outside unknown none n/a na - -- — home same other "
                         "pending tbd unk not listed see above".split())


#: An indented line under a row, or a rule line under the header, without the table's separator:
#: the table goes on.
_CONTINUATION = re.compile(r"^[ \t]+\S|^[-+=: \t]{3,}$")  # a row's note, or a rule line ("-----+-----")


def _cells(line: str, sep: str) -> list[tuple[int, int]]:
    """Start and end of each cell of ``line`` (offsets in the line, spaces trimmed)."""
    out, start = [], 0
    for part in line.split(sep):
        a, b = start, start + len(part)
        while a < b and line[a] in " \t":
            a += 1
        while b > a and line[b - 1] in " \t":
            b -= 1
        out.append((a, b))
        start += len(part) + len(sep)
    return out


class TableColumnRecognizer(DeidRecognizer):
    """Names and facilities in a table column headed by a person or place word."""

    ENTITIES = ("PROVIDER", "PERSON", "HOSPITAL", "MRN")
    CONFIG_KEY = "table_column"

    def find(self, text: str) -> Iterable[Found]:
        """Find the cells under person and place headers of pipe and tab tables."""
        lines, pos = [], 0
        for line in text.split("\n"):
            lines.append((pos, line))
            pos += len(line) + 1
        k = 0
        while k < len(lines):
            offset, header = lines[k]
            sep = "|" if header.count("|") >= 2 else "\t" if header.count("\t") >= 2 else ""
            columns = self._columns(header, sep) if sep else {}
            if not columns:
                k += 1
                continue
            width = len(_cells(header, sep))
            k += 1
            while k < len(lines) and (sep in lines[k][1] or _CONTINUATION.match(lines[k][1])):
                row_offset, row = lines[k]
                if sep not in row:  # "     ^ son Edwin at bedside": a row's note on the next line
                    k += 1
                    continue
                cells = _cells(row, sep)
                if len(cells) == width and not re.fullmatch(r"[\s|:+=-]*", row):
                    for col, entity in columns.items():
                        a, b = cells[col]
                        cell = row[a:b]
                        if entity == "MRN" and re.fullmatch(r"[A-Z]{0,3}[-#]?\d[\d-]{3,14}", cell) or entity != "MRN" and self._value(cell):
                            yield Found(row_offset + a, row_offset + b, entity, self.score)
                k += 1

    @staticmethod
    def _columns(header: str, sep: str) -> dict[int, str]:
        """Column index -> entity of the header cells that name a person or a place."""
        out = {}
        for col, (a, b) in enumerate(_cells(header, sep)):
            label = header[a:b].strip(" :*").lower()
            if _PROVIDER_HEADER.match(label):
                out[col] = "PROVIDER"
            elif _PERSON_HEADER.match(label):
                out[col] = "PERSON"
            elif _PLACE_HEADER.match(label):
                out[col] = "HOSPITAL"
            elif _ID_HEADER.match(label):
                out[col] = "MRN"
        return out

    @staticmethod
    def _value(cell: str) -> bool:
        """A name or facility cell: a capital first, a letter, no placeholder, at most eight words."""
        if not cell or not cell[:1].isupper() or len(cell.split()) > 8 or cell.lower().strip(" .") in _PLACEHOLDER:
            return False
        return any(c.isalpha() for c in cell) and not re.fullmatch(r"[A-Z]{1,2}\d*|\W+", cell)
