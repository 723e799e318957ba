"""Identifier rules that each recognizer must hold on its own (without the learned tagger behind it):
vehicle numbers, device serials, user names, order numbers, business names and name roles.

The sentences are written for these tests, not taken from any corpus or held-out set.
"""

from __future__ import annotations

import pytest

from deid.config import load_deid_config
from deid.recognizers.base import Resources
from deid.recognizers.facility import FacilityRecognizer
from deid.recognizers.member_id import MemberIdRecognizer
from deid.recognizers.mrn import MrnRecognizer
from deid.recognizers.provider_name import ProviderNameRecognizer
from deid.recognizers.vehicle_id import VehicleIdRecognizer
from tests.deid_rule_helpers import spans


@pytest.mark.parametrize("text,number", [
    ("Scene: Deputy R. Okafor, Patrol 17, arrived first.", "17"),
    ("EMS: Lakeside Rescue Medic 22, run #55102", "22"),
    ("Transport: county ambulance Unit 314 with BLS crew", "314"),
    ("OFFICER T. BRANDT, CAR 61", "61"),
    ("Critical care transport MICU-4 departed 0310", "4"),
])
def test_vehicle_numbers_in_an_ems_or_police_line(resources, text: str, number: str) -> None:
    assert spans(VehicleIdRecognizer(resources), text) == [number]


@pytest.mark.parametrize("text", [
    "Transferred to Unit 5 for telemetry overnight.",
    "CAR T-cell therapy discussed with oncology.",
    "Received 2 units PRBC; unit 2 hung at 1400.",
    "Engine noise reported by the patient at night.\nEMS called for an unrelated visitor.",
])
def test_vehicle_words_elsewhere_are_left(resources, text: str) -> None:
    assert spans(VehicleIdRecognizer(resources), text) == []


@pytest.mark.parametrize("text,value", [
    ("| RA | lead | PQX3320184K | 512 ohm |", "PQX3320184K"),     # device serial with a check letter
    ("portal login ok, session ZRTW55120938", "ZRTW55120938"),
])
def test_lettered_serials_and_sessions(resources, text: str, value: str) -> None:
    assert value in spans(MemberIdRecognizer(resources), text)


@pytest.mark.parametrize("text,handle", [
    ("Account: kmorales41  Login IP: recorded", "kmorales41"),
    ("Username = t.nguyen7 (reset requested)", "t.nguyen7"),
])
def test_user_names_after_an_account_word(resources, text: str, handle: str) -> None:
    assert spans(MemberIdRecognizer(resources), text) == [handle]


def test_order_numbers_with_context_but_not_dates(resources) -> None:
    mrn = MrnRecognizer(resources)
    assert spans(mrn, "toxicology sent out, work order 48813077, pending") == ["48813077"]
    assert spans(mrn, "Specimen collected 2020-11-12T08:15 by the lab.") == []
    assert spans(mrn, "requisition dated 11-12-2020 faxed") == []


@pytest.mark.parametrize("text,name", [
    ("Glasses ordered at Pemberton Optical last week.", "Pemberton Optical"),
    ("Crown made by Oakridge Dental Lab.", "Oakridge Dental Lab"),
    ("Claims go to Fairlane Benefit Administrators.", "Fairlane Benefit Administrators"),
    ("Transported by Harlan County EMS overnight.", "Harlan County"),
])
def test_business_names_by_their_endings(resources, text: str, name: str) -> None:
    assert name in spans(FacilityRecognizer(resources), text)


@pytest.mark.parametrize("text", [
    "Called EMS. Social Services consulted.",
    "Family dental hygiene poor; refer to dentist.",
])
def test_business_endings_after_plain_words_are_left(resources, text: str) -> None:
    assert spans(FacilityRecognizer(resources), text) == []


@pytest.mark.parametrize("text,name", [
    ("Device check with the manufacturer rep Dana Whitfield present.", "Dana Whitfield"),
    ("TECHNOLOGIST: OMAR REYES", "OMAR REYES"),
    ("Memorial service led by Elder Hargreave.", "Hargreave"),
    ("Intake by coordinator Priya Raman today.", "Priya Raman"),
])
def test_names_after_a_role_word(resources, text: str, name: str) -> None:
    assert name in spans(ProviderNameRecognizer(resources), text)


def test_a_name_stops_at_the_end_of_its_sentence(resources) -> None:
    found = spans(ProviderNameRecognizer(resources), "Seen with rep Jenna Walsh. Technologist: Omar Reyes.")
    assert "Jenna Walsh" in found and not any("Technologist" in f for f in found)


@pytest.mark.parametrize("text,found", [
    ('Q: What do you like to be called? A: my friends call me "Sunny"', ["Sunny"]),
    ("Everyone calls her Dottie at home.", ["Dottie"]),
    ("Please call me back after 5.", []),
])
def test_nicknames_after_calls_me(resources, text: str, found: list[str]) -> None:
    from deid.recognizers.patient_name import PatientNameRecognizer

    assert sorted({s for s in spans(PatientNameRecognizer(resources), text) if s in ("Sunny", "Dottie", "back")}) == found


@pytest.mark.parametrize("text,name", [
    ("Brought in by Bowling Green EMS.", "Bowling Green"),
    ("Seen at Grand Forks Family Dental.", "Grand Forks Family Dental"),
])
def test_plain_words_that_name_a_town_before_an_ending(resources, text: str, name: str) -> None:
    assert any(name in s for s in spans(FacilityRecognizer(resources), text))


@pytest.mark.parametrize("text,code", [
    ("12 Birch Avenue, Kelowna, BC V1Y 4R7   Phone: (250) 555-0199", "V1Y 4R7"),   # Canadian postal code
    ("14 Larch Road, Ballybeg, Co. Kerry, V92 K7PX", "V92 K7PX"),                 # Eircode
    ("Ballybeg\nLS6 2QB\n\nDear Dr Smith,", "LS6 2QB"),                            # UK postcode on its own line
])
def test_postcodes_of_other_countries(text: str, code: str) -> None:
    from deid.recognizers.street_address import StreetAddressRecognizer
    from deid.recognizers.zip_code import ZipCodeRecognizer

    res = Resources.from_config(load_deid_config())
    found = spans(ZipCodeRecognizer(res), text) + spans(StreetAddressRecognizer(res), text)
    assert code in found


@pytest.mark.parametrize("text", ["T12 fracture, L4S1 disc; ICD E11.9 and J45 noted.", "C3 C4 normal, T10 DEXA scan"])
def test_spine_levels_and_codes_are_no_postcodes(resources, text: str) -> None:
    from deid.recognizers.zip_code import ZipCodeRecognizer

    assert spans(ZipCodeRecognizer(resources), text) == []


def test_irish_counties_and_founders_firms(resources) -> None:
    from deid.recognizers.street_address import StreetAddressRecognizer

    assert "Ballybeg, Co. Kerry" in spans(StreetAddressRecognizer(resources), "Ballybeg, Co. Kerry, V92 K7PX")
    facility = spans(FacilityRecognizer(resources), "Referred by Dr Marsh, Penrose and Partners. Works for Galloway & Sons.")
    assert "Penrose and Partners" in facility and "Galloway & Sons" in facility
    assert spans(FacilityRecognizer(resources), "Cardiac Surgery review; General Practice letter.") == []


def test_registration_and_histology_numbers(resources) -> None:
    mrn = MrnRecognizer(resources)
    assert spans(mrn, "Certified translator, reg. no. KT/5531/19") == ["KT/5531/19"]
    assert spans(mrn, "Histology: H21/44120 - excision biopsy") == ["H21/44120"]
    assert "5512873K" in spans(MemberIdRecognizer(resources), "Medical card no.: 5512873K")


def test_a_role_in_brackets_names_the_person_before_it(deidentifier) -> None:
    text = "Present: R Castellan (Consultant), Dr Okoro (Radiology)"
    found = {text[s.start : s.end] for s in deidentifier.analyze(text)}
    assert "R Castellan" in found and "Okoro" in found
    out = deidentifier.deidentify(text).text
    assert "(Consultant)" in out and "(Radiology)" in out and "Castellan" not in out  # the role stays, the name goes


@pytest.mark.parametrize("text,name", [
    ("Present: C Turner (Consultant), A Miller (CNS)", "C Turner"),
    ("Present: C Turner (Consultant), A Miller (CNS)", "A Miller"),
    ("Line placed by A. Parkinson MD.", "A. Parkinson"),
])
def test_an_initial_and_an_eponym_surname_before_a_credential_or_role(resources, text: str, name: str) -> None:
    assert name in spans(ProviderNameRecognizer(resources), text)


@pytest.mark.parametrize("text", ["Stage C Parkinson disease, consultant review.", "Grade A Bell palsy, RN aware."])
def test_eponyms_after_a_grade_letter_stay(resources, text: str) -> None:
    assert spans(ProviderNameRecognizer(resources), text) == []


def test_pharmacies_registry_and_cassette_ids(resources) -> None:
    assert "Hollis Drug" in spans(FacilityRecognizer(resources), "Pharmacy: Hollis Drug, Northgate")
    assert spans(FacilityRecognizer(resources), "Study drug held. Illicit Drug Use: none.") == []
    member = MemberIdRecognizer(resources)
    assert "AJRR-2020-9537780" in spans(member, "Registry: AJRR submission id AJRR-2020-9537780; card given")
    assert "SUR19614837-A1" in spans(member, "submitted in cassettes SUR19614837-A1 through -A2.")


@pytest.mark.parametrize("text,found", [
    ("if i dont answer pls call my wife rosalind thanks", ["rosalind"]),
    ("my husband desmond will drive me", ["desmond"]),
    ("call my wife mallory thanks", ["mallory"]),  # an eponym (Mallory-Weiss) on the allow list, but after "my wife"
    ("my wife called and my son will visit, my daughter hopes so", []),
    ("my wife mark my words", []),
    ('PT STATES "I LIVE WITH MY GIRLFRIEND DOUGLAS". WORKS NIGHTS.', ["DOUGLAS"]),  # in capitals after kin in capitals
    ("MY WIFE WILL CALL. MY SON CALLED TODAY.", []),
])
def test_lower_case_name_after_my_kin(resources, text: str, found: list[str]) -> None:
    from deid.recognizers.relative_name import RelativeNameRecognizer

    assert spans(RelativeNameRecognizer(resources), text) == found
