"""Patient (and other person) names: "Mr. Masci", "MRS BRUCER", "Miss Margaret Gaudreau",
and names from the name lexicon that are not common words ("Radu", "Philomena Crosson")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers._names import grow_forward, span_of
from deid.recognizers.base import DeidRecognizer, Found, is_mixed_case, tokenize

_TITLE = re.compile(r"^(?:mr|mrs|ms|miss|mister|mstr|madam)$", re.I)


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
        used: set[int] = set()
        for i, tok in enumerate(toks):
            if _TITLE.match(tok.text) and i + 1 < len(toks):
                gap = text[tok.end : toks[i + 1].start]
                if len(gap) > 3 or gap.strip() not in ("", "."):
                    continue
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
