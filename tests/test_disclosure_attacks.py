"""The disclosure attacks of issue 12, played against real node services: none may work.

Each test is one attack by an active, malicious coordinator (it holds the
coordinator's signing key, so every request it makes is validly signed) or by a
requester with many permits. "Works" means recovering a value a single answer
may not reveal (one site's value under a permit without per-site results, a
suppressed small cell) at less ε than a release of it costs. For each attack the
test checks one of: the node refuses before spending anything (and audits the
refusal); the attempt is a fresh release charged in full at every node involved;
or what the attacker computes is not the protected value.
"""

from __future__ import annotations

import base64
import secrets

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from coordinator.governance.permits import issue_permit
from coordinator.query.count import run_count
from coordinator.query.secure_sum import unmask_total
from coordinator.query.transport import InProcessTransport
from node.governance.optout import OptOutRegistry
from node.query import masking
from node.query.where import query_from_cli
from tests.query_helpers import (
    ALL_FIELDS,
    enrol,
    make_service,
    open_filled_store,
    permit_for,
    signed_request,
    signed_unmask,
    synthetic_docs,
)

SITES = ["hospital-a", "hospital-b", "hospital-c", "hospital-d"]


@pytest.fixture
def network(store_uri: str, database_name: str):
    key = Ed25519PrivateKey.generate()
    stores = [open_filled_store(store_uri, f"{database_name}_{i}", synthetic_docs(s, 25, seed=10 + i))
              for i, s in enumerate(SITES)]
    services = {s: make_service(st, s, key) for s, st in zip(SITES, stores)}
    yield key, services
    for st in stores:
        st.close()


def _keys(services, sites=None) -> dict[str, str]:
    return {s: services[s].hello()["public_key"] for s in (sites or services)}


def _spent(service, permit) -> float:
    return service.ledger.state(permit.permit.permit_id, permit.permit.requester, permit.permit.epsilon_budget).spent


def _entry(service, nonce: str) -> dict:
    return next(e for e in service.audit.entries() if e.get("nonce") == nonce)


def _total(result) -> int | None:
    """The released network total, or ``None`` where noise took it under the threshold and it was suppressed."""
    return result.total.value


# ------------------------------------------------------------------ 1. differencing across site sets

def test_differencing_across_site_sets_pays_a_fresh_release(network) -> None:
    """total(a,b,c,d) - total(a,b,c) must not be site d's answer for free: a,b,c answer afresh and pay again."""
    key, services = network
    permit = permit_for(key, SITES, budget=5.0)
    exact_hits = 0
    for attempt in range(5):
        q = query_from_cli(f"age >= {attempt}")
        everyone = run_count(InProcessTransport(services), key, permit, q, 0.1)
        three = run_count(InProcessTransport(services), key, permit, q, 0.1, sites=SITES[:3])
        assert everyone.error is None and three.error is None, (everyone.error, three.error)
        d_noisy = [e for e in services["hospital-d"].audit.entries() if e["kind"] == "count"][-1]["answer"]["noisy"][0]
        a_b_c_d, a_b_c = _total(everyone), _total(three)
        # a suppressed total (noise at ε=0.1 can take 75 under 10) gives the attacker nothing to subtract
        exact_hits += a_b_c_d is not None and a_b_c is not None and a_b_c_d - a_b_c == d_noisy
        for site in SITES[:3]:  # the second query was a new release at a, b and c
            assert [e["decision"] for e in services[site].audit.entries() if e["kind"] == "count"][-2:] == \
                ["released", "released"]
    assert exact_hits <= 1  # was 5 of 5: the difference was d's answer exactly, at 0 ε for a, b, c
    for site in SITES[:3]:
        assert _spent(services[site], permit) == pytest.approx(5 * 2 * 0.1)
    assert _spent(services["hospital-d"], permit) == pytest.approx(5 * 0.1)


# ------------------------------------------------------------------ 2. tiny ε

@pytest.mark.parametrize("epsilon", [4e-7, 1.49e-6, 1e-300])
def test_tiny_or_inexact_epsilon_is_refused_before_spending(network, epsilon: float) -> None:
    key, services = network
    svc = services["hospital-a"]
    svc.config = svc.config.model_copy(update={"min_epsilon_per_query": 1e-6})
    permit = permit_for(key, SITES, budget=1.0)
    for i in range(40):
        reply = svc.count(signed_request(key, permit, query_from_cli(f"age >= {i}"), epsilon, _keys(services)))
        assert reply["status"] == "refused" and reply["reason"] == "epsilon", reply
    assert _spent(svc, permit) == 0
    assert [e["decision"] for e in svc.audit.entries()] == ["refused"] * 40


def test_epsilon_is_charged_exactly_and_a_spent_budget_stays_spent(network) -> None:
    key, services = network
    svc = services["hospital-a"]
    svc.config = svc.config.model_copy(update={"min_epsilon_per_query": 1e-6})
    permit = permit_for(key, SITES, budget=0.000005)  # 5 micro-ε
    replies = [svc.count(signed_request(key, permit, query_from_cli(f"age >= {i}"), 0.000002, _keys(services)))
               for i in range(4)]
    assert [r.get("decision") or r.get("reason") for r in replies] == ["released", "released", "budget", "budget"]
    assert svc.ledger.state(permit.permit.permit_id, "dr-lee", 0.000005).spent == pytest.approx(4e-6, abs=0)
    assert sum(e["epsilon_spent"] for e in svc.audit.entries()) == pytest.approx(4e-6, abs=1e-15)


def test_minimum_epsilon_is_enforced_by_default(network) -> None:
    key, services = network
    reply = services["hospital-a"].count(signed_request(key, permit_for(key, SITES), query_from_cli(""), 0.001,
                                                        _keys(services)))
    assert reply["reason"] == "epsilon" and "min_epsilon_per_query" in reply["message"]


# ------------------------------------------------------------------ 3. too few participants / what a reply carries

def test_a_secure_sum_of_one_is_refused_even_with_per_site_results(network) -> None:
    key, services = network
    svc = services["hospital-a"]
    permit = permit_for(key, SITES, per_site=True)
    for sites in (["hospital-a"], ["hospital-a", "hospital-b"]):
        reply = svc.count(signed_request(key, permit, query_from_cli("", ["age_band"]), 0.5, _keys(services, sites)))
        assert reply["status"] == "refused" and "min_secure_sum_sites" in reply["message"], reply
        assert "masked" not in reply
    assert _spent(svc, permit) == 0


def test_a_reply_never_carries_what_its_table_suppresses(network) -> None:
    """Per-site permit: the reply's per-site table hides small cells, and nothing else in the reply holds them."""
    key, services = network
    svc = services["hospital-a"]
    permit = permit_for(key, SITES, per_site=True)
    nonce = secrets.token_hex(16)
    reply = svc.count(signed_request(key, permit, query_from_cli("", ["age_band"]), 0.5, _keys(services), nonce=nonce))
    assert reply["status"] == "ok"
    stored = svc.ledger.cached(svc.nonces.get(nonce)["answer_key"])
    hidden = [i for i, v in enumerate(reply["per_site"]) if v == "<10"]
    assert hidden  # 25 patients over 10 age bands: some small cells
    for i in hidden:
        assert reply["masked"][i] not in (stored["vector"][i], stored["consistent"][i])
    # the masked vector is not the noisy vector plus anything the coordinator can compute from the pair masks
    pair_only = masking.pair_masks(masking.shared_secrets(masking.node_private_key(svc.site_secret), svc.site_id,
                                                          _keys(services)), svc.site_id, nonce, len(stored["vector"]))
    assert masking.add_vectors(stored["vector"], pair_only) != reply["masked"]  # the self-mask is in it too


# ------------------------------------------------------------------ 4. opt-out and stored answers

def test_an_opt_out_invalidates_stored_answers(network) -> None:
    key, services = network
    svc = services["hospital-a"]
    permit = permit_for(key, SITES)
    query = query_from_cli("age >= 0")
    first = svc.count(signed_request(key, permit, query, 0.5, _keys(services)))
    again = svc.count(signed_request(key, permit, query, 0.5, _keys(services)))
    assert (first["decision"], again["decision"]) == ("released", "cached")
    before = svc.counter.count(query, excluded=svc.optouts.pseudonyms()).total
    OptOutRegistry(svc.store).add("PX-HOS000003")
    after_optout = svc.count(signed_request(key, permit, query, 0.5, _keys(services)))
    assert after_optout["decision"] == "released" and after_optout["epsilon_spent"] == 0.5  # not the old answer
    assert svc.counter.count(query, excluded=svc.optouts.pseudonyms()).total == before - 1


# ------------------------------------------------------------------ 5. many permits, one requester; purposes

def test_one_requester_with_many_permits_is_bounded_by_its_node_budget(network) -> None:
    key, services = network
    svc = services["hospital-a"]
    query = query_from_cli("age >= 80")
    decisions = []
    for i in range(30):  # 30 permits of 100 ε each, each used for one fresh answer of ε 1
        permit = permit_for(key, SITES, budget=100.0)
        reply = svc.count(signed_request(key, permit, query, 1.0, _keys(services)))
        decisions.append(reply.get("decision") or reply["reason"])
    assert decisions == ["released"] * 10 + ["budget"] * 20  # requester_epsilon_budget = 10
    assert "requester dr-lee" in svc.audit.entries()[-1]["reason"]
    # another requester still has its own budget, until the node's total is spent
    svc.config = svc.config.model_copy(update={"node_epsilon_budget": 12.0})
    other = [svc.count(signed_request(key, permit_for(key, SITES, requester="dr-kim"), query, 1.0,
                                      _keys(services))).get("decision", "refused") for _ in range(3)]
    assert other == ["released", "released", "refused"]
    assert "this node" in svc.audit.entries()[-1]["reason"]


def test_averaging_repeats_under_many_permits_stays_within_the_budget(network) -> None:
    """The estimate from averaging is as good as ε_total allows and no better: ε_total <= the requester budget."""
    key, services = network
    svc = services["hospital-a"]
    query = query_from_cli("age >= 80")
    noisy = []
    for _ in range(40):
        reply = svc.count(signed_request(key, permit_for(key, SITES, budget=100.0), query, 0.5, _keys(services)))
        if reply["status"] == "ok":
            noisy.append(svc.audit.entries()[-1]["answer"]["noisy"][0])
    assert len(noisy) == 20  # 10 ε / 0.5: the average has the noise of one ε-10 release, no less
    spent = sum(e["epsilon_spent"] for e in svc.audit.entries())
    assert spent == pytest.approx(10.0)


@pytest.mark.parametrize("purpose", ["algorithm_training", "product_development", "personalised_care", "education"])
def test_count_purposes_are_checked(network, purpose: str) -> None:
    key, services = network
    permit = issue_permit(key, requester="dr-lee", purpose=purpose, allowed_fields=ALL_FIELDS, epsilon_budget=5,
                          sites=SITES)
    reply = services["hospital-a"].count(signed_request(key, permit, query_from_cli(""), 0.5, _keys(services)))
    assert reply["reason"] == "scope" and purpose in reply["message"] and "count_purposes" in reply["message"]


# ------------------------------------------------------------------ 6. key substitution, false dropouts

def test_false_dropout_claim_does_not_unmask_the_claimed_node(network) -> None:
    """The coordinator gets all four masked answers, then says d dropped: d's value stays masked."""
    key, services = network
    permit = permit_for(key, SITES)
    nonce = secrets.token_hex(16)
    request = signed_request(key, permit, query_from_cli(""), 0.5, _keys(services), nonce=nonce)
    masked = {s: svc.count(request)["masked"] for s, svc in services.items()}
    survivors, dropped = SITES[:3], ["hospital-d"]
    agreed = {s: services[s].unmask(signed_unmask(key, "agree", nonce, survivors, dropped)) for s in survivors}
    assert all(r["status"] == "ok" for r in agreed.values())
    confirmations = {s: r["confirmations"] for s, r in agreed.items()}
    revealed = {s: services[s].unmask(signed_unmask(key, "reveal", nonce, survivors, dropped, confirmations))["masks"]
                for s in survivors}
    d_noisy = _entry(services["hospital-d"], nonce)["answer"]["noisy"]
    # the old attack: d's masked value minus the survivors' masks with d
    attempt = unmask_total({"hospital-d": masked["hospital-d"]},
                           {s: masking.pair_masks(masking.shared_secrets(masking.node_private_key(
                               services[s].site_secret), s, _keys(services)), s, nonce, 1, only=dropped)
                            for s in survivors})
    assert attempt != d_noisy
    # what the coordinator can get is the survivors' sum, nothing less
    abc = unmask_total({s: masked[s] for s in survivors}, revealed)
    assert abc == [sum(_entry(services[s], nonce)["answer"]["noisy"][0] for s in survivors)]
    # d is then asked to agree to another outcome, in which it survived: the others never confirm it
    services["hospital-d"].unmask(signed_unmask(key, "agree", nonce, SITES[1:], ["hospital-a"]))
    for s in SITES[1:3]:
        second = services[s].unmask(signed_unmask(key, "agree", nonce, SITES[1:], ["hospital-a"]))
        assert second["status"] == "refused" and "another outcome" in second["message"]
    forged = {s: {t: "00" * 32 for t in SITES} for s in SITES[1:3]}
    reveal_d = services["hospital-d"].unmask(signed_unmask(key, "reveal", nonce, SITES[1:], ["hospital-a"], forged))
    assert reveal_d["status"] == "refused" and "did not confirm" in reveal_d["message"]


def test_the_old_one_step_unmask_claiming_a_dropout_is_refused(network) -> None:
    """Before: one signed 'unmask' naming d as dropped gave a, b, c's masks with d, and so d's answer exactly."""
    import datetime as dt
    import json

    from node.governance.permits import UNMASK_CONTEXT

    key, services = network
    nonce = secrets.token_hex(16)
    request = signed_request(key, permit_for(key, SITES), query_from_cli(""), 0.5, _keys(services), nonce=nonce)
    masked = {s: svc.count(request)["masked"] for s, svc in services.items()}
    body = {"query_nonce": nonce, "dropped": ["hospital-d"], "survivors": SITES[:3], "nonce": secrets.token_hex(16),
            "issued_at": dt.datetime.now(dt.timezone.utc).isoformat().replace("+00:00", "Z")}
    data = UNMASK_CONTEXT + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    message = {"request": body, "signature": base64.b64encode(key.sign(data)).decode()}
    replies = {s: services[s].unmask(message) for s in SITES[:3]}
    assert all(r["status"] == "refused" and r["reason"] == "malformed" for r in replies.values()), replies
    assert all("masks" not in r for r in replies.values()) and len(masked) == 4


def test_inconsistent_views_are_refused(network) -> None:
    """Tell a 'd dropped' and d 'a dropped': d never reveals, so d's answer cannot be isolated."""
    key, services = network
    nonce = secrets.token_hex(16)
    request = signed_request(key, permit_for(key, SITES), query_from_cli(""), 0.5, _keys(services), nonce=nonce)
    for svc in services.values():
        assert svc.count(request)["status"] == "ok"
    view_a = services["hospital-a"].unmask(signed_unmask(key, "agree", nonce, SITES[:3], ["hospital-d"]))
    view_d = services["hospital-d"].unmask(signed_unmask(key, "agree", nonce, SITES[1:], ["hospital-a"]))
    assert view_a["status"] == view_d["status"] == "ok"
    # d's reveal needs b's and c's confirmation of d's view; they can give one confirmation only
    b = services["hospital-b"].unmask(signed_unmask(key, "agree", nonce, SITES[:3], ["hospital-d"]))
    assert b["status"] == "ok"
    assert services["hospital-b"].unmask(signed_unmask(key, "agree", nonce, SITES[1:], ["hospital-a"]))["status"] \
        == "refused"
    confirmations = {"hospital-b": b["confirmations"], "hospital-a": view_a["confirmations"]}
    reveal = services["hospital-d"].unmask(signed_unmask(key, "reveal", nonce, SITES[1:], ["hospital-a"],
                                                         confirmations))
    assert reveal["status"] == "refused"


def test_dropouts_are_bounded(network) -> None:
    key, services = network
    nonce = secrets.token_hex(16)
    request = signed_request(key, permit_for(key, SITES), query_from_cli(""), 0.5, _keys(services), nonce=nonce)
    for svc in services.values():
        svc.config = svc.config.model_copy(update={"min_secure_sum_sites": 2})
        svc.count(request)
    reply = services["hospital-a"].unmask(signed_unmask(key, "agree", nonce, SITES[:2], SITES[2:]))
    assert reply["status"] == "refused" and "max_dropouts" in reply["message"]


def test_a_stored_answer_is_never_summed_over_two_site_sets(network) -> None:
    """Same request twice (the answer comes from the ledger): the second time d is 'dropped' -> refused."""
    key, services = network
    permit = permit_for(key, SITES)
    first = run_count(InProcessTransport(services), key, permit, query_from_cli(""), 0.5)
    assert first.error is None and first.contributing == SITES
    nonce = secrets.token_hex(16)
    request = signed_request(key, permit, query_from_cli(""), 0.5, _keys(services), nonce=nonce)
    for svc in services.values():
        assert svc.count(request)["decision"] == "cached"
    survivors = SITES[:3]
    agreed = {s: services[s].unmask(signed_unmask(key, "agree", nonce, survivors, ["hospital-d"])) for s in survivors}
    confirmations = {s: r["confirmations"] for s, r in agreed.items()}
    reveal = services["hospital-a"].unmask(signed_unmask(key, "reveal", nonce, survivors, ["hospital-d"],
                                                         confirmations))
    assert reveal["status"] == "refused" and "another set of sites" in reveal["message"]


def test_substituted_participant_key_is_refused_with_the_network_pki(store_uri, database_name, tmp_path) -> None:
    key = Ed25519PrivateKey.generate()
    ca, dirs = enrol(tmp_path, SITES[:3])
    stores = [open_filled_store(store_uri, f"{database_name}_{i}", synthetic_docs(s, 20, seed=i))
              for i, s in enumerate(SITES[:3])]
    services = {s: make_service(st, s, key, pki_dir=dirs[s]) for s, st in zip(SITES[:3], stores)}
    try:
        hellos = {s: svc.hello() for s, svc in services.items()}
        assert all(h["key_certificate"] for h in hellos.values())
        certs = {s: h["key_certificate"] for s, h in hellos.items()}
        keys = {s: h["public_key"] for s, h in hellos.items()}
        permit = permit_for(key, SITES[:3])
        # honest: certified keys are accepted, and the accepted certificates are in the audit entry
        result = run_count(InProcessTransport(services), key, permit, query_from_cli(""), 0.5)
        assert result.error is None and result.contributing == SITES[:3]
        assert set(services["hospital-a"].audit.entries()[0]["answer"]["participant_certificates"]) == set(SITES[1:3])
        # the coordinator substitutes b's key with one of its own (b's certificate kept)
        mine = masking.public_b64(X25519PrivateKey.generate())
        for certificates in (certs, {s: c for s, c in certs.items() if s != "hospital-b"}):
            reply = services["hospital-a"].count(signed_request(key, permit, query_from_cli("age > 5"), 0.5,
                                                                {**keys, "hospital-b": mine}, certificates=certificates))
            assert reply["status"] == "refused" and reply["reason"] == "keys" and "hospital-b" in reply["message"]
        # a certificate from another CA for "hospital-b" and the coordinator's own key does not help either
        _, rogue = enrol(tmp_path / "rogue", ["hospital-b"])
        from node.query.keycert import make_key_certificate

        rogue_cert = make_key_certificate(rogue["hospital-b"], "hospital-b", mine)
        reply = services["hospital-a"].count(signed_request(key, permit, query_from_cli("age > 6"), 0.5,
                                                            {**keys, "hospital-b": mine},
                                                            certificates={**certs, "hospital-b": rogue_cert}))
        assert reply["reason"] == "keys" and "not issued by this network's CA" in reply["message"]
        assert _spent(services["hospital-a"], permit) == pytest.approx(0.5)  # only the honest count
    finally:
        for st in stores:
            st.close()


# ------------------------------------------------------------------ 7. garbage keys, malformed config

LOW_ORDER = base64.b64encode(bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")
                             ).decode()  # a point of order 8 on Curve25519


@pytest.mark.parametrize("bad", ["not base64!", base64.b64encode(b"short").decode(), base64.b64encode(bytes(32)).decode(),
                                 LOW_ORDER, base64.b64encode(b"\xff" * 32).decode(), "A" * 5000])
def test_garbage_participant_keys_are_refused_before_spending_and_audited(network, bad: str) -> None:
    key, services = network
    svc = services["hospital-a"]
    permit = permit_for(key, SITES)
    reply = svc.count(signed_request(key, permit, query_from_cli(""), 0.5, {**_keys(services), "hospital-b": bad}))
    assert reply["status"] == "refused" and reply["reason"] in ("keys", "malformed"), reply
    assert _spent(svc, permit) == 0
    last = svc.audit.entries()[-1]
    assert last["decision"] == "refused" and last["epsilon_spent"] == 0 and reply["audit_hash"] == last["hash"]


def test_malformed_coordinator_key_is_a_clear_audited_refusal(network) -> None:
    key, services = network
    svc = services["hospital-a"]
    for broken in ("not-base64!!", base64.b64encode(b"x" * 31).decode(), "é" * 40):
        svc.config = svc.config.model_copy(update={"coordinator_public_key": broken})
        reply = svc.count(signed_request(key, permit_for(key, SITES), query_from_cli(""), 0.5, _keys(services)))
        assert reply["status"] == "refused" and reply["reason"] == "config", reply
        assert "fedcoord permit key" in reply["message"]
        assert svc.audit.entries()[-1]["hash"] == reply["audit_hash"]
