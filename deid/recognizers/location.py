"""Cities, towns and regions: site gazetteer ("Baltimore", "Catonsville") and
"lives in X" / "from X" patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found, tokenize

_LIVES = re.compile(r"\b(?:lives|living|resides|residing|vacationing|moved|visiting|home)\s+(?:in|at|near|to)\s+$", re.I)


class LocationRecognizer(DeidRecognizer):
    """Places near the site (gazetteer) and residence phrases."""

    ENTITIES = ("LOCATION",)
    CONFIG_KEY = "location"

    def __init__(self, resources):
        super().__init__(resources)
        names = sorted({n.lower() for n in resources.config.site_gazetteer.places}, key=len, reverse=True)
        alts = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) or "(?!)"
        self._gazetteer = re.compile(rf"(?<![\w-])(?:{alts})(?![\w])", re.I)

    def find(self, text: str) -> Iterable[Found]:
        """Find gazetteer places and the place after "lives in"."""
        res = self.resources
        for m in self._gazetteer.finditer(text):
            yield Found(m.start(), m.end(), "LOCATION", self.score)
        toks = tokenize(text)
        for i, tok in enumerate(toks):
            if not _LIVES.search(text[max(0, tok.start - 25) : tok.start]):
                continue
            if res.lexicon.is_common(tok.text) or res.allowed(tok.text):
                continue
            end = tok.end
            if i + 1 < len(toks) and text[tok.end : toks[i + 1].start] == " " and not res.lexicon.is_common(toks[i + 1].text):
                end = toks[i + 1].end
            yield Found(tok.start, end, "LOCATION", self.score * 0.9)
