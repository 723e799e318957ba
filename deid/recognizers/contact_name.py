"""Names found from what people do in notes rather than from a title: "spoke with Radu",
"able to reach Rob", "grace dudak aware", "social: bill called", "lorrie morales is a 70 yr
old female", "Lopie Certusi cell# 410-...", and signature lines ("Mary Rueping" alone on a line).

The context words are verbs of contact and report (spoke with, called, aware, visited...).
A token next to them is taken as a name when it is a known name that is not a common word,
or, without a dictionary hit, an unknown token that does not look like an English word
(capitalised, in sentence-case notes). Names that are also common words (Bill, Will, Mark)
are taken only where a section label ("social:", "family:") or line start makes the
reading certain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers._names import grow_backward, grow_forward, span_of
from deid.recognizers.base import STOP_WORDS, DeidRecognizer, Found, Token, is_mixed_case, tokenize

#: Verbs/phrases after which a person is named ("spoke with X", "able to reach X").
_BEFORE = re.compile(
    r"(?:\b(?:spoke|spoken|speaking|talked|talking|met|meeting|discussed|conferred)(?:\s+[a-z]+ly)?\s+(?:with|to)"
    r"|\b(?:reach|reached|contacted|contact|paged|page|phoned)"
    r"|\b(?:called|updated|informed|notified|contacts)(?:\s+(?:by|to))?)\s*:?\s+$",
    re.I,
)
#: Verbs after a person's name ("X aware", "X called", "X wishes to make pt DNR").
_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:aware|notified|paged|called|phoned|visited|visiting|contacted|wishes|wished|"
    r"verbalizes|verbalized|agrees|agreed|requests|requested|states|stated|updated|came|"
    r"in\s+to\s+(?:visit|see)|at\s+(?:the\s+)?bedside|here\s+to|does\s+not\s+wish|did\s+not\s+wish)\b",
    re.I,
)
#: Section labels after which a bare first name is a visitor ("social: bill called").
_LABEL = re.compile(r"(?:^|\n)\s*(?:social|family|visitors?|dispo|contact)\s*[:=-]\s*$", re.I)
#: "<name> is a 70 yr old", "<name> is an 80 y/o".
_AGE_INTRO = re.compile(r"^\s+is\s+an?\s+\d{1,3}\s*(?:-\s*)?(?:y/?o|yr|year|years)\b", re.I)
#: "<name> cell# 410-...", "<name> home: (301) ...", "<name> (son) 410-...".
_PHONE_AFTER = re.compile(
    r"^\s*(?:\((?:son|daughter|wife|husband|sister|brother|mother|father|niece|nephew|friend|"
    r"hcp|proxy)\)\s*)?(?:(?:cell|home|work|phone|tel|mobile|pager|beeper)\s*(?:#|no\.?|number)?\s*:?\s*)?"
    r"\(?\d{3}\)?[\s.-]{0,3}\d{3}[\s.-]{0,3}\d{4}",
    re.I,
)
#: A line that holds only two to four words, maybe with a credential: a signature candidate.
_SIGNATURE_LINE = re.compile(r"(?m)^[ \t]*[A-Za-z][A-Za-z'-]+(?:[ \t]+[A-Za-z]\.?)?(?:[ \t]*,?[ \t]+[A-Za-z][A-Za-z'-]+){1,2}"
                             r"[ \t]*$")
#: A greeting or thanks addressed to someone: "Hi Mark,", "Dear Holly:", "Thanks Zoe!".
_GREETING = re.compile(r"(?:^|\n|[.!?]\s+)(?:hi|hello|hey|dear|thanks|thank\s+you|good\s+(?:morning|afternoon))\s*,?\s+"
                       r"(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)\s*[,!:\n]", re.I)
_NOT_ADDRESSEE = frozenset("all team everyone everybody doctor dr sir madam colleague colleagues there folks friends "
                           "nurse nurses family patient you again so".split())
_CREDENTIAL_WORD = re.compile(r"^(?:RN|MD|NP|PA|CRT|RRT|LPN|SN|MSW|LICSW|CNA|PT|OT|RD)$")


class ContactNameRecognizer(DeidRecognizer):
    """Person names next to verbs of contact/report, age introductions, phone numbers and
    on signature lines."""

    ENTITIES = ("PERSON", "PATIENT")
    CONFIG_KEY = "contact_name"

    def _strong(self, tok: Token, mixed: bool) -> bool:
        """Whether ``tok`` alone reads as a name (no title): a known name that is not a
        common word, or an unknown non-word (capitalised in sentence-case text)."""
        res = self.resources
        low = tok.low
        if len(low) < 3 or low in STOP_WORDS or res.allowed(low):
            return False
        if mixed and not tok.text[:1].isupper():
            return False
        lex = res.lexicon
        if "-" in low:  # "son-in-law", "hypertensive-team", "S-RESIDENT": all parts must read as names
            return all(lex.is_name(p) and not lex.is_common(p) for p in low.split("-"))
        if lex.is_common(low):
            return False
        if lex.is_name(low):
            return True
        # an unknown token: not shaped like a word nor a typo of one ("tema", "famil")
        return len(low) >= 4 and not lex.looks_like_word(low) and not lex.is_typo_of_common(low)

    def _ambiguous_first(self, tok: Token, mixed: bool) -> bool:
        """A first name that is also a common word ("bill", "will")."""
        lex = self.resources.lexicon
        return (lex.is_first_name(tok.low) and tok.low not in STOP_WORDS and not self.resources.allowed(tok.low)
                and (not mixed or tok.text[:1].isupper()))

    def find(self, text: str) -> Iterable[Found]:
        """Find names around contact verbs, before age introductions and phone numbers,
        and on signature lines."""
        res = self.resources
        toks = tokenize(text)
        mixed = is_mixed_case(text)
        score = self.score
        for i, tok in enumerate(toks):
            if len(tok.text) < 3 or tok.low in STOP_WORDS:
                continue
            before = text[max(0, tok.start - 30) : tok.start]
            if _BEFORE.search(before) and self._strong(tok, mixed):
                name = grow_forward(text, toks, i, res, first_strict=True, max_tokens=3)
                if name:
                    yield Found(*span_of(name, text), "PERSON", score)
                continue
            after = text[tok.end : tok.end + 40]
            if _AFTER.match(after) or _AGE_INTRO.match(after) or _PHONE_AFTER.match(after):
                entity = "PATIENT" if _AGE_INTRO.match(after) else "PERSON"
                if self._strong(tok, mixed):
                    name = grow_backward(text, toks, i, res, max_tokens=3)
                    if name:
                        yield Found(*span_of(name, text), entity, score)
                elif self._ambiguous_first(tok, mixed) and _LABEL.search(before):
                    yield Found(tok.start, tok.end, entity, score * 0.9)
        for m in _SIGNATURE_LINE.finditer(text):
            yield from self._signature(m.group(), m.start(), mixed)
        for m in _GREETING.finditer(text):
            name = m.group("name")
            words = name.split()
            if words[0].lower() in _NOT_ADDRESSEE or res.allowed(words[0].lower()) or not words[0][:1].isupper():
                continue
            if len(words) > 1 and (words[1].lower() in _NOT_ADDRESSEE or res.lexicon.is_common(words[1])
                                   and not res.lexicon.is_name(words[1])):
                name = words[0]
            yield Found(m.start("name"), m.start("name") + len(name), "PERSON", score)

    def _signature(self, line: str, offset: int, mixed: bool) -> Iterable[Found]:
        """A line holding only "First [I.] Last [credential]": the writer's signature."""
        res, lex = self.resources, self.resources.lexicon
        words = tokenize(line)
        credential = len(words) > 2 and _CREDENTIAL_WORD.match(words[-1].text)
        if credential:
            words = words[:-1]
        first, last = words[0], words[-1]
        if len(words) < 2 or not lex.is_first_name(first.low) or lex.is_common(first.low) or res.allowed(first.low):
            return
        if mixed and not all(w.text[:1].isupper() for w in words):
            return
        if self._strong(last, mixed) or (lex.is_last_name(last.low) and (credential or not res.allowed(last.low))) \
                or (mixed and last.text.istitle() and not lex.is_common(last.low) and not res.allowed(last.low)):
            yield Found(offset + first.start, offset + last.end, "PERSON", self.score)
