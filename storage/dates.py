"""Dates as the letters write them, for messages to the clerk about a letter."""

from __future__ import annotations

from datetime import date

_MONTHS = [
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
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def long_date(day: date) -> str:
    """`date(2026, 12, 14)` -> "Monday 14 December 2026", the form of
    `responses.formatting.date_weekday` (which storage may not import), in any locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"
