"""Re-draw the PHI of an annotated note: same text around it, new values of the same kind.

``swap_phi(note, factory)`` replaces every gold span by a value drawn from
:class:`deid.synth.values.PhiFactory` in the original's shape (tokens, initials, digit layout,
date format, letter case) and returns the new text with the new spans. Trained on re-drawn
notes, a tagger cannot memorise the corpus's surrogate names; it has to learn the contexts.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from deid.dates import format_date, parse_date
from deid.synth.values import PhiFactory
from deid.tagger.labels import gold_class

_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F]+|\d+|[^\sA-Za-z\d]")
_FACILITY_WORD = re.compile(r"(?i)\b(hospital|hosp|memorial|medical|center|ctr|rehab|clinic|general|regional|"
                            r"university|va|vamc|nursing|manor|hospice)\b")


@dataclass(frozen=True)
class LabeledText:
    """A text with labelled character spans ``(start, end, cls)``; ``cls`` is a tagger class."""

    text: str
    spans: tuple[tuple[int, int, str], ...]


def case_like(value: str, original: str) -> str:
    """``value`` in the letter case of ``original``."""
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return value.upper()
    if letters and all(c.islower() for c in letters):
        return value.lower()
    return value


def _digits_like(original: str, rng: random.Random) -> str:
    return "".join(str(rng.randrange(10)) if c.isdigit() else c for c in original)


def _name_like(original: str, f: PhiFactory) -> str:
    parts = _TOKEN.findall(original)
    words = [p for p in parts if p.isalpha()]
    out, seen = [], 0
    for piece in re.split(r"([A-Za-z\u00C0-\u024F]+)", original):
        if not piece or not piece[0].isalpha():
            out.append(piece)
            continue
        seen += 1
        if len(piece) == 1:
            out.append(f.rng.choice("ABCDEFGHJKLMNPRSTVW"))
        elif len(words) > 1 and seen == 1 and "," not in original:
            out.append(f.first_name())
        elif len(words) > 1 and "," in original and seen > 1:
            out.append(f.first_name())
        else:
            out.append(f.last_name())
    return case_like("".join(out), original)


def _place_like(original: str, f: PhiFactory) -> str:
    core = original.strip()
    m = re.fullmatch(r"([A-Za-z'.-]+)(\s?)(\d{1,2}[A-Za-z]?)", core)
    if m:  # "QUARTERMAIN7", "Kimbrough 2": a building and a ward number
        return case_like(f.last_name() + m.group(2) + m.group(3), original)
    if re.fullmatch(r"[A-Z]{2,5}", core):  # an acronym: "GH", "GBMC"
        n = len(core)
        return "".join(f.rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(max(1, n - 1))) + f.rng.choice("HCM")
    if _FACILITY_WORD.search(core):
        return case_like(f.facility(), original)
    n_words = len(core.split())
    value = f.town() if f.rng.random() < 0.6 else f.last_name()
    if n_words >= 2 and f.rng.random() < 0.5:
        value = f.facility()
    return case_like(value, original)


def _date_like(original: str, f: PhiFactory) -> str:
    parsed = parse_date(original)
    new = f.a_date()
    if parsed is not None:
        try:
            return format_date(parsed, new)
        except (KeyError, ValueError):
            pass
    if re.fullmatch(r"'?\d{2}'?|\d{4}", original.strip()):
        return _digits_like(original, f.rng)
    return case_like(f.date_text(new), original)


def redraw(original: str, gold_type: str, f: PhiFactory) -> str:
    """A new value of ``gold_type`` shaped like ``original``."""
    cls = gold_class(gold_type)
    if cls == "NAME":
        return _name_like(original, f)
    if cls == "DATE":
        return _date_like(original, f)
    if cls == "LOCATION":
        return _place_like(original, f)
    if cls == "AGE":
        return str(f.rng.randrange(90, 106))
    return _digits_like(original, f.rng) if any(c.isdigit() for c in original) else case_like(f.identifier(), original)


def merge_adjacent(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join gold spans of one class separated by a single space ("HOLY" "CROSS")."""
    out: list[list] = []
    for a, b, t in sorted(spans):
        if out and gold_class(out[-1][2]) == gold_class(t) and text[out[-1][1]:a] in (" ", "") and a >= out[-1][1]:
            out[-1][1] = b
        else:
            out.append([a, b, t])
    return [tuple(s) for s in out]


def swap_phi(text: str, spans: list[tuple[int, int, str]], f: PhiFactory) -> LabeledText:
    """Replace every gold span of ``text`` by a re-drawn value; return text and new class spans."""
    pieces, new_spans, pos, cursor = [], [], 0, 0
    memo: dict[tuple[str, str], str] = {}  # one surrogate per original value within the note
    for a, b, t in merge_adjacent(text, spans):
        if a < pos:
            continue
        pieces.append(text[pos:a])
        cursor += a - pos
        key = (text[a:b].lower(), gold_class(t))
        if key not in memo:
            memo[key] = redraw(text[a:b], t, f) or text[a:b]
        value = case_like(memo[key], text[a:b])
        pieces.append(value)
        new_spans.append((cursor, cursor + len(value), gold_class(t)))
        cursor += len(value)
        pos = b
    pieces.append(text[pos:])
    return LabeledText("".join(pieces), tuple(new_spans))
