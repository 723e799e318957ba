"""Towns, cities and neighbourhoods from GeoNames (the wide lexicon), after a place cue:
"lives in Ellicott City", "moved here from Gdansk", "born in Rome", "Towson, MD".

The raw list matches many clinical words ("white", "post", "progress"), so a place is tagged only
after a cue word, only when it is not a common or safe word (multi-word names excepted), and in
sentence-case text only when capitalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.lexicon import load_country_names, not_identifying_places, place_first_words
from deid.recognizers.base import STOP_WORDS, DeidRecognizer, Found, is_mixed_case, tokenize
from deid.recognizers.zip_code import US_STATE_CODES

#: Words before a place name (strong: a residence or origin).
_STRONG_CUE = re.compile(
    r"(?i:\b(?:lives?|living|lived|resides?|residing|resident|moved|relocated|born|raised|grew\s+up|"
    r"vacationing|vacation|travel(?:l?ed|ing)?|trip|visiting|visited|home|originally|native|emigrated|immigrated|"
    r"came|comes|flew|fly|flies|flying|drove|driving|arriving|arrives?|arrived|returned|returning)"
    r"(?:\s+(?:here|back|up|down|over|home|there|in))?\s+(?:in|at|near|to|from|of|outside)\s+$"
    r"|\b(?:daughters?|dtrs?|sons?|sisters?|brothers?|wife|husband|niece|nephew|cousins?|parents|mother|father|family)"
    r"\s+(?:is\s+)?(?:from|in)\s+$)")
_WEAK_CUE = re.compile(r"(?i:\b(?:in|from|to|near|at|outside|of)\s+$)")
_STATE_AFTER = re.compile(
    r"^,\s*(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
    r"NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)\b")


#: A town no list holds, written with its state after a comma, a cue word or a comma before it ("sister:
#: Dana Cole, 66, New Holly, IL", "moved from Orchard Hill, GA"); not "Amy Ruiz, MD" or "Joan Li, MA"
#: (credentials that are state codes too), and a town of plain words not before a code that is also a
#: word or a clinical abbreviation ("Feels Fine, OK", "Sign In, OR").
_BEFORE_STATE = re.compile(
    r"(?:(?<=, )|(?<=\bin )|(?<=\bof )|(?<=\bto )|(?<=\bat )|(?<=\bfrom )|(?<=\bnear ))"
    r"(?P<town>[A-Z][a-z'-]+(?:[ \t][A-Z][a-z'-]+){0,2}),[ \t]+(?P<state>[A-Z]{2})(?=[ \t]+\d{5}|[ \t]*(?:[.,;)]|\r?\n|$))")
_CREDENTIAL_STATES = frozenset("MD PA ME MA".split())
_WORD_STATES = frozenset("OK OR IN HI ID CO LA DE OH AL".split())

#: Where someone lives that names no place ("lives in apartment", "moved to shelter"); some are
#: also GeoNames entries.
_DWELLINGS = frozenset("""apartment apartments apt house home town city village suburb suburbs condo condominium
    shelter facility community building trailer dorm dormitory motel hotel basement unit room rooms flat studio
    country countryside area neighborhood neighbourhood street housing projects group nursing assisted care
    rehab hospital jail prison ward camp farm ranch boat car van tent woods""".split())

#: Town-shaped names that no list holds: "Jessicatown", "East Meredithburgh", "Port Amy", "Lake Kristenberg".
_TOWN_SHAPE = re.compile(
    r"(?:(?:North|South|East|West|New|Lake|Port|Fort|Mount|Mt\.?|Saint|St\.?|Glen|Grand|Little|Upper|Lower)\s+)?"
    r"[A-Z][a-z]+(?:town|ville|burg|burgh|berg|bury|borough|boro|chester|fort|furt|mouth|side|stad|shire|haven|view|"
    r"port|ton|field|ford|land|wood|dale|mont|ham|by|heim|haus|brook|ridge|mouth|hurst|stead)(?![\w-])"
    r"|(?:North|South|East|West|New|Lake|Port|Fort|Mount)\s+[A-Z][a-z]{2,}(?![\w-])")


#: Words of a route before a town: "FLEW TO CAN THO (VIETNAM)".
_LEADING_PREPOSITIONS = re.compile(r"(?i:(?:to|from|in|at|via|of|the|and|then|through|into)[ \t]+)+")
#: A town named with its country: "Karise, Denmark", "Binningen (Switzerland)", "CAN THO (VIETNAM)".
_BEFORE_COUNTRY = re.compile(
    r"(?<![\w'-])(?P<town>[A-Z][\w\u00C0-\u024F'-]+(?:[ -][A-Z][\w\u00C0-\u024F'-]+){0,2})"
    r"(?:,[ \t]*|[ \t]+\([ \t]*)(?P<country>[A-Z][a-z]+(?:[ \t][A-Z][a-z]+){0,2}|[A-Z]{3,}(?:[ \t][A-Z]{2,}){0,2})(?![\w-])")


class PlaceNameRecognizer(DeidRecognizer):
    """Known towns and cities after place cues."""

    ENTITIES = ("LOCATION",)
    CONFIG_KEY = "place_name"

    def __init__(self, resources):
        super().__init__(resources)
        self.not_places = not_identifying_places()
        self.first_words = place_first_words()
        self.countries = load_country_names()

    def _word_before_country(self, word: str) -> bool:
        """Before ", Country" a word is a word only when clinical, a stop word, or common and safe
        ("History, Poland"); a town that is also a common word ("Paris, France") or on the long safe
        list alone ("Binningen (Switzerland)") is a place."""
        low = word.lower()
        return self._never_a_place(low) or (low in self.resources.wide.safe_words and self.resources.lexicon.is_common(low))

    def _never_a_place(self, low: str) -> bool:
        """A stop word, a dwelling ("apartment", "shelter") or a clinical word."""
        return low in STOP_WORDS or low in _DWELLINGS or self.resources.allowed(low)

    def _plain_word(self, word: str, strict: bool) -> bool:
        """A word that is a word first: clinical or on the safe list, or (when ``strict``) common.

        After a residence cue ("lives in", "flying from") a city that is also a common word of
        clinical text ("Rome" of the Rome criteria, "Paris", "Rochester") is a place; with a weak cue
        ("in", "from") it is not.
        """
        low = word.lower()
        return self._never_a_place(low) or low in self.resources.wide.safe_words or (strict and self.resources.lexicon.is_common(low))

    def find(self, text: str) -> Iterable[Found]:
        """Find the longest known place (1-4 words) after a cue, or before ", ST"."""
        toks = tokenize(text)
        mixed = is_mixed_case(text)
        starts = self.first_words
        for i, tok in enumerate(toks):
            if tok.low not in starts and tok.low.replace("-", " ").split(" ")[0] not in starts \
                    and not (mixed and _TOWN_SHAPE.match(text, tok.start)):
                continue  # no known place and no town's shape starts here: the cue searches can wait
            before = text[max(0, tok.start - 40) : tok.start]
            strong = bool(_STRONG_CUE.search(before))
            if mixed and not tok.text[:1].isupper() and not strong:
                continue  # after "lives in" a place may be written in lower case ("lives in rome")
            weak = strong or bool(_WEAK_CUE.search(before))
            best = None
            for n in (4, 3, 2, 1):
                if i + n > len(toks):
                    continue
                words = toks[i : i + n]
                if any(text[a.end : b.start] not in (" ", "-") for a, b in zip(words, words[1:])):
                    continue
                if mixed and not strong and not all(w.text[:1].isupper() for w in words):
                    continue
                phrase = text[words[0].start : words[-1].end]
                if phrase.lower() in self.not_places:
                    break
                if self.resources.wide.is_place(phrase) or self.resources.wide.is_place(phrase.replace("-", " ")):
                    best = words
                    break
            accepted = False
            if best:
                phrase_words = [w.text for w in best]
                plain = all(self._plain_word(w, strict=not strong) for w in phrase_words)
                state = bool(_STATE_AFTER.match(text[best[-1].end : best[-1].end + 5]))
                accepted = not (len(best) == 1 and plain)  # "white", "post", "mobile": a word first
                # a weak cue ("from", "in") needs capitals to be informative, or a city that is no word
                # and no name at all ("FROM ROME")
                unique_city = len(best) == 1 and not plain and not self.resources.lexicon.is_listed_name(best[0].text) \
                    and best[0].low not in self.resources.wide.safe_words
                accepted = accepted and bool(strong or state or (weak and ((mixed and (len(best) > 1 or not plain))
                                                                           or unique_city)))
                if accepted and not strong and not state and len(best) == 1 and self.resources.lexicon.is_name(best[0].text) \
                        and not (best[0].low in self.resources.wide.us_places):
                    accepted = False  # "to Jordan", "from Florence": a person as likely as a place
            if not accepted:
                shaped = _TOWN_SHAPE.match(text, tok.start) if mixed else None
                if shaped and (strong or weak) and not self._plain_word(shaped.group().split()[-1], strict=True):
                    yield Found(shaped.start(), shaped.end(), "LOCATION", self.score * 0.85)
                continue
            yield Found(best[0].start, best[-1].end, "LOCATION", self.score * (1.0 if strong else 0.9))
        yield from self._before_country(text)
        if mixed:
            yield from self._before_state(text)

    def _before_state(self, text: str) -> Iterable[Found]:
        """A town that no list holds, written with its US state code after it."""
        for m in _BEFORE_STATE.finditer(text):
            town, state = m.group("town"), m.group("state")
            if state not in US_STATE_CODES or state in _CREDENTIAL_STATES:
                continue
            words = town.split()
            if any(self._never_a_place(w.lower()) for w in words) or town.lower() in self.not_places \
                    or town.lower() in self.countries:
                continue
            if state in _WORD_STATES and all(self._plain_word(w, strict=True) for w in words):
                continue
            yield Found(m.start("town"), m.end("town"), "LOCATION", self.score * 0.85)

    def _before_country(self, text: str) -> Iterable[Found]:
        """A town written with its country after it: the country says the words before it are a place."""
        for m in _BEFORE_COUNTRY.finditer(text):
            town, country = m.group("town"), m.group("country")
            if country.lower() not in self.countries or town.lower() in self.countries or town.lower() in self.not_places:
                continue
            if all(self._word_before_country(w) for w in re.split(r"[ -]", town)):
                continue  # "History, Poland": a word first
            start = m.start("town")
            lead = _LEADING_PREPOSITIONS.match(town)  # "TO CAN THO (VIETNAM)": the town starts after "TO"
            if lead and lead.end() < len(town):
                start += lead.end()
            yield Found(start, m.end("town"), "LOCATION", self.score * 0.9)
