"""The typed cohort-query spec (JSON, validated with pydantic).

A query is a condition tree over the fields of :mod:`node.query.fields` plus an
optional breakdown by up to two fields. The answer is always a count of
distinct patients (and per-cell counts); never documents or identifiers.

JSON shape::

    {"where": {"and": [{"field": "age", "op": "gte", "value": 60},
                       {"field": "modality", "op": "eq", "value": "MR"},
                       {"field": "body_region", "op": "eq", "value": "head"},
                       {"field": "text", "op": "contains", "value": "glioma"}]},
     "by": ["sex"]}

Conditions: ``{"and": [...]}``, ``{"or": [...]}``, ``{"not": {...}}`` or a
comparison ``{"field", "op", "value"}``. Unknown keys, fields, operators or
values that do not fit the field are rejected with a :class:`QueryError` naming
the problem. Values are only ever used as literals by the compiler.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    StrictStr,
    Tag,
    ValidationError,
    model_validator,
)

from node.query.fields import FIELDS, FieldSpec, breakdown_domain
from schemas.query_fields import extract_tokens

MAX_DEPTH = 8
MAX_COMPARISONS = 64
MAX_LIST = 32
MAX_TEXT = 200
MAX_TEXT_TOKENS = 16
MAX_SPEC_BYTES = 16_384

Op = Literal["eq", "ne", "in", "gt", "gte", "lt", "lte", "between", "contains"]
Scalar = Union[StrictInt, StrictStr]

_TERM = re.compile(r"^[a-z0-9][a-z0-9 \-]{0,63}$")
_SITE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_MONTH = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")


class QueryError(ValueError):
    """A query spec or expression is invalid; the message says what and how to fix it."""


def _normalize_term(value: str) -> str:
    return re.sub(r"[\s\-]+", " ", value.strip().lower())


def _check_scalar(spec: FieldSpec, value: Any) -> Any:
    """Validate and normalize one value for ``spec``; raise ValueError otherwise."""
    if spec.kind == "enum":
        if not isinstance(value, str) or value not in spec.domain:
            raise ValueError(f"{spec.name} must be one of {', '.join(spec.domain)}")
        return value
    if spec.kind == "int":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= spec.max_int:
            raise ValueError(f"{spec.name} must be a whole number from 0 to {spec.max_int}")
        return value
    if spec.kind == "term":
        term = _normalize_term(value) if isinstance(value, str) else ""
        if not _TERM.match(term):
            raise ValueError(f"{spec.name} must be a normalized term (letters, digits, spaces, hyphens; <= 64)")
        return term
    if spec.kind == "site":
        if not isinstance(value, str) or not _SITE.match(value):
            raise ValueError(f"{spec.name} must be a site id such as 'hospital-a'")
        return value
    if spec.kind == "month":
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            value = f"{value:04d}"
        m = _MONTH.match(value) if isinstance(value, str) else None
        if not m:
            raise ValueError(f"{spec.name} must be a year 'YYYY' or a month 'YYYY-MM' (shifted dates: no days)")
        return value
    if spec.kind == "text":
        if not isinstance(value, str) or not 0 < len(value) <= MAX_TEXT:
            raise ValueError(f"{spec.name} must be text of 1 to {MAX_TEXT} characters")
        tokens = extract_tokens(value)
        if not tokens or len(tokens) > MAX_TEXT_TOKENS:
            raise ValueError(f"{spec.name} must contain 1 to {MAX_TEXT_TOKENS} words of 2+ letters or digits")
        return " ".join(tokens)
    raise ValueError(f"unsupported field kind {spec.kind}")  # pragma: no cover


class Compare(BaseModel):
    """``field op value``: one comparison on a catalogue field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: StrictStr
    op: Op
    value: Scalar | list[Scalar]

    @model_validator(mode="after")
    def _fits_field(self) -> Compare:
        spec = FIELDS.get(self.field)
        if spec is None:
            raise ValueError(f"unknown field {self.field!r}: use one of {', '.join(sorted(FIELDS))}")
        if self.op not in spec.ops:
            raise ValueError(f"operator {self.op!r} is not allowed on {self.field!r}: use {', '.join(sorted(spec.ops))}")
        if self.op in ("in", "between"):
            if not isinstance(self.value, list):
                raise ValueError(f"{self.op!r} on {self.field!r} needs a list value")
            values = [_check_scalar(spec, v) for v in self.value]
            if self.op == "in":
                if not 1 <= len(values) <= MAX_LIST:
                    raise ValueError(f"'in' takes 1 to {MAX_LIST} values")
                values = sorted(set(values), key=str)
            else:
                if len(values) != 2 or values[0] > values[1]:
                    raise ValueError(f"'between' on {self.field!r} needs [low, high] with low <= high")
            object.__setattr__(self, "value", values)
        else:
            if isinstance(self.value, list):
                raise ValueError(f"{self.op!r} on {self.field!r} takes one value, not a list")
            object.__setattr__(self, "value", _check_scalar(spec, self.value))
        return self


class And(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    all_of: list["Condition"] = Field(alias="and", min_length=1, max_length=MAX_COMPARISONS)


class Or(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    any_of: list["Condition"] = Field(alias="or", min_length=1, max_length=MAX_COMPARISONS)


class Not(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    negated: "Condition" = Field(alias="not")


def _kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("and", "or", "not"):
            if key in value:
                return key
        return "cmp"
    if isinstance(value, BaseModel):
        return {And: "and", Or: "or", Not: "not", Compare: "cmp"}.get(type(value))
    return None


Condition = Annotated[
    Union[
        Annotated[And, Tag("and")],
        Annotated[Or, Tag("or")],
        Annotated[Not, Tag("not")],
        Annotated[Compare, Tag("cmp")],
    ],
    Discriminator(_kind, custom_error_type="condition",
                  custom_error_message="a condition is an object with 'and', 'or', 'not' or 'field'/'op'/'value'"),
]
And.model_rebuild()
Or.model_rebuild()
Not.model_rebuild()


def walk(cond: Any, depth: int = 1):
    """Yield ``(comparison, depth)`` for every comparison in a condition tree."""
    if isinstance(cond, And):
        for c in cond.all_of:
            yield from walk(c, depth + 1)
    elif isinstance(cond, Or):
        for c in cond.any_of:
            yield from walk(c, depth + 1)
    elif isinstance(cond, Not):
        yield from walk(cond.negated, depth + 1)
    elif isinstance(cond, Compare):
        yield cond, depth


class CountQuery(BaseModel):
    """A cohort count: distinct patients matching ``where``, optionally by up to two fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    where: Condition | None = None
    by: list[StrictStr] = Field(default_factory=list, max_length=2)

    @model_validator(mode="after")
    def _limits(self) -> CountQuery:
        comparisons = list(walk(self.where)) if self.where is not None else []
        if len(comparisons) > MAX_COMPARISONS:
            raise ValueError(f"too many comparisons ({len(comparisons)} > {MAX_COMPARISONS})")
        if comparisons and max(d for _, d in comparisons) > MAX_DEPTH:
            raise ValueError(f"conditions nest deeper than {MAX_DEPTH} levels")
        if len(set(self.by)) != len(self.by):
            raise ValueError("'by' lists a field twice")
        for name in self.by:
            spec = FIELDS.get(name)
            if spec is None or not spec.groupable:
                groupable = sorted(n for n, s in FIELDS.items() if s.groupable)
                raise ValueError(f"cannot break down by {name!r}: use one of {', '.join(groupable)}")
        return self

    def fields_used(self) -> set[str]:
        """Every field named by the query (conditions and breakdown), for permit scope checks."""
        used = {c.field for c, _ in walk(self.where)} if self.where is not None else set()
        return used | set(self.by)

    def cells(self) -> list[tuple[str, ...]]:
        """The public cells of the breakdown, in a fixed order (none without a breakdown)."""
        if not self.by:
            return []
        out: list[tuple[str, ...]] = [()]
        for name in self.by:
            out = [(*prefix, v) for prefix in out for v in breakdown_domain(name)]
        return out

    def canonical(self) -> str:
        """A canonical JSON text: the same query always gives the same text (cache and audit key)."""
        return json.dumps(self.model_dump(mode="json", by_alias=True, exclude_none=True),
                          sort_keys=True, separators=(",", ":"))


def _explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("function-", "tagged-union")))
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{loc or 'query'}: {msg}")
    return "; ".join(parts)


def parse_query(data: str | bytes | dict[str, Any]) -> CountQuery:
    """Validate a query spec given as JSON text or a dict.

    Raises
    ------
    QueryError
        If it is not valid JSON, too large, or not a valid spec; the message
        says which part is wrong.
    """
    if isinstance(data, (str, bytes)):
        if len(data) > MAX_SPEC_BYTES:
            raise QueryError(f"query spec is larger than {MAX_SPEC_BYTES} bytes")
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise QueryError(f"query spec is not UTF-8 text (byte {exc.start + 1}): send JSON as UTF-8") from None
        try:
            data = json.loads(data)
        except RecursionError:
            raise QueryError(f"query spec nests too deeply (conditions nest at most {MAX_DEPTH} levels)") from None
        except json.JSONDecodeError as exc:
            raise QueryError(f"query spec is not valid JSON: {exc.msg} at character {exc.pos + 1}") from None
        except ValueError:  # an integer literal over Python's digit limit
            raise QueryError("query spec holds a number with thousands of digits: values are ages (0-90) and "
                             "years (YYYY)") from None
    if not isinstance(data, dict):
        raise QueryError("query spec must be a JSON object with 'where' and/or 'by'")
    try:
        return CountQuery.model_validate(data)
    except ValidationError as exc:
        raise QueryError(f"invalid query: {_explain(exc)}") from None
    except RecursionError:
        raise QueryError(f"conditions nest deeper than {MAX_DEPTH} levels") from None
