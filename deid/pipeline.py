"""The de-identification pipeline: Presidio analyzer (our recognizers) + Presidio
anonymizer (our keyed operators).

Usage::

    from deid.pipeline import Deidentifier
    deid = Deidentifier.build_default(site_secret=b"...")
    result = deid.deidentify(note_text, PatientContext(patient_key="7731-002-91"))

Nothing here logs or returns original text: :class:`~deid.types.DeidResult`
holds the surrogate text and, per redaction, only its type and position.
"""

from __future__ import annotations

from deid.fast_import import import_presidio

import_presidio()

import re  # noqa: E402
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult  # noqa: E402
from presidio_analyzer.predefined_recognizers import SpacyRecognizer  # noqa: E402
from presidio_anonymizer import AnonymizerEngine  # noqa: E402
from presidio_anonymizer.entities import OperatorConfig  # noqa: E402

from deid import keys
from deid.config import DeidConfig, load_deid_config
from deid.nlp import build_nlp_engine
from deid.operators import register_operators
from deid.recognizers import DenyListRecognizer, Resources, build_recognizers
from deid.recognizers.base import STOP_WORDS, WORD_RE, Token, is_mixed_case, line_bounds, tokenize
from deid.recognizers.hl7_segment import Hl7SegmentRecognizer
from deid.recognizers.learned_tagger import LearnedTaggerRecognizer
from deid.types import DeidResult, PatientContext, Replacement, Span

#: Entity types that are person names (propagated within a note).
NAME_TYPES = frozenset({"PERSON", "PATIENT", "PROVIDER", "RELATIVE"})
#: Entity types that may not be a single allow-listed clinical word.
WORDY_TYPES = frozenset({"PERSON", "HOSPITAL", "LOCATION"})
#: Priority when two overlapping spans disagree on the type (higher wins).
_PRIORITY = {"SSN": 9, "EMAIL": 9, "URL": 8, "PHONE": 8, "MRN": 8, "ID": 7, "DATE": 7, "AGE": 7,
             "ADDRESS": 6, "IP_ADDRESS": 8, "PATIENT": 6, "PROVIDER": 5, "RELATIVE": 5, "HOSPITAL": 5,
             "YEAR": 4, "ZIP": 4, "PERSON": 3, "LOCATION": 3, "WARD": 3, "TIME": 1,
             "CREDIT_CARD": 8, "IBAN_CODE": 8, "PHONE_NUMBER": 7, "UK_NHS": 7, "US_NPI": 7, "US_MBI": 7,
             "PL_PESEL": 7, "UK_NINO": 7, "MAC_ADDRESS": 7}
NO_PATIENT_KEY = "__no_patient__"
#: A nickname right after a name: ' "Bobby"', " (Peggy)", " 'Bud'".
_NICKNAME = re.compile(r"\s{1,2}([\"'“‘(])([A-Z][a-z][\w'-]*)([\"'”’)])")


class Deidentifier:
    """Detects PHI in clinical text and replaces it with consistent surrogates.

    Parameters
    ----------
    config:
        The validated configuration (see :func:`deid.config.load_deid_config`).
    site_secret:
        Secret of this node; keys surrogates, date shifts and pseudonyms.
    """

    def __init__(self, config: DeidConfig, site_secret: bytes):
        if not site_secret:
            raise ValueError("site_secret must be non-empty bytes")
        self.config = config
        self._secret = bytes(site_secret)
        self.resources = Resources.from_config(config)
        self.nlp_engine = build_nlp_engine(config.nlp.spacy_model, config.nlp.ner_enabled,
                                           config.nlp.ner_entities)
        recognizers = build_recognizers(self.resources) + presidio_recognizers(config)
        if config.nlp.ner_enabled:
            recognizers.append(SpacyRecognizer(supported_entities=sorted(set(config.nlp.ner_entities.values()))))
        # The learned tagger runs beside the analyzer, not in its registry: Presidio's
        # remove_duplicates collapses a rule's and the tagger's result of the same span, type and
        # score into one, and which one survives depends on the process's string hash seed; the
        # merge below must see both to let the rule's type win (see _merge).
        taggers = [r for r in recognizers if isinstance(r, LearnedTaggerRecognizer)]
        self.tagger: LearnedTaggerRecognizer | None = taggers[0] if taggers else None
        rules = [r for r in recognizers if not isinstance(r, LearnedTaggerRecognizer)]
        self.registry = RecognizerRegistry(recognizers=rules, supported_languages=[config.language])
        self.analyzer = AnalyzerEngine(registry=self.registry, nlp_engine=self.nlp_engine,
                                       supported_languages=[config.language])
        self.anonymizer = register_operators(AnonymizerEngine())
        self._entities = sorted(set(self.analyzer.get_supported_entities(config.language))
                                | set(DenyListRecognizer.ENTITIES)
                                | (set(self.tagger.ENTITIES) if self.tagger else set()))

    def ocr_analyzer(self) -> AnalyzerEngine:
        """The analyzer for text read from pixels: the rules only, without the learned tagger,
        which was trained on notes and reads OCR fragments of image texture as PHI."""
        return self.analyzer

    # ------------------------------------------------------------------ construction
    @classmethod
    def build_default(cls, site_secret: bytes) -> "Deidentifier":
        """A Deidentifier on ``deid/config/default.yaml``."""
        return cls(load_deid_config(), site_secret)

    # ------------------------------------------------------------------ keyed values
    def pseudonym(self, patient_key: str) -> str:
        """Keyed pseudonymous id of a patient (stable for this site secret)."""
        return keys.pseudonym(self._secret, patient_key, self.config.surrogates.pseudonym_prefix)

    def date_shift_days(self, patient_key: str) -> int:
        """The patient's date shift in days (same for all notes, never 0)."""
        ds = self.config.date_shift
        return keys.shift_days(self._secret, patient_key, ds.min_days, ds.max_days, ds.allow_negative)

    def redacts(self, entity_type: str) -> bool:
        """Whether spans of ``entity_type`` are changed (their operator is not ``keep``)."""
        ops = self.config.operators
        return ops.get(entity_type, ops.get("DEFAULT", "redact_tag")) != "keep"

    # ------------------------------------------------------------------ analysis
    def analyze(self, text: str, patient: PatientContext | None = None) -> list[Span]:
        """Detect PHI spans in ``text`` (merged, sorted, non-overlapping)."""
        return self._analyze(text, patient, None)

    def _analyze(self, text: str, patient: PatientContext | None, nlp_artifacts) -> list[Span]:
        ad_hoc = []
        if patient and patient.known_identifiers and self.config.enabled("deny_list"):
            ad_hoc.append(DenyListRecognizer(self.resources, patient.known_identifiers))
        results = self.analyzer.analyze(
            text, language=self.config.language, entities=self._entities,
            nlp_artifacts=nlp_artifacts, ad_hoc_recognizers=ad_hoc or None,
            score_threshold=self.config.score_threshold,
        )
        if self.tagger is not None:
            results += [r for r in self.tagger.analyze(text, self._entities, nlp_artifacts)
                        if r.score >= self.config.score_threshold]
        results = [r for r in results if not self._allowed_span(text, r)]
        results = _within_hl7_fields(text, results)
        if self.config.nlp.ner_enabled:
            results = [r for r in results if r.entity_type not in ("PERSON", "LOCATION")
                       or r.score >= self.config.nlp.ner_min_score
                       or r.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY) != "SpacyRecognizer"]
        if self.config.public_mode:
            keep = set(self.config.public_mode_entities)
            results = [r for r in results if r.entity_type in keep]
        else:
            results += self._expand_names(text, results)
            results += self._propagate_names(text, results)
        return _merge(results)

    def _allowed_span(self, text: str, r: RecognizerResult) -> bool:
        if r.entity_type not in WORDY_TYPES:
            return False
        words = WORD_RE.findall(text[r.start : r.end])
        return bool(words) and all(self.resources.allowed(w) for w in words)

    def _name_like(self, tok: Token, mixed: bool) -> bool:
        """A token that can continue a name next to one already found: a known name that is
        not a common word, or an unknown token that does not look like a word."""
        low = tok.low
        if len(low) < 2 or low in STOP_WORDS or self.resources.allowed(low):
            return False
        if mixed and not tok.text[:1].isupper():
            return False
        lex = self.resources.lexicon
        if lex.is_common(low):
            return mixed and tok.text.istitle() and lex.is_name(low) and not tok.text.isupper()
        return lex.is_name(low) or (len(low) > 2 and not lex.looks_like_word(low))

    def _expand_names(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """Grow name spans over the initials and names next to them: "Z. MILLER",
        "J SMITH", "Florence Garvey", "KAREN ANN YANULIS"."""
        toks = tokenize(text)
        if not toks:
            return []
        starts = [t.start for t in toks]
        ends = [t.end for t in toks]
        mixed = is_mixed_case(text)
        lex = self.resources.lexicon
        out = []
        for r in results:
            if r.entity_type not in NAME_TYPES:
                continue
            first, last = bisect_left(starts, r.start), bisect_right(ends, r.end) - 1
            if first > last or first >= len(toks):
                continue
            start, end = r.start, r.end
            # left: initials ("Z. Miller", "W. MAROTTA" after "CARAFATE-"), first names
            j = first - 1
            for _ in range(2):
                if j < 0:
                    break
                tok, gap = toks[j], text[toks[j].end : start]
                if gap in (". ", ".  ") and (len(tok.text) == 1 or re.search(r"-[A-Za-z]$", tok.text)):
                    start = tok.end - 1
                    if len(tok.text) > 1:
                        break
                elif gap == " " and len(tok.text) == 1 and tok.text.isupper() and tok.text not in "AIO" \
                        and text[start : end].isupper() and (tok.start == 0 or not text[tok.start - 1].isalnum()):
                    start = tok.start
                elif gap in (" ", "  ") and lex.is_first_name(tok.low) and self._name_like(tok, mixed):
                    start = tok.start
                else:
                    break
                j -= 1
            # a nickname in quotes or parentheses and the surname after it: 'Robert "Bobby" Kowalczyk'
            nick = _NICKNAME.match(text, end)
            if nick and lex.is_plain_word(nick.group(2)):
                nick = None  # "C Turner (Consultant)", "Okoro (Radiology)": a role or a department, no nickname
            if nick:
                k = bisect_left(starts, nick.end())
                if k < len(toks) and text[nick.end() : toks[k].start] == " " and self._name_like(toks[k], mixed):
                    end = toks[k].end
                else:
                    end = nick.end(2)
                last = bisect_right(ends, end) - 1
            # right: up to two more name tokens ("Karen Ann Yanulis")
            k, added = last + 1, 0
            while k < len(toks) and added < 2 and text[end : toks[k].start] == " ":
                tok = toks[k]
                if self._name_like(tok, mixed):
                    end, k, added = tok.end, k + 1, added + 1
                elif (lex.is_first_name(tok.low) and tok.low not in STOP_WORDS and k + 1 < len(toks)
                      and text[tok.end : toks[k + 1].start] == " " and self._name_like(toks[k + 1], mixed)
                      and (not mixed or tok.text[:1].isupper())):
                    end, k, added = toks[k + 1].end, k + 2, added + 2
                else:
                    break
            if (start, end) != (r.start, r.end):
                out.append(RecognizerResult(r.entity_type, start, end, r.score))
        return out

    def _propagate_names(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """Tag other mentions, in the same note, of name tokens found with context."""
        lex = self.resources.lexicon
        mixed = is_mixed_case(text)
        found: dict[str, str] = {}
        for r in results:
            if r.entity_type not in NAME_TYPES:
                continue
            for w in WORD_RE.findall(text[r.start : r.end]):
                low = w.lower()
                if len(low) < 3 or low in STOP_WORDS or self.resources.allowed(low):
                    continue
                if lex.is_common(low) and (r.entity_type == "PERSON" or lex.is_common(low) and not lex.is_name(low)):
                    continue
                found.setdefault(low, r.entity_type)
        if not found:
            return []
        rx = re.compile(r"(?<![\w'-])(" + "|".join(re.escape(w) for w in found) + r")(?![\w-])", re.I)
        out = []
        for m in rx.finditer(text):
            low = m.group().lower()
            if lex.is_common(low) and mixed and not m.group()[:1].isupper():
                continue
            out.append(RecognizerResult(found[low], m.start(), m.end(), 0.6))
        return out

    # ------------------------------------------------------------------ anonymization
    def deidentify(self, text: str, patient: PatientContext | None = None) -> DeidResult:
        """Detect and replace PHI in one note."""
        return self._anonymize(text, self._analyze(text, patient, None), patient)

    def deidentify_batch(self, items: Sequence[tuple[str, PatientContext | None]]) -> list[DeidResult]:
        """De-identify many notes; spaCy runs once over the batch (``nlp.pipe``)."""
        texts = [t for t, _ in items]
        artifacts = self.nlp_engine.process_batch(texts, self.config.language,
                                                  batch_size=self.config.nlp.batch_size)
        out = []
        for (text, patient), (_, nlp_artifacts) in zip(items, artifacts):
            out.append(self._anonymize(text, self._analyze(text, patient, nlp_artifacts), patient))
        return out

    def analyze_batch(self, texts: Sequence[str], patients: Sequence[PatientContext | None] | None = None) -> list[list[Span]]:
        """Detect PHI in many notes with one spaCy pass."""
        patients = patients or [None] * len(texts)
        artifacts = self.nlp_engine.process_batch(list(texts), self.config.language,
                                                  batch_size=self.config.nlp.batch_size)
        return [self._analyze(t, p, a) for t, p, (_, a) in zip(texts, patients, artifacts)]

    def _operators(self, patient: PatientContext | None) -> dict[str, OperatorConfig]:
        key = patient.patient_key if patient else NO_PATIENT_KEY
        params = {"secret": self._secret, "patient_key": key, "shift_days": self.date_shift_days(key),
                  "reference_year": self.config.dates.reference_year,
                  "pivot": self.config.dates.two_digit_year_pivot}
        ops = {}
        for entity, name in self.config.operators.items():
            ops[entity] = OperatorConfig("keep") if name == "keep" else OperatorConfig(name, dict(params))
        ops.setdefault("DEFAULT", OperatorConfig("redact_tag", dict(params)))
        return ops

    def _anonymize(self, text: str, spans: list[Span], patient: PatientContext | None) -> DeidResult:
        key = patient.patient_key if patient else NO_PATIENT_KEY
        changed = [s for s in spans if self.redacts(s.entity_type)]
        if not changed:
            return DeidResult(text=text, replacements=[], date_shift_days=self.date_shift_days(key))
        engine = self.anonymizer.anonymize(
            text=text,
            analyzer_results=[RecognizerResult(s.entity_type, s.start, s.end, s.score) for s in changed],
            operators=self._operators(patient),
            merge_entities_with_spaces=False,
        )
        return DeidResult(
            text=engine.text,
            replacements=[Replacement(s.entity_type, s.start, s.end) for s in changed],
            date_shift_days=self.date_shift_days(key),
        )


def presidio_recognizers(config: DeidConfig) -> list:
    """Presidio's predefined recognizers named in ``presidio_recognizers`` of the config."""
    from presidio_analyzer import predefined_recognizers

    out = []
    for name, kwargs in config.presidio_recognizers.items():
        cls = getattr(predefined_recognizers, name, None)
        if cls is None:
            raise ValueError(f"deid config: presidio_recognizers.{name} is not a Presidio predefined recognizer; "
                             "see presidio_analyzer.predefined_recognizers for the names")
        out.append(cls(**(kwargs or {})))
    return out


def _within_hl7_fields(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """On the lines of HL7 v2 segments that :class:`~deid.recognizers.hl7_segment.Hl7SegmentRecognizer`
    read, drop the other recognizers' spans that cross a field separator or touch the segment's name,
    and those across components where the HL7 reader found the components itself, so that a surrogate
    never swallows a segment's structure ("IN1|1|BCBS01|...", "STREET^^TOWN^ST^ZIP"); a span across
    the components of a field the reader does not know ("DUONG^TU") stays."""
    hl7 = [r for r in results if (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY) == Hl7SegmentRecognizer.__name__]
    if not hl7:
        return results
    lines = sorted({line_bounds(text, r.start, r.end) for r in hl7})

    def breaks_structure(r: RecognizerResult) -> bool:
        for a, b in lines:
            if r.start < b and r.end > a:
                inner = text[max(r.start, a) : min(r.end, b)]
                if r.start < a + 4 or r.end > b or "|" in inner:
                    return True
                return ("^" in inner or "~" in inner) and any(h.start < r.end and h.end > r.start for h in hl7)
        return False

    read = {id(r) for r in hl7}
    return [r for r in results if id(r) in read or not breaks_structure(r)]


def _merge(results: list[RecognizerResult]) -> list[Span]:
    """Union overlapping spans; the merged span takes the type of the strongest part (a rule's
    before the learned tagger's, then by :data:`_PRIORITY`)."""
    spans = sorted(results, key=lambda r: (r.start, -r.end))
    out: list[list] = []
    for r in spans:
        # a rule knows the finer type (ADDRESS, not the tagger's ID for its house number)
        by_rule = (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY) != LearnedTaggerRecognizer.__name__
        rank = (by_rule, _PRIORITY.get(r.entity_type, 2), r.score, r.end - r.start)
        if out and r.start < out[-1][1]:
            cur = out[-1]
            cur[1] = max(cur[1], r.end)
            if rank > cur[4]:
                cur[2], cur[3], cur[4] = r.entity_type, r.score, rank
        else:
            out.append([r.start, r.end, r.entity_type, r.score, rank])
    return [Span(s, e, t, float(sc)) for s, e, t, sc, _ in out]


def build_default(site_secret: bytes) -> Deidentifier:
    """Module-level alias of :meth:`Deidentifier.build_default`."""
    return Deidentifier.build_default(site_secret)
