"""Patient (and other person) names: "Mr. Masci", "MRS BRUCER", "Miss Margaret Gaudreau",
and names from the name lexicon that are not common words ("Radu", "Philomena Crosson")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers._names import grow_forward, span_of
from deid.recognizers.base import STOP_WORDS, WEEKDAYS, DeidRecognizer, Found, is_mixed_case, tokenize

_TITLE = re.compile(r"^(?:mr|mrs|ms|miss|mister|mstr|madam)$", re.I)
#: A nickname after a cue: 'goes by "Peg"', "prefers to be called Bud", 'everyone calls me "Sunny"', "AKA BUTCH" (quoted, or one
#: capitalised word).
_NICKNAME = re.compile(
    r"\b(?:goes\s+by|known\s+as|calls?\s+(?:me|him|her)|prefers(?:\s+to\s+be\s+called)?|likes\s+to\s+be\s+called|wants\s+to\s+be\s+called|"
    r"nicknamed?|nick\s+name|a\.?k\.?a\.?)[\s:]+(?:(?P<q>[\"“'‘(])(?P<quoted>[^\W\d_][\w.'’ -]{0,20}?)[\"”'’)]"
    r"|(?P<bare>[A-Z][A-Za-z'’-]+))",
    re.I,
)


class PatientNameRecognizer(DeidRecognizer):
    """Names after Mr/Mrs/Ms/Miss, and dictionary names (first or last) that are not common words."""

    ENTITIES = ("PERSON", "PATIENT")
    CONFIG_KEY = "patient_name"

    def find(self, text: str) -> Iterable[Found]:
        """Find titled names and unambiguous lexicon names (with an adjacent surname)."""
        res = self.resources
        lex = res.lexicon
        toks = tokenize(text)
        mixed = is_mixed_case(text)
        english = self.resources.wide.english_words
        for m in _NICKNAME.finditer(text):
            group = "quoted" if m.group("quoted") else "bare"
            word = m.group(group)
            if group == "bare" and (not word[:1].isupper() or word.lower() in STOP_WORDS
                                    or (mixed and not word.istitle()) or (not mixed and not lex.is_first_name(word))
                                    or lex.is_common(word) and not lex.is_first_name(word)):
                continue  # "prefers Ensure", "known as a smoker"
            yield Found(m.start(group), m.end(group), "PATIENT", self.score + 0.1)
        used: set[int] = set()
        for i, tok in enumerate(toks):
            if _TITLE.match(tok.text) and i + 1 < len(toks):
                gap = text[tok.end : toks[i + 1].start]
                if len(gap) > 3 or gap.strip() not in ("", ".") or "\n" in gap:
                    continue  # "alt ms.\np: follow sats": a heading on the next line
                nxt = toks[i + 1].text
                if len(nxt) == 1 and nxt.islower():
                    continue  # "MR d/t MVR" (mitral regurgitation), not "Mr. D."
                name = grow_forward(text, toks, i + 1, res, first_strict=tok.low == "ms", max_tokens=3)
                if tok.low == "ms" and name and res.lexicon.is_common(name[0].text) and len(name[0].text) > 1:
                    continue
                if name:
                    used.update(range(i + 1, i + 1 + len(name)))
                    yield Found(*span_of(name, text), "PATIENT", self.score + 0.15)
        for i, tok in enumerate(toks):
            if i in used or res.allowed(tok.text):
                continue
            if not lex.is_unambiguous_name(tok.text):
                continue
            if mixed and not tok.text[:1].isupper():
                continue
            if tok.text.isupper() and len(tok.text) <= 3:
                continue  # abbreviations
            if tok.low in WEEKDAYS:
                continue  # "clean clothes for Sunday"
            if tok.low in english and not (mixed and tok.text.istitle()):
                continue  # no cue, and the case says nothing: "APPEARING MORE LUCID", "continues to moan"
            start, end = tok.start, tok.end
            # "Radu Crosson": a first name followed by an unknown non-common token
            if lex.is_first_name(tok.text) and i + 1 < len(toks):
                nxt = toks[i + 1]
                if text[tok.end : nxt.start] == " " and res.name_candidate(nxt, strict=True) and (
                    not mixed or nxt.text[:1].isupper()
                ):
                    end = nxt.end
                    used.add(i + 1)
            yield Found(start, end, "PERSON", self.score)
