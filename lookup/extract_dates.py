"""Dates written in enquiries: dates of birth, and the other dates people mention.

UK writing is day-first ("23/12/62"), so numeric dates are read that way except ISO
("1962-12-23"). A date is a date of birth when a cue ("dob", "date of birth", "born")
comes just before it; two-digit years of birth are put in the century that makes the
person at least ten years old. Other dates ("dated 17/10/2026", "from 29 September") may
lack a year, which is then resolved against `today` when given, as the latest such day
not after it (people write about things that have happened).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lookup.text_parts import Source

# Month names and their usual abbreviations ("Sept" included), longest first so the
# alternation takes "September" rather than stopping at "Sep".
_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))

# Every date form we read. Lookarounds keep a date from being cut out of a longer
# token such as a reference written "42/TR/24/89/62/5"; all repeats are bounded.
_DATE = re.compile(
    rf"""
    (?<![0-9A-Za-z/.\-])(?:
        (?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})            # 1962-12-23
      | (?P<nd>\d{{1,2}})(?P<sep>[/.\-])(?P<nm>\d{{1,2}})(?P=sep)(?P<ny>\d{{4}}|\d{{2}})  # 23/12/62
      | (?P<td>\d{{1,2}})(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t]+(?P<tm>{_MONTH})\.?
            (?:,?[ \t]+(?P<ty>\d{{4}}|'\d{{2}}))?                      # 23rd December 1962
      | (?P<md>{_MONTH})\.?[ \t]+(?P<mdd>\d{{1,2}})(?:st|nd|rd|th)?
            (?:,?[ \t]+(?P<mdy>\d{{4}}))?                              # December 23, 1962
    )(?![0-9A-Za-z]|[/.\-][0-9A-Za-z])
    """,
    re.IGNORECASE | re.VERBOSE,
)

# A cue that the date right after it is a date of birth ("DOB:", "date of birth is").
_DOB_CUE = re.compile(
    r"(?:\bdob|\bd\.o\.b\.?|\bdate[ \t]+of[ \t]+birth|\bbirth[ \t]?date|\bborn(?:[ \t]+on)?"
    r"|\bbirthday)[ \t:,.\-]{0,4}(?:(?:is|was|of|on)[ \t:]{1,3})?(?:the[ \t]+)?$",
    re.IGNORECASE,
)

# The word just before another date, kept as a hint of what the date is ("dated", "from").
_CUE_WORD = re.compile(r"([A-Za-z]{2,12})[ \t:,]{1,3}$")

# How far before a date its cue may start.
_CUE_REACH = 24

# The youngest person who writes in about their own record, in years.
_MIN_AGE = 10
# An unlabelled date in a sign-off is taken as a date of birth only when at least this old.
_MIN_SIGN_OFF_AGE = 16


@dataclass(frozen=True, slots=True)
class DateOfBirth:
    """A date of birth as written (`text`) and read (`value`)."""

    value: date
    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class MentionedDate:
    """A date that is not a date of birth; `year` and `value` are None when unknown."""

    day: int
    month: int
    year: int | None
    value: date | None
    text: str
    cue: str  # the word before it, lower case ("dated", "from", "on"), or ""
    source: Source


@dataclass(frozen=True, slots=True)
class DateSpan:
    """Where a date-shaped string sits in its text, valid or not."""

    start: int
    end: int


def date_spans(text: str) -> list[DateSpan]:
    """Every date-shaped string in `text`, including impossible ones like 31/02/2026."""
    return [DateSpan(m.start(), m.end()) for m in _DATE.finditer(text)]


def find_dates(
    text: str, source: Source, today: date | None
) -> tuple[list[DateOfBirth], list[MentionedDate]]:
    """Dates of birth and other dates in `text`, in order; impossible dates are dropped."""
    births: list[DateOfBirth] = []
    others: list[MentionedDate] = []
    for match in _DATE.finditer(text):
        before = text[max(0, match.start() - _CUE_REACH) : match.start()]
        if _DOB_CUE.search(before) or _in_sign_off(text, match, today):
            birth = _birth(match, source, today)
            if birth is not None:
                births.append(birth)
        else:
            other = _other(match, before, source, today)
            if other is not None:
                others.append(other)
    return births, others


# A word of a closing or a name before a sign-off date, in any script's letters.
_LEAD_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.\-]){0,30}")
# A line that is only a name: two to four words or initials, in either case ("siân
# sandilands" signs in lower case).
_NAME_LINE = re.compile(
    r"[ \t]*[^\W\d_](?:[^\W\d_]|['’\-]){1,30}"
    r"(?:[ \t]{1,3}(?:[^\W\d_](?:[^\W\d_]|['’\-]){1,30}|[^\W\d_]\.?)){1,3}[ \t,.]*"
)


def _in_sign_off(text: str, match: re.Match[str], today: date | None) -> bool:
    """A date on the last line after the writer's name ("Anne Graham\n12/03/1958",
    "Regards, Anne Graham, 12/03/1958"): their date of birth, written without a label.
    Only a date with a four-digit year at least `_MIN_SIGN_OFF_AGE` years back counts:
    "Thanks, Anne\n01/12/2026" is the day of writing, not a birthday."""
    after = text[match.end() :]
    if after.strip(" \t.\n"):
        return False  # not the last thing written
    _, _, written = _parts(match)
    now = today if today is not None else date.today()
    if written is None or len(written) != 4 or int(written) > now.year - _MIN_SIGN_OFF_AGE:
        return False
    line_start = text.rfind("\n", 0, match.start()) + 1
    lead = text[line_start : match.start()]
    if len(lead) > 100:
        return False
    words = [w for w in re.split(r"[ \t,;\-]+", lead) if w]
    if words:  # "Regards, Anne Graham, 12/03/1958": a closing and a name before it
        if len(words) > 6 or not all(_LEAD_WORD.fullmatch(w) for w in words):
            return False
        return len(words) >= 2 and (words[-1][0].isupper() or lead.islower())
    previous = text[:line_start].rstrip().rsplit("\n", 1)[-1]
    return len(previous) <= 100 and _NAME_LINE.fullmatch(previous) is not None


def _parts(match: re.Match[str]) -> tuple[int, int, str | None]:
    """(day, month, year as written or None) of a date match."""
    g = match.groupdict()
    if g["iy"]:
        return int(g["id"]), int(g["im"]), g["iy"]
    if g["nd"]:
        return int(g["nd"]), int(g["nm"]), g["ny"]
    if g["td"]:
        return int(g["td"]), _MONTHS[g["tm"].lower()], g["ty"]
    return int(g["mdd"]), _MONTHS[g["md"].lower()], g["mdy"]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _birth(match: re.Match[str], source: Source, today: date | None) -> DateOfBirth | None:
    day, month, written = _parts(match)
    if written is None:
        return None
    now = today if today is not None else date.today()
    year = int(written.lstrip("'"))
    if len(written.lstrip("'")) == 2:
        year += 2000 if 2000 + year <= now.year - _MIN_AGE else 1900
    value = _safe_date(year, month, day)
    if value is None or value > now or value.year < 1900:
        return None
    return DateOfBirth(value=value, text=match.group(0).rstrip("."), source=source)


def _other(
    match: re.Match[str], before: str, source: Source, today: date | None
) -> MentionedDate | None:
    day, month, written = _parts(match)
    cue_match = _CUE_WORD.search(before)
    cue = cue_match.group(1).lower() if cue_match else ""
    if written is None:
        if _safe_date(2000, month, day) is None:  # 2000 was a leap year: 29 Feb passes
            return None
        year = None if today is None else _latest_year(day, month, today)
    else:
        digits = written.lstrip("'")
        year = int(digits) + (2000 if len(digits) == 2 else 0)
    value = None if year is None else _safe_date(year, month, day)
    if year is not None and value is None:
        return None
    return MentionedDate(day, month, year, value, match.group(0).rstrip("."), cue, source)


def _latest_year(day: int, month: int, today: date) -> int | None:
    """The latest year in which day/month falls on or before `today` (29 Feb searched)."""
    for year in range(today.year, today.year - 8, -1):
        value = _safe_date(year, month, day)
        if value is not None and value <= today:
            return year
    return None
