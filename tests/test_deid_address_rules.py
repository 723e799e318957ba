"""Address rules that each recognizer must hold on its own (without the learned tagger behind it):
labelled address, employer and school fields, German street forms, the town before an Irish county, a facility's town,
and record numbers after an EHR system's name.

The sentences are written for these tests, not taken from any corpus or held-out set.
"""

from __future__ import annotations

import pytest

from deid.recognizers.facility import FacilityRecognizer
from deid.recognizers.labelled_field import LabelledFieldRecognizer
from deid.recognizers.mrn import MrnRecognizer
from deid.recognizers.street_address import StreetAddressRecognizer
from tests.deid_rule_helpers import spans


@pytest.mark.parametrize("text,value", [
    ("Address: 17 Orchard Rise, Tullow, Co. Carlow, R93 X2C4\nPhone: 059 913 2207", "17 Orchard Rise, Tullow, Co. Carlow, R93 X2C4"),
    ("Name: K. Brandt   Home address: Lindenweg 4, 8041 Zürich   Tel: 044 213 55 10", "Lindenweg 4, 8041 Zürich"),
    ("Mailing address: PO Box 218, Harlow MT 59301 | Phone 406 555 0173", "PO Box 218, Harlow MT 59301"),
    ("She gave her address: 12 Kestrel Way, Fairmount.", "12 Kestrel Way, Fairmount"),
    ("ADDR: 4471 W HOLLIS RD, APT 2", "4471 W HOLLIS RD, APT 2"),
])
def test_labelled_address_values(resources, text: str, value: str) -> None:
    assert value in spans(LabelledFieldRecognizer(resources), text)


@pytest.mark.parametrize("text", [
    "Address: same as above\nHome address: unknown",
    "Address: see registration sheet",
    "We discussed where to send it; the address: on file with clerk.",
    "Residence: lives alone",
])
def test_address_labels_without_an_address_are_left(resources, text: str) -> None:
    assert spans(LabelledFieldRecognizer(resources), text) == []


@pytest.mark.parametrize("text,value", [
    ("Praxis Dr. Weber · Am Lindenplatz 7 · 53111 Bonn", "Am Lindenplatz 7"),
    ("wohnhaft An der Kirchwiese 12a", "An der Kirchwiese 12a"),
])
def test_german_streets_after_a_preposition(resources, text: str, value: str) -> None:
    assert any(s.startswith(value) for s in spans(StreetAddressRecognizer(resources), text))


def test_a_german_month_is_no_street(resources) -> None:
    assert spans(StreetAddressRecognizer(resources), "Operiert im Klinikum, Im Juni 2020 entlassen.") == []


def test_the_town_before_an_irish_county(resources) -> None:
    found = spans(StreetAddressRecognizer(resources), "Lives at 3 Mill Lane, Ballyhaunis, Co. Mayo with her son.")
    assert any("Ballyhaunis, Co. Mayo" in s for s in found)


@pytest.mark.parametrize("text,town", [
    ("GP: Dr A Osei, Harbourside Medical Centre, Bunbury  Ph 08 9721 0000", "Bunbury"),
    ("Transferred from Lakeview Memorial Hospital, Carrollton.", "Carrollton"),
])
def test_the_town_after_a_facility(resources, text: str, town: str) -> None:
    assert town in spans(FacilityRecognizer(resources), text)


def test_a_department_after_a_facility_is_no_town(resources) -> None:
    found = spans(FacilityRecognizer(resources), "Seen at Lakeview Memorial Hospital, Cardiology.")
    assert "Cardiology" not in found


@pytest.mark.parametrize("text,number", [
    ("NHS No: 401 223 9987   RiO: 6623019", "6623019"),
    ("EMIS number 3310247 on the referral", "3310247"),
    ("Epic MRN mismatch: EHR id 88120457", "88120457"),
])
def test_record_numbers_after_an_ehr_system(resources, text: str, number: str) -> None:
    assert number in spans(MrnRecognizer(resources), text)


@pytest.mark.parametrize("text,value", [
    ("EMPLOYMENT\nEmployer: Harlan Dairy Cooperative\nPhone: 555 0100", "Harlan Dairy Cooperative"),
    ("Student: yes   School: Maple Grove Elementary   Grade: 3", "Maple Grove Elementary"),
    ("Place of employment: Tri-County Glass | shift work", "Tri-County Glass"),
])
def test_labelled_employer_and_school_values(resources, text: str, value: str) -> None:
    assert spans(LabelledFieldRecognizer(resources), text) == [value]


@pytest.mark.parametrize("text", ["Employer: Retired", "Employer: self-employed", "Employer: none", "School: N/A"])
def test_employer_labels_without_an_employer_are_left(resources, text: str) -> None:
    assert spans(LabelledFieldRecognizer(resources), text) == []


def test_a_street_named_after_a_month(resources) -> None:
    rec = StreetAddressRecognizer(resources)
    assert any(s.startswith("14 May Drive") for s in spans(rec, "cc: Mr T Hale, 14 May Drive, Ashby, LE65 2QT"))
    assert spans(rec, "Imaging: 16 August Chest CT clear.") == []


def test_a_letterhead_postcode_and_town_after_the_street(resources) -> None:
    found = spans(StreetAddressRecognizer(resources), "Praxis · Hauptplatz 5 · 8850 Murau · Telefon +43 3532 2100")
    assert "Hauptplatz 5 · 8850 Murau" in found


def test_an_italian_street_with_a_comma_before_the_number(resources) -> None:
    found = spans(StreetAddressRecognizer(resources), "Studio: Via Garibaldi, 23, 64100 Teramo")
    assert "Via Garibaldi, 23, 64100 Teramo" in found
    assert spans(StreetAddressRecognizer(resources), "Via PEG, 240 ml given") == []


def test_outside_slide_numbers(resources) -> None:
    assert "S21-4471" in spans(MrnRecognizer(resources), "Outside slides (S21-4471, 4 H&E) reviewed.")


def test_terr_is_a_street_word(resources) -> None:
    assert any(s.startswith("42 Alder Terr") for s in spans(StreetAddressRecognizer(resources), "lives at 42 Alder Terr, Apt 3"))


def test_bodies_named_by_plain_words(resources) -> None:
    found = spans(FacilityRecognizer(resources), "Tenancy with Harbour Housing Trust; arrangements by Meadow Funeral Home.")
    assert "Harbour Housing Trust" in found and "Meadow Funeral Home" in found
    assert spans(FacilityRecognizer(resources), "The local Police Department was called.") == []


def test_a_town_written_with_its_accents(resources) -> None:
    assert resources.wide.is_place("Piła") and resources.wide.is_place("Gdańsk") and not resources.wide.is_place("Pilæx")
