"""Curated surrogate vocabularies (``deid/data/surrogates/*.txt``).

Surrogates replace detected names, places and hospitals with realistic but
fictitious values. The lists are small and curated so that a surrogate is
never a clinical word, an eponym or a drug name.

:func:`surrogate_vocabulary` exposes every token of every list (lower-cased)
so that test-data generators can avoid planting PHI that collides with a
surrogate.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

SURROGATE_DIR = Path(__file__).parent / "data" / "surrogates"

#: Names of the lists shipped in :data:`SURROGATE_DIR` (file stem -> role).
LIST_NAMES: tuple[str, ...] = ("first_names", "last_names", "streets", "cities", "hospitals")


@lru_cache(maxsize=None)
def load_list(name: str) -> tuple[str, ...]:
    """Return the entries of one surrogate list.

    Parameters
    ----------
    name:
        File stem under ``deid/data/surrogates/`` (one of :data:`LIST_NAMES`).

    Returns
    -------
    tuple of str
        Non-empty, non-comment lines, in file order.
    """
    path = SURROGATE_DIR / f"{name}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(s.strip() for s in lines if s.strip() and not s.lstrip().startswith("#"))


@lru_cache(maxsize=1)
def surrogate_vocabulary() -> frozenset[str]:
    """All tokens that a surrogate may contain, lower-cased.

    Returns
    -------
    frozenset of str
        Every distinctive whitespace-separated token of every surrogate list,
        plus the full multi-word entries, lower-cased. Generic words
        ("hospital", "medical", "street", ...) are left out: they identify
        nobody, and a generator must stay free to use them.
    """
    vocab: set[str] = set()
    for name in LIST_NAMES:
        for entry in load_list(name):
            low = entry.lower()
            vocab.add(low)
            vocab.update(t for t in low.split() if t not in GENERIC_WORDS)
    return frozenset(vocab)


#: Street suffixes used by the address surrogate operator.
STREET_SUFFIXES: tuple[str, ...] = ("Street", "Avenue", "Road", "Lane", "Drive", "Court", "Way")

#: Generic words of institution/place names, not part of the vocabulary.
GENERIC_WORDS: frozenset[str] = frozenset(
    {"hospital", "medical", "center", "general", "memorial", "community", "regional",
     "county", "university", "health", "infirmary", "falls", "glen", "run", "ridge",
     "bend", "crest", "hollow"}
    | {s.lower() for s in STREET_SUFFIXES}
)
