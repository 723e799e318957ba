"""Cities, towns, businesses and other places: site gazetteer ("Baltimore", "Catonsville"),
"lives in X", employers ("CEO of IBM", "his business Genentech"), someone's home ("at
seymour black's house") and named facilities before a unit ("to Lally MICU")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import STOP_WORDS, DeidRecognizer, Found, Token, alternation, is_mixed_case, tokenize

_LIVES = re.compile(r"\b(?:lives|living|resides|residing|vacationing|moved|visiting|home)\s+(?:in|at|near|to)\s+$", re.I)
#: Employers and businesses: "CEO of IBM", "his business Genentech", "works at Acme Corp".
_EMPLOYER = re.compile(
    r"\b(?:business|company|firm|employer|(?:works?|worked|working|employed)\s+(?:at|for|by)|"
    r"(?:ceo|president|owner|founder|manager|director|vp)\s+(?:of|at)|owns)\s+(?:the\s+)?"
    r"(?P<org>[A-Za-z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,2})",
    re.I,
)
#: A place someone was taken to or came from: "TAKEN TO JAMESFORT WHERE", "transferred to
#: quartermain 2", "admitted from Kessler Adventist" (the words are checked in ``_unknown_place``).
_MOVED = re.compile(
    r"\b(?:taken|transferred|transfered|tranfered|brought|sent|went|admitted|adm|presented|flown|flighted|"
    r"moved|returned|return|transfer|trans|tx|arrived|recieved|received|discharged|go|back)\s+(?:to|from|at)\s+"
    r"(?:the\s+)?(?P<place>[A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*)?)(?P<ward>\s?\d{1,2}[A-Za-z]?(?![\w/]))?",
    re.I,
)
#: Hospital acronyms: "GH", "MGH", "BIDMC", "VAMC" (not the generic OSH/NH/ED...).
_HOSPITAL_ACRONYM = re.compile(r"(?<![\w/-])(?P<a>[A-Z]{1,4}(?:H|MC))(?![\w/-])")
#: The same written in lower case, as in all-lower-case notes ("sent to gh", "at mgh").
_HOSPITAL_ACRONYM_LOWER = re.compile(r"(?<![\w/-])(?P<a>[a-z]{1,3}(?:h|mc))(?![\w/-])")
GENERIC_PLACE_ACRONYMS = _GENERIC_ACRONYMS = frozenset("OSH NH SNH ALH CMH PH DH LH MH TH CH IH BH HH AH EH RH SH FH ICH SAH IVH NPH DTH "
                              "OH LVH RVH BPH PTH ADH ACTH HGH FSH LH TSH MMC ECMC PMH FMH SH LMC "
                              "UH PPH INH TRH GNRH CRH LDH MCH SDH EDH IPH DKH SIADH HOH DOH LCH ONH".split())
#: What may stand before a hospital acronym besides to/at/from: "he is in GH" (a being-in; not
#: "deficiency in GH", the hormone), "would need to leave GH",
#: "found unresponsive-> GH EW", "@ MGH".
_ACRONYM_CUE = re.compile(r"(?:\b(?:to|at|from|into|leave|leaving|(?:is|am|'m|are|was|were|be|been)\s+in)\s+(?:the\s+)?"
                          r"|(?:->|@)\s*)$", re.I)
#: A hospital acronym before one of its departments: "GH EW", "MGH ED", "BWH cath lab", "GH TCU".
_ACRONYM_UNIT = re.compile(r"\s+(?:MICU|SICU|CCU|CSRU|CVICU|TSICU|NICU|PICU|ICU|ED|ER|EW|TCU|cath\s+lab|clinic)\b", re.I)
#: Someone's home as a place: "at seymour black's house".
_HOUSE = re.compile(r"\bat\s+(?P<who>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?)['’]s\s+(?:house|home|place|apartment|apt|farm|condo)\b", re.I)
#: A named facility before a unit: "transferred to Lally MICU".
_BEFORE_UNIT = re.compile(
    r"\b(?:to|from|at|in)\s+(?P<name>[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]{2,})?)\s+"
    r"(?:MICU|SICU|CCU|CSRU|CVICU|TSICU|NICU|PICU|ICU|ED|ER|rehab|Rehab|ward|Ward|floor)\b")


class LocationRecognizer(DeidRecognizer):
    """Places near the site (gazetteer), residence and transfer phrases, employers."""

    ENTITIES = ("LOCATION", "HOSPITAL")
    CONFIG_KEY = "location"

    def __init__(self, resources):
        super().__init__(resources)
        alts = alternation((n.lower() for n in resources.config.site_gazetteer.places), space=r"\s+")
        self._gazetteer = re.compile(rf"(?<![\w-])(?:{alts})(?![\w])", re.I)

    def _unknown_place(self, tok) -> bool:
        """A word that is no English/clinical word nor a typo of one: read as a place name."""
        res, lex = self.resources, self.resources.lexicon
        low = tok.low
        if len(low) < 3 or low in STOP_WORDS or res.allowed(low) or lex.is_common(low):
            return False
        if "-" in low:
            return all(self._unknown_place(Token(0, len(p), p)) for p in low.split("-"))
        return not lex.looks_like_word(low) and not lex.is_typo_of_common(low)

    def _proper(self, phrase: str, text: str) -> bool:
        """Whether ``phrase`` reads as a proper name: no clinical or stop word, and not
        made only of common words (a known name may be one: "Black")."""
        res = self.resources
        words = tokenize(phrase)
        if not words or any(res.allowed(w.text) or w.low in STOP_WORDS for w in words):
            return False
        if is_mixed_case(text) and not all(w.text[:1].isupper() for w in words):
            return False
        return any(not res.lexicon.is_common(w.text) or res.lexicon.is_name(w.text) for w in words) \
            and not all(res.lexicon.looks_like_word(w.text) and not res.lexicon.is_name(w.text) for w in words)

    def find(self, text: str) -> Iterable[Found]:
        """Find gazetteer places and the place after "lives in"."""
        res = self.resources
        for m in self._gazetteer.finditer(text):
            yield Found(m.start(), m.end(), "LOCATION", self.score)
        for m in _MOVED.finditer(text):
            words = tokenize(m.group("place"))
            keep = []
            for w in words:
                if not self._unknown_place(w):
                    break
                keep.append(w)
            if keep:
                end = m.end("ward") if m.group("ward") and len(keep) == len(words) else m.start("place") + keep[-1].end
                yield Found(m.start("place"), end, "LOCATION", self.score * 0.9)
        lower_note = not any(c.isupper() for c in text[:2000] if c.isalpha()) or not is_mixed_case(text)
        acronyms = list(_HOSPITAL_ACRONYM.finditer(text))
        if lower_note:
            # a two-letter one is never a word ("gh", "mh"): the real ones (oh, ah, sh...) are generic
            acronyms += [m for m in _HOSPITAL_ACRONYM_LOWER.finditer(text)
                         if (len(m.group("a")) == 2 or not res.lexicon.is_common(m.group("a")))
                         and m.group("a") not in STOP_WORDS]
        for m in acronyms:
            acronym = m.group("a").upper()
            word_like = len(acronym) > 3 and not self._unknown_place(Token(0, len(acronym), acronym))
            if acronym in _GENERIC_ACRONYMS or word_like or res.allowed(acronym.lower()):
                continue
            if _ACRONYM_CUE.search(text, max(0, m.start() - 12), m.start()) or _ACRONYM_UNIT.match(text, m.end()):
                yield Found(m.start(), m.end(), "HOSPITAL", self.score)
        for rx, group in ((_EMPLOYER, "org"), (_HOUSE, "who"), (_BEFORE_UNIT, "name")):
            for m in rx.finditer(text):
                if self._proper(m.group(group), text):
                    yield Found(m.start(group), m.end(group), "LOCATION", self.score * 0.9)
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
