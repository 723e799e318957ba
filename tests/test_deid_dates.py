"""Month-and-year dates ("8/87", "3/2019", "12-1950"): parsed as one date, shifted, written back in their own format."""

from __future__ import annotations

import re
from datetime import date

import pytest

from deid.dates import NUM_MONTH_YEAR, parse_date, shift_date_text


@pytest.mark.parametrize("text,days,expected", [
    ("8/87", 400, "9/88"),
    ("08/87", 400, "09/88"),
    ("3/2019", 400, "4/2020"),
    ("03/2019", -40, "01/2019"),
    ("12-1950", 400, "01-1952"),  # was read as the year range 2012-1950 and written "13-1951"
    ("03-2019", 400, "04-2020"),
    ("3/2019-4/2019", 400, "4/2020-5/2020"),
])
def test_month_year_is_shifted_in_its_own_format(text: str, days: int, expected: str) -> None:
    assert shift_date_text(text, days) == expected


@pytest.mark.parametrize("text,value", [("12-1950", date(1950, 12, 1)), ("3/2019", date(2019, 3, 1)),
                                        ("11/92", date(1992, 11, 1))])
def test_month_year_parses_to_the_first_of_the_month(text: str, value: date) -> None:
    parsed = parse_date(text)
    assert parsed is not None and parsed.kind == "num_month_year" and parsed.value == value and parsed.has_year


@pytest.mark.parametrize("text,found", [
    ("born 12-1950 in Ohio", ["12-1950"]),
    ("since 03/2019", ["03/2019"]),
    ("from 3/2019-4/2019", ["3/2019", "4/2019"]),
    ("dated 1-12-1950", []),        # m-d-y: the numeric date form, not "12-1950"
    ("titrate 1-2000 units", []),   # a one-digit month with "-" stays a range
    ("range 2.5-2010", []),
    ("BP 120/70", []),
    ("on 1/12/1950", []),
])
def test_month_year_pattern_finds_only_month_years(text: str, found: list[str]) -> None:
    assert [m.group() for m in NUM_MONTH_YEAR.finditer(text)] == found


def test_pipeline_shifts_a_hyphenated_birth_month_as_a_date(deidentifier) -> None:
    out = deidentifier.deidentify("Patient born 12-1950, seen today for follow-up.").text
    assert "12-1950" not in out and "13-" not in out
    shifted = [parse_date(t.strip(",.")) for t in out.split() if "-19" in t or "-20" in t]
    assert shifted and all(p is not None and p.kind == "num_month_year" for p in shifted), out


def test_a_plain_iso_date_is_shifted_not_scrambled(deidentifier) -> None:
    """'1983-05-12' has the 4-2-2 shape of a record number; it was replaced digit by digit ('3372-97-94')."""
    out = deidentifier.deidentify("\n1983-05-12\n\n# Chief Complaint\nSeen on 2001-02-03 for review.").text
    dates = [parse_date(d) for d in re.findall(r"\d{4}-\d{2}-\d{2}", out)]
    assert len(dates) == 2 and all(p is not None and p.kind == "iso" for p in dates), out
    assert "1983-05-12" not in out and "2001-02-03" not in out
    assert (dates[1].value - dates[0].value).days == (date(2001, 2, 3) - date(1983, 5, 12)).days  # one shift per patient


def test_digit_only_dates_keep_their_format() -> None:
    from deid.dates import shift_date_text

    assert shift_date_text("19821117", 30) == "19821217"
    assert shift_date_text("202010032336", -10) == "202009232336"
    assert shift_date_text("20201003233615-0500", 5) == "20201008233615-0500"
    assert shift_date_text("19821399", 1) is None  # month 13: no date
