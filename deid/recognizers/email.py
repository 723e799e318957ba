"""E-mail addresses."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}(?![\w-])", re.I)


class DeidEmailRecognizer(DeidRecognizer):
    """E-mail addresses (no network look-up of the public suffix list)."""

    ENTITIES = ("EMAIL",)
    CONFIG_KEY = "email"

    def find(self, text: str) -> Iterable[Found]:
        """Find ``local@domain.tld`` strings."""
        for m in _EMAIL.finditer(text):
            yield Found(m.start(), m.end(), "EMAIL", self.score)
