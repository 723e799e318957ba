"""Held-out note styles, set i, for ``bench/deid_heldout_export.py --styles i``.

Data card
---------
Twelve kinds of pediatric, maternal and community-health document around a US hospital: a well-child
visit note, a school nurse health-office log with a medication authorization form, a visiting-nurse
postpartum / newborn home visit, a faxed WIC and early-intervention referral, a prenatal intake / OB
triage screen, a labor-and-delivery summary with the newborn's data, a NICU discharge summary, a
foster-care / adoption medical summary, an immunization registry printout, a lactation consult with
the mother's portal and text messages, a summer-camp / sports pre-participation physical and a
child-care centre incident / illness report.

Layouts: ``label: value`` forms, ALL-CAPS legacy screens, pipe and tab tables, free prose, portal and
SMS messages, faxed pages with fax header lines and light OCR noise, ``[X]`` / ``[ ]`` checkboxes,
signatures and initials. Names are written in many shapes (``First Last``, ``Last, First M.``,
``F. Last``, ``First L.``, initials, nicknames in quotes, upper and lower case). Besides the patient
the documents name parents, guardians, siblings, grandparents, foster parents, caseworkers, teachers,
coaches, school nurses, midwives, doulas, lactation consultants, interpreters, pediatricians and
pharmacists, and schools, daycares, churches, employers, towns, streets, WIC clinics, outside
hospitals, phones, faxes, e-mails, portal addresses, dates in many formats, and record, case,
Medicaid, claim, registry and certificate numbers.

Patients, their relatives and the hospital's own staff come from the benchmark's identities
(``ident``, ``staff``); when a document is about a child, the benchmark's patient is the child and
the relatives are written as parents. Everyone and everything else comes from this module's own
Faker instances (``en_US``, ``es_MX``, ``es_CO``, ``pt_BR``, ``vi_VN``, ``zh_CN`` romanized,
``en_IN``, ``fr_FR``, ``pl_PL``, ``yo_NG``), seeded from the benchmark seed, and from its own
romanized Korean and Arabic name lists and lists of towns abroad, so the export is the same on
every run for a seed.

Conventions: PHI kinds are ``PATIENT`` (the note's patient and other patients), ``RELATIVE``
(relatives, guardians, foster parents, friends, classmates, callers), ``PROVIDER`` (clinicians and
professionals in their role), ``ADDRESS`` (streets, the patient's street and town), ``LOCATION``
(other towns, counties, schools, daycares, churches, employers, agencies, cities abroad), ``ZIP``,
``HOSPITAL`` (hospitals, clinics, pharmacies, WIC clinics, birthing centres), ``SSN``, ``INSURANCE``
(member and Medicaid numbers), ``MRN`` (every other identifying number), ``EMAIL`` (e-mails and
URLs), ``PHONE`` and ``DATE`` (dates of at least eight characters, and ages over 89). Clock times,
years alone, ages under 90, states, countries, vaccine and drug names and lot numbers are written
but not planted. A value planted as a single word is a word this module writes nowhere else, no
everyday English word and no surrogate token; every name or place token drawn here is reserved in
the benchmark's :class:`NamePolicy` (as ``identities.py`` reserves names), and a per-seed register
keeps each bare word to one entity; otherwise the value is planted with its cue (``Coach Okafor``,
``Dr. Bell``).

Written from general knowledge of these documents, without reading the de-identification code, its
data, tests, docs, README, any corpus, or the other held-out sets (only the benchmark scaffolding,
set c's module interface and the demo's identity, writer and check modules were read).
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from coordinator.demo.identities import NAME_BLOCKLIST

STYLES_I = ("well_child", "school_nurse", "home_visit", "wic_ei_referral", "prenatal_intake", "ld_summary",
            "nicu_discharge", "foster_summary", "immunization_registry", "lactation", "sports_physical",
            "childcare_incident")

NOTE_TYPES_I = {
    "well_child": "Well child visit", "school_nurse": "School health record",
    "home_visit": "Home health visit", "wic_ei_referral": "Referral", "prenatal_intake": "OB triage note",
    "ld_summary": "Delivery summary", "nicu_discharge": "NICU discharge summary",
    "foster_summary": "Foster care medical summary", "immunization_registry": "Immunization record",
    "lactation": "Lactation consult", "sports_physical": "Pre-participation physical",
    "childcare_incident": "Outside record",
}

# ---- begin name and place lists (not template text) ----
LOCALES = ("en_US", "es_MX", "es_CO", "pt_BR", "vi_VN", "zh_CN", "en_IN", "fr_FR", "pl_PL", "yo_NG")
LOCALE_WEIGHTS = (10, 3, 2, 2, 2, 2, 2, 1, 1, 2)
#: Locales whose given names may be planted alone (romanized Chinese, Vietnamese, Korean and French
#: given names are too often English words or syllables: "Gang", "Long", "Woo", "Marine").
BARE_LOCALES = ("es_MX", "es_CO", "pt_BR", "en_IN", "pl_PL", "yo_NG", "ar")

KOREAN_GIVEN = ("Minjun", "Seoyeon", "Jiwoo", "Haeun", "Doyoon", "Yejin", "Sungmin", "Eunji", "Hyunwoo",
                "Jisoo", "Taeyang", "Soomin", "Dongha", "Chaewon", "Junseo", "Nayeon", "Kyungsoo", "Hyejin")
KOREAN_FAMILY = ("Baek", "Chung", "Hwang", "Jeon", "Kwon", "Ryu", "Seong", "Yoon", "Byun", "Cheon", "Gong",
                 "Namgung", "Pyo", "Sohn", "Tak", "Woo")
ARABIC_GIVEN = ("Yousef", "Rania", "Khaled", "Noor", "Tariq", "Samira", "Hamza", "Layla", "Bilal", "Yasmeen",
                "Omar", "Huda", "Mustafa", "Amira", "Ziad", "Rasha", "Walid", "Dalia")
ARABIC_FAMILY = ("Haddad", "Mansour", "Khalil", "Nasser", "Saleh", "Qasim", "Hamdan", "Darwish", "Aziz",
                 "Barakat", "Shaheen", "Abboud", "Jaber", "Tamimi", "Kanaan", "Othman")
KID_NICKS = ("Jojo", "Lulu", "Bibi", "Mimi", "Kiki", "Tito", "Nando", "Chuy", "Lalo", "Beto", "Memo", "Pepito",
             "Tuti", "Didi", "Zaza", "Nene", "Coco", "Gigi", "Juju", "Pipo", "Bebo", "Toto", "Dede", "Fifi")
ABROAD = {"es_MX": ("Mexico", ("Puebla", "Oaxaca de Juarez", "Tlaxcala", "Zacatecas", "Morelia", "Culiacan")),
          "es_CO": ("Colombia", ("Barranquilla", "Bucaramanga", "Pereira", "Manizales", "Cucuta", "Ibague")),
          "pt_BR": ("Brazil", ("Governador Valadares", "Ipatinga", "Uberlandia", "Juiz de Fora", "Goiania")),
          "vi_VN": ("Vietnam", ("Bien Hoa", "Can Tho", "Hai Phong", "Quy Nhon", "Buon Ma Thuot")),
          "zh_CN": ("China", ("Fuzhou", "Wenzhou", "Taishan", "Changle", "Xiamen")),
          "en_IN": ("India", ("Ahmedabad", "Vadodara", "Ludhiana", "Coimbatore", "Vijayawada")),
          "fr_FR": ("Haiti", ("Jacmel", "Les Cayes", "Gonaives", "Hinche", "Jeremie")),
          "pl_PL": ("Poland", ("Rzeszow", "Bialystok", "Lublin", "Tarnow", "Nowy Sacz")),
          "yo_NG": ("Nigeria", ("Ibadan", "Abeokuta", "Osogbo", "Ilorin", "Ogbomosho"))}
HOME_BASES = ("Wyndmoor Valley", "Carrow Heights", "Tillery Bay", "Ashcombe Lake", "Marlowe Ridge",
              "Pennock Falls", "Brackley Point", "Harwick Hollow", "Selden Cove", "Ostrander Hill")
SAINTS = ("Bartholomew", "Ignatius", "Scholastica", "Bonaventure", "Perpetua", "Wenceslaus", "Casimir",
          "Philomena", "Polycarp", "Cyprian", "Hedwig", "Clotilde")
SCHOOL_SFX = ("Elementary School", "Middle School", "Intermediate School", "Primary Academy", "K-8 School",
              "Charter School", "High School")
DAYCARE_FORMS = ("{s} Little Learners", "{s} Kids Academy", "Tiny Steps at {s}", "{s} Early Learning Center",
                 "{s} Head Start", "Bright Sprouts of {t}", "{t} Montessori House")
EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "aol.com")
CAMPS = ("Camp {s}", "{t} YMCA Day Camp", "Lake {s} Sleepaway Camp", "{t} Parks & Rec Summer Camp")
TOWNS = ("Tewksbury", "Chelmsford", "Dracut", "Methuen", "Haverhill", "Peabody", "Danvers", "Saugus",
         "Woburn", "Billerica", "Braintree", "Weymouth", "Randolph", "Stoughton", "Attleboro", "Taunton",
         "Fitchburg", "Leominster", "Chicopee", "Holyoke", "Pittsfield", "Westfield", "Nashua", "Pawtucket",
         "Woonsocket", "Cranston", "Warwick", "Meriden", "Waterbury", "Norwalk", "Stamford", "Hackensack",
         "Paterson", "Passaic", "Elizabethtown", "Perth Amboy", "Piscataway", "Scranton", "Allentown",
         "Bethlehem", "Wilkes-Barre", "Hazleton", "Poughkeepsie", "Schenectady", "Utica", "Yonkers",
         "Hempstead", "Hicksville", "Brentwood", "Riverhead", "Chillicothe", "Sandusky", "Zanesville",
         "Kalamazoo", "Ypsilanti", "Saginaw", "Muskegon", "Kenosha", "Oshkosh", "Waukesha", "Dubuque",
         "Ottumwa", "Joliet", "Waukegan", "Cicero", "Elgin", "Aurora", "Kankakee", "Muncie", "Kokomo",
         "Lafayette", "Bowling Green", "Paducah", "Owensboro", "Chattanooga", "Murfreesboro", "Tupelo",
         "Hattiesburg", "Gastonia", "Greenville", "Spartanburg", "Valdosta", "Macon", "Kissimmee", "Hialeah",
         "Opa-locka", "Immokalee", "Pasco", "Yakima", "Wenatchee", "Modesto", "Visalia", "Salinas", "Oxnard",
         "Pomona", "Fontana", "Hesperia", "Yuma", "Nogales", "Laredo", "Brownsville", "Harlingen", "McAllen",
         "Pharr", "Edinburg", "Odessa", "Lubbock", "Amarillo", "Pueblo", "Greeley", "Ogden", "Nampa",
         "Caldwell", "Pocatello")
FACILITY_TOWNS = ("Bristol", "Falmouth", "Sturbridge", "Amherst", "Northfield", "Westbrook", "Sheffield",
                  "Glastonbury", "Middletown", "Milford", "Danbury", "Torrington", "Stonington", "Mystic",
                  "Cheshire", "Wallingford", "Brattleboro", "Bennington", "Keene", "Concord", "Laconia",
                  "Lewiston", "Bangor", "Augusta", "Saco", "Biddeford", "Rutland", "Montpelier", "Plattsburgh",
                  "Saratoga", "Ithaca", "Oneonta", "Binghamton", "Elmira", "Lancaster", "Harrisburg", "Reading",
                  "Altoona", "Wheeling", "Morgantown", "Frederick", "Hagerstown", "Annapolis", "Salisbury",
                  "Dover", "Newark", "Camden", "Trenton", "Princeton", "Burlington", "Somerset", "Kingston")
COUNTIES = ("Halstead", "Merrimac", "Tolland", "Essexfield", "Rensburg", "Ocanee", "Wicomb", "Barrowdale",
            "Chittenden", "Quillan", "Saranack", "Delmore")
# ---- end name and place lists ----

_OWN_TEXT = Path(__file__).read_text(encoding="utf-8")
_TEMPLATE_TEXT = re.sub(r"# ---- begin name and place lists.*?# ---- end name and place lists ----", " ",
                        _OWN_TEXT, flags=re.DOTALL)
#: Words this module writes outside its lists; a planted single word is none of these.
TEMPLATE_WORDS = frozenset(re.findall(r"[^\W\d_]+", _TEMPLATE_TEXT.lower())
                           + [w for c, _ in ABROAD.values() for w in re.findall(r"[a-z]+", c.lower())])
COMMON_WORDS = NAME_BLOCKLIST | frozenset("""
coco gigi toto jojo lulu mimi kiki didi fifi nene dede roman marina angel blessing precious gift favour favor
victor sunday monday dulce gloria consuelo rosario amparo soledad cruz paz luz bella belle dolores florida georgia carolina washington lincoln jefferson
franklin hamilton madison monroe jackson victoria paris london sofia china india june may august
""".split())


def _us_name_tokens() -> frozenset[str]:
    from faker.providers.person.en_US import Provider

    names = [n for attr in ("first_names", "first_names_female", "first_names_male", "last_names")
             for n in getattr(Provider, attr, ())]
    return frozenset(t for n in names for t in re.findall(r"[a-z]+", n.lower()))


#: Tokens of US Faker names: the benchmark's streets and towns are made of them.
US_NAME_TOKENS = _us_name_tokens()


def _ascii(s: str) -> str:
    """Accents dropped, as a US chart writes a foreign name (``Nguyễn`` -> ``Nguyen``)."""
    s = s.replace("Đ", "D").replace("đ", "d").replace("ł", "l").replace("Ł", "L")
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def _words(value: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", value.lower())


class Ctx:
    """Seeded sources of outside people, places and numbers, and the per-seed word register.

    Parameters
    ----------
    seed:
        Seed of this module's Faker instances.
    policy:
        The benchmark's :class:`~coordinator.demo.identities.NamePolicy`; drawn name and place tokens are
        reserved in ``policy.used`` and none is a surrogate or banned token.
    """

    def __init__(self, seed: int, policy) -> None:
        self.policy = policy
        self.fk: dict[str, Faker] = {}
        for i, loc in enumerate(LOCALES):
            fk = Faker(loc)
            fk.seed_instance(seed * 7717 + 41 + i)
            self.fk[loc] = fk
        self.rng = random.Random(seed)
        self.owner: dict[str, str] = {}  # word -> "person:<full>" or "place"
        self.bare_people: set[str] = set()  # people whose given name may stand alone (membership only)
        r = random.Random(seed * 131 + 9)
        self.home_base = r.choice([b for b in HOME_BASES if not any(t in policy.surrogates for t in _words(b))])
        for w in _words(self.home_base):
            self.owner[w] = "place"
            policy.used.add(w)

    # ---- guards -----------------------------------------------------------------------------
    def _token_ok(self, tok: str) -> bool:
        low = tok.lower()
        return (len(low) >= 3 and low not in TEMPLATE_WORDS and low not in COMMON_WORDS
                and low not in self.policy.banned and low not in self.policy.surrogates)

    def bare_ok(self, word: str, entity: str) -> bool:
        """``word`` may be planted alone for ``entity`` (register and policy agree)."""
        low = word.lower()
        return (bool(re.fullmatch(r"[^\W\d_]+", word)) and self._token_ok(word) and self.owner.get(low) == entity
                and low not in US_NAME_TOKENS and (entity in self.bare_people or not entity.startswith("person:")))

    def _claim_person(self, toks: list[str], key: str) -> bool:
        if not all(re.fullmatch(r"[A-Z][a-z]{2,13}", t) and self._token_ok(t) for t in toks):
            return False
        if any(t.lower() in self.policy.used or t.lower() in self.owner for t in toks):
            return False
        for t in toks:
            self.owner[t.lower()] = key
            self.policy.used.add(t.lower())
        return True

    def _claim_place(self, value: str, key: str = "place") -> bool:
        toks = _words(value)
        if any(t in self.policy.surrogates for t in toks) or "\n" in value:
            return False
        if any(self.owner.get(t, key) != key for t in toks if t not in TEMPLATE_WORDS):
            return False
        if any(t in self.policy.used and t not in self.owner and t not in TEMPLATE_WORDS for t in toks):
            return False  # a patient's or staff name
        for t in toks:
            if t not in TEMPLATE_WORDS:
                self.owner[t] = key
                self.policy.used.add(t)
        return True

    # ---- people -----------------------------------------------------------------------------
    def register_patient(self, ident) -> None:
        """Reserve the words of the benchmark patient's street and town (written as that patient's)."""
        for value in (ident.address, ident.city):
            key = f"home:{ident.mrn}"
            for t in _words(value):
                if t not in TEMPLATE_WORDS and t not in self.owner:
                    self.owner[t] = key
                    self.policy.used.add(t)

    def _raw(self, loc: str, sex: str | None) -> tuple[str, str]:
        if loc == "ko":
            return self.rng.choice(KOREAN_GIVEN), self.rng.choice(KOREAN_FAMILY)
        if loc == "ar":
            return self.rng.choice(ARABIC_GIVEN), self.rng.choice(ARABIC_FAMILY)
        fk = self.fk[loc]
        if loc == "zh_CN":
            return fk.first_romanized_name(), fk.last_romanized_name()
        pick = {"f": fk.first_name_female, "m": fk.first_name_male}.get(sex or "", fk.first_name)
        return _ascii(pick()), _ascii(fk.last_name())

    def locale(self) -> str:
        r = self.rng.random()
        if r < 0.05:
            return "ko"
        if r < 0.1:
            return "ar"
        return self.rng.choices(LOCALES, LOCALE_WEIGHTS)[0]

    def person(self, loc: str | None = None, sex: str | None = None, family: str | None = None) -> tuple[str, str]:
        """A ``(given, family)`` whose tokens are reserved for this person (``family`` given: shared)."""
        for i in range(300):
            lc = loc if loc and i < 40 else self.locale()
            g, f = self._raw(lc, sex)
            f = family or f
            key = f"person:{g} {f}"
            if (self._claim_person([g], key) if family else g != f and self._claim_person([g, f], key)):
                if lc in BARE_LOCALES and len(g) >= 4:
                    self.bare_people.add(key)
                return g, f
        raise RuntimeError("no free outside name")

    def nickname(self, entity: str) -> str | None:
        for _ in range(6):
            nick = self.rng.choice(KID_NICKS)
            if nick.lower() not in self.owner and nick.lower() not in self.policy.used and self._token_ok(nick):
                self.owner[nick.lower()] = entity
                self.policy.used.add(nick.lower())
                return nick
            if self.owner.get(nick.lower()) == entity:
                return nick
        return None

    # ---- places -----------------------------------------------------------------------------
    def _place(self, make) -> str:
        for _ in range(300):
            v = make()
            if self._claim_place(v):
                return v
        raise RuntimeError("no free place")

    def surname(self) -> str:
        return _ascii(self.fk["en_US"].last_name())

    def ftown(self) -> str:
        """A town name used inside facility, school and church names (never planted alone)."""
        return self.rng.choice(FACILITY_TOWNS)

    def town(self) -> str:
        """A town planted by itself: its words belong to this town only."""
        for _ in range(300):
            v = self.rng.choice(TOWNS)
            if self._claim_place(v, f"town:{v}"):
                return v
        raise RuntimeError("no free town")

    def street_name(self) -> str:
        return self._place(self.fk["en_US"].street_name)

    def street(self) -> str:
        return self._place(self.fk["en_US"].street_address)

    def abroad(self, loc: str) -> tuple[str, str]:
        country, towns = ABROAD.get(loc, ABROAD["es_MX"])
        for _ in range(300):
            v = self.rng.choice(towns)
            if self._claim_place(v, f"town:{v}"):
                return v, country
        raise RuntimeError("no free town abroad")

    def school(self) -> str:
        return self._place(lambda: f"{self.surname()} {self.rng.choice(SCHOOL_SFX)}")

    def daycare(self) -> str:
        return self._place(lambda: self.rng.choice(DAYCARE_FORMS).format(s=self.surname(), t=self.ftown()))

    def camp(self) -> str:
        return self._place(lambda: self.rng.choice(CAMPS).format(s=self.surname(), t=self.ftown()))

    def church(self) -> str:
        forms = (lambda: f"St. {self.rng.choice(SAINTS)} Parish", lambda: f"{self.ftown()} First Baptist Church",
                 lambda: f"Iglesia Pentecostal {self.fk['es_MX'].last_name()}", lambda: f"{self.surname()} Memorial AME Church")
        return self._place(lambda: _ascii(self.rng.choice(forms)()))

    def employer(self) -> str:
        return self._place(lambda: self.fk["en_US"].company())

    def county(self) -> str:
        return self._place(lambda: f"{self.rng.choice(COUNTIES)} County")

    def outside_hospital(self) -> str:
        forms = (lambda: f"{self.ftown()} Regional Medical Center", lambda: f"{self.surname()} Memorial Hospital",
                 lambda: f"St. {self.rng.choice(SAINTS)} Women's & Children's", lambda: f"{self.ftown()} Birth Center",
                 lambda: f"{self.surname()} Community Health Center")
        return self._place(lambda: self.rng.choice(forms)())

    def pharmacy(self) -> str:
        forms = (lambda: f"{self.surname()} Family Pharmacy", lambda: f"Walgreens #{self.rng.randrange(1000, 19999)}",
                 lambda: f"CVS Pharmacy #{self.rng.randrange(1000, 11999)}", lambda: f"{self.ftown()} Apothecary")
        return self._place(lambda: self.rng.choice(forms)())

    def wic(self) -> str:
        return self._place(lambda: f"WIC - {self.ftown()} Site")

    def home(self) -> str:
        return self.rng.choice((f"{self.home_base} Children's Hospital", f"{self.home_base} Medical Center",
                                f"{self.home_base} Pediatrics"))

    # ---- numbers ----------------------------------------------------------------------------
    def phone(self) -> str:
        r = self.rng
        a, b, c = r.randint(201, 989), r.randint(200, 999), r.randint(0, 9999)
        return r.choice((f"({a}) {b}-{c:04d}", f"{a}-{b}-{c:04d}", f"{a}.{b}.{c:04d}", f"+1 {a} {b} {c:04d}"))

    def zipcode(self) -> str:
        return self.fk["en_US"].zipcode()

    def digits(self, k: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(str(self.rng.randint(0, 9)) for _ in range(k - 1))

    def email(self, given: str, family: str) -> str:
        r = self.rng
        user = r.choice((f"{given}.{family}", f"{given[0]}{family}{r.randint(1, 99)}", f"{family}{given[:3]}"))
        return f"{user.lower()}@{r.choice(EMAIL_DOMAINS)}"

    def d(self, d: date) -> str:
        """A date of at least eight characters in one of many formats."""
        return self.rng.choice((f"{d.month}/{d.day}/{d.year}", f"{d:%m/%d/%Y}", d.isoformat(), f"{d:%B} {d.day}, {d.year}",
                                f"{d:%d %b %Y}", f"{d:%m-%d-%Y}", f"{d:%d%b%Y}".upper(), f"{d:%b} {d.day}, {d.year}",
                                f"{d:%m/%d/%y}"))


class W:
    """A thin writer around the benchmark's Note: upper-casing and light OCR noise of template text."""

    def __init__(self, note, c: Ctx, caps: bool = False, ocr: bool = False) -> None:
        self.note, self.c, self.caps, self.ocr = note, c, caps, ocr

    def t(self, *texts: str) -> W:
        for s in texts:
            s = s.upper() if self.caps else s
            if self.ocr:
                s = "".join(ch if self.c.rng.random() > 0.03 else {"l": "1", "o": "0", "e": "c", "i": "l"}.get(ch, ch)
                            for ch in s)
            self.note.t(s)
        return self

    def p(self, value: str, kind: str) -> W:
        self.note.p(value.upper() if self.caps else value, kind)
        return self


# ---- shared helpers -------------------------------------------------------------------------
def _female(role: str) -> bool:
    return role in ("wife", "daughter", "mother")


def _parents(c: Ctx, ident) -> list[tuple[str, str, str, str]]:
    """``(label, given, family, phone)`` for the child's parents, from the benchmark's relatives."""
    out = []
    for rel in ident.relatives:
        label = "mother" if _female(rel.role) else "father"
        if not out or out[0][0] != label:
            out.append((label, rel.given, rel.family, rel.phone))
    if len(out) < 2:
        label = "father" if out and out[0][0] == "mother" else "mother"
        family = ident.family if c.rng.random() < 0.5 else None
        g, f = c.person(sex="m" if label == "father" else "f", family=family)
        out.append((label, g, f, c.phone()))
    return out[:2]


def _name(w: W, given: str, family: str, kind: str, entity: str | None = None) -> W:
    """Plant a person's name in one of many shapes; a bare given name only when the register allows."""
    r = w.c.rng
    shapes = ["full", "last_first", "initial_last", "first_initial", "upper"]
    if entity and w.c.bare_ok(given, entity):
        shapes.append("given")
    s = r.choice(shapes)
    if s == "given":
        return w.p(given, kind)
    value = {"full": f"{given} {family}", "last_first": f"{family}, {given}", "initial_last": f"{given[0]}. {family}",
             "first_initial": f"{given} {family[0]}.", "upper": f"{family.upper()}, {given.upper()}"}[s]
    return w.p(value, kind)


def _bare(w: W, c: Ctx, cue: str, word: str, kind: str) -> W:
    """Plant a benchmark name ``word`` alone when it can be nowhere else, else with its ``cue``.

    A US Faker first or last name may turn up in a later benchmark patient's Faker street or town,
    so such a word is planted together with its cue (``Mom Donna``).
    """
    if c._token_ok(word) and word.lower() not in US_NAME_TOKENS:
        return w.t(cue).p(word, kind)
    return w.p(cue + word, kind)


def _given(w: W, c: Ctx, name: tuple[str, str], kind: str) -> W:
    """A drawn person by given name alone when the register allows it, else in full."""
    g, f = name
    return w.p(g if c.bare_ok(g, f"person:{g} {f}") else f"{g} {f}", kind)


def _dr(w: W, doc) -> W:
    r = w.c.rng
    return w.p(r.choice((f"Dr. {doc.family}", f"{doc.given} {doc.family}, MD", f"Dr {doc.given[0]}. {doc.family}",
                         f"{doc.family}, {doc.given} MD")), "PROVIDER")


def _pick(staff, nurse: bool, r: random.Random):
    return r.choice([s for s in staff if (s.role == "nurse") == nurse])


def _child_age(r: random.Random, lo: int, hi: int, when: date) -> tuple[int, date]:
    years = r.randint(lo, hi)
    return years, when - timedelta(days=365 * years + r.randrange(1, 360))


def _outside(w: W, c: Ctx, kind: str) -> W:
    """Plant a newly drawn outside person's name in one of many shapes."""
    g, f = c.person()
    return _name(w, g, f, kind, f"person:{g} {f}")


def _fax_header(w: W, c: Ctx, when: date, sender: str) -> W:
    w.p(f"{when:%m/%d/%Y}", "DATE").t(f" {c.rng.randint(7, 18):02d}:{c.rng.randint(0, 59):02d}  FROM: ").p(sender, "HOSPITAL")
    w.t("  FAX ").p(c.phone(), "PHONE").t(f"   P. 00{c.rng.randint(1, 3)}/00{c.rng.randint(3, 5)}\n")
    return w


# ---- the twelve documents -------------------------------------------------------------------
def well_child(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    age, born = _child_age(r, 1, 11, when)
    doc = _pick(staff, False, r)
    parents = _parents(c, ident)
    w.t("WELL CHILD VISIT - ", str(age), " year\nPatient: ").p(f"{ident.family}, {ident.given}", "PATIENT")
    w.t("   DOB: ").p(c.d(born), "DATE").t("   MRN: ").p(ident.mrn, "MRN").t("\nVisit date: ").p(c.d(when), "DATE")
    nick = c.nickname(f"person:{ident.given} {ident.family}") if r.random() < 0.5 else None
    if nick:
        w.t('\nPrefers to be called "').p(nick, "PATIENT").t('".')
    lab, g, f, ph = parents[0]
    w.t(f"\nAccompanied by: {lab}, ")
    _name(w, g, f, "RELATIVE", f"person:{g} {f}" if f != ident.family else None).t(" - ph ").p(ph, "PHONE").t("\n")
    if r.random() < 0.5:
        ig, i_f = c.person(r.choice(("es_MX", "vi_VN", "pt_BR", "zh_CN", "ar")))
        w.t("Interpreter: ").p(f"{ig} {i_f}", "PROVIDER").t(", ID #").p(c.digits(5), "MRN").t(" (video)\n")
    w.t("\nInterval history: doing well. ")
    _given(w.t("Older sibling "), c, c.person(sex=r.choice("fm"), family=ident.family), "RELATIVE").t(" had strep last month. ")
    if age < 5:
        w.t("Attends ").p(c.daycare(), "LOCATION").t(" three days a week while mom works at ").p(c.employer(), "LOCATION")
    else:
        w.t("In grade ", str(max(0, age - 5)), " at ").p(c.school(), "LOCATION").t("; teacher ")
        tg, tf = c.person()
        w.p(r.choice((f"Ms. {tf}", f"Mr. {tf}", f"{tg} {tf}")), "PROVIDER").t(" has no concerns")
    w.t(".\nDiet: whole milk 16 oz/d, picky with vegetables. Sleep 10 h. Screen time ~2 h.\n")
    w.t("Development: meets milestones. Lead screen neg. Dental home: ").p(f"Dr. {c.person()[1]} DDS", "PROVIDER").t(".\n")
    w.t("Vaccines today per schedule; VIS given. Lives at ").p(ident.address, "ADDRESS").t(", ").p(ident.city, "ADDRESS")
    w.t(" ").p(ident.zip, "ZIP").t(".\nNext WCC: ").p(c.d(when + timedelta(days=r.randrange(180, 370))), "DATE").t("\n")
    return _dr(w.t("Seen by "), doc).t("\n")


def school_nurse(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    age, born = _child_age(r, 6, 16, when)
    school, district = c.school(), f"{c.ftown()} Public Schools"
    ng, nf = c.person(sex="f")
    w.t("HEALTH OFFICE LOG  |  ").p(school, "LOCATION").t("  |  ").p(district, "LOCATION").t("\n")
    w.t("Student: ").p(f"{ident.family.upper()}, {ident.given}", "PATIENT").t(f"  Gr {age - 5}  DOB ").p(c.d(born), "DATE")
    w.t("  Student ID ").p(c.digits(7), "MRN").t("\n\nDate | Time | Complaint | Action | Init\n")
    for k in range(r.randint(2, 4)):
        day = when - timedelta(days=r.randrange(1, 120))
        what = r.choice(("headache", "asthma sx after recess", "stomach ache", "scraped knee", "nosebleed", "dizzy"))
        act = r.choice(("rest 15 min, RTC", "albuterol 2 puffs per order", "ice, RTC", "called parent, sent home"))
        w.p(c.d(day), "DATE").t(f" | {r.randint(8, 14)}:{r.randint(0, 59):02d} | {what} | {act} | ").p(f"{ng[0]}.{nf[0]}.", "PROVIDER")
        w.t("\n")
    w.t("\nMEDICATION AUTHORIZATION (parent/guardian + licensed prescriber)\n")
    w.t("[X] albuterol HFA 90 mcg 2 puffs q4h prn   [ ] epinephrine auto-injector   [X] self-carry approved\n")
    lab, g, f, ph = _parents(c, ident)[r.randrange(2)]
    w.t("Parent/guardian: ").p(f"{g} {f}", "RELATIVE").t("  Phone: ").p(ph, "PHONE").t("  Email: ")
    w.p(c.email(g, f), "EMAIL").t("\nPrescriber: ")
    _dr(w, _pick(staff, False, r)).t(", ").p(c.home(), "HOSPITAL").t("   Fax ").p(c.phone(), "PHONE")
    w.t("\nPharmacy: ").p(c.pharmacy(), "HOSPITAL").t("  Rx# ").p(c.digits(7), "MRN").t("\nValid through ")
    w.p(c.d(when + timedelta(days=r.randrange(90, 300))), "DATE").t("\nSchool nurse: ").p(f"{ng} {nf}, RN, NCSN", "PROVIDER")
    return w.t(" (").p(c.email(ng, nf), "EMAIL").t(")\n")


def home_visit(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    vg, vf = c.person(sex="f")
    agency = f"{c.county()} Visiting Nurse Association"
    w.t("VISITING NURSE - POSTPARTUM / NEWBORN HOME VISIT\nAgency: ").p(agency, "HOSPITAL").t("  Referral # ")
    w.p(f"VN-{c.digits(6)}", "MRN").t("\nVisit: ").p(c.d(when), "DATE").t(f", arrived {r.randint(9, 15)}:{r.randint(0, 59):02d}\n")
    w.t("Home: ").p(ident.address, "ADDRESS").t(", ").p(ident.city, "ADDRESS").t(" (2nd floor, side door off ")
    w.p(c.street_name(), "ADDRESS").t(").\n\n")
    if ident.sex == "female":
        _bare(w, c, "Mom ", ident.given, "PATIENT").t(" is PPD 6 s/p SVD; fundus firm, lochia rubra small. BP 124/78. ")
        baby = c.person(family=ident.family)[0]
        w.t("Infant ").p(f"{baby} {ident.family}", "PATIENT").t(" wt 3.21 kg (BW 3.30), feeding q2-3h, 6 wet diapers.\n")
    else:
        mg, mf = c.person(sex="f")
        _bare(w.t("Infant ").p(f"Baby Boy {ident.family}", "PATIENT").t(" ("), c, "baby ", ident.given, "PATIENT")
        w.t(") seen with mother ").p(f"{mg} {mf}", "PATIENT").t("; wt gain 25 g/d, jaundice to chest only.\n")
    gma, gmf = c.person(sex="f")
    w.t("Also present: maternal grandmother ").p(f"{gma} {gmf}", "RELATIVE")
    if r.random() < 0.4:
        age = r.randint(90, 97)
        w.t(" and great-grandmother, ").p(f"{age} years old", "DATE")
    w.t(", who helps with care. ")
    _given(w.t("Neighbor "), c, c.person(sex="f"), "RELATIVE").t(" drives to appointments.\nEPDS 8. Safe sleep reviewed (crib, back). ")
    w.t("Smoke detector present. Church support: ").p(c.church(), "LOCATION").t(".\n")
    w.t("Next visit ").p(c.d(when + timedelta(days=r.randrange(3, 10))), "DATE").t("; pediatrician ")
    _dr(w, _pick(staff, False, r)).t(" notified.\n").p(f"{vg[0]}. {vf}", "PROVIDER").t(", RN  cell ").p(c.phone(), "PHONE")
    return w.t("\n")


def wic_ei_referral(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    home = c.home()
    _fax_header(w, c, when, home)
    w.ocr = True
    w.t("REFERRAL FOR WIC / EARLY INTERVENTION SERVICES\nTO: ").p(c.wic(), "HOSPITAL").t("   and   ")
    ei = f"{c.county()} Early Intervention Program"
    w.p(ei, "LOCATION").t("\nChild: ").p(f"{ident.given} {ident.family}", "PATIENT")
    _, born = _child_age(r, 0, 2, when)
    w.t("   DOB: ").p(c.d(born), "DATE").t("   Medicaid ID: ").p(f"{r.choice('ABCDEFGH')}{c.digits(8)}", "INSURANCE")
    lab, g, f, ph = _parents(c, ident)[0]
    w.t(f"\nParent/Guardian ({lab}): ").p(f"{f}, {g}", "RELATIVE").t("  Ph: ").p(ph, "PHONE")
    w.t("\nAddress: ").p(ident.address, "ADDRESS").t(", ").p(ident.city, "ADDRESS").t(" ").p(ident.zip, "ZIP")
    w.t("\nPrimary language: ", r.choice(("Spanish", "Portuguese", "Vietnamese", "English", "Haitian Creole")))
    w.t("\n\nReason:  [X] growth faltering (<5th %ile)  [X] speech delay  [ ] prematurity  [ ] NICU graduate\n")
    w.t("Hgb 10.4 on ").p(c.d(when - timedelta(days=r.randrange(5, 40))), "DATE").t(". Formula: Similac Advance.\n")
    w.t("Service coordinator requested: ")
    _outside(w, c, "PROVIDER").t("\nReferring clinician: ")
    _dr(w, _pick(staff, False, r)).t("  NPI ").p(c.digits(10), "MRN").t("\nReturn fax: ").p(c.phone(), "PHONE")
    w.ocr = False
    return w.t("\nCONFIDENTIAL: intended only for the addressee.\n")


def prenatal_intake(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    w.caps = r.random() < 0.6
    lmp = when - timedelta(days=r.randrange(60, 250))
    w.t("OB TRIAGE / PRENATAL INTAKE          SCREEN OBI-2\n")
    if ident.sex == "female":
        w.t("PT NAME: ").p(f"{ident.family}, {ident.given}", "PATIENT").t("   MRN: ").p(ident.mrn, "MRN")
        w.t("   SSN: ").p(ident.ssn, "SSN").t("\nHOME PH: ").p(ident.phone, "PHONE").t("   E-MAIL: ").p(ident.email, "EMAIL")
        fob_g, fob_f = c.person(sex="m")
        fob = (fob_g, fob_f, c.phone())
    else:
        mg, mf = c.person(sex="f")
        w.t("PT NAME: ").p(f"{mf}, {mg}", "PATIENT").t("   PARTNER MRN: ").p(ident.mrn, "MRN")
        fob = (ident.given, ident.family, ident.phone)
    w.t("\nLMP: ").p(c.d(lmp), "DATE").t("   EDD: ").p(c.d(lmp + timedelta(days=280)), "DATE")
    w.t(f"   G{r.randint(1, 5)} P{r.randint(0, 3)}   GA {(when - lmp).days // 7}w{(when - lmp).days % 7}d\n")
    w.t("INSURANCE: ", ident.insurer, "  MEMBER#: ").p(ident.insurance_id, "INSURANCE").t("\n")
    w.t("FOB: ").p(f"{fob[0]} {fob[1]}", "PATIENT" if ident.sex == "male" else "RELATIVE").t("  PH ").p(fob[2], "PHONE")
    w.t("\nEMPLOYER: ").p(c.employer(), "LOCATION").t("\nPRIOR DELIVERY: ").p(c.outside_hospital(), "HOSPITAL")
    w.t(" ").p(c.d(when - timedelta(days=r.randrange(500, 2000))), "DATE").t(" SVD 39 WK\n")
    loc = r.choice(("es_MX", "pt_BR", "fr_FR", "yo_NG", "en_IN"))
    town, country = c.abroad(loc)
    w.t("BORN IN: ").p(town, "LOCATION").t(f", {country}\nMIDWIFE: ")
    mw = c.person(sex="f")
    w.p(f"{mw[0]} {mw[1]}, CNM", "PROVIDER").t("   DOULA: ")
    _outside(w, c, "PROVIDER").t("\nCC: ", r.choice(("decreased FM x 1 day", "ctx q 8 min", "LOF at 0500")))
    w.t("\nNST reactive. Cervix closed/long. D/C home, f/u ").p(c.d(when + timedelta(days=r.randrange(5, 14))), "DATE")
    w.t("\nRN: ")
    n = _pick(staff, True, r)
    return w.p(f"{n.family.upper()}, {n.given[0]}", "PROVIDER").t("\n")


def ld_summary(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    doc = _pick(staff, False, r)
    if ident.sex == "female":
        mom = (ident.given, ident.family)
        baby_label = f"Baby {r.choice(('Girl', 'Boy'))} {ident.family}"
        w.t("LABOR & DELIVERY SUMMARY\nMother: ").p(f"{ident.given} {ident.family}", "PATIENT").t("  MRN ").p(ident.mrn, "MRN")
        w.t("  DOB ").p(c.d(ident.birth_date), "DATE")
        partner = c.person(sex="m")
        planned = f"{c.person(family=ident.family)[0]} {ident.family}"
    else:
        mom = c.person(sex="f")
        baby_label = f"Baby Boy {ident.family}"
        planned = ident.full
        w.t("LABOR & DELIVERY SUMMARY (newborn record)\nMother: ").p(f"{mom[0]} {mom[1]}", "PATIENT")
        w.t("  Infant MRN ").p(ident.mrn, "MRN")
        partner = c.person(sex="m", family=ident.family)
    w.t("\nDelivery date/time: ").p(c.d(when), "DATE").t(f" {r.randint(0, 23):02d}{r.randint(0, 59):02d}\n")
    w.t("Support person: ").p(f"{partner[0]} {partner[1]}", "RELATIVE")
    w.t(" (FOB); doula ")
    _outside(w, c, "PROVIDER").t("\nDelivered by: ")
    _dr(w, doc).t("; CNM ")
    _outside(w, c, "PROVIDER").t("\n\nNEWBORN\n| Name | Sex | Wt (g) | Apgar 1/5 | GA |\n| ")
    w.p(baby_label, "PATIENT").t(f" | {'F' if 'Girl' in baby_label else 'M'} | {r.randint(2600, 4200)} | ")
    w.t(f"{r.randint(6, 9)}/{r.randint(8, 9)} | {r.randint(37, 41)}w |\n")
    w.t("Newborn MRN: ").p(f"{c.digits(4)}-{c.digits(3)}-N", "MRN").t("   Birth certificate worksheet #: ")
    w.p(f"{when.year}-{c.digits(6)}", "MRN").t("\nHep B vaccine lot ", f"{r.choice('ABCDEF')}{r.randint(100, 999)}X")
    w.t(", vit K, erythromycin given. Cord blood banked: ")
    w.p(f"Kit {c.digits(8)}", "MRN").t(".\nPediatrician on record: ")
    pg, pf = c.person()
    w.p(f"{pf}, {pg} MD", "PROVIDER").t(" at ").p(c.outside_hospital(), "HOSPITAL").t(". Maternal blood type O+, GBS neg.\n")
    w.t("Planned name: ").p(planned, "PATIENT").t("\n")
    return w


def nicu_discharge(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    ga = r.randint(25, 34)
    born = when - timedelta(days=r.randrange(30, 90))
    doc = _pick(staff, False, r)
    parents = _parents(c, ident)
    w.t("NICU DISCHARGE SUMMARY\n\n").p(f"{ident.given} {ident.family}", "PATIENT")
    w.t(f" is a former {ga}-week preterm infant born ").p(c.d(born), "DATE").t(" at ").p(c.outside_hospital(), "HOSPITAL")
    w.t(" and transferred here on day of life 1 by ").p(f"{c.home_base} Transport", "HOSPITAL").t(". ")
    w.t("Discharged home ").p(c.d(when), "DATE").t(" with ")
    for k, (lab, g, f, ph) in enumerate(parents):
        w.t("and " if k else "", f"{lab} ")
        _name(w, g, f, "RELATIVE", f"person:{g} {f}" if f != ident.family else None).t(" ")
    w.t(f"after {(when - born).days} days. Course: RDS on CPAP x 9 d, caffeine, ROP stage 1 zone III. ")
    w.t("Newborn screen #").p(c.digits(9), "MRN").t(" normal. Car seat test passed.\n\nFollow-up:\n")
    w.t("- Pediatrician: ").p(f"Dr. {c.person()[1]}", "PROVIDER").t(", ").p(c.outside_hospital(), "HOSPITAL").t(", ")
    w.p(c.phone(), "PHONE").t(", within 48 h\n- Ophthalmology ").p(c.d(when + timedelta(days=14)), "DATE").t("\n")
    w.t("- Early Intervention referral faxed to ").p(f"{c.county()} EI", "LOCATION").t("\n- Synagis via ")
    w.p(c.pharmacy(), "HOSPITAL").t(", auth # ").p(f"PA{c.digits(8)}", "MRN").t("\n")
    w.t("Parents' e-mail for portal: ").p(c.email(parents[0][1], parents[0][2]), "EMAIL").t("\n\n")
    return _dr(w.t("Attending: "), doc).t("\n")


def foster_summary(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    _, born = _child_age(r, 2, 15, when)
    agency = f"{c.county()} Department of Children and Families"
    w.t("FOSTER CARE / ADOPTION MEDICAL SUMMARY\nChild: ").p(f"{ident.family}, {ident.given}", "PATIENT")
    w.t("   DOB ").p(c.d(born), "DATE").t("   Case # ").p(f"DCF-{when.year}-{c.digits(6)}", "MRN")
    w.t("\nMedicaid: ").p(f"{c.digits(11)}", "INSURANCE").t("   Agency: ").p(agency, "LOCATION").t("\nCaseworker: ")
    cw = c.person()
    _name(w, cw[0], cw[1], "PROVIDER", f"person:{cw[0]} {cw[1]}")
    w.t("  ").p(c.phone(), "PHONE").t("  ").p(c.email(cw[0], cw[1]), "EMAIL").t("\n\n")
    fam = c.surname()
    while not c._claim_place(fam + " household"):
        fam = c.surname()
    fm = c.person(sex="f", family=fam)
    ff = c.person(sex="m", family=fam)
    w.t("Current placement (since ").p(c.d(when - timedelta(days=r.randrange(30, 600))), "DATE").t("): foster parents ")
    w.p(f"{fm[0]} and {ff[0]} {fam}", "RELATIVE").t(", ").p(c.street(), "ADDRESS").t(", ").p(c.town(), "LOCATION").t(".\n")
    w.t("Previous placements: kinship with maternal aunt in ").p(c.town(), "LOCATION").t("; emergency shelter.\n")
    bm = ident.relatives[0] if ident.relatives else None
    if bm:
        w.t("Biological parent: ").p(f"{bm.given} {bm.family}", "RELATIVE").t(" (supervised visits, TPR hearing ")
        w.p(c.d(when + timedelta(days=r.randrange(20, 120))), "DATE").t(" at ").p(f"{c.county()} Juvenile Court", "LOCATION")
        w.t(").\n")
    _given(w.t("Sibling "), c, c.person(family=ident.family), "RELATIVE").t(" placed separately; attends ").p(c.school(), "LOCATION").t(".\n")
    w.t("GAL: ")
    _outside(w, c, "PROVIDER").t(", Esq.\nImmunizations: UTD per registry. Hx: prenatal exposure, eczema, ")
    w.t("dental caries. Therapist: ")
    _outside(w, c, "PROVIDER").t(" at ").p(f"{c.ftown()} Child Guidance Center", "HOSPITAL").t(".\n")
    return _dr(w.t("Completed by "), _pick(staff, False, r)).t(", ").p(c.d(when), "DATE").t("\n")


def immunization_registry(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    _, born = _child_age(r, 1, 17, when)
    w.caps = True
    w.t("STATE IMMUNIZATION INFORMATION SYSTEM - OFFICIAL RECORD\nPRINTED: ").p(c.d(when), "DATE")
    w.t("\nNAME: ").p(f"{ident.family}, {ident.given}", "PATIENT").t("\tDOB: ").p(c.d(born), "DATE")
    w.t("\tREGISTRY ID: ").p(c.digits(9), "MRN").t("\nMOTHER'S MAIDEN NAME: ")
    mg, mf = c.person()
    w.p(mf if c.bare_ok(mf, f"person:{mg} {mf}") else f"{mf} ({mg})", "RELATIVE")
    w.t("\tADDRESS: ").p(ident.address, "ADDRESS").t(" ").p(ident.city, "ADDRESS").t("\n\n")
    w.t("VACCINE\tDATE GIVEN\tLOT\tPROVIDER / CLINIC\n")
    clinics = [c.home(), c.outside_hospital()]
    for k in range(r.randint(4, 7)):
        vac = r.choice(("DTAP", "IPV", "MMR", "VARICELLA", "HEP B", "HEP A", "PCV20", "HIB", "FLU", "TDAP", "HPV"))
        d = born + timedelta(days=60 * (k + 1) + r.randrange(0, 30))
        w.t(f"{vac}\t").p(c.d(d), "DATE").t(f"\t{r.choice('ABCDEFGHJK')}{r.randint(1000, 9999)}\t").p(r.choice(clinics), "HOSPITAL")
        w.t("\n")
    w.t("\nHISTORICAL DOSES FROM ").p(c.outside_hospital(), "HOSPITAL").t(" ENTERED BY ")
    n = _pick(staff, True, r)
    w.p(f"{n.given[0]}.{n.family[0]}.", "PROVIDER").t("\nTHIS RECORD MAY BE USED FOR SCHOOL AND CHILD CARE ENTRY.\n")
    return w


def lactation(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    lg, lf = c.person(sex="f")
    if ident.sex == "female":
        mom, baby = (ident.given, ident.family), (c.person(family=ident.family)[0], ident.family)
        w.t("LACTATION CONSULT\nMother: ").p(f"{ident.given} {ident.family}", "PATIENT")
        w.t("  MRN ").p(ident.mrn, "MRN").t("  Infant: ").p(f"{baby[0]} {baby[1]}", "PATIENT")
    else:
        mom = c.person(sex="f")
        w.t("LACTATION CONSULT (infant chart)\nInfant: ").p(f"{ident.given} {ident.family}", "PATIENT")
        w.t("  Mother: ").p(f"{mom[1]}, {mom[0]}", "PATIENT")
    w.t("\nDate: ").p(c.d(when), "DATE").t("   Consultant: ").p(f"{lg} {lf}, IBCLC", "PROVIDER").t("\n\n")
    w.t("Day 4. Latch shallow on L, nipple compression noted. Infant wt down 9% from BW. Hand expression ")
    w.t("taught; pump rental (Medela) through ").p(c.pharmacy(), "HOSPITAL").t(". WIC breast pump via ").p(c.wic(), "HOSPITAL")
    w.t(". Plan: triple feeding x 48 h, weight check ").p(c.d(when + timedelta(days=2)), "DATE").t(".\n\n")
    mail = ident.email if ident.sex == "female" else c.email(mom[0], mom[1])
    w.t("--- Patient portal message ---\nFrom: ").p(mail, "EMAIL").t("\nSent: ")
    w.p(c.d(when + timedelta(days=1)), "DATE").t(f" {r.randint(1, 11)}:{r.randint(0, 59):02d} pm\n")
    _given(w.t("hi "), c, (lg, lf), "PROVIDER")
    w.t(" its me, the baby is feeding better but my sister ")
    _given(w, c, c.person(sex="f"), "RELATIVE").t(" says i should give formula at night?? also my milk looks yellow is that ok\n")
    w.t("--- Reply ---\nYes, that yellow milk is colostrum, totally normal. Call the warmline ").p(c.phone(), "PHONE")
    return w.t(" anytime. - ").p(f"{lg[0]}{lf[0]}".lower() + " IBCLC", "PROVIDER").t("\n")


def sports_physical(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    age, born = _child_age(r, 9, 17, when)
    camp = r.random() < 0.5
    w.t("PREPARTICIPATION PHYSICAL EVALUATION - ", "CAMP" if camp else "ATHLETICS", " FORM\n")
    w.t("Name: ").p(f"{ident.given} {ident.family}", "PATIENT")
    w.t("   DOB: ").p(c.d(born), "DATE").t(f"   Age: {age}   Sex: {ident.sex[0].upper()}\n")
    if camp:
        w.t("Camp: ").p(c.camp(), "LOCATION").t("   Session begins ").p(c.d(when + timedelta(days=r.randrange(10, 50))), "DATE")
        w.t("\nCamp director: ")
    else:
        w.t("School: ").p(c.school(), "LOCATION").t("   Sport(s): ", r.choice(("soccer", "basketball", "wrestling, track")))
        w.t("\nCoach: ")
        w.p(f"Coach {c.person()[1]}", "PROVIDER").t("   Athletic trainer: ")
    _outside(w, c, "PROVIDER").t("\n\nHISTORY  [ ] chest pain w/ exercise  [ ] fainting  [X] asthma  [ ] concussion  ")
    w.t("[ ] sudden death in family <50\nEXAM     BP 112/68  HR 64  Vision 20/20  Heart: no murmur supine/standing\n")
    w.t("CLEARANCE  [X] Cleared without restriction  [ ] Cleared after further evaluation  [ ] Not cleared\n\n")
    w.t("EMERGENCY CONTACTS\n")
    for lab, g, f, ph in _parents(c, ident):
        w.t(f"  {lab.title()}: ").p(f"{g} {f}", "RELATIVE").t("  cell ").p(ph, "PHONE").t("\n")
    w.t("Insurance: ", ident.insurer, " ").p(ident.insurance_id, "INSURANCE").t("\nExaminer: ")
    return _dr(w, _pick(staff, False, r)).t("   Date ").p(c.d(when), "DATE").t("   Signature: ______\n")


def childcare_incident(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    _, born = _child_age(r, 1, 5, when)
    center = c.daycare()
    dg, df = c.person(sex="f")
    w.t("CHILD CARE CENTER - INCIDENT / ILLNESS REPORT\nProgram: ").p(center, "LOCATION").t("  Lic # ")
    w.p(f"DC-{c.digits(6)}", "MRN").t("\nLocation: ").p(c.street(), "ADDRESS").t(", ").p(c.town(), "LOCATION").t(" ").p(c.zipcode(), "ZIP")
    w.t("  Tel ").p(c.phone(), "PHONE").t("\n\nChild: ").p(f"{ident.given} {ident.family}", "PATIENT")
    w.t("   DOB ").p(c.d(born), "DATE").t(f"   Room: {r.choice(('Toddler B', 'Preschool 2', 'Bluebirds', 'Infant'))}\n")
    w.t("Date of incident: ").p(c.d(when), "DATE").t(f"   Time: {r.randint(9, 16)}:{r.randint(0, 59):02d}\n")
    kind = r.random() < 0.5
    if kind:
        _given(w.t("What happened: bitten on the L forearm by a classmate ("), c, c.person(), "RELATIVE")
        w.t("), skin not broken. Washed, ice pack 10 min.\n")
    else:
        w.t("What happened: temp 101.8 F axillary, pulling at R ear, fussy. Isolated in office until pick-up.\n")
    wg, wf = c.person()
    w.t("Staff witness: ").p(f"{wg} {wf[0]}.", "PROVIDER").t("   Teacher: ")
    _outside(w, c, "PROVIDER").t("\n")
    lab, g, f, ph = _parents(c, ident)[r.randrange(2)]
    w.t("Parent notified: [X] phone  [ ] in person  - ").p(f"{g} {f}", "RELATIVE").t(f" ({lab}) at ")
    w.p(ph, "PHONE").t(". Picked up by grandfather ").p(" ".join(c.person(sex="m")), "RELATIVE").t(".\n")
    w.t("Exclusion: may return 24 h fever-free. Seen same day by ").p(f"Dr. {c.person()[1]}", "PROVIDER").t(" at ")
    w.p(c.outside_hospital(), "HOSPITAL").t(".\nDirector: ").p(f"{dg} {df}", "PROVIDER").t("  ")
    return w.p(c.email(dg, df), "EMAIL").t("\nParent signature: ________  Date: ________\n")


WRITERS = {name: globals()[name] for name in STYLES_I}


def make_writer(note_cls, seed: int, policy):
    """A ``write_note``-like function for the i styles.

    Parameters
    ----------
    note_cls:
        The benchmark's ``Note`` class (``t``/``p`` API).
    seed:
        Seed for this module's Faker instances and the fictional home hospital.
    policy:
        The benchmark's :class:`NamePolicy` (drawn tokens are reserved; surrogate tokens never planted).

    Returns
    -------
    callable
        ``write(style, ident, staff, fake, rng, when) -> Note``; ``fake`` is not used (this set draws
        from its own seeded Fakers), ``rng`` drives every choice.
    """
    ctx = Ctx(seed, policy)

    def write(style: str, ident, staff, fake: Faker, rng: random.Random, when: date):
        ctx.rng = rng
        ctx.register_patient(ident)
        w = W(note_cls(), ctx, caps=rng.random() < 0.15)
        WRITERS[style](w, ctx, ident, staff, when)
        return w.note

    return write
