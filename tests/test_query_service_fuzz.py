"""Fuzzing the node's endpoint (hypothesis): any message gets an answer, never an exception, and is audited.

A valid signed request is mutated at a random place (a field replaced by any JSON
value, removed, or the whole message replaced); the node must reply with
``status`` ``ok`` or ``refused``, every refusal must name a reason and carry its
audit receipt, and nothing may be spent by a refused request.
"""

from __future__ import annotations

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from node.query.where import query_from_cli
from tests.query_helpers import make_service, open_filled_store, permit_for, signed_request, signed_unmask, \
    synthetic_docs

SITES = ["hospital-a", "hospital-b", "hospital-c"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3), max_leaves=8)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


def _mutate(message: dict, path: tuple, replacement, delete: bool):
    if not path:
        return replacement
    out = copy.deepcopy(message)
    cursor = out
    for step in path[:-1]:
        cursor = cursor[step]
    if delete and isinstance(cursor, dict):
        del cursor[path[-1]]
    else:
        cursor[path[-1]] = replacement
    return out


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    key = Ed25519PrivateKey.generate()
    stores = [open_filled_store(f"embedded://{folder / s}", "fuzz", synthetic_docs(s, 12, seed=i))
              for i, s in enumerate(SITES)]
    services = {s: make_service(st_, s, key) for s, st_ in zip(SITES, stores)}
    keys = {s: svc.hello()["public_key"] for s, svc in services.items()}
    yield key, services, keys
    for st_ in stores:
        st_.close()


def _check(reply, svc) -> None:
    assert isinstance(reply, dict) and reply["status"] in ("ok", "refused"), reply
    json.dumps(reply)  # plain JSON on the wire
    if reply["status"] == "refused":
        assert reply["reason"] and reply["message"]
        assert reply["audit_hash"] == svc.audit.entries()[-1]["hash"]  # audited
        assert reply.get("epsilon_spent", 0) == 0


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), replacement=json_values, delete=st.booleans())
def test_fuzzed_count_requests_are_answered_and_audited(node, data, replacement, delete) -> None:
    key, services, keys = node
    svc = services["hospital-a"]
    message = signed_request(key, permit_for(key, SITES), query_from_cli("age >= 30", ["sex"]), 0.5, keys)
    path = data.draw(st.sampled_from(list(_paths(message))))
    _check(svc.count(_mutate(message, path, replacement, delete)), svc)


def _resign(key, request: dict) -> dict:
    """Sign a (mutated) request body as a malicious coordinator would: the node's checks past the signature run."""
    import base64

    from node.governance.permits import REQUEST_CONTEXT

    body = json.dumps(request, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return {"request": request, "signature": base64.b64encode(key.sign(REQUEST_CONTEXT + body)).decode()}


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), replacement=json_values, delete=st.booleans())
def test_fuzzed_requests_signed_by_a_malicious_coordinator_are_answered_and_audited(node, data, replacement,
                                                                                    delete) -> None:
    key, services, keys = node
    svc = services["hospital-a"]
    message = signed_request(key, permit_for(key, SITES), query_from_cli("age >= 30", ["sex"]), 0.5, keys)
    body = message["request"]
    paths = [p for p in _paths(body) if p and p[0] != "permit"]
    mutated = _mutate(body, data.draw(st.sampled_from(paths)), replacement, delete)
    if not isinstance(mutated, dict):
        return
    _check(svc.count(_resign(key, mutated)), svc)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), replacement=json_values, delete=st.booleans())
def test_fuzzed_unmask_requests_are_answered_and_audited(node, data, replacement, delete) -> None:
    key, services, keys = node
    svc = services["hospital-a"]
    message = signed_unmask(key, data.draw(st.sampled_from(["agree", "reveal"])), "ab" * 16, SITES)
    path = data.draw(st.sampled_from(list(_paths(message))))
    _check(svc.unmask(_mutate(message, path, replacement, delete)), svc)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_any_text_as_a_message_is_answered(node, text) -> None:
    _, services, _ = node
    svc = services["hospital-a"]
    _check(svc.count(text), svc)
    _check(svc.unmask(text), svc)
    assert svc.handle("no-such-kind", {})["status"] == "refused"
