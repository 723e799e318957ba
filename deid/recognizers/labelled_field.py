"""Values of labelled form fields that are PHI whatever their words: an address field
("Address: 48 Southlands Park, Naas, Co. Kildare, W91 CCEN") and an employer or school field
("Employer name: Rose Foods", "School: Maple Grove Elementary").

A field label with a colon starts the value; it runs to the end of the line or to the next field
on the same line (two or more spaces, a tab, " | " or " · "). The value must start with a digit or
a capital, and an address must hold a comma or a digit, so that "Address: same as above",
"Employer: Retired" and prose ("the address: see the letter") are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found

_ADDRESS_LABEL = (r"(?:home|current|mailing|postal|permanent|patient'?s?|street|residential|correspondence|billing|"
                  r"previous|new|contact|employer'?s?|work|school)[ \t]+address|address|addr\.?|residence")
_EMPLOYER_LABEL = r"employer(?:[ \t]+name)?|employed[ \t]+(?:by|at)|place[ \t]+of[ \t]+employment|workplace|company|school(?:[ \t]+name)?"
_LABEL = re.compile(
    rf"(?:^|(?<=[ \t|]))(?i:(?P<address>{_ADDRESS_LABEL})|(?P<employer>{_EMPLOYER_LABEL}))[ \t]*(?:\(\w+\))?[ \t]*:[ \t]*",
    re.M)
#: The value: up to the end of the line or the next field on it.
_VALUE = re.compile(r"[^\n\t|·]*?(?=[ \t]{2,}|\t|[ \t]*[|·]|[ \t]*\r?$|[ \t]*\n)")
_NO_VALUE = re.compile(
    r"^(?i:same|see|as above|unknown|none|n/?a|not|no(?:\W|$)|homeless|on file|declined|withheld|pending|tbd|"
    r"verified|confirmed|updated|per |street|home(?:\W|$)|self|retired|unemployed|disabled|disability|student|"
    r"homemaker|housewife|stay|full|part|yes(?:\W|$)|patient|pt(?:\W|$))")


class LabelledFieldRecognizer(DeidRecognizer):
    """The value of an address, employer or school field on a form or a letter's header line."""

    ENTITIES = ("ADDRESS", "LOCATION")
    CONFIG_KEY = "labelled_field"

    def find(self, text: str) -> Iterable[Found]:
        """Find labelled values (1-120 characters)."""
        for m in _LABEL.finditer(text):
            v = _VALUE.match(text, m.end())
            if not v:
                continue
            value = v.group().rstrip(" ,.;")
            if not value or len(value) > 120 or not (value[0].isdigit() or value[0].isupper()) or _NO_VALUE.match(value):
                continue
            if m.group("address") is not None:
                if re.search(r"[,\d]", value):
                    yield Found(v.start(), v.start() + len(value), "ADDRESS", self.score)
            elif any(c.isalpha() for c in value):
                yield Found(v.start(), v.start() + len(value), "LOCATION", self.score * 0.95)
