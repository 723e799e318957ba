"""The cross-site secure sum: correct totals, a dropped node tolerated, one masked value reveals nothing."""

from __future__ import annotations

import secrets
from collections import Counter

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from coordinator.query.count import run_count
from coordinator.query.secure_sum import unmask_total
from coordinator.query.transport import InProcessTransport
from node.query import masking
from node.query.where import query_from_cli
from tests.query_helpers import make_service, open_filled_store, permit_for, synthetic_docs

SITES = ["hospital-a", "hospital-b", "hospital-c"]


def _keys(n=3):
    sks = {s: X25519PrivateKey.generate() for s in SITES[:n]}
    return sks, {s: masking.public_b64(k) for s, k in sks.items()}


def test_masks_cancel_and_total_is_exact() -> None:
    sks, pubs = _keys()
    values = {"hospital-a": [12, 0, -3], "hospital-b": [40, 7, 2], "hospital-c": [1, 1, 1]}
    nonce = secrets.token_hex(16)
    masked = {s: masking.mask_vector(values[s], sks[s], s, pubs, nonce) for s in SITES}
    assert unmask_total(masked) == [53, 8, 0]


def test_dropped_node_is_recovered_from_the_survivors() -> None:
    sks, pubs = _keys()
    nonce = secrets.token_hex(16)
    values = {"hospital-a": [12, 5], "hospital-b": [40, 7], "hospital-c": [99, 99]}
    masked = {s: masking.mask_vector(values[s], sks[s], s, pubs, nonce) for s in ["hospital-a", "hospital-b"]}
    # hospital-c crashed after the others masked: without recovery the total is garbage
    assert unmask_total(masked) != [52, 12]
    revealed = {s: masking.dropped_masks(sks[s], s, pubs, ["hospital-c"], nonce, 2) for s in masked}
    assert unmask_total(masked, revealed) == [52, 12]


def test_one_sites_masked_value_reveals_nothing_without_the_others() -> None:
    """The coordinator's view of one site: uniform over 2^64 whatever the count, and not removable.

    (1) For counts 0 and 10,000 the masked values' top bytes are uniformly distributed
        (chi-square over 256 bins, 4,000 fresh queries each): nothing distinguishes them.
    (2) With every key the coordinator could hold (its own X25519 keys, the public keys) the
        mask cannot be recomputed: only the sites' private keys give it.
    """
    sks, pubs = _keys()
    for value in (0, 10_000):
        top = Counter()
        for _ in range(4000):
            masked = masking.mask_vector([value], sks["hospital-a"], "hospital-a", pubs, secrets.token_hex(16))[0]
            top[masked >> 56] += 1
        expected = 4000 / 256
        chi2 = sum((top.get(b, 0) - expected) ** 2 / expected for b in range(256))
        assert chi2 < 340, chi2  # 255 d.o.f.: p ≈ 0.0003 at 340

    nonce = secrets.token_hex(16)
    masked = masking.mask_vector([25], sks["hospital-a"], "hospital-a", pubs, nonce)[0]
    attacker = X25519PrivateKey.generate()
    fake = masking.dropped_masks(attacker, "hospital-a", pubs, ["hospital-b", "hospital-c"], nonce, 1)[0]
    assert masking.to_signed(masked - fake) != 25
    true_masks = masking.dropped_masks(sks["hospital-a"], "hospital-a", pubs, ["hospital-b", "hospital-c"], nonce, 1)[0]
    assert masking.to_signed(masked - true_masks) == 25  # only a private key unmasks it


@pytest.fixture
def network(store_uri: str, database_name: str):
    key = Ed25519PrivateKey.generate()
    stores = [open_filled_store(store_uri, f"{database_name}_{i}", synthetic_docs(s, 20 + 10 * i, seed=i))
              for i, s in enumerate(SITES)]
    services = {s: make_service(st, s, key) for s, st in zip(SITES, stores)}
    yield key, services
    for st in stores:
        st.close()


def _noisy_first(service) -> int:
    return [e for e in service.audit.entries() if e["kind"] == "count"][-1]["answer"]["noisy"][0]


def test_cross_site_count_learns_only_the_total(network) -> None:
    key, services = network
    result = run_count(InProcessTransport(services), key, permit_for(key, SITES), query_from_cli(""), 0.5)
    assert result.error is None and result.per_site is None  # no per-site values without permission
    assert result.total.value == sum(_noisy_first(s) for s in services.values())
    assert abs(result.total.value - 90) < 60
    assert result.noise_std == pytest.approx((3 * 2 * (1 / 0.5) ** 2) ** 0.5)
    assert set(result.receipts) == set(SITES)


def test_cross_site_count_by_sex_with_per_site_results(network) -> None:
    key, services = network
    result = run_count(InProcessTransport(services), key, permit_for(key, SITES, per_site=True),
                       query_from_cli("age >= 0", ["sex"]), 0.5)
    assert [c for c in result.cells][:2] == [("female",), ("male",)]
    assert set(result.per_site) == set(SITES) and all(len(v) == 5 for v in result.per_site.values())
    rendered = result.tables()
    assert rendered[0].row_count == 5


def _allow_two(services) -> None:
    for svc in services.values():
        svc.config = svc.config.model_copy(update={"min_secure_sum_sites": 2})


def test_cross_site_count_tolerates_a_dropped_node(network) -> None:
    key, services = network
    _allow_two(services)
    transport = InProcessTransport(services, drop={"hospital-c": {"count"}})
    result = run_count(transport, key, permit_for(key, SITES), query_from_cli(""), 0.5)
    assert result.error is None and result.dropped == ["hospital-c"]
    assert result.contributing == ["hospital-a", "hospital-b"]
    expected = _noisy_first(services["hospital-a"]) + _noisy_first(services["hospital-b"])
    assert result.total.value == expected  # ~50 patients: far above the threshold


def test_refusing_node_is_reported_and_excluded(network) -> None:
    key, services = network
    _allow_two(services)
    permit = permit_for(key, SITES, fields=["sex"])
    services["hospital-b"].config = services["hospital-b"].config.model_copy(update={"max_epsilon_per_query": 0.1})
    result = run_count(InProcessTransport(services), key, permit, query_from_cli("sex = female"), 0.5)
    assert "hospital-b" in result.refused and result.refused["hospital-b"].startswith("scope")
    assert result.contributing == ["hospital-a", "hospital-c"] and result.error is None


def test_unmask_refused_when_it_would_expose_one_site(network) -> None:
    key, services = network
    _allow_two(services)
    for svc in services.values():
        svc.config = svc.config.model_copy(update={"max_dropouts": 2})
    transport = InProcessTransport(services, drop={"hospital-b": {"count"}, "hospital-c": {"count"}})
    result = run_count(transport, key, permit_for(key, SITES), query_from_cli(""), 0.5)
    assert result.total is None and result.error and "no total" in result.error
    # a coordinator that asks anyway: the node refuses to unmask a "sum" of one site
    from tests.query_helpers import signed_unmask

    nonce = services["hospital-a"].audit.entries()[-1]["nonce"]
    reply = services["hospital-a"].unmask(signed_unmask(key, "agree", nonce, ["hospital-a"], SITES[1:]))
    last = services["hospital-a"].audit.entries()[-1]
    assert reply["status"] == "refused" and last["kind"] == "unmask" and last["decision"] == "refused"
    assert "survivors" in last["reason"]


def test_released_tables_are_consistent_and_say_what_is_noisy(network) -> None:
    """Issue 12: 'a count by sex showed total 10 under a female cell of 18'. Every released table is consistent."""
    key, services = network
    for attempt in range(4):
        result = run_count(InProcessTransport(services), key, permit_for(key, SITES, per_site=True),
                           query_from_cli(f"age >= {40 + attempt}", ["sex"]), 0.2)
        assert result.error is None
        network_values = [result.total.value, *(c.value for c in result.cell_values)]
        if None not in network_values:  # by sex: the cells partition the total
            assert network_values[0] == sum(network_values[1:])
        visible = [v for v in network_values[1:] if v is not None]
        assert all(v >= 0 for v in visible) and all(result.total.value is None or v <= result.total.value
                                                    for v in visible)
        for site, column in result.per_site.items():
            shown = [v for v in column if isinstance(v, int)]
            assert all(v >= 0 for v in shown)
            if isinstance(column[0], int):
                assert all(v <= column[0] for v in shown[1:])
        for row in range(len(network_values)):  # never exactly one hidden site next to a visible network value
            hidden = [s for s, col in result.per_site.items() if not isinstance(col[row], int)]
            assert network_values[row] is None or len(hidden) != 1, (row, result.per_site, network_values)
        out = result.to_dict()
        assert out["noise"]["every_count_is_noisy"] and all(c["noisy"] for c in out["cells"])
        assert all(isinstance(c["adjusted"], bool) for c in out["cells"])
