"""Held-out note styles, set j, for ``bench/deid_heldout_export.py --styles j``.

Twelve kinds of document from the outpatient, diagnostic and operations services of a US hospital
system (a fictional one made up per seed: a medical center with its acronym, web domain, imaging
center, pathology department, patient financial services, patient relations office, research
unit, eye institute, hearing center, outpatient rehabilitation and opioid treatment program):

- ``radiology``: CT / MRI report with comparison to outside priors (outside imaging centers and
  hospitals, outside accession numbers, prior dates, images on CD brought by a relative, the
  referring clinician, a resident's dictation, the radiologist's e-signature and "results
  communicated to ... at HH:MM by phone"); as a final report, an all-caps RIS inquiry screen or a
  faxed copy to the referring office;
- ``path_consult``: outside pathology consultation / second opinion (referring pathologist and
  institution, outside case and block numbers, received date, courier tracking number, our
  consult number, a received-material table, the consultant's signature, slides returned);
- ``billing``: patient statement, all-caps account-notes screen of the billing system or a
  collections letter (guarantor, account, statement and insurer claim numbers, member number,
  remit address, payment plan, phones, pay-online URL with the account in it, collector initials,
  collection agency);
- ``grievance``: patient relations grievance file (complainant who is a relative, staff named in
  the complaint, the patient's roommate, unit, investigation log as a pipe table, manager and
  specialist, resolution letter to the complainant's address);
- ``nemt``: non-emergency medical transport scheduling log of a Medicaid broker as an ASCII
  all-caps screen, a tab-separated dispatch export or call notes (pickup addresses, riders on a
  shared ride, escort, driver, vehicle and plate, trip ids, transport company, dispatcher,
  callback numbers, county);
- ``dme``: durable medical equipment detailed written order / certificate of medical necessity
  with checkboxes, or a delivery ticket (supplier with NPI and PTAN, ordering physician NPI,
  Medicare MBI, HCPCS codes, delivery address, serial numbers, delivery technician, who signed);
- ``research``: clinical research study visit (screening log as a pipe table with other
  subjects' initials, screening numbers and ages, a case report form page, monitoring notes:
  subject id, site number, sponsor, CRO, coordinator, principal investigator, CRA, IRB number,
  randomization and kit numbers, central lab accession);
- ``eye``: ophthalmology / optometry exam with a tab table, a letter to a retina specialist or a
  driver's-licence vision report form (referring optometrist, retina practice, optical shop,
  licence number, examiner licence number, technician);
- ``audiology``: audiology evaluation with an audiogram pipe table and a hearing-aid fitting or
  an accommodation letter (audiologist, ENT, aid serial numbers, warranty dates, employer noise
  exposure and safety manager, or the patient's college and its disability office, vocational
  rehabilitation counselor);
- ``rehab_rtw``: outpatient physical / occupational therapy plan of care with a return-to-work
  note or a work-status form (employer and address, supervisor, nurse case manager, workers'
  compensation carrier, adjuster, claim number, SSN, date of injury, surgeon, therapist);
- ``otp_pdmp``: opioid treatment program dosing record (tab or pipe table of doses with nurse
  initials and take-home bottle numbers) with a prescription-monitoring (PDMP) report of other
  prescribers with DEA numbers and pharmacies with store numbers and Rx numbers, and a counselor
  note (guest dosing clinic, emergency contact, probation officer);
- ``telehealth_email``: telehealth scheduling e-mail thread (From / To / Cc / Date / Subject
  headers with display names, a relative in copy, interpreter services, the visit link with
  its meeting id, a dial-in number), a calendar-invite text and text-message reminders, with
  the patient's location for the visit (a relative's town or a city abroad).

Layouts: ``label: value`` forms, all-caps legacy screens with dotted leaders, pipe and tab tables,
prose, e-mail headers and quoted replies, faxed pages with fax header lines and light OCR noise,
``[X]`` / ``[ ]`` checkboxes, e-signatures, initials and ``/s/`` lines. Names are written as
``First Last``, ``First M. Last``, ``Last, First``, ``Last, First M.``, ``F. Last``, ``First L.``,
``LAST, FIRST``, lower case, three-letter initials (``JKM`` or ``J.K.M.``), a nickname in quotes
(``Francisco "Pancho" Ruiz``), a given name alone, or a surname after ``Dr.``, ``Ms.``, ``Mr.``,
``Officer`` and the like. Dates are ISO, ``02/03/2021``, ``2/3/2021``, ``02/03/21``,
``02-03-2021``, ``2021/02/03``, ``03-Feb-2021``, ``03-FEB-2021``, ``03FEB2021``, ``Feb 3rd, 2021``,
``February 3, 2021``, ``3 February 2021`` and ``20210203``, with and without clock times (the
clock time is never part of the planted value). Diacritics are kept (``José Peña``) except on the
ASCII-only screens (NEMT broker, billing system, PDMP), which write ``JOSE PENA``.

Sources. The patient, the patient's relatives and the hospital's own physicians and nurses come
from the benchmark's identities (``ident``, ``staff``); the benchmark's ``fake`` is not used.
Everyone and everything else is drawn from this module's own Faker instances seeded from the
benchmark seed (``en_US``, ``es_MX``, ``en_IN``, ``zh_CN`` romanized, ``de_DE``, ``it_IT``,
``ru_RU`` transliterated here, ``yo_NG``, ``ha_NG``, ``tl_PH``) and its own romanized Korean,
Arabic and Filipino name lists, nickname lists and lists of cities abroad; recurring people of
the home system (radiologists, billing representatives, dispatchers, drivers, coordinators,
monitors, audiologists, therapists, counselors, schedulers, interpreters) are small per-seed
pools, outside clinicians, other riders, other subjects, prescribers and pharmacies are new for
most notes. ``rng`` (the benchmark's) drives every choice, so the export is the same on every run
for a seed.

Kinds. ``PATIENT`` the patient (any shape, nickname) and other patients (riders, a roommate,
other subjects' initials); ``RELATIVE`` relatives, guarantors, escorts, complainants, those who
signed for a delivery and those in copy of an e-mail; ``PROVIDER`` clinicians and professionals
in their role (radiologists, pathologists, optometrists, audiologists, therapists, coordinators,
monitors, collectors, patient relations staff, managers, drivers, dispatchers, delivery
technicians, counselors, adjusters, case managers, supervisors, safety managers, interpreters,
schedulers, probation officers), initials included; ``ADDRESS`` every street address or PO box
and the patient's own town; ``LOCATION`` every other town, county and city abroad, employers,
schools and colleges, agencies, brokers, transport companies, carriers, sponsors, CROs and IRBs;
``ZIP``; ``HOSPITAL`` hospitals, the home system's sites and acronym, clinics and practices,
imaging centers, laboratories, pharmacies with their store numbers, optical shops, sleep
centers, treatment programs and DME suppliers; ``SSN``; ``INSURANCE`` member, Medicaid and MBI
numbers; ``MRN`` every other identifying number (MRN, accession, case, block, tracking, account,
statement, claim, grievance, trip, vehicle, plate, NPI, PTAN, DEA, serial, subject, screening,
site, IRB, randomization, kit, licence, Rx, bottle, PDMP request, meeting and interpreter ids);
``EMAIL`` e-mail addresses and URLs; ``PHONE`` phones and faxes; ``DATE`` dates of at least eight
characters and ages over 89 (written ``93 years old``). Clock times, years alone, ages under 90,
US states, countries, weekdays, drug names, HCPCS / CPT / ICD codes, device makers and models,
lot numbers, protocol numbers, units and dollar amounts are written but not planted. A value
planted as a single word is a word this module writes nowhere else (outside its name lists), no
everyday English word and no surrogate token, and belongs to one entity in a per-seed register
(every token drawn is also reserved in the benchmark's ``NamePolicy``); otherwise the value is
planted with its cue (``Dr. Bell``) or whole (``Ana Bell``).

What was read: only ``bench/deid_heldout_export.py`` (the scaffolding: ``Note``,
``build_export``, ``--styles``), the module interface of ``bench/heldout_styles_c.py`` (its
top-level names, ``make_writer`` and how it uses ``Note`` and the policy; not its templates) and
the demo's ``coordinator/demo/identities.py``, ``writer.py`` and ``phi_check.py``. Not read:
anything under ``deid/``, ``tests/`` or ``docs/``, the README, the shared data and corpora, the
other held-out sets (b, d, e, f, g, h, i) or their history, and no de-identification output; the
export was never ingested while this set was written.
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

STYLES_J = ("radiology", "path_consult", "billing", "grievance", "nemt", "dme", "research", "eye",
            "audiology", "rehab_rtw", "otp_pdmp", "telehealth_email")

NOTE_TYPES_J = {
    "radiology": "Radiology report", "path_consult": "Pathology consultation",
    "billing": "Billing statement", "grievance": "Patient relations grievance",
    "nemt": "Transportation log", "dme": "DME order", "research": "Research visit note",
    "eye": "Ophthalmology note", "audiology": "Audiology report", "rehab_rtw": "Therapy plan of care",
    "otp_pdmp": "Opioid treatment program record", "telehealth_email": "Scheduling correspondence",
}

FAKER_LOCALES = ("en_US", "es_MX", "en_IN", "zh_CN", "de_DE", "it_IT", "ru_RU", "yo_NG", "ha_NG", "tl_PH")

_BEGIN = "# ---- begin " + "name lists ----"
_END = "# ---- end " + "name lists ----"

# ---- begin name lists ----
KO_SUR = ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Shin", "Seo",
          "Kwon", "Hwang", "Ahn", "Song", "Jeon", "Hong", "Yoo", "Moon", "Yang", "Bae", "Baek", "Heo", "Nam",
          "Noh", "Kwak", "Sung", "Chun", "Byun", "Pyo", "Eom", "Chae", "Yeo", "Maeng", "Jeong", "Ryu", "Woo")
KO_F = ("Seo-yeon", "Ji-woo", "Ha-eun", "Min-seo", "Su-bin", "Ye-jin", "Hye-jin", "Eun-ji", "Ji-hye", "Soo-ah",
        "Yoon-hee", "Mi-kyung", "Jung-eun", "Hyun-joo", "Na-rae", "Bo-ram", "Seung-hee", "Da-eun", "Eun-young")
KO_M = ("Min-jun", "Seo-jun", "Do-yun", "Ji-ho", "Joon-young", "Hyun-woo", "Sung-min", "Dong-hyun", "Jae-won",
        "Tae-yang", "Kyung-soo", "Young-ho", "Sang-woo", "Jin-woo", "Byung-chul", "Chang-min", "Woo-jin")
AR_M = ("Mohammed", "Ahmad", "Omar", "Khalid", "Youssef", "Hassan", "Hussein", "Tariq", "Samir", "Karim",
        "Bilal", "Mahmoud", "Walid", "Ziad", "Nabil", "Rami", "Faisal", "Majid", "Hamza", "Anas", "Imad",
        "Jamal", "Marwan", "Ayman", "Osama")
AR_F = ("Fatima", "Aisha", "Layla", "Mariam", "Nour", "Rania", "Huda", "Salma", "Zainab", "Amira", "Dalia",
        "Hiba", "Lina", "Reem", "Samira", "Yasmin", "Noura", "Ghada", "Rasha", "Suha", "Manal", "Widad")
AR_SUR = ("Al-Masri", "Haddad", "Khoury", "Nasser", "Saleh", "Abdullah", "Hamdan", "Mansour", "Darwish",
          "Qasim", "El-Sayed", "Al-Rashid", "Barakat", "Aziz", "Farouk", "Shaheen", "Jaber", "Hijazi",
          "Tamimi", "Al-Amin", "Bitar", "Haddadin", "Khalil", "Najjar", "Sabbagh", "Zoubi", "Obeidat",
          "Qureshi", "Awad", "El-Khatib", "Suleiman", "Alawi", "Hourani", "Maalouf", "Karam", "Abu-Zeid")
PH_F = ("Maricel", "Rowena", "Lourdes", "Marivic", "Analyn", "Jocelyn", "Rosalie", "Maribel", "Liezl",
        "Jennylyn", "Arlene", "Charito", "Imelda", "Divina", "Corazon", "Remedios", "Luzviminda", "Marites")
PH_M = ("Jomar", "Arnel", "Jericho", "Rommel", "Edgardo", "Reynaldo", "Danilo", "Rodel", "Jonel", "Efren",
        "Ronaldo", "Virgilio", "Dindo", "Marlon", "Rogelio", "Nestor", "Bienvenido", "Wilfredo")
PH_SUR = ("Dela Cruz", "Bautista", "Villanueva", "Macaraeg", "Dimaculangan", "Pangilinan", "Manalo",
          "Magbanua", "Soriano", "Panganiban", "Lacson", "Dizon", "Tolentino", "Mercado", "Aquino", "Dimagiba",
          "Mangubat", "Buenaventura", "Sison", "Lagman", "Ocampo", "Macapagal", "Salonga", "Tiongson",
          "Gatchalian", "Ilagan", "Pascual", "Dumalagan", "Evangelista", "Dimaano", "Sumulong")
NICKS = {"robert": "Bobby", "william": "Billy", "elizabeth": "Liz", "katherine": "Kate", "margaret": "Peggy",
         "richard": "Ricky", "james": "Jimmy", "thomas": "Tommy", "joseph": "Joey", "patricia": "Patty",
         "jennifer": "Jenny", "michael": "Mikey", "christopher": "Topher", "kimberly": "Kimmie",
         "deborah": "Debbie", "susan": "Suzy", "daniel": "Danny", "anthony": "Tony", "francisco": "Pancho",
         "jose": "Pepe", "josé": "Pepe", "guadalupe": "Lupe", "ignacio": "Nacho", "guillermo": "Memo",
         "jesus": "Chuy", "jesús": "Chuy", "alejandro": "Jando", "enrique": "Kike", "rosario": "Charo",
         "dolores": "Lola", "mercedes": "Meche", "concepción": "Conchita", "alexander": "Sasha",
         "aleksandr": "Sasha", "mikhail": "Misha", "nikolai": "Kolya", "ekaterina": "Katya",
         "natalia": "Natasha", "giuseppe": "Peppino", "francesca": "Cesca", "wolfgang": "Wolfi",
         "johannes": "Hannes", "rebecca": "Becky", "barbara": "Barb", "charles": "Chuck", "edward": "Eddie",
         "gregory": "Greg", "kenneth": "Kenny", "lawrence": "Larry", "samantha": "Sammy", "victoria": "Tori",
         "jonathan": "Jon", "timothy": "Timmy", "stephanie": "Steph", "jessica": "Jess", "nicholas": "Nicky",
         "david": "Davey", "matthew": "Matty", "christina": "Tina", "catherine": "Cathy", "deanna": "Dee",
         "steven": "Stevie", "donald": "Donnie", "ronald": "Ronnie", "gerald": "Gerry", "harold": "Hal",
         "walter": "Wally", "frances": "Fran", "theresa": "Terri", "pamela": "Pam", "cynthia": "Cindy",
         "christine": "Chrissy", "melissa": "Missy", "kathleen": "Kathy", "joshua": "Josh", "zachary": "Zach",
         "benjamin": "Benji", "alexandra": "Lexi", "gabriel": "Gabe", "samuel": "Sammy", "patrick": "Paddy",
         "jacqueline": "Jackie", "evelyn": "Evie", "rodney": "Rod", "jeffrey": "Jeff", "kristen": "Kris",
         "carolyn": "Carrie", "debra": "Debbie", "julia": "Jules", "andrea": "Andie", "brian": "Bri",
         "douglas": "Dougie", "stanley": "Stan", "phillip": "Phil",
         "philip": "Phil", "vincent": "Vinny", "eugene": "Gene", "leonard": "Lenny", "bernard": "Bernie",
         "marjorie": "Margie", "beverly": "Bev", "virginia": "Ginny", "josephine": "Josie", "cristina": "Cris",
         "roberto": "Beto", "eduardo": "Lalo", "ramón": "Moncho", "gustavo": "Tavo", "adolfo": "Fito",
         "yolanda": "Yoli", "graciela": "Chela", "ramona": "Mona", "soledad": "Chole"}
PH_NICKS = ("Bong", "Jun-Jun", "Inday", "Dodong", "Chito", "Bebeng", "Totoy", "Neneng")
SAINTS = ("Bridget", "Cecilia", "Damian", "Eustace", "Adalbert", "Casimir", "Hedwig", "Wenceslaus", "Benedict",
          "Scholastica", "Gerard", "Florian", "Hilda", "Remigius", "Odilia", "Boniface")
ABROAD = {"de": ("Germany", None), "it": ("Italy", None), "mx": ("Mexico", None), "in": ("India", None),
          "ru": ("Russia", None),
          "ph": ("the Philippines", ("Batangas", "Iloilo", "Dagupan", "Tuguegarao", "Cabanatuan", "Tacloban",
                                     "Zamboanga", "Bacolod", "Olongapo")),
          "ko": ("South Korea", ("Daegu", "Gwangju", "Cheongju", "Jeonju", "Suwon", "Changwon", "Pohang",
                                 "Gimhae", "Chuncheon")),
          "ar": ("Jordan", ("Irbid", "Zarqa", "Madaba", "Karak", "Aqaba", "Mafraq")),
          "ng": ("Nigeria", ("Ibadan", "Abeokuta", "Ogbomosho", "Osogbo", "Ilorin", "Kano", "Zaria", "Akure"))}
RU_LAT = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
          "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
          "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
          "ь": "", "э": "e", "ю": "yu", "я": "ya"}
# ---- end name lists ----

#: Words of place and organisation names that are never planted alone (they are written here).
GENERIC_WORDS = """lake port east west north south new mount mt fort st saint san santa los las la el de del
da di dos van von der den du le al bin ibn city town ville valley ridge harbor bay hills heights lakes point
highlands river crossing springs llc inc ltd group and sons plc co corp company pharmacy apothecary drug
medical center centre hospital clinic clinics health regional memorial general community family eye care
optical eyewear retina vitreous associates imaging diagnostic radiology open mri pathology laboratories
reference lab home supply respiratory mobility oxygen hearing aid audiology sleep recovery treatment
services transportation network partners transit medical transport wheelchair van service cabs credit
bureau therapeutics pharmaceuticals biosciences clinical research irb mutual insurance casualty high school
university college public schools county language interpreting logistics manufacturing distribution tool
die works apt suite unit box po rd street avenue road lane drive court way place circle boulevard
walgreens cvs rite walmart kroger costco safeway publix"""

#: Abbreviations that three-letter initials must not be.
ABBREVIATIONS = """ndc ivs adp atp amp gtp dna rna hiv hcv hbv tsh bun abg ast alt alp ggt ldh inr ptt esr crp bnp
ldl hdl ckd aki uti uri dvt cva tia cad pad svt dnr dni ems ent gyn cbt dbt adl rom mmt hep sob doe pnd jvd rrr
nsr lvh rvh lad lcx rca svc ivc aaa gerd ibs ibd osa bph bid tid qid prn npo ivf tpn ngt peg pic cpr pcp nicu
pacu sicu micu picu bmi ssi vre cdi ppd hpv std sti pap lmp edd gbs nst bpp fsh hcg psa crc dre bmd dxa pet ivp
kub egd eus tee tte emg ncs eeg ecg ekg hbo csf icp gcs nih phq gad pcl cpt icd drg apc rvu ein tin upin dob
dos pos poa mrn dme otp uds pdm irb cra crf crc coa cma lpn cna rrt dpt otr slp aud mph msn bsn dnp fnp anp
cnm crna lcsw ladc ccm abc xyz usa nyc afb cmv ebv hsv vzv rsv mmr dtap tdap ipv bcg iud mri pft sat gpa"""

#: Everyday English words that are also surnames or place words (never planted alone).
EVERYDAY_WORDS = """hall church bird knight carpenter taylor potter turner walker fisher miller smith
butcher clay cross duck english french good hand hawk hay hood horn key law lock marsh mild more nice noble
park peck person pike plant poor pound quick rain read ring roe root sale sand say seal shade ship shore
south stark steel stem stock strange sweet thorn toll tower trim vale vest walls warren well wells wild
wing winter wren yard bass bean bolt bone bowman brand bridge brook buck burns bush camp castle chambers
chapman clark coleman cooper crow cruz curry cross dyer fields gardner gill hamilton hanson harris hicks
holt hope horton howard hughes ingram jackson james johnson jones lawrence lewis little lucas marshall
martin may meyer mitchell moore morgan morris murphy nelson norman norris oliver owen palmer parker
patrick pearson perry peters phillips porter powell price ray reid rhodes richards roberts robinson rogers
ross russell ryan sanders scott shaw simmons simpson spencer stevens stewart sullivan thomas thompson
todd townsend tucker vaughn wallace walsh warner washington watson webb wells wheeler williams wilkins
wilson wood wright young mark grant rich page case chase hunter wade pat bob sue ben art dick ken don
van ron sam tom joe ann jan gene bud rob matt wes will bill victoria luz paz cruz sol cielo rosa blanca
angeles lima nancy chad georgia florida jordan israel sydney paris lincoln dong won yen rand"""

EXAMS = (
    ("CT ABDOMEN AND PELVIS WITH IV CONTRAST", "CT", "CT abdomen/pelvis", "right lower quadrant pain and nausea",
     "Liver, spleen, pancreas and adrenal glands are unremarkable. The gallbladder is surgically absent. No "
     "hydronephrosis. The appendix is dilated to 11 mm with periappendiceal fat stranding; no abscess or free "
     "air. Small fat-containing umbilical hernia, unchanged.",
     "1. Acute uncomplicated appendicitis.\n2. Unchanged small fat-containing umbilical hernia.", True),
    ("CT CHEST WITHOUT CONTRAST", "CT", "CT chest", "follow-up of a pulmonary nodule, former smoker",
     "Solid nodule in the right upper lobe measures 7 x 6 mm (series 3, image 48), previously 6 x 5 mm. No "
     "new nodules. Mild centrilobular emphysema. No mediastinal or hilar lymphadenopathy. Coronary artery "
     "calcification.",
     "1. Slight interval growth of a 7 mm right upper lobe nodule; CT in 3 months or PET/CT suggested.\n"
     "2. Emphysema.", False),
    ("MRI BRAIN WITH AND WITHOUT CONTRAST", "MR", "MRI brain", "headaches, known meningioma",
     "Extra-axial dural-based enhancing mass along the left frontal convexity measures 18 x 15 mm, previously "
     "17 x 14 mm. No edema or mass effect. No restricted diffusion. Ventricles are normal in size.",
     "1. Left frontal convexity meningioma, minimally larger.\n2. No acute intracranial abnormality.", False),
    ("MRI LUMBAR SPINE WITHOUT CONTRAST", "MR", "MRI lumbar spine", "low back pain radiating to the left leg",
     "Normal alignment. L4-L5: disc bulge with a superimposed left paracentral extrusion contacting the "
     "traversing left L5 nerve root; moderate left lateral recess narrowing. L5-S1: mild facet arthropathy. "
     "The conus terminates at L1.",
     "1. L4-L5 left paracentral extrusion contacting the left L5 root, new since the prior study.\n"
     "2. Mild lower lumbar facet arthropathy.", False),
    ("CT ANGIOGRAPHY CHEST, PE PROTOCOL", "CT", "CT chest", "shortness of breath and an elevated D-dimer",
     "Adequate opacification of the pulmonary arteries. Filling defects in the right lower lobe segmental and "
     "subsegmental arteries. RV/LV ratio 0.9. Small right pleural effusion. No consolidation.",
     "1. Acute right lower lobe segmental and subsegmental pulmonary emboli without CT signs of right heart "
     "strain.\n2. Small right pleural effusion.", True),
    ("MRI RIGHT KNEE WITHOUT CONTRAST", "MR", "MRI right knee", "twisting injury, medial joint line pain",
     "Oblique tear of the posterior horn of the medial meniscus reaching the inferior articular surface. ACL "
     "and PCL intact. Grade 2 MCL sprain. Moderate joint effusion. Mild chondral thinning of the medial femoral "
     "condyle.",
     "1. Posterior horn medial meniscus tear.\n2. Grade 2 MCL sprain, moderate effusion.", False),
    ("CT HEAD WITHOUT CONTRAST", "CT", "CT head", "fall while on apixaban",
     "No intracranial hemorrhage, mass effect or midline shift. Chronic small vessel ischemic change, similar "
     "to the prior. Old right basal ganglia lacunar infarct. Mastoid air cells are clear.",
     "1. No acute intracranial abnormality.\n2. Chronic small vessel ischemic change, unchanged.", False),
    ("CT ABDOMEN AND PELVIS, RENAL STONE PROTOCOL", "CT", "CT abdomen/pelvis", "left flank pain and hematuria",
     "A 5 mm obstructing calculus at the left ureterovesical junction with mild left hydroureteronephrosis "
     "and perinephric stranding. Two nonobstructing right renal calculi up to 3 mm, unchanged.",
     "1. 5 mm obstructing left UVJ calculus with mild hydronephrosis.\n2. Unchanged right nephrolithiasis.",
     True),
    ("MRI LIVER WITH AND WITHOUT CONTRAST", "MR", "MRI abdomen", "indeterminate liver lesion on ultrasound",
     "A 2.1 cm T2-hyperintense lesion in segment 7 with peripheral nodular discontinuous enhancement and "
     "progressive centripetal fill-in. No other lesions. Mild hepatic steatosis.",
     "1. Segment 7 hemangioma (2.1 cm), benign; no follow-up needed.\n2. Mild steatosis.", False),
)

PATH_CASES = (
    ("breast, left, 2 o'clock, core needle biopsy", "invasive ductal carcinoma, grade 2",
     "INVASIVE DUCTAL CARCINOMA, NOTTINGHAM GRADE 2 (3+2+2), IN 3 OF 3 CORES; DUCTAL CARCINOMA IN SITU, "
     "INTERMEDIATE GRADE, PRESENT", "ER and PR studies were repeated on block {blk}: ER positive (95 %), PR "
     "positive (40 %), HER2 2+ by IHC; reflex FISH is pending."),
    ("lymph node, right cervical, excisional biopsy", "atypical lymphoid proliferation",
     "FOLLICULAR LYMPHOMA, GRADE 1-2 OF 3, FOLLICULAR PATTERN", "CD10, BCL2 and BCL6 are positive in the "
     "neoplastic follicles; Ki-67 about 15 %. Stains were performed on block {blk}."),
    ("skin, left upper back, shave biopsy", "atypical melanocytic lesion",
     "MALIGNANT MELANOMA, SUPERFICIAL SPREADING TYPE, BRESLOW THICKNESS 0.6 MM, CLARK LEVEL III, NO "
     "ULCERATION, PERIPHERAL MARGIN INVOLVED", "SOX10 and PRAME immunostains on block {blk} support the "
     "diagnosis. Mitoses 1/mm2."),
    ("prostate, needle biopsies (12 cores)", "adenocarcinoma, Gleason 3+4",
     "PROSTATIC ADENOCARCINOMA, GLEASON SCORE 4+3=7 (GRADE GROUP 3), IN 4 OF 12 CORES, MAXIMUM 6 MM",
     "We grade the right mid core higher than the outside report; PIN4 stain on block {blk} confirms "
     "absence of basal cells."),
    ("colon, sigmoid, polypectomy", "tubular adenoma with high-grade dysplasia",
     "INVASIVE ADENOCARCINOMA ARISING IN A TUBULOVILLOUS ADENOMA, INVADING SUBMUCOSA (pT1); MARGIN 1.5 MM",
     "Deeper levels were cut from block {blk}. Mismatch repair proteins (MLH1, PMS2, MSH2, MSH6) retained."),
    ("thyroid, right lobe, lobectomy", "follicular neoplasm",
     "NONINVASIVE FOLLICULAR THYROID NEOPLASM WITH PAPILLARY-LIKE NUCLEAR FEATURES (NIFTP), 2.3 CM",
     "The entire capsule was submitted by the outside laboratory; we reviewed all slides including block {blk}."),
)

EQUIPMENT = (
    ("oxygen concentrator, stationary, with portable gaseous cylinders", "E1390 / E0431",
     "Invacare Perfecto2", "COPD, resting SpO2 86 % on room air", "J44.9", "2 L/min continuous, 24 h/day"),
    ("CPAP device with heated humidifier, full-face mask", "E0601 / E0562 / A7030",
     "ResMed AirSense 10", "obstructive sleep apnea, AHI 34", "G47.33", "pressure 9 cm H2O, nightly"),
    ("semi-electric hospital bed with full rails and pressure-reducing mattress", "E0260 / E0277",
     "Drive Medical Delta Ultra", "CHF with orthopnea, needs head elevation over 30 degrees", "I50.32",
     "for use in the home, lifetime"),
    ("lightweight manual wheelchair with elevating leg rests", "K0003 / E0990", "Drive Cruiser III",
     "below-knee amputation, right", "Z89.511", "18 inch seat, 99 months"),
    ("front-wheeled walker, folding", "E0143", "Medline MDS86410", "Parkinson disease with falls", "G20",
     "lifetime"),
    ("compressor nebulizer", "E0570 / A7003", "Philips InnoSpire Essence", "moderate persistent asthma", "J45.40",
     "albuterol 2.5 mg every 4 h as needed"),
)

EYE_DX = (
    ("diabetic retinopathy, moderate nonproliferative, with macular edema OD", "E11.3311",
     "scattered dot-blot hemorrhages and hard exudates within 500 microns of the fovea OD", "refer for anti-VEGF"),
    ("wet age-related macular degeneration OS", "H35.3221",
     "subretinal fluid and a pigment epithelial detachment OS on OCT", "urgent retina referral"),
    ("retinal detachment, macula-on, OD", "H33.011", "superotemporal detachment with a horseshoe tear OD",
     "same-day retina evaluation"),
    ("primary open-angle glaucoma, moderate, both eyes", "H40.1132", "cup-to-disc 0.7 OD / 0.75 OS, inferior "
     "rim thinning", "latanoprost nightly OU, visual field in 3 months"),
    ("nuclear sclerotic cataract, both eyes, visually significant", "H25.13", "2+ NS OU, glare testing "
     "reduces acuity to 20/60", "cataract evaluation; new glasses will not help"),
)

AIDS = (("Phonak", "Audeo Lumity L90-R", "receiver-in-canal"), ("Oticon", "Intent 1 miniRITE R", "receiver-in-canal"),
        ("Signia", "Pure Charge&Go IX 7", "receiver-in-canal"), ("ReSound", "Nexia 9 RIE", "receiver-in-ear"),
        ("Starkey", "Genesis AI 24 mRIC R", "receiver-in-canal"), ("Widex", "Moment Sheer 440", "receiver-in-canal"))

REHAB_DX = (
    ("right rotator cuff repair (supraspinatus), 6 weeks post-op", "M75.121", "shoulder", "lifting over 10 lb "
     "and overhead reaching", "flexion 120 degrees, ER 35 degrees, strength 3+/5"),
    ("left distal radius fracture, s/p ORIF", "S52.502D", "wrist", "gripping, keyboarding over 2 hours",
     "grip 18 lb L vs 64 lb R, wrist extension 40 degrees"),
    ("lumbar strain with left L5 radiculopathy", "M54.16", "low back", "lifting over 25 lb, prolonged "
     "standing", "Oswestry 42 %, SLR positive at 50 degrees left"),
    ("right carpal tunnel release, 4 weeks post-op", "G56.01", "hand", "repetitive pinching and power tools",
     "pinch 9 lb, Phalen negative, scar sensitive"),
    ("left ACL reconstruction, 10 weeks post-op", "S83.512D", "knee", "ladders, squatting, uneven ground",
     "knee flexion 120 degrees, quad lag absent, single-leg stance 20 s"),
)

PDMP_DRUGS = (("buprenorphine-naloxone 8-2 mg SL film", "28", "14"), ("oxycodone HCl 5 mg tab", "20", "5"),
              ("hydrocodone-APAP 5-325 mg tab", "12", "3"), ("alprazolam 0.5 mg tab", "60", "30"),
              ("tramadol 50 mg tab", "30", "10"), ("gabapentin 300 mg cap", "90", "30"),
              ("clonazepam 1 mg tab", "30", "30"), ("zolpidem 10 mg tab", "30", "30"))

CHAINS = ("Walgreens", "CVS Pharmacy", "Rite Aid", "Walmart Pharmacy", "Kroger Pharmacy", "Costco Pharmacy",
          "Safeway Pharmacy", "Publix Pharmacy")
HOME_TAILS = ("Valley", "Ridge", "Harbor", "Lakes", "Highlands", "River", "Bay", "Point")
STATES = ("MA", "NY", "NJ", "PA", "CT", "RI", "NH", "OH", "IL", "MI", "MD", "VA", "NC", "GA", "TX", "AZ", "CA",
          "WA", "OR", "MN", "WI", "MO", "TN", "FL", "CO")
AREA = (201, 203, 212, 215, 267, 301, 312, 313, 347, 401, 404, 410, 412, 413, 443, 484, 508, 513, 516, 518, 602,
        603, 608, 614, 617, 630, 646, 678, 703, 704, 713, 716, 718, 732, 773, 774, 781, 802, 845, 856, 860, 862,
        904, 908, 914, 917, 919, 929, 973, 978)
LANGUAGES = {"es_MX": "Spanish", "ko": "Korean", "ar": "Arabic", "ru_RU": "Russian", "zh_CN": "Mandarin",
             "ph": "Tagalog", "it_IT": "Italian", "de_DE": "German", "yo_NG": "Yoruba", "ha_NG": "Hausa",
             "en_IN": "Hindi"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DATE_FORMS = ("mdY0", "mdY", "iso", "dMonY", "DMONY", "MonoY", "MonthdY", "dMonthY", "mdy0", "mdY_dash",
              "Ymd_slash")
SHAPES_FORMAL = ("full", "full_mi", "last_first", "last_first_mi", "init_last", "caps_last_first")
SHAPES_ANY = SHAPES_FORMAL + ("first_init", "nick", "given", "family", "initials", "lower")

_OWN_TEXT = Path(__file__).read_text(encoding="utf-8")
_TEMPLATE_TEXT = _OWN_TEXT[:_OWN_TEXT.index(_BEGIN + "\n")] + _OWN_TEXT[_OWN_TEXT.index(_END + "\n"):]


def _stop_words() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover
        return frozenset()
    return frozenset(STOP_WORDS)


#: Words this module writes outside its name lists, and everyday words: never planted alone.
GENERIC = (frozenset(re.findall(r"[^\W\d_]+", _TEMPLATE_TEXT.lower())) | _stop_words() | NAME_BLOCKLIST
           | frozenset(w.lower() for country, _ in ABROAD.values() for w in re.findall(r"[^\W\d_]+", country)))
SHARED = ("shared",)


def _us_name_tokens() -> frozenset[str]:
    """Names the benchmark's ``en_US`` Faker may write into a later patient's street or town."""
    from faker.providers.person.en_US import Provider as UsNames

    out: set[str] = set()
    for attr in ("first_names", "first_names_female", "first_names_male", "last_names"):
        out |= {n.lower() for n in getattr(UsNames, attr, ())}
    return frozenset(out)


def _it_cities() -> tuple[str, ...]:
    from faker.providers.address.it_IT import Provider as ItAddress

    return tuple(sorted(set(ItAddress.cities)))


#: Faker's ``it_IT`` ``city()`` draws from a set, whose order changes from run to run: sorted here.
IT_CITIES = _it_cities()

#: A person drawn here is planted by a bare word only when it is none of these.
US_NAME_TOKENS = _us_name_tokens()


def _ascii(s: str) -> str:
    """Accents dropped, as an ASCII-only screen writes a name (``Peña`` -> ``Pena``)."""
    s = s.replace("Đ", "D").replace("đ", "d").replace("ł", "l").replace("Ł", "L").replace("ß", "ss")
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def _toks(value: str) -> set[str]:
    low = value.lower()
    return set(re.findall(r"[^\W\d_]+", low)) | set(re.findall(r"[^\W\d_]+", _ascii(low)))


def _translit(s: str) -> str:
    out = []
    for ch in s:
        t = RU_LAT.get(ch.lower(), ch)
        out.append(t[:1].upper() + t[1:] if ch != ch.lower() else t)
    return "".join(out)


def _nth(k: int) -> str:
    return f"{k}{'th' if 11 <= k % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


_OCR = {"l": "1", "O": "0", "o": "0", "e": "c", "S": "5", "I": "l", "i": "l", "B": "8", "m": "rn", "h": "b"}


def _ocr(s: str, r: random.Random, rate: float) -> str:
    return "".join(_OCR[ch] if ch in _OCR and r.random() < rate else ch for ch in s)


def _namelike(s: str) -> bool:
    return bool(re.fullmatch(r"[^\W\d_][^\W\d_'’-]*(?: [^\W\d_][^\W\d_'’-]*)*", s)) and s[0].isupper() \
        and len(s) >= 2


@dataclass
class P:
    """A person of a note: name parts, the register key, and role details."""

    given: str
    family: str
    key: tuple
    middle: str = ""
    nick: str = ""
    sex: str = "female"
    loc: str = "en_US"
    role: str = ""
    phone: str = ""
    cred: str = ""

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


class Ctx:
    """Seeded people, places and numbers, the fictional home system and the per-seed register.

    Parameters
    ----------
    seed:
        Seed of this module's Faker instances.
    policy:
        The benchmark's :class:`~coordinator.demo.identities.NamePolicy`: tokens drawn here are
        reserved in it, and no surrogate token is planted.
    """

    def __init__(self, seed: int, policy) -> None:
        self.policy = policy
        self.fk: dict[str, Faker] = {}
        for i, loc in enumerate(FAKER_LOCALES):
            fk = Faker(loc)
            fk.seed_instance(seed * 1000 + 611 + i)
            self.fk[loc] = fk
        self.us = self.fk["en_US"]
        self.r = random.Random(seed * 104729 + 61)
        self.rng = random.Random(seed)
        self.owner: dict[str, tuple] = {}
        self.bare: set[str] = set()
        self.pools: dict[str, list] = {}
        self.known: dict[tuple, P] = {}
        self.n = 0
        self._build_home()

    # ---- register ---------------------------------------------------------------------------
    def _free(self, value: str, key: tuple) -> bool:
        for tok in _toks(value):
            if tok in GENERIC or len(tok) < 2:
                continue
            if tok in self.policy.surrogates or tok in self.policy.banned:
                return False
            own = self.owner.get(tok)
            if own is None:
                if tok in self.policy.used:
                    return False
            elif own != key and (tok in self.bare or own[0] in ("fam", "staff", "home")):
                return False
        return True

    def _take(self, value: str, key: tuple, reserve: bool = True) -> None:
        for tok in _toks(value):
            if tok in GENERIC or len(tok) < 2:
                continue
            own = self.owner.get(tok)
            if own is None:
                self.owner[tok] = key
            elif own != key:
                self.owner[tok] = SHARED
            if reserve:
                self.policy.used.add(tok)

    def bare_ok(self, word: str, key: tuple) -> bool:
        """``word`` may be planted by itself for ``key`` (and is then kept to it)."""
        if not re.fullmatch(r"[^\W\d_]{4,}", word):
            return False
        for tok in _toks(word):
            if tok in GENERIC or tok in self.policy.surrogates or tok in self.policy.banned \
                    or self.owner.get(tok) != key or (key[0] not in ("fam", "staff") and tok in US_NAME_TOKENS):
                return False
        self.bare |= _toks(word)
        return True

    # ---- people -----------------------------------------------------------------------------
    def _loc(self) -> str:
        return self.r.choices(("en_US", "es_MX", "en_IN", "zh_CN", "ko", "ar", "de_DE", "it_IT", "ph", "ru_RU",
                               "yo_NG", "ha_NG"), (30, 10, 8, 6, 6, 6, 5, 5, 6, 5, 5, 3))[0]

    def _raw(self, lc: str, female: bool) -> tuple[str, str]:
        r = self.r
        if lc == "ko":
            return r.choice(KO_F if female else KO_M), r.choice(KO_SUR)
        if lc == "ar":
            return r.choice(AR_F if female else AR_M), r.choice(AR_SUR)
        if lc == "ph":
            fk = self.fk["tl_PH"]
            g = r.choice(PH_F if female else PH_M) if r.random() < 0.7 else \
                (fk.first_name_female() if female else fk.first_name_male())
            return g, r.choice(PH_SUR)
        fk = self.fk[lc]
        if lc == "zh_CN":
            return fk.first_romanized_name(), fk.last_romanized_name()
        if lc == "ru_RU":
            return (_translit(fk.first_name_female() if female else fk.first_name_male()),
                    _translit(fk.last_name_female() if female else fk.last_name_male()))
        g = fk.first_name_female() if female else fk.first_name_male()
        s = fk.last_name()
        if lc == "es_MX" and r.random() < 0.35:
            s = f"{s} {fk.last_name()}"
        return g, s

    def person(self, loc: str | None = None, sex: str | None = None, cred: str = "", role: str = "") -> P:
        """A new outside person (tokens reserved)."""
        for attempt in range(400):
            lc = loc if loc and attempt < 60 else self._loc()
            sx = sex or self.r.choice(("female", "male"))
            g, f = self._raw(lc, sx == "female")
            if not (_namelike(g) and _namelike(f)) or len(g) < 3:
                continue
            key = ("p", self.n + 1)
            if not self._free(f"{g} {f}", key):
                continue
            self.n += 1
            self._take(f"{g} {f}", key)
            mid = self.r.choice("ABCDEFGHJKLMNPRSTVW") if self.r.random() < 0.6 else ""
            p = P(g, f, key, mid, "", sx, lc, role, "", cred)
            p.nick = self._nick(p)
            return p
        raise RuntimeError("could not draw a free name")

    def _nick(self, p: P) -> str:
        nick = NICKS.get(p.given.lower())
        if nick is None and p.loc == "ph" and self.r.random() < 0.5:
            nick = self.r.choice(PH_NICKS)
        if not nick or self.r.random() < 0.25 or not self._free(nick, p.key):
            return ""
        self._take(nick, p.key)
        return nick

    def pt(self, ident) -> P:
        """The patient (register key shared with the relatives)."""
        key = ("fam", ident.mrn)
        if key not in self.known:
            for value in [ident.given, ident.family, ident.city, ident.address] + \
                    [f"{rel.given} {rel.family}" for rel in ident.relatives]:
                self._take(value, key, reserve=False)
            p = P(ident.given, ident.family, key, self.r.choice("ABCDEFGHJKLMNPRSTW"), "", ident.sex)
            p.nick = self._nick(p)
            self.known[key] = p
        return self.known[key]

    def rels(self, ident) -> list[P]:
        me = self.pt(ident)
        out = []
        for rel in ident.relatives:
            sex = "male" if rel.role in ("husband", "son", "father") else "female"
            out.append(P(rel.given, rel.family, me.key, "", "", sex, role=rel.role, phone=rel.phone))
        return out

    def st(self, s) -> P:
        """One of the hospital's own staff."""
        key = ("staff", s.given, s.family)
        if key not in self.known:
            self._take(f"{s.given} {s.family}", key, reserve=False)
            cred = "RN" if s.role == "nurse" else "MD"
            self.known[key] = P(s.given, s.family, key, self.r.choice("ABCDEFGHJKLMNPRSTW"), "",
                                self.r.choice(("female", "male")), role=s.role, cred=cred)
        return self.known[key]

    def pool(self, name: str, k: int, make):
        lst = self.pools.get(name)
        if lst is None:
            lst = self.pools[name] = [make() for _ in range(k)]
        return self.rng.choice(lst)

    def others(self, n: int, sex: str | None = None) -> list[P]:
        return [self.person(sex=sex) for _ in range(n)]

    # ---- places -----------------------------------------------------------------------------
    def place(self, make, tries: int = 300) -> str:
        for _ in range(tries):
            v = make().strip()
            if not v or "\n" in v:
                continue
            key = ("pl", self.n + 1)
            if self._free(v, key):
                self.n += 1
                self._take(v, key)
                return v
        raise RuntimeError("could not draw a free place name")

    def _sur(self) -> str:
        lc = self.r.choice(("en_US",) * 6 + ("it_IT", "de_DE", "es_MX"))
        return self.fk[lc].last_name()

    def town(self) -> str:
        return self.place(self.us.city)

    def street(self) -> str:
        return self.place(self.us.street_address)

    def zipc(self) -> str:
        return self.us.zipcode()

    def state(self) -> str:
        return self.rng.choice(STATES)

    def abroad(self) -> tuple[str, str]:
        """A city abroad and its country."""
        k = self.rng.choice(sorted(ABROAD))
        country, cities = ABROAD[k]
        if cities:
            return self.place(lambda: self.r.choice(cities)), country
        lc = {"de": "de_DE", "it": "it_IT", "mx": "es_MX", "in": "en_IN", "ru": "ru_RU"}[k]
        fk = self.fk[lc]
        if lc == "ru_RU":
            return self.place(lambda: _translit(re.sub(r"^\w+\. ", "", fk.city()))), country
        if lc == "it_IT":
            return self.place(lambda: fk.random_element(IT_CITIES)), country
        return self.place(fk.city), country

    def _fac(self, *forms) -> str:
        return self.place(lambda: self.r.choice(forms)())

    def outside_hospital(self) -> str:
        return self._fac(lambda: f"{self.us.city()} Regional Medical Center", lambda: f"{self._sur()} Memorial Hospital",
                         lambda: f"St. {self.r.choice(SAINTS)} Hospital", lambda: f"{self.us.city()} Community Hospital",
                         lambda: f"{self._sur()} General Hospital")

    def imaging_center(self) -> str:
        return self._fac(lambda: f"{self.us.city()} Imaging Center", lambda: f"{self._sur()} Diagnostic Imaging",
                         lambda: f"{self.us.city()} Open MRI", lambda: f"{self._sur()} Radiology Associates")

    def practice(self) -> str:
        return self._fac(lambda: f"{self.us.city()} Family Medicine", lambda: f"{self._sur()} Internal Medicine",
                         lambda: f"{self._sur()} & {self._sur()} Primary Care", lambda: f"{self.us.city()} Health Clinic")

    def pharmacy(self) -> str:
        return self._fac(lambda: f"{self.r.choice(CHAINS)} #{self.r.randint(1000, 19999):05d}",
                         lambda: f"{self._sur()} Pharmacy", lambda: f"{self.us.city()} Apothecary",
                         lambda: f"{self.r.choice(CHAINS)} #{self.r.randint(100, 9999)}")

    def company(self) -> str:
        return self._fac(self.us.company, lambda: f"{self._sur()} Logistics", lambda: f"{self._sur()} Manufacturing",
                         lambda: f"{self.us.city()} Tool & Die", lambda: f"{self._sur()} Distribution Center")

    def county(self) -> str:
        return self.place(lambda: f"{self.us.last_name()} County")

    # ---- home system ------------------------------------------------------------------------
    def _build_home(self) -> None:
        r = random.Random(self.r.random())
        key = ("home",)
        for _ in range(400):
            base = self.us.last_name()
            if re.fullmatch(r"[A-Z][a-z]{4,9}", base) and self._free(base, key):
                break
        tail = r.choice(HOME_TAILS)
        self._take(base, key)
        self.base, self.tail = base, tail
        self.home = f"{base} {tail} Medical Center"
        acr = f"{base[0]}{tail[0]}MC"
        if acr.lower() in GENERIC or acr.lower() in self.owner:
            acr = f"{base[:2].upper()}{tail[0]}MC"
        self.acr = acr
        self.owner[acr.lower()] = key
        self.policy.used.add(acr.lower())
        self.domain = f"{base.lower()}{tail.lower()}.org"
        self.sites = {"imaging": f"{base} {tail} Imaging Center", "path": f"{base} {tail} Medical Center",
                      "pfs": f"{base} {tail} Health", "rehab": f"{base} {tail} Outpatient Rehabilitation",
                      "eye": f"{base} Eye Institute", "hearing": f"{base} {tail} Hearing Center",
                      "otp": f"{base} {tail} Opioid Treatment Program", "research": f"{base} {tail} Clinical Research Unit",
                      "clinic": f"{base} {tail} Ambulatory Care Center"}
        self.home_street, self.home_town = self.street(), self.town()
        self.home_zip, self.home_state = self.zipc(), r.choice(STATES)
        self.home_phone = self.phone(r=r)
        self.pfs_box, self.pfs_town, self.pfs_zip = f"PO Box {r.randint(1000, 99999)}", self.town(), self.zipc()
        self.pfs_phone = f"1-{r.choice(('800', '866', '877', '888'))}-{r.randint(200, 989)}-{r.randint(0, 9999):04d}"

    def staff_email(self, p: P) -> str:
        g, f = _ascii(p.given).lower(), re.sub(r"[^a-z]", "", _ascii(p.family).lower())
        g = re.sub(r"[^a-z]", "", g)
        return self.rng.choice((f"{g}.{f}@{self.domain}", f"{g[0]}{f}@{self.domain}", f"{f}{g[0]}@{self.domain}"))

    def private_email(self, p: P) -> str:
        g, f = re.sub(r"[^a-z]", "", _ascii(p.given).lower()), re.sub(r"[^a-z]", "", _ascii(p.family).lower())
        dom = self.rng.choice(("gmail.com", "yahoo.com", "outlook.com", "aol.com", "icloud.com", "hotmail.com"))
        return self.rng.choice((f"{g}.{f}{self.rng.randint(1, 99)}@{dom}", f"{g[0]}{f}{self.rng.randint(60, 99)}@{dom}",
                                f"{g}{f[:1]}{self.rng.randint(100, 999)}@{dom}"))

    def org_domain(self, name: str) -> str:
        words = [w for w in re.findall(r"[a-z]+", _ascii(name).lower()) if w not in ("and", "the", "of", "st")]
        return f"{''.join(words[:2])}.{self.rng.choice(('com', 'net', 'org'))}"

    # ---- numbers, phones, dates -------------------------------------------------------------
    def digits(self, k: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(k))

    def letters(self, k: int) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(k))

    def phone(self, form: str | None = None, r: random.Random | None = None) -> str:
        r = r or self.rng
        a, x, n = r.choice(AREA), r.randint(201, 989), r.randint(0, 9999)
        return self.fmt_phone(f"{a}{x}{n:04d}", form, r)

    def fmt_phone(self, phone: str, form: str | None = None, r: random.Random | None = None) -> str:
        r = r or self.rng
        d = re.sub(r"\D", "", phone)[-10:]
        a, x, n = d[:3], d[3:6], d[6:]
        form = form or r.choice(("paren", "dash", "dash", "dot", "space", "plus"))
        return {"paren": f"({a}) {x}-{n}", "dash": f"{a}-{x}-{n}", "dot": f"{a}.{x}.{n}", "space": f"{a} {x} {n}",
                "plus": f"+1 {a}-{x}-{n}", "one": f"1-{a}-{x}-{n}", "bare": f"{a}{x}{n}"}[form]

    def d(self, day: date, form: str | None = None) -> str:
        """A date of at least eight characters."""
        form = form or self.rng.choice(DATE_FORMS)
        mon = MONTHS[day.month - 1]
        return {"mdY0": f"{day.month:02d}/{day.day:02d}/{day.year}", "mdY": f"{day.month}/{day.day}/{day.year}",
                "iso": day.isoformat(), "dMonY": f"{day.day:02d}-{mon[:3]}-{day.year}",
                "DMONY": f"{day.day:02d}-{mon[:3].upper()}-{day.year}", "MonoY": f"{mon[:3]} {_nth(day.day)}, {day.year}",
                "MonthdY": f"{mon} {day.day}, {day.year}", "dMonthY": f"{day.day} {mon} {day.year}",
                "mdy0": f"{day.month:02d}/{day.day:02d}/{day.year % 100:02d}",
                "mdY_dash": f"{day.month:02d}-{day.day:02d}-{day.year}",
                "Ymd_slash": f"{day.year}/{day.month:02d}/{day.day:02d}",
                "compact": f"{day.year}{day.month:02d}{day.day:02d}",
                "DMONYc": f"{day.day:02d}{mon[:3].upper()}{day.year}"}[form]

    def slot(self, hour: int | None = None, minutes: int = 0) -> str:
        """An appointment time on the quarter hour (``10:15 AM``), ``minutes`` after a drawn start."""
        if hour is None:
            self._slot = self.rng.randint(8 * 4, 16 * 4) * 15
        h, m = divmod(self._slot + minutes, 60)
        return f"{(h - 1) % 12 + 1}:{m:02d} {'AM' if h < 12 else 'PM'}"

    def clock(self, form: str | None = None) -> str:
        h, m = self.rng.randint(7, 19), self.rng.randrange(0, 60)
        form = form or self.rng.choice(("24", "ampm", "mil"))
        if form == "24":
            return f"{h:02d}:{m:02d}"
        if form == "mil":
            return f"{h:02d}{m:02d}"
        return f"{(h - 1) % 12 + 1}:{m:02d} {'AM' if h < 12 else 'PM'}"


class W:
    """Writes a note through the benchmark's ``Note``; ``caps`` / ``asc`` / ``noise`` restyle text."""

    def __init__(self, note, c: Ctx) -> None:
        self.note, self.c = note, c
        self.caps = self.asc = False
        self.noise = 0.0

    def _f(self, s: str) -> str:
        if self.asc:
            s = _ascii(s)
        return s.upper() if self.caps else s

    def t(self, *texts: str) -> "W":
        for s in texts:
            s = self._f(s)
            self.note.t(_ocr(s, self.c.rng, self.noise) if self.noise else s)
        return self

    def p(self, value: str, kind: str) -> "W":
        self.note.p(self._f(value), kind)
        return self

    def d(self, day: date, form: str | None = None) -> "W":
        return self.p(self.c.d(day, form), "DATE")

    def dt(self, day: date, form: str | None = None, tform: str | None = None, sep: str = " ") -> "W":
        return self.d(day, form).t(sep + self.c.clock(tform))

    def ph(self, phone: str | None = None, form: str | None = None) -> "W":
        return self.p(self.c.fmt_phone(phone, form) if phone else self.c.phone(form), "PHONE")

    def nm(self, p: P, kind: str, shape: str | None = None, cue: str = "", shapes=SHAPES_ANY) -> "W":
        """Write ``p`` in ``shape`` (a bare word only when the register allows it)."""
        c = self.c
        shape = shape or c.rng.choice(shapes)
        if shape == "full" and p.nick and c.rng.random() < 0.3:
            shape = "nick"
        g, f, m = p.given, p.family, p.middle
        lead = f"{cue} " if cue else ""
        if shape == "family":
            if " " in f:
                return self.t(lead).p(f, kind)
            if c.bare_ok(self._f(f), p.key):
                return self.t(lead).p(f, kind)
            if cue:
                return self.p(f"{cue} {f}", kind)
            shape = "full"
        if shape == "given":
            if c.bare_ok(self._f(g), p.key):
                return self.t(lead).p(g, kind)
            shape = "first_init"
        if shape == "nick":
            if not p.nick:
                shape = "full"
            elif c.rng.random() < 0.3 and c.bare_ok(self._f(p.nick), p.key):
                return self.t(lead + '"').p(p.nick, kind).t('"')
            else:
                return self.t(lead).p(f'{g} "{p.nick}" {f}', kind)
        if shape == "initials":
            if not m:
                m = p.middle = c.rng.choice("ABCDEFGHJKLMNPRSTVW")
            ini = f"{g[0]}{m}{f[0]}".upper()
            if not set(ini) & set("AEIOUY") and ini.lower() not in GENERIC and ini.lower() not in c.policy.surrogates \
                    and c.owner.get(ini.lower()) in (None, p.key):
                c.owner[ini.lower()] = p.key
                c.bare.add(ini.lower())
                return self.t(lead).p(ini if c.rng.random() < 0.6 else ".".join(ini) + ".", kind)
            shape = "init_last"
        value = {"full": f"{g} {f}", "full_mi": f"{g} {m}. {f}" if m else f"{g} {f}",
                 "last_first": f"{f}, {g}", "last_first_mi": f"{f}, {g} {m}." if m else f"{f}, {g}",
                 "init_last": f"{g[0]}. {f}", "first_init": f"{g} {f[0]}.",
                 "caps_last_first": f"{f}, {g}".upper(), "lower": f"{g} {f}".lower()}[shape]
        return self.t(lead).p(value, kind)

    def box(self, on: bool) -> "W":
        return self.t("[X]" if on else "[ ]")


def _he(sex: str) -> tuple[str, str]:
    return ("he", "his") if sex == "male" else ("she", "her")


def _age(ident, when: date) -> int:
    return when.year - ident.birth_date.year - ((when.month, when.day) < (ident.birth_date.month, ident.birth_date.day))


def _fax_line(w: W, c: Ctx, when: date, sender: str, fax: str, page: int, pages: int) -> None:
    w.d(when, c.rng.choice(("mdY0", "mdy0", "DMONY"))).t(f" {c.clock('24')}  FAX ").ph(fax, "bare").t("   ")
    w.p(sender.upper(), "HOSPITAL").t(f"   P.{page:03d}/{pages:03d}\n")


def _sign(w: W, c: Ctx, p: P, cred: str, when: date, kind: str = "PROVIDER") -> None:
    r = c.rng
    form = r.randrange(4)
    if form == 0:
        w.t("Electronically signed by: ").nm(p, kind, r.choice(("full", "full_mi", "last_first_mi")))
        w.t(f", {cred} on ").dt(when, tform="24").t("\n")
    elif form == 1:
        w.t("/s/ ").nm(p, kind, r.choice(("full", "init_last"))).t(f", {cred}  ").d(when).t("\n")
    elif form == 2:
        w.t("E-signed ").dt(when, "mdY0", "24").t(" by ").nm(p, kind, "caps_last_first").t(f" {cred}\n")
    else:
        w.t("Signed: ").nm(p, kind, "full").t(f", {cred}   Date: ").d(when).t("\n")


def _doc(c: Ctx, staff, role: str | None = None) -> P:
    docs = [s for s in staff if s.role != "nurse"]
    return c.st(c.rng.choice([s for s in docs if s.role == role] or docs))


def _nurse(c: Ctx, staff) -> P:
    return c.st(c.rng.choice([s for s in staff if s.role == "nurse"] or staff))


def _addr_block(w: W, c: Ctx, street: str, town: str, state: str, zipc: str, town_kind: str = "LOCATION",
                sep: str = "\n") -> None:
    w.p(street, "ADDRESS").t(sep).p(town, town_kind).t(f", {state} ").p(zipc, "ZIP")


def _pt_addr(w: W, ident, sep: str = "\n") -> None:
    w.p(ident.address, "ADDRESS").t(sep).p(ident.city, "ADDRESS").t(f", {ident.state} ").p(ident.zip, "ZIP")


def _pt_word(rel: P, ident) -> str:
    """What a relative calls the patient."""
    if rel.role in ("wife", "husband"):
        return "husband" if ident.sex == "male" else "wife"
    if rel.role in ("son", "daughter"):
        return "father" if ident.sex == "male" else "mother"
    return "son" if ident.sex == "male" else "daughter"


def _dear(w: W, p: P, kind: str) -> None:
    title = "Mr." if p.sex == "male" else "Ms."
    w.t("Dear ").nm(p, kind, "family", cue=title).t(",\n\n")


# ---- 1. radiology ------------------------------------------------------------------------------
def radiology(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me, rels = c.pt(ident), c.rels(ident)
    he, his = _he(ident.sex)
    exam, mod, prior_desc, hist, findings, impression, critical = r.choice(EXAMS)
    rad = c.pool("radiologist", 4, lambda: c.person(cred="MD"))
    res = _doc(c, staff, "resident")
    if r.random() < 0.6:
        ref, ref_site = c.person(cred=r.choice(("MD", "DO", "NP", "PA-C"))), c.practice()
    else:
        ref, ref_site = _doc(c, staff, "attending"), c.sites["clinic"]
    acc = r.choice((f"{mod}{when:%y%m%d}{c.digits(4)}", f"A{c.digits(8)}", f"RAD-{when:%y}-{c.digits(6)}"))
    priors = []
    for _ in range(r.choice((1, 1, 2, 3))):
        pd = when - timedelta(days=r.randint(60, 1500))
        fac = c.imaging_center() if r.random() < 0.6 else c.outside_hospital()
        priors.append((pd, fac, r.choice((f"{c.letters(2)}{c.digits(7)}", f"{c.digits(3)}-{c.digits(5)}",
                                          f"E{c.digits(9)}"))))
    priors.sort(reverse=True)
    layout = r.choice(("report", "report", "ris", "fax"))
    if layout == "fax":
        _fax_line(w, c, when + timedelta(days=r.randint(0, 2)), c.sites["imaging"], c.home_phone, 1, 2)
        w.noise = 0.015
        w.t("FAX TRANSMITTAL - RADIOLOGY RESULT\nTo: ").nm(ref, "PROVIDER", r.choice(SHAPES_FORMAL))
        w.t(f", {ref.cred}\n    ").p(ref_site, "HOSPITAL").t("    Fax: ").ph().t("\nRe: ")
        w.nm(me, "PATIENT", "caps_last_first").t("   DOB ").d(ident.birth_date).t("\n")
        w.t("CONFIDENTIAL - this facsimile contains protected health information. If received in error call ")
        w.ph(c.home_phone, "paren").t(".\n\n")
    if layout == "ris":
        w.caps = w.asc = True
        w.t("RIS> RESULT INQUIRY                              ").p(c.acr, "HOSPITAL").t(" RADIOLOGY\n")
        w.t("PT NAME.....: ").nm(me, "PATIENT", "last_first_mi").t("      MRN....: ").p(ident.mrn, "MRN").t("\n")
        w.t("DOB.........: ").d(ident.birth_date, "mdY0").t("      ACC#...: ").p(acc, "MRN").t("\n")
        w.t(f"EXAM........: {exam}\nEXAM DT.....: ").dt(when, "mdY0", "mil").t("\n")
        w.t("REF PHYS....: ").nm(ref, "PROVIDER", "last_first").t(f" {ref.cred}\nREF LOC.....: ").p(ref_site, "HOSPITAL")
        w.t("\nSTATUS......: FINAL\nREAD BY.....: ").nm(rad, "PROVIDER", "caps_last_first").t("\n" + "-" * 64 + "\n")
    else:
        w.p(c.sites["imaging"], "HOSPITAL").t(" - Department of Radiology\n")
        _addr_block(w, c, c.home_street, c.home_town, c.home_state, c.home_zip, sep=", ")
        w.t("   Tel ").ph(c.home_phone).t("\n\n")
        w.t("Patient: ").nm(me, "PATIENT", r.choice(("caps_last_first", "last_first_mi", "full"))).t("    MRN: ")
        w.p(ident.mrn, "MRN").t("\nDOB: ").d(ident.birth_date).t(f"    Sex: {ident.sex[0].upper()}\nAccession #: ")
        w.p(acc, "MRN").t("    Exam date: ").dt(when).t("\nReferring: ")
        w.nm(ref, "PROVIDER", r.choice(("full", "last_first", "init_last", "full_mi"))).t(f", {ref.cred} (")
        w.p(ref_site, "HOSPITAL").t(")\n\n").t(f"EXAM: {exam}\n")
    w.t(f"CLINICAL HISTORY: {_age(ident, when)}-year-old {'man' if ident.sex == 'male' else 'woman'} with {hist}.\n")
    w.t("COMPARISON: ")
    for pd, fac, oacc in priors:
        form = r.randrange(4)
        if form == 0:
            w.t(f"{prior_desc} dated ").d(pd).t(" from ").p(fac, "HOSPITAL").t(" (outside accession ").p(oacc, "MRN")
            w.t("), images imported into PACS on ").d(when - timedelta(days=r.randint(1, 20))).t(". ")
        elif form == 1:
            rel = r.choice(rels)
            w.t(f"Outside {prior_desc} performed at ").p(fac, "HOSPITAL").t(" on ").d(pd)
            w.t(f", brought on CD by the patient's {rel.role} ").nm(rel, "RELATIVE", r.choice(("given", "full")))
            w.t(" (outside acc. ").p(oacc, "MRN").t("); outside report signed by ")
            w.nm(c.person(cred="MD"), "PROVIDER", "family", cue="Dr.").t(". ")
        elif form == 2:
            w.t("Report only, images not available: ").p(fac, "HOSPITAL").t(f" {prior_desc} ").d(pd)
            w.t(", accession ").p(oacc, "MRN").t(". ")
        else:
            w.t(f"{prior_desc}, ").p(fac, "HOSPITAL").t(", ").d(pd).t(" (acc ").p(oacc, "MRN")
            w.t(", reviewed on the outside web viewer). ")
    w.t("\n")
    if mod == "CT":
        w.t(f"TECHNIQUE: Axial images with coronal and sagittal reformats. DLP {r.randint(180, 900)} mGy-cm. "
            "Dose reduction techniques used.\n\n")
    else:
        w.t(f"TECHNIQUE: Multiplanar multisequence MRI at {r.choice(('1.5', '3'))} T. Gadobutrol "
            f"{r.randint(5, 9)} mL IV where indicated.\n\n")
    w.t(f"FINDINGS: {findings}\n\nIMPRESSION:\n{impression}\n\n")
    if critical or r.random() < 0.4:
        tgt = ref if r.random() < 0.6 else c.person(cred="RN")
        cue = "Dr." if tgt is ref and ref.cred in ("MD", "DO") else ""
        w.t("Results communicated to ").nm(tgt, "PROVIDER", r.choice(("full", "init_last", "family")), cue=cue)
        if tgt is not ref:
            w.t(", RN in the office of ").nm(ref, "PROVIDER", "family", cue="Dr.")
        w.t(f" at {c.clock('24')} by phone on ").d(when).t(" by ").nm(rad, "PROVIDER", "family", cue="Dr.")
        w.t("; read-back confirmed.\n")
    w.t("Dictated by: ").nm(res, "PROVIDER", r.choice(("init_last", "full"))).t(", MD (resident)\n")
    _sign(w, c, rad, "MD", when + timedelta(days=r.choice((0, 0, 1))))
    w.caps = w.asc = False


def _comment(w: W, comment: str, blk: str) -> None:
    head, _, tail = comment.partition("{blk}")
    w.t(head)
    if tail or "{blk}" in comment:
        w.p(blk, "MRN").t(tail)


# ---- 2. outside pathology consultation -----------------------------------------------------------
def path_consult(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me = c.pt(ident)
    site, outside_dx, our_dx, comment = r.choice(PATH_CASES)
    refpath = c.person(cred="MD")
    inst = c.outside_hospital() if r.random() < 0.6 else c._fac(
        lambda: f"{c.us.city()} Pathology Associates", lambda: f"{c._sur()} Reference Laboratories")
    i_street, i_town, i_state, i_zip = c.street(), c.town(), c.state(), c.zipc()
    ocase = f"{r.choice('SCB')}{when:%y}-{c.digits(5)}"
    blk = f"{ocase}-{r.choice('AB')}{r.randint(1, 4)}"
    ours = f"SC{when:%y}-{c.digits(4)}"
    track = r.choice((f"{c.digits(4)} {c.digits(4)} {c.digits(4)}", f"1Z{c.letters(3)}{c.digits(3)}{c.digits(10)}"))
    courier = "UPS" if track.startswith("1Z") else "FedEx"
    signed_out = when - timedelta(days=r.randint(4, 25))
    consultant = c.pool("pathologist", 3, lambda: c.person(cred="MD"))
    requester = _doc(c, staff, "attending")
    tech = c.pool("histotech", 3, lambda: c.person(cred="HT(ASCP)"))
    layout = r.choice(("report", "report", "intake", "letter"))
    if layout == "intake":
        _fax_line(w, c, when, inst, c.phone(), 1, 1)
        w.noise = 0.02
        w.t("OUTSIDE MATERIAL INTAKE LOG - SURGICAL PATHOLOGY CONSULTS\n")
        w.t("Date rec'd | Courier | Tracking no. | From | Outside case | Items | Patient | Rec'd by\n")
        w.d(when, "mdy0").t(f" | {courier} | ").p(track, "MRN").t(" | ").p(inst, "HOSPITAL").t(" | ").p(ocase, "MRN")
        w.t(f" | {r.randint(2, 9)} H&E, 1 block | ").nm(me, "PATIENT", "caps_last_first").t(" | ")
        w.nm(tech, "PROVIDER", "initials").t("\n\n")
        w.noise = 0.0
        w.t("Assigned consult number ").p(ours, "MRN").t(" to ").nm(consultant, "PROVIDER", "family", cue="Dr.")
        w.t(". Requisition lists MRN ").p(ident.mrn, "MRN").t(" and DOB ").d(ident.birth_date)
        w.t("; requested by ").nm(requester, "PROVIDER", "init_last").t(" before the tumor board of ")
        w.d(when + timedelta(days=r.randint(3, 10))).t(". Outside report signed by ")
        w.nm(refpath, "PROVIDER", "full").t(", MD on ").d(signed_out).t(f": {outside_dx}.\n")
        w.t("Block ").p(blk, "MRN").t(" logged to the IHC queue. Outside lab contact phone ").ph().t(".\n")
        return
    if layout == "letter":
        w.p(c.sites["path"], "HOSPITAL").t("\nDepartment of Pathology\n\n").d(when + timedelta(days=r.randint(2, 6)))
        w.t("\n\n").nm(refpath, "PROVIDER", "full").t(", MD\nDepartment of Pathology\n").p(inst, "HOSPITAL").t("\n")
        _addr_block(w, c, i_street, i_town, i_state, i_zip)
        w.t("\n\nRE: ").nm(me, "PATIENT", "full").t(", your case ").p(ocase, "MRN").t(" (our ").p(ours, "MRN").t(")\n\n")
        w.t("Dear ").nm(refpath, "PROVIDER", "family", cue="Dr.").t(",\n\nThank you for sending the slides and block of "
                                                                    "your patient, received here on ")
        w.d(when).t(f" by {courier} (tracking ").p(track, "MRN").t("). Our diagnosis is:\n\n")
        w.t(f"  {site.upper()}: {our_dx}.\n\n")
        _comment(w, comment, blk)
        w.t("\n\n")
        w.t("I called you on ").d(when + timedelta(days=r.randint(1, 3))).t(f" at {c.clock('ampm')} to discuss. The slides "
                                                                          "are returned with this letter; block ")
        w.p(blk, "MRN").t(" is kept for additional studies and will follow.\n\nSincerely,\n\n")
        w.nm(consultant, "PROVIDER", "full_mi").t(", MD\nSurgical Pathology Consultation Service  ").ph(c.home_phone).t("\n")
        w.t("cc: ").nm(requester, "PROVIDER", "init_last").t(", MD\n")
        return
    w.p(c.sites["path"], "HOSPITAL").t(" - DEPARTMENT OF PATHOLOGY\nSURGICAL PATHOLOGY CONSULTATION (OUTSIDE MATERIAL)\n")
    w.t("Consult #: ").p(ours, "MRN").t("        Received: ").d(when).t("\n")
    w.t("Patient: ").nm(me, "PATIENT", r.choice(("caps_last_first", "last_first_mi"))).t("   MRN: ").p(ident.mrn, "MRN")
    w.t("   DOB: ").d(ident.birth_date).t("\n")
    w.t("Referring pathologist: ").nm(refpath, "PROVIDER", r.choice(("full", "last_first_mi", "init_last")), cue="Dr.")
    w.t(", ").p(inst, "HOSPITAL").t(", ")
    _addr_block(w, c, i_street, i_town, i_state, i_zip, sep=", ")
    w.t(". Tel ").ph().t("  Fax ").ph().t("\n")
    w.t("Requested by: ").nm(requester, "PROVIDER", "full").t(", MD (second opinion at the patient's request)\n")
    w.t("Outside case: ").p(ocase, "MRN").t(", signed out ").d(signed_out).t(f"; outside diagnosis: {outside_dx}.\n")
    w.t(f"Shipped by {courier}, tracking ").p(track, "MRN").t(".\n\nMATERIAL RECEIVED\n")
    w.t("| Outside label | Item | Count |\n|---|---|---|\n")
    w.t("| ").p(f"{ocase}-A1", "MRN").t(f" | H&E slide | {r.randint(1, 6)} |\n")
    w.t("| ").p(blk, "MRN").t(" | paraffin block | 1 |\n| - | outside report and requisition | 1 |\n")
    w.t("Received and accessioned by ").nm(tech, "PROVIDER", "initials").t(".\n\n")
    w.t(f"SPECIMEN: {site}\n\nDIAGNOSIS (CONSULTATION):\n{our_dx}\n\nCOMMENT: ")
    _comment(w, comment, blk)
    w.t(" The case was discussed with ").nm(refpath, "PROVIDER", "family", cue="Dr.").t(" by phone on ")
    w.d(when + timedelta(days=r.randint(1, 3))).t(f" at {c.clock('24')}.\n\n")
    _sign(w, c, consultant, "MD", when + timedelta(days=r.randint(1, 4)))
    w.t("Slides returned to ").p(inst, "HOSPITAL").t(f" by {courier} ").p(
        f"{c.digits(4)} {c.digits(4)} {c.digits(4)}", "MRN").t(" on ").d(when + timedelta(days=r.randint(5, 9))).t(".\n")


# ---- 3. billing statement / collections ----------------------------------------------------------
def billing(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me, rels = c.pt(ident), c.rels(ident)
    spouse = [x for x in rels if x.role in ("wife", "husband")]
    guar = spouse[0] if spouse and r.random() < 0.4 else me
    gkind = "PATIENT" if guar is me else "RELATIVE"
    acct = r.choice((c.digits(9), f"{c.digits(4)}-{c.digits(6)}", f"H{c.digits(8)}"))
    stmt = f"ST{c.digits(8)}"
    lines = []
    for _ in range(r.randint(2, 4)):
        dos = when - timedelta(days=r.randint(20, 200))
        desc, cpt, charge = r.choice((("OFFICE VISIT EST LEVEL 4", "99214", 285.0), ("CT ABD/PELVIS W CONTRAST", "74177", 2140.0),
                                      ("MRI KNEE W/O CONTRAST", "73721", 1890.0), ("CBC W AUTO DIFF", "85025", 48.0),
                                      ("COMPREHENSIVE METABOLIC PANEL", "80053", 96.0), ("PT EVALUATION MOD COMPLEX", "97162", 310.0),
                                      ("AUDIOMETRY COMPREHENSIVE", "92557", 160.0), ("ED VISIT LEVEL 3", "99283", 980.0)))
        paid = round(charge * r.uniform(0.3, 0.7), 2)
        adj = round(charge * r.uniform(0.05, 0.25), 2)
        lines.append((sorted([dos])[0], desc, cpt, charge, paid, adj, round(charge - paid - adj, 2),
                      f"{c.digits(2)}{c.letters(1)}{c.digits(9)}"))
    lines.sort()
    due = round(sum(x[6] for x in lines), 2)
    rep = c.pool("pfs_rep", 3, lambda: c.person())
    url = f"https://pay.{c.domain}/ebill?acct={re.sub(r'[^0-9A-Z]', '', acct)}"
    layout = r.choice(("statement", "statement", "screen", "collections"))
    if layout == "screen":
        w.caps = w.asc = True
        w.t("PFS ACCOUNT INQUIRY   ").p(c.acr, "HOSPITAL").t(" PATIENT ACCTG          SCREEN PA0412\n")
        w.t("ACCT#: ").p(acct, "MRN").t("   FC: COMM   BAL: $", f"{due:,.2f}", "   STMT CYCLE 04\n")
        w.t("PT...: ").nm(me, "PATIENT", "caps_last_first").t("   MRN ").p(ident.mrn, "MRN").t("   DOB ").d(ident.birth_date, "mdY0")
        w.t("\nGUAR.: ").nm(guar, gkind, "caps_last_first").t("   SSN ").p(ident.ssn, "SSN").t("\nADDR.: ")
        _pt_addr(w, ident, sep="  ")
        w.t("\nPH...: ").ph(ident.phone, "dash").t(f"\nINS1.: {ident.insurer.upper()}  ID ").p(ident.insurance_id, "INSURANCE")
        w.t("\n" + "=" * 66 + "\nACCOUNT NOTES\n")
        d0 = when - timedelta(days=r.randint(40, 90))
        w.d(d0, "mdy0").t(f" {c.clock('mil')} ").nm(rep, "PROVIDER", "initials").t(" STMT 1 MAILED, CLAIM ").p(lines[0][7], "MRN")
        w.t(" DENIED CO-16 MISSING INFO, RESUBMITTED\n")
        w.d(d0 + timedelta(days=21), "mdy0").t(f" {c.clock('mil')} ").nm(rep, "PROVIDER", "initials").t(" CALLED GUAR AT ")
        w.ph(ident.phone, "bare").t(" LM TO CALL ").ph(c.pfs_phone).t("\n")
        w.d(d0 + timedelta(days=30), "mdy0").t(f" {c.clock('mil')} ").nm(rep, "PROVIDER", "initials").t(" GUAR CALLED BACK, SPOUSE ")
        if spouse:
            w.nm(spouse[0], "RELATIVE", "given").t(" ")
        w.t("ON LINE, AGREED PMT PLAN $", f"{max(25, round(due / 6)):.0f}", "/MO 1ST PMT DUE ").d(when, "mdY0").t("\n")
        w.d(when, "mdy0").t(f" {c.clock('mil')} SYS  PLAN ACTIVE, AUTOPAY FROM CARD ENDING {c.digits(4)}\n")
        w.caps = w.asc = False
        return
    if layout == "collections":
        agency = c.pool("agency", 2, lambda: c._fac(lambda: f"{c._sur()} Recovery Services",
                                                   lambda: f"{c._sur()} & {c._sur()} Credit Bureau"))
        a_street, a_town, a_state, a_zip = c.street(), c.town(), c.state(), c.zipc()
        aref = f"{c.letters(2)}{c.digits(7)}"
        w.p(agency, "LOCATION").t("\n")
        _addr_block(w, c, a_street, a_town, a_state, a_zip)
        w.t("\nToll free ").ph(form="one").t("\n\n").d(when, r.choice(("MonthdY", "mdY0"))).t("\n\n")
        w.nm(guar, gkind, "caps_last_first" if r.random() < 0.5 else "full").t("\n")
        _pt_addr(w, ident)
        w.t("\n\nRE: Original creditor ").p(c.sites["pfs"], "HOSPITAL").t("\n    Creditor account: ").p(acct, "MRN")
        w.t("\n    Our reference: ").p(aref, "MRN").t(f"\n    Balance: ${due:,.2f}\n\n")
        _dear(w, guar, gkind)
        w.t("Your account for services to ").nm(me, "PATIENT", "full").t(" on ").d(lines[0][0]).t(" has been placed with "
                                                                                                   "our office for collection. ")
        w.t("Unless you dispute the validity of this debt within thirty days of receiving this notice, we will assume it is "
            "valid. You may pay online at ").p(f"https://{c.org_domain(agency)}/pay?ref={aref}", "EMAIL")
        w.t(" or set up a payment plan with your account representative, ").nm(c.pool("collector", 3, c.person), "PROVIDER",
                                                                               r.choice(("first_init", "full")))
        w.t(".\n\nThis communication is from a debt collector. This is an attempt to collect a debt and any information "
            "obtained will be used for that purpose.\n")
        return
    w.p(c.sites["pfs"], "HOSPITAL").t(" - Patient Financial Services\n").p(c.pfs_box, "ADDRESS").t(", ")
    w.p(c.pfs_town, "LOCATION").t(f", {c.home_state} ").p(c.pfs_zip, "ZIP").t("\n\n")
    w.t("STATEMENT DATE: ").d(when).t("    ACCOUNT #: ").p(acct, "MRN").t("    STATEMENT #: ").p(stmt, "MRN").t("\n\n")
    w.t("GUARANTOR:\n").nm(guar, gkind, r.choice(("caps_last_first", "full", "full_mi"))).t("\n")
    _pt_addr(w, ident)
    w.t("\n\nPATIENT: ").nm(me, "PATIENT", "full").t("   DOB ").d(ident.birth_date).t(f"\nPRIMARY INSURANCE: {ident.insurer}  "
                                                                                           "MEMBER ID: ")
    w.p(ident.insurance_id, "INSURANCE").t("\n\n")
    w.t("| Date of service | Description | CPT | Charges | Insurance paid | Adjustments | You owe |\n")
    w.t("|---|---|---|---|---|---|---|\n")
    for dos, desc, cpt, charge, paid, adj, owe, _ in lines:
        w.t("| ").d(dos, "mdY0").t(f" | {desc.title()} | {cpt} | ${charge:,.2f} | ${paid:,.2f} | ${adj:,.2f} | ${owe:,.2f} |\n")
    w.t("\n")
    for dos, *_, claim in lines[:2]:
        w.t(f"{ident.insurer} claim ").p(claim, "MRN").t(" processed ").d(dos + timedelta(days=r.randint(20, 45)))
        w.t(": remaining balance applied to your deductible.\n")
    w.t(f"\nAMOUNT DUE: ${due:,.2f}    PLEASE PAY BY: ").d(when + timedelta(days=30)).t("\n\n")
    w.t("Pay online at ").p(url, "EMAIL").t(" or through the patient portal at ").p(f"https://portal.{c.domain}", "EMAIL")
    w.t(", or call ").ph(c.pfs_phone).t(" Monday to Friday, 8 am to 6 pm.\n")
    if r.random() < 0.6:
        w.t("Payment plan: $", f"{max(25, round(due / 6)):.0f}", " per month starting ").d(when + timedelta(days=14))
        w.t(", set up by ").nm(rep, "PROVIDER", r.choice(("first_init", "given", "full"))).t(" at your request.\n")
    w.t("Financial assistance may be available; ask for an application.\n"
        "- - - - - - - - - - - detach and return with your payment - - - - - - - - - - -\n")
    w.t("Account ").p(acct, "MRN").t(f"   Amount due ${due:,.2f}   Make checks payable to ").p(c.sites["pfs"], "HOSPITAL")
    w.t("\n")


# ---- 4. grievance ------------------------------------------------------------------------------
def grievance(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me, rels = c.pt(ident), c.rels(ident)
    rel = r.choice(rels)
    he, his = _he(ident.sex)
    gnum = f"GR-{when.year}-{c.digits(5)}"
    unit = r.choice(("4 West", "6 North", "the Short Stay Unit", "Endoscopy", "the Infusion Center", "ED Pod B"))
    nurse, doc = _nurse(c, staff), _doc(c, staff)
    transporter = c.pool("transporter", 3, lambda: c.person(sex="male"))
    manager = c.pool("nurse_manager", 3, lambda: c.person(cred="RN, MSN"))
    spec = c.pool("patient_relations", 2, c.person)
    roommate = c.person(sex=ident.sex)
    incident = when - timedelta(days=r.randint(1, 10))
    letter = when + timedelta(days=r.randint(7, 25))
    same_home = rel.role in ("wife", "husband", "mother", "father")
    w.t("PATIENT RELATIONS - GRIEVANCE FILE                 Case #: ").p(gnum, "MRN").t("\n")
    w.p(c.sites["pfs"], "HOSPITAL").t(" - Office of Patient Experience\n\n")
    w.t("Date received: ").dt(when, tform="ampm").t("   Received via: ")
    via = r.randrange(3)
    w.box(via == 0).t(" phone  ").box(via == 1).t(" letter  ").box(via == 2).t(" e-mail  [ ] in person\n")
    w.t("Complainant: ").nm(rel, "RELATIVE", "full").t(f"   Relationship to patient: {rel.role}   Phone: ").ph(rel.phone)
    w.t("\nPatient: ").nm(me, "PATIENT", r.choice(("last_first", "full"))).t("   MRN: ").p(ident.mrn, "MRN")
    w.t("   DOB: ").d(ident.birth_date).t(f"\nUnit: {unit}   Date of event: ").d(incident).t("\n")
    w.t("Staff named: ").nm(nurse, "PROVIDER", "full").t(", RN; ").nm(doc, "PROVIDER", "family", cue="Dr.")
    w.t("; transporter ").nm(transporter, "PROVIDER", "first_init").t("\n")
    w.t("Category: [X] Communication  [ ] Billing  ").box(r.random() < 0.5).t(" Quality of care  ").box(r.random() < 0.3)
    w.t(" Respect / dignity  [ ] Safety\n\n")
    w.t("Complainant's account (as told to ").nm(spec, "PROVIDER", "given").t("):\n\"")
    w.t(f"My {_pt_word(rel, ident)} waited over an hour for the bedpan and nobody came. The nurse, ")
    w.nm(nurse, "PROVIDER", "given").t(", said there were five other patients to see. ")
    w.nm(doc, "PROVIDER", "family", cue="Dr.").t(" was supposed to call me with the results and never did. ")
    w.t("Then the transport man, I think his badge said ").nm(transporter, "PROVIDER", "given").t(", left ")
    w.nm(me, "PATIENT", "given").t(f" in the hallway for 40 minutes. And {his} roommate, ")
    w.nm(roommate, "PATIENT", "family", cue="Mrs." if ident.sex == "female" else "Mr.")
    w.t(", who is ").p(f"{r.randint(90, 101)} years old", "DATE")
    w.t(f", was calling out all night and no one checked on {'her' if ident.sex == 'female' else 'him'}.\"\n\n")
    w.t("INVESTIGATION LOG\n| Date | By | Action |\n|---|---|---|\n")
    w.t("| ").d(when + timedelta(days=1), "mdY0").t(" | ").nm(spec, "PROVIDER", "initials").t(" | Acknowledgment letter mailed "
                                                                                          "to complainant |\n")
    w.t("| ").d(when + timedelta(days=3), "mdY0").t(" | ").nm(manager, "PROVIDER", "init_last").t(" | Interviewed ")
    w.nm(nurse, "PROVIDER", "init_last").t("; call-light log shows 52 min response at 02:10 |\n")
    w.t("| ").d(when + timedelta(days=4), "mdY0").t(" | ").nm(manager, "PROVIDER", "init_last").t(" | Transport dispatch "
                                                                                                "record reviewed with ")
    w.nm(transporter, "PROVIDER", "full").t(" |\n| ").d(when + timedelta(days=6), "mdY0").t(" | ").nm(spec, "PROVIDER", "initials")
    w.t(" | Reviewed with ").nm(doc, "PROVIDER", "full").t(", MD; results were released to the portal but no call was made |\n\n")
    w.t("Findings: staffing was below grid on the night of the event; the physician call-back was missed. Referred to "
        "the unit practice council. Not a grievance requiring state notification.\n\n---- RESOLUTION LETTER ----\n")
    w.d(letter, r.choice(("MonthdY", "mdY0"))).t("\n\n").nm(rel, "RELATIVE", "full").t("\n")
    if same_home:
        _pt_addr(w, ident)
    else:
        _addr_block(w, c, c.street(), c.town(), c.state(), c.zipc())
    w.t("\n\n")
    _dear(w, rel, "RELATIVE")
    w.t("Thank you for telling us about the care your family member received on ").d(incident, "MonthdY")
    w.t(f" on {unit}. We reviewed your concerns (case ").p(gnum, "MRN").t(") with the nurse manager, the physician and "
                                                                        "our transport department. ")
    w.t("We found that your concerns about response time and the missed call were valid, and we are sorry. The unit "
        "has added a second nursing assistant at night, and physicians now call families directly when results are "
        "final.\n\nIf you are not satisfied with this response you may contact the state Department of Public Health or "
        "the hospital's accrediting organization.\n\nSincerely,\n\n")
    w.nm(spec, "PROVIDER", r.choice(("full", "full_mi"))).t("\nPatient Relations Specialist\n").ph(c.home_phone).t("  ")
    w.p(c.staff_email(spec), "EMAIL").t("\n")


# ---- 5. NEMT ride log ----------------------------------------------------------------------------
def nemt(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me, rels = c.pt(ident), c.rels(ident)
    broker = c.pool("broker", 2, lambda: c._fac(lambda: f"{c._sur()} Transportation Network",
                                               lambda: f"{c.us.city()} Ride Partners"))
    company = c.pool("transport_co", 4, lambda: c._fac(lambda: f"{c._sur()} Medical Transport",
                                                      lambda: f"{c.us.city()} Wheelchair Van Service",
                                                      lambda: f"{c._sur()} Care Cabs"))
    driver = c.pool("driver", 6, c.person)
    disp = c.pool("dispatcher", 3, c.person)
    medicaid = f"{c.letters(2)}{c.digits(8)}{c.letters(1)}"
    county = c.pool("county", 3, c.county)
    vehicle, plate = f"VAN {c.digits(3)}", f"{c.digits(1)}{c.letters(3)}{c.digits(3)}"
    appt = when + timedelta(days=r.randint(2, 12))
    dest = r.choice((c.sites["clinic"], c.sites["imaging"], c.sites["rehab"], c.sites["hearing"]))
    trips = [f"{appt:%y%m%d}-{c.digits(5)}-{leg}" for leg in "AB"]
    escort = r.choice(rels) if r.random() < 0.5 else None
    riders = [(c.person(), c.street(), c.town()) for _ in range(r.choice((0, 1, 2)))]
    layout = r.choice(("screen", "screen", "tsv", "calls"))
    w.asc = layout != "calls"
    if layout == "screen":
        w.caps = True
        w.t("*** ").p(broker, "LOCATION").t(" *** MEMBER TRIP HISTORY        PRINTED ").dt(when, "mdY0", "24").t("\n")
        w.t("MEMBER: ").nm(me, "PATIENT", "last_first_mi").t("   MEDICAID ID: ").p(medicaid, "INSURANCE")
        w.t("   DOB: ").d(ident.birth_date, "mdY0").t("\nPHONE: ").ph(ident.phone, "dash").t("   COUNTY: ").p(county, "LOCATION")
        w.t(f"   LOS: {r.choice(('AMBULATORY', 'WHEELCHAIR', 'STRETCHER'))}\nADDR: ")
        _pt_addr(w, ident, sep=" ")
        w.t("\n" + "-" * 72 + "\nTRIP ID            | DATE       | PU    | LEG | PICKUP / DROPOFF                 | STATUS\n")
        h = r.randint(6, 12)
        for leg, tid in zip("AB", trips):
            w.p(tid, "MRN").t(" | ").d(appt, "mdY0").t(f" | {h + (3 if leg == 'B' else 0):02d}:{r.choice((0, 15, 30, 45)):02d} | {leg}   | ")
            if leg == "A":
                w.p(ident.address, "ADDRESS").t(" -> ").p(dest, "HOSPITAL")
            else:
                w.p(dest, "HOSPITAL").t(" -> HOME (WILL CALL)")
            w.t(" | SCHEDULED\n")
        w.t("ASSIGNED: ").p(company, "LOCATION").t("  DRV ").nm(driver, "PROVIDER", "caps_last_first").t("  VEH ")
        w.p(vehicle, "MRN").t("  PLATE ").p(plate, "MRN").t(f" {ident.state}\n")
        for p, street, town in riders:
            w.t("SHARED RIDE W/ ").nm(p, "PATIENT", "last_first").t(" PU ").p(street, "ADDRESS").t(" ").p(town, "LOCATION")
            if r.random() < 0.3:
                w.t(" MBR IS ").p(f"{r.randint(90, 99)} YEARS OLD", "DATE").t(" NEEDS DOOR TO DOOR")
            w.t("\n")
        w.t("NOTES:\n").d(when, "mdy0").t(f" {c.clock('mil')} ").nm(disp, "PROVIDER", "initials")
        w.t(" MBR CALLED TO SCHED, CALLBACK ").ph(ident.phone, "bare").t("\n")
        if escort:
            w.d(when, "mdy0").t(f" {c.clock('mil')} ").nm(disp, "PROVIDER", "initials").t(f" ESCORT ({escort.role}) ")
            w.nm(escort, "RELATIVE", "caps_last_first").t(" WILL RIDE, PH ").ph(escort.phone, "dash").t("\n")
        w.d(appt, "mdy0").t(f" {c.clock('mil')} DRV CALLED NO ANSWER AT DOOR, DISPATCH ").nm(disp, "PROVIDER", "family")
        w.t(" REACHED MBR ON CELL, PU COMPLETE\n")
    elif layout == "tsv":
        w.t("trip_id\tdate\tpu_time\tmember\tmedicaid_id\tpickup\tdropoff\tprovider\tdriver\tvehicle\tplate\tstatus\n")
        rows = [(me, ident.address, "ADDRESS", medicaid)] + [(p, st, "ADDRESS", f"{c.letters(2)}{c.digits(8)}{c.letters(1)}")
                                                             for p, st, _ in riders]
        for p, st, sk, mid in rows:
            tid = trips[0] if p is me else f"{appt:%y%m%d}-{c.digits(5)}-A"
            w.p(tid, "MRN").t("\t").d(appt, "iso").t(f"\t{c.clock('24')}\t").nm(p, "PATIENT", "caps_last_first").t("\t")
            w.p(mid, "INSURANCE").t("\t").p(st, sk).t("\t").p(dest, "HOSPITAL").t("\t").p(company, "LOCATION").t("\t")
            w.nm(driver, "PROVIDER", "first_init").t("\t").p(vehicle, "MRN").t("\t").p(plate, "MRN").t("\tCONFIRMED\n")
        w.p(trips[1], "MRN").t("\t").d(appt, "iso").t("\tWILL CALL\t").nm(me, "PATIENT", "caps_last_first").t("\t")
        w.p(medicaid, "INSURANCE").t("\t").p(dest, "HOSPITAL").t("\t").p(ident.address, "ADDRESS").t("\t")
        w.p(company, "LOCATION").t("\t\t\t\tPENDING\n")
        w.t("# exported by ").nm(disp, "PROVIDER", "lower").t(" ").dt(when, "iso", "24").t(" county=").p(county, "LOCATION").t("\n")
    else:
        w.t("Transportation call notes - ").p(broker, "LOCATION").t("\n\n").dt(when, tform="ampm").t(" - Incoming call from ")
        caller = escort or r.choice(rels)
        w.t(f"member's {caller.role}, ").nm(caller, "RELATIVE", r.choice(("full", "given"))).t(", callback ").ph(caller.phone)
        w.t(", to book a round trip for ").nm(me, "PATIENT", "full").t(" (Medicaid ").p(medicaid, "INSURANCE").t(") to ")
        w.p(dest, "HOSPITAL").t(", ").p(c.home_street, "ADDRESS").t(", on ").d(appt, "MonthdY")
        w.t(f", appointment {c.clock('ampm')}. Pickup at ").p(ident.address, "ADDRESS").t(", ").p(ident.city, "ADDRESS")
        w.t(". Member uses a walker, needs a ramp van. Trips ").p(trips[0], "MRN").t(" / ").p(trips[1], "MRN")
        w.t(" created and assigned to ").p(company, "LOCATION").t(".\nDispatcher: ").nm(disp, "PROVIDER", "first_init")
        w.t("\n\n").dt(appt, tform="ampm").t(" - ").p(company, "LOCATION").t(" reports driver ")
        w.nm(driver, "PROVIDER", r.choice(("full", "given", "nick")))
        w.t(" (").p(vehicle, "MRN").t(", plate ").p(plate, "MRN").t(") arrived, member not ready; waited 12 minutes. ")
        w.t("Called member at ").ph(ident.phone).t(", came out. Return leg is will-call; clinic to call ")
        w.ph(form="one").t(" when done.\n")
    w.caps = w.asc = False


# ---- 6. DME order / CMN --------------------------------------------------------------------------
def _supplier(c: Ctx) -> tuple:
    name = c._fac(lambda: f"{c.us.city()} Home Medical", lambda: f"{c._sur()} Medical Supply",
                  lambda: f"{c._sur()} Respiratory & Mobility", lambda: f"{c.us.city()} Oxygen & Home Care")
    return (name, c.digits(10), f"{c.letters(2)}{c.digits(4)}{c.letters(1)}", c.street(), c.town(), c.state(),
            c.zipc(), c.phone(), c.phone())


def dme(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me, rels = c.pt(ident), c.rels(ident)
    item, hcpcs, model, dx, icd, rx = r.choice(EQUIPMENT)
    sup, snpi, ptan, s_street, s_town, s_state, s_zip, s_phone, s_fax = c.pool("supplier", 3, lambda: _supplier(c))
    doc = _doc(c, staff, "attending")
    if ("npi", doc.key) not in c.pools:
        c.pools[("npi", doc.key)] = [c.digits(10)]
    npi = c.pools[("npi", doc.key)][0]
    mbi = f"{r.randint(1, 9)}{c.letters(1)}{c.letters(1)}{c.digits(1)}-{c.letters(2)}{c.digits(1)}-{c.letters(2)}{c.digits(2)}"
    serial = f"{c.letters(2)}{c.digits(8)}"
    tech = c.pool("dme_tech", 3, c.person)
    test_day = when - timedelta(days=r.randint(2, 25))
    test_site = c.pool("sleep_center", 2, lambda: c._fac(lambda: f"{c.us.city()} Sleep Center",
                                                        lambda: f"{c._sur()} Sleep Disorders Clinic"))
    layout = r.choice(("cmn", "cmn", "delivery"))
    if layout == "cmn":
        if r.random() < 0.4:
            _fax_line(w, c, when, c.sites["clinic"], c.home_phone, 1, 3)
            w.noise = 0.01
        w.t("DETAILED WRITTEN ORDER / CERTIFICATE OF MEDICAL NECESSITY\n")
        w.t("Certification: ").box(True).t(" Initial  [ ] Revised  [ ] Recertification      Date: ").d(when).t("\n\n")
        w.t("SECTION A\nPatient: ").nm(me, "PATIENT", "caps_last_first").t("   DOB: ").d(ident.birth_date, "mdY0")
        w.t(f"   Sex: {ident.sex[0].upper()}\nAddress: ")
        _pt_addr(w, ident, sep=", ")
        w.t("   Phone: ").ph(ident.phone).t("\nMedicare (MBI): ").p(mbi, "INSURANCE").t(f"   Secondary: {ident.insurer} ")
        w.p(ident.insurance_id, "INSURANCE").t("\nSupplier: ").p(sup, "HOSPITAL").t("   NPI ").p(snpi, "MRN").t("   PTAN ")
        w.p(ptan, "MRN").t("\n          ")
        _addr_block(w, c, s_street, s_town, s_state, s_zip, sep=", ")
        w.t("   Ph ").ph(s_phone).t("  Fax ").ph(s_fax).t("\nOrdering physician: ").nm(doc, "PROVIDER", "last_first_mi")
        w.t(", MD   NPI ").p(npi, "MRN").t("\n\n")
        w.t(f"SECTION B\nItem: {item}\nHCPCS: {hcpcs}\nDiagnosis: {dx} ({icd})\nOrder: {rx}\nEstimated length of need: "
            f"{r.choice(('99 months (lifetime)', '12 months', '6 months'))}\n")
        w.t("Qualifying test: ").box(True).t(f" {'home sleep test' if 'CPAP' in item else 'resting oximetry'} on ").d(test_day)
        w.t(" at ").p(test_site, "HOSPITAL").t("\nPatient seen face to face on ").d(when - timedelta(days=r.randint(0, 20)))
        w.t(": ").box(True).t(" Yes  [ ] No\n\nSECTION D - Attestation\nI certify that the medical necessity of this item is "
                              "supported by the medical record.\nPhysician signature: ")
        w.nm(doc, "PROVIDER", r.choice(("full", "init_last"))).t(", MD      Date signed: ").d(when, "mdY0").t("\n")
        if r.random() < 0.5:
            w.t("Completed by: ").nm(c.pool("clinic_rn", 2, lambda: c.person(cred="RN")), "PROVIDER", "full").t(", RN, ")
            w.p(c.sites["clinic"], "HOSPITAL").t("\n")
        return
    w.p(sup, "HOSPITAL").t(" - DELIVERY TICKET / PROOF OF DELIVERY\n")
    _addr_block(w, c, s_street, s_town, s_state, s_zip, sep=", ")
    w.t("   ").ph(s_phone).t("\nTicket #: ").p(f"DT{c.digits(7)}", "MRN").t("   Order date: ").d(when - timedelta(days=3))
    w.t("   Delivered: ").dt(when, tform="ampm").t("\nDeliver to: ").nm(me, "PATIENT", "full").t("\n")
    _pt_addr(w, ident)
    w.t("\nPhone: ").ph(ident.phone).t("   MBI ").p(mbi, "INSURANCE").t("\n\n| HCPCS | Description | Make / model | Serial | Qty |\n")
    w.t("|---|---|---|---|---|\n").t(f"| {hcpcs.split(' / ')[0]} | {item} | {model} | ").p(serial, "MRN").t(" | 1 |\n")
    if len(hcpcs.split(" / ")) > 1:
        w.t(f"| {hcpcs.split(' / ')[1]} | accessory | - | ").p(f"{c.letters(1)}{c.digits(9)}", "MRN").t(" | 1 |\n")
    w.t(f"\nSetup and instruction given. Lot of supplies {c.letters(1)}{c.digits(5)}. Patient/caregiver demonstrated use. ")
    w.t("Emergency service line ").ph(form="one").t(".\nDelivered by: ").nm(tech, "PROVIDER", r.choice(("full", "first_init")))
    signer = r.choice(rels) if r.random() < 0.6 else None
    w.t("\nReceived by: ")
    if signer:
        w.nm(signer, "RELATIVE", r.choice(("full", "lower", "first_init"))).t(f" ({signer.role}) - patient was resting\n")
    else:
        w.nm(me, "PATIENT", "full").t(" (self)\n")
    w.t("Signature on file  ").d(when, "mdY0").t("\n")


# ---- 7. research study visit ----------------------------------------------------------------------
def _study(c: Ctx) -> dict:
    r = c.rng
    sponsor = c._fac(lambda: f"{c._sur()} Therapeutics", lambda: f"{c._sur()} Pharmaceuticals",
                     lambda: f"{c._sur()} Biosciences")
    city, country = c.abroad()
    code = "".join(w[0] for w in sponsor.split()[:1]).upper() + c.letters(2)
    return {"sponsor": sponsor, "city": city, "country": country,
            "cro": c._fac(lambda: f"{c._sur()} Clinical Research", lambda: f"{c.us.city()} Research Partners"),
            "irb": c._fac(lambda: f"{c._sur()} IRB"), "irbno": r.choice((f"IRB-{c.digits(4)}-{c.digits(3)}", f"Pro{c.digits(8)}")),
            "site": c.digits(5), "protocol": f"{code}-{r.randint(201, 399)}", "drug": f"{code}{r.randint(1000, 9999)}",
            "cra": c.person(cred="CCRA"), "lab": c._fac(lambda: f"{c._sur()} Central Laboratories"),
            "title": r.choice(("a phase 3 study of {d} in moderate to severe plaque psoriasis",
                               "a phase 2b study of {d} in heart failure with preserved ejection fraction",
                               "a phase 3 study of {d} versus placebo in type 2 diabetes with CKD",
                               "a phase 2 study of {d} in treatment-resistant depression"))}


def research(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me = c.pt(ident)
    st = c.pool("study", 2, lambda: _study(c))
    crc = c.pool("coordinator", 2, lambda: c.person(cred="CCRC"))
    pi = c.pool("pi", 1, lambda: _doc(c, staff, "attending"))
    subj = f"{st['site']}-{c.digits(3)}"
    scr = f"S{c.digits(5)}"
    rand = f"R{c.digits(6)}"
    kit = f"K{c.digits(6)}"
    consent = when - timedelta(days=r.randint(20, 200))
    w.t(f"Protocol {st['protocol']}: {st['title'].format(d=st['drug'])}\nSponsor: ").p(st["sponsor"], "LOCATION")
    w.t(", ").p(st["city"], "LOCATION").t(f", {st['country']}   CRO: ").p(st["cro"], "LOCATION").t("\nSite ").p(st["site"], "MRN")
    w.t(": ").p(c.sites["research"], "HOSPITAL").t("   PI: ").nm(pi, "PROVIDER", r.choice(("full", "family")), cue="Dr.")
    w.t("   IRB of record: ").p(st["irb"], "LOCATION").t(" #").p(st["irbno"], "MRN").t("\n\n")
    layout = r.choice(("log", "crf", "crf", "monitor"))
    if layout == "log":
        w.t("SCREENING AND ENROLLMENT LOG (excerpt)\n| Screen # | Initials | Age | Date screened | Outcome | By |\n|---|---|---|---|---|---|\n")
        rows = [(me, None)] + [(c.person(), None) for _ in range(r.randint(2, 4))]
        r.shuffle(rows)
        for p, _ in rows:
            if not p.middle:
                p.middle = r.choice("ABCDEFGHJKLMNPRST")
            num = scr if p is me else f"S{c.digits(5)}"
            w.t("| ").p(num, "MRN").t(" | ").nm(p, "PATIENT", "initials").t(" | ")
            sday = when - timedelta(days=r.randint(0, 60))
            if p is me:
                w.t(f"{_age(ident, when)} | ").d(when, "DMONYc").t(" | randomized, subject ").p(subj, "MRN")
            elif r.random() < 0.3:
                w.p(f"{r.randint(90, 96)} years old", "DATE").t(" | ").d(sday, "DMONYc").t(" | screen fail, exceeds age limit")
            else:
                w.t(f"{r.randint(30, 80)} | ").d(sday, "DMONYc").t(f" | {r.choice(('screen fail, eGFR', 'declined', 'pending labs', 'enrolled'))}")
            w.t(" | ").nm(crc, "PROVIDER", "initials").t(" |\n")
        w.t("\nLog reviewed by ").nm(pi, "PROVIDER", "init_last").t(" on ").d(when, "DMONYc").t(".\n")
        return
    if layout == "monitor":
        visit_day = when + timedelta(days=r.randint(3, 20))
        w.t("MONITORING VISIT FOLLOW-UP LETTER\n").d(visit_day, "MonthdY").t("\n\nTo: ").nm(pi, "PROVIDER", "full").t(", MD, and ")
        w.nm(crc, "PROVIDER", "full").t(", CCRC\nFrom: ").nm(st["cra"], "PROVIDER", "full").t(", Clinical Research Associate, ")
        w.p(st["cro"], "LOCATION").t("  ").p(c.private_email(st["cra"]).split("@")[0] + "@" + c.org_domain(st["cro"]), "EMAIL")
        w.t("\n\nThank you for hosting the interim monitoring visit on ").d(visit_day).t(". Source data verification was completed "
                                                                                    "for subject ")
        w.p(subj, "MRN").t(" (randomization ").p(rand, "MRN").t(", kit ").p(kit, "MRN").t("). Consent version 4.0 signed on ")
        w.d(consent).t(" was verified. Findings:\n  1. Week 12 central lab sample (accession ").p(f"{c.letters(2)}{c.digits(8)}", "MRN")
        w.t(", ").p(st["lab"], "HOSPITAL").t(") shipped one day late; note to file requested.\n")
        w.t("  2. Concomitant medication log is missing the ibuprofen started on ").d(when - timedelta(days=r.randint(3, 30)))
        w.t(".\n  3. Delegation log: add ").nm(c.pool("subi", 2, lambda: c.person(cred="MD")), "PROVIDER", "full").t(" as sub-investigator.\n")
        w.t("Next visit planned for ").d(visit_day + timedelta(days=r.randint(40, 80))).t(". Please call ").ph().t(" with questions.\n")
        return
    w.caps = r.random() < 0.4
    w.t("CASE REPORT FORM - VISIT 6 / WEEK 12\nSUBJECT ID: ").p(subj, "MRN").t("   SCREENING #: ").p(scr, "MRN")
    w.t("   INITIALS: ").nm(me, "PATIENT", "initials").t("\nVISIT DATE: ").d(when, "DMONYc").t("   RANDOMIZATION ID: ")
    w.p(rand, "MRN").t("\nINFORMED CONSENT SIGNED: ").d(consent, "DMONYc").t("   YEAR OF BIRTH: ", str(ident.birth_date.year))
    w.t("\n\nVITAL SIGNS: BP ", f"{r.randint(110, 150)}/{r.randint(60, 92)}", f"  HR {r.randint(58, 96)}  WT {r.randint(55, 120)} kg\n")
    w.t("ADVERSE EVENTS SINCE LAST VISIT: ").box(True).t(" YES  [ ] NO\n")
    w.t(f"  AE 01: {r.choice(('upper respiratory infection', 'headache', 'nausea', 'injection site erythema'))}, onset ")
    w.d(when - timedelta(days=r.randint(3, 40)), "DMONYc").t(", mild, not related, resolved\n")
    w.t("STUDY DRUG DISPENSED: kit ").p(kit, "MRN").t(f", lot {c.letters(1)}{c.digits(6)}, {r.choice((28, 56, 84))} units\n")
    w.t("CENTRAL LAB: ").p(st["lab"], "HOSPITAL").t(" requisition ").p(f"{c.letters(2)}{c.digits(8)}", "MRN").t("\n")
    w.t("PARTICIPANT STIPEND: $75 card ending ", c.digits(4), "\n\nCompleted by: ").nm(crc, "PROVIDER", r.choice(("full", "initials")))
    w.t("  ").d(when, "DMONYc").t("\nInvestigator signature: ").nm(pi, "PROVIDER", "init_last").t("  ").d(when + timedelta(days=r.randint(0, 5)), "DMONYc")
    w.t("\n")
    w.caps = False


# ---- 8. ophthalmology / optometry ------------------------------------------------------------------
def _retina(c: Ctx) -> tuple:
    return (c.person(cred="MD"), c._fac(lambda: f"{c.us.city()} Retina Associates", lambda: f"{c._sur()} Retina & Vitreous"),
            c.phone(), c.phone())


def eye(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me = c.pt(ident)
    dx, icd, finding, plan = r.choice(EYE_DX)
    od = c.person(cred="OD")
    od_practice = c._fac(lambda: f"{c._sur()} Family Eye Care", lambda: f"{c.us.city()} Vision Center",
                         lambda: f"{c._sur()} Optometry")
    ret, ret_practice, ret_phone, ret_fax = c.pool("retina", 3, lambda: _retina(c))
    shop = c._fac(lambda: f"{c._sur()} Optical", lambda: f"{c.us.city()} Eyewear")
    tech = c.pool("eye_tech", 3, lambda: c.person(cred="COA"))
    ophth = _doc(c, staff, "attending")
    lic = r.choice((f"{ident.family[0].upper()}{c.digits(3)}-{c.digits(4)}-{c.digits(4)}", f"{c.letters(1)}{c.digits(7)}",
                    c.digits(9)))
    va = [r.choice(("20/20", "20/25", "20/30", "20/40", "20/60", "20/80", "20/200")) for _ in range(2)]
    layout = r.choice(("exam", "exam", "letter", "dmv"))
    if layout == "dmv":
        w.t("VISION REPORT FOR DRIVER LICENSE - to be completed by a licensed eye care professional\n\n")
        w.t("Applicant name (last, first, middle): ").nm(me, "PATIENT", "caps_last_first").t("\nDate of birth: ")
        w.d(ident.birth_date, "mdY0").t("    Driver license / permit no.: ").p(lic, "MRN").t(f" ({ident.state})\nAddress: ")
        _pt_addr(w, ident, sep=", ")
        w.t("\n\nVisual acuity (Snellen)      Uncorrected   Corrected\n")
        w.t(f"  Right eye                   20/{r.choice((40, 50, 70, 100))}         {va[0]}\n")
        w.t(f"  Left eye                    20/{r.choice((40, 50, 70, 100))}         {va[1]}\n")
        w.t(f"Horizontal field (both eyes): {r.choice((120, 140, 150))} degrees\n")
        w.t("Corrective lenses required: ").box(True).t(" Yes  [ ] No    Condition is: [ ] stable  ").box(True).t(" progressive\n")
        w.t("Recommend: [ ] no restriction  ").box(True).t(" daylight only  ").box(r.random() < 0.5).t(" re-examine in 12 months\n")
        exm = ophth if r.random() < 0.5 else od
        w.t(f"Diagnosis: {dx}\n\nExaminer: ").nm(exm, "PROVIDER", "full").t(f", {exm.cred or 'MD'}")
        w.t("   License no.: ").p(f"{exm.cred or 'MD'}-{c.digits(5)}", "MRN").t("   Date of exam: ").d(when).t("\n")
        w.t("Office: ").p(c.sites["eye"], "HOSPITAL").t("  ").ph(c.home_phone).t("\n")
        return
    if layout == "letter":
        w.p(c.sites["eye"], "HOSPITAL").t("\n").d(when, "MonthdY").t("\n\n").nm(ret, "PROVIDER", "full").t(", MD\n")
        w.p(ret_practice, "HOSPITAL").t("\nBy fax ").ph(ret_fax).t("\n\nRe: ").nm(me, "PATIENT", "full").t(", DOB ").d(ident.birth_date)
        w.t("\n\nDear ").nm(ret, "PROVIDER", "family", cue="Dr.").t(",\n\nI saw ").nm(me, "PATIENT", "given")
        w.t(" today, referred by ").nm(od, "PROVIDER", r.choice(("full", "init_last"))).t(", OD of ").p(od_practice, "HOSPITAL")
        w.t(f", for decreased vision. Acuity is {va[0]} OD and {va[1]} OS. Exam shows {finding}. My impression is {dx}; "
            f"plan: {plan}. ")
        w.t("Your office (").ph(ret_phone).t(") has offered ").d(when + timedelta(days=r.randint(1, 10))).t(".\n\n")
        w.t("Thank you for seeing this patient.\n\n").nm(ophth, "PROVIDER", "full_mi").t(", MD\ncc: ")
        w.nm(od, "PROVIDER", "init_last").t(", OD\n")
        return
    w.t("EYE CLINIC NOTE - ").p(c.sites["eye"], "HOSPITAL").t("\nPatient: ").nm(me, "PATIENT", "last_first").t("   MRN ")
    w.p(ident.mrn, "MRN").t("   Visit: ").d(when).t("\nReferred by: ").nm(od, "PROVIDER", "full").t(", OD, ")
    w.p(od_practice, "HOSPITAL").t(" (exam there on ").d(when - timedelta(days=r.randint(3, 40))).t(")\n")
    w.t("Work-up by ").nm(tech, "PROVIDER", "initials").t(", COA\n\n\tOD\tOS\nVA cc\t", va[0], "\t", va[1],
                                                      f"\nIOP\t{r.randint(12, 26)}\t{r.randint(12, 26)}\n")
    w.t(f"Pupils\tround, reactive\tround, reactive\nLens\t{r.choice(('1+ NS', '2+ NS', 'clear'))}\t{r.choice(('1+ NS', '2+ NS', 'clear'))}\n\n")
    w.t(f"Fundus: {finding}.\nA/P: {dx} ({icd}). {plan.capitalize()}.\n")
    w.t("Referred to ").nm(ret, "PROVIDER", "family", cue="Dr.").t(", ").p(ret_practice, "HOSPITAL").t(", ").ph(ret_phone).t(".\n")
    w.t("Glasses Rx given; patient fills at ").p(shop, "HOSPITAL").t(". Drives for work at ").p(c.company(), "LOCATION")
    w.t("; advised about night driving.\n")
    _sign(w, c, ophth, "MD", when)


# ---- 9. audiology ------------------------------------------------------------------------------
def audiology(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me = c.pt(ident)
    he, his = _he(ident.sex)
    aud = c.pool("audiologist", 3, lambda: c.person(cred="Au.D., CCC-A"))
    ent = _doc(c, staff) if r.random() < 0.5 else c.person(cred="MD")
    maker, model, style = r.choice(AIDS)
    serials = [f"{c.digits(2)}{c.letters(1)}{c.digits(6)}" for _ in range(2)]
    age = _age(ident, when)
    young = age < 27
    if young:
        school = c.place(lambda: r.choice((f"University of {c.us.city()}", f"{c.us.city()} Community College",
                                          f"{c._sur()} College")))
        contact = c.person(cred="M.Ed.")
    else:
        school = c.company()
        contact = c.person()
    vr = c.person(cred="CRC") if r.random() < 0.4 else None
    right = [r.choice((10, 15, 20, 25)), 20, 25, 35, 50, 60, 65, 70]
    left = [x + r.choice((-5, 0, 5, 10)) for x in right]
    layout = r.choice(("eval", "fitting", "letter"))
    w.p(c.sites["hearing"], "HOSPITAL").t("\n")
    if layout == "letter":
        w.d(when, "MonthdY").t("\n\nTo: ").nm(contact, "PROVIDER", "full")
        w.t(", Office of Disability Services, " if young else ", Safety Manager, ").p(school, "LOCATION").t("\n\n")
        w.t("Re: ").nm(me, "PATIENT", "full").t(", date of birth ").d(ident.birth_date).t("\n\n")
        w.nm(me, "PATIENT", "given" if r.random() < 0.5 else "full").t(f" has a bilateral sensorineural hearing loss, moderate "
                                                                       f"in the high frequencies, and was fitted with {maker} "
                                                                       "hearing aids on ")
        w.d(when - timedelta(days=r.randint(7, 60))).t(". We recommend: ")
        if young:
            w.t("preferential seating, captioned lecture recordings, a remote microphone system in lectures, and extended time "
                "for oral examinations.\n")
        else:
            w.t("hearing protection rated for at least 30 dB over the aids when on the floor, a vibrating pager for alarms, and "
                "an annual audiogram through the hearing conservation program.\n")
        if vr:
            w.t("Vocational rehabilitation counselor ").nm(vr, "PROVIDER", "full").t(" (").p(c.county(), "LOCATION")
            w.t(" office, ").ph().t(") is assisting with the cost of the devices.\n")
        w.t("\nSincerely,\n").nm(aud, "PROVIDER", r.choice(("full", "full_mi"))).t(", Au.D., CCC-A\n").ph(c.home_phone).t("\n")
        return
    w.t("AUDIOLOGIC EVALUATION\nName: ").nm(me, "PATIENT", r.choice(("last_first_mi", "full"))).t("   DOB: ").d(ident.birth_date)
    w.t("   MRN: ").p(ident.mrn, "MRN").t("   Date: ").d(when).t("\nReferred by: ").nm(ent, "PROVIDER", "family", cue="Dr.")
    w.t(" (ENT)\n\nHistory: gradual hearing loss both ears, tinnitus right > left. ")
    if young:
        w.t(f"{'He' if he == 'he' else 'She'} is a student at ").p(school, "LOCATION").t("; has trouble in large lecture halls.\n")
    else:
        w.t("Occupational noise: ").t(f"{r.randint(5, 30)} years at ").p(school, "LOCATION")
        w.t(f" ({r.choice(('stamping press', 'sawmill', 'airport ramp', 'foundry', 'printing plant'))}), about "
            f"{r.randint(88, 100)} dBA; foam plugs 'most of the time'. Plant safety manager ")
        w.nm(contact, "PROVIDER", r.choice(("full", "family")), cue="Mr." if contact.sex == "male" else "Ms.")
        w.t(" sent the last three annual audiograms.\n")
    w.t("\nPure-tone air conduction (dB HL)\n| Ear | 250 | 500 | 1000 | 2000 | 3000 | 4000 | 6000 | 8000 |\n|---|---|---|---|---|---|---|---|---|\n")
    w.t("| R | " + " | ".join(map(str, right)) + " |\n| L | " + " | ".join(map(str, left)) + " |\n")
    w.t(f"SRT R {right[2]} dB / L {left[2]} dB; word recognition R {r.randint(72, 96)} % / L {r.randint(72, 96)} %. Tympanometry type A "
        "both ears.\nImpression: bilateral mild sloping to moderately severe sensorineural hearing loss.\n\n")
    if layout == "fitting":
        w.t(f"HEARING AID FITTING: {maker} {model} ({style}), binaural.\n")
        w.t("Serial R: ").p(serials[0], "MRN").t("   Serial L: ").p(serials[1], "MRN").t("   Order #: ").p(f"HA{c.digits(7)}", "MRN")
        w.t("\nEarmold impressions sent to ").p(c._fac(lambda: f"{c._sur()} Earmold Laboratory"), "HOSPITAL")
        w.t(". Real-ear verification to NAL-NL2 targets. Manufacturer warranty through ").d(when + timedelta(days=365 * 3))
        w.t("; loss and damage through ").d(when + timedelta(days=365 * 3 - 1)).t(".\n")
        w.t("Orientation given to patient and ").nm(c.rels(ident)[0], "RELATIVE", "given").t(". 30-day trial ends ")
        w.d(when + timedelta(days=30)).t(".\n")
    _sign(w, c, aud, "Au.D., CCC-A", when)


# ---- 10. PT / OT plan of care with return to work ---------------------------------------------------
def rehab_rtw(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me = c.pt(ident)
    dx, icd, part, limits, measures = r.choice(REHAB_DX)
    ther = c.pool("therapist", 4, lambda: c.person(cred=r.choice(("PT, DPT", "OTR/L", "PT, DPT, OCS"))))
    surgeon = _doc(c, staff, "attending") if r.random() < 0.5 else c.person(cred="MD")
    employer = c.company()
    e_street, e_town, e_state, e_zip = c.street(), c.town(), c.state(), c.zipc()
    sup, ncm, adj = c.person(), c.person(cred="RN, CCM"), c.person()
    carrier = c.pool("carrier", 3, lambda: c._fac(lambda: f"{c._sur()} Mutual Insurance",
                                                 lambda: f"{c.us.city()} Casualty Company"))
    claim = r.choice((f"WC{c.digits(8)}", f"{c.digits(3)}-{c.digits(6)}-{c.digits(2)}", f"{c.letters(3)}{c.digits(7)}"))
    doi = when - timedelta(days=r.randint(30, 200))
    rtw = when + timedelta(days=r.randint(7, 45))
    layout = r.choice(("poc", "poc", "status", "email"))
    if layout == "email":
        w.t("From: ").nm(ther, "PROVIDER", "full").t(" <").p(c.staff_email(ther), "EMAIL").t(">\nTo: ").nm(ncm, "PROVIDER", "full")
        w.t(" <").p(f"{re.sub(r'[^a-z]', '', _ascii(ncm.given).lower())[:1]}{re.sub(r'[^a-z]', '', _ascii(ncm.family).lower())}@{c.org_domain(carrier)}", "EMAIL")
        w.t(">\nCc: ").nm(adj, "PROVIDER", "last_first").t("\nDate: ").d(when, "MonthdY").t(f" {c.clock('ampm')}\n")
        w.t("Subject: ").nm(me, "PATIENT", "caps_last_first").t(" - claim ").p(claim, "MRN").t(" - progress\n\nHi ")
        w.nm(ncm, "PROVIDER", "given").t(",\n\nUpdate on ").nm(me, "PATIENT", "given").t(f" ({dx}, DOI ").d(doi).t(f"): {measures}. ")
        w.t(f"Restrictions remain: no {limits}. I spoke with ").nm(sup, "PROVIDER", r.choice(("full", "given")))
        w.t(" at ").p(employer, "LOCATION").t(" (").ph().t(") - light duty in the parts crib is available from ").d(rtw)
        w.t(". Requesting 8 more visits (2x/week x 4 weeks).\n\nThanks,\n").nm(ther, "PROVIDER", "given").t("\n")
        return
    if layout == "status":
        if r.random() < 0.5:
            _fax_line(w, c, when, c.sites["rehab"], c.home_phone, 1, 1)
            w.noise = 0.015
        w.t("WORKERS' COMPENSATION - WORK STATUS REPORT\nEmployee: ").nm(me, "PATIENT", "caps_last_first").t("   SSN: ")
        w.p(ident.ssn, "SSN").t("   DOB: ").d(ident.birth_date, "mdY0").t("\nEmployer: ").p(employer, "LOCATION").t(", ")
        _addr_block(w, c, e_street, e_town, e_state, e_zip, sep=", ")
        w.t("\nSupervisor: ").nm(sup, "PROVIDER", "full").t("  ").ph().t("\nCarrier: ").p(carrier, "LOCATION").t("   Claim #: ")
        w.p(claim, "MRN").t("   Adjuster: ").nm(adj, "PROVIDER", "init_last").t("  ").ph().t("\nDate of injury: ").d(doi, "mdY0")
        w.t(f"   Body part: {part}\n\nWork status as of ").d(when, "mdY0").t(":\n  [ ] Full duty, no restrictions\n  ")
        w.box(True).t(" Modified duty from ").d(rtw, "mdY0").t(f": no {limits}; {r.choice((4, 6))} hours/day\n  [ ] Off work\n")
        w.t("Next re-evaluation: ").d(rtw + timedelta(days=14)).t("\nTherapist: ").nm(ther, "PROVIDER", "full").t(f", {ther.cred}  ")
        w.t("Physician: ").nm(surgeon, "PROVIDER", "family", cue="Dr.").t("\n")
        return
    w.p(c.sites["rehab"], "HOSPITAL").t("\nPLAN OF CARE - ").t(r.choice(("PHYSICAL", "OCCUPATIONAL")), " THERAPY\n\n")
    w.t("Patient: ").nm(me, "PATIENT", "full_mi").t("   MRN: ").p(ident.mrn, "MRN").t("   DOB: ").d(ident.birth_date)
    w.t("\nCertification period: ").d(when).t(" to ").d(when + timedelta(days=60)).t("\nReferring: ")
    w.nm(surgeon, "PROVIDER", "full").t(", MD (surgery ").d(doi + timedelta(days=r.randint(3, 20))).t(")\n")
    w.t(f"Diagnosis: {dx} ({icd})\nDate of injury: ").d(doi).t(" at work, ").p(employer, "LOCATION").t("\nPayer: ")
    w.p(carrier, "LOCATION").t(", claim ").p(claim, "MRN").t(", nurse case manager ").nm(ncm, "PROVIDER", "full").t(", ").ph().t("\n\n")
    w.t(f"Objective: {measures}.\nJob demands (per supervisor ").nm(sup, "PROVIDER", "first_init")
    w.t(f"): {limits}, 10-hour shifts.\n\nGoals | Baseline | Target | Weeks\n----- | -------- | ------ | -----\n")
    w.t(f"Pain with work tasks | 6/10 | 2/10 | 6\nFunctional strength | {measures.split(',')[0]} | WNL for job | 8\n"
        "Independent HEP | partial | independent | 2\n\n")
    w.t("Plan: 2x/week for 8 weeks: therapeutic exercise, manual therapy, work simulation. Anticipated return to full duty ")
    w.d(rtw + timedelta(days=30)).t("; modified duty from ").d(rtw).t(".\n\nRETURN TO WORK NOTE\n")
    w.nm(me, "PATIENT", r.choice(("full", "given"))).t(" may return to modified duty on ").d(rtw, "MonthdY")
    w.t(f" with no {limits}. Please contact our clinic at ").ph(c.home_phone).t(" with questions.\n\n")
    _sign(w, c, ther, ther.cred, when)
    w.t("Physician certification: ").nm(surgeon, "PROVIDER", "init_last").t(", MD  ").d(when + timedelta(days=r.randint(1, 7))).t("\n")


# ---- 11. OTP dosing record with PDMP report ----------------------------------------------------------
def _dea(c: Ctx, p: P) -> str:
    return f"{c.rng.choice('ABFM')}{_ascii(p.family)[0].upper()}{c.digits(7)}"


def otp_pdmp(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me, rels = c.pt(ident), c.rels(ident)
    otp_id = f"OTP-{c.digits(6)}"
    counselor = c.pool("counselor", 3, lambda: c.person(cred="LADC"))
    nurses = [c.pool("otp_nurse", 3, lambda: c.person(cred="RN")) for _ in range(2)]
    director = _doc(c, staff, "attending")
    dose = r.choice((60, 75, 80, 90, 100, 110, 120))
    drug = r.choice(("methadone oral concentrate 10 mg/mL", "methadone 10 mg/mL", "buprenorphine 8 mg SL"))
    w.p(c.sites["otp"], "HOSPITAL").t("\nDOSING RECORD   Patient: ").nm(me, "PATIENT", r.choice(("caps_last_first", "last_first")))
    w.t("   Program ID: ").p(otp_id, "MRN").t("   DOB: ").d(ident.birth_date).t(f"\nMedication: {drug}   Current dose: {dose} mg\n\n")
    sep = r.choice(("\t", " | "))
    w.t(sep.join(("Date", "Dose mg", "Type", "Bottle #", "Nurse")) + "\n")
    start = when - timedelta(days=6)
    for k in range(7):
        day = start + timedelta(days=k)
        take_home = k in (5, 6) or (k == 2 and r.random() < 0.4)
        w.d(day, "mdY0").t(f"{sep}{dose}{sep}{'take-home' if take_home else 'observed'}{sep}")
        if take_home:
            w.p(f"TH-{c.digits(6)}", "MRN")
        else:
            w.t("-")
        w.t(sep).nm(r.choice(nurses), "PROVIDER", "initials").t("\n")
    w.t("\nTake-home bottles returned empty with intact caps on ").d(when).t(". Guest dosing approved at ")
    guest = c._fac(lambda: f"{c.us.city()} Recovery Center", lambda: f"{c._sur()} Treatment Services")
    w.p(guest, "HOSPITAL").t(" in ").p(c.town(), "LOCATION").t(" for ").d(when + timedelta(days=r.randint(10, 30))).t(" to ")
    w.d(when + timedelta(days=r.randint(31, 40))).t(".\n\n")
    w.asc = w.caps = True
    w.t("PRESCRIPTION MONITORING PROGRAM - PATIENT RX HISTORY REPORT\nREQUEST ID: ").p(f"{c.digits(9)}", "MRN").t("   RUN ")
    w.dt(when, "mdY0", "24").t("   REQUESTED BY: ").nm(director, "PROVIDER", "caps_last_first").t("\nPATIENT: ")
    w.nm(me, "PATIENT", "caps_last_first").t("  DOB ").d(ident.birth_date, "mdY0").t("  ").p(ident.address, "ADDRESS").t(" ")
    w.p(ident.city, "ADDRESS").t(f" {ident.state}\n")
    w.t("FILLED     | DRUG                          | QTY | DAYS | PRESCRIBER                  | DEA       | PHARMACY                 | RX#\n")
    for _ in range(r.randint(3, 6)):
        fill = when - timedelta(days=r.randint(5, 360))
        name, qty, days = r.choice(PDMP_DRUGS)
        pres = c.person(cred="MD")
        pharm = c.pharmacy()
        w.d(fill, "mdY0").t(f" | {name.upper():<29} | {qty:>3} | {days:>4} | ").nm(pres, "PROVIDER", "caps_last_first")
        w.t(" | ").p(_dea(c, pres), "MRN").t(" | ").p(pharm, "HOSPITAL").t(" | ").p(c.digits(7), "MRN").t("\n")
    w.asc = w.caps = False
    w.t("\nCOUNSELOR NOTE ").d(when).t("\nMet with ").nm(me, "PATIENT", r.choice(("given", "nick", "full"))).t(" for 45 min. ")
    w.t("UDS ").d(when - timedelta(days=3)).t(" (sent to ").p(c.pool("uds_lab", 2, lambda: c._fac(lambda: f"{c._sur()} Toxicology Laboratory")),
                                                               "HOSPITAL").t(") positive for methadone only. PDMP reviewed; ")
    w.t("one outside opioid fill noted, discussed; patient states it was after a dental extraction. ")
    if r.random() < 0.5:
        w.t("Probation: ").nm(c.person(), "PROVIDER", "family", cue="Officer").t(" (").ph().t(") received the monthly "
                                                                                           "attendance letter per signed release. ")
    rel = r.choice(rels)
    w.t(f"Emergency contact: {rel.role} ").nm(rel, "RELATIVE", r.choice(("full", "given"))).t(", ").ph(rel.phone)
    w.t(". Next counseling session ").d(when + timedelta(days=7)).t(".\n")
    _sign(w, c, counselor, "LADC", when)


# ---- 12. telehealth scheduling e-mails -----------------------------------------------------------
def _hdr_date(w: W, c: Ctx, day: date) -> None:
    w.t(f"{WEEKDAYS[day.weekday()][:3]}, ").p(f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}", "DATE")
    w.t(f" {c.clock('24')}:{c.rng.randrange(60):02d} -0{c.rng.choice((4, 5))}00")


def telehealth_email(w: W, c: Ctx, ident, staff, when: date) -> None:
    r = c.rng
    me, rels = c.pt(ident), c.rels(ident)
    rel = r.choice(rels)
    sched = c.pool("scheduler", 3, c.person)
    doc = _doc(c, staff, "attending")
    lc = r.choice(sorted(LANGUAGES))
    interp = c.pool(f"interp_{lc}", 2, lambda: c.person(loc=lc))
    vendor = c.pool("interp_vendor", 2, lambda: c._fac(lambda: f"{c._sur()} Language Services",
                                                      lambda: f"{c.us.city()} Interpreting Group"))
    appt = when + timedelta(days=r.randint(3, 14))
    mid = c.digits(10)
    link = f"https://video.{c.domain}/join/{mid}?pwd={c.letters(4)}{c.digits(3)}{c.letters(3).lower()}"
    rel_mail = c.private_email(rel)
    s_mail = c.staff_email(sched)
    sent = when - timedelta(days=r.randint(0, 2))
    w.t("From: ").nm(sched, "PROVIDER", r.choice(("last_first", "full"))).t(" <").p(s_mail, "EMAIL").t(">\nTo: ")
    w.p(ident.email, "EMAIL").t("\nCc: ").nm(rel, "RELATIVE", "full").t(" <").p(rel_mail, "EMAIL").t(">; Interpreter Services <")
    w.p(f"interpreters@{c.domain}", "EMAIL").t(">\nDate: ")
    _hdr_date(w, c, sent)
    w.t("\nSubject: Video visit with ").nm(doc, "PROVIDER", "family", cue="Dr.").t(" - ")
    w.d(appt, "mdY").t("\n\nHello ").nm(me, "PATIENT", r.choice(("given", "full", "nick"))).t(",\n\n")
    w.t("Your video visit is confirmed for ").t(f"{WEEKDAYS[appt.weekday()]}, ").d(appt, "MonthdY").t(f" at {c.slot()} with ")
    w.nm(doc, "PROVIDER", "full", cue="Dr.").t(". Join from your phone or computer:\n").p(link, "EMAIL")
    w.t("\nMeeting ID: ").p(f"{mid[:3]} {mid[3:7]} {mid[7:]}", "MRN").t("   Dial-in: ").ph(form="one").t("\n\n")
    w.t(f"A {LANGUAGES[lc]} interpreter has been requested (vendor ").p(vendor, "LOCATION").t(", request ").p(f"IR{c.digits(6)}", "MRN")
    w.t(").\n\nPlease be in a private place in the state where you live at the time of the visit.\n\nThank you,\n")
    w.nm(sched, "PROVIDER", "given").t("\nVirtual Care Scheduling, ").p(c.sites["clinic"], "HOSPITAL").t("  ").ph(c.home_phone).t("\n\n")
    w.t("-----Original Message-----\nFrom: ").p(rel_mail, "EMAIL").t("\nSent: ").d(sent, "mdY").t(f" {c.clock('ampm')}\n")
    w.t("To: ").p(s_mail, "EMAIL").t("\nSubject: RE: appointment\n\n")
    abroad = r.random() < 0.3
    w.t("hi, this is ").nm(rel, "RELATIVE", r.choice(("given", "lower", "first_init")))
    w.t(", ").nm(me, "PATIENT", r.choice(("given", "lower"))).t(f"'s {rel.role}. ")
    if abroad:
        city, country = c.abroad()
        w.t("we will be visiting family in ").p(city, "LOCATION").t(f", {country} until ").d(appt + timedelta(days=5), "mdY")
        w.t(" - can the visit still be by video from there?")
    else:
        w.t("we will be at my sister's place in ").p(c.town(), "LOCATION").t(" that week, is that ok for the video?")
    w.t(f" also please get a {LANGUAGES[lc].lower()} interpreter, my {_pt_word(rel, ident)} understands english but not medical words. ")
    w.t("you can call me at ").ph(rel.phone, "dot").t(".\n\n")
    if abroad:
        w.t("[Scheduler note: advised that visits cannot be done from outside the US; rescheduled to ").d(appt + timedelta(days=8))
        w.t(".]\n\n")
    w.t("---- CALENDAR INVITE ----\nVideo visit: ").nm(me, "PATIENT", "last_first").t(" / ").nm(doc, "PROVIDER", "init_last")
    w.t(f"\nWhen: {WEEKDAYS[appt.weekday()]}, ").d(appt, "MonthdY").t(f" {c.slot(0)}-{c.slot(0, 30)} "
                                                                       "(UTC-05:00) Eastern Time (US & Canada)\nWhere: ")
    w.p(link, "EMAIL").t("\nAttendees: ").nm(doc, "PROVIDER", "full").t("; ").nm(interp, "PROVIDER", "full")
    w.t(f" ({LANGUAGES[lc]} interpreter, ID ").p(c.digits(5), "MRN").t(")\n\n---- TEXT REMINDERS ----\n")
    w.d(appt - timedelta(days=2), "mdy0").t(f" {c.clock('ampm')} ").p(c.acr, "HOSPITAL").t(": Reminder: ")
    w.nm(me, "PATIENT", "given").t(", you have a video visit with ").nm(doc, "PROVIDER", "family", cue="Dr.").t(" on ")
    w.d(appt, "mdY0").t(f" at {c.slot(0)}. Join: ").p(f"https://v.{c.domain}/{c.letters(3).lower()}{c.digits(4)}", "EMAIL")
    w.t(" Reply C to confirm, R to reschedule.\n").d(appt - timedelta(days=2), "mdy0").t(f" {c.clock('ampm')} From ")
    w.ph(ident.phone, "bare").t(": C\n")


WRITERS = {"radiology": radiology, "path_consult": path_consult, "billing": billing, "grievance": grievance,
           "nemt": nemt, "dme": dme, "research": research, "eye": eye, "audiology": audiology,
           "rehab_rtw": rehab_rtw, "otp_pdmp": otp_pdmp, "telehealth_email": telehealth_email}


def make_writer(note_cls, seed: int, policy):
    """A ``write_note``-like function for the j styles.

    Parameters
    ----------
    note_cls:
        The benchmark's ``Note`` class (``t`` / ``p`` API).
    seed:
        Seed of this module's Faker instances and of the fictional home system.
    policy:
        The benchmark's :class:`NamePolicy`: every token drawn here is reserved in it, and no
        surrogate token is planted.

    Returns
    -------
    callable
        ``write(style, ident, staff, fake, rng, when) -> Note``; ``fake`` is not used, ``rng``
        drives every choice.
    """
    ctx = Ctx(seed, policy)

    def write(style: str, ident, staff, fake: Faker, rng: random.Random, when: date):
        ctx.rng = rng
        w = W(note_cls(), ctx)
        WRITERS[style](w, ctx, ident, staff, when)
        return w.note

    return write
