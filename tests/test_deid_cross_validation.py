"""Patient-grouped cross-validation of the de-identification (issue 13, "honest evaluation"): no
patient is on both sides of a fold, each fold's tagger is trained without its patients, and the
report keeps unseen-fold and tuned-on figures apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deid.config import load_deid_config
from deid.cross_validation import cross_validate
from deid.evaluation import load_gold
from deid.tagger.training.data import patient_fold, split_by_patient

GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "physionet-deid" / "gold_dev.jsonl"


def test_folds_never_split_a_patient():
    notes = load_gold(GOLD)
    for fold in range(5):
        rest, held = split_by_patient(notes, 5, fold)
        assert held and rest and len(rest) + len(held) == len(notes)
        assert not {n.patient for n in rest} & {n.patient for n in held}
    assert patient_fold("17", 5) == patient_fold("17", 5)  # stable across runs


@pytest.mark.slow
def test_cross_validation_trains_per_fold_and_reports_unseen_apart(tmp_path):
    notes = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    patients = sorted({n["patient"] for n in notes if n["phi"]})[:8]
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(json.dumps(n) for n in notes if n["patient"] in patients) + "\n", encoding="utf-8")
    report = cross_validate(small, load_deid_config(), 2, tmp_path / "cv", epochs=1,
                            overrides={"max_steps": 3, "synthetic": 20, "validation_share": 0.3})
    for fold in range(2):  # one model per fold, trained without that fold's patients
        meta = json.loads((tmp_path / "cv" / f"fold{fold}" / "meta.json").read_text())
        assert meta["config"]["fold"] == fold and meta["config"]["folds"] == 2
        assert set(meta["thresholds"]) >= {"NAME", "DATE", "LOCATION"}
    assert sum(r.n_notes for r in report.per_fold) == report.unseen.n_notes == report.tuned_on.n_notes
    assert 0.0 < report.unseen.recall <= 1.0 and report.unseen.n_gold > 0
    out = report.to_json()
    assert out["unseen_folds"]["n_notes"] == out["tuned_on"]["n_notes"] and "rules unchanged" in out["note"]
    assert "UNSEEN" in report.to_table() and "TUNED-ON" in report.to_table()
