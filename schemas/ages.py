"""Ages and age bands under the HIPAA Safe Harbor rule.

Safe Harbor (45 CFR 164.514(b)(2)(i)(C)) lets a de-identified data set keep a
year of birth and an age, except that ages over 89 and any year that reveals
such an age must be aggregated into a single "90 or older" category. Here:

- an age above :data:`MAX_EXACT_AGE` (89) is recorded as :data:`CAPPED_AGE` (90);
- age bands are ten years wide (``"0-9"`` ... ``"80-89"``) and the last one is
  ``"90+"``;
- a birth year is only stored while the patient is at most 89 years old at the
  reference date (see :func:`birth_year_allowed`).
"""

from __future__ import annotations

MAX_EXACT_AGE: int = 89
"""Largest age that may be recorded as is."""

CAPPED_AGE: int = 90
"""Value recorded for every age above :data:`MAX_EXACT_AGE`."""

OLDEST_BAND: str = "90+"
"""Age band of every age above :data:`MAX_EXACT_AGE`."""

AGE_BANDS: tuple[str, ...] = tuple(f"{lo}-{lo + 9}" for lo in range(0, 90, 10)) + (OLDEST_BAND,)
"""All age bands, youngest first: ``("0-9", "10-19", ..., "80-89", "90+")``."""


def age_in_year(birth_year: int, year: int) -> int:
    """Age a patient born in ``birth_year`` reaches during ``year``.

    With only the birth year known, the true age on a given day is this value or
    one less; we consistently use this value.

    Parameters
    ----------
    birth_year:
        Year of birth.
    year:
        Year of the event (for example of the note).

    Returns
    -------
    int
        ``year - birth_year`` (may be negative; callers check).
    """
    return year - birth_year


def cap_age(age: int) -> int:
    """Cap an age for storage: ages over 89 become 90.

    Parameters
    ----------
    age:
        Age in whole years, ``>= 0``.

    Returns
    -------
    int
        ``min(age, 90)``.

    Raises
    ------
    ValueError
        If ``age`` is negative.
    """
    if age < 0:
        raise ValueError(f"age must be >= 0, got {age}")
    return min(age, CAPPED_AGE)


def age_band(age: int) -> str:
    """Ten-year age band of an age.

    Parameters
    ----------
    age:
        Age in whole years, ``>= 0`` (capped or not).

    Returns
    -------
    str
        For example ``"60-69"``; ``"90+"`` for ages over 89.

    Examples
    --------
    >>> age_band(7), age_band(60), age_band(89), age_band(90), age_band(104)
    ('0-9', '60-69', '80-89', '90+', '90+')
    """
    age = cap_age(age)
    if age > MAX_EXACT_AGE:
        return OLDEST_BAND
    low = (age // 10) * 10
    return f"{low}-{low + 9}"


def birth_year_allowed(birth_year: int, reference_year: int) -> bool:
    """Tell whether a birth year may be stored under Safe Harbor.

    Parameters
    ----------
    birth_year:
        Year of birth.
    reference_year:
        Latest year the data describes (use the current year: it is the
        strictest choice).

    Returns
    -------
    bool
        ``False`` when the patient is (or may be) older than 89 in ``reference_year``.
    """
    return age_in_year(birth_year, reference_year) <= MAX_EXACT_AGE
