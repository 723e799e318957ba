"""Names of relatives and proxies: "wife Mary", "son bill", "daughter: Irene Czyzewicz",
"Sons David and Theodore", "DAUGHTER-KRISSY"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers._names import grow_forward, span_of
from deid.recognizers.base import STOP_WORDS, DeidRecognizer, Found, is_mixed_case, tokenize

RELATION = re.compile(
    r"^(?:wife|husband|spouse|son|sons|daughter|daughters|dtr|dtrs|dau|sister|sisters|brother|"
    r"brothers|mother|father|mom|dad|niece|neice|nephew|grandson|granddaughter|grandaughter|"
    r"grandchild|grandmother|grandfather|friend|boyfriend|girlfriend|partner|fiance|fiancee|"
    r"proxy|hcp|spokesperson|cousin|aunt|uncle|sister-in-law|brother-in-law|son-in-law|"
    r"daughter-in-law|dtr-in-law|mother-in-law|father-in-law|stepson|stepdaughter|guardian|"
    r"companion|roommate|neighbor|neighbour|caregiver|poa|lawyer|attorney|fiancé|fiancée|"
    r"stepmother|stepfather|godson|goddaughter|grandniece|grandnephew|supervisor|manager|boss|employer|coworker|"
    r"co-worker|colleague|landlord|landlady|housemate|flatmate|sponsor|pastor|priest|rabbi|imam|teacher|coach|"
    r"hus|hubby|sis|bro|grandma|grandpa|granny|nana|mum|mommy|daddy|stepdad|stepmom|ex-wife|ex-husband|"
    r"ex-partner|ex-girlfriend|ex-boyfriend|great-grandson|great-granddaughter|half-brother|half-sister|"
    r"sibling|stepsister|stepbrother|godmother|godfather|babysitter|nanny)$",
    re.I,
)
#: Allowed between the relation word and the name.
_GAP = re.compile(r"^(?:\s*[,:;(?)-]{0,4}\s*|-+|\s+(?:is|was|named|name is|mrs?\.?|ms\.?)\s+)$", re.I)
_NOT_NAME = frozenset(
    "will may can in and or is was has had who called came visited at to with of for by on "
    "here there present also both mark".split()
)

#: Kin in the plural, and words of what kin did, right after a relation word: not names.
_KIN_PLURALS = frozenset("parents children kids grandchildren siblings family relatives folks inlaw inlaws in-laws".split())
_KIN_VERBS = frozenset(
    """said says states stated reports reported asked asks feels felt thinks thought wants wanted
    expressed agrees agreed declines declined refused requests requested understands understood
    verbalized verbalizes voiced left arrived remains remained brought spoke spent stayed stays lives
    lived drove decided signed gave given would could should""".split()
)


class RelativeNameRecognizer(DeidRecognizer):
    """Names right after a family/proxy relation word."""

    ENTITIES = ("RELATIVE",)
    CONFIG_KEY = "relative_name"

    def _capitalised_first_name(self, text: str, tok) -> bool:
        """A first name written with a capital in sentence-case text right after a relation word
        is a name even when it is also a word or an eponym ("husband Mark", "wife Pearl", "Mom
        Mallory")."""
        lex = self.resources.lexicon
        return is_mixed_case(text) and tok.text.istitle() and len(tok.text) > 2 and lex.is_first_name(tok.text) \
            and tok.low not in STOP_WORDS

    def _word_after_kin(self, text: str, tok) -> bool:
        """Whether the token after a relation word is a word, not a name: more kin ("MOTHER,
        AUNTS"), what they did ("son said", "wife discouraged", "husband visisted"), or a plain
        word that is on no name list ("SONS HOCKEY GAME"). A capitalised word in sentence-case
        text is left to the name rules ("husband Said")."""
        lex = self.resources.lexicon
        low = tok.low
        if low.split("-")[0] in _NOT_NAME or low in _KIN_PLURALS or RELATION.match(low.removesuffix("s")):
            return True
        if is_mixed_case(text) and tok.text.istitle():
            return False
        if low in _KIN_VERBS:
            return True
        if low.endswith(("ed", "ing")) and not lex.is_first_name(low) \
                and (lex.looks_like_word(low) or lex.is_typo_of_common(low)):
            return True
        return low in self.resources.wide.english_words and not lex.is_name(low)

    def _lower_case_name_after_my_kin(self, text: str, kin, tok) -> bool:
        """A first name in lower case right after "my wife", "my son"... (informal messages), or in capitals
        after one in capitals (a quote in an all-caps note), when it is no English or clinical word: "call my
        wife mallory", "WITH MY GIRLFRIEND DOUGLAS", not "my wife called" or "my son will"."""
        same_case = tok.text.islower() or (tok.text.isupper() and kin.text.isupper())
        if not same_case or len(tok.text) < 3 or text[kin.end : tok.start] != " ":
            return False
        if not re.search(r"(?i)\bmy\s+$", text[max(0, kin.start - 4) : kin.start]):
            return False
        res = self.resources
        low = tok.low
        return res.lexicon.is_first_name(low) and not res.lexicon.is_common(low) and low not in STOP_WORDS \
            and low not in res.wide.english_words and low not in _NOT_NAME  # an eponym too: "my wife mallory"

    def _capitalised_candidate(self, text: str, toks, k: int) -> bool:
        """In sentence-case text, a capitalised token of two letters or more that is no stop word and
        no allow-listed word: what either word of an unlisted name must be."""
        if k >= len(toks) or not is_mixed_case(text):
            return False
        tok = toks[k]
        return tok.text.istitle() and len(tok.text) >= 2 and tok.low not in STOP_WORDS and not self.resources.allowed(tok.low)

    def _unlisted_first_word(self, text: str, toks, k: int) -> bool:
        """A capitalised word right after a relation word that no name list holds and that is no word
        at all ("Neighbor Guiying Pan", "Sibling Wakeeta")."""
        if not self._capitalised_candidate(text, toks, k):
            return False
        tok, res = toks[k], self.resources
        return len(tok.text) > 2 and not res.lexicon.is_plain_word(tok.text) and tok.low not in res.wide.english_words

    def _unlisted_second_word(self, text: str, toks, k: int) -> bool:
        """The second word of such a name, right after the first: a listed name, no word, or a word
        before the sentence goes on in lower case ("Pan drives")."""
        if not self._capitalised_candidate(text, toks, k):
            return False
        tok, lex = toks[k], self.resources.lexicon
        after = toks[k + 1].text if k + 1 < len(toks) else ""
        return text[toks[k - 1].end : tok.start] == " " and (lex.is_name(tok.text) or not lex.is_plain_word(tok.text)
                                                             or after[:1].islower())

    def find(self, text: str) -> Iterable[Found]:
        """Find names after relation words, including simple lists ("A, B and C")."""
        res = self.resources
        toks = tokenize(text)
        for i, tok in enumerate(toks):
            if "-" in tok.text and not RELATION.match(tok.text):
                head, _, tail = tok.text.partition("-")
                if RELATION.match(head) and tail.isalpha() and tail.lower() not in _KIN_PLURALS and res.name_candidate(
                        type(tok)(tok.start + len(head) + 1, tok.end, tail), strict=not res.lexicon.is_name(tail)):
                    yield Found(tok.start + len(head) + 1, tok.end, "RELATIVE", self.score)
                continue
            if not RELATION.match(tok.text) or i + 1 >= len(toks):
                continue
            if tok.low == "attorney" and i > 0 and toks[i - 1].low == "of":
                continue  # "power of attorney"
            k = i + 1
            if toks[k].low in ("is", "was", "named", "mrs", "mr", "ms", "name"):
                k += 1
                if k < len(toks) and toks[k].low == "is":
                    k += 1
            if k >= len(toks) or not _GAP.match(text[tok.end : toks[k].start]):
                continue
            if self._capitalised_first_name(text, toks[k]):
                name = [toks[k]] + grow_forward(text, toks, k + 1, res, first_strict=True, max_tokens=1)
                if len(name) > 1 and text[name[0].end : name[1].start] != " ":
                    name = name[:1]
                yield Found(*span_of(name, text), "RELATIVE", self.score)  # "husband Mark", "Mom Mallory"
                continue
            if self._lower_case_name_after_my_kin(text, tok, toks[k]):
                yield Found(toks[k].start, toks[k].end, "RELATIVE", self.score * 0.9)  # "call my wife mallory"
                continue
            if toks[k].low in _NOT_NAME or RELATION.match(toks[k].text) or self._word_after_kin(text, toks[k]):
                continue
            name = grow_forward(text, toks, k, res, first_strict=False, max_tokens=2)
            if not name and toks[k].text.istitle() and res.lexicon.is_first_name(toks[k].text) \
                    and re.match(r"\s*[,)]", text[toks[k].end : toks[k].end + 2]) and is_mixed_case(text):
                name = [toks[k]]  # "Son, Ed, was updated": an allow-listed first name set off by commas
            if len(name) < 2 and self._unlisted_first_word(text, toks, k):  # every name so far starts at toks[k]
                name = toks[k : k + 2] if self._unlisted_second_word(text, toks, k + 1) else [toks[k]]
            initial = toks[k]
            if len(initial.text) == 1 and initial.text.isupper() and text[initial.end : initial.end + 2] == ". " \
                    and k + 1 < len(toks) and toks[k + 1].start == initial.end + 2 and toks[k + 1].text[:1].isupper() \
                    and (res.lexicon.is_name(toks[k + 1].text) or res.name_candidate(toks[k + 1], strict=True)):
                name = [initial, toks[k + 1]]  # "supervisor E. Anderson"
            if not name or len(name[0].text) < 2 and len(name) < 2:
                continue
            yield Found(*span_of(name, text), "RELATIVE", self.score)
            # lists: "Sons Smokey, Morris and Roger", "Sons David and Theodore"
            k += len(name)
            while k < len(toks) and tok.low.endswith("s"):
                gap = text[toks[k - 1].end : toks[k].start]
                if toks[k].low == "and" and gap.strip() in ("", ","):
                    k += 1
                elif gap.strip() != ",":
                    break
                if k >= len(toks):
                    break
                more = grow_forward(text, toks, k, res, first_strict=True, max_tokens=2)
                if not more or not res.lexicon.is_name(more[0].text):
                    break
                yield Found(*span_of(more, text), "RELATIVE", self.score)
                k += len(more)
