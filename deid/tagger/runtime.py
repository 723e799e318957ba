"""Run the shipped PHI tagger with ``onnxruntime`` (int8, CPU, no torch).

A model folder holds ``model.int8.onnx``, ``tokenizer.json`` and ``meta.json`` (classes,
thresholds, window size), as written by :mod:`deid.tagger.training.train`. The packaged model is
``deid/data/tagger/``; see its ``MODEL_CARD.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from deid.tagger.encoding import (
    LexiconFeatures,
    decode_spans,
    default_lexicon_features,
    pad_batch,
    split_words,
    windows,
    word_probabilities,
)

PACKAGED_MODEL = Path(__file__).resolve().parents[1] / "data" / "tagger"


class TaggerUnavailable(RuntimeError):
    """The model folder is missing or unreadable."""


@dataclass(frozen=True)
class TaggedSpan:
    """A PHI span found by the tagger (end exclusive); ``cls`` is a tagger class."""

    start: int
    end: int
    cls: str
    score: float


class PhiTagger:
    """The learned PHI tagger.

    Parameters
    ----------
    model_dir:
        Folder with ``model.int8.onnx``, ``tokenizer.json`` and ``meta.json``.
    threads:
        Intra-op threads of the ONNX session (1: one note per core, parallelism by process).
    features:
        Lexicon features (defaults to the packaged lexicons).
    """

    def __init__(self, model_dir: Path = PACKAGED_MODEL, threads: int = 1, features: LexiconFeatures | None = None,
                 thresholds: dict[str, float] | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        self.meta_dir = model_dir
        try:
            self.meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
            self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except (OSError, ValueError) as exc:
            raise TaggerUnavailable(f"PHI tagger model at {model_dir} is missing or unreadable ({exc}); "
                                    "reinstall fednet or set recognizers.learned_tagger.model in the deid YAML") from exc
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(model_dir / "model.int8.onnx"), opts, providers=["CPUExecutionProvider"])
        self.classes: tuple[str, ...] = tuple(self.meta["classes"])
        self.thresholds: dict[str, float] = dict(thresholds or self.meta["thresholds"])
        self.max_pieces = int(self.meta.get("max_pieces", 126))
        self.features = features or default_lexicon_features()
        vocab = self.tokenizer.get_vocab()
        self.cls_id, self.sep_id = vocab["[CLS]"], vocab["[SEP]"]

    def word_probabilities(self, text: str, batch: int = 16):
        """The words of ``text`` and their class probabilities ``[n_words, n_classes]``."""
        words = split_words(text, self.tokenizer, self.features)
        if not words.spans:
            return words, np.zeros((0, len(self.classes)), np.float32)
        wins = windows(words, self.cls_id, self.sep_id, max_pieces=self.max_pieces)
        probs: list[np.ndarray] = []
        for k in range(0, len(wins), batch):
            chunk = wins[k : k + batch]
            logits = self.session.run(["logits"], pad_batch(chunk))[0]
            e = np.exp(logits - logits.max(axis=-1, keepdims=True))
            p = e / e.sum(axis=-1, keepdims=True)
            probs += [p[i, : len(w.input_ids)] for i, w in enumerate(chunk)]
        return words, word_probabilities(words, wins, probs)

    def predict(self, text: str, batch: int = 16) -> list[TaggedSpan]:
        """PHI spans of ``text`` at the model's thresholds."""
        words, word_p = self.word_probabilities(text, batch)
        if not words.spans:
            return []
        return [TaggedSpan(a, b, c, s) for a, b, c, s in decode_spans(text, words, word_p, self.classes, self.thresholds)]


@lru_cache(maxsize=4)
def load_tagger(model_dir: str = "", threads: int = 1) -> PhiTagger:
    """A cached :class:`PhiTagger` (``""`` is the packaged model)."""
    return PhiTagger(Path(model_dir) if model_dir else PACKAGED_MODEL, threads=threads)
