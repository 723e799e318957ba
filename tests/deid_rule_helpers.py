"""Helpers for the tests that pin one recognizer's rules on sentences written for them
(``tests/test_deid_*_rules.py``); the ``resources`` fixture they take is in ``tests/conftest.py``."""

from __future__ import annotations


def spans(recognizer, text: str) -> list[str]:
    """The texts of the spans ``recognizer`` finds in ``text``, in the order it finds them."""
    return [text[f.start : f.end] for f in recognizer.find(text)]
