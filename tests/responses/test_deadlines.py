"""Working days in England and Wales, reply-due dates and deadline wording."""

from __future__ import annotations

from datetime import date

import pytest

from responses.deadlines import (
    add_working_days,
    bank_holidays,
    days_left,
    easter_sunday,
    is_working_day,
    reply_due,
)
from responses.formatting import date_long, deadline_words, pounds


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    """The computus gives Easter Sunday, including the earliest and latest dates."""
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2026,  # Boxing Day on a Saturday: substitute Monday 28th
            {(1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)},
        ),
        (
            2021,  # Christmas and Boxing Day both at the weekend
            {(1, 1), (4, 2), (4, 5), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28)},
        ),
        (
            2022,  # New Year on a Saturday, the jubilee, the state funeral, Christmas on Sunday
            {
                (1, 3),
                (4, 15),
                (4, 18),
                (5, 2),
                (6, 2),
                (6, 3),
                (8, 29),
                (9, 19),
                (12, 26),
                (12, 27),
            },
        ),
        (
            2023,  # New Year on a Sunday, the coronation
            {(1, 2), (4, 7), (4, 10), (5, 1), (5, 8), (5, 29), (8, 28), (12, 25), (12, 26)},
        ),
        (2020, {(1, 1), (4, 10), (4, 13), (5, 8), (5, 25), (8, 31), (12, 25), (12, 28)}),
    ],
)
def test_bank_holidays_of_england_and_wales(year: int, expected: set[tuple[int, int]]) -> None:
    """Computed holidays match the published lists, substitute and one-off days included."""
    assert bank_holidays(year) == {date(year, month, day) for month, day in expected}


def test_working_days_skip_weekends_and_easter() -> None:
    """Five working days after the Thursday before Easter 2026 skip Good Friday to Easter Monday."""
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 2), 5) == date(2026, 4, 13)


def test_working_days_over_christmas() -> None:
    """Christmas 2026 (Friday) and the substitute Boxing Day (Monday 28th) are skipped."""
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_extra_holidays_are_honoured() -> None:
    """A one-off day passed in (announced after release) is not a working day."""
    extra = {date(2026, 6, 8)}
    assert not is_working_day(date(2026, 6, 8), extra_holidays=extra)
    assert add_working_days(date(2026, 6, 5), 1, extra_holidays=extra) == date(2026, 6, 9)


def test_zero_and_negative_working_days() -> None:
    """Zero rolls a weekend forward to Monday; negative counts back."""
    assert add_working_days(date(2026, 11, 14), 0) == date(2026, 11, 16)
    assert add_working_days(date(2026, 11, 16), 0) == date(2026, 11, 16)
    assert add_working_days(date(2026, 11, 16), -1) == date(2026, 11, 13)


def test_reply_due_counts_from_the_next_working_day() -> None:
    """Twenty working days from a Saturday equal twenty from the Friday before."""
    saturday, friday = date(2026, 11, 14), date(2026, 11, 13)
    assert reply_due(saturday, 20) == reply_due(friday, 20) == date(2026, 12, 11)
    assert reply_due(date(2026, 11, 16), 5) == date(2026, 11, 23)
    with pytest.raises(ValueError, match="negative"):
        reply_due(friday, -1)


def test_deadline_words() -> None:
    """Deadlines are absolute dates with their weekday, never "in 12 days" or "tomorrow"."""
    today = date(2026, 11, 16)
    assert days_left(date(2026, 11, 28), today) == 12
    assert deadline_words(date(2026, 11, 28), today) == "Saturday 28 November 2026"
    assert deadline_words(date(2026, 11, 17), today) == "Tuesday 17 November 2026"
    assert deadline_words(today, today) == "Monday 16 November 2026"
    assert deadline_words(date(2026, 11, 1), today) == "Sunday 1 November 2026, which has passed"


def test_money_and_dates() -> None:
    """Pence read as pounds with grouping; dates are written out in full."""
    assert pounds(10000) == "£100.00"
    assert pounds(125050) == "£1,250.50"
    assert pounds(5) == "£0.05"
    assert pounds(-250) == "-£2.50"
    assert date_long(date(2026, 12, 3)) == "3 December 2026"
    with pytest.raises(TypeError):
        pounds(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        date_long("2026-12-03")  # type: ignore[arg-type]
