"""Turn public source texts into raw hospital notes carrying planted PHI.

A note is drafted as a list of parts, each either plain text or a planted PHI
value with its type, so the manifest is exact by construction. Three sources:

* MedPix teaching cases (PHI-free): PHI is written around the case text
  (header lines, social history, sign-off, follow-up, telephone call).
* PhysioNet deid nursing notes: every gold PHI span is replaced by a value of
  the matching type from the planted identity, in the span's casing and shape.
* Synthea notes: Synthea's own patient name and note date are replaced, and a
  short sign-off with more PHI is appended.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable, Sequence

from .identities import Identity, Person
from .manifest import PlantedValue
from .sources import MedPixCase, PhiSpan, PhysioNetNote, SyntheaNote, SyntheaPatient

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass
class SiteContext:
    """What a note generator needs to know about the hospital.

    Attributes
    ----------
    site_id, name, short_name:
        Site id, full hospital name and its in-house abbreviation.
    wards:
        Ward names (``"Ostrander 5"``, ``"4 West"``).
    pavilions:
        Named buildings the wards are in (``"Ostrander"``); PhysioNet
        ``Location`` spans followed by a number become one of these.
    facilities:
        Other (invented) facilities: rehab, nursing homes, outside hospitals.
    towns:
        Nearby towns (from Faker) for place names in notes.
    staff:
        Doctors and nurses.
    """

    site_id: str
    name: str
    short_name: str
    wards: list[str]
    pavilions: list[str]
    facilities: list[str]
    towns: list[str]
    staff: list[Person]

    @property
    def doctors(self) -> list[Person]:
        """Attendings and residents."""
        return [p for p in self.staff if p.role != "nurse"]

    @property
    def nurses(self) -> list[Person]:
        """Nurses."""
        return [p for p in self.staff if p.role == "nurse"]


@dataclass
class NoteDraft:
    """A note under construction: plain parts and planted PHI parts.

    Attributes
    ----------
    type:
        Note type (``"Discharge summary"``).
    when:
        Date and time of the note.
    origin:
        Source text id.
    parts:
        ``(text, phi_type or None)`` in order.
    """

    type: str
    when: datetime
    origin: str
    parts: list[tuple[str, str | None]] = field(default_factory=list)

    def add(self, text: str) -> NoteDraft:
        """Append plain text."""
        if text:
            self.parts.append((text, None))
        return self

    def phi(self, phi_type: str, value: str) -> NoteDraft:
        """Append a planted PHI value of ``phi_type``."""
        if not value:
            raise ValueError(f"empty {phi_type} value")
        self.parts.append((value, phi_type))
        return self

    @property
    def text(self) -> str:
        """The note text."""
        return "".join(t for t, _ in self.parts)

    def planted(self) -> list[PlantedValue]:
        """Distinct planted values in order of first appearance."""
        seen: dict[tuple[str, str], None] = {}
        for value, kind in self.parts:
            if kind is not None:
                seen.setdefault((kind, value), None)
        return [PlantedValue(kind, value) for kind, value in seen]

    def collisions(self) -> list[PlantedValue]:
        """Planted values that also occur in the note's plain text.

        A value that occurs in the plain text by coincidence (``7/22`` as a
        ratio, ``92`` as a heart rate) would survive correct de-identification,
        so such drafts are redrawn.
        """
        background = "\x00".join(t for t, k in self.parts if k is None).lower()
        bad = []
        for pv in self.planted():
            rx = r"(?<![a-z0-9])" + re.escape(pv.value.lower()) + r"(?![a-z0-9])"
            if re.search(rx, background):
                bad.append(pv)
        return bad


# ----------------------------------------------------------------------------- formats

def fmt_us(d: date, pad: bool = True, year: int = 4) -> str:
    """``03/14/1950`` (pad) or ``3/14/50`` (no pad, 2-digit year), ``3/14`` (year=0)."""
    m, dd = (f"{d.month:02d}", f"{d.day:02d}") if pad else (str(d.month), str(d.day))
    if year == 0:
        return f"{m}/{dd}"
    return f"{m}/{dd}/{d.year % 100:02d}" if year == 2 else f"{m}/{dd}/{d.year}"


def fmt_long(d: date) -> str:
    """``April 5, 2023``."""
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def match_case(original: str, value: str) -> str:
    """Give ``value`` the casing style of ``original`` (upper, lower or as is)."""
    letters = [c for c in original if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        return value.upper()
    if letters and all(c.islower() for c in letters):
        return value.lower()
    return value


def format_date_like(original: str, d: date) -> str | None:
    """Write ``d`` in the shape of a PhysioNet date span.

    Parameters
    ----------
    original:
        The gold span text (``8/25``, ``10/16``, ``8/19/20``, ``9-12-04``, ``Sept``).
    d:
        Date to write.

    Returns
    -------
    str or None
        The formatted date, or ``None`` for shapes this does not imitate
        (a bare day number, ranges, odd strings).
    """
    s = original.strip()
    m = re.fullmatch(r"(\d{1,2})([/-])(\d{1,2})(?:\2(\d{2}|\d{4}))?", s)
    if m:
        mo = f"{d.month:02d}" if m.group(1).startswith("0") else str(d.month)
        dy = f"{d.day:02d}" if m.group(3).startswith("0") else str(d.day)
        out = f"{mo}{m.group(2)}{dy}"
        if m.group(4):
            yr = str(d.year) if len(m.group(4)) == 4 else f"{d.year % 100:02d}"
            out += m.group(2) + yr
        return out + original[len(original.rstrip()):]
    m = re.fullmatch(r"([A-Za-z]{3,9})(\.?)", s)
    if m and m.group(1).lower()[:3] in {x.lower()[:3] for x in MONTHS}:
        name = MONTHS[d.month - 1]
        name = name[:3] if len(m.group(1)) <= 4 else name
        return match_case(m.group(1), name) + m.group(2) + original[len(s):]
    return None


def format_phone_like(original: str, digits: str) -> str | None:
    """Write ``digits`` into the digit positions of ``original``.

    Returns ``None`` when the digit counts differ.
    """
    if sum(c.isdigit() for c in original) != len(digits):
        return None
    it = iter(digits)
    return "".join(next(it) if c.isdigit() else c for c in original)


# ----------------------------------------------------------------------------- MedPix

def _ward_sentence(site: SiteContext, ward: str) -> list[tuple[str, str | None]]:
    return [(ward, "WARD"), (", ", None), (site.name, "HOSPITAL")]


def medpix_notes(case: MedPixCase, ident: Identity, site: SiteContext, rng: random.Random,
                 admit: date) -> list[NoteDraft]:
    """Clinical notes of one admission built around a MedPix case.

    Parameters
    ----------
    case:
        The teaching case (its text is kept verbatim).
    ident:
        Planted patient identity (age/sex match the case).
    site:
        Hospital context.
    rng:
        Random source (staff, times, follow-up dates).
    admit:
        Admission date; the case history's age refers to it.

    Returns
    -------
    list of NoteDraft
        History and physical, imaging report, discharge summary and, for some
        patients, a telephone encounter.
    """
    origin = f"medpix:{case.uid}"
    attending = rng.choice([d for d in site.doctors if d.role == "attending"] or site.doctors)
    resident = rng.choice(site.doctors)
    nurse = rng.choice(site.nurses)
    ward = rng.choice(site.wards)
    rel = ident.relatives[0]
    he = "her" if ident.sex == "female" else "his"
    t_admit = time(rng.randint(0, 23), rng.choice([0, 10, 15, 20, 30, 40, 45, 50]))
    notes: list[NoteDraft] = []

    hp = NoteDraft("History and physical", datetime.combine(admit, t_admit), origin)
    hp.add("ADMISSION HISTORY AND PHYSICAL\nPatient: ").phi("PATIENT", ident.full)
    hp.add("    MRN: ").phi("MRN", ident.mrn).add("    DOB: ")
    hp.phi("DATE", fmt_us(ident.birth_date)).add("\nAdmitted ")
    hp.phi("DATE", fmt_us(admit, pad=False, year=0))
    hp.add(f" at {t_admit:%H%M} to ")
    hp.parts += _ward_sentence(site, ward)
    hp.add(". Attending: Dr. ").phi("PROVIDER", attending.family).add(".\n\n")
    hp.add("HISTORY OF PRESENT ILLNESS:\n" + case.history.strip() + "\n\n")
    if case.exam:
        hp.add("EXAM:\n" + case.exam.strip() + "\n\n")
    hp.add("SOCIAL HISTORY:\nLives at ").phi("ADDRESS", ident.address).add(", ")
    hp.phi("ADDRESS", ident.city).add(f", {ident.state} ").phi("ZIP", ident.zip)
    if rel.role in {"mother", "father"}:
        hp.add(f" with {he} {rel.role} ").phi("RELATIVE", rel.full).add(".\n")
    else:
        hp.add(f" with {he} {rel.role} ").phi("RELATIVE", rel.given).add(".\n")
    hp.add("Contact: ").phi("PHONE", ident.phone).add(" / ").phi("EMAIL", ident.email).add("\n")
    hp.add(f"Insurance: {ident.insurer}, member ID ").phi("INSURANCE", ident.insurance_id)
    hp.add("\n\nSeen and examined with Dr. ").phi("PROVIDER", resident.full).add(".\n")
    hp.phi("PROVIDER", attending.full).add(", MD\n")
    notes.append(hp)

    exam_day = admit + timedelta(days=rng.randint(0, 1))
    t_exam = time(rng.randint(7, 22), rng.randint(0, 59))
    rad = NoteDraft("Radiology report", datetime.combine(exam_day, t_exam), origin)
    rad.add("IMAGING REPORT - ").phi("HOSPITAL", site.name).add("\nPatient: ")
    rad.phi("PATIENT", f"{ident.family.upper()}, {ident.given.upper()}").add("   MRN: ")
    rad.phi("MRN", ident.mrn).add("   Exam date: ").phi("DATE", fmt_us(exam_day)).add("\n")
    rad.add("Ordering physician: Dr. ").phi("PROVIDER", attending.full).add("\n\n")
    rad.add("CLINICAL HISTORY:\n" + case.history.strip() + "\n\n")
    rad.add("FINDINGS:\n" + case.findings.strip() + "\n\n")
    rad.add("IMPRESSION:\n" + case.diagnosis.strip() + "\n\n")
    rad.add("Electronically signed by ").phi("PROVIDER", resident.full).add(", MD on ")
    rad.phi("DATE", fmt_us(exam_day)).add(f" {t_exam:%H:%M}.\n")
    notes.append(rad)

    discharge = admit + timedelta(days=rng.randint(2, 9))
    follow = discharge + timedelta(days=rng.randint(7, 30))
    ds = NoteDraft("Discharge summary",
                   datetime.combine(discharge, time(rng.randint(9, 17), rng.randint(0, 59))),
                   origin)
    ds.add("DISCHARGE SUMMARY\n").phi("PATIENT", ident.full).add(" (MRN ").phi("MRN", ident.mrn)
    ds.add(") was admitted on ").phi("DATE", fmt_long(admit)).add(" and discharged on ")
    ds.phi("DATE", fmt_us(discharge)).add(" from ").phi("WARD", ward).add(".\n\n")
    ds.add("DIAGNOSIS: " + case.diagnosis.strip() + "\n\n")
    course = case.treatment.strip() or case.findings.strip()
    ds.add("HOSPITAL COURSE:\n" + course + "\n\n")
    if rel.role in {"mother", "father"}:
        ds.add(f"Patient's {rel.role} ").phi("RELATIVE", rel.given).add(" at bedside; ")
    else:
        ds.add(f"{rel.role.capitalize()} ").phi("RELATIVE", rel.given).add(" at bedside; ")
    ds.add("discharge plan reviewed and questions answered.\nFollow up with Dr. ")
    ds.phi("PROVIDER", attending.family).add(" in clinic on ")
    ds.phi("DATE", fmt_us(follow, pad=False)).add(". Call back at ").phi("PHONE", ident.phone)
    ds.add(" with questions.\n")
    notes.append(ds)

    if rng.random() < 0.5:
        call_day = follow - timedelta(days=rng.randint(1, 5))
        t_call = time(rng.randint(8, 18), rng.randint(0, 59))
        contact = ident.relatives[-1]
        tel = NoteDraft("Telephone encounter", datetime.combine(call_day, t_call), origin)
        tel.add("TELEPHONE ENCOUNTER ").phi("DATE", fmt_us(call_day)).add(f" {t_call:%H%M}\n")
        tel.add(f"Spoke with patient's {contact.role} ").phi("RELATIVE", contact.full)
        tel.add(" at ").phi("PHONE", contact.phone).add(". Identity verified with DOB ")
        tel.phi("DATE", ident.birth_date.isoformat()).add(" and SSN ").phi("SSN", ident.ssn)
        tel.add(f".\nResults discussed ({case.title or case.diagnosis}). Appointment confirmed.\n")
        tel.phi("PROVIDER", nurse.full).add(", RN\n")
        notes.append(tel)
    return notes


# ----------------------------------------------------------------------------- PhysioNet

_TITLE_BEFORE = re.compile(r"(?:\b(?:mr|mrs|ms|miss|dr)\.?\s*)$", re.IGNORECASE)
_MERGE_GAP = re.compile(r"[\s.,'-]{1,2}")
_HOSPITAL_WORDS = {"rehab", "hospital", "memorial", "st", "holy", "cross", "university", "u",
                   "medical", "center", "general", "mercy", "nursing", "home", "vamc", "va",
                   "clinic", "of", "mary's", "union", "harbor"}
_STATES = {"md", "maryland", "va", "virginia", "pa", "dc", "de", "nj", "ny"}


@dataclass
class PhysioNetMapper:
    """Consistent span -> planted value choices for one planted patient.

    The same gold string (``Vasquez``) always maps to the same planted person
    across that patient's notes.
    """

    ident: Identity
    site: SiteContext
    rng: random.Random
    memo: dict[tuple[str, str], str] = field(default_factory=dict)

    def _pick(self, key: tuple[str, str], make: Callable[[], str]) -> str:
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]

    def person_value(self, kind: str, original: str, before: str) -> str | None:
        """Planted name for a PTName / HCPName / RelativeProxyName span."""
        words = original.split()
        if len(original.strip()) <= 2 or not words:
            return None
        titled = bool(_TITLE_BEFORE.search(before))
        if kind == "PTName":
            person: Person = Person(self.ident.given, self.ident.family, "patient")
        elif kind == "HCPName":
            key = ("HCP", original.lower().strip())
            idx = self._pick(key, lambda: str(self.rng.randrange(len(self.site.staff))))
            person = self.site.staff[int(idx)]
        else:
            key = ("REL", original.lower().strip())
            idx = self._pick(key, lambda: str(self.rng.randrange(len(self.ident.relatives))))
            person = self.ident.relatives[int(idx)]
        if len(words) >= 2:
            value = person.full
        elif titled or kind == "HCPName" or "-" in original:
            value = person.family
        elif kind == "PTName":
            value = self._pick(("PTN", original.lower()),
                               lambda: self.rng.choice([person.given, person.family]))
        else:
            value = person.given
        return match_case(original, value) + original[len(original.rstrip()):]

    def location_value(self, original: str, after: str) -> tuple[str, str] | None:
        """Planted (value, type) for a Location span."""
        low = original.lower().strip()
        toks = set(re.findall(r"[a-z']+", low))
        if low in _STATES or not toks:
            return None
        if re.match(r"\s*\d", after):
            pav = self._pick(("PAV", low), lambda: self.rng.choice(self.site.pavilions))
            return match_case(original, pav), "WARD"
        if low in {"gh", "vamc", "va"} or (len(low) <= 4 and original.strip().isupper()):
            return match_case(original, self.site.short_name), "HOSPITAL"
        if re.match(r"\s*(?:hospital|memorial|medical|general|rehab|center|clinic)\b", after,
                    re.IGNORECASE):
            town = self._pick(("TOWNH", low), lambda: self.rng.choice(self.site.towns))
            return match_case(original, town), "HOSPITAL"
        if toks & _HOSPITAL_WORDS:
            fac = self._pick(("FAC", low), lambda: self.rng.choice(
                self.site.facilities + [self.site.name]))
            return match_case(original, fac), "HOSPITAL"
        town = self._pick(("TOWN", low), lambda: self.rng.choice(
            self.site.towns + [self.ident.city]))
        return match_case(original, town), "ADDRESS"


def _merge_spans(text: str, spans: Sequence[PhiSpan]) -> list[PhiSpan]:
    out: list[PhiSpan] = []
    for s in spans:
        if out and out[-1].type == s.type and s.start >= out[-1].end and \
                _MERGE_GAP.fullmatch(text[out[-1].end:s.start] or "  x"):
            prev = out[-1]
            out[-1] = PhiSpan(prev.start, s.end, s.type, text[prev.start:s.end])
        elif out and s.start < out[-1].end:
            continue  # overlapping gold spans: keep the first
        else:
            out.append(s)
    return out


def physionet_note(note: PhysioNetNote, mapper: PhysioNetMapper, when: datetime,
                   rng: random.Random) -> NoteDraft | None:
    """Replace the gold PHI spans of one PhysioNet note with planted values.

    Parameters
    ----------
    note:
        Source note.
    mapper:
        Per-patient consistent choices.
    when:
        Note date and time; partial dates are drawn a few days around it.
    rng:
        Random source for dates, years and pager numbers.

    Returns
    -------
    NoteDraft or None
        ``None`` when a span cannot be imitated (initials, bare day numbers,
        state names, the ``Other`` type).
    """
    ident = mapper.ident
    draft = NoteDraft("Nursing progress note", when, f"physionet:{note.patient}/{note.note}")
    text = note.text
    pos = 0
    date_memo: dict[str, str] = {}
    for span in _merge_spans(text, note.phi):
        original = text[span.start:span.end]
        value: str | None
        kind: str
        if span.type in {"PTName", "HCPName", "RelativeProxyName"}:
            kind = {"PTName": "PATIENT", "HCPName": "PROVIDER",
                    "RelativeProxyName": "RELATIVE"}[span.type]
            value = mapper.person_value(span.type, original, text[max(0, span.start - 5):span.start])
        elif span.type == "Date":
            kind = "DATE"
            if original not in date_memo:
                d = when.date() - timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5, 8]))
                got = format_date_like(original, d)
                if got is None:
                    return None
                date_memo[original] = got
            value = date_memo[original]
        elif span.type == "DateYear":
            kind = "DATE"
            digits = original.strip().lstrip("'")
            if not digits.isdigit() or len(digits) not in (2, 4):
                return None
            year = rng.randint(ident.birth_date.year + 18, when.year - 1) \
                if ident.birth_date.year + 18 < when.year - 1 else when.year - 1
            yr = str(year) if len(digits) == 4 else f"{year % 100:02d}"
            value = original.replace(digits, yr)
        elif span.type == "Location":
            got_loc = mapper.location_value(original, text[span.end:span.end + 12])
            if got_loc is None:
                return None
            value, kind = got_loc
        elif span.type == "Phone":
            kind = "PHONE"
            n = sum(c.isdigit() for c in original)
            if n == 10:
                owner = rng.choice([ident.phone] + [r.phone for r in ident.relatives])
                digits = "".join(c for c in owner if c.isdigit())
            elif n == 5:  # pager / extension; 4-digit ones would look like clock times
                digits = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(4))
            else:
                return None
            value = format_phone_like(original, digits)
        elif span.type == "Age":
            kind = "AGE"
            value = original.replace(original.strip(), str(ident.stated_age))
        else:
            return None
        if value is None:
            return None
        stripped = value.strip()
        lead = value[: len(value) - len(value.lstrip())]
        trail = value[len(value.rstrip()):]
        draft.add(text[pos:span.start] + lead).phi(kind, stripped).add(trail)
        pos = span.end
    draft.add(text[pos:])
    return draft


_PN_AGE = re.compile(r"\b(\d{2,3})\s*(?:yo|y/o|y\.o\.|yr old|year old|-year-old|yrs? old)\b",
                     re.IGNORECASE)


def physionet_age_sex(notes: Sequence[PhysioNetNote]) -> tuple[int | None, str, bool]:
    """Age, sex and whether ages are gold ``Age`` spans, read from a patient's notes.

    Returns
    -------
    tuple
        (most common stated age or ``None``, ``female``/``male``, has Age spans)
    """
    ages: Counter[int] = Counter()
    she = he = 0
    has_age_span = any(s.type == "Age" for n in notes for s in n.phi)
    for n in notes:
        ages.update(int(m.group(1)) for m in _PN_AGE.finditer(n.text))
        low = n.text.lower()
        she += len(re.findall(r"\b(?:she|her|female|woman|mrs|ms)\b", low))
        he += len(re.findall(r"\b(?:he|his|him|male|gentleman|man|mr)\b", low))
    age = ages.most_common(1)[0][0] if ages else None
    return age, "female" if she > he else "male", has_age_span


# ----------------------------------------------------------------------------- Synthea

_SYNTHEA_NAME = re.compile(r"(?:(?:Mrs?|Ms|Dr)\. )?(?:[A-Z][A-Za-z'\-]*\d+)(?: [A-Z][A-Za-z'\-]*\d+)*")
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def synthea_note(note: SyntheaNote, ident: Identity, site: SiteContext, rng: random.Random,
                 offset: timedelta) -> NoteDraft:
    """Rewrite one Synthea note for the planted identity.

    Synthea's patient name tokens become the planted name, its ISO dates are
    shifted by ``offset``, and a sign-off with provider, hospital, ward and
    phone is appended.

    Parameters
    ----------
    note:
        Source note.
    ident:
        Planted patient.
    site:
        Hospital context.
    rng:
        Random source.
    offset:
        Date shift applied to every date of this patient's Synthea record.

    Returns
    -------
    NoteDraft
    """
    when = datetime.combine(note.when + offset, time(rng.randint(7, 20), rng.randint(0, 59)))
    draft = NoteDraft(note.type, when, f"synthea:{note.doc_id}")
    text = note.text
    pos = 0
    hits = sorted([(m.start(), m.end(), "PATIENT") for m in _SYNTHEA_NAME.finditer(text)]
                  + [(m.start(), m.end(), "DATE") for m in _ISO.finditer(text)])
    for start, end, kind in hits:
        if start < pos:
            continue
        if kind == "PATIENT":
            value = ident.full
        else:
            value = (date.fromisoformat(text[start:end]) + offset).isoformat()
        draft.add(text[pos:start]).phi(kind, value)
        pos = end
    draft.add(text[pos:].rstrip("\n") + "\n\n")
    doctor = rng.choice(site.doctors)
    draft.add("Seen at ").phi("HOSPITAL", site.name).add(", ").phi("WARD", rng.choice(site.wards))
    draft.add(". Attending: Dr. ").phi("PROVIDER", doctor.full).add(". MRN ")
    draft.phi("MRN", ident.mrn).add(".\n")
    if rng.random() < 0.5:
        draft.add("Patient reachable at ").phi("PHONE", ident.phone).add(".\n")
    return draft


def synthea_window(pat: SyntheaPatient, rng: random.Random, k: int,
                   max_span_days: int = 4 * 365) -> list[SyntheaNote]:
    """Pick ``k`` consecutive notes of a Synthea patient.

    Notes stating an age in months are skipped; windows spanning at most
    ``max_span_days`` are preferred.
    """
    usable = [n for n in pat.notes if "month-old" not in n.text]
    if len(usable) <= k:
        return usable
    starts = [i for i in range(len(usable) - k + 1)
              if (usable[i + k - 1].when - usable[i].when).days <= max_span_days]
    start = rng.choice(starts) if starts else len(usable) - k
    return usable[start:start + k]
