"""Keyed (HMAC-SHA256) derivations: surrogates, date shifts and pseudonyms.

All derive from ``site_secret`` (never leaves the node) and the patient key, so
the same input maps to the same output for one patient at one site, and a
different secret gives unrelated outputs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache


def normalize(value: str) -> str:
    """Normalisation applied before keying: lower case, inner whitespace collapsed."""
    return re.sub(r"\s+", " ", value.strip().lower())


def keyed_digest(secret: bytes, *parts: str) -> bytes:
    """HMAC-SHA256 of the parts (separated by a unit separator)."""
    msg = "\x1f".join(parts).encode("utf-8")
    return hmac.new(secret, msg, hashlib.sha256).digest()


def keyed_int(secret: bytes, *parts: str) -> int:
    """A non-negative integer derived from the parts."""
    return int.from_bytes(keyed_digest(secret, *parts)[:8], "big")


def keyed_choice(secret: bytes, options: tuple[str, ...] | list[str], *parts: str) -> str:
    """Pick one of ``options`` from the parts (stable for the same inputs)."""
    return options[keyed_int(secret, *parts) % len(options)]


@lru_cache(maxsize=8)
def allowed_shifts(min_days: int, max_days: int) -> tuple[int, ...]:
    """Shift magnitudes in ``[min_days, max_days]`` that also move the day of the year by at
    least ``min_days``: a shift of about a whole year (364-366, 729-731 days) would leave
    partial dates such as "9/2" (no year) almost unchanged."""
    def moves_day_of_year(d: int) -> bool:
        return all(min(d % year, year - d % year) >= min_days for year in (365, 366))
    out = frozenset(d for d in range(min_days, max_days + 1) if moves_day_of_year(d))
    return tuple(sorted(out or range(min_days, max_days + 1)))


def shift_days(secret: bytes, patient_key: str, min_days: int, max_days: int, allow_negative: bool) -> int:
    """The patient's date shift: ``+-[min_days, max_days]``, never 0, and never close to a
    whole number of years (see :func:`allowed_shifts`)."""
    n = keyed_int(secret, "date-shift", patient_key)
    days = min_days + n % (max_days - min_days + 1)
    options = allowed_shifts(min_days, max_days)
    if days not in options:  # only these patients get a new shift; all others keep theirs
        days = options[n % len(options)]
    if allow_negative and (n >> 32) % 2:
        days = -days
    return days


def pseudonym(secret: bytes, patient_key: str, prefix: str = "PX-") -> str:
    """Keyed pseudonymous patient id (base32, 16 characters)."""
    digest = keyed_digest(secret, "pseudonym", patient_key)
    return prefix + base64.b32encode(digest[:10]).decode("ascii")
