"""Urgency from the writer's own words and the record's dates: literals, both ways."""

from __future__ import annotations

from datetime import date

import pytest

from responses.urgency import MAX_CHARS, REASONS, UrgencyKind, urgency

# Monday 23 November 2026: two working days on is Wednesday 25th.
MONDAY = date(2026, 11, 23)
FRIDAY = date(2026, 11, 27)
# Thursday 24 December 2026: Christmas and Boxing Day (observed Monday 28th) intervene.
CHRISTMAS_EVE = date(2026, 12, 24)


def _kind(text: str, today: date = MONDAY) -> UrgencyKind | None:
    found = urgency(text, hearing_date=None, due_date=None, today=today)
    return found.kind if found else None


@pytest.mark.parametrize(
    "text",
    [
        "I am going to kill myself",
        "I feel suicidal about all this",
        "Honestly I want to end it all",
        "I've thought about ending my life",
        "I just want to die",
        "everyone would be better off without me",
        "I can't go on like this",
        "I can’t cope any more",
        "I have been self-harming since the letter came",
        "I might hurt myself",
        "I took an overdose last time",
        "I don't want to be alive any more",
        "there is no reason to live",
        "this fine will kill me, just kill me now",  # a figure of speech, flagged anyway
        "SUICIDE",
    ],
)
def test_words_of_self_harm_are_urgent(text: str) -> None:
    """Words of self-harm or suicide, plain or figurative, are flagged."""
    assert _kind(text) is UrgencyKind.SELF_HARM


@pytest.mark.parametrize(
    "text",
    [
        "I am in danger, he knows my address",
        "I fear for my safety",
        "scared for my life since the incident",
        "I am not safe at home",
        "it is domestic abuse, the car is his",
        "I am being followed by the other driver",
        "my ex said he will kill me if I name him",
        "he threatened to hurt me",
        "she hits me when the letters come",
        "please help me",
    ],
)
def test_danger_to_someone_is_urgent(text: str) -> None:
    """Someone in danger, including a threat made against the writer."""
    assert _kind(text) is UrgencyKind.DANGER


@pytest.mark.parametrize(
    "text",
    [
        "If this isn't sorted I will kill you",
        "I'll find you",
        "I know where you live",
        "I'm going to smash the windows of the station",
        "I'm gonna hurt him when I see him",
        "watch your back",
        "you'll regret this",
        "I will burn down the office",
        "there is a bomb in the building",
        "I'll be coming down there and sort you out",
    ],
)
def test_threats_to_staff_or_others_are_urgent(text: str) -> None:
    """Threats to staff or to anyone else."""
    assert _kind(text) is UrgencyKind.THREAT


@pytest.mark.parametrize(
    "text",
    [
        "My hearing is tomorrow and I have heard nothing",
        "my hearing is today",
        "My court date is on Wednesday",
        "I'm in court tomorrow morning",
        "court tomorrow?",  # asked in general: flagged all the same
        "Tomorrow is my hearing",
        "The trial is on 25th November",
        "the hearing is on the 24 Nov",
        "My hearing is tmrw",
    ],
)
def test_a_hearing_the_writer_says_is_soon_is_urgent(text: str) -> None:
    """Within two working days of Monday 23 November 2026, in the writer's words."""
    assert _kind(text) is UrgencyKind.HEARING_SOON


@pytest.mark.parametrize(
    "text",
    [
        "The deadline to pay is tomorrow",
        "my last day to pay is today",
        "It says I must pay by Tuesday",
        "the time limit runs out on Wednesday",
        "The notice expires tomorrow",
    ],
)
def test_a_deadline_the_writer_says_is_soon_is_urgent(text: str) -> None:
    """Deadlines in the writer's words, within two working days."""
    assert _kind(text) is UrgencyKind.DEADLINE_SOON


@pytest.mark.parametrize(
    "text",
    [
        "Where is my ticket FPN/2026/123456?",
        "I have paid the fine, please confirm",
        "The deadline for my appeal",
        "What is the deadline?",
        "My hearing is on Friday",  # four days on: not within two working days
        "My hearing was yesterday, what happened?",  # no day named that is still to come
        "my hearing is on 3 March",
        "this fine is killing me",
        "I killed the engine and the camera flashed",
        "the court sent me a letter in October",
        "I will pay you tomorrow",
        "I nearly died laughing",
        "Please can you tell me who was driving",
        "",
    ],
)
def test_ordinary_enquiries_are_not_urgent(text: str) -> None:
    """Everyday enquiries, including ones with alarming-looking words, are not flagged."""
    assert _kind(text) is None


def test_working_days_not_calendar_days_decide_soon() -> None:
    """From a Friday, Tuesday is two working days on; over Christmas the holidays count."""
    assert _kind("my hearing is on Tuesday", today=FRIDAY) is UrgencyKind.HEARING_SOON
    assert _kind("my hearing is on Wednesday", today=FRIDAY) is None
    # 24 Dec 2026 (Thursday): the 25th and the 28th are holidays, so Tuesday 29th is soon.
    assert _kind("the hearing is on 29 December", today=CHRISTMAS_EVE) is UrgencyKind.HEARING_SOON
    assert _kind("the hearing is on 31 December", today=CHRISTMAS_EVE) is None


def test_a_date_early_next_year_is_read_as_next_year() -> None:
    """ "On 4 January" written on 31 December 2026 is next year's, within two working days
    (New Year's Day is a holiday); "on 20 January" is not soon."""
    new_year_eve = date(2026, 12, 31)
    assert _kind("my hearing is on 4 January", today=new_year_eve) is UrgencyKind.HEARING_SOON
    assert _kind("my hearing is on 20 January", today=new_year_eve) is None


def test_the_records_dates_count() -> None:
    """A verified writer's record: a hearing or due date within two working days."""
    hearing = urgency("Any news?", hearing_date=date(2026, 11, 25), due_date=None, today=MONDAY)
    assert hearing is not None
    assert hearing.kind is UrgencyKind.HEARING_SOON
    due = urgency("Any news?", hearing_date=None, due_date=date(2026, 11, 24), today=MONDAY)
    assert due is not None
    assert due.kind is UrgencyKind.DEADLINE_SOON
    later = urgency(
        "Any news?", hearing_date=date(2026, 11, 26), due_date=date(2026, 12, 1), today=MONDAY
    )
    assert later is None
    past = urgency("Any news?", hearing_date=date(2026, 11, 20), due_date=None, today=MONDAY)
    assert past is None


def test_the_most_serious_reason_wins() -> None:
    """Self-harm before danger before a threat before a date."""
    both = "my hearing is tomorrow and I want to end it all, I will kill you"
    assert _kind(both) is UrgencyKind.SELF_HARM
    assert _kind("I will kill you, my hearing is tomorrow") is UrgencyKind.THREAT


def test_the_reason_is_fixed_words_never_the_text() -> None:
    """The reason names the kind; nothing the writer wrote is quoted in it."""
    found = urgency(
        "Mr Smith of 4 Elm Road: I will kill myself", hearing_date=None, due_date=None, today=MONDAY
    )
    assert found is not None
    assert found.reason == REASONS[UrgencyKind.SELF_HARM]
    assert set(REASONS) == set(UrgencyKind)
    assert all(len(reason) <= 64 for reason in REASONS.values())  # the column's width


def test_a_long_text_is_read_to_a_bound_and_fast() -> None:
    """Words past MAX_CHARS are not read; a hostile wall of text scans quickly."""
    assert _kind("x " * MAX_CHARS + "I want to end it all") is None
    assert _kind(("hearing " * 20_000) + "court " * 20_000) is None
