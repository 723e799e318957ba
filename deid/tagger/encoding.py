"""Text -> model inputs for the PHI tagger, and model outputs -> character spans.

Shared by training (:mod:`deid.tagger.training`) and inference (:mod:`deid.tagger.runtime`);
depends on NumPy and the ``tokenizers`` library only (no torch), so the node loads fast.

Inputs per word piece (MiniLM WordPiece, lower-cased and accent-stripped):

* ``input_ids`` — the piece;
* ``shape_ids`` — the letter shape of the *word* the piece belongs to (lower, Title, UPPER, mixed,
  digits, alphanumeric, punctuation), plus 8 when the note is written mostly in capitals, since
  the uncased model cannot see case;
* ``lex`` — six lexicon bits of the word: first name, last name, safe word, common clinical word,
  place, clinical allow-list (:class:`LexiconFeatures`).

Notes longer than a window are cut into overlapping windows at word boundaries; each word keeps
the prediction of the window in which it sits most centrally.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

N_SHAPES = 16
N_LEX = 6
CLS_ID, SEP_ID, PAD_ID = "[CLS]", "[SEP]", "[PAD]"


def fold(word: str) -> str:
    """Lower-case ASCII fold of a word ("Schüler" -> "schuler")."""
    low = word.lower().replace("ł", "l").replace("ø", "o").replace("ß", "ss")
    return unicodedata.normalize("NFKD", low).encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=65536)
def word_shape(word: str) -> int:
    """Shape class 1-7 of a word (0 is padding; cached: notes repeat their words)."""
    letters = [c for c in word if c.isalpha()]
    digits = any(c.isdigit() for c in word)
    if not letters:
        return 5 if digits else 7
    if digits:
        return 6
    if all(c.islower() for c in letters):
        return 1
    if all(c.isupper() for c in letters):
        return 3 if len(letters) > 1 else 2
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return 2
    return 4


def upper_style(text: str) -> bool:
    """Whether a note is written mostly in capitals (then case carries no name signal)."""
    letters = sum(map(str.isalpha, text))
    return bool(letters) and sum(map(str.isupper, filter(str.isalpha, text))) / letters > 0.5


@dataclass(frozen=True)
class LexiconFeatures:
    """The word lists behind the ``lex`` bits (lower-case, ASCII-folded)."""

    first: frozenset[str]
    last: frozenset[str]
    safe: frozenset[str]
    common: frozenset[str]
    places: frozenset[str]
    clinical: frozenset[str]
    #: bits already computed, by word (notes repeat their words); emptied when it grows past 100k
    _seen: dict[str, tuple[float, ...]] = field(default_factory=dict, compare=False, repr=False)

    def bits(self, word: str) -> tuple[float, ...]:
        """The six bits of one word."""
        found = self._seen.get(word)
        if found is None:
            if len(self._seen) > 100_000:
                self._seen.clear()
            found = self._seen[word] = self._bits(word)
        return found

    def _bits(self, word: str) -> tuple[float, ...]:
        w = fold(word)
        if w.endswith("'s"):
            w = w[:-2]
        return (float(w in self.first), float(w in self.last), float(w in self.safe),
                float(w in self.common), float(w in self.places), float(w in self.clinical))


@lru_cache(maxsize=1)
def default_lexicon_features() -> LexiconFeatures:
    """Features from the packaged lexicons (wide lists, common words, clinical allow-list)."""
    from deid.config import load_deid_config
    from deid.lexicon import load_lexicon, load_wide_lexicon

    wide, lex = load_wide_lexicon(), load_lexicon()
    places = frozenset(p for p in wide.us_places | wide.world_places if " " not in p)
    return LexiconFeatures(wide.first_names | lex.first_names, wide.last_names | lex.last_names, wide.safe_words,
                           lex.common_words, places, load_deid_config().allow_words())


@dataclass
class Words:
    """The pre-tokenized words of a text with their pieces."""

    spans: list[tuple[int, int]]      # character span of each word
    piece_ids: list[list[int]]        # vocabulary ids of each word's pieces
    shapes: np.ndarray                # [n_words] int64
    lex: np.ndarray                   # [n_words, N_LEX] float32


def split_words(text: str, tokenizer, features: LexiconFeatures) -> Words:
    """Words and pieces of ``text`` (``tokenizer``: a ``tokenizers.Tokenizer``)."""
    enc = tokenizer.encode(text, add_special_tokens=False)
    spans: list[tuple[int, int]] = []
    pieces: list[list[int]] = []
    last_word = None
    for pid, (a, b), wid in zip(enc.ids, enc.offsets, enc.word_ids):
        if wid is None:
            continue
        if wid != last_word:
            spans.append((a, b))
            pieces.append([pid])
            last_word = wid
        else:
            spans[-1] = (spans[-1][0], b)
            pieces[-1].append(pid)
    up = 8 if upper_style(text) else 0
    shapes = np.array([word_shape(text[a:b]) + up for a, b in spans], dtype=np.int64)
    lex = np.array([features.bits(text[a:b]) for a, b in spans], dtype=np.float32).reshape(len(spans), N_LEX)
    return Words(spans, pieces, shapes, lex)


@dataclass
class Window:
    """One model input: words ``[w0, w1)`` of a text as pieces, padded by the batcher."""

    w0: int
    w1: int
    input_ids: np.ndarray   # [T]
    shape_ids: np.ndarray   # [T]
    lex: np.ndarray         # [T, N_LEX]
    word_of: np.ndarray     # [T] word index of each position, -1 for [CLS]/[SEP]


_NO_LEX = np.zeros((1, N_LEX), np.float32)  # the lexicon bits of [CLS] and [SEP]


def windows(words: Words, cls_id: int, sep_id: int, max_pieces: int = 126, overlap: int = 24,
            start_word: int = 0) -> list[Window]:
    """Cut a text's words into windows of at most ``max_pieces`` pieces (plus [CLS] and [SEP]).

    A window ends at the last whole word that fits (a single word longer than a window is
    truncated to ``max_pieces`` pieces); the next one starts ``overlap`` pieces or fewer before
    it ended, at a word boundary, and at least one word further on."""
    n = len(words.spans)
    if start_word >= n:
        return []
    counts = np.fromiter((len(p) for p in words.piece_ids), np.int64, count=n)
    offsets = np.zeros(n + 1, np.int64)  # offsets[w]: pieces before word w
    np.cumsum(counts, out=offsets[1:])
    flat_ids = np.fromiter((pid for p in words.piece_ids for pid in p), np.int64, count=int(offsets[-1]))
    piece_word = np.repeat(np.arange(n, dtype=np.int64), counts)
    out: list[Window] = []
    w = start_word
    while w < n:
        end = int(np.searchsorted(offsets, offsets[w] + max_pieces, side="right")) - 1
        if end <= w:  # one word longer than a window: truncate its pieces
            a, b, end = int(offsets[w]), int(offsets[w]) + max_pieces, w + 1
        else:
            a, b = int(offsets[w]), int(offsets[end])
        word_of = piece_word[a:b]
        out.append(Window(w, end, np.concatenate(([cls_id], flat_ids[a:b], [sep_id])),
                          np.concatenate(([0], words.shapes[word_of], [0])).astype(np.int64),
                          np.concatenate((_NO_LEX, words.lex[word_of], _NO_LEX)),
                          np.concatenate(([-1], word_of, [-1]))))
        if end >= n:
            break
        # next window: the first word from which at most ``overlap`` pieces reach ``end``
        w = max(w + 1, int(np.searchsorted(offsets, offsets[end] - overlap, side="left")))
    return out


def pad_batch(batch: list[Window]) -> dict[str, np.ndarray]:
    """Stack windows into padded arrays (``attention_mask`` 1 on real positions)."""
    t = max(len(w.input_ids) for w in batch)
    b = len(batch)
    ids = np.zeros((b, t), np.int64)
    shp = np.zeros((b, t), np.int64)
    lex = np.zeros((b, t, N_LEX), np.float32)
    mask = np.zeros((b, t), np.int64)
    for i, w in enumerate(batch):
        n = len(w.input_ids)
        ids[i, :n], shp[i, :n], lex[i, :n], mask[i, :n] = w.input_ids, w.shape_ids, w.lex, 1
    return {"input_ids": ids, "shape_ids": shp, "lex": lex, "attention_mask": mask}


def word_probabilities(words: Words, wins: list[Window], probs: list[np.ndarray]) -> np.ndarray:
    """Per-word class probabilities ``[n_words, n_classes]`` from per-window piece probabilities.

    A word takes the mean over its pieces in the window where it is most central."""
    n_classes = probs[0].shape[-1]
    out = np.zeros((len(words.spans), n_classes), np.float32)
    best = np.full(len(words.spans), -1.0)
    for win, p in zip(wins, probs):
        n = win.w1 - win.w0
        if n <= 0:
            continue
        rows = win.word_of >= 0
        local = win.word_of[rows] - win.w0
        sums = np.zeros((n, n_classes), np.float32)  # float32 as p[rows].mean(axis=0) was
        np.add.at(sums, local, p[: len(win.word_of)][rows])
        counts = np.bincount(local, minlength=n)
        idx = np.arange(win.w0, win.w1)
        centrality = np.minimum(idx - win.w0 + 1, win.w1 - idx) / max(1, n)
        take = (centrality > best[idx]) & (counts > 0)
        out[idx[take]] = sums[take] / counts[take, None].astype(np.float32)
        best[idx[take]] = centrality[take]
    return out


def chunk_bounds(words: Words) -> tuple[np.ndarray, np.ndarray]:
    """Whitespace-free chunks of words ("7/22", "QUARTERMAIN7", "(410)555-1234"): for each word
    the index of its chunk's first word and of its chunk's last word."""
    n = len(words.spans)
    spans = np.asarray(words.spans, np.int64).reshape(n, 2)
    starts = np.ones(n, bool)
    starts[1:] = spans[1:, 0] != spans[:-1, 1]
    first = np.flatnonzero(starts)
    last = np.append(first[1:], n) - 1
    chunk = np.cumsum(starts) - 1
    return first[chunk], last[chunk]


def decode_spans(text: str, words: Words, word_probs: np.ndarray, classes: tuple[str, ...],
                 thresholds: dict[str, float], grow: float = 0.4) -> list[tuple[int, int, str, float]]:
    """Character spans ``(start, end, class, score)`` of PHI.

    A word is a seed when 1 - P(O) reaches the threshold of its most likely PHI class. Inside a
    whitespace-free chunk ("7/22", "QUARTERMAIN7") a seed grows over the neighbouring words whose
    PHI probability reaches ``grow`` times that threshold, so a date or an id is not cut in pieces
    ("7/22" whole, not "/22") while a lab string ("7.44-52-69") is not taken whole for one number.
    Spans are trimmed to letters and digits at both ends; adjacent spans of one class separated
    by one space or hyphen join ("John Smith")."""
    if not words.spans:
        return []
    phi = 1.0 - word_probs[:, 0]
    pred = np.argmax(word_probs[:, 1:], axis=1) + 1
    default = thresholds.get("default", 0.5)
    th = np.array([thresholds.get(c, default) for c in classes])[pred]
    lo_of, hi_of = chunk_bounds(words)
    spans: list[list] = []
    taken = -1  # words up to this index belong to a span already (seeds come in order)
    for i in np.flatnonzero(phi >= th).tolist():
        if i <= taken:
            continue
        lo = hi = i
        bar = grow * th[i]
        while lo > lo_of[i] and phi[lo - 1] >= bar:
            lo -= 1
        while hi < hi_of[i] and phi[hi + 1] >= bar:
            hi += 1
        taken = hi
        run = [j for j in range(lo, hi + 1) if any(c.isalnum() for c in text[words.spans[j][0] : words.spans[j][1]])]
        if not run:
            continue
        a, b = words.spans[run[0]][0], words.spans[run[-1]][1]
        cls, score = classes[int(pred[i])], float(phi[i])
        if spans and spans[-1][2] == cls and text[spans[-1][1]:a] in ("", " ", "-", "'"):
            spans[-1][1] = max(spans[-1][1], b)
            spans[-1][3] = max(spans[-1][3], score)
        else:
            spans.append([a, b, cls, score])
    return [tuple(s) for s in spans]


def word_labels(words: Words, spans: list[tuple[int, int, str]], classes: tuple[str, ...]) -> np.ndarray:
    """Training label (class index) of every word: the class of a gold span it overlaps."""
    index = {c: i for i, c in enumerate(classes)}
    labels = np.zeros(len(words.spans), np.int64)
    for a, b, cls in spans:
        for wi, (s, e) in enumerate(words.spans):
            if s < b and a < e and cls in index:
                labels[wi] = index[cls]
    return labels
