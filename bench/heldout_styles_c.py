"""Held-out note styles, set c, for ``bench/deid_heldout_export.py --styles c``.

Twelve kinds of ICU and ward nursing note in the manner of a US teaching hospital's electronic
nursing documentation of the 2000s (terse, often all in capitals, system by system, heavy
abbreviation, dates as ``7/22``, ``7-22`` or ``07/22/04``, clock times as ``0300`` or ``@ 2000``):
an ICU shift progress note, a nursing admission note with social history, a family-communication
note, a transfer note (to the floor or to an outside rehab / nursing facility), a respiratory
therapy note, a case-management / discharge-planning note, a code / rapid-response event note, a
neonatal ICU note with the parents, a cardiac-surgery recovery note, a psychiatric 1:1 sitter
note, an addendum and a one-line note.

Written from general knowledge of that style, without reading the de-identification code, its
data, its training templates, its tests, its documentation or any corpus in the shared data
folder (only the benchmark scaffolding, set b, the demo's identity, writer, check, manifest and
planting modules and the ingest format description were read), as a third independent set.
Patients, their relatives and the hospital's own staff come from the benchmark's generator;
everyone and everything else (house officers, NPs, fellows, therapists, sitters, case managers,
outside clinicians, relatives and friends, relatives abroad, towns and neighbourhoods, streets,
phones and pagers, employers, churches, ambulance companies, outside hospitals, rehabs and
nursing homes) from seeded Faker instances (``en_US`` and eight others) and this module's own
small lists. The hospital itself is
a fictional system made up per seed (a medical center, a rehabilitation hospital and a sister
hospital, each with its acronym).

PHI kinds are those the benchmark already uses. Conventions of this set: the patient's nickname
is ``PATIENT``; relatives, friends, neighbours and health-care proxies ``RELATIVE``; all
clinicians, sitters, chaplains, therapists and case managers ``PROVIDER``; the patient's own
street and town ``ADDRESS``, any other town, neighbourhood or city (also abroad) ``LOCATION``;
employers, churches, schools and ambulance companies ``LOCATION``; hospitals, rehabs, nursing
homes, VNAs and practices (and the home hospital's acronyms) ``HOSPITAL``; pagers, beepers and
extensions ``PHONE``; the MRN and reference numbers ``MRN``; member numbers ``INSURANCE``; dates,
day-of-month ordinals, years and ages over 89 ``DATE`` (the benchmark looks for a date in its
patient's stored notes when it is at least eight characters long, so ages are mostly written out
as ``92 year old``). State names, countries, weekdays, "yesterday", clock times, unit names
(MICU, 7 West) and bed numbers are written but not planted. A planted value of a single word is
a word this module writes nowhere else, not an everyday English word and no surrogate token;
otherwise its cue is part of the planted value (``Dr. Bell``, ``HO Hall``, ``wife Faith``), so
that the value can only be found where it was planted.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from coordinator.demo.identities import NAME_BLOCKLIST

STYLES_C = ("icu_shift", "nursing_admission", "family_comm", "transfer", "respiratory", "case_mgmt",
            "code_event", "nicu", "cardiac_postop", "sitter", "addendum", "one_liner")

NOTE_TYPES_C = {
    "icu_shift": "Nursing progress note", "nursing_admission": "Nursing admission note",
    "family_comm": "Nursing progress note", "transfer": "Nursing transfer note",
    "respiratory": "Respiratory therapy note", "case_mgmt": "Case management note",
    "code_event": "Event note", "nicu": "NICU nursing note", "cardiac_postop": "Nursing progress note",
    "sitter": "Nursing progress note", "addendum": "Addendum", "one_liner": "Nursing progress note",
}

# ---- begin name and place lists (not template text) ----
#: Surnames that are also English words or eponyms; always planted with their cue.
WORD_SURNAMES = ("Bell", "Young", "Rich", "Hall", "Parkinson", "Baker", "Hunt", "Marsh", "Frost", "Stone",
                 "Rice", "Price", "Wood", "King", "Black", "Snow", "Page", "Ward", "Little", "Strong",
                 "Cook", "Bishop", "Mills", "Banks", "Fox", "Lamb", "Moody", "Hale", "Sharp", "Love",
                 "Graves", "Paget", "Addison", "Bright", "Cushing", "Crane", "Gamble", "Savage")

#: Towns and neighbourhoods of New England families.
NE_TOWNS = ("Dorchester", "Worcester", "Quincy", "Brockton", "Lowell", "Revere", "Chelsea", "Somerville",
            "Malden", "Medford", "Framingham", "Natick", "Fall River", "New Bedford", "Taunton", "Haverhill",
            "Methuen", "Peabody", "Lynn", "Roxbury", "Mattapan", "Jamaica Plain", "Hyde Park", "Roslindale",
            "Charlestown", "East Boston", "South Boston", "Brighton", "Waltham", "Woburn", "Braintree",
            "Weymouth", "Milton", "Dedham", "Needham", "Randolph", "Stoughton", "Attleboro", "Fitchburg",
            "Leominster", "Springfield", "Nashua", "Manchester", "Pawtucket", "Cranston", "Woonsocket",
            "Hyannis", "Falmouth", "Gloucester", "Marblehead", "Beverly", "Andover", "Billerica",
            "Chelmsford", "Dracut", "Tewksbury", "Saugus", "Wakefield", "Stoneham", "Arlington", "Belmont",
            "Watertown", "Newton", "Brookline", "Cambridge", "Plymouth", "Marshfield", "Scituate",
            "Lawrence", "Salem", "Danvers", "Burlington", "Lexington", "Concord", "Keene", "Derry",
            "Salisbury", "Amesbury", "Westford", "Shrewsbury", "Holyoke", "Chicopee", "Pittsfield")

#: Saints of parishes and hospitals.
SAINTS = ("Aidan", "Brendan", "Columba", "Jude", "Vincent", "Elizabeth", "Anne", "Luke", "Raphael",
          "Bernadette", "Francis", "Joseph", "Monica", "Cecilia", "Ambrose", "Gregory", "Agnes", "Brigid",
          "Casimir", "Anthony", "Theresa", "Margaret", "Dominic", "Kevin", "Patrick")

#: Made-up bases for the home hospital system (two words, so acronyms have four letters).
SYSTEM_BASES = ("Kestrel Bay", "Merrow Point", "Fenwick Harbor", "Calloway Hill", "Alder Brook",
                "Tenney Ridge", "Quarry Falls", "Wexcombe Glen", "Harlow Crossing", "Brindle Cove",
                "Ossery Park", "Pellham Heights")

#: Nicknames people go by.
NICKNAMES = ("Bud", "Sonny", "Butch", "Skip", "Chip", "Buzz", "Sully", "Smitty", "Tex", "Bubba", "Scooter",
             "Peg", "Dot", "Bunny", "Tootie", "Babs", "Sissy", "Honey", "Lefty", "Red", "Doc", "Mac", "Junior",
             "Boots", "Cookie", "Dolly", "Midge", "Rusty", "Tiny", "Spike")
GIVEN_NICK = {"robert": "Bob", "william": "Bill", "richard": "Dick", "james": "Jim", "john": "Jack",
              "edward": "Ned", "charles": "Chuck", "thomas": "Tom", "joseph": "Joe", "francis": "Frank",
              "margaret": "Peggy", "elizabeth": "Betty", "patricia": "Pat", "dorothy": "Dottie",
              "catherine": "Kay", "kathleen": "Kathy", "barbara": "Babs", "frances": "Fran",
              "theresa": "Terry", "michael": "Mikey", "anthony": "Tony", "daniel": "Dan", "david": "Dave",
              "gerald": "Jerry", "donald": "Don", "ronald": "Ron", "kenneth": "Ken", "raymond": "Ray",
              "lawrence": "Larry", "eleanor": "Ellie", "virginia": "Ginny", "deborah": "Deb", "susan": "Sue",
              "christopher": "Chris", "matthew": "Matt", "steven": "Steve", "stephen": "Steve",
              "jennifer": "Jen", "gregory": "Greg", "timothy": "Tim", "douglas": "Doug", "jeffrey": "Jeff"}

#: Where relatives abroad live: locale of their names -> (country as written, own towns or None for Faker's).
ABROAD = {
    "pt_PT": ("the Azores", ("Ponta Delgada", "Angra do Heroismo", "Horta", "Ribeira Grande", "Lagoa")),
    "es_CO": ("Colombia", None),
    "pl_PL": ("Poland", None),
    "en_IE": ("Ireland", ("Galway", "Cork", "Limerick", "Sligo", "Tralee", "Ennis", "Killarney", "Dundalk")),
    "it_IT": ("Italy", ("Avellino", "Salerno", "Bari", "Palermo", "Caserta", "Benevento", "Agrigento")),
    "fr_FR": ("Haiti", ("Port-au-Prince", "Cap-Haitien", "Jacmel", "Les Cayes", "Gonaives", "Petion-Ville")),
    "es_ES": ("the DR", ("Santo Domingo", "San Pedro de Macoris", "La Romana", "Puerto Plata", "Bani")),
    "vi_VN": ("Vietnam", ("Hue", "Da Nang", "Can Tho", "Hai Phong", "Nha Trang", "Vung Tau")),
}

#: Street suffixes as nurses write them.
STREET_SFX = ("St", "St.", "Ave", "Ave.", "Rd", "Road", "Street", "Terr", "Pl", "Dr", "Ln", "Way", "Ct")
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


#: Words this module writes outside its name and place lists; a planted single word must be none of these.
TEMPLATE_WORDS = frozenset(re.findall(r"[^\W\d_]+", _TEMPLATE_TEXT.lower())
                           + [w for country, _ in ABROAD.values() for w in re.findall(r"[^\W\d_]+", country.lower())])
COMMON_WORDS = _english_words() | NAME_BLOCKLIST | {w.lower() for w in WORD_SURNAMES}


def _ascii(s: str) -> str:
    """Accents dropped, as a US chart writes a foreign name (``Nguyễn`` -> ``Nguyen``)."""
    s = s.replace("Đ", "D").replace("đ", "d").replace("ł", "l").replace("Ł", "L")
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def _nth(k: int) -> str:
    """``22`` -> ``22nd``."""
    return f"{k}{'th' if 11 <= k % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


def _digits(rng: random.Random, k: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(k))


def _single_word(value: str) -> bool:
    return bool(re.fullmatch(r"[^\W\d_]+", value))


class Ctx:
    """Seeded sources of people, places and the fictional home hospital system.

    Parameters
    ----------
    seed:
        Seed of this module's Faker instances and of the hospital system.
    policy:
        The benchmark's :class:`~coordinator.demo.identities.NamePolicy`; no token of a planted
        value is one of its surrogate tokens.
    """

    def __init__(self, seed: int, policy) -> None:
        self.policy = policy
        self.us = Faker("en_US")
        self.us.seed_instance(seed * 1000 + 303)
        self.abroad: dict[str, Faker] = {}
        for i, loc in enumerate(sorted(ABROAD)):
            fk = Faker(loc)
            fk.seed_instance(seed * 1000 + 310 + i)
            self.abroad[loc] = fk
        self.rng = random.Random(seed)
        self.used: set[tuple[str, str]] = set()
        self._build_system(random.Random(seed * 7919 + 17))

    # ---- guards -------------------------------------------------------------------------------
    def free(self, value: str) -> bool:
        """No token of ``value`` is a surrogate token."""
        return not any(t in self.policy.surrogates for t in re.findall(r"[^\W\d_]+", value.lower()))

    def bare_ok(self, word: str) -> bool:
        """``word`` may be planted by itself: written nowhere else and no common word or surrogate."""
        low = word.lower()
        return (len(low) >= 3 and low not in TEMPLATE_WORDS and low not in COMMON_WORDS
                and low not in self.policy.surrogates)

    def _name_ok(self, name: str) -> bool:
        if not re.fullmatch(r"[A-Z][^\W\d_]+(?:['’ -][^\W\d_]+)*", name):
            return False
        toks = [t for t in re.findall(r"[^\W\d_]+", name) if len(t) > 2]
        return bool(toks) and all(self.bare_ok(t) for t in toks)

    # ---- people -------------------------------------------------------------------------------
    def person(self, loc: str | None = None, sex: str | None = None, word: bool = False) -> tuple[str, str]:
        """A ``(given, family)`` free to plant; ``word``: the family name is an English word.

        Parameters
        ----------
        loc:
            Faker locale of a relative abroad (``None``: US).
        sex:
            ``"f"``, ``"m"`` or ``None``.
        word:
            Draw the surname from :data:`WORD_SURNAMES` (planted with a cue only).
        """
        fk = self.abroad[loc] if loc else self.us
        for _ in range(400):
            given = {"f": fk.first_name_female, "m": fk.first_name_male}.get(sex or "", fk.first_name)()
            family = self.rng.choice(WORD_SURNAMES) if word else fk.last_name()
            given, family = _ascii(given), _ascii(family)
            if " " in given or (given, family) in self.used or not self._name_ok(given):
                continue
            if (word and self.free(family)) or (not word and self._name_ok(family)):
                self.used.add((given, family))
                return given, family
        raise RuntimeError(f"no free name in {loc}")

    def given(self, loc: str | None = None, sex: str | None = None) -> str:
        return self.person(loc, sex)[0]

    def nickname(self, given: str) -> str:
        """What the patient goes by: a short form of the given name or an old-fashioned nickname."""
        short = GIVEN_NICK.get(given.lower())
        pool = [short] if short and self.rng.random() < 0.6 else list(NICKNAMES)
        for _ in range(50):
            nick = self.rng.choice(pool)
            if self.free(nick):
                return nick
            pool = list(NICKNAMES)
        return "Sully"

    # ---- places -------------------------------------------------------------------------------
    def town(self, loc: str | None = None) -> str:
        """A US town or neighbourhood (own list or Faker), or a town abroad for ``loc``."""
        for _ in range(300):
            if loc:
                own = ABROAD[loc][1]
                town = self.rng.choice(own) if own else _ascii(self.abroad[loc].city())
            else:
                town = self.rng.choice(NE_TOWNS) if self.rng.random() < 0.65 else self.us.city()
            if not self.free(town) or "\n" in town:
                continue
            if _single_word(town) and not self.bare_ok(town):
                continue
            return town
        raise RuntimeError("no free town")

    def street(self) -> str:
        """A street line as a nurse copies it (``14 Grafton St``, ``88 Pleasant Ave #2``)."""
        for _ in range(300):
            name = self.us.last_name() if self.rng.random() < 0.5 else self.us.street_name().split()[0]
            if not self.free(name) or not name.isalpha():
                continue
            line = f"{self.rng.randrange(2, 400)} {name} {self.rng.choice(STREET_SFX)}"
            return line + self.rng.choice(["", "", "", f" #{self.rng.randrange(1, 12)}", f" Apt {self.rng.randrange(1, 40)}"])
        raise RuntimeError("no free street")

    def surname(self) -> str:
        return self.person()[1]

    def outside_hospital(self) -> str:
        r = self.rng
        forms: list[Callable[[], str]] = [
            lambda: f"{self.town()} Hospital", lambda: f"{self.town()} Regional Medical Center",
            lambda: f"St. {r.choice(SAINTS)}'s Hospital", lambda: f"{self.surname()} Memorial Hospital",
            lambda: f"{self.town()} Community Hospital", lambda: f"{self.town()} VA",
            lambda: f"{self.town()} General"]
        return self._pick(forms)

    def facility(self) -> str:
        """A rehab, nursing home or skilled nursing facility."""
        r = self.rng
        forms: list[Callable[[], str]] = [
            lambda: f"{self.surname()} Manor", lambda: f"{self.surname()} Nursing and Rehab",
            lambda: f"{self.town()} Rehab", lambda: f"{self.surname()} House", lambda: f"{self.town()} Skilled Nursing",
            lambda: f"{self.town()} Healthcare Center", lambda: f"St. {r.choice(SAINTS)}'s Nursing Home",
            lambda: f"{self.surname()} Rehabilitation and Nursing Center", lambda: f"{self.town()} Commons"]
        return self._pick(forms)

    def practice(self) -> str:
        """A primary-care practice outside the hospital."""
        return self._pick([lambda: f"{self.town()} Family Practice", lambda: f"{self.surname()} Internal Medicine",
                           lambda: f"{self.town()} Health Center", lambda: f"{self.town()} Medical Associates"])

    def employer(self) -> str:
        forms: list[Callable[[], str]] = [
            lambda: f"{self.surname()} Construction", lambda: f"{self.town()} Public Schools",
            lambda: f"{self.town()} DPW", lambda: f"{self.surname()} Plumbing and Heating",
            lambda: f"{self.surname()} Auto Body", lambda: f"{self.surname()}'s Market",
            lambda: f"{self.town()} Fire Dept", lambda: f"{self.surname()} Brothers Moving",
            lambda: f"{self.surname()} Tool & Die", lambda: f"{self.surname()} Insurance Agency",
            lambda: f"{self.town()} Savings Bank", lambda: _ascii(self.us.company())]
        return self._pick(forms)

    def church(self) -> str:
        r = self.rng
        forms: list[Callable[[], str]] = [
            lambda: f"St. {r.choice(SAINTS)}'s", lambda: f"{self.town()} Congregational Church",
            lambda: f"First Baptist Church of {self.town()}", lambda: f"{self.surname()} Memorial AME Church",
            lambda: f"{self.town()} Kingdom Hall", lambda: f"Our Lady of {r.choice(('Lourdes', 'Fatima', 'Good Counsel', 'Perpetual Help'))} in {self.town()}"]
        return self._pick(forms)

    def ambulance(self) -> str:
        return self._pick([lambda: f"{self.surname()} Ambulance", lambda: f"{self.town()} EMS",
                           lambda: f"{self.surname()} Medical Transport"])

    def _pick(self, forms: Sequence[Callable[[], str]]) -> str:
        for _ in range(100):
            value = self.rng.choice(forms)()
            if self.free(value):
                return value
        raise RuntimeError("no free place")

    # ---- the home hospital system ----------------------------------------------------------------
    def _build_system(self, r: random.Random) -> None:
        bases = [b for b in SYSTEM_BASES if self.free(b) and self.bare_ok(b.split()[0])]
        b1, b2, b3 = r.sample(bases, 3)

        def acr(base: str, tail: str) -> str:
            return "".join(w[0] for w in base.split()) + tail

        self.main, self.main_acr = f"{b1} Medical Center", acr(b1, "MC")
        self.main_short = b1.split()[0]
        self.rehab, self.rehab_acr = f"{b2} Rehabilitation Hospital", acr(b2, "RH")
        self.sister, self.sister_acr = f"{b3} Memorial Hospital", acr(b3, "MH")
        self.sister_short = b3
        assert len({self.main_acr, self.rehab_acr, self.sister_acr}) == 3
        assert not {a.lower() for a in (self.main_acr, self.rehab_acr, self.sister_acr)} & TEMPLATE_WORDS

    def home(self) -> str:
        """The home hospital as a note names it: full name, acronym, campus or short name."""
        r = self.rng
        return r.choice([self.main, self.main_acr, self.main_acr, f"{self.main_acr} East", f"{self.main_acr}-West",
                         self.main_short, f"{self.main_short} Med"])

    def system_hospital(self) -> str:
        """The system's sister hospital or rehab hospital."""
        r = self.rng
        return r.choice([self.sister, self.sister_acr, self.sister_short, self.rehab, self.rehab_acr])

    # ---- numbers ---------------------------------------------------------------------------------
    def phone(self) -> str:
        """A fictional US number (555 exchange, never the 555-01xx the patients file uses)."""
        r = self.rng
        a = r.choice(["617", "781", "508", "978", "413", "603", "401", "774", "339", "857"])
        x = f"{r.randrange(2, 10)}{_digits(r, 3)}"
        return r.choice([f"({a}) 555-{x}", f"{a}-555-{x}", f"{a}.555.{x}", f"{a} 555 {x}", f"({a})555-{x}",
                         f"1-{a}-555-{x}"])

    def pager(self) -> str:
        """A pager or extension: five digits, ``x4-1234`` or ``#5-4321`` (four digits alone read as times)."""
        r = self.rng
        return r.choice([f"x{r.randrange(2, 8)}-{_digits(r, 4)}", f"{r.randrange(2, 9)}{_digits(r, 4)}",
                         f"{r.randrange(2, 8)}-{_digits(r, 4)}"])

    # ---- dates -----------------------------------------------------------------------------------
    def d_short(self, d: date) -> str:
        return self.rng.choice([f"{d.month}/{d.day}", f"{d.month}-{d.day}", f"{d:%m/%d}"])

    def d_year(self, d: date) -> str:
        return self.rng.choice([f"{d:%m/%d/%y}", f"{d:%m/%d/%y}", f"{d.month}/{d.day}/{d:%y}", f"{d.month}/{d.day}/{d.year}",
                                f"{d:%m/%d/%Y}", f"{d:%m-%d-%y}", f"{d.month}-{d.day}-{d.year}", f"{d:%m-%d-%Y}"])

    def d_any(self, d: date) -> str:
        return self.d_year(d) if self.rng.random() < 0.65 else self.d_short(d)


def _pronouns(sex: str) -> tuple[str, str, str]:
    return ("she", "her", "her") if sex == "female" else ("he", "him", "his")


class W:
    """A note being written: the benchmark's ``Note`` plus all-caps and name-cue handling."""

    def __init__(self, note, c: Ctx, caps: bool) -> None:
        self.note, self.c, self.caps = note, c, caps

    def _case(self, s: str) -> str:
        return s.upper() if self.caps else s

    def t(self, *texts: str) -> W:
        self.note.t(*(self._case(x) for x in texts))
        return self

    def p(self, value: str, kind: str) -> W:
        self.note.p(self._case(value), kind)
        return self

    def nm(self, cue: str, value: str, kind: str, after: str = "") -> W:
        """Write ``cue + value + after``; a single word that is not free by itself is planted with its cue."""
        if not _single_word(value) or self.c.bare_ok(value):
            return self.t(cue).p(value, kind).t(after)
        lead = cue[:len(cue) - len(cue.lstrip())]
        trail = after[len(after.rstrip()):]
        return self.t(lead).p((cue + value + after).strip(), kind).t(trail)


# ---------------------------------------------------------------------------------------------------
# pieces shared by the styles


def _staff(staff, role: str):
    return [s for s in staff if s.role == role] or list(staff)


def _dr(w: W, r: random.Random, family: str, after: str = "") -> W:
    """``Dr. X`` / ``DR X`` / ``Dr X`` / lower-case ``dr x`` (the title is part of the value)."""
    form = r.choice(["Dr. ", "Dr. ", "Dr ", "DR ", "dr "])
    name = family.lower() if form == "dr " and r.random() < 0.7 else family.upper() if form == "DR " else family
    return w.p(form + name, "PROVIDER").t(after)


def _clinician(w: W, c: Ctx, r: random.Random, given: str, family: str) -> W:
    """A clinician named somewhere in the text, in one of the forms nurses use."""
    form = r.randrange(8)
    if form == 0:
        return w.nm("HO ", family, "PROVIDER")
    if form == 1:
        return w.nm("NP ", given, "PROVIDER")
    if form == 2:
        return w.p(f"{given} {family}", "PROVIDER")
    if form == 3:
        return w.nm("", family, "PROVIDER", " aware") if c.bare_ok(family) else _dr(w, r, family, " aware")
    if form == 4:
        return w.p(f"{given[0]}. {family}", "PROVIDER")
    return _dr(w, r, family)


def _sign(w: W, c: Ctx, r: random.Random, given: str, family: str, cred: str = "RN") -> W:
    """A signature line: ``J. Lastname RN``, ``FIRSTNAME LASTNAME, RN``, initials."""
    form = r.randrange(7)
    w.t("\n")
    if form == 0:
        return w.p(f"{given[0]}. {family}", "PROVIDER").t(f" {cred}\n")
    if form == 1:
        return w.p(f"{given} {family}".upper(), "PROVIDER").t(f", {cred}\n")
    if form == 2:
        return w.t("-").p(f"{given[0]}.{family[0]}.", "PROVIDER").t(f" {cred}\n")
    if form == 3:
        middle = "ABCDEGJKLMPRST"[sum(map(ord, given + family)) % 14]  # one person, one set of initials
        ini = f"{given[0]}{middle}{family[0]}".lower()
        if c.bare_ok(ini):
            return w.t("--").p(ini, "PROVIDER").t("\n")
    if form == 4:
        return w.p(f"{family}, {given}", "PROVIDER").t(f" {cred}\n")
    if form == 5:
        return w.nm("", given, "PROVIDER", f" {cred}\n") if c.bare_ok(given) else w.p(f"{given} {family[0]}.", "PROVIDER").t(f" {cred}\n")
    return w.p(f"{given} {family}", "PROVIDER").t(f", {cred}\n")


def _old_relative(ident, r: random.Random) -> tuple[str, int] | None:
    """A parent or older sibling over 89, when the patient's age allows one."""
    if ident.stated_age >= 83 and r.random() < 0.5:
        return r.choice(["sister", "brother"]), r.randrange(max(90, ident.stated_age + 2), ident.stated_age + 9)
    age = min(99, ident.stated_age + r.randrange(18, 33))
    if age >= 90:
        return r.choice(["mother", "mother", "father"]), age
    return None


def _age_words(age: int, r: random.Random) -> str:
    return r.choice([f"{age} year old", f"{age}-year-old", f"{age} yrs old", f"{age} year-old", f"{age} yo"])


def _time(r: random.Random) -> str:
    h, m = r.randrange(24), r.choice([0, 0, 15, 30, 45, r.randrange(60)])
    return r.choice([f"{h:02d}{m:02d}", f"{h:02d}{m:02d}", f"{h:02d}:{m:02d}"])


def _rel_word(role: str, r: random.Random) -> str:
    return {"daughter": r.choice(["dtr", "daughter", "DTR"]), "son": "son", "wife": "wife", "husband": r.choice(["husband", "hus"]),
            "mother": r.choice(["mother", "mom"]), "father": r.choice(["father", "dad"])}.get(role, role)


def _relative(w: W, c: Ctx, r: random.Random, rel, full: bool | None = None) -> W:
    """A relative of the generator: ``wife Mary``, ``dtr SUSAN``, ``son John Smith``."""
    word = _rel_word(rel.role, r)
    full = r.random() < 0.35 if full is None else full
    if full:
        return w.t(f"{word} ").p(rel.full, "RELATIVE")
    value = rel.given.upper() if r.random() < 0.2 else rel.given
    return w.nm(f"{word} ", value, "RELATIVE")


def _phone_forms(phone: str, r: random.Random) -> str:
    """``(617) 555-0143`` as a nurse copies it down."""
    m = re.fullmatch(r"\((\d{3})\) (\d{3})-(\d{4})", phone)
    if not m:
        return phone
    a, b, x = m.groups()
    return r.choice([phone, f"{a}-{b}-{x}", f"{a}.{b}.{x}", f"{a} {b} {x}", f"({a}){b}-{x}", f"{a}{b}{x}"])


def _reach(w: W, r: random.Random, phone: str) -> W:
    cue = r.choice([" can be reached at ", ", cell ", " (c) ", " at ", ", home # ", " - ph ", ", #"])
    return w.t(cue).p(phone, "PHONE")


def _extra_relative(c: Ctx, r: random.Random, ident) -> tuple[str, str, str, str | None]:
    """``(role, given, family, locale)`` of a relative or friend not in the patients file."""
    ex = "ex-husband" if ident.sex == "female" else "ex-wife"
    role = r.choice(["sister", "brother", "niece", "nephew", "friend", "neighbor", "cousin", "granddaughter",
                     "grandson", "dtr-in-law", "son-in-law", ex, "companion"])
    sex = "f" if role in ("sister", "niece", "granddaughter", "dtr-in-law", "ex-wife") else \
        "m" if role in ("brother", "nephew", "grandson", "son-in-law", "ex-husband") else None
    loc = r.choice(sorted(ABROAD)) if r.random() < 0.25 and role in ("sister", "brother", "cousin", "niece", "nephew") else None
    g, f = c.person(loc, sex)
    if role in ("brother", "grandson", "nephew") and r.random() < 0.5:
        f = ident.family
    return role, g, f, loc


# ---------------------------------------------------------------------------------------------------
# clinical text (no PHI)

NEURO = ["A&Ox3, MAE, follows commands consistently. PERRL 3mm brisk.",
         "Sedated on propofol {p} mcg/kg/min, RASS -{s}, opens eyes to voice, not following commands. Fentanyl gtt @ {f} mcg/hr.",
         "Alert, oriented to self only, intermittently confused overnight, reoriented frequently. No focal deficits noted.",
         "GCS 15. Denies HA. C/o pain {n}/10 {site}, medicated w/ morphine 2 mg IV x2 w/ relief to {m}/10.",
         "Lethargic but arousable to voice, garbled speech, R sided weakness unchanged from admit. Q1h neuro checks.",
         "CIWA 10-14 overnight, rec'd ativan 1 mg IV x3 for tremors/agitation. Seizure precautions maintained.",
         "A&O x2, forgetful, pleasant. Hx Parkinson's disease, cont on sinemet. Moves all ext, gen weakness.",
         "Opens eyes spont, tracks, does not follow commands off sedation. Pupils 2mm sluggish. Dilantin level pending."]
CV = ["NSR 70s-80s, no ectopy. SBP 110s-130s. Lopressor 25 mg PO given as ordered.",
      "Afib 90s-110s, dilt gtt @ 10 mg/hr, converted to SR 70s @ {t}. Heparin gtt @ 1000 u/hr, PTT {ptt}, next due @ {t2}.",
      "ST 100s-110s w/ occ PVCs. BP 90s/50s, MAPs >60 on levophed {lev} mcg/kg/min, weaning as tol.",
      "K+ 3.{k} this AM, repleted w/ 40 meq KCL IV. Mg 1.{mg}, 2 gm MgSO4 IV given.",
      "Pulses palp x4, ext warm, 1+ pedal edema bilat. HR 80s SR, BP 120/70 - 140/80.",
      "R IJ TLC, CVP 8-12. L radial a-line w/ good waveform, correlates w/ cuff.",
      "Hct 24.{k} this AM, transfused 1 unit PRBC over 2 hrs w/o rxn. Post hct pending.",
      "SB 50s, asymptomatic, BB held for HR < 55. Swan in place, PAD 18-20, CI 2.1-2.4."]
RESP = ["LS coarse bilat, diminished bases. O2 sat 95-98% on {l}L NC.",
        "Remains intubated on AC {vt}x{rr}, PEEP 5, FiO2 .{fio2}. ABG 7.3{a}/4{b}/{po2}. Suctioned q2-3h for mod amts thick tan secretions.",
        "On CPAP 5/5 since 0600, RR 18-24, Vt 400s, tol well. Plan to extubate this afternoon if ABG ok.",
        "Sats dropped to 88% on 4L NC @ {t}, placed on 50% face tent w/ improvement to 94%. CXR done, ? RLL infiltrate.",
        "Non-productive cough, IS 750-1000 cc. Nebs q4h per RT. LS clear upper, crackles lower lobes.",
        "BiPAP 10/5 overnight, off this AM to 3L NC, sats 93-96%. Breathing less labored.",
        "Trach to 40% trach mask, sats 97-99%, sxn for small amts white sputum. Trach care done, site clean."]
GIGU = ["Abd soft, NT/ND, +BS. Tol clears, adv to full liquids. No BM this shift.",
        "TF Promote w/ fiber @ {tf} cc/hr via OGT (goal 70), residuals < 30 cc.",
        "Foley draining clear yellow urine 30-80 cc/hr. Lasix 40 mg IV given @ {t}, good response, net neg {neg} cc.",
        "UO marginal 15-25 cc/hr, MD aware, 500 cc NS bolus given w/ minimal response. BUN/Cr 42/2.1 (up from 1.6).",
        "Incontinent of loose brown stool x3, C diff sent. Flexiseal in place.",
        "FS 140s-180s, covered per RISS. Insulin gtt @ {ins} u/hr per protocol.",
        "NGT to LIWS draining bilious 200 cc this shift. NPO, IVF D5 1/2NS @ 100 cc/hr.",
        "Voiding qs in urinal. Abd obese, soft. BM x1 formed, guaiac neg.",
        "Abd distended, hypoactive BS. Last BM yesterday per pt. Colace/senna given."]
IDS = ["Tmax 101.{k} po @ {t}, BC x2 and UA/UCx sent, tylenol 650 mg PR given. WBC {wbc}.",
       "Afebrile. Remains on vanco/zosyn, vanco trough due w/ am labs.",
       "On contact precautions for MRSA (nares) and VRE (rectal).",
       "Tmax 99.8. WBC trending down, 11.2 today. Cont levoflox day 4/7."]
SKIN = ["Coccyx stage II 2x3 cm, duoderm intact. Heels boggy, offloaded on pillows. Turned q2h.",
        "Skin intact, Braden 14, on air mattress. Bair Hugger on for temp 35.{k}, off @ {t}.",
        "Abd incision w/ staples, OTA, no drainage. Jackson-Pratt drain x1 to bulb sxn, 40 cc serosang.",
        "R chest Hickman, dressing D&I, flushed. L arm PICC, blood return noted.",
        "Multiple ecchymoses bilat arms. Sacrum reddened, blanchable, barrier cream applied."]
PLANS = ["Cont to monitor hemodynamics, wean vent as tol, ? extubate in am.",
         "F/u lytes and replete prn, am labs, keep pt/family updated.",
         "Cont current plan of care, pulm toilet, OOB to chair in am w/ PT.",
         "Titrate levophed to MAP > 60, f/u cultures, cont abx.",
         "Possible call out to floor tomorrow if stable, ? PICC for long-term abx.",
         "Monitor UO, recheck K+ @ 2200, Hoyer lift to chair in am, cont aspiration precautions."]
PMH = ["CAD s/p CABG", "DM2 on insulin", "CHF (EF 25%)", "COPD on home O2 2L", "ESRD on HD MWF", "afib on coumadin",
       "HTN", "hyperlipidemia", "CVA w/ residual L sided weakness", "ETOH abuse", "Parkinson's disease", "Bell's palsy",
       "Graves' disease", "Paget's disease of bone", "Addison's disease", "hx Hodgkin's lymphoma", "OSA on CPAP",
       "PVD s/p fem-pop bypass", "cirrhosis (ETOH) w/ ascites", "depression", "BPH", "gout", "CKD baseline Cr 1.8"]
REASONS = ["hypotension and urosepsis", "COPD exacerbation", "upper GI bleed", "DKA", "CHF exacerbation",
           "altered mental status", "pneumonia w/ hypoxia", "ETOH withdrawal", "NSTEMI", "SBO", "s/p fall w/ SDH",
           "pancreatitis", "afib w/ RVR", "hyperkalemia"]


def _fill(s: str, r: random.Random) -> str:
    vals = {"p": r.choice([20, 30, 40, 50]), "s": r.randrange(1, 4), "f": r.choice([25, 50, 75, 100]), "n": r.randrange(4, 9),
            "m": r.randrange(1, 4), "site": r.choice(["L flank", "abd", "back", "incisional", "R hip", "chest wall"]),
            "t": _time(r), "t2": _time(r), "ptt": r.randrange(45, 110), "lev": r.choice(["0.04", "0.06", "0.08", "0.1"]),
            "k": r.randrange(0, 10), "mg": r.randrange(5, 10), "l": r.randrange(2, 7), "vt": r.choice([450, 500, 550]),
            "rr": r.choice([12, 14, 16]), "fio2": r.choice([40, 50, 60]), "a": r.randrange(1, 10), "b": r.randrange(0, 10),
            "po2": r.randrange(70, 140), "tf": r.choice([30, 40, 50, 60]), "neg": r.choice([500, 800, 1200]),
            "ins": r.randrange(2, 9), "wbc": r.randrange(12, 20)}
    return s.format(**vals)


def _pick_lines(pool: Sequence[str], r: random.Random, k: int = 1) -> str:
    return " ".join(_fill(s, r) for s in r.sample(list(pool), k))


# ---------------------------------------------------------------------------------------------------
# the styles


def icu_shift(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    nurse = r.choice(_staff(staff, "nurse"))
    att = r.choice(_staff(staff, "attending"))
    ho = c.person(word=r.random() < 0.35)
    unit = r.choice(["MICU", "SICU", "CCU", "TSICU", "MICU/SICU", "Neuro ICU"])
    w.t(r.choice([f"{unit} NPN ", "NPN ", "Nursing Progress Note ", f"{unit} NURSING PROGRESS NOTE ", "NSG NOTE "]))
    w.t(r.choice(["7P-7A", "7A-7P", "0700-1900", "1900-0700", "7p-7a"]))
    if r.random() < 0.6:
        w.t(" ").p(c.d_any(when), "DATE")
    w.t("\n")
    adm = when - timedelta(days=r.randrange(1, 9))
    w.t(f"{ident.stated_age} yo {'F' if ident.sex == 'female' else 'M'} w/ PMH of ", ", ".join(r.sample(PMH, 3)))
    if r.random() < 0.5:
        w.t(" (MI in ").p(f"{r.randrange(1, 13)}/{(when.year - r.randrange(3, 16)) % 100:02d}", "DATE").t(")")
    w.t(", adm ").p(c.d_any(adm), "DATE").t(" from ")
    if r.random() < 0.6:
        w.p(c.outside_hospital(), "HOSPITAL").t(" ED")
    else:
        w.p(c.main_acr, "HOSPITAL").t(" ED")
    w.t(f" w/ {r.choice(REASONS)}.\n")
    w.t("NEURO: ", _pick_lines(NEURO, r), "\n")
    w.t("CV: ", _pick_lines(CV, r, 2), "\n")
    w.t("RESP: ", _pick_lines(RESP, r), "\n")
    w.t("GI/GU: ", _pick_lines(GIGU, r, 2), "\n")
    if r.random() < 0.6:
        w.t("ID: ", _pick_lines(IDS, r), "\n")
    if r.random() < 0.6:
        w.t("SKIN: ", _pick_lines(SKIN, r), "\n")
    if r.random() < 0.6:
        w.t(f"Events: @ {_time(r)} pt noted to be hypotensive to 80s/40s, ")
        _clinician(w, c, r, *ho)
        w.t(" notified, 500 cc NS bolus given w/ SBP up to 100s.\n")
    w.t("SOCIAL: ")
    rels = list(ident.relatives)
    if rels:
        rel = rels[0]
        _relative(w, c, r, rel).t(r.choice([" in to visit this afternoon", " called x2 overnight", " at bedside most of shift"]))
        w.t(", updated by RN and ")
        _dr(w, r, att.family, ". ")
        if r.random() < 0.6:
            w.t("Can be reached at ").p(_phone_forms(rel.phone, r), "PHONE").t(". ")
    if len(rels) > 1 and r.random() < 0.7:
        _relative(w, c, r, rels[1]).t(" calls from ").p(c.town(), "LOCATION")
        _reach(w, r, _phone_forms(rels[1].phone, r)).t(". ")
    if r.random() < 0.4:
        role, g, _f, loc = _extra_relative(c, r, ident)
        w.nm(f"{role} ", g, "RELATIVE").t(" called from ").p(c.town(loc), "LOCATION").t(", info given per pt ok. ")
    w.t(r.choice(["Full code.", "DNR/DNI.", "Pt is full code at this time.", "Code status: DNR, ok to intubate."]), "\n")
    w.t("PLAN: ", _pick_lines(PLANS, r, 2), "\n")
    return _sign(w, c, r, nurse.given, nurse.family)


def nursing_admission(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    nurse = r.choice(_staff(staff, "nurse"))
    res = r.choice(_staff(staff, "resident"))
    she, _, his = _pronouns(ident.sex)
    unit = r.choice(["MICU", "7 West", "8 North", "SICU", "CCU", "Stepdown"])
    w.t(r.choice(["NURSING ADMISSION NOTE", "Nursing Admit Note", "ADMISSION NOTE - NSG", f"{unit} ADMIT NOTE"]), "\n")
    w.t(f"Pt is a {ident.stated_age} yo {'woman' if ident.sex == 'female' else 'man'} ")
    if r.random() < 0.4:
        w.t("(DOB ").p(f"{ident.birth_date:%m/%d/%y}" if r.random() < 0.5 else f"{ident.birth_date.month}/{ident.birth_date.day}/{ident.birth_date.year}", "DATE").t(") ")
    w.t("transferred to ", unit, " @ ", _time(r), " from ")
    src = r.random()
    if src < 0.5:
        w.p(c.outside_hospital(), "HOSPITAL").t(" where ", she, " presented ")
        w.p(c.d_short(when - timedelta(days=r.randrange(1, 4))), "DATE").t(f" w/ {r.choice(REASONS)}. ")
    else:
        w.t("the ").p(c.main_acr, "HOSPITAL").t(f" ED w/ {r.choice(REASONS)}. ")
    w.t("PMH: ", ", ".join(r.sample(PMH, 4)), ". ")
    if r.random() < 0.5:
        w.t("PSH: ", r.choice(["CABG x3 ", "TAH ", "R TKR ", "lap chole ", "appy "]), "in ").p(str(when.year - r.randrange(4, 20)), "DATE").t(". ")
    w.t("ALL: ", r.choice(["PCN (rash)", "NKDA", "sulfa, codeine", "iodine dye (hives)"]), ".\n")
    w.t("ROS/assessment per flowsheet. ", _pick_lines(NEURO, r), " ", _pick_lines(RESP, r), "\n")
    w.t("SOCIAL HX: Lives ")
    rels = list(ident.relatives)
    spouse = next((x for x in rels if x.role in ("wife", "husband")), None)
    if spouse:
        w.t("w/ ")
        _relative(w, c, r, spouse, full=False)
        w.t(" ")
    else:
        w.t("alone ")
    w.t(r.choice(["in a 2-family house ", "in an apt ", "in a single family home ", "in elderly housing "]))
    w.t(r.choice(["at ", "on "])).p(ident.address if r.random() < 0.5 else c.street(), "ADDRESS")
    w.t(r.choice([" in ", ", "])).p(ident.city, "ADDRESS").t(". ")
    if r.random() < 0.6:
        w.t("Goes by ").nm("\"", c.nickname(ident.given), "PATIENT", "\"").t(". ")
    retired = ident.stated_age >= 65
    w.t("Retired from " if retired else "Works at " if r.random() < 0.5 else "Employed by ").p(c.employer(), "LOCATION")
    w.t(r.choice([". ", f" x{r.randrange(5, 35)} yrs. "]))
    if r.random() < 0.7:
        w.t(r.choice(["Former smoker 40 pk-yr, quit ", "Quit smoking in ", "Tobacco: quit "])).p(str(when.year - r.randrange(2, 30)), "DATE").t(". ")
    w.t(r.choice(["ETOH: 2-3 beers/day. ", "Denies ETOH/drugs. ", "Social ETOH. ", "Hx heavy ETOH, last drink 2 days ago per wife. "]))
    if r.random() < 0.5:
        w.t("Catholic, attends ").p(c.church(), "LOCATION").t(". ")
    old = _old_relative(ident, r)
    if old and r.random() < 0.7:
        role, age = old
        w.t(f"{'Pt is caregiver for' if r.random() < 0.5 else 'Pt lives near'} {his} ").p(_age_words(age, r), "DATE").t(f" {role} who is in ")
        w.p(c.facility(), "HOSPITAL").t(". ")
    w.t("\nHCP: ")
    if rels and r.random() < 0.7:
        hcp = rels[-1]
        w.t(f"{_rel_word(hcp.role, r)} ").p(hcp.full, "RELATIVE")
        w.t(" (h) " if r.random() < 0.5 else " cell ").p(_phone_forms(hcp.phone, r), "PHONE")
        if r.random() < 0.5:
            w.t(" (w) ").p(c.phone(), "PHONE")
    else:
        role, g, f, loc = _extra_relative(c, r, ident)
        w.t(f"{role} ").p(f"{g} {f}", "RELATIVE")
        _reach(w, r, c.phone())
    w.t(". ")
    if r.random() < 0.5:
        role, g, f, loc = _extra_relative(c, r, ident)
        w.nm(f"{role.capitalize()} ", g, "RELATIVE").t(" lives in ").p(c.town(loc), "LOCATION")
        w.t(f", {ABROAD[loc][0]}" if loc else "", ". ")
    w.t("PCP: ")
    _pg, pf = c.person(word=r.random() < 0.3)
    _dr(w, r, pf).t(" at ").p(c.practice() if r.random() < 0.6 else c.home(), "HOSPITAL").t(".\n")
    w.t("Belongings: ", r.choice(["glasses, upper denture, cell phone sent home w/ family.", "wallet and watch to security.",
                                  "hearing aids (bilat) in pt's drawer, cane at bedside."]))
    w.t("\nAdmitting team: ")
    _dr(w, r, res.family, f" (HO), team {r.choice(['A', 'B', 'C', '3', '4'])}. MR# ")
    w.p(ident.mrn, "MRN").t(".\n")
    return _sign(w, c, r, nurse.given, nurse.family)


def family_comm(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    nurse = r.choice(_staff(staff, "nurse"))
    att = r.choice(_staff(staff, "attending"))
    fel = c.person(word=r.random() < 0.35)
    sw = c.person()
    _, _, his = _pronouns(ident.sex)
    w.t(r.choice(["NURSING NOTE - FAMILY COMMUNICATION", "Family meeting note (nsg)", "SOCIAL/FAMILY:", "FAMILY MTG"]), "\n")
    w.t(f"Family meeting held @ {_time(r)} ")
    if r.random() < 0.5:
        w.t("on ").p(c.d_any(when), "DATE").t(" ")
    w.t("w/ ")
    _dr(w, r, att.family, " (attending), ")
    w.p(f"Dr. {fel[1]}" if r.random() < 0.5 else f"{fel[0]} {fel[1]}", "PROVIDER").t(" (fellow), SW ")
    if r.random() < 0.5 and c.bare_ok(sw[0]):
        w.p(sw[0], "PROVIDER")
    else:
        w.p(f"{sw[0]} {sw[1]}", "PROVIDER")
    w.t(", RN and family: ")
    people: list[str] = []
    for rel in ident.relatives:
        w.t(", " if people else "")
        _relative(w, c, r, rel)
        people.append(rel.given)
    for _ in range(r.randrange(1, 4)):
        role, g, f, loc = _extra_relative(c, r, ident)
        w.t(", " if people else "")
        if r.random() < 0.4:
            w.t(f"{role} ").p(f"{g} {f}", "RELATIVE")
        else:
            w.nm(f"{role} ", g, "RELATIVE")
        if loc:
            w.t(" (by phone from ").p(c.town(loc), "LOCATION").t(")")
        people.append(g)
    w.t(".\n")
    w.t(f"Family updated re: {his} {r.choice(['worsening resp status', 'poor prognosis', 'failure to wean from vent', 'new CT findings', 'multi-organ failure'])}. ")
    w.t(r.choice(["Questions answered. ", "Family tearful but appropriate. ", "Family requests all aggressive measures for now. "]))
    if ident.relatives:
        hcp = ident.relatives[0]
        w.t("Pt's HCP is ").p(hcp.full, "RELATIVE").t(f" ({_rel_word(hcp.role, r)})")
        _reach(w, r, _phone_forms(hcp.phone, r)).t(". ")
    if people:
        spk = r.choice(people)
        if c.bare_ok(spk):
            w.p(spk, "RELATIVE").t(" asked about trach/PEG, ")
        else:
            w.t("Family asked about trach/PEG, ")
        w.t("will discuss w/ rest of family and decide by ")
        w.t(r.choice(["Friday. ", "the weekend. ", "tomorrow. "]))
    role, g, f, loc = _extra_relative(c, r, ident)
    loc = loc or (r.choice(sorted(ABROAD)) if r.random() < 0.5 else None)
    w.nm(f"{role.capitalize()} ", g, "RELATIVE").t(" flying in from ").p(c.town(loc), "LOCATION")
    w.t(f" ({ABROAD[loc][0]})" if loc else "", ", arrives ")
    arr = when + timedelta(days=r.randrange(1, 4))
    if r.random() < 0.4:
        w.t("on the ").p(_nth(arr.day), "DATE")
    else:
        w.p(c.d_any(arr), "DATE")
    w.t(". ")
    if r.random() < 0.6:
        w.t("Chaplain ").p(f"{c.given()} {c.surname()}", "PROVIDER").t(" from ").p(c.church(), "LOCATION").t(" visited, family appreciative. ")
    if r.random() < 0.4:
        old = _old_relative(ident, r)
        if old:
            w.t(f"Pt's {old[0]}, ").p(_age_words(old[1], r), "DATE").t(", not told of admission per family request. ")
    w.t(r.choice(["Code status remains full code.", "Family agreed to DNR, MD to write order.", "CMO discussed, family not ready."]))
    w.t(" Will cont to support family.\n")
    return _sign(w, c, r, nurse.given, nurse.family)


def transfer(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    nurse = r.choice(_staff(staff, "nurse"))
    outside = r.random() < 0.55
    w.t(r.choice(["TRANSFER NOTE", "Nursing Transfer Note", "D/C NOTE - NSG", "TRANSFER SUMMARY"]), "\n")
    if outside:
        fac = c.facility() if r.random() < 0.7 else c.rehab
        w.t("Pt d/c'd to ").p(fac, "HOSPITAL")
        if r.random() < 0.6:
            w.t(" in ").p(c.town(), "LOCATION")
        w.t(f" @ {_time(r)} via ").p(c.ambulance(), "LOCATION").t(" w/ 2 attendants. ")
        w.t("Report called to ")
        rn = c.person()
        if r.random() < 0.5:
            w.nm("RN ", rn[0], "PROVIDER")
        else:
            w.p(f"{rn[0]} {rn[1]}", "PROVIDER").t(" RN")
        w.t(" at facility (ph ").p(c.phone(), "PHONE").t("). ")
        w.t("W-10, MAR, copy of d/c summary and last CXR sent w/ pt. Accepting MD ")
        _dr(w, r, c.surname(), ". ")
    else:
        to = r.choice(["6 North", "7 West", "the floor (4 South)", "CC7", "Stepdown 5 South"])
        w.t(f"Pt transferred from {r.choice(['MICU', 'SICU', 'CCU'])} to {to} @ {_time(r)} via bed on tele. ")
        w.t("Report given to ")
        rn = c.person()
        w.p(rn[0] if c.bare_ok(rn[0]) else f"{rn[0]} {rn[1]}", "PROVIDER").t(" RN")
        w.t(". ")
    w.t("\nBrief hosp course: adm ").p(c.d_any(when - timedelta(days=r.randrange(3, 15))), "DATE").t(f" w/ {r.choice(REASONS)}, ")
    w.t(r.choice(["intubated x3 days, extubated ", "on pressors x2 days, weaned off ", "s/p EGD w/ clipping ", "treated w/ abx, improved, last temp "]))
    w.p(c.d_short(when - timedelta(days=r.randrange(1, 3))), "DATE").t(". ")
    w.t(_pick_lines(NEURO, r), " ", _pick_lines(CV, r), " ", _pick_lines(GIGU, r), "\n")
    w.t("Meds given today per MAR; last dose lasix 40 mg IV @ ", _time(r), ", next coumadin due @ 1800. ")
    w.t("Belongings w/ pt. Hoyer lift for transfers. IV: R FA 20g, ", r.choice(["d/c'd prior to transfer", "SL, flushed"]), ".\n")
    if ident.relatives:
        rel = r.choice(ident.relatives)
        w.t("Family aware: ")
        _relative(w, c, r, rel)
        w.t(r.choice([" will meet pt there", " notified by phone", " aware of transfer and will bring clothes"]))
        if r.random() < 0.5:
            w.t(" (").p(_phone_forms(rel.phone, r), "PHONE").t(")")
        w.t(". ")
    if r.random() < 0.4:
        w.t("Pt's MR# ").p(ident.mrn, "MRN").t(" on all paperwork. ")
    if r.random() < 0.5:
        w.t("F/u appt w/ ")
        _dr(w, r, c.surname(), " at ").p(c.home() if r.random() < 0.6 else c.system_hospital(), "HOSPITAL")
        w.t(" on ").p(c.d_any(when + timedelta(days=r.randrange(7, 30))), "DATE").t(". ")
    w.t("\n")
    return _sign(w, c, r, nurse.given, nurse.family)


def respiratory(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    rt = c.person(word=r.random() < 0.3)
    fel = c.person()
    w.t(r.choice(["Resp Care Note:", "RESPIRATORY CARE", "RT NOTE", "Respiratory Therapy Progress Note"]))
    if r.random() < 0.4:
        w.t(" ").p(c.d_any(when), "DATE")
    w.t("\n")
    vent = r.random() < 0.65
    if vent:
        w.t(f"Pt remains intubated #{r.choice(['7.0', '7.5', '8.0'])} ETT @ {r.randrange(21, 25)} cm lip. ")
        w.t(f"Vent settings: {r.choice(['AC', 'SIMV', 'PSV'])} {r.choice([450, 500, 550])}x{r.randrange(10, 18)}, PEEP {r.choice([5, 8, 10])}, ")
        w.t(f"FiO2 .{r.choice([35, 40, 50, 60])}, PS {r.choice([5, 10, 12])}. ")
        w.t(f"BS coarse bilat, sxn x{r.randrange(1, 4)} for mod amts thick yellow sputum. ")
        w.t(f"RSBI {r.randrange(40, 130)}. ABG 7.{r.randrange(30, 46)}/{r.randrange(34, 55)}/{r.randrange(65, 150)}. ")
        w.t(f"SBT {r.choice(['30 min', '1 hr', '2 hrs'])} on CPAP 5/5, ", r.choice(["tolerated well", "failed d/t RR 35", "sats dropped to 89%"]), ". ")
    else:
        w.t(f"Pt on {r.randrange(2, 6)}L NC, sats 92-96%. BS diminished bases, exp wheezes. ")
        w.t("Albuterol/atrovent nebs q4h given w/ good effect. Home CPAP 10 cm H2O w/ 2L bleed in for OSA, ")
        w.t("pt's own machine from ").p(f"{c.surname()} Medical Supply", "LOCATION").t(". ")
    w.t("MDIs: ", r.choice(["flovent 2 puffs bid", "combivent 6 puffs q4h", "none"]), ". ")
    if r.random() < 0.7:
        w.t("ABG results called to ")
        _clinician(w, c, r, *fel)
        w.t(" @ ", _time(r), ". ")
    if r.random() < 0.4:
        w.t("Pt followed by pulm ")
        _dr(w, r, c.surname(), " at ").p(c.system_hospital() if r.random() < 0.5 else c.outside_hospital(), "HOSPITAL").t(" sleep lab. ")
    w.t("Plan: ", r.choice(["SBT in am, ? extubate.", "wean FiO2 as tol, keep sats > 92%.", "cont nebs, BiPAP prn at night.",
                             "trach collar trials during day."]), "\n")
    return _sign(w, c, r, rt[0], rt[1], r.choice(["RRT", "RRT", "RT", "CRT"]))


def case_mgmt(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    cm = c.person()
    w.t(r.choice(["CASE MANAGEMENT NOTE", "Case Mgmt / D/C Planning", "CM NOTE", "Discharge planning note"]), "\n")
    w.t(f"Pt screened for d/c planning needs. {ident.stated_age} yo w/ {r.choice(REASONS)}, PT recs ")
    w.t(r.choice(["rehab", "short term rehab", "home w/ services", "SNF"]), ". ")
    w.t(f"Insurance: {ident.insurer}, member # ").p(ident.insurance_id, "INSURANCE")
    if r.random() < 0.4:
        w.t("; MassHealth # ").p(f"{_digits(r, 9)}{r.choice('ABCDE')}", "INSURANCE")
    w.t(".\n")
    facs = [c.facility() for _ in range(r.randrange(2, 4))]
    w.t("Referrals faxed to ")
    for i, f in enumerate(facs):
        w.p(f, "HOSPITAL").t(", " if i < len(facs) - 1 else ". ")
    pick = r.choice(facs)
    w.t("Bed offer from ").p(pick, "HOSPITAL").t(" for ").p(c.d_any(when + timedelta(days=r.randrange(1, 4))), "DATE")
    w.t(", pending insurance auth (ref# ").p(f"{r.choice(['A', 'PA', 'REF'])}{_digits(r, 7)}", "MRN").t(").\n")
    if ident.relatives:
        rel = r.choice(ident.relatives)
        w.t("Spoke w/ ")
        _relative(w, c, r, rel)
        w.t(" (").p(_phone_forms(rel.phone, r), "PHONE").t(") who prefers a facility close to ")
        w.t(f"{'her' if rel.role in ('wife', 'daughter', 'mother') else 'his'} home in ").p(c.town(), "LOCATION")
        w.t(r.choice([", NH", ", RI", "", ""]), ". ")
    if r.random() < 0.5:
        vna = r.choice([f"VNA of {c.town()}", f"{c.town()} VNA", f"{c.surname()} Home Care"])
        w.t("If home, will refer to ").p(vna, "HOSPITAL").t(". ")
    if r.random() < 0.5:
        w.t("Pt's PCP ")
        _dr(w, r, c.surname(), ", ")
        w.p(c.practice() if r.random() < 0.6 else c.sister, "HOSPITAL").t(", notified of admission. ")
    if r.random() < 0.3:
        w.t("Clinicals also emailed to ").p(f"{cm[0][0].lower()}{_ascii(cm[1]).lower()}@{c.main_short.lower()}health.org", "EMAIL").t(". ")
    w.t("Anticipated d/c ").p(c.d_any(when + timedelta(days=r.randrange(1, 6))), "DATE").t(". Team aware. Will follow.\n")
    w.p(f"{cm[0]} {cm[1]}", "PROVIDER").t(", RN, Case Manager, ")
    w.t(r.choice(["pager ", "beeper ", "pgr #", "pgr "])).p(c.pager(), "PHONE").t("\n")
    return w


def code_event(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    nurse, other = r.sample(_staff(staff, "nurse"), 2) if len(_staff(staff, "nurse")) > 1 else (staff[0], staff[-1])
    att = r.choice(_staff(staff, "attending"))
    fel = c.person(word=r.random() < 0.4)
    anes = c.person()
    ho = c.person()
    rapid = r.random() < 0.5
    w.t("RAPID RESPONSE NOTE" if rapid else r.choice(["CODE BLUE EVENT NOTE", "Event Note: Code", "NSG EVENT NOTE"]), "\n")
    h = r.randrange(0, 24)
    m = r.randrange(0, 45)
    t0 = f"{h:02d}{m:02d}"
    t1 = f"{h:02d}{m + 2:02d}"
    t2 = f"{h:02d}{m + 14:02d}"
    w.t(f"@ {t0} pt found {'lethargic, sats 82% on 4L NC' if rapid else 'unresponsive, pulseless'} by ")
    w.nm("RN ", other.given, "PROVIDER").t(". ")
    if rapid:
        w.t(f"Rapid response called @ {t1}. Team arrived: ")
    else:
        w.t(f"Code called @ {t1}, CPR initiated. Team: ")
    w.p(f"Dr. {fel[1]}" if r.random() < 0.6 else f"{fel[0]} {fel[1]}", "PROVIDER").t(" (MICU fellow), ")
    w.nm("HO ", ho[1], "PROVIDER").t(", anesthesia ")
    _dr(w, r, anes[1], ". ")
    if rapid:
        w.t(f"ABG 7.2{r.randrange(0, 9)}/6{r.randrange(0, 9)}/5{r.randrange(0, 9)}, placed on BiPAP 12/5 100%, narcan 0.4 mg IV x1 w/ min effect. ")
        w.t(f"CXR portable, ECG NSR 90s. Transferred to MICU bed {r.randrange(1, 16)} @ {t2}.\n")
    else:
        w.t(f"Initial rhythm PEA, epi 1 mg IV x{r.randrange(2, 4)}, atropine 1 mg x1, bicarb 1 amp. ")
        w.t(f"Intubated by anesthesia w/ 7.5 ETT. ROSC @ {t2}, ST 120s, BP 90s/50s on dopamine. Swan not placed. ")
        w.t("Pt transferred to MICU on vent.\n")
    if ident.relatives:
        rel = ident.relatives[0]
        _relative(w, c, r, rel)
        w.t(" called at home (").p(_phone_forms(rel.phone, r), "PHONE").t(") by ")
        w.nm("HO ", ho[1], "PROVIDER").t(f" @ {h:02d}{min(59, m + 20):02d}, on {'her' if rel.role in ('wife', 'daughter') else 'his'} way in from ")
        w.p(c.town(), "LOCATION").t(". ")
    w.t("Attending ")
    _dr(w, r, att.family, " aware. ")
    w.t("Recorder: ").p(f"{nurse.given} {nurse.family}", "PROVIDER").t(" RN.\n")
    return w


def nicu(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    nurse = r.choice(_staff(staff, "nurse"))
    nnp = c.person(sex="f")
    dol = r.randrange(2, 40)
    born = when - timedelta(days=dol)
    ga = r.randrange(25, 36)
    boy = ident.sex == "male"
    w.t(r.choice(["NICU NURSING NOTE", "Neonatology Nursing Progress Note", "NICU NPN", "Nursing Note (NICU)"]), "\n")
    w.nm(f"Baby {'Boy' if boy else 'Girl'} ", ident.family, "PATIENT")
    w.t(" (").nm("\"", ident.given, "PATIENT", "\"").t(f"), DOL {dol}, ex-{ga} {r.randrange(0, 7)}/7 wk, CGA {ga + dol // 7} {r.randrange(0, 7)}/7. ")
    w.t("Born ").p(c.d_any(born), "DATE").t(" at ")
    w.p(c.outside_hospital() if r.random() < 0.5 else f"{c.main_short} Women's", "HOSPITAL")
    w.t(", transferred here DOL 1.\n")
    w.t("#1 RESP: ", r.choice([f"On NC 100cc {r.randrange(21, 35)}-{r.randrange(35, 45)}%, RR 40-60s, mild SC retractions. ",
                               "In RA, RR 30s-50s, no spells. ", f"CPAP +{r.choice([5, 6])}, FiO2 25-30%, occ self-resolved desats. "]))
    w.t(f"On caffeine. {r.randrange(0, 4)} A&B's this shift, {r.choice(['self-resolved', 'required mild stim'])}.\n")
    w.t(f"#2 FEN: TF {r.choice([120, 140, 150, 160])} cc/kg/d, ", r.choice(["EBM 24 cal", "SC 24", "EBM/PE 22"]),
        f" {r.randrange(8, 40)} cc q3h PG/PO, {r.choice(['PO x1', 'no PO yet', 'nippled 2 feeds'])}. ")
    w.t(f"Wt {r.randrange(900, 2600)} gm (up {r.randrange(5, 40)} gm). Voiding/stooling. Abd soft, no spits.\n")
    w.t("#3 G&D: In isolette on servo, temps stable. Swaddled, brings hands to face, sucks on pacifier.\n")
    w.t("#4 PARENTING: ")
    mom = c.person(sex="f")
    dad = c.person(sex="m")
    w.nm("Mom ", mom[0], "RELATIVE").t(" and ").nm("Dad ", dad[0], "RELATIVE")
    w.t(r.choice([" in to visit this evening, did kangaroo care x1 hr. ", " called @ 2200 for update. ",
                  " in for 0900 care, Mom changed diaper and took temp. "]))
    w.t("Mom pumping, bringing in EBM. Parents updated by NNP ")
    if c.bare_ok(nnp[0]):
        w.p(nnp[0], "PROVIDER")
    else:
        w.p(f"{nnp[0]} {nnp[1]}", "PROVIDER")
    w.t(". Mom can be reached at ").p(c.phone(), "PHONE")
    if r.random() < 0.5:
        w.t(", Dad's cell ").p(c.phone(), "PHONE")
    w.t(". ")
    if r.random() < 0.6:
        role = r.choice(["Grandmother", "Maternal grandmother", "Aunt", "Paternal grandfather"])
        g = c.person(sex="m" if "father" in role else "f")
        w.t(f"{role} ").p(f"{g[0]} {g[1]}", "RELATIVE").t(" from ").p(c.town(), "LOCATION").t(" visited w/ parents. ")
    if r.random() < 0.4:
        w.t("Family lives in ").p(c.town(), "LOCATION").t(", ~1 hr away, no car; SW ").p(f"{c.given()} {c.surname()}", "PROVIDER").t(" following re: parking vouchers. ")
    if r.random() < 0.4:
        w.t("Mom works at ").p(c.employer(), "LOCATION").t(", back to work on ").p(c.d_short(when + timedelta(days=r.randrange(10, 40))), "DATE").t(". ")
    w.t("\n#5 ID: ", r.choice(["Abx d/c'd at 48 hrs, cx neg.", "On amp/gent day 3, CBC benign.", "No issues."]), "\n")
    plan = r.choice(["wean O2 as tol, adv feeds per NNP, cont to support parents.", "eye exam on the ", "cont present plan, ? move to crib."])
    w.t("Plan: ", plan)
    if plan.endswith("the "):
        w.p(_nth((when + timedelta(days=r.randrange(2, 9))).day), "DATE").t(", cont to support parents.")
    w.t("\nMR# ").p(ident.mrn, "MRN").t("\n")
    return _sign(w, c, r, nurse.given, nurse.family)


def cardiac_postop(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    nurse = r.choice(_staff(staff, "nurse"))
    surg = c.person(word=r.random() < 0.4)
    np_ = c.person()
    anes = r.choice(_staff(staff, "attending"))
    op = r.choice(["CABG x3 (LIMA-LAD, SVG-OM, SVG-PDA)", "AVR (#23 tissue)", "MVR/CABG x2", "CABG x4", "AVR/root replacement"])
    w.t(r.choice(["CSRU NPN", "CSRU NURSING NOTE", "Cardiac Surgery Recovery Unit - Nursing Progress Note", "CSRU ADMIT/PROGRESS NOTE"]))
    w.t(f" POD #{r.randrange(0, 3)}\n")
    w.t(f"S/P {op} on ").p(c.d_any(when), "DATE").t(" w/ ")
    _dr(w, r, surg[1], ". ")
    w.t(f"Arrived from OR @ {_time(r)}, A-paced 90, on neo and propofol. ")
    w.t(f"CV: Swan: CVP {r.randrange(6, 14)}, PAD {r.randrange(12, 20)}, CI {r.choice(['2.1', '2.4', '2.8', '3.0'])}. ")
    w.t("Neo weaned off @ ", _time(r), ". Epicardial wires A & V, pacer DDD 90, underlying SB 50s. ")
    w.t(f"Mediastinal and L pleural CTs to -20 sxn via Pleur-evac, draining serosang {r.randrange(20, 90)} cc/hr, no air leak.\n")
    w.t(f"RESP: Extubated @ {_time(r)} to 4L NC, sats 96-99%, IS 500 cc, cough weak.\n")
    w.t(f"NEURO: MAE, follows commands. Pain {r.randrange(3, 8)}/10 incisional, dilaudid 0.5 mg IV prn.\n")
    w.t("GU: Foley w/ good UO after lasix 20 mg IV. K+ ", f"{r.randrange(3, 5)}.{r.randrange(10)}", ", replete per protocol.\n")
    w.t(f"TEMP: 35.{r.randrange(2, 10)} on arrival, Bair Hugger applied, now 36.8.\n")
    w.t("ENDO: insulin gtt per CSRU protocol, FS 110-150.\n")
    w.t("SOCIAL: ")
    if ident.relatives:
        for rel in ident.relatives:
            _relative(w, c, r, rel)
            w.t(" ")
        w.t(f"visited @ {_time(r)}, updated by ")
        if r.random() < 0.5:
            w.nm("NP ", np_[0], "PROVIDER")
        else:
            _dr(w, r, surg[1])
        w.t(". ")
    else:
        role, g, _f, _loc = _extra_relative(c, r, ident)
        w.nm(f"{role.capitalize()} ", g, "RELATIVE").t(" called, updated. ")
    old = _old_relative(ident, r)
    if old and r.random() < 0.6:
        w.t("Pt's ").p(_age_words(old[1], r), "DATE").t(f" {old[0]} in ")
        w.p(c.facility(), "HOSPITAL").t(" is aware of surgery. ")
    w.t("Cardiac anesthesia ")
    _dr(w, r, anes.family, " signed off. ")
    w.t("\nPLAN: wean to extubate/ d/c swan in am, OOB to chair, ", r.choice(["pull CTs POD 1-2.", "aggressive pulm toilet.", "beta blocker in am if HR allows."]), "\n")
    return _sign(w, c, r, nurse.given, nurse.family)


def sitter(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    nurse = r.choice(_staff(staff, "nurse"))
    psych = c.person(word=r.random() < 0.35)
    sit = c.person()
    w.t(r.choice(["Nursing Note (1:1 sitter)", "NSG NOTE - SITTER", "NPN - PSYCH/SAFETY", "Nursing progress note"]), "\n")
    w.t("Pt remains on 1:1 sitter, ")
    w.t(r.choice(["Section 12 signed by ", "on psych hold per ", "pink paper signed by "]))
    _dr(w, r, psych[1], f" @ {_time(r)}")
    if r.random() < 0.5:
        w.t(" on ").p(c.d_any(when), "DATE")
    w.t(". Sitter ")
    w.p(sit[0] if c.bare_ok(sit[0]) else f"{sit[0]} {sit[1]}", "PROVIDER").t(" ")
    w.t("at bedside. ")
    w.t(r.choice(["Pt pulling at lines and IV, ", "Pt agitated, yelling at staff, ", "Pt calm and cooperative most of shift, ",
                  "Pt intermittently paranoid, refusing meds, "]))
    w.t(f"haldol {r.choice([1, 2, 5])} mg IV given @ {_time(r)} w/ good effect. ")
    w.t(r.choice(["Security called x1 when pt attempted to leave unit. ", "Soft wrist restraints applied per MD order, CMS checks q15min. ",
                  "No restraints needed. "]))
    w.t("States \"I live in ").p(c.town(), "LOCATION").t(" with my girlfriend ")
    gf = c.person(sex="f" if ident.sex == "male" else "m")
    w.p(gf[0] if c.bare_ok(gf[0]) else f"{gf[0]} {gf[1]}", "RELATIVE").t("\"")
    w.t(". ")
    if r.random() < 0.6:
        w.t(f"Pt works {r.choice(['nights', 'construction', 'part time'])} at ").p(c.employer(), "LOCATION").t(". ")
    role, g, _f, _loc = _extra_relative(c, r, ident)
    w.nm(f"{role.capitalize()} ", g, "RELATIVE").t(" called asking for info, ")
    w.t(r.choice(["none given per pt request", "pt agreed, updated briefly", "referred to attending"]), ". ")
    w.t("Psych (")
    _dr(w, r, psych[1])
    w.t(") following, plan for transfer to ")
    w.p(r.choice([f"{c.town()} Behavioral Health", f"{c.surname()} Pavilion", f"{c.sister_short} inpatient psych", f"{c.town()} State Hospital"]), "HOSPITAL")
    w.t(" when medically cleared. ")
    if r.random() < 0.5:
        w.t("Hx of prior admits to ").p(c.outside_hospital(), "HOSPITAL").t(" (last ").p(str(when.year - r.randrange(1, 8)), "DATE").t("). ")
    w.t("Sitter to cont overnight.\n")
    return _sign(w, c, r, nurse.given, nurse.family)


def addendum(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    nurse = r.choice(_staff(staff, "nurse"))
    w.t(r.choice(["ADDENDUM", "Addendum", "Nursing addendum", "Addendum to above note"]), f" {_time(r)}: ")
    k = r.randrange(4)
    if k == 0 and ident.relatives:
        rel = r.choice(ident.relatives)
        _relative(w, c, r, rel).t(" called, updated on pt's condition. Can be reached overnight at ").p(c.phone() if r.random() < 0.5 else _phone_forms(rel.phone, r), "PHONE").t(". ")
    elif k == 1:
        ho = c.person(word=r.random() < 0.4)
        w.t(f"K+ 3.{r.randrange(0, 4)} on recheck, ")
        _clinician(w, c, r, *ho)
        w.t(" notified, 20 meq KCL PO given. ")
    elif k == 2:
        w.t("Pt's belongings (wallet, keys) given to ")
        role, g, f, _loc = _extra_relative(c, r, ident)
        w.t(f"{role} ").p(f"{g} {f}", "RELATIVE").t(", who will bring them to pt's home on ").p(c.street(), "ADDRESS").t(". ")
    else:
        w.t("Pt accepted at ").p(c.facility(), "HOSPITAL").t(" for ").p(c.d_any(when + timedelta(days=r.randrange(1, 3))), "DATE").t(", per CM ")
        cm = c.person()
        w.p(cm[0] if c.bare_ok(cm[0]) else f"{cm[0]} {cm[1]}", "PROVIDER").t(". ")
    w.t("\n")
    return _sign(w, c, r, nurse.given, nurse.family)


def one_liner(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    nurse = r.choice(_staff(staff, "nurse"))
    doc = r.choice(_staff(staff, "attending"))
    k = r.randrange(6)
    if k == 0:
        w.t("Pt resting comfortably, VSS, no c/o. ")
        if ident.relatives:
            _relative(w, c, r, ident.relatives[0]).t(" at bs.")
    elif k == 1:
        w.t("Lasix 40 mg IV given per ")
        _dr(w, r, doc.family, f", UO {r.randrange(200, 900)} cc in 1st hr.")
    elif k == 2:
        w.t("Pt transferred to ").p(c.facility(), "HOSPITAL").t(" via ").p(c.ambulance(), "LOCATION").t(f" @ {_time(r)}.")
    elif k == 3:
        w.t("Family (")
        if ident.relatives:
            _relative(w, c, r, ident.relatives[-1])
        else:
            w.t("friend ").p(" ".join(c.person()), "RELATIVE")
        w.t(") updated by phone ").p(c.phone(), "PHONE").t(".")
    elif k == 4:
        w.t("Pt seen by ").p(f"{c.given()} {c.surname()}", "PROVIDER").t(" from PT, amb 50 ft w/ walker, CGA.")
    else:
        w.t("Pt to OR @ ", _time(r), " for ", r.choice(["ex-lap", "ORIF L hip", "trach/PEG", "IR drainage"]), " w/ ")
        _dr(w, r, c.surname(), ".")
    w.t(" ").p(f"{nurse.given[0]}. {nurse.family}" if r.random() < 0.5 else f"{nurse.given} {nurse.family[0]}.", "PROVIDER")
    w.t(" RN\n")
    return w


WRITERS = {name: globals()[name] for name in STYLES_C}


def make_writer(note_cls, seed: int, policy):
    """A ``write_note``-like function for the c styles.

    Parameters
    ----------
    note_cls:
        The benchmark's ``Note`` class (``t``/``p`` API).
    seed:
        Seed for this module's Faker instances and the fictional hospital system.
    policy:
        The benchmark's :class:`NamePolicy` (surrogate tokens are never planted).

    Returns
    -------
    callable
        ``write(style, ident, staff, fake, rng, when) -> Note``; ``fake`` is not used (this set
        draws from its own seeded Fakers), ``rng`` drives every choice.
    """
    ctx = Ctx(seed, policy)

    def write(style: str, ident, staff, fake: Faker, rng: random.Random, when: date):
        ctx.rng = rng
        caps = rng.random() < (0.15 if style in ("nicu", "case_mgmt") else 0.4)
        w = W(note_cls(), ctx, caps)
        WRITERS[style](w, ctx, ident, staff, when)
        return w.note

    return write
