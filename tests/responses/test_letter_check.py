"""The letter check: shipped templates pass it everywhere, and it catches contradictions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from lookup.vocabulary import KIND_STATUSES
from responses.case_facts import CaseFacts
from responses.compose import compose_reply, compose_status_update
from responses.intents import INTENTS, OTHER, IntentResult
from responses.letter_check import check_letter
from responses.steps import steps_for
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from tests.responses.fixtures import TODAY, full, overdue, sparse

STORE = TemplateStore([PACKAGE_TEMPLATES])
PAIRS = sorted((kind, status) for kind, statuses in KIND_STATUSES.items() for status in statuses)


def _open(kind: str, status: str | None) -> CaseFacts:
    """Dates the rules accept, with every period still open on TODAY (16 November 2026)."""
    return replace(
        full(kind, status),
        offence_date=date(2026, 11, 9),
        status_date=date(2026, 11, 10),
        due_date=date(2026, 11, 16) if kind == "hort1" else date(2026, 12, 8),
    )


def _lapsed(kind: str, status: str | None) -> CaseFacts:
    """Dates the rules accept, with every period ended before TODAY."""
    return replace(
        full(kind, status),
        offence_date=date(2026, 9, 28),
        status_date=date(2026, 9, 29),
        due_date=date(2026, 10, 5) if kind == "hort1" else date(2026, 10, 27),
        hearing_date=date(2026, 10, 20),
    )


MAKERS: dict[str, Callable[[str, str | None], CaseFacts]] = {
    "full": full,
    "sparse": sparse,
    "overdue": overdue,
    "open": _open,
    "lapsed": _lapsed,
}


def _intent(name: str) -> IntentResult:
    if name == OTHER:
        return IntentResult((OTHER,), 0.0, True)
    return IntentResult((name,), 0.9, False)


@pytest.mark.parametrize("maker", sorted(MAKERS))
@pytest.mark.parametrize(("kind", "status"), PAIRS)
def test_shipped_letters_pass_the_check(kind: str, status: str, maker: str) -> None:
    """Every (kind, status, intent) letter, periods open or closed, passes the check."""
    facts = MAKERS[maker](kind, status)
    steps = steps_for(facts, TODAY)
    for intent in INTENTS:
        reply = compose_reply(
            intents=_intent(intent),
            facts=facts,
            verified=True,
            offered=frozenset({"reference", "surname"}),
            today=TODAY,
            store=STORE,
        )
        assert "letter check" not in (reply.hold_reason or ""), (intent, reply.hold_reason)
        assert check_letter(reply.body, facts, steps, intents=(intent,)) == (), (intent, reply.body)
        if intent == "contest":
            assert not reply.auto, "a contest letter always waits for a clerk"
    update = compose_status_update(facts, old_status=None, today=TODAY, store=STORE)
    assert "letter check" not in (update.hold_reason or "")


def test_paid_case_with_pay_wording_fails() -> None:
    """A paid case must not be told how to pay."""
    facts = full("fpn", "paid")
    reasons = check_letter("You can pay using the reference above.", facts, None)
    assert reasons == ("payment wording in a letter about a paid case",)


def test_no_hearing_set_on_a_concluded_case_fails() -> None:
    """A concluded case has no hearing to wait for."""
    facts = full("court_case", "concluded")
    body = "No hearing date has been set yet; the court will write to you."
    assert check_letter(body, facts, None) == (
        '"no hearing date has been set" in a letter about a concluded case',
    )


def test_do_not_need_to_pay_beside_please_pay_fails() -> None:
    """A letter may not say both "you do not need to pay" and "please pay"."""
    body = "Once recorded you do not need to pay the penalty. Please pay by 30 November."
    assert 'the letter says "you do not need to pay" and also asks for payment' in check_letter(
        body, None, None
    )


def test_hearing_request_offered_after_the_period_fails() -> None:
    """ "We will record your request" is refused once the period to ask has ended."""
    facts = _lapsed("fpn", "awaiting_payment")
    steps = steps_for(facts, TODAY)
    reasons = check_letter("We will record your request and pass it on.", facts, steps)
    assert "a court hearing request offered when that step is not open" in reasons
    still_open = _open("fpn", "awaiting_payment")
    assert (
        check_letter("We will record your request.", still_open, steps_for(still_open, TODAY)) == ()
    )


def test_relative_deadline_fails() -> None:
    """ "(in 7 days)" goes stale between drafting and sending."""
    assert check_letter("Please pay by 3 December 2026 (in 7 days).", None, None) == (
        "a deadline is written relative to today; it must be an absolute date",
    )


def test_failing_letter_is_held_with_the_reason(tmp_path: object) -> None:
    """A clerk's template that offends the check holds the draft, never sends it."""
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "state").mkdir()
    (folder / "state" / "fpn").mkdir()
    (folder / "state" / "fpn" / "paid.txt").write_text("Paid. You can pay using the reference.")
    store = TemplateStore([folder, PACKAGE_TEMPLATES])
    reply = compose_reply(
        intents=_intent("status"),
        facts=full("fpn", "paid"),
        verified=True,
        offered=frozenset({"reference"}),
        today=TODAY,
        store=store,
    )
    assert not reply.auto
    assert reply.hold_reason == "letter check: payment wording in a letter about a paid case"
