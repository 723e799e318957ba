"""RSNA CTP "Burned-in Annotation Library": scanner-model rules -> pixel rectangles to blank.

The rule file is ``deid/image/data/DicomPixelAnonymizer.script``, verbatim from
github.com/johnperry/CTP @ 361e90f8 (RSNA Public License; provenance in
``deid/image/data/README.md``). Each rule is a boolean expression over header values
followed by rectangles ``(x,y,w,h)``::

    { Modality.equals("US") * Manufacturer.containsIgnoreCase("ACUSON") * Rows.equals("480") }
    (0,0,640,30)

``*`` is AND, ``+`` OR, ``!`` NOT, parentheses group; operands are
``Keyword.method("value")`` or ``[gggg,eeee].method("value")``. A missing element reads as
``""``. The expression is evaluated on the *original* header (before de-identification).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from deid.image.types import Box

RULES_FILE = Path(__file__).parent / "data" / "DicomPixelAnonymizer.script"

_TOKEN = re.compile(r"""\s*(?:(?P<op>[*+!()])|(?P<term>(?:\[[0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\]|[A-Za-z][A-Za-z0-9]*)\s*\.\s*(?P<method>[A-Za-z]+)\s*\(\s*"(?P<arg>[^"]*)"\s*\)))""")
_RULE = re.compile(r"\{(?P<expr>[^{}]*)\}\s*(?P<boxes>(?:\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\)\s*)+)")
_BOX = re.compile(r"\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)")

_METHODS: dict[str, Callable[[str, str], bool]] = {
    "equals": lambda v, a: v == a,
    "equalsignorecase": lambda v, a: v.lower() == a.lower(),
    "contains": lambda v, a: a in v,
    "containsignorecase": lambda v, a: a.lower() in v.lower(),
    "startswith": lambda v, a: v.startswith(a),
    "startswithignorecase": lambda v, a: v.lower().startswith(a.lower()),
    "endswith": lambda v, a: v.endswith(a),
    "endswithignorecase": lambda v, a: v.lower().endswith(a.lower()),
    "matches": lambda v, a: re.fullmatch(a, v) is not None,
}


class RuleSyntaxError(ValueError):
    """A rule of the script cannot be parsed; the message quotes the rule."""


@dataclass(frozen=True)
class PixelRule:
    """One signature: a header condition and the rectangles to blank when it holds."""

    expression: str
    boxes: tuple[Box, ...]
    _evaluate: Callable[[Callable[[str], str]], bool]

    def matches(self, header_value: Callable[[str], str]) -> bool:
        """Whether the rule holds, given ``header_value(keyword_or_[gggg,eeee]) -> str``."""
        return self._evaluate(header_value)


def _compile(expression: str) -> Callable[[Callable[[str], str]], bool]:
    """Parse a CTP boolean expression into a function (recursive descent)."""
    tokens: list[tuple[str, Any]] = []
    pos = 0
    text = expression.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise RuleSyntaxError(f"cannot parse CTP rule {expression!r} at {text[pos:pos + 20]!r}")
        if m.group("op"):
            tokens.append(("op", m.group("op")))
        else:
            name = m.group("term").split(".")[0].strip()
            method = m.group("method").lower()
            if method not in _METHODS:
                raise RuleSyntaxError(f"unknown method {m.group('method')!r} in CTP rule {expression!r}")
            tokens.append(("term", (name, _METHODS[method], m.group("arg"))))
        pos = m.end()
    index = 0

    def peek() -> tuple[str, Any] | None:
        return tokens[index] if index < len(tokens) else None

    def take() -> tuple[str, Any]:
        nonlocal index
        index += 1
        return tokens[index - 1]

    def parse_or():
        left = parse_and()
        while peek() == ("op", "+"):
            take()
            right = parse_and()
            left = (lambda a, b: lambda h: a(h) or b(h))(left, right)
        return left

    def parse_and():
        left = parse_not()
        while peek() == ("op", "*"):
            take()
            right = parse_not()
            left = (lambda a, b: lambda h: a(h) and b(h))(left, right)
        return left

    def parse_not():
        if peek() == ("op", "!"):
            take()
            inner = parse_not()
            return lambda h: not inner(h)
        return parse_atom()

    def parse_atom():
        tok = peek()
        if tok is None:
            raise RuleSyntaxError(f"CTP rule {expression!r} ends early")
        if tok == ("op", "("):
            take()
            inner = parse_or()
            if peek() != ("op", ")"):
                raise RuleSyntaxError(f"unbalanced parentheses in CTP rule {expression!r}")
            take()
            return inner
        kind, value = take()
        if kind != "term":
            raise RuleSyntaxError(f"unexpected {value!r} in CTP rule {expression!r}")
        name, fn, arg = value
        return lambda h: fn(h(name), arg)

    result = parse_or()
    if index != len(tokens):
        raise RuleSyntaxError(f"trailing tokens in CTP rule {expression!r}")
    return result


def parse_rules(text: str) -> list[PixelRule]:
    """Every ``{ condition } (x,y,w,h)...`` rule of a DicomPixelAnonymizer script."""
    rules = []
    for m in _RULE.finditer(text):
        expression = " ".join(m.group("expr").split())
        boxes = tuple(Box(*(int(g) for g in b)) for b in _BOX.findall(m.group("boxes")))
        rules.append(PixelRule(expression, boxes, _compile(expression)))
    return rules


@lru_cache(maxsize=1)
def load_rules(path: Path = RULES_FILE) -> tuple[PixelRule, ...]:
    """The packaged CTP rules (parsed once)."""
    return tuple(parse_rules(Path(path).read_text(encoding="utf-8", errors="replace")))


def header_reader(ds: Any) -> Callable[[str], str]:
    """``name -> str`` over a pydicom dataset (keyword or ``[gggg,eeee]``; missing -> ``""``)."""

    def value(name: str) -> str:
        if name.startswith("["):
            group, element = name[1:-1].split(",")
            tag = (int(group, 16) << 16) | int(element, 16)
            elem = ds.get(tag) if hasattr(ds, "get") else None
            if elem is None and hasattr(ds, "file_meta") and ds.file_meta is not None:
                elem = ds.file_meta.get(tag)
            raw = getattr(elem, "value", None)
        else:
            raw = ds.get(name) if hasattr(ds, "get") else None
            if raw is None and getattr(ds, "file_meta", None) is not None:
                raw = ds.file_meta.get(name)
        if raw is None:
            return ""
        if isinstance(raw, (list, tuple)) or type(raw).__name__ == "MultiValue":
            return "\\".join(str(v) for v in raw)
        return str(raw)

    return value


def matching_boxes(ds: Any, rules: tuple[PixelRule, ...] | None = None) -> list[Box]:
    """Rectangles of every rule that matches ``ds``'s header."""
    read = header_reader(ds)
    out: list[Box] = []
    for rule in rules if rules is not None else load_rules():
        if rule.matches(read):
            out.extend(rule.boxes)
    return out
