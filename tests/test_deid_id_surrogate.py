"""The identifier surrogate: same shape, keyed, stable, and never the original itself."""

from __future__ import annotations

import re

from deid.operators.id_surrogate import IdSurrogate

PARAMS = {"secret": b"site-secret-for-tests-0123456789", "patient_key": "patient-1"}


def test_short_ids_never_come_back_unchanged() -> None:
    op = IdSurrogate()
    originals = [str(n) for n in range(100)] + [f"{n:02d}" for n in range(10)] + ["A1", "7B", "x9"]
    assert [o for o in originals if op.operate(o, PARAMS).lower() == o.lower()] == []


def test_surrogate_keeps_the_shape_and_is_stable() -> None:
    op = IdSurrogate()
    out = op.operate("7731-002-91", PARAMS)
    assert re.fullmatch(r"\d{4}-\d{3}-\d{2}", out) and out != "7731-002-91"
    assert op.operate("7731-002-91", PARAMS) == out  # the same id maps to the same surrogate
    assert op.operate("AB-12", PARAMS)[2] == "-" and op.operate("AB-12", PARAMS)[:2].isupper()
