"""How money, dates and deadlines read in a letter; registered as template filters.

Dates are written the British way, "3 December 2026", never as digits that a reader
could take for a month-first date. Deadlines read relative to the day the reply is
written, which templates receive as `today`.
"""

from __future__ import annotations

from datetime import date

from responses.deadlines import days_left

__all__ = ["date_long", "deadline_words", "pounds"]

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def pounds(pence: int) -> str:
    """`10000` -> "£100.00"; thousands are grouped: "£1,250.50"."""
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"an amount in pence must be an int, not {type(pence).__name__}")
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def date_long(day: date) -> str:
    """`date(2026, 12, 3)` -> "3 December 2026"."""
    if not isinstance(day, date):
        raise TypeError(f"expected a date, not {type(day).__name__}")
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def deadline_words(deadline: date, today: date) -> str:
    """A deadline as it reads in a sentence: the date, and how far it is from today.

    "10 July 2026 (in 12 days)", "tomorrow, 10 July 2026", "today, 10 July 2026", or
    "10 July 2026, which has passed" once it is overdue.
    """
    left = days_left(deadline, today)
    when = date_long(deadline)
    if left < 0:
        return f"{when}, which has passed"
    if left == 0:
        return f"today, {when}"
    if left == 1:
        return f"tomorrow, {when}"
    return f"{when} (in {left} days)"
