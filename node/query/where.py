"""A small, strict expression language for ``--where``, parsed into a query spec.

Grammar (keywords are case-insensitive)::

    expr       := conj ("or" conj)*
    conj       := unary ("and" unary)*
    unary      := "not" unary | "(" expr ")" | comparison
    comparison := FIELD ("=" | "!=" | ">" | ">=" | "<" | "<=") value
                | FIELD "in" "(" value ("," value)* ")"
                | FIELD "between" value "and" value
                | FIELD "contains" value
    value      := NUMBER | 'single-quoted' | "double-quoted" | WORD

Example::

    age >= 60 and modality = MR and body_region = head and text contains "glioma"

The parser produces the JSON spec of :mod:`node.query.spec`, which validates
fields, operators and values; it never builds a MongoDB document itself.
"""

from __future__ import annotations

import re
from typing import Any

from node.query.spec import MAX_DEPTH, MAX_SPEC_BYTES, CountQuery, QueryError, parse_query

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>-?\d+(?![A-Za-z0-9_.\-]))
      | '(?P<sq>[^'\\]*)'
      | "(?P<dq>[^"\\]*)"
      | (?P<op>!=|>=|<=|=|>|<|\(|\)|,)
      | (?P<word>[A-Za-z0-9_][A-Za-z0-9_.\-]*)
    )""",
    re.VERBOSE,
)
MAX_NUMBER_DIGITS = 18  # more than any field needs (ages, years); and int() of a huge text is slow or refused
_OPS = {"=": "eq", "!=": "ne", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}
_KEYWORDS = {"and", "or", "not", "in", "between", "contains"}


def _tokenize(text: str) -> list[tuple[str, Any, int]]:
    tokens: list[tuple[str, Any, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise QueryError(f"cannot read the expression at character {pos + 1}: {text[pos:pos + 12]!r}")
        kind = m.lastgroup
        raw = m.group(kind)
        if kind == "num":
            digits = len(raw.lstrip("-"))
            if digits > MAX_NUMBER_DIGITS:
                raise QueryError(f"the number at character {m.start(kind) + 1} has {digits} digits: numbers in an "
                                 f"expression have at most {MAX_NUMBER_DIGITS} (ages 0-90, years YYYY)")
            tokens.append(("value", int(raw), m.start(kind)))
        elif kind in ("sq", "dq"):
            tokens.append(("value", raw, m.start(kind)))
        elif kind == "op":
            tokens.append(("op", raw, m.start(kind)))
        elif raw.lower() in _KEYWORDS:
            tokens.append(("kw", raw.lower(), m.start(kind)))
        else:
            tokens.append(("word", raw, m.start(kind)))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any, int]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, Any, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, kind: str | None = None, value: Any = None, what: str = "") -> tuple[str, Any, int]:
        tok = self.peek()
        if tok is None or (kind and tok[0] != kind) or (value is not None and tok[1] != value):
            where = f"at character {tok[2] + 1}" if tok else "at the end"
            raise QueryError(f"expected {what or value or kind} {where} of the expression")
        self.i += 1
        return tok

    def at(self, kind: str, value: Any) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == kind and tok[1] == value

    def expr(self, depth: int) -> dict[str, Any]:
        if depth > MAX_DEPTH:
            raise QueryError(f"the expression nests deeper than {MAX_DEPTH} levels")
        parts = [self.conj(depth)]
        while self.at("kw", "or"):
            self.i += 1
            parts.append(self.conj(depth))
        return parts[0] if len(parts) == 1 else {"or": parts}

    def conj(self, depth: int) -> dict[str, Any]:
        parts = [self.unary(depth)]
        while self.at("kw", "and"):
            self.i += 1
            parts.append(self.unary(depth))
        return parts[0] if len(parts) == 1 else {"and": parts}

    def unary(self, depth: int) -> dict[str, Any]:
        if self.at("kw", "not"):
            self.i += 1
            if depth + 1 > MAX_DEPTH:
                raise QueryError(f"the expression nests deeper than {MAX_DEPTH} levels")
            return {"not": self.unary(depth + 1)}
        if self.at("op", "("):
            self.i += 1
            inner = self.expr(depth + 1)
            self.take("op", ")", "')'")
            return inner
        return self.comparison()

    def value(self) -> Any:
        tok = self.peek()
        if tok is not None and tok[0] in ("value", "word"):
            self.i += 1
            return tok[1]
        return self.take("value", what="a value")[1]

    def comparison(self) -> dict[str, Any]:
        name = self.take("word", what="a field name")[1]
        tok = self.peek()
        if tok is None:
            raise QueryError(f"expected an operator after {name!r} at the end of the expression")
        if tok[0] == "op" and tok[1] in _OPS:
            self.i += 1
            return {"field": name, "op": _OPS[tok[1]], "value": self.value()}
        if tok[0] == "kw" and tok[1] == "in":
            self.i += 1
            self.take("op", "(", "'('")
            values = [self.value()]
            while self.at("op", ","):
                self.i += 1
                values.append(self.value())
            self.take("op", ")", "')'")
            return {"field": name, "op": "in", "value": values}
        if tok[0] == "kw" and tok[1] == "between":
            self.i += 1
            low = self.value()
            self.take("kw", "and", "'and'")
            return {"field": name, "op": "between", "value": [low, self.value()]}
        if tok[0] == "kw" and tok[1] == "contains":
            self.i += 1
            return {"field": name, "op": "contains", "value": self.value()}
        raise QueryError(f"expected an operator (=, !=, >, >=, <, <=, in, between, contains) after {name!r} "
                         f"at character {tok[2] + 1}")


def parse_where(text: str) -> dict[str, Any] | None:
    """Parse a ``--where`` expression into a condition dict (``None`` for an empty text).

    Raises
    ------
    QueryError
        If the text does not follow the grammar; the message gives the position.
    """
    if not isinstance(text, str):
        raise QueryError(f"the expression must be text, not {type(text).__name__}")
    if len(text) > MAX_SPEC_BYTES:
        raise QueryError(f"the expression is longer than {MAX_SPEC_BYTES} characters")
    tokens = _tokenize(text)
    if not tokens:
        return None
    parser = _Parser(tokens)
    cond = parser.expr(1)
    if parser.peek() is not None:
        raise QueryError(f"unexpected {parser.peek()[1]!r} at character {parser.peek()[2] + 1} of the expression")
    return cond


def query_from_cli(where: str | None, by: list[str] | None = None) -> CountQuery:
    """Build a validated query from ``--where`` text and ``--by`` field names."""
    spec: dict[str, Any] = {"by": list(by or [])}
    cond = parse_where(where or "")
    if cond is not None:
        spec["where"] = cond
    return parse_query(spec)
