"""The learned PHI tagger as a recognizer: the recall backstop behind the rules.

Wraps :class:`deid.tagger.runtime.PhiTagger` (a 2-layer MiniLM token classifier run with
onnxruntime, ``deid/data/tagger/MODEL_CARD.md``). The pipeline runs it beside the analyzer (not in
its registry, whose duplicate removal would fold equal rule results into its own) and merges its
spans with the rules'; where both find the same text, the rule's entity type wins (it knows the finer type),
so the tagger mainly adds what no rule saw. Configure with ``recognizers.learned_tagger`` in the
deid YAML: ``model`` (a model folder; empty = the packaged one) and ``threshold_scale`` (< 1 for
more recall, > 1 for more precision).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.dates import COMPACT, DAY_MONTH, DOTTED, ISO, ISO_TIME, MONTH_DAY, MONTH_YEAR, NUMERIC, shift_date_text
from deid.lexicon import not_identifying_places
from deid.recognizers.base import STOP_WORDS, WEEKDAYS, WORD_RE, DeidRecognizer, Found, is_mixed_case
from deid.recognizers.date import numeric_is_date
from deid.recognizers.facility import GENERIC_FACILITY_WORDS
from deid.recognizers.location import GENERIC_PLACE_ACRONYMS
from deid.recognizers.provider_name import CREDENTIAL
from deid.recognizers.zip_code import US_STATE_CODES
from deid.tagger.labels import ENTITY_OF


_DATE_FORMS = (ISO_TIME, ISO, DOTTED, COMPACT, NUMERIC, DAY_MONTH, MONTH_DAY, MONTH_YEAR)
_LIST_SEP = re.compile(r"\s*(?:,|&|\band\b|\bor\b)\s*", re.I)
_BARE_YEAR = re.compile(r"['’]\d{2}s?|\d{2}['’]s?|(?:1[89]|20)\d{2}['’]?s?")


def _has_neighbour(text: str, spans: list, i: int) -> bool:
    """Whether the proposal before or after proposal ``i`` touches it across at most one space
    ("Den" | "Ham"); the tagger's spans come in text order and do not overlap."""
    def touch(end: int, start: int) -> bool:
        return 0 <= start - end <= 1 and text[end:start].strip() == ""

    return (i > 0 and touch(spans[i - 1].end, spans[i].start)) or \
        (i + 1 < len(spans) and touch(spans[i].end, spans[i + 1].start))


#: A number the model read as a date that its neighbours make a measurement: a decimal ("hct
#: 25.9"), an age ("79 years old", "73-year-old", "79-yo"), the end of a range ("cvp 8-10").
_NUMBER_NOT_DATE_AFTER = re.compile(r"[.,]\d|\s*(?:-\s*\d|-?\s*(?:years?\b|yrs?\b|yo\b|y/o|y\.o))", re.I)


def _not_a_date(text: str, start: int, end: int) -> bool:
    """Whether a date the model proposed is a number the date rules refuse: a ratio, score or
    setting ("pain 3/10", "CPAP 10/12", judged by :func:`numeric_is_date`), part of a run of
    slashed values ("abg 7.34/21/91/12"), a bare number that is a measurement or an age ("Age: 09"), or a clock time or a
    part of one ("PRONOUNCED 03:49": times are kept, and a shifted "03" would garble it)."""
    value = text[start:end]
    if re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?", value):
        return True  # a clock time
    if re.fullmatch(r"\d{1,2}", value) and (re.search(r"\d:$", text[max(0, start - 2) : start])
                                            or re.match(r":\d{2}", text[end : end + 3])):
        return True  # the hours or minutes of one
    if re.fullmatch(r"\d+(?:[/-]\d+)+", value):
        if re.search(r"(?:\d[./]|/)$", text[max(0, start - 2) : start]) or re.match(r"/\d", text[end : end + 2]):
            return True  # inside "7.34/21/91/12"
        m = NUMERIC.match(text, start)
        return m is not None and m.end() == end and not numeric_is_date(text, m)
    if re.fullmatch(r"\d{1,2}", value):
        return bool(_NUMBER_NOT_DATE_AFTER.match(text, end) or re.search(r"\d\s*-\s*$", text[max(0, start - 4) : start])
                    or re.search(r"(?i)\bage[ds]?\b[ \t:=]{0,3}$", text[max(0, start - 8) : start]))  # "Age: 09"
    return False


class LearnedTaggerRecognizer(DeidRecognizer):
    """PHI found by the learned tagger."""

    ENTITIES = tuple(sorted(set(ENTITY_OF.values()) | {"YEAR"}))
    CONFIG_KEY = "learned_tagger"

    def __init__(self, resources):
        super().__init__(resources)
        from deid.tagger.runtime import PhiTagger, load_tagger

        model = self.settings.model
        base = load_tagger(model)
        scale = self.settings.threshold_scale
        if scale != 1.0:
            base = PhiTagger(base.meta_dir, thresholds={k: min(0.99, v * scale) for k, v in base.thresholds.items()})
        self.tagger = base

    def _implausible(self, text: str, cls: str, alone: bool = True, mixed: bool = True) -> bool:
        """What the lexicons veto among the model's proposals: a single letter; a NAME or LOCATION
        made only of plain words (the clinical common words, Philter's safe list and, for a single
        word with no proposal next to it, the English word list: "stoic", "happiness"), typos of them ("THESHOLD", "cahir") or generic facility words,
        none of them a listed first/last name (NAME) or place (LOCATION) — for places only a single
        word, since hospitals are often named by plain words; a state, a country or a generic place
        acronym ("OSH", "RI")."""
        if sum(c.isalnum() for c in text) < 2 and cls not in ("DATE", "ID", "AGE"):
            return True
        if cls not in ("NAME", "LOCATION"):
            return False
        words = WORD_RE.findall(text)
        if len(words) == 1 and words[0].lower() in WEEKDAYS:
            return True  # "LBM on Sunday", "GO HOME ON MON"
        if cls == "NAME" and CREDENTIAL.fullmatch(text):
            return True  # "Mary Hulse, R.N"
        if cls == "LOCATION":
            general = not_identifying_places()
            parts = [" ".join(w.lower() for w in WORD_RE.findall(p) if w.lower() not in ("the", "in", "of", "to"))
                     for p in _LIST_SEP.split(text)]
            if all(p in general for p in parts):
                return True  # "Ohio", "new hampshire and maine": states and countries
            code = text.strip(". ").upper().replace(".", "")
            if text.strip(". ").upper() in GENERIC_PLACE_ACRONYMS or code in US_STATE_CODES:
                return True  # "OSH", "RI", "N.C."
        if not words:
            return True
        res, lex = self.resources, self.resources.lexicon
        if cls == "LOCATION" and len([w for w in words if w.lower() not in STOP_WORDS]) > 1:
            if mixed and text.islower() and all(lex.is_common(w) or w.lower() in GENERIC_FACILITY_WORDS
                                                or w.lower() in self.resources.wide.english_words for w in words):
                return True  # "prior medical center", "back to assisted living": no name in sentence case
            return False  # "University of MD Medical Center", "Holy Cross": named by plain words
        # the English word list judges a single word standing ``alone`` (no other proposal right
        # next to it) only: "Den Ham" and "Crystal Murdock" are names made of words, "STOIC" and
        # "happiness" are words
        english = self.resources.wide.english_words if len(words) == 1 and alone else frozenset()
        for w in words:
            low = w.lower()
            plain = lex.is_common(low) or low in self.resources.wide.safe_words or low in english \
                or res.allowed(low) or low in GENERIC_FACILITY_WORDS or lex.is_typo_of_common(low)
            if not plain:
                return False
            if cls == "NAME" and lex.is_name(low) and not lex.is_common(low):
                return False
            if cls == "LOCATION" and self.resources.wide.is_place(low) and not lex.is_common(low):
                return False
        return True

    def find(self, text: str) -> Iterable[Found]:
        """Tagged spans, scored by the model's probability scaled into the config score."""
        spans = self.tagger.predict(text)
        mixed = is_mixed_case(text)
        for i, span in enumerate(spans):
            value = text[span.start : span.end]
            if self._implausible(value, span.cls, alone=not _has_neighbour(text, spans, i), mixed=mixed):
                continue
            entity = ENTITY_OF[span.cls]
            if entity == "DATE" and _not_a_date(text, span.start, span.end):
                continue
            score = min(self.score, 0.5 + span.score / 2)
            if entity in ("DATE", "ID") and _BARE_YEAR.fullmatch(value):
                entity = "YEAR"  # a year alone: public mode keeps years, notes shift them
            if entity == "DATE" and shift_date_text(value, 1) is None:
                parts = [(m.start(), m.end()) for rx in _DATE_FORMS for m in rx.finditer(value)]
                if parts:  # "16 August Chest CT": keep the date, not the words the model ran on into
                    for a, b in parts:
                        yield Found(span.start + a, span.start + b, "DATE", score)
                    continue
            yield Found(span.start, span.end, entity, score)
