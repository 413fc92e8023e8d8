"""Representative letters compared with golden files, word for word.

After a deliberate wording change, regenerate them and review the diff:
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/responses/test_golden.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from lookup.third_party import ThirdPartyKind
from responses.compose import (
    ComposedReply,
    compose_candidates_reply,
    compose_officer_reply,
    compose_reply,
    compose_status_update,
)
from responses.intents import detect_intents
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from tests.responses.fixtures import FATHER, FULL, SON, TODAY, full

GOLDEN = Path(__file__).parent / "golden"
STORE = TemplateStore([PACKAGE_TEMPLATES])


def _letter(reply: ComposedReply) -> str:
    flags = f"route: {reply.route}; auto: {reply.auto}; hold: {reply.hold_reason}"
    return f"Subject: {reply.subject}\n[{flags}; template: {reply.template}]\n\n{reply.body}"


def _public(message: str, facts: object, *, offered: frozenset[str] = frozenset()) -> str:
    reply = compose_reply(
        intents=detect_intents(message),
        facts=facts,  # type: ignore[arg-type]
        verified=facts is not None,
        offered=offered or frozenset({"reference", "surname"}),
        today=TODAY,
        store=STORE,
        reply_by=date(2026, 11, 23),
    )
    return _letter(reply)


def _third_party(message: str, kind: ThirdPartyKind) -> str:
    reply = compose_reply(
        intents=detect_intents(message),
        facts=None,
        verified=False,
        offered=frozenset({"reference", "surname", "vrm"}),
        today=TODAY,
        store=STORE,
        reply_by=date(2026, 11, 23),
        third_party=kind,
    )
    return _letter(reply)


CASES: dict[str, Callable[[], str]] = {
    "fpn_status_awaiting_payment": lambda: _public(
        "What is the current status of my ticket?", FULL
    ),
    "fpn_already_paid_paid": lambda: _public(
        "I have already paid, why am I still getting letters?", full("fpn", "paid")
    ),
    "fpn_licence_sent_overdue": lambda: _public(
        "I posted my driving licence ten days ago. Has it arrived?",
        replace(full("fpn", "awaiting_licence"), due_date=date(2026, 11, 2)),
    ),
    "summons_court_date": lambda: _public("When is my court date?", SON),
    "course_offer_book": lambda: _public(
        "How do I book the course offered? The link has expired.",
        full("course_offer", "offered"),
    ),
    "cofp_contest_and_nominate": lambda: _public(
        "I want to contest this, I was not the driver. My husband was driving.",
        full("cofp", "awaiting_driver_nomination"),
    ),
    "fpn_contest_after_period": lambda: _public(
        "I want to contest this ticket in court.",
        replace(
            FULL,
            offence_date=date(2026, 10, 1),
            status_date=date(2026, 10, 2),
            due_date=date(2026, 10, 30),
        ),
    ),
    "pnd_contest_within_period": lambda: _public(
        "I want to contest this in court.",
        replace(
            full("pnd", "issued"),
            offence_date=date(2026, 11, 5),
            status_date=date(2026, 11, 5),
            due_date=date(2026, 11, 26),
        ),
    ),
    "court_case_court_date_concluded": lambda: _public(
        "When is my court date?",
        replace(full("court_case", "concluded"), status_date=date(2026, 11, 4)),
    ),
    "course_offer_course_expired": lambda: _public(
        "Can I still book the speed awareness course? I missed the date.",
        replace(
            full("course_offer", "expired"),
            status_date=date(2026, 11, 2),
            due_date=date(2026, 10, 30),
        ),
    ),
    "summons_court_date_withdrawn": lambda: _public(
        "When is my court date?",
        replace(SON, status="withdrawn", status_date=date(2026, 11, 9)),
    ),
    "unverified_asks_for_details": lambda: _public(
        "What is the status of my ticket 4249150997?", None, offered=frozenset({"reference"})
    ),
    "complaint_hold": lambda: _public("I want to make a formal complaint about the officer.", FULL),
    "unknown_status_hold": lambda: _public(
        "What is the status?", replace(FULL, status="suspended_pending_review")
    ),
    "status_update_listed": lambda: _letter(
        compose_status_update(SON, old_status="served", today=TODAY, store=STORE)
    ),
    "third_party_insurer": lambda: _third_party(
        "We insure the driver of YC30NZE. Please send the collision report for 4249150997.",
        ThirdPartyKind.INSURER,
    ),
    "third_party_victim": lambda: _third_party(
        "I was the victim. What is happening with the case against him?", ThirdPartyKind.VICTIM
    ),
    "officer_summons": lambda: compose_officer_reply(SON, today=TODAY, store=STORE),
    "officer_candidates": lambda: compose_candidates_reply([FATHER, SON], store=STORE),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_letter(name: str) -> None:
    """The letter is exactly as reviewed; a wording change must update its golden file."""
    text = CASES[name]()
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file: run with UPDATE_GOLDEN=1 to write {path.name}"
    assert text == path.read_text(encoding="utf-8")
