"""Rules for outpatient, diagnostic and operations documents that each recognizer must hold on its own
(without the learned tagger behind it): pathology accession and block numbers, research logs and case
report forms, billing account notes, dispatch and ride logs, specialty practices named after a founder.

The sentences are written for these tests, not taken from any corpus or held-out set.
"""

from __future__ import annotations

import pytest

from deid.recognizers.facility import FacilityRecognizer
from deid.recognizers.labelled_field import LabelledFieldRecognizer
from deid.recognizers.mrn import MrnRecognizer
from deid.recognizers.provider_name import ProviderNameRecognizer
from deid.recognizers.table_column import TableColumnRecognizer
from tests.deid_rule_helpers import spans


@pytest.mark.parametrize("text,value", [
    ("Immunostains on block S21-40417-B2 support the diagnosis.\n", "S21-40417-B2"),
    ("| A18-00731-A1 | H&E slide | 3 |\n", "A18-00731-A1"),
    ("Outside case C23-5512 received by courier.\n", "C23-5512"),
    ("Consult number SP19-88120 assigned.\n", "SP19-88120"),
])
def test_pathology_accessions_and_blocks_are_ids_on_their_own(resources, text: str, value: str) -> None:
    assert set(spans(MrnRecognizer(resources), text)) == {value}


@pytest.mark.parametrize("text", ["Fracture at T12-L1 and C5-6.\n", "COVID-19 PCR negative.\n", "HbA1c 7.2 in 2021-03.\n"])
def test_levels_and_test_names_are_no_accessions(resources, text: str) -> None:
    assert spans(MrnRecognizer(resources), text) == []


def test_a_request_id_of_a_monitoring_report(resources) -> None:
    assert spans(MrnRecognizer(resources), "REQUEST ID: 508812734   RUN 3/1/2024\n") == ["508812734"]


def test_a_screening_log_column_of_subject_numbers(resources) -> None:
    text = "| Screen # | Initials | Age | Outcome |\n|---|---|---|---|\n| R40917 | K.L.M. | 61 | enrolled |\n"
    assert "R40917" in spans(TableColumnRecognizer(resources), text)


@pytest.mark.parametrize("text,value", [
    ("SUBJECT ID: 0412-007   INITIALS: RKT\n", "RKT"),
    ("Completed by: WDP  12MAR2022\n", "WDP"),
    ("Dispatcher: Imre V.\n", "Imre V"),
    ("REQUESTED BY: HALVORSEN, TOVE\n", "HALVORSEN, TOVE"),
    ("Driver: Abiodun Fashola   Vehicle: van 12\n", "Abiodun Fashola"),
])
def test_initials_requester_dispatcher_and_driver_fields(resources, text: str, value: str) -> None:
    assert spans(LabelledFieldRecognizer(resources), text) == [value]


@pytest.mark.parametrize("text", ["Driver: yes\n", "Initials: n/a\n", "Completed by: patient\n"])
def test_those_fields_without_a_name_are_left(resources, text: str) -> None:
    assert spans(LabelledFieldRecognizer(resources), text) == []


@pytest.mark.parametrize("text,value", [
    ("11/02/21 0915 KDW CALLED GUARANTOR, NO ANSWER\n", "KDW"),
    ("3/7/22 14:05 J.R.T. STATEMENT REPRINTED\n", "J.R.T."),
    ("06/30/20 1620 B. OYELARAN PAYMENT POSTED\n", "B. OYELARAN"),
])
def test_the_author_of_an_account_or_call_log_entry(resources, text: str, value: str) -> None:
    assert value in spans(ProviderNameRecognizer(resources), text)


@pytest.mark.parametrize("text", ["05/28/20 0736 SYS PLAN ACTIVE\n", "12/01/20 0800 PT AMBULATED IN HALL\n"])
def test_the_system_or_an_abbreviation_is_no_log_author(resources, text: str) -> None:
    assert spans(ProviderNameRecognizer(resources), text) == []


def test_initials_after_by_with_a_credential(resources) -> None:
    assert set(spans(ProviderNameRecognizer(resources), "Work-up by TQN, COA\n")) == {"TQN"}
    assert spans(ProviderNameRecognizer(resources), "Seen by PT, DPT\n") == []


@pytest.mark.parametrize("text,value", [
    ("Referred to Harlow Retina & Vitreous for injections.\n", "Harlow Retina & Vitreous"),
    ("Guest dosing at Brennan Treatment Services next week.\n", "Brennan Treatment Services"),
    ("Send to Carter Central Laboratories today.\n", "Carter Central Laboratories"),
    ("Copy to Marsh Internal Medicine, fax on file.\n", "Marsh Internal Medicine"),
])
def test_practices_and_services_named_after_their_founder(resources, text: str, value: str) -> None:
    assert spans(FacilityRecognizer(resources), text) == [value]


@pytest.mark.parametrize("text", ["Followed by Internal Medicine for diabetes.\n", "Normal Retina on exam.\n",
                                  "Ordered from Central Supply today.\n"])
def test_a_department_or_a_finding_is_no_practice(resources, text: str) -> None:
    assert spans(FacilityRecognizer(resources), text) == []
