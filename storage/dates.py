"""Dates as the letters write them, for messages to the clerk about a letter."""

from __future__ import annotations

from datetime import date

from lookup.calendar_names import date_weekday


def long_date(day: date) -> str:
    """`date(2026, 12, 14)` -> "Monday 14 December 2026", the form of the letters."""
    return date_weekday(day)
