"""Held-out note styles, set f, for ``bench/deid_heldout_export.py --styles f``.

Twelve kinds of messy real-world US EHR text about diverse US patient populations: a critical-lab
call-back log, an interpreter-mediated visit (Spanish, Vietnamese, Mandarin, Cantonese, Arabic,
Haitian Creole, Korean, Portuguese, Somali, Tagalog, Punjabi or Yoruba interpreter, with interpreter
ID numbers, partial non-English phrases and family members translating), a scanned / faxed outside
referral with fax header lines, broken line wraps and OCR letter errors in ordinary words, a pasted
HL7 v2 fragment in an interface error log (MSH / PID / PV1 / NK1 / OBR / IN1 segments with pipes and
carets), a medication reconciliation with prescribers, NPI / DEA numbers and outside pharmacies with
store numbers, a patient-safety event report (staff, witnesses, security badge numbers), a research
study enrollment / consent note (coordinator, PI, subject ID, witness, legally authorized
representative), a custody health note for a patient brought in by police or from a jail (booking
and inmate numbers, facility, officers and badge numbers), a VA / military health note (branch, unit,
bases, deployments, DoD ID, VA facilities), a school / college sports / child-care staff health form
(schools, school nurse, coach, athletic trainer, student or employee ID), a telehealth video visit
(session link, meeting ID, IP address, where the patient is for the visit, callback number) and
terse patient or family inbox messages in lower case with typos and text-speak (``next tues 12/3``,
``on the 5th``).

Written from general knowledge of such documents, without reading the de-identification code, its
data, templates, tests, documentation, README or any corpus, nor the held-out sets b, d and e (only
the benchmark scaffolding, set c's interface and conventions, the demo's identity, writer and check
modules and Faker's own source were read). Patients, their relatives and the home
hospital's staff come from the benchmark's generator; everyone and everything else (interpreters,
lab technicians, outside prescribers, pharmacists, officers, coaches, coordinators, witnesses,
relatives who translate or live abroad, towns, streets, phones, e-mails, URLs, IPs, schools,
employers, jails, pharmacies, bases, units and VA facilities) from seeded Faker instances (``en_US``,
``es_MX``, ``es_ES``, ``vi_VN``, ``zh_CN`` and ``zh_TW`` romanized, ``pt_BR``, ``en_IN``, ``en_NG``)
and this module's own small lists of romanized Korean, Arabic, Haitian, Filipino, Somali and Yoruba /
Igbo names. The home hospital is a fictional system made up per seed.

PHI kinds are those the benchmark already uses. Conventions of this set: patients ``PATIENT``;
relatives, friends and legally authorized representatives ``RELATIVE``; clinicians, interpreters,
lab technicians, pharmacists, coordinators, witnesses among staff, officers, coaches, school nurses
and everyone else named in a role ``PROVIDER``; street addresses and the patient's own town
``ADDRESS``, other towns, neighbourhoods and places abroad ``LOCATION``; employers, schools, jails,
police and sheriff's offices, bases, military units and deployment places ``LOCATION``; hospitals,
clinics, labs, pharmacies and VA facilities (and the home system's acronyms) ``HOSPITAL``; phones,
faxes, extensions and pagers ``PHONE``; e-mails, URLs and IP addresses ``EMAIL``; member numbers
``INSURANCE``; MRNs and all other identifying numbers (booking, inmate, badge, interpreter, subject,
NPI, DEA, DoD, student, accession, Rx, meeting and report numbers) ``MRN``; dates of at least eight
characters (a short text-speak date is planted with its cue, ``next tues 12/3``) and ages over 89
(``93-year-old``) ``DATE``. A planted value of a single word is a word this module writes nowhere
else, not an everyday English word and no surrogate token; otherwise its cue is part of the value
(``Officer Young``, ``son Minh``). A per-seed register keeps every word planted by itself out of every
other entity's values: values of this module that would hold one are drawn again, a generator's street or
town that would hold one is left out of the note, and each such word is added to the benchmark's
``NamePolicy.used`` so that the generator never gives it to a later patient.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from coordinator.demo.identities import NAME_BLOCKLIST

STYLES_F = ("critical_callback", "interpreter_visit", "fax_referral", "hl7_log", "med_rec", "safety_event",
            "research_consent", "custody", "va_note", "school_form", "telehealth", "inbox_message")

NOTE_TYPES_F = {
    "critical_callback": "Critical value notification", "interpreter_visit": "Progress note",
    "fax_referral": "Outside records", "hl7_log": "Interface error log",
    "med_rec": "Medication reconciliation", "safety_event": "Patient safety event report",
    "research_consent": "Research consent note", "custody": "Emergency department note",
    "va_note": "Progress note", "school_form": "Physical examination form",
    "telehealth": "Telehealth visit note", "inbox_message": "Patient message",
}

# ---- begin name and place lists (not template text) ----
#: Romanized names of populations Faker has no Latin-script names for: (female, male, family).
OWN_NAMES = {
    "ko": (("Seo-yeon", "Ji-woo", "Hye-jin", "Eun-ji", "Soo-ah", "Yoo-jin", "Min-seo", "Ha-eun", "Jae-hee",
            "Seung-hee", "Mi-kyung", "Yeon-hwa"),
           ("Min-jun", "Ji-hoon", "Dong-hyun", "Jae-won", "Sung-min", "Hyun-woo", "Tae-yang", "Joon-ho",
            "Sang-woo", "Kyung-soo", "Young-jae", "Byung-chul"),
           ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Shin", "Seo",
            "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong", "Jeon")),
    "ar": (("Fatima", "Aisha", "Layla", "Nour", "Samira", "Rania", "Amal", "Mariam", "Huda", "Yasmin", "Dalia",
            "Reem", "Hanan", "Lubna", "Suha"),
           ("Ahmed", "Mohammed", "Omar", "Khalid", "Yousef", "Hassan", "Tariq", "Karim", "Ibrahim", "Bilal",
            "Walid", "Mahmoud", "Samir", "Ziad", "Hamza"),
           ("Al-Hassan", "Haddad", "Khoury", "Mansour", "El-Amin", "Saleh", "Abdullah", "Nasser", "Hamdan",
            "Al-Masri", "Barakat", "Aziz", "Darwish", "Farah", "Qasim", "Suleiman", "Yassin", "Othman",
            "Al-Jabouri", "Shalabi", "Abu-Ghazaleh", "Haidari")),
    "ht": (("Marie-Claude", "Wislande", "Jocelyne", "Widlene", "Rosemene", "Nadege", "Ketly", "Guerline",
            "Dieunie", "Fabienne", "Mirlande", "Sherline", "Roselaure", "Micheline"),
           ("Fritznel", "Jean-Robert", "Wilner", "Jean-Claude", "Mackenson", "Jean-Pierre", "Frantz", "Wisly",
            "Lesly", "Ronald", "Jacquelin", "Evens", "Dieuseul", "Wilfrid"),
           ("Pierre-Louis", "Jean-Baptiste", "Saint-Fleur", "Dorvil", "Estime", "Desir", "Celestin", "Augustin",
            "Altidor", "Jean-Louis", "Louissaint", "Metellus", "Fleurimond", "Toussaint", "Dorcely", "Exantus",
            "Bellegarde", "Jean-Charles", "Saintil", "Dorsainvil")),
    "tl": (("Maricel", "Jocelyn", "Marivic", "Analyn", "Liezel", "Rowena", "Maribel", "Lorelei", "Jonalyn",
            "Rosalinda", "Divina", "Cherrylyn"),
           ("Rodel", "Arnel", "Jericho", "Rommel", "Jomar", "Reynaldo", "Ferdinand", "Danilo", "Joel", "Ronaldo",
            "Efren", "Marlon"),
           ("Dela Cruz", "Bautista", "Villanueva", "Macapagal", "Dimaculangan", "Manalo", "Pangilinan", "Soriano",
            "Tolentino", "Magbanua", "Agbayani", "Lacson", "Mercado", "Dizon", "Castillo", "Sison")),
    "so": (("Hodan", "Ayaan", "Farhiya", "Hamdi", "Sahra", "Fadumo", "Ubah", "Deeqa", "Istahil", "Ifrah",
            "Khadra", "Asli"),
           ("Abdirahman", "Abdullahi", "Mohamed", "Liban", "Abdiwali", "Mahad", "Guled", "Bashir", "Hassan",
            "Yusuf", "Abdikarim", "Mukhtar"),
           ("Warsame", "Abdi", "Hussein", "Jama", "Osman", "Egal", "Mohamud", "Yusuf", "Aden", "Nur", "Hirsi",
            "Elmi", "Dualeh", "Farah", "Ismail", "Samatar")),
    "yo": (("Ngozi", "Chinwe", "Funmilayo", "Ifeoma", "Adaeze", "Folake", "Yetunde", "Oluwakemi", "Chiamaka",
            "Temitope", "Nkechi", "Bukola"),
           ("Adebayo", "Chukwuemeka", "Oluwaseun", "Babatunde", "Obinna", "Olumide", "Ikenna", "Tunde",
            "Chidi", "Femi", "Kelechi", "Ayodele"),
           ()),  # family names from Faker en_NG
}

#: Places abroad where relatives live or were born, per population (None: Faker's cities).
ABROAD = {
    "es_MX": ("Mexico", ("Guadalajara", "Zacatecas", "Morelia", "Oaxaca", "Puebla", "Leon", "Aguascalientes",
                         "Irapuato", "Celaya", "Durango", "Culiacan", "Tampico", "Reynosa", "Monterrey")),
    "es_ES": ("El Salvador", ("San Miguel", "Santa Ana", "Usulutan", "Sonsonate", "Chalatenango", "La Union")),
    "vi_VN": ("Vietnam", ("Hue", "Da Nang", "Can Tho", "Hai Phong", "Nha Trang", "Bien Hoa", "Vung Tau", "Quang Ngai")),
    "zh_CN": ("China", ("Fuzhou", "Wenzhou", "Changle", "Shenyang", "Chengdu", "Harbin", "Kunming")),
    "zh_TW": ("Hong Kong", ("Kowloon", "Sha Tin", "Tsuen Wan", "Tuen Mun", "Mong Kok")),
    "ko": ("Korea", ("Busan", "Daegu", "Incheon", "Gwangju", "Suwon", "Daejeon", "Jeonju")),
    "ar": ("Iraq", ("Mosul", "Basra", "Najaf", "Kirkuk", "Erbil", "Baquba")),
    "ht": ("Haiti", ("Port-au-Prince", "Cap-Haitien", "Jacmel", "Les Cayes", "Gonaives", "Jeremie", "Petion-Ville")),
    "tl": ("the Philippines", ("Quezon City", "Cebu", "Davao", "Iloilo", "Pampanga", "Batangas", "Ilocos Norte")),
    "so": ("Somalia", ("Mogadishu", "Hargeisa", "Kismayo", "Baidoa", "Garowe", "Beledweyne")),
    "pt_BR": ("Brazil", ("Governador Valadares", "Belo Horizonte", "Goiania", "Recife", "Vitoria", "Ipatinga")),
    "en_IN": ("India", ("Ludhiana", "Amritsar", "Jalandhar", "Vadodara", "Surat", "Hyderabad", "Patiala")),
    "yo": ("Nigeria", ("Ibadan", "Abeokuta", "Enugu", "Benin City", "Port Harcourt", "Onitsha", "Owerri")),
}

#: US towns with their state, as a chart writes them.
US_TOWNS = ("Hialeah, FL", "Kissimmee, FL", "Homestead, FL", "Brownsville, TX", "McAllen, TX", "Harlingen, TX",
            "Edinburg, TX", "Laredo, TX", "Pharr, TX", "Eagle Pass, TX", "El Paso, TX", "Las Cruces, NM",
            "Santa Ana, CA", "Garden Grove, CA", "Westminster, CA", "Anaheim, CA", "Pomona, CA", "Fresno, CA",
            "Bakersfield, CA", "Salinas, CA", "Watsonville, CA", "Chula Vista, CA", "San Ysidro, CA", "Compton, CA",
            "Inglewood, CA", "Dearborn, MI", "Hamtramck, MI", "Flushing, NY", "Elmhurst, NY", "Jackson Heights, NY",
            "Sunset Park, NY", "Washington Heights, NY", "Paterson, NJ", "Passaic, NJ", "Perth Amboy, NJ",
            "Lowell, MA", "Lawrence, MA", "Chelsea, MA", "Dorchester, MA", "Mattapan, MA", "North Miami, FL",
            "Lake Worth, FL", "Norcross, GA", "Doraville, GA", "Clarkston, GA", "Alief, TX", "Pasadena, TX",
            "Sugar Land, TX", "Garland, TX", "Irving, TX", "Milpitas, CA", "Fremont, CA", "Daly City, CA",
            "Stockton, CA", "Tukwila, WA", "Burien, WA", "Kent, WA", "St. Cloud, MN", "Willmar, MN",
            "Rochester, MN", "Lewiston, ME", "Yuma, AZ", "Nogales, AZ", "Tucson, AZ", "Gallup, NM",
            "Greeley, CO", "Garden City, KS", "Dodge City, KS", "Cicero, IL", "Waukegan, IL", "Allentown, PA",
            "Hazleton, PA", "Hartford, CT", "Bridgeport, CT", "Pawtucket, RI", "Yonkers, NY", "Newburgh, NY",
            "Union City, NJ", "Elizabeth, NJ", "Worthington, MN", "Storm Lake, IA", "Postville, IA",
            "Tyson Corner, VA", "Annandale, VA", "Silver Spring, MD", "Langley Park, MD", "Hyattsville, MD",
            "Springdale, AR", "Dalton, GA", "Gainesville, GA", "Siler City, NC", "Durham, NC", "Chamblee, GA",
            "Ontario, CA", "Oxnard, CA", "Coachella, CA", "Indio, CA", "Brawley, CA", "Calexico, CA")
#: Counties for jails and sheriff's offices.
COUNTIES = ("Hidalgo", "Cameron", "Webb", "Maricopa", "Pima", "Fresno", "Kern", "Riverside", "Tulare", "Dona Ana",
            "Bexar", "Harris", "Dallas", "Tarrant", "Cook", "Wayne", "Hennepin", "Ramsey", "Fulton", "DeKalb",
            "Gwinnett", "Cobb", "Essex", "Hudson", "Passaic", "Bergen", "Suffolk", "Nassau", "Erie", "Hampden",
            "Worcester", "Middlesex", "Providence", "Hartford", "Allegheny", "Cuyahoga", "Franklin", "Marion",
            "Shelby", "Davidson", "Mecklenburg", "Wake", "Orange", "Osceola", "Hillsborough", "Pinellas",
            "Broward", "Palm Beach", "Duval", "Jefferson", "Yakima", "King", "Pierce", "Multnomah", "Weld")
#: Military posts, and places people were deployed to.
BASES = ("Fort Hood", "Fort Bragg", "Fort Campbell", "Camp Lejeune", "Camp Pendleton", "Fort Bliss", "Fort Carson",
         "Joint Base Lewis-McChord", "Naval Station Norfolk", "Fort Drum", "Schofield Barracks", "Fort Riley",
         "Fort Stewart", "Lackland AFB", "Nellis AFB", "Twentynine Palms", "Fort Sill", "Fort Polk",
         "Ramstein AB", "Camp Humphreys", "Fort Benning", "Fort Leonard Wood", "Naval Base San Diego",
         "Camp Casey", "Kadena AB", "Fort Wainwright", "Fort Gordon", "MCAS Miramar", "Fort Jackson")
DEPLOYMENTS = ("Camp Arifjan, Kuwait", "Bagram Airfield", "FOB Salerno", "Camp Leatherneck", "Balad, Iraq",
               "Ramadi", "Fallujah", "Kandahar", "Camp Buehring", "Al Asad Air Base", "Camp Bondsteel, Kosovo",
               "Khe Sanh", "Camp Lemonnier, Djibouti", "Al Udeid", "Tikrit", "FOB Sharana", "Camp Taji",
               "Mosul", "Helmand Province", "Kunar Province", "Camp Victory", "Pleiku", "Chu Lai", "Tuzla")
REGIMENTS = ("Marines", "Infantry Regiment", "Cavalry Regiment", "Field Artillery", "Engineer Battalion",
             "Military Police Company", "Special Forces Group", "Aviation Regiment", "Signal Battalion")
DIVISIONS = ("1st Cavalry Division", "82nd Airborne Division", "101st Airborne Division", "3rd Infantry Division",
             "4th Infantry Division", "10th Mountain Division", "1st Marine Division", "2nd Marine Division",
             "25th Infantry Division", "1st Armored Division", "173rd Airborne Brigade")
SHIPS = ("USS Kearsarge", "USS Enterprise", "USS Bataan", "USS Nimitz", "USS Cole", "USS Ranger",
         "USS Wasp", "USS Boxer", "USS Essex", "USS Ticonderoga", "USS Peleliu")
#: Made-up bases for the home hospital system (two words, so acronyms have four letters).
HOME_BASES = ("Mesquite Ridge", "Tamarind Bay", "Cinder Butte", "Sawgrass Point", "Palmetto Reach",
              "Ocotillo Springs", "Bluestem Prairie", "Juniper Mesa", "Cottonwood Basin", "Sabal Harbor",
              "Manzanita Heights", "Caliche Flats")
#: Chain pharmacies (with a store number) and independent pharmacy forms.
CHAINS = ("Walgreens", "CVS Pharmacy", "CVS", "Rite Aid", "Walmart Pharmacy", "H-E-B Pharmacy", "Publix Pharmacy",
          "Kroger Pharmacy", "Costco Pharmacy", "Safeway Pharmacy", "Sam's Club Pharmacy", "Meijer Pharmacy")
# ---- end name and place lists ----

_OWN_TEXT = Path(__file__).read_text(encoding="utf-8")
_TEMPLATE_TEXT = re.sub(r"# ---- begin name and place lists.*?# ---- end name and place lists ----", " ",
                        _OWN_TEXT, flags=re.DOTALL)


def _ascii(s: str) -> str:
    """Accents dropped, as many US charts write a foreign name (``Nguyễn`` -> ``Nguyen``)."""
    s = s.replace("Đ", "D").replace("đ", "d").replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFKD", s)
                                                if not unicodedata.combining(ch)))


def _toks(value: str) -> set[str]:
    """Lower-cased tokens of ``value``: Unicode words, their accent-free forms and ASCII runs."""
    low = unicodedata.normalize("NFC", value.lower())
    words = re.findall(r"[^\W_]+", low)
    return set(words) | {_ascii(t) for t in words} | set(re.findall(r"[a-z0-9]+", low))


def _english_words() -> frozenset[str]:
    words: set[str] = set()
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
        words |= set(STOP_WORDS)
    except ImportError:  # pragma: no cover
        pass
    try:
        from faker.providers.lorem.en_US import Provider as _Lorem
        words |= {w.lower() for w in _Lorem.word_list}
    except ImportError:  # pragma: no cover
        pass
    return frozenset(words)


#: Words this module writes outside its name and place lists; a planted single word must be none of these.
TEMPLATE_WORDS = frozenset(_toks(_TEMPLATE_TEXT)
                           | {t for country, _ in ABROAD.values() for t in _toks(country)})
#: Everyday English words, names that are words, and short name tokens that are English words.
COMMON_WORDS = _english_words() | NAME_BLOCKLIST | frozenset(
    "pan gang long hung chi mai lan kim ha son tu nam ming bao hai van thi le do ho lee min han shin song hong "
    "jung park cho jang lim seo ahn yoo kang choi nur abdi jama aden elmi egal farah aziz saleh joy hope faith "
    "tao fang jing li wang yang hu lin lu ma sun gao he luo liang zhu guo tang xu zhou wu wei bin chao juan "
    "ping yan hui ying lei tian peng jun yong ning kai bo mei fei an duc phu tri quang hoang minh anh hoa thu "
    "dang vu ngo phan dinh truong cao pham tran bui lam vo ly la mo na ana eva ali nora sara tina lana dina "
    "rene jose luis angel cruz sol luz paz reyes santos rosa flor leon cristo dios manuel maria".split())


def _nth(k: int) -> str:
    return f"{k}{'th' if 11 <= k % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


def _atomic(value: str) -> bool:
    """A value the benchmark's search would find as a whole word: one word or one number."""
    return bool(re.fullmatch(r"[^\W_]+", value))


@dataclass(frozen=True)
class Ext:
    """Someone outside the generator: a name as written, its parts and its register owner."""

    given: str
    family: str
    full: str
    loc: str
    sex: str

    @property
    def owner(self) -> str:
        return f"x:{self.full}"


class Ctx:
    """Seeded sources of people, places, numbers and the fictional home hospital, plus the register.

    Parameters
    ----------
    seed:
        Seed of this module's Faker instances and of the home hospital system.
    policy:
        The benchmark's :class:`~coordinator.demo.identities.NamePolicy`: no token of a planted value
        is a surrogate token, and name tokens drawn here are reserved in ``policy.used`` so the
        generator never gives them to a later patient.
    """

    LOCALES = ("en_US", "es_MX", "es_ES", "vi_VN", "zh_CN", "zh_TW", "pt_BR", "en_IN", "en_NG")

    def __init__(self, seed: int, policy) -> None:
        self.policy = policy
        self.fk: dict[str, Faker] = {}
        for i, loc in enumerate(self.LOCALES):
            fk = Faker(loc)
            fk.seed_instance(seed * 1000 + 611 + i)
            self.fk[loc] = fk
        self.us = self.fk["en_US"]
        self.rng = random.Random(seed)
        self.bare_owner: dict[str, str] = {}  # word planted by itself -> its owner
        self.inside: dict[str, set[str]] = defaultdict(set)  # token -> owners of values holding it (or drawn)
        self.held: dict[str, set[str]] = defaultdict(set)  # token -> owners of planted values holding it
        self.drawn: set[str] = set()
        self.seen_idents: set[str] = set()
        self._build_home(random.Random(seed * 7919 + 29))

    # ---- the register ----------------------------------------------------------------------------
    def _word_free(self, t: str) -> bool:
        return len(t) >= 3 and t not in TEMPLATE_WORDS and t not in COMMON_WORDS and t not in self.policy.surrogates

    def can_bare(self, value: str, owner: str) -> bool:
        """``value`` (one word or number) may be planted by itself for ``owner``."""
        if not _atomic(value):
            return False
        toks = _toks(value)
        for t in toks:
            if t.isdigit():
                if len(t) < 6:  # five digits alone could be a ZIP
                    return False
            elif not self._word_free(t) and not re.fullmatch(r"[a-z0-9]*\d[a-z0-9]*", t):
                return False
            if self.bare_owner.get(t, owner) != owner or not self.inside.get(t, set()) <= {owner}:
                return False
        return True

    def fits(self, value: str, owner: str) -> bool:
        """No token of ``value`` is a word planted by itself for another owner, nor a surrogate token."""
        toks = _toks(value)
        return (all(self.bare_owner.get(t, owner) == owner for t in toks)
                and not any(t in self.policy.surrogates for t in toks if not t.isdigit()))

    def admit(self, value: str, owner: str) -> bool:
        return self.can_bare(value, owner) if _atomic(value) else self.fits(value, owner)

    def commit(self, value: str, owner: str) -> None:
        toks = _toks(value)
        if _atomic(value):
            for t in toks:
                self.bare_owner[t] = owner
                if not t.isdigit():
                    self.policy.used.add(t)
        for t in toks:
            self.inside[t].add(owner)
            self.held[t].add(owner)

    def see(self, ident) -> None:
        """Register the generator's values of a patient (names, street, town) as held by that patient."""
        if ident.mrn in self.seen_idents:
            return
        self.seen_idents.add(ident.mrn)
        o = self.po(ident)
        for v in [ident.given, ident.family, ident.address, ident.city, ident.email, ident.mrn, ident.zip,
                  ident.insurance_id, re.sub(r"\D", "", ident.phone)] + [re.sub(r"\D", "", p.phone) for p in ident.relatives] + [p.full for p in ident.relatives]:
            for t in _toks(v):
                self.inside[t].add(o)

    def see_staff(self, staff) -> None:
        for s in staff:
            for t in _toks(s.full):
                self.inside[t].add(self.so(s))

    @staticmethod
    def po(ident) -> str:
        return f"pt:{ident.mrn}"

    @staticmethod
    def so(person) -> str:
        return f"staff:{person.full}"

    # ---- people ----------------------------------------------------------------------------------
    def person(self, loc: str = "en_US", sex: str | None = None, plain: bool = False) -> Ext:
        """Someone of population ``loc`` (a Faker locale or an :data:`OWN_NAMES` key).

        Parameters
        ----------
        loc:
            Population.
        sex:
            ``"f"``, ``"m"`` or ``None`` (either).
        plain:
            Accents dropped (as a US registration desk types the name).
        """
        r = self.rng
        for _ in range(400):
            s = sex or r.choice("fm")
            given, family, full = self._name(loc, s, r)
            if plain or (loc in ("vi_VN",) and r.random() < 0.85) or r.random() < 0.3:
                given, family, full = _ascii(given), _ascii(family), _ascii(full)
            x = Ext(given, family, full, loc, s)
            toks = _toks(full)
            if full in self.drawn or not re.fullmatch(r"[A-Z][^\W\d_]+(?:['’ -][^\W\d_]+)*", full):
                continue
            if any(t in self.policy.used or t in self.policy.surrogates for t in toks):
                continue
            if not all(self.bare_owner.get(t, x.owner) == x.owner for t in toks):
                continue
            self.drawn.add(full)
            for t in toks:
                self.inside[t].add(x.owner)
            return x
        raise RuntimeError(f"no free name in {loc}")

    def _name(self, loc: str, s: str, r: random.Random) -> tuple[str, str, str]:
        if loc in OWN_NAMES:
            fem, mal, fams = OWN_NAMES[loc]
            given = r.choice(fem if s == "f" else mal)
            family = r.choice(fams) if fams else self.fk["en_NG"].last_name()
            if loc == "ko" and r.random() < 0.4:
                return given, family, f"{family} {given}"
            return given, family, f"{given} {family}"
        fk = self.fk[loc]
        if loc in ("zh_CN", "zh_TW"):
            given, family = fk.first_romanized_name(), fk.last_romanized_name()
            if r.random() < 0.35:
                return given, family, f"{family} {given}"
            return given, family, f"{given} {family}"
        if loc == "vi_VN":
            given = (fk.first_name_female if s == "f" else fk.first_name_male)() if r.random() < 0.8 else fk.first_name_unisex()
            family = fk.last_name()
            middle = "Thị" if s == "f" else r.choice(["Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu"])
            if r.random() < 0.6:
                return given, family, f"{family} {middle} {given}"
            return given, family, f"{given} {family}"
        given = (fk.first_name_female if s == "f" else fk.first_name_male)()
        family = fk.last_name()
        if loc in ("es_MX", "es_ES"):
            second = fk.last_name()
            if second != family and r.random() < 0.45:
                family = f"{family}-{second}" if r.random() < 0.5 else f"{family} {second}"
        return given, family, f"{given} {family}"

    # ---- places ----------------------------------------------------------------------------------
    def us_town(self) -> tuple[str, str, str]:
        """``(town, state, owner)``; two draws in three from :data:`US_TOWNS`, else Faker's."""
        for _ in range(300):
            if self.rng.random() < 0.67:
                town, st = self.rng.choice(US_TOWNS).split(", ")
            else:
                town, st = self.us.city(), self.us.state_abbr(include_territories=False)
            o = f"town:{town}"
            if self.fits(town, o) and self.fits(f"{town}, {st}", o):
                return town, st, o
        raise RuntimeError("no free town")

    def town_value(self, town: str, st: str, o: str) -> str:
        """The town alone when that is free to plant, else ``Town, ST``."""
        if (not _atomic(town) and self.rng.random() < 0.6) or self.can_bare(town, o):
            return town
        return f"{town}, {st}"

    def abroad_town(self, loc: str) -> tuple[str, str]:
        for _ in range(100):
            town = self.rng.choice(ABROAD.get(loc, ABROAD["es_MX"])[1])
            o = f"town:{town}"
            if self.can_bare(town, o) or (not _atomic(town) and self.fits(town, o)):
                return town, o
            if self.fits(f"{town}, {ABROAD.get(loc, ABROAD['es_MX'])[0]}", o):
                return f"{town}, {ABROAD.get(loc, ABROAD['es_MX'])[0]}", o
        raise RuntimeError("no free town abroad")

    def street(self) -> str:
        for _ in range(300):
            line = self.us.street_address() if self.rng.random() < 0.5 else \
                f"{self.rng.randrange(10, 9999)} {self.rng.choice(['N', 'S', 'E', 'W', ''])} {self.us.street_name()}".replace("  ", " ")
            if "\n" not in line and self.fits(line, f"st:{line}"):
                return line
        raise RuntimeError("no free street")

    def surname(self) -> str:
        return self.person(self.rng.choice(["en_US", "en_US", "es_MX", "vi_VN", "zh_CN", "ko", "ar", "tl"])).family

    def pick(self, forms: Sequence[Callable[[], str]], prefix: str = "") -> tuple[str, str]:
        """A place name from one of ``forms`` that fits the register: ``(value, owner)``."""
        for _ in range(200):
            v = self.rng.choice(forms)()
            o = f"{prefix}:{v}"
            if self.admit(v, o):
                return v, o
        raise RuntimeError("no free place")

    def pharmacy(self) -> tuple[str, str]:
        r = self.rng
        return self.pick([lambda: f"{r.choice(CHAINS)} #{r.randrange(1000, 19999)}",
                          lambda: f"{r.choice(CHAINS)} #{r.randrange(1000, 19999)}",
                          lambda: f"{r.choice(CHAINS)} store {r.randrange(1000, 19999)}",
                          lambda: f"Farmacia {self.surname()}", lambda: f"{self.surname()} Family Pharmacy",
                          lambda: f"{self.us_town()[0]} Apothecary", lambda: f"{self.surname()} Drug",
                          lambda: f"Botica {self.surname()}"], "ph")

    def clinic(self) -> tuple[str, str]:
        r = self.rng
        return self.pick([lambda: f"{self.us_town()[0]} Community Health Center",
                          lambda: f"Clinica {r.choice(['Familiar', 'del Pueblo', 'La Esperanza', 'San Rafael'])} de {self.us_town()[0]}",
                          lambda: f"{self.surname()} Family Medicine", lambda: f"{self.us_town()[0]} Internal Medicine Associates",
                          lambda: f"{self.surname()} & {self.surname()} Cardiology", lambda: f"{self.us_town()[0]} Medical Group",
                          lambda: f"{self.us_town()[0]} Regional Medical Center", lambda: f"{self.surname()} Pediatrics and Family Care"], "cl")

    def employer(self) -> tuple[str, str]:
        return self.pick([lambda: _ascii(self.us.company()), lambda: f"{self.surname()} Landscaping",
                          lambda: f"{self.surname()} Poultry", lambda: f"{self.us_town()[0]} Meat Packing",
                          lambda: f"{self.surname()} Nail Salon", lambda: f"{self.surname()} Trucking",
                          lambda: f"{self.surname()} Restaurant", lambda: f"{self.us_town()[0]} Distribution Center"], "emp")

    # ---- the home hospital system ----------------------------------------------------------------
    def _build_home(self, r: random.Random) -> None:
        bases = [b for b in HOME_BASES if self.fits(b, "home")]
        b1, b2 = r.sample(bases, 2)
        acr = "".join(w[0] for w in b1.split())
        self.main, self.acr = f"{b1} Medical Center", f"{acr}MC"
        self.health = f"{b1} Health"
        self.regional, self.racr = f"{b2} Regional Hospital", "".join(w[0] for w in b2.split()) + "RH"
        self.domain = b1.replace(" ", "").lower() + r.choice([".org", "health.org", "-health.org"])
        self.lab = f"{acr}MC Core Lab"
        for v in (self.main, self.acr, self.health, self.regional, self.racr, self.domain, self.lab):
            self.commit(v, "home")
        assert self.acr.lower() not in TEMPLATE_WORDS and self.racr.lower() not in TEMPLATE_WORDS

    def home(self) -> str:
        return self.rng.choice([self.main, self.acr, self.acr, self.health, f"{self.acr} Main Campus", self.regional])

    # ---- numbers ---------------------------------------------------------------------------------
    def num(self, make: Callable[[random.Random], str]) -> str:
        """An identifying number from ``make(rng)`` whose digit runs of five or more are new."""
        for _ in range(200):
            v = make(self.rng)
            runs = [t for t in _toks(v) if t.isdigit() and len(t) >= 5] or [v.lower()]
            if all(t not in self.inside and t not in self.bare_owner for t in runs):
                return v
        raise RuntimeError("no fresh number")

    def digits(self, k: int) -> str:
        return self.num(lambda r: str(r.randrange(1, 10)) + "".join(str(r.randrange(10)) for _ in range(k - 1)))

    def phone(self) -> str:
        """A fictional US number (555 exchange, never the 555-01xx of the patients file)."""
        r = self.rng
        a = r.choice(["305", "786", "713", "832", "956", "915", "210", "323", "714", "718", "347", "313", "404",
                      "612", "206", "602", "520", "619", "408", "559", "973", "508", "978", "651", "678"])
        x = f"{r.randrange(2, 10)}{r.randrange(1000):03d}"
        return self.num(lambda _: r.choice([f"({a}) 555-{x}", f"{a}-555-{x}", f"{a}.555.{x}", f"({a})555-{x}",
                                            f"{a} 555 {x}", f"1-{a}-555-{x}", f"{a}555{x}"]))

    def ext(self) -> str:
        """An extension or pager with five or more digits."""
        r = self.rng
        return self.num(lambda _: r.choice([f"x{r.randrange(2, 8)}-{r.randrange(1000, 9999)}", f"ext {r.randrange(20000, 79999)}",
                                            f"x{r.randrange(20000, 79999)}", f"pgr {r.randrange(20000, 99999)}"]))

    def npi(self) -> str:
        return self.num(lambda r: "1" + "".join(str(r.randrange(10)) for _ in range(9)))

    def dea(self, family: str) -> str:
        init = (_ascii(family)[:1] or "X").upper()
        return self.num(lambda r: f"{r.choice('ABFM')}{init}{r.randrange(1000000, 9999999)}")

    def email(self, given: str, family: str, domain: str | None = None) -> str:
        g, f = re.sub(r"[^a-z]", "", _ascii(given).lower()), re.sub(r"[^a-z]", "", _ascii(family).lower())
        r = self.rng
        dom = domain or r.choice([self.us.free_email_domain(), self.us.free_email_domain(), "icloud.com", "aol.com"])
        local = r.choice([f"{g}.{f}", f"{g[0]}{f}", f"{f}{g[0]}{r.randrange(10, 99)}", f"{g}{r.randrange(60, 2005)}",
                          f"{g}_{f}{r.randrange(1, 99)}"])
        return self.num(lambda _: f"{local}@{dom}")

    def ip(self) -> str:
        r = self.rng
        return self.num(lambda _: f"{r.choice([24, 47, 67, 68, 70, 71, 73, 76, 96, 97, 98, 99, 104, 107, 108, 174])}."
                                  f"{r.randrange(1, 255)}.{r.randrange(0, 255)}.{r.randrange(1, 255)}")

    # ---- dates -----------------------------------------------------------------------------------
    def dlong(self, d: date) -> str:
        """A date with its year, at least eight characters."""
        return self.rng.choice([f"{d.month}/{d.day}/{d.year}", f"{d:%m/%d/%Y}", f"{d:%m/%d/%y}", f"{d:%m-%d-%Y}",
                                d.isoformat(), f"{d:%B} {d.day}, {d.year}", f"{d:%b} {d.day} {d.year}",
                                f"{d.day} {d:%b} {d.year}", f"{d:%d%b%Y}".upper()])


class W:
    """A note being written: the benchmark's ``Note`` plus capitals, OCR noise and the register."""

    OCR = (("m", "rn"), ("i", "l"), ("o", "0"), ("l", "1"), ("e", "c"), ("h", "b"), ("n", "ri"), ("d", "cl"),
           ("S", "5"), ("B", "8"), ("u", "ii"), ("a", "o"))

    def __init__(self, note, c: Ctx, caps: bool = False, lower: bool = False) -> None:
        self.note, self.c, self.caps, self.lower = note, c, caps, lower
        self.ocr = 0.0
        self.wrap = 0.0

    def _case(self, s: str) -> str:
        return s.upper() if self.caps else s.lower() if self.lower else s

    def _noise(self, s: str) -> str:
        r = self.c.rng
        if self.ocr:
            def garble(m: re.Match) -> str:
                word = m.group(0)
                if len(word) < 5 or r.random() > self.ocr:
                    return word
                a, b = r.choice(self.OCR)
                if word.isupper():
                    a, b = a.upper(), b.upper()
                i = word.find(a, 1)
                return word if i < 0 else word[:i] + b + word[i + len(a):]
            s = re.sub(r"[A-Za-z]+", garble, s)
        if self.wrap:
            s = re.sub(r" ", lambda m: "\n" if r.random() < self.wrap else " ", s)
        return s

    def t(self, *texts: str) -> W:
        self.note.t(*(self._noise(self._case(x)) for x in texts))
        return self

    def p(self, value: str, kind: str, owner: str) -> W:
        value = self._case(value)
        if not self.c.admit(value, owner):
            raise RuntimeError(f"register refuses {kind} {value!r}")
        if kind == "DATE" and len(value) < 8:
            raise RuntimeError(f"short planted date {value!r}")
        self.c.commit(value, owner)
        self.note.p(value, kind)
        return self

    def d(self, value: str) -> W:
        return self.p(value, "DATE", f"date:{value}")

    def nm(self, cue: str, value: str, kind: str, owner: str, after: str = "") -> W:
        """``cue + value + after``; a single word not free by itself is planted with its cue."""
        v = self._case(value)
        if not _atomic(v) or self.c.can_bare(v, owner):
            return self.t(cue).p(value, kind, owner).t(after)
        if not (cue + after).strip():
            raise RuntimeError(f"no cue for {value!r}")
        lead, trail = cue[:len(cue) - len(cue.lstrip())], after[len(after.rstrip()):]
        return self.t(lead).p((cue + value + after).strip(), kind, owner).t(trail)


# ---------------------------------------------------------------------------------------------------
# pieces shared by the styles


def _pt(w: W, c: Ctx, ident, form: str | None = None) -> W:
    """The patient's name in one of the forms charts use."""
    r, o, g, f = c.rng, c.po(ident), ident.given, ident.family
    form = form or r.choice(["full", "full", "lf", "LF", "FULL", "given", "title"])
    if form == "given" and c.can_bare(w._case(g), o):
        return w.p(g, "PATIENT", o)
    if form == "title":
        return w.p(f"{'Ms.' if ident.sex == 'female' else 'Mr.'} {f}", "PATIENT", o)
    value = {"lf": f"{f}, {g}", "LF": f"{f.upper()}, {g.upper()}", "FULL": f"{g} {f}".upper()}.get(form, f"{g} {f}")
    return w.p(value, "PATIENT", o)


def _dob(w: W, c: Ctx, ident) -> W:
    return w.d(c.dlong(ident.birth_date))


def _phone_forms(phone: str, r: random.Random) -> str:
    m = re.fullmatch(r"\((\d{3})\) (\d{3})-(\d{4})", phone)
    if not m:
        return phone
    a, b, x = m.groups()
    return r.choice([phone, f"{a}-{b}-{x}", f"{a}.{b}.{x}", f"({a}){b}-{x}", f"{a}{b}{x}", f"{a} {b} {x}"])


def _addr(w: W, c: Ctx, ident, sep: str = ", ") -> W:
    """The patient's street, town and ``ST ZIP`` (the town left out if the register refuses it)."""
    o = c.po(ident)
    if c.fits(w._case(ident.address), o):  # a later patient's street may hold a word planted by itself
        w.p(ident.address, "ADDRESS", o)
    else:
        w.t("(street on file)")
    city, tail = ident.city, f"{ident.state} {ident.zip}"
    if c.admit(w._case(city), o) and c.fits(w._case(tail), o) and c.rng.random() < 0.5:
        return w.t(sep).p(city, "ADDRESS", o).t(", ").p(tail, "ADDRESS", o)
    if c.fits(w._case(f"{city}, {tail}"), o):
        return w.t(sep).p(f"{city}, {tail}", "ADDRESS", o)
    if c.fits(w._case(tail), o):
        return w.t(sep).p(tail, "ADDRESS", o)
    return w.t(sep, ident.state)


def _gphone(w: W, c: Ctx, ident, phone: str) -> W:
    """A generator phone in one of the forms people copy it; the bare-digits form only when it is free."""
    form = _phone_forms(phone, c.rng)
    if _atomic(form) and not c.can_bare(form, c.po(ident)):
        form = phone
    return w.p(form, "PHONE", c.po(ident))


def _given(w: W, c: Ctx, given: str, full: str, kind: str, owner: str) -> W:
    """A given name by itself when it is free to plant so, else the full name."""
    if not _atomic(given) or c.can_bare(w._case(given), owner):
        return w.p(given, kind, owner)
    return w.p(full, kind, owner)


def _rel_word(role: str, r: random.Random) -> str:
    return {"daughter": r.choice(["daughter", "dtr", "daughter"]), "husband": r.choice(["husband", "husband", "spouse"]),
            "wife": r.choice(["wife", "wife", "spouse"])}.get(role, role)


def _rel(w: W, c: Ctx, ident, rel, full: bool | None = None, word: bool = True) -> W:
    """A generator relative: ``wife Lourdes`` or ``son Carlos Reyes``."""
    r, o = c.rng, c.po(ident)
    cue = f"{_rel_word(rel.role, r)} " if word else ""
    if full if full is not None else r.random() < 0.45:
        return w.t(cue).p(rel.full, "RELATIVE", o)
    return w.nm(cue, rel.given, "RELATIVE", o)


def _doc(w: W, c: Ctx, s, form: int | None = None) -> W:
    """A home physician: ``Dr. Family``, ``Given Family, MD``, ``FAMILY, GIVEN MD``."""
    r, o = c.rng, c.so(s)
    form = r.randrange(5) if form is None else form
    value = [f"Dr. {s.family}", f"{s.given} {s.family}, MD", f"{s.family.upper()}, {s.given.upper()} MD",
             f"Dr {s.given[0]}. {s.family}", f"DR {s.family.upper()}"][form]
    if form == 1:
        return w.p(f"{s.given} {s.family}", "PROVIDER", o).t(", MD")
    if form == 2:
        return w.p(f"{s.family.upper()}, {s.given.upper()}", "PROVIDER", o).t(" MD")
    return w.p(value, "PROVIDER", o)


def _rn(w: W, c: Ctx, s, cred: str = "RN") -> W:
    """A home nurse: ``Given Family, RN``, ``G. Family RN``, ``RN Given`` (bare when free)."""
    r, o = c.rng, c.so(s)
    form = r.randrange(5)
    if form == 0:
        return w.p(f"{s.given} {s.family}", "PROVIDER", o).t(f", {cred}")
    if form == 1:
        return w.p(f"{s.given[0]}. {s.family}", "PROVIDER", o).t(f" {cred}")
    if form == 2:
        return w.nm(f"{cred} ", s.given, "PROVIDER", o)
    if form == 3:
        return w.p(f"{s.family}, {s.given}", "PROVIDER", o).t(f" {cred}")
    return w.nm(f"{cred} ", s.family, "PROVIDER", o)


def _x(w: W, c: Ctx, x: Ext, kind: str = "PROVIDER", form: str | None = None, cue: str = "") -> W:
    """An outside person: full name, ``L. Family``, ``FAMILY, GIVEN``, given or family with a cue."""
    r = c.rng
    form = form or r.choice(["full", "full", "full", "init", "lf", "given", "family"])
    if form == "init":
        return w.t(cue).p(f"{x.given[0]}. {x.family}", kind, x.owner)
    if form == "lf":
        return w.t(cue).p(f"{x.family.upper()}, {x.given.upper()}", kind, x.owner)
    if form in ("given", "family"):
        part = x.given if form == "given" else x.family
        if cue.strip():
            return w.nm(cue, part, kind, x.owner)
        if not _atomic(part) or c.can_bare(w._case(part), x.owner):
            return w.p(part, kind, x.owner)
    return w.t(cue).p(x.full, kind, x.owner)


def _kind(place: tuple[str, str], kind: str) -> tuple[str, str, str]:
    """``(value, owner)`` from :meth:`Ctx.pick` as the ``(value, kind, owner)`` of :meth:`W.p`."""
    return place[0], kind, place[1]


def _time(r: random.Random, colon: bool | None = None) -> str:
    h, m = r.randrange(24), r.choice([0, 5, 15, 22, 30, 41, 45, r.randrange(60)])
    return f"{h:02d}:{m:02d}" if (colon if colon is not None else r.random() < 0.6) else f"{h:02d}{m:02d}"


def _old_age(ident, r: random.Random) -> int | None:
    """Age of a parent over 89, when the patient's age allows one."""
    age = min(104, ident.stated_age + r.randrange(19, 34))
    return age if age >= 90 else None


def _staff(staff, role: str):
    return [s for s in staff if s.role == role] or list(staff)


POP_WEIGHTS = (("es_MX", 6), ("es_ES", 2), ("vi_VN", 3), ("zh_CN", 2), ("zh_TW", 1), ("ko", 2), ("ar", 2), ("ht", 2),
               ("tl", 2), ("so", 1), ("pt_BR", 1), ("en_IN", 2), ("yo", 1), ("en_US", 6))


def _pop(r: random.Random, us: bool = True) -> str:
    pool = [loc for loc, k in POP_WEIGHTS for _ in range(k) if us or loc != "en_US"]
    return r.choice(pool)


# ---------------------------------------------------------------------------------------------------
# the styles


def critical_callback(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    lab = r.choice([c.lab, c.lab, f"{c.acr} Clinical Laboratory", f"{c.regional} Lab"])
    tests = [("K", f"{r.choice([6.4, 6.6, 6.8, 7.1, 2.4, 2.6])}", "mmol/L"), ("Na", f"{r.choice([117, 119, 121, 162])}", "mmol/L"),
             ("Glucose", f"{r.choice([38, 41, 512, 617])}", "mg/dL"), ("Hgb", f"{r.choice([5.9, 6.2, 6.4])}", "g/dL"),
             ("Troponin I", f"{r.choice([1.9, 4.22, 12.6])}", "ng/mL"), ("INR", f"{r.choice([6.1, 7.4, 9.8])}", ""),
             ("Lactate", f"{r.choice([4.6, 5.9, 8.1])}", "mmol/L"), ("Plt", f"{r.choice([9, 14, 18])}", "K/uL"),
             ("Blood cx", "gram positive cocci in clusters, 1 of 2 bottles", "")]
    tech = c.person(_pop(r))
    nurses = _staff(staff, "nurse")
    rn, doc = r.choice(nurses), r.choice(_staff(staff, "attending") + _staff(staff, "resident"))
    acc = c.num(lambda q: q.choice([f"{q.choice('ABCHM')}{when:%y}-{q.randrange(100000, 999999)}",
                                    f"{when:%y}{q.randrange(1000000, 9999999)}"]))
    if r.random() < 0.5:  # log table
        w.t(r.choice(["CRITICAL VALUE NOTIFICATION LOG", "*** CRITICAL RESULT CALL LOG ***", "Critical Value Call-Back"]), "\n")
        w.t("Performing lab: ").p(lab, "HOSPITAL", "home").t("   Lab phone: ").p(c.ext(), "PHONE", "home-lab").t("\n")
        w.t("Patient: ")
        _pt(w, c, ident, r.choice(["LF", "lf"])).t("   MRN: ").p(ident.mrn, "MRN", c.po(ident)).t("   DOB: ")
        _dob(w, c, ident).t("\nAccession: ").p(acc, "MRN", f"acc:{acc}").t("\n\n")
        w.t("DATE       | TIME  | TEST        | RESULT          | CALLED BY          | CALLED TO / READ BACK\n")
        for k in range(r.randrange(1, 3)):
            name, val, unit = r.choice(tests)
            w.t("").d(f"{when:%m/%d/%Y}").t(f" | {_time(r, True)} | {name:<11} | {val} {unit}".rstrip() + " | ")
            _x(w, c, tech, form=r.choice(["full", "init", "lf"])).t(" | ")
            if k == 0:
                _rn(w, c, rn).t(" - read back Y\n")
            else:
                w.t("paged ")
                _doc(w, c, doc).t(" at ").p(c.ext(), "PHONE", f"pg:{doc.full}").t(", returned call, read back Y\n")
        comment = r.choice(["hemolyzed? redraw requested", "repeat confirmed on same specimen", "previous value 4.9 on ",
                            "delta check failed"])
        w.t("Comment: ", comment)
        if comment.endswith("on "):
            w.d(c.dlong(when - timedelta(days=r.randrange(1, 30))))
        w.t("\n")
    else:  # narrative lines
        name, val, unit = r.choice(tests[:8])
        w.t(f"Critical {name} {val} {unit}".rstrip(), " called to and read back by ")
        _rn(w, c, rn).t(f" at {_time(r, True)} on ").d(c.dlong(when)).t(". Called by ")
        _x(w, c, tech, form=r.choice(["full", "given", "family", "init"]), cue=r.choice(["lab tech ", "MLS ", "tech "]))
        w.t(" from ").p(lab, "HOSPITAL", "home").t(" (").p(c.ext(), "PHONE", "home-lab").t("), accession ").p(acc, "MRN", f"acc:{acc}").t(".\n")
        w.t("Provider notified: ")
        _doc(w, c, doc).t(f" paged {_time(r)}, call back {_time(r)}. Orders rec'd: ",
                          r.choice(["kayexalate 15 g PO, insulin/D50, repeat BMP in 2h", "2 units PRBC, type and cross",
                                    "hold warfarin, vit K 2.5 mg PO", "D50 1 amp IV, recheck FS in 15 min"]), ".\n")
        if ident.relatives and r.random() < 0.5:
            rel = r.choice(ident.relatives)
            w.t("Pt's ")
            _gphone(_rel(w, c, ident, rel).t(" at bedside, updated. Reachable "), c, ident, rel.phone).t(".\n")
        w.t("-- ")
        _rn(w, c, rn).t("\n")
    return w


INTERP = {  # language -> (population, phrases the patient or family said)
    "Spanish": ("es_MX", ("me duele mucho aqui", "no he tomado la pastilla desde el lunes", "tengo mucho mareo en la manana",
                          "mi hija me ayuda con las medicinas", "no tengo seguro")),
    "Salvadoran Spanish": ("es_ES", ("me arde al orinar", "ya no aguanto el dolor", "no entiendo los papeles")),
    "Vietnamese": ("vi_VN", ("toi bi dau bung", "toi khong ngu duoc", "con gai toi biet tieng Anh", "dau dau qua")),
    "Mandarin": ("zh_CN", ("wo tou teng", "wo bu shufu", "xiexie yisheng")),
    "Cantonese": ("zh_TW", ("ngo tou tung", "m goi", "sik jo faan mei")),
    "Korean": ("ko", ("apayo", "gamsahamnida", "yak-eul mot meogeosseoyo")),
    "Arabic": ("ar", ("alhamdulillah", "inshallah", "ana ta'baan", "fi waja' hon")),
    "Haitian Creole": ("ht", ("mwen gen doule", "tet mwen fe mal", "mesi anpil", "mwen pa konprann")),
    "Tagalog": ("tl", ("masakit po", "salamat po", "nahihilo ako")),
    "Somali": ("so", ("waan xanuunsanayaa", "mahadsanid", "madaxa ayaa i xanuunaya")),
    "Portuguese": ("pt_BR", ("estou com muita dor", "obrigada doutora", "nao consigo dormir")),
    "Punjabi": ("en_IN", ("sat sri akal", "dard ho reha", "mainu chakkar aunde")),
    "Yoruba": ("yo", ("e se", "ori mi n dun mi", "ara mi o ya")),
}


def interpreter_visit(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    lang = r.choice(sorted(INTERP))
    loc, phrases = INTERP[lang]
    mode = r.choice(["in-person", "video (VRI)", "telephonic", "in-person staff"])
    interp = c.person(loc if r.random() < 0.75 else "en_US")
    iid = c.num(lambda q: q.choice([f"{q.randrange(100000, 999999)}", f"ID#{q.randrange(200000, 899999)}",
                                    f"{q.choice('IV')}{q.randrange(10000, 99999)}"]))
    doc = r.choice(_staff(staff, "attending") + _staff(staff, "resident"))
    fam_role = r.choice(["son", "daughter", "niece", "nephew", "grandson", "granddaughter", "brother-in-law", "neighbor"])
    fam = c.person(loc, "f" if fam_role in ("daughter", "niece", "granddaughter") else "m" if fam_role != "neighbor" else None)
    if r.random() < 0.4:
        w.t("Interpreter: ", mode, ", ", lang, ". Name: ")
        _x(w, c, interp, form=r.choice(["full", "init"])).t("  ID: ").p(iid, "MRN", f"iid:{iid}").t("\n")
        w.t("Pt's preferred language: ", lang, ". Interpreter used for entire visit incl. consent and AVS.\n\n")
    else:
        w.t(f"Visit conducted with the assistance of {'an' if mode[0] == 'i' else 'a'} {mode} {lang} interpreter, ")
        _x(w, c, interp, form=r.choice(["full", "full", "given"]), cue=r.choice(["", "", "interpreter "]))
        w.t(" (").p(iid, "MRN", f"iid:{iid}").t(").\n")
    w.t("S: ")
    _pt(w, c, ident).t(f" is {'an' if str(ident.stated_age)[0] == '8' else 'a'} {ident.stated_age} y/o {'F' if ident.sex == 'female' else 'M'} here for f/u of ",
                       r.choice(["DM2", "HTN and HLD", "chronic low back pain", "abdominal pain", "depression", "CKD 3"]), ". ")
    w.t(f"Pt states \"{r.choice(phrases)}\" ({r.choice(['per interpreter', 'as interpreted'])}). ")
    w.t(f"Pt's {fam_role} ")
    _x(w, c, fam, "RELATIVE", form=r.choice(["full", "given"]), cue="")
    w.t(" initially translating; ", r.choice(["offered and pt accepted professional interpreter",
                                              "family declined professional interpreter, documented",
                                              "per policy minor not used to interpret"]), ". ")
    if ident.relatives and r.random() < 0.6:
        rel = r.choice(ident.relatives)
        w.t("Also present: ")
        _rel(w, c, ident, rel).t(". ")
    w.t("\n")
    if r.random() < 0.6:
        town, o = c.abroad_town(loc if loc in ABROAD else "es_MX")
        w.t("SH: born in ").p(town, "LOCATION", o).t(f", came to US {r.choice(['as a teen', 'in the 1990s', 'recently', 'with her children', 'after the war'])}. ")
        age = _old_age(ident, r)
        if age:
            parent = r.choice(["mother", "father"])
            if r.random() < 0.5:
                w.t("Has a ").d(f"{age}-year-old").t(f" {parent} who still lives there. ")
            else:
                w.t(f"{parent.capitalize()} is ").d(f"{age} years old").t(" and still lives there. ")
        emp, eo = c.employer()
        w.t("Works at ").p(emp, "LOCATION", eo).t(". ")
        w.t("\n")
    w.t("A/P: ", r.choice(["A1c 8.9 - increase metformin, teach-back done with interpreter",
                           "BP uncontrolled, start amlodipine 5 mg, pt repeated instructions back",
                           "refer to GI, labs today", "PHQ-9 16, start sertraline, safety plan reviewed"]), ".\n")
    w.t("RTC ").d(c.dlong(when + timedelta(days=r.randrange(14, 90)))).t(". Interpreter line: ").p(c.phone(), "PHONE", f"il:{interp.full}").t("\n")
    w.t("Total interpreter time ", str(r.randrange(15, 55)), " min.\n")
    _doc(w, c, doc)
    return w.t("\n")


def fax_referral(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    clinic, co = c.clinic()
    fax, tel = c.phone(), c.phone()
    ref = c.person(_pop(r))
    sent = when - timedelta(days=r.randrange(1, 20))
    pages = r.randrange(2, 9)
    w.d(r.choice([f"{sent:%m/%d/%Y}", f"{sent:%b-%d-%Y}", f"{sent:%m/%d/%y}"])).t(f" {_time(r, True)}")
    w.t("    FROM: ").p(fax, "PHONE", f"fax:{clinic}").t("    ").p(clinic.upper(), "HOSPITAL", co)
    w.t(f"    P. {r.randrange(1, pages):03d}/{pages:03d}\n")
    w.t("FAX COVER SHEET\nTo: ").p(r.choice([c.main, c.acr, c.health]), "HOSPITAL", "home").t(" - ", r.choice(["Cardiology", "GI", "Neurology", "Ortho", "Referral Office"]))
    w.t("   Fax: ").p(c.phone(), "PHONE", "home-fax").t("\nFrom: ")
    _x(w, c, ref, form=r.choice(["full", "init"])).t(", ", r.choice(["MD", "DO", "PA-C", "FNP-C"]), "  Tel: ").p(tel, "PHONE", f"tel:{clinic}")
    w.t("\nCONFIDENTIALITY NOTICE: this facsimile contains privileged health information intended only for the recipient named above.\n\n")
    w.ocr, w.wrap = r.choice([0.08, 0.15, 0.25]), r.choice([0.0, 0.05, 0.09])
    w.t("REFERRAL FOR CONSULTATION\n")
    w.t("Patient name: ")
    _pt(w, c, ident, r.choice(["LF", "FULL", "full"])).t("   DOB: ")
    _dob(w, c, ident).t("\nAddress: ")
    _gphone(_addr(w, c, ident).t("\nPhone: "), c, ident, ident.phone)
    w.t("   Chart #: ").p(c.digits(r.choice([6, 7, 8])), "MRN", f"chart:{ident.mrn}").t("\n")
    w.t("Insurance: ", ident.insurer, "  ID ").p(ident.insurance_id, "INSURANCE", c.po(ident)).t("\n")
    w.t("Reason for referral: ", r.choice(["palpitations and abnormal holter", "iron deficiency anemia, needs colonoscopy",
                                           "new onset seizures", "right knee pain, failed conservative management",
                                           "elevated liver enzymes"]), ". ")
    w.t("Patient was seen in our office on ").d(c.dlong(sent - timedelta(days=r.randrange(1, 40))))
    w.t(" and the patient has been having these symptoms for several months. Medication list and recent labs attached. ")
    w.t("Please see patient at your earliest convenience and send consultation report back to our office.\n")
    w.t("Referring provider NPI: ").p(c.npi(), "MRN", f"npi:{ref.full}").t("\n")
    w.t("Office address: ").p(c.street(), "ADDRESS", co).t(", ")
    town, st, to = c.us_town()
    w.p(c.town_value(town, st, to), "LOCATION", to).t("\n")
    w.ocr = w.wrap = 0.0
    w.t(f"\n[scanned document - {pages} pages - indexed by HIM ")
    w.d(c.dlong(when)).t("]\n")
    return w


def _hl7_name(w: W, c: Ctx, family: str, given: str, kind: str, owner: str) -> W:
    """``FAMILY^GIVEN`` as two values when each is free to plant by itself, else as one."""
    fam, giv = family.upper(), given.upper()
    if c.can_bare(fam, owner) and c.can_bare(giv, owner):
        return w.p(fam, kind, owner).t("^").p(giv, kind, owner)
    if _atomic(fam) or _atomic(giv) or c.rng.random() < 0.5:
        return w.p(f"{fam}^{giv}", kind, owner)
    return w.p(fam, kind, owner).t("^").p(giv, kind, owner)


def hl7_log(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    o = c.po(ident)
    fac = r.choice([c.acr, c.racr])
    sender, so = c.clinic()
    ts = f"{when:%Y%m%d}{r.randrange(24):02d}{r.randrange(60):02d}"
    ctrl = f"{r.randrange(10**7, 10**8)}"
    level = r.choice(["ERROR", "WARN", "ERROR"])
    w.d(when.isoformat()).t(f" {_time(r, True)}:{r.randrange(60):02d},{r.randrange(1000):03d} {level} [", r.choice(["ADT-IN", "ORU-IN", "ORM-OUT"]),
                             "] ", r.choice(["AE: PID-7 date/time invalid", "AR: unknown patient class in PV1-2",
                                             "AE: duplicate MRN, manual merge required", "AE: OBR-16 ordering provider not found in master file",
                                             "mapping failure NK1-3 relationship code"]), "\n")
    w.t("Raw message (control id ", ctrl, "):\n")
    w.t("MSH|^~\\&|", r.choice(["EPIC", "CERNER", "MEDITECH", "ATHENA", "LABCORP"]), "|").p(sender.upper(), "HOSPITAL", so)
    w.t("|ADT|").p(fac, "HOSPITAL", "home").t("|").d(ts).t(f"||ADT^A0{r.choice([1, 4, 8])}|{ctrl}|P|2.5.1\r\n")
    w.t("PID|1||").p(ident.mrn, "MRN", o).t("^^^").p(fac, "HOSPITAL", "home").t("^MR~")
    w.p(c.digits(9), "MRN", f"ext:{ident.mrn}").t("^^^EXT^PI||")
    _hl7_name(w, c, ident.family, ident.given, "PATIENT", o).t(f"^{r.choice('ABCDEJMRS')}||")
    w.d(f"{ident.birth_date:%Y%m%d}").t(f"|{'F' if ident.sex == 'female' else 'M'}|||")
    if c.fits(ident.address.upper(), o):
        w.p(ident.address.upper(), "ADDRESS", o)
    w.t("^^")
    city = ident.city.upper()
    if c.admit(city, o):
        w.p(city, "ADDRESS", o).t("^")
    else:
        w.t("^")
    w.p(f"{ident.state}^{ident.zip}", "ADDRESS", o) if c.fits(f"{ident.state}^{ident.zip}", o) else w.t(ident.state)
    ph = re.sub(r"\D", "", ident.phone)
    w.t("^USA||")
    if r.random() < 0.5:
        w.p(f"({ph[:3]}){ph[3:6]}-{ph[6:]}", "PHONE", o)
    else:
        w.t("^PRN^PH^^1^").p(f"{ph[:3]}^{ph[3:]}", "PHONE", o)
    w.t("|||||||\r\n")
    if ident.relatives:
        rel = r.choice(ident.relatives)
        w.t("NK1|1|")
        _hl7_name(w, c, rel.family, rel.given, "RELATIVE", o)
        code = {"wife": "SPO", "husband": "SPO", "daughter": "CHD", "son": "CHD"}.get(rel.role, "OTH")
        _gphone(w.t(f"|{code}^{rel.role.upper()}|"), c, ident, rel.phone).t("\r\n")
    doc = r.choice(_staff(staff, "attending"))
    npi = c.npi()
    w.t(f"PV1|1|{r.choice('IEO')}|{r.choice(['5W', 'ICU', 'ED', 'L&D'])}^{r.randrange(100, 999)}^{r.randrange(1, 3):02d}^").p(fac, "HOSPITAL", "home").t("||||")
    w.p(npi, "MRN", f"npi:{doc.full}").t("^")
    _hl7_name(w, c, doc.family, doc.given, "PROVIDER", c.so(doc)).t("^^^MD|||||||||||")
    w.p(c.digits(8), "MRN", f"visit:{ident.mrn}").t("\r\n")
    if r.random() < 0.6:
        ordp = c.person(_pop(r))
        acc = c.num(lambda q: f"{q.choice('LMR')}{q.randrange(10**7, 10**8)}")
        w.t("OBR|1|").p(acc, "MRN", f"acc:{acc}").t(f"||{r.choice(['80053^CMP', '85025^CBC', '83036^HBA1C', '84443^TSH'])}|||")
        w.d(ts).t("||||||||")
        w.p(c.npi(), "MRN", f"npi:{ordp.full}").t("^")
        _hl7_name(w, c, ordp.family, ordp.given, "PROVIDER", ordp.owner).t("\r\n")
    if r.random() < 0.7:
        w.t("IN1|1|", r.choice(["MCD", "BCBS", "AETNA", "UHC"]), "|", str(r.randrange(1000, 9999)), "|", ident.insurer.upper(), "||||||||||||")
        w.p(ident.insurance_id, "INSURANCE", o).t("\r\n")
    w.t(f"{level}: message {ctrl} placed in error queue; ", r.choice(["retry 3 of 3 failed", "routed to HIM work queue",
                                                                       "analyst notified"]), ".\n")
    if r.random() < 0.5:
        analyst = c.person(_pop(r))
        w.t("Resolved by ")
        _x(w, c, analyst, form=r.choice(["full", "init"]))
        w.t(" (").p(c.email(analyst.given, analyst.family, c.domain), "EMAIL", analyst.owner).t(") on ").d(c.dlong(when + timedelta(days=r.randrange(0, 3)))).t("\n")
    return w


MEDS = ("metformin 1000 mg BID", "lisinopril 20 mg daily", "atorvastatin 40 mg qhs", "amlodipine 10 mg daily",
        "insulin glargine 24 units qhs", "levothyroxine 75 mcg daily", "sertraline 100 mg daily", "gabapentin 300 mg TID",
        "apixaban 5 mg BID", "metoprolol succinate 50 mg daily", "omeprazole 20 mg daily", "albuterol HFA 2 puffs q4h prn",
        "hydrochlorothiazide 25 mg daily", "oxycodone 5 mg q6h prn", "buprenorphine-naloxone 8-2 mg SL daily",
        "furosemide 40 mg daily", "tamsulosin 0.4 mg qhs", "losartan 50 mg daily")


def med_rec(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    o = c.po(ident)
    prescribers = [c.person(_pop(r)) for _ in range(r.randrange(2, 4))]
    pharms = [c.pharmacy() for _ in range(r.randrange(1, 3))]
    w.t(r.choice(["MEDICATION RECONCILIATION", "Admission Medication History", "Med Rec - Pharmacy Technician"]), "\n")
    w.t("Patient: ")
    _pt(w, c, ident, r.choice(["lf", "full", "LF"])).t("  MRN ").p(ident.mrn, "MRN", o).t("  Date: ").d(c.dlong(when)).t("\n")
    w.t("Sources: ", r.choice(["pt interview", "pill bottles", "outside pharmacy fill history", "Surescripts"]))
    if ident.relatives:
        rel = r.choice(ident.relatives)
        w.t(", ")
        how = r.choice([" (brought bag of meds)", " by phone ", " at bedside"])
        _rel(w, c, ident, rel).t(how)
        if how == " by phone ":
            _gphone(w, c, ident, rel.phone)
    w.t("\n\n")
    w.t("Medication".ljust(36), "| Prescriber".ljust(26), "| Pharmacy".ljust(24), r.choice(["| Last fill\n", "| Last filled\n"]))
    for med in r.sample(MEDS, r.randrange(3, 6)):
        x = r.choice(prescribers)
        ph, pho = r.choice(pharms)
        w.t(med.ljust(36), "| ")
        _x(w, c, x, form=r.choice(["full", "init", "family"]), cue="Dr. " if r.random() < 0.4 else "")
        w.t(" | ").p(ph, "HOSPITAL", pho).t(" | ").d(c.dlong(when - timedelta(days=r.randrange(3, 120)))).t("\n")
    w.t("\nPrescriber directory:\n")
    for x in prescribers:
        w.t("  ")
        _x(w, c, x, form="lf")
        w.t("  NPI ").p(c.npi(), "MRN", f"npi:{x.full}")
        if r.random() < 0.5:
            w.t("  DEA ").p(c.dea(x.family), "MRN", f"dea:{x.full}")
        w.t("  ph ").p(c.phone(), "PHONE", f"ph:{x.full}").t("\n")
    ph, pho = pharms[0]
    w.t("Preferred pharmacy: ").p(ph, "HOSPITAL", pho).t(", ").p(c.street(), "ADDRESS", pho).t(", ")
    town, st, to = c.us_town()
    w.p(c.town_value(town, st, to), "LOCATION", to).t("  ").p(c.phone(), "PHONE", f"tel:{ph}").t("  Fax ").p(c.phone(), "PHONE", f"fax:{ph}").t("\n")
    pharmacist = c.person(_pop(r))
    w.t("Spoke with pharmacist ")
    _x(w, c, pharmacist, form=r.choice(["full", "given"]), cue="")
    about = r.choice(["last fill of oxycodone (PDMP reviewed, no early fills)", "apixaban dose, confirmed 5 mg BID",
                      "pt has not picked up insulin since ", "duplicate statin from two prescribers"])
    w.t(" re: ", about)
    if about.endswith("since "):
        w.d(c.dlong(when - timedelta(days=r.randrange(30, 90))))
    w.t(". Rx #").p(c.digits(r.choice([7, 8])), "MRN", "rx").t("\n")
    tech = r.choice(_staff(staff, "nurse"))
    w.t("Completed by ")
    _rn(w, c, tech, r.choice(["CPhT", "PharmD", "RN"]))
    return w.t("\n")


def safety_event(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    o = c.po(ident)
    rep = c.num(lambda q: q.choice([f"PSE-{when.year}-{q.randrange(10000, 99999):06d}", f"IR{q.randrange(100000, 999999)}",
                                    f"{q.randrange(10**6, 10**7)}"]))
    nurse = r.choice(_staff(staff, "nurse"))
    doc = r.choice(_staff(staff, "attending") + _staff(staff, "resident"))
    pca, guard, sup = c.person(_pop(r)), c.person(_pop(r)), c.person(_pop(r))
    badge = c.num(lambda q: q.choice([f"{q.randrange(100000, 999999)}", f"S-{q.randrange(10000, 99999)}", f"#{q.randrange(100000, 999999)}"]))
    kind = r.choice(["Fall", "Medication error", "Workplace violence", "Elopement", "Pressure injury", "Patient property lost"])
    table = r.random() < 0.5
    w.t("PATIENT SAFETY EVENT REPORT" if table else "Safety event report (confidential - peer review / patient safety work product)", "\n")
    lines: list[tuple[str, Callable[[], W]]] = [
        ("Report #", lambda: w.p(rep, "MRN", f"rep:{rep}")),
        ("Event date", lambda: w.d(c.dlong(when)).t(f"  {_time(r)}")),
        ("Facility", lambda: w.p(c.home(), "HOSPITAL", "home")),
        ("Location", lambda: w.t(f"{r.choice(['5 West', '4 North', 'MICU', 'ED Pod B', 'Behavioral Health', 'Tele 3'])} Rm {r.randrange(100, 999)}{r.choice('AB')}")),
        ("Event type", lambda: w.t(kind)),
        ("Patient", lambda: _pt(w, c, ident, r.choice(["lf", "full"])).t("  MRN ").p(ident.mrn, "MRN", o)),
        ("Reported by", lambda: _rn(w, c, nurse)),
    ]
    for label, fn in lines:
        w.t(f"{label}: " if not table else f"{label:<14}| ")
        fn()
        w.t("\n")
    w.t("\nDescription: ")
    if kind == "Fall":
        w.t("Pt found on floor next to bed at ", _time(r), ", bed alarm was not on. PCA ")
        _x(w, c, pca, form=r.choice(["full", "given"]))
        w.t(" assisted pt back to bed with lift. No LOC per pt. ")
    elif kind == "Workplace violence":
        w.t("Visitor became verbally aggressive toward staff and struck PCA ")
        _x(w, c, pca, form="full")
        w.t(" on the arm. Security officer ")
        _x(w, c, guard, form=r.choice(["full", "family"]), cue="")
        w.t(" (badge ").p(badge, "MRN", guard.owner).t(") responded and escorted visitor off unit. ")
    elif kind == "Elopement":
        w.t("Pt on elopement precautions left unit at ", _time(r), ". Code Gray called. Found by security officer ")
        _x(w, c, guard, form="full")
        w.t(", badge ").p(badge, "MRN", guard.owner).t(", at the ", r.choice(["parking garage", "bus stop", "main lobby"]), ". ")
    else:
        w.t({"Medication error": "Wrong dose of heparin hung, identified at shift handoff; pump stopped.",
             "Pressure injury": "Stage 2 sacral pressure injury noted on admission skin check; not present on arrival per ED note.",
             "Patient property lost": "Pt's hearing aids and cell phone missing after transfer from ED."}[kind], " ")
        w.t("Witness: ")
        _x(w, c, pca, form="full")
        w.t(". ")
    if ident.relatives and r.random() < 0.6:
        rel = r.choice(ident.relatives)
        w.t("Family (")
        _gphone(_rel(w, c, ident, rel).t(") notified by phone "), c, ident, rel.phone).t(" at ", _time(r), ". ")
    w.t("\n\nNotified: ")
    _doc(w, c, doc).t(", house supervisor ")
    _x(w, c, sup, form=r.choice(["full", "init"]))
    w.t(" (").p(c.ext(), "PHONE", sup.owner).t(").\n")
    w.t("Harm level: ", r.choice(["no harm", "minor harm", "near miss", "temporary harm"]), ". Risk management contacted ").p(c.ext(), "PHONE", "home-risk").t(".\n")
    return w


def research_consent(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    coord, pi, witness = c.person(_pop(r)), c.person(_pop(r)), c.person(_pop(r))
    study = r.choice(["A Randomized Trial of Intensive Blood Pressure Control in Older Adults",
                      "Community Health Worker Support for Diabetes Self-Management",
                      "Biobank and Genomic Research Registry", "Phase II Study of an Oral GLP-1 Agonist",
                      "Long-Term Outcomes after COVID-19 Hospitalization"])
    subj = c.num(lambda q: q.choice([f"{q.choice(['BP', 'CHW', 'BIO', 'GLP', 'LTC'])}-{q.randrange(100, 999)}-{q.randrange(1000, 9999)}",
                                     f"{q.randrange(10, 99)}-{q.randrange(10000, 99999)}", f"S{q.randrange(100000, 999999)}"]))
    w.t("RESEARCH NOTE - INFORMED CONSENT\n" if r.random() < 0.5 else "Research: consent / enrollment\n")
    w.t(f"Study: {study}\nIRB protocol #", f"{when.year - r.randrange(0, 3)}-{r.randrange(100, 999)}", f"   Sponsor: {r.choice(['NIH', 'NHLBI', 'industry', 'PCORI'])}\n")
    w.t("PI: ")
    _x(w, c, pi, form=r.choice(["full", "lf"]), cue="Dr. " if r.random() < 0.5 else "")
    w.t("   Coordinator: ")
    _x(w, c, coord, form="full")
    w.t(", ").p(c.phone(), "PHONE", coord.owner).t(", ").p(c.email(coord.given, coord.family, c.domain), "EMAIL", coord.owner).t("\n\n")
    w.t("Potential participant ")
    _pt(w, c, ident, r.choice(["full", "title", "given"])).t(" was approached in ", r.choice(["clinic", "the infusion center", "the ED", "her room" if ident.sex == "female" else "his room"]))
    w.t(" on ").d(c.dlong(when)).t(". ")
    w.t("The consent form (version dated ").d(c.dlong(when - timedelta(days=r.randrange(60, 400)))).t(") was reviewed ")
    lar = r.random() < 0.35 and ident.relatives
    if lar:
        rel = r.choice(ident.relatives)
        w.t("with the legally authorized representative, ")
        _rel(w, c, ident, rel, full=True).t(", as the patient lacks capacity to consent. ")
    else:
        w.t("in ", r.choice(["English", "Spanish (short form + interpreter)", "Vietnamese (translated ICF)"]), ". ")
    w.t("All questions answered; participant verbalized understanding of risks, voluntary participation and right to withdraw. ")
    w.t("Copy of signed consent given. HIPAA authorization signed.\n")
    w.t("Subject ID assigned: ").p(subj, "MRN", f"subj:{subj}").t("\n")
    w.t("Witness: ")
    _x(w, c, witness, form=r.choice(["full", "init"]))
    w.t(f"   Signed at {_time(r, True)}\n")
    w.t("Randomized to arm ", r.choice("AB"), ". Next study visit ").d(c.dlong(when + timedelta(days=r.randrange(7, 60)))).t(". Stipend $", str(r.choice([25, 40, 50])), " card given.\n")
    w.t("-- ")
    _x(w, c, coord, form=r.choice(["full", "init"]))
    w.t(", ", r.choice(["CCRP", "RN, BSN", "MPH"]), "\n")
    return w


def custody(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    county = r.choice(COUNTIES)
    agency, ago = c.pick([lambda: f"{county} County Sheriff's Office", lambda: f"{county} County Sheriff",
                          lambda: f"{c.us_town()[0]} Police Department", lambda: f"{c.us_town()[0]} PD",
                          lambda: "State Police Troop " + r.choice("ABCDEFGK")], "ag")
    jail, jo = c.pick([lambda: f"{county} County Detention Center", lambda: f"{county} County Jail",
                       lambda: f"{county} County Correctional Facility", lambda: f"{c.us_town()[0]} Correctional Institution",
                       lambda: f"{c.surname()} Unit"], "jail")
    officers = [c.person(r.choice(["en_US", "en_US", "es_MX", "en_US", "vi_VN", "ko"])) for _ in range(r.randrange(1, 3))]
    booking = c.num(lambda q: q.choice([f"{when.year}-{q.randrange(100000, 999999)}", f"BK{q.randrange(10**6, 10**7)}",
                                        f"{q.randrange(10**7, 10**8)}"]))
    inmate = c.num(lambda q: q.choice([f"{q.randrange(100000, 999999)}", f"#{q.randrange(1000000, 9999999)}",
                                       f"{q.choice('ABCDKT')}{q.randrange(10000, 99999)}"]))
    caps = w.caps
    w.t("ED PROVIDER NOTE - PATIENT IN CUSTODY\n" if not caps else "ED NOTE - IN CUSTODY\n")
    _pt(w, c, ident, r.choice(["full", "LF", "lf"])).t(f", {ident.stated_age} y/o, brought in by ")
    how = r.choice(["after arrest for", "from", "for medical clearance from"])
    w.p(agency, "LOCATION", ago).t(f" {how} ")
    if how.endswith("for"):
        w.t(r.choice(["DUI", "outstanding warrant", "assault", "trespass"]), ". ")
    else:
        w.p(jail, "LOCATION", jo).t(". ")
    w.t("Booking #").p(booking, "MRN", f"bk:{booking}").t(", inmate ID ").p(inmate, "MRN", f"in:{inmate}").t(".\n")
    w.t("Officers present: ")
    for k, off in enumerate(officers):
        if k:
            w.t("; ")
        rank = r.choice(["Officer", "Ofc.", "Deputy", "Sgt.", "Cpl.", "Trooper"])
        if r.random() < 0.5:
            w.nm(f"{rank} ", off.family, "PROVIDER", off.owner)
        else:
            w.t(f"{rank} ").p(off.full, "PROVIDER", off.owner)
        w.t(", badge ").p(c.num(lambda q: q.choice([f"{q.randrange(100000, 999999)}", f"#{q.randrange(10000, 99999)}", f"D-{q.randrange(10000, 99999)}"])),
                          "MRN", off.owner)
    w.t(". Pt in handcuffs / leg restraints per custody, officers remained at bedside; exam performed with officer outside curtain at pt's request.\n")
    hpi = r.choice(["Pt reports swallowing a bag of unknown substance when stopped", "Tased x1 in the back, barbs removed in field",
                    "c/o chest pain after altercation during arrest", "Last drink this morning, now tremulous, hx of DTs",
                    "Missed insulin doses since arrest on "])
    w.t("HPI: ", hpi)
    if hpi.endswith("on "):
        w.d(c.dlong(when - timedelta(days=r.randrange(1, 5))))
    w.t(". Denies SI. Home meds per jail MAR faxed from ")
    w.p(jail, "LOCATION", jo).t(" medical unit, ph ").p(c.phone(), "PHONE", jo).t(".\n")
    if ident.relatives and r.random() < 0.5:
        rel = r.choice(ident.relatives)
        w.t("Pt requests we call ")
        _gphone(_rel(w, c, ident, rel).t(" at "), c, ident, rel.phone).t("; per custody policy information not released.\n")
    w.t("Dispo: medically cleared for incarceration ").d(c.dlong(when)).t(f" {_time(r)}. Discharge instructions given to ")
    off = officers[0]
    w.nm("Officer ", off.family, "PROVIDER", off.owner)
    w.t(" for jail medical. F/u with ", r.choice(["jail clinic", "the detention center nurse", "PCP after release"]), ".\n")
    doc = r.choice(_staff(staff, "attending"))
    _doc(w, c, doc)
    return w.t("\n")


def va_note(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    branch = r.choice(["Army", "Marine Corps", "Navy", "Air Force", "Army National Guard", "Coast Guard"])
    vamc, vo = c.pick([lambda: f"{c.us_town()[0]} VA Medical Center", lambda: f"{c.person('en_US').full} VA Medical Center",
                       lambda: f"VA {c.us_town()[0]} Health Care System", lambda: f"{c.us_town()[0]} VAMC"], "va")
    cboc, cbo = c.pick([lambda: f"{c.us_town()[0]} CBOC", lambda: f"{c.us_town()[0]} VA Clinic"], "va")
    town, st, to = c.us_town()
    base, bo = c.pick([lambda: r.choice(BASES)], "base")
    dep, do = c.pick([lambda: r.choice(DEPLOYMENTS)], "dep")

    def make_unit() -> str:
        if branch in ("Navy", "Coast Guard"):
            return r.choice(SHIPS) if branch == "Navy" else f"USCGC {r.choice(['Escanaba', 'Tahoma', 'Dependable', 'Vigilant', 'Mohawk'])}"
        if branch == "Air Force":
            return f"{_nth(r.randrange(1, 500))} {r.choice(['Fighter Wing', 'Security Forces Squadron', 'Airlift Wing', 'Medical Group'])}"
        if branch == "Marine Corps":
            return r.choice([d for d in DIVISIONS if "Marine" in d] + [f"{_nth(r.randrange(1, 4))} Battalion, {_nth(r.randrange(1, 12))} Marines"])
        if r.random() < 0.5:
            return r.choice([d for d in DIVISIONS if "Marine" not in d])
        return f"{_nth(r.randrange(1, 9))} Battalion, {_nth(r.randrange(1, 30))} {r.choice([g for g in REGIMENTS if g != 'Marines'])}"

    unit, uo = c.pick([make_unit], "unit")
    lo = max(1962, ident.birth_date.year + 18)
    start = r.randrange(lo, max(lo + 1, min(when.year - 2, ident.birth_date.year + 30)))
    end = min(when.year, start + r.randrange(2, 22))
    w.t("VA PRIMARY CARE / PACT NOTE\n" if r.random() < 0.5 else "LOCAL TITLE: PRIMARY CARE NOTE\nSTANDARD TITLE: PRIMARY CARE NOTE\n")
    w.t("VISIT: ").d(c.dlong(when)).t(f"@{_time(r, False)}  LOCATION: ")
    w.p(*_kind(r.choice([(vamc, vo), (cboc, cbo)]), "HOSPITAL"))
    w.t("\nPATIENT: ")
    _pt(w, c, ident, "LF").t("   DOB: ")
    _dob(w, c, ident).t("\nDoD ID: ").p(c.digits(10), "MRN", f"dod:{ident.mrn}").t("  ICN: ").p(c.num(lambda q: f"{q.randrange(10**9, 10**10)}V{q.randrange(100000, 999999)}"), "MRN", f"icn:{ident.mrn}").t("\n\n")
    w.t(f"{ident.stated_age} y/o {'female' if ident.sex == 'female' else 'male'} {branch} veteran, service ")
    w.d(f"{start}-{end}").t(", served with ").p(unit, "LOCATION", uo)
    w.t(", stationed at ").p(base, "LOCATION", bo).t(", deployed to ").p(dep, "LOCATION", do).t(". ")
    w.t(r.choice(["Service connected 70% (PTSD, tinnitus).", "SC 30% for lumbar strain.", "Not service connected; Priority Group 5.",
                  "Agent Orange exposure registry.", "Burn pit registry completed."]), "\n")
    if r.random() < 0.6:
        buddy = c.person(_pop(r))
        w.t("SH: lives with ")
        if ident.relatives:
            _rel(w, c, ident, ident.relatives[0])
        else:
            w.t("roommate")
        w.t(" in ").p(c.town_value(town, st, to), "LOCATION", to)
        w.t(". Stays in touch with battle buddy ")
        _x(w, c, buddy, "RELATIVE", form=r.choice(["full", "given"]), cue="")
        w.t(r.choice([" who drove him today.", " (also a veteran).", "."]), " ")
        age = _old_age(ident, r)
        if age:
            w.t("Father, also a veteran, is ").d(f"{age} years old").t(". ")
        w.t("\n")
    w.t("SCREENS: PC-PTSD-5 ", str(r.randrange(0, 6)), "/5, AUDIT-C ", str(r.randrange(0, 12)), ", C-SSRS neg. MST screen neg.\n")
    w.t("PLAN: ", r.choice(["refer to PCT at ", "community care consult (MISSION Act) to ", "audiology at ", "sleep study at "]))
    if r.random() < 0.4:
        w.p(c.regional, "HOSPITAL", "home")
    else:
        w.p(vamc, "HOSPITAL", vo)
    w.t(". Veterans Crisis Line 988 press 1 reviewed. RTC ").d(c.dlong(when + timedelta(days=r.randrange(30, 180)))).t(".\n")
    vso = c.person(_pop(r))
    if r.random() < 0.5:
        w.t("Pt working with VSO rep ")
        _x(w, c, vso, form="full")
        w.t(" (").p(c.phone(), "PHONE", vso.owner).t(") on claim.\n")
    doc = r.choice(_staff(staff, "attending"))
    w.t("/es/ ")
    w.p(f"{doc.given.upper()} {doc.family.upper()}", "PROVIDER", c.so(doc)).t("\n", r.choice(["STAFF PHYSICIAN", "PACT PROVIDER"]), "\nSigned: ")
    return w.d(f"{when:%m/%d/%Y}").t(f"@{_time(r, False)}\n")


def school_form(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    o = c.po(ident)
    nurse = c.person(_pop(r))
    doc = r.choice(_staff(staff, "attending") + _staff(staff, "resident"))
    athlete = ident.stated_age <= 26
    w.t(r.choice(["PREPARTICIPATION PHYSICAL EVALUATION", "Pre-Participation Physical Examination (PPE)"] if athlete else
                 ["HEALTH EXAMINATION FORM", "CERTIFICATE OF HEALTH EXAMINATION", "Pre-employment health clearance"]), "\n")
    if athlete:
        college, co = c.pick([lambda: f"{c.us_town()[0]} Community College", lambda: f"{c.surname()} College",
                              lambda: f"{c.us_town()[0]} State University", lambda: f"University of {c.us_town()[0]}"], "sch")
        coach, trainer = c.person(_pop(r)), c.person(_pop(r))
        w.t("Name: ")
        _pt(w, c, ident, r.choice(["lf", "full"])).t("   DOB: ")
        _dob(w, c, ident).t(f"   Age: {ident.stated_age}\n")
        w.t("School: ").p(college, "LOCATION", co).t("   Student ID: ").p(c.num(lambda q: q.choice([f"{q.randrange(10**7, 10**8)}", f"A{q.randrange(10**7, 10**8)}"])), "MRN", f"sid:{ident.mrn}").t("\n")
        w.t(f"Sport(s): {r.choice(['soccer', 'basketball', 'track', 'wrestling', 'volleyball', 'football'])}   Head coach: ")
        _x(w, c, coach, form=r.choice(["full", "family"]), cue="Coach " if r.random() < 0.5 else "")
        w.t("\nAthletic trainer: ")
        _x(w, c, trainer, form="full")
        w.t(", ATC  ").p(c.phone(), "PHONE", trainer.owner).t("\n")
    else:
        school, so = c.pick([lambda: f"{c.surname()} Elementary School", lambda: f"{c.us_town()[0]} High School",
                             lambda: f"{c.person(_pop(r)).full} Middle School", lambda: f"{c.us_town()[0]} Head Start",
                             lambda: f"{c.surname()} Family Child Care", lambda: f"{c.us_town()[0]} Unified School District"], "sch")
        w.t("School / child care EMPLOYEE health clearance\nEmployee: ")
        _pt(w, c, ident, r.choice(["lf", "full", "LF"])).t("   DOB: ")
        _dob(w, c, ident).t("\nPosition: ", r.choice(["bus driver", "cafeteria worker", "teacher aide", "infant room caregiver", "custodian"]))
        w.t("   Site: ").p(school, "LOCATION", so).t("   Employee #").p(c.digits(r.choice([6, 7])), "MRN", f"emp:{ident.mrn}").t("\n")
        w.t("Director / principal: ")
        _x(w, c, c.person(_pop(r)), form=r.choice(["full", "lf"]))
        w.t("   School fax: ").p(c.phone(), "PHONE", so).t("\n")
    w.t("Address: ")
    _addr(w, c, ident).t("\n")
    w.t("Parent / guardian / emergency contact: " if ident.stated_age <= 26 else "Emergency contact: ")
    if ident.relatives:
        rel = r.choice(ident.relatives)
        _gphone(w.p(rel.full, "RELATIVE", o).t(f" ({rel.role})  "), c, ident, rel.phone)
    else:
        ec = c.person(_pop(r))
        w.p(ec.full, "RELATIVE", ec.owner).t(" (mother)  ").p(c.phone(), "PHONE", ec.owner)
    w.t("\n\n")
    rows = [("Ht", f"{r.randrange(58, 75)} in"), ("Wt", f"{r.randrange(105, 260)} lb"), ("BP", f"{r.randrange(102, 142)}/{r.randrange(60, 90)}"),
            ("Vision", f"R 20/{r.choice([20, 25, 30])} L 20/{r.choice([20, 25, 40])}"), ("PPD / IGRA", r.choice(["negative", "neg, read at 48h", "QuantiFERON neg"])),
            ("Immunizations", r.choice(["MMR x2, Tdap, varicella - up to date", "Tdap due", "flu given today"]))]
    for k, v in rows:
        w.t(f"{k:<14}{v}\n")
    w.t("Placed PPD on ").d(c.dlong(when)).t(", read ").d(c.dlong(when + timedelta(days=2))).t(". ")
    w.t(r.choice(["CLEARED for all sports without restriction.", "Cleared pending cardiology f/u for murmur.",
                  "Cleared with recommendations: asthma action plan on file with athletic trainer."] if athlete else
                 ["Cleared, no restrictions.", "Free of communicable TB; may work with children.",
                  "Cleared; lifting restriction 25 lb until ortho f/u."]), "\n")
    w.t("School nurse: ")
    _x(w, c, nurse, form=r.choice(["full", "init"]))
    w.t(", RN  ").p(c.email(nurse.given, nurse.family, r.choice(["k12.tx.us", "schools.org", "isd.net"])), "EMAIL", nurse.owner).t("\n")
    w.t("Examiner: ")
    _doc(w, c, doc).t("   Date: ").d(c.dlong(when)).t("\n")
    return w


def telehealth(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    o = c.po(ident)
    doc = r.choice(_staff(staff, "attending") + _staff(staff, "resident"))
    platform = r.choice(["Zoom for Healthcare", "Doximity video", "MyChart video visit", "Teams", "Doxy.me", "FaceTime (pt's preference)"])
    token = c.num(lambda q: "".join(q.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10)))
    url = r.choice([f"https://vv.{c.domain}/join/{token}", f"https://{c.domain}/telehealth/room/{token}",
                    f"https://doxy.me/dr{re.sub(r'[^a-z]', '', doc.family.lower())}{r.randrange(10, 99)}"])
    meeting = c.num(lambda q: f"{q.randrange(100, 999)} {q.randrange(1000, 9999)} {q.randrange(1000, 9999)}")
    w.t("TELEHEALTH VIDEO VISIT\n" if r.random() < 0.5 else "Video Visit - synchronous audio/video\n")
    h, m, dur = r.randrange(7, 19), r.randrange(60), r.randrange(12, 40)
    w.t("Date of service: ").d(c.dlong(when)).t(f"   Start {h:02d}:{m:02d}  End {h + (m + dur) // 60:02d}:{(m + dur) % 60:02d}\n")
    w.t(f"Platform: {platform}   Session link: ").p(url, "EMAIL", f"url:{url}").t("\n")
    if r.random() < 0.6:
        w.t("Meeting ID: ").p(meeting, "MRN", f"mtg:{meeting}").t("   Pt connected from IP ").p(c.ip(), "EMAIL", o).t("\n")
    w.t("Patient identity verified with two identifiers (name, DOB ")
    _dob(w, c, ident).t("). ")
    where = r.randrange(4)
    w.t("Patient location during visit: ")
    if where == 0:
        w.t("home, ")
        _addr(w, c, ident)
    elif where == 1:
        emp, eo = c.employer()
        w.t("at work (break room at ").p(emp, "LOCATION", eo).t(")")
    elif where == 2:
        town, st, to = c.us_town()
        w.t("in parked car, ").p(c.town_value(town, st, to), "LOCATION", to)
    else:
        rel = ident.relatives[0] if ident.relatives else None
        w.t("staying with ")
        if rel:
            _rel(w, c, ident, rel)
        else:
            w.t("friend")
        w.t(" at ").p(c.street(), "ADDRESS", o)
    w.t(f". State for licensure: {ident.state}. Provider location: ", r.choice(["home office", "clinic"]), ".\n")
    w.t("Callback number if disconnected: ")
    _gphone(w, c, ident, ident.phone) if r.random() < 0.6 else w.p(c.phone(), "PHONE", o)
    w.t("\n")
    w.t("Consent for telehealth obtained verbally. Others present: ")
    if ident.relatives and r.random() < 0.6:
        _rel(w, c, ident, r.choice(ident.relatives))
    else:
        w.t("none")
    w.t(".\n\n")
    w.t("S: ", r.choice(["f/u anxiety on escitalopram, doing better, sleeping 6h", "rash on forearms x 1 wk, shown on camera",
                         "BP log reviewed via screen share, avg 148/92", "URI sx x 4 days, no SOB"]), ".\n")
    w.t("O: Well-appearing on video, no resp distress, ", r.choice(["speech fluent", "rash erythematous papules", "no conjunctival injection"]), ". Vitals self-reported.\n")
    w.t("A/P: ", r.choice(["continue current dose", "triamcinolone 0.1% cream BID", "increase lisinopril to 20 mg", "supportive care"]), ". ")
    w.t("Rx sent to ").p(*_kind(c.pharmacy(), "HOSPITAL")).t(". E-mail AVS to ").p(ident.email, "EMAIL", o).t(".\n")
    w.t(f"Total time {dur} min, {r.choice(['video', 'switched to audio-only after connection dropped'])}.\n")
    _doc(w, c, doc, r.choice([1, 3]))
    return w.t("\n")


TYPO = {"prescription": ("prescripton", "perscription", "rx"), "tomorrow": ("tomorow", "tmrw", "tommorrow"),
        "appointment": ("appt", "apointment", "appt"), "please": ("pls", "plz", "please"), "thanks": ("thx", "thanks", "ty"),
        "because": ("bc", "cuz", "becuase"), "you": ("u", "you", "u"), "pharmacy": ("pharmacy", "pharmacy", "pharmcy"),
        "doctor": ("dr", "doctor", "doc"), "really": ("rly", "realy", "really"), "morning": ("am", "morning", "mornin")}


def _speak(s: str, r: random.Random) -> str:
    """Text-speak: common words swapped for typos and abbreviations, punctuation dropped."""
    s = re.sub(r"[A-Za-z]+", lambda m: r.choice(TYPO[m.group(0).lower()]) if m.group(0).lower() in TYPO and r.random() < 0.8 else m.group(0), s)
    return re.sub(r"[.,]", "", s) if r.random() < 0.6 else s


_WEEK = ("mon", "tues", "wed", "thurs", "fri", "sat", "sun")


def inbox_message(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    o = c.po(ident)
    later = when + timedelta(days=r.randrange(2, 12))
    rel = r.choice(ident.relatives) if ident.relatives and r.random() < 0.5 else None
    doc = r.choice(_staff(staff, "attending") + _staff(staff, "resident"))
    w.t("Patient Advice Request\nFrom: ")
    if rel:
        w.p(rel.full, "RELATIVE", o).t(" (proxy for ")
        _pt(w, c, ident, "full").t(")")
    else:
        _pt(w, c, ident, r.choice(["FULL", "full"]))
    w.t("\nSent: ").d(r.choice([f"{when:%m/%d/%Y}", f"{when.month}/{when.day}/{when.year}"])).t(f" {r.randrange(1, 12)}:{r.randrange(60):02d} {r.choice(['AM', 'PM'])}\n")
    w.t("To: ").p(r.choice([f"{c.acr} Family Med Pool", f"{c.health} Clinic Nurse Pool"]), "HOSPITAL", "home").t("\n")
    w.t(f"Subject: {r.choice(['refill', 'question', 'Medication Question', 'appt', 'RE: test results', 'urgent!!'])}\n\n")
    w.lower = True
    # the message itself: lower case, typos, no punctuation
    w.t(_speak(r.choice(["hi ", "hello ", "", "good morning "]), r))
    if rel:
        w.t("this is ")
        _given(w, c, rel.given, rel.full, "RELATIVE", o) if r.random() < 0.5 else w.p(rel.full, "RELATIVE", o)
        w.t(" my ", {"wife": "husband", "husband": "wife", "daughter": "mom", "son": "dad"}.get(rel.role, "mom"), " ")
        _pt(w, c, ident, "given").t(" ")
    else:
        w.t("its ")
        _pt(w, c, ident, r.choice(["given", "full"])).t(" ")
    w.t(_speak(r.choice(["she " if ident.sex == "female" and rel else "i ", "i "]) + r.choice([
        "ran out of the blood pressure pills and the pharmacy said they need a new prescription from you please ",
        "really need a refill on the metformin because i only have 2 left ",
        "has a bad cough since sunday and fever 101 can you call ",
        "got the lab results on the app but dont understand what the kidney number means ",
        "cant make the appointment because of work can i move it "]), r))
    form = r.randrange(4)
    if form == 0:
        w.t(_speak("send to the ", r)).p(*_kind(c.pharmacy(), "HOSPITAL")).t(" ")
        w.t(r.choice(["on ", "by the ", "near "]))
        street = re.sub(r"^\d+\s+", "", c.street())
        w.p(street, "ADDRESS", f"st:{street}").t(" ")
    elif form == 1:
        w.t("call me at ")
        _gphone(w, c, ident, ident.phone) if r.random() < 0.6 else w.p(c.phone(), "PHONE", o)
        w.t(" ")
    elif form == 2:
        w.t("my new number is ").p(c.phone(), "PHONE", o).t(" the old one dont work ")
    else:
        w.t("or email me ").p(ident.email, "EMAIL", o).t(" ")
    wk = _WEEK[later.weekday()]
    when_s = r.choice([f"next {wk} {later.month}/{later.day}", f"this {wk} {later.month}/{later.day}", f"on the {_nth(later.day)}",
                       f"{wk} the {_nth(later.day)}", f"{later.month}/{later.day}/{later:%y}"])
    if len(when_s) < 8:
        when_s = f"{later.month}/{later.day}/{later.year}"
    pron = "she" if ident.sex == "female" else "he"
    w.t(_speak(r.choice([f"{pron} has the appointment ", "we see the doctor ", f"{pron} is supposed to see "] if rel else
                        ["i have appointment ", "my appointment is ", "i see the doctor "]), r)).d(when_s)
    w.t(" w ")
    w.p(r.choice([f"dr {doc.family}", f"dr. {doc.family}", f"{doc.given} {doc.family}"]), "PROVIDER", c.so(doc))
    w.t(_speak(r.choice([" but cant wait that long", " is that ok", " thank you so much", " pls call back asap"]), r))
    if r.random() < 0.4:
        friend = c.person(_pop(r))
        w.t(r.choice([" my neighbor ", " my friend ", " my cousin "]))
        _x(w, c, friend, "RELATIVE", form=r.choice(["given", "full"]))
        w.t(" can drive me")
    w.t(r.choice(["", " thx", " ty!!", " god bless", " :)"]), "\n")
    w.lower = False
    if r.random() < 0.7:
        nurse = r.choice(_staff(staff, "nurse"))
        w.t("\n---- Reply ").d(c.dlong(when + timedelta(days=r.randrange(0, 2)))).t(f" {_time(r, True)} ----\n")
        w.t("Called pt back at number on file, ", r.choice(["LVM", "spoke with pt", "no answer, sent MyChart msg"]), ". ")
        w.t(r.choice(["Refill pended to ", "Routed to ", "FYI to "]))
        _doc(w, c, doc).t(". -- ")
        _rn(w, c, nurse)
        w.t("\n")
    return w


WRITERS = {name: globals()[name] for name in STYLES_F}


def make_writer(note_cls, seed: int, policy):
    """A ``write_note``-like function for the f styles.

    Parameters
    ----------
    note_cls:
        The benchmark's ``Note`` class (``t``/``p`` API).
    seed:
        Seed for this module's Faker instances and the fictional home hospital system.
    policy:
        The benchmark's :class:`NamePolicy` (surrogate tokens are never planted; name tokens drawn here
        are reserved in ``policy.used``).

    Returns
    -------
    callable
        ``write(style, ident, staff, fake, rng, when) -> Note``; ``fake`` is not used (this set draws
        from its own seeded Fakers), ``rng`` drives every choice. The register is ``write.ctx``.
    """
    ctx = Ctx(seed, policy)
    staff_seen: list = []

    def write(style: str, ident, staff, fake: Faker, rng: random.Random, when: date):
        ctx.rng = rng
        if not staff_seen:
            ctx.see_staff(staff)
            staff_seen.append(True)
        ctx.see(ident)
        caps = rng.random() < {"custody": 0.3, "va_note": 0.35, "critical_callback": 0.3, "fax_referral": 0.2}.get(style, 0.0)
        w = W(note_cls(), ctx, caps)
        WRITERS[style](w, ctx, ident, staff, when)
        return w.note

    write.ctx = ctx
    return write
