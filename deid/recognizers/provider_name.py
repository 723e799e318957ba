"""Names of clinicians: "Dr. Smith", "DR SMITH", "Drs Ferullo and Saeed", "RN Jones",
"Irene Snell, RN", "seen by J. Yi, MD", "HO Schwarz"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers._names import grow_backward, grow_forward, span_of
from deid.recognizers.base import STOP_WORDS, DeidRecognizer, Found, Token, is_mixed_case, tokenize


def _INNER_GAP_OK(gap: str) -> bool:
    return gap in (" ", ". ", "  ", "-", ".  ")

_TITLE = re.compile(r"^(?:dr|drs|doctor|dr's)$", re.I)
#: Military and police ranks and other titles written short, used like "Dr" ("Sgt. Shin", "CPL RAMOS",
#: "Atty. Peng"); not "Lt" (left), "Col", "Gen", "Spc" or "CPT", which are clinical or coding shorthand too.
_RANK = re.compile(r"^(?:sgt|ssgt|ssg|sfc|msgt|cpl|pvt|pfc|capt|cmdr|det|atty)$", re.I)
_PREFIX_ROLE = re.compile(
    r"^(?:rn|np|ho|pa|nurse|attending|resident|intern|fellow|physician|surgeon|cardiologist|"
    r"intensivist|pcp|rrt|sw|therapist|pharmacist|nurse-practitioner|md|sitter|aide|cna|chaplain|dietitian|"
    r"nutritionist|technologist|technician|tech|coordinator|navigator|rep|representative|counselor|counsellor|"
    r"optometrist|dentist|hygienist|paramedic|emt|officer|interpreter|caseworker|midwife|doula|audiologist|"
    r"elder|pastor|reverend|rev|rabbi|imam|deacon|minister|sergeant|corporal|lieutenant|colonel|commander|deputy|"
    r"detective|trooper|sheriff|coach|trainer|principal|teacher|pharmd|rph|cpht|lpn|crna|attorney|adjuster|"
    r"investigator|bystander)$", re.I
)
#: A staff or badge number in brackets after a name: "Femi (314581)", "Ana Ruiz (ID 20417)".
_ID_AFTER_NAME = re.compile(r"(?:[ \t]+[A-Z][\w'-]+){0,2}[ \t]*\((?:ID|id|#|badge)?[ \t#:]*\d{3,}\)")
#: A credential after a name (", RN", " MD", " R.N.").
CREDENTIAL = re.compile(
    r"^\s*,?\s*(?:r\.?n\.?|rrt|m\.?d\.?|n\.?p\.?|pa-c|crna|lpn|ph\.?d|d\.?o\.|rph|pharmd|"
    r"licsw|msw|lcsw|cnm|bsn|msn|ldn|slp|ccrn|np-c|crt|rrt|coa|cota|rpsgt|rdh|dds|dmd|cgc|lcgc|otr/l|otr|dpt|"
    r"nrp|emt-p|cpht|rpht|cma|lvn|aprn|fnp(?:-bc|-c)?|agnp(?:-c)?|acnp|crnp|dnp|psyd|lmft|lpc|lmsw|dpm|"
    r"ibclc|clc|cpm|rdn|cdces|cde|cpnp(?:-pc|-ac)?|bcba)(?![a-z])"
    r"|^[ \t]*,[ \t]*(?-i:DO)(?![\w.])"  # ", DO" (osteopathic physician) only in capitals after a comma
    r"|^[ \t]+(?-i:NPI|DEA)[ \t#:]*[A-Z]{0,2}\d",  # a prescriber's number after the name: "JOHNSON, JULIAN  NPI 1234567890"
    re.I,
)


#: A role in brackets after a name, as in meeting attendance lists: "C Turner (Consultant)", "Hazel (CNS)".
_ROLE_IN_BRACKETS = re.compile(
    r"[ \t]?\((?:consultant|registrar|sho|sp[rt]|fy[12]|gp|cns|nurse|nurse specialist|specialist nurse|physio|"
    r"physiotherapist|radiologist|pathologist|oncologist|surgeon|coordinator|mdt coordinator|key worker|"
    r"social worker|pharmacist|dietitian|psychologist|psychiatrist|chair|secretary|ot|slt|anaesthetist|"
    r"anesthetist|fellow|resident|attending|np|pa|rn|md)\)", re.I)
#: Contact labels after a credential ("S. Han, MD  Tel: ..."): never a name after the role word.
_CONTACT_LABELS = frozenset("tel tel. fax ph phone pager pgr cell mobile email e-mail ext office".split())
#: Words before a list of people on the same line: dotted initials there are people ("Present: S.H.,
#: C.S.P.", "Counts correct x2 (T.W. / B.W.M.)", "Witness: J.K.").
_LIST_CUE = re.compile(r"(?i:\b(?:present|absent|attendees?|attending|participants?|members?|counts?|witness(?:ed)?|"
                       r"wasted|waste|verified|co-?sign(?:ed|er)?|team|staff|initials|excused|facilitator|scrub|circulator|"
                       r"relief|surgeon|assist(?:ant)?)\b)")
#: A staff or badge number in brackets right after initials: "Z.Z. (375471)", "J.F. (P683555)".
_BADGE_AFTER = re.compile(r"[ \t]*\([ \t]*[A-Z]?\d{4,7}[ \t]*\)")
#: A name and a staff number in brackets: "T. Jankowski (348375)", "Viola W. (50673)", "GREENHALGH P. (59222)".
_NAME_BEFORE_BADGE = re.compile(
    r"(?<![\w.])(?P<name>(?:[A-Z]\.[ \t]?){1,3}(?P<word>[A-Z][A-Za-z'-]+)|(?P<word2>[A-Z][A-Za-z'-]+)[ \t]+[A-Z]\.)"
    r"[ \t]*\((?P<badge>[ \t]*[A-Z]?\d{4,7}[ \t]*)\)")
#: An electronic signature line: "/es/ ASHCOMBE TURNER" (VistA), "/s/ Jane Roe, MD".
_ES_SIGNATURE = re.compile(r"(?m)/e?s/[ \t]*(?P<name>[A-Z][A-Za-z.'-]*(?:[ \t]+[A-Z][A-Za-z.'-]*){0,3})")
#: Initials that sign a note on a line of their own after a dash: "--deg", "- JKL".
_SIGNATURE_INITIALS = re.compile(r"(?m)^[ \t]*[-—–~]{1,2}[ \t]*(?P<i>[A-Za-z]{2,3})[ \t]*$")
_NOT_SIGNATURE = frozenset("am pm ok no yes na nka end rn md np pa rt cc dc".split())
#: Initials and a credential signing a message at the end of its line: "call anytime. - js IBCLC", "-- KLM RN".
_DASHED_INITIALS = re.compile(r"(?:^|(?<=[ \t]))[-—–~]{1,2}[ \t]*(?P<i>[A-Za-z]{2,3})(?=[ \t]*,?[ \t]+\w)")
#: The same after "by" or "per": "Work-up by SKS, COA".
_BY_INITIALS = re.compile(r"\b(?i:by|per)[ \t]+(?P<i>[A-Z]{2,3})(?=[ \t]*,?[ \t]+\w)")
#: Who wrote an entry of an account, call or message log: the initials (or an initial and a surname) right
#: after the entry's date and clock time at the start of its line ("03/25/20 1842 SMH CALLED GUAR",
#: "4/26/23 1211 A. WILSON ...", "05/18/22 0840 R.R.H. ESCORT").
_LOG_AUTHOR = re.compile(r"(?m)^[ \t]*\d{1,2}/\d{1,2}/\d{2,4}[ \t]+(?:\d{4}|\d{1,2}:\d{2}(?:[ \t]*[AaPp][Mm])?)[ \t]+"
                         r"(?P<i>(?:[A-Z]\.){2,3}|[A-Z]{2,4}|[A-Z]\.[ \t]?[A-Z][A-Za-z'-]+)(?=[ \t]+[A-Z])")
#: Log authors that are the system or an abbreviation, no person: "05/28/20 0736 SYS PLAN ACTIVE".
#: (Besides :data:`_NOT_SIGNATURE`: "rn", "md", "np", ...)
_NOT_LOG_AUTHOR = frozenset("sys auto batch system pt er ed icu or pacu".split())
#: Shorthand that comes between a dash and a credential without signing: "- pt RN", "- ED RN".
_NOT_DASHED_INITIALS = frozenset("pt ot st sw er ed".split())
#: Initials in brackets at the end of a signed line: "BANCROFT, YARA N., RN, CSPI  (YNB)".
_BRACKETED_INITIALS = re.compile(r"\((?P<i>[A-Z]{2,3})\)[ \t]*(?=\r?\n|$)")
#: An oxygen flow right before "NP" (nasal prongs, not a nurse practitioner): "4L NP", "2 lpm NP".
_FLOW_BEFORE = re.compile(r"\d\s*(?:l|lpm|liters?)\s*$", re.I)


def _at_line_start(text: str, pos: int) -> bool:
    """Only spaces (or a table bar) between the start of the line and ``pos``: where a SOAP
    heading letter stands ("p. redraw abg")."""
    return text[text.rfind("\n", 0, pos) + 1 : pos].strip(" \t|") == ""


#: Single capital letters that are clinical shorthand, not initials: left/right, with (c),
#: post (p), times (x), SOAP headings, ...
_LETTER_ABBREVIATIONS = frozenset("ACDILOPRSWX") | frozenset("abcdefghijklmnopqrstuvwxyz")
#: A report verb after a name ("J SMITH ORDERED", "K JONES AWARE").
_REPORT_AFTER = re.compile(r"\s+(?:ordered|aware|notified|paged|called|wrote|saw|evaluated|examined|placed)\b", re.I)

#: "FAMILY, " right before a given name that a credential follows ("TURNER, CLINTON, MD").
_FAMILY_BEFORE = re.compile(r"(?<![\w'-])(?P<family>[A-Z][A-Za-z\u00C0-\u024F'-]+),[ \t]*$")

#: Words that follow "Dr" without being a name.
_AFTER_DR_STOP = frozenset(
    "order orders ordered note notes team service office recommendation recommendations recs aware "
    "notified on call called in to at and of per request requests requested rounds here paged appt "
    "appointment visit wants said states stated recommends updated following follow consult to "
    "re regarding".split()
)


#: Dotted initials as a signature or reference: "by R.B.", "-- J.K.L." (not "A.M.", "M.D.", "P.O.").
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,3}(?![\w.]|\.\w)")
_NOT_INITIALS = frozenset("""A.M. P.M. M.D. D.O. R.N. N.P. P.A. U.S. U.K. E.R. O.R. I.V. P.O. G.I. O.D. O.S. O.U. A.S.
    A.D. A.U. B.S. M.S. B.A. M.A. P.T. O.T. S.P. C.T. D.C. N.B. I.D. I.E. E.G. Q.D. H.S. A.C. P.C. P.R. S.L. S.Q.
    T.V. U.A. B.P. H.R. R.R. N.G. O.G. J.P. L.P. I.M. S.C. R.T. C.O. P.E. M.I. A.F. D.M. V.S. N.S. L.R. D.W.
    Q.H. Q.I.D. T.I.D. B.I.D. Q.H.S. R.R.T. C.N.A. L.P.N. P.R.N. N.P.O. D.N.R. D.N.I. G.U. H.O. N.C. D.L. T.D. V.O.
    U.O. C.V. R.A. L.A. C.I. P.A.C. A.B.G. E.T. O.B. G.Y.N. E.E.G. E.K.G. C.B.C. N.A. K.U.B. I.C.U. P.E.G.""".split())
_INITIALS_CUE = re.compile(r"(?:\b(?:by|per|with|cc|signed|initials|dictated|reviewed|seen|d/w)\s*:?\s*|(?:^|\s)[-—–]{1,2}\s*)$", re.I)


class ProviderNameRecognizer(DeidRecognizer):
    """Clinician names found from titles, roles and credentials."""

    ENTITIES = ("PROVIDER",)
    CONFIG_KEY = "provider_name"

    def _hyphenated_word(self, tok: Token) -> bool:
        """A hyphenated token that starts with a plain word or a letter: "line-PAS", "X-ray"."""
        head = tok.low.split("-")[0]
        lex = self.resources.lexicon
        return "-" in tok.low and (lex.is_common(head) or head in self.resources.wide.english_words or len(head) <= 2) \
            and not lex.is_name(head)

    def _capitalised_listed_name(self, text: str, tok: Token, role: Token | None = None) -> bool:
        """After a role word in sentence-case text, a capitalised listed name that the rules
        otherwise refuse: an allow-listed eponym surname ("HO Johnson"), a first or last name
        that is no common word ("Sitter Thomas"), or, after a role word written in lower case
        (so the capital is the name's), a listed name that is also a word ("tech Song")."""
        lex = self.resources.lexicon
        if not (tok.text.istitle() and is_mixed_case(text)) or tok.low in STOP_WORDS:
            return False
        if self.resources.allowed(tok.low):
            return lex.is_last_name(tok.text)
        if role is not None and role.text.islower() and lex.is_listed_name(tok.text):
            return True
        return lex.is_name(tok.text) and not lex.is_common(tok.text)

    def _initial_before_surname(self, text: str, toks, i: int) -> int | None:
        """Start of "C Turner" / "A. Miller" when ``toks[i]`` is a listed surname (an eponym too) right after
        a capital initial that starts a name ("Present: C Turner"), else ``None``."""
        tok, prev = toks[i], toks[i - 1]
        if not (tok.text[:1].isupper() and len(tok.text) > 2 and self.resources.lexicon.is_listed_name(tok.text)):
            return None
        if len(prev.text) != 1 or not prev.text.isupper() or text[prev.end : tok.start] not in (" ", ". "):
            return None
        if prev.start > 0 and text[prev.start - 1] not in " \t\n(,;:":
            return None
        return prev.start

    def _word_after_role(self, text: str, tok: Token) -> bool:
        """Whether the token after a role word ("RN", "HO", "PA") is a word, not a name: in
        sentence-case text a lower-case word, typo or verb on no name list ("RN faxed order", "HO
        notifed", "per md vebal"); in any text a hyphenated word that starts with a plain word
        ("PA line-PAS", "ATTENDING CO-SIGNATURE")."""
        lex = self.resources.lexicon
        if self._hyphenated_word(tok):
            return True
        if not (is_mixed_case(text) and tok.text.islower()) or lex.is_name(tok.low):
            return False
        return tok.low in self.resources.wide.english_words or lex.is_typo_of_common(tok.low) or lex.looks_like_word(tok.low)

    def _after_title(self, text: str, toks: list, k: int) -> list:
        """Name tokens after "Dr": the first token is taken unless it is a plain word."""
        res = self.resources
        if k >= len(toks):
            return []
        first = toks[k]
        if "-" in first.text:  # "Dr. Rockwood-thinking": the name ends at the hyphen
            head, _, tail = first.text.partition("-")
            if res.lexicon.looks_like_word(tail) and len(head) > 1:
                return [Token(first.start, first.start + len(head), head)]
        low = first.low
        initialled = self._initial_and_surname(text, toks, k)
        if initialled:
            return initialled
        if low not in _AFTER_DR_STOP and low not in STOP_WORDS and len(low) > 1 \
                and (res.allowed(low) or res.lexicon.is_common(low)) \
                and (first.text[:1].isupper() or not is_mixed_case(text)):
            # right after "Dr", a capitalised word is a name even when it is also a
            # clinical or common word ("Dr. Koh", "dr. pica", "Dr. White")
            return [first] + self._rest(text, toks, k + 1, first)
        # right after a title a token is a name unless it is a stop word, or (in sentence-case text) a
        # lower-case inflected word: the shape alone ("Golding", "Lovely", "Rawling") does not refuse it
        lower_word = is_mixed_case(text) and first.text.islower() and res.lexicon.looks_like_word(low)
        ok = (
            low not in _AFTER_DR_STOP
            and (low not in STOP_WORDS or (first.text[:1].isupper() and not first.text.isupper()
                                           and res.lexicon.is_name(low)))
            and not lower_word or res.lexicon.is_name(low)
        )
        if not ok or low in _AFTER_DR_STOP or (low in STOP_WORDS and not first.text.istitle()):
            return grow_forward(text, toks, k, res, first_strict=False) if len(low) == 1 else []
        return [first] + self._rest(text, toks, k + 1, first)

    def _initial_and_surname(self, text: str, toks: list, k: int) -> list:
        """ "C. Turner" right after a title: a capital initial and a capitalised surname, which is a
        name even when it is an eponym on the allow list ("Dr C. Turner", "DR C. TURNER")."""
        if k + 1 >= len(toks):
            return []
        first, sur = toks[k], toks[k + 1]
        if len(first.text) != 1 or not first.text.isupper() or text[first.end : sur.start] not in (". ", " ", "."):
            return []
        lex = self.resources.lexicon
        if len(sur.text) < 2 or not sur.text[:1].isupper() or sur.low in STOP_WORDS or sur.low in _AFTER_DR_STOP:
            return []
        if lex.is_last_name(sur.text) or not lex.is_common(sur.text):
            return [first, sur]
        return []

    def _rest(self, text: str, toks: list, k: int, first) -> list:
        """Further name tokens after the first one after a title ("Dr. Art White")."""
        res = self.resources
        rest = grow_forward(text, toks, k, res, first_strict=False, max_tokens=2)
        if not rest and k < len(toks) and text[first.end : toks[k].start] == " " \
                and res.lexicon.is_last_name(toks[k].text) and toks[k].text[:1].isupper() \
                and text[toks[k].end : toks[k].end + 1] != "'":
            rest = [toks[k]]  # an allow-listed surname ("Dr. Art White")
        if rest and not _INNER_GAP_OK(text[first.end : rest[0].start]):
            rest = []
        return rest

    @staticmethod
    def _signed_initials(text: str) -> Iterable[Found]:
        """A clinician's own initials signing a line: after a dash and before a credential at the end
        of the line ("- js IBCLC"; also after "by": "Work-up by SKS, COA"), opening a log entry after its
        date and clock time ("03/25/20 1842 SMH CALLED GUAR"), or in brackets after the name and a
        credential when they are the first letters of the name's words ("BANCROFT, YARA N., RN, CSPI
        (YNB)", "Jo Ann Lee, RN (JAL)"; not "Jo Lee, RN (ICU)")."""
        for m in (*_DASHED_INITIALS.finditer(text), *_BY_INITIALS.finditer(text)):
            cred = CREDENTIAL.match(text[m.end() : m.end() + 16])
            low = m.group("i").lower()
            if cred and low not in _NOT_SIGNATURE and low not in STOP_WORDS and low not in _NOT_DASHED_INITIALS \
                    and re.match(r"[ \t]*(?:\r?\n|$)", text[m.end() + cred.end() : m.end() + cred.end() + 4]):
                yield Found(m.start("i"), m.end("i"), "PROVIDER", 0.8)
        for m in _LOG_AUTHOR.finditer(text):
            low = m.group("i").replace(".", "").lower()
            if low not in _NOT_LOG_AUTHOR and low not in _NOT_SIGNATURE and low not in STOP_WORDS:
                yield Found(m.start("i"), m.end("i"), "PROVIDER", 0.8)
        for m in _BRACKETED_INITIALS.finditer(text):
            line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
            cut = next((k for k in range(len(line)) if line[k] == "," and CREDENTIAL.match(line[k:])), None)
            if cut is None:
                continue
            firsts = [w[0] for w in re.findall(r"(?<![\w'-])[A-Z][A-Za-z'-]*", line[:cut])[-4:]]
            initials = m.group("i")
            if len(firsts) >= 2 and all(initials.count(c) <= firsts.count(c) for c in set(initials)):
                yield Found(m.start("i"), m.end("i"), "PROVIDER", 0.8)

    def find(self, text: str) -> Iterable[Found]:
        """Find names after Dr/role words and before credentials (", RN", " MD")."""
        res = self.resources
        yield from self._signed_initials(text)
        for m in _INITIALS.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if m.group() in _NOT_INITIALS:
                continue
            badge = _BADGE_AFTER.match(text, m.end())
            if badge or _INITIALS_CUE.search(text[max(line_start, m.start() - 20) : m.start()]) \
                    or _LIST_CUE.search(text, line_start, m.start()):
                yield Found(m.start(), m.end(), "PROVIDER", self.score * 0.9)
            if badge:
                number = re.search(r"[A-Z]?\d+", badge.group())
                yield Found(m.end() + number.start(), m.end() + number.end(), "ID", self.score * 0.9)
        for m in _NAME_BEFORE_BADGE.finditer(text):  # "T. Jankowski (348375)", "Viola W. (50673)": the staff number
            word = m.group("word") or m.group("word2")
            if not self.resources.lexicon.is_common(word) or self.resources.lexicon.is_name(word):
                yield Found(m.start("badge"), m.end("badge"), "ID", self.score * 0.9)
                yield Found(m.start("name"), m.end("name"), "PROVIDER", self.score * 0.85)
        for m in _ES_SIGNATURE.finditer(text):
            name = m.group("name").rstrip(".")
            if len(name) > 1:
                yield Found(m.start("name"), m.start("name") + len(name), "PROVIDER", self.score * 0.9)
        for m in _SIGNATURE_INITIALS.finditer(text):
            if m.group("i").lower() not in _NOT_SIGNATURE:
                yield Found(m.start("i"), m.end("i"), "PROVIDER", self.score * 0.85)
        toks = tokenize(text)
        for i, tok in enumerate(toks):
            low = tok.low
            # "CALLED TO THOMAS AWARE": a first name that is no English word, told of something
            if i > 0 and toks[i - 1].low in ("to", "with", "per", "by", "paged", "called", "notified", "informed") \
                    and res.lexicon.is_first_name(tok.text) and tok.low not in self.resources.wide.english_words \
                    and tok.low not in STOP_WORDS and len(tok.text) > 2 and _REPORT_AFTER.match(text, tok.end) \
                    and (i + 1 >= len(toks) or not res.lexicon.is_last_name(toks[i + 1].text)):
                yield Found(tok.start, tok.end, "PROVIDER", self.score * 0.8)
            if _TITLE.match(tok.text) or (low == "dr" and text[tok.end : tok.end + 1] == ".") \
                    or (_RANK.match(tok.text) and tok.text[:1].isupper() and text[tok.end : tok.end + 2] in (". ", " ", ".\t")):
                name = self._after_title(text, toks, i + 1)
                if name and name[0].start - tok.end <= 3:
                    yield Found(*span_of(name, text), "PROVIDER", self.score)
                    # "Drs Ferullo and Saeed", "Dr. X and Dr. Y"
                    k = i + 1 + len(name)
                    if low == "drs" and k + 1 < len(toks) and toks[k].low == "and":
                        more = self._after_title(text, toks, k + 1)
                        if more:
                            yield Found(*span_of(more, text), "PROVIDER", self.score)
            elif _PREFIX_ROLE.match(tok.text) and i + 1 < len(toks):
                nxt = toks[i + 1]
                appositive = text[tok.end : nxt.start] == ", " and nxt.text[:1].isupper() \
                    and _ID_AFTER_NAME.match(text, nxt.end) is not None  # "interpreter, Femi (314581)"
                if not appositive and (nxt.start - tok.end > 2 or text[tok.end : nxt.start].strip() not in ("", ":")):
                    continue
                if tok.low == "np" and _FLOW_BEFORE.search(text, max(0, tok.start - 8), tok.start):
                    continue  # "4L NP GOOD BREATH SOUNDS": nasal prongs
                if self._word_after_role(text, nxt) or nxt.low in _CONTACT_LABELS:
                    continue
                name = grow_forward(text, toks, i + 1, res, first_strict=False)
                if name and len(name[0].text) > 1 and not (
                    res.lexicon.is_plain_word(name[0].text)
                ):
                    yield Found(*span_of(name, text), "PROVIDER", self.score * 0.9)
                elif not name and self._capitalised_listed_name(text, nxt, role=tok):
                    yield Found(nxt.start, nxt.end, "PROVIDER", self.score * 0.85)  # "HO Johnson @ 1453", "Sitter Thomas"
                elif not name and nxt.text[:1].isupper() and (not nxt.text.isupper() or tok.text.isupper()) \
                        and res.allowed(nxt.low) and res.lexicon.is_last_name(nxt.text) \
                        and re.match(r"\s*(?:[,.;:)\n]|$)", text[nxt.end : nxt.end + 2]):
                    yield Found(nxt.start, nxt.end, "PROVIDER", self.score * 0.85)  # "pharmacist Johnson.", "BY ELDER TURNER."
            # "E. WELSH aware", "per B. KARGAS", "J. Chang PA"
            if len(tok.text) == 1 and tok.text.isalpha() and text[tok.end : tok.end + 2] in (". ", ".\t") \
                    and not (tok.text in "soap" and _at_line_start(text, tok.start)) \
                    and (tok.start == 0 or text[tok.start - 1] in " \t\n(,;:>-") \
                    and i + 1 < len(toks) and toks[i + 1].start == tok.end + 2 \
                    and (i == 0 or toks[i - 1].low not in ("dr", "drs", "mr", "mrs", "ms", "miss")):
                sur = toks[i + 1]
                lex = res.lexicon
                surname_ok = res.name_candidate(sur, strict=not lex.is_name(sur.text)) or (
                    lex.is_last_name(sur.text) and sur.text[:1].isupper() and text[sur.end : sur.end + 1] != "'")
                if surname_ok and lex.is_common(sur.text) \
                        and not (_REPORT_AFTER.match(text, sur.end) or CREDENTIAL.match(text[sur.end : sur.end + 12])
                                 or re.match(r"\s+(?:pa|np|rn|md|ho|rt|rrt|resident|fellow|intern)\b", text[sur.end : sur.end + 10], re.I)
                                 or re.match(r"\s*(?:[,.;:)\n]|$)", text[sur.end : sur.end + 2])):
                    surname_ok = False  # "A. Colon resection": a word, unless the name ends there
                if surname_ok and len(sur.text) > 2 and not (tok.text.isupper() and sur.text.islower()) \
                        and not self._hyphenated_word(sur):  # "D and I. X-ray confirmed"
                    yield Found(tok.start, sur.end, "PROVIDER", self.score * 0.85)
            # "J SMITH ORDERED": an initial without its period in upper-case text
            if len(tok.text) == 1 and tok.text not in _LETTER_ABBREVIATIONS and i + 1 < len(toks) \
                    and text[tok.end : toks[i + 1].start] == " " and (tok.start == 0 or text[tok.start - 1] in " \t\n(,;:") \
                    and (i == 0 or toks[i - 1].low not in ("dr", "drs", "mr", "mrs", "ms", "miss", "vitamin", "vit", "hep", "type", "grade", "class", "stage", "lead")):
                sur = toks[i + 1]
                lex = res.lexicon
                if sur.text.isupper() and len(sur.text) > 2 and lex.is_last_name(sur.text) and not res.allowed(sur.text) \
                        and (not lex.is_common(sur.text) or _REPORT_AFTER.match(text, sur.end)):
                    yield Found(tok.start, sur.end, "PROVIDER", self.score * 0.8)
            # a role in brackets after a name: "C Turner (Consultant)"
            role = _ROLE_IN_BRACKETS.match(text, tok.end)
            if role and tok.text[:1].isupper() and len(tok.text) > 1:
                name = grow_backward(text, toks, i, res)
                if name and (len(name) >= 2 or res.lexicon.is_name(name[0].text) or not res.lexicon.is_common(name[0].text)):
                    yield Found(*span_of(name, text), "PROVIDER", self.score * 0.85)
            # the credential may follow an initial's full stop: "OMAR S., NP"
            after = tok.end + 1 if len(tok.text) == 1 and tok.text.isupper() and text[tok.end : tok.end + 1] == "." else tok.end
            cred = CREDENTIAL.match(text[after : after + 12])
            if (cred or role) and i > 0:
                initial = self._initial_before_surname(text, toks, i)
                if initial is not None:  # "C Turner (Consultant)", "A. Miller, RN": an eponym surname after an initial
                    yield Found(initial, tok.end, "PROVIDER", self.score * 0.85)
            # credentials after a name: "Irene Snell, RN", "Stord-Painter MD"
            if cred and i >= 0 and not _TITLE.match(tok.text):
                name = grow_backward(text, toks, i, res)
                if name and len(name) == 1 and name[0].low in self.resources.wide.safe_words and not res.lexicon.is_name(name[0].text):
                    name = []  # "Ostomy RN": a kind of nurse
                if name and (len(name) >= 2 or not res.lexicon.is_common(name[0].text)):
                    if any(len(t.text) > 1 for t in name):
                        yield Found(*span_of(name, text), "PROVIDER", self.score * 0.9)
                        # "TURNER, CLINTON, MD": the family name before the comma too
                        before = _FAMILY_BEFORE.search(text, max(0, name[0].start - 40), name[0].start)
                        family = before.group("family") if before else ""
                        if family and (res.lexicon.is_name(family) or not res.lexicon.is_common(family)
                                       and not res.allowed(family)):  # an eponym in this shape is a name: "TURNER, CLINTON"
                            yield Found(before.start("family"), before.end("family"), "PROVIDER", self.score * 0.85)
