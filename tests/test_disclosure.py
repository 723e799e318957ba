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


# ---------------------------------------------------------------- exact ε (issue 12, item 2)

from fractions import Fraction  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from node.disclosure.consistency import TableShape, make_consistent  # noqa: E402
from node.disclosure.epsilon import EpsilonError, budget_micro, epsilon_micro  # noqa: E402
from node.disclosure.sensitivity import table_shape  # noqa: E402
from node.disclosure.threshold import Cell, protect_grid, suppress_table  # noqa: E402


@pytest.mark.parametrize("epsilon, micro", [(0.5, 500_000), (0.1, 100_000), (1e-6, 1), (9.999999, 9_999_999)])
def test_epsilon_is_a_whole_number_of_micro_epsilon(epsilon: float, micro: int) -> None:
    assert epsilon_micro(epsilon) == micro


@pytest.mark.parametrize("epsilon", [4e-7, 1.49e-6, 0.0, -1.0, float("nan"), float("inf"), 1e-300])
def test_epsilon_that_cannot_be_charged_exactly_is_refused(epsilon: float) -> None:
    with pytest.raises(EpsilonError):
        epsilon_micro(epsilon)


def test_budgets_round_down_and_the_ledger_never_rounds_a_charge_away(ledger) -> None:
    assert budget_micro(1.0000004) == 1_000_000 and budget_micro(0.3) == 300_000
    with pytest.raises(EpsilonError):
        ledger.spend("p1", "dr-lee", 1.0, 4e-7)  # was charged as 0: free queries
    ledger.spend("p1", "dr-lee", 1.0, 0.000002)
    assert ledger.state("p1", "dr-lee", 1.0).spent == pytest.approx(2e-6, abs=0)


def test_noise_is_drawn_for_exactly_the_charged_epsilon() -> None:
    for eps in (Fraction(1, 10), Fraction(3, 10), Fraction(1, 1_000_000), Fraction(7, 3)):
        meas, spec = make_count_mechanism(eps, 3)
        assert Fraction(meas.map(3)) <= eps  # never more privacy loss than charged, even by a rounding ulp


def test_spending_is_all_accounts_or_none(ledger) -> None:
    accounts = ledger.accounts("p1", "dr-lee", 5.0, requester_budget=1.0, node_budget=10.0)
    ledger.spend_micro(accounts, 600_000)
    with pytest.raises(BudgetExceeded, match="requester dr-lee"):
        ledger.spend_micro(accounts, 600_000)
    assert ledger.state("p1", "dr-lee", 5.0).spent == pytest.approx(0.6)  # the permit charge was refunded


# ---------------------------------------------------------------- consistent released tables

def _shape(n: int, k: int, covered: bool) -> TableShape:
    return TableShape(n_cells=n, per_patient=k, covered=covered)


shapes = st.builds(_shape, st.integers(0, 12), st.integers(1, 3), st.booleans())


@settings(max_examples=400, deadline=None)
@given(shapes, st.data())
def test_post_processing_always_gives_a_consistent_table(shape: TableShape, data) -> None:
    noisy = data.draw(st.lists(st.integers(-60, 400), min_size=shape.n_cells + 1, max_size=shape.n_cells + 1))
    out = make_consistent(noisy, shape)
    assert len(out) == len(noisy) and all(isinstance(v, int) for v in out)
    assert shape.violations(out) == [], (noisy, out)
    assert make_consistent(out, shape) == out  # a consistent table is left alone
    if shape.partition:
        assert out[0] == sum(out[1:])


def test_the_issue_example_total_under_a_cell_is_repaired() -> None:
    """Count by sex: total 10 under a female cell of 18 (noise); after post-processing total = sum of cells."""
    shape = table_shape(query_from_cli("", ["sex"]), 2)
    assert shape.partition
    out = make_consistent([10, 18, 4, -2, 0], shape)
    assert out[0] == sum(out[1:]) and all(v >= 0 for v in out) and max(out[1:]) <= out[0]
    assert 10 <= out[0] <= 22 and out[1] >= out[2]  # between the noisy total and the cells' sum, order kept


def test_post_processing_reduces_the_error_on_average() -> None:
    """On a partition, least-squares projection of the noisy table is closer to the truth than clamping alone."""
    shape = table_shape(query_from_cli("", ["sex"]), 2)
    truth = [30, 14, 12, 3, 1]
    err_raw = err_pp = 0.0
    for _ in range(200):
        noisy, _ = noisy_counts(truth, 0.5, 2)
        clamped = [max(0, v) for v in noisy]
        fixed = make_consistent(noisy, shape)
        err_raw += sum((a - b) ** 2 for a, b in zip(clamped, truth))
        err_pp += sum((a - b) ** 2 for a, b in zip(fixed, truth))
    assert err_pp < err_raw


def test_secondary_suppression_hides_a_complement_in_a_partition() -> None:
    shape = table_shape(query_from_cli("", ["sex"]), 2)
    cells = suppress_table([40, 24, 13, 3, 0], 10, shape)
    hidden = [i for i, c in enumerate(cells) if c.suppressed]
    assert hidden == [3, 4]  # "other" and "unknown": two hidden cells, only their sum (3) can be worked out
    cells = suppress_table([40, 24, 13, 3, 0], 10, TableShape(4, 2, False))  # no partition: no complement needed
    assert [c.suppressed for c in cells] == [False, False, False, True, True]
    one = suppress_table([40, 25, 12, 3], 10, TableShape(3, 1, True))  # exactly one hidden under a visible total
    assert sum(c.suppressed for c in one[1:]) == 2 and one[2].suppressed  # the smallest visible one joins it


def test_secondary_suppression_across_sites() -> None:
    shape = TableShape(0)
    cols = {"a": [Cell(25, 10)], "b": [Cell(None, 10)], "c": [Cell(40, 10)]}
    cols, net = protect_grid(cols, [Cell(71, 10)], shape)
    assert cols["a"][0].suppressed and not cols["c"][0].suppressed and not net[0].suppressed
