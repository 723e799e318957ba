"""Held-out note styles, set h, for ``bench/deid_heldout_export.py --styles h``.

Twelve kinds of public-service, legal-medical and end-of-life document around a US hospital:
an EMS patient care report (ambulance run sheet with agency, unit, crew and their certification
numbers, incident address, times, receiving facility, mileage and a caller or bystander), a
sexual-assault nurse examiner (SANE) forensic examination with its chain of custody (detective,
badge, police case and evidence kit numbers, advocate), a poison control centre call record
(caller, relation, callback number, case id, specialist), a death pronouncement with a medical
examiner referral (ME case number, investigator, funeral home, organ procurement referral, next
of kin notified), a dental chart / oral surgery referral (dentist, dental lab, tooth chart,
radiograph ids), an outpatient pharmacy refill-authorization fax (pharmacy and store number,
address, fax, prescriber NPI / DEA, Rx numbers), a dialysis unit run sheet (unit, chair, machine
serial, nephrologist, technicians' initials, access surgeon), a DOT commercial driver medical
examination (licence number and state, employer, motor carrier, examiner registry number), an
immigration medical examination (civil surgeon, A-number, passport, city of birth, attorney), an
FMLA / disability certification (employer, HR contact, claim number, leave dates), an independent
medical examination report for an insurer or a law firm (claimant, attorney, adjuster, claim
number, prior treating providers and facilities) and a travel-medicine / vaccination certificate
(passport, itinerary abroad, yellow-fever certificate number, clinic). Layouts vary: label: value
forms, all-caps legacy screens, pipe and tab tables, prose, faxed pages with header lines and OCR
letter noise, checkboxes; names as ``First Last``, ``Last, First M.``, ``First L.``, ``F. Last``,
initials, upper and lower case.

Written from general knowledge of these documents, without reading the de-identification code,
its data, its training templates, its tests, its documentation, the README or any corpus in the
shared data folder, nor the held-out sets b, d, e, f and g (only the benchmark scaffolding, set c's
interface and the demo's identity, writer, planting, manifest and check modules were read), as an
independent set. Patients, their relatives and the hospital's own staff come from the benchmark's
generator; everyone and everything else (EMTs, detectives, advocates, poison specialists,
investigators, dentists, pharmacists, technicians, examiners, civil surgeons, attorneys, adjusters,
HR contacts, callers, bystanders, next of kin, towns, streets, phones, agencies, firms, carriers,
funeral homes, clinics and cities abroad) from seeded Faker instances of thirteen locales (en_US,
es_MX, pl_PL, vi_VN, zh_CN romanized, en_IN, pt_BR, fr_FR, yo_NG, it_IT, de_DE, tr_TR, es_CO) and
this module's own lists of romanized Filipino, Arabic, Vietnamese, Somali and Haitian names.

PHI kinds are those the benchmark already uses. Conventions of this set: the note's patient and
other patients ``PATIENT``; relatives, friends, callers, bystanders, next of kin and co-workers
``RELATIVE``; clinicians and professionals acting in their role (EMTs, detectives, investigators,
advocates, attorneys, adjusters, HR contacts, examiners, dentists, pharmacists, technicians)
``PROVIDER``; the patient's street and town and any street ``ADDRESS``; other towns, counties,
employers, motor carriers, firms, insurers, agencies, police departments, funeral homes, schools
and cities abroad ``LOCATION``; ZIP codes ``ZIP``; hospitals, clinics, pharmacies, dental labs,
dialysis units, EMS agencies and organ procurement organizations ``HOSPITAL``; the SSN ``SSN``;
member and policy numbers ``INSURANCE``; every other identifying number (MRN, case, claim, kit,
badge, certification, licence, passport, A-number, serial, Rx, store, registry and unit numbers)
``MRN``; e-mails and URLs ``EMAIL``; phones and faxes ``PHONE``; dates (always at least eight
characters, in many formats) and ages over 89 ``DATE``. Clock times, years alone, ages under 90,
rooms, chairs, states, countries, drug / vaccine / device brand names and lot numbers are written
but not planted. A planted value of a single word is a word this module writes nowhere else, not
an everyday English word and no surrogate token (the benchmark's name policy); a per-seed register
keeps each such word to one entity only and out of every other entity's value, otherwise the value
is planted with its cue or in full (``Det. Okafor``, ``Dr. Bell``). The export is the same on
every run for a seed.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from coordinator.demo.identities import NAME_BLOCKLIST, stable_int

STYLES_H = ("ems_pcr", "sane_exam", "poison_call", "death_me", "dental", "pharmacy_fax", "dialysis",
            "dot_exam", "immigration", "fmla", "ime", "travel")

NOTE_TYPES_H = {
    "ems_pcr": "EMS patient care report", "sane_exam": "Forensic examination",
    "poison_call": "Telephone encounter", "death_me": "Death note", "dental": "Dental referral",
    "pharmacy_fax": "Outside records", "dialysis": "Dialysis treatment record",
    "dot_exam": "DOT medical examination", "immigration": "Immigration medical examination",
    "fmla": "FMLA certification", "ime": "Independent medical examination", "travel": "Travel medicine visit",
}

# ---- begin name and place lists (not template text) ----
FIL_GIVEN = ("Rodrigo", "Marites", "Jericho", "Rowena", "Arnel", "Lorna", "Bienvenido", "Maricel", "Reynaldo",
             "Jocelyn", "Danilo", "Analyn", "Ferdinand", "Rosalinda", "Efren", "Josefina", "Ramil", "Lourdes",
             "Rommel", "Charito", "Edgardo", "Teodora", "Wilfredo", "Imelda", "Junrey", "Kristine")
FIL_FAMILY = ("Dimaculangan", "Macaraeg", "Bautista", "Villanueva", "Manalo", "Pangilinan", "Dizon", "Tolentino",
              "Magbanua", "Evangelista", "Sison", "Mercado", "Lacson", "Buenaventura", "Panganiban", "Soriano",
              "Quiambao", "Dalisay", "Maglalang", "Ocampo", "Salonga", "Agbayani", "Tuazon", "Catacutan")
AR_GIVEN = ("Khaled", "Fatima", "Youssef", "Mariam", "Hussein", "Layla", "Omar", "Nour", "Tariq", "Rania",
            "Mahmoud", "Samira", "Bilal", "Huda", "Karim", "Amira", "Walid", "Salma", "Nabil", "Yasmeen", "Ziad")
AR_FAMILY = ("Haddad", "Khoury", "Mansour", "Nasser", "Saleh", "Aziz", "Hamdan", "Qasim", "Barakat", "Darwish",
             "Shaheen", "Abboud", "Haidar", "Jaber", "Najjar", "Sabbagh", "Tamimi", "Zaidan", "Awad", "Khalil")
VI_GIVEN = ("Thanh", "Huong", "Tuan", "Phuong", "Dung", "Trang", "Quang", "Hanh", "Khoa", "Nhung", "Vinh",
            "Thuy", "Hieu", "Ngoc", "Duong", "Xuan", "Trung", "Loan", "Phuc", "Quynh")
SO_GIVEN = ("Abdirahman", "Hodan", "Mohamed", "Fadumo", "Abdullahi", "Ayaan", "Hassan", "Sahra", "Farah",
            "Ubah", "Mahad", "Hibo", "Liban", "Ifrah")
SO_FAMILY = ("Warsame", "Jama", "Egal", "Farah", "Osman", "Hirsi", "Abdi", "Mohamud", "Dualeh", "Aden",
             "Nur", "Guled", "Samatar", "Barre")
HT_GIVEN = ("Jean-Robert", "Marie-Claude", "Wilner", "Guerline", "Fritznel", "Nadege", "Jocelyne", "Wesner",
            "Rosemene", "Dieudonne", "Lovely", "Marjorie", "Yvenel", "Clotilde")
HT_FAMILY = ("Pierre-Louis", "Jean-Baptiste", "Desrosiers", "Toussaint", "Celestin", "Joseph", "Lafontant",
             "Dorvil", "Etienne", "Fils-Aime", "Charlemagne", "Vilsaint", "Augustin", "Registre")

#: Cities abroad by the country they are in (the country itself is not planted).
CITIES_ABROAD = {
    "Kenya": ("Nairobi", "Mombasa", "Kisumu", "Nakuru", "Eldoret"),
    "Tanzania": ("Arusha", "Moshi", "Dodoma", "Zanzibar City", "Mwanza"),
    "Uganda": ("Kampala", "Entebbe", "Gulu", "Jinja", "Mbarara"),
    "Ghana": ("Accra", "Kumasi", "Tamale", "Cape Coast", "Takoradi"),
    "Nigeria": ("Lagos", "Ibadan", "Abuja", "Enugu", "Kaduna", "Port Harcourt"),
    "Peru": ("Cusco", "Iquitos", "Arequipa", "Puerto Maldonado", "Trujillo"),
    "Brazil": ("Manaus", "Belem", "Salvador", "Recife", "Cuiaba", "Foz do Iguacu"),
    "Colombia": ("Cartagena", "Medellin", "Leticia", "Barranquilla", "Bucaramanga"),
    "India": ("Varanasi", "Jaipur", "Kochi", "Lucknow", "Amritsar", "Madurai"),
    "Vietnam": ("Hanoi", "Da Nang", "Can Tho", "Hai Phong", "Nha Trang"),
    "the Philippines": ("Cebu City", "Iloilo", "Davao", "Baguio", "Tacloban", "Zamboanga"),
    "Ethiopia": ("Addis Ababa", "Gondar", "Bahir Dar", "Mekelle", "Harar"),
    "Senegal": ("Dakar", "Thies", "Ziguinchor", "Saint-Louis"),
    "Cameroon": ("Douala", "Yaounde", "Bamenda", "Garoua"),
    "Bolivia": ("Santa Cruz de la Sierra", "Cochabamba", "Sucre", "Rurrenabaque"),
}
#: Birth cities for the immigration exam, by country of birth.
BIRTH_CITIES = {
    "Mexico": ("Guadalajara", "Puebla", "Oaxaca de Juarez", "Morelia", "Culiacan", "Zacatecas", "Irapuato",
               "Tlaquepaque", "Hermosillo", "Aguascalientes"),
    "Vietnam": ("Bien Hoa", "Vung Tau", "Quy Nhon", "Buon Ma Thuot", "Long Xuyen", "My Tho"),
    "the Philippines": ("Pampanga", "Batangas City", "Dagupan", "Lucena", "Cabanatuan", "Olongapo"),
    "Poland": ("Rzeszow", "Bialystok", "Lublin", "Tarnow", "Nowy Sacz", "Olsztyn"),
    "India": ("Vadodara", "Ludhiana", "Coimbatore", "Nagpur", "Guntur", "Thrissur"),
    "China": ("Fuzhou", "Wenzhou", "Taishan", "Changsha", "Hefei", "Kunming"),
    "Brazil": ("Governador Valadares", "Uberlandia", "Juiz de Fora", "Londrina", "Campinas"),
    "Haiti": ("Cap-Haitien", "Jacmel", "Les Cayes", "Gonaives", "Hinche"),
    "Somalia": ("Mogadishu", "Hargeisa", "Kismayo", "Baidoa", "Beledweyne"),
    "Syria": ("Aleppo", "Homs", "Latakia", "Hama", "Deir ez-Zor"),
    "Nigeria": ("Abeokuta", "Ilorin", "Onitsha", "Benin City", "Ogbomosho"),
    "Colombia": ("Pereira", "Manizales", "Cucuta", "Ibague", "Armenia"),
}
#: Made-up two-word bases of the home hospital and nearby places.
HOME_BASES = ("Tamsin Reach", "Corvell Ridge", "Lanthorne Bay", "Ashcombe Vale", "Pemberly Fork",
              "Wrenfield Hollow", "Marrowick Point", "Halvern Crest", "Dunmore Glade", "Quillan Shore",
              "Stellwick Park", "Brannock Hill")
# ---- end name and place lists ----

#: Countries and states written around the cities (never planted).
COUNTRIES = ("Mexico", "Vietnam", "the Philippines", "Poland", "India", "China", "Brazil", "Haiti", "Somalia",
             "Syria", "Nigeria", "Colombia", "Kenya", "Tanzania", "Uganda", "Ghana", "Peru", "Ethiopia",
             "Senegal", "Cameroon", "Bolivia")
STATES = ("MA", "NH", "RI", "CT", "NY", "NJ", "PA", "OH", "IL", "TX", "FL", "GA", "CA", "WA", "MI", "MN",
          "Massachusetts", "New Hampshire", "Rhode Island", "Connecticut", "New York", "New Jersey",
          "Pennsylvania", "Ohio", "Illinois", "Texas", "Florida", "Georgia", "California", "Michigan")
#: Everyday English words that are also surnames or given names (never planted by themselves).
ENGLISH_NAMES = frozenset("""
walker turner parker carpenter fisher porter miller potter hood noble sweet church bass bean dunn
rhodes mathis hogan wells burns golden lyons gross cross marshall knight bailey cooper hunter ball
carr dean coleman hays lambert mann pace rowe sparks steward tanner vance wagner waller fields
joseph lee moore rose daniel grant long may april june faith hope joy mark rich will fox house
booker gay hand man pool rain read reading rush sails shore spears summers tower towers winter
branch bridges chambers drake finch frost gardner gill goode hawk hollow lake parish park pike
rivers root sands shields skinner slater stark stroud swan tate thorn tidwell trapp trout vail
""".split())

_OWN_TEXT = Path(__file__).read_text(encoding="utf-8")
_TEMPLATE_TEXT = re.sub(r"# ---- begin name and place lists.*?# ---- end name and place lists ----", " ",
                        _OWN_TEXT, flags=re.DOTALL)
_TEMPLATE_TEXT = re.sub(r"ENGLISH_NAMES = frozenset\(\"\"\".*?\"\"\"", " ", _TEMPLATE_TEXT, flags=re.DOTALL)


def _stop_words() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover
        return frozenset()
    return frozenset(STOP_WORDS)


#: Words this module writes as template text; a planted single word is none of these.
TEMPLATE_WORDS = frozenset(re.findall(r"[a-z0-9]+", _TEMPLATE_TEXT.lower()))
COMMON_WORDS = _stop_words() | NAME_BLOCKLIST | ENGLISH_NAMES | TEMPLATE_WORDS

LOCALES = ("en_US", "es_MX", "pl_PL", "vi_VN", "zh_CN", "en_IN", "pt_BR", "fr_FR", "yo_NG", "it_IT", "de_DE",
           "tr_TR", "es_CO")
PERSON_LOCS = ("es_MX", "pl_PL", "vi", "zh_CN", "en_IN", "pt_BR", "fr_FR", "yo_NG", "it_IT", "de_DE", "tr_TR",
               "es_CO", "fil", "ar", "so", "ht")
OWN_LISTS = {"fil": (FIL_GIVEN, FIL_FAMILY), "ar": (AR_GIVEN, AR_FAMILY), "vi": (VI_GIVEN, None),
             "so": (SO_GIVEN, SO_FAMILY), "ht": (HT_GIVEN, HT_FAMILY)}
AREA_CODES = (617, 508, 781, 978, 413, 774, 857, 603, 401, 860, 203, 212, 718, 914, 973, 201, 215, 412, 216,
              312, 773, 713, 305, 404, 206, 313, 612)


def _ascii(s: str) -> str:
    """Accents dropped, as many US systems store a foreign name (``Nguyễn`` -> ``Nguyen``)."""
    for a, b in (("Đ", "D"), ("đ", "d"), ("ł", "l"), ("Ł", "L"), ("ß", "ss"), ("ı", "i"), ("ø", "o")):
        s = s.replace(a, b)
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def _toks(value: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", value.lower())


def _single(value: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9]+", value))


OCR = {"l": "1", "O": "0", "o": "0", "i": "l", "e": "c", "S": "5", "B": "8", "rn": "m", "a": "o", "t": "f"}


class Person:
    """An outside person: name parts, a middle initial, a register key."""

    def __init__(self, given: str, family: str, mid: str, key: tuple) -> None:
        self.given, self.family, self.mid, self.key = given, family, mid, key


class Ctx:
    """Seeded sources of outside people, places and numbers, and the per-seed register.

    The register maps each lower-cased token of every planted value to the entities whose values
    hold it (``owners``) and each word planted by itself to its one entity (``solo``); tokens of
    unplanted text that is not template text go to ``loose``.
    """

    def __init__(self, seed: int, policy) -> None:
        self.policy = policy
        self.fk: dict[str, Faker] = {}
        for loc in LOCALES:
            f = Faker(loc)
            f.seed_instance(stable_int("heldout-h", seed, loc))
            self.fk[loc] = f
        self.rng = random.Random(seed)
        self.owners: dict[str, set] = defaultdict(set)
        self.solo: dict[str, tuple] = {}
        self.loose: set[str] = set()
        self.violations: list[str] = []
        self.seen_patients: set[str] = set()
        r = random.Random(stable_int("heldout-h-home", seed))
        base = r.choice(HOME_BASES)
        self.home_base = base
        self.home = f"{base} Medical Center"
        self.home_short = f"{base.split()[0]} Medical"

    # ---- register ----------------------------------------------------------------------------
    def can_solo(self, value: str, key: tuple) -> bool:
        low = value.lower()
        if not _single(value) or low in self.loose:
            return False
        if low.isalpha() and (len(low) < 3 or low in COMMON_WORDS or low in self.policy.surrogates
                              or low in self.policy.banned):
            return False
        if not low.isalpha() and (len(low) < 5 or low in TEMPLATE_WORDS):
            return False
        return self.owners.get(low, set()) <= {key} and self.solo.get(low, key) == key

    def can_multi(self, value: str, key: tuple) -> bool:
        return all(self.solo.get(t, key) == key for t in _toks(value))

    def ok(self, value: str, key: tuple) -> bool:
        return self.can_solo(value, key) if _single(value) else self.can_multi(value, key)

    def claim(self, value: str, key: tuple) -> None:
        for t in _toks(value):
            self.owners[t].add(key)
        if _single(value):
            self.solo[value.lower()] = key
            self.policy.used.add(value.lower())

    def note_loose(self, text: str) -> None:
        for t in _toks(text):
            if t in TEMPLATE_WORDS:
                continue
            if t in self.solo:
                self.violations.append(t)
            self.loose.add(t)

    # ---- people ------------------------------------------------------------------------------
    def _name_tok_ok(self, name: str, strict: bool = True) -> bool:
        """A name part that is no common word and no surrogate token; ``strict``: also nobody else's."""
        if not re.fullmatch(r"[A-Z][a-z]{2,13}(?:-[A-Z][a-z]{2,13})?", name):
            return False
        return all(t not in COMMON_WORDS and t not in self.policy.surrogates and t not in self.policy.banned
                   and t not in self.solo and (not strict or (t not in self.policy.used and not self.owners.get(t)
                                                              and t not in self.loose))
                   for t in _toks(name))

    def person(self, loc: str | None = None, sex: str | None = None) -> Person:
        """An outside person whose name tokens belong to nobody else in this export."""
        r = self.rng
        loc = loc or r.choice(("en_US", "en_US", "en_US") + PERSON_LOCS)
        for attempt in range(400):
            strict = attempt < 300
            if sex and (loc in OWN_LISTS or loc == "zh_CN"):  # these lists do not tell the sex
                loc = r.choice(("en_US", "es_MX", "pl_PL", "pt_BR", "fr_FR", "it_IT", "en_IN", "yo_NG"))
            if loc in OWN_LISTS:
                gl, fl = OWN_LISTS[loc]
                given = r.choice(gl)
                family = r.choice(fl) if fl else _ascii(self.fk["vi_VN"].last_name())
            elif loc == "zh_CN":
                given, family = self.fk[loc].first_romanized_name(), self.fk[loc].last_romanized_name()
            else:
                f = self.fk[loc]
                pick = {"f": f.first_name_female, "m": f.first_name_male}.get(sex or "", f.first_name)
                given, family = _ascii(pick()), _ascii(f.last_name())
                if loc in ("es_MX", "es_CO") and r.random() < 0.4:
                    family = f"{family} {_ascii(f.last_name())}"
            parts = [given] + family.split()
            if len(set(p.lower() for p in parts)) == len(parts) and all(self._name_tok_ok(p, strict) for p in parts):
                key = ("person", given.lower(), family.lower())
                for p in parts:
                    for t in _toks(p):
                        self.owners[t].add(key)
                        self.policy.used.add(t)
                return Person(given, family, chr(65 + r.randrange(26)), key)
            if attempt > 60:
                loc = r.choice(PERSON_LOCS)
        raise RuntimeError("no free outside name")

    # ---- places and organizations ------------------------------------------------------------
    def draw(self, make, tries: int = 200) -> str:
        """A value from ``make()`` whose tokens clash with no single word planted for someone else."""
        for _ in range(tries):
            v = _ascii(make()).strip()
            if "\n" in v or not v:
                continue
            key = ("v", v.lower())
            if self.ok(v, key) and not any(t in self.policy.surrogates for t in _toks(v) if t not in TEMPLATE_WORDS):
                return v
        raise RuntimeError("no free value")

    def town(self) -> str:
        us = self.fk["en_US"]
        return self.draw(us.city)

    def street(self) -> str:
        us = self.fk["en_US"]
        return self.draw(lambda: us.street_address() if self.rng.random() < 0.7 else
                         f"{self.rng.randrange(10, 9999)} {us.street_name()}")

    def company(self) -> str:
        us = self.fk["en_US"]
        r = self.rng
        return self.draw(lambda: r.choice((us.company(), f"{us.last_name()} {r.choice(FIRM_SFX)}",
                                           f"{us.city()} {r.choice(FIRM_SFX)}")))

    def outside_hospital(self) -> str:
        r, us = self.rng, self.fk["en_US"]
        return self.draw(lambda: r.choice((f"{us.city()} Regional Medical Center", f"{us.last_name()} Memorial Hospital",
                                           f"{us.city()} Community Hospital", f"St. {us.first_name()} Hospital",
                                           f"{us.city()} General Hospital")))

    def county(self) -> str:
        return self.draw(lambda: f"{self.fk['en_US'].last_name()} County")

    def abroad_city(self, table: dict) -> tuple[str, str]:
        r = self.rng
        for _ in range(100):
            country = r.choice(sorted(table))
            city = r.choice(table[country])
            if self.ok(city, ("v", city.lower())):
                return country, city
        raise RuntimeError("no free city abroad")

    # ---- numbers -----------------------------------------------------------------------------
    def digits(self, k: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(k))

    def ident(self, make) -> str:
        """An identifying number from ``make()`` free in the register."""
        for _ in range(200):
            v = make()
            if self.ok(v, ("v", v.lower())):
                return v
        raise RuntimeError("no free number")

    def pat(self, pattern: str) -> str:
        """``#`` digit, ``?`` capital letter, anything else as is; free in the register."""
        r = self.rng

        def make() -> str:
            return "".join(str(r.randrange(10)) if ch == "#" else chr(65 + r.randrange(26)) if ch == "?" else ch
                           for ch in pattern)
        return self.ident(make)

    def phone(self, style: int | None = None) -> str:
        r = self.rng

        def make() -> str:
            a, e, n = r.choice(AREA_CODES), r.randrange(201, 990), r.randrange(10000)
            s = r.randrange(6) if style is None else style
            return (f"({a}) {e}-{n:04d}", f"{a}-{e}-{n:04d}", f"{a}.{e}.{n:04d}", f"({a}){e}-{n:04d}",
                    f"+1 {a} {e} {n:04d}", f"1-{a}-{e}-{n:04d}")[s]
        return self.ident(make)

    def foreign_phone(self, loc: str) -> str:
        return self.ident(lambda: self.fk[loc].phone_number())

    def npi(self) -> str:
        return self.pat("1#########")

    def dea(self, family: str) -> str:
        return self.pat("?" + family[0].upper() + "#######")

    def email(self, p: Person, domain: str) -> str:
        r = self.rng
        user = r.choice((f"{p.given}.{p.family}", f"{p.given[0]}{p.family}", f"{p.family}{p.given[0]}",
                         f"{p.given}_{p.family[:1]}"))
        return self.ident(lambda: f"{user.lower().replace(' ', '')}@{domain}")

    def domain(self) -> str:
        return self.draw(self.fk["en_US"].domain_name)

    # ---- dates -------------------------------------------------------------------------------
    def d(self, d: date, eu: bool = False) -> str:
        """A date of at least eight characters in one of many formats, free in the register."""
        r = self.rng
        us = [f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.month}/{d.day}/{d.year}", d.isoformat(),
              d.strftime("%B %d, %Y").replace(" 0", " "), d.strftime("%b %d, %Y"), d.strftime("%d-%b-%Y").upper(),
              d.strftime("%d%b%Y").upper(), f"{d.month:02d}-{d.day:02d}-{d.year}", d.strftime("%m/%d/%y"),
              d.strftime("%Y%m%d"), d.strftime("%d %B %Y").lstrip("0")]
        eu_forms = [d.strftime("%d.%m.%Y"), d.strftime("%d/%m/%Y"), d.strftime("%d %b %Y"), d.isoformat(),
                    d.strftime("%d-%m-%Y")]
        forms = eu_forms if eu else us
        for _ in range(20):
            v = r.choice(forms)
            if len(v) >= 8 and self.ok(v, ("v", v.lower())):
                return v
        return d.isoformat()


FIRM_SFX = ("Logistics", "Freight Lines", "Transport", "Trucking Inc", "Builders", "Distribution LLC",
            "Paving Co", "Foods", "Manufacturing", "Holdings", "Services Group", "Supply")


def _noise(text: str, r: random.Random, rate: float) -> str:
    """OCR letter errors in fax text (labels only; planted values are written as they stand)."""
    out = []
    i = 0
    while i < len(text):
        two = text[i:i + 2]
        if two == "rn" and r.random() < rate * 3:
            out.append("m")
            i += 2
            continue
        ch = text[i]
        out.append(OCR[ch] if ch in OCR and r.random() < rate else ch)
        i += 1
    return "".join(out)


class W:
    """Writes a note through the benchmark's ``Note`` and the register (``caps``: all capitals)."""

    def __init__(self, note, c: Ctx, caps: bool = False, ocr: float = 0.0) -> None:
        self.note, self.c, self.caps, self.ocr = note, c, caps, ocr
        self.spans: list[tuple[int, int, tuple, str]] = []
        self.pos = 0
        note.h_spans = self.spans

    def _case(self, s: str) -> str:
        return s.upper() if self.caps else s

    def t(self, *texts: str) -> W:
        for s in texts:
            s = self._case(s)
            if self.ocr:
                s = _noise(s, self.c.rng, self.ocr)
            self.c.note_loose(s)
            self.note.t(s)
            self.pos += len(s)
        return self

    def p(self, value: str, kind: str, key: tuple | None = None, alt: str | None = None,
          fallback: str = "on file") -> W:
        """Plant ``value`` (or ``alt`` when ``value`` may not be planted here), else write ``fallback``."""
        for v in (value, alt):
            if v is None:
                continue
            v = self._case(v)
            k = key or ("v", v.lower())
            if self.c.ok(v, k):
                self.c.claim(v, k)
                self.note.p(v, kind)
                self.spans.append((self.pos, self.pos + len(v), k, kind))
                self.pos += len(v)
                return self
        return self.t(fallback)

    def nm(self, who, kind: str, form: str, cue: str = "", key: tuple | None = None) -> W:
        """A name in ``form`` (full, fmf, lfm, lf, LF, fl, fil, fam, giv, ini, cue); a bare word that the
        register does not allow falls back to the name with its cue, then in full."""
        given, family, mid = who.given, who.family, who.mid
        key = key or who.key
        forms = {"full": f"{given} {family}", "lfm": f"{family}, {given} {mid}.", "LF": f"{family}, {given}".upper(),
                 "fl": f"{given} {family[0]}.", "fil": f"{given[0]}. {family}", "fam": family, "giv": given,
                 "ini": f"{given[0]}{mid}{family[0]}", "fmf": f"{given} {mid}. {family}", "lf": f"{family}, {given}",
                 "cue": f"{cue} {family}".strip()}
        value = forms[form]
        if form in ("fam", "giv", "ini"):
            if self.c.ok(self._case(value), key):
                if cue:
                    self.t(cue + " ")
                return self.p(value, kind, key)
            if cue:
                alt = f"{cue} {given if form == 'giv' else family}"
            else:
                alt = f"{given[0]}.{family[0]}." if form == "ini" else f"{given} {family}"
            return self.p(alt, kind, key, alt=f"{given} {family}")
        if cue and form != "cue":
            self.t(cue + " ")
        return self.p(value, kind, key, alt=f"{given} {family}")


class Pt:
    """The patient (or a relative from the generator) as a name for :meth:`W.nm`."""

    def __init__(self, given: str, family: str, key: tuple) -> None:
        self.given, self.family, self.key = given, family, key
        self.mid = chr(65 + stable_int(given, family) % 26)


def _patient(c: Ctx, ident) -> Pt:
    key = ("pt", ident.mrn)
    if ident.mrn not in c.seen_patients:
        c.seen_patients.add(ident.mrn)
        for t in _toks(ident.given) + _toks(ident.family):
            c.owners[t].add(key)
        for rel in ident.relatives:
            for t in _toks(rel.given) + _toks(rel.family):
                c.owners[t].add(("rel", ident.mrn, rel.given))
    return Pt(ident.given, ident.family, key)


def _rel(ident, rel) -> Pt:
    return Pt(rel.given, rel.family, ("rel", ident.mrn, rel.given))


def _staff(staff, doctor: bool, r: random.Random) -> Pt:
    pool = [s for s in staff if (s.role != "nurse") == doctor]
    s = r.choice(pool)
    return Pt(s.given, s.family, ("staff", s.given, s.family))


def _addr(w: W, ident, sep: str = ", ", zip_: bool = True) -> W:
    """The patient's street, town, state and ZIP (each planted when the register lets it)."""
    w.p(ident.address, "ADDRESS", ("addr", ident.mrn), fallback="address on file")
    w.t(sep).p(ident.city, "ADDRESS", ("v", ident.city.lower()), fallback="town on file").t(f" {ident.state}")
    if zip_:
        w.t(" ").p(ident.zip, "ZIP", ("v", ident.zip), fallback="")
    return w


def _dob(w: W, c: Ctx, ident) -> W:
    return w.p(c.d(ident.birth_date), "DATE")


def _age(ident, when: date) -> int:
    return ident.age_on(when)


def _sex(ident) -> str:
    return "F" if ident.sex == "female" else "M"


def _hh(r: random.Random, h0: int | None = None) -> tuple[int, int]:
    return (r.randrange(24) if h0 is None else h0), r.randrange(60)


def _clock(h: int, m: int, colon: bool) -> str:
    return f"{h % 24:02d}:{m:02d}" if colon else f"{h % 24:02d}{m:02d}"


def _times(r: random.Random, n: int, colon: bool) -> list[str]:
    h, m = r.randrange(24), r.randrange(60)
    out = []
    for _ in range(n):
        out.append(_clock(h, m, colon))
        m += r.randrange(3, 19)
        h, m = h + m // 60, m % 60
    return out


def _rel_of(ident, r: random.Random):
    return r.choice(ident.relatives) if ident.relatives else None


# ---- 1. EMS patient care report --------------------------------------------------------------------
def ems_pcr(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    agency = c.draw(lambda: r.choice((f"{c.fk['en_US'].city()} Fire Rescue", f"{c.fk['en_US'].last_name()} Ambulance Service",
                                      f"{c.fk['en_US'].last_name()} County EMS", f"{c.fk['en_US'].city()} Volunteer Ambulance Corps")))
    unit = c.ident(lambda: r.choice((f"Medic {r.randrange(11, 99)}{r.choice('ABCDEFGH')}",
                                      f"Rescue {r.randrange(101, 999)}", f"A{r.randrange(1000, 9999)}")))
    inc = c.pat(r.choice(("####-#######", "EMS##-######", "#########")))
    p1, p2 = c.person(), c.person()
    cert1, cert2 = c.pat(r.choice(("P-######", "NREMT P#######"))), c.pat(r.choice(("E-######", "EMT######")))
    bystander = c.person()
    by_phone = c.phone()
    home_scene = r.random() < 0.5
    scene_street, scene_town = (None, None) if home_scene else (c.street(), c.town())
    dest = c.home if r.random() < 0.6 else c.outside_hospital()
    ts = _times(r, 7, colon=r.random() < 0.5)
    miles = f"{r.randrange(1, 28)}.{r.randrange(10)}"
    variant = r.randrange(3)
    if variant == 0:  # pipe table form
        w.t("PATIENT CARE REPORT (ePCR)\n")
        w.t("Agency: ").p(agency, "HOSPITAL").t("  | Unit: ").p(unit, "MRN").t(" | Incident #: ").p(inc, "MRN").t("\n")
        w.t("Date of service: ").p(c.d(when), "DATE").t("\n\n")
        w.t("Patient | ").nm(pt, "PATIENT", "lfm").t(" | DOB ")
        _dob(w, c, ident).t(f" | {_age(ident, when)} y | {_sex(ident)}\n")
        w.t("Home | ")
        _addr(w, ident).t("\n")
        w.t("Incident location | ")
        if home_scene:
            w.t("patient residence (as above)\n")
        else:
            w.p(scene_street, "ADDRESS").t(", ").p(scene_town, "LOCATION").t(" - ").t(r.choice(("parking lot", "bus shelter", "sidewalk", "convenience store", "church hall"))).t("\n")
        w.t("\nTIMES | PSAP ", ts[0], " | Dispatched ", ts[1], " | Enroute ", ts[2], " | On scene ", ts[3],
            " | At patient ", ts[4], " | Transport ", ts[5], " | At destination ", ts[6], "\n")
        w.t("Crew | ").nm(p1, "PROVIDER", "lfm").t(" (Paramedic, cert ").p(cert1, "MRN").t(") | ")
        w.nm(p2, "PROVIDER", "fil").t(" (EMT-B, cert ").p(cert2, "MRN").t(")\n")
        w.t("Caller | bystander ").nm(bystander, "RELATIVE", "full").t(", callback ").p(by_phone, "PHONE").t("\n")
        w.t("Destination | ").p(dest, "HOSPITAL").t(f" | Loaded miles {miles} | Priority 2, no lights/siren\n\n")
        w.t("NARRATIVE: Dispatched for a fall / syncope. Found pt seated, A&Ox4, c/o dizziness. Denies CP/SOB. ")
        w.t(f"BP {r.randrange(92, 170)}/{r.randrange(50, 98)}, HR {r.randrange(54, 128)}, SpO2 {r.randrange(91, 100)}% RA, "
            f"BGL {r.randrange(70, 260)}. 12-lead sinus. Moved to stretcher, secured x4 straps. Transported without incident.\n")
        w.t("Signed: ").nm(p1, "PROVIDER", "fl").t("\n")
    elif variant == 1:  # all-caps CAD / billing screen
        w.caps = True
        w.t("*** RUN SHEET ***  PG 1 OF 1\n")
        w.t("AGENCY......: ").p(agency, "HOSPITAL").t("\nUNIT........: ").p(unit, "MRN")
        w.t("\nRUN NO......: ").p(inc, "MRN").t("    DATE: ").p(c.d(when), "DATE")
        w.t("\nPT NAME.....: ").nm(pt, "PATIENT", "LF").t("   SEX: ", _sex(ident), "   AGE: ", str(_age(ident, when)))
        w.t("\nPT ADDR.....: ")
        _addr(w, ident)
        w.t("\nPT PHONE....: ").p(ident.phone, "PHONE")
        w.t("\nSCENE.......: ")
        if home_scene:
            w.t("SAME AS PT ADDR")
        else:
            w.p(scene_street, "ADDRESS").t(" / ").p(scene_town, "LOCATION")
        w.t("\nCALLED BY...: ").nm(bystander, "RELATIVE", "LF").t(" (PASSERBY)  CB# ").p(by_phone, "PHONE")
        w.t("\nCREW 1......: ").nm(p1, "PROVIDER", "LF").t("  LIC# ").p(cert1, "MRN")
        w.t("\nCREW 2......: ").nm(p2, "PROVIDER", "LF").t("  LIC# ").p(cert2, "MRN")
        w.t("\nTIMES.......: CALL ", ts[0], " DISP ", ts[1], " ENRT ", ts[2], " ONSC ", ts[3], " TRAN ", ts[5], " ARRV ", ts[6])
        w.t("\nRECV FAC....: ").p(dest, "HOSPITAL").t(f"   MILES: {miles}")
        w.t("\nCHIEF CMPLNT: ", r.choice(("ALOC", "SOB", "FALL", "CHEST PAIN", "SEIZURE")), "   ALS LEVEL 1   MEDICARE/MEDICAID ELIG CHK")
        w.t("\nMBR ID......: ").p(ident.insurance_id, "INSURANCE").t("\n")
    else:  # narrative, lower-case crew notes
        w.t("ems run report - ").p(agency, "HOSPITAL").t(" ").p(unit, "MRN").t("\n")
        w.t("incident ").p(inc, "MRN").t(" on ").p(c.d(when), "DATE").t(f", toned out {ts[1]}, on scene {ts[3]}.\n")
        w.t("upon arrival found ")
        w.nm(pt, "PATIENT", "full").t(f", {_age(ident, when)} y/o, ")
        if home_scene:
            w.t("in the kitchen of own home at ")
            _addr(w, ident, zip_=False).t(". ")
        else:
            w.t("lying on the ground outside ").p(scene_street, "ADDRESS").t(" in ").p(scene_town, "LOCATION").t(". ")
        w.t("911 called by ").nm(bystander, "RELATIVE", "fl").t(" who stated pt \"just went down\"; bystander reachable at ").p(by_phone, "PHONE").t(".\n")
        w.t("pt alert, GCS 14, skin pale/diaphoretic. IV 18g L AC, NS TKO, 4 mg ondansetron IV. ")
        w.t("pt transported to ").p(dest, "HOSPITAL").t(f" (arrived {ts[6]}), care and report to ED RN ")
        w.nm(_staff(staff, False, r), "PROVIDER", "fl").t(f" loaded mileage {miles} mi.\n")
        w.t("crew: ").nm(p1, "PROVIDER", "fil").t(" #").p(cert1, "MRN").t(" (medic), ").nm(p2, "PROVIDER", "giv", cue="EMT").t(" #").p(cert2, "MRN").t("\n")


# ---- 2. SANE forensic examination ------------------------------------------------------------------
def sane_exam(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    examiner = c.person("en_US")
    det = c.person()
    pd = c.draw(lambda: r.choice((f"{c.fk['en_US'].city()} Police Department", f"{c.fk['en_US'].city()} PD",
                                  f"{c.fk['en_US'].last_name()} County Sheriff's Office")))
    badge = c.pat(r.choice(("#####", "B-####", "######")))
    case_no = c.pat(r.choice(("##-######", "PD####-####", "####-######-##")))
    kit = c.pat(r.choice(("SAEK-#######", "KIT ########", "??-#######")))
    adv = c.person()
    center = c.draw(lambda: r.choice((f"{c.county()} Rape Crisis Center", f"{c.fk['en_US'].city()} Survivor Advocacy Program",
                                      f"{c.fk['en_US'].last_name()} House Crisis Services")))
    adv_phone = c.phone()
    lab = c.draw(lambda: f"{c.fk['en_US'].city()} State Police Crime Laboratory")
    off2 = c.person("en_US")
    when_assault = when - timedelta(days=r.randrange(0, 4))
    times = _times(r, 6, colon=True)
    w.t("SEXUAL ASSAULT NURSE EXAMINER (SANE) - FORENSIC MEDICAL EXAMINATION\n")
    w.t("Facility: ").p(c.home, "HOSPITAL").t("   Exam date: ").p(c.d(when), "DATE").t(f"   Start {times[0]}\n")
    w.t("Patient: ").nm(pt, "PATIENT", r.choice(("lfm", "full", "LF"))).t("   DOB: ")
    _dob(w, c, ident).t("   MRN: ").p(ident.mrn, "MRN").t("\n")
    w.t("Examiner: ").nm(examiner, "PROVIDER", "fmf").t(", RN, SANE-A  (cert ").p(c.pat("SANE-A ######"), "MRN").t(")\n\n")
    w.t("LAW ENFORCEMENT\n")
    w.t("  [X] Reported to law enforcement   [ ] Anonymous / Jane Doe kit   [ ] Not reported\n")
    w.t("  Agency: ").p(pd, "LOCATION").t("\n  Officer: ").nm(det, "PROVIDER", r.choice(("fam", "full", "fil")), cue="Det.")
    w.t("   Badge #").p(badge, "MRN").t("   Case #: ").p(case_no, "MRN").t("\n")
    w.t("  Advocate present: [X] yes  ").nm(adv, "PROVIDER", "full").t(", ").p(center, "LOCATION").t(" (").p(adv_phone, "PHONE").t(")\n\n")
    w.t("HISTORY (as related by patient, in her/his own words where quoted): assault reported to have occurred on ")
    w.p(c.d(when_assault), "DATE").t(f" at about {times[1]}, at ")
    if r.random() < 0.5:
        w.p(c.street(), "ADDRESS").t(", ").p(c.town(), "LOCATION")
    else:
        w.t("the patient's residence, ")
        _addr(w, ident, zip_=False)
    w.t(". Patient states the assailant was ")
    if r.random() < 0.5:
        w.t("unknown to her/him.")
    else:
        ac = c.person()
        w.t("an acquaintance known as \"").nm(ac, "RELATIVE", "giv").t("\".")
    w.t(" No loss of consciousness. Has not bathed, changed clothing, or urinated since.\n\n")
    w.t("EXAM: injuries documented on body map, photographs x14 (photo log ").p(c.pat("PH-#######"), "MRN").t("). ")
    w.t("Swabs: oral, vaginal/penile, perianal, fingernail scrapings; blood and urine for DFSA.\n")
    w.t("Prophylaxis: ceftriaxone 500 mg IM, doxycycline, emergency contraception offered, HIV nPEP started.\n\n")
    w.t("EVIDENCE KIT #: ").p(kit, "MRN").t("   Seal intact: Y\n")
    w.t("CHAIN OF CUSTODY\n")
    tab = r.random() < 0.5
    sep = "\t" if tab else " | "
    w.t(sep.join(("Item", "Released by", "Received by", "Date", "Time")) + "\n")
    w.t(f"Kit + clothing bag x2{sep}").nm(examiner, "PROVIDER", "ini").t(" (SANE)" + sep).nm(det, "PROVIDER", "cue", cue="Det.")
    w.t(sep).p(c.d(when), "DATE").t(sep + times[4] + "\n")
    w.t(f"Kit{sep}").nm(det, "PROVIDER", "fil").t(sep).nm(off2, "PROVIDER", "lfm").t(", evidence officer, ").p(lab, "LOCATION")
    w.t(sep).p(c.d(when + timedelta(days=r.randrange(1, 6))), "DATE").t(sep + times[5] + "\n\n")
    w.t("Follow-up: ").p(c.home_short + " ID Clinic", "HOSPITAL").t(" on ").p(c.d(when + timedelta(days=r.randrange(10, 30))), "DATE")
    w.t("; victim compensation information given.\n")


# ---- 3. Poison control call ------------------------------------------------------------------------
SUBSTANCES = ("acetaminophen 500 mg tablets", "ibuprofen 200 mg", "laundry detergent pod", "metoprolol tartrate 50 mg",
              "diphenhydramine", "a button battery", "isopropyl alcohol", "amlodipine 10 mg", "bleach (sodium hypochlorite)",
              "gabapentin 300 mg", "e-cigarette liquid", "a mushroom picked in the yard")


def poison_call(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    case_id = c.pat(r.choice(("##########", "PCC-##-######", "#########")))
    spi = c.person()
    rel = _rel_of(ident, r)
    outside_caller = rel is None or r.random() < 0.35
    caller = c.person() if outside_caller else None
    callback = c.phone() if outside_caller else rel.phone
    subst = r.choice(SUBSTANCES)
    ts = _times(r, 4, colon=r.random() < 0.5)
    weight = r.randrange(48, 120)
    fu = when + timedelta(days=1)
    if r.random() < 0.5:  # legacy all-caps screen
        w.caps = True
        w.t("REGIONAL POISON CENTER  -  CASE RECORD\n")
        w.t("CASE ID: ").p(case_id, "MRN").t("   DATE: ").p(c.d(when), "DATE").t(f"   TIME: {ts[0]}\n")
        w.t("CALLER: ")
        if outside_caller:
            w.nm(caller, "RELATIVE", "LF").t("   RELATION: ", r.choice(("NEIGHBOR", "FRIEND", "COWORKER", "ROOMMATE")))
        else:
            w.nm(_rel(ident, rel), "RELATIVE", "LF").t("   RELATION: ", rel.role.upper())
        w.t("\nCALLBACK #: ").p(callback, "PHONE").t("\nSITE: ", r.choice(("OWN RESIDENCE", "OTHER RESIDENCE", "WORKPLACE")))
        w.t("\nPATIENT: ").nm(pt, "PATIENT", "LF").t(f"   AGE: {_age(ident, when)} YR   WT: {weight} KG   SEX: {_sex(ident)}")
        w.t("\nSUBSTANCE: ", subst.upper(), f"   AMT: UNK, UP TO {r.randrange(2, 30)}   ROUTE: INGESTION   REASON: ",
            r.choice(("UNINTENTIONAL", "INTENTIONAL - SUSPECTED SUICIDAL", "THERAPEUTIC ERROR")))
        w.t("\nMGMT SITE: REFERRED TO HCF -> ").p(c.home, "HOSPITAL")
        w.t("\nSPI: ").nm(spi, "PROVIDER", "lfm").t(", RN, CSPI  (").nm(spi, "PROVIDER", "ini").t(")")
        w.t(f"\nF/U {ts[2]}: SPOKE W ED RN, 4H APAP LEVEL PENDING. F/U ").p(c.d(fu), "DATE").t(": D/C HOME, NO SEQUELAE. CASE CLOSED.\n")
    else:  # label: value with a call log table
        w.t("Poison Control Center call record\n")
        w.t("Case: ").p(case_id, "MRN").t("\nOpened: ").p(c.d(when), "DATE").t(f" {ts[0]} by ").nm(spi, "PROVIDER", "fl").t(", SPI\n")
        w.t("Caller: ")
        if outside_caller:
            w.nm(caller, "RELATIVE", r.choice(("full", "fl"))).t(f" ({r.choice(('babysitter', 'friend', 'neighbour', 'coworker'))})")
        else:
            w.nm(_rel(ident, rel), "RELATIVE", r.choice(("giv", "full"))).t(f" ({rel.role})")
        w.t(", call back at ").p(callback, "PHONE").t("\n")
        w.t("Patient: ").nm(pt, "PATIENT", r.choice(("full", "giv"))).t(f", {_age(ident, when)} y, {weight} kg; exposure at ")
        _addr(w, ident, zip_=False).t("\n")
        w.t(f"Exposure: {subst}, acute, ingestion, about {r.randrange(1, 6)} h before call.\n\n")
        w.t("time\tby\tnote\n")
        w.t(f"{ts[0]}\t").nm(spi, "PROVIDER", "ini").t("\tRecommended ED evaluation; caller agreed to drive pt.\n")
        w.t(f"{ts[1]}\t").nm(spi, "PROVIDER", "ini").t("\tCalled ").p(c.home, "HOSPITAL").t(" ED, gave report to charge RN ")
        w.nm(_staff(staff, False, r), "PROVIDER", "fl").t("\n")
        w.t(f"{ts[3]}\tMD\tToxicologist ").nm(c.person(), "PROVIDER", "fam", cue="Dr.").t(" consulted: NAC if level above treatment line.\n")
        w.t("Follow-up ").p(c.d(fu), "DATE").t(": outcome minor effect. Closed.\n")


# ---- 4. Death pronouncement / ME referral ----------------------------------------------------------
def death_me(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    doc = _staff(staff, True, r)
    county = c.county()
    me_case = c.pat(r.choice(("ME-####-#####", "##-#####", "OCME ####-####")))
    inv = c.person()
    inv_phone = c.phone()
    opo = c.draw(lambda: r.choice((f"{c.fk['en_US'].city()} Donor Network", f"New England Organ Bank of {c.fk['en_US'].city()}",
                                   f"{c.fk['en_US'].last_name()} Gift of Life Alliance")))
    opo_ref = c.pat(r.choice(("#######-###", "REF########", "OPO-##-#####")))
    coord = c.person()
    fh = c.draw(lambda: r.choice((f"{c.fk['en_US'].last_name()} & Sons Funeral Home", f"{c.fk['en_US'].last_name()}-{c.fk['en_US'].last_name()} Funeral Chapel",
                                  f"{c.fk['en_US'].city()} Memorial Chapels")))
    fh_phone = c.phone()
    rel = _rel_of(ident, r)
    t_death, t_call, t_opo, t_nok = _times(r, 4, colon=r.random() < 0.5)
    accepted = r.random() < 0.4
    if r.random() < 0.5:
        w.t("DEATH PRONOUNCEMENT NOTE\n")
        w.t("Called to bedside by RN ").nm(_staff(staff, False, r), "PROVIDER", "fl").t(f" at {t_death} to evaluate ")
        w.nm(pt, "PATIENT", r.choice(("full", "cue")), cue="Mr." if ident.sex == "male" else "Ms.").t(". ")
        w.t("No response to verbal or painful stimuli. Pupils fixed and dilated. No heart sounds for one full minute, no breath sounds, no carotid pulse.\n")
        w.t("Patient pronounced dead at ", t_death, " on ").p(c.d(when), "DATE").t(".\n")
        w.t("Attending ").nm(doc, "PROVIDER", "cue", cue="Dr.").t(" notified. ")
        if rel:
            w.t("Next of kin, ").nm(_rel(ident, rel), "RELATIVE", "full").t(f" ({rel.role}), notified by phone at {t_nok} at ").p(rel.phone, "PHONE").t("; will come in. ")
        else:
            nok = c.person()
            w.t("Next of kin, nephew ").nm(nok, "RELATIVE", "full").t(", notified at ").p(c.phone(), "PHONE").t(". ")
        w.t("\nMedical examiner: case reported to the ").p(f"{county} Medical Examiner", "LOCATION").t(f" at {t_call}; spoke with investigator ")
        w.nm(inv, "PROVIDER", "full").t(" (").p(inv_phone, "PHONE").t("). ")
        w.t("ME case # ").p(me_case, "MRN").t(". " + ("Jurisdiction ACCEPTED - do not remove lines/tubes. " if accepted else "Jurisdiction declined; death certificate may be signed by the attending. "))
        w.t("\nOrgan/tissue: referral called to ").p(opo, "HOSPITAL").t(f" at {t_opo} (within 1 h), referral # ").p(opo_ref, "MRN")
        w.t(", coordinator ").nm(coord, "PROVIDER", "fl").t(". Family approach per OPO.\n")
        w.t("Funeral home per family: ").p(fh, "LOCATION").t(", ").p(fh_phone, "PHONE").t(".\n")
        w.t("Autopsy: ", "per ME" if accepted else "family declines", ".\n-- ").nm(c.person("en_US"), "PROVIDER", "fmf").t(", MD (night float)\n")
    else:  # referral form, checkboxes
        w.caps = r.random() < 0.5
        w.t("REPORT OF DEATH / MEDICAL EXAMINER REFERRAL FORM\n")
        w.t("Decedent: ").nm(pt, "PATIENT", "LF").t("    DOB: ")
        _dob(w, c, ident).t(f"    Age: {_age(ident, when)}    Sex: {_sex(ident)}\n")
        w.t("Residence: ")
        _addr(w, ident).t("\n")
        w.t("SSN: ").p(ident.ssn, "SSN").t("    MRN: ").p(ident.mrn, "MRN").t("\n")
        w.t("Date of death: ").p(c.d(when), "DATE").t(f"   Time: {t_death}   Place: ").p(c.home, "HOSPITAL").t(", ", r.choice(("ICU", "ED", "6 West", "4 North")), "\n")
        w.t("Reportable to ME?  [X] yes  [ ] no   Reason: ", r.choice(("[X] fall/injury within 30 days", "[X] death within 24 h of admission", "[X] unexpected / unexplained", "[X] possible overdose")), "\n")
        w.t("ME office: ").p(f"{county} Medical Examiner", "LOCATION").t("   Investigator: ").nm(inv, "PROVIDER", "lfm").t("   Tel ").p(inv_phone, "PHONE").t("\n")
        w.t("ME case no.: ").p(me_case, "MRN").t("   Accepted: ", "[X]" if accepted else "[ ]", "   Released: ", "[ ]" if accepted else "[X]", "\n")
        w.t("OPO notified: ").p(opo, "HOSPITAL").t("   Ref#: ").p(opo_ref, "MRN").t(f"   Time: {t_opo}   Coordinator: ").nm(coord, "PROVIDER", "fam", cue="Coord.").t("\n")
        w.t("Next of kin: ")
        if rel:
            w.nm(_rel(ident, rel), "RELATIVE", "lf").t(f"   Relationship: {rel.role}   Phone: ").p(rel.phone, "PHONE")
        else:
            w.nm(c.person(), "RELATIVE", "lf").t("   Relationship: niece   Phone: ").p(c.phone(), "PHONE")
        w.t(f"   Notified at {t_nok} by ").nm(doc, "PROVIDER", "fl").t("\nFuneral home: ").p(fh, "LOCATION").t("   Phone: ").p(fh_phone, "PHONE").t("\n")
        if r.random() < 0.5:
            old = r.randrange(90, 104)
            w.t("Note: spouse predeceased; surviving parent, ").p(f"{old} years old", "DATE").t(", resides at ").p(c.draw(lambda: f"{c.fk['en_US'].last_name()} Manor"), "HOSPITAL").t(".\n")
        w.t("Pronounced by: ").nm(doc, "PROVIDER", "LF").t(", MD\n")


# ---- 5. Dental chart / oral surgery referral -------------------------------------------------------
def dental(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    dds = c.person()
    practice = c.draw(lambda: r.choice((f"{c.fk['en_US'].city()} Family Dentistry", f"{c.fk['en_US'].last_name()} Dental Group",
                                        f"Smile Care of {c.fk['en_US'].city()}")))
    surgeon = c.person()
    oms = c.draw(lambda: f"{c.fk['en_US'].city()} Oral & Maxillofacial Surgery")
    labn = c.draw(lambda: r.choice((f"{c.fk['en_US'].last_name()} Dental Laboratory", f"{c.fk['en_US'].city()} Dental Lab")))
    teeth = sorted(r.sample(range(1, 33), 5))
    pano, fmx = c.pat(r.choice(("PAN-########", "XR########"))), c.pat(r.choice(("FMX-######", "BW######")))
    fax = c.phone()
    if r.random() < 0.5:
        w.t("ORAL SURGERY REFERRAL\n")
        w.t("To: ").nm(surgeon, "PROVIDER", "full").t(", DMD, ").p(oms, "HOSPITAL").t("\nFrom: ").nm(dds, "PROVIDER", "fmf")
        w.t(", DDS - ").p(practice, "HOSPITAL").t(", ").p(c.street(), "ADDRESS").t(", ").p(c.town(), "LOCATION").t("\n")
        w.t("Phone ").p(c.phone(), "PHONE").t("   Fax ").p(fax, "PHONE").t("   NPI ").p(c.npi(), "MRN").t("\n")
        w.t("Date: ").p(c.d(when), "DATE").t("\n\nRe: ").nm(pt, "PATIENT", "lfm").t("   DOB ")
        _dob(w, c, ident).t("   Ins member ").p(ident.insurance_id, "INSURANCE").t("\n\n")
        w.t(f"Please evaluate and treat: extraction #{teeth[0]} and #{teeth[1]} (partial bony impaction), ")
        w.t(f"evaluate #{teeth[2]} for implant. Pt on apixaban - please coordinate with PCP ").nm(_staff(staff, True, r), "PROVIDER", "cue", cue="Dr.").t(".\n")
        w.t("Radiographs enclosed: panoramic ").p(pano, "MRN").t(" taken ").p(c.d(when - timedelta(days=r.randrange(3, 40))), "DATE")
        w.t(", bitewings ").p(fmx, "MRN").t(".\n")
        w.t("Crown #", str(teeth[3]), " on order from ").p(labn, "HOSPITAL").t(" (case ").p(c.pat("DL-######"), "MRN").t("), shade A2.\n")
        w.t("Thank you,\n").nm(dds, "PROVIDER", "cue", cue="Dr.").t("\n")
    else:  # chart with tooth table
        w.p(f"{c.home_short} Dental Clinic".upper(), "HOSPITAL").t(" - PERIODIC EXAM\n")
        w.t("Pt: ").nm(pt, "PATIENT", r.choice(("LF", "full"))).t("  Chart# ").p(ident.mrn, "MRN").t("  DOB ")
        _dob(w, c, ident).t("  Visit ").p(c.d(when), "DATE").t("\n")
        w.t("Provider: ").nm(dds, "PROVIDER", "fil").t(", DDS   Hygienist: ").nm(c.person(), "PROVIDER", "fl").t(", RDH\n\n")
        w.t("Tooth | Surface | Finding | Plan\n")
        findings = ("caries", "fractured cusp", "existing PFM crown", "missing", "periapical radiolucency", "root tip")
        plans = ("composite", "crown", "monitor", "implant consult", "RCT", "ext")
        for k, tooth in enumerate(teeth):
            w.t(f"#{tooth} | {r.choice(('MO', 'DO', 'O', 'B', 'MOD', '-'))} | {findings[k % 6]} | {r.choice(plans)}\n")
        w.t("\nPerio: generalized 3-4 mm pockets, BOP 20%.\nImages: ").p(pano, "MRN").t(" (pan), ").p(fmx, "MRN").t(" (BW x4)\n")
        w.t("Referred to ").nm(surgeon, "PROVIDER", "fam", cue="Dr.").t(" at ").p(oms, "HOSPITAL").t(" (fax ").p(fax, "PHONE").t(") for #", str(teeth[4]), ".\n")
        w.t("Lab Rx to ").p(labn, "HOSPITAL").t(", due back ").p(c.d(when + timedelta(days=r.randrange(7, 21))), "DATE").t(".\n")


# ---- 6. Pharmacy refill-authorization fax ----------------------------------------------------------
DRUGS = ("lisinopril 20 mg tab", "metformin ER 500 mg", "atorvastatin 40 mg", "levothyroxine 75 mcg", "sertraline 100 mg",
         "amlodipine 5 mg", "omeprazole 20 mg cap", "losartan 50 mg", "gabapentin 300 mg cap", "tamsulosin 0.4 mg cap",
         "albuterol HFA 90 mcg", "furosemide 40 mg")


def pharmacy_fax(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    chain = c.draw(lambda: r.choice((f"{c.fk['en_US'].last_name()} Pharmacy", f"{c.fk['en_US'].last_name()} Drug",
                                     f"{c.fk['en_US'].city()} Apothecary", f"{c.fk['en_US'].last_name()} Family Pharmacy")))
    store = c.pat(r.choice(("#####", "######", "T-####")))
    st, town, zipc = c.street(), c.town(), c.ident(c.fk["en_US"].zipcode)
    ph, fax = c.phone(), c.phone()
    rph = c.person()
    doc = _staff(staff, True, r)
    npi, dea = c.npi(), c.dea(doc.family)
    rxs = [c.pat(r.choice(("#######", "RX########", "##########"))) for _ in range(r.randrange(1, 4))]
    drugs = r.sample(DRUGS, len(rxs))
    hdr_time = _clock(*_hh(r), colon=True)
    w.ocr = 0.04 if r.random() < 0.6 else 0.0
    w.t(f"{hdr_time} ").p(c.d(when), "DATE").t("  FROM: ").p(fax, "PHONE").t("  ").p(chain.upper(), "HOSPITAL").t(f"        P. 001/00{r.randrange(1, 3)}\n")
    w.t("=" * 60 + "\n")
    w.t("REFILL AUTHORIZATION REQUEST\n")
    w.t("Pharmacy: ").p(chain, "HOSPITAL").t(" Store #").p(store, "MRN").t("\n")
    w.t("Address: ").p(st, "ADDRESS").t(", ").p(town, "LOCATION").t(", ", r.choice(STATES[:6]), " ").p(zipc, "ZIP").t("\n")
    w.t("Phone: ").p(ph, "PHONE").t("   Fax: ").p(fax, "PHONE").t("\n\n")
    w.t("To prescriber: ").nm(doc, "PROVIDER", r.choice(("lfm", "full", "LF"))).t("   NPI: ").p(npi, "MRN").t("   DEA: ").p(dea, "MRN").t("\n")
    w.t("Practice fax: ").p(c.phone(), "PHONE").t("\n\n")
    w.t("Patient: ").nm(pt, "PATIENT", r.choice(("LF", "lfm"))).t("   DOB: ")
    _dob(w, c, ident).t("\nPatient phone: ").p(ident.phone, "PHONE").t("\n\n")
    w.t("Rx #       | Drug                     | Sig        | Qty | Last fill\n")
    for rx, dr in zip(rxs, drugs):
        sig = "2 puffs q4-6h prn" if "HFA" in dr else r.choice(("1 PO daily", "1 PO BID", "1 PO QHS", "1 PO qAM"))
        w.t("").p(rx, "MRN").t(f" | {dr:<24} | {sig:<10} | {r.choice((30, 90, 60))} | ")
        w.p(c.d(when - timedelta(days=r.randrange(25, 95))), "DATE").t("\n")
    w.t("\nPRESCRIBER RESPONSE (please check one):\n")
    ok = r.random() < 0.7
    w.t(f"[{'X' if ok else ' '}] Approved   refills: {r.choice((1, 3, 5, 11)) if ok else '__'}\n")
    w.t(f"[ ] Approved with changes   [{' ' if ok else 'X'}] Denied - patient must be seen   [ ] Not my patient\n")
    w.t("Prescriber signature: ________________   Date: ").p(c.d(when + timedelta(days=1)), "DATE").t("\n")
    w.t("Requested by RPh ").nm(rph, "PROVIDER", r.choice(("fl", "fil", "full"))).t(", lic ").p(c.pat("RPH#######"), "MRN").t("\n")
    w.t("CONFIDENTIALITY: this facsimile contains protected health information. If received in error call ").p(ph, "PHONE").t(".\n")


# ---- 7. Dialysis run sheet -------------------------------------------------------------------------
def dialysis(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    unit = c.draw(lambda: r.choice((f"{c.fk['en_US'].city()} Dialysis Center", f"{c.fk['en_US'].city()} Kidney Center",
                                    f"{c.home_base.split()[0]} Renal Care - {c.fk['en_US'].city()}")))
    chair = r.randrange(1, 24)
    serial = c.pat(r.choice(("#??######", "SN ##?#####", "####-?-####")))
    neph = c.person()
    t1, t2 = c.person(), c.person()
    rn = _staff(staff, False, r)
    surgeon = c.person("en_US")
    vasc = c.draw(lambda: f"{c.fk['en_US'].city()} Vascular Associates")
    access = r.choice(("L radiocephalic AVF", "R brachiocephalic AVF", "L upper arm AVG", "R IJ tunneled catheter"))
    created = when - timedelta(days=r.randrange(90, 2000))
    ts = _times(r, 6, colon=True)
    pre_w = r.randrange(55, 120) + r.randrange(10) / 10
    tab = r.random() < 0.5
    sep = "\t" if tab else " | "
    w.caps = r.random() < 0.3
    w.t("HEMODIALYSIS TREATMENT RECORD\n")
    w.t("Unit: ").p(unit, "HOSPITAL").t(f"   Chair {chair}   Shift {r.choice(('1', '2', '3'))} (MWF)\n")
    w.t("Patient: ").nm(pt, "PATIENT", r.choice(("LF", "lfm", "full"))).t("   MRN ").p(ident.mrn, "MRN").t("   Tx date: ").p(c.d(when), "DATE").t("\n")
    w.t("Machine: Fresenius 2008T  serial ").p(serial, "MRN").t("   Dialyzer Optiflux 180   Bath 2K/2.5Ca\n")
    w.t("Nephrologist: ").nm(neph, "PROVIDER", "fam", cue="Dr.").t("   Charge RN: ").nm(rn, "PROVIDER", "fl").t("\n")
    w.t("Access: ", access, ", placed ").p(c.d(created), "DATE").t(" by ").nm(surgeon, "PROVIDER", "fil").t(", ").p(vasc, "HOSPITAL").t("\n")
    w.t(f"Pre wt {pre_w} kg  EDW {pre_w - 2:.1f} kg  UF goal {r.randrange(15, 40) / 10} L  Rx 4 h  BFR 400  DFR 600\n\n")
    w.t(sep.join(("time", "BP", "HR", "BFR", "VP", "AP", "UF", "tech")) + "\n")
    techs = (t1, t2)
    for k, tm in enumerate(ts):
        w.t(sep.join((tm, f"{r.randrange(100, 170)}/{r.randrange(50, 95)}", str(r.randrange(60, 110)), "400",
                      str(r.randrange(120, 220)), f"-{r.randrange(120, 220)}", f"{k * 0.6:.1f}")) + sep)
        w.nm(techs[k % 2], "PROVIDER", "ini").t("\n")
    w.t(f"\nPost wt {pre_w - 2.3:.1f} kg. Hemostasis 10 min. Cramping x1 at hour 3, 200 mL NS given.\n")
    w.t("Techs: ").nm(t1, "PROVIDER", "fl").t(" (PCT, cert ").p(c.pat("CCHT-######"), "MRN").t("), ")
    w.nm(t2, "PROVIDER", "fl").t("\n")
    w.t("Next treatment ").p(c.d(when + timedelta(days=2)), "DATE").t(". Transportation: ").p(
        c.draw(lambda: f"{c.fk['en_US'].last_name()} Medical Transport"), "LOCATION").t(".\n")


# ---- 8. DOT commercial driver medical exam ---------------------------------------------------------
def dot_exam(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    dl_state = r.choice(STATES[:16])
    dl = c.pat(r.choice(("?########", "S###-####-####", "#########", "??#######")))
    employer = c.company()
    carrier = c.draw(lambda: f"{c.fk['en_US'].last_name()} {r.choice(('Freight Lines', 'Transport', 'Trucking Inc', 'Logistics'))}")
    usdot = c.pat("USDOT #######")
    examiner = c.person()
    nrn = c.pat("##########")
    clinic = c.draw(lambda: f"{c.fk['en_US'].city()} Occupational Health")
    exp = when + timedelta(days=r.choice((365, 730)))
    cert = c.pat("MEC-########")
    form = r.random() < 0.6
    w.t("MEDICAL EXAMINATION REPORT FOR COMMERCIAL DRIVER FITNESS DETERMINATION (MCSA-5875)\n")
    if form:
        w.t("Driver's name (last, first, MI): ").nm(pt, "PATIENT", r.choice(("lfm", "lf")))
        w.t("   DOB: ")
        _dob(w, c, ident).t(f"   Age: {_age(ident, when)}\n")
        w.t("Street: ").p(ident.address, "ADDRESS", ("addr", ident.mrn), fallback="on file").t("   City: ").p(ident.city, "ADDRESS", ("v", ident.city.lower()), fallback="on file")
        w.t(f"   State: {ident.state}   Zip: ").p(ident.zip, "ZIP", ("v", ident.zip), fallback="").t("\n")
        w.t("Driver's license #: ").p(dl, "MRN").t(f"   Issuing state: {dl_state}   CLP/CDL applicant/holder: [X]\n")
        w.t("Phone: ").p(ident.phone, "PHONE").t("   E-mail: ").p(ident.email, "EMAIL", pt.key).t("\n")
        w.t("Employer: ").p(employer, "LOCATION").t("   Motor carrier: ").p(carrier, "LOCATION").t(" (").p(usdot, "MRN").t(")\n")
        new = r.random() < 0.4
        w.t(f"Exam type: [{'X' if new else ' '}] New certification  [{' ' if new else 'X'}] Recertification  [ ] Follow-up\n\n")
    else:
        w.caps = True
        w.t("DRIVER: ").nm(pt, "PATIENT", "LF").t("  DOB ")
        _dob(w, c, ident).t("  SSN ").p(ident.ssn, "SSN").t("\nCDL ").p(dl, "MRN").t(f" ({dl_state})  CLASS A  ENDORSEMENTS: N, T\n")
        w.t("EMPLOYER: ").p(employer, "LOCATION").t(" / CARRIER ").p(carrier, "LOCATION").t("  ").p(usdot, "MRN").t("\n\n")
    w.t("Health history: ", r.choice(("HTN on lisinopril", "OSA on CPAP, compliance report reviewed", "DM2 on metformin (non-insulin)", "none significant")), ". ")
    w.t("Sleep study ").p(c.d(when - timedelta(days=r.randrange(60, 900))), "DATE").t(" at ").p(c.outside_hospital(), "HOSPITAL").t(".\n")
    w.t(f"Vision: R 20/{r.choice((20, 25, 30))}  L 20/{r.choice((20, 25, 40))}  both 20/20 w/ correction. Hearing: whisper > 5 ft. BP {r.randrange(118, 158)}/{r.randrange(70, 98)}. UA: SG 1.015, prot neg, gluc neg.\n")
    w.t("Determination:  [ ] Does not meet standards  [X] Meets standards in 49 CFR 391.41  [", "X" if r.random() < 0.5 else " ",
        "] wearing corrective lenses\n")
    w.t("Certificate issued: ").p(cert, "MRN").t("   Expires: ").p(c.d(exp), "DATE").t("\n")
    w.t("Medical examiner: ").nm(examiner, "PROVIDER", r.choice(("full", "lfm"))).t(", ", r.choice(("DO", "NP", "PA-C", "DC", "MD")))
    w.t("   National Registry #: ").p(nrn, "MRN").t("\n")
    w.t("Examiner address: ").p(clinic, "HOSPITAL").t(", ").p(c.street(), "ADDRESS").t(", ").p(c.town(), "LOCATION").t("   Tel ").p(c.phone(), "PHONE").t("\n")
    w.t("Date of exam: ").p(c.d(when), "DATE").t("\n")


# ---- 9. Immigration medical exam -------------------------------------------------------------------
def immigration(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    country, city = c.abroad_city(BIRTH_CITIES)
    anum = c.pat(r.choice(("A#########", "A-###-###-###", "A########")))
    passport = c.pat(r.choice(("?########", "??#######", "#########")))
    cs = c.person()
    attorney = c.person()
    firm = c.draw(lambda: r.choice((f"Law Offices of {c.fk['en_US'].first_name()} {c.fk['en_US'].last_name()}",
                                    f"{c.fk['en_US'].last_name()} & {c.fk['en_US'].last_name()} Immigration Law",
                                    f"{c.fk['en_US'].city()} Immigrant Legal Services")))
    clinic = c.draw(lambda: f"{c.fk['en_US'].city()} Travel & Immigration Clinic")
    firm_email = c.email(attorney, c.domain())
    igra = r.choice(("negative", "negative", "positive - CXR normal, referred for LTBI treatment"))
    eu = r.random() < 0.3
    w.t("REPORT OF IMMIGRATION MEDICAL EXAMINATION (Form I-693) - worksheet\n")
    w.t("Applicant: ").nm(pt, "PATIENT", r.choice(("LF", "lfm"))).t("   DOB: ").p(c.d(ident.birth_date, eu), "DATE").t(f"   Sex: {_sex(ident)}\n")
    w.t("City of birth: ").p(city, "LOCATION").t(f"   Country of birth: {country}\n")
    w.t("A-Number: ").p(anum, "MRN").t("   Passport no.: ").p(passport, "MRN").t(f" ({country})   USCIS receipt: ").p(c.pat("???##########"), "MRN").t("\n")
    w.t("U.S. address: ")
    _addr(w, ident).t("   Phone: ").p(ident.phone, "PHONE").t("\n")
    w.t("Attorney / preparer: ").nm(attorney, "PROVIDER", r.choice(("full", "lfm"))).t(", Esq., ").p(firm, "LOCATION").t("  ").p(firm_email, "EMAIL", attorney.key).t("\n\n")
    w.t("Civil surgeon: ").nm(cs, "PROVIDER", "fmf").t(", MD   ").p(clinic, "HOSPITAL").t("   USCIS civil surgeon code ").p(c.pat("SCV######"), "MRN").t("\n")
    w.t("Exam date(s): ").p(c.d(when, eu), "DATE").t(" and ").p(c.d(when + timedelta(days=r.randrange(3, 10)), eu), "DATE").t("\n\n")
    w.t("Part 1 - communicable diseases\n  TB: IGRA (QuantiFERON) ", igra, "\n  Syphilis: RPR non-reactive   Gonorrhea NAAT (age 18-24): n/a\n")
    w.t("Part 2 - physical or mental disorders with harmful behaviour: [ ] yes [X] no\n")
    w.t("Part 3 - substance use: [ ] yes [X] no\n")
    w.t("Vaccinations:\n  MMR: dose 1 ").p(c.d(ident.birth_date + timedelta(days=r.randrange(370, 500)), eu), "DATE").t(f" ({country} record)  dose 2 given today, lot ").t(c.pat("??####")).t("\n")
    w.t("  Tdap: given today   Varicella: titer immune   Influenza: ", r.choice(("given", "not flu season")), "   COVID-19: documented\n")
    w.t("Sealed envelope returned to applicant ").p(c.d(when + timedelta(days=r.randrange(10, 20)), eu), "DATE").t(".\n")


# ---- 10. FMLA / disability certification -----------------------------------------------------------
def fmla(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    employer = c.company()
    hr = c.person()
    hr_email = c.email(hr, c.domain())
    claim = c.pat(r.choice(("FML-########", "##########", "C#########")))
    tpa = c.draw(lambda: r.choice((f"{c.fk['en_US'].last_name()} Absence Management", f"{c.fk['en_US'].city()} Disability Services")))
    doc = _staff(staff, True, r)
    start = when + timedelta(days=r.randrange(0, 10))
    end = start + timedelta(days=r.randrange(14, 90))
    family_leave = r.random() < 0.45
    w.t("CERTIFICATION OF HEALTH CARE PROVIDER FOR ", "FAMILY MEMBER'S" if family_leave else "EMPLOYEE'S",
        " SERIOUS HEALTH CONDITION (Family and Medical Leave Act)\n")
    w.t("SECTION I - employer\n  Employer: ").p(employer, "LOCATION").t("\n  HR contact: ").nm(hr, "PROVIDER", r.choice(("full", "lfm", "fil")))
    w.t("   phone ").p(c.phone(), "PHONE").t("   fax ").p(c.phone(), "PHONE").t("   e-mail ").p(hr_email, "EMAIL", hr.key).t("\n")
    w.t("  Leave administered by: ").p(tpa, "LOCATION").t("   Claim #: ").p(claim, "MRN").t("\n")
    w.t("  Employee: ").nm(pt, "PATIENT", "LF").t("   Employee ID ").p(c.pat("E######"), "MRN").t("\n")
    w.t("  Return by: ").p(c.d(when + timedelta(days=15)), "DATE").t("\n")
    w.t("SECTION II - health care provider\n")
    if family_leave:
        old = r.randrange(90, 103)
        role = r.choice(("mother", "father", "grandmother", "grandfather"))
        mom = c.person(sex="m" if role.endswith("father") else "f")
        w.t("  Patient (family member): ").nm(mom, "RELATIVE", "full").t(f", employee's {role}, age ")
        w.p(f"{old} years", "DATE").t(", DOB ").p(c.d(date(when.year - old, r.randrange(1, 13), r.randrange(1, 28))), "DATE").t("\n")
        w.t("  Condition: end-stage heart failure, hospice-eligible; requires assistance with ADLs, transportation to appointments.\n")
        w.t("  Care by employee: [X] continuous  [X] intermittent, 2-3 days/month for flares\n")
    else:
        w.t("  Condition: ", r.choice(("lumbar disc herniation with radiculopathy, microdiscectomy", "major depressive episode",
                                        "pregnancy with post-partum recovery", "total knee arthroplasty")), "\n")
        w.t("  Incapacity: [X] inpatient stay ").p(c.d(start), "DATE").t(" to ").p(c.d(start + timedelta(days=3)), "DATE").t("\n")
    w.t("  Leave from ").p(c.d(start), "DATE").t(" through ").p(c.d(end), "DATE").t(" (estimated)\n")
    w.t("  Follow-up visit ").p(c.d(end - timedelta(days=r.randrange(2, 9))), "DATE").t(" with ").nm(doc, "PROVIDER", "cue", cue="Dr.").t("\n")
    w.t("  Provider: ").nm(doc, "PROVIDER", "lfm").t(", MD   ").p(c.home, "HOSPITAL").t("   tel ").p(c.phone(), "PHONE").t("\n")
    w.t("  Signature on file. Date: ").p(c.d(when), "DATE").t("\n")


# ---- 11. Independent medical examination -----------------------------------------------------------
def ime(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    firm = c.draw(lambda: r.choice((f"{c.fk['en_US'].last_name()}, {c.fk['en_US'].last_name()} & {c.fk['en_US'].last_name()} LLP",
                                    f"{c.fk['en_US'].last_name()} Law Group", f"Law Office of {c.fk['en_US'].first_name()} {c.fk['en_US'].last_name()}")))
    insurer = c.draw(lambda: r.choice((f"{c.fk['en_US'].last_name()} Mutual Insurance", f"{c.fk['en_US'].city()} Casualty Company",
                                       f"{c.fk['en_US'].last_name()} Indemnity")))
    attorney, adjuster, examiner = c.person(), c.person(), c.person("en_US")
    claim = c.pat(r.choice(("WC-####-######", "##-#######-##", "CLM#########")))
    policy = c.pat(r.choice(("POL-########", "??########")))
    doi = when - timedelta(days=r.randrange(120, 900))
    employer = c.company()
    priors = [(c.person(), c.outside_hospital(), when - timedelta(days=r.randrange(30, 700))) for _ in range(r.randrange(2, 4))]
    w.t("INDEPENDENT MEDICAL EXAMINATION\n\n").p(c.d(when), "DATE").t("\n\n")
    if r.random() < 0.5:
        w.nm(attorney, "PROVIDER", "full").t(", Esq.\n").p(firm, "LOCATION").t("\n").p(c.street(), "ADDRESS").t("\n").p(c.town(), "LOCATION")
        w.t(", ", r.choice(STATES[:8]), " ").p(c.ident(c.fk["en_US"].zipcode), "ZIP").t("\n\n")
        addressee = ("attorney", attorney)
    else:
        w.nm(adjuster, "PROVIDER", "lfm").t(", Senior Claims Adjuster\n").p(insurer, "LOCATION").t("\n").p(c.phone(), "PHONE").t("\n\n")
        addressee = ("adjuster", adjuster)
    w.t("RE:  Claimant ").nm(pt, "PATIENT", "full").t("\n     DOB ")
    _dob(w, c, ident).t("\n     Claim no. ").p(claim, "MRN").t("   Policy ").p(policy, "INSURANCE").t("\n     Date of injury ").p(c.d(doi), "DATE").t("\n\n")
    w.t("Dear ").nm(addressee[1], "PROVIDER", "cue", cue="Mr." if r.random() < 0.5 else "Ms.").t(":\n\n")
    w.t("At your request I examined ").nm(pt, "PATIENT", "cue", cue="Mr." if ident.sex == "male" else "Ms.").t(" in my office on ")
    w.p(c.d(when), "DATE").t(f". The claimant was accompanied by {'his' if ident.sex == 'male' else 'her'} ")
    rel = _rel_of(ident, r)
    if rel:
        w.t(rel.role, ", ").nm(_rel(ident, rel), "RELATIVE", "giv").t(", ")
    else:
        w.t("friend ").nm(c.person(), "RELATIVE", "full").t(", ")
    w.t("who did not remain for the examination. Identity was confirmed by driver's licence. No physician-patient relationship is created.\n\n")
    w.t("HISTORY: The claimant was employed as a warehouse associate by ").p(employer, "LOCATION").t(" and reports lifting a 60-lb carton when ")
    w.t("low back pain with radiation to the left leg began. Adjuster ").nm(adjuster, "PROVIDER", "fil").t(" (").p(insurer, "LOCATION").t(") provided records; ")
    w.t("counsel for the claimant is ").nm(attorney, "PROVIDER", "fam", cue="Atty.").t(" of ").p(firm, "LOCATION").t(".\n\n")
    w.t("RECORDS REVIEWED:\n")
    for k, (prov, fac, d0) in enumerate(priors, 1):
        w.t(f"  {k}. ").p(c.d(d0), "DATE").t(" - ").nm(prov, "PROVIDER", r.choice(("fmf", "lfm", "fil"))).t(", ", r.choice(("MD", "DO", "PT", "DC")), ", ")
        w.p(fac, "HOSPITAL").t(": ", r.choice(("MRI L-spine: L4-5 broad-based protrusion", "EMG: L5 radiculopathy", "PT discharge summary, 18 visits",
                                               "office notes x6", "ED visit, lumbar strain")), "\n")
    w.t("\nEXAMINATION: Waddell signs 1/5. SLR positive left at 45 degrees. Strength 5/5 except EHL 4+/5 left.\n\n")
    w.t("OPINIONS (to a reasonable degree of medical certainty): 1. The diagnosis is L4-5 disc protrusion with left L5 radiculopathy, causally related to the ")
    w.p(c.d(doi), "DATE").t(" work incident. 2. MMI not reached. 3. Restrictions: no lifting over 20 lb.\n\n")
    w.t("Sincerely,\n\n").nm(examiner, "PROVIDER", "fmf").t(", MD, FAAPMR\nIME file ").p(c.pat("IME-#####-##"), "MRN").t("\n")
    w.t("cc: ").nm(attorney if addressee[0] == "adjuster" else adjuster, "PROVIDER", "LF").t("\n")


# ---- 12. Travel medicine / vaccination certificate -------------------------------------------------
def travel(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    pt = _patient(c, ident)
    clinic = c.draw(lambda: r.choice((f"{c.home_short} Travel Clinic", f"{c.fk['en_US'].city()} Travel Health",
                                      f"Passport Health {c.fk['en_US'].city()}")))
    clinician = c.person()
    passport = c.pat(r.choice(("#########", "?########")))
    icvp = c.pat(r.choice(("YF-########", "ICVP ######", "##?######")))
    stops = []
    for _ in range(r.randrange(2, 4)):
        stops.append(c.abroad_city(CITIES_ABROAD))
    depart = when + timedelta(days=r.randrange(14, 60))
    eu = r.random() < 0.5
    w.caps = r.random() < 0.25
    if r.random() < 0.5:
        w.t("TRAVEL MEDICINE CONSULTATION\n")
        w.t("Traveler: ").nm(pt, "PATIENT", r.choice(("full", "lfm"))).t("   DOB ").p(c.d(ident.birth_date, eu), "DATE").t("   Passport ").p(passport, "MRN").t("\n")
        w.t("Departs ").p(c.d(depart, eu), "DATE").t(", returns ").p(c.d(depart + timedelta(days=r.randrange(10, 40)), eu), "DATE").t("\n")
        w.t("Itinerary:\n")
        d0 = depart
        for country, city in stops:
            d1 = d0 + timedelta(days=r.randrange(3, 12))
            w.t("  - ").p(city, "LOCATION").t(f", {country}: ").p(c.d(d0, eu), "DATE").t(" to ").p(c.d(d1, eu), "DATE").t("\n")
            d0 = d1
        w.t("Purpose: ", r.choice(("visiting friends and relatives", "volunteer work", "safari / tourism", "research fieldwork")), ". Rural stays and freshwater exposure discussed.\n")
        w.t("Given today: Yellow fever (YF-VAX, lot ").t(c.pat("??####")).t("), typhoid Vi, hepatitis A #1. Malaria chemoprophylaxis: atovaquone-proguanil.\n")
        w.t("ICVP issued, certificate no. ").p(icvp, "MRN").t(", valid from ").p(c.d(when + timedelta(days=10), eu), "DATE").t(" for life.\n")
        w.t("Emergency contact abroad: ").nm(c.person(r.choice(("yo_NG", "pt_BR", "en_IN", "vi", "fil", "es_CO"))), "RELATIVE", "full")
        w.t(", ").p(c.foreign_phone(r.choice(("pt_BR", "fr_FR", "pl_PL", "es_CO"))), "PHONE").t("\n")
        w.t("Seen by ").nm(clinician, "PROVIDER", "fl").t(", ", r.choice(("NP", "PA-C", "MD", "RN")), " - ").p(clinic, "HOSPITAL").t("\n")
    else:  # certificate grid
        w.t("INTERNATIONAL CERTIFICATE OF VACCINATION OR PROPHYLAXIS\n")
        w.t("This is to certify that [name] ").nm(pt, "PATIENT", "LF").t(" date of birth ").p(c.d(ident.birth_date, eu), "DATE")
        w.t(f" sex {_sex(ident)} nationality USA, national identification document ").p(passport, "MRN")
        w.t(" has on the date indicated been vaccinated against: YELLOW FEVER\n\n")
        w.t("Vaccine | Date | Signature of clinician | Manufacturer and batch | Valid from | Official stamp\n")
        w.t("Yellow fever (Stamaril) | ").p(c.d(when, eu), "DATE").t(" | ").nm(clinician, "PROVIDER", r.choice(("lfm", "fil"))).t(" | Sanofi ")
        w.t(c.pat("?#####")).t(" | ").p(c.d(when + timedelta(days=10), eu), "DATE").t(" | ").p(clinic, "HOSPITAL").t("\n\n")
        w.t("Certificate no.: ").p(icvp, "MRN").t("\nTravel: ")
        for k, (country, city) in enumerate(stops):
            w.t(" -> " if k else "").p(city, "LOCATION").t(f" ({country})")
        w.t(", departing ").p(c.d(depart, eu), "DATE").t("\nClinic address: ").p(c.street(), "ADDRESS").t(", ").p(c.town(), "LOCATION").t("  tel ").p(c.phone(), "PHONE").t("\n")


WRITERS = {"ems_pcr": ems_pcr, "sane_exam": sane_exam, "poison_call": poison_call, "death_me": death_me,
           "dental": dental, "pharmacy_fax": pharmacy_fax, "dialysis": dialysis, "dot_exam": dot_exam,
           "immigration": immigration, "fmla": fmla, "ime": ime, "travel": travel}


def make_writer(note_cls, seed: int, policy):
    """A ``write_note``-like function for the h styles.

    Parameters
    ----------
    note_cls:
        The benchmark's ``Note`` class (``t``/``p`` API).
    seed:
        Seed of this module's Faker instances, its home hospital and its register.
    policy:
        The benchmark's :class:`NamePolicy` (surrogate tokens are never planted; outside names
        and words planted by themselves are reserved in it).

    Returns
    -------
    callable
        ``write(style, ident, staff, fake, rng, when) -> Note``; ``fake`` is not used (this set
        draws from its own seeded Fakers), ``rng`` drives every choice. ``write.ctx`` is the
        per-seed register.
    """
    ctx = Ctx(seed, policy)

    def write(style: str, ident, staff, fake: Faker, rng: random.Random, when: date):
        ctx.rng = rng
        w = W(note_cls(), ctx, caps=False)
        WRITERS[style](w, ctx, ident, staff, when)
        return w.note

    write.ctx = ctx
    return write
