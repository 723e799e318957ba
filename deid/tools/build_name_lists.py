"""Build ``deid/data/lexicon/census_first_names.txt`` (run once, offline; output is committed).

Source: the 1990 US Census name frequency lists (public domain, U.S. Census Bureau) as
shipped in the PyPI package ``names`` (``names==0.3.0``, MIT; files ``dist.female.first``,
``dist.male.first``). That package is needed only to rebuild the file, never at run time.
The list adds first names that Faker's locales lack (Suzette, Joellen, Lorrie...). Entries
that are common words or inflections of one (the census lists hold "see", "son", "numbers",
"sunday") are dropped: ambiguous names come from Faker and the curated lists only.

Usage::

    .venv/bin/pip install names==0.3.0   # build-time only
    .venv/bin/python -m deid.tools.build_name_lists
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

LEXICON = Path(__file__).resolve().parents[1] / "data" / "lexicon"
OUT = LEXICON / "census_first_names.txt"
_INFLECTIONS = (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
                ("ly", ""), ("er", ""), ("ers", ""))
SOURCES = ("dist.female.first", "dist.male.first")


def read_census(folder: Path, filename: str) -> list[str]:
    """Names (lower-case) of one census file: ``NAME freq cumfreq rank`` per line."""
    out = []
    for line in (folder / filename).read_text(encoding="ascii").splitlines():
        parts = line.split()
        if parts and parts[0].isalpha():
            out.append(parts[0].lower())
    return out


def is_wordlike(name: str, common: set[str]) -> bool:
    """Whether ``name`` is a common word or the inflection of one ("numbers", "sees")."""
    if name in common:
        return True
    return any(name.endswith(suf) and name[: -len(suf)] + rep in common for suf, rep in _INFLECTIONS)


def main() -> None:
    spec = importlib.util.find_spec("names")
    if spec is None or spec.origin is None:
        raise SystemExit("the 'names' package is not installed: pip install names==0.3.0 (build-time only)")
    folder = Path(spec.origin).parent
    common = {w.strip() for w in (LEXICON / "common_words.txt").read_text(encoding="utf-8").splitlines()
              if w.strip() and not w.startswith("#")}
    names = sorted({n for f in SOURCES for n in read_census(folder, f) if len(n) >= 3 and not is_wordlike(n, common)})
    header = ("# US Census 1990 first names (public domain), via PyPI names==0.3.0; "
              "built by deid/tools/build_name_lists.py\n")
    OUT.write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} first names -> {OUT}")


if __name__ == "__main__":
    main()
