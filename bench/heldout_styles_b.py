"""Held-out note styles, set b, for ``bench/deid_heldout_export.py --styles b``.

Twelve note styles of the kind a hospital network in Europe and the US receives and writes: an
outside referral letter with a letterhead, a surgical pathology report, a patient-portal message
thread, a telephone encounter, a social work assessment, a discharge summary from a hospital in
another country, a radiology report with outside comparisons, an operative note with implant
records, a palliative family meeting, a registration / emergency-contact form, a prior-authorization
letter and an all-caps nursing shift note.

Written without reading the de-identification code, its training templates, its tests or its
documentation (only the benchmark scaffolding, the demo's identity/writer/check modules and the
ingest formats were read), as a second independent set. Patients, their relatives and the
hospital's staff come from the benchmark's generator; everyone and everything else (outside
clinicians, relatives abroad, towns, streets, postcodes, phones, employers, schools, agencies,
pharmacies, hospitals) from seeded Faker instances of thirteen locales and this module's own
formats (national phone groupings, house number after the street, ``DD.MM.YYYY`` and month-name
dates in the local language).

PHI kinds are those the benchmark already uses. Conventions of this set: identifiers that are not
the patient's MRN (accession, outside case, device serial and lot, implant registry, NPI,
authorization references) are ``MRN``; member and group numbers ``INSURANCE``; pagers and faxes
``PHONE``; a street line and a postcode are each ``ADDRESS``, the town next to them ``LOCATION``;
employers, schools, agencies, shelters and churches ``LOCATION``; hospitals, practices, imaging
centres and pharmacies ``HOSPITAL``; people around the patient who are not staff (landlord,
neighbour, friend, case worker of an outside agency) ``RELATIVE``; outside clinicians ``PROVIDER``.
Ward names and room numbers are written but not planted.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

from faker import Faker
from faker.providers.address.it_IT import Provider as ItalianAddresses

from coordinator.demo.identities import NAME_BLOCKLIST

STYLES_B = ("referral_letter", "surgical_pathology", "portal_thread", "telephone", "social_work",
            "foreign_discharge", "radiology_outside", "operative", "family_meeting", "registration",
            "prior_auth", "nursing_caps")

NOTE_TYPES_B = {
    "referral_letter": "Outside correspondence", "surgical_pathology": "Pathology report",
    "portal_thread": "Patient portal message", "telephone": "Telephone encounter",
    "social_work": "Social work note", "foreign_discharge": "Discharge summary",
    "radiology_outside": "Radiology report", "operative": "Operative note",
    "family_meeting": "Palliative care note", "registration": "Registration",
    "prior_auth": "Letter", "nursing_caps": "Nursing progress note",
}

LOCALES = ("de_DE", "nl_NL", "sv_SE", "pl_PL", "fr_FR", "it_IT", "da_DK", "fi_FI", "en_GB", "no_NO",
           "de_AT", "de_CH", "es_ES")

COUNTRY = {"de_DE": ("Germany", "Deutschland", "49"), "nl_NL": ("the Netherlands", "Nederland", "31"),
           "sv_SE": ("Sweden", "Sverige", "46"), "pl_PL": ("Poland", "Polska", "48"),
           "fr_FR": ("France", "France", "33"), "it_IT": ("Italy", "Italia", "39"),
           "da_DK": ("Denmark", "Danmark", "45"), "fi_FI": ("Finland", "Suomi", "358"),
           "en_GB": ("the UK", "United Kingdom", "44"), "no_NO": ("Norway", "Norge", "47"),
           "de_AT": ("Austria", "Österreich", "43"), "de_CH": ("Switzerland", "Schweiz", "41"),
           "es_ES": ("Spain", "España", "34")}

MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "no": "januar februar mars april mai juni juli august september oktober november desember",
    "fi": ("tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta "
           "syyskuuta lokakuuta marraskuuta joulukuuta"),
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}
MONTHS = {k: v.split() for k, v in MONTHS.items()}

NICKNAMES = {
    "alexander": "alex", "alexandra": "sasha", "andrew": "andy", "anthony": "tony", "barbara": "barb",
    "benjamin": "benji", "catherine": "cathy", "christina": "tina", "christine": "chris",
    "christopher": "topher", "daniel": "danny", "deborah": "debbie", "donald": "donnie",
    "dorothy": "dottie", "edward": "eddie", "elizabeth": "liz", "frederick": "freddy", "gabriel": "gabe",
    "gregory": "greg", "jacqueline": "jackie", "james": "jimmy", "jennifer": "jen", "jessica": "jess",
    "jonathan": "jon", "joseph": "joey", "joshua": "josh", "katherine": "kate", "kathleen": "kathy",
    "kimberly": "kim", "margaret": "peggy", "matthew": "matt", "michael": "mike", "nathaniel": "nate",
    "nicholas": "nicky", "patricia": "trish", "patrick": "paddy", "pamela": "pam", "rebecca": "becky",
    "richard": "rick", "robert": "bobby", "samantha": "sammy", "samuel": "sammy", "stephanie": "steph",
    "stephen": "steve", "steven": "stevie", "susan": "susie", "theodore": "teddy", "thomas": "tommy",
    "timothy": "timmy", "victoria": "tori", "william": "billy", "zachary": "zach", "valerie": "val",
    "jeffrey": "jeff", "kenneth": "kenny", "douglas": "doug", "raymond": "ray", "lawrence": "larry",
    "gerald": "gerry", "cynthia": "cindy", "melissa": "missy", "abigail": "abby", "angela": "angie",
    "veronica": "ronnie", "cassandra": "cassie", "isabella": "bella", "natalie": "nat", "madeline": "maddie",
}

#: Words of letters and reports by language: our-reference label, "born", greeting close, "via" (emergency
#: route), signing-physician label, imaging centre.
WORDS = {
    "de": ("Unser Zeichen", "geb.", "Mit freundlichen kollegialen Grüßen", "Notaufnahme", "Oberarzt", "Radiologisches Zentrum"),
    "nl": ("Ons kenmerk", "geb.", "Met vriendelijke groet,", "SEH", "Supervisor", "Radiologisch Centrum"),
    "sv": ("Vår ref", "f.", "Med vänlig hälsning", "akutmottagningen", "Ansvarig läkare", "Röntgenmottagningen"),
    "da": ("Vores ref.", "f.", "Venlig hilsen", "akutmodtagelsen", "Ansvarlig læge", "Røntgenklinik"),
    "no": ("Vår ref.", "f.", "Med vennlig hilsen", "akuttmottaket", "Ansvarlig lege", "Røntgeninstitutt"),
    "fi": ("Viite", "s.", "Ystävällisin terveisin", "päivystys", "Vastaava lääkäri", "Kuvantamiskeskus"),
    "pl": ("Nasz znak", "ur.", "Z poważaniem", "SOR", "Lekarz prowadzący", "Pracownia Diagnostyki Obrazowej"),
    "fr": ("Réf.", "né(e) le", "Bien confraternellement,", "urgences", "Médecin responsable", "Centre d'Imagerie Médicale"),
    "it": ("Rif.", "nato/a il", "Cordiali saluti,", "pronto soccorso", "Medico responsabile", "Centro Diagnostico"),
    "es": ("Ref.", "nacido/a el", "Atentamente,", "urgencias", "Médico responsable", "Centro de Diagnóstico por Imagen"),
    "en": ("Our ref", "DOB", "Yours sincerely,", "the emergency department", "Consultant", "Imaging Centre"),
}

PARTICLES = frozenset("van der den de la le di da von zu af ter ten het du del dos das des lo".split())


def _english_words() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover
        return frozenset()
    return frozenset(STOP_WORDS)


# A planted name or town token must not be a word this module writes anyway (templates, headers,
# month names) nor an everyday English word, or it would be "found" where no PHI is.
TEMPLATE_WORDS = frozenset(re.findall(r"[^\W\d_]+", Path(__file__).read_text(encoding="utf-8").lower()))
COMMON_WORDS = _english_words() | NAME_BLOCKLIST


def _digits(rng: random.Random, k: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(k))


class Ctx:
    """Random sources and drawing helpers shared by the style functions."""

    def __init__(self, seed: int, policy) -> None:
        self.eu: dict[str, Faker] = {}
        for i, loc in enumerate(LOCALES):
            fk = Faker(loc)
            fk.seed_instance(seed * 1000 + i)
            self.eu[loc] = fk
        self.policy = policy
        self._it_towns = sorted(set(ItalianAddresses.cities))
        self.used_names: set[str] = set()
        # filled per note
        self.rng: random.Random = random.Random(seed)
        self.fake: Faker = Faker("en_US")

    # ---- guards -------------------------------------------------------------------------------
    def token_ok(self, token: str) -> bool:
        low = token.lower()
        return (len(low) >= 3 and low not in TEMPLATE_WORDS and low not in COMMON_WORDS
                and low not in self.policy.surrogates)

    def name_ok(self, name: str) -> bool:
        if not re.fullmatch(r"[^\W\d_][^\W\d_'’. -]*(?:[ '’-][^\W\d_]+)*", name):
            return False
        toks = [t for t in re.findall(r"[^\W\d_]+", name) if t.lower() not in PARTICLES]
        return bool(toks) and all(self.token_ok(t) for t in toks if len(t) > 1)

    # ---- people and places ---------------------------------------------------------------------
    def loc(self, *, allow_gb: bool = True) -> str:
        pool = LOCALES if allow_gb else tuple(x for x in LOCALES if x != "en_GB")
        return self.rng.choice(pool)

    def person(self, loc: str | None = None, sex: str | None = None) -> tuple[str, str]:
        """A (given, family) from a locale (``None``: US) that is free to plant."""
        fk = self.eu[loc] if loc else self.fake
        for _ in range(300):
            given = {"f": fk.first_name_female, "m": fk.first_name_male}.get(sex or "", fk.first_name)()
            family = fk.last_name()
            if self.name_ok(given) and self.name_ok(family) and (given, family) not in self.used_names:
                self.used_names.add((given, family))
                return given, family
        raise RuntimeError(f"no free name in {loc}")

    def given(self, loc: str | None = None, sex: str | None = None) -> str:
        return self.person(loc, sex)[0]

    def town(self, loc: str | None = None) -> str:
        fk = self.eu[loc] if loc else self.fake
        for _ in range(300):
            # Faker's it_IT towns are a list made from a set (its order follows the string hash seed)
            town = fk.random_element(self._it_towns) if loc == "it_IT" else fk.city()
            toks = [t for t in re.findall(r"[^\W\d_]+", town) if t.lower() not in PARTICLES and len(t) > 1]
            if "\n" not in town and toks and all(self.token_ok(t) for t in toks):
                return town
        raise RuntimeError(f"no free town in {loc}")

    def street(self, loc: str) -> str:
        """A street line in the country's form (house number after the street in most of Europe)."""
        fk, r = self.eu[loc], self.rng
        for _ in range(300):
            name = fk.street_name().strip()
            toks = [t for t in re.findall(r"[^\W\d_]+", name) if len(t) > 3]
            if "\n" not in name and all(t.lower() not in self.policy.surrogates for t in toks):
                break
        num = str(r.randrange(1, 180))
        if loc in ("de_DE", "de_CH"):
            return f"{name} {num}{r.choice(['', '', '', 'a', 'b'])}"
        if loc == "de_AT":
            return f"{name} {num}{r.choice(['', f'/{r.randrange(1, 30)}', f'/{r.randrange(1, 9)}/{r.randrange(1, 20)}'])}"
        if loc == "nl_NL":
            return f"{name} {num}{r.choice(['', '', '-II', ' A', 'bis', '-3hg'])}"
        if loc == "sv_SE":
            return f"{name} {num}{r.choice(['', '', ' B', f', lgh {r.randrange(1001, 1402)}'])}"
        if loc == "da_DK":
            return f"{name} {num}{r.choice(['', ', st. th.', f', {r.randrange(1, 6)}. tv.', f', {r.randrange(1, 5)}. mf.'])}"
        if loc == "no_NO":
            return f"{name} {num}{r.choice(['', 'A', 'B', f', H{r.randrange(1, 4)}0{r.randrange(1, 6)}'])}"
        if loc == "fi_FI":
            return f"{name} {num}{r.choice(['', f' A {r.randrange(1, 30)}', f' B {r.randrange(1, 40)}', f' as. {r.randrange(1, 20)}'])}"
        if loc == "pl_PL":
            pre = r.choice(["ul. ", "ul. ", "al. ", "ulica ", ""])
            return f"{pre}{name} {num}{r.choice(['', f'/{r.randrange(1, 80)}', f' m. {r.randrange(1, 60)}'])}"
        if loc == "fr_FR":
            return f"{num}{r.choice(['', '', ' bis', ' ter'])}{r.choice([', ', ' '])}{name}"
        if loc == "it_IT":
            return f"{name}{r.choice([', ', ' '])}{num}{r.choice(['', '', '/A', ' int. 4'])}"
        if loc == "es_ES":
            return f"{name}{r.choice([', ', ' '])}{num}{r.choice(['', ', 3º B', ', 2º izda.', ', bajo'])}"
        if loc == "en_GB":
            return r.choice([f"{num} {name}", f"Flat {r.randrange(1, 40)}, {num} {name}"])
        raise KeyError(loc)

    def postcode(self, loc: str) -> str:
        """A postcode in the country's form; a four-digit one never reads as a clock time or a year."""
        r = self.rng
        if loc == "en_GB":
            return self.eu[loc].postcode()
        if loc == "nl_NL":
            letters = "ABCEGHJKLMNPRTVWXZ"
            return f"{r.randrange(1000, 9999)}{r.choice([' ', ' ', ''])}{r.choice(letters)}{r.choice(letters)}"
        if loc == "sv_SE":
            return f"{r.randrange(100, 984)} {r.randrange(0, 100):02d}"
        if loc == "pl_PL":
            return f"{r.randrange(0, 99):02d}-{r.randrange(0, 1000):03d}"
        if loc in ("da_DK", "no_NO", "de_AT", "de_CH"):
            while True:
                v = r.randrange(2400, 9990)
                if not 1900 <= v <= 2100:
                    return f"{v}"
        if loc == "es_ES":
            return f"{r.randrange(1, 53):02d}{r.randrange(0, 1000):03d}"
        return f"{r.randrange(1000, 99999):05d}"  # de_DE, fr_FR, it_IT, fi_FI

    def phone(self, loc: str | None, intl: bool | None = None) -> str:
        """A phone number as people of the country write it, national or with the +country code."""
        r = self.rng
        d = lambda k: _digits(r, k)  # noqa: E731
        if loc is None:
            a = r.choice(["617", "508", "401", "212", "860", "603", "914", "774"])
            x = f"{r.randrange(2, 10)}{d(2)}"
            return r.choice([f"({a}) {x}-{d(4)}", f"{a}-{x}-{d(4)}", f"{a}.{x}.{d(4)}",
                             f"1-{a}-{x}-{d(4)}", f"+1 {a} {x} {d(4)}"])
        cc = COUNTRY[loc][2]
        intl = r.random() < 0.5 if intl is None else intl
        if loc == "de_DE":
            area = r.choice(["30", "40", "89", "221", "69", "711", "351", "341", "511", "911", "231", "3741"])
            mob = r.choice(["151", "160", "170", "171", "176", "157", "162"])
            nat = [f"0{area} {d(7)}", f"0{area}/{d(3)} {d(2)} {d(2)}", f"0{mob} {d(7)}", f"(0{area}) {d(6)}-{d(2)}"]
            int_ = [f"+49 {area} {d(7)}", f"+49 (0){area} {d(3)}-{d(4)}", f"+49 {mob} {d(7)}", f"0049 {mob} {d(7)}"]
        elif loc == "nl_NL":
            area = r.choice(["20", "10", "30", "70", "50", "38", "40", "43"])
            nat = [f"06-{d(8)}", f"06 {d(2)} {d(2)} {d(2)} {d(2)}", f"0{area}-{d(3)} {d(4)}", f"(0{area}) {d(7)}"]
            int_ = [f"+31 6 {d(8)}", f"+31 (0){area} {d(3)} {d(4)}", f"+31{area}{d(7)}"]
        elif loc == "sv_SE":
            nat = [f"07{r.choice('0236')}-{d(3)} {d(2)} {d(2)}", f"08-{d(3)} {d(3)} {d(2)}", f"031-{d(2)} {d(2)} {d(2)}",
                   f"0{r.choice(['40', '46', '90', '13'])}-{d(2)} {d(2)} {d(2)}"]
            int_ = [f"+46 7{r.choice('0236')} {d(3)} {d(2)} {d(2)}", f"+46 (0)8 {d(3)} {d(3)} {d(2)}", f"+46 8 {d(6)}"]
        elif loc == "pl_PL":
            nat = [f"{r.choice('5678')}{d(2)} {d(3)} {d(3)}", f"({d(2)}) {d(3)} {d(2)} {d(2)}", f"{r.choice('5678')}{d(2)}-{d(3)}-{d(3)}"]
            int_ = [f"+48 {r.choice('5678')}{d(2)} {d(3)} {d(3)}", f"+48 {d(2)} {d(3)} {d(2)} {d(2)}", f"0048 {d(3)} {d(3)} {d(3)}"]
        elif loc == "fr_FR":
            p = f"{r.choice('1234567')}"
            nat = [f"0{p} {d(2)} {d(2)} {d(2)} {d(2)}", f"0{p}.{d(2)}.{d(2)}.{d(2)}.{d(2)}", f"0{p}{d(8)}"]
            int_ = [f"+33 {p} {d(2)} {d(2)} {d(2)} {d(2)}", f"+33 (0){p} {d(2)} {d(2)} {d(2)} {d(2)}", f"+33{p}{d(8)}"]
        elif loc == "it_IT":
            nat = [f"3{d(2)} {d(3)} {d(4)}", f"06 {d(4)} {d(4)}", f"02 {d(7)}", f"0{d(2)}/{d(6)}"]
            int_ = [f"+39 3{d(2)} {d(7)}", f"+39 06 {d(4)} {d(4)}", f"0039 02 {d(7)}"]
        elif loc == "da_DK":
            nat = [f"{d(2)} {d(2)} {d(2)} {d(2)}", f"{d(4)} {d(4)}", f"{d(8)}"]
            int_ = [f"+45 {d(2)} {d(2)} {d(2)} {d(2)}", f"(+45) {d(4)} {d(4)}", f"0045 {d(8)}"]
        elif loc == "fi_FI":
            nat = [f"040 {d(3)} {d(4)}", f"050-{d(7)}", f"09 {d(4)} {d(4)}", f"044 {d(3)} {d(2)} {d(2)}"]
            int_ = [f"+358 40 {d(7)}", f"+358 9 {d(4)} {d(4)}", f"+358 50 {d(3)} {d(4)}"]
        elif loc == "no_NO":
            nat = [f"{r.choice('49')}{d(2)} {d(2)} {d(3)}", f"{d(2)} {d(2)} {d(2)} {d(2)}", f"{r.choice('49')}{d(7)}"]
            int_ = [f"+47 {r.choice('49')}{d(2)} {d(2)} {d(3)}", f"+47 {d(2)} {d(2)} {d(2)} {d(2)}", f"0047 {d(8)}"]
        elif loc == "en_GB":
            nat = [f"020 7946 {d(4)}", f"07700 900{d(3)}", f"0161 496 {d(4)}", f"0113 496 {d(4)}", f"(01632) {d(6)}"]
            int_ = [f"+44 7700 900{d(3)}", f"+44 (0)20 7946 {d(4)}", f"+44 161 496 {d(4)}"]
        elif loc == "de_AT":
            nat = [f"0664 {d(7)}", f"01/{d(3)} {d(2)} {d(2)}", f"0316 {d(6)}", f"0699 {d(3)} {d(2)} {d(3)}"]
            int_ = [f"+43 664 {d(7)}", f"+43 1 {d(3)} {d(4)}", f"+43 (0)512 {d(6)}"]
        elif loc == "de_CH":
            nat = [f"044 {d(3)} {d(2)} {d(2)}", f"079 {d(3)} {d(2)} {d(2)}", f"031 {d(3)} {d(2)} {d(2)}"]
            int_ = [f"+41 79 {d(3)} {d(2)} {d(2)}", f"+41 (0)44 {d(3)} {d(2)} {d(2)}", f"0041 61 {d(3)} {d(2)} {d(2)}"]
        else:  # es_ES
            nat = [f"6{d(2)} {d(2)} {d(2)} {d(2)}", f"91 {d(3)} {d(2)} {d(2)}", f"9{d(2)} {d(3)} {d(3)}"]
            int_ = [f"+34 6{d(2)} {d(3)} {d(3)}", f"+34 91 {d(3)} {d(2)} {d(2)}", f"0034 93 {d(7)}"]
        assert cc
        return r.choice(int_ if intl else nat)

    def date_eu(self, d: date, loc: str) -> str:
        """A date as written in that country (day first, dots or the month in the language)."""
        r = self.rng
        lang = loc[:2]
        if lang == "de":
            return r.choice([f"{d:%d.%m.%Y}", f"{d.day}.{d.month}.{d.year}", f"{d.day}. {MONTHS['de'][d.month - 1]} {d.year}",
                             f"{d:%d.%m.%y}"])
        if lang == "nl":
            return r.choice([f"{d:%d-%m-%Y}", f"{d.day} {MONTHS['nl'][d.month - 1]} {d.year}", f"{d:%d/%m/%Y}", f"{d.day}-{d.month}-{d.year}"])
        if lang == "sv":
            return r.choice([d.isoformat(), f"{d.day} {MONTHS['sv'][d.month - 1]} {d.year}", f"{d:%y%m%d}", f"{d.day}/{d.month} {d.year}"])
        if lang == "da":
            return r.choice([f"{d:%d.%m.%Y}", f"{d.day}. {MONTHS['da'][d.month - 1]} {d.year}", f"{d.day}/{d.month}-{d.year}", f"{d:%d-%m-%Y}"])
        if lang == "no":
            return r.choice([f"{d:%d.%m.%Y}", f"{d.day}. {MONTHS['no'][d.month - 1]} {d.year}", f"{d:%d.%m.%y}"])
        if lang == "fi":
            return r.choice([f"{d.day}.{d.month}.{d.year}", f"{d:%d.%m.%Y}", f"{d.day}. {MONTHS['fi'][d.month - 1]} {d.year}"])
        if lang == "pl":
            return r.choice([f"{d:%d.%m.%Y}", f"{d.day} {MONTHS['pl'][d.month - 1]} {d.year}", f"{d:%d-%m-%Y}", f"{d:%Y-%m-%d}"])
        if lang == "fr":
            return r.choice([f"{d:%d/%m/%Y}", f"{d.day} {MONTHS['fr'][d.month - 1]} {d.year}", f"{d:%d.%m.%Y}"])
        if lang == "it":
            return r.choice([f"{d:%d/%m/%Y}", f"{d.day} {MONTHS['it'][d.month - 1]} {d.year}", f"{d:%d.%m.%Y}", f"{d.day}/{d.month}/{d:%y}"])
        if lang == "es":
            return r.choice([f"{d:%d/%m/%Y}", f"{d.day} de {MONTHS['es'][d.month - 1]} de {d.year}", f"{d.day}-{d.month}-{d.year}"])
        sfx = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
        return r.choice([f"{d:%d/%m/%Y}", f"{d.day} {d:%B %Y}", f"{d.day}{sfx} {d:%B %Y}", f"{d:%d-%b-%Y}", f"{d:%d/%m/%y}"])

    def date_us(self, d: date) -> str:
        return self.rng.choice([f"{d.month}/{d.day}/{d.year}", f"{d:%m/%d/%Y}", f"{d:%B} {d.day}, {d.year}",
                                f"{d:%b} {d.day} {d.year}", d.isoformat(), f"{d:%m/%d/%y}", f"{d:%d%b%Y}".upper(),
                                f"{d.month}/{d.day}"])

    # ---- organisations ---------------------------------------------------------------------------
    def hospital(self, loc: str | None, town: str | None = None) -> str:
        r = self.rng
        town = town or self.town(loc)
        saint = self.given(loc)
        if loc is None:
            return r.choice([f"{town} General Hospital", f"{town} Regional Medical Center", f"St. {saint}'s Hospital",
                             f"{self.person()[1]} Memorial Hospital", f"{town} Community Hospital"])
        forms = {
            "de": [f"Universitätsklinikum {town}", f"Klinikum {town}", f"St.-{saint}-Krankenhaus {town}",
                   f"Evangelisches Krankenhaus {town}", f"Kreiskrankenhaus {town}"],
            "nl": [f"Ziekenhuis {town}", f"Medisch Centrum {town}", f"St. {saint} Ziekenhuis", f"Streekziekenhuis {town}"],
            "sv": [f"Universitetssjukhuset i {town}", f"{town} lasarett", f"Centralsjukhuset {town}", f"Sankt {saint}s sjukhus"],
            "da": [f"{town} Sygehus", f"Regionshospitalet {town}", f"Hospitalsenheden {town}"],
            "no": [f"{town} sykehus", f"Sykehuset {town}", f"Diakonhjemmet {town}"],
            "fi": [f"{town} keskussairaala", f"{town} aluesairaala", f"{town} terveyskeskus"],
            "pl": [f"Szpital Wojewódzki {town}", f"Szpital Miejski im. {saint} {self.person(loc)[1]}", f"Szpital Powiatowy {town}"],
            "fr": [f"Centre Hospitalier de {town}", f"CHU de {town}", f"Clinique Saint-{saint}", f"Hôpital {saint} {self.person(loc)[1]}"],
            "it": [f"Ospedale Civile di {town}", f"Azienda Ospedaliera di {town}", f"Ospedale San {saint}", f"Policlinico di {town}"],
            "es": [f"Hospital Universitario de {town}", f"Hospital General de {town}", f"Clínica San {saint}"],
            "en": [f"{town} General Hospital", f"Royal {town} Infirmary", f"{town} Hospitals NHS Foundation Trust"],
        }
        lang = loc[:2]
        if loc == "de_AT":
            return r.choice([f"Landesklinikum {town}", f"LKH {town}", f"Krankenhaus der Barmherzigen Brüder {town}"])
        if loc == "de_CH":
            return r.choice([f"Kantonsspital {town}", f"Spital {town}", f"Regionalspital {town}"])
        return r.choice(forms[lang])

    def practice(self, loc: str | None, family: str, town: str) -> str:
        r = self.rng
        if loc is None:
            return r.choice([f"{town} Family Medicine", f"{family} Internal Medicine Associates", f"{town} Primary Care"])
        lang = loc[:2]
        forms = {
            "de": [f"Hausarztpraxis Dr. med. {family}", f"Gemeinschaftspraxis {family} & {self.person(loc)[1]}",
                   f"MVZ {town}", f"Praxis für Allgemeinmedizin {family}"],
            "nl": [f"Huisartsenpraktijk {family}", f"Gezondheidscentrum {town}", f"Huisartsenpraktijk {town}"],
            "sv": [f"Vårdcentralen {town}", f"{town} vårdcentral", f"Läkarhuset {town}"],
            "da": [f"Lægehuset {town}", f"Lægerne {family} og {self.person(loc)[1]}", f"Lægepraksis {town}"],
            "no": [f"{town} legesenter", f"Legekontoret {family}", f"Fastlegekontoret {town}"],
            "fi": [f"{town} terveysasema", f"Lääkäriasema {family}", f"{town} lääkärikeskus"],
            "pl": [f"NZOZ Przychodnia {town}", f"Praktyka Lekarza Rodzinnego {family}", f"Przychodnia Rodzinna {town}"],
            "fr": [f"Cabinet médical du Dr {family}", f"Maison de santé de {town}", f"Cabinet {family}"],
            "it": [f"Studio Medico {family}", f"Ambulatorio Medicina Generale {town}", f"Studio Associato {family}"],
            "es": [f"Centro de Salud {town}", f"Consultorio {family}", f"Clínica {family}"],
            "en": [f"{town} Medical Practice", f"The {town} Surgery", f"{family} Health Centre"],
        }
        return r.choice(forms[lang])

    def company(self, loc: str | None) -> str:
        r = self.rng
        fam = self.person(loc)[1]
        if loc is None:
            return r.choice([f"{fam} Logistics LLC", f"{fam} & Sons Roofing", f"{fam} Manufacturing Inc.",
                             f"{self.town()} Public Schools", f"{fam} Auto Body"])
        sfx = {"de": ["GmbH", "GmbH & Co. KG", "AG"], "nl": ["B.V.", "Groep B.V.", "Transport B.V."],
               "sv": ["AB", "Bygg AB", "& Söner AB"], "da": ["A/S", "ApS"], "no": ["AS", "Transport AS"],
               "fi": ["Oy", "Ab Oy"], "pl": ["Sp. z o.o.", "S.A.", "i Wspólnicy Sp.j."], "fr": ["SARL", "SAS", "et Fils"],
               "it": ["S.p.A.", "S.r.l.", "& C. s.n.c."], "es": ["S.L.", "S.A.", "Hermanos S.L."], "en": ["Ltd", "plc", "& Co."]}
        trade = {"de": ["Bäckerei", "Autohaus", "Spedition"], "nl": ["Bouwbedrijf", "Bakkerij"], "sv": ["Åkeri"],
                 "da": ["Tømrerfirma"], "no": ["Rørlegger"], "fi": ["Kuljetus"], "pl": ["Zakład Stolarski"],
                 "fr": ["Boulangerie"], "it": ["Officina"], "es": ["Talleres"], "en": ["Garage"]}
        lang = loc[:2]
        if r.random() < 0.3:
            return f"{r.choice(trade[lang])} {fam}"
        return f"{fam} {r.choice(sfx[lang])}"

    def school(self, loc: str | None, town: str) -> str:
        r = self.rng
        name = self.person(loc)[1]
        if loc is None:
            return r.choice([f"{name} Elementary School", f"{town} Middle School", f"{name} Academy", f"{town} High School"])
        lang = loc[:2]
        forms = {"de": [f"{name}-Grundschule", f"Gesamtschule {town}", f"{name}-Gymnasium"],
                 "nl": [f"Basisschool {name}", f"OBS {town}", f"Het {name} College"],
                 "sv": [f"{name}skolan", f"{town} skola"], "da": [f"{town} Skole", f"{name}skolen"],
                 "no": [f"{town} skole", f"{name} barneskole"], "fi": [f"{town} koulu", f"{name} koulu"],
                 "pl": [f"Szkoła Podstawowa nr {r.randrange(2, 60)} w {town}", f"Liceum im. {name}"],
                 "fr": [f"École primaire {name}", f"Collège {name} de {town}"],
                 "it": [f"Scuola Primaria {name}", f"Istituto Comprensivo {town}"],
                 "es": [f"Colegio {name}", f"CEIP {town}"], "en": [f"{town} Primary School", f"St {name}'s Academy"]}
        return r.choice(forms[lang])

    def email(self, given: str, family: str, domain: str | None = None) -> str:
        r = self.rng
        g, f = _ascii(given), _ascii(family)
        user = r.choice([f"{g}.{f}", f"{g[0]}{f}", f"{g}{f}{r.randrange(10, 99)}", f"{f}.{g[0]}", f"{g}_{f}"])
        return f"{user}@{domain or self.fake.free_email_domain()}"


def _ascii(s: str) -> str:
    """Lower-case ASCII letters of a name, as in an e-mail address (``Søren Ødegård`` -> ``sorenodegard``)."""
    s = s.lower().replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("ł", "l")
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    return re.sub(r"[^a-z]", "", s) or "x"


def _nick(given: str) -> str | None:
    return NICKNAMES.get(given.lower())


def _us_phone_forms(phone: str, rng: random.Random) -> str:
    """The patient's own ``(617) 555-0143`` written another way."""
    m = re.fullmatch(r"\((\d{3})\) (\d{3})-(\d{4})", phone)
    if not m:
        return phone
    a, b, c = m.groups()
    return rng.choice([phone, f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"{a}{b}{c}", f"{a} {b} {c}", f"+1 {a} {b} {c}",
                       f"1-{a}-{b}-{c}", f"({a}){b}-{c}"])


def _npi(rng: random.Random) -> str:
    """A ten-digit NPI with a valid check digit (Luhn over 80840 + the first nine digits)."""
    body = "1" + _digits(rng, 8)
    digits = [int(x) for x in "80840" + body]
    total = 0
    for i, x in enumerate(reversed(digits)):
        if i % 2 == 0:
            x *= 2
            x = x - 9 if x > 9 else x
        total += x
    return body + str((10 - total % 10) % 10)


def _pronouns(sex: str) -> tuple[str, str]:
    return ("she", "her") if sex == "female" else ("he", "his")


# ---------------------------------------------------------------------------------------------------
# the styles


def referral_letter(n, c: Ctx, ident, staff, when):
    r = c.rng
    loc = c.loc()
    doc = r.choice([s for s in staff if s.role == "attending"] or staff)
    gp_g, gp_f = c.person(loc)
    town = c.town(loc)
    org = c.practice(loc, gp_f, town)
    letter_day = when - timedelta(days=r.randrange(5, 40))
    she, her = _pronouns(ident.sex)
    lang = loc[:2]
    tel = {"de": "Tel.", "nl": "Tel.", "sv": "Tel", "da": "Tlf.", "no": "Tlf.", "fi": "Puh.", "pl": "tel.",
           "fr": "Tél.", "it": "Tel.", "es": "Tel.", "en": "Tel"}[lang]
    cred = {"de": ["Dr. med. ", "Facharzt für Allgemeinmedizin"], "nl": ["", "huisarts"], "sv": ["", "Leg. läkare, spec. allmänmedicin"],
            "da": ["", "Praktiserende læge"], "no": ["", "Fastlege, spesialist i allmennmedisin"], "fi": ["", "LL, yleislääketieteen erikoislääkäri"],
            "pl": ["lek. ", "specjalista medycyny rodzinnej"], "fr": ["Dr ", "Médecin généraliste"], "it": ["Dott. ", "Medico di Medicina Generale"],
            "es": ["Dr. ", "Médico de familia"], "en": ["Dr ", "MBChB MRCGP"]}[lang]
    n.p(org, "HOSPITAL").t("\n")
    if r.random() < 0.5:
        n.t(cred[0]).p(f"{gp_g} {gp_f}", "PROVIDER").t(r.choice([f" · {cred[1]}\n", "\n"]))
    n.p(c.street(loc), "ADDRESS").t("\n")
    if loc == "de_CH" and r.random() < 0.5:
        n.t("CH-")
    pc = c.postcode(loc)
    if loc == "en_GB":
        n.p(town, "LOCATION").t("\n").p(pc, "ADDRESS").t("\n")
    else:
        n.p(pc, "ADDRESS").t(" ").p(town, "LOCATION").t("\n")
    if r.random() < 0.4:
        n.t(COUNTRY[loc][1], "\n")
    n.t(f"{tel} ").p(c.phone(loc), "PHONE").t(r.choice(["  |  Fax ", " · Fax: ", "\nFax "])).p(c.phone(loc), "PHONE").t("\n")
    if r.random() < 0.6:
        word = {"de": "praxis", "nl": "huisarts", "sv": "vard", "da": "laege", "no": "lege", "fi": "laakari", "pl": "przychodnia",
                "fr": "cabinet", "it": "studio", "es": "clinica", "en": "surgery"}[lang]
        tld = {"de_DE": "de", "de_AT": "at", "de_CH": "ch", "en_GB": "co.uk", "sv_SE": "se", "da_DK": "dk", "no_NO": "no",
               "fi_FI": "fi", "nl_NL": "nl", "pl_PL": "pl", "fr_FR": "fr", "it_IT": "it", "es_ES": "es"}[loc]
        dom = r.choice([f"{_ascii(gp_f)}-{word}.{tld}", f"{word}-{_ascii(town)}.{tld}", f"{_ascii(gp_f)}.{r.choice(['eu', 'com', tld])}"])
        n.t(r.choice(["E-Mail: ", "email ", "mail: "])).p(f"{r.choice(['info', 'praxis', 'post', 'kontakt'])}@{dom}", "EMAIL").t("\n")
    n.t("\n")
    n.p(f"Dr {doc.given} {doc.family}", "PROVIDER").t("\n", r.choice(["Department of Cardiology\n", "Rheumatology Outpatients\n",
                                                                   "Neurology clinic\n", "Endocrinology\n"]))
    n.t("\n")
    if lang != "en" and r.random() < 0.5:
        n.p(town, "LOCATION").t(", ")
    n.p(c.date_eu(letter_day, loc), "DATE").t("\n")
    n.t(r.choice([WORDS[lang][0], "Ref"]), ": ").p(f"{gp_f[:2].upper()}/{_digits(r, 5)}", "MRN").t("\n\n")
    n.t(r.choice(["Re: ", "RE: ", "Patient: ", {"de": "Betr.: ", "nl": "Betreft: "}.get(lang, "Re: ")]))
    if r.random() < 0.5:
        n.p(f"{ident.given} {ident.family}", "PATIENT")
    else:
        n.p(f"{ident.family.upper()}, {ident.given}", "PATIENT")
    n.t(", ", r.choice([WORDS[lang][1], "born", "DOB"]), " ").p(c.date_eu(ident.birth_date, loc), "DATE")
    if r.random() < 0.55:
        n.t(", ").p(c.street(loc), "ADDRESS").t(", ")
        pc2, t2 = c.postcode(loc), c.town(loc)
        if loc == "en_GB":
            n.p(t2, "LOCATION").t(" ").p(pc2, "ADDRESS")
        else:
            n.p(pc2, "ADDRESS").t(" ").p(t2, "LOCATION")
    else:
        n.t(", ").p(ident.address, "ADDRESS").t(", ").p(ident.city, "ADDRESS")
    n.t("\n\n")
    dear = r.choice([f"Dr {doc.family}", f"Dr. {doc.family}", "", f"Dr {doc.given} {doc.family}"])
    if dear:
        n.t("Dear ").p(dear, "PROVIDER").t(",\n\n")
    else:
        n.t("Dear Colleague,\n\n")
    since = r.randrange(1998, 2018)
    n.t(f"Thank you for seeing this {ident.stated_age}-year-old {'woman' if ident.sex == 'female' else 'man'}, registered with us since ")
    n.p(str(since), "DATE").t(f", whom I would be grateful if you could assess for {r.choice(['exertional dyspnoea and a new systolic murmur', 'a symmetrical polyarthritis of the hands', 'recurrent episodes of transient visual loss', 'poorly controlled type 2 diabetes despite three agents'])}. ")
    n.t(f"{she.capitalize()} was seen at ").p(c.hospital(loc), "HOSPITAL").t(" on ").p(c.date_eu(when - timedelta(days=r.randrange(60, 500)), loc), "DATE")
    n.t(r.choice([" for a similar episode; the discharge letter is enclosed.", " (echo there reportedly normal).", "; I have not received their report."]))
    n.t("\n\n")
    if ident.relatives and r.random() < 0.7:
        rel = r.choice(ident.relatives)
        n.t(f"{she.capitalize()} now lives with {her} {rel.role} ").p(rel.given, "RELATIVE").t(" and would like appointments to be arranged through ")
        n.t(f"{'him' if rel.role in ('husband', 'son', 'father') else 'her'} ({r.choice(['mobile', 'tel', 'phone'])} ").p(c.phone(loc), "PHONE").t(") as ")
        n.t(f"{she} is hard of hearing.\n\n")
    meds = ["Current medication:\n- metformin 1 g bd\n- ramipril 5 mg od\n- atorvastatin 40 mg nocte\n",
            "Medication: methotrexate 15 mg weekly (stopped), folic acid 5 mg\n"]
    if lang == "de":
        meds.append("Medikation: Ramipril 5 mg 1-0-0, Bisoprolol 2,5 mg 1-0-0, ASS 100 mg 0-1-0\n")
    n.t(r.choice(meds))
    n.t("\n", r.choice([WORDS[lang][2], WORDS[lang][2], "Kind regards,"]), "\n\n")
    n.t(cred[0]).p(f"{gp_g} {gp_f}", "PROVIDER").t(f"\n{cred[1]}\n")
    if r.random() < 0.5:
        og, of_ = c.person(loc)
        n.t("\ncc: ").p(f"{og[0]}. {of_}", "PROVIDER").t(", ").p(c.hospital(loc), "HOSPITAL").t("\n")
    return n


def surgical_pathology(n, c: Ctx, ident, staff, when):
    r = c.rng
    yy, yyyy = f"{when:%y}", str(when.year)
    acc = r.choice([f"S{yy}-{_digits(r, 5)}", f"SP-{yyyy}-{_digits(r, 7)}", f"PA{yy}/{_digits(r, 5)}", f"T{yy}-{_digits(r, 5)}",
                    f"{yy}-SP-{_digits(r, 6)}", f"H{yyyy}.{_digits(r, 5)}", f"SUR{yy}{_digits(r, 6)}"])
    collected = when - timedelta(days=r.randrange(0, 3))
    received = collected + timedelta(days=r.randrange(0, 2))
    signed = received + timedelta(days=r.randrange(1, 6))
    doc = r.choice(staff)
    pg, pf = c.person()
    n.t(r.choice(["SURGICAL PATHOLOGY REPORT", "Surgical Pathology Consultation Report", "ANATOMIC PATHOLOGY — FINAL REPORT"]), "\n\n")
    n.t("Accession No.: ").p(acc, "MRN").t(r.choice(["      ", "\n"]))
    n.t("Patient: ").p(f"{ident.family.upper()}, {ident.given.upper()}" if r.random() < 0.5 else f"{ident.family}, {ident.given}", "PATIENT")
    n.t("   MRN: ").p(ident.mrn, "MRN").t("\nDOB: ").p(ident.birth_date.strftime(r.choice(["%m/%d/%Y", "%m-%d-%Y"])), "DATE")
    n.t(f"   Sex: {ident.sex[0].upper()}\n")
    n.t("Collected: ").p(c.date_us(collected), "DATE").t(f" {r.randrange(7, 17):02d}:{r.randrange(60):02d}")
    n.t("   Received: ").p(c.date_us(received), "DATE").t(f" {r.randrange(7, 19):02d}:{r.randrange(60):02d}\n")
    n.t("Submitting physician: ").p(f"{doc.family}, {doc.given}" if r.random() < 0.5 else f"Dr. {doc.family}", "PROVIDER").t(" MD\n")
    n.t("Copy to: ").p(f"{c.person()[0][0]}. {c.person()[1]}", "PROVIDER").t(", MD\n\n")
    specimen = r.choice([("A. Colon, sigmoid, segmental resection\nB. Lymph nodes, pericolic", "invasive adenocarcinoma, moderately differentiated, pT3 pN1a"),
                         ("A. Breast, left, 2 o'clock, core needle biopsy", "invasive ductal carcinoma, Nottingham grade 2"),
                         ("A. Skin, right forearm, shave biopsy", "basal cell carcinoma, nodular type, margins involved"),
                         ("A. Prostate, right base, needle biopsy\nB. Prostate, left apex, needle biopsy", "acinar adenocarcinoma, Gleason 3+4=7 (Grade Group 2)")])
    n.t("SPECIMEN(S):\n", specimen[0], "\n\nFINAL DIAGNOSIS:\n", specimen[1], ". See comment.\n\n")
    blocks = r.randrange(2, 5)
    n.t("GROSS DESCRIPTION:\nReceived in formalin labeled with ")
    if r.random() < 0.5:
        n.t('"').p(f"{ident.family}, {ident.given[0]}.", "PATIENT").t('"')
    else:
        n.t("the patient's name and medical record number")
    n.t(" is a tan-pink tissue fragment, 1.4 x 0.6 x 0.3 cm. Entirely submitted in cassettes ")
    n.p(acc, "MRN").t(f"-A1 through -A{blocks}.\n\n")
    if r.random() < 0.7:
        loc = None if r.random() < 0.5 else c.loc()
        town = c.town(loc)
        outside = c.hospital(loc, town)
        ocase = r.choice([f"OS{yy}-{_digits(r, 4)}", f"C{yy}-{_digits(r, 4)}", f"{_ascii(town)[:3].upper()}-{yyyy}-{_digits(r, 5)}",
                          f"{_digits(r, 2)}/{yyyy}", f"B{yyyy}/{_digits(r, 4)}"])
        og, of_ = c.person(loc)
        n.t("COMMENT:\nOutside slides (").p(ocase, "MRN").t(f", {blocks + 3} H&E, 2 IHC) and one block from ")
        n.p(outside, "HOSPITAL").t(", ").p(town, "LOCATION").t(", were reviewed in consultation at the request of ")
        n.p(f"Dr. {of_}", "PROVIDER").t(". We concur with the outside diagnosis rendered by ")
        n.p(f"{og} {of_}", "PROVIDER").t(" on ").p(c.date_eu(collected - timedelta(days=r.randrange(10, 60)), loc) if loc else c.date_us(collected - timedelta(days=r.randrange(10, 60))), "DATE").t(".\n")
        n.t("Slides to be returned to the contributing laboratory; our consult number is ").p(f"CN{yy}-{_digits(r, 4)}", "MRN").t(".\n\n")
    n.t("Intradepartmental consultation: ").p(f"{c.person()[0]} {c.person()[1]}", "PROVIDER").t(", MD, concurs.\n")
    n.t(r.choice(["*** Electronically signed by ", "Electronically signed out by: ", "Pathologist: "]))
    n.p(f"{pg} {pf}", "PROVIDER").t(r.choice([", M.D., FCAP", ", MD", ", MD, PhD"]), " on ").p(c.date_us(signed), "DATE")
    n.t(f" at {r.randrange(8, 18):02d}:{r.randrange(60):02d}\n")
    n.t("Grossed by: ").p(f"{c.person()[0]} {c.person()[1]}", "PROVIDER").t(", PA(ASCP)\n")
    return n


def portal_thread(n, c: Ctx, ident, staff, when):
    r = c.rng
    nurse = r.choice([s for s in staff if s.role == "nurse"])
    doc = r.choice([s for s in staff if s.role != "nurse"])
    nick = _nick(ident.given)
    me = nick or ident.given.lower()
    rel = r.choice(ident.relatives) if ident.relatives else None
    d0 = when - timedelta(days=r.randrange(1, 5))
    subject = r.choice(["rash after new med??", "question about my labs", "Refill request", "still dizzy", "appt"])
    n.t(f"Subject: {subject}\n\n")
    n.t("From: ").p(f"{ident.given} {ident.family}", "PATIENT").t("   Sent: ").p(c.date_us(d0), "DATE").t(f" {r.randrange(1, 12)}:{r.randrange(60):02d} PM\n")
    opener = r.choice(["hi ", "Hello ", "hey its ", "Hi this is "])
    n.t(opener)
    if opener in ("hey its ", "Hi this is "):
        n.p(me, "PATIENT").t(" again")
        if nick:
            n.t(" (").p(ident.given.lower(), "PATIENT").t(f" {ident.family[0].lower()})")
        n.t(". ")
    elif r.random() < 0.7:
        n.t(r.choice(["dr ", "Dr. "])).p(doc.family.lower() if r.random() < 0.5 else doc.family, "PROVIDER").t(", ")
    else:
        n.t("there, ")
    n.t(r.choice(["so since i started the new pills i have this itchy rash on my arms and belly, ",
                  "my sugars have been all over the place this week like 280 in the mornings, ",
                  "i am still dizzy when i stand up esp in the morning, "]))
    if rel:
        n.t(f"my {rel.role} ").p(rel.given.lower() if r.random() < 0.6 else rel.given, "RELATIVE").t(" thinks i should come in. ")
    n.t("can someone call me back on my cell ").p(_us_phone_forms(ident.phone, r) if r.random() < 0.6 else c.phone(None), "PHONE")
    n.t(r.choice([" after 3 pls", "? i work til 5", " thx"]), "\n")
    if r.random() < 0.5:
        loc = c.loc()
        n.t(f"ps im at my {r.choice(['sisters', 'daughters', 'moms'])} in ").p(c.town(loc), "LOCATION")
        n.t(f" ({COUNTRY[loc][0]}) until the {(when + timedelta(days=r.randrange(3, 20))).day}th, her number there is ").p(c.phone(loc), "PHONE").t("\n")
    n.t("\n---\nFrom: ").p(f"{nurse.given} {nurse.family}", "PROVIDER").t(", RN   Sent: ").p(c.date_us(d0 + timedelta(days=1)), "DATE").t(" 9:14 AM\n")
    n.t("Hi ").p(ident.given, "PATIENT").t(r.choice([",\n", " -\n"]))
    n.t("Thank you for your message. I spoke with ").p(f"Dr. {doc.family}", "PROVIDER")
    n.t(" who would like you to stop the new medication and come in for a visit tomorrow with ").p(f"{staff[0].given} {staff[0].family}", "PROVIDER")
    n.t(". I tried calling you at ").p(_us_phone_forms(ident.phone, r), "PHONE").t(" but the voicemail was full.\n")
    n.t("Please reply here or call the clinic.\n").p(nurse.given, "PROVIDER").t("\n\n---\nFrom: ")
    n.p(ident.given if r.random() < 0.5 else f"{ident.given} {ident.family}", "PATIENT").t("   Sent: ").p(c.date_us(d0 + timedelta(days=1)), "DATE").t(" 11:52 AM\n")
    n.t("ok thank u!! ")
    if rel:
        n.p(rel.given.lower(), "RELATIVE").t(" will drive me. ")
    if r.random() < 0.6:
        n.t("also pls send the letter for work to my new email ")
        email = c.email(nick or ident.given, ident.family) if r.random() < 0.6 else ident.email
        n.p(email, "EMAIL").t(" not the old one")
    n.t("\n- ").p(me, "PATIENT").t("\n")
    return n


def telephone(n, c: Ctx, ident, staff, when):
    r = c.rng
    nurse = r.choice([s for s in staff if s.role == "nurse"])
    doc = r.choice([s for s in staff if s.role != "nurse"])
    abroad = r.random() < 0.4
    loc = c.loc() if abroad else None
    n.t("TELEPHONE ENCOUNTER\n")
    n.t("Date/Time: ").p(c.date_us(when), "DATE").t(f" {r.randrange(8, 17):02d}:{r.randrange(60):02d}   Call taken by: ")
    n.p(f"{nurse.given} {nurse.family}" if r.random() < 0.5 else f"{nurse.family}, {nurse.given}", "PROVIDER").t(", RN\n")
    rel = r.choice(ident.relatives) if ident.relatives and r.random() < 0.75 else None
    if rel:
        n.t("Caller: ").p(rel.full, "RELATIVE").t(f" ({rel.role} of pt")
        if r.random() < 0.5:
            n.t(", on HIPAA release")
        n.t(")\nCallback number: ").p(rel.phone if not abroad else c.phone(loc, intl=True), "PHONE")
    else:
        who = r.choice(["neighbor", "friend", "home care aide"])
        g, f = c.person(loc)
        n.t("Caller: ").p(f"{g} {f}", "RELATIVE").t(f", pt's {who}")
        if who == "home care aide":
            n.t(" from ").p(c.company(loc), "LOCATION")
        n.t("\nCallback #: ").p(c.phone(loc), "PHONE")
    n.t(r.choice(["  OK to leave detailed message: yes\n", "  (cell; prefers text)\n", "\n"]))
    n.t("Alt: pt's home ").p(_us_phone_forms(ident.phone, r), "PHONE").t("\n\n")
    n.t("Reason for call: ", r.choice([
        "pt ran out of lisinopril while travelling, requests refill sent to a pharmacy near where they are staying.",
        "pt had 3 episodes of black stool since yesterday, feels lightheaded.",
        "question re: holding apixaban before dental extraction next week.",
    ]), "\n")
    if abroad:
        n.t("Pt is currently in ").p(c.town(loc), "LOCATION").t(f", {COUNTRY[loc][0]}, staying at ").p(c.street(loc), "ADDRESS").t(".\n")
    town = c.town(loc)
    if loc:
        lang = loc[:2]
        ph = {"de": [f"{c.given(loc)}-Apotheke", f"Stadt-Apotheke {town}", f"Apotheke am {c.person(loc)[1]}platz"],
              "nl": [f"Apotheek {c.person(loc)[1]}", f"Apotheek {town}"], "sv": [f"Apoteket {c.person(loc)[1]}", f"Apotek Hjärtat {town}"],
              "da": [f"{town} Apotek", f"{c.person(loc)[1]} Apotek"], "no": [f"Vitusapotek {town}", f"Apotek 1 {town}"],
              "fi": [f"{town} apteekki", f"{c.person(loc)[1]} apteekki"], "pl": [f"Apteka {c.person(loc)[1]}", f"Apteka Rodzinna {town}"],
              "fr": [f"Pharmacie {c.person(loc)[1]}", f"Pharmacie de {town}"], "it": [f"Farmacia {c.person(loc)[1]}", f"Farmacia Comunale {town}"],
              "es": [f"Farmacia {c.person(loc)[1]}", f"Farmacia {town}"], "en": [f"{c.person(loc)[1]} Chemist", f"{town} Pharmacy"]}[lang]
        pharmacy = r.choice(ph)
    else:
        pharmacy = r.choice([f"{c.person()[1]} Pharmacy", f"{town} Apothecary", f"{c.person()[1]} Drug"])
    n.t("Pharmacy: ").p(pharmacy, "HOSPITAL").t(r.choice([", ", " – ", " in "])).p(town, "LOCATION")
    n.t(" (ph ").p(c.phone(loc), "PHONE").t(r.choice([", fax ", " / fx "])).p(c.phone(loc), "PHONE").t(")\n")
    n.t("Discussed with ").p(f"Dr. {doc.family}" if r.random() < 0.6 else f"{doc.given} {doc.family}, MD", "PROVIDER")
    n.t(r.choice([": ok to send 30-day supply, f/u in clinic on return.", ": advised ED now, caller verbalized understanding.",
                  ": hold 2 days prior, resume evening after procedure."]))
    later = when + timedelta(days=r.randrange(0, 2))
    n.t(" Called back ").p(c.date_us(later) if r.random() < 0.5 else later.strftime("%m/%d/%Y"), "DATE").t(f" at {r.randrange(8, 18):02d}{r.randrange(60):02d}")
    n.t(r.choice([", LVM.", ", spoke with caller.", ", no answer x2."]), f"\n-- {nurse.given[0]}{nurse.family[0]}\n")
    return n


def social_work(n, c: Ctx, ident, staff, when):
    r = c.rng
    sw_g, sw_f = c.person()
    she, her = _pronouns(ident.sex)
    rel = ident.relatives[0] if ident.relatives else None
    n.t("SOCIAL WORK PSYCHOSOCIAL ASSESSMENT\n")
    n.t("Date of assessment: ").p(c.date_us(when), "DATE").t("\nSources: patient; chart; ")
    if rel:
        n.t(f"{rel.role} ").p(rel.full, "RELATIVE").t(" by phone (").p(rel.phone, "PHONE").t(")")
    n.t(".\n\nHOUSING: Pt lives ", r.choice(["in a 3rd-floor walk-up apartment at ", "in a rented duplex at ", "in a rooming house at "]))
    n.p(ident.address if r.random() < 0.5 else c.fake.street_address(), "ADDRESS").t(", ").p(ident.city, "ADDRESS").t(". Landlord is ")
    lg, lf = c.person()
    n.p(f"{lg} {lf}", "RELATIVE")
    if r.random() < 0.5:
        n.t(" of ").p(f"{lf} Property Management", "LOCATION").t(", tel ").p(c.phone(None), "PHONE")
    else:
        n.t(" (").p(c.phone(None), "PHONE").t(")")
    n.t("; pt received a 14-day notice to quit on ").p(c.date_us(when - timedelta(days=r.randrange(3, 20))), "DATE")
    n.t(" for unpaid rent (~$2,400 owed).\n\nFAMILY / SUPPORTS:\n")
    kids = r.randrange(1, 3)
    for _ in range(kids):
        sex = r.choice("fm")
        g = c.given(None, sex)
        age = r.randrange(6, 17)
        n.t(f"- {'Daughter' if sex == 'f' else 'Son'} ").p(g, "RELATIVE").t(f", {age}, attends ").p(c.school(None, ident.city), "LOCATION")
        n.t(r.choice([" (IEP in place)", ", 7th grade", ", school counselor aware", ""]), "\n")
    if r.random() < 0.6:
        loc = c.loc()
        sg, sf = c.person(loc, "f")
        n.t("- Sister ").p(f"{sg} {sf}", "RELATIVE").t(", lives in ").p(c.town(loc), "LOCATION").t(f", {COUNTRY[loc][0]}; ")
        n.t("speaks with pt weekly on WhatsApp ").p(c.phone(loc, intl=True), "PHONE").t("\n")
    bg, bf = c.person(None, "m" if ident.sex == "female" else "f")
    n.t(f"- Ex-{'husband' if ident.sex == 'female' else 'wife'} ").p(f"{bg} {bf}", "RELATIVE")
    n.t(r.choice([" (no contact; restraining order ", " (shared custody; "]))
    if "restraining" in n.parts[-1]:
        n.t("issued ").p(c.date_us(when - timedelta(days=r.randrange(100, 900))), "DATE").t(")\n")
    else:
        n.t("cell ").p(c.phone(None), "PHONE").t(")\n")
    emp = c.company(None)
    n.t(f"\nEMPLOYMENT: {she.capitalize()} works {r.choice(['part time', 'nights', '30 h/week'])} as a {c.fake.job().lower()} at ")
    n.p(emp, "LOCATION").t(" since ").p(str(r.randrange(2008, 2020)), "DATE").t("; supervisor ")
    sg2, sf2 = c.person()
    n.p(f"{sg2[0]}. {sf2}", "RELATIVE").t(" is aware of the admission.\n")
    n.t("\nRESOURCES / REFERRALS:\n")
    agency = r.choice([f"{ident.city} Housing Authority", f"Catholic Charities of {c.town()}", f"{c.town()} Community Action Agency",
                       f"{c.person()[1]} Family Services"])
    aw_g, aw_f = c.person()
    n.t("- Referred to ").p(agency, "LOCATION").t(", case worker ").p(f"{aw_g} {aw_f}", "RELATIVE").t(" (").p(c.phone(None), "PHONE").t(r.choice([", ext. 214)", ")"]), "\n")
    shelter = r.choice([f"{c.person()[1]} House", f"{c.town()} Family Shelter", f"Salvation Army {c.town()} Center"])
    n.t("- Emergency shelter bed held at ").p(shelter, "LOCATION").t(", ").p(c.fake.street_address(), "ADDRESS").t(", if eviction proceeds.\n")
    n.t("- Legal aid: intake with ").p(f"{c.town()} Legal Services", "LOCATION").t(" on ").p(c.date_us(when + timedelta(days=r.randrange(2, 14))), "DATE").t(".\n")
    n.t("\nPLAN: SW to follow; will update team. ").p(f"{sw_g} {sw_f}", "PROVIDER").t(r.choice([", LICSW", ", MSW, LCSW", " LCSW"]))
    n.t(", pager ").p(f"{r.randrange(2, 9)}-{_digits(r, 4)}" if r.random() < 0.5 else _digits(r, 5), "PHONE").t("\n")
    return n


def foreign_discharge(n, c: Ctx, ident, staff, when):
    r = c.rng
    loc = c.loc()
    lang = loc[:2]
    town = c.town(loc)
    hosp = c.hospital(loc, town)
    ward = {"de": f"Klinik für Innere Medizin {r.choice(['I', 'II', 'III'])}, Station {r.randrange(1, 9)}{r.choice('ABC')}",
            "nl": f"afdeling Cardiologie, verpleegafdeling {r.choice('ABCD')}{r.randrange(1, 6)}",
            "sv": f"Medicinkliniken, avd {r.randrange(10, 80)}", "da": f"Medicinsk afdeling {r.choice('ABM')}, afsnit {r.randrange(1, 9)}",
            "no": f"Medisinsk avdeling, sengepost {r.randrange(1, 9)}", "fi": f"Sisätautien osasto {r.randrange(1, 12)}",
            "pl": f"Oddział Chorób Wewnętrznych {r.choice(['I', 'II'])}", "fr": f"Service de Cardiologie, unité {r.randrange(1, 5)}{r.choice('ABC')}",
            "it": f"U.O. Medicina Interna, {r.randrange(1, 6)}° piano", "es": f"Servicio de Medicina Interna, planta {r.randrange(2, 9)}ª",
            "en": f"Ward {r.randrange(4, 40)} (Acute Medical Unit)"}[lang]
    adm = when - timedelta(days=r.randrange(15, 90))
    dis = adm + timedelta(days=r.randrange(2, 12))
    att = c.person(loc)
    res = c.person(loc)
    n.p(hosp, "HOSPITAL").t("\n", ward, "\n")
    n.p(c.street(loc), "ADDRESS").t(" · ")
    pc = c.postcode(loc)
    if loc == "en_GB":
        n.p(town, "LOCATION").t(" ").p(pc, "ADDRESS")
    else:
        n.p(pc, "ADDRESS").t(" ").p(town, "LOCATION")
    n.t("\n", {"de": "Telefon", "nl": "Telefoon", "sv": "Telefon", "da": "Telefon", "no": "Telefon", "fi": "Puhelin", "pl": "Telefon",
               "fr": "Téléphone", "it": "Telefono", "es": "Teléfono", "en": "Telephone"}[lang], ": ").p(c.phone(loc, intl=r.random() < 0.3), "PHONE")
    n.t(" · Fax: ").p(c.phone(loc), "PHONE").t("\n\n")
    title = {"de": "Entlassungsbericht (Übersetzung)", "nl": "Ontslagbrief (vertaling)", "sv": "Epikris", "da": "Epikrise",
             "no": "Epikrise", "fi": "Epikriisi / loppulausunto", "pl": "Karta informacyjna leczenia szpitalnego", "fr": "Compte rendu d'hospitalisation",
             "it": "Lettera di dimissione", "es": "Informe de alta", "en": "DISCHARGE SUMMARY"}[lang]
    n.t(title, " — DISCHARGE SUMMARY\n\n" if lang != "en" else "\n\n")
    n.t("Patient: ").p(f"{ident.family}, {ident.given}" if r.random() < 0.5 else f"{ident.given} {ident.family.upper()}", "PATIENT")
    n.t(", ", r.choice([WORDS[lang][1], "born"]), " ").p(c.date_eu(ident.birth_date, loc), "DATE").t("\n")
    n.t("Home address (as given): ").p(ident.address, "ADDRESS").t(", ").p(ident.city, "ADDRESS").t(f", {ident.state}, USA\n")
    n.t("Local contact during stay: ")
    cg, cf = c.person(loc)
    n.p(f"{cg} {cf}", "RELATIVE").t(r.choice([" (friend), ", " (host family), ", " (cousin), "])).p(c.phone(loc), "PHONE").t("\n")
    n.t("Admission: ").p(c.date_eu(adm, loc), "DATE").t(" via ")
    if r.random() < 0.35:
        n.t("ambulance transfer from ").p(c.hospital(loc), "HOSPITAL")
    else:
        n.t(WORDS[lang][3])
    n.t("\nDischarge: ").p(c.date_eu(dis, loc), "DATE").t("\n\n")
    case = r.choice([
        ("Diagnoses:\n1. NSTEMI (I21.4), PCI with DES to RCA\n2. Arterial hypertension\n3. Type 2 diabetes mellitus\n",
         "retrosternal chest pain during a hiking holiday. ", "Coronary angiography"),
        ("Diagnoses:\n1. Community-acquired pneumonia, right lower lobe (J18.1)\n2. Acute kidney injury KDIGO 1, resolved\n",
         "fever and productive cough after a river cruise. ", "Bronchoscopy with BAL"),
        ("Diagnoses:\n1. Paroxysmal atrial fibrillation, new onset, CHA2DS2-VASc 3\n2. Hypothyroidism\n",
         "palpitations on the flight in. ", "TEE-guided cardioversion")])
    n.t(case[0], "\nCourse: The patient, a tourist from the USA, presented with ", case[1])
    n.t(f"{case[2]} on ").p(c.date_eu(adm + timedelta(days=1), loc), "DATE").t(" by ")
    ig, if_ = c.person(loc)
    n.p(f"{'Prof. Dr. ' if lang == 'de' else 'Dr '}{ig} {if_}", "PROVIDER").t(". Uneventful course thereafter. ")
    if ident.relatives and r.random() < 0.7:
        rel = r.choice(ident.relatives)
        n.t(f"{rel.role.capitalize()} ").p(rel.given, "RELATIVE").t(" informed by telephone (").p(
            rel.phone.replace("(", "+1 (") if r.random() < 0.5 else f"001 {rel.phone[1:4]} {rel.phone[6:]}", "PHONE").t(").")
    n.t("\n\nFollow-up: with the patient's physician at home; cardiology review here was offered for ").p(c.date_eu(dis + timedelta(days=r.randrange(20, 60)), loc), "DATE")
    n.t(" if still in the country.\n\n")
    att_t = {"de": ("Chefarzt", "Assistenzärztin"), "nl": ("cardioloog", "arts-assistent"), "sv": ("Överläkare", "ST-läkare"),
             "da": ("Overlæge", "Reservelæge"), "no": ("Overlege", "LIS-lege"), "fi": ("Ylilääkäri", "Erikoistuva lääkäri"),
             "pl": ("Ordynator, dr n. med.", "lek. rezydent"), "fr": ("Praticien hospitalier", "Interne"), "it": ("Direttore U.O.", "Medico specializzando"),
             "es": ("Jefe de Servicio", "MIR"), "en": ("Consultant Physician", "Specialty Registrar")}[lang]
    n.t(r.choice(["Attending", WORDS[lang][4], "Signed"]), ": ").p(f"{att[0]} {att[1]}", "PROVIDER").t(f", {att_t[0]}\n")
    n.t("Resident: ").p(f"{res[1]}, {res[0]}" if r.random() < 0.4 else f"{res[0]} {res[1]}", "PROVIDER").t(f", {att_t[1]}")
    if r.random() < 0.3:
        n.t(f" · bleep {_digits(r, 3)}")  # an in-house three-digit bleep: too short to look for, not planted
    n.t("\n")
    return n


def radiology_outside(n, c: Ctx, ident, staff, when):
    r = c.rng
    ref = r.choice([s for s in staff if s.role != "nurse"])
    exam, why, found = r.choice([
        ("CT CHEST WITH IV CONTRAST", "follow-up of pulmonary nodule.",
         "Stable 6 mm solid nodule in the right upper lobe (series 4, image 61), unchanged since the earliest comparison. No new nodules. No lymphadenopathy."),
        ("MRI BRAIN WITH AND WITHOUT CONTRAST", "new headaches, hx of meningioma.",
         "Extra-axial dural-based lesion along the left convexity measuring 1.9 cm, previously 1.7 cm. No midline shift."),
        ("CT ABDOMEN AND PELVIS WITH CONTRAST", "RLQ pain, fever.",
         "Dilated appendix measuring 11 mm with periappendiceal fat stranding. No abscess."),
        ("MRI LUMBAR SPINE WITHOUT CONTRAST", "low back pain radiating L leg.",
         "L4-L5: broad-based disc bulge with left paracentral protrusion contacting the traversing left L5 nerve root.")])
    n.t(f"EXAM: {exam}\n")
    n.t("DATE OF SERVICE: ").p(c.date_us(when), "DATE").t("     ACCESSION: ").p(r.choice([f"RAD{_digits(r, 8)}", f"CT-{when:%y}-{_digits(r, 6)}", f"{_digits(r, 10)}"]), "MRN").t("\n")
    n.t("REFERRING PHYSICIAN: ").p(f"{ref.given} {ref.family}" if r.random() < 0.5 else f"{ref.family.upper()}, {ref.given.upper()}", "PROVIDER").t(", MD\n")
    n.t("CLINICAL INDICATION: ", why, "\n\n")
    n.t("COMPARISON: ")
    k = r.randrange(2, 4)
    for i in range(k):
        foreign = r.random() < 0.4
        loc = c.loc() if foreign else None
        town = c.town(loc)
        if foreign:
            fac = r.choice([c.hospital(loc, town), f"{WORDS[loc[:2]][5]} {town}", f"{WORDS[loc[:2]][5]} {c.person(loc)[1]}"])
        else:
            fac = r.choice([f"{town} Imaging Center", f"{c.person()[1]} Radiology Associates", f"{c.hospital(None, town)}", f"{town} Open MRI"])
        prior = when - timedelta(days=r.randrange(30 * (i + 1), 300 * (i + 1)))
        mod = r.choice(["CT", "MRI", "PET-CT", "radiographs", "ultrasound"])
        n.t(f"{mod} dated ").p(c.date_eu(prior, loc) if foreign else c.date_us(prior), "DATE").t(r.choice([" performed at ", " from ", " (outside, "]))
        paren = n.parts[-1] == " (outside, "
        n.p(fac, "HOSPITAL")
        if r.random() < 0.5 or foreign:
            n.t(", ").p(town, "LOCATION")
        if foreign:
            n.t(f", {COUNTRY[loc][0]}")
        n.t(")" if paren else "")
        if r.random() < 0.3:
            n.t(", outside accession ").p(f"{_ascii(town)[:2].upper()}{_digits(r, 7)}", "MRN")
        n.t("; " if i < k - 1 else ". Outside images were uploaded to PACS and reviewed; outside reports were not available for the earlier studies.\n\n")
    n.t("FINDINGS:\n", found, "\n\n")
    n.t("IMPRESSION:\n1. ", r.choice(["Findings as above.", "Interval change as above, discussed with the referring clinician."]), "\n")
    if r.random() < 0.6:
        n.t("Findings discussed by telephone with ").p(f"Dr. {ref.family}", "PROVIDER").t(f" at {r.randrange(8, 18):02d}:{r.randrange(60):02d} on ").p(c.date_us(when), "DATE").t(".\n")
    rg, rf = c.person()
    n.t("\nDictated by: ").p(f"{c.person()[0]} {c.person()[1]}", "PROVIDER").t(", MD (resident)\n")
    n.t("Electronically signed: ").p(f"{rg} {rf}", "PROVIDER").t(", MD, ").p(c.date_us(when + timedelta(days=r.randrange(0, 2))), "DATE").t("\n")
    return n


def operative(n, c: Ctx, ident, staff, when):
    r = c.rng
    surgeon = r.choice([s for s in staff if s.role == "attending"] or staff)
    res = r.choice([s for s in staff if s.role == "resident"] or staff)
    pa = c.person()
    anes = c.person()
    crna = c.person()
    kind = r.choice(["hip", "knee", "pacemaker", "hernia"])
    n.t("OPERATIVE REPORT\n\n")
    n.t("Patient: ").p(ident.full, "PATIENT").t("   MRN ").p(ident.mrn, "MRN").t("\nDate of surgery: ").p(c.date_us(when), "DATE").t("\n")
    n.t("Surgeon: ").p(f"{surgeon.given} {surgeon.family}", "PROVIDER").t(", MD\n")
    n.t("Assistant(s): ").p(f"{pa[0]} {pa[1]}", "PROVIDER").t(", PA-C; ").p(f"{res.given} {res.family}", "PROVIDER").t(", MD (PGY-4)\n")
    n.t("Anesthesia: general endotracheal. Anesthesiologist: ").p(f"{anes[0]} {anes[1]}", "PROVIDER").t(", MD; CRNA ").p(f"{crna[0][0]}. {crna[1]}", "PROVIDER").t("\n")
    if kind == "hip":
        n.t("Procedure: right total hip arthroplasty, posterior approach.\n")
        n.t("\nIMPLANTS:\n")
        for part in ("Acetabular shell 54 mm", "Polyethylene liner 36 mm, 10° elevated", "Femoral stem size 12, high offset", "Ceramic head 36 mm +1.5"):
            n.t(f"  {part}  REF {r.randrange(10**10, 10**11)}  LOT ")
            n.p(r.choice([_digits(r, 8), f"{_digits(r, 2)}{r.choice('ABCDEFGH')}{_digits(r, 4)}", f"L{_digits(r, 7)}"]), "MRN")
            if r.random() < 0.5:
                n.t("  SN ").p(r.choice([f"ZB{_digits(r, 8)}", f"{_digits(r, 4)}-{_digits(r, 4)}", f"S/N{_digits(r, 9)}"]), "MRN")
            n.t("\n")
    elif kind == "knee":
        n.t("Procedure: left total knee arthroplasty, cemented, medial parapatellar approach.\n\nIMPLANTS:\n")
        for part in ("Femoral component size 5", "Tibial baseplate size 4", "Tibial insert 10 mm", "Patella 35 mm"):
            n.t(f"  {part} — Lot: ").p(f"{r.choice('KMP')}{_digits(r, 6)}", "MRN").t(f", Exp {r.randrange(2025, 2030)}-{r.randrange(1, 13):02d}\n")
    elif kind == "pacemaker":
        n.t("Procedure: dual-chamber permanent pacemaker implantation, left cephalic access.\n\nDEVICES:\n")
        n.t("  Generator: model W1DR01, serial number ").p(f"RNB{_digits(r, 6)}S", "MRN").t("\n")
        n.t("  RA lead: model 5076-52 cm, SN ").p(f"PJN{_digits(r, 7)}", "MRN").t("\n")
        n.t("  RV lead: model 5076-58 cm, SN ").p(f"PJN{_digits(r, 7)}", "MRN").t("\n")
        n.t("Device clinic (").p(c.phone(None), "PHONE").t(") notified; remote monitor transmitter id ").p(_digits(r, 10), "MRN").t(".\n")
    else:
        n.t("Procedure: laparoscopic TEP repair of right inguinal hernia with mesh.\n\nIMPLANTS:\n  Polypropylene mesh 15 x 15 cm, lot ")
        n.p(f"{_digits(r, 2)}{r.choice('JKLMN')}{_digits(r, 5)}", "MRN").t("; 5 mm absorbable tacks x6, lot ").p(f"T{_digits(r, 6)}", "MRN").t("\n")
    n.t("\nRegistry: ")
    if r.random() < 0.5:
        n.t("AJRR submission id ").p(f"AJRR-{when.year}-{_digits(r, 7)}", "MRN")
    else:
        reg = r.choice([("NJR", f"NJR{_digits(r, 9)}"), ("Swedish Arthroplasty Register", f"SAR-{when.year}-{_digits(r, 5)}"),
                        ("Dutch Arthroplasty Register (LROI)", f"LROI{_digits(r, 8)}"), ("EPRD", f"EPRD-{_digits(r, 4)}-{_digits(r, 6)}")])
        n.t(f"{reg[0]} record ").p(reg[1], "MRN").t(" (patient consented)")
    n.t("; implant card given to patient.\n")
    n.t("\nEBL 250 mL. Specimens: none. Drains: none. Complications: none apparent.\n")
    n.t("Findings and description: ", {
        "hip": "Standard exposure. Components trialled and final implants seated with good stability through full ROM. Layered closure.",
        "knee": "Standard exposure. Bone cuts with intramedullary femoral guide. Trial reduction with balanced gaps; components cemented. Layered closure.",
        "pacemaker": "Uneventful. Thresholds and sensing satisfactory. Pocket irrigated, closed in layers.",
        "hernia": "Direct defect 2 cm. Preperitoneal space developed, mesh placed flat and tacked to Cooper's ligament. Pneumoperitoneum released."}[kind], "\n")
    n.t("Dr. ").p(surgeon.family, "PROVIDER").t(" was present and scrubbed for the entire procedure.\n")
    if ident.relatives:
        rel = r.choice(ident.relatives)
        n.t(f"Post-op: I spoke with the patient's {rel.role}, ").p(rel.given, "RELATIVE").t(", in the family waiting area.\n")
    return n


def family_meeting(n, c: Ctx, ident, staff, when):
    r = c.rng
    doc = r.choice([s for s in staff if s.role == "attending"] or staff)
    nurse = r.choice([s for s in staff if s.role == "nurse"])
    she, her = _pronouns(ident.sex)
    n.t("PALLIATIVE CARE — FAMILY MEETING NOTE\n")
    n.t("Date: ").p(c.date_us(when), "DATE").t(f"   Duration: {r.randrange(40, 95)} min   Location: 7 West family conference room\n\n")
    n.t("Present:\n")
    n.t("- Patient (participated for the first 10 minutes)\n")
    people = []
    for rel in ident.relatives:
        n.t(f"- {rel.role.capitalize()}: ").p(rel.full, "RELATIVE")
        if r.random() < 0.5:
            n.t(" (").p(rel.phone, "PHONE").t(")")
        n.t("\n")
        people.append(rel.given)
    loc = c.loc() if r.random() < 0.6 else None
    for role in r.sample(["daughter", "son", "brother", "sister", "niece", "grandson", "son-in-law", "daughter-in-law", "cousin"], r.randrange(3, 6)):
        sex = "f" if role in ("daughter", "sister", "niece", "daughter-in-law") else "m" if role != "cousin" else None
        here = r.random() < 0.5
        g, f = c.person(loc if not here else None, sex)
        fam = ident.family if role in ("son", "brother", "grandson") and r.random() < 0.6 else f
        n.t(f"- {role.capitalize()}: ").p(f"{g} {fam}", "RELATIVE")
        if here:
            n.t(", drove in from ").p(c.town(), "LOCATION")
        else:
            n.t(", joined by video from ").p(c.town(loc), "LOCATION")
            if loc:
                n.t(f" ({COUNTRY[loc][0]})")
        n.t("\n")
        people.append(g)
    ch = c.person()
    n.t("- Team: ").p(f"Dr. {doc.family}", "PROVIDER").t(" (attending), ").p(f"{nurse.given} {nurse.family}", "PROVIDER").t(", RN; chaplain ")
    n.p(f"{ch[0]} {ch[1]}", "PROVIDER").t("; palliative NP ").p(f"{c.person()[0]} {c.person()[1]}", "PROVIDER").t("\n\n")
    n.t(f"Discussion: Reviewed progression of metastatic disease despite second-line therapy. Family understands that {she} is dying. ")
    spk = r.choice(people)
    n.p(spk, "RELATIVE").t(" asked about time frame; we said likely short weeks. ")
    oth = r.choice([p for p in people if p != spk] or people)
    n.p(oth, "RELATIVE").t(f" shared that {her} {r.choice(['mother', 'father'])} also died at home with hospice in ").p(c.town(loc), "LOCATION").t(" and that it was peaceful.\n")
    hcp = ident.relatives[0] if ident.relatives else None
    n.t("Health care proxy: ")
    if hcp:
        n.p(hcp.full, "RELATIVE").t(f" ({hcp.role}), ").p(_us_phone_forms(hcp.phone, r), "PHONE")
    else:
        n.t("none on file — patient named ").p(oth, "RELATIVE")
    n.t(".\n\nDecisions:\n1. DNR/DNI confirmed, MOLST updated.\n2. Transition to comfort-focused care; discharge home with hospice (")
    n.p(r.choice([f"{c.town()} Hospice & Palliative Care", f"{c.person()[1]} Hospice", f"VNA Hospice of {c.town()}"]), "HOSPITAL").t(").\n")
    n.t("3. Family to take turns staying overnight; ").p(r.choice(people), "RELATIVE").t(" will fly back on ").p(c.date_us(when + timedelta(days=r.randrange(2, 10))), "DATE").t(".\n")
    n.t("Follow-up meeting if needed on ").p(c.date_us(when + timedelta(days=r.randrange(3, 8))), "DATE").t(".\n")
    return n


def registration(n, c: Ctx, ident, staff, when):
    r = c.rng
    nick = _nick(ident.given)
    n.t(r.choice(["REGISTRATION / EMERGENCY CONTACT INFORMATION (updated at intake)", "Patient demographics update - free text", "ADMITTING: contact and insurance verification"]), "\n")
    n.t("Name: ").p(f"{ident.family.upper()}, {ident.given.upper()}" if r.random() < 0.5 else f"{ident.family}, {ident.given}", "PATIENT")
    if nick:
        cue = r.choice(["   goes by ", "  (pref. name: ", "   a.k.a. "])
        n.t(cue).p(nick.capitalize(), "PATIENT").t(")" if "(" in cue else "")
    b = ident.birth_date
    n.t("\nDOB: ").p(r.choice([f"{b.month}/{b.day}/{b.year}", f"{b:%m/%d/%Y}", f"{b:%m-%d-%Y}", f"{b:%b} {b.day}, {b.year}"]), "DATE")
    n.t(f"   Sex: {ident.sex}\n")
    n.t("Home address: ").p(ident.address, "ADDRESS").t(", ").p(ident.city, "ADDRESS").t(f", {ident.state} ").p(ident.zip, "ADDRESS").t("\n")
    if r.random() < 0.5:
        loc = c.loc()
        n.t(f"Temporary address ({COUNTRY[loc][0]}, through ").p(c.date_us(when + timedelta(days=r.randrange(30, 200))), "DATE").t("): ")
        n.p(c.street(loc), "ADDRESS").t(", ")
        pc, town = c.postcode(loc), c.town(loc)
        if loc == "en_GB":
            n.p(town, "LOCATION").t(" ").p(pc, "ADDRESS")
        else:
            n.p(pc, "ADDRESS").t(" ").p(town, "LOCATION")
        n.t(f", {COUNTRY[loc][1]}\n   local phone ").p(c.phone(loc), "PHONE").t("\n")
    n.t("Phone (cell): ").p(_us_phone_forms(ident.phone, r), "PHONE").t("   Work: ").p(c.phone(None), "PHONE").t(r.choice([" x4471", "", " ext 12"]))
    n.t("\nEmail: ").p(ident.email if r.random() < 0.5 else c.email(ident.given, ident.family), "EMAIL").t("\n")
    emp = c.company(None if r.random() < 0.7 else c.loc())
    n.t("Employer: ").p(emp, "LOCATION").t(r.choice([", ", " - "])).p(c.town(), "LOCATION").t(f"   Occupation: {c.fake.job()}\n\n")
    n.t("Next of kin / emergency contact #1: ")
    if ident.relatives:
        rel = ident.relatives[0]
        n.p(rel.full, "RELATIVE").t(f" ({rel.role}) ").p(_us_phone_forms(rel.phone, r), "PHONE").t(", same address\n")
    else:
        g, f = c.person()
        n.p(f"{g} {f}", "RELATIVE").t(" (partner) ").p(c.phone(None), "PHONE").t("\n")
    loc2 = c.loc() if r.random() < 0.5 else None
    g2, f2 = c.person(loc2)
    n.t("Emergency contact #2: ").p(f"{f2}, {g2}" if r.random() < 0.5 else f"{g2} {f2}", "RELATIVE").t(f" ({r.choice(['friend', 'neighbour', 'cousin', 'former spouse'])}), ")
    n.p(c.phone(loc2), "PHONE")
    if loc2:
        n.t(", lives at ").p(c.street(loc2), "ADDRESS").t(", ").p(c.town(loc2), "LOCATION")
    n.t("\n\nPrimary insurance: ", ident.insurer, "  Member ID ").p(ident.insurance_id, "INSURANCE").t("  Group # ")
    n.p(r.choice([_digits(r, 6), f"G{_digits(r, 7)}", f"{_digits(r, 5)}-{_digits(r, 3)}"]), "INSURANCE")
    n.t(f"  Subscriber: {r.choice(['self', 'spouse'])}\n")
    if r.random() < 0.5:
        n.t("Secondary: EHIC card no. ").p(f"{_digits(r, 5)} {_digits(r, 5)} {_digits(r, 5)} {_digits(r, 5)}", "INSURANCE")
        n.t(f" ({r.choice(['AOK', 'TK', 'Zilveren Kruis', 'Försäkringskassan', 'NFZ', 'CPAM', 'SSN'])}), valid to ").p(c.date_us(when + timedelta(days=700)), "DATE").t("\n")
    else:
        n.t("Secondary: Medicare MBI ").p(f"{r.randrange(1, 10)}{r.choice('ACDEFGHJK')}{r.choice('ACDEFGHJK')}{_digits(r, 1)}-{r.choice('ACDEFGHJK')}{r.choice('ACDEFGHJK')}{_digits(r, 1)}-{r.choice('ACDEFGHJK')}{r.choice('ACDEFGHJK')}{_digits(r, 2)}", "INSURANCE").t("\n")
    n.t("Verified by ").p(f"{c.person()[0]} {c.person()[1]}", "PROVIDER").t(", patient access rep, ").p(c.date_us(when), "DATE").t("\n")
    return n


def prior_auth(n, c: Ctx, ident, staff, when):
    r = c.rng
    doc = r.choice([s for s in staff if s.role == "attending"] or staff)
    drug = r.choice([("adalimumab 40 mg SC every 2 weeks", "rheumatoid arthritis, seropositive (M05.79)", "Rheumatology",
                      "methotrexate 20 mg weekly (Jan–Jun) and sulfasalazine"),
                     ("dupilumab 300 mg SC every 2 weeks", "severe atopic dermatitis (L20.9)", "Dermatology",
                      "high-potency topical steroids and tacrolimus ointment"),
                     ("semaglutide 1 mg SC weekly", "type 2 diabetes with CKD stage 3a (E11.22)", "Endocrinology", "metformin and empagliflozin"),
                     ("MRI of the lumbar spine without contrast", "lumbar radiculopathy > 6 weeks (M54.16)", "Spine Center",
                      "8 weeks of supervised physical therapy")])
    n.t("Department of ", drug[2], "\n")
    n.t("Phone ").p(c.phone(None), "PHONE").t("   Fax ").p(c.phone(None), "PHONE").t("\n\n")
    n.p(c.date_us(when), "DATE").t("\n\n")
    n.t(f"VIA FAX to {ident.insurer} Utilization Management, fax ").p(c.phone(None), "PHONE").t(f" ({r.randrange(2, 9)} pages)\n")
    n.t("Attn: ").p(f"Dr. {c.person()[1]}", "PROVIDER").t(", Medical Director\n\n")
    n.t("RE: Request for prior authorization — ", drug[0], "\n")
    n.t("Member name: ").p(f"{ident.given} {ident.family}", "PATIENT").t("\nDate of birth: ").p(ident.birth_date.strftime(r.choice(["%m/%d/%Y", "%B %d, %Y"])).replace(" 0", " "), "DATE").t("\n")
    n.t("Member ID: ").p(ident.insurance_id, "INSURANCE").t("     Group number: ").p(r.choice([_digits(r, 6), f"GRP-{_digits(r, 5)}", f"{_digits(r, 3)}{r.choice('ABCX')}{_digits(r, 4)}"]), "INSURANCE").t("\n")
    prev = when - timedelta(days=r.randrange(10, 60))
    n.t("Prior request / case reference: ").p(r.choice([f"PA{_digits(r, 9)}", f"{when.year}{_digits(r, 8)}", f"UM-{_digits(r, 3)}-{_digits(r, 5)}"]), "MRN")
    n.t(", denied ").p(c.date_us(prev), "DATE").t("\n")
    n.t("Prescriber: ").p(f"{doc.given} {doc.family}", "PROVIDER").t(", MD   NPI ").p(_npi(r), "MRN")
    if r.random() < 0.5:
        n.t("   TIN ").p(f"{_digits(r, 2)}-{_digits(r, 7)}", "MRN")
    else:
        n.t("   DEA on file")
    n.t("\n\nTo whom it may concern,\n\n")
    n.t("I am writing on behalf of my patient, ").p(f"{ident.given[0]}. {ident.family}", "PATIENT")
    n.t(f", to request coverage of {drug[0]} for {drug[1]}. ")
    n.t("The patient has failed ", drug[3])
    n.t(", documented in the enclosed notes from ").p(c.date_us(prev - timedelta(days=r.randrange(60, 300))), "DATE").t(" and ").p(c.date_us(prev - timedelta(days=r.randrange(5, 50))), "DATE").t(".\n")
    if r.random() < 0.5:
        og = c.person()
        n.t("Prior treatment was also managed by ").p(f"Dr. {og[0]} {og[1]}", "PROVIDER").t(" at ").p(c.practice(None, og[1], c.town()), "HOSPITAL").t(" (NPI ").p(_npi(r), "MRN").t(").\n")
    n.t("\nPlease direct questions to my nurse, ").p(f"{staff[-1].given} {staff[-1].family}", "PROVIDER").t(", at ").p(c.phone(None), "PHONE")
    n.t(", or fax the determination to ").p(c.phone(None), "PHONE").t(".\n\nSincerely,\n\n").p(f"{doc.given} {doc.family}", "PROVIDER").t(", MD\n")
    return n


def nursing_caps(n, c: Ctx, ident, staff, when):
    r = c.rng
    nurse, nxt = r.sample([s for s in staff if s.role == "nurse"], 2)
    doc = r.choice([s for s in staff if s.role == "attending"] or staff)
    res = r.choice([s for s in staff if s.role == "resident"] or staff)
    U = str.upper
    n.t(r.choice(["1900-0700", "0700-1930", "NOC SHIFT", "DAY SHIFT"]), " RN NOTE ").p(U(f"{when:%d-%b-%Y}") if r.random() < 0.5 else f"{when:%m/%d/%y}", "DATE").t(": ")
    n.t(f"RM {r.randrange(401, 799)}{r.choice(['A', 'B', ''])}, {r.choice(['6 NORTH', '4W', 'SICU', '5 EAST TELE'])}. ")
    n.t("PT A&OX3, VSS, AFEB. C/O INCISIONAL PAIN 6/10, PRN OXY 5MG GIVEN @ 2215 W/ RELIEF TO 3/10. ")
    n.t("LUNGS CLR/DIM BASES, IS X10 Q1H WHILE AWAKE. ")
    rel = r.choice(ident.relatives) if ident.relatives else None
    if rel:
        n.t(f"{U(rel.role)} ").p(U(rel.given), "RELATIVE").t(" AT BS OVERNIGHT, SUPPORTIVE. ")
    loc = c.loc() if r.random() < 0.4 else None
    g, f = c.person(loc, "f")
    n.t(r.choice(["DTR ", "SIS ", "NIECE "])).p(U(f"{g} {f}"), "RELATIVE").t(" CALLED FROM ").p(U(c.town(loc)), "LOCATION")
    n.t(" @ 0130, UPDATED PER PT OK, CB# ").p(c.phone(loc), "PHONE").t(". ")
    n.t("K 3.2 @ 0400, DR ").p(U(doc.family), "PROVIDER").t(" AWARE, NEW ORDERS REC'D, KCL 40 MEQ PO GIVEN. ")
    n.t("UO 20ML/HR X2H, PAGED ").p(U(f"DR {res.family}") if r.random() < 0.5 else U(f"{res.given[0]}. {res.family}"), "PROVIDER")
    cue = r.choice([" @ PGR ", " PGR# ", " (PAGER "])
    n.t(cue).p(r.choice([f"{r.randrange(2, 9)}-{_digits(r, 4)}", _digits(r, 5), f"{_digits(r, 3)}-{_digits(r, 4)}"]), "PHONE")
    n.t(")" if "(" in cue else "", ", 500ML NS BOLUS GIVEN, UO IMPROVED 45ML/HR. ")
    n.t("PT ASKING ABOUT DC ").p(U(c.date_us(when + timedelta(days=r.randrange(1, 4))).replace(",", "")), "DATE").t(", STATES ")
    n.t(f"{'HUSBAND' if ident.sex == 'female' else 'WIFE'} WILL DRIVE {'HER' if ident.sex == 'female' else 'HIM'} HOME TO ").p(U(ident.city), "ADDRESS").t(". ")
    if r.random() < 0.5:
        n.t("SITTER ").p(U(c.given()), "PROVIDER").t(" AT BS 2300-0700 FOR FALL RISK. ")
    n.t("REPORT GIVEN TO ").p(U(f"{nxt.given} {nxt.family}"), "PROVIDER").t(" RN @ 0700.\n")
    n.t("-- ").p(U(f"{nurse.given[0]}. {nurse.family}"), "PROVIDER").t(", RN\n")
    return n


WRITERS = {name: globals()[name] for name in STYLES_B}


def make_writer(note_cls, seed: int, policy):
    """A ``write_note``-like function for the b styles.

    Parameters
    ----------
    note_cls:
        The benchmark's ``Note`` class (``t``/``p`` API).
    seed:
        Seed for the per-locale Faker instances.
    policy:
        The benchmark's :class:`NamePolicy` (surrogate tokens are never planted).
    """
    ctx = Ctx(seed, policy)

    def write(style: str, ident, staff, fake: Faker, rng: random.Random, when: date):
        ctx.rng, ctx.fake = rng, fake
        return WRITERS[style](note_cls(), ctx, ident, staff, when)

    return write
