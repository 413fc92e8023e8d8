"""English month and weekday names, and dates written out as the letters write them.

Here at the bottom of the import graph so that one list serves the letters
(`responses.formatting`), storage's messages about a letter's dates, the reading of dates
in the text (`responses.urgency`) and the demo data, whatever the machine's locale.
"""

from __future__ import annotations

from datetime import date

__all__ = ["MONTHS", "WEEKDAYS", "date_long", "date_weekday"]

MONTHS: tuple[str, ...] = (
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
WEEKDAYS: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def date_long(day: date) -> str:
    """`date(2026, 12, 3)` -> "3 December 2026"."""
    if not isinstance(day, date):
        raise TypeError(f"expected a date, not {type(day).__name__}")
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_weekday(day: date) -> str:
    """`date(2026, 12, 14)` -> "Monday 14 December 2026"."""
    return f"{WEEKDAYS[day.weekday()]} {date_long(day)}"
