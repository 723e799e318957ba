"""Disclosure control: OpenDP noise (secure source, scale from sensitivity), small cells, the ε ledger."""

from __future__ import annotations

import statistics
from pathlib import Path

import opendp
import pytest

from node.disclosure.ledger import BudgetExceeded, BudgetLedger, answer_key
from node.disclosure.noise import make_count_mechanism, noisy_counts
from node.disclosure.sensitivity import l1_sensitivity
from node.disclosure.threshold import suppress
from node.query.where import query_from_cli
from node.store import open_store


def test_opendp_wheel_samples_from_openssl() -> None:
    lib = next(Path(opendp.__file__).parent.joinpath("lib").glob("*.so")).read_bytes()
    assert b"RAND_bytes" in lib and b"OpenSSL error" in lib


def test_noise_has_the_scale_its_epsilon_and_sensitivity_require() -> None:
    meas, spec = make_count_mechanism(0.5, 3)
    assert spec.scale == pytest.approx(6.0) and meas.map(3) <= 0.5 + 1e-9
    draws = [noisy_counts([100], 0.5, 3)[0][0] - 100 for _ in range(3000)]
    assert all(isinstance(d, int) for d in draws)
    assert abs(statistics.mean(draws)) < 0.6  # unbiased (std of the mean ≈ 0.15)
    assert statistics.pstdev(draws) == pytest.approx(spec.std, rel=0.1)
    with pytest.raises(ValueError):
        make_count_mechanism(0.0, 1)


def test_sensitivity_follows_the_query() -> None:
    assert l1_sensitivity(query_from_cli("age > 3"), 2) == 1
    assert l1_sensitivity(query_from_cli("", ["sex"]), 2) == 2
    assert l1_sensitivity(query_from_cli("", ["note_type"]), 2) == 3
    assert l1_sensitivity(query_from_cli("", ["note_type", "sex"]), 3) == 4


def test_small_cells_are_suppressed() -> None:
    assert suppress(9, 10).display == "<10" and suppress(9, 10).to_json() == "<10"
    assert suppress(-4, 10).display == "<10"
    assert suppress(10, 10).to_json() == 10
    assert suppress(1, 1).to_json() == 1 and suppress(0, 1).display == "<1"


@pytest.fixture
def ledger(store_uri: str, database_name: str):
    store = open_store(store_uri, database_name)
    yield BudgetLedger(store)
    store.close()


def test_budget_is_spent_atomically_and_refused_when_exhausted(ledger) -> None:
    ledger.spend("p1", "dr-lee", 1.0, 0.3)
    ledger.spend("p1", "dr-lee", 1.0, 0.3)
    state = ledger.spend("p1", "dr-lee", 1.0, 0.4)
    assert state.spent == pytest.approx(1.0) and state.remaining == 0
    with pytest.raises(BudgetExceeded, match="exhausted"):
        ledger.spend("p1", "dr-lee", 1.0, 0.1)
    assert ledger.state("p1", "dr-lee", 1.0).spent == pytest.approx(1.0)  # the refusal spent nothing
    ledger.spend("p1", "dr-kim", 1.0, 1.0)  # budgets are per requester and permit
    ledger.spend("p2", "dr-lee", 1.0, 1.0)


def test_released_answers_are_remembered(ledger) -> None:
    key = answer_key("p1", "dr-lee", '{"by":[]}', 500_000, ["a", "b", "c"], "optouts-1")
    assert key == answer_key("p1", "dr-lee", '{"by":[]}', 500_000, ["c", "b", "a"], "optouts-1")
    assert key != answer_key("p1", "dr-lee", '{"by":[]}', 250_000, ["a", "b", "c"], "optouts-1")  # other ε
    assert key != answer_key("p1", "dr-lee", '{"by":[]}', 500_000, ["a", "b"], "optouts-1")  # other sites
    assert key != answer_key("p1", "dr-lee", '{"by":[]}', 500_000, ["a", "b", "c"], "optouts-2")  # an opt-out since
    assert ledger.cached(key) is None
    stored = ledger.remember(key, {"vector": [12]})
    assert stored["vector"] == [12]
    assert ledger.remember(key, {"vector": [99]})["vector"] == [12]  # a racing second answer never replaces it
