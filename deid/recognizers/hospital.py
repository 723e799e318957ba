"""Hospital and clinic names: site gazetteer ("GH", "Calvert", "Holy Cross") and
"<Name> Hospital/Hosp/Medical Center/Memorial/Campus/Rehab" patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import STOP_WORDS, DeidRecognizer, Found, alternation, is_mixed_case, tokenize

_KEYWORD = re.compile(
    r"^(?:hospital|hosp|hospitals|medical|med|memorial|general|regional|rehab|rehabilitation|"
    r"campus|clinic|infirmary|sanitarium|hospice|manor|house|center|ctr|healthcare|health|"
    r"university|nursing|vamc|va|mc)$",
    re.I,
)
_STRONG = re.compile(r"^(?:hospital|hosp|memorial|campus|pavilion|rehab|infirmary|vamc|manor|Center|Clinic|House)$", re.I)
_SAINT = re.compile(r"\b(?:st\.?|saint)\s+(?:[a-z]+(?:'s)?)\s+(?:hospital|hosp|medical|hospice|rehab)\b", re.I)


#: Keywords that always follow a proper name, even one made of common words.
_NAMED_ONLY = frozenset({"campus", "pavilion"})
_GENERIC_PLACE_WORDS = frozenset("main this that our their same other new old whole entire hospital hosp".split())


class HospitalRecognizer(DeidRecognizer):
    """Hospitals, campuses and care facilities."""

    ENTITIES = ("HOSPITAL",)
    CONFIG_KEY = "hospital"

    def __init__(self, resources):
        super().__init__(resources)
        alts = alternation((n.lower() for n in resources.config.site_gazetteer.hospitals), space=r"\s+")
        # a ward number may follow the name directly: "Quartermain7", "quartermain 2"
        self._gazetteer = re.compile(rf"(?<![\w-])(?:{alts})(?:\s?\d{{1,2}}[a-z]?(?![\w/]))?(?![a-z])", re.I)

    def find(self, text: str) -> Iterable[Found]:
        """Find gazetteer hospitals and names followed by a facility keyword."""
        res = self.resources
        for m in self._gazetteer.finditer(text):
            yield Found(m.start(), m.end(), "HOSPITAL", self.score)
        for m in _SAINT.finditer(text):
            yield Found(m.start(), m.end(), "HOSPITAL", self.score)
        toks = tokenize(text)
        mixed = is_mixed_case(text)
        for i, tok in enumerate(toks):
            if not (_STRONG.match(tok.text) or (mixed and tok.text in ("General", "Regional"))):
                continue  # "Mercy General": capitalised General/Regional only in sentence-case text
            if mixed and not tok.text[:1].isupper() and tok.low not in ("hosp", "hospital"):
                continue
            if tok.low in ("center", "clinic", "house") and not (mixed and tok.text[0].isupper()) and tok.low != "house":
                continue
            j = i - 1
            start = None
            while j >= 0 and i - j <= 3:
                prev = toks[j]
                gap = text[prev.end : toks[j + 1].start]
                if gap not in (" ", "-", "  ") or res.allowed(prev.text):
                    break
                low = prev.low
                titled = mixed and prev.text[:1].isupper()
                if _KEYWORD.match(prev.text) or (titled and low not in ("the", "to", "from", "at", "of", "in")):
                    start = prev.start
                elif tok.low in _NAMED_ONLY and low not in STOP_WORDS and low not in _GENERIC_PLACE_WORDS:
                    start = prev.start  # "east joy campus": a campus/pavilion is always named
                elif not res.lexicon.is_common(low) and len(low) > 2:
                    start = prev.start
                else:
                    break
                j -= 1
            if start is not None:
                yield Found(start, tok.end, "HOSPITAL", self.score * 0.9)
