"""Outside hospitals, rehab and nursing facilities, the VA, schools and employers, found by the
words that end or start their names: "Franklin Square Memorial", "Good Samaritan Med Ctr",
"St. Luke's Rehab", "Oakcrest SNF", "Perry Point VA", "Towson High School", "Holy Redeemer",
"works at Northrop Grumman".

A facility keyword alone names nobody; the name words before it (up to three, capitalised in
sentence-case text) are what is redacted together with the keyword.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from deid.recognizers.base import STOP_WORDS, DeidRecognizer, Found, Token, alternation, is_mixed_case, tokenize
from deid.recognizers.relative_name import RELATION

#: Name endings of care facilities (HOSPITAL surrogates) and of schools/employers (LOCATION).
_CARE_TAILS = ("hospital", "hosp", "medical center", "medical ctr", "med ctr", "med center", "memorial",
               "rehab", "rehabilitation center", "rehabilitation hospital", "snf", "nursing home", "nursing center",
               "nursing and rehab", "nursing & rehab", "health center", "health system", "healthcare", "clinic",
               "va", "vamc", "va medical center", "hospice", "manor", "assisted living", "care center",
               "convalescent center", "infirmary", "children's hospital", "regional medical center",
               "urgent care", "associates", "eye associates", "eye center", "dermatology", "pharmacy", "family medicine",
               "family practice", "pediatrics", "cardiology", "orthopedics", "imaging", "radiology", "surgical center",
               "surgery center", "dialysis", "dialysis center", "physical therapy", "medical group", "health partners",
               "women's hospital", "cancer center", "heart center", "laboratories", "care home", "gardens",
               "medical associates", "primary care", "walk-in clinic", "birthing center", "eye care", "eye clinic",
               "optical", "optometry", "dental", "family dental", "dental care", "dental group", "dental lab",
               "dental laboratory", "dental studio", "dental ceramics", "orthodontics", "oral surgery",
               "respiratory services", "home medical", "medical supply", "medical equipment", "home health",
               "sleep center", "audiology", "medical centre", "health centre", "surgery",
               "medical practice", "group practice", "practice", "day centre", "care centre", "drug", "drugs",
               "drug store", "chemist", "visiting nurses", "visiting nurse association", "visiting nurse service",
               "home care", "home infusion", "infusion services", "occupational health", "occupational medicine",
               "treatment services", "treatment center", "recovery center", "internal medicine", "retina",
               "retina & vitreous", "retina and vitreous", "vision center", "counseling services")
_OTHER_TAILS = ("high school", "middle school", "elementary", "elementary school", "academy", "college",
                "community college", "university", "school", "church", "parish", "synagogue", "mosque",
                "inc", "corp", "corporation", "llc", "company", "co.", "industries", "logistics", "ltd", "limited",
                "incorporated", "gmbh", "plc", "technologies", "consulting", "insurance", "legal services",
                "medical transport", "ambulance", "ambulance service", "ems", "fire rescue", "fire department",
                "police department", "sheriff's office", "county", "disability services", "benefit administrators",
                "administrators", "funeral home", "mortuary", "housing trust", "housing association",
                "child care", "childcare", "day care", "daycare", "preschool", "child development center",
                "learning center", "montessori", "fabrication", "plastics", "bakery", "manufacturing", "construction",
                "roofing", "plumbing", "trucking", "farms", "dairy", "foods", "motors", "auto body", "steel", "welding",
                "landscaping", "janitorial", "staffing", "warehouse", "distribution", "packaging", "printing", "lumber",
                "machine shop", "tool and die", "restaurant", "diner", "grocery", "hardware", "salon", "law firm",
                "law offices", "law group", "indemnity", "assurance", "casualty", "underwriters", "freight",
                "freight lines", "transport", "transportation", "supply", "supplies")
_TAIL_RX = re.compile(
    r"(?<![\w])(?P<tail>" + alternation(_CARE_TAILS + _OTHER_TAILS) + r")(?![\w])", re.I)
_UNIVERSITY_RX = re.compile(
    r"(?<![\w.])(?:U|Univ\.?|University|UNIV\.?|UNIVERSITY)\s+(?:of\s+|OF\s+)?"
    r"(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|[A-Z]{3,}(?:\s+[A-Z]{3,})?)(?![\w])")
#: Endings of bodies that are named by any word, plain ones too ("Station Housing Trust"), in mixed-case text.
_NAMED_BY_ANY_WORD = frozenset(("housing trust", "housing association", "funeral home", "mortuary", "police department",
                                "sheriff's office", "fire department", "benefit administrators", "child care", "day care",
                                "indemnity", "assurance", "casualty", "underwriters", "freight lines"))
#: Endings of firms named after their founders, that plain words come before too ("Patient Transport",
#: "Air Transport", "Oxygen Supply"): a surname names them ("Page Transport", "Young Freight", "Ray Supply").
_NAMED_BY_SURNAME = frozenset(("transport", "transportation", "freight", "trucking", "logistics", "supply", "supplies"))
#: Endings of practices and services named after their founder, with one more word after the surname or none:
#: "Page Internal Medicine", "Walker Retina & Vitreous", "Johnson Central Laboratories".
_PRACTICE_OF_SURNAME = frozenset(("laboratories", "internal medicine", "retina", "retina & vitreous", "retina and vitreous",
                                  "treatment services", "treatment center"))
_HOSPITAL_TAILS = frozenset(("hospital", "hosp", "medical center", "medical ctr", "med ctr"))
#: Facility names that start with a religious or virtue word: "Holy Redeemer", "St. Agnes".
_SAINT_RX = re.compile(r"(?<![\w])(?P<head>saint|st\.?|holy|sacred|good|our lady of)\s+", re.I)
#: Words that come before a facility keyword without naming it.
GENERIC_FACILITY_WORDS = _GENERIC = frozenset("""med center ctr hospital hosp clinic the a an to from at of in our his her their this that same other outside local nearest
    area county city state community general regional university medical main new old home nursing private osh
    public skilled long-term acute subacute rehab inpatient outpatient day pediatric children's va
    transferred transfer admitted discharged discharge sent seen visit visited went go going back return
    returned previously prior recent recently last next""".split())
_PLACE_PREP = re.compile(r"(?:\b(?:to|from|at|in|into|via|of)\s+(?:the\s+)?)$", re.I)
#: Employers: "works at X", "employed by X", "retired from X".
_EMPLOYER_CUE = re.compile(
    r"(?i:\b(?:(?:works?|worked|working|employed|job|retired|volunteers?)(?:\s+[a-z]+){0,2}\s+(?:at|for|by|from|with)|"
    r"ordered\s+from|supplied\s+by|delivered\s+by|employer(?:\s+is)?:?)\s+(?:the\s+)?)$")

#: A word every employer cue holds (a cheap test before the cue itself is tried).
_EMPLOYER_WORD = re.compile(r"(?=(?i:work|employ|job|retired|volunteer|ordered|supplied|delivered))")


def _title_or_upper(words: str) -> str:
    """An alternation of comma-separated words, each in title case or in capitals."""
    return "|".join(f"{w}|{w.upper()}" for w in words.split(","))


#: Military units and ships: "1st Cavalry Division", "3rd Battalion, 7th Marines", "82ND AIRBORNE",
#: "USS Nimitz" (a service member's unit narrows who they are, as an employer does).


_STRONG_UNIT = _title_or_upper("Division,Brigade,Regiment,Battalion,Squadron,Fleet,Cavalry,Infantry,Airborne,Marines,"
                               "Armored,Rangers")
_WEAK_UNIT = _title_or_upper("Group,Company,Corps,Wing,Support,Signal,Engineers,Artillery,Aviation,Armor,Special Forces,"
                             "Air Wing,Expeditionary Force,Medical Group,Logistics")
_ORDINAL = r"\d{1,3}(?:st|nd|rd|th|ST|ND|RD|TH)"
_UNIT_WORD = r"(?:[A-Z][a-z]+|[A-Z]{3,})[ \t]+"
#: one unit: an ordinal and a unit word ("1st Cavalry Division"); a generic unit word needs a name word before it
_UNIT = rf"{_ORDINAL}[ \t]+(?:(?:{_UNIT_WORD}){{0,3}}(?:{_STRONG_UNIT})|(?:{_UNIT_WORD}){{1,3}}(?:{_WEAK_UNIT}))(?![\w])"
_MILITARY_UNIT_RX = re.compile(
    rf"(?<![\w]){_UNIT}(?:,[ \t]+{_UNIT})?"
    r"|(?<![\w])(?:USS|USNS|USCGC|HMS)[ \t]+[A-Z][A-Za-z.'-]+(?:[ \t][A-Z][A-Za-z.'-]+){0,2}(?:[ \t]\((?:[A-Z]{2,4}-\d{1,3})\))?")
#: A pharmacy's or shop's branch number: "CVS Pharmacy #1450", "Pharmacy store 19028", "Walgreens #07731".
_STORE_NUMBER = re.compile(
    r"(?i:pharmacy|drugs?|drug[ \t]?store|store|cvs|walgreens|rite[ \t]aid|walmart|wal-mart|kroger|costco|publix|"
    r"safeway|target|heb|meijer|duane[ \t]reade)"
    r"[ \t]*(?:#|(?i:store|branch|location)[ \t]*#?|(?i:no\.|number))[ \t]*(?P<num>\d{2,6})(?![\w/]|[.,]\d)")
#: ", Fremantle" after a facility's name, before the end of the line, a comma, a full stop or the
#: next field ("Wellington Medical Centre, Fremantle  Ph ..."): the facility's town.
_TOWN_AFTER = re.compile(r",[ \t]+(?P<town>[A-Z][a-z'-]+(?:[ \t][A-Z][a-z'-]+)?)(?=[ \t]{2,}|[ \t]*(?:[,.;]|\r?\n|$))")
#: Firms named after their founders: "Harris and Partners" (a GP practice), "Hamilton & Sons", "Smith, Smith
#: & Associates" (a law firm; not "Dr Marsh, Penrose and Partners", a doctor and then the firm).
_FIRM_RX = re.compile(r"(?<![\w])(?P<name>(?<!Dr )(?<!Dr\. )(?<!Mr )(?<!Mrs )(?<!Ms )[A-Z][a-z]+(?:,[ \t]+[A-Z][a-z]+){1,2}"
                      r"|[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)[ \t]+(?:and|&)[ \t]+"
                      r"(?P<kind>Partners|Sons|Daughters|Associates)(?![\w])"
                      r"|(?<![\w])(?P<caps>[A-Z]{2,}(?:[ -][A-Z]{2,})?)[ \t]+(?:AND|&)[ \t]+(?P<capskind>PARTNERS|SONS|DAUGHTERS)(?![\w])")


class FacilityRecognizer(DeidRecognizer):
    """Named care facilities, schools and employers."""

    ENTITIES = ("HOSPITAL", "LOCATION", "ID")
    CONFIG_KEY = "facility"

    def _namey(self, tok: Token, mixed: bool) -> bool:
        """Whether a token can be part of a facility's proper name."""
        low = tok.low
        if low in STOP_WORDS or low in _GENERIC or len(low) < 2 and not tok.text.isupper():
            return False
        if mixed and not tok.text[:1].isupper():
            return False
        lex = self.resources.lexicon
        if self.resources.allowed(low) and not lex.is_name(low):
            return False
        if lex.is_plain_word(low) and not (mixed and tok.text[:1].isupper() and not tok.text.isupper()):
            return False  # "CARDIAC REHAB", "begin rehab": words, not a name
        return not tok.text.isdigit()

    def _name_before(self, text: str, toks: tuple[Token, ...], i: int, mixed: bool) -> int | None:
        """Start of the name words ending right before token ``i`` (``None`` if there are none)."""
        start = None
        j = i - 1
        while j >= 0 and i - j <= 3:
            tok = toks[j]
            gap = text[tok.end : (toks[j + 1].start if j + 1 < len(toks) else tok.end)]
            if gap not in (" ", "-", "'s ", "’s ") and not (gap == ". " and tok.low == "st") or not self._namey(tok, mixed):
                break
            start = tok.start
            j -= 1
        return start

    def _caps_hospital_name(self, text: str, toks: tuple[Token, ...], k: int, tail: str, mixed: bool) -> int | None:
        """In capitals-only text, one plain word between a place preposition and HOSPITAL names it:
        "TAKEN TO UNION HOSPITAL", "ADMITTED FROM UNION HOSP." (``_namey`` refuses common words there),
        when the word is a known name or place."""
        if mixed or k == 0 or tail.lower() not in _HOSPITAL_TAILS:
            return None
        tok = toks[k - 1]
        low = tok.low
        if text[tok.end : toks[k].start] != " " or not tok.text.isalpha() or len(low) < 3 or low in STOP_WORDS \
                or low in _GENERIC or self.resources.allowed(low):
            return None
        if not (self.resources.lexicon.is_listed_name(low) or self.resources.wide.is_place(low)):
            return None  # "CARDIAC HOSPITAL", "PSYCHIATRIC HOSPITAL": hospitals are named after people and places
        return tok.start if _PLACE_PREP.search(text, max(0, tok.start - 12), tok.start) else None

    def _universities(self, text: str) -> Iterable[Found]:
        """"U Maryland", "Univ. of Pittsburgh", "University of Michigan": a university (and its hospital)
        named by a known place."""
        for m in _UNIVERSITY_RX.finditer(text):
            place = m.group("place")
            if self.resources.wide.is_place(place) or self.resources.wide.is_place(place.split()[0]):
                yield Found(m.start(), m.end(), "LOCATION", self.score * 0.9)

    def _town_after(self, text: str, end: int) -> tuple[int, int] | None:
        """The town right after a facility's name (", Fremantle"), when it is no plain word."""
        m = _TOWN_AFTER.match(text, end)
        if not m:
            return None
        lex = self.resources.lexicon
        words = m.group("town").split()
        if any(w.lower() in STOP_WORDS or self.resources.allowed(w) for w in words) \
                or all(lex.is_plain_word(w) for w in words):
            return None
        return m.start("town"), m.end("town")

    def find(self, text: str) -> Iterable[Found]:
        """Find facility names ending with a keyword, starting with a saint word, or after an employer cue."""
        toks = tokenize(text)
        mixed = is_mixed_case(text)
        starts = {t.start: k for k, t in enumerate(toks)}
        for m in _TAIL_RX.finditer(text):
            tail = m.group("tail")
            if mixed and not tail[:1].isupper():
                continue
            k = starts.get(m.start())
            if k is None:
                continue
            start = self._name_before(text, toks, k, mixed)
            if start is None:
                start = self._caps_hospital_name(text, toks, k, tail, mixed)
                if start is not None:
                    yield Found(start, m.end(), "HOSPITAL", self.score * 0.9)
                continue
            words = tokenize(text[start : m.start()])
            if len(words) > 1 and self.resources.wide.is_place(" ".join(w.text for w in words)):
                pass  # "Broken Arrow EMS", "Bowling Green County": plain words that together name a town
            elif mixed and tail.lower() in _NAMED_BY_ANY_WORD and all(w.text[:1].isupper() for w in words):
                pass  # "Station Housing Trust", "Meadow Funeral Home": such a body is named by any word
            elif mixed and (len(words) == 1 and tail.lower() in _NAMED_BY_SURNAME
                            or len(words) <= 2 and tail.lower() in _PRACTICE_OF_SURNAME) \
                    and words[0].text[:1].isupper() and self.resources.lexicon.is_last_name(words[0].text):
                pass  # "Page Transport", "Johnson Central Laboratories": a surname that is a word too
            elif all(self.resources.lexicon.is_plain_word(w.text) for w in words):
                continue  # "Regular House", "Cardiac Rehab": every name word is a plain word
            entity = "HOSPITAL" if tail.lower() in _CARE_TAILS else "LOCATION"
            if tail.lower() in ("inc", "corp", "co.", "llc", "company", "school", "university", "college", "clinic",
                                "surgery", "practice", "supply", "supplies", "transport", "transportation") \
                    and not mixed:
                continue  # too common in single-case nursing text ("colateral supply present")
            yield Found(start, m.end(), entity, self.score)
            town = self._town_after(text, m.end())
            if town:
                yield Found(*town, "LOCATION", self.score * 0.9)
        for m in _MILITARY_UNIT_RX.finditer(text):
            yield Found(m.start(), m.end(), "LOCATION", self.score * 0.9)
        for m in _STORE_NUMBER.finditer(text):
            yield Found(m.start("num"), m.end("num"), "ID", self.score * 0.9)
        for m in _FIRM_RX.finditer(text):  # founders' names, even when they are words ("Penrose and Partners")
            name, kind = (m.group("name"), m.group("kind")) if m.group("name") else (m.group("caps"), m.group("capskind"))
            if any(w.lower() in STOP_WORDS or w.lower() in _GENERIC or RELATION.match(w.lower()) for w in name.replace(",", " ").split()):
                continue  # "HUSBAND AND SONS" visiting: family, not a firm
            yield Found(m.start(), m.end(), "HOSPITAL" if kind.lower() == "partners" else "LOCATION", self.score)
        for m in _SAINT_RX.finditer(text):
            head = m.group("head")
            if mixed and not head[:1].isupper():
                continue
            k = starts.get(m.end())
            if k is None:
                continue
            name = [toks[k]]
            if not self._namey(name[0], mixed) or self.resources.lexicon.is_common(name[0].text) and not name[0].text.endswith("'s") \
                    and name[0].low not in ("cross", "heart", "samaritan", "shepherd", "redeemer", "family", "spirit", "name", "trinity"):
                continue
            if k + 1 < len(toks) and text[toks[k].end : toks[k + 1].start] == " " and self._namey(toks[k + 1], mixed) \
                    and not _TAIL_RX.fullmatch(toks[k + 1].text):
                if not self.resources.lexicon.is_common(toks[k + 1].text) or toks[k + 1].low in ("cross", "heart"):
                    name.append(toks[k + 1])
            cue = _PLACE_PREP.search(text, max(0, m.start() - 12), m.start())
            tail = _TAIL_RX.match(text, name[-1].end + 1)
            if not (cue or tail or (mixed and head.lower() in ("saint", "st", "st."))):
                continue
            yield Found(m.start(), tail.end() if tail else name[-1].end, "HOSPITAL", self.score * 0.95)
        yield from self._universities(text)
        cue_words = [m.start() for m in _EMPLOYER_WORD.finditer(text)]
        for k, tok in enumerate(toks):
            # a cue holds one of its words, so only a token with such a word in the 30 characters before it is tried
            w = bisect_left(cue_words, tok.start - 30)
            if w == len(cue_words) or cue_words[w] >= tok.start \
                    or not _EMPLOYER_CUE.search(text, max(0, tok.start - 30), tok.start):
                continue
            name = []
            j = k
            while j < len(toks) and len(name) < 3 and self._namey(toks[j], mixed) \
                    and (not name or text[name[-1].end : toks[j].start] in (" ", " & ", "-")):
                if self.resources.lexicon.is_common(toks[j].text) and not mixed:
                    break
                name.append(toks[j])
                j += 1
            if name and not all(self.resources.lexicon.is_common(t.text) for t in name):
                yield Found(name[0].start, name[-1].end, "LOCATION", self.score * 0.9)
