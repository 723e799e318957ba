"""URLs and bare domain names (http(s)://..., www...., example.org/path)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found

_TLDS = r"(?:com|org|net|edu|gov|mil|io|info|biz|us|uk|de|fr|ca|au|nl|ch|ru|jp|br|co|health)"
_URL = re.compile(
    rf"(?:(?:https?|ftp)://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+|"
    rf"(?<![\w@.-])(?:[a-z0-9-]+\.)+{_TLDS}(?:/[^\s<>\"')\]]*)?(?![\w@-]))",

)


class DeidUrlRecognizer(DeidRecognizer):
    """Web addresses and domain names."""

    ENTITIES = ("URL",)
    CONFIG_KEY = "url"

    def find(self, text: str) -> Iterable[Found]:
        """Find URLs; a trailing period is not part of the URL."""
        for m in _URL.finditer(text):
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:":
                end -= 1
            yield Found(m.start(), end, "URL", self.score)
