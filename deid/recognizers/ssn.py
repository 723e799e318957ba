"""US social security numbers (123-45-6789, or 9 digits after "SSN")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found

_SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w-])")
_SSN_CTX = re.compile(r"\b(?:ssn|ss#|ss #|social security(?: number| no\.?)?)\s*[:#]?\s*(?P<n>\d{9}|\d{3}[- .]\d{2}[- .]\d{4})\b", re.I)


class DeidSsnRecognizer(DeidRecognizer):
    """Social security numbers."""

    ENTITIES = ("SSN",)
    CONFIG_KEY = "ssn"

    def find(self, text: str) -> Iterable[Found]:
        """Find dashed SSNs anywhere and bare 9-digit ones after "SSN"."""
        for m in _SSN.finditer(text):
            yield Found(m.start(), m.end(), "SSN", self.score)
        for m in _SSN_CTX.finditer(text):
            yield Found(m.start("n"), m.end("n"), "SSN", self.score)
