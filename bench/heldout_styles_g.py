"""Held-out note styles, set g, for ``bench/deid_heldout_export.py --styles g``.

Theme: US documents that name many people at once. Twelve kinds: a hospitalist / resident I-PASS
handoff sign-out listing several patients of a unit (room, name, age, MRN, one-liner, to-dos,
contingencies, consultants, families); a communicable-disease case report with a contact
investigation (household, workplace, school and church contacts with ages, phones, addresses and
exposure dates); a group-therapy / support-group note (participants by first name, first name and
initial, or initials; facilitator and co-facilitator); a family-therapy session with a
three-generation genogram; a labour-and-delivery summary or an outside birth record (mother,
"Baby Girl <surname>", twins, father, delivering obstetrician, pediatrician, doula, birth weight,
times, hospital of birth); a transplant coordinator note (waitlist, donor and match ids, organ
procurement organization, living donor and advocate); a law firm's records request / subpoena with
the hospital's release-of-information log; a workers' compensation first report of injury (employer,
job site, supervisor, co-worker witnesses, carrier, adjuster, claim and policy numbers); a child-welfare
/ kinship-foster-care social work note (caseworker, agency, court, guardian ad litem, biological and
foster parents, children, schools, case numbers); a clinical-trial serious-adverse-event report
(subject and screening ids, PI, sub-investigator, coordinator, monitor, outside hospital); an
intra-operative / anesthesia record with its team list, relief and counts; and a controlled-substance
waste log or sterile-compounding record (several patients, nurses, witnesses, pharmacists and
technicians with initials and badge numbers). Layouts vary: pipe and tab tables, all-caps legacy
screens, label: value forms, prose, bullet lists, names as "Last, First M.", "First L." and "J.K.M.".

Written without reading the de-identification code, its data, templates, tests, documentation,
README or any corpus, nor the other held-out sets b, d, e and f (only the benchmark scaffolding,
set c's interface and the demo's identity, writer, check and manifest modules were read).
The note's patient, their relatives and the home hospital's staff come from the benchmark's
generator; everyone and everything else (other patients, contacts, participants, parents and
grandparents, donors, attorneys, paralegals, adjusters, supervisors, co-workers, caseworkers,
foster parents, monitors, coordinators, device representatives, pharmacists, technicians; firms,
courts, counties, employers, schools, agencies, outside hospitals, towns, streets, ZIP codes,
phones, e-mails, URLs and ids) from seeded Faker instances (``en_US`` and eight other locales) and
this module's own lists. The home hospital is made up per seed.

PHI kinds are those of the scaffolding. Conventions: the note's patient and other patients
(handoff, group members, waste-log rows, newborns) ``PATIENT``; relatives, friends, household and
other contacts, co-workers, supervisors, donors, foster and biological parents and children
``RELATIVE``; clinicians and other professionals acting in their role (attorneys, paralegals,
adjusters, caseworkers, guardians ad litem, monitors, device representatives, public-health staff)
``PROVIDER``; the patient's own street, town and any street ``ADDRESS``; other towns, counties,
employers, firms, courts, agencies, health departments and schools ``LOCATION``; ZIP codes ``ZIP``;
hospitals, clinics, dialysis units, practices, pharmacies and the organ procurement organization
``HOSPITAL``; the SSN ``SSN``; member and policy numbers ``INSURANCE``; every other identifying
number (MRNs, case, claim, docket, subject, donor, badge, serial and kit numbers) ``MRN``; e-mails
and URLs ``EMAIL``; dates (always at least eight characters) and ages over 89 (``93-year-old``)
``DATE``. Not planted: clock times, years alone, ages under 90, units and rooms, states, sponsor,
carrier and device-company names, protocol, site and lot numbers. A planted value of a single word is
a word this module writes nowhere else, not an everyday English word and no surrogate token; a
per-seed register keeps every such word to one entity (it never appears inside another entity's
value) and otherwise the value is planted with its cue or in full (``Dr. Bell``). The export is the
same on every run for a seed.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from coordinator.demo.identities import NAME_BLOCKLIST

STYLES_G = ("handoff", "contact_tracing", "group_therapy", "family_genogram", "birth_record", "transplant",
            "records_request", "workers_comp", "child_welfare", "sae_report", "or_team", "cs_waste_log")

NOTE_TYPES_G = {
    "handoff": "Sign-out note", "contact_tracing": "Public health report", "group_therapy": "Group therapy note",
    "family_genogram": "Family therapy note", "birth_record": "Delivery summary", "transplant": "Transplant coordinator note",
    "records_request": "Release of information", "workers_comp": "Workers compensation report",
    "child_welfare": "Social work note", "sae_report": "Research note", "or_team": "Intraoperative record",
    "cs_waste_log": "Pharmacy note",
}

# ---- begin name and place lists (not template text) ----
#: Faker surnames and given names that are English words or clinical terms; never planted alone.
WORD_NAMES = """
walker foster burns park ball cross gross curry gill french roman stokes bass hood bridges horn heath marks
golden beard clay english leach buck stark hull weeks noble walls pace fry bean church good cherry bird
branch gay key holder mayo roach morse peck levy riddle kaiser barber garner singleton foley garrison stein
bullock browning gentry costa madden fritz turner cooper porter fisher carpenter knight powers chambers
fields terry bowers potter skinner winters luna hoover davenport manning atkins parrish dyer wells henry
graham lambert marshall pierce warren berry drake decker collier sawyer cox lee roy kim ali grimes hicks
welch beck hancock cline berg johns orr lam spears villa morrow olive bob don gene jay max mike tom jean
raven robin sally sherry patty carol rick bobby billy gail jill tim jim dan pam ann kelly paige brandi
christy nelson gordon lucas douglas sherman norman rowe lynn shannon gibbs temple
""".split()

#: US towns with their states.
TOWNS = (("Kenosha", "WI"), ("Joliet", "IL"), ("Muncie", "IN"), ("Dubuque", "IA"), ("Saginaw", "MI"), ("Toledo", "OH"),
         ("Yakima", "WA"), ("Modesto", "CA"), ("Visalia", "CA"), ("Tucson", "AZ"), ("Amarillo", "TX"), ("Laredo", "TX"),
         ("Waco", "TX"), ("Abilene", "TX"), ("Shreveport", "LA"), ("Biloxi", "MS"), ("Macon", "GA"), ("Asheville", "NC"),
         ("Greenville", "SC"), ("Roanoke", "VA"), ("Scranton", "PA"), ("Allentown", "PA"), ("Utica", "NY"),
         ("Schenectady", "NY"), ("Binghamton", "NY"), ("Paterson", "NJ"), ("Trenton", "NJ"), ("Waterbury", "CT"),
         ("Bangor", "ME"), ("Duluth", "MN"), ("Fargo", "ND"), ("Sioux Falls", "SD"), ("Omaha", "NE"), ("Topeka", "KS"),
         ("Wichita", "KS"), ("Tulsa", "OK"), ("Joplin", "MO"), ("Peoria", "IL"), ("Rockford", "IL"), ("Evansville", "IN"),
         ("Bowling Green", "KY"), ("Knoxville", "TN"), ("Chattanooga", "TN"), ("Huntsville", "AL"), ("Pensacola", "FL"),
         ("Ocala", "FL"), ("Lakeland", "FL"), ("Boise", "ID"), ("Pocatello", "ID"), ("Billings", "MT"), ("Casper", "WY"),
         ("Provo", "UT"), ("Ogden", "UT"), ("Spokane", "WA"), ("Tacoma", "WA"), ("Bakersfield", "CA"), ("Stockton", "CA"),
         ("Oxnard", "CA"), ("Santa Fe", "NM"), ("Las Cruces", "NM"), ("El Paso", "TX"), ("Lubbock", "TX"),
         ("Beaumont", "TX"), ("Lafayette", "LA"), ("Texarkana", "AR"), ("Fayetteville", "AR"), ("Hattiesburg", "MS"),
         ("Dothan", "AL"), ("Valdosta", "GA"), ("Hagerstown", "MD"), ("Altoona", "PA"), ("Youngstown", "OH"),
         ("Akron", "OH"), ("Dayton", "OH"), ("Kalamazoo", "MI"), ("Lansing", "MI"), ("Racine", "WI"), ("Oshkosh", "WI"),
         ("Cedar Rapids", "IA"), ("Waterloo", "IA"), ("Mankato", "MN"), ("Bismarck", "ND"), ("Salina", "KS"),
         ("Lawton", "OK"), ("Enid", "OK"), ("Roswell", "NM"), ("Flagstaff", "AZ"), ("Prescott", "AZ"), ("Chico", "CA"),
         ("Redding", "CA"), ("Worcester", "MA"), ("Brockton", "MA"), ("Lowell", "MA"), ("Nashua", "NH"),
         ("Pawtucket", "RI"), ("Woonsocket", "RI"), ("Chicopee", "MA"), ("Pittsfield", "MA"))

#: Counties (their names only).
COUNTIES = ("Ashtabula", "Berrien", "Cuyahoga", "Dauphin", "Hennepin", "Kanawha", "Lackawanna", "Macomb", "Monongalia",
            "Muskegon", "Onondaga", "Passaic", "Pima", "Pulaski", "Sangamon", "Tazewell", "Washtenaw", "Winnebago",
            "Maricopa", "Hidalgo", "Bexar", "Luzerne", "Lehigh", "Berks", "Oneida", "Ulster", "Saginaw", "Kalamazoo",
            "Hampden", "Worcester", "Bristol", "Plymouth", "Hamilton", "Marion", "Allegheny", "Sedgwick", "Shawnee",
            "Buncombe", "Catawba", "Pinellas", "Volusia", "Tulare", "Kern", "Yavapai", "Coconino", "Cass", "Polk")

#: Saints for parishes, schools and hospitals.
SAINTS = ("Casimir", "Hedwig", "Stanislaus", "Bonaventure", "Scholastica", "Rita", "Jude", "Benedict", "Bernadette",
          "Ambrose", "Cecilia", "Gertrude", "Wenceslaus", "Adalbert", "Leo", "Brendan", "Monica", "Clement")

#: Made-up bases for the home hospital.
HOME_BASES = ("Brannock Valley", "Quillan Ridge", "Tessaly Lake", "Orvane County", "Halvering Point", "Marrowdale",
              "Castine Bay", "Wendover Prairie", "Sable Ridge", "Kittredge Falls", "Pembrook Falls", "Ardmoor Heights")

#: Parts of school, employer and OPO names.
SCHOOL_KINDS = ("Elementary School", "Middle School", "High School", "Junior High", "Montessori School",
                "Early Learning Center", "Academy", "Charter School", "Community College")
EMPLOYER_KINDS = ("Tool & Die", "Poultry Processing", "Distribution Center", "Cold Storage", "Plastics", "Foundry",
                  "Auto Body", "Concrete", "Roofing", "Logistics", "Millwork", "Packaging", "Fabrication",
                  "Landscaping", "Grain Co-op", "Meat Packing", "Trucking", "Nursery & Garden", "Bakery",
                  "Pallet Company", "Machine Shop", "Warehouse")
OPO_REGIONS = ("Tri-River", "Great Plains", "Lakeshore", "Mid-Valley", "Cumberland", "High Desert", "Gulf Coast",
               "Northern Prairie", "Blue Ridge", "Ozark", "Cascade", "Keweenaw")
FIRM_TAILS = ("LLP", "P.C.", "PLLC", "& Associates", "Law Group", "LLC")
# ---- end name and place lists ----

# Everything below is template text (its words are never planted alone).
LOCALES = ("es_MX", "pt_BR", "en_IN", "pl_PL", "it_IT", "yo_NG", "fr_FR", "de_DE")
AREA_CODES = (262, 312, 317, 319, 330, 402, 405, 414, 419, 432, 479, 505, 509, 515, 520, 541, 563, 570, 574, 601,
              608, 612, 615, 618, 620, 636, 660, 701, 712, 719, 740, 765, 785, 806, 815, 816, 850, 865, 906, 913,
              918, 920, 937, 956, 970, 972, 989)
SPONSORS = ("Nexavant Biosciences", "Halcyra Pharma", "Ostrelle Therapeutics", "Quintary BioPharma", "Lumivex Inc.")
CROS = ("Parexa Clinical", "Meridonn Research", "ClinNova Global")
DEVICE_COS = ("Orthovance", "Cardiamed", "Spinetek", "NeuroHalo", "Valvyra")
CARRIERS = ("Keystone Mutual", "Lakeshore Casualty", "Granite Indemnity", "Prairie Workers Insurance Exchange")
STATES = ("IL", "WI", "OH", "MI", "IN", "IA", "PA", "NY", "TX", "CA", "AZ", "WA", "KS", "MO", "TN", "GA")
UNITS = ("5 West", "6 North", "7 East", "Step-down", "4 South", "MICU", "Tele 3", "8 West", "Obs unit")
ONE_LINERS = ("CHF exacerbation, diuresing, net neg 1.2 L", "DKA resolved, on SQ insulin now",
              "RLL pneumonia on ceftriaxone/azithro day 3", "UGIB s/p EGD with clipped ulcer, Hgb stable x2",
              "LLE cellulitis on vanc, erythema receding", "COPD flare on pred taper, sats 91% 2L",
              "new afib RVR, rate controlled, on heparin gtt", "pyelo with GNR bacteremia, sensis pending",
              "EtOH withdrawal on CIWA, last score 8", "syncope w/u, tele without events",
              "AKI on CKD, Cr 2.4 from 1.6, holding ACEi", "hip fx s/p ORIF POD1, PT eval today",
              "sickle cell pain crisis on PCA", "hyponatremia Na 122, fluid restricted",
              "gallstone pancreatitis, advancing diet", "C diff on PO vanc, fewer stools",
              "SBO managed conservatively, NGT to LIWS", "new AML, heme/onc to see",
              "hyperactive delirium, sitter at bedside", "ileus after colectomy, NPO")
ACTIONS = ("f/u AM BMP", "repeat lactate at 2200", "check K after repletion", "f/u blood cx", "wean O2 to RA",
           "PT/OT in AM", "recheck Hgb 0400, transfuse if < 7", "confirm code status with family",
           "f/u echo read", "likely home tomorrow, meds to beds", "f/u cards recs",
           "restart heparin 6 h after procedure if no bleeding", "vanc trough before 4th dose",
           "start bowel regimen", "f/u MRI read", "needs PICC for long abx course")
CONTINGENCIES = ("if SBP < 90: 500 mL bolus, then call", "if CIWA > 15: lorazepam per protocol",
                 "if febrile: pan-culture, no abx change overnight", "if agitated: haldol 0.5 mg IV x1",
                 "if HR > 130 sustained: call RRT", "if UOP < 30/h x2: bladder scan")
DISEASES = ("pertussis", "measles", "active pulmonary TB", "invasive meningococcal disease", "hepatitis A",
            "mumps", "varicella", "shigellosis")
PROGRAMS = ("Intensive Outpatient Program (IOP), dual-diagnosis track", "DBT skills group",
            "Grief and loss support group", "Cardiac rehab psychosocial group", "Chronic pain coping skills group",
            "Cancer survivorship support group", "Partial hospitalization program, process group")
TOPICS = ("distress tolerance", "relapse triggers around holidays", "sleep hygiene", "anniversary reactions",
          "communicating needs to family", "pacing and activity", "fear of recurrence", "shame and stigma")
INJURIES = ("lifting a 60 lb box from a pallet", "slipped on a wet floor near the loading dock",
            "caught left hand in a conveyor roller", "fell from the second rung of a ladder",
            "struck by a forklift backing up", "repetitive overhead work, gradual onset of shoulder pain",
            "chemical splash to both eyes")
JOBS = ("warehouse associate", "line cook", "CNA", "forklift operator", "roofer", "machine operator",
        "delivery driver", "meat cutter", "home health aide", "electrician apprentice", "custodian")
SAE_TERMS = ("acute kidney injury", "febrile neutropenia", "pulmonary embolism", "grade 3 hepatitis",
             "syncope with fall", "atrial fibrillation with RVR", "pneumonitis", "small bowel obstruction")
PROCEDURES = ("laparoscopic cholecystectomy", "L4-5 posterior lumbar fusion", "CABG x3", "right total knee arthroplasty",
              "aortic valve replacement", "open reduction internal fixation, left distal radius",
              "exploratory laparotomy", "deep brain stimulator lead placement")
DRUGS = (("HYDROmorphone 2 mg/mL", "mg", (0.5, 1, 1.5)), ("morphine 4 mg/mL", "mg", (1, 2, 3)),
         ("fentanyl 100 mcg/2 mL", "mcg", (25, 50, 75)), ("LORazepam 2 mg/mL", "mg", (0.5, 1)),
         ("midazolam 5 mg/mL", "mg", (1, 2.5)), ("ketamine 50 mg/mL", "mg", (10, 25)), ("oxyCODONE 5 mg tab", "mg", (2.5,)))
INITIAL_ABBREVS = ("a.m.", "p.m.", "p.o.", "i.v.", "u.s.", "m.d.", "d.o.", "r.n.", "n.p.", "p.a.", "e.d.", "o.r.",
                   "i.m.", "q.d.", "b.i.d.", "t.i.d.", "q.i.d.", "p.r.n.", "a.k.a.", "e.g.", "i.e.", "n.a.", "u.k.")

_OWN_TEXT = Path(__file__).read_text(encoding="utf-8")
_TEMPLATE_TEXT = re.sub(r"# ---- begin name and place lists.*?# ---- end name and place lists ----", " ",
                        _OWN_TEXT, flags=re.DOTALL)
_TOK = re.compile(r"[^\W_]+")


def _english_words() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover
        return frozenset()
    return frozenset(STOP_WORDS)


#: Words written outside the name and place lists: never planted alone.
TEMPLATE_WORDS = frozenset(t.lower() for t in _TOK.findall(_TEMPLATE_TEXT))
COMMON_WORDS = _english_words() | NAME_BLOCKLIST | frozenset(WORD_NAMES)


def toks(value: str) -> list[str]:
    """Lower-cased letter/digit runs of ``value``."""
    return [t.lower() for t in _TOK.findall(value)]


def single(value: str) -> bool:
    """``value`` is one letter/digit run (``Okafor``, ``40817``, ``ACM1234``)."""
    return bool(_TOK.fullmatch(value))


def boundary(value: str) -> re.Pattern[str]:
    """How the benchmark looks a value up: case-insensitive, not inside a longer letter/digit run."""
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(value) + r"(?![A-Za-z0-9])", re.IGNORECASE)


def _ascii(s: str) -> str:
    s = s.replace("ł", "l").replace("Ł", "L").replace("ß", "ss")
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def _dotted(value: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Za-z]\.){2,3}", value))


class Register:
    """Per-seed register of what was written: which entity owns each token and each value.

    A token planted alone (``bare``) belongs to one entity only: it is in no other entity's value and
    in no text of this module. Values are keyed lower-cased (the benchmark ignores case).
    """

    def __init__(self, policy) -> None:
        self.policy = policy
        self.owners: dict[str, set[str]] = {}
        self.bare: dict[str, str] = {}
        self.values: dict[str, str] = {}
        self.phrases: dict[tuple[str, ...], str] = {}  # token runs of values of several tokens -> owner
        self.inner: dict[tuple[str, ...], set[str]] = {}  # every run of 2+ tokens inside them -> owners

    @staticmethod
    def _runs(ts: list[str]):
        return (tuple(ts[i:j]) for i in range(len(ts)) for j in range(i + 2, len(ts) + 1))

    def _phrase(self, value: str, owner: str) -> None:
        ts = toks(value)
        if len(ts) < 2:
            return
        self.phrases.setdefault(tuple(ts), owner)
        for run in self._runs(ts):
            self.inner.setdefault(run, set()).add(owner)

    def word_ok(self, tok: str) -> bool:
        """``tok`` may stand alone as a planted value (before ownership)."""
        if tok in self.policy.surrogates or tok in TEMPLATE_WORDS:
            return False
        if tok.isdigit():
            return len(tok) >= 5
        if tok.isalpha():
            return len(tok) >= 4 and tok not in COMMON_WORDS
        return len(tok) >= 5

    def free(self, value: str) -> bool:
        """No token of ``value`` that is not template text or a number is a surrogate token."""
        return all(t not in self.policy.surrogates for t in toks(value) if t not in TEMPLATE_WORDS and not t.isdigit())

    def can_bare(self, value: str, owner: str) -> bool:
        if not single(value):
            return False
        t = value.lower()
        return (self.word_ok(t) and self.owners.get(t, set()) <= {owner} and self.bare.get(t, owner) == owner
                and self.values.get(t, owner) == owner)

    def can_multi(self, value: str, owner: str) -> bool:
        low = value.lower()
        if self.values.get(low, owner) != owner:
            return False
        ts = toks(value)
        if any(self.bare.get(t, owner) != owner for t in ts):
            return False
        if self.inner.get(tuple(ts), {owner}) - {owner}:
            return False  # it would be part of another entity's value
        if any(self.phrases.get(run, owner) != owner for run in self._runs(ts)):
            return False  # another entity's value would be part of it
        if _dotted(value):
            if low in INITIAL_ABBREVS or boundary(value).search(_TEMPLATE_TEXT):
                return False
            if len(low) == 6 and self.values.get(low[2:], owner) != owner:
                return False
        return True

    def ok(self, value: str, owner: str) -> bool:
        return self.can_bare(value, owner) if single(value) else self.can_multi(value, owner)

    def reserve(self, value: str, owner: str) -> bool:
        """Record ``value``'s tokens as ``owner``'s without writing it; False when one is another's bare word."""
        if any(self.bare.get(t, owner) != owner for t in toks(value)):
            return False
        for t in toks(value):
            self.owners.setdefault(t, set()).add(owner)
        self._phrase(value, owner)
        return True

    def claim(self, value: str, kind: str, owner: str) -> None:
        """Register a planted value (raises if it breaks the rules: a bug of this module)."""
        if kind == "DATE":
            for t in toks(value):
                self.owners.setdefault(t, set()).add("date")
            return
        if not self.ok(value, owner):
            raise RuntimeError(f"set g: {kind} value {value!r} of {owner} is not free to plant")
        low = value.lower()
        self.values[low] = owner
        if _dotted(value) and len(low) == 6:
            self.values[low[2:]] = owner
        for t in toks(value):
            self.owners.setdefault(t, set()).add(owner)
        self._phrase(value, owner)
        if single(value):
            self.bare[low] = owner
            if low.isalpha():
                self.policy.used.add(low)  # the generator never gives it to a later patient

    def text(self, text: str) -> None:
        for t in toks(text):
            if t in self.bare:
                raise RuntimeError(f"set g: text token {t!r} is a planted word")
            self.owners.setdefault(t, set()).add("text")


@dataclass
class Pn:
    """A person as this module writes them."""

    given: str
    family: str
    owner: str
    mi: str = ""
    sex: str = ""
    role: str = ""
    phone: str = ""
    badge: str = ""

    def form(self, f: str) -> str | None:
        g, fa, mi = self.given, self.family, self.mi
        return {
            "full": f"{g} {fa}",
            "full_mi": f"{g} {mi}. {fa}" if mi else None,
            "lf": f"{fa}, {g}",
            "lf_mi": f"{fa}, {g} {mi}." if mi else None,
            "LF": f"{fa.upper()}, {g.upper()}",
            "given": g,
            "family": fa,
            "gli": f"{g} {fa[0]}.",
            "fil": f"{g[0]}. {fa}",
            "ini": f"{g[0]}.{mi}.{fa[0]}." if mi else f"{g[0]}.{fa[0]}.",
        }[f]


def _owner(kind: str, value: str) -> str:
    group = {"ADDRESS": "place", "LOCATION": "place", "ZIP": "place", "HOSPITAL": "place", "EMAIL": "email"}
    return f"{group.get(kind, 'num')}:{value.lower()}"


def dfmt(d: date, r: random.Random) -> str:
    """A date in one of the ways US documents write it, always at least eight characters."""
    forms = (f"{d.month}/{d.day}/{d.year}", f"{d:%m/%d/%Y}", d.isoformat(), f"{d:%B} {d.day}, {d.year}",
             f"{d:%b} {d.day}, {d.year}", f"{d.day:02d}-{d:%b}-{d.year}", f"{d:%d%b%Y}".upper(), f"{d:%m/%d/%y}",
             f"{d:%m-%d-%Y}", f"{d.day} {d:%B} {d.year}")
    out = r.choice(forms)
    assert len(out) >= 8
    return out


def clock(r: random.Random, sep: str | None = None) -> str:
    h, m = r.randrange(24), r.randrange(60)
    return f"{h:02d}{sep if sep is not None else r.choice((':', ''))}{m:02d}"


class Ctx:
    """Seeded sources of people, places and ids, the home hospital and the register."""

    def __init__(self, seed: int, policy) -> None:
        self.policy = policy
        self.reg = Register(policy)
        self.us = Faker("en_US")
        self.us.seed_instance(seed * 1000 + 707)
        self.abroad: dict[str, Faker] = {}
        for i, loc in enumerate(LOCALES):
            fk = Faker(loc)
            fk.seed_instance(seed * 1000 + 710 + i)
            self.abroad[loc] = fk
        self.rng = random.Random(seed * 31 + 7)
        self.n = 0
        self.seen: set[str] = set()
        self.blocked: set[tuple[str, str]] = set()
        self.staff_done = False
        self.staff_cache: dict[str, Pn] = {}
        self.owner_of: dict[str, str] = {}  # drawn values that belong to another entity (a town's clinic)
        hr = random.Random(seed * 7919 + 71)
        bases = [b for b in HOME_BASES if self.reg.free(b)] or list(HOME_BASES)
        base = hr.choice(bases)
        self.home = f"{base} {hr.choice(('Medical Center', 'Regional Medical Center', 'Health', 'University Hospital'))}"
        self.home_acr = "".join(w[0] for w in self.home.split()).upper()
        if not self.reg.word_ok(self.home_acr.lower()):
            self.home_acr = self.home_acr + "H"
        for v in (self.home, self.home_acr):
            self.reg.claim(v, "HOSPITAL", "org:home")

    # ---- the generator's people ----------------------------------------------------------------
    def patient(self, ident) -> Pn:
        return Pn(ident.given, ident.family, f"pt:{ident.mrn}", sex="f" if ident.sex == "female" else "m",
                  phone=ident.phone)

    def relatives(self, ident) -> list[Pn]:
        return [Pn(p.given, p.family, f"rel:{ident.mrn}:{i}", role=p.role, phone=p.phone,
                   sex="f" if p.role in ("wife", "daughter", "mother") else "m") for i, p in enumerate(ident.relatives)]

    def staff_pn(self, s) -> Pn:
        owner = f"st:{s.given}:{s.family}"
        if owner not in self.staff_cache:
            self.staff_cache[owner] = Pn(s.given, s.family, owner, role=s.role)
        return self.staff_cache[owner]

    def register_patient(self, ident, staff) -> None:
        if not self.staff_done:
            for s in staff:
                self.reg.reserve(f"{s.given} {s.family}", self.staff_pn(s).owner)
            self.staff_done = True
        if ident.mrn in self.seen:
            return
        self.seen.add(ident.mrn)
        pt = self.patient(ident)
        self.reg.reserve(pt.form("full"), pt.owner)
        self.reg.reserve(ident.email, pt.owner)
        for rel in self.relatives(ident):
            self.reg.reserve(rel.form("full"), rel.owner)
        for field, value, kind in (("address", ident.address, "ADDRESS"), ("city", ident.city, "ADDRESS"),
                                   ("zip", ident.zip, "ZIP"), ("phone", ident.phone, "PHONE"),
                                   ("mrn", ident.mrn, "MRN"), ("insurance", ident.insurance_id, "INSURANCE"),
                                   ("ssn", ident.ssn, "SSN")):
            if not self.reg.reserve(value, _owner(kind, value)):
                self.blocked.add((ident.mrn, field))

    def gen_ok(self, ident, field: str) -> bool:
        """The patient's ``field`` may be written (no token of it is another entity's planted word)."""
        return (ident.mrn, field) not in self.blocked

    # ---- drawn people ------------------------------------------------------------------------
    def _fk(self, loc: str | None) -> Faker:
        return self.abroad[loc] if loc else self.us

    def _name_tok_ok(self, name: str) -> bool:
        if not re.fullmatch(r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?", name):
            return False
        for t in toks(name):
            if len(t) > 2 and not self.reg.word_ok(t):
                return False
            if t in self.reg.bare or t in self.policy.used:
                return False
        return True

    def person(self, loc: str | None = "", sex: str | None = None, family: str | None = None, role: str = "",
               cls: str = "x") -> Pn:
        """A new outside person; ``loc`` ``""``: mostly US, sometimes another locale; ``family``: given surname."""
        r = self.rng
        if loc == "":
            loc = r.choice(LOCALES) if r.random() < 0.25 else None
        fk = self._fk(loc)
        sex = sex or r.choice("fm")
        for attempt in range(600):
            given = _ascii(fk.first_name_female() if sex == "f" else fk.first_name_male())
            fam = family or _ascii(fk.last_name())
            if attempt > 300 and loc:
                fk = self.us
            if not self._name_tok_ok(given) or (family is None and not self._name_tok_ok(fam)):
                continue
            if attempt < 120 and given.lower() in self.reg.owners:
                continue  # prefer a given name nobody has yet (so it can be written alone)
            full = f"{given} {fam}"
            if full.lower() in self.reg.values or not self.reg.free(full):
                continue
            self.n += 1
            pn = Pn(given, fam, f"{cls}:{self.n}", mi=chr(65 + r.randrange(26)) if r.random() < 0.7 else "",
                    sex=sex, role=role)
            self.reg.reserve(full, pn.owner)
            return pn
        raise RuntimeError("set g: no free name")

    def phone_of(self, pn: Pn) -> str:
        if not pn.phone:
            pn.phone = self.phone(pn.owner)
        return pn.phone

    def badge_of(self, pn: Pn) -> str:
        if not pn.badge:
            pn.badge = self.ident_no(self.rng.choice(("#####", "######", "E#####", "B######")))
        return pn.badge

    # ---- places and organisations --------------------------------------------------------------
    def _draw(self, make, kind: str, tries: int = 300, fresh: bool = False) -> str:
        """A value from ``make()`` (a string, or a string and its owner) that is free to plant
        (``fresh``: written nowhere yet); its tokens are reserved for its owner."""
        for _ in range(tries):
            v = make()
            v, owner = v if isinstance(v, tuple) else (v, None)
            owner = owner or self.owner_of.get(v.lower()) or _owner(kind, v)
            if "\n" in v or not self.reg.free(v) or (fresh and v.lower() in self.reg.values):
                continue
            if self.reg.ok(v, owner):
                self.reg.reserve(v, owner)
                self.owner_of.setdefault(v.lower(), owner)
                return v
        raise RuntimeError(f"set g: nothing free for {kind}")

    def town(self) -> tuple[str, str]:
        r = self.rng
        for _ in range(300):
            if r.random() < 0.7:
                town, st = r.choice(TOWNS)
            else:
                town, st = self.us.city(), r.choice(STATES)
            if self.reg.free(town) and self.reg.ok(town, _owner("LOCATION", town)):
                self.reg.reserve(town, _owner("LOCATION", town))
                return town, st
        raise RuntimeError("set g: no free town")

    def street(self) -> str:
        r = self.rng

        def make() -> str:
            if r.random() < 0.8:
                return self.us.street_address()
            return f"{r.randint(100, 9899)} {r.choice(('County Road', 'State Route', 'Highway', 'Rural Route'))} {r.randint(2, 240)}"
        return self._draw(make, "ADDRESS")

    def zipcode(self, state: str = "") -> str:
        if state:
            return self._draw(lambda: self.us.zipcode_in_state(state), "ZIP")
        return self._draw(lambda: f"{self.rng.randint(10, 99999):05d}", "ZIP")

    def phone(self, owner: str = "") -> str:
        r = self.rng

        def make() -> str:
            a, e, n = r.choice(AREA_CODES), r.randint(201, 989), r.randint(0, 9999)
            if e == 555:
                e = 556
            return r.choice((f"({a}) {e}-{n:04d}", f"{a}-{e}-{n:04d}", f"{a}.{e}.{n:04d}", f"({a}){e}-{n:04d}"))
        return self._draw(make, "PHONE", fresh=True)

    def ident_no(self, pattern: str) -> str:
        """An id from ``pattern`` (``#`` digit, ``?`` capital letter), free for one entity."""
        r = self.rng

        def make() -> str:
            return "".join(str(r.randrange(10)) if ch == "#" else chr(65 + r.randrange(26)) if ch == "?" else ch
                           for ch in pattern)
        return self._draw(make, "MRN", fresh=True)

    def county(self) -> str:
        return self._draw(lambda: f"{self.rng.choice(COUNTIES)} County", "LOCATION")

    def _with_town(self, forms, kind: str, plain=None) -> str:
        """A value from ``forms`` (callables of a town) or ``plain`` (callables of nothing).

        A value holding a town belongs to that town's entity (the town inside it is the same PHI).
        """
        r = self.rng

        def make():
            if plain and (not forms or r.random() < 0.4):
                return r.choice(plain)(), None
            town = self.town()[0]
            return r.choice(forms)(town), _owner("LOCATION", town)
        return self._draw(make, kind)

    def outside_hospital(self) -> str:
        r = self.rng
        return self._with_town((lambda t: f"{t} Memorial Hospital", lambda t: f"{t} Regional Medical Center",
                                lambda t: f"{t} General Hospital", lambda t: f"Mercy Hospital of {t}",
                                lambda t: f"{t} Children's Hospital"), "HOSPITAL",
                               (lambda: f"St. {r.choice(SAINTS)} Hospital", lambda: f"{self.us.last_name()} Community Hospital"))

    def clinic(self, what: str) -> str:
        return self._with_town((lambda t: f"{t} {what}", lambda t: f"{what} of {t}"), "HOSPITAL",
                               (lambda: f"{self.us.last_name()} {what}",))

    def employer(self) -> str:
        r = self.rng
        return self._with_town((lambda t: f"{t} {r.choice(EMPLOYER_KINDS)}",), "LOCATION",
                               (self.us.company, self.us.company, lambda: f"{self.us.last_name()} {r.choice(EMPLOYER_KINDS)}",
                                lambda: f"{self.us.last_name()} Brothers {r.choice(EMPLOYER_KINDS)}"))

    def school(self, age: int | None = None) -> str:
        r = self.rng
        kinds = SCHOOL_KINDS
        if age is not None:  # (upper age, kinds of school) by the child's age
            for top, idx in ((5, (5, 4)), (11, (0, 4, 7)), (14, (1, 3, 7)), (18, (2, 6, 7)), (200, (8,))):
                if age < top:
                    kinds = tuple(SCHOOL_KINDS[i] for i in idx)
                    break
        return self._with_town((lambda t: f"{t} {r.choice(kinds)}",), "LOCATION",
                               (lambda: f"{self.us.last_name()} {r.choice(kinds)}",
                                lambda: f"St. {r.choice(SAINTS)} {r.choice(kinds)}",
                                lambda: f"{self.us.first_name()} {self.us.last_name()} {r.choice(kinds)}"))

    def foster_agency(self) -> str:
        return self._with_town((lambda t: f"{t} Youth and Family Services", lambda t: f"{t} Children's Aid Society"), "LOCATION",
                               (lambda: f"{self.us.last_name()} Children's Home", lambda: f"{self.us.last_name()} Family Services"))

    def church(self) -> str:
        r = self.rng
        return self._with_town((lambda t: f"{t} First Baptist Church", lambda t: f"Iglesia Pentecostal de {t}"), "LOCATION",
                               (lambda: f"St. {r.choice(SAINTS)} Parish", lambda: f"{self.us.last_name()} Avenue Church of God"))

    def of_county(self, forms, kind: str = "LOCATION") -> str:
        """A court, agency or health department of a county (it belongs to the county's entity)."""
        r = self.rng

        def make():
            county = self.county()
            return r.choice(forms)(county), _owner("LOCATION", county)
        return self._draw(make, kind)

    def firm(self) -> str:
        r = self.rng

        def make() -> str:
            a, b, c = self.us.last_name(), self.us.last_name(), self.us.last_name()
            return r.choice((f"{a}, {b} & {c}, {r.choice(FIRM_TAILS)}", f"{a} & {b}, {r.choice(FIRM_TAILS[:3])}",
                             f"{a}, {b} & Associates", f"{a} {r.choice(FIRM_TAILS[4:])}",
                             f"Law Offices of {self.us.first_name()} {a}", f"{a} {b} Injury Lawyers"))
        return self._draw(make, "LOCATION")

    def domain(self, base: str, tails: tuple[str, ...] = (".com", "law.com", "-law.com", ".net", "legal.com")) -> str:
        words = [t for t in toks(base) if t.isalpha() and t not in ("and", "of", "the", "llp", "llc", "pc", "pllc")]
        return "".join(words[:2]) + self.rng.choice(tails)


class W:
    """A note being written: the benchmark's ``Note``, all-caps handling, spans with owners."""

    def __init__(self, note, c: Ctx, caps: bool) -> None:
        self.note, self.c, self.caps = note, c, caps
        self.n = 0
        self.spans: list[tuple[int, int, str, str, str]] = []
        note.g_spans = self.spans

    def _case(self, s: str) -> str:
        return s.upper() if self.caps else s

    def t(self, *texts: str) -> W:
        for x in texts:
            x = self._case(x)
            self.c.reg.text(x)
            self.note.t(x)
            self.n += len(x)
        return self

    def p(self, value: str, kind: str, owner: str | None = None) -> W:
        value = self._case(value)
        owner = owner or self.c.owner_of.get(value.lower()) or _owner(kind, value)
        self.c.reg.claim(value, kind, owner)
        self.spans.append((self.n, self.n + len(value), kind, value, owner))
        self.note.p(value, kind)
        self.n += len(value)
        return self

    def who(self, pn: Pn, kind: str, *forms: str, pre: str = "", post: str = "") -> W:
        """Write ``pn`` in the first of ``forms`` that is free (then in full)."""
        for f in forms + ("full", "full_mi", "lf", "gli", "fil", "lf_mi"):
            v = pn.form(f)
            if v is not None and self.c.reg.ok(self._case(v), pn.owner):
                return self.t(pre).p(v, kind, pn.owner).t(post)
        raise RuntimeError(f"set g: no free form for {pn}")

    def dr(self, pn: Pn, kind: str = "PROVIDER", title: str = "Dr.", post: str = "") -> W:
        """``Dr. Family``: the surname alone when free, else with its title, else in full."""
        if self.c.reg.ok(self._case(pn.family), pn.owner):
            return self.t(f"{title} ").p(pn.family, kind, pn.owner).t(post)
        if self.c.reg.ok(self._case(f"{title} {pn.family}"), pn.owner):
            return self.p(f"{title} {pn.family}", kind, pn.owner).t(post)
        return self.t(f"{title} ").who(pn, kind, "full", post=post)

    def home(self, acronym: bool = False) -> W:
        return self.p(self.c.home_acr if acronym else self.c.home, "HOSPITAL", "org:home")

    def maybe(self, value: str, kind: str, owner: str | None = None, alt: str = "") -> W:
        """Plant ``value`` when it is free, else write ``alt``."""
        if self.c.reg.ok(self._case(value), owner or self.c.owner_of.get(value.lower()) or _owner(kind, value)):
            return self.p(value, kind, owner)
        return self.t(alt)

    def d(self, day: date) -> W:
        return self.p(dfmt(day, self.c.rng), "DATE")

    def age(self, years: int, form: str = "") -> W:
        """An age: over 89 planted (``93-year-old``), else written."""
        r = self.c.rng
        if years > 89:
            return self.p(f"{years}-year-old" if r.random() < 0.6 else f"{years} year old", "DATE")
        return self.t(form.format(years) if form else r.choice((f"{years}-year-old", f"{years} yo", f"{years} y/o")))

    def num(self, pattern: str, kind: str = "MRN") -> W:
        return self.p(self.c.ident_no(pattern), kind)

    def pt_addr(self, ident, zip_too: bool = True, sep: str = ", ") -> W:
        """The patient's street, town and ZIP (parts that are not free are left out)."""
        c = self.c
        wrote = False
        if c.gen_ok(ident, "address"):
            self.p(ident.address, "ADDRESS")
            wrote = True
        if c.gen_ok(ident, "city"):
            city = ident.city if c.reg.ok(self._case(ident.city), _owner("ADDRESS", ident.city)) else f"{ident.city}, {ident.state}"
            if c.reg.ok(self._case(city), _owner("ADDRESS", city)):
                self.t(sep if wrote else "").p(city, "ADDRESS")
                wrote = True
                if city == ident.city:
                    self.t(f", {ident.state}")
        if zip_too and c.gen_ok(ident, "zip") and c.reg.ok(ident.zip, _owner("ZIP", ident.zip)):
            self.t(" " if wrote else "").p(ident.zip, "ZIP")
            wrote = True
        if not wrote:
            self.t("(address on file)")
        return self

    def place(self, town_st: tuple[str, str], kind: str = "LOCATION", state: bool = True) -> W:
        self.p(town_st[0], kind)
        return self.t(f", {town_st[1]}") if state else self


# ---------------------------------------------------------------------------------------------------
# shared pieces

def _pick(staff, *roles: str):
    return [s for s in staff if s.role in roles] or list(staff)


def _rel(c: Ctx, ident, *roles: str) -> Pn | None:
    rels = [p for p in c.relatives(ident) if not roles or p.role in roles]
    return c.rng.choice(rels) if rels else None


def _her(pn: Pn) -> str:
    return "her" if pn.sex == "f" else "his"


def _later(when: date, r: random.Random, lo: int, hi: int) -> date:
    return when + timedelta(days=r.randint(lo, hi))


# ---------------------------------------------------------------------------------------------------
# the twelve styles

def handoff(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    unit = r.choice(UNITS)
    pt = c.patient(ident)
    out_res = c.staff_pn(r.choice(_pick(staff, "resident")))
    att = c.staff_pn(r.choice(_pick(staff, "attending")))
    inc = c.person(role="resident")
    w.t(r.choice(("I-PASS HANDOFF", "Resident sign-out (I-PASS)", "NIGHT FLOAT SIGN-OUT")), f" -- {unit} -- ").d(when)
    w.t(f" {clock(r, ':')}\nTeam: ").home(r.random() < 0.5).t(" Medicine ")
    w.t(r.choice(("Gold", "Blue", "Team 3", "Hospitalist B")), "   Attending: ").dr(att)
    w.t("\nGiven by: ").who(out_res, "PROVIDER", "full", "fil", post=", MD (PGY-2)").t("   Received by: ")
    w.who(inc, "PROVIDER", "fil", "gli", "full", post=", MD (night float)\n")
    n_other = r.randint(3, 6)
    own_at = r.randrange(n_other + 1)
    rows = []
    for k in range(n_other + 1):
        if k == own_at:
            rows.append((pt, ident.stated_age, ident.mrn, True))
        else:
            other = c.person(cls="op")
            rows.append((other, r.randint(90, 101) if r.random() < 0.15 else r.randint(19, 89), None, False))
    layout = r.choice(("pipe", "block", "tab"))
    if layout == "pipe":
        w.t("\nRm   | Patient                   | Age/Sex | MRN        | Sev     | Summary / To do\n")
        w.t("-----+---------------------------+---------+------------+---------+----------------\n")
    elif layout == "tab":
        w.t("\nBed\tName\tAge\tMRN\tIllness severity\tSummary\tAction list\n")
    for pn, age, mrn, own in rows:
        bed = f"{r.randint(1, 40)}{r.choice('AB')}"
        sev = r.choice(("Stable", "Stable", "Watcher", "Unstable"))
        summary, action = r.choice(ONE_LINERS), r.choice(ACTIONS)
        sex = pn.sex.upper()
        if layout == "pipe":
            w.t(f"{bed:<4} | ").who(pn, "PATIENT", "LF", "lf_mi", "lf").t(" | ").age(age, "{}").t(f" {sex} | ")
            w.p(mrn, "MRN") if mrn else w.num(r.choice(("########", "E#######", "M########")))
            w.t(f" | {sev} | {summary}; {action}\n")
        elif layout == "tab":
            w.t(f"{bed}\t").who(pn, "PATIENT", "lf", "LF").t("\t").age(age, "{}" + sex.lower()).t("\t")
            w.p(mrn, "MRN") if mrn else w.num("########")
            w.t(f"\t{sev}\t{summary}\t{action}\n")
        else:
            w.t(f"\n* Rm {bed} -- ").who(pn, "PATIENT", "LF", "full", "lf").t(", ").age(age).t(f" {'woman' if pn.sex == 'f' else 'man'}, MRN ")
            w.p(mrn, "MRN") if mrn else w.num("########")
            w.t(f"\n  I: {sev}\n  P: {summary}\n  A: {action}\n  S: {r.choice(CONTINGENCIES)}\n")
        if own:
            rel = _rel(c, ident)
            if rel and r.random() < 0.7:
                w.t("     ^ ").t(f"{rel.role} ").who(rel, "RELATIVE", "given", "full").t(" is the contact, ").p(rel.phone, "PHONE")
                w.t("; ")
            else:
                w.t("     ^ ")
            w.t("PCP ").dr(c.person(role="pcp")).t(" at ").p(c.clinic(r.choice(("Family Medicine", "Internal Medicine", "Health Center"))), "HOSPITAL").t("\n")
        elif r.random() < 0.35:
            fam = c.person(family=pn.family, cls="rel")
            w.t("     ^ ").t(r.choice(("daughter ", "son ", "wife ", "husband ", "niece "))).who(fam, "RELATIVE", "given", "full")
            w.t(" at bedside, wants update from ").dr(c.person(role="consultant")).t(" (")
            w.t(r.choice(("cards", "GI", "nephro", "ID", "palliative")), ")\n")
    w.t("\nSynthesis by receiver: repeated back; questions answered. ")
    if r.random() < 0.5:
        w.t("Cross-cover pager for the night: ").p(c.phone(), "PHONE").t(".\n")
    return w


def contact_tracing(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = c.patient(ident)
    disease = r.choice(DISEASES)
    onset = when - timedelta(days=r.randint(3, 14))
    dept = (c.of_county((lambda k: f"{k} Health Department", lambda k: f"{k} Public Health")) if r.random() < 0.7
            else c._with_town((lambda t: f"{t} Board of Health",), "LOCATION"))
    w.t(r.choice(("COMMUNICABLE DISEASE CASE REPORT AND CONTACT INVESTIGATION\n", "Case investigation / contact tracing worksheet\n")))
    w.t("Jurisdiction: ").p(dept, "LOCATION").t("   State case #: ").num(r.choice(("????-####-######", "##-#######", "CI-####-#####")))
    w.t(f"\nCondition: {disease}   Case status: {r.choice(('confirmed', 'probable'))}\n\n")
    w.t("CASE\nName: ").who(pt, "PATIENT", "LF", "lf").t("   DOB: ").p(dfmt(ident.birth_date, r), "DATE")
    w.t(f"   Age: {ident.stated_age}   Sex: {pt.sex.upper()}\nAddress: ").pt_addr(ident).t("\nPhone: ").p(ident.phone, "PHONE")
    employer = c.employer()
    w.t(f"\nOccupation: {r.choice(JOBS) if ident.stated_age < 70 else 'retired, volunteers'} at ").p(employer, "LOCATION").t("\nOnset: ").d(onset).t("   Specimen collected: ")
    w.d(onset + timedelta(days=r.randint(1, 4))).t("   Reported by: ").dr(c.staff_pn(r.choice(_pick(staff, "attending"))))
    w.t(", ").home().t("\nInterviewed by: ").who(c.person(role="phn"), "PROVIDER", "full", "fil", post=", RN, public health nurse")
    w.t(", on ").d(when).t("\n\nCONTACTS\n")
    rels = c.relatives(ident)
    contacts = [(p, p.role, "household", None) for p in rels]
    hh_family = ident.family
    kid_rel = "grandchild" if ident.stated_age >= 55 else "child" if ident.stated_age >= 28 else "sibling"
    for _ in range(r.randint(0, 2)):
        contacts.append((c.person(family=hh_family, cls="rel"), r.choice((kid_rel, kid_rel, "nephew", "roommate", "cousin")), "household", None))
    school = c.school(r.randint(5, 16))
    for _ in range(r.randint(1, 3)):
        contacts.append((c.person(cls="ct"), "co-worker", "workplace", employer))
    if r.random() < 0.7:
        contacts.append((c.person(cls="ct"), f"classmate of {kid_rel}", "school", school))
    if r.random() < 0.5:
        contacts.append((c.person(cls="ct"), "friend", "church", c.church()))
    pipe = r.random() < 0.5
    if pipe:
        w.t("#  | Name | Age | Relation | Setting | Phone | Last exposure | Action\n")
    for k, (cp, relation, setting, site) in enumerate(contacts, 1):
        pa = ident.stated_age
        age = {"wife": pa + r.randint(-6, 4), "husband": pa + r.randint(-3, 7), "son": pa - r.randint(22, 34),
               "daughter": pa - r.randint(22, 34), "sibling": pa + r.randint(-8, 8), "roommate": pa + r.randint(-3, 3),
               "cousin": pa + r.randint(-10, 10)}.get(relation)
        if age is None:
            age = (r.randint(5, 17) if setting == "school" or relation in ("grandchild", "child", "nephew")
                   else r.randint(18, 68) if setting == "workplace" else r.randint(18, 96))
        age = max(1, age)
        if pipe:
            w.t(f"{k}  | ").who(cp, "RELATIVE", "full", "lf").t(" | ").age(age, "{}").t(f" | {relation} | {setting}")
            if site:
                w.t(" (").p(site, "LOCATION").t(")")
            w.t(" | ").p(c.phone_of(cp), "PHONE").t(" | ").d(when - timedelta(days=r.randint(0, 10)))
            w.t(f" | {r.choice(('PEP offered', 'symptom watch 21 d', 'PPD placed', 'declined', 'referred to PCP'))}\n")
        else:
            w.t(f"{k}. ").who(cp, "RELATIVE", "lf_mi", "lf", "full").t(", ").age(age, "age {}").t(f", {relation} ({setting}")
            if site:
                w.t(": ").p(site, "LOCATION")
            w.t(")\n   tel ").p(c.phone_of(cp), "PHONE")
            if setting != "household" and r.random() < 0.5:
                town = c.town()
                w.t("; lives ").p(c.street(), "ADDRESS").t(", ").place(town).t(" ").p(c.zipcode(town[1]), "ZIP")
            w.t("; last exposed ").d(when - timedelta(days=r.randint(0, 10))).t("\n")
    w.t("\nExposure sites: ")
    w.p(c.employer(), "LOCATION").t(" (").d(onset - timedelta(days=r.randint(1, 5))).t(") and ").p(school, "LOCATION")
    w.t(".\nLetter faxed to school nurse ").who(c.person(sex="f", role="school nurse"), "PROVIDER", "full", "gli").t(" at ").p(c.phone(), "PHONE")
    w.t(".\nEpidemiologist on call: ").who(c.person(role="epi"), "PROVIDER", "full", "full_mi").t(", ").p(c.phone(), "PHONE").t("\n")
    return w


def group_therapy(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = c.patient(ident)
    prog = r.choice(PROGRAMS)
    lead = c.person(role="facilitator")
    co = c.staff_pn(r.choice(_pick(staff, "nurse"))) if r.random() < 0.4 else c.person(role="cofacilitator")
    w.t(f"GROUP NOTE -- {prog}\nDate: ").d(when).t(f"  Time: {clock(r, ':')}-{clock(r, ':')}  Location: ")
    w.home().t(f" {r.choice(('Behavioral Health, Room B', 'outpatient annex', 'community room'))}\n")
    w.t("Facilitator: ").who(lead, "PROVIDER", "full", "full_mi", post=r.choice((", LICSW", ", PsyD", ", LCSW", ", LPC")))
    w.t("   Co-facilitator: ").who(co, "PROVIDER", "full", "gli", post=r.choice((", RN", ", CADC", ", OT")))
    members = [c.person(cls="grp") for _ in range(r.randint(4, 8))]
    at = r.randrange(len(members) + 1)
    style = r.choice(("given", "gli", "ini", "mixed"))
    w.t(f"\nTopic: {r.choice(TOPICS)}\n\nPresent ({len(members) + 1}): ")
    everyone = members[:at] + [pt] + members[at:]
    for k, m in enumerate(everyone):
        w.t(", " if k else "")
        if m is pt:
            w.who(pt, "PATIENT", "gli", "given", "full")
            continue
        f = r.choice(("given", "gli", "ini")) if style == "mixed" else style
        w.who(m, "PATIENT", f, "gli", "given")
    absent = [c.person(cls="grp") for _ in range(r.randint(0, 2))]
    if absent:
        w.t("\nAbsent: ")
        for k, m in enumerate(absent):
            w.t(", " if k else "").who(m, "PATIENT", "gli", "given").t(r.choice((" (work)", " (excused)", " (no call)")))
    w.t("\n\nProcess:\n")
    for m in r.sample(members, min(3, len(members))):
        w.t("- ").who(m, "PATIENT", "given", "gli", "ini").t(r.choice((" shared about a conflict with a parent;",
                                                                       " described two weeks sober;",
                                                                       " was tearful discussing a loss;",
                                                                       " offered feedback to peers;")))
        w.t(r.choice((" group validated.\n", " linked to topic.\n", " used skills card.\n")))
    w.t("\nThis member (").who(pt, "PATIENT", "gli", "full").t(f"): engaged, {r.choice(('shared', 'listened', 'practiced a skill'))}; ")
    rel = _rel(c, ident)
    if rel:
        w.t(f"reports {_her(pt)} {rel.role} ").who(rel, "RELATIVE", "given", "full").t(" will join family night on ").d(_later(when, r, 3, 20)).t(". ")
    w.t("Sponsor ").who(c.person(cls="rel"), "RELATIVE", "gli", "full").t(" may be called if needed.\nSafety: denies SI/HI.\n")
    w.t("-- ").who(lead, "PROVIDER", "fil", "full").t("\n")
    return w


def family_genogram(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = c.patient(ident)
    age = ident.stated_age
    therapist = c.person(role="therapist")
    rels = c.relatives(ident)
    w.t(r.choice(("FAMILY THERAPY SESSION -- GENOGRAM UPDATE\n", "Family meeting note with genogram\n")))
    w.t("Date: ").d(when).t("  Therapist: ").who(therapist, "PROVIDER", "full", "full_mi", post=", LMFT")
    w.t("\nPresent: ").who(pt, "PATIENT", "full", "given")
    for rel in rels:
        w.t(f", {rel.role} ").who(rel, "RELATIVE", "given", "full")
    w.t("\n\nGenogram (I = grandparents' generation):\n")
    father = c.person(sex="m", family=ident.family, cls="rel")
    maiden = c.person(sex="f", cls="rel")
    w.t("I   father: ").who(father, "RELATIVE", "full", "full_mi")
    f_age = age + r.randint(22, 36)
    if f_age > 96 or r.random() < 0.5:
        w.t(f", d. {when.year - r.randint(1, 30)}, {r.choice(('MI', 'lung ca', 'stroke', 'COPD'))}")
    else:
        w.t(", ").age(f_age).t(", lives in ").place(c.town())
    w.t("\n    mother: ").who(maiden, "RELATIVE", "full", "full_mi").t(" (maiden name), ")
    m_age = age + r.randint(20, 33)
    if m_age > 101:
        w.t(f"d. {when.year - r.randint(1, 20)}")
    else:
        w.age(m_age).t(", ").t(r.choice(("widowed, lives with ", "in memory care near ", "lives alone in ")))
        w.place(c.town())
    w.t("\nII  ").who(pt, "PATIENT", "LF", "full").t(f", {age}, identified patient\n")
    for rel in rels:
        if rel.role in ("wife", "husband"):
            w.t(f"    = {rel.role}: ").who(rel, "RELATIVE", "full").t(f", m. {when.year - r.randint(3, 40)}\n")
    for _ in range(r.randint(1, 3)):
        sib = c.person(family=ident.family if r.random() < 0.6 else None, cls="rel")
        w.t(f"    {'sister' if sib.sex == 'f' else 'brother'}: ").who(sib, "RELATIVE", "full", "given")
        w.t(", ").age(max(18, age + r.randint(-12, 12)), "{}").t(", ").place(c.town()).t(r.choice(("", "; estranged", "; close", "; in recovery")))
        w.t("\n")
    kids = [p for p in rels if p.role in ("son", "daughter")]
    if kids or age > 30:
        w.t("III children:\n")
        for kid in kids:
            w.t(f"    {kid.role}: ").who(kid, "RELATIVE", "full").t(f", {max(1, age - r.randint(20, 35))}\n")
        for _ in range(r.randint(0 if kids else 1, 2)):
            kid = c.person(family=ident.family, cls="rel")
            w.t(f"    {'daughter' if kid.sex == 'f' else 'son'}: ").who(kid, "RELATIVE", "given", "full")
            w.t(f", {max(1, age - r.randint(18, 38))}, ").t(r.choice(("attends ", "works at ")))
            w.p(r.choice((c.school(), c.employer())), "LOCATION").t("\n")
    w.t("\nThemes: ", r.choice(("caregiving strain", "conflict over finances", "grief after a death", "substance use in the family")))
    w.t(". Next session ").d(_later(when, r, 7, 21)).t(" with ").dr(c.staff_pn(r.choice(_pick(staff, "attending"))))
    w.t(" invited.\n")
    return w


def birth_record(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = c.patient(ident)
    ob = c.staff_pn(r.choice(_pick(staff, "attending")))
    if pt.sex == "f" and ident.stated_age <= 44:
        husband = _rel(c, ident, "husband")
        twins = r.random() < 0.3
        w.t(r.choice(("LABOR & DELIVERY SUMMARY\n", "DELIVERY NOTE / NEWBORN RECORD\n")))
        w.t("Mother: ").who(pt, "PATIENT", "LF", "lf").t("  MRN ").p(ident.mrn, "MRN").t(f"  Age {ident.stated_age}  ")
        w.t(f"G{r.randint(1, 5)}P{r.randint(0, 3)}  EDD ").d(_later(when, r, -7, 10)).t("\n")
        w.t("Father of baby: ")
        if husband:
            w.who(husband, "RELATIVE", "full").t(", ").p(husband.phone, "PHONE")
        else:
            fob = c.person(sex="m", cls="rel")
            w.who(fob, "RELATIVE", "full", "full_mi").t(" (partner), ").p(c.phone_of(fob), "PHONE")
        w.t("\nDelivered: ").d(when).t(f" at {clock(r, '')} at ").home().t(", L&D room ", str(r.randint(1, 14)))
        babies = (("A", r.choice("GB")), ("B", r.choice("GB"))) if twins else (("", r.choice("GB")),)
        for tag, sexc in babies:
            label = f"Baby {'Girl' if sexc == 'G' else 'Boy'} {f'{tag} ' if tag else ''}{ident.family}"
            baby = Pn(label, "", f"nb:{ident.mrn}:{tag}")
            w.t("\n\nInfant: ").p(label, "PATIENT", baby.owner).t("  Newborn MRN ").num("########")
            w.t(f"\n  Time of birth {clock(r, ':')}  Wt {r.randint(1900 if twins else 2600, 4300)} g  ")
            w.t(f"Apgars {r.randint(5, 8)}/{r.randint(8, 9)}  {r.choice(('SVD', 'primary C/S', 'repeat C/S', 'VAVD'))}")
            if r.random() < 0.6:
                nm = c.person(sex="f" if sexc == "G" else "m", family=ident.family, cls="nb")
                w.t("\n  Name chosen by parents: ").who(nm, "PATIENT", "full", "given")
        w.t("\n\nDelivering: ").dr(ob).t("   L&D RN: ").who(c.staff_pn(r.choice(_pick(staff, "nurse"))), "PROVIDER", "full", "fil")
        w.t("\nAnesthesia: ").who(c.person(), "PROVIDER", "full", "fil", post=", CRNA (epidural)")
        w.t("\nDoula: ").who(c.person(sex="f"), "PROVIDER", "full", "given").t("\nPediatrician: ").dr(c.person(role="peds"))
        w.t(", ").p(c.clinic(r.choice(("Pediatrics", "Pediatric Associates", "Children's Clinic"))), "HOSPITAL")
        w.t("\nSupport person in room: ").t(r.choice(("sister ", "mother ", "friend "))).who(c.person(sex="f", cls="rel"), "RELATIVE", "given", "full").t("\n")
        return w
    # the patient's own birth record, received from the hospital of birth
    born = ident.birth_date
    hosp = c.outside_hospital()
    mother = c.person(sex="f", family=ident.family, cls="rel")
    father = c.person(sex="m", family=ident.family, cls="rel")
    w.t("OUTSIDE RECORDS -- BIRTH RECORD (requested for genetics / congenital history)\nSource: ").p(hosp, "HOSPITAL")
    w.t(" medical records, received ").d(when).t("\n\n")
    w.t("Infant: ").p(f"Baby {'Girl' if pt.sex == 'f' else 'Boy'} {ident.family}", "PATIENT", pt.owner).t(" (now ")
    w.who(pt, "PATIENT", "full").t(")\nDate of birth: ").p(dfmt(born, r), "DATE").t(f"   Time: {clock(r, '')}   ")
    w.t(f"Weight: {r.randint(5, 9)} lb {r.randint(0, 15)} oz\n")
    w.t("Mother: ").who(mother, "RELATIVE", "LF", "lf_mi", "lf").t(", ").age(r.randint(17, 42), "age {}").t(", of ").place(c.town()).t("\n")
    w.t("Father: ").who(father, "RELATIVE", "LF", "lf_mi", "lf").t("\n")
    if r.random() < 0.35:
        twin = c.person(family=ident.family, cls="rel")
        w.t("Twin: ").p(f"Baby {'Girl' if twin.sex == 'f' else 'Boy'} B {ident.family}", "RELATIVE", twin.owner).t(", now ")
        w.who(twin, "RELATIVE", "full").t("\n")
    w.t("Delivered by: ").dr(c.person()).t("   Attending pediatrician: ").dr(c.person()).t("\n")
    w.t(f"Course: {r.choice(('term SVD, routine nursery', 'preterm 34 wk, NICU x9 d', 'jaundice, phototherapy x2 d', 'murmur noted at discharge'))}.\n")
    w.t("Reviewed by ").who(c.staff_pn(r.choice(_pick(staff, "resident", "attending"))), "PROVIDER", "full", "fil").t(".\n")
    return w


def transplant(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = c.patient(ident)
    organ = r.choice(("kidney", "kidney", "liver", "kidney-pancreas"))
    coord = c.person(role="coordinator")
    w.t(f"TRANSPLANT COORDINATOR NOTE -- {organ.upper()}\n")
    w.t("Recipient: ").who(pt, "PATIENT", "LF", "lf").t("   MRN: ").p(ident.mrn, "MRN").t("   DOB: ").p(dfmt(ident.birth_date, r), "DATE")
    w.t("\nWaitlist ID: ").num(r.choice(("WL#######", "#######", "???####"))).t(f"   ABO {r.choice(('O', 'A', 'B', 'AB'))}   cPRA {r.randint(0, 98)}%   listed ")
    w.d(when - timedelta(days=r.randint(60, 1500))).t("\n")
    if organ != "liver":
        w.t("Dialysis: ").p(c.clinic(r.choice(("Dialysis", "Kidney Center", "Dialysis Unit"))), "HOSPITAL").t(", nephrologist ").dr(c.person()).t("\n")
    rels = c.relatives(ident)
    if r.random() < 0.5:
        donor = r.choice(rels) if rels and r.random() < 0.6 else c.person(cls="rel", role=r.choice(("friend", "cousin", "co-worker", "sister")))
        w.t("\nLiving donor candidate: ").who(donor, "RELATIVE", "full", "full_mi").t(f" ({donor.role or 'friend'}), donor MRN ")
        w.num("########").t(", tel ").p(c.phone_of(donor), "PHONE").t("\n  work-up: CT angio ").d(_later(when, r, 3, 30))
        w.t(", psychosocial with ").who(c.person(role="sw"), "PROVIDER", "full", "fil", post=", LICSW")
        w.t("\n  independent living donor advocate: ").who(c.person(role="ilda"), "PROVIDER", "full", "full_mi").t("\n")
    else:
        opo = c._draw(lambda: f"{r.choice(OPO_REGIONS)} {r.choice(('Donor Network', 'Gift of Life', 'Organ Recovery', 'Donor Services'))}", "HOSPITAL")
        w.t("\nOrgan offer from ").p(opo, "HOSPITAL").t(" at ").t(clock(r, ':')).t(" on ").d(when).t("\n")
        w.t("  Donor ID ").num("???####").t(", match ID ").num("#######").t(f", {r.choice(('DBD', 'DCD'))}, KDPI {r.randint(5, 85)}%\n")
        w.t("  OPO coordinator: ").who(c.person(role="opo"), "PROVIDER", "full", "gli").t(", ").p(c.phone(), "PHONE")
        w.t("\n  Accepted by ").dr(c.staff_pn(r.choice(_pick(staff, "attending")))).t("; crossmatch sent; OR booked ").d(_later(when, r, 0, 1)).t("\n")
    w.t("\nCalled pt at ").p(ident.phone, "PHONE").t("; ")
    rel = _rel(c, ident)
    if rel:
        w.t(f"{rel.role} ").who(rel, "RELATIVE", "given", "full").t(" will drive. ")
    w.t("Caregiver plan reviewed with ").who(c.person(cls="rel"), "RELATIVE", "full").t(" (backup caregiver).\n")
    w.t("-- ").who(coord, "PROVIDER", "full", "full_mi", post=", RN, CCTC").t(", ").home().t(" Transplant Center\n")
    return w


def records_request(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = c.patient(ident)
    firm = c.firm()
    town = c.town()
    atty = c.person(role="attorney")
    para = c.person(role="paralegal", sex="f")
    dom = c.domain(firm)
    w.p(firm, "LOCATION").t("\n").p(c.street(), "ADDRESS").t(r.choice(("", f", Suite {r.randint(100, 990)}")))
    w.t("\n").place(town).t(" ").p(c.zipcode(town[1]), "ZIP").t("\nTel ").p(c.phone(), "PHONE").t("  Fax ").p(c.phone(), "PHONE")
    if c.reg.ok(f"www.{dom}", _owner("EMAIL", f"www.{dom}")):
        w.t("  ").p(f"www.{dom}", "EMAIL")
    w.t("\n\n").d(when).t("\n\n", r.choice(("VIA FACSIMILE AND CERTIFIED MAIL", "VIA SECURE E-MAIL", "SUBPOENA DUCES TECUM")))
    w.t("\nCustodian of Records\nHealth Information Management\n").home().t("\n\nRe:\tOur client: ")
    w.who(pt, "PATIENT", "full", "full").t("\n\tDOB: ").p(dfmt(ident.birth_date, r), "DATE")
    if r.random() < 0.6 and c.gen_ok(ident, "ssn"):
        w.t("\n\tSSN: ").p(ident.ssn, "SSN")
    loss = when - timedelta(days=r.randint(40, 700))
    w.t("\n\tDate of loss: ").d(loss)
    court = c.of_county((lambda k: f"Superior Court of {k}", lambda k: f"Circuit Court of {k}", lambda k: f"{k} District Court"))
    w.t("\n\tCaption: ").who(pt, "PATIENT", "full").t(" v. ")
    if r.random() < 0.5:
        w.p(c.employer(), "LOCATION")
    else:
        w.who(c.person(cls="def"), "RELATIVE", "full", "full_mi")
    w.t(", ").p(court, "LOCATION")
    w.t(", No. ").num(r.choice(("##-CV-#####", "####CV######", "CV-##-######")))
    w.t("\n\nDear Sir or Madam:\n\nPlease provide complete certified copies of all records, including itemized bills and ")
    w.t("imaging, for the period ").d(loss - timedelta(days=r.randint(0, 30))).t(" through ").d(when).t(". ")
    w.t("A HIPAA-compliant authorization signed by our client on ").d(when - timedelta(days=r.randint(2, 20)))
    w.t(" is enclosed. Records of treatment by ").dr(c.staff_pn(r.choice(_pick(staff, "attending")))).t(" and at ")
    w.p(c.outside_hospital(), "HOSPITAL").t(" are of particular interest.\n\nVery truly yours,\n\n")
    w.who(atty, "PROVIDER", "full_mi", "full", post=", Esq.").t("\n").maybe(f"{atty.given[0].lower()}{atty.family.lower()}@{dom}", "EMAIL", atty.owner)
    w.t("\nParalegal: ").who(para, "PROVIDER", "full", "given").t(", ext ", str(r.randint(200, 499)))
    opp = c.person(role="attorney")
    w.t("\ncc: ").who(opp, "PROVIDER", "full", "full_mi", post=", Esq.").t(", ").p(c.firm(), "LOCATION").t(" (defense counsel)\n")
    w.t("\n--- ROI LOG ---\n")
    roi = c.person(role="roi", sex="f")
    w.t("Received ").d(when + timedelta(days=r.randint(1, 5))).t(" by ").who(roi, "PROVIDER", "fil", "full", post=", RHIT")
    w.t("\tRequest # ").num("ROI-#######").t("\nAuthorization valid: ").t(r.choice(("yes", "no -- expired, returned"))).t("\tPages: ", str(r.randint(12, 900)))
    w.t("\nReleased ").d(_later(when, r, 6, 30)).t(" to ").who(para, "PROVIDER", "gli", "full").t(" via portal; fee waived.\n")
    return w


def workers_comp(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = c.patient(ident)
    employer = c.employer()
    site_town = c.town()
    doi = when - timedelta(days=r.randint(0, 20))
    w.t("EMPLOYER'S FIRST REPORT OF OCCUPATIONAL INJURY OR ILLNESS / WORK STATUS\n")
    w.t("Claim No.: ").num(r.choice(("WC-##-######", "##-######-??", "??#########"))).t(f"   Carrier: {r.choice(CARRIERS)}   Policy: ")
    w.num(r.choice(("WC#########", "??-#######")), "INSURANCE").t("\n\nEMPLOYEE\nName: ").who(pt, "PATIENT", "LF", "lf")
    w.t("   DOB: ").p(dfmt(ident.birth_date, r), "DATE")
    if c.gen_ok(ident, "ssn") and r.random() < 0.5:
        w.t("   SSN: ").p(ident.ssn, "SSN")
    job = r.choice(JOBS) if ident.stated_age < 70 else r.choice(("part-time greeter", "crossing guard", "seasonal farm hand", "school bus monitor"))
    w.t("\nHome address: ").pt_addr(ident).t("\nPhone: ").p(ident.phone, "PHONE").t(f"\nJob title: {job}   Hired: ")
    w.d(doi - timedelta(days=r.randint(100, 4000))).t("\n\nEMPLOYER\n").p(employer, "LOCATION").t("   FEIN ").num("##-#######")
    w.t("\nJob site: ").p(c.street(), "ADDRESS").t(", ").place(site_town).t(" ").p(c.zipcode(site_town[1]), "ZIP").t("\nSupervisor: ")
    sup = c.person(cls="wk")
    w.who(sup, "RELATIVE", "lf_mi", "lf", "full").t("  ").p(c.phone_of(sup), "PHONE")
    w.t("\n\nINJURY\nDate: ").d(doi).t(f"  Time: {clock(r, '')}\nHow: {r.choice(INJURIES)}.\nWitnesses:\n")
    for _ in range(r.randint(1, 3)):
        wit = c.person(cls="wk")
        w.t("  - ").who(wit, "RELATIVE", "lf_mi", "LF", "lf").t(f", {r.choice(JOBS)}, ").p(c.phone_of(wit), "PHONE").t("\n")
    adj = c.person(role="adjuster")
    w.t("\nAdjuster: ").who(adj, "PROVIDER", "full", "full_mi").t("  ").p(c.phone(), "PHONE").t(f" x{r.randint(100, 999)}  ")
    w.maybe(f"{adj.given.lower()}.{adj.family.lower()}@{c.domain(adj.family + ' claims', ('.com', '.net', 'group.com'))}", "EMAIL", adj.owner)
    w.t("\nTreating: ").dr(c.staff_pn(r.choice(_pick(staff, "attending", "resident")))).t(", ")
    w.p(c.clinic(r.choice(("Occupational Health", "Occupational Medicine", "WorkCare Clinic"))), "HOSPITAL")
    w.t("\nOSHA 300 case #: ").num("####-###").t("\n\nWORK STATUS: ")
    w.t(r.choice(("modified duty, no lifting > 10 lb", "off work", "full duty", "seated work only"))).t(" until ").d(_later(when, r, 7, 42))
    w.t(".\nNext visit ").d(_later(when, r, 7, 14)).t(". Copy to HR: ").who(c.person(role="hr"), "PROVIDER", "full", "fil").t("\n")
    return w


def child_welfare(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = c.patient(ident)
    age = ident.stated_age
    agency = c.of_county((lambda k: f"{k} Department of Children and Family Services", lambda k: f"{k} Children Services",
                          lambda k: f"{k} Child Protective Services"))
    worker = c.person(role="caseworker")
    w.t("SOCIAL WORK NOTE -- CHILD WELFARE COORDINATION\nDate: ").d(when).t("  Author: ")
    w.who(c.person(role="sw"), "PROVIDER", "full", "full_mi", post=", LCSW").t("\n\n")
    w.t("Agency: ").p(agency, "LOCATION").t("\nCaseworker: ").who(worker, "PROVIDER", "full", "fil").t("  ").p(c.phone_of(worker), "PHONE")
    w.t("\nSupervisor: ").who(c.person(role="cw supervisor"), "PROVIDER", "full", "full_mi").t("\nCase #: ")
    w.num(r.choice(("CPS-########", "##-####-###", "#########"))).t("\n")
    kin = age >= 48
    kids = []
    mother = father = None
    if kin:
        child = _rel(c, ident, "daughter", "son")
        mother = child if child and child.role == "daughter" else c.person(sex="f", cls="rel")
        father = child if child and child.role == "son" else c.person(sex="m", cls="rel")
        w.t(f"\nPt is the {'maternal' if mother is child else 'paternal'} grandparent and kinship caregiver of:\n")
        fam = (mother if mother is child else father).family
    else:
        mother, father = (pt, c.person(sex="m", cls="rel")) if pt.sex == "f" else (c.person(sex="f", cls="rel"), pt)
        w.t("\nPt is the parent of the children below, now in foster care:\n")
        fam = ident.family
    back = r.randint(200, 1800)
    for _ in range(r.randint(1, 4)):
        if back > 6400:
            break
        kid = c.person(family=fam if r.random() < 0.7 else None, cls="kid")
        kids.append(kid)
        k_born = when - timedelta(days=back)
        back += r.randint(420, 1900)
        k_age = (when - k_born).days // 365
        w.t("  * ").who(kid, "RELATIVE", "full", "lf").t(", DOB ").p(dfmt(k_born, r), "DATE").t(f", age {k_age}, ")
        w.t("daycare at " if k_age < 5 else "attends ").p(c.school(k_age), "LOCATION").t("\n")
    w.t("\nBiological mother: ").who(mother, "PATIENT" if mother is pt else "RELATIVE", "full")
    w.t(r.choice(("; supervised visits weekly", "; whereabouts unknown", "; in residential treatment", "")))
    w.t("\nBiological father: ").who(father, "PATIENT" if father is pt else "RELATIVE", "full")
    w.t(r.choice(("; incarcerated", "; not involved", "; paternity pending", "")))
    if not kin:
        fp1, fp2 = c.person(sex="f", cls="rel"), c.person(sex="m", cls="rel")
        w.t("\nFoster parents: ").who(fp1, "RELATIVE", "lf", "full").t(" and ").who(fp2, "RELATIVE", "lf", "full")
        w.t(", ").p(c.street(), "ADDRESS").t(", ").place(c.town()).t(", licensed by ").p(c.foster_agency(), "LOCATION")
    court = c.of_county((lambda k: f"{k} Juvenile Court", lambda k: f"Family Court of {k}", lambda k: f"{k} Probate and Family Court"))
    w.t("\n\nCourt: ").p(court, "LOCATION").t(", docket ").num(r.choice(("JV-##-####", "##JC#####", "##-J-####")))
    w.t("; next hearing ").d(_later(when, r, 10, 90)).t("\nGuardian ad litem / CASA: ").who(c.person(role="gal"), "PROVIDER", "full", "fil")
    w.t("\n\nAssessment: ").t(r.choice(("placement stable; pt needs respite", "reunification plan in progress",
                                        "safety plan reviewed; no new concerns", "kin requests help with school enrollment")))
    w.t(". Release signed for ").who(worker, "PROVIDER", "fil", "full").t(". Visit with ")
    w.who(kids[0], "RELATIVE", "given", "full").t(" planned at agency office ").d(_later(when, r, 2, 14)).t(".\n")
    return w


def sae_report(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = c.patient(ident)
    pi = c.staff_pn(r.choice(_pick(staff, "attending")))
    sub = c.staff_pn(r.choice(_pick(staff, "resident", "attending")))
    crc = c.person(role="crc")
    cra = c.person(role="cra")
    sponsor = r.choice(SPONSORS)
    site = f"{r.randint(100, 9899)}"
    onset = when - timedelta(days=r.randint(1, 10))
    w.t(r.choice(("SERIOUS ADVERSE EVENT REPORT FORM", "SAE Report -- Initial", "SAE REPORT - FOLLOW-UP #1")))
    w.t(f"\nProtocol: {sponsor.split()[0][:3].upper()}-{r.randint(100, 999)}-{r.randint(1, 4):02d}   Sponsor: {sponsor}   CRO: {r.choice(CROS)}\n")
    w.t(f"Site: {site} / ").home().t("\nPrincipal Investigator: ").dr(pi).t("\nSub-investigator: ")
    w.who(sub, "PROVIDER", "full", "fil").t("\nStudy coordinator: ").who(crc, "PROVIDER", "full", "full_mi").t(", ")
    w.p(c.phone_of(crc), "PHONE").t(", ").maybe(f"{crc.given.lower()}.{crc.family.lower()}@{c.domain(c.home, ('.org', 'health.org', '.edu'))}", "EMAIL", crc.owner, "(e-mail on file)")
    w.t("\n\nSubject ID: ").num(f"{site}-###").t("   Screening #: ").num("S####-##")
    ini = pt.form("ini")
    if r.random() < 0.7 and c.reg.ok(w._case(ini), pt.owner):
        w.t("   Initials: ").p(ini, "PATIENT", pt.owner)
    w.t(f"   Age: {ident.stated_age}   Sex: {pt.sex.upper()}\n")
    w.t(f"Event: {r.choice(SAE_TERMS)}   Onset: ").d(onset).t("   Site aware: ").d(onset + timedelta(days=r.randint(0, 3)))
    w.t("\nSeriousness: hospitalization at ").p(c.outside_hospital(), "HOSPITAL").t(", admitted ").d(onset).t(", discharged ")
    w.d(onset + timedelta(days=r.randint(2, 9))).t("\nTreating physician there: ").dr(c.person()).t("\n")
    w.t("Study drug first dose ").d(onset - timedelta(days=r.randint(20, 300))).t(", last dose ").d(onset - timedelta(days=r.randint(0, 5)))
    w.t(", kit ").num("K######").t("\nCausality (PI): ").t(r.choice(("possibly related", "unlikely related", "probably related")))
    w.t(f"\n\nNarrative: The subject, {'an' if str(ident.stated_age).startswith(('8', '11', '18')) else 'a'} ").age(ident.stated_age).t(" woman" if pt.sex == "f" else " man")
    w.t(", presented with the event above. ")
    rel = _rel(c, ident)
    if rel:
        w.t(f"{_her(pt).capitalize()} {rel.role} ").who(rel, "RELATIVE", "given", "full").t(" notified the site by phone. ")
    w.t("Records requested from ").who(c.person(role="him"), "PROVIDER", "full", "fil").t(" (HIM).\n\n")
    w.t("Monitor (CRA): ").who(cra, "PROVIDER", "full", "full_mi").t(", ").maybe(f"{cra.given[0].lower()}{cra.family.lower()}@{c.domain(r.choice(CROS), ('.com', '-cro.com'))}", "EMAIL", cra.owner, "(via sponsor portal)")
    w.t("\nMedical monitor: ").dr(c.person()).t("\nPI signature: ").who(pi, "PROVIDER", "full", "fil").t("  ").d(when).t("\n")
    return w


def or_team(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = c.patient(ident)
    proc = r.choice(PROCEDURES)
    cardiac = proc.startswith(("CABG", "aortic"))
    w.t(r.choice(("INTRAOPERATIVE RECORD", "ANESTHESIA / OR RECORD", "PERIOPERATIVE NURSING RECORD")), "\n")
    w.t("Patient: ").who(pt, "PATIENT", "LF", "lf").t("\tMRN: ").p(ident.mrn, "MRN").t("\tDOB: ").p(dfmt(ident.birth_date, r), "DATE")
    w.t("\nDate of surgery: ").d(when).t(f"\tOR {r.randint(1, 22)}\tCase #: ").num(r.choice(("OR-#######", "########")))
    w.t(f"\nProcedure: {proc}\nASA {r.randint(1, 4)}\n\nTEAM\n")
    team = [("Surgeon", c.staff_pn(r.choice(_pick(staff, "attending"))), ("dr",)),
            ("Assistant", c.staff_pn(r.choice(_pick(staff, "resident"))) if r.random() < 0.5 else c.person(), ("full", "fil")),
            ("Anesthesiologist", c.person(), ("dr",)),
            ("CRNA", c.person(), ("full", "lf_mi")),
            ("Circulator", c.staff_pn(r.choice(_pick(staff, "nurse"))) if r.random() < 0.5 else c.person(), ("full", "lf")),
            ("Scrub", c.person(), ("full", "gli", "lf"))]
    if cardiac:
        team.append(("Perfusionist", c.person(), ("full", "full_mi")))
    if r.random() < 0.7:
        team.append((f"Rep ({r.choice(DEVICE_COS)})", c.person(), ("full", "gli")))
    if r.random() < 0.4:
        team.append(("Observer (student)", c.person(), ("gli", "given", "full")))
    for label, pn, forms in team:
        w.t(f"{label}:\t")
        if forms == ("dr",):
            w.dr(pn)
        else:
            w.who(pn, "PROVIDER", *forms)
        w.t("\n")
    tm = r.randrange(6 * 60, 14 * 60)
    times = []
    for label, lo, hi in (("In room", 0, 0), ("Anesthesia start", 3, 9), ("Incision", 15, 40), ("Closure", 50, 300),
                          ("Out of room", 10, 30)):
        tm += r.randint(lo, hi)
        times.append(tm)
        w.t(f"{label}\t{tm // 60:02d}:{tm % 60:02d}\n")
    br = r.randint(times[2], times[3])
    relief = next((pn for lab, pn, _ in team if lab == "CRNA"), None)
    w.t("\nRelief: ").who(c.person(), "PROVIDER", "full", "fil").t(" relieved ").who(relief, "PROVIDER", "gli", "ini", "full")
    w.t(f" at {br // 60:02d}:{br % 60:02d} for break; report given.\n")
    if r.random() < 0.7:
        w.t(f"Implant: {r.choice(DEVICE_COS)} lot {r.choice('ABCDEFGH')}{r.randint(10, 99)}{r.choice('KLMNP')}{r.randint(100, 999)}, serial ")
        w.num(r.choice(("SN#########", "##########", "?##-######"))).t("\n")
    circ = next(pn for lab, pn, _ in team if lab == "Circulator")
    scrub = next(pn for lab, pn, _ in team if lab == "Scrub")
    w.t("Counts correct x2 (").who(circ, "PROVIDER", "ini", "gli", "full").t(" / ").who(scrub, "PROVIDER", "ini", "gli", "full").t(")\n")
    rel = _rel(c, ident)
    if rel:
        w.t(f"Family: {rel.role} ").who(rel, "RELATIVE", "given", "full").t(" in surgical waiting, updated at ").p(rel.phone, "PHONE").t("\n")
    return w


def cs_waste_log(w: W, c: Ctx, ident, staff, when: date) -> W:
    r = c.rng
    pt = c.patient(ident)
    if r.random() < 0.35:  # sterile compounding / home infusion record
        tech = c.person(role="cpht")
        rph = c.person(role="rph")
        w.t("STERILE COMPOUNDING RECORD -- ").home().t(" Infusion Pharmacy\n")
        w.t("Patient: ").who(pt, "PATIENT", "LF", "lf").t("  MRN ").p(ident.mrn, "MRN").t("  DOB ").p(dfmt(ident.birth_date, r), "DATE")
        w.t(f"\nOrder: {r.choice(('vancomycin 1.25 g in NS 250 mL', 'ertapenem 1 g in NS 100 mL', 'TPN 1.8 L', 'ceftriaxone 2 g in D5W 50 mL'))}\n")
        w.t("Compounded by: ").who(tech, "PROVIDER", "full", "lf", post=", CPhT").t("  badge ").p(c.badge_of(tech), "MRN")
        w.t(f"  {clock(r, ':')}\nVerified by: ").who(rph, "PROVIDER", "full_mi", "full", post=", PharmD").t("  (")
        w.who(rph, "PROVIDER", "ini", "gli", "full").t(")\n")
        w.t(f"Lots: {r.choice('BCDFGH')}{r.randint(1000, 9999)}{r.choice('AXZ')}, {r.choice('KLMNP')}{r.randint(100, 999)}{r.choice('QRT')}   BUD: ").d(_later(when, r, 1, 9))
        w.t("\nDeliver to: ").pt_addr(ident).t("\nHome infusion nursing: ").p(c.clinic(r.choice(("Home Infusion", "Home Health", "Visiting Nurses"))), "HOSPITAL")
        w.t(", nurse ").who(c.person(sex="f"), "PROVIDER", "full", "gli").t(", ").p(c.phone(), "PHONE").t("\n")
        return w
    unit = r.choice(UNITS)
    nurses = [c.staff_pn(s) for s in _pick(staff, "nurse")] + [c.person(role="rn") for _ in range(r.randint(2, 4))]
    w.t(f"CONTROLLED SUBSTANCE WASTE / DISCREPANCY LOG -- {unit} -- ").home(True).t("\nShift of ").d(when).t("\n")
    pipe = r.random() < 0.6
    if pipe:
        w.t("Time  | Patient              | Rm  | Drug                  | Wasted | RN (badge)        | Witness (badge)\n")
    else:
        w.t("TIME\tPATIENT\tRM\tDRUG\tWASTED\tRN\tWITNESS\n")
    rows = [pt] + [c.person(cls="op") for _ in range(r.randint(2, 5))]
    r.shuffle(rows)
    stamps = sorted(r.randrange(24 * 60) for _ in rows)
    for pn, st in zip(rows, stamps):
        rn, wit = r.sample(nurses, 2)
        drug, unit_, amounts = r.choice(DRUGS)
        amt = r.choice(amounts)
        w.t(f"{st // 60:02d}{st % 60:02d}  | " if pipe else f"{st // 60:02d}:{st % 60:02d}\t").who(pn, "PATIENT", "LF", "lf_mi", "lf")
        w.t(f" | {r.randint(1, 40)}{r.choice('AB')} | {drug} | {amt} {unit_} | " if pipe
            else f"\t{r.randint(1, 40)}\t{drug}\t{amt} {unit_}\t")
        for k, nurse in enumerate((rn, wit)):
            w.who(nurse, "PROVIDER", *r.choice((("ini", "gli", "fil"), ("fil", "lf"), ("gli", "fil"))))
            w.t(" (").p(c.badge_of(nurse), "MRN").t(")")
            w.t(" | " if pipe and k == 0 else "\t" if k == 0 else "\n")
    rph = c.person(role="rph")
    w.t("\nReviewed by pharmacy: ").who(rph, "PROVIDER", "full", "full_mi", post=", PharmD").t(" on ").d(_later(when, r, 0, 2))
    odd = r.choice(rows)
    w.t(f"\nDiscrepancy: {r.choice(('count off by 1 vial', 'waste not witnessed within 30 min', 'override pull without order'))} for ")
    w.who(odd, "PATIENT", "lf", "full").t("; referred to nurse manager ").who(c.person(role="nm"), "PROVIDER", "full", "fil").t(".\n")
    return w


WRITERS = {name: globals()[name] for name in STYLES_G}
CAPS = {"handoff": 0.2, "contact_tracing": 0.25, "workers_comp": 0.45, "cs_waste_log": 0.35, "sae_report": 0.25,
        "or_team": 0.2, "records_request": 0.05}


def make_writer(note_cls, seed: int, policy):
    """A ``write_note``-like function for the g styles.

    Parameters
    ----------
    note_cls:
        The benchmark's ``Note`` class (``t``/``p`` API).
    seed:
        Seed for this module's Faker instances, its register and the made-up home hospital.
    policy:
        The benchmark's :class:`NamePolicy` (surrogate tokens are never planted; a word planted
        alone is reserved in it, so the generator never gives it to a later patient).

    Returns
    -------
    callable
        ``write(style, ident, staff, fake, rng, when) -> Note``; ``fake`` is not used (this set
        draws from its own seeded Fakers), ``rng`` drives every choice.
    """
    ctx = Ctx(seed, policy)

    def write(style: str, ident, staff, fake: Faker, rng: random.Random, when: date):
        ctx.rng = rng
        ctx.register_patient(ident, staff)
        w = W(note_cls(), ctx, rng.random() < CAPS.get(style, 0.1))
        WRITERS[style](w, ctx, ident, staff, when)
        return w.note

    return write
