"""How money, dates and deadlines read in a letter; registered as template filters.

Dates are written the British way, "3 December 2026", never as digits that a reader
could take for a month-first date. Deadlines are absolute dates with their weekday
("Monday 14 December 2026"), never "in 7 days" or "tomorrow": a draft may be approved
and sent days after it was written, and a relative phrase would then be false.
"""

from __future__ import annotations

from datetime import date

from lookup.calendar_names import date_long, date_weekday
from responses.deadlines import days_left

__all__ = ["date_long", "date_weekday", "deadline_words", "pounds"]


def pounds(pence: int) -> str:
    """`10000` -> "£100.00"; thousands are grouped: "£1,250.50"."""
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"an amount in pence must be an int, not {type(pence).__name__}")
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def deadline_words(deadline: date, today: date) -> str:
    """A deadline as it reads in a sentence: an absolute date, true whenever it is read.

    "Monday 14 December 2026", or "Monday 14 December 2026, which has passed" once it is
    before `today`. Never "in 7 days" or "tomorrow", which go stale between drafting and
    sending.
    """
    when = date_weekday(deadline)
    if days_left(deadline, today) < 0:
        return f"{when}, which has passed"
    return when
