"""Values of labelled form fields that are PHI whatever their words: an address field
("Address: 48 Southlands Park, Naas, Co. Kildare, W91 CCEN"), an employer or school field
("Employer name: Rose Foods", "School: Maple Grove Elementary") and a person's name field
("Name: Peng Na", "Interpreter: Femi Adeyemi", "Witness: J. Ortiz").

A field label with a colon starts the value; it runs to the end of the line or to the next field
on the same line (two or more spaces, a tab, " | " or " · "). The value must start with a digit or
a capital, an address must hold a comma or a digit, and a name must be one to five capitalised
words or initials with no digit, so that "Address: same as above", "Employer: Retired", "Contact:
Mother" and prose ("the address: see the letter") are left alone. Also the people of an attendance
list ("Present (8): Diego, Zielinski B., ...") and the patient of a sign-out line ("Rm 31A --
JOHNSON, PAUL").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found

_ADDRESS_LABEL = (r"(?:home|current|mailing|postal|permanent|patient'?s?|street|residential|correspondence|billing|"
                  r"previous|new|contact|employer'?s?|work|school)[ \t]+address|address|addr\.?|residence")
_EMPLOYER_LABEL = (r"employer(?:[ \t]+name)?|employed[ \t]+(?:by|at)|place[ \t]+of[ \t]+employment|workplace|company|school(?:[ \t]+name)?|"
                   r"(?:motor[ \t]+)?carrier|insurer|insurance[ \t]+carrier|(?:leave|claims?)[ \t]+administered[ \t]+by|"
                   r"claims?[ \t]+administrator|funeral[ \t]+home|mortuary|law[ \t]+firm|camp(?:[ \t]+name)?|"
                   r"day[ \t]*care(?:[ \t]+(?:name|center|provider))?|child[ \t]*care[ \t]+(?:center|provider)|preschool|"
                   # a town of birth is a place smaller than a state, as a home town is
                   r"(?:city|town|village|place)[ \t]+of[ \t]+birth|birth[ \t]*place|home[ \t]*town")
_NAME_LABEL = (r"(?:full[ \t]+|legal[ \t]+|preferred[ \t]+|interpreter'?s?[ \t]+|contact[ \t]+|witness[ \t]+|guardian'?s?[ \t]+)?name|"
               r"interpreter|witness|(?:legal[ \t]+)?guardian|parent/guardian|emergency[ \t]+contact|next[ \t]+of[ \t]+kin|nok|"
               r"caregiver|coach|athletic[ \t]+trainer|officer|escorting[ \t]+officer|case[ \t]+worker|caseworker|"
               r"(?:called|reported|referred|requested|completed|performed|prepared|entered|reviewed|dispatched)[ \t]+by|"
               r"caller|coordinator|attorney|counsel|adjuster|advocate|examiner|dispatcher|driver|collector|"
               r"(?:account[ \t]+)?representative|(?:subject|patient|participant)?[ \t]*initials|"
               r"(?:electronically[ \t]+|e-)?(?:co-?)?signed(?:[ \t]+by)?|signature|(?:dictated|transcribed|attested|authenticated)[ \t]+by")
_LABEL = re.compile(
    rf"(?:^|(?<=[ \t|]))(?i:(?P<address>{_ADDRESS_LABEL})|(?P<employer>{_EMPLOYER_LABEL})|(?P<name>{_NAME_LABEL}))"
    rf"[ \t]*(?:\(\w+\))?[ \t.]*:[ \t]*", re.M)  # with a printed form's dotted leader too ("CALLED BY...: ")
#: A name value: capitalised words, initials, "Last, First", a hyphen or an apostrophe in a name.
_NAME_VALUE = re.compile(r"(?:[A-Z][A-Za-z\u00C0-\u024F'-]*\.?)(?:,?[ \t]+(?:[A-Z][A-Za-z\u00C0-\u024F'-]*\.?)){0,4}")
#: Credentials after a name in a name field ("Examiner: Priscilla Nakamura, RN"): not part of the name.
_CREDENTIAL_TAIL = re.compile(r"(?:,?[ \t]+(?:RN|R\.N\.|MD|M\.D\.|DO|NP|PA-C|PA|LPN|CNA|EMT|EMT-[BP]|PhD|RRT|CRNA|APRN|BSN|MSN|"
                              r"DNP|FNP|SANE|CSPI|LCSW|MSW|Esq\.?))+$")
#: The value: up to the end of the line or the next field on it.
_VALUE = re.compile(r"[^\n\t|·]*?(?=[ \t]{2,}|\t|[ \t]*[|·]|[ \t]*\r?$|[ \t]*\n)")
_NO_VALUE = re.compile(
    r"^(?i:same|see|as above|unknown|none|n/?a|not|no(?:\W|$)|homeless|on file|declined|withheld|pending|tbd|"
    r"verified|confirmed|updated|per |street|home(?:\W|$)|self|retired|unemployed|disabled|disability|student|"
    r"homemaker|housewife|stay|full|part|yes(?:\W|$)|patient|pt(?:\W|$)|electronically|e-?signed|signed|signature)")


#: Lists of people: "Present (8): Diego, Zielinski B., ...", "Absent: Okonkwo S. (excused)".
_LIST_LABEL = re.compile(r"(?m)(?:^|(?<=[ \t|]))(?i:present|absent|attendees|attending|participants|members(?:[ \t]+present)?|"
                         r"in[ \t]+attendance|group[ \t]+members|crew(?:[ \t]+members)?|techs|technicians|care[ \t]+team|"
                         r"team[ \t]+members|staff[ \t]+present)[ \t]*(?:\(\d+\))?[ \t]*[:|][ \t]*(?P<items>[^\n]+)")
#: One item of such a list, up to a comma, a semicolon or a table bar; a comma in brackets does not end
#: it ("Ana R. (Paramedic, cert NREMT 1234) | ...").
_ITEM = re.compile(r"(?:[^,;|\n(]|\([^()\n]*\)|\()+")
#: A sign-out list's patient line: a room or bed, then "LAST, First" ("* Rm 31A -- JOHNSON, PAUL, 87 y/o").
_ROSTER = re.compile(r"(?m)(?:^|(?<=[ \t*|-]))(?i:rm|room|bed|bd)\.?[ \t]*#?[ \t]*[0-9]{1,4}[A-Z]?[ \t]*(?:--|-|:|\||\t)[ \t]*"
                     r"(?P<name>[A-Z][A-Za-z'-]+,[ \t]*[A-Z][A-Za-z'-]+(?:[ \t]+[A-Z]\.?)?)(?![\w'-])")
#: Kinship words that may lead a name field's value ("Next of kin: Niece, Patricia Waite").
#: Titles that may lead a name field's value ("Signed: Dr. Ines Roy"): kept out of the name's span.
_TITLES = frozenset("dr mr mrs ms miss mx prof rev det sgt atty".split())
_KIN = frozenset("mother father mom dad son daughter wife husband spouse partner sister brother niece nephew aunt uncle "
                 "cousin grandson granddaughter grandmother grandfather friend neighbor neighbour guardian self".split())


class LabelledFieldRecognizer(DeidRecognizer):
    """The value of an address, employer, school or name field on a form or a letter's header line."""

    ENTITIES = ("ADDRESS", "LOCATION", "PERSON")
    CONFIG_KEY = "labelled_field"

    def find(self, text: str) -> Iterable[Found]:
        """Find labelled values (1-120 characters) and the people of attendance lists."""
        yield from self._list_items(text)
        for m in _ROSTER.finditer(text):
            if not all(self.resources.lexicon.is_plain_word(w) for w in re.findall(r"[A-Za-z'-]+", m.group("name"))):
                yield Found(m.start("name"), m.end("name"), "PERSON", self.score * 0.9)
        for m in _LABEL.finditer(text):
            v = _VALUE.match(text, m.end())
            if not v:
                continue
            value = v.group().rstrip(" ,.;")
            if not value or len(value) > 120 or not (value[0].isdigit() or value[0].isupper()) or _NO_VALUE.match(value):
                continue
            if m.group("name") is not None:
                name = self._name(value)
                if name:
                    yield Found(v.start() + name[0], v.start() + name[1], "PERSON", self.score * 0.9)
            elif m.group("address") is not None:
                if re.search(r"[,\d]", value):
                    yield Found(v.start(), v.start() + len(value), "ADDRESS", self.score)
            elif any(c.isalpha() for c in value):
                value = re.sub(r"[ \t]+\([^()]*\)$", "", value)  # "Page Transport (USDOT 2785974)": the number is the id recognizers'
                yield Found(v.start(), v.start() + len(value), "LOCATION", self.score * 0.95)

    def _list_items(self, text: str) -> Iterable[Found]:
        """The people of a "Present:" / "Absent:" list: each item that is a capitalised name word,
        with an initial or a role in brackets after it allowed ("Okonkwo S. (excused)")."""
        lex, res = self.resources.lexicon, self.resources
        for m in _LIST_LABEL.finditer(text):
            for item in _ITEM.finditer(text, m.start("items"), m.end("items")):
                words = re.match(r"[ \t]*(?:(?:Dr|Mr|Mrs|Ms|Miss|Prof|Rev)\.?[ \t]+)?(?P<name>[A-Z][A-Za-z\u00C0-\u024F'-]+(?:[ \t]+[A-Z][A-Za-z\u00C0-\u024F'-]+)?"
                                 r"(?:[ \t]+[A-Z]\.?)?)[ \t]*(?:\([^()]*\))?[ \t]*$", item.group())
                if not words:
                    continue
                name = words.group("name")
                parts = [w for w in name.replace(".", " ").split() if len(w) > 1]
                if any(res.allowed(w) for w in parts) or all(lex.is_plain_word(w) for w in parts):
                    continue
                if not any(lex.is_listed_name(w) or not lex.is_common(w) for w in parts):
                    continue
                start = item.start() + words.start("name")
                yield Found(start, start + len(name), "PERSON", self.score * 0.9)

    def _name(self, value: str) -> tuple[int, int] | None:
        """Where the name is in a name field's value (``None``: no name there): capitalised words
        and initials after any plain words that lead it ("Husband, Kyle Riddle"), not all of them
        plain words ("Mother", "Video Remote")."""
        m = _NAME_VALUE.match(value)
        if not m or m.end() < len(value.rstrip()) and value[m.end()] not in " ,;(":
            return None
        lex, res = self.resources.lexicon, self.resources
        words = list(re.finditer(r"[^\s,]+", m.group()))
        bare = [w.group().strip(".") for w in words]
        plain = [len(b) == 1 or b.lower() in _KIN or b.lower() in _TITLES or lex.is_plain_word(b) for b in bare]
        if all(plain) or any(res.allowed(b) for b in bare if len(b) > 1):
            return None
        end = m.end()
        tail = _CREDENTIAL_TAIL.search(m.group())
        if tail and tail.start() > 0:
            end = tail.start()
            words = [w for w in words if w.end() <= end]
            bare, plain = bare[: len(words)], plain[: len(words)]
            if all(plain):
                return None

        def leads(k: int) -> bool:
            """Whether word ``k`` leads the name without being part of it: a kinship word or a title
            ("Husband, Kyle Riddle", "Dr. Ines Roy"), or a plain word ("Video Remote Kim Le") unless it
            is the family name of "FAMILY, GIVEN" ("FAN, YANG": the first word, a comma after it)."""
            low = bare[k].lower()
            if not plain[k]:
                return False
            if low in _KIN or low in _TITLES:
                return True
            return len(low) > 1 and (k > 0 or m.group()[words[k].end() : words[k].end() + 1] != ",")

        lead = 0
        while leads(lead):
            lead += 1
        return words[lead].start(), end
