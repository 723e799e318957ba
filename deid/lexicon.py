"""Word lists used by the recognizers: person names and common words.

* First/last names come from Faker's person providers for a few locales (extracted into
  ``data/lexicon/faker_names.txt.gz`` by :mod:`deid.tools.build_faker_names`), the US
  Census 1990 first-name lists
  (``data/lexicon/census_first_names.txt``, built by :mod:`deid.tools.build_name_lists`)
  and curated nicknames.
* Common words (``data/lexicon/common_words.txt``, built by
  :mod:`deid.tools.build_common_words`) are English/clinical words. A name that
  is also a common word (Bill, Will, May, Mark, Hope, Fall, Foley, ...) is
  *ambiguous*: it is tagged only with context (a title, a relation word, a
  credential) and, in mixed-case text, capitalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent / "data" / "lexicon"
FAKER_NAMES = LEXICON_DIR / "faker_names.txt.gz"

#: Faker locales whose first/last names are loaded.
NAME_LOCALES: tuple[str, ...] = (
    "en_US", "en_GB", "en_IE", "it_IT", "es_ES", "de_DE", "fr_FR", "pl_PL", "pt_BR",
    "ru_RU", "nl_NL", "ro_RO", "el_GR", "sv_SE",
)

#: Nicknames and short forms Faker lacks.
NICKNAMES: frozenset[str] = frozenset(
    """bill billy bob bobby dave davey rob robbie hank vinny vince luci lucy krissy jim jimmy
    don donny liz lizzie nick rich richie lou eddie ed wil will dan danny tom tommy mike
    mikey jack joe joey pat patty sue suzie sally kate katie kathy cathy chris steve stevie
    tony andy sam sandy ron ronnie ken kenny larry gerry jerry terry teri deb debbie barb
    peggy meg maggie jen jenny jon johnny frank frankie fred freddie al pete ted teddy
    walt wally ray gus ben benny charlie chuck dick rick ricky nate nat phil smokey
    art""".split()
)

#: Words that are names but so common in notes that only a title may tag them.
NEVER_BARE: frozenset[str] = frozenset(
    """may will hope fall mark bill art faith joy grace rose june april august summer
    autumn dawn eve sunny crystal amber ruby pearl iris lily daisy hazel ivy holly
    page bell king long young white black brown green gray grey wood hall rice price
    bush frost cross may""".split()
)


_INFLECTIONS = (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
                ("ly", ""), ("er", ""), ("ers", ""))


def _fold(word: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", word.replace("ł", "l")).encode("ascii", "ignore").decode("ascii")


_WORD_SHAPE = re.compile(
    r"(?:ing|ly|tion|sion|ment|ness|ity|ous|ive|able|ible|ful|less|ize|ise|ated|ates|ies|"
    r"ence|ance|ism|ogy|ical|ular|ation)$"
)


@dataclass(frozen=True)
class Lexicon:
    """Name and word lists, all lower-cased."""

    first_names: frozenset[str]
    last_names: frozenset[str]
    common_words: frozenset[str]
    #: English-locale names usable without context (subset of first/last names).
    bare_names: frozenset[str] = frozenset()
    #: The wide name lists (Philter + census, 270k): trusted only next to a strong cue.
    listed_names: frozenset[str] = frozenset()

    def is_first_name(self, token: str) -> bool:
        """Whether ``token`` is a known first name (or nickname)."""
        return token.lower() in self.first_names

    def is_last_name(self, token: str) -> bool:
        """Whether ``token`` is a known last name."""
        return token.lower() in self.last_names

    def is_name(self, token: str) -> bool:
        """Whether ``token`` is a known first or last name."""
        low = token.lower()
        return low in self.first_names or low in self.last_names

    def is_listed_name(self, token: str) -> bool:
        """Whether ``token`` (accents folded) is on any name list, the wide ones included."""
        low = token.lower()
        return self.is_name(low) or _fold(low) in self.listed_names

    def is_inflected_common(self, token: str) -> bool:
        """A common word or the inflection of one ("claims", "hoping", "aunts"); unlike
        :meth:`looks_like_word` the word shape alone ("-ly", "-ing") does not count."""
        low = token.lower()
        if self.is_common(low):
            return True
        return any(low.endswith(suf) and low[: -len(suf)] + repl in self.common_words
                   for suf, repl in _INFLECTIONS)

    def is_common(self, token: str) -> bool:
        """Whether ``token`` is a common English/clinical word."""
        low = token.lower()
        return low in self.common_words or (low.endswith("'s") and low[:-2] in self.common_words)

    def is_plain_word(self, token: str) -> bool:
        """A common word that is on no name list ("cardiac", not "Rose"): never a name by itself."""
        return self.is_common(token) and not self.is_name(token)

    def looks_like_word(self, token: str) -> bool:
        """An unknown token shaped like an English word (inflected, derived) or
        the inflection of a common word: "claims", "hoping", "realizes", "aunts"."""
        low = token.lower()
        if self.is_name(low):
            return False
        if self.is_common(low):
            return True
        for suf, repl in _INFLECTIONS:
            if low.endswith(suf) and low[: -len(suf)] + repl in self.common_words:
                return True
        return bool(_WORD_SHAPE.search(low))

    def is_typo_of_common(self, token: str) -> bool:
        """Whether an unknown token is one edit (a letter dropped, added, changed or two
        swapped) away from a common word: "tema", "famil", "socaial", "visisted".
        Known names are never typos."""
        low = token.lower()
        if len(low) < 4 or self.is_name(low) or self.is_common(low):
            return False
        return _one_edit_from(low, self.common_words)

    def is_unambiguous_name(self, token: str) -> bool:
        """An English-locale name that is not a common word: tagged even without context."""
        low = token.lower()
        return low in self.bare_names and len(low) > 3 and not self.is_common(low) \
            and not _WORD_SHAPE.search(low)


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=65536)
def _one_edit_from(word: str, vocabulary: frozenset[str]) -> bool:
    """Whether some word of ``vocabulary`` (of 4+ letters) is one edit away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for a, b in splits:
        if b and len(word) > 4 and a + b[1:] in vocabulary:
            return True
        if len(b) > 1 and a + b[1] + b[0] + b[2:] in vocabulary:
            return True
        for c in _LETTERS:
            if b and c != b[0] and a + c + b[1:] in vocabulary:
                return True
            if a + c + b in vocabulary:
                return True
    return False


def load_faker_names() -> dict[str, frozenset[str]]:
    """Faker's person names as extracted by :mod:`deid.tools.build_faker_names`: ``first``,
    ``last`` and ``bare`` (the English-speaking locales' first and last names)."""
    lists: dict[str, set[str]] = {"first": set(), "last": set(), "bare": set()}
    for line in _read_gz(FAKER_NAMES):
        kind, _, name = line.partition("\t")
        lists[kind].add(name)
    return {kind: frozenset(names) for kind, names in lists.items()}


def _read_list(path: Path) -> set[str]:
    """Lower-cased words of a one-per-line list (``#`` lines are comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {w.strip().lower() for w in lines if w.strip() and not w.startswith("#")}


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load the name and common-word lists (cached, offline).

    Returns
    -------
    Lexicon
        Lower-cased first names, last names and common words.
    """
    faker = load_faker_names()
    first: set[str] = set(NICKNAMES) | faker["first"]
    last: set[str] = set(faker["last"])
    first |= _read_list(LEXICON_DIR / "census_first_names.txt")
    bare: set[str] = set(NICKNAMES) | faker["bare"]
    # other locales' first names only when long (short ones collide with words: "ante", "boel")
    bare |= {n for n in first if len(n) >= 6}
    common = _read_list(LEXICON_DIR / "common_words.txt")
    common |= NEVER_BARE
    wide = load_wide_lexicon()
    return Lexicon(frozenset(first), frozenset(last), frozenset(common), frozenset(bare),
                   wide.first_names | wide.last_names)


WIDE_DIR = LEXICON_DIR / "wide"


@dataclass(frozen=True)
class WideLexicon:
    """The wide lists built by :mod:`deid.tools.build_lexicons` (Philter, US Census, GeoNames).

    All entries are lower-case and ASCII-folded ("łódź" is "lodz").
    """

    first_names: frozenset[str]
    last_names: frozenset[str]
    safe_words: frozenset[str]
    us_places: frozenset[str]
    world_places: frozenset[str]
    #: Plain English words: lower case in SCOWL's dictionary, Zipf >= 3 in wordfreq, not on the place
    #: list (:mod:`deid.tools.build_lexicons`); names among them ("baker") count as names where the
    #: curated lexicon lists them.
    english_words: frozenset[str] = frozenset()

    def is_name(self, token: str) -> bool:
        """Whether ``token`` is on the first- or last-name list."""
        low = token.lower()
        return low in self.first_names or low in self.last_names

    def is_place(self, phrase: str) -> bool:
        """Whether ``phrase`` is a known US or world place, its accents folded too ("Piła", "Łódź":
        the GeoNames lists hold ASCII names)."""
        low = phrase.lower()
        if low in self.us_places or low in self.world_places:
            return True
        if low.isascii():
            return False
        folded = _fold(low)
        return folded in self.us_places or folded in self.world_places


def _read_gz(path: Path) -> list[str]:
    import gzip

    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line for line in fh.read().splitlines() if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def load_wide_lexicon() -> WideLexicon:
    """Load the wide lists (cached; ~0.15 s)."""
    places = [line.split("\t") for line in _read_gz(WIDE_DIR / "places.txt.gz")]
    return WideLexicon(
        first_names=frozenset(_read_gz(WIDE_DIR / "first_names.txt.gz")),
        last_names=frozenset(_read_gz(WIDE_DIR / "last_names.txt.gz")),
        safe_words=frozenset(_read_gz(WIDE_DIR / "safe_words.txt.gz")),
        us_places=frozenset(p[0] for p in places if p[1] == "us"),
        world_places=frozenset(p[0] for p in places if p[1] == "world"),
        english_words=frozenset(_read_gz(WIDE_DIR / "english_words.txt.gz")),
    )


@lru_cache(maxsize=1)
def load_country_names() -> frozenset[str]:
    """Country names (lower-case), from pycountry-free sources: GeoNames' world entries that
    are countries are not kept apart, so the list is the short set below plus common forms."""
    return frozenset("""afghanistan albania algeria argentina armenia australia austria bangladesh belarus belgium
        bolivia bosnia brazil bulgaria cambodia cameroon canada chile china colombia croatia cuba cyprus czechia
        denmark ecuador egypt england estonia ethiopia finland france germany ghana greece guatemala haiti honduras
        hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kenya korea kosovo laos
        latvia lebanon liberia libya lithuania luxembourg malaysia mexico moldova mongolia morocco nepal netherlands
        nicaragua nigeria norway pakistan panama paraguay peru philippines poland portugal romania russia rwanda
        scotland senegal serbia singapore slovakia slovenia somalia spain sudan sweden switzerland syria taiwan
        thailand tunisia turkey uganda ukraine uruguay usa venezuela vietnam wales yemen zambia zimbabwe""".split()) | \
        frozenset({"united states", "united kingdom", "south africa", "el salvador", "costa rica", "dominican republic",
                   "new zealand", "saudi arabia", "the bahamas", "bahamas", "the netherlands", "sri lanka", "puerto rico", "great britain", "south korea", "north korea"})


#: US states identify no one on their own (HIPAA Safe Harbor keeps them), nor do countries.
US_STATES: frozenset[str] = frozenset("""alabama alaska arizona arkansas california colorado connecticut delaware
    florida georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
    michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee
    texas utah vermont virginia washington wisconsin wyoming""".split()) | frozenset({
    "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota", "rhode island",
    "south carolina", "south dakota", "west virginia", "district of columbia", "puerto rico"})


@lru_cache(maxsize=1)
def place_first_words() -> frozenset[str]:
    """The first word of every place of the wide lexicon, as written and with hyphens read as
    spaces ("wilkes-barre" and "wilkes"): no place starts at a word not in this set."""
    wide = load_wide_lexicon()
    places = wide.us_places | wide.world_places
    return frozenset(p.split(" ")[0] for p in places) | frozenset(p.replace("-", " ").split(" ")[0] for p in places)


@lru_cache(maxsize=1)
def not_identifying_places() -> frozenset[str]:
    """States and countries (lower-case): places, but not identifiers under Safe Harbor."""
    return US_STATES | load_country_names()
