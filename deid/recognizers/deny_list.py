"""Per-note deny list from :class:`deid.types.PatientContext.known_identifiers`.

The node knows the patient's name, MRN, phone and address from ADT data; these
are redacted wherever they appear in that patient's notes, case-insensitively.
Name values are also matched token by token ("Mary Smith" -> "Mary", "Smith");
values with 4+ digits match whatever the separators ("410-555-1234" matches
"(410) 555 1234").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from deid.recognizers.base import STOP_WORDS, DeidRecognizer, Found, Resources

#: known_identifiers keys (upper-cased) -> entity type of the spans.
KEY_TO_ENTITY: dict[str, str] = {
    "PATIENT": "PATIENT", "NAME": "PATIENT", "PERSON": "PATIENT", "RELATIVE": "RELATIVE",
    "MRN": "MRN", "ID": "ID", "PHONE": "PHONE", "ADDRESS": "ADDRESS", "EMAIL": "EMAIL",
    "SSN": "SSN", "ZIP": "ZIP", "LOCATION": "LOCATION", "HOSPITAL": "HOSPITAL",
    "PROVIDER": "PROVIDER", "WARD": "WARD",  # the site's master data (node/masterdata): staff, wards and units
}
_NAME_KEYS = {"PATIENT", "NAME", "PERSON", "RELATIVE"}


def _value_pattern(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 4 and len(digits) >= len(re.sub(r"\W", "", value)) - 3:
        return r"(?<!\d)" + r"[\s().-]{0,3}".join(re.escape(d) for d in digits) + r"(?!\d)"
    return r"(?<![\w])" + r"\s+".join(re.escape(p) for p in value.split()) + r"(?![\w])"


class DenyListRecognizer(DeidRecognizer):
    """Redacts identifiers known for this patient (built per note)."""

    ENTITIES = tuple(sorted(set(KEY_TO_ENTITY.values())))
    CONFIG_KEY = "deny_list"

    def __init__(self, resources: Resources, known: Mapping[str, Iterable[str]]):
        super().__init__(resources)
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        for key, values in known.items():
            entity = KEY_TO_ENTITY.get(key.upper(), "ID")
            alts: set[str] = set()
            for v in values:
                v = str(v).strip()
                if not v:
                    continue
                alts.add(_value_pattern(v))
                if key.upper() in _NAME_KEYS:
                    # the patient's and relatives' own names go wherever they appear in their notes,
                    # eponyms included ("Wilson"): over-redacting "Wilson disease" in one patient's
                    # notes is the price of never leaking that patient's surname
                    for tok in re.findall(r"[^\W\d_][^\W\d_'-]+", v):
                        if tok.lower() not in STOP_WORDS:
                            alts.add(_value_pattern(tok))
            if alts:
                rx = re.compile("|".join(sorted(alts, key=len, reverse=True)), re.I)
                self._patterns.append((rx, entity))

    def find(self, text: str) -> Iterable[Found]:
        """Find every occurrence of every known identifier."""
        for rx, entity in self._patterns:
            for m in rx.finditer(text):
                yield Found(m.start(), m.end(), entity, self.score)
