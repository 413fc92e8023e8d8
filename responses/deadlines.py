"""Working days in England and Wales, reply-due dates, and how far off a deadline is.

Bank holidays are computed, not listed by hand: fixed dates with their substitute days,
Easter by the Gregorian computus, and the Monday holidays of May and August. Royal and
state occasions that moved or added a holiday are listed for the years they happened;
anything announced later is passed in as `extra_holidays` (the operator's setting), so the
code never needs a release to honour a new one-off day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

__all__ = [
    "add_working_days",
    "bank_holidays",
    "days_left",
    "easter_sunday",
    "is_working_day",
    "reply_due",
]

_MONDAY, _FRIDAY, _SATURDAY, _SUNDAY = 0, 4, 5, 6

# One-off changes to the England and Wales calendar: a usual holiday moved, or a day added.
# Keys are years; each maps the usual date (None for an added day) to the date observed.
_OCCASIONS: dict[int, tuple[tuple[date | None, date], ...]] = {
    1995: ((date(1995, 5, 1), date(1995, 5, 8)),),  # VE Day 50th anniversary
    1999: ((None, date(1999, 12, 31)),),  # millennium
    2002: ((date(2002, 5, 27), date(2002, 6, 4)), (None, date(2002, 6, 3))),  # golden jubilee
    2011: ((None, date(2011, 4, 29)),),  # royal wedding
    2012: ((date(2012, 5, 28), date(2012, 6, 4)), (None, date(2012, 6, 5))),  # diamond jubilee
    2020: ((date(2020, 5, 4), date(2020, 5, 8)),),  # VE Day 75th anniversary
    2022: (
        (date(2022, 5, 30), date(2022, 6, 2)),  # platinum jubilee
        (None, date(2022, 6, 3)),
        (None, date(2022, 9, 19)),  # state funeral
    ),
    2023: ((None, date(2023, 5, 8)),),  # coronation
}


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(_MONDAY - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - _MONDAY) % 7)


@lru_cache(maxsize=256)
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in `year`, substitute days included."""
    new_year = date(year, 1, 1)
    if new_year.weekday() >= _SATURDAY:
        # A weekend New Year's Day is observed on the following Monday.
        new_year += timedelta(days=7 - new_year.weekday())
    easter = easter_sunday(year)
    days = {
        new_year,
        easter - timedelta(days=2),  # Good Friday
        easter + timedelta(days=1),  # Easter Monday
        _first_monday(year, 5),  # early May
        _last_monday(year, 5),  # spring
        _last_monday(year, 8),  # summer
    }
    days |= _christmas(year)
    for usual, observed in _OCCASIONS.get(year, ()):
        if usual is not None:
            days.discard(usual)
        days.add(observed)
    return frozenset(days)


def _christmas(year: int) -> set[date]:
    """Christmas Day and Boxing Day, each moved to the next free weekday when on a weekend."""
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    weekday = christmas.weekday()
    if weekday == _FRIDAY:  # Boxing Day on Saturday: observed Monday 28th
        return {christmas, date(year, 12, 28)}
    if weekday == _SATURDAY:  # both on the weekend: Monday 27th and Tuesday 28th
        return {date(year, 12, 27), date(year, 12, 28)}
    if weekday == _SUNDAY:  # Boxing Day on Monday; Christmas observed Tuesday 27th
        return {boxing, date(year, 12, 27)}
    return {christmas, boxing}


def is_working_day(day: date, *, extra_holidays: Iterable[date] = ()) -> bool:
    """Monday to Friday, not a bank holiday and not one of `extra_holidays`."""
    if day.weekday() >= _SATURDAY or day in bank_holidays(day.year):
        return False
    return day not in frozenset(extra_holidays)


def add_working_days(start: date, n: int, *, extra_holidays: Iterable[date] = ()) -> date:
    """The day `n` working days after `start` (before it when `n` is negative).

    `start` itself is never counted, so one working day after a Friday is the Monday, and
    after a Saturday too. `n == 0` gives `start` if it is a working day, else the next one.
    """
    extra = frozenset(extra_holidays)
    step = 1 if n >= 0 else -1
    day = start
    if n == 0:
        while not is_working_day(day, extra_holidays=extra):
            day += timedelta(days=1)
        return day
    remaining = abs(n)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day, extra_holidays=extra):
            remaining -= 1
    return day


def reply_due(received: date, working_days: int, *, extra_holidays: Iterable[date] = ()) -> date:
    """When a reply to an enquiry received on `received` is due.

    The clock starts on the first working day after receipt (as for statutory deadlines
    such as the Freedom of Information Act's twenty working days), so a message arriving at
    the weekend is due as if it had arrived on the Friday before.
    """
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    return add_working_days(received, working_days, extra_holidays=extra_holidays)


def days_left(deadline: date, today: date) -> int:
    """Calendar days from `today` to `deadline`: negative once it has passed."""
    return (deadline - today).days
