"""Rules for public-service and legal-medical forms that each recognizer must hold on its own
(without the learned tagger behind it): EMS run reports, chains of custody and call logs, carrier,
insurer and funeral-home fields, towns of birth, signed initials and kit or case numbers.

The sentences are written for these tests, not taken from any corpus or held-out set.
"""

from __future__ import annotations

import pytest

from deid.recognizers.facility import FacilityRecognizer
from deid.recognizers.labelled_field import LabelledFieldRecognizer
from deid.recognizers.member_id import MemberIdRecognizer
from deid.recognizers.mrn import MrnRecognizer
from deid.recognizers.place_name import PlaceNameRecognizer
from deid.recognizers.provider_name import ProviderNameRecognizer
from deid.recognizers.table_column import TableColumnRecognizer
from deid.recognizers.vehicle_id import VehicleIdRecognizer
from tests.deid_rule_helpers import spans


@pytest.mark.parametrize("text,value", [
    ("Driver: K. Osei   Motor carrier: Brennan Haulage (USDOT 3310442)\n", "Brennan Haulage"),
    ("Leave administered by: Northgate Claims Services   Claim #: 55-1201\n", "Northgate Claims Services"),
    ("FUNERAL HOME: OKAFOR MEMORIAL CHAPEL   PHONE: 555 0134\n", "OKAFOR MEMORIAL CHAPEL"),
    ("Sex: F\nTown of birth: Pinar del Rio   Country of birth: Cuba\n", "Pinar del Rio"),
    ("Place of birth: Gonaives\n", "Gonaives"),
])
def test_carrier_administrator_funeral_home_and_birth_town_fields(resources, text: str, value: str) -> None:
    found = spans(LabelledFieldRecognizer(resources), text)
    assert value in found and all(f == value or f == "K. Osei" for f in found)  # "Driver:" names its driver too


@pytest.mark.parametrize("text", ["Carrier: none\n", "Insurer: self-pay\n", "City of birth: unknown\n"])
def test_those_fields_without_a_value_are_left(resources, text: str) -> None:
    assert spans(LabelledFieldRecognizer(resources), text) == []


@pytest.mark.parametrize("text,name", [
    ("REPORTED BY.....: WOLFE, MARTA  (555) 210-3344\n", "WOLFE, MARTA"),  # a dotted leader; a family name that is a word
    ("COORDINATOR: OYELARAN. TUNDE\n", "OYELARAN. TUNDE"),
    ("Examiner: Priscilla Nakamura, RN\n", "Priscilla Nakamura"),
    ("Next of kin: Husband, Dario Pell\n", "Dario Pell"),  # a kinship word still leads the name
])
def test_person_fields_with_dotted_leaders_and_family_names_first(resources, text: str, name: str) -> None:
    assert spans(LabelledFieldRecognizer(resources), text) == [name]


def test_crew_lists_with_roles_in_brackets(resources) -> None:
    text = "Crew | Halloran, Bea T. (Paramedic, cert 88120) | Ngozi A. (EMT-B, cert 99031)\nTECHS: RUI P. (PCT), Sunniva L.\n"
    assert spans(LabelledFieldRecognizer(resources), text) == ["Halloran", "Bea T.", "Ngozi A.", "RUI P.", "Sunniva L."]


def test_custody_log_and_call_log_columns(resources) -> None:
    text = ("Item | Released by | Received by | Date\n"
            "Swab kit | TQW (SANE) | Det. Farris | 3/4\n"
            "\n"
            "time\tby\tnote\n"
            "0915\tKLO\tAdvised home observation.\n"
            "\n"
            "Rx #    | Drug          | Qty\n"
            "6620915 | lisinopril 10 | 30\n")
    assert spans(TableColumnRecognizer(resources), text) == ["TQW (SANE)", "Det. Farris", "KLO", "6620915"]


@pytest.mark.parametrize("text,number", [
    ("AGENCY......: BRAMLEY EMS\nUNIT........: MEDIC 41B\n", "41B"),
    ("AGENCY......: BRAMLEY FIRE RESCUE\nUNIT........: K2204\n", "K2204"),
])
def test_run_report_unit_fields(resources, text: str, number: str) -> None:
    assert spans(VehicleIdRecognizer(resources), text) == [number]


def test_a_ward_unit_without_an_ems_word_nearby_is_left(resources) -> None:
    assert spans(VehicleIdRecognizer(resources), "Transferred to the ward.\nUnit: 4B  Bed: 12\n") == []


@pytest.mark.parametrize("text,value", [
    ("EVIDENCE KIT #: VKIT-0048812   Seal intact: Y", "VKIT-0048812"),
    ("photographs x9 (photo log PL-4410982).", "PL-4410982"),
    ("CREW 1: DORSEY, AMIR  LIC# P-550129", "P-550129"),
])
def test_kit_photo_log_and_licence_numbers(resources, text: str, value: str) -> None:
    assert value in spans(MemberIdRecognizer(resources), text)


@pytest.mark.parametrize("text,value", [
    ("CASE ID: TOX-22-418820   DATE: 1/2", "TOX-22-418820"),
    ("Independent medical examination, file IME-30117-04.", "IME-30117-04"),
])
def test_case_ids_and_file_numbers(resources, text: str, value: str) -> None:
    assert spans(MrnRecognizer(resources), text) == [value]


def test_hla_and_covid_codes_are_no_kit_numbers(resources) -> None:
    text = "HLA-B27 negative; COVID-19 PCR negative; CA-125 of 40; ISO-9001 clinic."
    assert spans(MemberIdRecognizer(resources), text) == []
    assert spans(MrnRecognizer(resources), text) == []


@pytest.mark.parametrize("text,name", [
    ("He drives for Doyle Transport since 2015.", "Doyle Transport"),
    ("Records from the insurer (Fairweather Indemnity) were reviewed.", "Fairweather Indemnity"),
    ("Arrangements by HARTLEY & SONS FUNERAL DIRECTORS.", "HARTLEY & SONS"),
])
def test_carriers_insurers_and_founders_firms(resources, text: str, name: str) -> None:
    assert name in spans(FacilityRecognizer(resources), text)


@pytest.mark.parametrize("text", [
    "Patient Transport was booked for 10:00.", "Oxygen Supply checked.", "HUSBAND AND SONS AT BEDSIDE.",
    "collateral supply present.",
])
def test_plain_words_before_a_trade_word_are_left(resources, text: str) -> None:
    assert spans(FacilityRecognizer(resources), text) == []


@pytest.mark.parametrize("text,found", [
    ("SPECIALIST: OKORO, DEBORAH A., RN, CSPI  (DAO)\nF/U 1400: SPOKE W ED\n", "DAO"),
    ("Counsel for the claimant is Atty. Wexford of Baines & Lowe.", "Wexford"),
    ("Spoke with ME investigator Tamsin Ridley this morning.", "Tamsin Ridley"),
])
def test_signed_initials_attorneys_and_investigators(resources, text: str, found: str) -> None:
    assert found in spans(ProviderNameRecognizer(resources), text)


def test_a_unit_in_brackets_after_a_signature_is_no_initials(resources) -> None:
    assert "ICU" not in spans(ProviderNameRecognizer(resources), "Reviewed by Mara Olsen, RN (ICU)\n")


def test_a_town_in_capitals_before_its_country(resources) -> None:
    text = "ITINERARY: FLEW TO DA NANG (VIETNAM), THEN KUMASI (GHANA).\n"
    assert sorted(set(spans(PlaceNameRecognizer(resources), text))) == ["DA NANG", "KUMASI"]


def test_a_clock_time_is_kept_not_shifted_as_a_date(deidentifier) -> None:
    """The tagger may read a clock time in capitals as a date; a shifted "03" would garble it."""
    from deid.types import PatientContext

    text = "TIME OF DEATH 03:49\nPRONOUNCED 03:49 BY NIGHT RN.\n"
    assert deidentifier.deidentify(text, PatientContext("p-1")).text.count("03:49") == 2


@pytest.mark.parametrize("text,name", [
    ("Signed: Wren T.\n", "Wren T"),
    ("Electronically signed by: Dr. Kofi Mensah, MD 01/02/2020\n", "Kofi Mensah"),  # the title and credential stay
])
def test_signature_fields(resources, text: str, name: str) -> None:
    assert spans(LabelledFieldRecognizer(resources), text) == [name]


@pytest.mark.parametrize("text", ["Signed: Electronically\n", "Signed: 01/02/2020\n", "Signature: patient\n"])
def test_signature_fields_without_a_name_are_left(resources, text: str) -> None:
    assert spans(LabelledFieldRecognizer(resources), text) == []


@pytest.mark.parametrize("text,name", [("SEEN BY MAX S., NP - TRAVEL CLINIC", "MAX S."), ("Seen by Omar K., RN today", "Omar K.")])
def test_a_given_name_and_initial_before_a_credential(resources, text: str, name: str) -> None:
    assert name in spans(ProviderNameRecognizer(resources), text)


@pytest.mark.parametrize("text,town", [
    ("Family history:\n  sister: Dana Cole, 66, Cedar Holly, IL\n", "Cedar Holly"),
    ("Lives in Quartz Bend, NV 89001 with his wife.", "Quartz Bend"),
])
def test_a_town_no_list_holds_before_its_state(resources, text: str, town: str) -> None:
    assert town in spans(PlaceNameRecognizer(resources), text)


@pytest.mark.parametrize("text", [
    "Seen by Amy Ruiz, MD today.", "Joan Li, MA, roomed the patient.", "Feels Fine, OK.", "Dx: Prostate, CA\n",
])
def test_credentials_words_and_organs_before_a_state_code_are_no_town(resources, text: str) -> None:
    assert spans(PlaceNameRecognizer(resources), text) == []


def test_a_law_firm_named_after_its_founders(resources) -> None:
    text = "cc: Ines Parr, Esq., Whitlow, Whitlow & Associates (defense counsel)"
    assert "Whitlow, Whitlow & Associates" in spans(FacilityRecognizer(resources), text)


@pytest.mark.parametrize("text,found", [
    ("Call the warmline any time. - rb IBCLC\n", "rb"),
    ("FEEDS WELL, CALL PRN. - TQ IBCLC\n", "TQ"),
])
def test_initials_and_a_credential_signing_a_message(resources, text: str, found: str) -> None:
    assert found in spans(ProviderNameRecognizer(resources), text)


@pytest.mark.parametrize("text", ["seen - pt RN\n", "vitals stable - am RN\n", "BP 120/80 - no RN\n"])
def test_shorthand_before_a_credential_is_no_signature(resources, text: str) -> None:
    assert spans(ProviderNameRecognizer(resources), text) == []


@pytest.mark.parametrize("text,name", [
    ("Neighbor Zhaoyun Pan drives her to visits.", "Zhaoyun Pan"),
    ("Older sibling Ifeoluwa had strep last month.", "Ifeoluwa"),
])
def test_unlisted_names_after_a_relation_word(resources, text: str, name: str) -> None:
    from deid.recognizers.relative_name import RelativeNameRecognizer

    assert spans(RelativeNameRecognizer(resources), text) == [name]


@pytest.mark.parametrize("text", ["Husband Tylenol given.", "Mother Reports pain.", "Wife HCP aware."])
def test_words_after_a_relation_word_are_left(resources, text: str) -> None:
    from deid.recognizers.relative_name import RelativeNameRecognizer

    assert spans(RelativeNameRecognizer(resources), text) == []


@pytest.mark.parametrize("text,value", [
    ("Camper: J. Ortiz\nCamp: Camp Wendigo   Session begins 07/11/2020\n", "Camp Wendigo"),
    ("Daycare: Little Sprouts Academy\n", "Little Sprouts Academy"),
])
def test_camp_and_daycare_fields(resources, text: str, value: str) -> None:
    assert value in spans(LabelledFieldRecognizer(resources), text)


def test_a_student_id(resources) -> None:
    assert spans(MemberIdRecognizer(resources), "DOB 2010-04-17  STUDENT ID 4410872\n") == ["4410872"]


def test_an_age_field_is_kept_not_shifted_as_a_date(deidentifier) -> None:
    from deid.types import PatientContext

    assert deidentifier.deidentify("Age: 09   Sex: F\n", PatientContext("p-1")).text.startswith("Age: 09 ")


def test_a_zip_code_inside_a_name_span_is_replaced() -> None:
    """The tagger may read "TOWN 65966" as one name; the name surrogate must not keep the ZIP."""
    from deid.operators.name_surrogate import NameSurrogate

    out = NameSurrogate().operate("CALDWELL 65966", {"secret": b"k", "patient_key": "p-1"})
    assert "CALDWELL" not in out and "65966" not in out and len(out.split()[-1]) == 5


def test_a_highway_address_in_capitals(resources) -> None:
    from deid.recognizers.street_address import StreetAddressRecognizer

    text = "LOCATION: 7123 REEVES HIGHWAY APT. 670, CALDWELL 65966  TEL 555 0100\n"
    found = spans(StreetAddressRecognizer(resources), text)
    assert any(f.startswith("7123 REEVES HIGHWAY") and f.endswith("65966") for f in found), found
