"""Rules for forms, tables, logs and signatures that each recognizer must hold on its own (without
the learned tagger behind it): name fields, table columns headed by a person or a place, HL7 v2
segments, ranks and titles, military units, store numbers and extensions.

The sentences are written for these tests, not taken from any corpus or held-out set.
"""

from __future__ import annotations

import pytest

from deid.pipeline import Deidentifier
from deid.recognizers.facility import FacilityRecognizer
from deid.recognizers.hl7_segment import Hl7SegmentRecognizer
from deid.recognizers.labelled_field import LabelledFieldRecognizer
from deid.recognizers.phone import DeidPhoneRecognizer
from deid.recognizers.provider_name import ProviderNameRecognizer
from deid.recognizers.table_column import TableColumnRecognizer
from tests.deid_rule_helpers import spans


@pytest.mark.parametrize("text,name", [
    ("Interpreter: phone, Somali. Name: Abdi Warsame  ID: 55120", "Abdi Warsame"),
    ("Next of kin: Nephew, Tomas Vrba 555 0101", "Tomas Vrba"),
    ("Witness: R. Okonjo   Date: 04/02/2021", "R. Okonjo"),
])
def test_name_fields(resources, text: str, name: str) -> None:
    assert spans(LabelledFieldRecognizer(resources), text) == [name]


@pytest.mark.parametrize("text", ["Emergency contact: Mother", "Name of medication: Lisinopril", "Contact: see chart"])
def test_name_fields_without_a_name_are_left(resources, text: str) -> None:
    assert spans(LabelledFieldRecognizer(resources), text) == []


def test_table_columns_headed_by_a_person_or_a_place(resources) -> None:
    table = ("Drug            | Prescriber   | Pharmacy            | Filled\n"
             "metformin 500   | Bell         | Orchard Apothecary  | 2/2/22\n"
             "aspirin 81      | Self         | OTC                 | -\n"
             "atorvastatin 20 | Q. Farouk    | Orchard Apothecary  | 1/9/22\n")
    found = spans(TableColumnRecognizer(resources), table)
    assert found == ["Bell", "Orchard Apothecary", "Q. Farouk", "Orchard Apothecary"]
    assert spans(TableColumnRecognizer(resources), "| Test | Result | Units |\n| Na | 131 | mmol/L |\n") == []


HL7 = ("MSH|^~\\&|LAB|RIVERBEND CLINIC|ADT|NORTHWING|202103011200||ADT^A08|5512|P|2.5.1\n"
       "PID|1||7720-114-03^^^NW^MR~880213344^^^EXT^PI||QUILLEN^MAREN^J||19750214|F|||41 ASPEN ROW^^COLTON^OR^97017||^PRN^PH^^1^503^5550148\n"
       "NK1|1|QUILLEN^ARNE|SPO^SPOUSE|503.555.0162\n"
       "PV1|1|O|CLINIC||||4410021^HALVORSEN^INGRID^^^^MD\n"
       "OBR|1|M5080||85025^CBC|||202103011105||||||||1264150821^OKONJO^VERA")  # a clinician one field off


def test_hl7_fields(resources) -> None:
    found = set(spans(Hl7SegmentRecognizer(resources), HL7))
    assert {"7720-114-03", "NW", "880213344", "QUILLEN", "MAREN", "41 ASPEN ROW", "COLTON", "97017", "503", "5550148",
            "ARNE", "503.555.0162", "4410021", "HALVORSEN", "INGRID", "RIVERBEND CLINIC", "NORTHWING",
            "1264150821", "OKONJO", "VERA"} <= found
    assert not found & {"PID", "NK1", "MR", "SPO", "ADT", "F", "OR"}


def test_hl7_segments_keep_their_structure() -> None:
    out = Deidentifier.build_default(b"test-site").deidentify(HL7).text
    assert [line.split("|")[0] for line in out.splitlines()] == ["MSH", "PID", "NK1", "PV1", "OBR"]
    assert [line.count("^") for line in out.splitlines()] == [line.count("^") for line in HL7.splitlines()]
    assert [line.count("|") for line in out.splitlines()] == [line.count("|") for line in HL7.splitlines()]
    for value in ("QUILLEN", "880213344", "HALVORSEN", "97017", "5550148", "OKONJO"):
        assert value not in out


@pytest.mark.parametrize("text,name", [
    ("RESULT READ BACK BY DR C. TURNER AT 14:02", "C. TURNER"),       # an eponym surname after title and initial
    ("Escorted by Sgt. Shin and Cpl. Ramos.", "Shin"),
    ("Called by tech Song from the core lab.", "Song"),              # a listed name that is a word, after a lower-case role
    ("with the staff interpreter, Femi (314581)", "Femi"),
    ("From: S. Han, DO  Tel: 555 0100", "S. Han"),
    ("/es/ MARGO LINDQVIST\nPACT PROVIDER", "MARGO LINDQVIST"),
    ("Completed by PharmD Fisher", "Fisher"),
    ("ATTENDS CHURCH BY ELDER TURNER. MAILING DUE.", "TURNER"),       # an eponym surname after a role, in capitals                        # an eponym surname after a credential-role
    ("  BELL, ODETTE  NPI 1234567893  ph 555 0100", "BELL"),           # the family name before a prescriber's number
])
def test_names_after_titles_ranks_roles_and_in_signatures(resources, text: str, name: str) -> None:
    assert name in spans(ProviderNameRecognizer(resources), text)


@pytest.mark.parametrize("text", ["Lt. Knee pain; Col. polyps.", "Called by tech Support.", "S. Han, MD  Tel: 555 0100",
                                  "PLEASE DO NOT RESUSCITATE"])
def test_no_name_from_shorthand_or_contact_labels(resources, text: str) -> None:
    found = spans(ProviderNameRecognizer(resources), text)
    assert not set(found) & {"Knee", "Support", "Tel", "NOT", "Col"}


@pytest.mark.parametrize("text,value", [
    ("Served with the 1st Cavalry Division at Fort Hood.", "1st Cavalry Division"),
    ("3RD BATTALION, 7TH MARINES; later USS NIMITZ (CVN-68).", "3RD BATTALION, 7TH MARINES"),
    ("3RD BATTALION, 7TH MARINES; later USS NIMITZ (CVN-68).", "USS NIMITZ (CVN-68)"),
    ("Rx sent to CVS Pharmacy #1450 today.", "1450"),
    ("Preferred: Costco Pharmacy store 19028", "19028"),
    ("Site: Okafor Family Child Care   Role: aide", "Okafor Family Child Care"),
])
def test_units_ships_store_numbers_and_child_care(resources, text: str, value: str) -> None:
    assert value in spans(FacilityRecognizer(resources), text)


def test_generic_unit_words_need_a_name(resources) -> None:
    assert spans(FacilityRecognizer(resources), "2nd Group of patients; 3rd Support visit.") == []


def test_extension_after_a_paging_word(resources) -> None:
    assert spans(DeidPhoneRecognizer(resources), "paged Dr Lowe at x70412, returned call") == ["x70412"]
    assert spans(DeidPhoneRecognizer(resources), "heparin x2000 units") == []


def test_hl7_dates_are_shifted_in_their_own_format() -> None:
    from datetime import datetime

    from deid.types import PatientContext

    deid = Deidentifier.build_default(b"test-site")
    out = deid.deidentify(HL7, PatientContext("p-hl7")).text
    dob = out.splitlines()[1].split("|")[7]
    stamp = out.splitlines()[0].split("|")[6]
    shift = deid.date_shift_days("p-hl7")
    assert (datetime.strptime(dob, "%Y%m%d") - datetime(1975, 2, 14)).days == shift
    assert (datetime.strptime(stamp, "%Y%m%d%H%M") - datetime(2021, 3, 1, 12, 0)).days == shift


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_hl7_segments_ended_by_carriage_returns(resources, newline: str) -> None:
    message = HL7.replace("\n", newline)
    assert set(spans(Hl7SegmentRecognizer(resources), message)) == set(spans(Hl7SegmentRecognizer(resources), HL7))


@pytest.mark.parametrize("text,value", [
    ("EMPLOYER   FEIN 47-1180325", "47-1180325"),                             # an employer's tax id by its shape
    ("Circuit Court of Ames County, No. 21-CV-40917", "21-CV-40917"),
    ("STATE CASE #: KPRN-2210-118845", "KPRN-2210-118845"),
    ("Donor ID QRT4471, match ID 5512093", "QRT4471"),
])
def test_case_tax_and_donor_numbers(resources, text: str, value: str) -> None:
    from deid.recognizers.mrn import MrnRecognizer

    assert value in spans(MrnRecognizer(resources), text)


def test_lab_values_and_codes_are_no_case_numbers(resources) -> None:
    from deid.recognizers.mrn import MrnRecognizer

    assert spans(MrnRecognizer(resources), "WBC 12.3, ICD-10 E11.9, CPT 99213, HbA1c 7.2, ABO 1234 units") == []


def test_staff_numbers_and_initials_in_a_waste_log(resources) -> None:
    found = spans(ProviderNameRecognizer(resources),
                  "ketamine 50 mg/mL\t25 mg\tQ.V. (375471)\tT. Okafor (348375)\tWilla R. (50673)")
    assert {"Q.V.", "375471", "T. Okafor", "348375", "Willa R.", "50673"} <= set(found)
    assert spans(ProviderNameRecognizer(resources), "Pt given 2 tabs (1000) and IV (5000) units.") == []


def test_initials_in_a_list_of_people(resources) -> None:
    found = spans(ProviderNameRecognizer(resources), "Counts correct x2 (T.W. / B.W.M.)")
    assert found == ["T.W.", "B.W.M."]


def test_attendance_lists_and_sign_out_lines(resources) -> None:
    rec = LabelledFieldRecognizer(resources)
    assert spans(rec, "Present (6): Diego, Quarles B., Gideon, Staff, Family") == ["Diego", "Quarles B.", "Gideon"]
    assert spans(rec, "* Rm 31A -- JOHNSON, PAUL, 87 y/o man") == ["JOHNSON, PAUL"]
    assert spans(rec, "Bed 4: Stable, Afebrile overnight") == []


def test_mrn_column_of_a_sign_out_table(resources) -> None:
    table = "Bed | Patient | MRN | Status\n----+---------+-----+-------\n31B | Abernethy, Gemma | 90420032 | Stable\n"
    assert "90420032" in spans(TableColumnRecognizer(resources), table)


@pytest.mark.parametrize("text,value", [
    ("JOB SITE: 2450 COUNTY ROAD 54, WOODHAVEN, SD 48221", "2450 COUNTY ROAD 54, WOODHAVEN, SD 48221"),
    ("Lives at 957 Rural Route 98 with her son", "957 Rural Route 98"),
])
def test_numbered_roads(resources, text: str, value: str) -> None:
    from deid.recognizers.street_address import StreetAddressRecognizer

    assert value in spans(StreetAddressRecognizer(resources), text)
    assert spans(StreetAddressRecognizer(resources), "Take 1 route 66 later; route 2 changed.") == []


@pytest.mark.parametrize("text,value", [
    ("Home infusion: Rice Visiting Nurses, nurse on call", "Rice Visiting Nurses"),
    ("CUSTODIAN AT GREEN FABRICATION", "GREEN FABRICATION"),
    ("Exposure sites: Brown Bakery and the gym", "Brown Bakery"),
])
def test_businesses_named_by_their_trade(resources, text: str, value: str) -> None:
    assert value in spans(FacilityRecognizer(resources), text)


def test_a_sign_out_table_with_notes_under_its_rows(resources) -> None:
    table = ("Bed\tName\tAge\tMRN\tSummary\n"
             "17A\tRook, Tamsin\t40f\t8434-010-03\tC diff on PO vanc\n"
             "     ^ PCP Dr. Ames at Harlow Internal Medicine\n"
             "40B\tShelby, Ione\t80f\t56031999\tUGIB s/p EGD\n")
    found = spans(TableColumnRecognizer(resources), table)
    assert {"Rook, Tamsin", "8434-010-03", "Shelby, Ione", "56031999"} <= set(found)
