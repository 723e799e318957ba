"""Street addresses ("123 Main St", "4 Elm Street Apt 2", "PO Box 55")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found, line_bounds

_SUFFIX = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|circle|cir|"
    r"way|place|pl|terrace|terr|ter|parkway|pkwy|highway|hwy|square|sq|trail|trl|pike|route|rte|"
    r"alley|row|crescent|close|plaza|loop|run|path|heights|hts|grove|garden|gardens|walk|"
    r"strasse|straße|calle|rue|via)"
)
_UNIT = r"(?:,?[ \t]+(?:apt|apartment|unit|suite|ste|#|fl|floor|room|rm)\.?[ \t]*#?[ \t]*[\w-]+)?"
_STREET = re.compile(
    rf"(?<![\w-])\d{{1,6}}[A-Z]?(?:-\d+)?[ \t]+(?:[NSEW]\.?[ \t]+|(?:north|south|east|west)[ \t]+)?"
    rf"(?:[A-Z][\w'.-]*[ \t]+){{0,3}}?{_SUFFIX}\.?(?![\w]){_UNIT}",
    re.I,
)
#: ", Towson, MD 21204" / ", London SW3 4NX" after a street (never across a line break).
_CITY_TAIL = re.compile(
    r"^,?[ \t]+(?:(?:St|Ft|Mt)\.[ \t])?[A-Z][a-zA-Z'-]+(?:[ \t][A-Z][a-zA-Z'-]+){0,2}(?:,?[ \t]+(?:[A-Z]{2}|[A-Z][a-z]+)(?=[ \t,.]|$))?"
    r"(?:,?[ \t]+(?:\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|\d{2}-\d{3}))?")
#: Street forms of other countries, the house number after the street: "ul. Dluga 12", "Via Roma, 23",
#: "Rua das Flores 221", "Avenue de la Gare 3", "Hauptstraße 5a", "Hämeenkatu 14", "Kossuth Lajos utca 7".
#: A building number before it ("4410 Storgatan 9") and a unit after it ("Apt. 12") are included.
_LETTER = r"A-Z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF"
_WORD = rf"[{_LETTER}][\w\u00C0-\u024F'.-]*"
_PARTICLE = r"(?:de|da|do|dos|das|del|della|dei|di|du|des|la|le|les|van|von|der|den|am|an|im|auf|i)"
_PREFIX = (r"(?:(?:ul|al|pl|os|av|avda|str|bd|bld)\.|Am|Im|Zum|Zur|(?:An|In|Auf|Unter|Hinter|Vor)[ \t]+(?:der|dem|den)|[Uu]lica|[Aa]leja|[Rr]ue|[Cc]alle|[Cc]arrer|[Pp]aseo|Via|Viale|"
           r"Piazza|Corso|Largo|[Aa]venida|[Aa]venue|[Bb]oulevard|[Cc]hemin|[Qq]uai|[Rr]ua|[Tt]ravessa|[Pp]raça|"
           r"[Ss]trada|[Ss]pl\.|[Nn]ám\.|[Nn]áměstí|Odos|Οδός|Λεωφόρος|[Uu]lица)")
#: Endings of one-word street names (German, Dutch, Nordic, Finnish, Icelandic, Hungarian).
_ENDING = (r"(?:stra(?:ss|ß)e|str\.|weg|gasse|platz|allee|damm|laan|straat|gracht|plein|hove|gatan|gata|gaten|"
           r"vägen|väg|veien|vegen|vei|vej|gade|stien|katu|tie|kuja|polku|stræti|straeti|vegur|utca)")
#: Street-type words after a name (Hungarian, Czech, Nordic, French): "Kossuth Lajos utca 7", "Stensås terrasse 38".
_TYPE_AFTER = r"(?:u\.|utca|út|útja|tér|körút|krt\.|rkp\.|sor|köz|terrasse|allé|vej|gade|gata|straße|strasse|weg|laan)"
_HOUSE = r"\d{1,5}[a-zA-Z]?(?:[/-]\d{1,4})?(?:[ \t][A-Z](?![\w'-]))?\.?"
_BUILDING = r"(?:\d{1,6}[ \t]+)?"
_UNIT_AFTER = r"(?:,?[ \t]+(?i:apt|apartment|suite|ste)\.?[ \t]*#?[ \t]*\d[\w-]*)?"
_EUROPEAN = re.compile(
    rf"(?<![\w-]){_BUILDING}(?:"
    rf"(?<!et ){_PREFIX}[ \t]+(?:(?:{_WORD}|{_PARTICLE})[ \t]+){{0,3}}(?:{_WORD},?[ \t]+){_HOUSE}"
    rf"|{_WORD}{_ENDING}[ \t]+{_HOUSE}"
    rf"|(?:{_WORD}[ \t]+){{1,3}}{_TYPE_AFTER}[ \t]+{_HOUSE}"
    rf")(?![\w]){_UNIT_AFTER}"
)
#: Postcode shapes of other countries with a separator: "4050-123" (PT), "394 13" (SE, CZ), "80-831" (PL).
POSTCODE_FORMS = r"\d{4}-\d{3}|\d{3}[ \t]\d{2}|\d{2}-\d{3}"
#: ", 33100 Tampere" / ", 1620 København V" / " · 8850 Murau" after such a street (same line; a
#: letterhead's " · " or " | " between the parts).
_POSTCODE_TOWN_TAIL = re.compile(
    rf"^(?:,|[ \t]+[·|•])?[ \t]+(?:\d{{4}}[ \t]?[A-Z]{{2}}|{POSTCODE_FORMS}|\d{{4,5}})(?![\w-])(?:[ \t]+{_WORD})?")
#: Postcodes that need no state: UK ("SW3 4NX") and Polish ("80-831") before or after a town.
_UK_POSTCODE = re.compile(r"(?<![\w-])(?:[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2})(?![\w-])")
_PL_POSTCODE_TOWN = re.compile(r"(?<![\w-])(?P<z>\d{2}-\d{3})[ \t]+(?P<town>[A-Z\u00C0-\u017F][a-z\u00C0-\u017F-]+)(?![\w])")
#: An Irish county in an address: "Co. Donegal", "Co Meath", or "Co. <Name>" between commas / before a line end.
_IRISH_COUNTY = re.compile(
    r"(?<![\w.])Co\.?[ \t]+(?:Antrim|Armagh|Carlow|Cavan|Clare|Cork|Derry|Donegal|Down|Dublin|Fermanagh|Galway|Kerry|"
    r"Kildare|Kilkenny|Laois|Leitrim|Limerick|Longford|Louth|Mayo|Meath|Monaghan|Offaly|Roscommon|Sligo|Tipperary|"
    r"Tyrone|Waterford|Westmeath|Wexford|Wicklow)(?![\w])"
    r"|(?<=, )Co\.[ \t]+[A-Z][a-z]+(?=[ \t]*(?:,|$))", re.M)


def _alone_on_its_line(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is all its line holds (a postcode under the town in a letter head)."""
    line_start, line_end = line_bounds(text, start, end)
    return text[line_start:start].strip() == "" and text[end:line_end].strip() == ""


_TOWN_BEFORE = re.compile(r"(?:[A-Z][a-z]+|(?i:postcode|post code|postal code))[:,]?[ \t]+$")
#: Rural and highway addresses, the road's number after its kind: "2450 County Road 54", "957 Rural Route 98",
#: "3616 Highway 112", "12 State Route 9" (written out: "RR 18" and "CR 12" are a respiratory rate and a creatinine).
_NUMBERED_ROAD = re.compile(
    r"(?<![\w-])\d{1,6}[ \t]+(?i:county[ \t]+road|county[ \t]+rd\.?|rural[ \t]+route|state[ \t]+route|state[ \t]+road|"
    r"state[ \t]+highway|us[ \t]+highway|us[ \t]+hwy|highway|hwy\.?|route|rte\.?|farm[ \t]+to[ \t]+market)"
    r"[ \t]+\d{1,4}[A-Z]?(?![\w-])")
_POBOX = re.compile(r"\b(?:p\.?\s?o\.?\s?box|(?:psc|cmr|unit)[ \t]+\d{3,5},?[ \t]+box)[ \t]+\d+\b", re.I)
#: A unit on its own ("Apt. 31" on the line after the street, "Suite 210"): the address's part.
_UNIT_ALONE = re.compile(r"(?<![\w-])(?i:apt|apartment|suite|ste)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?(?![\w-])")
_CLINICAL_AFTER_NUMBER = re.compile(r"^\d+\s*(?:mg|mcg|cc|ml|units?|l|liters?|x|times|days?|hours?|hrs?|min)\b", re.I)


#: The next line of an address block, with what ends the current one (spaces, an optional comma).
_NEXT_LINE = re.compile(r"^,?[ \t]*\r?\n[ \t>]*(?P<line>[^\n]{1,60}?)[ \t]*(?=\r?\n|$)")
#: What such a line may hold: 1-4 words (capitalised or capitals), optional postcode, no colon.
_BLOCK_LINE = re.compile(
    rf"(?:(?:{_WORD}|[A-Z]{{2}})(?:[ \t,]+(?:{_WORD}|[A-Z]{{2}}|\([^()\n]{{1,20}}\))){{0,3}},?)?"
    rf"(?:[ \t]*(?:\d{{4,6}}|\d{{5}}-\d{{4}}|{POSTCODE_FORMS}|[A-Z]{{1,2}}\d[A-Z\d]?[ \t]?\d[A-Z]{{2}}))?"
    r"|(?i:apt|apartment|suite|ste)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?"
    rf"|(?:\d{{4,6}}|\d{{4}}[ \t]?[A-Z]{{2}}|{POSTCODE_FORMS})[ \t]+{_WORD}(?:[ \t-]+{_WORD}){{0,2}}")
_NOT_ADDRESS_START = frozenset("dear re to from attn attention cc subject date tel phone fax email mobile "
                               "sincerely regards dr mr mrs ms".split())

_MONTH_WORDS = frozenset("january february march april may june july august september october november december "
                         "jan feb mar apr jun jul aug sep sept oct nov dec".split())
#: Street words written out, which make "6 May Drive" a street although "May" is a month.
_LONG_SUFFIXES = frozenset("street avenue road drive lane boulevard close crescent terrace gardens parkway".split())
#: Month names of the other languages whose street forms are read ("Im Juni 2020" is no street).
_FOREIGN_MONTHS = frozenset("januar februar märz maerz mai juni juli oktober dezember janvier février fevrier mars avril "
                            "juin juillet août aout septembre octobre novembre décembre decembre enero febrero marzo abril "
                            "mayo junio julio agosto septiembre octubre noviembre diciembre".split())
#: "Naas, " before an Irish county: the town of the address.
_TOWN_BEFORE_COUNTY = re.compile(r"(?<![\w-])(?P<town>[A-Z][a-z'-]+(?:[ \t][A-Z][a-z'-]+)?),[ \t]*$")


class StreetAddressRecognizer(DeidRecognizer):
    """House number + street name + suffix, optional unit and ", City, ST 12345"."""

    ENTITIES = ("ADDRESS", "ZIP")
    CONFIG_KEY = "street_address"

    def find(self, text: str) -> Iterable[Found]:
        """Find street addresses; the city/state tail and the address block's next lines (town,
        country and postcode, unit) are included when present."""
        for found in self._find_parts(text):
            if found.entity_type == "ADDRESS":
                found = Found(found.start, self._block_end(text, found.end), found.entity_type, found.score)
            yield found

    def _block_end(self, text: str, end: int) -> int:
        """Where an address block that goes on at ``end`` ends: up to three more lines, each only a
        town, region, country and/or postcode ("Egilsstaðir", "Portugal 4050-123", "APO AE 09012");
        never a line with a colon, a greeting or only common words ("Dear Dr Smith,", "Re:",
        "Assessment")."""
        lex = self.resources.lexicon
        for _ in range(3):
            rest = text[end:]
            m = _NEXT_LINE.match(rest)
            if not m:
                break
            line = m.group("line").strip()
            if not line:
                break
            words = re.findall(r"[^\W\d_][\w'.-]*", line)
            if not _BLOCK_LINE.fullmatch(line) or (words and words[0].lower().rstrip(",") in _NOT_ADDRESS_START):
                break
            postcode = re.search(r"\d{4}", line) is not None  # a town beside a postcode may be a word too
            if words and not postcode and all(lex.is_plain_word(w.rstrip(".,")) for w in words):
                break
            end += m.end()
        return end

    def _find_parts(self, text: str) -> Iterable[Found]:
        for m in _STREET.finditer(text):
            if _CLINICAL_AFTER_NUMBER.match(m.group()):
                continue
            words = re.findall(r"[A-Za-z][\w'.-]*", m.group())
            name_words = words[:-1] if len(words) > 1 else []
            lex = self.resources.lexicon
            # the street name must be a Capitalised word that is not a clinical/common word
            if not name_words or not all(w[:1].isupper() for w in name_words):
                continue
            if all(lex.is_plain_word(w) for w in name_words) or any(self.resources.allowed(w) for w in name_words):
                continue
            if m.group().isupper() and not re.search(r"(?i)street|avenue|road|boulevard|lane|drive|court|highway|parkway|"
                                                     r"terrace|trail|circle|plaza|pike|crescent", m.group()):
                continue
            if re.search(r"\bCT\.?$", m.group()) or (any(w.lower() in _MONTH_WORDS for w in name_words)
                                                   and words[-1].lower().rstrip(".") not in _LONG_SUFFIXES):
                continue  # "16 August Chest CT": a date and a scan, not "... Court"; "6 May Drive" is a street
            end = m.end()
            tail = _CITY_TAIL.match(text[end : end + 60])
            if tail:
                end += tail.end()
                while end > m.end() and text[end - 1] in ". ":
                    end -= 1  # the sentence's full stop is not part of the town
            yield Found(m.start(), end, "ADDRESS", self.score)
        for m in _POBOX.finditer(text):
            yield Found(m.start(), m.end(), "ADDRESS", self.score)
        for m in _NUMBERED_ROAD.finditer(text):
            if not re.match(r"\d+[ \t]+[A-Z]", m.group()):
                continue  # "take 1 route 66": the road's kind is written with a capital
            tail = _CITY_TAIL.match(text[m.end() : m.end() + 60])
            yield Found(m.start(), m.end() + (tail.end() if tail else 0), "ADDRESS", self.score)
        for m in _EUROPEAN.finditer(text):
            if self._is_street(m.group(), text[m.end() : m.end() + 12]):
                tail = _POSTCODE_TOWN_TAIL.match(text[m.end() : m.end() + 60])
                end = m.end() + (tail.end() if tail else 0)
                if tail and text[end - 1] == ".":
                    end -= 1  # the sentence's full stop, not an abbreviation of the town
                yield Found(m.start(), end, "ADDRESS", self.score)
        for m in _UNIT_ALONE.finditer(text):
            yield Found(m.start(), m.end(), "ADDRESS", self.score * 0.9)
        for m in _UK_POSTCODE.finditer(text):
            before = text[max(0, m.start() - 30) : m.start()]
            if (_TOWN_BEFORE.search(before) or _alone_on_its_line(text, m.start(), m.end())) \
                    and not re.search(r"(?i)\b(?:mg|ml|mcg|units?)$", m.group()):
                yield Found(m.start(), m.end(), "ZIP", self.score * 0.9)
        for m in _IRISH_COUNTY.finditer(text):
            start = m.start()
            town = _TOWN_BEFORE_COUNTY.search(text, max(0, start - 40), start)
            if town and not all(self.resources.lexicon.is_common(w) for w in town.group("town").split()):
                start = town.start("town")
            yield Found(start, m.end(), "ADDRESS", self.score * 0.9)
        for m in _PL_POSTCODE_TOWN.finditer(text):
            town = m.group("town")
            if not self.resources.lexicon.is_common(town) and not self.resources.allowed(town):
                yield Found(m.start(), m.end(), "ADDRESS", self.score * 0.9)

    def _is_street(self, found: str, after: str) -> bool:
        """A street of another country's form, not "Via PEG 240 ml" or a clinical word and a number."""
        if _CLINICAL_AFTER_NUMBER.match("0" + after) and after[:1] in " \t":
            return False
        words = [w for w in re.findall(r"(?<![\w'.-])[^\W\d_][\w'.-]+", found) if not re.fullmatch(_PARTICLE, w)]
        lex = self.resources.lexicon
        names = [w for w in words if not re.fullmatch(_PREFIX + r"|" + _TYPE_AFTER + r"|(?i:apt|apartment|suite|ste)\.?", w)]
        if any(self.resources.allowed(w) or w.lower().rstrip(".") in _MONTH_WORDS | _FOREIGN_MONTHS for w in names):
            return False
        return bool(names) and not all(lex.is_plain_word(w.rstrip(".")) for w in names)
