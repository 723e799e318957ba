"""The learned PHI tagger as a recognizer: the recall backstop behind the rules.

Wraps :class:`deid.tagger.runtime.PhiTagger` (a 2-layer MiniLM token classifier run with
onnxruntime, ``deid/data/tagger/MODEL_CARD.md``). Its spans join the rule recognizers' in the
analyzer; where both find the same text, the rule's entity type wins (it knows the finer type),
so the tagger mainly adds what no rule saw. Configure with ``recognizers.learned_tagger`` in the
deid YAML: ``model`` (a model folder; empty = the packaged one) and ``threshold_scale`` (< 1 for
more recall, > 1 for more precision).
"""

from __future__ import annotations

from collections.abc import Iterable

from deid.lexicon import load_wide_lexicon, not_identifying_places
from deid.recognizers.base import WORD_RE, DeidRecognizer, Found
from deid.recognizers.location import GENERIC_PLACE_ACRONYMS
from deid.tagger.labels import ENTITY_OF


class LearnedTaggerRecognizer(DeidRecognizer):
    """PHI found by the learned tagger."""

    ENTITIES = tuple(sorted(set(ENTITY_OF.values())))
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
        self.wide = load_wide_lexicon()

    def _implausible(self, text: str, cls: str) -> bool:
        """A NAME or LOCATION made only of plain words that no name or place list holds
        ("DISREGARD", "JOULES", "pastoral"): the lexicons veto what the model proposes."""
        if cls not in ("NAME", "LOCATION"):
            return False
        if cls == "LOCATION":
            bare = " ".join(w.lower() for w in WORD_RE.findall(text) if w.lower() not in ("the", "in", "of", "to"))
            if bare in not_identifying_places() or text.strip(". ").upper() in GENERIC_PLACE_ACRONYMS:
                return True  # a state, a country, "OSH" (outside hospital): no identifier
        words = WORD_RE.findall(text)
        if not words:
            return True
        res, lex = self.resources, self.resources.lexicon
        for w in words:
            low = w.lower()
            plain = lex.is_common(low) or low in self.wide.safe_words or res.allowed(low)
            if not plain:
                return False
            if cls == "NAME" and lex.is_name(low):
                return False
            if cls == "LOCATION" and (self.wide.is_place(low) or lex.is_listed_name(low)):
                return False
        return True

    def find(self, text: str) -> Iterable[Found]:
        """Tagged spans, scored by the model's probability scaled into the config score."""
        for span in self.tagger.predict(text):
            if self._implausible(text[span.start : span.end], span.cls):
                continue
            yield Found(span.start, span.end, ENTITY_OF[span.cls], min(self.score, 0.5 + span.score / 2))
