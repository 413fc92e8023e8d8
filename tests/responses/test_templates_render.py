"""Every template renders for every (kind, status) of the contract and every intent."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lookup.vocabulary import KIND_STATUSES
from responses.case_facts import CaseFacts
from responses.compose import (
    HOLD_INTENTS,
    compose_officer_reply,
    compose_officer_update,
    compose_reply,
    compose_status_update,
)
from responses.intents import INTENTS, OTHER, IntentResult
from responses.steps import Step, StepState, steps_for
from responses.template_store import PACKAGE_TEMPLATES, UNKNOWN_STATE, TemplateStore
from tests.responses.fixtures import TODAY, full, overdue, sparse

STORE = TemplateStore([PACKAGE_TEMPLATES])
PAIRS = sorted((kind, status) for kind, statuses in KIND_STATUSES.items() for status in statuses)
MAKERS: dict[str, Callable[[str, str | None], CaseFacts]] = {
    "full": full,
    "sparse": sparse,
    "overdue": overdue,
}


def _intent(name: str) -> IntentResult:
    if name == OTHER:
        return IntentResult((OTHER,), 0.0, True)
    return IntentResult((name,), 0.9, False)


@pytest.mark.parametrize("maker", sorted(MAKERS))
@pytest.mark.parametrize(("kind", "status"), PAIRS)
def test_every_kind_status_and_intent_renders(kind: str, status: str, maker: str) -> None:
    """Each intent's letter renders for the pair, with full, empty and overdue dates."""
    facts = MAKERS[maker](kind, status)
    for intent in INTENTS:
        reply = compose_reply(
            intents=_intent(intent),
            facts=facts,
            verified=True,
            offered=frozenset({"reference", "surname"}),
            today=TODAY,
            store=STORE,
        )
        assert reply.route == "clerk"
        held = intent in HOLD_INTENTS or intent == OTHER
        named = facts.forenames is not None and facts.surname is not None
        greeting = "Dear Emma Louise Knowles," if named else "Dear Sir or Madam,"
        assert reply.body.startswith(greeting + "\n\n")
        assert "{" not in reply.body
        assert "}" not in reply.body
        assert "None" not in reply.body
        if held:
            # A holding reply, or a court step's letter, is held with its reason and
            # describes no record, whatever record the writer is verified for.
            assert not reply.auto
            assert reply.hold_reason
            assert facts.reference not in reply.body
        else:
            assert facts.reference in reply.body
            assert UNKNOWN_STATE not in reply.parts, "a known status fell to the generic text"


@pytest.mark.parametrize("maker", sorted(MAKERS))
@pytest.mark.parametrize(("kind", "status"), PAIRS)
def test_every_pair_renders_for_officers_and_updates(kind: str, status: str, maker: str) -> None:
    """The chat reply, the status-update letter and the chat update render for the pair."""
    facts = MAKERS[maker](kind, status)
    officer = compose_officer_reply(facts, today=TODAY, store=STORE)
    assert officer.startswith(facts.reference) or facts.reference in officer.splitlines()[0]
    update = compose_status_update(facts, old_status="issued", today=TODAY, store=STORE)
    steps = steps_for(facts, TODAY)
    lapsed = any(view.closed for view in steps.steps if view.step in (Step.PAY,))
    unconfirmed = any(
        view.state is StepState.ASK_CLERK
        for view in steps.steps
        if view.step not in (Step.APPEAL, Step.STATUTORY_DECLARATION)
    )
    waiting = facts.status in ("awaiting_payment", "issued", "offer_issued")
    if steps.flags or unconfirmed or (lapsed and waiting):
        # A date the rules contradict, a step with no date to trust, or a period that
        # ended while the record still waits on it: the update waits for a clerk.
        assert not update.auto
        assert update.hold_reason
    else:
        assert update.auto, update.hold_reason
    assert facts.reference in update.subject
    assert "None" not in update.body
    assert "None" not in officer
    chat = compose_officer_update(facts, old_status=None, today=TODAY, store=STORE)
    assert facts.reference in chat


def test_every_shipped_template_renders_with_a_complete_context() -> None:
    """Each file in the package compiles and renders when given every variable there is."""
    facts = full("fpn", "awaiting_payment")
    context = {
        "facts": facts,
        "steps": steps_for(facts, TODAY),
        "kind_label": "fixed penalty notice",
        "status_label": "awaiting payment",
        "known_status": True,
        "today": TODAY,
        "addressee": None,
        "third_party": "relative",
        "reply_by": None,
        "intents": [],
        "answers": ["An answer."],
        "state": "A state.",
        "asks": ["your full name"],
        "gave_some": False,
        "old_status": "issued",
        "intent": "complaint",
        "asked": ["court_date"],
        "candidates": [],
        "total": 0,
    }
    names = STORE.names()
    assert len(names) >= 30
    for name in names:
        assert STORE.render(name, context) is not None, name
