"""Fields of HL7 v2 segments pasted into a note or an interface log ("PID|1||3056-002-14^^^MHMC^MR~
509473292^^^EXT^PI||RIDDLE^LAURA^C||..."): the identifiers, names, addresses and phones are read
from the field they stand in, whatever their shape.

A segment is a line (or a "\r"-terminated record) that starts with its three-letter name and a
bar. Fields are split by "|", repetitions by "~" and components by "^"; each PHI component is its
own span, so the separators, codes and segment names stay as they are. A field shaped like a
clinician (an id, a family and a given name) is read as one in any field of these segments, since
senders do not always keep to the field numbers. Dates and times in date fields ("19821117",
"202010032336") are shifted like any other date, in their own format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.dates import DIGITS
from deid.recognizers.base import DeidRecognizer, Found

#: A segment: at the start of a line, or after the carriage return that ends the previous segment
#: (HL7 v2 separates segments with "\r"; pasted into a note they often end with "\r\n").
_SEGMENT = re.compile(r"(?m)(?:^|(?<=\r))(?P<name>MSH|PID|PD1|NK1|PV1|IN1|IN2|GT1|ORC|OBR)\|(?P<rest>[^\r\n]*)")

# segment -> field number -> entity of each component by its 1-based position
_ID = {1: "MRN", 4: "HOSPITAL"}  # the id and its assigning authority (the hospital's acronym)
_DATE = {1: "DATE"}
_NAME = {1: "PERSON", 2: "PERSON", 3: "PERSON"}
_XCN = {1: "ID", 2: "PROVIDER", 3: "PROVIDER", 4: "PROVIDER"}
_ADDRESS = {1: "ADDRESS", 2: "ADDRESS", 3: "LOCATION", 5: "ZIP"}
_PHONE = {1: "PHONE", 4: "EMAIL", 6: "PHONE", 7: "PHONE"}
#: A field shaped like a clinician (XCN): an id, a family name and a given name.
_XCN_SHAPE = re.compile(r"\d{4,}\^[^\W\d_][\w'. -]*\^[^\W\d_][\w'. -]*(?:\^|\||\r|$)")
_FIELDS: dict[str, dict[int, dict[int, str]]] = {
    "MSH": {4: {1: "HOSPITAL"}, 6: {1: "HOSPITAL"}, 7: _DATE},
    "PID": {2: _ID, 3: _ID, 4: _ID, 5: {1: "PATIENT", 2: "PATIENT", 3: "PATIENT"}, 6: {1: "RELATIVE", 2: "RELATIVE"}, 7: _DATE,
            9: {1: "PATIENT", 2: "PATIENT", 3: "PATIENT"}, 11: _ADDRESS, 13: _PHONE, 14: _PHONE, 18: _ID,
            19: {1: "SSN"}, 20: {1: "ID"}, 29: _DATE},
    "PD1": {3: {1: "HOSPITAL"}, 4: _XCN},
    "NK1": {2: {1: "RELATIVE", 2: "RELATIVE", 3: "RELATIVE"}, 4: _ADDRESS, 5: _PHONE, 6: _PHONE, 16: _DATE},
    "PV1": {3: {4: "HOSPITAL"}, 7: _XCN, 8: _XCN, 9: _XCN, 17: _XCN, 19: _ID, 44: _DATE, 45: _DATE, 50: _ID},
    "IN1": {3: {1: "ID"}, 4: {1: "LOCATION"}, 5: _ADDRESS, 7: _PHONE, 8: {1: "ID"}, 16: _NAME, 19: _ADDRESS,
            36: {1: "ID"}, 49: {1: "ID"}},
    "IN2": {2: {1: "SSN"}, 8: {1: "ID"}},
    "GT1": {2: _ID, 3: _NAME, 5: _ADDRESS, 6: _PHONE, 7: _PHONE, 8: _DATE, 12: {1: "SSN"}},
    "ORC": {9: _DATE, 10: _XCN, 11: _XCN, 12: _XCN},
    "OBR": {6: _DATE, 7: _DATE, 8: _DATE, 14: _DATE, 16: _XCN, 22: _DATE, 28: _XCN, 32: _XCN, 34: _XCN},
}


def _parts(text: str, start: int, end: int, sep: str) -> Iterable[tuple[int, int, int]]:
    """1-based index, start and end of each ``sep``-separated part of ``text[start:end]``."""
    index, a = 1, start
    while True:
        b = text.find(sep, a, end)
        if b < 0:
            yield index, a, end
            return
        yield index, a, b
        index, a = index + 1, b + 1


class Hl7SegmentRecognizer(DeidRecognizer):
    """PHI components of HL7 v2 PID, NK1, PV1, IN1, GT1, ORC, OBR and MSH segments."""

    ENTITIES = ("DATE", "MRN", "ID", "PERSON", "PATIENT", "RELATIVE", "PROVIDER", "ADDRESS", "LOCATION", "ZIP", "PHONE",
                "EMAIL", "SSN", "HOSPITAL")
    CONFIG_KEY = "hl7_segment"

    def find(self, text: str) -> Iterable[Found]:
        """Find the PHI components of each segment line."""
        for m in _SEGMENT.finditer(text):
            fields = _FIELDS[m.group("name")]
            # MSH-1 is the bar itself, so MSH's n-th part is MSH-(n+1); other segments count from 1
            shift = 1 if m.group("name") == "MSH" else 0
            for index, a, b in _parts(text, m.start("rest"), m.end("rest"), "|"):
                components = fields.get(index + shift)
                if not components and _XCN_SHAPE.match(text, a, b):
                    components = _XCN  # a clinician in a field this table does not list ("1264150821^BACA^VERONICA")
                if not components:
                    continue
                for _, ra, rb in _parts(text, a, b, "~"):
                    for pos, ca, cb in _parts(text, ra, rb, "^"):
                        entity = components.get(pos)
                        value = text[ca:cb].strip()
                        if entity == "DATE" and not DIGITS.fullmatch(value):
                            continue  # a date field holds digits only; anything else is left to the other recognizers
                        if entity and any(c.isalnum() for c in value) and not (entity == "PHONE" and not any(c.isdigit() for c in value)):
                            yield Found(ca, cb, entity, self.score)
