"""The outbox table's lifecycle on both databases: claims, retries, failures, stale claims."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from storage.outbox import (
    claim_due,
    mark_failed,
    mark_retry,
    mark_sent,
    reclaim_stale,
    release,
    retry_delay,
)
from storage.tables import AuditEvent, Contact
from tests.mail.outbox_rows import draft_state, outbox_row, queue_reply

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_a_due_message_is_claimed_once(engine: Engine) -> None:
    """The first claim takes the row (attempt 1); a second claim finds nothing."""
    queued = queue_reply(engine, now=NOW)
    (claimed,) = claim_due(engine, now=NOW, worker="w1")
    assert claimed.id == queued.outbox_id
    assert claimed.attempt == 1
    assert claimed.message_id == queued.message_id
    assert claimed.references == (queued.original_id,)
    assert claim_due(engine, now=NOW, worker="w2") == []
    row = outbox_row(engine, queued.outbox_id)
    assert (row.state, row.claimed_by) == ("sending", "w1")


def test_mark_sent_updates_outbox_draft_contact_log_and_audit(engine: Engine) -> None:
    """Sent: outbox and draft `sent`, an outbound contact threaded on the enquiry, an audit entry."""
    queued = queue_reply(engine, now=NOW, thread_root="<root@mail.example>")
    claim_due(engine, now=NOW, worker="w1")
    assert mark_sent(engine, queued.outbox_id, now=NOW, worker="w1") is True
    assert mark_sent(engine, queued.outbox_id, now=NOW, worker="w1") is False
    assert outbox_row(engine, queued.outbox_id).state == "sent"
    assert draft_state(engine, queued.draft_id) == "sent"
    with engine.connect() as conn:
        outbound = conn.execute(select(Contact).where(Contact.direction == "out")).all()  # type: ignore[call-overload]
        actions = conn.execute(select(AuditEvent.action)).scalars().all()  # type: ignore[call-overload]
    assert len(outbound) == 1
    assert outbound[0].channel_message_id == queued.message_id
    assert outbound[0].thread_key == "<root@mail.example>"
    assert outbound[0].in_reply_to == queued.original_id
    assert "outbox.sent" in actions


def test_temporary_failure_backs_off_then_fails_when_out_of_attempts(engine: Engine) -> None:
    """A retry waits retry_delay; after max_attempts the message and its draft are failed."""
    queued = queue_reply(engine, now=NOW)
    claim_due(engine, now=NOW, worker="w1")
    state = mark_retry(engine, queued.outbox_id, now=NOW, worker="w1", error="451 later", code=451)
    assert state == "pending"
    row = outbox_row(engine, queued.outbox_id)
    assert row.next_attempt_at == NOW + retry_delay(1)
    assert row.last_error == "451 later"
    assert claim_due(engine, now=NOW, worker="w1") == []
    later = NOW + retry_delay(1)
    (again,) = claim_due(engine, now=later, worker="w1")
    assert again.attempt == 2
    state = mark_retry(
        engine, queued.outbox_id, now=later, worker="w1", error="451 still", max_attempts=2
    )
    assert state == "failed"
    assert draft_state(engine, queued.draft_id) == "failed"


def test_retry_delays_grow_and_are_capped() -> None:
    """Pauses double from a minute and never exceed an hour."""
    assert retry_delay(1) == timedelta(minutes=1)
    assert retry_delay(2) == timedelta(minutes=2)
    assert retry_delay(50) == timedelta(hours=1)


def test_permanent_failure_keeps_the_answer_and_fails_the_draft(engine: Engine) -> None:
    """A 5xx answer is stored on the row; the draft shows failed for the clerk."""
    queued = queue_reply(engine, now=NOW)
    claim_due(engine, now=NOW, worker="w1")
    mark_failed(
        engine, queued.outbox_id, now=NOW, worker="w1", error="550 5.1.1 no such user", code=550
    )
    row = outbox_row(engine, queued.outbox_id)
    assert (row.state, row.last_error) == ("failed", "550 5.1.1 no such user")
    assert draft_state(engine, queued.draft_id) == "failed"
    assert claim_due(engine, now=NOW + timedelta(days=1), worker="w1") == []


def test_stale_claims_of_dead_workers_are_reclaimed(engine: Engine) -> None:
    """A claim older than the timeout goes back to pending and can be claimed again."""
    queued = queue_reply(engine, now=NOW)
    claim_due(engine, now=NOW, worker="dead")
    assert (
        reclaim_stale(engine, now=NOW + timedelta(minutes=5), older_than=timedelta(minutes=15)) == 0
    )
    assert (
        reclaim_stale(engine, now=NOW + timedelta(minutes=16), older_than=timedelta(minutes=15))
        == 1
    )
    (claimed,) = claim_due(engine, now=NOW + timedelta(minutes=16), worker="alive")
    assert claimed.id == queued.outbox_id
    assert claimed.attempt == 2


def test_release_hands_claims_back_without_counting_the_attempt(engine: Engine) -> None:
    """Released claims are pending again at once, their attempt not counted."""
    queued = queue_reply(engine, now=NOW)
    claim_due(engine, now=NOW, worker="w1")
    release(engine, [queued.outbox_id])
    (claimed,) = claim_due(engine, now=NOW, worker="w1")
    assert claimed.attempt == 1


def test_concurrent_workers_never_claim_the_same_row(engine: Engine) -> None:
    """Workers claiming at once get disjoint sets (SKIP LOCKED on PostgreSQL, one writer on SQLite)."""
    queued = [
        queue_reply(
            engine, now=NOW, original_id=f"<e{i}@mail.example>", recipient=f"p{i}@mail.example"
        )
        for i in range(40)
    ]
    results: dict[str, list[int]] = {}
    barrier = threading.Barrier(4)

    def work(name: str) -> None:
        barrier.wait()
        mine: list[int] = []
        while batch := claim_due(engine, now=NOW, worker=name, limit=3):
            mine.extend(mail.id for mail in batch)
        results[name] = mine

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    claimed = [outbox_id for ids in results.values() for outbox_id in ids]
    assert sorted(claimed) == sorted(q.outbox_id for q in queued)


def test_a_claim_takes_at_most_its_limit(engine: Engine) -> None:
    """With ten messages due, a claim of three takes the three oldest and leaves seven
    (PostgreSQL once claimed them all: a LIMIT sub-select run again per row)."""
    queued = [
        queue_reply(
            engine, now=NOW, original_id=f"<l{i}@mail.example>", recipient=f"l{i}@mail.example"
        )
        for i in range(10)
    ]
    batch = claim_due(engine, now=NOW, worker="w1", limit=3)
    assert [mail.id for mail in batch] == [q.outbox_id for q in queued[:3]]
    states = [outbox_row(engine, q.outbox_id).state for q in queued]
    assert states == ["sending"] * 3 + ["pending"] * 7
