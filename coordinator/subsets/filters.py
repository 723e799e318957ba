"""Subset filters (MultiCaRe-style): one :class:`Filter` per condition, each with any/all/none.

Fields, by level (as in MultiCaRe's ``MedicalDatasetCreator``):

- article: ``min_year``, ``max_year``, ``license`` (codes such as ``CC BY``, or ``commercial`` =
  licenses that allow commercial use), ``keywords``, ``mesh_terms`` (``match_type`` full/partial),
  ``source`` (``medpix``, ``pmc-patients``, ``multicare``);
- case: ``min_age``, ``max_age``, ``gender``, ``case_strings`` (case-insensitive substring of the
  de-identified case text);
- image: ``caption`` (substring, or a *safe* regular expression with ``regex=True``), ``label``
  (normalized labels ``CT``, ``head``, ``axial``, ``mass`` or ``modality=CT``, and the source's own
  labels).

Caption patterns are literal unless ``regex=True``; a regex is limited to 200 characters and may
not hold back-references or nested quantifiers (``(a+)+``), the constructs that make a regex
engine backtrack exponentially.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

__all__ = ["Filter", "FilterError", "FIELDS", "parse_filter", "load_filters", "compile_caption_pattern",
           "MAX_REGEX_LENGTH"]

ARTICLE_FIELDS = ("min_year", "max_year", "license", "keywords", "mesh_terms", "source")
CASE_FIELDS = ("min_age", "max_age", "gender", "case_strings")
IMAGE_FIELDS = ("caption", "label")
FIELDS = ARTICLE_FIELDS + CASE_FIELDS + IMAGE_FIELDS
NUMERIC = ("min_year", "max_year", "min_age", "max_age")
MAX_REGEX_LENGTH = 200
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d*,?\d*\})")
_BACKREF = re.compile(r"\\(?:[1-9]|g<|k<)|\(\?P=")


class FilterError(ValueError):
    """A filter is malformed; the message names the filter and what to write instead."""


class Filter(BaseModel):
    """One subset condition.

    Parameters
    ----------
    field:
        One of :data:`FIELDS`.
    values:
        The values (MultiCaRe's ``string_list``); one number for ``min_*`` / ``max_*``.
    operator:
        ``any`` (at least one value matches), ``all`` (every value matches; the default, as in
        MultiCaRe) or ``none`` (no value matches).
    match_type:
        ``full_match`` or ``partial_match`` for keywords / MeSH terms.
    regex:
        Caption values are regular expressions (checked by :func:`compile_caption_pattern`).
    matching_case:
        Caption matching is case-sensitive.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    field: str
    values: tuple[str, ...] = Field(alias="string_list", min_length=1)
    operator: Literal["any", "all", "none"] = "all"
    match_type: Literal["full_match", "partial_match"] = "full_match"
    regex: bool = False
    matching_case: bool = False

    @field_validator("field")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in FIELDS:
            raise ValueError(f"unknown filter field {value!r}; choose from {', '.join(FIELDS)}")
        return value

    @model_validator(mode="after")
    def _check(self) -> "Filter":
        if self.field in NUMERIC:
            if len(self.values) != 1:
                raise ValueError(f"{self.field} takes exactly one number")
            try:
                float(self.values[0])
            except ValueError:
                raise ValueError(f"{self.field}={self.values[0]!r} is not a number") from None
        if self.regex and self.field != "caption":
            raise ValueError("regex=True is only allowed for the caption field")
        if self.field == "caption":
            for value in self.values:
                compile_caption_pattern(value, self.regex, self.matching_case)
        return self

    @property
    def number(self) -> float:
        return float(self.values[0])


def compile_caption_pattern(value: str, regex: bool = False, matching_case: bool = False) -> re.Pattern[str]:
    """Compile a caption condition safely.

    A literal (``regex=False``) is escaped. A regex must be at most :data:`MAX_REGEX_LENGTH`
    characters, without back-references and without nested quantifiers.

    Raises
    ------
    FilterError
        Naming the pattern and the rule it breaks.
    """
    flags = 0 if matching_case else re.IGNORECASE
    if not regex:
        return re.compile(re.escape(value), flags)
    if len(value) > MAX_REGEX_LENGTH:
        raise FilterError(f"caption regex is {len(value)} characters; at most {MAX_REGEX_LENGTH} are allowed")
    if _BACKREF.search(value):
        raise FilterError(f"caption regex {value!r} uses a back-reference: not allowed (exponential matching)")
    if _NESTED_QUANTIFIER.search(value):
        raise FilterError(f"caption regex {value!r} has a quantified group that contains a quantifier, "
                          "e.g. (a+)+: not allowed (catastrophic backtracking); rewrite it without nesting")
    try:
        return re.compile(value, flags)
    except re.error as exc:
        raise FilterError(f"caption regex {value!r} does not compile: {exc}") from None


def parse_filter(text: str) -> Filter:
    """Parse ``FIELD[:OPERATOR][:regex|:partial|:case]=V1,V2`` (the ``--filter`` syntax).

    Examples
    --------
    >>> parse_filter("label:any=CT,MR").operator
    'any'
    >>> parse_filter("min_age=40").values
    ('40',)
    """
    head, sep, tail = text.partition("=")
    if not sep or not head.strip():
        raise FilterError(f"filter {text!r}: expected FIELD[:OPERATOR]=VALUE[,VALUE...], e.g. label:any=CT,MR")
    parts = [p.strip() for p in head.split(":")]
    options: dict[str, Any] = {"field": parts[0]}
    for part in parts[1:]:
        if part in ("any", "all", "none"):
            options["operator"] = part
        elif part == "regex":
            options["regex"] = True
        elif part == "partial":
            options["match_type"] = "partial_match"
        elif part == "case":
            options["matching_case"] = True
        else:
            raise FilterError(f"filter {text!r}: unknown option {part!r} (any, all, none, regex, partial, case)")
    values = [tail] if options.get("regex") else [v.strip() for v in tail.split(",") if v.strip()]
    try:
        return Filter(values=tuple(values), **options)
    except ValidationError as exc:
        raise FilterError(f"filter {text!r}: {exc.errors()[0]['msg']}") from None


def load_filters(path: Path) -> list[Filter]:
    """Read a JSON list of MultiCaRe-style filter dicts (``field``, ``string_list``, ``operator``...)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FilterError(f"{path}: cannot read a JSON list of filters ({exc})") from None
    if not isinstance(raw, list):
        raise FilterError(f"{path}: expected a JSON list of filter objects")
    out = []
    for i, item in enumerate(raw):
        try:
            out.append(Filter.model_validate(item))
        except ValidationError as exc:
            raise FilterError(f"{path}: filter #{i}: {exc.errors()[0]['msg']}") from None
    return out
