"""Held-out note styles, set d, for ``bench/deid_heldout_export.py --styles d``.

Twelve kinds of English-language outpatient and hospital correspondence from outside the United
States, so that the benchmark measures de-identification on formats a US-tuned system has not
seen: a UK general practitioner's referral letter, a UK hospital clinic letter back to the GP
(letterhead, "Re:" block, cc list), an Australian discharge summary (UR and Medicare numbers,
suburb, state and postcode), an Irish emergency department attendance summary (MRN, Eircode),
a UK cancer multidisciplinary team (MDT) outcome, a physiotherapy assessment (New Zealand ACC
claim or UK NHS), a UK community mental health team contact note, a maternity booking note (UK or
New Zealand; an assisted-conception clinic letter for a male patient), an English translation of
a discharge letter from a Polish, German or Dutch hospital (``ul.``, ``Str.``, ``straat``
addresses, +48 / +49 / +31 phones, ``DD.MM.YYYY`` dates, ``dr n. med.`` and ``Dr. med.``), a
Canadian specialist clinic note (provincial health card, postal code), a care-home transfer letter
and a short telephone / triage message. Dates are written the local way (``03/03/2021``,
``3 March 2021``, ``3rd March``, ``03.03.2021``, ``03-MAR-2021``, ``2021-03-03``); phones,
bleeps and extensions, NHS, CHI, Medicare, NHI, PESEL and health-card numbers have their local
shapes (with valid check digits where the real ones have them).

Written from general knowledge of those formats, without reading the de-identification code, its
data, configuration or lexicons, its training templates, its tests, its documentation, the
README, the other held-out sets (other than set c, read for its interface and conventions) or any
corpus in the shared data folder. Only the benchmark scaffolding (``bench/deid_heldout_export.py``),
``bench/heldout_styles_c.py``, the demo's identity, writer, check, manifest and planting modules
and the ingest format description were read. Nothing was tuned on what the de-identifier catches:
the module was only run by itself, to check that every planted value is in its note and that a
planted single word is written nowhere else.

Patients, their relatives and the hospital's own staff (consultants, registrars, nurses of the
letter-writing hospital) come from the benchmark's generator; everyone and everything else
(general practitioners, outside clinicians, midwives, physiotherapists, care coordinators,
secretaries, translators, extra relatives and friends, towns, suburbs, streets, postcodes,
phones, e-mail addresses, practices, outside hospitals, care homes, housing associations,
employers and clubs) from seeded Faker instances (``en_GB``, ``en_IE``, ``en_NZ``, ``en_AU``,
``en_CA``, ``pl_PL``, ``de_DE``, ``nl_NL``) and this module's own small lists. The hospitals that
write the letters are made up per seed.

PHI kinds are those the benchmark already uses. Conventions of this set (as set c): patients
``PATIENT``; relatives, partners, friends and next of kin ``RELATIVE``; all clinicians,
secretaries, translators, care staff and housing officers ``PROVIDER``; the patient's own street,
town, suburb, county, Eircode or postcode ``ADDRESS`` (a care home's street for its resident; the
patient's town also where it is the town of the patient's practice; a town that may not stand alone
is written with its postcode, state or county in one value, or as ``the Rotherham area``); any other
address, town or city ``LOCATION``;
employers, clubs, housing associations and councils ``LOCATION``; hospitals, trusts, practices,
clinics, care homes and their abbreviations ``HOSPITAL``; phones, faxes, bleeps and extensions
``PHONE`` (a four-digit bleep or extension with its cue: ``bleep 4321``, ``ext. 2234``); hospital,
NHS, CHI, NHI, PESEL, UR and chart numbers, registration numbers of clinicians and other reference
numbers ``MRN``; Medicare, health-card, medical-card, ACC and insurance numbers ``INSURANCE``;
e-mail addresses ``EMAIL``; dates, day-of-month ordinals, years and ages over 89 ``DATE`` (the
benchmark looks for a date in its patient's stored notes only when it is at least eight characters
long, so dates are mostly written with their year and ages over 89 as ``93-year-old``). Countries,
Australian states, Canadian provinces, weekdays, clock times, ward and department names, drug
names, trust-type words ("NHS Foundation Trust") and bed numbers are written but not planted. A
planted value of a single word is a word this module writes nowhere else, not an everyday English
word, no surrogate token and, for a person or place drawn here, no name the benchmark's own
generator could draw; otherwise its cue is part of the planted value (``Dr Bell``, ``Mrs Baker``,
``wife Faith``), so that the value can only be found where it was planted. A per-seed register of
which entity each planted word belongs to keeps a single-word value from being written inside
another entity's value (a town planted by itself is one kind of value only: a patient's town is never
also another town's ``LOCATION`` nor part of a hospital's name). Names of the letter-writing
hospital's own staff come from the benchmark, so its consultants' titles (``Mr``/``Miss`` for
surgeons) follow the sex of the given name in Faker's ``en_US`` lists.

The export is the same on every run (seeded Fakers and the benchmark's ``rng`` only). A patient's
notes keep the same numbers, addresses, practice and GP from one note to the next within a country,
but the benchmark picks five styles per patient at random, so one patient may have letters from
several countries.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from faker import Faker

from coordinator.demo.identities import NAME_BLOCKLIST

STYLES_D = ("gp_referral", "clinic_letter", "discharge_au", "ed_ireland", "mdt_outcome", "physio",
            "cmht_contact", "maternity", "translated_eu", "canada_clinic", "care_home_transfer", "phone_message")

NOTE_TYPES_D = {
    "gp_referral": "Referral letter", "clinic_letter": "Outpatient clinic letter",
    "discharge_au": "Discharge summary", "ed_ireland": "Emergency department note",
    "mdt_outcome": "MDT outcome", "physio": "Physiotherapy note", "cmht_contact": "Mental health contact note",
    "maternity": "Maternity note", "translated_eu": "Discharge summary", "canada_clinic": "Consultation note",
    "care_home_transfer": "Transfer letter", "phone_message": "Telephone encounter",
}

# ---- begin name and place lists (not template text) ----
#: Surnames that are also English words; always planted with their cue.
WORD_SURNAMES = ("Baker", "Turner", "Cooper", "Wood", "Hill", "Ward", "Bell", "Fisher", "Mason", "Walker", "Marsh",
                 "Young", "Hall", "Bird", "Fox", "Lamb", "Moss", "Nash", "Price", "Stone", "Webb", "Wells", "Bishop",
                 "Chambers", "Cross", "Gill", "Knight", "Page", "Potter", "Read", "Shepherd", "Short", "Sharp", "Steel",
                 "Mills", "Parsons", "Archer", "Fletcher", "Carpenter", "Brewer", "Singer", "Bowman", "Ball", "Holmes")

#: Towns of the UK: (town, postcode area, dialling code).
UK_TOWNS = (("Rotherham", "S", "01709"), ("Doncaster", "DN", "01302"), ("Wakefield", "WF", "01924"),
            ("Huddersfield", "HD", "01484"), ("Halifax", "HX", "01422"), ("Bradford", "BD", "01274"),
            ("Leeds", "LS", "0113"), ("Sheffield", "S", "0114"), ("Barnsley", "S", "01226"), ("Harrogate", "HG", "01423"),
            ("Middlesbrough", "TS", "01642"), ("Sunderland", "SR", "0191"), ("Gateshead", "NE", "0191"),
            ("Carlisle", "CA", "01228"), ("Blackburn", "BB", "01254"), ("Wigan", "WN", "01942"),
            ("Stockport", "SK", "0161"), ("Oldham", "OL", "0161"), ("Warrington", "WA", "01925"),
            ("Shrewsbury", "SY", "01743"), ("Telford", "TF", "01952"), ("Wolverhampton", "WV", "01902"),
            ("Walsall", "WS", "01922"), ("Coventry", "CV", "024"), ("Leicester", "LE", "0116"), ("Nottingham", "NG", "0115"),
            ("Peterborough", "PE", "01733"), ("Norwich", "NR", "01603"), ("Ipswich", "IP", "01473"),
            ("Colchester", "CO", "01206"), ("Chelmsford", "CM", "01245"), ("Basildon", "SS", "01268"),
            ("Northampton", "NN", "01604"), ("Swindon", "SN", "01793"), ("Gloucester", "GL", "01452"),
            ("Cheltenham", "GL", "01242"), ("Taunton", "TA", "01823"), ("Exeter", "EX", "01392"), ("Truro", "TR", "01872"),
            ("Bournemouth", "BH", "01202"), ("Southampton", "SO", "023"), ("Portsmouth", "PO", "023"),
            ("Hastings", "TN", "01424"), ("Maidstone", "ME", "01622"), ("Canterbury", "CT", "01227"),
            ("Croydon", "CR", "020"), ("Swansea", "SA", "01792"), ("Cardiff", "CF", "029"), ("Wrexham", "LL", "01978"),
            ("Stirling", "FK", "01786"), ("Dundee", "DD", "01382"), ("Paisley", "PA", "0141"), ("Kilmarnock", "KA", "01563"),
            ("Inverness", "IV", "01463"), ("Lisburn", "BT", "028"), ("Enniskillen", "BT", "028"), ("Scunthorpe", "DN", "01724"),
            ("Grimsby", "DN", "01472"), ("Stevenage", "SG", "01438"), ("Aylesbury", "HP", "01296"), ("Kettering", "NN", "01536"),
            ("Mansfield", "NG", "01623"), ("Chesterfield", "S", "01246"), ("Darlington", "DL", "01325"),
            ("Hartlepool", "TS", "01429"), ("Rochdale", "OL", "01706"), ("Burnley", "BB", "01282"),
            ("Accrington", "BB", "01254"), ("Llanelli", "SA", "01554"), ("Merthyr Tydfil", "CF", "01685"),
            ("Motherwell", "ML", "01698"), ("Falkirk", "FK", "01324"), ("Kirkcaldy", "KY", "01592"))

#: Towns of Ireland: (town, county as written or "" for a Dublin district, Eircode routing key, dialling code).
IE_TOWNS = (("Tralee", "Co. Kerry", "V92", "066"), ("Killarney", "Co. Kerry", "V93", "064"), ("Ennis", "Co. Clare", "V95", "065"),
            ("Limerick", "", "V94", "061"), ("Galway", "", "H91", "091"), ("Sligo", "Co. Sligo", "F91", "071"),
            ("Letterkenny", "Co. Donegal", "F92", "074"), ("Castlebar", "Co. Mayo", "F23", "094"),
            ("Athlone", "Co. Westmeath", "N37", "090"), ("Mullingar", "Co. Westmeath", "N91", "044"),
            ("Tullamore", "Co. Offaly", "R35", "057"), ("Portlaoise", "Co. Laois", "R32", "057"),
            ("Kilkenny", "", "R95", "056"), ("Waterford", "", "X91", "051"), ("Wexford", "", "Y35", "053"),
            ("Clonmel", "Co. Tipperary", "E91", "052"), ("Naas", "Co. Kildare", "W91", "045"), ("Navan", "Co. Meath", "C15", "046"),
            ("Drogheda", "Co. Louth", "A92", "041"), ("Dundalk", "Co. Louth", "A91", "042"), ("Cavan", "", "H12", "049"),
            ("Mallow", "Co. Cork", "P51", "022"), ("Ballincollig", "Co. Cork", "P31", "021"), ("Tallaght", "Dublin 24", "D24", "01"),
            ("Blanchardstown", "Dublin 15", "D15", "01"), ("Clondalkin", "Dublin 22", "D22", "01"),
            ("Finglas", "Dublin 11", "D11", "01"), ("Rathmines", "Dublin 6", "D06", "01"), ("Drumcondra", "Dublin 9", "D09", "01"),
            ("Ballymun", "Dublin 9", "D09", "01"), ("Carlow", "", "R93", "059"), ("Roscommon", "", "F42", "090"))

#: Suburbs of Australia: (suburb, state, postcode).
AU_SUBURBS = (("Parramatta", "NSW", "2150"), ("Blacktown", "NSW", "2148"), ("Penrith", "NSW", "2750"),
              ("Wollongong", "NSW", "2500"), ("Bankstown", "NSW", "2200"), ("Campbelltown", "NSW", "2560"),
              ("Gosford", "NSW", "2250"), ("Maitland", "NSW", "2320"), ("Tamworth", "NSW", "2340"), ("Dubbo", "NSW", "2830"),
              ("Dandenong", "VIC", "3175"), ("Frankston", "VIC", "3199"), ("Geelong", "VIC", "3220"), ("Ballarat", "VIC", "3350"),
              ("Bendigo", "VIC", "3550"), ("Shepparton", "VIC", "3630"), ("Mildura", "VIC", "3500"), ("Cranbourne", "VIC", "3977"),
              ("Toowoomba", "QLD", "4350"), ("Ipswich", "QLD", "4305"), ("Townsville", "QLD", "4810"), ("Cairns", "QLD", "4870"),
              ("Caboolture", "QLD", "4510"), ("Rockhampton", "QLD", "4700"), ("Bundaberg", "QLD", "4670"),
              ("Joondalup", "WA", "6027"), ("Fremantle", "WA", "6160"), ("Mandurah", "WA", "6210"), ("Bunbury", "WA", "6230"),
              ("Glenelg", "SA", "5045"), ("Noarlunga Centre", "SA", "5168"), ("Launceston", "TAS", "7250"),
              ("Glenorchy", "TAS", "7010"), ("Belconnen", "ACT", "2617"), ("Tuggeranong", "ACT", "2900"),
              ("Palmerston", "NT", "0830"), ("Casuarina", "NT", "0810"), ("Mooroolbark", "VIC", "3138"), ("Werribee", "VIC", "3030"))

#: Towns of New Zealand: (town, postcode, dialling code).
NZ_TOWNS = (("Tauranga", "3110", "07"), ("Rotorua", "3010", "07"), ("Whangarei", "0110", "09"),
            ("Palmerston North", "4410", "06"), ("Napier", "4110", "06"), ("New Plymouth", "4310", "06"),
            ("Whanganui", "4500", "06"), ("Invercargill", "9810", "03"), ("Dunedin", "9016", "03"), ("Timaru", "7910", "03"),
            ("Gisborne", "4010", "06"), ("Masterton", "5810", "06"), ("Lower Hutt", "5010", "04"), ("Porirua", "5022", "04"),
            ("Papakura", "2110", "09"), ("Takapuna", "0622", "09"), ("Te Awamutu", "3800", "07"), ("Taupo", "3330", "07"),
            ("Blenheim", "7201", "03"), ("Ashburton", "7700", "03"))

#: Cities of Canada: (city, province, forward sortation areas, area code).
CA_CITIES = (("Ottawa", "ON", ("K1N", "K1S", "K2P", "K1H", "K2C"), "613"), ("Kanata", "ON", ("K2K", "K2M", "K2T"), "613"),
             ("Kingston", "ON", ("K7L", "K7M", "K7K"), "613"), ("Mississauga", "ON", ("L5B", "L5M", "L4Z"), "905"),
             ("Brampton", "ON", ("L6T", "L6V", "L6Z"), "905"), ("Oshawa", "ON", ("L1H", "L1G", "L1J"), "905"),
             ("Barrie", "ON", ("L4M", "L4N"), "705"), ("Sudbury", "ON", ("P3A", "P3E", "P3C"), "705"),
             ("Kitchener", "ON", ("N2G", "N2H", "N2M"), "519"), ("Guelph", "ON", ("N1H", "N1E", "N1G"), "519"),
             ("Winnipeg", "MB", ("R3C", "R2M", "R3T"), "204"), ("Saskatoon", "SK", ("S7K", "S7N", "S7H"), "306"),
             ("Calgary", "AB", ("T2P", "T3A", "T2E"), "403"), ("Edmonton", "AB", ("T5J", "T6G", "T5K"), "780"),
             ("Lethbridge", "AB", ("T1J", "T1K"), "403"), ("Kelowna", "BC", ("V1Y", "V1W"), "250"),
             ("Kamloops", "BC", ("V2C", "V2B"), "250"), ("Nanaimo", "BC", ("V9R", "V9S"), "250"),
             ("Burnaby", "BC", ("V5H", "V5G", "V5C"), "604"), ("Moncton", "NB", ("E1C", "E1A"), "506"),
             ("Fredericton", "NB", ("E3B", "E3A"), "506"), ("Dartmouth", "NS", ("B2Y", "B2W"), "902"),
             ("Charlottetown", "PE", ("C1A", "C1E"), "902"), ("Gatineau", "QC", ("J8T", "J8Y", "J9H"), "819"),
             ("Sherbrooke", "QC", ("J1H", "J1E"), "819"), ("Laval", "QC", ("H7N", "H7T"), "450"))

#: Cities of Poland: (city, first two postcode digits, dialling code).
PL_CITIES = (("Warszawa", ("00", "01", "02", "03", "04"), "22"), ("Kraków", ("30", "31"), "12"), ("Łódź", ("90", "91", "93"), "42"),
             ("Wrocław", ("50", "51", "53"), "71"), ("Poznań", ("60", "61"), "61"), ("Gdańsk", ("80",), "58"),
             ("Lublin", ("20",), "81"), ("Białystok", ("15",), "85"), ("Katowice", ("40",), "32"), ("Rzeszów", ("35",), "17"),
             ("Szczecin", ("70", "71"), "91"), ("Bydgoszcz", ("85",), "52"), ("Toruń", ("87",), "56"), ("Kielce", ("25",), "41"),
             ("Olsztyn", ("10",), "89"), ("Opole", ("45",), "77"), ("Częstochowa", ("42",), "34"), ("Tarnów", ("33",), "14"))

#: Cities of Germany: (city, first two postcode digits, dialling code).
DE_CITIES = (("Berlin", ("10", "12", "13"), "030"), ("Hamburg", ("20", "22"), "040"), ("München", ("80", "81"), "089"),
             ("Köln", ("50", "51"), "0221"), ("Stuttgart", ("70",), "0711"), ("Düsseldorf", ("40",), "0211"),
             ("Leipzig", ("04",), "0341"), ("Dresden", ("01",), "0351"), ("Hannover", ("30",), "0511"), ("Nürnberg", ("90",), "0911"),
             ("Bremen", ("28",), "0421"), ("Dortmund", ("44",), "0231"), ("Bochum", ("44",), "0234"), ("Münster", ("48",), "0251"),
             ("Heidelberg", ("69",), "06221"), ("Mainz", ("55",), "06131"), ("Regensburg", ("93",), "0941"),
             ("Würzburg", ("97",), "0931"), ("Kassel", ("34",), "0561"), ("Magdeburg", ("39",), "0391"),
             ("Rostock", ("18",), "0381"), ("Lübeck", ("23",), "0451"), ("Osnabrück", ("49",), "0541"))

#: Cities of the Netherlands: (city, first two postcode digits, dialling code).
NL_CITIES = (("Amsterdam", ("10",), "020"), ("Rotterdam", ("30",), "010"), ("Den Haag", ("25",), "070"), ("Utrecht", ("35",), "030"),
             ("Eindhoven", ("56",), "040"), ("Groningen", ("97",), "050"), ("Tilburg", ("50",), "013"), ("Almere", ("13",), "036"),
             ("Breda", ("48",), "076"), ("Nijmegen", ("65",), "024"), ("Arnhem", ("68",), "026"), ("Haarlem", ("20",), "023"),
             ("Enschede", ("75",), "053"), ("Zwolle", ("80",), "038"), ("Leiden", ("23",), "071"), ("Maastricht", ("62",), "043"),
             ("Dordrecht", ("33",), "078"), ("Apeldoorn", ("73",), "055"), ("Amersfoort", ("38",), "033"),
             ("Leeuwarden", ("89",), "058"), ("Zaandam", ("15",), "075"))

#: Places abroad where relatives live: (country as written, towns).
ABROAD = (("Spain", ("Alicante", "Torrevieja", "Benidorm", "Marbella", "Fuengirola")),
          ("Portugal", ("Albufeira", "Lagos", "Faro", "Portimao")),
          ("Canada", ("Mississauga", "Kelowna", "Halifax")), ("New Zealand", ("Tauranga", "Dunedin", "Nelson")),
          ("Poland", ("Rzeszów", "Lublin", "Gdańsk", "Kielce")), ("Dubai", ("Jumeirah",)),
          ("Australia", ("Perth", "Brisbane", "Adelaide")), ("India", ("Ludhiana", "Jalandhar", "Amritsar", "Kochi")))

#: First words of UK, Irish and Australian street names.
STREET_BASES = ("Beechwood", "Hawthorn", "Sycamore", "Chestnut", "Elmfield", "Ashgrove", "Station", "Mill", "Church",
                "Victoria", "Albert", "Princess", "Cavendish", "Grosvenor", "Westbourne", "Belmont", "Clarendon",
                "Marlborough", "Wellington", "Highfield", "Hillside", "Moorland", "Fernbank", "Greenacres", "Orchard",
                "Brookside", "Oakfield", "Willow", "Manor", "Castle", "Abbey", "Chapel", "Bridge", "Market", "Vicarage",
                "Rectory", "Laburnum", "Linden", "Thornton", "Ravensworth", "Kingsway", "Coronation", "Jubilee",
                "Balmoral", "Glebe", "Whitegates", "Cromwell", "Cheviot", "Pennine", "Lonsdale", "Ennerdale", "Waverley")

#: Street suffixes of the UK and Ireland, and of Australia and New Zealand.
UK_STREET_SFX = ("Road", "Street", "Lane", "Close", "Avenue", "Crescent", "Grove", "Drive", "Gardens", "Terrace", "Way",
                 "Place", "Court", "Rise", "View", "Walk", "Mews", "Park")
AU_STREET_SFX = ("St", "Street", "Rd", "Road", "Ave", "Avenue", "Cres", "Crescent", "Pde", "Parade", "Cl", "Court", "Dr", "Place")

#: Names of care homes, houses and practices.
HOUSE_BASES = ("Larchwood", "Beechcroft", "Ashdene", "Fernlea", "Elmhurst", "Oakleigh", "Hollybank", "Rosedene",
               "Westerleigh", "Meadowbank", "Ferndale", "Glenholme", "Kingsmead", "Thornbury", "Mayfield", "Hillcrest",
               "Brackenfield", "Whinfield", "Heatherlea", "Cranleigh", "Sandringham", "Ashbrook", "Lynwood", "Southlands",
               "Moorcroft", "Beaumont", "Hazelmere", "Cedarwood", "Wheatlands", "Broadacres", "Kirkstall", "Langdale")

#: Made-up bases of the letter-writing hospitals (one per country and seed).
UK_TRUST_BASES = ("Calder Moor", "Fenmoor", "Northwold", "Brackenridge", "Severnside", "Wyvern Coast", "Lowther Vale",
                  "Harrowfield", "Kestrel Dales", "Tamsworth", "Medway Downs", "Ouseburn")
IE_HOSPITAL_BASES = ("St Colman's", "St Fintan's", "St Ita's", "St Declan's", "St Kieran's", "St Enda's", "Mercy Cross")
AU_HOSPITAL_BASES = (("Wattle Creek", "Western Plains"), ("Banksia Bay", "Coastal Ranges"), ("Ironbark", "Northern Rivers"),
                     ("Mallee Springs", "Murray Valley"), ("Blackwattle", "South Eastern"))
NZ_HOSPITAL_BASES = ("Kowhai", "Rimu Valley", "Harakeke", "Totara Bay", "Manuka Heights")
CA_HOSPITAL_BASES = ("Laurentian Shield", "Rideau Valley", "Prairie Crocus", "Maple Ridge", "Fundy Shore", "Thompson River")
PL_PATRONS = ("św. Łukasza", "Jana Pawła II", "Mikołaja Kopernika", "św. Jadwigi Śląskiej", "Stefana Żeromskiego",
              "Ludwika Rydygiera", "Karola Marcinkowskiego", "dr. Józefa Babińskiego", "św. Wojciecha", "Marii Skłodowskiej-Curie")
DE_HOSPITAL_FORMS = ("Klinikum {city} Nord", "Klinikum {city}-Süd", "St.-Elisabeth-Krankenhaus {city}",
                     "Evangelisches Krankenhaus {city}", "Städtisches Klinikum {city}", "Marienhospital {city}",
                     "Universitätsklinikum {city}", "St. Josefs-Hospital {city}")
NL_HOSPITAL_FORMS = ("Medisch Centrum {city}", "Ziekenhuis {city}-Zuid", "{saint} Gasthuis", "{saint} Ziekenhuis",
                     "Streekziekenhuis {city}")
NL_SAINTS = ("Sint Lucas", "Sint Antonius", "Sint Jansdal", "Sint Elisabeth", "Sint Franciscus", "Sint Maartens")
NL_STREETS = ("Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsweg", "Julianalaan", "Beatrixstraat", "Prinsengracht",
              "Wilhelminastraat", "Schoolstraat", "Lindenlaan", "Eikenlaan", "Parkweg", "Vondelstraat", "Rembrandtplein",
              "Marktstraat", "Nieuwstraat", "Oranjestraat", "Zonnebloemstraat", "Tulpstraat", "Kastanjelaan", "Beukenlaan")
DE_STREETS = ("Hauptstr.", "Bahnhofstraße", "Lindenstr.", "Goethestraße", "Schillerstr.", "Gartenweg", "Bergstraße",
              "Kirchstr.", "Waldweg", "Mozartstraße", "Rosenweg", "Eichendorffstr.", "Am Sportplatz", "Birkenallee",
              "Beethovenstraße", "Friedrich-Ebert-Str.", "Ringstraße", "Mühlenweg", "Kastanienallee", "Am Markt")

#: Surnames of Australian and Canadian families not in the English locales.
AU_SURNAMES = ("Nguyen", "Papadopoulos", "Tran", "Kaur", "Rossi", "Khoury", "Haddad", "Zhang", "Nikolaidis", "Vukovic",
               "Karagiannis", "Pham", "Dimitriou", "Mansour", "Gallo", "Ferraro", "Petrovic", "Nasser")
CA_SURNAMES = ("Tremblay", "Gagnon", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné", "Ouellet",
               "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard", "Boucher",
               "Chan", "Sandhu", "Grewal", "Dhillon", "Kowalchuk", "Makarenko")
CA_GIVEN = ("Geneviève", "Mathieu", "Sylvie", "Étienne", "Maxime", "Chantal", "Jean-François", "Marie-Claude", "Harpreet",
            "Gurpreet", "Mei", "Wei", "Priya", "Raj", "Colin", "Heather", "Brent", "Tanis", "Darcy", "Shauna")
# ---- end name and place lists ----

_OWN_TEXT = Path(__file__).read_text(encoding="utf-8")
_TEMPLATE_TEXT = re.sub(r"# ---- begin name and place lists.*?# ---- end name and place lists ----", " ",
                        _OWN_TEXT, flags=re.DOTALL)


def _english_words() -> frozenset[str]:
    """Function words (spaCy) and common English words (Faker's ``en_US`` lorem list)."""
    words: set[str] = set()
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
        words |= set(STOP_WORDS)
    except ImportError:  # pragma: no cover
        pass
    try:
        from faker.providers.lorem.en_US import Provider as Lorem
        words |= {w.lower() for w in Lorem.word_list}
    except ImportError:  # pragma: no cover
        pass
    return frozenset(words)


def _us_names() -> frozenset[str]:
    """Every name the benchmark's ``en_US`` generator can draw (planted bare only for its own people)."""
    from faker.providers.person.en_US import Provider as Person
    out: set[str] = set()
    for attr in ("first_names", "first_names_female", "first_names_male", "first_names_nonbinary", "last_names"):
        out |= {n.lower() for n in getattr(Person, attr, ())}
    return frozenset(out)


def _tokens(value: str) -> list[str]:
    """Lower-cased letter runs of ``value`` (``"O'Brien-Kelly"`` -> ``["o", "brien", "kelly"]``)."""
    return re.findall(r"[^\W\d_]+", value.lower())


#: Words this module writes outside its name and place lists; a planted single word is none of these.
TEMPLATE_WORDS = frozenset(_tokens(_TEMPLATE_TEXT) + [w for country, _ in ABROAD for w in _tokens(country)])
COMMON_WORDS = _english_words() | NAME_BLOCKLIST | {w.lower() for w in WORD_SURNAMES}
US_NAMES = _us_names()
_SINGLE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
PL_MONTHS = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
             "października", "listopada", "grudnia")
DE_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
             "November", "Dezember")
NL_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december")


def single_word(value: str) -> bool:
    """True when ``value`` is one word (letters, with inner apostrophes or hyphens)."""
    return bool(_SINGLE.fullmatch(value))


def _digits(rng: random.Random, k: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(k))


def _nth(k: int) -> str:
    """``22`` -> ``22nd``."""
    return f"{k}{'th' if 11 <= k % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


class Who(NamedTuple):
    """A named person, the entity their name belongs to (one register key per person or family) and
    whether this module drew the name (``mine``) or the benchmark's generator did."""

    given: str
    family: str
    owner: tuple
    mine: bool = True

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


class Town(NamedTuple):
    """A town with what its addresses and phones need."""

    name: str
    region: str  # county, state, province or Dublin district ("" for none)
    code: str  # postcode (Australia, New Zealand) or its first part (elsewhere)
    dial: str  # dialling code
    country: str  # uk, ie, au, nz, ca, pl, de, nl


# ---------------------------------------------------------------------------------------------------
# identifiers with their check digits


def nhs_number(rng: random.Random) -> str:
    """Ten digits with the NHS modulus-11 check digit."""
    while True:
        nine = [rng.randrange(10) for _ in range(9)]
        nine[0] = rng.choice([4, 6, 7])
        check = 11 - sum(d * (10 - i) for i, d in enumerate(nine)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, nine)) + str(check)


def chi_number(born: date, female: bool, rng: random.Random) -> str:
    """A Scottish CHI number: DDMMYY, two digits, a sex digit (even female) and a modulus-11 check digit."""
    while True:
        body = f"{born:%d%m%y}{_digits(rng, 2)}{rng.choice('02468' if female else '13579')}"
        check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return body + str(check)


def medicare_number(rng: random.Random) -> str:
    """An Australian Medicare card number (``2123 45670 1``: check digit ninth, issue number tenth)."""
    first8 = [rng.randrange(2, 7)] + [rng.randrange(10) for _ in range(7)]
    check = sum(d * w for d, w in zip(first8, (1, 3, 7, 9, 1, 3, 7, 9))) % 10
    s = "".join(map(str, first8)) + str(check) + str(rng.randrange(1, 6))
    return f"{s[:4]} {s[4:9]} {s[9]}"


def pesel(born: date, female: bool, rng: random.Random) -> str:
    """A Polish PESEL: YYMMDD (month + 20 after 1999), three digits, a sex digit and a check digit."""
    month = born.month + (20 if born.year >= 2000 else 0)
    body = f"{born.year % 100:02d}{month:02d}{born.day:02d}{_digits(rng, 3)}{rng.choice('02468' if female else '13579')}"
    check = (10 - sum(int(d) * w for d, w in zip(body, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3))) % 10) % 10
    return body + str(check)


def nhi_number(rng: random.Random) -> str:
    """A New Zealand NHI number, old format ``ABC1235`` (no I or O, modulus-11 check digit)."""
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    while True:
        head = "".join(rng.choice(letters) for _ in range(3))
        nums = [rng.randrange(10) for _ in range(3)]
        vals = [letters.index(ch) + 1 for ch in head] + nums
        rest = sum(v * w for v, w in zip(vals, (7, 6, 5, 4, 3, 2))) % 11
        if rest == 0:
            continue
        check = (11 - rest) % 10
        return head + "".join(map(str, nums)) + str(check)


def luhn_digit(body: str) -> str:
    """The Luhn check digit of ``body``."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


# ---------------------------------------------------------------------------------------------------
# dates


def d_uk(d: date, rng: random.Random) -> str:
    """A date as British and Irish letters write it (mostly eight characters or more)."""
    return rng.choice([f"{d:%d/%m/%Y}", f"{d:%d/%m/%Y}", f"{d.day}/{d.month}/{d.year}", f"{d.day} {MONTHS[d.month - 1]} {d.year}",
                       f"{_nth(d.day)} {MONTHS[d.month - 1]} {d.year}", f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",
                       f"{d:%d}-{MONTHS[d.month - 1][:3].upper()}-{d.year}", f"{d:%d/%m/%y}", f"{d:%d.%m.%Y}"])


def d_au(d: date, rng: random.Random) -> str:
    """A date as Australian and New Zealand summaries write it."""
    return rng.choice([f"{d:%d/%m/%Y}", f"{d:%d/%m/%Y}", f"{d.day}/{d:%m/%Y}", f"{d.day}/{d.month}/{d.year}",
                       f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}", f"{d:%d/%m/%y}"])


def d_dot(d: date, rng: random.Random) -> str:
    """``03.03.2021`` and its variants (continental letters)."""
    return rng.choice([f"{d:%d.%m.%Y}", f"{d:%d.%m.%Y}", f"{d.day}.{d:%m.%Y}", f"{d:%d.%m.%y}", f"{d.day}.{d.month}.{d.year}"])


def d_ca(d: date, rng: random.Random) -> str:
    """A date as a Canadian clinic writes it (ISO or spelt out, never ambiguous)."""
    return rng.choice([d.isoformat(), d.isoformat(), f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
                       f"{MONTHS[d.month - 1][:3]} {d.day}, {d.year}", f"{d:%Y/%m/%d}", f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}"])


def d_short(d: date, rng: random.Random) -> str:
    """A date without its year (``3rd March``, ``3/3``, ``03/03``); mostly not looked for by the benchmark."""
    return rng.choice([f"{_nth(d.day)} {MONTHS[d.month - 1]}", f"{d.day} {MONTHS[d.month - 1]}", f"{d.day}/{d.month}",
                       f"{d:%d/%m}", f"{_nth(d.day)} {MONTHS[d.month - 1][:3]}"])


def d_pl(d: date, rng: random.Random) -> str:
    """A Polish letter's own date line (``28 września 2021 r.``, ``28.09.2021 r.``)."""
    return rng.choice([f"{d.day} {PL_MONTHS[d.month - 1]} {d.year} r.", f"{d:%d.%m.%Y} r."])


def d_de(d: date, rng: random.Random) -> str:
    """A German letter's own date line (``3. März 2021``, ``03.03.2021``)."""
    return rng.choice([f"{d.day}. {DE_MONTHS[d.month - 1]} {d.year}", f"{d:%d.%m.%Y}"])


def d_nl(d: date, rng: random.Random) -> str:
    return rng.choice([f"{d:%d-%m-%Y}", f"{d.day}-{d.month}-{d.year}", f"{d.day} {NL_MONTHS[d.month - 1]} {d.year}", f"{d:%d-%m-%Y}"])


def clock(rng: random.Random, sep: str = ":", office: bool = False) -> str:
    """A clock time (``14:30``); ``office``: within working hours."""
    h = rng.randrange(8, 18) if office else rng.randrange(0, 24)
    m = rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50, rng.randrange(60)])
    return f"{h:02d}{sep}{m:02d}"


def age_words(age: int, rng: random.Random) -> str:
    """``93-year-old`` and similar (planted as a date: an age over 89)."""
    return rng.choice([f"{age}-year-old", f"{age} year old", f"{age} years old", f"{age}-year old"])


# ---------------------------------------------------------------------------------------------------
# seeded sources


class Ctx:
    """Seeded sources of people, places, numbers and the made-up letter-writing hospitals.

    Parameters
    ----------
    seed:
        Seed of this module's Faker instances and of the hospitals.
    policy:
        The benchmark's :class:`~coordinator.demo.identities.NamePolicy`; no token of a planted
        value is one of its surrogate tokens, and a name drawn here is none the benchmark has
        already handed out.

    Notes
    -----
    ``seen`` maps each word of a planted value to the entities whose values hold it, ``bare`` each
    word planted by itself to its entity; a word may be planted by itself only when no other entity
    has used it, and no value drawn here may hold another entity's bare word. ``cache`` keeps a
    patient's numbers, addresses and GP the same from one note to the next.
    """

    LOCALES = ("en_GB", "en_IE", "en_NZ", "en_AU", "en_CA", "pl_PL", "de_DE", "nl_NL")

    def __init__(self, seed: int, policy) -> None:
        self.policy = policy
        self.fk: dict[str, Faker] = {}
        for i, loc in enumerate(self.LOCALES):
            fk = Faker(loc)
            fk.seed_instance(seed * 1000 + 520 + i)
            self.fk[loc] = fk
        self.rng = random.Random(seed)
        self.seen: dict[str, set] = {}
        self.bare: dict[str, tuple] = {}
        self.cache: dict[tuple, object] = {}
        self.names_used: set[tuple[str, str]] = set()
        self._build_hospitals(random.Random(seed * 7919 + 41))

    # ---- the register -------------------------------------------------------------------------
    def free(self, value: str) -> bool:
        """No token of ``value`` is a surrogate token."""
        return not any(t in self.policy.surrogates for t in _tokens(value))

    def word_ok(self, word: str) -> bool:
        """``word`` is no template word, everyday English word or surrogate token (at least three letters)."""
        toks = _tokens(word)
        return (len(word) >= 3 and bool(toks) and all(t not in TEMPLATE_WORDS and t not in COMMON_WORDS
                                                      and t not in self.policy.surrogates for t in toks))

    def can_bare(self, word: str, owner: tuple, mine: bool = True) -> bool:
        """``word`` may be planted by itself for ``owner``.

        Parameters
        ----------
        word:
            The single word.
        owner:
            Its entity.
        mine:
            The entity was drawn by this module (then the word is also no name the benchmark's
            generator could draw, nor one it has handed out).
        """
        if not single_word(word) or not self.word_ok(word):
            return False
        toks = _tokens(word)
        if mine and any(t in US_NAMES or t in self.policy.used for t in toks):
            return False
        return all(not (self.seen.get(t, set()) - {owner}) and self.bare.get(t, owner) == owner for t in toks)

    def claimable(self, value: str, owner: tuple) -> bool:
        """No word of ``value`` is another entity's bare word and no token is a surrogate token."""
        return self.free(value) and all(self.bare.get(t, owner) == owner for t in _tokens(value))

    def reserve(self, value: str, owner: tuple) -> None:
        """Record that ``owner`` will write ``value`` (its words, not as bare words)."""
        for t in _tokens(value):
            self.seen.setdefault(t, set()).add(owner)

    def register(self, value: str, owner: tuple) -> None:
        """Record that ``owner``'s ``value`` holds its words (and, for a single word, that they are bare)."""
        for t in _tokens(value):
            self.seen.setdefault(t, set()).add(owner)
            if single_word(value):
                self.bare[t] = owner

    # ---- people -------------------------------------------------------------------------------
    def _name_ok(self, name: str, word_surname: bool = False) -> bool:
        if not re.fullmatch(r"[A-ZÀ-ÝĆŁŚŻŹ][^\W\d_]+(?:['’ -][^\W\d_]+)*", name):
            return False
        if word_surname:
            return self.free(name)
        toks = [t for t in _tokens(name) if len(t) > 2]
        return bool(toks) and all(self.word_ok(t) and t not in self.policy.used for t in toks)

    def person(self, loc: str = "en_GB", sex: str | None = None, word: bool = False, register: bool = True) -> Who:
        """A ``Who`` drawn from ``loc`` (Faker, or this module's lists for Australia and Canada).

        Parameters
        ----------
        loc:
            Faker locale.
        sex:
            ``"f"``, ``"m"`` or ``None``.
        word:
            Draw the surname from :data:`WORD_SURNAMES` (planted with a cue only).
        register:
            Register the name's words at once (else the caller does, under the owner it chooses).
        """
        fk = self.fk[loc]
        r = self.rng
        for _ in range(500):
            if loc == "pl_PL":
                female = sex == "f" or (sex is None and r.random() < 0.5)
                given = fk.first_name_female() if female else fk.first_name_male()
                family = fk.last_name_female() if female else fk.last_name_male()
            else:
                given = {"f": fk.first_name_female, "m": fk.first_name_male}.get(sex or "", fk.first_name)()
                family = fk.last_name()
            if loc == "en_AU" and r.random() < 0.35:
                family = r.choice(AU_SURNAMES)
            if loc == "en_CA" and r.random() < 0.45:
                family = r.choice(CA_SURNAMES)
                if r.random() < 0.4 and sex is None:
                    given = r.choice(CA_GIVEN)
            if word:
                family = r.choice(WORD_SURNAMES)
            if " " in given or (given, family) in self.names_used:
                continue
            if not self._name_ok(given) or not self._name_ok(family, word):
                continue
            owner = ("x", given, family)
            if not self.claimable(f"{given} {family}", owner):
                continue
            self.names_used.add((given, family))
            if register:  # at once: any form of the name may be written later
                self.register(f"{given} {family}", owner)
            return Who(given, family, owner)
        raise RuntimeError(f"no free name in {loc}")

    # ---- places -------------------------------------------------------------------------------
    @staticmethod
    def town_owner(t: Town, kind: str) -> tuple:
        """The register key of a town as a value of ``kind`` (a patient's town and a town mentioned
        otherwise are kept apart, so one bare word is always one kind)."""
        return ("town", t.name.lower(), kind)

    def town(self, country: str, kind: str = "LOCATION", bare: bool = False, region: str = "", inside: bool = False) -> Town:
        """A town of ``country`` free to write as ``kind``; ``bare``: preferably one whose name may
        be planted by itself; ``region``: preferably in this state or province; ``inside``: to be
        written inside another value (a hospital's or club's name), so none planted by itself."""
        r = self.rng
        for i in range(300):
            t = self._town(country, r)
            owner = self.town_owner(t, kind)
            if not self.claimable(t.name, owner) or (region and t.region != region and i < 150):
                continue
            if inside and any(tok in self.bare for tok in _tokens(t.name)):
                continue
            if bare and single_word(t.name) and not self.can_bare(t.name, owner) and i < 200:
                continue
            return t
        raise RuntimeError(f"no free town in {country}")

    def town_alt(self, t: Town) -> str:
        """A town with a qualifier, for running text when its name may not stand alone."""
        if t.country == "au":
            return f"{t.name} {t.region}"
        if t.country == "ca":
            return f"{t.name}, {t.region}"
        if t.country == "ie" and t.region.startswith("Co."):
            return f"{t.name}, {t.region}"
        if t.country in ("pl", "de", "nl"):
            return f"{t.name} ({ {'pl': 'Poland', 'de': 'Germany', 'nl': 'the Netherlands'}[t.country]})"
        return f"the {t.name} area"

    @staticmethod
    def _town(country: str, r: random.Random) -> Town:
        if country == "uk":
            n, area, dial = r.choice(UK_TOWNS)
            return Town(n, "", area, dial, country)
        if country == "ie":
            n, county, key, dial = r.choice(IE_TOWNS)
            return Town(n, county, key, dial, country)
        if country == "au":
            n, state, pc = r.choice(AU_SUBURBS)
            dial = {"NSW": "02", "ACT": "02", "VIC": "03", "TAS": "03", "QLD": "07"}.get(state, "08")
            return Town(n, state, pc, dial, country)
        if country == "nz":
            n, pc, dial = r.choice(NZ_TOWNS)
            return Town(n, "", pc, dial, country)
        if country == "ca":
            n, prov, fsas, dial = r.choice(CA_CITIES)
            return Town(n, prov, r.choice(fsas), dial, country)
        pool = {"pl": PL_CITIES, "de": DE_CITIES, "nl": NL_CITIES}[country]
        n, prefixes, dial = r.choice(pool)
        return Town(n, "", r.choice(prefixes), dial, country)

    def postcode(self, t: Town) -> str:
        """A postcode in ``t`` in its country's shape."""
        r = self.rng
        if t.country in ("uk",):
            inward = f"{r.randrange(1, 10)}{''.join(r.choice('ABDEFGHJLNPQRSTUWXYZ') for _ in range(2))}"
            return f"{t.code}{r.randrange(1, 30 if len(t.code) == 1 else 20)} {inward}"
        if t.country == "ie":
            chars = "0123456789ACDEFHKNPRTVWXY"
            return f"{t.code} {r.choice('ACDEFHKNPRTVWXY')}{''.join(r.choice(chars) for _ in range(3))}"
        if t.country == "ca":
            return f"{t.code} {r.randrange(10)}{r.choice('ABCEGHJKLMNPRSTVWXYZ')}{r.randrange(10)}"
        if t.country == "pl":
            return f"{t.code}-{_digits(r, 3)}"
        if t.country == "de":
            return f"{t.code}{_digits(r, 3)}"
        if t.country == "nl":
            letters = "".join(r.choice("ABCEGHJKLMNPRTVWXZ") for _ in range(2))
            return f"{t.code}{r.randrange(10)}{r.randrange(10)} {letters}"
        return t.code

    def street(self, country: str, home: bool = False) -> str:
        """A street line: ``14 Beechwood Close``, ``ul. Lipowa 12/4``, ``Goethestr. 8``; ``home``: also flats,
        units and house names (``Flat 3, 22 Mill Lane``, ``4/12 Castle St``)."""
        r = self.rng
        for _ in range(300):
            if country in ("uk", "ie", "nz"):
                base = r.choice(STREET_BASES) if r.random() < 0.6 else self.fk["en_IE" if country == "ie" else "en_GB"].last_name()
                line = f"{r.randrange(1, 180)} {base} {r.choice(UK_STREET_SFX)}"
                if home and r.random() < 0.2:
                    line = f"Flat {r.randrange(1, 30)}, {line}" if r.random() < 0.6 else f"{r.choice(HOUSE_BASES)}, {line.split(' ', 1)[1]}"
                if home and country == "ie" and r.random() < 0.25:
                    line = f"{r.randrange(1, 90)} {r.choice(HOUSE_BASES)} {r.choice(('Park', 'Heights', 'Grove', 'Lawns', 'Close'))}"
            elif country == "au":
                base = r.choice(STREET_BASES) if r.random() < 0.5 else self.fk["en_AU"].last_name()
                unit = f"{r.randrange(1, 40)}/" if home and r.random() < 0.3 else ""
                line = f"{unit}{r.randrange(1, 250)} {base} {r.choice(AU_STREET_SFX)}"
            elif country == "pl":
                name = self.fk["pl_PL"].street_name()
                num = f"{r.randrange(1, 120)}" + (f"/{r.randrange(1, 60)}" if home and r.random() < 0.6 else "")
                line = f"{r.choice(('ul.', 'ul.', 'ul.', 'al.'))} {name} {num}"
            elif country == "de":
                line = f"{r.choice(DE_STREETS)} {r.randrange(1, 140)}{r.choice(['', '', '', 'a', 'b'])}"
            elif country == "nl":
                line = f"{r.choice(NL_STREETS)} {r.randrange(1, 300)}{r.choice(['', '', '', '-II', 'A', ' bis'])}"
            else:  # ca: North American street
                base = r.choice(STREET_BASES) if r.random() < 0.5 else self.fk["en_CA"].last_name()
                line = f"{r.randrange(10, 9999)} {base} {r.choice(('Street', 'Avenue', 'Road', 'Drive', 'Crescent', 'Boulevard'))}"
                if home and r.random() < 0.25:
                    line = f"{r.randrange(101, 2400)}-{line}"
            if self.claimable(line, ("v", line.lower())) and "\n" not in line:
                self.reserve(line, ("v", line.lower()))
                return line
        raise RuntimeError("no free street")

    def surname(self, loc: str = "en_GB") -> str:
        return self.person(loc).family

    def _pick(self, forms: Sequence[Callable[[], str]]) -> str:
        for _ in range(200):
            value = self.rng.choice(forms)()
            if self.claimable(value, ("v", value.lower())):
                self.reserve(value, ("v", value.lower()))  # it may be kept (a patient's practice) and written later
                return value
        raise RuntimeError("no free place")

    def practice(self, country: str, t: Town) -> str:
        """A general practice in ``t`` (UK, Ireland, New Zealand, Australia, Canada)."""
        r = self.rng
        if country == "au":
            return self._pick([lambda: f"{t.name} Family Medical Centre", lambda: f"{r.choice(STREET_BASES)} Medical Centre",
                               lambda: f"{t.name} Medical Practice", lambda: f"{r.choice(STREET_BASES)} Street Surgery"])
        if country == "ca":
            return self._pick([lambda: f"{t.name} Family Health Team", lambda: f"{r.choice(STREET_BASES)} Medical Clinic",
                               lambda: f"{t.name} Community Health Centre"])
        loc = {"ie": "en_IE", "nz": "en_NZ"}.get(country, "en_GB")
        return self._pick([lambda: f"The {r.choice(HOUSE_BASES)} Surgery", lambda: f"{r.choice(STREET_BASES)} Medical Centre",
                           lambda: f"{t.name} Health Centre", lambda: f"{r.choice(HOUSE_BASES)} Medical Practice",
                           lambda: f"{t.name} Group Practice", lambda: f"{self.surname(loc)} and Partners"])

    def care_home(self, country: str) -> str:
        """A care home, nursing home or residential aged-care facility."""
        r = self.rng
        if country == "au":
            return self._pick([lambda: f"{r.choice(HOUSE_BASES)} Aged Care", lambda: f"{r.choice(HOUSE_BASES)} Gardens Aged Care Facility",
                               lambda: f"{r.choice(HOUSE_BASES)} Lodge Residential Aged Care"])
        return self._pick([lambda: f"{r.choice(HOUSE_BASES)} Care Home", lambda: f"{r.choice(HOUSE_BASES)} Nursing Home",
                           lambda: f"{r.choice(HOUSE_BASES)} House", lambda: f"{r.choice(HOUSE_BASES)} Lodge",
                           lambda: f"{r.choice(HOUSE_BASES)} Residential Home", lambda: f"{r.choice(HOUSE_BASES)} Manor Care Centre"])

    def outside_hospital(self, country: str, region: str = "") -> str:
        """A hospital other than the one writing the letter (``region``: preferably in this state or province)."""
        r = self.rng
        if country == "au":
            return self._pick([lambda: f"{self.town('au', inside=True).name} Hospital", lambda: f"{self.town('au', inside=True).name} Base Hospital",
                               lambda: f"{self.town('au', inside=True).name} Private Hospital", lambda: f"St {r.choice(('Vincent', 'John of God', 'Andrew'))}'s {self.town('au', inside=True).name}"])
        if country == "ca":
            return self._pick([lambda: f"{self.town('ca', region=region, inside=True).name} General Hospital",
                               lambda: f"{self.town('ca', region=region, inside=True).name} Regional Health Centre"])
        if country == "ie":
            return self._pick([lambda: f"University Hospital {self.town('ie', inside=True).name}", lambda: f"{self.town('ie', inside=True).name} General Hospital",
                               lambda: f"{self.town('ie', inside=True).name} Regional Hospital", lambda: f"Bon Secours {self.town('ie', inside=True).name}"])
        if country == "nz":
            return self._pick([lambda: f"{self.town('nz', inside=True).name} Hospital", lambda: f"{self.town('nz', inside=True).name} Base Hospital"])
        return self._pick([lambda: f"{self.town('uk', inside=True).name} General Hospital", lambda: f"{self.town('uk', inside=True).name} Royal Infirmary",
                           lambda: f"{self.town('uk', inside=True).name} District General", lambda: f"{self.town('uk', inside=True).name} Community Hospital",
                           lambda: f"Royal {self.town('uk', inside=True).name} Hospital", lambda: f"{self.town('uk', inside=True).name} Hospital"])

    def job(self, country: str) -> tuple[str, str]:
        """An occupation and an employer that fits it."""
        r = self.rng
        loc = {"ie": "en_IE", "au": "en_AU", "nz": "en_NZ", "ca": "en_CA"}.get(country, "en_GB")
        ltd = " Pty Ltd" if country == "au" else " Ltd" if country in ("uk", "ie", "nz") else " Inc."
        council = {"au": "City Council", "nz": "District Council", "ca": "Public Library", "ie": "County Council"}.get(country, "Borough Council")
        jobs: list[tuple[str, Callable[[], str]]] = [
            ("joiner" if country == "uk" else "carpenter", lambda: f"{self.surname(loc)} Builders"),
            ("builder", lambda: f"{self.surname(loc)} & Sons"), ("HGV driver", lambda: f"{self.surname(loc)} Haulage"),
            ("mechanic", lambda: f"{self.town(country, inside=True).name} Motors"),
            ("teaching assistant", lambda: f"{r.choice(HOUSE_BASES)} Primary School"),
            ("fabricator", lambda: f"{self.surname(loc)} Engineering{ltd}"), ("admin officer", lambda: f"{self.town(country, inside=True).name} {council}"),
            ("warehouse supervisor", lambda: f"{self.surname(loc)} Logistics"), ("care worker", lambda: self.care_home(country)),
            ("shop assistant", lambda: f"{self.town(country, inside=True).name} Co-op"), ("dairy farmer" if country in ("nz", "ie") else "farm hand",
                                                                          lambda: f"{self.surname(loc)} Farms")]
        occupation, make = r.choice(jobs)
        return occupation, self._pick([make])

    def club(self, country: str, age: int) -> tuple[str, str]:
        """A sport fit for ``age`` and a club of ``country`` where it is played: ``("hurling", "Ennis Hurling Club")``."""
        if age >= 60:
            sports = [("bowls", "Bowls Club"), ("golf", "Golf Club"), ("walking football", "Walking Football Club")]
        else:
            sports = {"ie": [("Gaelic football", "GAA Club"), ("hurling", "Hurling Club"), ("rugby", "RFC")],
                      "nz": [("rugby", "Rugby Football Club"), ("netball", "Netball Club"), ("cricket", "Cricket Club")],
                      "au": [("Aussie rules", "Football Club"), ("netball", "Netball Club"), ("surf lifesaving", "Surf Life Saving Club")],
                      }.get(country, [("cricket", "Cricket Club"), ("five-a-side", "Football Club"), ("netball", "Netball Club")])
        sport, club = self.rng.choice(sports)
        return sport, self._pick([lambda: f"{self.town(country, inside=True).name} {club}"])

    def housing(self) -> str:
        r = self.rng
        return self._pick([lambda: f"{r.choice(HOUSE_BASES)} Housing Association", lambda: f"{self.town('uk', inside=True).name} Homes",
                           lambda: f"{r.choice(STREET_BASES)} Housing Trust"])

    # ---- the letter-writing hospitals -------------------------------------------------------------
    def _build_hospitals(self, r: random.Random) -> None:
        uk = r.choice([b for b in UK_TRUST_BASES if self.free(b)])
        first = uk.split()[0]
        self.uk_trust = r.choice([f"{uk} Hospitals NHS Foundation Trust", f"{uk} University Hospitals NHS Trust",
                                  f"{uk} Teaching Hospitals NHS Foundation Trust"])
        self.uk_hospitals = [f"{uk} General Hospital", f"{first} Royal Infirmary", f"{first} Community Hospital"]
        self.uk_acr = "".join(w[0] for w in uk.split()) + "GH"
        self.uk_mh_trust = f"{uk} Partnership NHS Foundation Trust"
        self.uk_code = "R" + "".join(r.choice("ABCDEFGHJKLMNPQRTVWXY") for _ in range(2))
        ie = r.choice(IE_HOSPITAL_BASES)
        self.ie_town = self.town("ie")
        self.ie_hospital = r.choice([f"{ie} University Hospital", f"{ie} Hospital, {self.ie_town.name}"])
        au, lhd = r.choice(AU_HOSPITAL_BASES)
        self.au_hospital, self.au_lhd = f"{au} Hospital", r.choice([f"{lhd} Local Health District", f"{lhd} Health Service"])
        self.au_town = self.town("au")
        nz = r.choice(NZ_HOSPITAL_BASES)
        self.nz_hospital = f"{nz} Hospital"
        self.nz_town = self.town("nz")
        ca = r.choice(CA_HOSPITAL_BASES)
        self.ca_hospital = r.choice([f"{ca} Health Sciences Centre", f"{ca} General Hospital", f"{ca} Regional Hospital"])
        self.ca_town = self.town("ca")
        self.uk_town = self.town("uk")
        for t in (self.ie_town, self.au_town, self.nz_town, self.ca_town, self.uk_town):
            self.reserve(t.name, self.town_owner(t, "LOCATION"))
        for h in [self.uk_trust, *self.uk_hospitals, self.ie_hospital, self.au_hospital, self.au_lhd, self.nz_hospital,
                  self.ca_hospital, self.uk_mh_trust]:
            self.register(h, ("v", h.lower()))
        self.uk_street = self.street("uk")
        self.uk_postcode = self.postcode(self.uk_town)

    def home_uk(self) -> str:
        """The UK hospital writing a letter, as a letter names it."""
        return self.rng.choice(self.uk_hospitals[:2] + [self.uk_hospitals[0], self.uk_acr])

    # ---- numbers ---------------------------------------------------------------------------------
    def phone(self, t: Town, mobile: bool = False) -> str:
        """A phone number of ``t``'s country (landline in its dialling area, or a mobile)."""
        r = self.rng
        c = t.country
        if c == "uk":
            if mobile:
                rest = f"900{_digits(r, 3)}" if r.random() < 0.5 else f"{r.randrange(100, 999)}{_digits(r, 3)}"
                pre = f"07{r.choice(['700', '700', '712', '734', '766', '791', '828', '903', '956'])}"
                return r.choice([f"{pre} {rest}", f"{pre} {rest}", f"+44 {pre[1:]} {rest}", f"{pre}{rest}", f"{pre} {rest[:3]} {rest[3:]}"])
            if r.random() < 0.3:
                return f"01632 960{_digits(r, 3)}"
            d = t.dial
            if len(d) == 5:
                return r.choice([f"{d} {r.randrange(2, 9)}{_digits(r, 5)}", f"({d}) {r.randrange(2, 9)}{_digits(r, 5)}"])
            if len(d) == 4:
                return r.choice([f"{d} {r.randrange(2, 9)}{_digits(r, 2)} {_digits(r, 4)}", f"({d}) {r.randrange(2, 9)}{_digits(r, 2)} {_digits(r, 4)}"])
            return r.choice([f"{d} {r.randrange(2, 9)}{_digits(r, 3)} {_digits(r, 4)}", f"+44 {d[1:]} {r.randrange(2, 9)}{_digits(r, 3)} {_digits(r, 4)}"])
        if c == "ie":
            if mobile:
                pre = r.choice(["083", "085", "086", "087", "089"])
                body = f"{_digits(r, 3)} {_digits(r, 4)}"
                return r.choice([f"{pre} {body}", f"{pre} {body}", f"+353 {pre[1:]} {body}", f"({pre}) {body}"])
            n = f"{r.randrange(2, 9)}{_digits(r, 2)} {_digits(r, 4)}" if len(t.dial) == 3 else f"{r.randrange(2, 9)}{_digits(r, 2)} {_digits(r, 4)}"
            return r.choice([f"({t.dial}) {n}", f"{t.dial} {n}", f"+353 {t.dial[1:]} {n}"])
        if c == "au":
            if mobile:
                body = f"4{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 3)}"
                return r.choice([f"0{body}", f"0{body}", f"+61 {body}", f"0{body.replace(' ', '')}"])
            body = f"{r.randrange(3, 10)}{_digits(r, 3)} {_digits(r, 4)}"
            return r.choice([f"({t.dial}) {body}", f"{t.dial} {body}", f"+61 {t.dial[1]} {body}"])
        if c == "nz":
            if mobile:
                pre = r.choice(["021", "022", "027", "029"])
                return r.choice([f"{pre} {_digits(r, 3)} {_digits(r, 4)}", f"+64 {pre[1:]} {_digits(r, 3)} {_digits(r, 4)}"])
            return r.choice([f"({t.dial}) {r.randrange(3, 10)}{_digits(r, 2)} {_digits(r, 4)}", f"{t.dial} {r.randrange(3, 10)}{_digits(r, 2)} {_digits(r, 4)}"])
        if c == "ca":
            x = f"{r.randrange(2, 10)}{_digits(r, 2)}"
            return r.choice([f"({t.dial}) {x}-{_digits(r, 4)}", f"{t.dial}-{x}-{_digits(r, 4)}", f"{t.dial}.{x}.{_digits(r, 4)}"])
        if c == "pl":
            if mobile:
                body = f"{r.choice('5678')}{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 3)}"
                return r.choice([f"+48 {body}", body, f"tel. kom. {body}"]) if r.random() < 0.2 else r.choice([f"+48 {body}", body])
            body = f"{_digits(r, 3)} {_digits(r, 2)} {_digits(r, 2)}"
            return r.choice([f"+48 {t.dial} {body}", f"({t.dial}) {body}", f"{t.dial} {body}"])
        if c == "de":
            if mobile:
                pre = r.choice(["0151", "0160", "0170", "0172", "0176"])
                body = f"{_digits(r, 4)} {_digits(r, 4)}"
                return r.choice([f"{pre} {body}", f"+49 {pre[1:]} {body}"])
            n = _digits(r, 7 if len(t.dial) <= 4 else 6)
            return r.choice([f"+49 {t.dial[1:]} {n}", f"{t.dial} {n[:4]}-{n[4:]}", f"({t.dial}) {n}", f"{t.dial}/{n}"])
        # nl
        if mobile:
            return r.choice([f"06-{_digits(r, 8)}", f"+31 6 {_digits(r, 8)}", f"06 {_digits(r, 4)} {_digits(r, 4)}"])
        n = _digits(r, 10 - len(t.dial))
        return r.choice([f"{t.dial}-{n}", f"+31 {t.dial[1:]} {n[:3]} {n[3:]}", f"{t.dial} {n[:3]} {n[3:]}"])

    def bleep(self) -> str:
        """A bleep or extension with its cue (four digits alone read as times)."""
        r = self.rng
        return r.choice([f"bleep {r.randrange(1000, 9999)}", f"bleep {r.randrange(1000, 9999)}", f"ext. {r.randrange(2000, 7999)}",
                         f"ext {r.randrange(2000, 7999)}", f"x{r.randrange(20000, 79999)}", f"Bleep {r.randrange(100, 999)}-{r.randrange(1000, 9999)}"])

    def email(self, who: Who, domain: str) -> str:
        g, f = _ascii_mail(who.given), _ascii_mail(who.family)
        return self.rng.choice([f"{g}.{f}@{domain}", f"{g}.{f}{self.rng.randrange(1, 9)}@{domain}", f"{g[0]}.{f}@{domain}"])

    def patient_cached(self, ident, key: str, make: Callable[[], object]):
        """``make()`` once per patient and ``key`` (numbers, addresses and GP stay the same across notes)."""
        k = (ident.mrn, key)
        if k not in self.cache:
            self.cache[k] = make()
        return self.cache[k]

    def nhs(self, ident) -> str:
        n = self.patient_cached(ident, "nhs", lambda: nhs_number(self.rng))
        return self.rng.choice([f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}", n, f"{n[:3]}-{n[3:6]}-{n[6:]}"])

    def hosp_no(self, ident) -> str:
        return self.patient_cached(ident, "hosp", lambda: self.rng.choice(
            [f"{self.uk_code}{_digits(self.rng, 7)}", f"{self.uk_code[1:]}{_digits(self.rng, 6)}", f"K{_digits(self.rng, 7)}",
             f"{self.uk_code}{_digits(self.rng, 7)}"]))

    def home_address(self, ident, country: str) -> tuple[str, Town, str]:
        """The patient's (street, town, postcode) in ``country``, the same in every note."""
        def make() -> tuple[str, Town, str]:
            t = self.town(country, "ADDRESS", bare=True, region=self.ca_town.region if country == "ca" else "")
            owner = self.town_owner(t, "ADDRESS")
            if self.can_bare(t.name, owner):  # reserve it: no other kind of value may use it from now on
                self.register(t.name, owner)
            return self.street(country, home=True), t, self.postcode(t)
        return self.patient_cached(ident, f"addr-{country}", make)

    def gp(self, ident, country: str) -> tuple[Who, str, Town]:
        """The patient's general practitioner, practice and its town (the same in every note of ``country``;
        the town is the patient's own, so it is written as ``ADDRESS`` there too)."""
        loc = {"ie": "en_IE", "au": "en_AU", "nz": "en_NZ", "ca": "en_CA"}.get(country, "en_GB")

        def make() -> tuple[Who, str, Town]:
            t = self.home_address(ident, country)[1]  # the practice is in the patient's own town
            return self.person(loc, word=self.rng.random() < 0.2), self.practice(country, t), t
        return self.patient_cached(ident, f"gp-{country}", make)

    def practice_address(self, ident, country: str) -> tuple[str, str]:
        """The (street, postcode) of the patient's practice in ``country``."""
        t = self.gp(ident, country)[2]
        return self.patient_cached(ident, f"gp-addr-{country}", lambda: (self.street(country), self.postcode(t)))


def _ascii_mail(s: str) -> str:
    import unicodedata
    s = s.replace("ł", "l").replace("Ł", "L").replace("'", "").replace("’", "").replace(" ", "")
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch)).lower()


def _pron(sex: str) -> tuple[str, str, str]:
    return ("she", "her", "her") if sex == "female" else ("he", "him", "his")


class W:
    """A note being written: the benchmark's ``Note`` plus the register of planted words."""

    def __init__(self, note, c: Ctx) -> None:
        self.note, self.c = note, c

    def t(self, *texts: str) -> W:
        self.note.t(*texts)
        return self

    def p(self, value: str, kind: str, owner: tuple | None = None) -> W:
        """Plant ``value``; its words are registered to ``owner`` (default: the value itself)."""
        owner = owner or ("v", value.lower())
        if not self.c.claimable(value, owner):
            raise AssertionError(f"{value!r} holds another entity's word")
        if single_word(value) and not self.c.can_bare(value, owner, mine=False):
            raise AssertionError(f"{value!r} may not stand alone")
        self.c.register(value, owner)
        self.note.p(value, kind)
        return self

    def nm(self, cue: str, value: str, kind: str, owner: tuple, after: str = "", mine: bool = True,
           alt: str | None = None) -> W:
        """Write ``cue + value + after``; a single word that may not stand alone is planted with its
        cue, or as ``alt`` (a longer form of the same value) where the cue is empty."""
        if not single_word(value) or self.c.can_bare(value, owner, mine):
            return self.t(cue).p(value, kind, owner).t(after)
        lead = cue[:len(cue) - len(cue.lstrip())]
        trail = after[len(after.rstrip()):]
        joined = (cue + value + after).strip()
        if single_word(joined):
            if alt is None:
                raise AssertionError(f"no cue or longer form for {value!r}")
            return self.t(cue).p(alt, kind, owner).t(after)
        return self.t(lead).p(joined, kind, owner).t(trail)

    def town(self, t: Town, kind: str, after: str = "") -> W:
        """A town name, planted alone when it may stand alone, else with a qualifier (``Bankstown NSW``)."""
        owner = Ctx.town_owner(t, kind)
        if self.c.can_bare(t.name, owner) or not single_word(t.name):
            return self.p(t.name, kind, owner).t(after)
        return self.p(self.c.town_alt(t), kind, owner).t(after)

    def town_pc(self, t: Town, pc: str, kind: str, sep: str = " ") -> W:
        """A town and its postcode: two values, or one where the town may not stand alone."""
        owner = Ctx.town_owner(t, kind)
        if self.c.can_bare(t.name, owner) or not single_word(t.name):
            return self.p(t.name, kind, owner).t(sep).p(pc, kind)
        return self.p(f"{t.name} {pc}", kind, owner)


# ---------------------------------------------------------------------------------------------------
# pieces shared by the styles


def _staff(staff, role: str):
    return [s for s in staff if s.role == role] or list(staff)


def _who_staff(s) -> Who:
    return Who(s.given, s.family, ("staff", s.given, s.family), False)


def _who_ident(ident) -> Who:
    return Who(ident.given, ident.family, ("pt", ident.mrn), False)


def _who_rel(ident, rel) -> Who:
    return Who(rel.given, rel.family, ("pt", ident.mrn), False)


def _title(ident, r: random.Random) -> str:
    """The patient's title, the same in every note (``Mrs`` for a woman with a husband in the patients file)."""
    if ident.sex == "male":
        return "Mr"
    if any(x.role == "husband" for x in ident.relatives):
        return "Mrs"
    return "Miss" if ident.stated_age < 30 else "Ms"


def _female(given: str) -> bool:
    """A given name of the benchmark's generator that it draws for women."""
    from faker.providers.person.en_US import Provider as Person
    return given in Person.first_names_female and given not in Person.first_names_male


def _dr(w: W, who: Who, r: random.Random, title: str = "Dr", after: str = "", full: float = 0.35) -> W:
    """``Dr Okafor`` / ``Dr. Okafor`` / ``Dr Ann Okafor`` / ``Dr A Okafor``: the title is part of the value unless a full name follows."""
    k = r.random()
    if k < full:
        return w.t(f"{title} ").p(who.full if r.random() < 0.6 else f"{who.given[0]} {who.family}", "PROVIDER", who.owner).t(after)
    t = title if title != "Dr" else r.choice(["Dr", "Dr", "Dr.", "Dr"])
    return w.p(f"{t} {who.family}", "PROVIDER", who.owner).t(after)


def _pt_name(w: W, ident, r: random.Random, style: str | None = None) -> W:
    """The patient's name as a letter heads it: ``Mrs Aoife BYRNE``, ``BYRNE, Aoife``, ``Aoife Byrne``."""
    me = _who_ident(ident)
    form = style or r.choice(["title_caps", "caps_comma", "plain", "title_plain", "all_caps"])
    if form == "title_caps":
        return w.t(f"{_title(ident, r)} ").p(f"{ident.given} {ident.family.upper()}", "PATIENT", me.owner)
    if form == "caps_comma":
        return w.p(f"{ident.family.upper()}, {ident.given}", "PATIENT", me.owner)
    if form == "title_plain":
        return w.t(f"{_title(ident, r)} ").p(ident.full, "PATIENT", me.owner)
    if form == "all_caps":
        return w.p(f"{ident.given} {ident.family}".upper(), "PATIENT", me.owner)
    return w.p(ident.full, "PATIENT", me.owner)


def _pt_ref(w: W, ident, r: random.Random, after: str = "") -> W:
    """The patient in running text: ``Mrs Byrne``, ``Aoife`` (planted alone when free), ``the patient``."""
    me = _who_ident(ident)
    k = r.random()
    if k < 0.6:
        return w.nm(f"{_title(ident, r)} ", ident.family, "PATIENT", me.owner, after, mine=False)
    if k < 0.8:
        return w.nm("", ident.given, "PATIENT", me.owner, after, mine=False, alt=ident.full)
    return w.t("the patient" + after)


def _rel(w: W, ident, rel, r: random.Random, full: float = 0.35, word: str | None = None) -> W:
    """A relative of the generator: ``her husband Seamus``, ``daughter Jane Smith``."""
    who = _who_rel(ident, rel)
    word = word if word is not None else rel.role
    if r.random() < full:
        return w.t(f"{word} " if word else "").p(rel.full, "RELATIVE", who.owner)
    return w.nm(f"{word} " if word else "", rel.given, "RELATIVE", who.owner, mine=False, alt=rel.full)


def _extra_rel(c: Ctx, ident, loc: str = "en_GB") -> tuple[str, Who]:
    """``(role, who)`` of a relative or friend not in the patients file (same surname for some)."""
    r = c.rng
    role = r.choice(["sister", "brother", "niece", "nephew", "friend", "neighbour", "cousin", "granddaughter",
                     "grandson", "daughter-in-law", "son-in-law", "partner"])
    sex = "f" if role in ("sister", "niece", "granddaughter", "daughter-in-law") else \
        "m" if role in ("brother", "nephew", "grandson", "son-in-law") else None
    who = c.person(loc, sex, register=False)
    if role in ("brother", "grandson", "nephew", "sister") and r.random() < 0.4:
        joined = Who(who.given, ident.family, ("pt", ident.mrn), True)
        if c.claimable(joined.full, joined.owner):
            who = joined
    c.register(who.full, who.owner)
    return role, who


def _person_any(w: W, who: Who, kind: str, r: random.Random, cue: str = "", after: str = "", bare: float = 0.3) -> W:
    """A person drawn here: full name, ``G. Family``, or the given name alone when it may stand alone."""
    k = r.random()
    if k < bare and w.c.can_bare(who.given, who.owner, who.mine):
        return w.t(cue).p(who.given, kind, who.owner).t(after)
    if k < bare + 0.15:
        return w.t(cue).p(f"{who.given[0]}. {who.family}" if r.random() < 0.5 else f"{who.given[0]} {who.family}", kind, who.owner).t(after)
    return w.t(cue).p(who.full, kind, who.owner).t(after)


def _sign(w: W, who: Who, r: random.Random, role: str, quals: str = "", title: str = "Dr") -> W:
    """A signature block: the name (sometimes above a scrawl), qualifications, role."""
    w.t("\n", r.choice(["Yours sincerely,\n\n", "Yours sincerely\n\n\n", "Kind regards,\n\n", "With best wishes,\n\n"]))
    form = r.randrange(4)
    if form == 0:
        w.t(f"{title} ").p(who.full, "PROVIDER", who.owner)
    elif form == 1:
        w.p(who.full.upper(), "PROVIDER", who.owner)
    elif form == 2:
        w.p(who.full, "PROVIDER", who.owner)
    else:
        w.t(f"{title} ").p(f"{who.given[0]} {who.family}", "PROVIDER", who.owner)
    if quals:
        w.t(f" {quals}")
    return w.t(f"\n{role}\n")


def _address_block(w: W, c: Ctx, street: str, t: Town, pc: str, kind: str, owner: tuple | None, sep: str = "\n") -> W:
    """Street, town and postcode lines (the town with its postcode or region when it may not stand alone)."""
    w.p(street, kind, owner if kind == "ADDRESS" and owner else None).t(sep)
    town_owner = Ctx.town_owner(t, kind)
    alone = c.can_bare(t.name, town_owner) or not single_word(t.name)
    if t.country == "au":
        if alone and c.rng.random() < 0.6:
            return w.p(t.name.upper() if c.rng.random() < 0.6 else t.name, kind, town_owner).t(" ").p(f"{t.region} {t.code}", kind)
        return w.p(f"{t.name.upper()} {t.region} {t.code}", kind, town_owner)
    if t.country == "nz":
        return w.p(f"{t.name} {t.code}", kind, town_owner)
    if t.country == "ca":
        if alone:
            return w.p(t.name, kind, town_owner).t(f", {t.region} ").p(pc, kind)
        return w.p(f"{t.name}, {t.region}", kind, town_owner).t(" ").p(pc, kind)
    if t.country in ("pl", "de", "nl"):
        return w.p(f"{pc} {t.name}", kind, town_owner)
    if t.country == "ie":
        if not t.region:
            return w.town_pc(t, pc, kind, sep)
        if alone:
            w.p(t.name, kind, town_owner).t(sep).p(t.region, kind, town_owner)
        else:
            w.p(f"{t.name}, {t.region}", kind, town_owner)
        return w.t(sep).p(pc, kind)
    return w.town_pc(t, pc, kind, sep)


def _home(w: W, c: Ctx, ident, country: str, sep: str = "\n") -> W:
    street, t, pc = c.home_address(ident, country)
    return _address_block(w, c, street, t, pc, "ADDRESS", ("pt", ident.mrn), sep)


def _old_relative(ident, r: random.Random) -> tuple[str, int] | None:
    """A parent or older sibling over 89, when the patient's age allows one."""
    if ident.stated_age >= 82 and r.random() < 0.5:
        return r.choice(["sister", "brother"]), r.randrange(max(90, ident.stated_age + 3), max(91, ident.stated_age + 10))
    age = min(103, ident.stated_age + r.randrange(19, 34))
    return (r.choice(["mother", "mother", "father"]), age) if age >= 90 else None


# ---------------------------------------------------------------------------------------------------
# clinical text (no PHI)

REFERRAL_REASONS = [
    ("Cardiology", "exertional chest tightness over the last six weeks, relieved by rest; resting ECG shows T-wave inversion in V4-V6",
     "Ramipril 5mg OD, Atorvastatin 40mg ON, Aspirin 75mg OD"),
    ("Gastroenterology", "a three-month history of altered bowel habit with dark stools and a haemoglobin of 98 g/L (down from 131 last year); FIT positive",
     "Omeprazole 20mg OD, Ferrous fumarate 210mg BD"),
    ("Respiratory Medicine", "persistent cough and breathlessness despite two courses of antibiotics; spirometry FEV1/FVC 0.62",
     "Salbutamol 100mcg inhaler PRN, Fostair 100/6 two puffs BD"),
    ("Rheumatology", "symmetrical small-joint polyarthritis with early morning stiffness lasting two hours; CRP 38, anti-CCP positive",
     "Naproxen 500mg BD, Lansoprazole 30mg OD"),
    ("Neurology", "two episodes of transient right arm weakness and word-finding difficulty, each lasting about twenty minutes",
     "Clopidogrel 75mg OD, Amlodipine 5mg OD"),
    ("Urology", "visible haematuria on two occasions; ex-smoker of 30 pack-years; urine culture negative",
     "Tamsulosin 400mcg OD"),
    ("Endocrinology", "poorly controlled type 2 diabetes (HbA1c 86 mmol/mol) despite triple therapy, with recurrent hypos overnight",
     "Metformin 1g BD, Gliclazide 80mg BD, Sitagliptin 100mg OD"),
    ("Dermatology", "a changing pigmented lesion on the left upper back, 9 mm, irregular border and two colours (2WW)",
     "Nil regular"),
    ("Trauma and Orthopaedics", "progressive right hip pain limiting walking to 200 yards, night pain, X-ray shows severe OA",
     "Co-codamol 30/500 two QDS PRN, Paracetamol 1g QDS"),
    ("ENT", "unilateral left-sided hearing loss and tinnitus for four months; Weber lateralises to the right",
     "Nil regular"),
]

#: Clinic diagnoses by specialty, each with the plan that follows from it.
CLINIC = {
    "Cardiology": [("Paroxysmal atrial fibrillation (CHA2DS2-VASc 3)",
                    "I have started Apixaban 5mg BD and stopped the aspirin; please could you check {his} renal function in four weeks."),
                   ("Palpitations, structurally normal heart", "I have arranged a 24-hour Holter monitor and will review the result in clinic."),
                   ("Stable angina", "I have increased the Bisoprolol to 5mg OD and requested a CT coronary angiogram."),
                   ("Mild LV systolic dysfunction, EF 45%", "I have started Ramipril 1.25mg OD. Please could you arrange a repeat U&E in two weeks.")],
    "Gastroenterology": [("Iron deficiency anaemia", "I have started oral iron and listed {him} for an OGD and colonoscopy."),
                         ("Ulcerative colitis, in remission", "{She} remains well on Mesalazine 2.4g OD and I have discharged {him} back to your care."),
                         ("Coeliac disease", "I have referred {him} to the dietitian and will repeat the tTG in six months.")],
    "Respiratory Medicine": [("COPD, GOLD stage 2", "{She} would benefit from pulmonary rehabilitation and I have referred {him} to the community team."),
                             ("Asthma, poorly controlled", "I have switched {his} inhaler to Fostair 200/6 two puffs BD and arranged a FeNO."),
                             ("Obstructive sleep apnoea (AHI 34)", "{She} has been started on CPAP and the sleep physiologists will review compliance in three months.")],
    "Rheumatology": [("Seropositive rheumatoid arthritis",
                      "I have started Methotrexate 10mg once weekly with folic acid 5mg weekly; the practice will need to arrange shared-care monitoring bloods."),
                     ("Gout", "I have started Allopurinol 100mg OD, titrating to a urate below 300, with colchicine cover."),
                     ("Polymyalgia rheumatica", "Prednisolone 15mg OD has been started with a reducing regime; I have discharged {him} back to your care.")],
    "Neurology": [("Transient ischaemic attack", "Carotid Dopplers have been requested and {she} has been advised not to drive for one month (DVLA guidance)."),
                  ("Migraine without aura", "I have started Propranolol 40mg BD and suggested a headache diary."),
                  ("Carpal tunnel syndrome", "Nerve conduction studies have been requested.")],
    "Diabetes and Endocrinology": [("Type 2 diabetes mellitus", "I have started Semaglutide 0.25mg weekly and referred {him} to the structured education programme."),
                                   ("Primary hypothyroidism", "I have increased the Levothyroxine to 100mcg OD; please repeat the TFTs in six weeks."),
                                   ("Diabetic retinopathy (R1 M0)", "{She} has been referred to the diabetic eye screening service for closer follow-up.")],
    "General Surgery": [("Symptomatic gallstones", "I have listed {him} for a laparoscopic cholecystectomy; the waiting time is currently around 18 weeks."),
                        ("Right inguinal hernia", "I have listed {him} for a laparoscopic mesh repair as a day case."),
                        ("Perianal abscess, drained", "The wound has healed well and I have discharged {him} from the clinic.")],
    "Trauma and Orthopaedics": [("Right hip osteoarthritis", "We discussed a total hip replacement and {she} wishes to proceed; {she} has been added to the waiting list."),
                                ("Rotator cuff tendinopathy, right shoulder", "I have given a steroid injection today and referred {him} to physiotherapy."),
                                ("Left knee pain, query meniscal tear", "An MRI has been requested and I will review {him} with the result.")],
    "Urology": [("Benign prostatic enlargement with LUTS", "I have started Tamsulosin 400mcg OD and arranged a flow rate study."),
                ("Left renal calculus, 6 mm", "{She} has been listed for ureteroscopy and laser fragmentation."),
                ("Recurrent urinary tract infections", "I have arranged a flexible cystoscopy and an ultrasound of the renal tract.")],
}
SECOND_DIAGNOSES = ["Hypertension", "Type 2 diabetes", "Hypercholesterolaemia", "Osteoarthritis", "Previous DVT", "Depression", "CKD stage 3a"]
SURGICAL = ("General Surgery", "Trauma and Orthopaedics", "Urology")
CONSULTANT_ROLE = {"Cardiology": ("Cardiologist", "MD FRCP"), "Gastroenterology": ("Gastroenterologist", "MBBS PhD FRCP"),
                   "Respiratory Medicine": ("Respiratory Physician", "BSc MBChB FRCP"), "Rheumatology": ("Rheumatologist", "MD FRCP"),
                   "Neurology": ("Neurologist", "PhD FRCP"), "Diabetes and Endocrinology": ("Diabetologist", "MBChB FRCP"),
                   "General Surgery": ("General Surgeon", "FRCS"), "Trauma and Orthopaedics": ("Orthopaedic Surgeon", "FRCS (Tr&Orth)"),
                   "Urology": ("Urological Surgeon", "FRCS (Urol)")}

AU_DIAGNOSES = [("Community-acquired pneumonia", "IV ceftriaxone and oral azithromycin, stepped down to oral amoxicillin on day 3", "General Medicine"),
                ("Cellulitis left lower leg", "IV flucloxacillin 2g QID, marked improvement, changed to oral cefalexin", "General Medicine"),
                ("Acute exacerbation of COPD", "nebulised salbutamol, prednisolone 40mg for 5 days and doxycycline", "Respiratory"),
                ("Fast atrial fibrillation", "rate control with metoprolol; apixaban commenced after discussion", "Cardiology"),
                ("Fall with left neck of femur fracture", "left hemiarthroplasty on day 1 under Orthopaedics, mobilising with a frame", "Orthogeriatrics"),
                ("Urosepsis", "IV gentamicin then oral trimethoprim as per sensitivities, blood cultures negative", "Geriatric Medicine"),
                ("Decompensated cardiac failure", "IV frusemide, 4.2 kg diuresis, TTE showed EF 30%", "Cardiology")]

ED_COMPLAINTS = [("fall on outstretched hand", "tender anatomical snuffbox, X-ray no obvious fracture", "Query scaphoid fracture",
                  "Futura splint applied, review in fracture clinic"),
                 ("chest pain", "ECG sinus rhythm, no ST changes, two troponins negative", "Non-cardiac chest pain",
                  "discharged with GP follow-up and advice"),
                 ("laceration to forehead after a fall", "2.5 cm laceration, no LOC, GCS 15", "Simple laceration",
                  "closed with Steri-Strips and glue, head injury advice given"),
                 ("shortness of breath", "SpO2 91% on air, wheeze bilaterally, PEFR 45% predicted", "Acute asthma, moderate",
                  "nebulised salbutamol x3, prednisolone 40mg, discharged when PEFR > 75%"),
                 ("left ankle injury playing football", "Ottawa rules positive, X-ray shows undisplaced lateral malleolus fracture",
                  "Weber A fracture left ankle", "walking boot, weight bearing as tolerated, fracture clinic"),
                 ("abdominal pain", "RIF tenderness, WCC 14.2, CRP 62", "Query appendicitis", "referred to surgical team, admitted"),
                 ("headache", "no neurological deficit, CT brain normal", "Tension-type headache", "analgesia, GP follow-up")]

MDT_SITES = [("Lung", "CT chest/abdomen/pelvis shows a 34 mm spiculated right upper lobe mass with ipsilateral hilar nodes",
              "EBUS-TBNA: adenocarcinoma, PD-L1 60%", "T2aN1M0, stage IIB", "For lobectomy if PFTs adequate; refer to thoracic surgeons"),
             ("Upper GI", "CT shows thickening at the gastro-oesophageal junction, no distant disease; PET-CT pending",
              "OGD biopsies: moderately differentiated adenocarcinoma", "T3N1M0", "Neoadjuvant FLOT chemotherapy then re-stage"),
             ("Colorectal", "CT shows a sigmoid tumour, two indeterminate liver lesions; MRI liver recommended",
              "Colonoscopy biopsies: adenocarcinoma, MMR proficient", "T3N0M?", "MRI liver then re-discuss"),
             ("Breast", "Mammogram/US: 19 mm mass at 2 o'clock left breast, axilla normal on US",
              "Core biopsy: invasive ductal carcinoma grade 2, ER 8/8, HER2 negative", "T1cN0", "Wide local excision and sentinel node biopsy"),
             ("Urology", "MRI prostate PI-RADS 5 lesion left peripheral zone; bone scan negative",
              "Transperineal biopsy: Gleason 4+3=7, 6 of 18 cores", "T2cN0M0, CPG 3", "Discuss radical prostatectomy vs radiotherapy with hormones"),
             ("Haematology", "CT neck/chest/abdomen: bulky mesenteric and para-aortic lymphadenopathy",
              "Excision biopsy: diffuse large B-cell lymphoma", "Stage IIIA, IPI 2", "R-CHOP x6; PET after cycle 2")]

PHYSIO_PROBLEMS = [("low back pain with left-sided sciatica", "lifting at work", "SLR L 40° reproduces leg pain, reduced L5 sensation",
                    "McKenzie extension exercises, graded activity, advice to stay at work on modified duties"),
                   ("right shoulder pain", "a fall onto the shoulder", "painful arc 70-120°, Hawkins-Kennedy positive, strength 4/5 ER",
                    "rotator cuff loading programme, posture advice"),
                   ("left knee pain", "twisting injury playing sport", "effusion +, McMurray positive medially, full extension",
                    "quadriceps strengthening, review MRI result when available"),
                   ("neck pain and stiffness", "a rear-end car collision", "cervical rotation R 50° L 70°, no neurological signs",
                    "mobility exercises, heat, return to driving when rotation is comfortable"),
                   ("right Achilles tendinopathy", "increased running mileage", "tender 4 cm above insertion, hop test painful",
                    "eccentric heel drops 3x15 twice daily, running load reduced")]

CMHT_MSE = ["Casually dressed, good eye contact, speech normal rate and volume. Mood 'up and down', affect reactive. "
            "No formal thought disorder. Denies thoughts of self-harm.",
            "Unkempt, poor eye contact, speech quiet. Describes mood as 'flat'. Some passive death wishes, no plans or intent; protective factors discussed.",
            "Pressured speech, flight of ideas, reduced need for sleep for about a week. Grandiose ideas about a business venture. No insight.",
            "Calm and settled. Continues to hear a male voice occasionally, less distressing. No command hallucinations. Good insight.",
            "Anxious, tearful at times. Reports panic attacks three to four times a week. Sleep poor, appetite reduced."]
CMHT_MEDS = ["Aripiprazole depot 400mg monthly", "Paliperidone palmitate 100mg monthly", "Zuclopenthixol decanoate 200mg two-weekly",
             "Lithium 800mg nocte (last level 0.6)", "Sertraline 100mg OD", "Olanzapine 10mg nocte", "Clozapine 350mg daily (FBC fortnightly)"]

#: (diagnosis, course, recommendations, department in Polish, German, Dutch)
TRANSLATED_DX = [("I21.4 Non-ST elevation myocardial infarction", "Coronary angiography: 90% stenosis of the LAD, treated with a drug-eluting stent",
                  "acetylsalicylic acid 75 mg, ticagrelor 90 mg twice daily for 12 months, atorvastatin 80 mg, bisoprolol 2.5 mg",
                  ("Oddział Kardiologii", "Medizinische Klinik I - Kardiologie", "afdeling Cardiologie")),
                 ("J18.9 Community-acquired pneumonia", "Chest X-ray: consolidation in the right lower lobe; CRP 186 mg/l on admission",
                  "amoxicillin with clavulanic acid 875/125 mg twice daily for a further 5 days",
                  ("Oddział Chorób Wewnętrznych", "Medizinische Klinik II - Pneumologie", "afdeling Longziekten")),
                 ("K80.1 Cholecystolithiasis with cholecystitis", "Laparoscopic cholecystectomy, uneventful post-operative course",
                  "metamizole 500 mg as required, removal of sutures at the GP on day 10",
                  ("Oddział Chirurgii Ogólnej", "Klinik für Allgemein- und Viszeralchirurgie", "afdeling Chirurgie")),
                 ("I63.5 Ischaemic stroke, left MCA territory", "CT/CTA: occlusion of the M2 segment; intravenous thrombolysis (alteplase) given",
                  "clopidogrel 75 mg, atorvastatin 40 mg, speech therapy and neurological rehabilitation",
                  ("Oddział Neurologii z Pododdziałem Udarowym", "Klinik für Neurologie - Stroke Unit", "afdeling Neurologie")),
                 ("S72.0 Fracture of the femoral neck, right", "Cemented hemiarthroplasty; mobilised with a walking frame from day 2",
                  "enoxaparin 40 mg s.c. for 35 days, paracetamol 1 g three times daily",
                  ("Oddział Ortopedii i Traumatologii", "Klinik für Unfallchirurgie und Orthopädie", "afdeling Orthopedie")),
                 ("E11.65 Type 2 diabetes with hyperglycaemia", "HbA1c 11.2%; insulin therapy started, diabetes education completed",
                  "insulin glargine 18 units in the evening, metformin 1000 mg twice daily",
                  ("Oddział Chorób Wewnętrznych i Diabetologii", "Medizinische Klinik III - Endokrinologie und Diabetologie", "afdeling Interne Geneeskunde"))]

NL_TITLES = {"Cardiologie": "cardioloog", "Longziekten": "longarts", "Chirurgie": "chirurg", "Neurologie": "neuroloog",
             "Orthopedie": "orthopedisch chirurg", "Geneeskunde": "internist"}

CA_REASONS = [("Cardiology", "palpitations and presyncope", "Holter: paroxysmal SVT, longest run 22 beats", "refer for EP study and ablation; metoprolol 25 mg BID meanwhile"),
              ("Endocrinology", "a thyroid nodule found on carotid ultrasound", "US: 2.3 cm TI-RADS 4 nodule, TSH normal", "FNA booked; will call with results"),
              ("Gastroenterology", "chronic diarrhea and weight loss", "tTG-IgA 128 U/mL", "gastroscopy with duodenal biopsies; gluten-free diet after biopsy"),
              ("Respirology", "chronic cough", "PFTs: reversible obstruction, FeNO 62 ppb", "ICS/LABA started, review in 3 months"),
              ("Nephrology", "declining eGFR", "eGFR 38, ACR 45 mg/mmol", "SGLT2 inhibitor started, BP target < 130/80, repeat labs in 6 weeks")]

CARE_HOME_REASONS = ["Unwitnessed fall at {t}, found on the bedroom floor by the night carer. Complaining of right hip pain, leg shortened and externally rotated.",
                     "Increased confusion and drowsiness since yesterday, temperature 38.4, SpO2 89% on air, productive cough.",
                     "Reduced oral intake for three days, not passing urine since this morning, BP 88/50.",
                     "Choking episode at tea time, coughing and breathless afterwards, crackles right base.",
                     "Fall at {t} with a laceration to the back of the head; on apixaban."]

YOUNG_RESIDENT_REASONS = ["Tonic-clonic seizure lasting six minutes at {t}, buccal midazolam 10mg given, drowsy since.",
                          "PEG tube dislodged at {t}, site covered, last feed at 06:00.",
                          "Temperature 38.9, productive cough and increased secretions since last night, SpO2 91% on air.",
                          "Fall from wheelchair at {t}, unable to weight bear on the left leg."]
YOUNG_BASELINES = ["learning disability, non-verbal, communicates with Makaton", "acquired brain injury, wheelchair user, needs two carers",
                   "cerebral palsy, PEG-fed, full assistance with personal care", "autism, needs familiar staff and a quiet space"]

#: (message, what was done: "advice" / "results" / "prescription")
TRIAGE_ISSUES = [("requesting a home visit: mum more confused today and not eating", "advice"),
                 ("asking for the results of the blood tests taken last week", "results"),
                 ("reports a rash after starting the new antibiotic, no swelling of lips or tongue", "prescription"),
                 ("wants a repeat prescription of the inhalers before going away", "prescription"),
                 ("calling about increasing ankle swelling and breathlessness lying flat", "advice"),
                 ("asking whether the X-ray report has come back", "results"),
                 ("reports vomiting since last night, unable to keep fluids down", "advice")]


# ---------------------------------------------------------------------------------------------------
# the styles


def gp_referral(w: W, c: Ctx, ident, staff, when: date) -> W:
    """A UK GP's referral letter to a hospital consultant."""
    r = c.rng
    gp, practice, ptown = c.gp(ident, "uk")
    specialty, history, meds = r.choice(REFERRAL_REASONS)
    cons = _who_staff(r.choice(_staff(staff, "attending")))
    she, her, her2 = _pron(ident.sex)
    pstreet, ppc = c.practice_address(ident, "uk")
    w.p(practice, "HOSPITAL").t("\n").p(pstreet, "LOCATION").t("\n").town_pc(ptown, ppc, "ADDRESS", "\n")
    w.t("\nTel: ").p(c.phone(ptown), "PHONE").t("   Fax: ").p(c.phone(ptown), "PHONE").t("\n")
    if r.random() < 0.4:
        code = c.patient_cached(ident, "practice-code", lambda: f"{r.choice('ABCDFGHJKLMNPY')}{r.randrange(81, 89)}{_digits(r, 3)}")
        w.t("Email: ").p(f"{r.choice(['england', 'gpsurgery', 'practice'])}.{code.lower()}@nhs.net", "EMAIL").t("\n")
    w.t("\n").p(d_uk(when, r), "DATE").t("\n\n")
    named = r.random() < 0.6
    if named:
        _dr(w, cons, r, after="\n")
    else:
        w.t(f"The Consultant {specialty}\n")
    w.t(f"{specialty} Outpatients\n").p(c.home_uk(), "HOSPITAL").t("\n\n")
    if named:
        w.t("Dear ")
        _dr(w, cons, r, full=0.0, after=",\n\n")
    else:
        w.t(r.choice(["Dear Colleague,\n\n", "Dear Doctor,\n\n", "Dear Sir/Madam,\n\n"]))
    w.t("Re: ")
    _pt_name(w, ident, r)
    w.t("   DOB: ").p(d_uk(ident.birth_date, r), "DATE").t("\n     NHS No: ").p(c.nhs(ident), "MRN").t("\n     ")
    _home(w, c, ident, "uk", sep=", ")
    if r.random() < 0.5:
        w.t("\n     Tel: ").p(c.phone(c.home_address(ident, "uk")[1], mobile=True), "PHONE")
    w.t("\n\n")
    if "2WW" in history:
        w.t("URGENT SUSPECTED CANCER REFERRAL (2WW)\n\n")
    w.t(f"Thank you for seeing this {ident.stated_age}-year-old {'lady' if ident.sex == 'female' else 'gentleman'} who ")
    w.t("first presented to me on ").p(d_uk(when - timedelta(days=r.randrange(20, 90)), r), "DATE").t(f" with {history}.\n\n")
    w.t(f"Past medical history: {r.choice(['hypertension', 'type 2 diabetes', 'hypothyroidism', 'asthma', 'depression'])}, ")
    w.t(f"{r.choice(['osteoarthritis', 'previous DVT', 'GORD', 'hypercholesterolaemia'])}")
    if r.random() < 0.5:
        w.t(", appendicectomy in ").p(str(ident.birth_date.year + r.randrange(12, 30)), "DATE")
    w.t(f".\nCurrent medication: {meds}.\nAllergies: {r.choice(['Penicillin (rash)', 'NKDA', 'Codeine (vomiting)'])}.\n\n")
    w.t("Social history: ")
    spouse = next((x for x in ident.relatives if x.role in ("wife", "husband")), None)
    if spouse:
        w.t(f"{she.capitalize()} lives with {her2} ")
        _rel(w, ident, spouse, r)
        w.t(" in ")
        w.town(c.home_address(ident, "uk")[1], "ADDRESS", ". ")
    else:
        w.t(f"{she.capitalize()} lives alone. ")
    if ident.stated_age < 66:
        job, employer = c.job("uk")
        w.t(f"{she.capitalize()} works as {'an' if job[0] in 'aeiouAEIOUH' else 'a'} {job} at ").p(employer, "LOCATION").t(". ")
    else:
        w.t(f"{she.capitalize()} is retired. ")
    kids = [x for x in ident.relatives if x.role in ("daughter", "son")]
    if kids and r.random() < 0.7:
        w.t(f"{her2.capitalize()} {kids[0].role} ")
        _rel(w, ident, kids[0], r, word="")
        w.t(" will accompany " + her + " to appointments and can be contacted on ").p(c.phone(c.town("uk"), mobile=True), "PHONE").t(". ")
    w.t(f"{r.choice(['Non-smoker', 'Ex-smoker', 'Current smoker, 10/day'])}, alcohol {r.randrange(0, 20)} units/week.\n\n")
    if r.random() < 0.5:
        w.t(f"{she.capitalize()} was previously seen by ")
        _dr(w, c.person("en_GB", word=r.random() < 0.3), r)
        w.t(" at ").p(c.outside_hospital("uk"), "HOSPITAL").t(" in ").p(str(when.year - r.randrange(2, 9)), "DATE")
        w.t(" and would prefer to be seen locally if possible.\n\n")
    w.t("I would be grateful for your opinion and further management.\n")
    _sign(w, gp, r, "General Practitioner", r.choice(["MBChB MRCGP", "MB BS DRCOG MRCGP", "BM BCh MRCGP", "MBChB"]))
    if r.random() < 0.5:
        w.t("GMC No. ").p(f"{r.randrange(6, 8)}{_digits(r, 6)}", "MRN").t("\n")
    return w


def clinic_letter(w: W, c: Ctx, ident, staff, when: date) -> W:
    """A UK hospital outpatient clinic letter back to the GP, with cc list."""
    r = c.rng
    gp, practice, ptown = c.gp(ident, "uk")
    cons = _who_staff(r.choice(_staff(staff, "attending")))
    reg = _who_staff(r.choice(_staff(staff, "resident")))
    sec = c.person("en_GB", sex="f")
    specialty = r.choice(sorted(CLINIC))
    dx, plan = r.choice(CLINIC[specialty])
    she, her, her2 = _pron(ident.sex)
    surgeon = specialty in SURGICAL
    ctitle = ("Miss" if _female(cons.given) else "Mr") if surgeon else "Dr"
    w.p(c.uk_trust, "HOSPITAL").t("\n")
    w.t(f"Department of {specialty}\n").p(c.home_uk(), "HOSPITAL").t("\n")
    w.p(c.uk_street, "LOCATION").t(", ")
    w.town_pc(c.uk_town, c.uk_postcode, "LOCATION").t("\n")
    w.t("Secretary: ")
    _person_any(w, sec, "PROVIDER", r, bare=0.0)
    w.t("  Tel: ").p(c.phone(c.uk_town), "PHONE")
    if r.random() < 0.6:
        w.t(" ").p(f"{r.choice(['ext.', 'ext', 'Ext'])} {r.randrange(2000, 7999)}", "PHONE")
    w.t("\n")
    if r.random() < 0.3:
        w.t("Email: ").p(c.email(sec, "nhs.net"), "EMAIL").t("\n")
    w.t("\nConsultant: ")
    _dr(w, cons, r, title=ctitle, full=0.6)
    w.t("\nOur ref: ").p(f"{cons.given[0]}{cons.family[0]}/{sec.given[0]}{sec.family[0]}".upper() + f"/{_digits(r, 4)}", "MRN")
    w.t("\nHosp No: ").p(c.hosp_no(ident) if r.random() < 0.7 else ident.mrn, "MRN").t("    NHS No: ").p(c.nhs(ident), "MRN").t("\n")
    seen = when - timedelta(days=r.randrange(3, 20))
    w.t("Clinic date: ").p(d_uk(seen, r), "DATE").t("   Dictated: ").p(d_uk(seen, r), "DATE")
    w.t("   Typed: ").p(d_uk(when, r), "DATE").t("\n\n")
    w.t("Dr ").p(gp.full, "PROVIDER", gp.owner).t("\n").p(practice, "HOSPITAL").t("\n")
    pstreet, ppc = c.practice_address(ident, "uk")
    w.p(pstreet, "LOCATION").t("\n").town_pc(ptown, ppc, "ADDRESS", "\n").t("\n\n")
    w.t("Dear ")
    _dr(w, gp, r, full=0.0, after=",\n\n")
    w.t("Re: ")
    _pt_name(w, ident, r, r.choice(["title_caps", "title_plain", "caps_comma"]))
    w.t(", DOB ").p(d_uk(ident.birth_date, r), "DATE").t("\n     ")
    _home(w, c, ident, "uk", sep=", ")
    w.t("\n\nDiagnoses:\n")
    for i, d in enumerate([dx] + r.sample(SECOND_DIAGNOSES, r.randrange(1, 3)), 1):
        w.t(f"{i}. {d}\n")
    w.t("\n")
    w.t("I reviewed ")
    _pt_ref(w, ident, r)
    w.t(" in the clinic today")
    if ident.relatives and r.random() < 0.6:
        rel = r.choice(ident.relatives)
        w.t(f", accompanied by {her2} ")
        _rel(w, ident, rel, r, word=rel.role)
    w.t(f". {she.capitalize()} reports {r.choice(['feeling much better', 'ongoing symptoms', 'no further episodes', 'some improvement'])} since ")
    w.p(d_short(seen - timedelta(days=r.randrange(30, 120)), r), "DATE")
    w.t(f". On examination BP {r.randrange(110, 165)}/{r.randrange(60, 95)}, pulse {r.randrange(55, 100)}.\n\n")
    his = her2
    w.t(plan.format(She=she.capitalize(), she=she, him=her, his=his), " ")
    if "discharged" in plan:
        w.t("I would be happy to see " + her + " again should the need arise.")
    elif r.random() < 0.6:
        w.t("I will see " + her + " again in the clinic on ").p(d_uk(when + timedelta(days=r.randrange(40, 200)), r), "DATE").t(".")
    else:
        w.t("A follow-up appointment will be sent in six months.")
    w.t("\n")
    signer = reg if r.random() < 0.4 else cons
    role, quals = CONSULTANT_ROLE[specialty]
    if signer is reg:
        w.t("\n", r.choice(["Yours sincerely,\n\n", "Kind regards,\n\n"])).t("Dr ").p(reg.full, "PROVIDER", reg.owner)
        w.t(f"\nSpecialty Registrar (ST{r.randrange(3, 8)}) to ")
        w.p(f"{ctitle} {cons.family}", "PROVIDER", cons.owner).t("\n")
    else:
        _sign(w, cons, r, f"Consultant {role}", quals, title=ctitle)
    w.t("\ncc: ")
    _pt_name(w, ident, r, "title_plain")
    w.t(", ")
    _home(w, c, ident, "uk", sep=", ")
    if r.random() < 0.5:
        w.t("\ncc: ")
        _dr(w, c.person("en_GB", word=r.random() < 0.3), r, full=0.7, after=", ")
        w.p(c.outside_hospital("uk"), "HOSPITAL")
    w.t("\n")
    return w


def discharge_au(w: W, c: Ctx, ident, staff, when: date) -> W:
    """An Australian hospital discharge summary."""
    r = c.rng
    street, t, pc = c.home_address(ident, "au")
    gp, practice, gtown = c.gp(ident, "au")
    cons = _who_staff(r.choice(_staff(staff, "attending")))
    reg = _who_staff(r.choice(_staff(staff, "resident")))
    rmo = c.person("en_AU")
    dx, course, unit = r.choice(AU_DIAGNOSES)
    adm = when - timedelta(days=r.randrange(2, 12))
    w.p(c.au_hospital.upper() if r.random() < 0.5 else c.au_hospital, "HOSPITAL").t("\n").p(c.au_lhd, "HOSPITAL")
    w.t(" | ").p(c.phone(c.au_town), "PHONE").t("\n\nDISCHARGE SUMMARY\n\n")
    w.t("Patient: ").p(f"{ident.family.upper()}, {ident.given}", "PATIENT", ("pt", ident.mrn))
    w.t("    UR No: ").p(c.patient_cached(ident, "ur", lambda: _digits(r, 7) if r.random() < 0.6 else "00" + _digits(r, 6)), "MRN")
    w.t(f"    Sex: {'F' if ident.sex == 'female' else 'M'}\nDOB: ").p(d_au(ident.birth_date, r), "DATE")
    w.t(f"  (Age {ident.stated_age})\nAddress: ")
    _address_block(w, c, street, t, pc, "ADDRESS", ("pt", ident.mrn), sep=", ")
    w.t("\nMedicare No: ").p(c.patient_cached(ident, "medicare", lambda: medicare_number(r)), "INSURANCE")
    w.t(f"  IRN {r.randrange(1, 5)}")
    if r.random() < 0.2:
        w.t("   DVA Gold Card: ").p(f"{r.choice(['N', 'V', 'Q'])}X{_digits(r, 6)}", "INSURANCE")
    w.t("\n\nAdmission: ").p(d_au(adm, r), "DATE").t("    Discharge: ").p(d_au(when, r), "DATE")
    w.t(f"\nWard: {r.choice(['7 East', 'Ward 4B', 'AMU', 'Ward 9 North'])}   Unit: {unit}\n")
    w.t("Consultant: ")
    _dr(w, cons, r)
    w.t("   Registrar: ")
    _dr(w, reg, r)
    w.t("\nGP: ")
    _dr(w, gp, r, full=0.6)
    w.t(", ").p(practice, "HOSPITAL").t(", ")
    w.town(gtown, "ADDRESS")
    w.t("  Ph ").p(c.phone(gtown), "PHONE").t("  Fax ").p(c.phone(gtown), "PHONE")
    w.t(f"\n\nPRINCIPAL DIAGNOSIS: {dx}\n")
    w.t(f"COMORBIDITIES: {', '.join(r.sample(['T2DM', 'HTN', 'CKD stage 3', 'AF on apixaban', 'COPD', 'OSA on CPAP', 'Osteoporosis', 'Dementia (mild)'], 3))}\n\n")
    w.t("CLINICAL SUMMARY:\nPresented to ED on ").p(d_au(adm, r), "DATE")
    w.t(f" with {r.choice(['3 days of', 'a 1-week history of', 'acute onset of'])} symptoms. Managed with {course}. ")
    if r.random() < 0.5:
        w.t("Reviewed by Physiotherapy and OT; home safety assessment completed. ")
    w.t("\n\nDISCHARGE MEDICATIONS: as per attached medication list (changes: "
        f"{r.choice(['new apixaban 5mg BD', 'frusemide increased to 40mg mane', 'ceased gliclazide', 'nil'])}).\n\n")
    w.t("FOLLOW UP:\n- GP review within 1 week")
    if r.random() < 0.7:
        w.t(f"\n- {unit} outpatient clinic ").p(d_au(when + timedelta(days=r.randrange(14, 60)), r), "DATE")
    if r.random() < 0.4:
        w.t("\n- Hospital in the Home nurse visit ").p(d_short(when + timedelta(days=1), r), "DATE")
    w.t("\n\nNext of kin: ")
    if ident.relatives:
        rel = ident.relatives[0]
        w.p(rel.full, "RELATIVE", ("pt", ident.mrn)).t(f" ({rel.role}) ").p(c.phone(t, mobile=True), "PHONE")
    else:
        role, who = _extra_rel(c, ident, "en_AU")
        w.p(who.full, "RELATIVE", who.owner).t(f" ({role}) ").p(c.phone(t, mobile=True), "PHONE")
    w.t("\nDischarge destination: ")
    if ident.stated_age > 75 and r.random() < 0.4:
        w.p(c.care_home("au"), "HOSPITAL").t(" (respite)")
    else:
        w.t("Usual residence")
    w.t("\n\nCompleted by: Dr ")
    w.p(rmo.full, "PROVIDER", rmo.owner).t(f" ({r.choice(['RMO', 'Intern', 'Resident'])}) ")
    w.p(c.bleep() if r.random() < 0.4 else c.phone(c.au_town), "PHONE").t("  ").p(d_au(when, r), "DATE").t("\n")
    return w


def ed_ireland(w: W, c: Ctx, ident, staff, when: date) -> W:
    """An Irish emergency department attendance summary."""
    r = c.rng
    street, t, pc = c.home_address(ident, "ie")
    gp, practice, gtown = c.gp(ident, "ie")
    sho = c.person("en_IE")
    reg = _who_staff(r.choice(_staff(staff, "resident")))
    cons = _who_staff(r.choice(_staff(staff, "attending")))
    pc_, exam, dx, disp = r.choice(ED_COMPLAINTS)
    w.p(c.ie_hospital, "HOSPITAL").t("\nEmergency Department")
    w.t(" - Tel ").p(c.phone(c.ie_town), "PHONE").t("\n")
    w.t(r.choice(["ED DISCHARGE SUMMARY", "Emergency Department Attendance Record", "ED Attendance Summary for GP"]), "\n\n")
    w.t("MRN: ").p(c.patient_cached(ident, "ie_mrn", lambda: _digits(r, 6) if r.random() < 0.5 else "0" + _digits(r, 6)), "MRN")
    w.t("     Attendance: ").p(d_uk(when, r), "DATE").t(f" {clock(r)}\n")
    w.t("Name: ")
    _pt_name(w, ident, r, r.choice(["caps_comma", "plain", "all_caps"]))
    w.t("   DOB: ").p(d_uk(ident.birth_date, r), "DATE").t("\nAddress: ")
    _address_block(w, c, street, t, pc, "ADDRESS", ("pt", ident.mrn), sep=", ")
    w.t("\nPhone: ").p(c.phone(t, mobile=True), "PHONE").t("\n")
    if r.random() < 0.5:
        w.t("Medical card no.: ").p(c.patient_cached(ident, "gms", lambda: f"{_digits(r, 7)}{r.choice('ABCDEFHKLMPRTW')}"), "INSURANCE")
    else:
        w.t(f"Health insurance: {r.choice(['VHI', 'Laya Healthcare', 'Irish Life Health'])} ").p(
            c.patient_cached(ident, "ie_ins", lambda: f"{_digits(r, 8)}"), "INSURANCE")
    w.t("\nGP: ")
    _dr(w, gp, r, full=0.6)
    w.t(", ").p(practice, "HOSPITAL").t("\nNOK: ")
    if ident.relatives:
        rel = r.choice(ident.relatives)
        w.p(rel.full, "RELATIVE", ("pt", ident.mrn)).t(f" ({rel.role}) ").p(c.phone(t, mobile=True), "PHONE")
    else:
        role, who = _extra_rel(c, ident, "en_IE")
        w.p(who.full, "RELATIVE", who.owner).t(f" ({role}) ").p(c.phone(t, mobile=True), "PHONE")
    w.t(f"\n\nTriage category: {r.randrange(2, 5)} (Manchester Triage System)   Arrived: ")
    arrival = r.randrange(3)
    if arrival == 0:
        w.t("NAS ambulance")
    elif arrival == 1:
        w.t("self-presented")
    else:
        role, who = _extra_rel(c, ident, "en_IE")
        w.t(f"brought in by {role} ")
        _person_any(w, who, "RELATIVE", r, bare=0.5)
    w.t(f"\n\nPC: {pc_}.\nHx: Onset ")
    w.p(d_short(when - timedelta(days=r.randrange(0, 3)), r), "DATE")
    w.t(f". {r.choice(['No PMH of note.', 'PMH: HTN, T2DM.', 'PMH: asthma.', 'PMH: AF on warfarin.'])} ")
    if r.random() < 0.5 and any(x in pc_ for x in ("fall", "injury", "laceration")):
        w.t("Was at ").p(c.club("ie", ident.stated_age)[1], "LOCATION").t(" when it happened. ")
    w.t(f"\nO/E: {exam}.\nDx: {dx}.\nPlan: {disp}")
    if "clinic" in disp:
        w.t(" on ").p(d_uk(when + timedelta(days=r.randrange(3, 10)), r), "DATE")
    w.t(".\n\nSeen by Dr ")
    w.p(sho.full, "PROVIDER", sho.owner).t(" (SHO), discussed with ")
    _dr(w, reg, r, after=" (Registrar). ")
    w.t("Consultant: ")
    _dr(w, cons, r, full=0.5)
    w.t(".\nPlease see in the surgery if symptoms persist.\n")
    return w


def mdt_outcome(w: W, c: Ctx, ident, staff, when: date) -> W:
    """A UK cancer multidisciplinary team meeting outcome."""
    r = c.rng
    site, radiology, histo, stage, outcome = r.choice(MDT_SITES)
    chair = _who_staff(r.choice(_staff(staff, "attending")))
    onc = c.person("en_GB")
    rad = c.person("en_GB", word=r.random() < 0.3)
    path = c.person("en_GB")
    cns = c.person("en_GB", sex="f")
    spr = _who_staff(r.choice(_staff(staff, "resident")))
    coord = c.person("en_GB")
    gp, practice, _ = c.gp(ident, "uk")
    she, her, her2 = _pron(ident.sex)
    w.p(c.uk_trust, "HOSPITAL").t(f"\n{site.upper()} CANCER MDT - OUTCOME FORM\n\n")
    w.t("MDT date: ").p(d_uk(when, r), "DATE").t("   Chair: ")
    _dr(w, chair, r, title="Mr" if site in ("Upper GI", "Colorectal", "Urology") and r.random() < 0.6 else "Dr")
    w.t("\nPatient: ")
    _pt_name(w, ident, r, r.choice(["caps_comma", "all_caps", "title_caps"]))
    w.t("   DOB: ").p(d_uk(ident.birth_date, r), "DATE")
    if r.random() < 0.3:
        w.t("   CHI: ").p(c.patient_cached(ident, "chi", lambda: chi_number(ident.birth_date, ident.sex == "female", r)), "MRN")
    else:
        w.t("   NHS: ").p(c.nhs(ident), "MRN")
    w.t("   Hosp No: ").p(c.hosp_no(ident), "MRN").t("\n")
    w.t("Referring clinician: ")
    _dr(w, c.person("en_GB", word=r.random() < 0.3), r, after=", ")
    w.p(c.outside_hospital("uk"), "HOSPITAL").t("\nGP: ")
    _dr(w, gp, r, full=0.6, after=", ")
    w.p(practice, "HOSPITAL").t("\n\nPresent: ")
    w.p(f"{chair.given[0]} {chair.family}", "PROVIDER", chair.owner).t(" (Consultant), ")
    w.p(onc.full, "PROVIDER", onc.owner).t(" (Consultant Clinical Oncologist), ")
    _dr(w, rad, r, after=" (Radiology), ")
    w.p(path.full, "PROVIDER", path.owner).t(" (Histopathology), ")
    _person_any(w, cns, "PROVIDER", r, bare=0.5, after=" (CNS), ")
    _dr(w, spr, r, after=" (SpR), ")
    w.p(coord.full, "PROVIDER", coord.owner).t(" (MDT coordinator)\n\n")
    w.t(f"Clinical summary: {ident.stated_age}{'F' if ident.sex == 'female' else 'M'}, PS {r.randrange(0, 3)}. ")
    w.t("Referred on the 2WW pathway, first seen ").p(d_uk(when - timedelta(days=r.randrange(14, 40)), r), "DATE").t(".\n")
    w.t("Radiology: ").p(d_uk(when - timedelta(days=r.randrange(5, 14)), r), "DATE").t(f" - {radiology}.\n")
    w.t("Histology: ").p(f"{r.choice(['H', 'S', 'C'])}{when.year % 100}/{r.randrange(10000, 99999)}", "MRN").t(f" - {histo}.\n")
    w.t(f"Stage: {stage}\n\nMDT OUTCOME: {outcome}.\n\nActions:\n1. ")
    _dr(w, chair, r, full=0.0, after=" to see patient in clinic on ")
    w.p(d_uk(when + timedelta(days=r.randrange(3, 12)), r), "DATE").t(" to discuss.\n2. CNS to contact patient")
    if ident.relatives:
        rel = ident.relatives[0]
        w.t(f" ({she} has asked that {her2} {rel.role} ")
        _rel(w, ident, rel, r, word="")
        w.t(" is present)")
    w.t(".\n3. GP to be informed.\n\nKey worker: ")
    w.p(cns.full, "PROVIDER", cns.owner).t(f", {site} Clinical Nurse Specialist, tel ").p(c.phone(c.uk_town), "PHONE")
    if r.random() < 0.6:
        w.t(" / ").p(c.bleep(), "PHONE")
    w.t("\nPatient aware of diagnosis: ", r.choice(["Yes", "Yes", "Not yet - to be told in clinic"]), "\n")
    return w


def physio(w: W, c: Ctx, ident, staff, when: date) -> W:
    """A physiotherapy outpatient assessment (New Zealand with an ACC claim, or UK)."""
    r = c.rng
    nz = r.random() < 0.55
    country = "nz" if nz else "uk"
    problem, cause, objective, plan = r.choice(PHYSIO_PROBLEMS)
    pt = c.person("en_NZ" if nz else "en_GB")
    gp, practice, _ = c.gp(ident, country)
    she, her, her2 = _pron(ident.sex)
    w.p(c.nz_hospital if nz else c.home_uk(), "HOSPITAL")
    w.t(" - Physiotherapy Department\n", r.choice(["MUSCULOSKELETAL OUTPATIENT ASSESSMENT", "Physiotherapy Initial Assessment",
                                                   "PHYSIOTHERAPY - NEW PATIENT"]), "\n\n")
    w.t("Name: ")
    _pt_name(w, ident, r, r.choice(["plain", "caps_comma"]))
    w.t("   DOB: ").p(d_au(ident.birth_date, r) if nz else d_uk(ident.birth_date, r), "DATE")
    if nz:
        w.t("   NHI: ").p(c.patient_cached(ident, "nhi", lambda: nhi_number(r)), "MRN")
    else:
        w.t("   NHS No: ").p(c.nhs(ident), "MRN")
    w.t("\nDate: ").p(d_au(when, r) if nz else d_uk(when, r), "DATE").t("\nReferred by: ")
    _dr(w, gp, r, full=0.5, after=", ")
    w.p(practice, "HOSPITAL").t("\n")
    inj = when - timedelta(days=r.randrange(7, 90))
    if nz:
        w.t("ACC claim no.: ").p(c.patient_cached(ident, "acc", lambda: f"{r.choice(['CAA', 'CBB', 'DA', 'RB'])}{_digits(r, 5)}"), "INSURANCE")
        w.t("   Date of injury: ").p(d_au(inj, r), "DATE").t("\n")
    w.t(f"\nS: {ident.stated_age}-year-old with {problem} following {cause} on ").p(d_short(inj, r), "DATE").t(". ")
    w.t(f"Pain {r.randrange(3, 9)}/10 at worst, {r.choice(['worse in the mornings', 'aggravated by sitting', 'eased by rest', 'disturbing sleep'])}. ")
    w.t("Red flags screened - nil. ")
    if ident.stated_age < 66:
        job, employer = c.job(country)
        w.t(f"Works as {'an' if job[0] in 'aeiouAEIOUH' else 'a'} {job} for ").p(employer, "LOCATION").t(", currently on light duties. ")
    if r.random() < 0.6:
        sport, club = c.club(country, ident.stated_age)
        w.t(f"Plays {sport} with ").p(club, "LOCATION").t(". ")
    spouse = next((x for x in ident.relatives if x.role in ("wife", "husband")), None)
    if spouse:
        w.t(f"Lives with {her2} {spouse.role} ")
        _rel(w, ident, spouse, r, word="")
        w.t(" in a two-storey house in ")
        w.town(c.home_address(ident, country)[1], "ADDRESS", ". ")
    w.t(f"\nO: {objective}.\nA: {r.choice(['Mechanical', 'Likely'])} {problem.split(' with ')[0]}; good prognosis.\n")
    w.t(f"P: {plan}. Next appointment ").p(d_au(when + timedelta(days=r.randrange(7, 21)), r) if nz else d_uk(when + timedelta(days=r.randrange(7, 21)), r), "DATE")
    w.t(".\n\n").p(pt.full, "PROVIDER", pt.owner).t(", Physiotherapist")
    if not nz and r.random() < 0.6:
        w.t("  HCPC ").p(f"PH{_digits(r, 6)}", "MRN")
    elif nz and r.random() < 0.4:
        w.t("  Reg. no. ").p(f"{r.randrange(60, 99)}-{_digits(r, 5)}", "MRN")
    w.t("\n")
    return w


def cmht_contact(w: W, c: Ctx, ident, staff, when: date) -> W:
    """A UK community mental health team contact note."""
    r = c.rng
    cc = c.person("en_GB")
    psych = _who_staff(r.choice(_staff(staff, "attending")))
    officer = c.person("en_GB")
    street, t, pc = c.home_address(ident, "uk")
    she, her, her2 = _pron(ident.sex)
    w.p(c.uk_mh_trust, "HOSPITAL").t("\n")
    w.t(r.choice(["Community Mental Health Team", "CMHT (Recovery Team)", "Early Intervention in Psychosis Team"]), "\n")
    contact = r.choice(["Home visit", "Home visit", "Telephone", "Clinic (outpatients)"])
    w.t(f"Contact type: {contact}   Date: ").p(d_uk(when, r), "DATE")
    w.t(f"   Time: {clock(r, office=True)}\n")
    w.t("Service user: ")
    _pt_name(w, ident, r, r.choice(["title_caps", "plain", "caps_comma"]))
    w.t("   NHS No: ").p(c.nhs(ident), "MRN")
    if r.random() < 0.5:
        w.t("   RiO: ").p(c.patient_cached(ident, "rio", lambda: _digits(r, 7)), "MRN")
    w.t("\nCare coordinator: ").p(cc.full, "PROVIDER", cc.owner).t(f" ({r.choice(['CPN', 'Social Worker', 'OT'])})\n\n")
    if contact == "Home visit":
        w.t("Seen at home (").p(street, "ADDRESS", ("pt", ident.mrn)).t("). ")
        w.t(f"{r.choice(['Flat tidy', 'Flat cluttered, some unopened post', 'Curtains drawn, little food in the fridge'])}. ")
    elif contact == "Telephone":
        w.t(f"Telephone review, {she} answered on the second attempt. ")
    else:
        w.t("Seen at ").p(c._pick([lambda: f"{r.choice(HOUSE_BASES)} Resource Centre", lambda: f"{r.choice(HOUSE_BASES)} House CMHT base"]), "HOSPITAL").t(". ")
    w.t("\nMental state: ", r.choice(CMHT_MSE), "\n")
    med = r.choice(CMHT_MEDS)
    w.t(f"Medication: {med}")
    if ("monthly" in med or "weekly" in med) and contact != "Telephone":
        w.t(", given today, next due ").p(d_uk(when + timedelta(days=r.choice([14, 28])), r), "DATE")
    w.t(".\nSocial: ")
    w.t("Tenancy with ").p(c.housing(), "LOCATION").t("; housing officer ")
    _person_any(w, officer, "PROVIDER", r, bare=0.0)
    w.t(" (").p(c.phone(t), "PHONE").t(f") aware of {r.choice(['rent arrears', 'neighbour complaints', 'a repairs request', 'the bidding for a ground-floor flat'])}. ")
    w.t(f"Receives {r.choice(['UC and PIP', 'ESA', 'PIP'])}. ")
    role, who = _extra_rel(c, ident, "en_GB")
    w.t(f"{role.capitalize()} ")
    _person_any(w, who, "RELATIVE", r, bare=0.5)
    w.t(f" visits {r.choice(['twice a week', 'most days', 'at weekends'])}")
    if r.random() < 0.5:
        w.t(" from ").town(c.town("uk", bare=True), "LOCATION")
    w.t(". ")
    old = _old_relative(ident, r)
    if old and r.random() < 0.7:
        w.t(f"{her2.capitalize()} {old[0]}, ").p(age_words(old[1], r), "DATE").t(", moved into ").p(c.care_home("uk"), "HOSPITAL")
        w.t(" recently, which " + she + " finds upsetting. ")
    if ident.relatives and r.random() < 0.6:
        w.t("Spoke with ")
        rel = r.choice(ident.relatives)
        _rel(w, ident, rel, r, word=rel.role)
        w.t(" by phone (").p(c.phone(t, mobile=True), "PHONE").t(") with consent.")
    w.t("\nRisk: ", r.choice(["Low to self and others; no change.", "Moderate to self (history of overdose), safety plan reviewed.",
                               "Risk of self-neglect; no risk to others identified."]), "\n")
    w.t("Plan: CPA review on ").p(d_uk(when + timedelta(days=r.randrange(14, 60)), r), "DATE").t(" with ")
    _dr(w, psych, r, after=" (Consultant Psychiatrist)")
    w.t(f"; care coordinator to visit again in {r.choice(['one week', 'two weeks', '10 days'])}; crisis line numbers given.\n")
    w.p(cc.full, "PROVIDER", cc.owner).t(", Care Coordinator  ").p(c.phone(c.uk_town, mobile=True), "PHONE").t("\n")
    return w


def maternity(w: W, c: Ctx, ident, staff, when: date) -> W:
    """A maternity booking note (UK or New Zealand), or an assisted-conception letter for a male patient."""
    r = c.rng
    nz = r.random() < 0.4
    country = "nz" if nz else "uk"
    mw = c.person("en_NZ" if nz else "en_GB", sex="f")
    obs = _who_staff(r.choice(_staff(staff, "attending")))
    hosp = c.nz_hospital if nz else c.home_uk()
    dfmt = d_au if nz else d_uk
    spouse = next((x for x in ident.relatives if x.role in ("wife", "husband")), None)
    if ident.sex == "male" or ident.stated_age > 46:
        return _repro_letter(w, c, ident, when, hosp, country, mw, obs, spouse)
    w.p(hosp, "HOSPITAL").t(" Maternity Services\n")
    w.t("ANTENATAL BOOKING" if not nz else "LMC BOOKING / REGISTRATION", "\n\n")
    w.t("Booking date: ").p(dfmt(when, r), "DATE").t(f"   Gestation: {r.randrange(7, 13)}+{r.randrange(0, 7)}\n")
    w.t("Name: ")
    _pt_name(w, ident, r, r.choice(["plain", "caps_comma"]))
    w.t("   DOB: ").p(dfmt(ident.birth_date, r), "DATE")
    if nz:
        w.t("   NHI: ").p(c.patient_cached(ident, "nhi", lambda: nhi_number(r)), "MRN")
    else:
        w.t("   NHS: ").p(c.nhs(ident), "MRN").t("   Hosp No: ").p(c.hosp_no(ident), "MRN")
    w.t("\nAddress: ")
    _home(w, c, ident, country, sep=", ")
    w.t("\nMobile: ").p(c.phone(c.home_address(ident, country)[1], mobile=True), "PHONE")
    lmp = when - timedelta(days=r.randrange(50, 90))
    w.t("\n\nLMP: ").p(dfmt(lmp, r), "DATE").t("   EDD (by dates): ").p(dfmt(lmp + timedelta(days=280), r), "DATE")
    w.t("   Dating scan booked: ").p(d_short(when + timedelta(days=r.randrange(3, 14)), r), "DATE").t("\n")
    para = r.randrange(0, 3)
    w.t(f"G{para + 1} P{para}")
    if para:
        w.t(": SVD in ").p(str(when.year - r.randrange(2, 8)), "DATE").t(" at ").p(c.outside_hospital(country), "HOSPITAL")
        w.t(f", {r.choice(['3.4 kg', '3.9 kg', '2.9 kg'])}, {r.choice(['uncomplicated', 'PPH 900 ml', 'second-degree tear'])}")
    w.t(".\n")
    w.t("Partner: ")
    if spouse:
        w.p(spouse.full, "RELATIVE", ("pt", ident.mrn))
    else:
        p = c.person("en_NZ" if nz else "en_GB", sex="m")
        w.p(p.full, "RELATIVE", p.owner)
    w.t(f", {r.choice(['electrician', 'chef', 'self-employed', 'unemployed', 'paramedic'])}, tel ").p(c.phone(c.home_address(ident, country)[1], mobile=True), "PHONE")
    w.t(f"\nSafeguarding: routine enquiry made, {r.choice(['no concerns', 'no concerns disclosed', 'previous involvement of social care in 2019, closed'])}.\n")
    w.t(f"BMI {r.randrange(19, 38)}. BP {r.randrange(100, 135)}/{r.randrange(60, 85)}. Booking bloods taken. Folic acid 400 mcg. ")
    if r.random() < 0.4:
        w.t(f"Interpreter required ({r.choice(['Polish', 'Romanian', 'Urdu', 'Tongan', 'Samoan'])}). ")
    risk = r.choice(["Low risk - midwife-led care", "High risk (previous LSCS) - consultant-led care", "GDM risk - OGTT at 26 weeks"])
    w.t(f"\nRisk: {risk}.\n")
    w.t("Planned place of birth: ")
    place = r.random()
    if place < 0.15:
        w.t("home")
    elif place < 0.35:
        w.p(c._pick([lambda: f"{c.town(country, inside=True).name} Birth Centre"]), "HOSPITAL")
    else:
        w.p(hosp, "HOSPITAL")
    w.t("\nNamed midwife: " if not nz else "\nLMC midwife: ").p(mw.full, "PROVIDER", mw.owner)
    w.t(f", {'Community Midwife' if not nz else 'Lead Maternity Carer'}, ").p(c.phone(c.nz_town if nz else c.uk_town, mobile=True), "PHONE")
    if "consultant" in risk:
        w.t("\nConsultant: ")
        _dr(w, obs, r, title=r.choice(["Miss", "Mr", "Dr"]), full=0.3)
    w.t("\n")
    return w


def _repro_letter(w: W, c: Ctx, ident, when: date, hosp: str, country: str, nurse: Who, cons: Who, spouse) -> W:
    """The maternity style for a patient who cannot be booked: an assisted-conception letter (man
    up to 55), a men's health clinic letter (older man) or a rapid-access gynaecology letter (woman
    over 46), each to the GP."""
    r = c.rng
    dfmt = d_au if country == "nz" else d_uk
    she, her, her2 = _pron(ident.sex)
    kind = "fertility" if ident.sex == "male" and ident.stated_age <= 55 else "andrology" if ident.sex == "male" else "gynae"
    unit = {"fertility": "Assisted Conception Unit", "andrology": "Urology - Men's Health Clinic",
            "gynae": "Rapid Access Gynaecology Clinic"}[kind]
    w.p(hosp, "HOSPITAL").t(f" - {unit}\n\n").p(dfmt(when, r), "DATE").t("\n\nDear ")
    gp, practice, _ = c.gp(ident, country)
    _dr(w, gp, r, full=0.0, after=",\n\n")
    w.t("Re: ")
    _pt_name(w, ident, r, "title_caps")
    w.t(", DOB ").p(dfmt(ident.birth_date, r), "DATE")
    if kind == "fertility" and spouse:
        w.t(" and partner ").p(spouse.full, "RELATIVE", ("pt", ident.mrn))
    w.t("\n\n")
    if kind == "fertility":
        w.t(f"Thank you for referring this couple who have been trying to conceive for {r.randrange(2, 6)} years. Semen analysis on ")
        w.p(dfmt(when - timedelta(days=r.randrange(10, 40)), r), "DATE")
        w.t(f" showed a concentration of {r.randrange(3, 14)} million/ml with {r.randrange(10, 30)}% progressive motility. ")
        if spouse:
            w.nm("", spouse.given, "RELATIVE", ("pt", ident.mrn), "'s", mine=False, alt=spouse.full)
            w.t(" AMH is within the normal range. ")
        w.t("We have discussed ICSI and they are eligible for one funded cycle. Our fertility nurse specialist ")
    elif kind == "andrology":
        w.t(f"I saw this {ident.stated_age}-year-old man with erectile dysfunction of two years' duration")
        if spouse:
            w.t(", together with his wife ")
            _rel(w, ident, spouse, r, word="")
        w.t(". Testosterone and HbA1c are normal. I have started Tadalafil 5mg OD and our andrology nurse specialist ")
    else:
        w.t(f"Thank you for referring this {ident.stated_age}-year-old woman with a single episode of postmenopausal bleeding on ")
        w.p(d_short(when - timedelta(days=r.randrange(10, 40)), r), "DATE")
        w.t(f". Transvaginal ultrasound showed an endometrial thickness of {r.randrange(2, 9)} mm. ")
        if ident.relatives and r.random() < 0.6:
            rel = r.choice(ident.relatives)
            w.t(f"{she.capitalize()} attended with {her2} {rel.role} ")
            _rel(w, ident, rel, r, word="")
            w.t(". ")
        w.t("An outpatient hysteroscopy has been booked for ").p(dfmt(when + timedelta(days=r.randrange(7, 21)), r), "DATE")
        w.t(" and our gynaecology nurse specialist ")
    w.p(nurse.full, "PROVIDER", nurse.owner).t(" (").p(c.phone(c.nz_town if country == "nz" else c.uk_town), "PHONE")
    w.t(") will " + {"fertility": "arrange the consent appointment", "andrology": "review " + her + " in three months",
                     "gynae": "telephone " + her + " with the results"}[kind] + ".\n")
    role = {"fertility": "Consultant in Reproductive Medicine", "andrology": "Consultant Urological Surgeon",
            "gynae": "Consultant Gynaecologist"}[kind]
    return _sign(w, cons, r, role, "FRCS (Urol)" if kind == "andrology" else "MRCOG")


def translated_eu(w: W, c: Ctx, ident, staff, when: date) -> W:
    """An English translation of a discharge letter from a Polish, German or Dutch hospital."""
    r = c.rng
    country = r.choice(["pl", "de", "nl"])
    return {"pl": _translated_pl, "de": _translated_de, "nl": _translated_nl}[country](w, c, ident, when)


def _translated_pl(w: W, c: Ctx, ident, when: date) -> W:
    r = c.rng
    t = c.town("pl")
    head, doc, tr = c.person("pl_PL"), c.person("pl_PL"), c.person("pl_PL")
    dx, course, recs, depts = r.choice(TRANSLATED_DX)
    adm = when - timedelta(days=r.randrange(3, 14))
    hosp = c._pick([lambda: f"Wojewódzki Szpital Specjalistyczny im. {r.choice(PL_PATRONS)}",
                    lambda: f"Szpital Specjalistyczny nr {r.randrange(1, 6)} im. {r.choice(PL_PATRONS)}",
                    lambda: f"Samodzielny Publiczny Szpital Kliniczny nr {r.randrange(1, 5)}"])
    w.p(hosp, "HOSPITAL").t(f"\n{depts[0]}\n")
    _address_block(w, c, c.street("pl"), t, c.postcode(t), "LOCATION", None, sep=", ").t("\ntel. ").p(c.phone(t), "PHONE").t("\n\n")
    w.t("KARTA INFORMACYJNA LECZENIA SZPITALNEGO\n(Hospital discharge information card - certified translation from Polish)\n\n")
    w.t("Patient: ").p(f"{ident.given} {ident.family}" if r.random() < 0.5 else f"{ident.family.upper()} {ident.given}", "PATIENT", ("pt", ident.mrn))
    if r.random() < 0.7:
        w.t("   PESEL: ").p(c.patient_cached(ident, "pesel", lambda: pesel(ident.birth_date, ident.sex == "female", r)), "MRN")
    w.t("\nDate of birth: ").p(d_dot(ident.birth_date, r), "DATE").t("\nAddress: ")
    street, ht, pc = c.home_address(ident, "pl")
    _address_block(w, c, street, ht, pc, "ADDRESS", ("pt", ident.mrn), sep=", ")
    w.t("\nMedical record no.: ").p(f"{r.randrange(1000, 99999)}/{when.year}", "MRN")
    w.t("\nHospitalised from ").p(d_dot(adm, r), "DATE").t(" to ").p(d_dot(when, r), "DATE").t(" (admitted via the Emergency Department, SOR)\n\n")
    w.t(f"Diagnosis: {dx}\n\nCourse of hospitalisation: {course}. ")
    if ident.relatives and r.random() < 0.6:
        rel = r.choice(ident.relatives)
        w.t(f"The patient's {rel.role} ")
        _rel(w, ident, rel, r, word="")
        w.t(" was informed of the treatment (tel. ").p(c.phone(t, mobile=True), "PHONE").t("). ")
    w.t(f"\n\nRecommendations: {recs}. Follow-up at the outpatient clinic (Poradnia) on ").p(d_dot(when + timedelta(days=r.randrange(20, 60)), r), "DATE")
    w.t(". ")
    if ident.stated_age < 66:
        w.t("Sick leave (L4) issued until ").p(d_dot(when + timedelta(days=r.randrange(7, 30)), r), "DATE").t(".")
    w.t("\n\n")
    w.t("Head of Department: dr n. med. ").p(head.full, "PROVIDER", head.owner).t("\nAttending physician: lek. ").p(doc.full, "PROVIDER", doc.owner)
    w.t("\n\n")
    if c.can_bare(t.name, Ctx.town_owner(t, "LOCATION")):
        w.town(t, "LOCATION", ", ")
    w.p(d_pl(when, r), "DATE")
    w.t("\nTranslated by: ").p(tr.full, "PROVIDER", tr.owner).t(", sworn translator of English, reg. no. ")
    w.p(f"TP/{r.randrange(100, 9999)}/{r.randrange(1, 24):02d}", "MRN").t("\n")
    return w


def _translated_de(w: W, c: Ctx, ident, when: date) -> W:
    r = c.rng
    t = c.town("de")
    sexes = [r.choice("fm") for _ in range(3)]
    chef, ober, assist = (c.person("de_DE", sex=x) for x in sexes)
    chef_t, ober_t, assist_t = (f"{base}{'in' if x == 'f' else ''}".replace("arztin", "ärztin")
                                for base, x in zip(("Chefarzt", "Oberarzt", "Assistenzarzt"), sexes))
    dx, course, recs, depts = r.choice(TRANSLATED_DX)
    adm = when - timedelta(days=r.randrange(3, 14))
    hosp = c._pick([lambda: r.choice(DE_HOSPITAL_FORMS).format(city=t.name)])
    w.p(hosp, "HOSPITAL").t(f" | {depts[1]}\n")
    w.t(f"{chef_t}: Prof. Dr. med. ").p(chef.full, "PROVIDER", chef.owner).t("\n")
    _address_block(w, c, c.street("de"), t, c.postcode(t), "LOCATION", None, sep=" · ").t(" · Tel. ").p(c.phone(t), "PHONE")
    w.t(" · Fax ").p(c.phone(t), "PHONE").t("\n\n")
    w.t("DISCHARGE LETTER (Arztbrief - English translation)\n\n")
    if c.can_bare(t.name, Ctx.town_owner(t, "LOCATION")):
        w.town(t, "LOCATION", ", ")
    w.t("den ").p(d_de(when, r), "DATE").t("\n\nDear colleague,\n\n")
    w.t("we report on ")
    w.t("Mr " if ident.sex == "male" else "Mrs ").p(ident.full, "PATIENT", ("pt", ident.mrn))
    w.t(", born ").p(d_dot(ident.birth_date, r), "DATE").t(", resident at ")
    street, ht, pc = c.home_address(ident, "de")
    _address_block(w, c, street, ht, pc, "ADDRESS", ("pt", ident.mrn), sep=", ")
    w.t(", who was an inpatient from ").p(d_dot(adm, r), "DATE").t(" to ").p(d_dot(when, r), "DATE").t(".\n")
    w.t("Pat.-Nr. ").p(c.patient_cached(ident, "de_pat", lambda: _digits(r, 8)), "MRN").t("  Fall-Nr. ").p(_digits(r, 10), "MRN")
    w.t(f"\nHealth insurance: {r.choice(['AOK', 'Techniker Krankenkasse', 'BARMER', 'DAK-Gesundheit'])}, insurance no. ")
    w.p(c.patient_cached(ident, "de_kv", lambda: f"{r.choice('ABCDEFGHKLMNPRSTW')}{_digits(r, 9)}"), "INSURANCE")
    w.t(f"\n\nDiagnoses:\n{dx}\n\nCourse: {course}. ")
    if ident.relatives and r.random() < 0.5:
        rel = r.choice(ident.relatives)
        w.t(f"The patient's {rel.role} ")
        _rel(w, ident, rel, r, word="", full=0.6)
        w.t(" was present at the discharge discussion. ")
    w.t(f"\n\nRecommendations: {recs}. Please arrange a check-up at your practice within 7 days. ")
    w.t("Control appointment in our outpatient department on ").p(d_dot(when + timedelta(days=r.randrange(20, 90)), r), "DATE").t(".\n\n")
    w.t("With kind regards,\n\nProf. Dr. med. ").p(f"{chef.given[0]}. {chef.family}", "PROVIDER", chef.owner).t(f", {chef_t}\n")
    w.t("Dr. med. ").p(ober.full, "PROVIDER", ober.owner).t(f", {ober_t}\n")
    w.p(assist.full, "PROVIDER", assist.owner).t(f", {assist_t}\n")
    if r.random() < 0.5:
        fam = c.person("de_DE")
        lt = c.town("de")
        w.t("\ncc: Dr. med. ").p(fam.full, "PROVIDER", fam.owner).t(", Hausarzt, ")
        _address_block(w, c, c.street("de"), lt, c.postcode(lt), "LOCATION", None, sep=", ").t("\n")
    return w


def _translated_nl(w: W, c: Ctx, ident, when: date) -> W:
    r = c.rng
    t = c.town("nl")
    spec, aa = c.person("nl_NL"), c.person("nl_NL")
    huisarts = c.person("nl_NL")
    dx, course, recs, depts = r.choice(TRANSLATED_DX)
    adm = when - timedelta(days=r.randrange(3, 14))
    hosp = c._pick([lambda: r.choice(NL_HOSPITAL_FORMS).format(city=t.name, saint=r.choice(NL_SAINTS))])
    w.p(hosp, "HOSPITAL").t(f" | {depts[2]}\n")
    _address_block(w, c, c.street("nl"), t, c.postcode(t), "LOCATION", None, sep=" | ").t(" | T ").p(c.phone(t), "PHONE").t("\n\n")
    w.t("Ontslagbrief / Discharge letter (English translation)\n\n")
    w.t("To: dr. ").p(huisarts.full, "PROVIDER", huisarts.owner).t(", huisarts, ")
    w.p(c._pick([lambda: f"Huisartsenpraktijk {huisarts.family}", lambda: f"Gezondheidscentrum {c.town('nl', inside=True).name}"]), "HOSPITAL").t("\n")
    w.t("Re: ").t("dhr. " if ident.sex == "male" else "mevr. ").p(ident.full, "PATIENT", ("pt", ident.mrn))
    w.t(", born ").p(d_nl(ident.birth_date, r), "DATE").t(", patient no. ").p(c.patient_cached(ident, "nl_pat", lambda: _digits(r, 7)), "MRN")
    w.t("\nAddress: ")
    street, ht, pc = c.home_address(ident, "nl")
    _address_block(w, c, street, ht, pc, "ADDRESS", ("pt", ident.mrn), sep=", ")
    w.t("\nAdmission: ").p(d_nl(adm, r), "DATE").t(" to ").p(d_nl(when, r), "DATE").t("\n\n")
    w.t(f"Dear colleague,\n\nYour patient was admitted with {dx.split(' ', 1)[1].lower()}. {course}. ")
    if ident.relatives and r.random() < 0.6:
        rel = r.choice(ident.relatives)
        w.t(f"Contact person: {rel.role} ")
        _rel(w, ident, rel, r, word="", full=0.6)
        w.t(", ").p(c.phone(t, mobile=True), "PHONE").t(". ")
    w.t(f"\n\nPolicy: {recs}. Outpatient check-up on ").p(d_nl(when + timedelta(days=r.randrange(20, 60)), r), "DATE").t(".\n\n")
    w.t("With collegial regards,\n\ndr. ").p(spec.full, "PROVIDER", spec.owner).t(f", {NL_TITLES[depts[2].split()[-1]]}\n")
    w.t("drs. ").p(aa.full, "PROVIDER", aa.owner).t(", arts-assistent\n")
    return w


def canada_clinic(w: W, c: Ctx, ident, staff, when: date) -> W:
    """A Canadian specialist clinic consultation note (provincial health card, postal code)."""
    r = c.rng
    specialty, reason, finding, plan = r.choice(CA_REASONS)
    cons = _who_staff(r.choice(_staff(staff, "attending")))
    ref = c.person("en_CA")
    fam, practice, ftown = c.gp(ident, "ca")
    t = c.ca_town
    street, home_t, home_pc = c.home_address(ident, "ca")
    w.p(c.ca_hospital, "HOSPITAL").t(f" - {specialty} Clinic\n")
    _address_block(w, c, c.street("ca"), t, c.postcode(t), "LOCATION", None, sep=", ")
    w.t("\nTel ").p(c.phone(t), "PHONE").t("  Fax ").p(c.phone(t), "PHONE").t("\n\nCONSULTATION NOTE\n")
    w.t("Date of visit: ").p(d_ca(when, r), "DATE").t("\n")
    w.t("Patient: ").p(f"{ident.family}, {ident.given}" if r.random() < 0.5 else ident.full, "PATIENT", ("pt", ident.mrn))
    chart = ident.mrn if r.random() < 0.5 else c.patient_cached(ident, "ca_chart", lambda: _digits(r, 7))
    w.t("   DOB: ").p(d_ca(ident.birth_date, r), "DATE").t("   Chart #: ").p(chart, "MRN")
    w.t("\nHealth card: ").p(_health_card(c, ident, home_t.region), "INSURANCE").t(f" ({home_t.region})\n")
    w.t("Address: ")
    own = ident.address if c.claimable(ident.address, ("pt", ident.mrn)) else street  # the registered address
    _address_block(w, c, own, home_t, home_pc, "ADDRESS", ("pt", ident.mrn), sep=", ")
    w.t("   Phone: ").p(ident.phone if r.random() < 0.5 else c.phone(home_t), "PHONE").t("\n")
    w.t("Referring physician: ")
    _dr(w, ref, r, title="Dr.", full=0.6)
    w.t("   Family physician: ")
    _dr(w, fam, r, title="Dr.", full=0.6)
    w.t(" (").p(practice, "HOSPITAL").t(")\n\n")
    she, her, her2 = _pron(ident.sex)
    w.t(f"Reason for referral: {reason}.\n\nHPI: {ident.stated_age}-year-old {'woman' if ident.sex == 'female' else 'man'} ")
    w.t("seen in the ER at ").p(c.outside_hospital("ca", t.region), "HOSPITAL").t(" on ").p(d_ca(when - timedelta(days=r.randrange(14, 60)), r), "DATE")
    w.t(f". {finding}.\n\n")
    w.t("Social: ")
    if ident.relatives:
        rel = r.choice(ident.relatives)
        w.t(f"Lives with {her2} {rel.role} ")
        _rel(w, ident, rel, r, word="")
        w.t(", who can be reached at ").p(rel.phone if r.random() < 0.5 else c.phone(home_t, mobile=True), "PHONE").t(". ")
    if ident.stated_age < 66:
        job, employer = c.job("ca")
        w.t(f"Works as {'an' if job[0] in 'aeiouAEIOUH' else 'a'} {job} at ").p(employer, "LOCATION").t(". ")
    w.t(r.choice(["Never smoker.", "Quit smoking 10 years ago.", "Smokes half a pack a day."]))
    if ident.stated_age >= 62 and r.random() < 0.5:
        w.t(" Winters in ", r.choice(["Florida", "Arizona", "Mexico"]), ".")
    w.t("\n\n")
    w.t(f"Impression/Plan: {plan}. ")
    w.t("Follow-up booked for ").p(d_ca(when + timedelta(days=r.randrange(30, 120)), r), "DATE").t(".\n\n")
    w.t("Dictated by: ")
    w.t("Dr. ").p(cons.full, "PROVIDER", cons.owner).t(", MD FRCPC")
    if r.random() < 0.6:
        college = {"ON": "CPSO", "AB": "CPSA", "BC": "CPSBC", "MB": "CPSM", "SK": "CPSS", "QC": "CMQ", "NS": "CPSNS",
                   "NB": "CPSNB", "PE": "CPSPEI"}.get(t.region, "CPSO")
        w.t(f"  {college} #").p(_digits(r, 5), "MRN")
    w.t("\ncc: ")
    _dr(w, ref, r, title="Dr.", full=0.0)
    w.t("; ")
    _dr(w, fam, r, title="Dr.", full=0.0)
    w.t("\n")
    return w


def _health_card(c: Ctx, ident, prov: str) -> str:
    """A provincial health card number in ``prov``'s shape (the same in every note)."""
    r = c.rng

    def make() -> str:
        if prov == "ON":
            body = _digits(r, 9)
            n = body + luhn_digit(body)
            return f"{n[:4]}-{n[4:7]}-{n[7:]}-{''.join(r.choice('ABCDEFGHJKLMNPRSTVWXYZ') for _ in range(2))}"
        if prov == "BC":
            return f"9{_digits(r, 3)} {_digits(r, 3)} {_digits(r, 3)}"
        if prov == "AB":
            return f"{_digits(r, 5)}-{_digits(r, 4)}"
        if prov == "QC":
            fam = re.sub(r"[^A-Z]", "", _ascii_mail(ident.family).upper())[:3].ljust(3, "X")
            mm = ident.birth_date.month + (50 if ident.sex == "female" else 0)
            return f"{fam}{_ascii_mail(ident.given)[0].upper()} {ident.birth_date.year % 100:02d}{mm:02d} {ident.birth_date.day:02d}{_digits(r, 2)}"
        if prov == "NS":
            return f"{_digits(r, 4)} {_digits(r, 3)} {_digits(r, 3)}"
        return f"{_digits(r, 3)} {_digits(r, 3)} {_digits(r, 3)}"
    return c.patient_cached(ident, f"hc-{prov}", make)


def care_home_transfer(w: W, c: Ctx, ident, staff, when: date) -> W:
    """A care-home / nursing-home transfer letter to hospital (UK, Ireland or Australia)."""
    r = c.rng
    country = r.choice(["uk", "uk", "ie", "au"])
    young = ident.stated_age < 60
    home = c.patient_cached(ident, f"care-{country}", lambda: c.care_home(country) if not young else c._pick(
        [lambda: f"{r.choice(HOUSE_BASES)} House Supported Living", lambda: f"{r.choice(HOUSE_BASES)} Court (supported living)"]))
    _, ht, _ = c.home_address(ident, country)  # the home is the resident's address, in the same town
    hstreet, hpc = c.patient_cached(ident, f"care-addr-{country}", lambda: (c.street(country), c.postcode(ht)))
    nurse = c.person({"ie": "en_IE", "au": "en_AU"}.get(country, "en_GB"))
    carer = c.person({"ie": "en_IE", "au": "en_AU"}.get(country, "en_GB"))
    gp, practice, _ = c.gp(ident, country)
    dfmt = d_au if country == "au" else d_uk
    she, her, her2 = _pron(ident.sex)
    w.p(home, "HOSPITAL").t("\n")
    _address_block(w, c, hstreet, ht, hpc, "ADDRESS", ("pt", ident.mrn), sep=", ")
    w.t("\nTel: ").p(c.phone(ht), "PHONE").t("\n\n")
    w.t(r.choice(["HOSPITAL TRANSFER LETTER", "Resident Transfer Form", "TRANSFER OF CARE - CARE HOME TO HOSPITAL"]), "\n")
    w.t("Date: ").p(dfmt(when, r), "DATE").t(f"   Time: {clock(r)}\n")
    w.t("Resident: ")
    _pt_name(w, ident, r, r.choice(["title_plain", "caps_comma", "plain"]))
    w.t("   DOB: ").p(dfmt(ident.birth_date, r), "DATE").t(f"   Room {r.randrange(1, 48)}\n")
    if country == "uk":
        w.t("NHS No: ").p(c.nhs(ident), "MRN").t("\n")
    elif country == "au":
        w.t("Medicare: ").p(c.patient_cached(ident, "medicare", lambda: medicare_number(r)), "INSURANCE").t("\n")
    else:
        w.t("Medical card no.: ").p(c.patient_cached(ident, "gms", lambda: f"{_digits(r, 7)}{r.choice('ABCDEFHKLMPRTW')}"), "INSURANCE").t("\n")
    w.t("Transferring to: ").p(c.home_uk() if country == "uk" else c.ie_hospital if country == "ie" else c.au_hospital, "HOSPITAL")
    w.t(" Emergency Department\nGP: ")
    _dr(w, gp, r, full=0.6, after=", ")
    w.p(practice, "HOSPITAL").t("\n\n")
    reason = r.choice(YOUNG_RESIDENT_REASONS if young else CARE_HOME_REASONS).format(t=clock(r))
    w.t(f"Reason for transfer: {reason}")
    if "found" in reason:
        w.t(" Found by ")
        _person_any(w, carer, "PROVIDER", r, bare=0.4, cue="care assistant " if r.random() < 0.5 else "")
        w.t(".")
    if young:
        w.t(f"\n\nUsual baseline: {r.choice(YOUNG_BASELINES)}. ")
    else:
        w.t(f"\n\nUsual baseline: {r.choice(['walks with a frame and one carer', 'hoisted, bed-to-chair', 'independent with a stick', 'needs prompting with meals'])}; ")
        w.t(f"{r.choice(['moderate Alzheimer dementia', 'vascular dementia', 'orientated, mild memory loss', 'Parkinson disease'])}. ")
    w.t("Resident at the home since ").p(str(when.year - r.randrange(1, 6)), "DATE").t(".\n")
    dnacpr = not young and r.random() < 0.6
    if dnacpr:
        w.t("DNACPR: in place, form dated ").p(dfmt(when - timedelta(days=r.randrange(40, 700)), r), "DATE")
        w.t(" (original sent with resident).\n")
    else:
        w.t("For full escalation.\n")
    w.t("Next of kin: ")
    if ident.relatives:
        rel = ident.relatives[-1]
        w.p(rel.full, "RELATIVE", ("pt", ident.mrn)).t(f" ({rel.role}{', LPA health and welfare' if country == 'uk' and r.random() < 0.5 else ''}) ")
        w.p(c.phone(c.town(country), mobile=True), "PHONE").t(f" - {r.choice(['informed', 'informed, will meet at hospital', 'no answer, message left'])}.\n")
    else:
        role, who = _extra_rel(c, ident, {"ie": "en_IE", "au": "en_AU"}.get(country, "en_GB"))
        w.p(who.full, "RELATIVE", who.owner).t(f" ({role}) ").p(c.phone(c.town(country), mobile=True), "PHONE").t("\n")
    old = _old_relative(ident, r)
    if old:
        w.t(f"{her2.capitalize()} {old[0]}, ").p(age_words(old[1], r), "DATE").t(", also lives at the home.\n")
    w.t(f"Medication: MAR chart sent. Last doses given {clock(r)}. {r.choice(['On apixaban', 'On warfarin (INR 2.6)', 'No anticoagulants', 'Insulin-dependent'])}.\n")
    kit = ["glasses", "communication passport", "medication", "hospital passport", "wheelchair"] if young else \
        ["glasses", "hearing aids", "dentures", "slippers", "walking frame", "medication"]
    w.t("Sent with: ", ", ".join(r.sample(kit, 3)), ".\n\n")
    w.t("Nurse in charge: ").p(nurse.full, "PROVIDER", nurse.owner).t(f", {'RGN' if country != 'au' else 'RN'}")
    if country == "uk" and r.random() < 0.5:
        w.t("  NMC PIN ").p(f"{r.randrange(70, 99)}{r.choice('ABCDEFGHIJ')}{_digits(r, 4)}{r.choice('EOSW')}", "MRN")
    w.t("\n")
    return w


def phone_message(w: W, c: Ctx, ident, staff, when: date) -> W:
    """A short telephone / triage message (UK, Irish, Australian or New Zealand practice)."""
    r = c.rng
    country = r.choice(["uk", "uk", "ie", "au", "nz"])
    loc = {"ie": "en_IE", "au": "en_AU", "nz": "en_NZ"}.get(country, "en_GB")
    gp, practice, _ = c.gp(ident, country)
    recep = c.person(loc, sex="f")
    dfmt = d_au if country in ("au", "nz") else d_uk
    w.t(r.choice(["TELEPHONE MESSAGE", "Telephone encounter", "Phone msg", "TRIAGE CALL"]), " - ").p(dfmt(when, r), "DATE").t(f" {clock(r, office=True)}\n")
    w.t("Taken by: ")
    _person_any(w, recep, "PROVIDER", r, bare=0.5)
    w.t(" (reception)\nCaller: ")
    caller_is_rel = ident.relatives and r.random() < 0.6
    if caller_is_rel:
        rel = r.choice(ident.relatives)
        _rel(w, ident, rel, r, word=rel.role, full=0.5)
        w.t(" re ")
        _pt_name(w, ident, r, "plain")
    else:
        w.t("patient, ")
        _pt_name(w, ident, r, "plain")
    w.t(" (DOB ").p(dfmt(ident.birth_date, r), "DATE").t(")\nCall back on: ")
    w.p(c.phone(c.home_address(ident, country)[1], mobile=r.random() < 0.6), "PHONE")
    issue, action = r.choice(TRIAGE_ISSUES)
    w.t(f"\nMessage: {issue}.")
    if r.random() < 0.4:
        w.t(" Calling from ").town(c.town(country, bare=True), "LOCATION", " - staying with family.")
    w.t("\nFor: ")
    _dr(w, gp, r, full=0.0)
    w.t("\n\nAction: ")
    k = {"advice": 0, "results": 1, "prescription": 2}[action]
    if k == 0:
        w.t(r.choice(["Spoke to caller, advised to attend A&E if worse. ", "Appointment booked tomorrow 9.10am. ",
                      "Home visit booked for today. ", "Duty doctor to call back this afternoon. "]))
    elif k == 1:
        w.t("Results normal, caller informed. ")
    else:
        w.t("Prescription sent to ").p(c._pick([lambda: f"{c.surname(loc)} Pharmacy", lambda: f"{c.town(country, inside=True).name} Pharmacy"]), "HOSPITAL").t(". ")
    if r.random() < 0.4:
        w.t("-- ").p(f"Dr {gp.family}", "PROVIDER", gp.owner)
    w.t("\n")
    return w


WRITERS = {name: globals()[name] for name in STYLES_D}


def make_writer(note_cls, seed: int, policy):
    """A ``write_note``-like function for the d styles.

    Parameters
    ----------
    note_cls:
        The benchmark's ``Note`` class (``t``/``p`` API).
    seed:
        Seed for this module's Faker instances and the made-up hospitals.
    policy:
        The benchmark's :class:`NamePolicy` (surrogate tokens are never planted, names it has handed
        out are never drawn here).

    Returns
    -------
    callable
        ``write(style, ident, staff, fake, rng, when) -> Note``; ``fake`` is not used (this set draws
        from its own seeded Fakers), ``rng`` drives every choice.
    """
    ctx = Ctx(seed, policy)

    def write(style: str, ident, staff, fake: Faker, rng: random.Random, when: date):
        ctx.rng = rng
        w = W(note_cls(), ctx)
        WRITERS[style](w, ctx, ident, staff, when)
        return w.note

    return write
