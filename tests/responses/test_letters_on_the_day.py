"""Letters right for the case on the day: steps from the model, no self-contradictions,
ended cases held for a clerk (issue 14, the templates)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from lookup.vocabulary import KIND_STATUSES
from responses.case_facts import CaseFacts
from responses.compose import ComposedReply, compose_officer_reply, compose_reply
from responses.intents import NEW_INTENTS, IntentResult
from responses.letter_check import check_letter, commitments
from responses.steps import steps_for
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from tests.responses.fixtures import TODAY, full
from tests.responses.test_letter_check import MAKERS

STORE = TemplateStore([PACKAGE_TEMPLATES])
PAIRS = sorted((kind, status) for kind, statuses in KIND_STATUSES.items() for status in statuses)
# Questions asked together whose answers used to contradict each other.
COMBOS: tuple[tuple[str, ...], ...] = (
    ("already_paid", "how_to_pay"),
    ("contest", "how_to_pay"),
    ("contest", "already_paid"),
    ("nominate_driver", "contest"),
    ("wants_course", "how_to_pay"),
    # Issue 15's intents beside the old ones: the court step's letter or a holding reply.
    ("statutory_declaration", "how_to_pay"),
    ("plea_by_post", "court_date"),
    ("appeal", "status"),
    ("more_time", "how_to_pay"),
    ("is_genuine", "already_paid"),
    ("consequences", "contest"),
)
ENDED: dict[str, tuple[str, ...]] = {
    "summons": ("result_recorded", "withdrawn", "concluded"),
    "postal_requisition": ("result_recorded", "withdrawn", "concluded"),
    "court_case": ("concluded",),
    "collision": ("closed",),
    "course_offer": ("completed", "expired", "not_completed"),
    "community_resolution": ("complied", "failed_to_comply", "prosecution"),
    "conditional_caution": ("complied", "failed_to_comply", "prosecution"),
}
FURTHER = ("court_date", "how_to_pay", "already_paid", "wants_course", "contest")


def _reply(facts: CaseFacts, *intents: str) -> ComposedReply:
    return compose_reply(
        intents=IntentResult(tuple(intents), 0.9, False),
        facts=facts,
        verified=True,
        offered=frozenset({"reference", "surname"}),
        today=TODAY,
        store=STORE,
    )


@pytest.mark.parametrize("maker", sorted(MAKERS))
@pytest.mark.parametrize(("kind", "status"), PAIRS)
def test_combined_questions_pass_the_check(kind: str, status: str, maker: str) -> None:
    """Two questions in one letter, periods open or closed, never contradict each other."""
    facts = MAKERS[maker](kind, status)
    steps = steps_for(facts, TODAY)
    for combo in COMBOS:
        reply = compose_reply(
            intents=IntentResult(combo, 0.9, False),
            facts=facts,
            verified=True,
            offered=frozenset({"reference"}),
            today=TODAY,
            store=STORE,
        )
        assert "letter check" not in (reply.hold_reason or ""), (combo, reply.hold_reason)
        assert check_letter(reply.body, facts, steps, intents=combo) == (), (combo, reply.body)
        if "already_paid" in combo:
            assert "You can pay using the reference above" not in reply.body, combo
        assert "thank you for telling us who was driving" not in reply.body.lower()
        if commitments(reply.body):
            assert not reply.auto, (combo, reply.body)
        if set(combo) & set(NEW_INTENTS):
            assert not reply.auto, combo
            assert facts.reference not in reply.body, combo


@pytest.mark.parametrize("maker", sorted(MAKERS))
@pytest.mark.parametrize(
    ("kind", "status"), [(kind, status) for kind, statuses in ENDED.items() for status in statuses]
)
def test_ended_cases_asked_what_next_are_held(kind: str, status: str, maker: str) -> None:
    """An ended case asked about a court date, paying, a course or contesting: the record
    is stated, a clerk replies, and the letter is held with the reason."""
    facts = MAKERS[maker](kind, status)
    for intent in FURTHER:
        reply = _reply(facts, intent)
        assert not reply.auto, intent
        assert "a clerk must reply" in reply.hold_reason, intent
        assert "public/concluded.txt" in reply.parts
        assert "Our record shows" in reply.body
        if status != "prosecution":  # a prosecution's hearing may still be to come
            assert "No hearing date has been set" not in reply.body


def test_already_paid_on_awaiting_payment_is_not_asked_to_pay() -> None:
    """A writer who says they paid, asking too how to pay, is told not to pay twice."""
    reply = _reply(full("fpn", "awaiting_payment"), "already_paid", "how_to_pay")
    body = reply.body
    assert "You can pay using the reference above" not in body
    assert "please do not pay a second time" in body
    assert "ends on Monday 30 November 2026" in body


def test_nominate_driver_explains_how_and_never_thanks() -> None:
    """The intent cannot tell naming from asking how to name: the letter explains how."""
    reply = _reply(full("cofp", "awaiting_driver_nomination"), "nominate_driver")
    body = reply.body
    assert "To name the driver, the registered keeper must complete and return the form" in body
    assert "by Monday 30 November 2026" in body
    assert "Thank you for telling us who was driving" not in body
    assert not reply.auto
    other = _reply(full("fpn", "awaiting_payment"), "nominate_driver").body
    assert "Thank you for telling us who was driving" not in other


def test_contest_beside_how_to_pay_does_not_say_no_need_to_pay() -> None:
    """Contest and how-to-pay together: two choices, a clerk confirms; no contradiction."""
    facts = replace(
        full("fpn", "awaiting_payment"),
        status_date=date(2026, 11, 2),
        due_date=date(2026, 11, 30),
    )
    reply = _reply(facts, "contest", "how_to_pay")
    body = reply.body
    assert "you do not need to pay" not in body
    assert "two different choices" in body
    assert "If you decide to pay rather than have the matter decided by a court" in body


def test_expired_course_offer_offers_no_booking() -> None:
    """The state of an expired offer names the day it ended and offers nothing."""
    facts = replace(full("course_offer", "expired"), due_date=date(2026, 10, 30))
    body = _reply(facts, "status").body
    assert "ended on Friday 30 October 2026" in body
    assert "book" not in body.replace("booked", "")


def test_documents_state_takes_the_checked_date() -> None:
    """HORT/1: a due date the 7-day rule contradicts is not written; the letter is held."""
    bad = replace(
        full("hort1", "issued"), offence_date=date(2026, 11, 9), due_date=date(2026, 12, 8)
    )
    reply = _reply(bad, "status")
    assert "8 December 2026" not in reply.body
    assert "within the time shown on the form" in reply.body
    assert not reply.auto


def test_officer_line_gives_steps_and_flags() -> None:
    """The officer sees each step's last day, and a record date the rules contradict."""
    facts = replace(
        full("pnd", "issued"), status_date=date(2026, 11, 5), due_date=date(2026, 12, 3)
    )
    text = compose_officer_reply(facts, today=TODAY, store=STORE)
    assert "Check the record's due date: penalty notice for disorder" in text
    assert "due Thursday 3 December 2026" not in text
    good = replace(facts, due_date=date(2026, 11, 26))
    assert "Pay: open until Thursday 26 November 2026" in compose_officer_reply(
        good, today=TODAY, store=STORE
    )


def test_new_rules_of_the_check() -> None:
    """Booking on an expired offer, producing on produced documents, asking a payer to
    pay and thanking for a driver's name are each refused."""
    expired = full("course_offer", "expired")
    assert "booking wording in a letter about an expired course offer" in check_letter(
        "Please book a place.", expired, steps_for(expired, TODAY)
    )
    produced = full("hort1", "documents_produced")
    assert "asked to produce documents on a case that is documents_produced" in check_letter(
        "Please produce them by Monday.", produced, steps_for(produced, TODAY)
    )
    assert "a writer who says they have paid is asked to pay" in check_letter(
        "You can pay using the reference above.", None, None, intents=("already_paid",)
    )
    assert check_letter(
        "Thank you for telling us who was driving.", None, None, intents=("nominate_driver",)
    )
    assert commitments("We will record your request.") == ("record a request",)
    assert commitments("The hearing is on Monday.") == ()
