"""Random PHI values for synthetic training notes, drawn from the wide lexicons and Faker.

Every value is *drawn*, never taken from a real note: names come from the 270k-entry name lists
(``deid/data/lexicon/wide``) plus invented names, places from GeoNames, the rest from Faker's
locale providers. A :class:`PhiFactory` returns ``(text, kind)`` pairs; ``kind`` is one of the
tagger's classes (:data:`deid.tagger.labels.CLASSES`).

Used to re-draw the PHI of annotated notes every epoch (:mod:`deid.synth.swap`) and to fill the
note templates (:mod:`deid.synth.templates`), so the tagger learns contexts rather than names.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from faker import Faker

from deid.lexicon import load_wide_lexicon

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LOCALES = ("en_US", "en_GB", "en_IE", "pl_PL", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "nl_NL", "cs_CZ",
            "hu_HU", "ro_RO", "sv_SE", "tr_TR", "vi_VN", "fil_PH", "hi_IN")
_SYLLABLES = ("ka ri mo lan der ste vic ton bel ash ro na zu fel gor mi ra ten lo quin bra dov sha nel "
              "ko vis tam re hal ur ber ol mac kin son ley ric har wel bur es tor").split()
_FACILITY_TAILS = ("Hospital", "Medical Center", "Memorial Hospital", "Memorial", "Med Ctr", "Regional Medical Center",
                   "Rehab", "Rehabilitation Center", "Nursing Home", "Nursing and Rehab", "SNF", "Health Center",
                   "Clinic", "Community Hospital", "General Hospital", "Hospice", "Care Center", "Manor",
                   "Assisted Living", "Children's Hospital", "University Hospital", "VA Medical Center")
_SAINTS = ("Saint", "St.", "St", "Holy", "Sacred", "Good", "Our Lady of")
_SAINT_NAMES = ("Mary's", "Joseph's", "Luke's", "Francis", "Agnes", "Vincent's", "Elizabeth's", "Anne's", "Cross",
                "Heart", "Samaritan", "Shepherd", "Family", "Redeemer", "Michael's", "Catherine's", "Jude", "Lourdes")
_SCHOOL_TAILS = ("High School", "Elementary", "Middle School", "University", "College", "Community College", "Academy")
_EMPLOYER_TAILS = ("Inc", "Corp", "LLC", "Logistics", "Construction", "Foods", "Motors", "Bank", "Insurance",
                   "Manufacturing", "& Sons", "Industries", "Group", "Systems")
_BUILDINGS = ("Pavilion", "Building", "Tower", "Wing", "Hall", "House", "Center")


@lru_cache(maxsize=None)
def _locale_faker(locale: str) -> Faker:
    return Faker(locale)


def _faker(locale: str, seed: int) -> Faker:
    """The (cached) Faker of ``locale``, re-seeded: building a Faker costs ~20 ms, seeding ~0."""
    fake = _locale_faker(locale)
    fake.seed_instance(seed)
    return fake


@dataclass
class PhiFactory:
    """Draws PHI values.

    Parameters
    ----------
    rng:
        The random source (seeded by the caller: epochs re-draw with a new seed).
    name_share:
        Which part of the name lists to draw from: ``None`` all of them, ``0`` or ``1`` one half
        (split by a stable hash), so that an evaluation can use names never seen in training.
    """

    rng: random.Random
    name_share: int | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ helpers
    def fake(self) -> Faker:
        """A Faker of a random locale (mostly US), seeded from ``rng``."""
        locale = "en_US" if self.rng.random() < 0.55 else self.rng.choice(_LOCALES)
        return _faker(locale, self.rng.randrange(1 << 16))

    def _pool(self, name: str) -> tuple[str, ...]:
        if name not in self._cache:
            lex = load_wide_lexicon()
            words = {"first": lex.first_names, "last": lex.last_names, "us": lex.us_places,
                     "world": lex.world_places}[name]
            if self.name_share is not None and name in ("first", "last"):
                words = {w for w in words if (sum(map(ord, w)) % 2) == self.name_share}
            self._cache[name] = tuple(sorted(w for w in words if w.isascii() and len(w) > 1))
        return self._cache[name]

    def _cap(self, word: str) -> str:
        return "-".join(p[:1].upper() + p[1:] for p in word.split("-")).replace("'S", "'s")

    def invented_name(self) -> str:
        """A pronounceable invented surname (not in any list: the tagger must not rely on lists)."""
        return self._cap("".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.choice((2, 2, 3)))))

    def first_name(self) -> str:
        """A first name (list, Faker locale with accents, or invented)."""
        r = self.rng.random()
        if r < 0.15:
            return self.fake().first_name()
        if r < 0.17:
            return self.invented_name()
        return self._cap(self.rng.choice(self._pool("first")))

    def last_name(self) -> str:
        """A surname (list, Faker locale with accents, hyphenated, or invented)."""
        r = self.rng.random()
        if r < 0.15:
            return self.fake().last_name()
        if r < 0.19:
            return self.invented_name()
        name = self._cap(self.rng.choice(self._pool("last")))
        if self.rng.random() < 0.05:
            name += "-" + self._cap(self.rng.choice(self._pool("last")))
        return name

    # ------------------------------------------------------------------ names
    def person(self, style: str | None = None) -> str:
        """A person's name in one of the ways notes write them."""
        first, last = self.first_name(), self.last_name()
        style = style or self.rng.choice(
            ("first last",) * 6 + ("last",) * 4 + ("first",) * 2 + ("f. last",) * 2 +
            ("last, first", "first m. last", "f.l.", "fl", "LAST, FIRST M", "first 'nick' last", "first (nick) last",
             "last first"))
        initial = first[:1]
        middle = self.first_name()
        nick = self.first_name()
        if style == "first last":
            return f"{first} {last}"
        if style == "last":
            return last
        if style == "first":
            return first
        if style == "f. last":
            return f"{initial}. {last}"
        if style == "last, first":
            return f"{last}, {first}"
        if style == "first m. last":
            return f"{first} {middle[:1]}. {last}"
        if style == "f.l.":
            return f"{initial}.{last[:1]}."
        if style == "fl":
            return f"{initial}{last[:1]}"
        if style == "LAST, FIRST M":
            return f"{last}, {first} {middle}".upper()
        if style == "first 'nick' last":
            q = self.rng.choice(('"', "'", "“"))
            return f"{first} {q}{nick}{'”' if q == '“' else q} {last}"
        if style == "first (nick) last":
            return f"{first} ({nick}) {last}"
        return f"{last} {first}"

    # ------------------------------------------------------------------ dates
    def a_date(self) -> date:
        """A date between 1930 and 2030."""
        return date(1930, 1, 1) + timedelta(days=self.rng.randrange(100 * 365))

    def date_text(self, d: date | None = None, style: str | None = None) -> str:
        """A date written in one of many clinical forms."""
        d = d or self.a_date()
        r = self.rng
        m, day, y = d.month, d.day, d.year
        styles = ("m/d", "m/d/yy", "m/d/yyyy", "mm/dd/yyyy", "iso", "iso_t", "dd.mm.yyyy", "ddMONyyyy", "month d",
                  "month d, yyyy", "d month yyyy", "mon d", "mon. d, yyyy", "the dth", "month yyyy", "mon-d",
                  "d-mon-yy", "m-d-yy", "mm/dd", "ordinal of month", "yyyy/mm/dd", "dd/mm/yyyy")
        style = style or r.choice(styles)
        ordn = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        mon, month = _ABBR[m - 1], MONTHS[m - 1]
        return {
            "m/d": f"{m}/{day}", "m/d/yy": f"{m}/{day}/{y % 100:02d}", "m/d/yyyy": f"{m}/{day}/{y}",
            "mm/dd/yyyy": f"{m:02d}/{day:02d}/{y}", "iso": d.isoformat(),
            "iso_t": f"{d.isoformat()}T{r.randrange(24):02d}:{r.randrange(60):02d}" + (":00" if r.random() < 0.3 else ""),
            "dd.mm.yyyy": f"{day:02d}.{m:02d}.{y}", "ddMONyyyy": f"{day:02d}{mon.upper()}{y}",
            "month d": f"{month} {day}", "month d, yyyy": f"{month} {day}, {y}", "d month yyyy": f"{day} {month} {y}",
            "mon d": f"{mon} {day}{ordn if r.random() < 0.3 else ''}", "mon. d, yyyy": f"{mon}. {day}, {y}",
            "the dth": f"the {day}{ordn}", "month yyyy": f"{month} {y}", "mon-d": f"{day}-{mon}",
            "d-mon-yy": f"{day}-{mon}-{y % 100:02d}", "m-d-yy": f"{m}-{day}-{y % 100:02d}", "mm/dd": f"{m:02d}/{day:02d}",
            "ordinal of month": f"{day}{ordn} of {month}", "yyyy/mm/dd": f"{y}/{m:02d}/{day:02d}",
            "dd/mm/yyyy": f"{day:02d}/{m:02d}/{y}",
        }[style]

    def year_text(self) -> str:
        """A year: "1992", "'92", "92'" (the context makes it a year)."""
        y = self.rng.randrange(1935, 2030)
        return self.rng.choice((str(y), str(y), f"'{y % 100:02d}", f"{y % 100:02d}'"))

    def month_text(self) -> str:
        """A month reference that is a date: "in sept.", "last March"."""
        m = self.rng.randrange(12)
        return self.rng.choice((MONTHS[m], _ABBR[m] + ".", _ABBR[m].lower() + ".", "sept."))

    # ------------------------------------------------------------------ places
    def town(self) -> str:
        """A US town or a world city."""
        pool = "us" if self.rng.random() < 0.7 else "world"
        return " ".join(self._cap(w) for w in self.rng.choice(self._pool(pool)).split())

    def facility(self) -> str:
        """An outside hospital, rehab, nursing home, VA ...: "St. Agnes Hospital", "Dunmore Med Ctr"."""
        r = self.rng.random()
        if r < 0.25:
            return f"{self.rng.choice(_SAINTS)} {self.rng.choice(_SAINT_NAMES)} {self.rng.choice(_FACILITY_TAILS[:8])}"
        if r < 0.3:
            return self.rng.choice(("VA", "the VA", "VAMC")) + ("" if self.rng.random() < 0.5 else f" {self.town()}")
        if r < 0.4:
            return "".join(w[0] for w in self.town().split())[:2].upper() + self.rng.choice(("H", "MC", "GH", "MH"))
        base = self.town() if self.rng.random() < 0.6 else self.last_name()
        return f"{base} {self.rng.choice(_FACILITY_TAILS)}"

    def building(self) -> str:
        """A named building or ward: "Ostrander Pavilion", "Kimbrough 7"."""
        name = self.last_name()
        return self.rng.choice((f"{name} {self.rng.choice(_BUILDINGS)}", f"{name} {self.rng.randrange(1, 12)}",
                                f"{name}{self.rng.randrange(1, 12)}", f"{name} {self.rng.choice(('North', 'South', 'East', 'West'))}"))

    def employer(self) -> str:
        """An employer or business."""
        if self.rng.random() < 0.5:
            return self.fake().company()
        return f"{self.last_name()} {self.rng.choice(_EMPLOYER_TAILS)}"

    def school(self) -> str:
        """A school."""
        return f"{self.town() if self.rng.random() < 0.6 else self.last_name()} {self.rng.choice(_SCHOOL_TAILS)}"

    def street_address(self) -> str:
        """A street address (one line)."""
        fake = self.fake()
        try:
            return fake.street_address()
        except AttributeError:
            return f"{self.rng.randrange(1, 9999)} {self.last_name()} Street"

    def postcode(self) -> str:
        """A postcode: US ZIP, UK, Polish, German, Canadian."""
        return self.rng.choice((
            lambda: f"{self.rng.randrange(10000, 99999)}",
            lambda: f"{self.rng.randrange(10000, 99999)}-{self.rng.randrange(1000, 9999)}",
            lambda: _faker("en_GB", self.rng.randrange(999)).postcode(),
            lambda: _faker("pl_PL", self.rng.randrange(999)).postcode(),
            lambda: _faker("de_DE", self.rng.randrange(999)).postcode(),
            lambda: _faker("en_CA", self.rng.randrange(999)).postcode(),
        ))()

    def city_line(self) -> str:
        """"Towson, MD 21204", "Leeds LS1 4AP", "00-950 Warszawa"."""
        r = self.rng.random()
        if r < 0.6:
            fake = _faker("en_US", self.rng.randrange(999))
            return f"{self.town()}, {fake.state_abbr()} {fake.zipcode()}"
        if r < 0.8:
            return f"{self.town()} {_faker('en_GB', self.rng.randrange(999)).postcode()}"
        return f"{_faker('pl_PL', self.rng.randrange(999)).postcode()} {self.town()}"

    # ------------------------------------------------------------------ numbers and contacts
    def phone(self) -> str:
        """A phone, fax or pager number in US or international layouts."""
        r = self.rng
        a, b, c = r.randrange(200, 999), r.randrange(200, 999), r.randrange(1000, 9999)
        return r.choice((f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"{a} {b} {c}", f"{b}-{c}", f"x{c}",
                         f"+1 {a} {b} {c}", f"+44 20 {r.randrange(7000, 8999)} {c}", f"+48 {a} {b} {c % 1000:03d}",
                         f"+49 30 {r.randrange(1000000, 9999999)}", f"{r.randrange(1, 9)}-{c}", f"1-800-{b}-{c}",
                         f"0{r.randrange(1000, 9999)} {r.randrange(100000, 999999)}"))

    def identifier(self) -> str:
        """MRNs, accession numbers, licences, plates, insurance ids, SSNs."""
        r = self.rng
        letters = lambda n: "".join(r.choice(string.ascii_uppercase) for _ in range(n))  # noqa: E731
        digits = lambda n: "".join(r.choice(string.digits) for _ in range(n))  # noqa: E731
        return r.choice((
            lambda: f"{digits(4)}-{digits(3)}-{digits(2)}", lambda: digits(r.randrange(6, 10)),
            lambda: f"{letters(1)}{digits(2)}-{digits(5)}", lambda: f"{letters(2)}{digits(7)}",
            lambda: f"{letters(1)}{digits(3)}-{digits(4)}-{digits(4)}", lambda: f"{digits(1)}{letters(3)}{digits(3)}",
            lambda: f"{digits(3)}-{digits(2)}-{digits(4)}", lambda: f"{letters(3)}{digits(9)}",
            lambda: self.fake().license_plate() if hasattr(self.fake(), "license_plate") else letters(3) + digits(4),
            lambda: f"{letters(1)}{digits(8)}", lambda: f"#{digits(7)}",
        ))()

    def email(self) -> str:
        """An e-mail address."""
        return self.fake().email()

    def url(self) -> str:
        """A URL (portal, personal page)."""
        return self.fake().url() + self.rng.choice(("", "portal", "patient/" + str(self.rng.randrange(10 ** 6))))

    def ip(self) -> str:
        """An IPv4 or IPv6 address."""
        fake = self.fake()
        return fake.ipv4() if self.rng.random() < 0.5 else fake.ipv6()

    def age_over_89(self) -> str:
        """An age over 89."""
        return str(self.rng.randrange(90, 108))

    def datetime_value(self) -> datetime:
        """A date and time."""
        return datetime.combine(self.a_date(), datetime.min.time()) + timedelta(minutes=self.rng.randrange(1440))
