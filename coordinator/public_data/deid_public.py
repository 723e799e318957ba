"""De-identification of public case-report text: the nodes' de-identifier in public mode.

Published case reports are already de-identified by their authors and journals; the coordinator
still runs them through :class:`deid.pipeline.Deidentifier` (belt and braces: an e-mail address
or phone number in a summary is removed), with ``public_mode`` on and a narrow entity list
(:data:`PUBLIC_ENTITIES`), because the text must not be damaged: ages under 90, years, dates,
relatives ("her sister") and medical eponyms are part of the case. Ages over 89 are still capped
("92-year-old" -> "90+") like at the nodes (HIPAA Safe Harbor).

Why not the default ``public_mode_entities`` of ``deid/config/default.yaml``: measured on the
602 MedPix 2.0 histories, keeping DATE and RELATIVE shifted 7 of 32 years ("August 2004" ->
"November 2004"), turned pain scores ("9/10") into other dates and "Sister" into a surname.
:func:`survival` measures what survives; ``import_public_data`` prints it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Sequence

from deid.config import DeidConfig, load_deid_config

__all__ = ["PUBLIC_ENTITIES", "public_deid_config", "build_public_deidentifier", "Survival", "survival",
           "stated_ages", "stated_years"]

PUBLIC_ENTITIES: tuple[str, ...] = ("EMAIL", "URL", "PHONE", "SSN", "MRN", "ID", "IP_ADDRESS", "ADDRESS", "ZIP", "AGE")
"""Entity types removed from public text: direct identifiers only, plus ages over 89."""

PUBLIC_SECRET = b"fednet-coordinator-public-data"
"""Keys the surrogates of the (rare) identifiers found in public text; nothing secret depends on it."""

_AGE = re.compile(r"\b(\d{1,3})(?:\s*|-)(?:years?[- ]old|years?|yrs?|y/?o|months?|weeks?|days?)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def public_deid_config(base: DeidConfig | None = None, entities: Sequence[str] = PUBLIC_ENTITIES) -> DeidConfig:
    """The nodes' de-identification config with ``public_mode`` on and ``entities`` kept.

    Parameters
    ----------
    base:
        Config to start from; defaults to ``deid/config/default.yaml``.
    entities:
        Entity types that are still replaced in public text.
    """
    base = base or load_deid_config()
    from deid.recognizers import RECOGNIZERS

    keep = set(entities)
    recognizers = dict(base.recognizers)
    for key, cls in RECOGNIZERS.items():  # public mode drops their spans anyway: don't run them (2-3x faster)
        if not keep & set(getattr(cls, "ENTITIES", ())):
            recognizers[key] = base.recognizer(key).model_copy(update={"enabled": False})
    return base.model_copy(update={"public_mode": True, "public_mode_entities": list(entities),
                                   "recognizers": recognizers})


def build_public_deidentifier(config: DeidConfig | None = None, secret: bytes = PUBLIC_SECRET):
    """A :class:`deid.pipeline.Deidentifier` in public mode (builds spaCy: about 2-3 s)."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    from deid.pipeline import Deidentifier

    deid = Deidentifier(config or public_deid_config(), secret)
    # The pipeline asks the analyzer for the deny-list entity types too; with their recognizers
    # switched off Presidio would log a warning per text. Ask only for what runs (and is kept).
    supported = set(deid.analyzer.get_supported_entities(deid.config.language))
    if hasattr(deid, "_entities"):
        deid._entities = sorted(supported & set(deid.config.public_mode_entities))
    return deid


def stated_ages(text: str, below: int = 90) -> list[str]:
    """Age mentions under ``below`` (``"73-year-old"``, ``"8 months"``, ``"47 y/o"``) as written."""
    return [m.group(0) for m in _AGE.finditer(text) if int(m.group(1)) < below]


def stated_years(text: str) -> list[str]:
    """Four-digit years 1900-2099 as written."""
    return _YEAR.findall(text)


@dataclass(frozen=True)
class Survival:
    """How many stated ages (< 90) and years are still in the de-identified text."""

    ages_stated: int
    ages_kept: int
    years_stated: int
    years_kept: int

    @property
    def age_share(self) -> float:
        return self.ages_kept / self.ages_stated if self.ages_stated else 1.0

    @property
    def year_share(self) -> float:
        return self.years_kept / self.years_stated if self.years_stated else 1.0

    def __add__(self, other: "Survival") -> "Survival":
        return Survival(self.ages_stated + other.ages_stated, self.ages_kept + other.ages_kept,
                        self.years_stated + other.years_stated, self.years_kept + other.years_kept)


def _kept(mentions: list[str], after: str) -> int:
    """Mentions found in ``after`` (as a multiset: each occurrence must still be there)."""
    remaining = after
    kept = 0
    for m in mentions:
        i = remaining.find(m)
        if i >= 0:
            kept += 1
            remaining = remaining[:i] + remaining[i + len(m):]
    return kept


def survival(before: Sequence[str], after: Sequence[str]) -> Survival:
    """Compare raw and de-identified texts: stated ages (< 90) and years that survived verbatim."""
    if len(before) != len(after):
        raise ValueError(f"survival(): {len(before)} raw texts but {len(after)} de-identified ones")
    total = Survival(0, 0, 0, 0)
    for raw, out in zip(before, after):
        ages, years = stated_ages(raw), stated_years(raw)
        total = total + Survival(len(ages), _kept(ages, out), len(years), _kept(years, out))
    return total
