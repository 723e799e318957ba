"""JSON from an export, parsed so that no value can crash or stall the ingest.

``json.loads`` alone raises ``RecursionError`` on ``[[[[...`` 100,000 deep, ``ValueError``
(not ``JSONDecodeError``) on a 5,000-digit integer (Python's int-string limit), returns
``inf`` for ``1e999`` and strings with unpaired surrogates (``"\\ud800"``) that cannot be
encoded again. :func:`loads` turns each of these into one :class:`JsonProblem` whose message
says what is wrong without quoting the input.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 64  # FHIR resources of the kinds ingested nest about 8 deep
MAX_INT_DIGITS = 100
_JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


class JsonProblem(ValueError):
    """The JSON is malformed or of a shape the node refuses (message quotes nothing)."""


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonProblem(f"holds a number of more than {MAX_INT_DIGITS} digits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonProblem("holds a number too large for a float")
    return value


def _constant(name: str) -> float:
    raise JsonProblem(f"holds {name}, which is not JSON")


def _check(value: Any) -> None:
    """Depth and string checks without recursion (a deep value cannot overflow the stack)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise JsonProblem("holds an unpaired UTF-16 surrogate (\\ud800-\\udfff) in a string") from None
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise JsonProblem(f"is nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, dict):
            stack.extend((k, depth) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        else:
            stack.extend((v, depth + 1) for v in item)


def loads(data: bytes | str) -> Any:
    """Parse one JSON document of an export.

    Raises
    ------
    JsonProblem
        When it is not UTF-8, not JSON, nested more than :data:`MAX_DEPTH` deep, or holds an
        over-long integer, a non-finite number or an unpaired surrogate.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise JsonProblem(f"is not UTF-8 (invalid byte at offset {exc.start})") from None
    else:
        text = data
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except JsonProblem:
        raise
    except RecursionError:
        raise JsonProblem(f"is nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"is malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except (ValueError, OverflowError) as exc:
        raise JsonProblem(f"is not valid JSON ({exc.__class__.__name__})") from None
    _check(value)
    return value


def loads_object(data: bytes | str) -> dict[str, Any]:
    """:func:`loads`, and the value must be a JSON object."""
    value = loads(data)
    if not isinstance(value, dict):
        raise JsonProblem(f"is a JSON {_JSON_TYPES.get(type(value), 'value')}, not an object")
    return value
