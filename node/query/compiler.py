"""Compile a :class:`~node.query.spec.CountQuery` to a MongoDB aggregation pipeline.

Safety by construction: field names come only from the catalogue
(:data:`node.query.fields.FIELDS`), operators only from the fixed table below,
and every user value is a validated literal (string, integer or list of them)
placed *inside* an operator (``$eq``, ``$in``, ``$all``...), never as a key. The
compiler never emits ``$where``, ``$function``, ``$expr``, ``$regex`` or
``$accumulator``; ``assert_safe`` checks that for every compiled pipeline.

The pipeline returns one row per (patient, cell) with the patient's latest
matching note date in that cell; :mod:`node.query.engine` turns those rows into
per-cell patient counts without ever releasing a row.
"""

from __future__ import annotations

from typing import Any

from node.query.fields import FIELDS
from node.query.spec import And, Compare, CountQuery, Not, Or

PSEUDONYM_PATH = "query.patient_pseudonym"
DATE_PATH = "query.note_date_shifted"
FORBIDDEN_OPERATORS = frozenset({"$where", "$function", "$accumulator", "$expr", "$regex", "$jsonSchema", "$text",
                                 "$out", "$merge", "$lookup", "$unionWith"})

_SIMPLE = {"eq": "$eq", "ne": "$ne", "gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte", "in": "$in"}


def _month_start(value: str) -> str:
    return f"{value}-01-01" if len(value) == 4 else f"{value}-01"


def _month_end_exclusive(value: str) -> str:
    if len(value) == 4:
        return f"{int(value) + 1:04d}-01-01"
    year, month = int(value[:4]), int(value[5:7])
    return f"{year + 1:04d}-01-01" if month == 12 else f"{year:04d}-{month + 1:02d}-01"


def compile_compare(cmp: Compare) -> dict[str, Any]:
    """One comparison as a ``$match`` document (literal values only)."""
    spec = FIELDS[cmp.field]
    path = spec.path
    if spec.kind == "text":
        return {path: {"$all": list(str(cmp.value).split(" "))}}
    if spec.kind == "month":
        if cmp.op == "gte":
            return {path: {"$gte": _month_start(str(cmp.value))}}
        if cmp.op == "lt":
            return {path: {"$lt": _month_start(str(cmp.value))}}
        low, high = cmp.value  # type: ignore[misc]
        return {path: {"$gte": _month_start(low), "$lt": _month_end_exclusive(high)}}
    if cmp.op == "between":
        low, high = cmp.value  # type: ignore[misc]
        return {path: {"$gte": low, "$lte": high}}
    if cmp.op == "ne":
        # "not equal" must not match documents where the field is missing (e.g. modality before images)
        return {path: {"$exists": True, "$ne": cmp.value}}
    return {path: {_SIMPLE[cmp.op]: cmp.value}}


def compile_condition(cond: Any) -> dict[str, Any]:
    """A condition tree as a ``$match`` document."""
    if isinstance(cond, And):
        return {"$and": [compile_condition(c) for c in cond.all_of]}
    if isinstance(cond, Or):
        return {"$or": [compile_condition(c) for c in cond.any_of]}
    if isinstance(cond, Not):
        return {"$nor": [compile_condition(cond.negated)]}
    if isinstance(cond, Compare):
        return compile_compare(cond)
    raise TypeError(f"not a condition: {type(cond).__name__}")  # pragma: no cover


def compile_match(query: CountQuery, excluded_pseudonyms: list[str] | None = None) -> dict[str, Any]:
    """The ``$match`` stage's document: the query's condition minus opted-out patients."""
    parts: list[dict[str, Any]] = []
    if query.where is not None:
        parts.append(compile_condition(query.where))
    if excluded_pseudonyms:
        parts.append({PSEUDONYM_PATH: {"$nin": list(excluded_pseudonyms)}})
    if not parts:
        return {}
    return parts[0] if len(parts) == 1 else {"$and": parts}


def compile_pipeline(query: CountQuery, excluded_pseudonyms: list[str] | None = None) -> list[dict[str, Any]]:
    """The full pipeline: match, then one row per (patient, breakdown cell).

    Each output row is ``{"_id": {"p": pseudonym, "c0": value, "c1": value}, "last": date}``.
    For an array field (``term``) the breakdown unwinds it first.
    """
    pipeline: list[dict[str, Any]] = [{"$match": compile_match(query, excluded_pseudonyms)}]
    group_id: dict[str, str] = {"p": f"${PSEUDONYM_PATH}"}
    for i, name in enumerate(query.by):
        spec = FIELDS[name]
        if spec.kind == "term":
            # keep notes without terms: their patient counts in the total, in no cell
            pipeline.append({"$unwind": {"path": f"${spec.path}", "preserveNullAndEmptyArrays": True}})
        group_id[f"c{i}"] = f"${spec.path}"
    pipeline.append({"$group": {"_id": group_id, "last": {"$max": f"${DATE_PATH}"}}})
    assert_safe(pipeline)
    return pipeline


def assert_safe(node: Any) -> None:
    """Raise ``ValueError`` if a compiled pipeline holds a forbidden operator anywhere.

    A defence in depth: the compiler cannot produce one, this proves it for each query.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str) or key in FORBIDDEN_OPERATORS:
                raise ValueError(f"compiled pipeline holds a forbidden operator {key!r}")
            assert_safe(value)
    elif isinstance(node, list):
        for item in node:
            assert_safe(item)
