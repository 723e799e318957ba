"""Date forms found in clinical notes: regular expressions, parsing and formatting.

Shared by the date recognizer (:mod:`deid.recognizers.date`) and the date-shift
operator (:mod:`deid.operators.date_shift`): a date is parsed into a
:class:`ParsedDate` that remembers its *format*, shifted, and written back in
the same format (``7/22`` stays ``m/d``, ``22-Jul`` stays ``d-Mon``...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_FULL = [
    "", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]
MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
ORD = r"(?:st|nd|rd|th)?"

#: Numeric m/d(/y) with "/" or "-" or "." separators (no year: partial date).
NUMERIC = re.compile(
    r"(?<![\d/xX])(?<![xX\d][.:-])(?P<m>0?[1-9]|1[0-2])(?P<sep>[/-])(?P<d>0?[1-9]|[12]\d|3[01])"
    r"(?:(?P=sep)(?P<y>\d{4}|\d{2}))?(?![\w/]|[.:]\d)"
)
#: Month and year: "8/87", "11/92" (a two-digit year after "/" that cannot be a day), "3/2019",
#: "12-1950", "03-2019" (a four-digit year 19xx/20xx; after "-" only with a two-digit month, so
#: "1-2000" stays a range, and not after "d-": "1-12-1950" is m-d-y).
NUM_MONTH_YEAR = re.compile(
    r"(?<![\d/])(?<!\d[.:])(?:(?=\d{1,2}/)|(?<!\d-)(?=(?:0[1-9]|1[0-2])-))(?P<m>0?[1-9]|1[0-2])(?P<sep>[/-])"
    r"(?P<y>(?:19|20)\d{2}|(?<=/)(?:3[2-9]|[4-9]\d))(?![\w/]|[.:]\d)"
)
ISO = re.compile(r"(?<![\w/.-])(?P<y>(?:19|20)\d{2})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w/-])")
#: ISO date with a time: "2020-11-12T08:15", "2020-11-13T14:02:00Z", "2020-11-13 14:02".
ISO_TIME = re.compile(
    r"(?<![\w/.-])(?P<y>(?:19|20)\d{2})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
    r"(?P<t>[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)(?![\w:])")
#: Digits only, as HL7 v2 writes dates and times: "19821117", "202010032336", "20201003233615"
#: (read only where a field says it is a date: :mod:`deid.recognizers.hl7_segment`).
DIGITS = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])"
                    r"(?P<t>(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d(?:\.\d{1,4})?)?(?:[+-]\d{4})?)?")
#: European day-first dates with dots: "12.03.2019", "1.3.19".
DOTTED = re.compile(r"(?<![\w.])(?P<d>0?[1-9]|[12]\d|3[01])\.(?P<m>0?[1-9]|1[0-2])\.(?P<y>(?:19|20)\d{2}|\d{2})(?![\w]|\.\d)")
#: Dates written together: "04MAR1961", "21jul20".
COMPACT = re.compile(rf"(?<![\w])(?P<d>0?[1-9]|[12]\d|3[01])(?P<mon>{MONTH_RE})(?P<y>(?:19|20)\d{{2}}|\d{{2}})(?![\w])", re.I)
#: A day of the month alone: "the 22nd", "on the 3rd".
ORDINAL_DAY = re.compile(r"(?<![\w])(?P<d>0?[1-9]|[12]\d|3[01])(?P<ord>st|nd|rd|th)(?![\w])", re.I)
#: A month alone (the caller checks the context): "in sept.", "since October".
MONTH_ONLY = re.compile(rf"(?<![\w])(?P<mon>{MONTH_RE})(?P<dot>\.?)(?![\w])", re.I)
#: "July 22nd", "Jul. 22, 2023", "may 16, 2015", "Oct 13"
MONTH_DAY = re.compile(
    rf"(?<![\w])(?P<mon>{MONTH_RE}\.?)(?P<sp>[ -]?)(?P<d>0?[1-9]|[12]\d|3[01])(?P<ord>{ORD})"
    r"(?:(?P<ysep>,? ?)(?P<y>(?:1[89]|20)\d{2}|'\d{2}))?(?![\w])",
    re.IGNORECASE,
)
#: "22-Jul", "22 Jul 2023", "20th Oct, 1989", "21 Apr, 21"
DAY_MONTH = re.compile(
    rf"(?<![\w/])(?P<d>0?[1-9]|[12]\d|3[01])(?P<ord>{ORD})(?P<sp>[ -]?(?:of )?)(?P<mon>{MONTH_RE}\.?)"
    r"(?:(?P<ysep>[ ,-]{1,2})(?P<y>(?:19|20)\d{2}|\d{2}))?(?![\w])",
    re.IGNORECASE,
)
#: "March of 1993", "nov. 2016", "nov, 96", "October 2019"
MONTH_YEAR = re.compile(
    rf"(?<![\w])(?P<mon>{MONTH_RE})(?P<sp>\.?,? ?(?:of )?)(?P<y>(?:19|20)\d{{2}}|'?\d{{2}})(?![\w/])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedDate:
    """A date found in text and the format to write it back with.

    Attributes
    ----------
    kind:
        ``numeric`` (m/d[/y]), ``iso``, ``month_day``, ``day_month``,
        ``month_year`` or ``year``.
    value:
        The date (a reference year / day 1 fills missing parts).
    has_year, year_digits:
        Whether a year was written and with how many digits (2 or 4).
    groups:
        Format details (separators, month spelling and case, ordinal, padding).
    """

    kind: str
    value: date
    has_year: bool
    year_digits: int
    groups: dict


def _year(text: str, pivot: int) -> tuple[int, int]:
    t = text.lstrip("'")
    if len(t) == 4:
        return int(t), 4
    y = int(t)
    return (2000 + y if y < pivot else 1900 + y), 2


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str, reference_year: int = 2001, pivot: int = 30) -> ParsedDate | None:
    """Parse one date string in any supported clinical form.

    Parameters
    ----------
    text:
        The matched date (e.g. ``"7/22"``, ``"July 22nd"``, ``"'92"``).
    reference_year:
        Year used when the text has none.
    pivot:
        Two-digit years below ``pivot`` are 20yy, the others 19yy.

    Returns
    -------
    ParsedDate or None
        ``None`` when the text is not a valid date.
    """
    s = text.strip()
    for kind, rx in (("iso_time", ISO_TIME), ("dotted", DOTTED), ("compact", COMPACT), ("iso", ISO), ("digits", DIGITS), ("numeric", NUMERIC), ("num_month_year", NUM_MONTH_YEAR), ("month_day", MONTH_DAY),
                     ("day_month", DAY_MONTH), ("month_year", MONTH_YEAR)):
        m = rx.fullmatch(s)
        if not m:
            continue
        g = m.groupdict()
        ytxt = g.get("y")
        y, ydig = _year(ytxt, pivot) if ytxt else (reference_year, 0)
        if kind in ("iso", "iso_time", "digits", "numeric", "num_month_year", "dotted"):
            mon, day = int(g["m"]), int(g.get("d") or 1)
        else:
            mon = MONTHS[g["mon"].lower().rstrip(".")]
            day = int(g["d"]) if g.get("d") else 1
        value = _safe_date(y, mon, day)
        if value is None and not ytxt:
            value = _safe_date(2000, mon, day)  # 2/29 without a year
        if value is None:
            return None
        return ParsedDate(kind, value, bool(ytxt), ydig, g | {"raw": s})
    m = re.fullmatch(r"'?(\d{2}|\d{4})(s|S|')?", s)
    if m:
        y, ydig = _year(m.group(1), pivot)
        return ParsedDate("year", date(y, 7, 1), True, ydig,
                          {"apos": s.startswith("'"), "suffix": m.group(2) or ""})
    m = ORDINAL_DAY.fullmatch(s) or re.fullmatch(r"(?P<the>the )(?P<d>0?[1-9]|[12]\d|3[01])(?P<ord>st|nd|rd|th)", s, re.I)
    if m:
        return ParsedDate("ordinal_day", date(reference_year, 1, int(m.group("d"))), False, 0,
                          m.groupdict() | {"raw": s})
    m = MONTH_ONLY.fullmatch(s)
    if m:
        return ParsedDate("month", date(reference_year, MONTHS[m.group("mon").lower()], 15), False, 0,
                          m.groupdict() | {"raw": s})
    return None


def _case_like(word: str, model: str) -> str:
    if model.isupper():
        return word.upper()
    if model.islower():
        return word.lower()
    return word[:1].upper() + word[1:].lower()


def _month_text(month: int, model: str) -> str:
    bare = model.rstrip(".")
    full = MONTH_FULL[month]
    if bare.lower() in ("sept",):
        word = full[:4] if month == 9 else full[:3]
    elif len(bare) <= 4 and bare.lower() not in ("june", "july"):
        word = full[:3]
    else:
        word = full
    return _case_like(word, bare) + ("." if model.endswith(".") else "")


def _ordinal(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _fmt_num(n: int, model: str | None) -> str:
    return f"{n:02d}" if model and len(model) == 2 and model.startswith("0") else str(n)


def _fmt_year(y: int, digits: int, model: str) -> str:
    out = str(y) if digits == 4 else f"{y % 100:02d}"
    return ("'" + out) if model.startswith("'") else out


def format_date(p: ParsedDate, value: date) -> str:
    """Write ``value`` in the format of ``p`` (the inverse of :func:`parse_date`)."""
    g = p.groups
    if p.kind == "iso":
        return value.isoformat()
    if p.kind == "iso_time":
        return value.isoformat() + g["t"]
    if p.kind == "digits":
        return f"{value.year:04d}{value.month:02d}{value.day:02d}" + (g.get("t") or "")
    if p.kind == "dotted":
        pad = g["d"].startswith("0") or g["m"].startswith("0")
        day, mon = (f"{value.day:02d}", f"{value.month:02d}") if pad else (str(value.day), str(value.month))
        return f"{day}.{mon}.{_fmt_year(value.year, p.year_digits, g['y'])}"
    if p.kind == "compact":
        day = f"{value.day:02d}" if g["d"].startswith("0") or len(g["d"]) == 2 else str(value.day)
        return f"{day}{_month_text(value.month, g['mon'])}{_fmt_year(value.year, p.year_digits, g['y'])}"
    if p.kind == "ordinal_day":
        return f"{g.get('the') or ''}{value.day}{_case_like(_ordinal(value.day), g['ord'])}"
    if p.kind == "month":
        return _month_text(value.month, g["mon"]) + g["dot"]
    if p.kind == "numeric":
        pad = "00" if (g["m"].startswith("0") or g["d"].startswith("0")) else None
        out = f"{_fmt_num(value.month, pad)}{g['sep']}{_fmt_num(value.day, pad)}"
        if p.has_year:
            out += g["sep"] + _fmt_year(value.year, p.year_digits, g["y"])
        return out
    if p.kind == "num_month_year":
        padded = g["m"].startswith("0") or g["sep"] == "-"  # "m-yyyy" is only read with a two-digit month
        month = f"{value.month:02d}" if padded else str(value.month)
        return f"{month}{g['sep']}{_fmt_year(value.year, p.year_digits, g['y'])}"
    if p.kind == "year":
        out = _fmt_year(value.year, p.year_digits, "'" if g["apos"] else "")
        return out + g["suffix"]
    ordinal = g.get("ord") or ""
    ord_txt = _case_like(_ordinal(value.day), ordinal) if ordinal else ""
    mon = _month_text(value.month, g["mon"])
    day = _fmt_num(value.day, g.get("d"))
    year = ""
    if p.has_year:
        year = _fmt_year(value.year, p.year_digits, g["y"])
    if p.kind == "month_day":
        return f"{mon}{g['sp']}{day}{ord_txt}" + (f"{g['ysep']}{year}" if year else "")
    if p.kind == "day_month":
        return f"{day}{ord_txt}{g['sp']}{mon}" + (f"{g['ysep']}{year}" if year else "")
    return f"{mon}{g['sp']}{year}"  # month_year


#: A range of two dates: "10/15-10/16", "7/22 - 7/25".
_RANGE = re.compile(r"^(?P<a>\S+?)(?P<sep>\s?(?:-|->|to)\s?)(?P<b>\S+)$")


def shift_date_text(text: str, days: int, reference_year: int = 2001, pivot: int = 30) -> str | None:
    """Shift a date string (or a range of two dates) by ``days`` and keep its format;
    ``None`` if unparseable."""
    p = parse_date(text, reference_year, pivot)
    if p is None:
        m = _RANGE.match(text.strip())
        if m is None:
            return None
        a = shift_date_text(m.group("a"), days, reference_year, pivot)
        b = shift_date_text(m.group("b"), days, reference_year, pivot)
        return None if a is None or b is None else a + m.group("sep") + b
    if p.kind in ("ordinal_day", "month"):
        shifted = p.value + timedelta(days=days)
        if (p.kind == "month" and shifted.month == p.value.month) or (p.kind == "ordinal_day" and shifted.day == p.value.day):
            shifted += timedelta(days=31 if days > 0 else -31)
        return format_date(p, shifted)
    if p.kind in ("year", "month_year", "num_month_year"):
        shifted = p.value + timedelta(days=days)
        if shifted.year == p.value.year and p.kind == "year":
            shifted = date(p.value.year + (1 if days > 0 else -1), 7, 1)
        return format_date(p, shifted)
    return format_date(p, p.value + timedelta(days=days))


__all__ = ["ParsedDate", "parse_date", "format_date", "shift_date_text", "replace"]
