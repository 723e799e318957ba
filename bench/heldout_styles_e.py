"""Held-out note styles, set e, for ``bench/deid_heldout_export.py --styles e``.

Twelve kinds of document that a US hospital's record also holds besides progress notes,
discharge summaries, nursing notes, referral letters and pathology reports: a genetic
counselling letter with a three-generation pedigree (as prose and as a list or table), an
autopsy / medical examiner report, a transfer-center call log, an FMLA / work-status /
disability form, an insurance prior-authorization or appeal letter, a dental / oral-surgery
note, a compact ophthalmology clinic note, a sleep-study (polysomnography) report, a cardiac
device interrogation / remote monitoring report, a dialysis unit monthly note, a hospice
admission / chaplaincy / bereavement note and a patient-written intake questionnaire or portal
e-mail thread. The writing varies: legacy all-caps dictation, letterheads and footers,
``label: value`` lines, tables with pipes or tabs, timestamps as ``2021-03-04 14:22``,
``03/04/21 2:22 PM`` or ``4-Mar-2021 1422``, dates in many US formats, phones and faxes with
extensions, pagers, e-mail addresses, URLs, an IP address in a portal audit footer, device and
lead serial numbers, NPI / DEA / state licence numbers, member, group, claim, case, account and
certificate numbers, ambulance and vehicle identifiers, ages over 89.

Written from general knowledge of these documents, without reading the de-identification code,
its data, configuration, lexicons or training templates, its tests, its documentation or README,
any corpus in the shared data folder, or the other held-out sets b and d; only the benchmark
scaffolding (``bench/deid_heldout_export.py``), set c (for its interface and conventions) and the
demo's identity, writer, check and manifest modules were read. Nothing was run against the
de-identifier while writing it, so nothing here was tuned on what it catches. Patients, their
relatives (spouse, child) and the hospital's own staff come from the benchmark's generator;
everyone and everything else (outside clinicians, counsellors, technologists, investigators,
officers, supervisors, reviewers, device representatives, pedigree relatives, towns, counties,
streets, ZIP codes, phones, employers, plans, funeral homes, churches, ambulance companies,
outside hospitals, practices, labs, pharmacies and the numbers) from a seeded ``Faker("en_US")``
of this module's own and its small lists. The hospital itself is a fictional system made up per
seed (a university hospital and a community hospital, each with its acronym).

PHI kinds are those the benchmark already uses. Conventions of this set: the patient's names and
nicknames ``PATIENT``; relatives, friends, neighbours and emergency contacts ``RELATIVE`` (also a
family name written alone for a side of the family); clinicians, technologists, counsellors,
chaplains, pastors, and the other professionals named (medical examiner's investigators, police
officers, funeral directors, employers' supervisors and HR staff, insurance reviewers, device
company representatives, transport crews) ``PROVIDER``; every street line and ZIP code (the
patient's or a business's) and the patient's own town ``ADDRESS``; any other town or county
``LOCATION``; employers, plans' and insurers' offices, funeral homes, churches and other faith
communities, police departments, ambulance and transport companies, dental labs, optical shops
and medical supply companies ``LOCATION``; hospitals, clinics, practices, labs of the hospital,
sleep labs, surgery centers, dialysis units, hospices, nursing homes and pharmacies (and the home
hospital's acronyms) ``HOSPITAL``; phones, faxes, pagers and extensions (an extension with its
cue, ``ext. 4417``) ``PHONE``; member, group and policy numbers ``INSURANCE``; e-mail addresses,
and, having no kind of their own in the benchmark, personal URLs and IP addresses ``EMAIL``; the
MRN and, having no kind of their own, every other identifying number (account, claim,
authorization, case, accession, certificate, badge, licence, NPI, DEA, tax ID, SSN, device and
lead serial numbers, ambulance unit and vehicle plate identifiers) ``MRN``; dates and ages over
89 ``DATE`` (a planted date is always at least eight characters long, since the benchmark only
looks for those, so ages over 89 are written ``93-year-old`` or ``93 years``; a timestamp's
clock time is written but not planted). State abbreviations, weekdays, clock times, device
manufacturers and models, commercial reference labs, ages under 90 and bare years are written
but not planted.

A planted value of a single word is a word this module writes nowhere else, not an everyday
English word, no surrogate token (the benchmark's ``NamePolicy``) and, when this module drew it
itself, no name the benchmark's generator could draw (no ``en_US`` Faker name); otherwise its cue
is part of the planted value (``Dr. Bell``, ``aunt Wanda``, ``Marion, OH``). A per-seed register
keeps a word planted by itself out of every other entity's value, and the other way round, so
that each value can only be found where it was planted.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from faker import Faker
from faker.providers.person.en_US import Provider as _UsPersonProvider

from coordinator.demo.identities import NAME_BLOCKLIST

STYLES_E = ("genetics_pedigree", "autopsy", "transfer_center", "work_status", "prior_auth", "oral_surgery",
            "ophthalmology", "sleep_study", "device_check", "dialysis", "hospice", "patient_portal")

NOTE_TYPES_E = {
    "genetics_pedigree": "Genetic counseling letter", "autopsy": "Autopsy report",
    "transfer_center": "Transfer center log", "work_status": "Work status / FMLA form",
    "prior_auth": "Prior authorization letter", "oral_surgery": "Oral surgery note",
    "ophthalmology": "Ophthalmology clinic note", "sleep_study": "Polysomnography report",
    "device_check": "Device interrogation report", "dialysis": "Dialysis monthly note",
    "hospice": "Hospice note", "patient_portal": "Patient questionnaire",
}

# ---- begin name and place lists (not template text) ----
#: Uncommon US surnames of many origins (those in Faker's en_US pool are dropped at run time).
RARE_SURNAMES = ("Okonkwo", "Przybylski", "Thibodeaux", "Nakagawa", "Boudreaux", "Wojciechowski", "Szczepanski",
                 "Vanderhoef", "Oyelaran", "Kowalczyk", "Dziedzic", "Haugland", "Lindqvist", "Quintanilla",
                 "Achterberg", "Ostrowski", "Mukherjee", "Raghunathan", "Iwasaki", "Nwachukwu", "Adeyemi",
                 "Okafor", "Hakimi", "Tesfaye", "Gebremedhin", "Zamudio", "Arceneaux", "Broussard", "Guidry",
                 "Fontenot", "Szymanski", "Wisniewski", "Zielinski", "Grabowski", "Jablonski", "Pawlowski",
                 "Kaczmarek", "Nieminen", "Halvorsen", "Gunderson", "Bjornstad", "Lindgren", "Engstrom",
                 "Vandermeer", "Hoekstra", "Dijkstra", "Brinkerhoff", "Schoonover", "Mastroianni", "Iannucci",
                 "Papadakis", "Economou", "Stavropoulos", "Nasrallah", "Khoury", "Boutros", "Yilmaz", "Ozturk",
                 "Huynh", "Quach", "Chaudhry", "Siddiqui", "Qureshi", "Bhattacharya", "Venkataraman",
                 "Subramanian", "Kamara", "Sesay", "Bangura", "Conteh", "Diallo", "Echeverria", "Urrutia",
                 "Goicoechea", "Etxeberria", "Cronkhite", "Pettibone", "Stoltzfus", "Hostetler", "Zimmerli",
                 "Abernethy", "Gallagher", "Kiernan", "Ruggiero", "Tomaszewski", "Laliberte", "Ouellette",
                 "Gagnon", "Thibault", "Cormier", "Bergeron", "Fujimoto", "Yamaguchi", "Kealoha", "Kahananui",
                 "Begay", "Tsosie", "Yazzie", "Oyama", "Sandoval", "Villarreal", "Montemayor", "Arredondo")

#: US towns and cities with their state (single-word ones are planted alone when free).
TOWNS = (("Kalamazoo", "MI"), ("Ypsilanti", "MI"), ("Chillicothe", "OH"), ("Tuscaloosa", "AL"), ("Opelousas", "LA"),
         ("Natchitoches", "LA"), ("Wapakoneta", "OH"), ("Oshkosh", "WI"), ("Sheboygan", "WI"), ("Waukesha", "WI"),
         ("Kenosha", "WI"), ("Muskegon", "MI"), ("Saginaw", "MI"), ("Paducah", "KY"), ("Owensboro", "KY"),
         ("Chattanooga", "TN"), ("Tullahoma", "TN"), ("Texarkana", "TX"), ("Nacogdoches", "TX"), ("Amarillo", "TX"),
         ("Lubbock", "TX"), ("Tucumcari", "NM"), ("Albuquerque", "NM"), ("Poughkeepsie", "NY"), ("Schenectady", "NY"),
         ("Cheektowaga", "NY"), ("Tonawanda", "NY"), ("Hackensack", "NJ"), ("Piscataway", "NJ"), ("Wilkes-Barre", "PA"),
         ("Altoona", "PA"), ("Scranton", "PA"), ("Punxsutawney", "PA"), ("Kankakee", "IL"), ("Peoria", "IL"),
         ("Kokomo", "IN"), ("Muncie", "IN"), ("Dubuque", "IA"), ("Ottumwa", "IA"), ("Council Bluffs", "IA"),
         ("Sioux Falls", "SD"), ("Grand Forks", "ND"), ("Bismarck", "ND"), ("Missoula", "MT"), ("Pocatello", "ID"),
         ("Walla Walla", "WA"), ("Yakima", "WA"), ("Puyallup", "WA"), ("Tacoma", "WA"), ("Medford", "OR"),
         ("Modesto", "CA"), ("Visalia", "CA"), ("Bakersfield", "CA"), ("Escondido", "CA"), ("Yuma", "AZ"),
         ("Pueblo", "CO"), ("Durango", "CO"), ("Laramie", "WY"), ("Ogden", "UT"), ("Provo", "UT"),
         ("Elko", "NV"), ("Wichita", "KS"), ("Topeka", "KS"), ("Salina", "KS"), ("Joplin", "MO"), ("Sedalia", "MO"),
         ("Hannibal", "MO"), ("Pine Bluff", "AR"), ("Hot Springs", "AR"), ("Tupelo", "MS"), ("Hattiesburg", "MS"),
         ("Biloxi", "MS"), ("Dothan", "AL"), ("Valdosta", "GA"), ("Macon", "GA"), ("Spartanburg", "SC"),
         ("Asheville", "NC"), ("Kannapolis", "NC"), ("Roanoke", "VA"), ("Lynchburg", "VA"),
         ("Morgantown", "WV"), ("Hagerstown", "MD"), ("Bangor", "ME"), ("Lewiston", "ME"), ("Rutland", "VT"),
         ("Nashua", "NH"), ("Pawtucket", "RI"), ("Waterbury", "CT"), ("Ocala", "FL"), ("Kissimmee", "FL"),
         ("Pensacola", "FL"), ("Okeechobee", "FL"), ("Broken Arrow", "OK"), ("Muskogee", "OK"), ("Terre Haute", "IN"),
         ("Fond du Lac", "WI"), ("Eau Claire", "WI"), ("Baton Rouge", "LA"), ("Lake Charles", "LA"),
         ("Bowling Green", "KY"), ("Elizabethtown", "KY"), ("Cape Girardeau", "MO"), ("Traverse City", "MI"),
         ("Battle Creek", "MI"), ("Kalispell", "MT"), ("Scottsbluff", "NE"), ("Kearney", "NE"), ("Grand Island", "NE"),
         ("La Crosse", "WI"), ("Mankato", "MN"), ("Duluth", "MN"), ("Bemidji", "MN"), ("Hibbing", "MN"),
         ("Ashtabula", "OH"), ("Sandusky", "OH"), ("Zanesville", "OH"), ("Steubenville", "OH"), ("Marion", "OH"))

#: Made-up bases for the home hospital system (two words, so acronyms have four letters).
SYSTEM_BASES = ("Aldermoor Valley", "Quenby Lakes", "Corwith Prairie", "Tillinghast Ridge", "Harrowgate Plains",
                "Sallowmere Bay", "Breckton Hills", "Ravensdale Heights", "Oxlade Falls", "Pennock River",
                "Wyndmoor Park", "Castlebury Bluffs")

#: Saints of parishes and hospitals.
SAINTS = ("Casimir", "Hedwig", "Stanislaus", "Boniface", "Wenceslaus", "Scholastica", "Hyacinth", "Adalbert",
          "Florian", "Rita", "Jude", "Vincent", "Elizabeth", "Luke", "Raphael", "Bernadette", "Francis", "Monica",
          "Cecilia", "Ambrose", "Agnes", "Anthony", "Dominic", "Gabriel")

#: Nicknames people go by (those that are everyday words or names are planted with their cue).
NICKNAMES = ("Bitsy", "Pookie", "Skeeter", "Chooch", "Tootsie", "Lolo", "Kiki", "Gigi", "Mimi", "Bucky", "Ziggy",
             "Sully", "Smitty", "Butchie", "Stosh", "Dodie", "Kippy", "Muffy", "Bubba", "Nonnie", "Bibi", "Tippy",
             "Fitzy", "Sal", "Bootsie", "Deedee", "Jojo", "Lulu", "Pipsy", "Didi")

#: Street suffixes as written on forms.
STREET_SFX = ("St", "St.", "Ave", "Ave.", "Rd", "Road", "Street", "Dr", "Drive", "Ln", "Blvd", "Ct", "Pkwy", "Way")
# ---- end name and place lists ----

_OWN_TEXT = Path(__file__).read_text(encoding="utf-8")
_TEMPLATE_TEXT = re.sub(r"# ---- begin name and place lists.*?# ---- end name and place lists ----", " ",
                        _OWN_TEXT, flags=re.DOTALL)


def _english_words() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover
        return frozenset()
    return frozenset(STOP_WORDS)


def _faker_names() -> frozenset[str]:
    """Every en_US Faker first and last name (what the benchmark's generator draws from)."""
    pools = (_UsPersonProvider.first_names, _UsPersonProvider.first_names_female, _UsPersonProvider.first_names_male,
             _UsPersonProvider.first_names_nonbinary, _UsPersonProvider.last_names)
    return frozenset(n.lower() for pool in pools for n in pool)


#: Words this module writes outside its name and place lists; a planted single word is none of these.
TEMPLATE_WORDS = frozenset(re.findall(r"[^\W\d_]+", _TEMPLATE_TEXT.lower()))
COMMON_WORDS = _english_words() | NAME_BLOCKLIST
FAKER_NAMES = _faker_names()


def _toks(value: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", value.lower())


def _single_word(value: str) -> bool:
    return bool(re.fullmatch(r"[^\W\d_]+", value))


def _digits(r: random.Random, k: int) -> str:
    return "".join(str(r.randrange(10)) for _ in range(k))


def _letters(r: random.Random, k: int) -> str:
    return "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(k))


@dataclass(frozen=True)
class Who:
    """A named person: ``key`` is the entity the register files the name under."""

    given: str
    family: str
    key: tuple

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


def _who(person) -> Who:
    """A patient, relative or staff member of the benchmark's generator as a :class:`Who`."""
    return Who(person.given, person.family, ("id", person.given, person.family))


# dates: every form is at least eight characters long (``3/4/21`` falls back to ``03/04/21``)
DATE_FORMS = ("mdY0", "mdY", "mdy0", "iso", "dbY", "DBY", "BdY", "bdY", "mdY-", "mdY0-", "mdy")
STAMP_FORMS = ("iso", "us12", "mil", "at", "us12b")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def date_text(d: date, form: str) -> str:
    """``d`` in one of :data:`DATE_FORMS` (at least eight characters)."""
    b = MONTHS[d.month - 1][:3]
    s = {"mdY0": f"{d:%m/%d/%Y}", "mdY": f"{d.month}/{d.day}/{d.year}", "mdy0": f"{d:%m/%d/%y}",
         "iso": d.isoformat(), "dbY": f"{d.day}-{b}-{d.year}", "DBY": f"{d.day:02d}-{b.upper()}-{d.year}",
         "BdY": f"{MONTHS[d.month - 1]} {d.day}, {d.year}", "bdY": f"{b} {d.day}, {d.year}",
         "mdY-": f"{d.month}-{d.day}-{d.year}", "mdY0-": f"{d:%m-%d-%Y}", "mdy": f"{d.month}/{d.day}/{d:%y}",
         "ymd": f"{d:%Y%m%d}", "dBY": f"{d.day} {MONTHS[d.month - 1]} {d.year}"}[form]
    return s if len(s) >= 8 else f"{d:%m/%d/%y}"


def stamp_parts(d: date, h: int, m: int, form: str) -> tuple[str, str, str]:
    """``(before, date, after)`` of a timestamp: only the date part is planted."""
    h12, ap = (h % 12 or 12), ("AM" if h < 12 else "PM")
    if form == "iso":
        return "", d.isoformat(), f" {h:02d}:{m:02d}"
    if form == "us12":
        return "", f"{d:%m/%d/%y}", f" {h12}:{m:02d} {ap}"
    if form == "mil":
        return "", date_text(d, "dbY"), f" {h:02d}{m:02d}"
    if form == "at":
        return "", f"{d:%m/%d/%Y}", f" @ {h:02d}{m:02d}"
    return "", date_text(d, "mdY"), f" {h12}:{m:02d}{ap.lower()}"


def old_age(age: int, r: random.Random) -> str:
    """An age over 89 as written (eight characters or more)."""
    return r.choice([f"{age}-year-old", f"{age} year old", f"{age} years old", f"{age}-yr-old", f"{age} years",
                     f"{age} yrs old"])


class Ctx:
    """Seeded sources of people, places, numbers and the fictional home hospital system.

    Parameters
    ----------
    seed:
        Seed of this module's Faker instance and of the hospital system.
    policy:
        The benchmark's :class:`~coordinator.demo.identities.NamePolicy`; no token of a planted
        value is one of its surrogate tokens, and no name drawn here is one its generator has
        already handed out.
    """

    def __init__(self, seed: int, policy) -> None:
        self.policy = policy
        self.us = Faker("en_US")
        self.us.seed_instance(seed * 1000 + 505)
        self.rng = random.Random(seed)
        self.people: set[tuple[str, str]] = set()
        self.nicks: dict[tuple, str | None] = {}
        self.seen: dict[str, set] = {}   # token -> entities whose planted (or drawn) values hold it
        self.bare: dict[str, tuple] = {}  # word planted by itself -> its entity
        self.rare = [s for s in RARE_SURNAMES if re.fullmatch(r"[A-Z][a-z]+", s) and self.own_word_ok(s)]
        self._build_home(random.Random(seed * 7919 + 29))

    # ---- the register ----------------------------------------------------------------------------
    def free(self, value: str) -> bool:
        """No token of ``value`` is a surrogate token."""
        return not any(t in self.policy.surrogates for t in _toks(value))

    def word_ok(self, word: str) -> bool:
        """``word`` is no template word, common word or surrogate token."""
        low = word.lower()
        return (len(low) >= 4 and low not in TEMPLATE_WORDS and low not in COMMON_WORDS
                and low not in self.policy.surrogates)

    def own_word_ok(self, word: str) -> bool:
        """:meth:`word_ok`, and no name the benchmark's generator could draw or has drawn."""
        low = word.lower()
        return self.word_ok(word) and low not in FAKER_NAMES and low not in self.policy.used

    def clash(self, value: str, allowed: set) -> bool:
        """A token of ``value`` is a word planted by itself for another entity."""
        return any(self.bare.get(t, next(iter(allowed))) not in allowed for t in _toks(value))

    def claim(self, value: str, key: tuple) -> None:
        for t in _toks(value):
            self.seen.setdefault(t, set()).add(key)

    def take_bare(self, word: str, key: tuple, also: Sequence[tuple] = ()) -> bool:
        """May ``word`` be planted by itself for entity ``key`` (``also``: the same entity)? Reserves it.

        Never for a name of the benchmark's generator (a patient's, relative's or staff member's):
        its Faker may write the same name into a later patient's street or town.
        """
        low = word.lower()
        same = {key, *also}
        if not self.own_word_ok(word) or not self.seen.get(low, {key}) <= same or self.bare.get(low, key) not in same:
            return False
        self.bare[low] = key
        self.claim(word, key)
        return True

    def fresh(self, make: Callable[[], str], tries: int = 200) -> str:
        """A value from ``make()`` with no surrogate token and no other entity's lone word in it."""
        for _ in range(tries):
            value = make()
            key = ("v", value.lower())
            if "\n" not in value and self.free(value) and not self.clash(value, {key}):
                self.claim(value, key)
                return value
        raise RuntimeError("no free value")

    # ---- people ----------------------------------------------------------------------------------
    def person(self, sex: str | None = None, rare: bool = False, family: str | None = None,
               kin: tuple | None = None) -> Who:
        """Someone outside the benchmark's generator.

        Parameters
        ----------
        sex:
            ``"f"``, ``"m"`` or ``None``.
        rare:
            Family name from :data:`RARE_SURNAMES` (may be planted by itself).
        family:
            This family name (a relative in a pedigree).
        kin:
            Entity of a family name planted by itself that this person may carry.
        """
        us = self.us
        for _ in range(400):
            given = {"f": us.first_name_female, "m": us.first_name_male}.get(sex or "", us.first_name)()
            fam = family or (self.rng.choice(self.rare) if rare and self.rare else us.last_name())
            if not re.fullmatch(r"[A-Z][a-z]{2,}", given) or not re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?", fam):
                continue
            if (given, fam) in self.people or given.lower() in self.policy.used or not self.free(f"{given} {fam}"):
                continue
            if family is None and fam.lower() in self.policy.used:
                continue
            key = ("p", given, fam)
            if self.clash(f"{given} {fam}", {key, kin} if kin else {key}):
                continue
            self.people.add((given, fam))
            self.claim(f"{given} {fam}", key)
            return Who(given, fam, key)
        raise RuntimeError("no free name")

    def surname(self) -> str:
        return self.person().family

    def nickname(self, key: tuple) -> str | None:
        """The nickname of the patient ``key`` (one no one else in this export goes by), or ``None``."""
        if key not in self.nicks:
            free = [n for n in NICKNAMES if self.free(n) and self.seen.get(n.lower(), {key}) <= {key}]
            self.nicks[key] = self.rng.choice(free) if free else None
            if self.nicks[key]:
                self.claim(self.nicks[key], key)
        return self.nicks[key]

    # ---- places ----------------------------------------------------------------------------------
    def town(self) -> tuple[str, str, tuple]:
        """``(town, state, key)`` from :data:`TOWNS`."""
        for _ in range(300):
            name, state = self.rng.choice(TOWNS)
            key = ("town", name)
            if self.free(name) and not self.clash(name, {key}):
                self.claim(name, key)
                return name, state, key
        raise RuntimeError("no free town")

    def town_name(self) -> str:
        return self.town()[0]

    def street(self, suite: bool = False) -> str:
        """A street line: ``4417 Hollis Rd``, ``88 Pleasant Ave Apt 2``, ``210 Main St Ste 300``."""
        r = self.rng

        def make() -> str:
            base = self.us.last_name() if r.random() < 0.5 else self.us.street_name().split()[0]
            line = f"{r.randrange(2, 9800)} {base} {r.choice(STREET_SFX)}"
            if suite:
                return line + r.choice([f", Suite {r.randrange(100, 700)}", f" Ste {r.randrange(1, 40)}0", f", Bldg {r.choice('ABC')}", ""])
            return line + r.choice(["", "", "", f" Apt {r.randrange(1, 30)}", f" #{r.randrange(1, 12)}"])

        return self.fresh(make)

    def zipcode(self, state: str | None = None) -> str:
        return self.us.zipcode_in_state(state) if state else self.us.zipcode()

    def po_box(self) -> str:
        return f"P.O. Box {self.rng.randrange(1000, 99999)}"

    def _pick(self, forms: Sequence[Callable[[], str]]) -> str:
        return self.fresh(lambda: self.rng.choice(forms)())

    def outside_hospital(self) -> str:
        r = self.rng
        return self._pick([lambda: f"{self.town_name()} Regional Medical Center", lambda: f"{self.town_name()} Memorial Hospital",
                           lambda: f"St. {r.choice(SAINTS)} Hospital", lambda: f"{self.surname()} County Hospital",
                           lambda: f"{self.town_name()} Community Hospital", lambda: f"{self.town_name()} VA Medical Center",
                           lambda: f"{self.surname()} Memorial Hospital", lambda: f"{self.town_name()} General Hospital"])

    def practice(self, kind: str = "family") -> str:
        forms = {
            "family": [lambda: f"{self.town_name()} Family Medicine", lambda: f"{self.surname()} Internal Medicine",
                       lambda: f"{self.town_name()} Primary Care", lambda: f"{self.surname()} & {self.surname()} Family Practice"],
            "dental": [lambda: f"{self.town_name()} Family Dentistry", lambda: f"{self.surname()} Dental Group",
                       lambda: f"{self.surname()} Family Dental", lambda: f"Smile Care of {self.town_name()}"],
            "eye": [lambda: f"{self.town_name()} Vision Center", lambda: f"{self.surname()} Eye Care",
                    lambda: f"{self.surname()} Optometry", lambda: f"{self.town_name()} Eye Associates"],
            "nephro": [lambda: f"{self.town_name()} Nephrology Associates", lambda: f"{self.surname()} Kidney Care"],
            "cardio": [lambda: f"{self.town_name()} Heart and Vascular", lambda: f"{self.surname()} Cardiology Associates"],
        }[kind]
        return self._pick(forms)

    def employer(self) -> str:
        return self._pick([lambda: f"{self.surname()} Trucking", lambda: f"{self.town_name()} School District",
                           lambda: f"{self.surname()} Foods", lambda: f"{self.surname()} Logistics",
                           lambda: f"{self.surname()} Hardware", lambda: f"City of {self.town_name()}",
                           lambda: f"{self.town_name()} Public Library", lambda: f"{self.surname()} Manufacturing",
                           lambda: self.us.company()])

    def funeral_home(self) -> str:
        return self._pick([lambda: f"{self.surname()} Funeral Home", lambda: f"{self.surname()}-{self.surname()} Funeral Chapel",
                           lambda: f"{self.surname()} & Sons Funeral Home", lambda: f"{self.town_name()} Memorial Chapel",
                           lambda: f"{self.surname()} Mortuary"])

    def church(self) -> str:
        r = self.rng
        return self._pick([lambda: f"St. {r.choice(SAINTS)} Parish", lambda: f"{self.town_name()} First Baptist Church",
                           lambda: f"{self.surname()} Memorial AME Church", lambda: f"Grace Lutheran Church of {self.town_name()}",
                           lambda: f"{self.town_name()} Kingdom Hall", lambda: f"Islamic Center of {self.town_name()}",
                           lambda: f"Temple Beth El of {self.town_name()}", lambda: f"{self.town_name()} United Methodist Church"])

    def ambulance(self) -> str:
        return self._pick([lambda: f"{self.surname()} Ambulance", lambda: f"{self.town_name()} EMS",
                           lambda: f"{self.town_name()} Fire Rescue", lambda: f"{self.surname()} Medical Transport"])

    def supplier(self) -> str:
        return self._pick([lambda: f"{self.surname()} Medical Supply", lambda: f"{self.town_name()} Home Medical",
                           lambda: f"{self.surname()} Respiratory Services"])

    def pharmacy(self) -> str:
        r = self.rng
        return self._pick([lambda: f"{self.surname()} Pharmacy", lambda: f"{self.surname()} Drug",
                           lambda: f"{self.town_name()} Apothecary", lambda: f"Walgreens #{r.randrange(1000, 19999)}",
                           lambda: f"CVS #{r.randrange(1000, 9999)}", lambda: f"{self.town_name()} Family Pharmacy"])

    def nursing_home(self) -> str:
        return self._pick([lambda: f"{self.surname()} Manor", lambda: f"{self.town_name()} Health and Rehabilitation",
                           lambda: f"{self.surname()} Care Center", lambda: f"{self.town_name()} Good Samaritan Society"])

    # ---- the home hospital system ------------------------------------------------------------------
    def _build_home(self, r: random.Random) -> None:
        bases = [b for b in SYSTEM_BASES if self.free(b) and self.own_word_ok(b.split()[0])]
        b1, b2 = r.sample(bases, 2)

        def acr(base: str, tail: str) -> str:
            return "".join(w[0] for w in base.split()) + tail

        self.main, self.main_acr, self.main_short = f"{b1} University Hospital", acr(b1, "UH"), b1.split()[0]
        self.sister, self.sister_acr, self.sister_short = f"{b2} Community Hospital", acr(b2, "CH"), b2.split()[0]
        self.home_key, self.sister_key = ("home",), ("sister",)
        for v in (self.main, self.main_acr, self.main_short):
            self.claim(v, self.home_key)
        for v in (self.sister, self.sister_acr, self.sister_short):
            self.claim(v, self.sister_key)
        for word, key in ((self.main_short, self.home_key), (self.sister_short, self.sister_key),
                          (self.main_acr, self.home_key), (self.sister_acr, self.sister_key)):
            self.bare[word.lower()] = key
        self.domain = f"{self.main_short.lower()}health.org"
        self.home_street = self.street(suite=True)
        self.home_town, self.home_state, self.home_town_key = self.town()
        self.home_zip = self.zipcode(self.home_state)
        self.home_phone, self.home_fax = self.phone(), self.phone()

    def system(self) -> tuple[str, tuple]:
        """The system's community hospital as a document names it, with its entity."""
        return self.rng.choice([self.sister, self.sister, self.sister_acr, f"{self.sister_short} Community"]), self.sister_key

    def home(self) -> str:
        """The home hospital as a document names it."""
        return self.rng.choice([self.main, self.main, self.main_acr, self.main_short, f"{self.main_short} Health",
                                f"{self.main_acr} Medical Center"])

    # ---- numbers ---------------------------------------------------------------------------------
    def phone(self) -> str:
        """A fictional US number (555 exchange, never the 555-01xx the patients file uses)."""
        r = self.rng
        a = r.choice(["269", "734", "740", "205", "337", "419", "920", "262", "231", "989", "270", "423", "931",
                      "903", "806", "575", "505", "845", "518", "716", "201", "732", "570", "814", "815", "309",
                      "765", "563", "641", "712", "605", "701", "406", "208", "509", "253", "541", "209", "559",
                      "661", "760", "928", "719", "970", "307", "801", "775", "316", "785", "417", "660", "870",
                      "662", "601", "228", "334", "229", "478", "864", "828", "704", "540", "434", "304", "301",
                      "207", "802", "603", "401", "203", "352", "407", "850", "863", "918", "812", "920", "715"])
        x = f"{r.randrange(2, 10)}{_digits(r, 3)}"
        return r.choice([f"({a}) 555-{x}", f"{a}-555-{x}", f"{a}.555.{x}", f"{a} 555 {x}", f"({a})555-{x}",
                         f"1-{a}-555-{x}", f"+1 {a} 555 {x}"])

    def ext(self) -> str:
        """An extension with its cue (four digits alone read as times)."""
        r = self.rng
        n = f"{r.randrange(2, 10)}{_digits(r, r.choice([2, 3, 3, 4]))}"
        return r.choice([f"ext. {n}", f"ext {n}", f"x{n}", f"x {n}", f"EXT {n}"])

    def pager(self) -> str:
        r = self.rng
        return r.choice([f"pgr {r.randrange(2, 9)}{_digits(r, 4)}", f"pager #{r.randrange(2, 9)}-{_digits(r, 4)}",
                         f"beeper {r.randrange(2, 9)}{_digits(r, 4)}"])

    def npi(self) -> str:
        return f"1{_digits(self.rng, 9)}"

    def dea(self, family: str) -> str:
        return f"{self.rng.choice('ABFM')}{family[0].upper()}{_digits(self.rng, 7)}"

    def licence(self, state: str) -> str:
        r = self.rng
        return r.choice([f"{state} {_digits(r, 7)}", f"MD.{_digits(r, 6)}", f"{r.randrange(20, 40)}MA{_digits(r, 8)}",
                         f"{state}-{r.choice('ABCDG')}{_digits(r, 5)}", f"{_digits(r, 2)}-{_digits(r, 6)}"])

    def tax_id(self) -> str:
        return f"{_digits(self.rng, 2)}-{_digits(self.rng, 7)}"

    def ip(self) -> str:
        r = self.rng
        return f"{r.choice([24, 47, 50, 67, 68, 71, 73, 76, 98, 99, 108, 173, 174])}.{r.randrange(1, 255)}.{r.randrange(0, 255)}.{r.randrange(1, 255)}"

    def mail(self, given: str, family: str) -> str:
        r = self.rng
        user = r.choice([f"{given}.{family}", f"{given[0]}{family}", f"{given}{family[0]}{r.randrange(1, 99)}",
                         f"{family}.{given[0]}", f"{given}_{family}{r.randrange(60, 99)}"]).lower()
        return f"{user}@{self.us.free_email_domain()}"


class W:
    """A document being written: the benchmark's ``Note`` plus all-caps, date forms and name cues."""

    def __init__(self, note, c: Ctx, caps: bool, r: random.Random) -> None:
        self.note, self.c, self.caps = note, c, caps
        self.df = r.choice(DATE_FORMS)
        self.sf = r.choice(STAMP_FORMS)

    def _case(self, s: str) -> str:
        return s.upper() if self.caps else s

    def t(self, *texts: str) -> W:
        self.note.t(*(self._case(x) for x in texts))
        return self

    def p(self, value: str, kind: str, key: tuple | None = None) -> W:
        self.c.claim(value, key or ("v", value.lower()))
        self.note.p(self._case(value), kind)
        return self

    def nm(self, cue: str, value: str, kind: str, after: str = "", key: tuple | None = None,
           also: Sequence[tuple] = ()) -> W:
        """Write ``cue + value + after``; a single word not free by itself is planted with its cue."""
        key = key or ("v", value.lower())
        if not _single_word(value) or self.c.take_bare(value, key, also):
            return self.t(cue).p(value, kind, key).t(after)
        lead, trail = cue[:len(cue) - len(cue.lstrip())], after[len(after.rstrip()):]
        assert (cue + after).strip(), "a single word needs a cue"
        return self.t(lead).p((cue + value + after).strip(), kind, key).t(trail)

    def date(self, d: date, form: str | None = None) -> W:
        return self.p(date_text(d, form or self.df), "DATE")

    def stamp(self, d: date, h: int, m: int, form: str | None = None) -> W:
        before, day, after = stamp_parts(d, h, m, form or self.sf)
        return self.t(before).p(day, "DATE").t(after)

    def town(self, town: tuple[str, str, tuple], kind: str = "LOCATION", state: bool = True) -> W:
        """A town, with its state: ``Kalamazoo, MI`` (the state is planted with a town not free by itself)."""
        name, st, key = town
        return self.nm("", name, kind, f", {st}", key) if state else self.nm("in ", name, kind, "", key)

    def town_zip(self, town: tuple[str, str, tuple]) -> W:
        """``Kalamazoo, MI 49007``: the town, its state and a ZIP code of that state."""
        return self.town(town).t(" ").p(self.c.zipcode(town[1]), "ADDRESS")

    def who(self, person: Who, kind: str, form: str, cred: str = "") -> W:
        """A person in one of the forms documents use; ``cred`` (``MD``, ``RN``) is written after."""
        r, g, f, key = self.c.rng, person.given, person.family, person.key
        tail = f", {cred}" if cred else ""
        if form == "dr":
            title = r.choice(["Dr. ", "Dr. ", "Dr ", "DR. "])
            return self.p(title + (f.upper() if title == "DR. " else f), kind, key)
        if form == "drfull":
            return self.p(f"Dr. {g} {f}", kind, key).t(tail)
        if form == "init":
            return self.p(f"{g[0]}. {f}", kind, key).t(tail)
        if form == "rev":
            return self.p(f"{f}, {g}", kind, key).t(tail)
        if form == "family":
            if self.c.take_bare(f, key):
                return self.p(f, kind, key).t(tail)
            return self.p(f"{g} {f}", kind, key).t(tail)
        if form == "given":
            if self.c.take_bare(g, key):
                return self.p(g, kind, key).t(tail)
            return self.p(f"{g} {f}", kind, key).t(tail)
        return self.p(f"{g} {f}", kind, key).t(tail)


# ---------------------------------------------------------------------------------------------------
# shared pieces


def _staff(staff, role: str):
    return [s for s in staff if s.role == role] or list(staff)


def _pat(ident) -> Who:
    return Who(ident.given, ident.family, ("id", ident.given, ident.family))


def _mr(ident) -> str:
    return "Ms." if ident.sex == "female" else "Mr."


def _pron(ident) -> tuple[str, str, str]:
    return ("she", "her", "her") if ident.sex == "female" else ("he", "him", "his")


def _patient_line(w: W, ident, r: random.Random, sep: str = "  ") -> W:
    """``Patient: Family, Given  DOB: ...  MRN: ...`` in one of several layouts."""
    pt = _pat(ident)
    k = r.randrange(3)
    if k == 0:
        w.t("Patient: ").who(pt, "PATIENT", "rev")
    elif k == 1:
        w.t("PATIENT NAME: ").p(f"{ident.family.upper()}, {ident.given.upper()}", "PATIENT", pt.key)
    else:
        w.t("Name: ").who(pt, "PATIENT", "full")
    w.t(f"{sep}DOB: ").date(ident.birth_date).t(f"{sep}MRN: ").p(ident.mrn, "MRN", pt.key)
    return w


def _relative(w: W, r: random.Random, rel, full: bool | None = None) -> W:
    """A relative of the generator: ``husband Kevin``, ``daughter Ann Smith``."""
    word = {"daughter": r.choice(["daughter", "dtr"]), "husband": "husband", "wife": "wife", "son": "son",
            "mother": r.choice(["mother", "mom"]), "father": r.choice(["father", "dad"])}.get(rel.role, rel.role)
    key = ("id", rel.given, rel.family)
    if full if full is not None else r.random() < 0.45:
        return w.t(f"{word} ").p(rel.full, "RELATIVE", key)
    return w.nm(f"{word} ", rel.given, "RELATIVE", key=key)


def _sig(w: W, r: random.Random, person: Who, cred: str, title: str = "") -> W:
    """A signature block."""
    w.t(r.choice(["\n\n", "\n\n_______________________\n", "\n\nElectronically signed by: ", "\n\n/s/ "]))
    w.who(person, "PROVIDER", r.choice(["full", "full", "drfull", "init"]) if cred in ("MD", "DO") else
          r.choice(["full", "init"]), cred)
    return w.t(f"\n{title}\n" if title else "\n")


def _clock(r: random.Random, lo: int = 0, hi: int = 24) -> tuple[int, int]:
    return r.randrange(lo, hi), r.choice([0, 5, 10, 15, 20, 30, 40, 45, r.randrange(60)])


# ---------------------------------------------------------------------------------------------------
# the styles

CANCER_HX = [("breast cancer", "BRCA1/2 and a multigene hereditary cancer panel"),
             ("ovarian cancer", "a 47-gene hereditary cancer panel"),
             ("colon cancer", "Lynch syndrome genes (MLH1, MSH2, MSH6, PMS2, EPCAM)"),
             ("pancreatic cancer", "a pancreatic cancer panel including ATM, PALB2 and CDKN2A"),
             ("hypertrophic cardiomyopathy", "a cardiomyopathy panel (MYH7, MYBPC3 and others)"),
             ("early-onset prostate cancer", "BRCA2, HOXB13 and a prostate panel")]
CAUSES = ["MI", "stroke", "CHF", "COPD", "pneumonia", "colon cancer", "breast cancer", "lung cancer (smoker)",
          "\"old age\"", "dementia", "diabetes complications", "car accident", "pancreatic cancer", "kidney failure",
          "leukemia", "unknown cause"]
DX_AGE = ["breast cancer at {a}", "ovarian cancer at {a}", "colon polyps at {a}", "prostate cancer at {a}",
          "melanoma at {a}", "no cancer", "no cancer", "no known health problems", "hypertension", "type 2 diabetes",
          "endometrial cancer at {a}", "thyroid cancer at {a}"]
LABS = ["Invitae", "Ambry Genetics", "GeneDx", "Myriad Genetics", "Color"]


def _rel_line(r: random.Random) -> str:
    return r.choice(DX_AGE).format(a=r.randrange(34, 72))




def _title_family(w: W, ident) -> W:
    """``Ms. Family`` (the title is part of the value)."""
    return w.p(f"{_mr(ident)} {ident.family}", "PATIENT", _pat(ident).key)


def genetics_pedigree(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = _pat(ident)
    gc = c.person(sex="f")
    md = _who(r.choice(_staff(staff, "attending")))
    ref = c.person(rare=r.random() < 0.3)
    age = ident.stated_age
    she, _, her = _pron(ident)
    dx, test = r.choice(CANCER_HX)
    unused = [x for x in c.rare if x.lower() not in c.seen]  # a family name no one else in this export has
    maiden = r.choice(unused) if unused and r.random() < 0.6 else c.surname()
    fam_key = ("fam", maiden, ident.mrn)
    # letterhead, address block, RE line
    w.p(c.main, "HOSPITAL", c.home_key).t("\nDivision of Medical Genetics\n").p(c.home_street, "ADDRESS").t(", ")
    w.town((c.home_town, c.home_state, c.home_town_key)).t(" ").p(c.home_zip, "ADDRESS")
    w.t("\nPhone ").p(c.home_phone, "PHONE").t(" | Fax ").p(c.home_fax, "PHONE").t("\n\n").date(when).t("\n\n")
    w.who(ref, "PROVIDER", "drfull").t(", MD\n").p(c.practice(), "HOSPITAL").t("\n").p(c.street(suite=True), "ADDRESS").t("\n")
    w.town_zip(c.town()).t("\n\n")
    w.t("RE: ").who(pt, "PATIENT", "full").t("   DOB: ").date(ident.birth_date).t("   MRN: ").p(ident.mrn, "MRN", pt.key)
    w.t("\n\nDear ").who(ref, "PROVIDER", "dr").t(",\n\nThank you for referring your patient, ")
    _title_family(w, ident).t(f", {'an' if str(age)[0] == '8' else 'a'} {age}-year-old {'woman' if ident.sex == 'female' else 'man'}, whom I saw for genetic counseling on ")
    w.date(when - timedelta(days=r.randrange(7, 30))).t(f" because of a family history of {dx}. ")
    if ident.relatives:
        w.t(f"{she.capitalize()} was accompanied by {her} ")
        _relative(w, r, ident.relatives[0]).t(". ")
    w.t("A three-generation pedigree was obtained and is summarized below.\n\n")
    # the relatives of the pedigree (the maternal side carries the mother's maiden name); each
    # relative's age, history and town are drawn once for the prose and the table
    sib_role = r.choice(["sister", "brother"])
    mother = c.person(sex="f", family=ident.family if r.random() < 0.7 else c.surname())
    father = c.person(sex="m", family=ident.family)
    mgm = c.person(sex="f", family=maiden, kin=fam_key)
    mgf = c.person(sex="m", family=maiden, kin=fam_key)
    pgm = c.person(sex="f", family=ident.family)
    pgf = c.person(sex="m", family=ident.family)
    aunt = c.person(sex="f", family=maiden if r.random() < 0.4 else c.surname(), kin=fam_key)
    uncle = c.person(sex="m", family=ident.family)
    sib = c.person(sex="f" if sib_role == "sister" else "m", family=ident.family if sib_role == "brother" else c.surname())
    same_family = tuple(p.key for p in (mgm, mgf, aunt) if p.family == maiden)
    mother_dead = age >= 65
    father_dead = mother_dead or r.random() < 0.5
    mage = r.randrange(62, 99) if mother_dead else age + r.randrange(20, 34)
    f_age = r.randrange(55, 97) if father_dead else age + r.randrange(22, 36)
    facts = {"mgf": (r.randrange(55, 89), r.choice(CAUSES)), "mgm": (r.randrange(84, 100), r.choice(CAUSES)),
             "pgf": (r.randrange(50, 89), r.choice(CAUSES)), "pgm": (r.randrange(60, 89), r.choice(CAUSES)),
             "father": (f_age, r.choice(CAUSES) if father_dead else _rel_line(r)),
             "mother": (mage, r.choice(CAUSES) if mother_dead else _rel_line(r)),
             "aunt": (r.randrange(40, 80), _rel_line(r)), "uncle": (None, _rel_line(r)),
             "sib": (max(18, min(89, age + r.randrange(-8, 9))), _rel_line(r))}
    mtown, stown, atown = c.town(), c.town(), c.town()

    def age_of(n: int, dead: bool = False) -> W:
        """An age in the prose; over 89 it is planted."""
        return w.p(f"{n} years" if dead else old_age(n, r), "DATE") if n >= 90 else w.t(str(n))

    # prose
    w.t(f"MATERNAL: {her.capitalize()} mother, ").p(mother.full, "RELATIVE", mother.key).t(" (")
    w.nm("née ", maiden, "RELATIVE", "", fam_key, also=same_family).t(")")
    if mother_dead:
        w.t(", died at ")
        age_of(mage, dead=True).t(f" of {facts['mother'][1]} in ").town(mtown).t(". ")
    else:
        w.t(", is ")
        age_of(mage).t(" and lives in ").town(mtown).t(f"; her history: {facts['mother'][1]}. ")
    if r.random() < 0.5:
        w.t("The patient reports that the ").nm("", maiden, "RELATIVE", " side", fam_key, also=same_family)
        w.t(" of the family \"all had heart trouble\". ")
    w.t("The maternal grandmother, ").p(mgm.full, "RELATIVE", mgm.key).t(", died at ")
    age_of(facts["mgm"][0], dead=True).t(f" of {facts['mgm'][1]} in {when.year - r.randrange(2, 30)}. The maternal grandfather, ")
    w.p(mgf.full, "RELATIVE", mgf.key).t(f", died at {facts['mgf'][0]} of {facts['mgf'][1]}. ")
    w.t("A maternal ").nm("aunt ", aunt.given, "RELATIVE", key=aunt.key)
    w.t(f", {facts['aunt'][0]}, lives in ").town(atown).t(f" (history: {facts['aunt'][1]}).\n")
    w.t(f"PATERNAL: {her.capitalize()} father, ").p(father.full, "RELATIVE", father.key)
    if father_dead:
        w.t(", died on ").date(when - timedelta(days=r.randrange(400, 9000))).t(" at ")
        age_of(f_age, dead=True).t(f" of {facts['father'][1]}. ")
    else:
        w.t(", is ")
        age_of(f_age).t(f"; history: {facts['father'][1]}. ")
    w.t("Paternal grandparents ").p(pgf.full, "RELATIVE", pgf.key).t(" and ").p(pgm.full, "RELATIVE", pgm.key)
    w.t(f" died at {facts['pgf'][0]} ({facts['pgf'][1]}) and {facts['pgm'][0]} ({facts['pgm'][1]}). Paternal ")
    w.nm("uncle ", uncle.given, "RELATIVE", key=uncle.key).t(f": {facts['uncle'][1]}.\n")
    w.t(f"SIBLINGS/CHILDREN: one {sib_role}, ").p(sib.full, "RELATIVE", sib.key).t(f", {facts['sib'][0]}, of ").town(stown)
    w.t(f"; history: {facts['sib'][1]}.")
    child = next((x for x in ident.relatives if x.role in ("daughter", "son")), None)
    if child:
        w.t(f" {her.capitalize()} {child.role} ").p(child.full, "RELATIVE", ("id", child.given, child.family)).t(" is healthy.")
    w.t(" Ancestry: ", r.choice(["Polish and Irish", "Ashkenazi Jewish on the maternal side", "German/English",
                                 "Mexican", "Cajun French", "Nigerian (Igbo)", "Norwegian and Swedish",
                                 "unknown (father adopted)"]), ".\n\n")
    # the same pedigree as a list or table
    rows = [("I-1", "MGF", mgf, "mgf", True, None), ("I-2", "MGM", mgm, "mgm", True, None),
            ("I-3", "PGF", pgf, "pgf", True, None), ("I-4", "PGM", pgm, "pgm", True, None),
            ("II-1", "Father", father, "father", father_dead, None), ("II-2", "Mother", mother, "mother", mother_dead, mtown),
            ("II-3", "Mat. aunt", aunt, "aunt", False, atown), ("III-1", "Proband", None, None, False, None),
            ("III-2", sib_role.capitalize(), sib, "sib", False, stown)]
    layout = r.choice(["pipe", "tab", "roman"])
    w.t({"pipe": "| Gen | Relation | Name | Age / age at death | Health history | Lives in |\n|---|---|---|---|---|---|\n",
         "tab": "PEDIGREE\nRelation\tName\tAge\tHistory\tLives in\n",
         "roman": "PEDIGREE (proband = III-1, arrow):\n"}[layout])
    sep = {"pipe": " | ", "tab": "\t", "roman": ", "}[layout]
    for gen, rel, who, fact, dead, town in rows:
        n_age, hist = facts[fact] if fact else (age, dx)
        w.t({"pipe": f"| {gen} | {rel} | ", "tab": f"{rel}\t", "roman": f"  {gen:<6}{rel:<10}"}[layout])
        if who is None:
            w.who(pt, "PATIENT", "full")
        else:
            w.p(who.full, "RELATIVE", who.key)
        w.t(sep, "d. " if dead else "")
        if n_age >= 90:
            w.p(f"{n_age} years", "DATE")
        else:
            w.t(str(n_age))
        w.t(sep, hist)
        if layout == "pipe":
            w.t(" | ")
            if town:
                w.town(town)
            w.t(" |")
        elif town:
            w.t(sep).town(town)
        w.t("\n")
    w.t(f"\nTESTING: After informed consent, {test} was ordered through {r.choice(LABS)} on ").date(when)
    w.t(", accession ").p(f"{_letters(r, 2)}{_digits(r, 7)}", "MRN").t(". Results are expected in 2-3 weeks. ")
    if ident.sex == "female" and "cancer" in dx:
        w.t(f"By the Tyrer-Cuzick model her lifetime breast cancer risk is {r.randrange(12, 38)}%. ")
    else:
        w.t(f"The family meets {r.choice(['NCCN testing criteria', 'Amsterdam II criteria', 'no formal criteria'])}. ")
    w.t("Cascade testing would be offered to ").p(sib.full, "RELATIVE", sib.key).t(" if a pathogenic variant is found; ")
    w.t("a family letter was provided. We will call with results at ").p(ident.phone, "PHONE").t(".")
    _sig(w, r, gc, "MS, CGC", "Licensed Genetic Counselor")
    w.t("Reviewed with ").who(md, "PROVIDER", "drfull").t(", MD, Medical Geneticist\ncc: ").who(ref, "PROVIDER", "dr").t("; patient\n")
    return w


EXTERNAL = ["The body is that of a well-developed, well-nourished {sex} appearing the stated age of {age} years, "
            "{ht} inches in length and weighing {wt} pounds. Rigor is fully developed; livor is fixed and posterior.",
            "The body is received in a white body bag sealed with seal #{seal}. It is that of an obese {sex}, {ht} inches, "
            "{wt} pounds. There is a healed midline sternotomy scar. Therapeutic devices: endotracheal tube, two IV catheters.",
            "The unembalmed body is that of a thin {sex}, {ht} inches and {wt} pounds, with temporal wasting. "
            "A 2 x 3 cm stage II sacral pressure ulcer is present."]
INTERNAL = ["Heart {hw} g with concentric LVH (LV wall 1.8 cm). Coronary arteries: LAD 90% stenosis, RCA 75%, with a "
            "fresh thrombus in the proximal LAD. Lungs R {lw} g, L {lw2} g, edematous.",
            "Heart {hw} g. The right lung weighs {lw} g and shows consolidation of the lower lobe; cultures taken. "
            "Liver 2100 g, nodular and cirrhotic. Spleen 480 g.",
            "Saddle pulmonary thromboembolus. Heart {hw} g, right ventricle dilated. Deep calf veins with organizing thrombi.",
            "A 6 cm ruptured abdominal aortic aneurysm with 2,500 mL retroperitoneal hemorrhage. Heart {hw} g."]
CAUSE_OF_DEATH = [("Acute myocardial infarction", "Atherosclerotic and hypertensive cardiovascular disease", "Natural"),
                  ("Pulmonary thromboembolism", "Deep venous thrombosis of lower extremities", "Natural"),
                  ("Ruptured abdominal aortic aneurysm", "Atherosclerosis", "Natural"),
                  ("Lobar pneumonia", "Alcoholic cirrhosis", "Natural"),
                  ("Acute combined drug toxicity (fentanyl, ethanol)", "", "Accident"),
                  ("Blunt force injuries of head", "Fall from standing height", "Accident")]


def autopsy(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = _pat(ident)
    county = c.town()
    path = c.person(rare=r.random() < 0.3)
    inv = c.person()
    officer = c.person()
    fd = c.person()
    dod = when - timedelta(days=r.randrange(1, 4))
    th, tm = _clock(r)
    home_death = r.random() < 0.6
    cause, due, manner = r.choice(CAUSE_OF_DEATH)
    sex = "female" if ident.sex == "female" else "male"
    w.t("OFFICE OF THE MEDICAL EXAMINER\n").nm("", county[0], "LOCATION", " County", county[2]).t(f", {county[1]}\n")
    w.p(c.street(suite=True), "ADDRESS").t("  Tel ").p(c.phone(), "PHONE").t("\n\nREPORT OF POSTMORTEM EXAMINATION\n\n")
    w.t("CASE NO.: ").p(f"{r.choice(['ME', 'OCME', 'MEO', 'C'])}{dod.year % 100:02d}-{_digits(r, 5)}", "MRN")
    w.t("\nDECEDENT: ").p(f"{ident.family}, {ident.given}", "PATIENT", pt.key)
    w.t(f"\nAGE: {ident.stated_age} YRS   SEX: {sex[0].upper()}   DOB: ").date(ident.birth_date)
    w.t("\nDATE OF DEATH: ").date(dod).t(f"   TIME: {th:02d}{tm:02d} HRS ({r.choice(['pronounced', 'found', 'estimated'])})\n")
    w.t("PLACE OF DEATH: ")
    if home_death:
        w.t("Residence, ").p(ident.address, "ADDRESS").t(", ").p(ident.city, "ADDRESS").t(f", {ident.state} ").p(ident.zip, "ADDRESS")
    else:
        w.p(c.outside_hospital(), "HOSPITAL").t(" Emergency Department; scene: ").p(c.street(), "ADDRESS").t(", ")
        w.town(c.town())
    w.t("\nDATE OF AUTOPSY: ").date(dod + timedelta(days=1)).t(f" AT {r.choice(['0830', '0900', '1000', '1330'])} HRS\n")
    w.t("PATHOLOGIST: ").who(path, "PROVIDER", r.choice(["full", "drfull"]), "MD").t(", Associate Medical Examiner\n")
    w.t("MEDICOLEGAL DEATH INVESTIGATOR: ").who(inv, "PROVIDER", r.choice(["full", "rev"])).t("  (badge ")
    w.p(f"MDI-{_digits(r, 4)}", "MRN").t(")\nREPORTING AGENCY: ")
    if r.random() < 0.3:
        w.nm("", county[0], "LOCATION", " County Sheriff's Office", county[2])
    else:
        w.p(c.fresh(lambda: f"{c.town_name()} Police Department"), "LOCATION")
    w.t(", Officer ").who(officer, "PROVIDER", r.choice(["full", "init"])).t(", ")
    w.p(f"{r.choice(['Car', 'Unit', 'Adam-'])} {r.randrange(11, 99)}" if r.random() < 0.5 else f"Unit {_digits(r, 4)}", "MRN")
    w.t("\nEMS: ").p(c.ambulance(), "LOCATION").t(" ").p(f"Medic {r.randrange(2, 60)}", "MRN").t(", run #")
    w.p(f"{dod.year}{_digits(r, 6)}", "MRN")
    w.t("\n\nNEXT OF KIN: ")
    if ident.relatives:
        rel = ident.relatives[0]
        w.p(rel.full, "RELATIVE", ("id", rel.given, rel.family)).t(f" ({rel.role}), notified on ")
        w.stamp(dod, *_clock(r)).t(" by telephone at ").p(rel.phone, "PHONE")
    else:
        nok = c.person()
        w.p(nok.full, "RELATIVE", nok.key).t(" (niece), notified by telephone at ").p(c.phone(), "PHONE")
    w.t(" by investigator.\nIDENTIFICATION: ")
    k = r.randrange(3)
    if k == 2:
        w.t("Comparison of dental radiographs with records of ").who(c.person(), "PROVIDER", "dr").t(", DDS.")
    else:
        w.t(["Visual, by photograph, by next of kin.", "Fingerprint comparison (AFIS)."][k])
    w.t("\nFUNERAL HOME: ").p(c.funeral_home(), "LOCATION").t(", ").town(c.town()).t("; director ")
    w.who(fd, "PROVIDER", "full").t("; remains released ").date(dod + timedelta(days=2)).t(" (vehicle plate ")
    w.p(f"{_letters(r, 3)}-{_digits(r, 4)}", "MRN").t(")\nDEATH CERTIFICATE NO.: ").p(f"{dod.year}-{_digits(r, 6)}", "MRN")
    w.t("\n\nHISTORY: Per the investigator the decedent was ")
    w.t("found unresponsive in bed by family" if home_death else "brought to the ED in cardiac arrest")
    w.t(". Records of ").p(c.home(), "HOSPITAL", c.home_key).t(" (MRN ").p(ident.mrn, "MRN", pt.key).t(") were reviewed; ")
    w.t("last seen by ").who(_who(r.choice(_staff(staff, "attending"))), "PROVIDER", "dr").t(" on ")
    w.date(dod - timedelta(days=r.randrange(10, 200))).t(".\n\nEXTERNAL EXAMINATION: ")
    vals = {"sex": sex, "age": ident.stated_age, "ht": r.randrange(60, 75), "wt": r.randrange(110, 290),
            "seal": _digits(r, 6), "hw": r.randrange(320, 620), "lw": r.randrange(500, 1100), "lw2": r.randrange(450, 1000)}
    w.t(r.choice(EXTERNAL).format(**vals), "\n\nINTERNAL EXAMINATION: ", r.choice(INTERNAL).format(**vals))
    w.t("\n\nTOXICOLOGY: Femoral blood and vitreous sent to NMS Labs, work order ")
    w.p(f"{dod.year % 100:02d}{_digits(r, 6)}", "MRN").t(". ", r.choice(["Ethanol negative.", "Fentanyl 14 ng/mL, norfentanyl 3.1 ng/mL.",
                                                                        "No drugs detected.", "Ethanol 0.21 g/dL."]))
    w.t(f"\n\nCAUSE OF DEATH: {cause}")
    w.t(f"\n  DUE TO: {due}" if due else "", f"\nMANNER OF DEATH: {manner}\n")
    _sig(w, r, path, "MD", f"Associate Medical Examiner, {r.choice(['signed', 'dictated, not read'])}")
    return w.date(dod + timedelta(days=r.randrange(20, 70))).t("\n")


TRANSFER_DX = [("NSTEMI, needs cath", "cardiology", "CCU"), ("STEMI s/p lytics", "interventional cardiology", "CCU"),
               ("SAH, Hunt-Hess 2", "neurosurgery", "Neuro ICU"), ("acute stroke, LVO on CTA", "stroke neurology", "Neuro ICU"),
               ("ruptured AAA", "vascular surgery", "SICU"), ("GI bleed, Hgb 6.1, needs EGD", "GI", "MICU"),
               ("septic shock on 2 pressors", "critical care", "MICU"), ("type A dissection", "cardiac surgery", "CVICU"),
               ("complex pelvic fracture", "orthopedic trauma", "TICU"), ("DKA, K 6.8", "hospitalist", "Stepdown")]


def _log_line(w: W, r: random.Random, d: date, h: int, m: int, tab: bool, full: bool) -> W:
    """The start of one log line: a full timestamp (date planted) or the clock time only."""
    w.t("\n")
    if full:
        w.stamp(d, h, m)
    else:
        w.t(f"{h:02d}:{m:02d}" if w.sf in ("iso", "at") else f"{h:02d}{m:02d}")
    return w.t("\t" if tab else "  ")


def transfer_center(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = _pat(ident)
    dx, service, unit = r.choice(TRANSFER_DX)
    caller = c.person(rare=r.random() < 0.3)
    fellow = c.person()
    accept = _who(r.choice(_staff(staff, "attending")))
    bedmgr = c.person()
    rn_out = c.person()
    rn_in = _who(r.choice(_staff(staff, "nurse")))
    crew = c.person()
    osh, osh_key = c.system() if r.random() < 0.25 else (c.outside_hospital(), None)
    tab = r.random() < 0.35
    full = r.random() < 0.5  # every line with its date, or the clock time only
    h, m = _clock(r, 0, 20)
    t = h * 60 + m

    def nxt(lo: int, hi: int) -> tuple[int, int]:
        nonlocal t
        t += r.randrange(lo, hi)
        return (t // 60) % 24, t % 60

    w.p(c.main, "HOSPITAL", c.home_key).t(" TRANSFER CENTER - CALL LOG\n")
    w.t("Transfer ID: ").p(f"TC-{when:%y%m%d}-{_digits(r, 4)}", "MRN").t("   Line: ").p(c.phone(), "PHONE")
    w.t("\nPatient: ").p(f"{ident.family.upper()}, {ident.given}", "PATIENT", pt.key).t(f"  {ident.stated_age}{ident.sex[0].upper()}  DOB ")
    w.date(ident.birth_date).t("\n")
    if tab:
        w.t("TIME\tENTRY")
    _log_line(w, r, when, h, m, tab, True).t("Call rec'd from ").p(osh, "HOSPITAL", osh_key).t(" ED, ")
    w.who(caller, "PROVIDER", r.choice(["dr", "drfull", "full"])).t(" requesting transfer for ", dx, ". Callback ")
    w.p(c.phone(), "PHONE").t(" ").p(c.ext(), "PHONE").t(".")
    _log_line(w, r, when, *nxt(2, 8), tab, full).t(f"Paged {service} fellow ").who(fellow, "PROVIDER", "dr").t(" (").p(c.pager(), "PHONE").t(").")
    _log_line(w, r, when, *nxt(3, 15), tab, full).t("Conference call: ").who(caller, "PROVIDER", "dr").t(" / ")
    w.who(fellow, "PROVIDER", "dr").t(". Imaging pushed via PACS.")
    _log_line(w, r, when, *nxt(3, 20), tab, full).t("ACCEPTED by ").who(accept, "PROVIDER", r.choice(["dr", "drfull", "family"]))
    w.t(f", {service}. Level of care: {unit}.")
    _log_line(w, r, when, *nxt(5, 30), tab, full).t(f"Bed {unit} {r.randrange(1, 30):02d}{r.choice('AB')} assigned by bed mgr ")
    w.who(bedmgr, "PROVIDER", r.choice(["full", "init"])).t(".")
    _log_line(w, r, when, *nxt(2, 10), tab, full).t("Insurance verified: ", ident.insurer, " member ").p(ident.insurance_id, "INSURANCE", pt.key).t(".")
    _log_line(w, r, when, *nxt(2, 15), tab, full).t("Transport: ").p(c.ambulance(), "LOCATION").t(" ")
    w.p(r.choice([f"Unit {r.randrange(100, 999)}", f"Medic {r.randrange(2, 40)}", f"MICU-{r.randrange(1, 9)}",
                  f"Squad {r.randrange(10, 99)}"]), "MRN")
    w.t(", ", r.choice(["ALS", "CCT", "BLS"]), " crew lead ").who(crew, "PROVIDER", r.choice(["full", "init"]))
    w.t(r.choice(["", f", ETA {((t + 60) // 60) % 24:02d}{(t + 60) % 60:02d}"]), ".")
    if r.random() < 0.4:
        _log_line(w, r, when, *nxt(2, 10), tab, full).t("Weather hold for air; ").p(c.fresh(lambda: f"{c.town_name()} Flight"), "LOCATION").t(" declined.")
    _log_line(w, r, when, *nxt(5, 25), tab, full).t("RN report: ").who(rn_out, "PROVIDER", "full").t(" RN (sending) to ")
    w.who(rn_in, "PROVIDER", r.choice(["full", "given"])).t(" RN; callback ").p(c.phone(), "PHONE").t(".")
    if ident.relatives:
        rel = ident.relatives[0]
        _log_line(w, r, when, *nxt(1, 10), tab, full).t("Family: ")
        _relative(w, r, rel).t(" following by car, cell ").p(rel.phone, "PHONE").t(".")
    _log_line(w, r, when, *nxt(40, 120), tab, full).t("Pt arrived on unit. Case closed by ").who(bedmgr, "PROVIDER", "init").t(".\n")
    return w


WORK_LIMITS = ["no lifting over 10 lb", "seated work only", "no driving company vehicles", "no climbing ladders",
               "4-hour shifts for 2 weeks", "may work from home", "no use of the right arm", "no night shifts"]
WORK_DX = ["L4-5 disc herniation with radiculopathy", "major depressive disorder, recurrent", "s/p laparoscopic cholecystectomy",
           "Crohn's disease flare", "pregnancy, 34 weeks, with preeclampsia", "rotator cuff repair, right", "migraine with aura",
           "caregiver for parent receiving chemotherapy", "atrial fibrillation, s/p ablation"]
JOBS = ["warehouse associate", "school bus driver", "RN", "line cook", "accountant", "machine operator", "teacher",
        "customer service representative", "electrician", "home health aide"]


def work_status(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = _pat(ident)
    doc = _who(r.choice(_staff(staff, "attending")))
    sup, hr = c.person(), c.person()
    employer = c.employer()
    etown = c.town()
    off = when - timedelta(days=r.randrange(0, 10))
    back = off + timedelta(days=r.randrange(10, 90))
    kind = r.randrange(3)
    if kind == 0:
        w.t("CERTIFICATION OF HEALTH CARE PROVIDER FOR EMPLOYEE'S SERIOUS HEALTH CONDITION\n")
        w.t("(Family and Medical Leave Act)   Form WH-380-E\n\nSECTION I - EMPLOYER\n")
        w.t("Employer name: ").p(employer, "LOCATION").t("\nAddress: ").p(c.street(suite=True), "ADDRESS").t(", ").town_zip(etown)
        w.t("\nContact: ").who(hr, "PROVIDER", "full").t(", HR Generalist   Fax: ")
        w.p(c.phone(), "PHONE").t("   E-mail: ").p(c.mail(hr.given, hr.family), "EMAIL")
        w.t("\nEmployee: ").who(pt, "PATIENT", "full").t("   Employee ID: ").p(f"{r.choice(['E', 'EMP', ''])}{_digits(r, 6)}", "MRN")
        w.t(f"\nJob title: {r.choice(JOBS)}   Supervisor: ").who(sup, "PROVIDER", r.choice(["full", "rev"]))
        w.t("\nReturn form by: ").date(off + timedelta(days=15))
        w.t("\n\nSECTION III - HEALTH CARE PROVIDER\nProvider: ").who(doc, "PROVIDER", "drfull").t(", MD   Practice: ")
        w.p(c.home(), "HOSPITAL", c.home_key).t("\nAddress: ").p(c.home_street, "ADDRESS").t(", ").town((c.home_town, c.home_state, c.home_town_key))
        w.t("\nPhone: ").p(c.home_phone, "PHONE").t("   Fax: ").p(c.home_fax, "PHONE")
        w.t("\nNPI: ").p(c.npi(), "MRN").t("   State license: ").p(c.licence(c.home_state), "MRN")
        w.t("\n\nPart A: Approximate date condition commenced: ").date(off - timedelta(days=r.randrange(0, 60)))
        w.t(f"\nDiagnosis: {r.choice(WORK_DX)}\nInpatient care: ")
        if r.random() < 0.4:
            w.t("Yes, admitted ").date(off).t(" to ").date(off + timedelta(days=r.randrange(1, 6)))
        else:
            w.t("No")
        w.t("\nPart B: Employee is unable to perform job functions from ").date(off).t(" through ").date(back)
        w.t(".\nFollow-up visits: every 2 weeks; next ").date(when + timedelta(days=14))
        w.t(f".\nIntermittent leave: flare-ups {r.randrange(1, 4)} per month lasting {r.randrange(1, 4)} days.")
        w.t("\nTPA claim no.: ").p(f"{r.choice(['FML', 'STD', 'LV'])}-{off.year}-{_digits(r, 7)}", "MRN")
    elif kind == 1:
        w.p(c.main, "HOSPITAL", c.home_key).t(" | ").p(c.home_street, "ADDRESS").t(" | Tel ").p(c.home_phone, "PHONE")
        w.t("\n\nWORK STATUS REPORT\nDate: ").date(when).t("\n\nTo: ").who(sup, "PROVIDER", "full").t(", ").p(employer, "LOCATION")
        w.t("\nRe: ").who(pt, "PATIENT", r.choice(["full", "rev"])).t(", DOB ").date(ident.birth_date)
        w.t("\n\nThe above patient was seen in our clinic on ").date(when).t(f" and is being treated for {r.choice(WORK_DX)}.\n")
        w.t("[X] Off work from ").date(off).t(" until ").date(back).t("\n[X] May return to work on ")
        w.date(back + timedelta(days=1)).t(f" with restrictions: {', '.join(r.sample(WORK_LIMITS, 2))} until ")
        w.date(back + timedelta(days=r.randrange(14, 45))).t(".\n[ ] Full duty\n\nQuestions: call ")
        w.who(_who(r.choice(_staff(staff, "nurse"))), "PROVIDER", "full").t(", RN, at ").p(c.home_phone, "PHONE").t(" ").p(c.ext(), "PHONE")
        _sig(w, r, doc, "MD")
    else:
        ins = c._pick([lambda: f"{c.surname()} Mutual Life", lambda: f"{c.surname()} Disability Services",
                       lambda: f"{c.surname()} Benefit Administrators"])
        w.t("SHORT-TERM DISABILITY CLAIM - ATTENDING PHYSICIAN STATEMENT\n")
        w.t("Insurer: ").p(ins, "LOCATION").t(", ").p(c.po_box(), "ADDRESS").t(", ").town_zip(c.town())
        w.t("\nClaim #: ").p(f"{_digits(r, 3)}-{_digits(r, 7)}", "MRN").t("   Policy/Group #: ").p(f"GRP{_digits(r, 6)}", "INSURANCE")
        w.t("\nClaimant: ").who(pt, "PATIENT", "rev").t("   SSN: ").p(ident.ssn, "MRN").t("   DOB: ").date(ident.birth_date)
        w.t("\nEmployer: ").p(employer, "LOCATION").t(f", {r.choice(JOBS)}\nLast day worked: ").date(off)
        w.t("\nFirst treated: ").date(off + timedelta(days=1)).t("   Most recent visit: ").date(when)
        w.t(f"\nDiagnosis: {r.choice(WORK_DX)}\nRestrictions: {'; '.join(r.sample(WORK_LIMITS, 3))}\n")
        w.t("Estimated return to work: ").date(back).t("\nAdjuster: ").who(hr, "PROVIDER", "full").t(", ").p(c.phone(), "PHONE")
        w.t(" ").p(c.ext(), "PHONE").t("\nAttending: ").who(doc, "PROVIDER", "drfull").t(", NPI ").p(c.npi(), "MRN")
        w.t(", Tax ID ").p(c.tax_id(), "MRN").t("\n")
    return w


PA_REQUESTS = [("adalimumab (Humira) 40 mg SC every other week", "moderate-to-severe rheumatoid arthritis",
                ["methotrexate 20 mg weekly", "hydroxychloroquine 200 mg BID", "sulfasalazine 1 g BID"]),
               ("semaglutide (Ozempic) 1 mg weekly", "type 2 diabetes, A1c 9.4%",
                ["metformin 1000 mg BID", "glipizide 10 mg daily", "sitagliptin 100 mg daily"]),
               ("MRI lumbar spine without contrast", "lumbar radiculopathy with foot drop",
                ["6 weeks of physical therapy", "meloxicam 15 mg daily", "gabapentin 300 mg TID"]),
               ("CPAP auto-titrating device and supplies", "severe obstructive sleep apnea, AHI 42",
                ["positional therapy", "weight loss program", "oral appliance trial"]),
               ("dupilumab (Dupixent) 300 mg every 2 weeks", "severe atopic dermatitis",
                ["triamcinolone 0.1% ointment", "tacrolimus 0.1% ointment", "narrowband UVB phototherapy"]),
               ("total knee arthroplasty, right", "end-stage osteoarthritis, Kellgren-Lawrence grade 4",
                ["corticosteroid injection x3", "12 weeks of physical therapy", "naproxen 500 mg BID"])]


def prior_auth(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = _pat(ident)
    doc = _who(r.choice(_staff(staff, "attending")))
    reviewer = c.person(rare=r.random() < 0.3)
    coord = c.person(sex="f")
    item, dx, tried = r.choice(PA_REQUESTS)
    appeal = r.random() < 0.6
    denial = when - timedelta(days=r.randrange(5, 40))
    dept = {"adalimumab": "Department of Rheumatology", "semaglutide": "Endocrinology Clinic", "MRI": "Spine Center",
            "CPAP": "Sleep Medicine", "dupilumab": "Dermatology", "total": "Orthopaedic Surgery"}[item.split()[0]]
    w.p(c.main, "HOSPITAL", c.home_key).t("\n", dept, "\n")
    w.p(c.home_street, "ADDRESS").t(", ").town((c.home_town, c.home_state, c.home_town_key)).t(" ").p(c.home_zip, "ADDRESS")
    w.t("\nTel ").p(c.home_phone, "PHONE").t("  Fax ").p(c.home_fax, "PHONE").t("\n\n").date(when).t("\n\n")
    w.t("VIA FAX: ").p(c.phone(), "PHONE").t("\n", ident.insurer, " ", r.choice(["Utilization Management", "Appeals and Grievances",
                                                                                    "Pharmacy Prior Authorization"]))
    w.t("\n").p(c.po_box(), "ADDRESS").t("\n").town_zip(c.town()).t("\n\n")
    w.t("RE: ", "Level 1 appeal of adverse determination" if appeal else "Request for prior authorization", "\n")
    rows = [("Member", None), ("Member ID", ident.insurance_id), ("Group #", f"{r.randrange(10, 99)}{_digits(r, 5)}-{_digits(r, 2)}"),
            ("DOB", None), ("Claim #", f"{denial:%Y%j}{_digits(r, 6)}"), ("Reference #", f"{r.choice(['PA', 'UM', 'AUTH'])}{_digits(r, 8)}")]
    for label, value in rows:
        w.t(f"  {label + ':':<14}")
        if label == "Member":
            w.who(pt, "PATIENT", r.choice(["full", "rev"]))
        elif label == "DOB":
            w.date(ident.birth_date)
        elif label in ("Member ID", "Group #"):
            w.p(value, "INSURANCE", pt.key if label == "Member ID" else None)
        else:
            w.p(value, "MRN")
        w.t("\n")
    w.t("  Provider:     ").who(doc, "PROVIDER", "drfull").t(", MD  NPI ").p(c.npi(), "MRN").t("  TIN ").p(c.tax_id(), "MRN").t("\n")
    w.t(f"  Requested:    {item}\n\nDear Medical Director:\n\n")
    if appeal:
        w.t("I am writing to appeal the denial letter dated ").date(denial).t(", signed by ")
        w.who(reviewer, "PROVIDER", r.choice(["drfull", "dr"])).t(", which states that the request is \"not medically necessary\". ")
    _title_family(w.t("My patient, "), ident)
    w.t(f", is a {ident.stated_age}-year-old with {dx}, followed in our clinic since ").date(when - timedelta(days=r.randrange(200, 2500)))
    w.t(". The following have been tried and failed:\n")
    start = when - timedelta(days=r.randrange(400, 900))
    for i, drug in enumerate(tried):
        stop = start + timedelta(days=r.randrange(60, 200))
        w.t(f"  {i + 1}. {drug}, ").date(start).t(" to ").date(stop)
        w.t(f" - {r.choice(['inadequate response', 'stopped for transaminitis', 'intolerance (GI upset)', 'no improvement', 'rash'])}\n")
        start = stop + timedelta(days=r.randrange(5, 40))
    w.t("Records from the previous treating physician, ").who(c.person(), "PROVIDER", "drfull").t(" of ")
    w.p(c.practice(), "HOSPITAL").t(", are enclosed (pages 1-14). ")
    w.t("I request a peer-to-peer review if this appeal cannot be approved; please call me at ").p(c.home_phone, "PHONE")
    w.t(" ").p(c.ext(), "PHONE").t(" or my coordinator ").who(coord, "PROVIDER", "full").t(" at ")
    w.p(f"{coord.given[0]}{coord.family}@{c.domain}".lower(), "EMAIL", coord.key)
    w.t(".\n\nSincerely,")
    _sig(w, r, doc, "MD")
    w.t("cc: patient, ").p(ident.address, "ADDRESS").t(", ").p(ident.city, "ADDRESS").t(f", {ident.state} ").p(ident.zip, "ADDRESS").t("\n")
    return w


def oral_surgery(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    surgeon = c.person(rare=r.random() < 0.35)
    dentist = c.person()
    assistant = c.person(sex="f")
    lab = c._pick([lambda: f"{c.surname()} Dental Lab", lambda: f"{c.town_name()} Dental Ceramics",
                   lambda: f"{c.surname()} Dental Studio"])
    teeth = r.choice([["#1", "#16", "#17", "#32"], ["#30"], ["#19", "#20"], ["#3"], ["#14", "#15"], ["#8", "#9"]])
    proc = r.choice(["surgical extraction", "extraction with socket preservation (allograft, collagen plug)",
                     "implant placement", "incision and drainage", "alveoloplasty"])
    office = r.random() < 0.5
    if office:
        w.p(f"{surgeon.family} Oral & Maxillofacial Surgery", "HOSPITAL", surgeon.key).t("\n").p(c.street(suite=True), "ADDRESS")
        w.t(", ").town(c.town()).t("  Ph ").p(c.phone(), "PHONE").t("\n")
    else:
        w.p(c.main, "HOSPITAL", c.home_key).t(" - Oral and Maxillofacial Surgery Clinic\n")
    w.t("OPERATIVE / PROGRESS NOTE   DOS: ").date(when).t("\n")
    _patient_line(w, ident, r).t("\n")
    w.t("Referred by: ").who(dentist, "PROVIDER", r.choice(["drfull", "dr", "full"])).t(", DDS, ").p(c.practice("dental"), "HOSPITAL")
    w.t(" (fax ").p(c.phone(), "PHONE").t(")\n")
    w.t(f"CC: \"{r.choice(['my wisdom teeth hurt', 'swelling on my jaw', 'broken tooth', 'my dentist said I need an implant'])}\"\n")
    w.t(f"Teeth: {', '.join(teeth)}. Pano taken ").date(when - timedelta(days=r.randrange(0, 30)))
    w.t(f": {r.choice(['impacted, mesioangular', 'periapical radiolucency', 'non-restorable caries', 'vertical root fracture'])}.\n")
    w.t(f"Meds: {r.choice(['lisinopril, atorvastatin', 'none', 'apixaban (held 48 h per cardiology)', 'alendronate x 6 yrs'])}. ")
    w.t(f"ASA {r.choice(['I', 'II', 'III'])}. BP {r.randrange(110, 160)}/{r.randrange(60, 95)}.\n")
    w.t("| Tooth | Finding | Treatment |\n|---|---|---|\n")
    for tooth in teeth:
        w.t(f"| {tooth} | {r.choice(['impacted', 'caries', 'fractured', 'abscess', 'mobile 2+'])} | {proc} |\n")
    w.t(f"Procedure: {proc} under {r.choice(['IV sedation (midazolam 4 mg, fentanyl 100 mcg)', 'local (2% lido 1:100k x3 carp)', 'general anesthesia'])}. ")
    if "implant" in proc:
        w.t(f"Implant {r.choice(['Nobel Biocare NobelActive', 'Straumann BLT', 'Zimmer TSV'])} 4.3 x 10 mm, lot ")
        w.p(f"{_letters(r, 2)}{_digits(r, 6)}", "MRN").t(". ")
    w.t("Hemostasis achieved, 3-0 chromic. EBL minimal.\n")
    w.t("Crown / prosthesis to be fabricated by ").p(lab, "LOCATION").t(", case # ").p(_digits(r, 5), "MRN")
    w.t(".\nEscort: ")
    if ident.relatives:
        _relative(w, r, ident.relatives[0]).t(" drove patient home.")
    else:
        w.t("friend ").p(c.person().full, "RELATIVE").t(" drove patient home.")
    w.t("\nRx: ibuprofen 600 mg q6h, amoxicillin 500 mg TID x7d, ", r.choice(["hydrocodone/APAP 5/325 #8", "no opioids"]))
    w.t(", sent to ").p(c.pharmacy(), "HOSPITAL").t(". DEA# ").p(c.dea(surgeon.family), "MRN")
    w.t("\nPost-op check ").date(when + timedelta(days=r.randrange(7, 14))).t(". Assistant: ").who(assistant, "PROVIDER", "full").t(", RDA")
    return _sig(w, r, surgeon, r.choice(["DDS", "DMD"]))


def _va(r: random.Random) -> str:
    return r.choice(["20/20", "20/25", "20/30", "20/40", "20/50", "20/70", "20/100", "20/200", "CF 3'", "HM"])


def ophthalmology(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    doc = _who(r.choice(_staff(staff, "attending")))
    od = c.person(rare=r.random() < 0.3)
    tech = c.person()
    shop = c._pick([lambda: f"{c.surname()} Optical", lambda: f"{c.town_name()} Eyewear", lambda: f"Eyes of {c.town_name()}"])
    asc = c._pick([lambda: f"{c.town_name()} Surgery Center", lambda: f"{c.surname()} Eye Surgery Center"])
    last = when - timedelta(days=r.randrange(90, 700))
    h, m = _clock(r, 8, 17)
    w.p(c.home(), "HOSPITAL", c.home_key).t(" EYE CLINIC  ").stamp(when, h, m).t("\n")
    _patient_line(w, ident, r, " | ").t("\n")
    w.t("Ref: ").who(od, "PROVIDER", r.choice(["full", "dr", "init"])).t(", OD (").p(c.practice("eye"), "HOSPITAL").t(")")
    w.t(" - last exam there ").date(last).t("\n")
    w.t(f"CC: {r.choice(['blurry va OS x3 mo', 'glare driving at night', 'IOP check', 'floaters OD x1 wk', 'DM eye exam'])}\n")
    w.t(f"Hx: {r.choice(['DM2 (A1c 8.1)', 'HTN', 'POAG on latanoprost qhs OU', 'none'])}. ")
    w.t(f"Gtts: {r.choice(['latanoprost 0.005% qhs OU', 'timolol 0.5% BID OS', 'none', 'AT prn'])}\n")
    layout = r.choice(["tab", "compact"])
    va = (_va(r), _va(r))
    iop = (r.randrange(11, 30), r.randrange(11, 30))
    if layout == "tab":
        w.t("\tOD\tOS\nVAsc\t", va[0], "\t", va[1], "\nPH\t", _va(r), "\t", _va(r), f"\nIOP\t{iop[0]}\t{iop[1]}  (tonopen {h:02d}:{m:02d})\n")
    else:
        w.t(f"VAsc OD {va[0]} PH {_va(r)}, OS {va[1]} PH NI. IOP {iop[0]}/{iop[1]} (applanation). Pupils: ERRL, no APD.\n")
    w.t("SLE: L/L nl OU. C/S w/q OU. K clear OU. AC d/q OU. Iris flat. ")
    w.t(f"Lens: {r.choice(['2+ NS', '3+ NS 2+ CS', '1+ PSC', 'PCIOL'])} OD, {r.choice(['3+ NS', '2+ NS', 'PCIOL', '1+ NS'])} OS.\n")
    w.t(f"DFE (1% trop/2.5% PE): C/D {r.choice(['0.3', '0.5', '0.7', '0.8'])}/{r.choice(['0.3', '0.6', '0.75', '0.9'])}, ")
    w.t(r.choice(["macula flat, no DR", "mild NPDR OU w/o CSME", "drusen OU", "sup-temp notch OS"]), ", periphery attached OU.\n")
    w.t(f"OCT RNFL {r.choice(['avg 84/71', 'thinning inf OS', 'WNL OU'])} (prior ").date(last).t(")\n")
    w.t("A/P:\n1. Visually sig cataract OS - discussed CE/IOL, pt wishes to proceed. Sched ")
    w.date(when + timedelta(days=r.randrange(14, 60))).t(" at ").p(asc, "HOSPITAL").t(". IOL master / A-scan today.\n")
    w.t("2. ", r.choice(["POAG suspect - VF 24-2 at next visit.", "NPDR - letter to PCP.", "Dry eye - ATs QID."]), "\n")
    w.t("3. MRx given, may fill at ").p(shop, "LOCATION").t(" (").p(c.phone(), "PHONE").t(").\n")
    w.t("RTC ").date(when + timedelta(days=r.randrange(70, 200))).t(" w/ ").who(doc, "PROVIDER", "dr").t(". Tech: ")
    w.who(tech, "PROVIDER", r.choice(["init", "full"])).t(", COA\n")
    w.t("Letter to ").who(od, "PROVIDER", "dr").t(" via fax ").p(c.phone(), "PHONE").t("\n")
    return w


def sleep_study(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    doc = _who(r.choice(_staff(staff, "attending")))
    tech = c.person()
    ref = c.person(rare=r.random() < 0.3)
    rep = c.person()
    home_test = r.random() < 0.35
    own_lab = r.random() < 0.4
    lab = f"{c.main_short} Sleep Disorders Center" if own_lab else \
        c._pick([lambda: f"{c.town_name()} Sleep Lab", lambda: f"{c.surname()} Center for Sleep Medicine"])
    ahi = round(r.uniform(3, 70), 1)
    lo, lon = r.randrange(21, 24), r.randrange(4, 7)
    w.p(lab, "HOSPITAL", c.home_key if own_lab else None).t("\n")
    if own_lab:
        w.p(c.home_street, "ADDRESS").t(", ").town((c.home_town, c.home_state, c.home_town_key))
    else:
        w.p(c.street(suite=True), "ADDRESS").t(", ").town(c.town())
    w.t("  Tel ").p(c.phone(), "PHONE").t("\nAASM accredited facility #").p(_digits(r, 6), "MRN").t("\n\n")
    w.t("HOME SLEEP APNEA TEST REPORT" if home_test else r.choice(["DIAGNOSTIC POLYSOMNOGRAM", "SPLIT-NIGHT POLYSOMNOGRAPHY REPORT"]), "\n")
    _patient_line(w, ident, r).t("\n")
    w.t("Study date: ").date(when).t(f"   Lights out: {lo}:{r.randrange(0, 60):02d}   Lights on: 0{lon}:{r.randrange(0, 60):02d}\n")
    w.t("Referring: ").who(ref, "PROVIDER", r.choice(["drfull", "dr"])).t("   ")
    w.t("Technologist: ").who(tech, "PROVIDER", r.choice(["full", "init"])).t(", RPSGT #").p(_digits(r, 6), "MRN").t("\n")
    if home_test:
        w.t(f"Device: {r.choice(['ResMed ApneaLink Air', 'Nox T3', 'Embletta MPR', 'WatchPAT 300'])}  S/N ")
        w.p(f"{_letters(r, 2)}{_digits(r, 8)}", "MRN").t(", dispensed ").date(when - timedelta(days=1)).t(", returned ").date(when + timedelta(days=1))
        w.t("\n")
    w.t(f"Indication: snoring, witnessed apneas, ESS {r.randrange(6, 22)}/24. BMI {r.randrange(24, 48)}.\n\n")
    w.t("Parameter\tValue\n")
    for name, val in (("TST", f"{r.randrange(240, 430)} min"), ("Sleep efficiency", f"{r.randrange(55, 96)}%"),
                      ("AHI", f"{ahi}/h"), ("REM AHI", f"{min(98.5, round(ahi * r.uniform(1, 2.2), 1))}/h"),
                      ("ODI 4%", f"{round(ahi * 0.8, 1)}/h"), ("SpO2 nadir", f"{r.randrange(68, 91)}%"),
                      ("T90", f"{r.randrange(0, 40)}%"), ("PLMI", f"{r.randrange(0, 30)}/h")):
        w.t(f"{name}\t{val}\n")
    severity = "mild" if ahi < 15 else "moderate" if ahi < 30 else "severe"
    w.t(f"\nIMPRESSION: {severity.capitalize()} obstructive sleep apnea (AHI {ahi}).")
    if not home_test and ahi >= 15 and r.random() < 0.6:
        w.t(f" CPAP titrated to {r.randrange(7, 15)} cm H2O with resolution of events.")
    w.t("\nRECOMMENDATIONS: APAP 5-15 cm H2O via ").p(c.supplier(), "LOCATION").t(" (rep ").who(rep, "PROVIDER", "full")
    w.t(", ").p(c.phone(), "PHONE").t("). Drowsy driving counseled. Follow-up in sleep clinic ")
    w.date(when + timedelta(days=r.randrange(30, 90))).t(" for compliance download.\n")
    w.t("Interpreting physician: ").who(doc, "PROVIDER", "drfull").t(", MD, D.ABSM  NPI ").p(c.npi(), "MRN")
    w.t("\nSigned ").stamp(when + timedelta(days=r.randrange(1, 6)), *_clock(r, 7, 19)).t("\n")
    return w


DEVICES = [("Medtronic", "Azure XT DR MRI", "W1DR01", "RNB"), ("Medtronic", "Cobalt XT VR", "DVPA2D1", "BLF"),
           ("Boston Scientific", "Accolade MRI DR", "L331", ""), ("Boston Scientific", "Resonate EL ICD", "D433", ""),
           ("Abbott", "Assurity MRI", "PM2272", ""), ("Abbott", "Gallant HF CRT-D", "CDHFA500Q", ""),
           ("Biotronik", "Edora 8 DR-T", "407145", "")]
LEADS = [("RA", "5076-52", "PJN"), ("RV", "6935M-62", "TDL"), ("RV", "7841", ""), ("LV", "4598-88", "LFV"),
         ("RA", "LPA1200M/52", "")]


def device_check(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    ep = c.person(rare=r.random() < 0.3)
    nurse = _who(r.choice(_staff(staff, "nurse")))
    rep = c.person()
    maker, model, code, pre = r.choice(DEVICES)
    implant = when - timedelta(days=r.randrange(200, 3000))
    prev = when - timedelta(days=r.choice([91, 92, 98, 120, 180]))
    remote = r.random() < 0.6
    monitor = {"Medtronic": "CareLink", "Boston Scientific": "LATITUDE", "Abbott": "Merlin.net", "Biotronik": "Home Monitoring"}[maker]
    w.t(r.choice(["CARDIAC DEVICE CLINIC - ", "Device Interrogation Report - ", "EP DEVICE CLINIC "]))
    w.t("REMOTE TRANSMISSION\n" if remote else "IN-CLINIC INTERROGATION\n")
    w.p(c.home(), "HOSPITAL", c.home_key).t(" Heart Rhythm Service  Ph ").p(c.phone(), "PHONE").t("\n")
    _patient_line(w, ident, r).t("\n")
    w.t(f"Device: {maker} {model} ({code})  SN: ").p(f"{pre}{_digits(r, 6)}{r.choice(['S', 'H', 'G', ''])}" if pre else _digits(r, r.choice([6, 7, 8])), "MRN")
    w.t("\nImplanted: ").date(implant).t(" by ").who(ep, "PROVIDER", r.choice(["dr", "drfull"])).t(" at ")
    where, where_key = (c.home(), c.home_key) if r.random() < 0.5 else (c.outside_hospital(), None)
    w.p(where, "HOSPITAL", where_key).t(f"   Indication: {r.choice(['SSS', 'CHB', 'primary prevention ICD, EF 25%', 'CRT, LBBB'])}\n")
    w.t("| Lead | Model | Serial | Implant | Impedance | Sensing | Threshold |\n|---|---|---|---|---|---|---|\n")
    for chamber, lmodel, lpre in r.sample(LEADS, r.randrange(1, 4)):
        w.t(f"| {chamber} | {lmodel} | ").p(f"{lpre}{_digits(r, 7)}V" if lpre else f"{_letters(r, 3)}{_digits(r, 6)}", "MRN").t(" | ")
        w.date(implant, "ymd" if r.random() < 0.3 else None)
        w.t(f" | {r.randrange(350, 900)} ohm | {round(r.uniform(1.5, 18), 1)} mV | {round(r.uniform(0.5, 1.5), 2)} V @ 0.4 ms |\n")
    if remote:
        w.t(f"\n{monitor} transmission received ").stamp(when, *_clock(r)).t(" (monitor SN ").p(f"{_digits(r, 4)}-{_digits(r, 5)}", "MRN")
        w.t("). Previous transmission ").date(prev).t(".\n")
    else:
        w.t("\nInterrogated in clinic with ", maker, " rep ").who(rep, "PROVIDER", "full").t(" present (cell ").p(c.phone(), "PHONE").t(").\n")
    w.t(f"Battery: {round(r.uniform(2.8, 3.1), 2)} V, longevity {round(r.uniform(3, 11), 1)} years. Mode DDD 60/130. ")
    w.t(f"Pacing: A {r.randrange(1, 90)}%, V {r.randrange(0, 99)}%.\n")
    w.t(f"Episodes: AT/AF burden {round(r.uniform(0, 12), 1)}%; ")
    if r.random() < 0.6:
        w.t("NSVT x", str(r.randrange(1, 5)), ", longest 9 beats on ").stamp(prev + timedelta(days=r.randrange(3, 80)), *_clock(r)).t(". ")
    w.t("No therapies delivered.\nAssessment: normal device function. ")
    w.t(r.choice(["No changes made.", "Reprogrammed lower rate 60 -> 70.", "AF burden forwarded to EP."]), "\n")
    w.t("Next remote ").date(when + timedelta(days=91)).t("; in-clinic check ").date(when + timedelta(days=r.randrange(180, 365)))
    w.t(".\nReviewed by ").who(nurse, "PROVIDER", "full").t(", RN, and ").who(ep, "PROVIDER", "dr").t(" (EP).\n")
    return w


def dialysis(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = _pat(ident)
    neph = c.person(rare=r.random() < 0.3)
    surgeon = c.person()
    sw = c.person(sex="f")
    dietitian = c.person()
    center = c._pick([lambda: f"{c.town_name()} Dialysis", lambda: f"{c.surname()} Kidney Center",
                      lambda: f"{c.town_name()} Renal Care", lambda: f"Fresenius Kidney Care {c.town_name()}",
                      lambda: f"DaVita {c.surname()} Dialysis"])
    created = when - timedelta(days=r.randrange(200, 2000))
    access = r.choice(["L brachiocephalic AVF", "R radiocephalic AVF", "L upper arm AVG", "R IJ tunneled HD catheter"])
    month = MONTHS[when.month - 1]
    w.p(center, "HOSPITAL").t("\n").p(c.street(suite=True), "ADDRESS").t(", ").town_zip(c.town())
    w.t("  Ph ").p(c.phone(), "PHONE").t("  Fax ").p(c.phone(), "PHONE").t("\nCMS certification #").p(_digits(r, 6), "MRN")
    w.t(f"\n\nMONTHLY NEPHROLOGY PROGRESS NOTE - {month.upper()} {when.year}\n")
    _patient_line(w, ident, r).t("\n")
    w.t(f"Chair {r.randrange(1, 24)}, {r.choice(['MWF', 'TTS'])} shift {r.randrange(1, 4)} ({r.choice(['0530', '1030', '1500'])}). ")
    w.t("HD start ").date(created - timedelta(days=r.randrange(10, 300))).t(f". ESRD 2/2 {r.choice(['DM nephropathy', 'HTN', 'IgA nephropathy', 'ADPKD'])}.\n")
    w.t(f"Access: {access}, placed ").date(created).t(" by ").who(surgeon, "PROVIDER", r.choice(["dr", "drfull"])).t(" at ")
    place, place_key = r.choice([(c.outside_hospital(), None), c.system(), (c.main, c.home_key)])
    w.p(place, "HOSPITAL", place_key).t(". ")
    w.t(r.choice(["Good thrill/bruit.", "Cannulating w/ 15g needles, no issues.", "Prolonged bleeding post needle removal."]))
    if r.random() < 0.3:
        w.t(" Fistulogram w/ angioplasty ").date(when - timedelta(days=r.randrange(5, 60))).t(".")
    w.t("\n\nLabs ").date(when - timedelta(days=r.randrange(1, 8))).t(":\n")
    for name, val, goal in (("Kt/V", round(r.uniform(1.1, 1.9), 2), ">1.2"), ("URR", f"{r.randrange(60, 80)}%", ">65%"),
                            ("Hgb", round(r.uniform(8.5, 12), 1), "10-11"), ("Albumin", round(r.uniform(3, 4.4), 1), ">4.0"),
                            ("Phos", round(r.uniform(3.5, 8), 1), "3.5-5.5"), ("PTH", r.randrange(150, 900), "150-600"),
                            ("K", round(r.uniform(3.8, 6.2), 1), "3.5-5.5")):
        w.t(f"  {name:<8}| {val!s:<6}| goal {goal}\n")
    w.t(f"EDW {round(r.uniform(55, 120), 1)} kg, IDWG avg {round(r.uniform(1, 4), 1)} kg. Pre BP {r.randrange(120, 180)}/{r.randrange(60, 100)}.\n")
    w.t("Plan: EPO per protocol, calcitriol, sevelamer 800 mg TID w/ meals. Dietitian ").who(dietitian, "PROVIDER", "full").t(" reviewed phos.\n")
    w.t("Transport: ").p(c.ambulance() if r.random() < 0.4 else c.fresh(lambda: f"{c.town_name()} Paratransit"), "LOCATION").t(" (trip ID ")
    w.p(f"{_letters(r, 2)}{_digits(r, 6)}", "MRN").t("), pickup 0445 from home, ").p(ident.address, "ADDRESS").t(".\n")
    tx, tx_key = (c.main, c.home_key) if r.random() < 0.6 else (c.outside_hospital(), None)
    w.t("Transplant: referred to ").p(tx, "HOSPITAL", tx_key).t(", ")
    w.t(r.choice(["evaluation pending", "active on list since ", "on hold (BMI)"]))
    if r.random() < 0.4:
        w.t(" - listed ").date(when - timedelta(days=r.randrange(100, 900)))
    w.t(". SW ").who(sw, "PROVIDER", r.choice(["full", "given"])).t(", LCSW, ")
    if ident.relatives:
        w.t("spoke with ")
        _relative(w, r, ident.relatives[0]).t(" re: living donor evaluation. ")
    w.t("Medicare # ").p(f"{r.randrange(1, 10)}{_letters(r, 1)}{r.randrange(0, 10)}{_letters(r, 1)}-{_letters(r, 1)}{r.randrange(10, 99)}-{_letters(r, 2)}{r.randrange(10, 99)}", "INSURANCE")
    w.t("; secondary ", ident.insurer, " ").p(ident.insurance_id, "INSURANCE", pt.key).t(".\n")
    return _sig(w, r, neph, "MD", "Attending nephrologist")


FAITHS = ["Lutheran", "Roman Catholic", "Baptist", "Jewish (Reform)", "Muslim", "Methodist", "Jehovah's Witness",
          "non-denominational Christian", "no formal affiliation, \"spiritual\""]


def hospice(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = _pat(ident)
    agency = c._pick([lambda: f"{c.town_name()} Hospice", lambda: f"{c.surname()} Hospice and Palliative Care",
                      lambda: f"Hospice of {c.town_name()}", lambda: f"{c.surname()} House Hospice"])
    chap = c.person()
    leader = c.person(rare=r.random() < 0.3)
    md = c.person()
    rn = c.person(sex="f")
    church = c.church()
    title = "Imam" if "Islamic" in church else "Rabbi" if "Temple" in church else \
        "Father" if church.startswith("St.") else r.choice(["Pastor", "Rev.", "Elder"])
    fh = c.funeral_home()
    kind = r.randrange(3)
    rels = list(ident.relatives)
    w.p(agency, "HOSPITAL").t("  ").p(c.phone(), "PHONE").t("\n")
    w.t(["HOSPICE ADMISSION NOTE", "SPIRITUAL CARE / CHAPLAIN VISIT", "BEREAVEMENT CONTACT NOTE"][kind], "\n")
    w.t("Patient: ").who(pt, "PATIENT", r.choice(["full", "rev"])).t("  MRN ").p(ident.mrn, "MRN", pt.key).t("  Visit: ").date(when).t("\n")
    w.t("Home: ").p(ident.address, "ADDRESS").t(", ").p(ident.city, "ADDRESS").t(f", {ident.state} ").p(ident.zip, "ADDRESS")
    w.t(f"  (gate code {_digits(r, 4)}, dog in yard)\n" if r.random() < 0.3 else "\n")
    old = min(99, ident.stated_age + r.randrange(18, 32))
    xrole = r.choice(["sister", "brother", "granddaughter", "neighbor", "niece", "best friend", "nephew"])
    extra = c.person(sex={"sister": "f", "granddaughter": "f", "niece": "f", "brother": "m", "nephew": "m"}.get(xrole))
    if kind == 0:
        w.t(f"Terminal dx: {r.choice(['metastatic pancreatic ca', 'end-stage COPD', 'ALS', 'CHF NYHA IV', 'glioblastoma'])}. PPS 40%.\n")
        w.t("Hospice election ").date(when).t("; attending of record ").who(md, "PROVIDER", "drfull").t(" (NPI ").p(c.npi(), "MRN").t(").\n")
        w.t("Primary caregiver: ")
        if rels:
            _relative(w, r, rels[0], full=True).t(", ").p(rels[0].phone, "PHONE")
        else:
            w.t(f"{xrole} ").p(extra.full, "RELATIVE", extra.key)
        w.t(f". Also involved: {xrole} ").p(extra.full, "RELATIVE", extra.key).t(" from ").town(c.town())
        w.t(". DME (hospital bed, O2 concentrator) from ").p(c.supplier(), "LOCATION").t(".\n")
    elif kind == 1:
        w.t(f"Faith: {r.choice(FAITHS)}. Community: ").p(church, "LOCATION").t("; ")
        w.nm(f"{title} ", leader.family, "PROVIDER", key=leader.key).t(" visits monthly, ").p(c.phone(), "PHONE").t(".\n")
        w.t("Pt tearful, life review: grew up in ").town(c.town()).t(f", worked {r.randrange(20, 40)} yrs at ").p(c.employer(), "LOCATION")
        w.t(". Wishes to reconcile with estranged ").t(f"{xrole} ").p(extra.full, "RELATIVE", extra.key).t(".\n")
        if old >= 90:
            w.t("Worries about ").p(old_age(old, r), "DATE").t(f" {r.choice(['mother', 'father'])} in ").p(c.nursing_home(), "HOSPITAL").t(".\n")
        w.t("Prayer and Psalm 23 per request. Funeral planning: ").p(fh, "LOCATION").t(".\n")
    else:
        death = when - timedelta(days=r.randrange(20, 380))
        w.t("Date of death: ").date(death).t(f" at {r.choice(['0410', '2235', '1150', '0605'])}, at home. ")
        w.t("Services by ").p(fh, "LOCATION").t(", burial at ").p(c.fresh(lambda: f"{c.town_name()} {r.choice(['Cemetery', 'Memorial Gardens'])}"), "LOCATION").t(".\n")
        w.t("Bereavement follow-up (13-month plan): phone call to ")
        if rels:
            _relative(w, r, rels[0]).t(" at ").p(rels[0].phone, "PHONE")
        else:
            w.t(f"{xrole} ").p(extra.full, "RELATIVE", extra.key).t(" at ").p(c.phone(), "PHONE")
        w.t(". Reports poor sleep, attends grief group at ").p(church, "LOCATION").t(" led by ")
        w.nm(f"{title} ", leader.family, "PROVIDER", key=leader.key).t(". Anniversary mailing due ").date(death + timedelta(days=365)).t(".\n")
    w.t("Plan of care reviewed by IDT. ").who(rn, "PROVIDER", "full").t(", RN case manager.")
    return _sig(w, r, chap, "MDiv, BCC" if kind else "RN", "Chaplain" if kind else "Admission nurse")


INTAKE_QS = ["What brings you in today?", "Who should we contact in an emergency?", "Preferred pharmacy?",
             "What name do you like to be called?", "Anything else you want your doctor to know?"]


def patient_portal(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = _pat(ident)
    nurse = _who(r.choice(_staff(staff, "nurse")))
    doc = _who(r.choice(_staff(staff, "attending")))
    friend = c.person()
    nick = c.nickname(pt.key)
    pharmacy = c.pharmacy()
    lower = r.random() < 0.6
    low = (lambda s: s.lower()) if lower else (lambda s: s)
    rel = ident.relatives[0] if ident.relatives else None
    if r.random() < 0.5:  # intake questionnaire
        w.t("NEW PATIENT QUESTIONNAIRE (patient-entered via portal)\nSubmitted ").stamp(when - timedelta(days=r.randrange(1, 6)), *_clock(r))
        w.t("\nPatient: ").who(pt, "PATIENT", "full").t("  DOB ").date(ident.birth_date).t("\n\n")
        w.t(f"Q: {INTAKE_QS[0]}\nA: ", r.choice(["my back has been killing me since i moved my moms couch",
                                                    "headaches every day for like 3 weeks", "need a new doc, mine retired",
                                                    "tired all the time and my feet tingle"]), "\n")
        w.t(f"Q: {INTAKE_QS[1]}\nA: ")
        if rel:
            w.nm(f"my {rel.role} ", low(rel.given), "RELATIVE", key=("id", rel.given, rel.family)).t(" cell ").p(rel.phone, "PHONE").t(" or ")
        w.t("my friend ").p(low(friend.full), "RELATIVE", friend.key).t(" ").p(c.mail(friend.given, friend.family), "EMAIL").t("\n")
        w.t(f"Q: {INTAKE_QS[2]}\nA: ").p(pharmacy, "HOSPITAL").t(" on ").p(c.street(), "ADDRESS").t(" in ").town(c.town()).t("\n")
        w.t(f"Q: {INTAKE_QS[3]}\nA: ")
        if nick:
            w.t("everyone calls me ").nm("\"", low(nick), "PATIENT", "\"", pt.key).t("\n")
        else:
            w.t("my first name is fine\n")
        w.t(f"Q: {INTAKE_QS[4]}\nA: ")
        g, f = ident.given.lower(), ident.family.lower()
        cue, url = r.choice([("my family posts updates at ", f"www.caringbridge.org/visit/{g}{f}"),
                             ("my daughter set up a fundraiser for my surgery at ", f"https://www.gofundme.com/f/help-{g}-{f}"),
                             ("pics of the rash are on my facebook ", f"facebook.com/{g}.{f}.{r.randrange(10, 999)}"),
                             ("i keep a blog about my health at ", f"http://{g}{f}{r.randrange(10, 99)}.wordpress.com")])
        w.t(cue).p(url, "EMAIL", pt.key)
        w.t(" if that helps\n")
    else:  # portal e-mail thread
        sent = when - timedelta(days=r.randrange(1, 5))
        w.t("From: ").p(ident.email, "EMAIL", pt.key).t(f"\nTo: {r.choice(['Clinic inbox', 'Nurse triage pool', 'Care team'])}\nSent: ")
        w.stamp(sent, *_clock(r, 6, 23)).t(f"\nSubject: {r.choice(['refill', 'question about my labs', 'rash??', 'forms for work'])}\n\n")
        w.t("hi ").p(low(f"dr {doc.family}"), "PROVIDER", doc.key).t(r.choice([" its ", " this is "]))
        w.p(low(ident.full), "PATIENT", pt.key)
        if nick and r.random() < 0.5:
            w.t(" (").nm("aka ", low(nick), "PATIENT", key=pt.key).t(")")
        w.t(". ", r.choice(["can u send my lisinopril to ", "the cream isnt working, can you call it in at ", "need my metformin refilled at "]))
        w.p(low(pharmacy), "HOSPITAL").t(" on ").p(c.street(), "ADDRESS").t(". ")
        w.t("my new cell is ").p(c.phone(), "PHONE").t(" and my other email is ").p(c.mail(ident.given, ident.family), "EMAIL")
        if rel:
            w.t(". if i dont answer call ").nm(f"my {rel.role} ", low(rel.given), "RELATIVE", key=("id", rel.given, rel.family))
        w.t("\nthanks\n").p(low(ident.full) if r.random() < 0.5 else f"{ident.given[0]}. {ident.family}", "PATIENT", pt.key)
        w.t("\n\n----- Reply -----\nFrom: ").who(nurse, "PROVIDER", "full").t(", RN\nSent: ").stamp(sent + timedelta(days=1), *_clock(r, 8, 17))
        w.t("\n").nm("Hi ", ident.given, "PATIENT", key=pt.key).t(", ").who(doc, "PROVIDER", "dr")
        w.t(" sent the refill. Please schedule labs before your visit on ").date(when + timedelta(days=r.randrange(7, 40)))
        w.t(". Call us at ").p(c.home_phone, "PHONE").t(" with questions.\n")
    w.t("\n-- portal audit --\nAccount: ").p(f"{ident.given[0]}{ident.family}{r.randrange(1, 99)}".lower(), "EMAIL", pt.key)
    w.t("  Login IP: ").p(c.ip(), "EMAIL").t(f"  ({r.choice(['Chrome/Windows', 'Safari/iPhone', 'Android app'])})")
    w.t("  Session ").p(f"{_letters(r, 4)}{_digits(r, 8)}", "MRN").t("\n")
    return w


WRITERS: dict[str, Callable[..., W]] = {name: globals()[name] for name in STYLES_E}
CAPS = {"autopsy": 0.55, "transfer_center": 0.35, "ophthalmology": 0.3, "dialysis": 0.25, "work_status": 0.2,
        "oral_surgery": 0.2, "device_check": 0.3, "sleep_study": 0.15, "hospice": 0.1}


def make_writer(note_cls, seed: int, policy):
    """A ``write_note``-like function for the e styles.

    Parameters
    ----------
    note_cls:
        The benchmark's ``Note`` class (``t``/``p`` API).
    seed:
        Seed for this module's Faker instance and the fictional hospital system.
    policy:
        The benchmark's :class:`NamePolicy` (surrogate tokens are never planted; names its
        generator has handed out are not drawn again here).

    Returns
    -------
    callable
        ``write(style, ident, staff, fake, rng, when) -> Note``; ``fake`` is not used (this set
        draws from its own seeded Faker), ``rng`` drives every choice.
    """
    ctx = Ctx(seed, policy)

    def write(style: str, ident, staff, fake: Faker, rng: random.Random, when: date):
        ctx.rng = rng
        caps = rng.random() < CAPS.get(style, 0.0)
        w = W(note_cls(), ctx, caps, rng)
        WRITERS[style](w, ctx, ident, staff, when)
        return w.note

    return write
