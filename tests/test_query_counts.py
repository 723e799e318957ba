"""Exact counts against a brute-force count in plain Python; opt-out; keyword search; contribution bound."""

from __future__ import annotations

from collections import defaultdict

import pytest

from node.governance.optout import OptOutRegistry
from node.query.engine import count_patients
from node.query.where import query_from_cli
from tests.query_helpers import open_filled_store, synthetic_docs

DOCS = synthetic_docs("hospital-a", 40, notes_per_patient=3, seed=11)


@pytest.fixture
def store(store_uri: str, database_name: str):
    s = open_filled_store(store_uri, database_name, DOCS)
    yield s
    s.close()


def _brute(pred, by=None, bound=2):
    patients = set()
    cells: dict[str, dict] = defaultdict(dict)
    for d in DOCS:
        q = d["query"]
        if pred(q):
            patients.add(d["patient_pseudonym"])
            if by:
                key = q[by]
                cells[d["patient_pseudonym"]][key] = max(cells[d["patient_pseudonym"]].get(key, ""), q["note_date_shifted"])
    per_cell: dict[str, int] = defaultdict(int)
    for p, c in cells.items():
        for key, _ in sorted(c.items(), key=lambda kv: kv[1], reverse=True)[:bound]:
            per_cell[key] += 1
    return len(patients), per_cell


@pytest.mark.parametrize("where, pred", [
    ("", lambda q: True),
    ("age >= 60", lambda q: q["age_at_note"] >= 60),
    ("sex = female and term = glioma", lambda q: q["sex"] == "female" and "glioma" in q["terms"]),
    ("text contains 'MRI, head' or not note_type in (progress_note, nursing_note)",
     lambda q: {"mri", "head"} <= set(q["tokens"]) or q["note_type"] not in ("progress_note", "nursing_note")),
    ("note_date between 2030-06 and 2031", lambda q: "2030-06-01" <= q["note_date_shifted"] < "2032-01-01"),
    ("age between 20 and 39 and term in ('Atrial-Fibrillation', pneumonia)",
     lambda q: 20 <= q["age_at_note"] <= 39 and {"atrial fibrillation", "pneumonia"} & set(q["terms"])),
])
def test_counts_distinct_patients_like_brute_force(store, where, pred) -> None:
    assert count_patients(store, query_from_cli(where)).total == _brute(pred)[0]


def test_patient_counted_once_per_cell_and_bounded(store) -> None:
    q = query_from_cli("age >= 30", ["age_band"])
    result = count_patients(store, q, max_cells_per_patient=1)
    total, per_cell = _brute(lambda d: d["age_at_note"] >= 30, by="age_band", bound=1)
    assert result.total == total
    assert dict(zip([c[0] for c in result.cells], result.values)) == {b: per_cell.get(b, 0) for b, in result.cells}
    assert sum(result.values) == total  # bound 1: every patient in exactly one cell
    by_sex = count_patients(store, query_from_cli("", ["sex"]))
    assert sum(by_sex.values) == by_sex.total == 40


def test_opt_out_removes_patient_from_counts(store) -> None:
    q = query_from_cli("term = glioma")
    before = count_patients(store, q).total
    victim = next(d["patient_pseudonym"] for d in DOCS if "glioma" in d["query"]["terms"])
    registry = OptOutRegistry(store)
    assert registry.add(victim) and not registry.add(victim)
    after = count_patients(store, q, excluded=registry.pseudonyms()).total
    assert after == before - 1
    assert registry.exclusion_filter() == {"patient_pseudonym": {"$nin": [victim]}}
    assert registry.remove(victim)
    assert count_patients(store, q, excluded=registry.pseudonyms()).total == before


@pytest.mark.parametrize("where, by", [
    ("", []), ("age >= 50", ["sex"]), ("", ["term"]), ("sex = male", ["age_band", "term"]),
    ("text contains mri or term = glioma", ["note_type", "sex"]), ("modality = MR", ["modality"]),
])
def test_find_path_and_aggregation_pipeline_agree(store, where, by) -> None:
    """The embedded fast path (find + grouping here) and the server-side pipeline give the same counts."""
    from node.query import engine

    q = query_from_cli(where, by)
    excluded = [DOCS[0]["patient_pseudonym"]]
    via_find = sorted(engine._rows_by_find(store, q, excluded))
    via_pipeline = sorted(engine._rows_by_pipeline(store, q, excluded))
    assert via_find == via_pipeline
    assert excluded[0] not in {p for p, _, _ in via_find}


def test_patients_without_terms_count_in_the_total_of_a_term_breakdown(store) -> None:
    with_terms = count_patients(store, query_from_cli("", ["term"]))
    assert with_terms.total == count_patients(store, query_from_cli("")).total == 40
