"""Letters re-checked on the day they go out, and holding replies' follow-ups, on both
databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from storage.contact_log import NewContact, log_contact
from storage.drafts import (
    DraftStale,
    NewDraft,
    approve_draft,
    create_draft,
    get_draft,
    list_drafts,
    replace_draft,
)
from storage.follow_ups import due_follow_ups, open_follow_ups
from storage.outbox import claim_due, mark_sent, return_stale
from storage.tables import AuditEvent, OutboxMessage

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
FROM = "tickets@force.example"


def _contact(engine: Engine, message_id: str, *, thread: str | None = None) -> int:
    return log_contact(
        engine,
        NewContact(
            channel="email",
            direction="in",
            channel_message_id=message_id,
            party="writer@example.org",
            received_at=NOW,
            text="where is my ticket",
            thread_key=thread or message_id,
        ),
        now=NOW,
    ).id


def _draft(engine: Engine, contact_id: int, **extra: object) -> int:
    values: dict[str, object] = {
        "contact_id": contact_id,
        "body": "Dear writer, ...",
        "created_by": "pipeline",
        "recipient": "writer@example.org",
        "subject": "Re: ticket",
    }
    values.update(extra)
    return create_draft(engine, NewDraft(**values), now=NOW)  # type: ignore[arg-type]


def _approve(engine: Engine, draft_id: int, *, now: datetime = NOW) -> None:
    approve_draft(engine, draft_id, actor="clerk1", now=now, mail_from=FROM, maker_checker=True)


def _send_all(engine: Engine, *, now: datetime) -> list[int]:
    """Claim and mark sent what is due, as the sender does after the server accepted it."""
    claimed = claim_due(engine, now=now, worker="w1", today=now.date())
    for mail in claimed:
        assert mark_sent(engine, mail.id, now=now, worker="w1")
    return [mail.id for mail in claimed]


def test_approval_is_refused_once_the_letters_date_has_passed(engine: Engine) -> None:
    """A draft stating yesterday's date is refused with the date named; nothing is queued."""
    stale = _draft(engine, _contact(engine, "<a@x>"), valid_until=TODAY - timedelta(days=1))
    with pytest.raises(DraftStale, match=r"date that has passed \(Sunday 22 November 2026\)"):
        _approve(engine, stale)
    assert get_draft(engine, stale).state == "drafted"
    with engine.connect() as conn:
        assert conn.execute(select(OutboxMessage.id)).all() == []  # type: ignore[call-overload]


def test_approval_on_the_last_day_is_allowed(engine: Engine) -> None:
    """The date itself is still open: approving on it queues the letter."""
    fresh = _draft(engine, _contact(engine, "<b@x>"), valid_until=TODAY)
    _approve(engine, fresh)
    assert get_draft(engine, fresh).state == "queued"


def test_a_letter_gone_stale_in_the_outbox_goes_back_to_the_queue(engine: Engine) -> None:
    """Approved today, not yet sent tomorrow: never claimed, the row is stale, the draft open
    again with the reason; a redraft clears the reason, and approving it queues a new row."""
    stale = _draft(engine, _contact(engine, "<c@x>"), valid_until=TODAY, reason="held: check")
    fresh = _draft(engine, _contact(engine, "<d@x>"), valid_until=TODAY + timedelta(days=9))
    _approve(engine, stale)
    _approve(engine, fresh)
    tomorrow = NOW + timedelta(days=1)

    # Without return_stale first, the claim still leaves the stale row alone.
    claimed = claim_due(engine, now=tomorrow, worker="w1", today=tomorrow.date())
    assert [mail.draft_id for mail in claimed] == [fresh]

    returned = return_stale(engine, today=tomorrow.date(), now=tomorrow, worker="w1")
    assert len(returned) == 1
    assert return_stale(engine, today=tomorrow.date(), now=tomorrow, worker="w1") == []
    with engine.connect() as conn:
        row = conn.execute(
            select(OutboxMessage).where(OutboxMessage.id == returned[0])  # type: ignore[call-overload, arg-type]
        ).one()
        actions = list(conn.execute(select(AuditEvent.action)).scalars())  # type: ignore[call-overload]
    assert (row.state, row.draft_id) == ("stale", None)
    assert "outbox.stale" in actions
    back = get_draft(engine, stale)
    assert back.state == "drafted"
    assert back.approved_by is None
    assert back.reason == (
        "stale: the letter's date Monday 23 November 2026 has passed since it was approved;"
        " held: check"
    )
    assert stale in [d.id for d in list_drafts(engine)]
    assert claim_due(engine, now=tomorrow, worker="w2", today=tomorrow.date()) == []

    redrafted = replace_draft(
        engine,
        stale,
        record_id=None,
        body="Dear writer, a new letter",
        subject="Re: ticket",
        verified=False,
        decision=None,
        actor="clerk1",
        now=tomorrow,
        valid_until=tomorrow.date() + timedelta(days=5),
    )
    assert redrafted.reason == "held: check"
    assert redrafted.valid_until == tomorrow.date() + timedelta(days=5)
    _approve(engine, stale, now=tomorrow)
    assert [m.draft_id for m in claim_due(engine, now=tomorrow, worker="w1")] == [stale]


def test_holding_reply_opens_a_follow_up_closed_by_the_real_answer(engine: Engine) -> None:
    """Sent, a holding reply opens a follow-up due on its promised date, listed from that
    day; a real reply in the same thread closes it, naming that reply."""
    promised = TODAY + timedelta(days=10)
    first = _contact(engine, "<e@x>", thread="<root@x>")
    holding = _draft(engine, first, reason="complaint", reply_promised=promised)
    _approve(engine, holding)
    _send_all(engine, now=NOW)

    (opened,) = open_follow_ups(engine, first)
    assert (opened.draft_id, opened.due) == (holding, promised)
    assert due_follow_ups(engine, today=promised - timedelta(days=1)) == []
    (due,) = due_follow_ups(engine, today=promised)
    assert due.contact_id == first
    assert due.party == "writer@example.org"
    (late,) = due_follow_ups(engine, today=promised + timedelta(days=3))
    assert late.overdue_days(promised + timedelta(days=3)) == 3

    # A status update is no answer to what was asked.
    update = _draft(engine, first, purpose="status_update")
    _approve(engine, update)
    _send_all(engine, now=NOW + timedelta(days=1))
    assert len(open_follow_ups(engine, first)) == 1

    # The writer wrote again in the thread; the answer to that keeps the promise.
    again = _contact(engine, "<f@x>", thread="<root@x>")
    answer = _draft(engine, again)
    _approve(engine, answer)
    later = NOW + timedelta(days=2)
    _send_all(engine, now=later)
    assert open_follow_ups(engine, first) == []
    assert due_follow_ups(engine, today=promised + timedelta(days=3)) == []
    with engine.connect() as conn:
        actions = list(conn.execute(select(AuditEvent.action)).scalars())  # type: ignore[call-overload]
    assert actions.count("follow_up.opened") == 1
    assert actions.count("follow_up.closed") == 1


def test_marking_a_holding_reply_sent_twice_opens_one_follow_up(engine: Engine) -> None:
    """A redelivered `mark_sent` finds the row sent and opens nothing more."""
    contact = _contact(engine, "<g@x>")
    holding = _draft(engine, contact, reason="unclear", reply_promised=date(2026, 12, 7))
    _approve(engine, holding)
    (outbox_id,) = _send_all(engine, now=NOW)
    assert mark_sent(engine, outbox_id, now=NOW, worker="w1") is False
    assert len(open_follow_ups(engine, contact)) == 1
