"""Pipeline tests: surrogates, date shift, deny list, canary, public mode, evaluation."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from deid.config import load_deid_config
from deid.dates import parse_date
from deid.evaluation import evaluate_gold
from deid.pipeline import Deidentifier
from deid.surrogates import surrogate_vocabulary
from deid.types import PatientContext

GOLD = Path("/work/shared/data/physionet-deid/gold_dev.jsonl")
SYNTH = Path("/work/shared/data/presidio-research/generated_small.json")


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier.build_default(b"secret-A")


@pytest.fixture(scope="module")
def public_deid() -> Deidentifier:
    cfg = load_deid_config()
    cfg.public_mode = True
    return Deidentifier(cfg, b"secret-A")


def test_surrogate_vocabulary():
    vocab = surrogate_vocabulary()
    assert isinstance(vocab, frozenset) and len(vocab) > 100
    assert all(w == w.lower() for w in vocab)
    assert "hospital" not in vocab


def test_surrogates_consistent_per_patient(deid):
    p = PatientContext("pt-1")
    a = deid.deidentify("Dr. Falvey aware. Daughter Philomena called.", p).text
    b = deid.deidentify("Philomena in to visit; dr falvey notified.", p).text
    sur = re.search(r"Daughter (\w+)", a).group(1)
    assert "Philomena" not in a and "Falvey" not in a
    assert sur in b
    other = deid.deidentify("Daughter Philomena called.", PatientContext("pt-2")).text
    assert "Philomena" not in other


def test_a_surrogate_is_never_the_original_value():
    """The surrogate lists hold real names and places: a name, city or hospital that is on its own
    list must come out as another one, for every patient key (1 in 51 came back unchanged before)."""
    from deid.operators.location_surrogate import LocationSurrogate
    from deid.operators.name_surrogate import NameSurrogate
    from deid.surrogates import load_list

    names, places = NameSurrogate(), LocationSurrogate()
    for i in range(20):
        params = {"secret": b"secret-A", "patient_key": f"pt-{i}"}
        for name in load_list("last_names") + load_list("first_names"):
            assert names.operate(name, params).casefold() != name.casefold()
        for city in load_list("cities"):
            assert places.operate(city, {**params, "entity_type": "LOCATION"}).casefold() != city.casefold()
        for hospital in load_list("hospitals"):
            out = places.operate(hospital, {**params, "entity_type": "HOSPITAL"})
            assert out.split()[0].casefold() != hospital.split()[0].casefold(), (hospital, out)


def test_surrogates_keyed_by_secret(deid):
    other = Deidentifier(deid.config, b"secret-B")
    p = PatientContext("pt-1")
    texts = ["Dr. Falvey aware.", "Daughter Philomena called.", "MRN 7731-002-91", "Dr. Kozicki aware."]
    assert any(deid.deidentify(t, p).text != other.deidentify(t, p).text for t in texts)
    assert deid.pseudonym("pt-1") != other.pseudonym("pt-1")
    assert deid.pseudonym("pt-1") == deid.pseudonym("pt-1")


def test_date_shift_nonzero_stable_and_interval_preserving(deid):
    for k in ("a", "b", "c", "d", "e"):
        assert deid.date_shift_days(k) != 0
        assert deid.date_shift_days(k) == deid.date_shift_days(k)
    cfg = deid.config.date_shift
    assert all(cfg.min_days <= abs(deid.date_shift_days(str(i))) <= cfg.max_days for i in range(50))
    p = PatientContext("pt-9")
    out = deid.deidentify("Admitted 7/22/2023, extubated 8/03/2023.", p)
    d1, d2 = [parse_date(x).value for x in re.findall(r"\d+/\d+/\d{4}", out.text)]
    assert (d2 - d1).days == (date(2023, 8, 3) - date(2023, 7, 22)).days
    assert out.date_shift_days == deid.date_shift_days("pt-9")
    assert "7/22/2023" not in out.text
    partial = deid.deidentify("S/P CATH 7/22. July 22nd. 22-Jul.", p).text
    assert re.search(r"\b\d{1,2}/\d{1,2}\.", partial) and "7/22" not in partial


def test_date_shift_moves_day_of_year(deid):
    """A shift of about a whole year would leave partial dates ("9/2", no year) unchanged."""
    cfg = deid.config.date_shift
    for i in range(300):
        days = abs(deid.date_shift_days(f"p{i}"))
        assert min(days % 365, 365 - days % 365) >= cfg.min_days
        assert min(days % 366, 366 - days % 366) >= cfg.min_days


def test_replacements_hold_no_text(deid):
    res = deid.deidentify("Dr. Falvey called 410-555-9876 on 7/22.", PatientContext("x"))
    assert res.replacements and all(set(vars(r)) == {"entity_type", "start", "end"} for r in res.replacements)
    assert res.counts_by_type["PHONE"] == 1


def test_age_and_ids_operators(deid):
    out = deid.deidentify("98 yo gentleman, MRN: 7731-002-91", PatientContext("x")).text
    assert out.startswith("90+ yo")
    mrn = out.split("MRN: ")[1]
    assert re.fullmatch(r"\d{4}-\d{3}-\d{2}", mrn) and mrn != "7731-002-91"


def test_planted_phi_canary(deid):
    planted = {
        "name": "Zebulon Quackenbush", "mrn": "4471-093-18", "phone": "617-555-0143",
        "email": "zq1955@mailbox.example.net", "date": "03/14/2021", "ssn": "219-09-9999",
    }
    patient = PatientContext("canary", known_identifiers={"PATIENT": (planted["name"],)})
    text = (f"Mr. Zebulon Quackenbush (MRN {planted['mrn']}) seen {planted['date']}. "
            f"Call {planted['phone']} or {planted['email']}. SSN {planted['ssn']}. "
            "Quackenbush tolerated CT and MRI; Foley in place.")
    out = deid.deidentify(text, patient).text
    for value in planted.values():
        for part in value.split():
            assert part.lower() not in out.lower(), part
    for kept in ("CT", "MRI", "Foley"):
        assert kept in out


def test_public_mode_keeps_ages_years_eponyms(public_deid):
    text = "73-year-old man with Parkinson disease diagnosed in 2019; MI 1992. Call 410-555-9876."
    out = public_deid.deidentify(text).text
    assert "73-year-old" in out and "2019" in out and "1992" in out and "Parkinson" in out
    assert "410-555-9876" not in out


def test_batch_equals_single(deid):
    items = [("Dr. Falvey aware on 7/22.", PatientContext("a")), ("son bill called", None)]
    batch = deid.deidentify_batch(items)
    assert [r.text for r in batch] == [deid.deidentify(t, p).text for t, p in items]


def test_evaluate_gold_small_slices(deid):
    rep = evaluate_gold(GOLD, deid, limit=150)
    js = rep.to_json()
    assert {"recall", "precision", "notes_per_second", "by_type", "false_positives_per_phi_free_note"} <= set(js)
    assert 0.8 <= js["recall"] <= 1 and 0.6 <= js["precision"] <= 1 and js["notes_per_second"] > 5
    assert "Date" in js["by_type"] and "support" in js["by_type"]["Date"]
    assert "recall" in rep.to_table()
    rep2 = evaluate_gold(SYNTH, deid, limit=50)
    assert rep2.n_notes == 50 and 0.1 <= rep2.recall <= 1 and rep2.precision > 0.5


def test_evaluate_gold_halves_partition_the_file(deid):
    """--half even|odd: the two halves are disjoint and together are the whole file."""
    from deid.evaluation import load_gold, select_half

    notes = load_gold(SYNTH)[:41]
    even, odd = select_half(notes, "even"), select_half(notes, "odd")
    assert len(even) == 21 and len(odd) == 20
    assert [n.text for n in even] == [notes[i].text for i in range(0, 41, 2)]
    assert [n.text for n in odd] == [notes[i].text for i in range(1, 41, 2)]
    assert select_half(notes, None) is notes
    with pytest.raises(ValueError, match="even"):
        select_half(notes, "first")
    rep = evaluate_gold(SYNTH, deid, limit=30, half="odd")
    assert rep.n_notes == 30 and "odd records" in rep.dataset
