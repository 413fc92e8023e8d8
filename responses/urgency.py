"""Is an enquiry urgent: a hearing or deadline within two working days, a threat, words of
self-harm or suicide, or someone in danger.

An urgent enquiry is not answered differently: the letter stays the ordinary one (a ticket
letter is no place for crisis wording) and the draft is held for a clerk, at the top of
the queue with the reason. So the rules lean to urgent: a false alarm costs a clerk a
glance, a miss can cost a life. "Kill me" said as a figure of speech is flagged, and so is
"court tomorrow?" asked in general.

The reason is one of a few fixed phrases, never words quoted from the text, so it can be
shown on a card or written to a log without carrying what the person wrote.

Cost: the text is cut to `MAX_CHARS`, every gap in a pattern is bounded and stops at the
end of a sentence, so a scan is linear in the (bounded) text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from lookup.calendar_names import MONTHS, WEEKDAYS
from responses.deadlines import add_working_days

__all__ = ["MAX_CHARS", "SOON_WORKING_DAYS", "Urgency", "UrgencyKind", "urgency"]

# Urgent when the date is no later than this many working days after today.
SOON_WORKING_DAYS = 2
# The writer's own words are read up to here: urgent words come early, and the bound keeps
# a pasted wall of text cheap.
MAX_CHARS = 8_000


class UrgencyKind(StrEnum):
    HEARING_SOON = "hearing_soon"
    DEADLINE_SOON = "deadline_soon"
    THREAT = "threat"
    SELF_HARM = "self_harm"
    DANGER = "danger"


# Fixed words for the clerk; the kind's reason, whatever the text said.
REASONS: dict[UrgencyKind, str] = {
    UrgencyKind.SELF_HARM: "words of self-harm or suicide",
    UrgencyKind.DANGER: "someone may be in danger",
    UrgencyKind.THREAT: "a threat to staff or others",
    UrgencyKind.HEARING_SOON: "hearing within two working days",
    UrgencyKind.DEADLINE_SOON: "deadline within two working days",
}


@dataclass(frozen=True, slots=True)
class Urgency:
    kind: UrgencyKind
    reason: str


def _urgent(kind: UrgencyKind) -> Urgency:
    return Urgency(kind, REASONS[kind])


# A gap inside one sentence: never across . ! ? or a line break, and bounded.
_GAP = r"[^.!?\n]{0,40}?"
_SHORT = r"[^.!?\n]{0,20}?"

_SELF_HARM_STRONG = re.compile(
    r"\b(?:suicid\w*|kill(?:ing)?\s+my\s?self|end(?:ing)?\s+(?:my|it)\s+(?:own\s+)?(?:life|all)"
    r"|take\s+my\s+(?:own\s+)?life|self[-\s]?harm\w*|(?:harm|hurt|cut)(?:ing)?\s+my\s?self"
    r"|overdos\w*|hang\s+my\s?self|want(?:ed)?\s+to\s+die|wish\s+i\s+(?:was|were)\s+dead"
    r"|better\s+off\s+(?:dead|without\s+me)|(?:no|nothing\s+to)\s+(?:reason\s+)?to\s+live\s+for"
    r"|no\s+reason\s+to\s+live|not\s+worth\s+living|(?:don'?t|do\s+not)\s+want\s+to\s+"
    r"(?:live|be\s+(?:alive|here))(?:\s+any\s?more)?|can'?t\s+go\s+on|cannot\s+go\s+on"
    r"|can'?t\s+(?:cope|take\s+(?:it|this))\s+any\s?more)\b"
)
# "Kill me" on its own: often a figure of speech, flagged all the same, after danger (where
# someone else is the one who would do it).
_SELF_HARM_WEAK = re.compile(r"\bkill\s+me\b")

_THIRD = r"(?:he|she|they|him|her|them|my\s+(?:ex|partner|husband|wife|boyfriend|girlfriend|dad|father|mum|mother|son|daughter|neighbou?r)|someone|somebody)"
_DANGER = re.compile(
    r"\b(?:in\s+danger|(?:fear|scared|afraid|frightened|terrified)\s+for\s+(?:my|our|his|her|their)\s+"
    r"(?:life|lives|safety)|not\s+safe\s+(?:at\s+home|here|with)|domestic\s+(?:abuse|violence)"
    r"|(?:being|been)\s+(?:followed|stalked)|(?:he|she|they)\s+(?:hits?|beats?|attacked|hit)\s+(?:me|us)"
    rf"|{_THIRD}{_GAP}(?:kill|hurt|harm|attack|stab|shoot|beat)\w*\s+(?:me|us|my\s+\w+)"
    r"|threaten(?:ed|ing|s)?\s+(?:me|us|to\s+(?:kill|hurt|harm))|at\s+risk\s+of\s+harm|help\s+me\s+please"
    r"|(?:please|urgently)\s+help\s+me)\b"
)
_THREAT = re.compile(
    r"\b(?:(?:i'?ll|i\s+will|i'?m\s+(?:going|gonna)\s+to?|i\s+am\s+going\s+to|gonna)\s*"
    r"(?:kill|hurt|stab|shoot|smash|batter|attack|burn|blow\s+up|bomb|get|find|beat|harm|deal\s+with)"
    r"\s+(?:you|him|her|them|the\s+\w+|your|that|this|every|some)"
    r"|(?:i\s+)?know\s+where\s+you\s+(?:live|work)|watch\s+your\s+back|you'?ll\s+(?:regret|pay\s+for)"
    r"|(?:burn|blow)\s+(?:down|up)\s+(?:the|your)\s+(?:office|station|building|place)"
    r"|(?:a|the)\s+bomb\s+(?:in|at|under)|you\s+(?:are|will\s+be|'re)\s+dead"
    r"|(?:come|coming)\s+(?:down|round|over)\s+(?:there|to\s+(?:the|your)\s+\w+)\s+and\s+(?:sort|deal|smash|hurt|kill))\b"
)

_WEEKDAYS = tuple(day.lower() for day in WEEKDAYS)
_MONTHS = tuple(month.lower() for month in MONTHS)
_WHEN = (
    r"(?P<when>today|tonight|tomorrow|tmrw|tmr|this\s+(?:morning|afternoon)|next\s+day"
    rf"|(?:on\s+|this\s+)?(?P<weekday>{'|'.join(_WEEKDAYS)})"
    rf"|(?:on\s+)?(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{'|'.join(m[:3] for m in _MONTHS)})[a-z]*)"
)
_HEARING_WORD = r"(?:hearing|court|trial|magistrates?|crown\s+court|tribunal|sentencing)"
_DEADLINE_WORD = (
    r"(?:deadline|due|last\s+day|expir\w*|runs?\s+out|time\s+limit|pay\s+(?:it\s+)?by|cut[-\s]?off"
    r"|final\s+(?:day|date|demand|notice)|registered|bailiffs?|enforcement)"
)


def _either_order(word: str) -> tuple[re.Pattern[str], ...]:
    """ "hearing ... tomorrow" and "tomorrow ... hearing" (two patterns: a group name may
    appear only once in one)."""
    return (
        re.compile(rf"\b{word}\b{_GAP}\b{_WHEN}\b"),
        re.compile(rf"\b{_WHEN}\b{_SHORT}\b{word}\b"),
    )


_HEARING_TEXT = _either_order(_HEARING_WORD)
_DEADLINE_TEXT = _either_order(_DEADLINE_WORD)


def urgency(
    text: str, *, hearing_date: date | None, due_date: date | None, today: date
) -> Urgency | None:
    """Why the enquiry is urgent, or None. `text` is the writer's own words only (not
    quoted mail); `hearing_date` and `due_date` are the record's, given only when the
    writer is verified for it. The writer's words are read even then: a record can lag
    behind a court's listing."""
    folded = _fold(text[:MAX_CHARS])
    if _SELF_HARM_STRONG.search(folded):
        return _urgent(UrgencyKind.SELF_HARM)
    if _DANGER.search(folded):
        return _urgent(UrgencyKind.DANGER)
    if _THREAT.search(folded):
        return _urgent(UrgencyKind.THREAT)
    if _SELF_HARM_WEAK.search(folded):
        return _urgent(UrgencyKind.SELF_HARM)
    if _soon(hearing_date, today) or _said_soon(_HEARING_TEXT, folded, today):
        return _urgent(UrgencyKind.HEARING_SOON)
    if _soon(due_date, today) or _said_soon(_DEADLINE_TEXT, folded, today):
        return _urgent(UrgencyKind.DEADLINE_SOON)
    return None


def _fold(text: str) -> str:
    # Curly apostrophes from phones and word processors, and any run of spaces.
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.sub(r"[ \t\r\f\v]+", " ", text)


def _soon(day: date | None, today: date) -> bool:
    """On or after today and no later than two working days on (a weekend date before
    the second working day counts, as the working day before it would be too late)."""
    return day is not None and today <= day <= add_working_days(today, SOON_WORKING_DAYS)


def _said_soon(patterns: tuple[re.Pattern[str], ...], text: str, today: date) -> bool:
    return any(
        _soon(_named_day(match, today), today)
        for pattern in patterns
        for match in pattern.finditer(text)
    )


def _named_day(match: re.Match[str], today: date) -> date | None:
    """The day the writer named: today, tomorrow, the next such weekday (today itself when
    it is that day), or a day of a month (this year's, or next year's once it has passed)."""
    when = match.group("when")
    if when in ("today", "tonight") or (when.startswith("this ") and not match.group("weekday")):
        return today
    if when in ("tomorrow", "tmrw", "tmr", "next day"):
        return today + timedelta(days=1)
    weekday = match.group("weekday")
    if weekday:
        return today + timedelta(days=(_WEEKDAYS.index(weekday) - today.weekday()) % 7)
    month = [m[:3] for m in _MONTHS].index(match.group("month")[:3]) + 1
    for year in (today.year, today.year + 1):
        try:
            named = date(year, month, int(match.group("day")))
        except ValueError:
            return None
        if named >= today:
            return named
    return None
