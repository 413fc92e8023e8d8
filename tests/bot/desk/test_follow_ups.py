"""The queue shows holding replies' follow-ups once due; the draft page says a letter is stale."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from storage.drafts import approve_draft, get_draft
from storage.outbox import claim_due, mark_sent
from storage.tables import Draft
from tests.bot.desk.conftest import FROM, NOW, Clock, seed_draft

_DRAFT = Draft.__table__  # type: ignore[attr-defined]


def _set(engine: Engine, draft_id: int, **values: object) -> None:
    with engine.begin() as conn:
        conn.execute(update(_DRAFT).where(_DRAFT.c.id == draft_id).values(**values))


def _send_holding_reply(engine: Engine) -> int:
    """A holding reply promising an answer in three days, approved and sent; its contact."""
    draft_id = seed_draft(
        engine,
        party="held@example.org",
        text="I want to complain",
        subject="Complaint about my ticket",
        due=NOW.date() + timedelta(days=3),
        reason="complaint: a clerk must answer",
    )
    _set(engine, draft_id, reply_promised=NOW.date() + timedelta(days=3))
    approve_draft(engine, draft_id, actor="clerk2", now=NOW, mail_from=FROM, maker_checker=True)
    (mail,) = claim_due(engine, now=NOW, worker="w", today=NOW.date())
    assert mark_sent(engine, mail.id, now=NOW, worker="w")
    return get_draft(engine, draft_id).contact_id


def test_queue_shows_a_follow_up_once_due_and_overdue(
    client: TestClient,
    signed_in: Callable[[str], str],
    engine: Engine,
    clock: Clock,
    accounts: dict[str, str],
) -> None:
    """Not before its date; on the day a "follow-up due" row linking to the contact; after
    it, how many days overdue."""
    contact_id = _send_holding_reply(engine)
    signed_in("clerk1")
    assert "Follow-ups due" not in client.get("/queue").text

    clock.advance(days=3)
    signed_in("clerk1")  # a session does not last days
    page = client.get("/queue").text
    assert "Follow-ups due" in page
    assert "follow-up due" in page
    assert f'href="/contacts/{contact_id}"' in page
    assert "Complaint about my ticket" in page

    clock.advance(days=2)
    signed_in("clerk1")
    page = client.get("/queue").text
    assert "follow-up overdue 2 days" in page
    assert re.search(
        rf'<tr data-href="/contacts/{contact_id}" class="is-follow-up is-overdue">', page
    )


def test_draft_page_says_the_letters_date_has_passed(
    client: TestClient,
    signed_in: Callable[[str], str],
    engine: Engine,
    accounts: dict[str, str],
) -> None:
    """An open draft stating yesterday's date is shown as needing a redraft."""
    draft_id = seed_draft(
        engine, party="late@example.org", text="when do I pay", subject="Pay", due=NOW.date()
    )
    _set(engine, draft_id, valid_until=NOW.date() - timedelta(days=1))
    signed_in("clerk1")
    page = client.get(f"/drafts/{draft_id}").text
    assert "The letter states a date that has passed" in page
