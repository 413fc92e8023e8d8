"""Contest letters for fpn, cofp and pnd before and after the period to ask for court."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from responses.compose import ComposedReply, compose_reply
from responses.intents import IntentResult
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from tests.responses.fixtures import full

STORE = TemplateStore([PACKAGE_TEMPLATES])
TODAY = date(2026, 11, 16)


def _contest(facts: object, today: date = TODAY, *intents: str) -> ComposedReply:
    return compose_reply(
        intents=IntentResult(("contest", *intents), 0.9, False),
        facts=facts,  # type: ignore[arg-type]
        verified=True,
        offered=frozenset({"reference", "surname"}),
        today=today,
        store=STORE,
    )


FPN = replace(
    full("fpn", "awaiting_payment"),
    offence_date=date(2026, 10, 20),
    status_date=date(2026, 10, 21),
    due_date=date(2026, 11, 18),
)


def test_fpn_contest_within_the_period_gives_the_date_and_is_held() -> None:
    """Open: the request may be passed on, with the absolute date it must be made by."""
    reply = _contest(FPN)
    assert "must be made by Wednesday 18 November 2026" in reply.body
    assert "We will record your request" in reply.body
    assert "Please pay" not in reply.body
    assert "You can pay" not in reply.body
    assert reply.hold_reason == "contest or court hearing requested: a clerk must record it"


def test_fpn_contest_after_the_period_says_it_ended() -> None:
    """Closed: no promise to record, no "do not need to pay"; the end date and a hold."""
    reply = _contest(FPN, date(2026, 11, 19))
    body = reply.body
    assert "ended on Wednesday 18 November 2026" in body
    assert "We will record your request" not in body
    assert "you do not need to pay" not in body
    assert "registered against you as a court fine" in body
    assert not reply.auto
    assert reply.hold_reason is not None
    assert "court hearing asked for after the period ended on Wednesday 18 November 2026" in (
        reply.hold_reason
    )


def test_pnd_contest_after_the_period_names_one_and_a_half_times() -> None:
    """A PND out of time: registration at one and a half times the penalty."""
    pnd = replace(
        full("pnd", "issued"),
        offence_date=date(2026, 10, 1),
        status_date=date(2026, 10, 1),
        due_date=date(2026, 10, 22),
    )
    reply = _contest(pnd)
    assert "ended on Thursday 22 October 2026" in reply.body
    assert "one and a half times the amount of the penalty" in reply.body
    assert "We will record your request" not in reply.body


def test_pnd_with_28_days_is_held_without_the_date() -> None:
    """A PND due date 28 days after issue is flagged and not repeated as fact."""
    pnd = replace(
        full("pnd", "issued"),
        offence_date=date(2026, 11, 2),
        status_date=date(2026, 11, 2),
        due_date=date(2026, 11, 30),
    )
    reply = _contest(pnd)
    assert "30 November" not in reply.body
    assert reply.hold_reason is not None
    assert "28 days after issue" in reply.hold_reason


def test_cofp_contest_at_nomination_keeps_the_duty_to_name_the_driver() -> None:
    """Asking for court does not replace naming the driver within the notice's time."""
    cofp = replace(
        full("cofp", "awaiting_driver_nomination"),
        offence_date=date(2026, 10, 30),
        status_date=date(2026, 11, 2),
        due_date=date(2026, 12, 4),
    )
    reply = _contest(cofp)
    assert "does not take the place of naming the driver" in reply.body
    assert "by Friday 4 December 2026" in reply.body
    assert "offence of its own" in reply.body
    assert "We will record your request" not in reply.body
    assert reply.hold_reason == "court asked for at the driver-nomination stage: a clerk must reply"


def test_court_date_on_a_concluded_case_is_held_and_says_so() -> None:
    """No "no hearing date has been set" for a concluded case; a clerk checks."""
    case = replace(full("court_case", "concluded"), hearing_date=None)
    reply = compose_reply(
        intents=IntentResult(("court_date",), 0.9, False),
        facts=case,
        verified=True,
        offered=frozenset({"reference"}),
        today=TODAY,
        store=STORE,
    )
    assert "No hearing date has been set" not in reply.body
    assert "the court has dealt with this case" in reply.body
    assert "A member of the team will look at your question about a court date" in reply.body
    assert (
        reply.hold_reason
        == "court date asked about a court case that is concluded: a clerk must reply"
    )
