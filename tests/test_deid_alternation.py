"""``deid.recognizers.base.alternation`` matches exactly what a flat longest-first alternation matches."""

from __future__ import annotations

import random
import re

from deid.recognizers.base import alternation
from deid.recognizers.facility import _CARE_TAILS, _OTHER_TAILS


def _flat(words, space=r"\ "):
    return "|".join(re.escape(w).replace(r"\ ", space) for w in sorted(set(words), key=len, reverse=True))


def _matches(source: str, text: str) -> list[tuple[int, int]]:
    rx = re.compile(r"(?<![\w])(?:" + source + r")(?![\w])", re.I)
    return [m.span() for m in rx.finditer(text)]


def test_grouped_alternation_finds_the_same_spans_as_the_flat_one():
    rng = random.Random(5)
    words = list(_CARE_TAILS + _OTHER_TAILS) + ["a", "a b", "st.", "(x)", "o'neil"]
    for _ in range(200):
        text = " ".join(rng.choice(words + ["Care", "Home", "of", "THE", "Co", "\n", "  "]) for _ in range(30))
        text = "".join(c.upper() if rng.random() < 0.2 else c for c in text)
        for space in (r"\ ", r"\s+"):
            assert _matches(alternation(words, space), text) == _matches(_flat(words, space), text)


def test_an_empty_word_list_matches_nothing():
    assert _matches(alternation([]), "anything at all") == []
