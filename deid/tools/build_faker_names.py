"""Build ``deid/data/lexicon/faker_names.txt.gz`` (run offline; the output is committed).

Source: the person providers of ``faker`` (MIT licence; the pinned version in
``requirements.lock``) for the locales of :data:`deid.lexicon.NAME_LOCALES`. Reading them at run
time imports 14 provider modules (~0.2 s at every node start); the node reads this file instead.
``tests/test_deid_recognizers.py`` checks that the file still equals what the installed Faker gives,
so a Faker upgrade that changes the lists fails the suite until the file is rebuilt.

Output: gzip, ``<list>\\t<name>`` a line, sorted; lists

* ``first`` — first names (``first_names``, ``first_names_male``, ``first_names_female``) of all
  the locales;
* ``last`` — last names of all the locales;
* ``bare`` — first and last names of ``en_US``, ``en_GB`` and ``en_IE`` (the names tagged without
  a title, see :func:`deid.lexicon.load_lexicon`).

Usage::

    .venv/bin/python -m deid.tools.build_faker_names
"""

from __future__ import annotations

import gzip
import importlib

from deid.lexicon import FAKER_NAMES, NAME_LOCALES

FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female")
BARE_LOCALES = ("en_US", "en_GB", "en_IE")


def provider_names(locale: str, attr: str) -> set[str]:
    """Lower-cased names of one Faker person provider attribute (words, hyphens and apostrophes)."""
    try:
        mod = importlib.import_module(f"faker.providers.person.{locale}")
    except ImportError:
        return set()
    values = getattr(mod.Provider, attr, ())
    return {str(v).lower() for v in values if str(v).isalpha() or "-" in str(v) or "'" in str(v)}


def faker_lists() -> dict[str, set[str]]:
    """The three lists from the installed Faker."""
    first = {n for loc in NAME_LOCALES for attr in FIRST_ATTRS for n in provider_names(loc, attr)}
    last = {n for loc in NAME_LOCALES for n in provider_names(loc, "last_names")}
    bare = {n for loc in BARE_LOCALES for attr in (*FIRST_ATTRS, "last_names") for n in provider_names(loc, attr)}
    return {"first": first, "last": last, "bare": bare}


def main() -> None:
    lines = [f"{kind}\t{name}" for kind, names in faker_lists().items() for name in sorted(names)]
    text = "# built by deid/tools/build_faker_names.py from faker's person providers (MIT)\n" + "\n".join(lines) + "\n"
    with gzip.GzipFile(FAKER_NAMES, "wb", compresslevel=9, mtime=0) as fh:  # mtime 0: the same bytes every build
        fh.write(text.encode("utf-8"))
    print(f"{FAKER_NAMES}: {len(lines)} names")


if __name__ == "__main__":
    main()
