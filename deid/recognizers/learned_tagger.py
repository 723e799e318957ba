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

from deid.recognizers.base import DeidRecognizer, Found
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

    def find(self, text: str) -> Iterable[Found]:
        """Tagged spans, scored by the model's probability scaled into the config score."""
        for span in self.tagger.predict(text):
            yield Found(span.start, span.end, ENTITY_OF[span.cls], min(self.score, 0.5 + span.score / 2))
