"""Synthetic clinical notes in many styles, with every PHI value labelled by construction.

A note is built as a list of parts (plain text or PHI of a tagger class), so the labels are exact.
Styles: ICU nursing shorthand, referral letter, pathology report, portal message, telephone
encounter, social work, discharge summary, radiology report, ED triage, SOAP progress note,
consult, operative note, transfer/rehab summary. PHI values come from
:class:`deid.synth.values.PhiFactory`; the clinical filler is written here and includes hard
negatives (eponyms, devices, drugs, scores, ages under 90, times, doses) that must stay.

These notes train the tagger; they are never used to report unseen-note figures.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from deid.synth.swap import LabeledText
from deid.synth.values import PhiFactory

_EPONYM_FILLER = (
    "History of Parkinson's disease, on carbidopa-levodopa.", "Bell's palsy in the past, resolved.",
    "Graves disease s/p RAI.", "Foley catheter draining clear yellow urine.", "Crohn's flare last year.",
    "Hodgkin lymphoma in remission.", "Babinski negative bilaterally.", "Murphy's sign negative.",
    "Swan-Ganz catheter removed.", "Jackson-Pratt drain with serosanguinous output.", "Miller Fisher variant considered.",
    "Alzheimer dementia, baseline oriented x1.", "Cushing syndrome ruled out.", "Addison disease on hydrocortisone.",
    "Trendelenburg position for line placement.", "Guillain-Barre syndrome excluded by LP.", "Hickman line in place.",
    "Wilson disease workup negative.", "Glasgow Coma Scale 15.", "Kussmaul respirations resolved.",
)
_CLINICAL = (
    "Vital signs stable, afebrile.", "Lungs clear to auscultation bilaterally.", "Heart regular rate and rhythm, no murmur.",
    "Abdomen soft, non-tender, bowel sounds present.", "Tolerating diet without nausea.", "Pain controlled on oxycodone 5 mg q4h prn.",
    "Continue metoprolol 25 mg PO BID.", "Lasix 40 mg IV given with good response.", "Heparin drip per protocol, PTT 62.",
    "WBC 11.2, Hgb 9.8, Plt 210.", "Creatinine 1.4 from 1.1.", "CXR with small bilateral effusions.", "Ambulating with PT twice today.",
    "Incision clean, dry and intact.", "Blood cultures x2 pending.", "Started on vancomycin and cefepime.",
    "Insulin sliding scale, FS 140-210.", "O2 sat 94% on 2L NC.", "Denies chest pain or shortness of breath.",
    "Patient is a 67 year old man with CHF and COPD.", "A 45-year-old woman with type 2 diabetes.", "Mental status at baseline.",
    "NPO after midnight for procedure.", "Sinus rhythm 70s-80s, no ectopy.", "MAP > 65 off pressors since 0600.",
    "Will follow up CT abdomen/pelvis.", "Social: lives with family, independent with ADLs.", "Code status: full code.",
    "Skin intact, no breakdown noted.", "Urine output 40-60 cc/hr.", "Echo EF 35% with mild MR.", "TSH 2.1, A1c 7.9%.",
)
_UPPER_CLINICAL = (
    "NEURO: A+OX3, MAE, FOLLOWS COMMANDS.", "CV: HR 80S NSR, NO ECTOPY, BP 110-130/60S.", "RESP: LS CLEAR, DIM BASES, SATS 95% 4L NP.",
    "GI: ABD SOFT, +BS, TOL SIPS.", "GU: FOLEY PATENT, UO 50-100CC/HR.", "ID: AFEBRILE, ON VANCO/ZOSYN.", "SKIN: INTACT.",
    "PLAN: CONT TO MONITOR, WEAN O2 AS TOL.", "K 3.6 REPLETED WITH 40 MEQ KCL.", "PT RESTLESS OVERNOC, HALDOL 2MG IV GIVEN WITH EFFECT.",
    "HCT 28.1, TRANSFUSED 1U PRBC.", "CHEST TUBE TO SXN, NO AIR LEAK.", "DR AWARE OF LOW UO.",
)
_RELATION = ("wife", "husband", "daughter", "son", "sister", "brother", "mother", "father", "niece", "nephew",
             "friend", "partner", "granddaughter", "grandson", "HCP", "health care proxy", "guardian", "neighbor")
_ROLES = ("RN", "MD", "NP", "PA-C", "RRT", "LICSW", "PT", "OT", "DO", "CNA", "PharmD", "MSW")


@dataclass
class Note:
    """Parts of a note under construction: ``(text, cls)`` with ``cls`` ``None`` for plain text."""

    parts: list[tuple[str, str | None]] = field(default_factory=list)

    def add(self, *texts: str) -> "Note":
        for t in texts:
            self.parts.append((t, None))
        return self

    def phi(self, value: str, cls: str) -> "Note":
        self.parts.append((value, cls))
        return self

    def build(self, upper: bool = False) -> LabeledText:
        """Join the parts; ``upper`` writes the whole note in capitals (nursing style)."""
        text, spans = [], []
        pos = 0
        for value, cls in self.parts:
            value = value.upper() if upper else value
            if cls is not None and value:
                spans.append((pos, pos + len(value), cls))
            text.append(value)
            pos += len(value)
        return LabeledText("".join(text), tuple(spans))


def _filler(r: random.Random, n: int, upper: bool = False) -> str:
    pool = _UPPER_CLINICAL if upper else _CLINICAL
    picks = [r.choice(pool) for _ in range(n)]
    if r.random() < 0.5:
        picks.insert(r.randrange(len(picks) + 1), r.choice(_EPONYM_FILLER))
    return " ".join(picks)


def _sign(n: Note, f: PhiFactory) -> None:
    r = f.rng
    style = r.randrange(6)
    if style == 0:
        n.add("\n").phi(f.person("first last"), "NAME").add(f", {r.choice(_ROLES)}\n")
    elif style == 1:
        n.add("\nElectronically signed by ").phi(f.person("first m. last"), "NAME").add(f", {r.choice(_ROLES)} on ")
        n.phi(f.date_text(style=r.choice(("m/d/yyyy", "iso_t", "mm/dd/yyyy"))), "DATE").add("\n")
    elif style == 2:
        n.add("\n").phi(f.first_name()[:1] + ".", "NAME").add(" ").phi(f.last_name().upper(), "NAME").add(f" {r.choice(_ROLES)}\n")
    elif style == 3:
        n.add("\n-- ").phi(f.person("f.l."), "NAME").add("\n")
    elif style == 4:
        n.add("\n").phi(f.person("LAST, FIRST M"), "NAME").add(" MD\n")
    else:
        n.add("\nDictated by: Dr. ").phi(f.last_name(), "NAME").add("  Transcribed: ").phi(f.date_text(), "DATE").add("\n")


def nursing_icu(f: PhiFactory) -> tuple[Note, bool]:
    """ICU nursing shorthand (often all capitals)."""
    r, n = f.rng, Note()
    n.add("NPN 7A-7P\n", _filler(r, 3, True), "\n")
    n.add(r.choice(("DR ", "DR. ", "Dr "))).phi(f.last_name(), "NAME").add(r.choice((" AWARE.", " NOTIFIED OF K 3.1.", " PAGED RE: BP.")), "\n")
    n.add(_filler(r, 2, True), " ")
    n.add(r.choice(_RELATION).upper(), " ").phi(f.first_name(), "NAME").add(" CALLED, UPDATED BY RN.\n")
    n.add("PT TRANSFERRED FROM ").phi(f.facility(), "LOCATION").add(" ON ").phi(f.date_text(style="m/d"), "DATE").add(". ")
    n.add(_filler(r, 2, True), "\n")
    if r.random() < 0.5:
        n.add("PMH: MI ").phi(f.year_text(), "DATE").add(", CABG ").phi(f.year_text(), "DATE").add(".\n")
    if r.random() < 0.4:
        n.add("SEEN BY ").phi(f.first_name()[:1], "NAME").add(" ").phi(f.last_name(), "NAME").add(" RRT, TOL WEAN.\n")
    if r.random() < 0.3:
        n.add("FAMILY MEETING W/ ").phi(f.person("first last"), "NAME").add(" (SW) AND ").phi(f.person("last"), "NAME").add(" (RN).\n")
    return n, r.random() < 0.85


def referral_letter(f: PhiFactory) -> tuple[Note, bool]:
    """A letter from one clinician to another."""
    r, n = f.rng, Note()
    n.phi(f.facility(), "LOCATION").add("\n").phi(f.street_address(), "LOCATION").add("\n").phi(f.city_line(), "LOCATION")
    n.add("\nTel: ").phi(f.phone(), "ID").add("  Fax: ").phi(f.phone(), "ID").add("\n\n").phi(f.date_text(style=r.choice(("month d, yyyy", "d month yyyy", "dd.mm.yyyy"))), "DATE")
    n.add("\n\nDear Dr ").phi(f.last_name(), "NAME").add(",\n\nRe: ").phi(f.person("first last"), "NAME").add(", DOB ")
    n.phi(f.date_text(style=r.choice(("mm/dd/yyyy", "dd.mm.yyyy", "ddMONyyyy", "iso"))), "DATE").add(", MRN ").phi(f.identifier(), "ID")
    n.add("\n\nThank you for seeing this ", str(r.randrange(20, 89)), "-year-old ", r.choice(("man", "woman")), " whom I saw in clinic on ")
    n.phi(f.date_text(), "DATE").add(". ", _filler(r, 3), " ")
    n.add("She works as a teacher at ").phi(f.school(), "LOCATION").add(" and lives in ").phi(f.town(), "LOCATION").add(". ")
    n.add("Her ", r.choice(_RELATION), ", ").phi(f.person("first last"), "NAME").add(", can be reached on ").phi(f.phone(), "ID").add(".\n\n")
    n.add("Yours sincerely,\n\n").phi(f.person(r.choice(("first last", "first m. last"))), "NAME").add(r.choice((" MD", " MBBS", ", MD PhD", "")))
    n.add("\n").phi(f.email(), "CONTACT").add("\n")
    return n, False


def pathology_report(f: PhiFactory) -> tuple[Note, bool]:
    """A surgical pathology report."""
    r, n = f.rng, Note()
    n.add("SURGICAL PATHOLOGY REPORT\nAccession #: ").phi(f.identifier(), "ID").add("\nPatient: ").phi(f.person("LAST, FIRST M"), "NAME")
    n.add("\nMRN: ").phi(f.identifier(), "ID").add("   Collected: ").phi(f.date_text(style=r.choice(("iso_t", "mm/dd/yyyy", "ddMONyyyy"))), "DATE")
    n.add("\nSubmitting physician: ").phi(f.person("first last"), "NAME").add(", ").phi(f.facility(), "LOCATION")
    n.add("\n\nSPECIMEN: ", r.choice(("Colon, sigmoid, resection", "Skin, left forearm, punch biopsy", "Breast, right, core biopsy",
                                   "Prostate, needle biopsies x12")), "\n\nFINAL DIAGNOSIS:\n",
          r.choice(("Adenocarcinoma, moderately differentiated, margins negative (0/14 lymph nodes).",
                    "Invasive ductal carcinoma, grade 2, ER positive.", "Basal cell carcinoma, nodular type, margins clear.",
                    "Benign colonic mucosa; no dysplasia.")), "\n\nGROSS: Received in formalin labeled with the patient's name and ")
    n.add(r.choice(("'", '"'))).phi(f.last_name().upper(), "NAME").add(r.choice(("'", '"')), ". ")
    n.add("\nComparison: outside slides from ").phi(f.facility(), "LOCATION").add(" (").phi(f.identifier(), "ID").add(").\n")
    n.add("Pathologist: ").phi(f.person("first m. last"), "NAME").add(", MD  Signed out ").phi(f.date_text(), "DATE").add("\n")
    return n, r.random() < 0.15


def portal_message(f: PhiFactory) -> tuple[Note, bool]:
    """A patient portal message and the reply."""
    r, n = f.rng, Note()
    who = f.first_name()
    n.add("From: ").phi(f.person("first last"), "NAME").add(" <").phi(f.email(), "CONTACT").add(">\nSent: ")
    n.phi(f.date_text(style=r.choice(("m/d/yyyy", "iso_t", "month d, yyyy"))), "DATE").add(" ", f"{r.randrange(1, 12)}:{r.randrange(60):02d} PM")
    n.add("\nSubject: refill\n\nhi dr ").phi(f.last_name().lower(), "NAME").add(r.choice((",", " -", "!")), " its ").phi(who.lower(), "NAME")
    n.add(". i need a refill of my lisinopril, we are going to ").phi(f.town(), "LOCATION").add(" on the ").phi(f.date_text(style="the dth")[4:], "DATE")
    n.add(". my new number is ").phi(f.phone(), "ID").add(". my daughter ").phi(f.first_name(), "NAME").add(" will pick it up. thanks\n\n")
    n.add("Reply: Hi ").phi(who, "NAME").add(", refill sent to the ").phi(f.employer(), "LOCATION").add(" pharmacy. ", _filler(r, 1), "\n")
    n.add("- ").phi(f.person("first"), "NAME").add(", ").add(r.choice(_ROLES)).add("\nPortal: ").phi(f.url(), "CONTACT").add("\n")
    return n, False


def telephone_encounter(f: PhiFactory) -> tuple[Note, bool]:
    """A telephone encounter note."""
    r, n = f.rng, Note()
    n.add("TELEPHONE ENCOUNTER ").phi(f.date_text(style=r.choice(("m/d/yy", "mm/dd/yyyy", "iso"))), "DATE").add("\n")
    n.add("Caller: ").phi(f.person("first last"), "NAME").add(f" ({r.choice(_RELATION)})  Call back #: ").phi(f.phone(), "ID")
    n.add("\nReason: ", r.choice(("fever since yesterday", "question about warfarin dose", "wound drainage", "fall at home")), ". ")
    n.add(_filler(r, 2), " Advised to go to ").phi(f.facility(), "LOCATION").add(" ED if worse. ")
    n.add("Discussed with Dr. ").phi(f.last_name(), "NAME").add(", who agrees. Pt's pager ").phi(f.phone(), "ID").add(".\n")
    n.add("Appt booked ").phi(f.date_text(style=r.choice(("month d", "mon d", "m/d"))), "DATE").add(" with ").phi(f.person("f. last"), "NAME").add(".\n")
    _sign(n, f)
    return n, r.random() < 0.1


def social_work(f: PhiFactory) -> tuple[Note, bool]:
    """A social work assessment."""
    r, n = f.rng, Note()
    n.add("SOCIAL WORK ASSESSMENT\nMet with pt and ", r.choice(_RELATION), " ").phi(f.person("first last"), "NAME").add(". ")
    n.add("Pt lives at ").phi(f.street_address(), "LOCATION").add(", ").phi(f.city_line(), "LOCATION").add(" with ")
    n.add(r.choice(("her husband", "his wife", "two sons", "a roommate")), ". Pt worked for ").phi(f.employer(), "LOCATION")
    n.add(" for ", str(r.randrange(2, 30)), " years; retired in ").phi(f.year_text(), "DATE").add(". ")
    n.add("Grandson attends ").phi(f.school(), "LOCATION").add(". ")
    n.add("Church: ").phi(f.facility().split()[0] + " " + r.choice(("Baptist Church", "Parish", "Synagogue")), "LOCATION").add(". ")
    n.add("Plan for discharge to ").phi(f.facility(), "LOCATION").add("; referral faxed to ").phi(f.phone(), "ID").add(". ")
    n.add("Insurance: Medicare, member ID ").phi(f.identifier(), "ID").add(". Driver's license ").phi(f.identifier(), "ID").add(". ")
    n.add("Car plate ").phi(f.identifier(), "ID").add(" for parking pass. ")
    n.add("HCP is ").phi(f.person(r.choice(("first last", "first 'nick' last", "first (nick) last"))), "NAME").add(".")
    _sign(n, f)
    return n, False


def discharge_summary(f: PhiFactory) -> tuple[Note, bool]:
    """A discharge summary."""
    r, n = f.rng, Note()
    n.add("DISCHARGE SUMMARY\nName: ").phi(f.person("LAST, FIRST M"), "NAME").add("   Unit No: ").phi(f.identifier(), "ID")
    n.add("\nAdmission Date: ").phi(f.date_text(style=r.choice(("mm/dd/yyyy", "ddMONyyyy", "iso", "dd.mm.yyyy"))), "DATE")
    n.add("   Discharge Date: ").phi(f.date_text(style=r.choice(("mm/dd/yyyy", "ddMONyyyy", "iso", "dd.mm.yyyy"))), "DATE")
    n.add("\nAttending: ").phi(f.person("first m. last"), "NAME").add(", MD\nPCP: Dr. ").phi(f.person("f. last"), "NAME").add(" at ").phi(f.facility(), "LOCATION")
    n.add("\n\nHPI: ", _filler(r, 3), " Admitted to ").phi(f.building(), "LOCATION").add(". Seen in the ").phi(f.town(), "LOCATION").add(" clinic in ")
    n.phi(f.month_text(), "DATE").add(". ", _filler(r, 2), "\n\nFollow-up: ").phi(f.person("first last"), "NAME").add(" on ").phi(f.date_text(), "DATE")
    n.add(" at ", f"{r.randrange(7, 17)}:{r.choice(('00', '15', '30', '45'))}", ", phone ").phi(f.phone(), "ID").add(".\n")
    if r.random() < 0.3:
        n.add("Patient is ").phi(f.age_over_89(), "AGE").add(" years old and lives at ").phi(f.facility(), "LOCATION").add(".\n")
    _sign(n, f)
    return n, r.random() < 0.1


def radiology_report(f: PhiFactory) -> tuple[Note, bool]:
    """A radiology report with accession and comparison."""
    r, n = f.rng, Note()
    n.add(r.choice(("CT HEAD W/O CONTRAST", "MRI LUMBAR SPINE", "CHEST PA AND LATERAL", "US ABDOMEN COMPLETE")), "\n")
    n.add("Accession: ").phi(f.identifier(), "ID").add("  Exam date: ").phi(f.date_text(style=r.choice(("iso_t", "mm/dd/yyyy", "m/d/yy"))), "DATE")
    n.add("\nOrdering: ").phi(f.person("LAST, FIRST M"), "NAME").add("\nWorkstation: ").phi(f.ip(), "CONTACT")
    n.add("\nCOMPARISON: ").phi(f.date_text(), "DATE").add(" from ").phi(f.facility(), "LOCATION").add(".\n")
    n.add("FINDINGS: No acute intracranial hemorrhage. Mild chronic small vessel ischemic change. ")
    n.add("IMPRESSION: No acute process. Discussed with ").phi(f.person("f. last"), "NAME").add(" at ").add(f"{r.randrange(10, 23)}{r.randrange(60):02d}")
    n.add(" on ").phi(f.date_text(style="m/d"), "DATE").add(".\n")
    return n, r.random() < 0.3


def ed_triage(f: PhiFactory) -> tuple[Note, bool]:
    """ED triage note."""
    r, n = f.rng, Note()
    n.add("ED TRIAGE  Arrival ").phi(f.date_text(style=r.choice(("iso_t", "m/d/yyyy"))), "DATE").add(" by EMS from ").phi(f.street_address(), "LOCATION")
    n.add(". ", r.choice(("Pt", "Patient")), " is a ").phi(f.age_over_89(), "AGE").add(" yo ", r.choice(("F", "M")), " from ").phi(f.facility(), "LOCATION")
    n.add(" with fall. ", _filler(r, 2), " ", r.choice(_RELATION).capitalize(), " ").phi(f.person("first"), "NAME").add(" at bedside, cell ")
    n.phi(f.phone(), "ID").add(". Triage RN ").phi(f.person("first last"), "NAME").add(".\n")
    return n, r.random() < 0.4


def progress_note(f: PhiFactory) -> tuple[Note, bool]:
    """SOAP progress note."""
    r, n = f.rng, Note()
    n.add("PROGRESS NOTE ").phi(f.date_text(style=r.choice(("m/d", "m/d/yy", "month d"))), "DATE").add("\nS: ", _filler(r, 2), "\nO: ", _filler(r, 3))
    n.add("\nA/P: ", _filler(r, 2), " D/w ").phi(f.person(r.choice(("last", "first last"))), "NAME").add(" (").add(r.choice(("cards", "renal", "ID", "surgery")))
    n.add("). Family (").phi(f.person("first"), "NAME").add(", ", r.choice(_RELATION), ") updated by phone ").phi(f.phone(), "ID").add(".\n")
    if r.random() < 0.5:
        n.add("Outside records from ").phi(f.facility(), "LOCATION").add(" requested; prior MRN ").phi(f.identifier(), "ID").add(".\n")
    n.add(r.choice(("", "Resident: ", "Intern: "))).phi(f.person(r.choice(("first last", "f. last", "last"))), "NAME")
    n.add(r.choice((" MD", ", PGY-2", " aware", ""))).add("\n")
    return n, r.random() < 0.3


def consult_note(f: PhiFactory) -> tuple[Note, bool]:
    """A consult note."""
    r, n = f.rng, Note()
    n.add(r.choice(("CARDIOLOGY", "NEPHROLOGY", "INFECTIOUS DISEASE", "PSYCHIATRY")), " CONSULT\nRequested by: Drs ")
    n.phi(f.last_name(), "NAME").add(" and ").phi(f.last_name(), "NAME").add("\nReason: ", r.choice(("AKI", "new AF", "bacteremia", "capacity")), "\n")
    n.add("HPI: ", _filler(r, 3), " Previously followed at ").phi(f.facility(), "LOCATION").add(" by ").phi(f.person("first last"), "NAME").add(". ")
    n.add("Born in ").phi(f.town(), "LOCATION").add(", moved here in ").phi(f.year_text(), "DATE").add(". ")
    n.add("Recs: ", _filler(r, 2), " Will follow. Page with questions ").phi(f.phone(), "ID").add(".\n")
    _sign(n, f)
    return n, r.random() < 0.2


def operative_note(f: PhiFactory) -> tuple[Note, bool]:
    """An operative note."""
    r, n = f.rng, Note()
    n.add("OPERATIVE REPORT\nDate of surgery: ").phi(f.date_text(), "DATE").add("\nSurgeon: ").phi(f.person("first m. last"), "NAME")
    n.add(", MD\nAssistant: ").phi(f.person("first last"), "NAME").add(", PA-C\nAnesthesia: general, ").phi(f.person("f. last"), "NAME")
    n.add(", CRNA\nProcedure: ", r.choice(("Laparoscopic cholecystectomy", "Right total knee arthroplasty", "Sigmoid colectomy")), ".\n")
    n.add("A Foley catheter was placed. The Jackson-Pratt drain was left in the gallbladder fossa. EBL 50 mL. ")
    n.add("Implant lot ").phi(f.identifier(), "ID").add(". The patient went to PACU in stable condition.\n")
    return n, r.random() < 0.2


def transfer_summary(f: PhiFactory) -> tuple[Note, bool]:
    """A transfer / rehab summary with many places."""
    r, n = f.rng, Note()
    n.add("TRANSFER SUMMARY to ").phi(f.facility(), "LOCATION").add(" (").phi(f.facility(), "LOCATION").add(")\n")
    n.add("Pt admitted ").phi(f.date_text(), "DATE").add(" after MVC on ").phi(f.street_address().split(" ", 1)[-1], "LOCATION")
    n.add(" near ").phi(f.town(), "LOCATION").add(". Flown to ").phi(f.facility(), "LOCATION").add(", then ").phi(f.building(), "LOCATION").add(". ")
    n.add(_filler(r, 2), " Accepting MD: ").phi(f.person("first last"), "NAME").add(". Report called to ").phi(f.person("first"), "NAME")
    n.add(" RN at ").phi(f.phone(), "ID").add(". Contact ").phi(f.person("first last"), "NAME").add(" (", r.choice(_RELATION), ") ")
    n.phi(f.phone(), "ID").add(", ").phi(f.email(), "CONTACT").add(".\n")
    return n, r.random() < 0.3


STYLES: dict[str, Callable[[PhiFactory], tuple[Note, bool]]] = {
    fn.__name__: fn for fn in (nursing_icu, referral_letter, pathology_report, portal_message, telephone_encounter,
                               social_work, discharge_summary, radiology_report, ed_triage, progress_note, consult_note,
                               operative_note, transfer_summary)
}


def synthetic_note(f: PhiFactory, style: str | None = None) -> LabeledText:
    """One synthetic note of ``style`` (random when ``None``), labelled by construction."""
    name = style or f.rng.choice(sorted(STYLES))
    note, upper = STYLES[name](f)
    return note.build(upper=upper)
