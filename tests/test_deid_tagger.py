"""The learned PHI tagger: the shipped model loads offline, finds PHI the rules need context for,
is vetoed on plain words, and the node starts without torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deid.tagger.runtime import PACKAGED_MODEL, PhiTagger, TaggerUnavailable


@pytest.fixture(scope="module")
def tagger() -> PhiTagger:
    return PhiTagger(PACKAGED_MODEL)


def test_shipped_model_is_small_and_documented():
    meta = json.loads((PACKAGED_MODEL / "meta.json").read_text())
    assert (PACKAGED_MODEL / "model.int8.onnx").stat().st_size < 12 * 2**20
    assert meta["classes"][0] == "O" and {"NAME", "DATE", "LOCATION"} <= set(meta["thresholds"])
    card = (PACKAGED_MODEL / "MODEL_CARD.md").read_text()
    assert "python -m deid.tagger.training.train" in card and "GPL-2.0" in card


def test_tagger_finds_names_places_and_dates_in_context(tagger):
    text = "Pt transferred from Brixworth Memorial on 3/14. Spoke with daughter Anneliese Korvath at bedside."
    spans = {text[s.start : s.end]: s.cls for s in tagger.predict(text)}
    assert any("Korvath" in v for v in spans), spans
    assert any("3/14" in v for v in spans), spans


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(TaggerUnavailable, match="recognizers.learned_tagger.model"):
        PhiTagger(tmp_path / "nowhere")


def test_plain_words_are_vetoed(deidentifier):
    rec = deidentifier.tagger
    assert rec._implausible("DISREGARD", "NAME") and rec._implausible("pastoral", "LOCATION")
    assert rec._implausible("THESHOLD", "LOCATION")  # a typo of a plain word
    assert rec._implausible("Florida", "LOCATION") and rec._implausible("OSH", "LOCATION")
    assert not rec._implausible("Korvath", "NAME") and not rec._implausible("Holy Cross", "LOCATION")
    # plain English (SCOWL lower case, wordfreq): "FAMILY STOIC", "expressing happiness"
    assert rec._implausible("STOIC", "NAME") and rec._implausible("happiness", "NAME")
    # surnames that wordfreq counts as common words stay names: SCOWL writes them capitalised
    assert not rec._implausible("Goldberg", "NAME") and not rec._implausible("Crystal Murdock", "NAME")
    assert not rec._implausible("Baltimore", "NAME")  # a place proposed as a name is still PHI
    assert not rec._implausible("Den Ham", "NAME")  # words, but together a Dutch town
    assert not rec._implausible("Den", "NAME", alone=False)  # ... also when proposed word by word

    # weekdays, a bare credential, states in a list, dotted state codes, generic places in sentence case
    assert rec._implausible("Sunday", "NAME") and rec._implausible("MON", "LOCATION")
    assert rec._implausible("R.N", "NAME") and rec._implausible("new hampshire and maine", "LOCATION")
    assert rec._implausible("N.C", "LOCATION") and rec._implausible("assisted living", "LOCATION", mixed=True)
    assert not rec._implausible("Assisted Living of Towson", "LOCATION", mixed=True)


@pytest.mark.parametrize("text,value,is_date", [
    ("able to tolerate pain and rating 3/10. nitro", "3/10", False),
    ("RESTING ON CPAP 10/12 OVERNIGHT", "10/12", False),
    ("abg: 7.34/21/91/12, lactate 2", "21/91/12", False),
    ("lytes: hct @ 12:00 25.9, recheck", "25", False),
    ("79 years old female s/p CABG", "79", False),
    ("cvp 8-10. skin intact", "10", False),
    ("extubated 7/22 and transferred", "7/22", True),
    ("73-year-old man with Parkinson disease", "73", False),
    ("a 64-yo woman", "64", False),
    ("NQWMI 13. HTN", "13", True),
])
def test_tagger_dates_pass_the_date_rules_test(text, value, is_date):
    from deid.recognizers.learned_tagger import _not_a_date

    start = text.index(value)
    assert _not_a_date(text, start, start + len(value)) is not is_date

def test_the_node_starts_without_torch():
    code = ("import sys; from deid.pipeline import Deidentifier; d = Deidentifier.build_default(b'x'); "
            "d.deidentify('Seen by Dr. Golding on 7/22.'); print('torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr


def test_a_rule_type_beats_the_tagger_in_every_process():
    """The same note gets the same types whatever the process's string hash seed.

    Before, the tagger ran inside Presidio's analyzer, whose ``remove_duplicates`` keeps one of a
    rule's and the tagger's equal results (same span, type and score) by set order, i.e. by hash
    seed: with seed 4 "Todd" lost the name rule's PERSON and a place rule's LOCATION won the merge,
    so the surrogate family depended on the process (PERSON with seeds 1-3)."""
    code = ("from deid.pipeline import Deidentifier; d = Deidentifier.build_default(b'x' * 32); "
            "t = 'Mehrudin shouted at Todd: \"What are you doing here?\"'; "
            "print(sorted((t[s.start:s.end], s.entity_type) for s in d.analyze(t)))")
    seen = {}
    for seed in ("1", "4", "7"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             cwd=Path(__file__).resolve().parents[1],
                             env={**os.environ, "PYTHONHASHSEED": seed})
        seen[seed] = out.stdout.strip().splitlines()[-1]
    assert len(set(seen.values())) == 1, seen
    assert "('Todd', 'PERSON')" in seen["4"], seen


def test_word_probabilities_take_each_word_from_its_most_central_window():
    """The vectorised per-word mean equals the plain loop it replaced (overlapping windows, padding)."""
    import numpy as np

    from deid.tagger.encoding import Window, Words, word_probabilities

    rng = np.random.default_rng(7)
    n_words, n_classes = 30, 5
    words = Words([(i, i + 1) for i in range(n_words)], [[1]] * n_words, np.zeros(n_words, np.int64),
                  np.zeros((n_words, 6), np.float32))
    wins, probs = [], []
    for w0, w1 in ((0, 14), (8, 24), (18, 30)):
        word_of = [-1] + [w for w in range(w0, w1) for _ in range(int(rng.integers(1, 4)))] + [-1]
        t = len(word_of)
        wins.append(Window(w0, w1, np.zeros(t, np.int64), np.zeros(t, np.int64), np.zeros((t, 6), np.float32),
                           np.array(word_of, np.int64)))
        probs.append(rng.random((t + 3, n_classes)).astype(np.float32))  # padded past the window
    expected = np.zeros((n_words, n_classes), np.float32)
    best = np.full(n_words, -1.0)
    for win, p in zip(wins, probs):
        for wi in range(win.w0, win.w1):
            centrality = min(wi - win.w0 + 1, win.w1 - wi) / max(1, win.w1 - win.w0)
            rows = np.nonzero(win.word_of == wi)[0]
            if centrality > best[wi] and rows.size:
                expected[wi], best[wi] = p[rows].mean(axis=0), centrality
    np.testing.assert_allclose(word_probabilities(words, wins, probs), expected, rtol=1e-6)


def test_windows_cover_every_word_within_the_piece_budget():
    """Windows hold whole words within ``max_pieces`` (a longer word is cut), overlap by at most
    ``overlap`` pieces, move on by one word at least, and end with the text's last word."""
    import numpy as np

    from deid.tagger.encoding import Words, windows

    rng = np.random.default_rng(3)
    for _ in range(50):
        n = int(rng.integers(1, 80))
        pieces = [list(range(100 * i, 100 * i + int(rng.choice([1, 1, 2, 3, 12])))) for i in range(n)]
        words = Words([(i, i + 1) for i in range(n)], pieces, np.arange(n, dtype=np.int64),
                      np.eye(6, dtype=np.float32)[np.arange(n) % 6])
        max_pieces, overlap = int(rng.integers(4, 20)), int(rng.integers(0, 6))
        wins = windows(words, 1, 2, max_pieces=max_pieces, overlap=overlap)
        assert wins[0].w0 == 0 and wins[-1].w1 == n
        for win in wins:
            assert len(win.input_ids) <= max_pieces + 2 and win.input_ids[0] == 1 and win.input_ids[-1] == 2
            inner = win.word_of[1:-1]
            assert sorted(set(inner.tolist())) == list(range(win.w0, win.w1))
            whole = sum(len(pieces[w]) for w in range(win.w0, win.w1)) == len(inner)
            assert whole or (win.w1 == win.w0 + 1 and len(inner) == max_pieces)  # a long word, cut
            assert (win.shape_ids[1:-1] == inner).all() and (win.lex[1:-1] == words.lex[inner]).all()
        for a, b in zip(wins, wins[1:]):
            assert a.w0 < b.w0 <= a.w1
            assert b.w0 == a.w0 + 1 or sum(len(pieces[w]) for w in range(b.w0, a.w1)) <= overlap
