"""Synthetic identities (patients, relatives, staff) for simulated hospitals.

Everything comes from a seeded :class:`faker.Faker` plus a seeded
:class:`random.Random`, so the same seed gives the same people. Names are
filtered so that a planted name is never an ordinary English word, a clinical
term, a word of the source texts, or a token of the de-identifier's surrogate
vocabulary (see :func:`surrogate_vocabulary`).
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from faker import Faker

#: First names / surnames that are English words, eponyms or clinical terms.
NAME_BLOCKLIST: frozenset[str] = frozenset("""
may will hope grant bell parkinson april june july august faith joy rose mark bill art guy
sue jack frank grace dawn summer autumn crystal amber ruby pearl iris ivy holly heather daisy
rich chase hunter carter mason cole lane brooks wood woods hill ray sky sterling miles major
young long little black white brown green gray grey price king rice bush page street case ward
nurse doctor paget addison cushing graves crohn hodgkin wilson down alzheimer raynaud huntington
bowen colles barrett bright baker cook marsh pitt story hale hardy rush sharp short small strong
wise best love bond cash day early fair field ford fox frost glass gold hart head heart hope
house keys lamb lord mann moody moon penny post pope power reed rivers rock rose sage salt
shepherd silver snow spring stone swift temple vine wall waters west wolf worth angel
christian destiny harmony heaven justice liberty mercy patience precious serenity trinity
unique charity star storm river brook dale glen drew sandy rusty dusty candy misty
colt cody dean earl duke prince princess queen baron
brandy diamond ebony jade jasmine melody savannah sierra sydney virginia dakota austin chad
lance randy tanner troy jordan mercedes carmen ernest kerry regina shelby norma alexandria
charlotte madison cheyenne lacey candace misty mandy
banks mills hunt bishop fuller holland parks watts barker steele moss mack cannon farmer sparks
cain summers flowers huff combs nash gates pitts savage ware stout meadows herring crane horne
booth petty archer downs gamble mays bray proctor richmond sellers durham everett cobb brewer
weaver fletcher butler wheeler harper chandler mercer sexton newton valentine booker hammond
stafford compton hatfield glover sloan roth frey carr tate shields payne wade lowe neal tucker
bender harding avery sampson benton finley coffey burch knox riggs rollins haney mooney hays
shea bolton forbes chaney cooley carney pollard spencer logan tyler kent keith glenn curtis
miranda whitney ashley maxwell travis clayton dalton cameron hayden walton underwood gardner
hawkins strickland conner carey lutz blevins hinton jarvis irwin hester terrell baird
""".split())

#: Relationship words used for relatives, by the patient's sex and age.
SPOUSE = {"female": "husband", "male": "wife"}


def surrogate_vocabulary() -> frozenset[str]:
    """The de-identifier's surrogate tokens, or an empty set.

    Returns
    -------
    frozenset of str
        ``deid.surrogates.surrogate_vocabulary()`` when that module is
        importable, else ``frozenset()``.
    """
    try:
        from deid.surrogates import surrogate_vocabulary as vocab
    except ImportError:  # module not written yet
        return frozenset()
    return frozenset(vocab())


def stable_int(*parts: object) -> int:
    """A 64-bit integer derived from ``parts`` (stable across runs and platforms)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def make_rng(*parts: object) -> random.Random:
    """A :class:`random.Random` seeded from ``parts``."""
    return random.Random(stable_int(*parts))


def make_faker(*parts: object) -> Faker:
    """An ``en_US`` :class:`Faker` seeded from ``parts``."""
    fake = Faker("en_US")
    fake.seed_instance(stable_int(*parts))
    return fake


def tokens(value: str) -> list[str]:
    """Lower-cased alphabetic tokens of a value (``"St. Aurelia"`` -> ``["st", "aurelia"]``)."""
    return re.findall(r"[a-z]+", value.lower())


@dataclass
class NamePolicy:
    """Which name tokens may be planted.

    Attributes
    ----------
    banned:
        Lower-cased tokens never to plant (source words, surrogates, blocklist).
    surrogates:
        The surrogate vocabulary alone (also checked for streets and cities).
    used:
        Tokens already given to someone in this hospital (kept unique).
    """

    banned: frozenset[str]
    surrogates: frozenset[str]
    used: set[str] = field(default_factory=set)

    def name_ok(self, name: str) -> bool:
        """True when ``name`` is a plain capitalised word that is free to plant."""
        low = name.lower()
        return (bool(re.fullmatch(r"[A-Z][a-z]{3,11}", name)) and low not in self.banned
                and low not in self.used)

    def place_ok(self, value: str) -> bool:
        """True when no token of ``value`` is a surrogate token."""
        return not any(t in self.surrogates for t in tokens(value))

    def draw(self, pick: Callable[[], str], tries: int = 400) -> str:
        """Draw names from ``pick()`` until one is acceptable, and reserve it.

        Parameters
        ----------
        pick:
            Zero-argument callable returning a candidate name.
        tries:
            Attempts before giving up.

        Returns
        -------
        str
        """
        for _ in range(tries):
            name = pick()
            if self.name_ok(name):
                self.used.add(name.lower())
                return name
        raise RuntimeError("name pool exhausted; lower the number of patients")


@dataclass(frozen=True)
class Person:
    """A named person around a patient (relative) or in the hospital (staff).

    Attributes
    ----------
    given, family:
        Name.
    role:
        ``wife``, ``husband``, ``daughter``, ``son``, ``mother``, ``father``,
        ``attending``, ``resident``, ``nurse``.
    phone:
        Phone number, ``""`` for staff.
    """

    given: str
    family: str
    role: str
    phone: str = ""

    @property
    def full(self) -> str:
        """``Given Family``."""
        return f"{self.given} {self.family}"


@dataclass
class Identity:
    """A synthetic patient identity.

    Attributes mirror the ``patients.csv`` columns plus ``ssn``, ``fhir_id``,
    ``relatives`` and the statement the birth date was derived from.
    """

    mrn: str
    given: str
    family: str
    sex: str
    birth_date: date
    address: str
    city: str
    state: str
    zip: str
    phone: str
    email: str
    insurance_id: str
    insurer: str
    ssn: str
    fhir_id: str
    relatives: list[Person]
    stated_age: int
    age_reference_date: date
    origin: str

    @property
    def full(self) -> str:
        """``Given Family``."""
        return f"{self.given} {self.family}"

    def age_on(self, when: date) -> int:
        """Age in whole years on ``when``."""
        return age_on(self.birth_date, when)


def age_on(birth: date, when: date) -> int:
    """Age in whole years on ``when`` for someone born on ``birth``."""
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def birth_date_for_age(age: int, when: date, rng: random.Random) -> date:
    """A random birth date such that the person is ``age`` on ``when``.

    Parameters
    ----------
    age:
        Age in years on ``when``.
    when:
        Reference date (the visit).
    rng:
        Random source.

    Returns
    -------
    date
    """
    latest = _shift_years(when, -age)  # birthday exactly on `when`
    earliest = _shift_years(when, -age - 1) + timedelta(days=1)
    born = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
    assert age_on(born, when) == age
    return born


def _shift_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def phone_number(rng: random.Random) -> str:
    """A US phone number in the fictional 555-01xx range, ``(617) 555-0143``."""
    area = rng.choice([201, 203, 207, 212, 301, 401, 410, 413, 443, 508, 518, 603, 607,
                       617, 631, 716, 732, 774, 802, 845, 856, 860, 908, 914, 973, 978])
    return f"({area}) 555-01{rng.randint(0, 99):02d}"


def make_identity(*, fake: Faker, rng: random.Random, policy: NamePolicy, mrn: str,
                  sex: str, age: int, visit: date, origin: str, insurer_prefixes: dict[str, str],
                  birth_date: date | None = None) -> Identity:
    """Create one patient with relatives.

    Parameters
    ----------
    fake, rng:
        Seeded generators.
    policy:
        Name policy of the hospital (reserves the names it hands out).
    mrn:
        Hospital MRN.
    sex:
        ``female``/``male`` as the source text states.
    age:
        Age stated by the source text on ``visit``.
    visit:
        Date the age refers to.
    origin:
        Source text id.
    insurer_prefixes:
        Insurer name -> member-number prefix.
    birth_date:
        Use this birth date instead of drawing one (Synthea patients).

    Returns
    -------
    Identity
    """
    given = policy.draw(fake.first_name_female if sex == "female" else fake.first_name_male)
    family = policy.draw(fake.last_name)
    born = birth_date or birth_date_for_age(age, visit, rng)
    street = draw_place(fake.street_address, policy)
    city = draw_place(fake.city, policy)
    insurer = rng.choice(sorted(insurer_prefixes))
    relatives = _relatives(fake, rng, policy, sex, age, family)
    email_user = f"{given.lower()}.{family.lower()}{rng.randint(10, 99)}"
    return Identity(
        mrn=mrn, given=given, family=family, sex=sex, birth_date=born, address=street,
        city=city, state=fake.state_abbr(include_territories=False), zip=fake.zipcode(),
        phone=phone_number(rng),
        email=f"{email_user}@{rng.choice(['example.com', 'example.org', 'example.net'])}",
        insurance_id=f"{insurer_prefixes[insurer]}{rng.randint(10**8, 10**9 - 1)}",
        insurer=insurer,
        ssn=f"9{rng.randint(0, 99):02d}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
        fhir_id=_uuid(rng), relatives=relatives, stated_age=age, age_reference_date=visit,
        origin=origin)


def draw_place(pick: Callable[[], str], policy: NamePolicy, tries: int = 200) -> str:
    """Draw a street address or town from ``pick()`` with no surrogate token in it."""
    for _ in range(tries):
        value = pick()
        if policy.place_ok(value) and "\n" not in value:
            return value
    raise RuntimeError("could not draw a place name free of surrogate tokens")


def _relatives(fake: Faker, rng: random.Random, policy: NamePolicy, sex: str, age: int,
               family: str) -> list[Person]:
    out: list[Person] = []
    if age < 18:
        out.append(Person(policy.draw(fake.first_name_female), family, "mother",
                          phone_number(rng)))
        out.append(Person(policy.draw(fake.first_name_male), family, "father",
                          phone_number(rng)))
        return out
    spouse_role = SPOUSE[sex]
    spouse_pick = fake.first_name_male if spouse_role == "husband" else fake.first_name_female
    out.append(Person(policy.draw(spouse_pick), family, spouse_role, phone_number(rng)))
    if age >= 45:
        role = rng.choice(["daughter", "son"])
        pick = fake.first_name_female if role == "daughter" else fake.first_name_male
        child_family = family if role == "son" or rng.random() < 0.5 else policy.draw(fake.last_name)
        out.append(Person(policy.draw(pick), child_family, role, phone_number(rng)))
    return out


def make_staff(fake: Faker, policy: NamePolicy, n_doctors: int, n_nurses: int) -> list[Person]:
    """Attending physicians, residents and nurses of a hospital.

    Parameters
    ----------
    fake:
        Seeded Faker.
    policy:
        Name policy (names are reserved).
    n_doctors, n_nurses:
        How many of each.

    Returns
    -------
    list of Person
    """
    staff = [Person(policy.draw(fake.first_name), policy.draw(fake.last_name),
                    "attending" if i % 3 else "resident") for i in range(n_doctors)]
    staff += [Person(policy.draw(fake.first_name), policy.draw(fake.last_name), "nurse")
              for _ in range(n_nurses)]
    return staff


def _uuid(rng: random.Random) -> str:
    import uuid
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
