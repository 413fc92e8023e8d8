"""The sender re-checks each letter on the day it would go, on both databases."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, update

from mail.outbox_sender import send_due
from mail.testing import RecordingTransport
from storage.drafts import get_draft
from storage.tables import Draft
from tests.mail.outbox_rows import DESK, outbox_row, queue_reply

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _valid_until(engine: Engine, draft_id: int, day: object) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(Draft.__table__).where(Draft.__table__.c.id == draft_id).values(valid_until=day)
        )  # type: ignore[attr-defined]


async def test_a_stale_approved_letter_is_not_sent_and_goes_back(engine: Engine) -> None:
    """The letter whose date passed yesterday is not sent: its row is stale and its draft
    open again with the reason; the fresh one beside it is sent, once."""
    stale = queue_reply(engine, now=NOW, original_id="<stale@mail.example>")
    fresh = queue_reply(engine, now=NOW, original_id="<fresh@mail.example>")
    _valid_until(engine, stale.draft_id, NOW.date() - timedelta(days=1))
    _valid_until(engine, fresh.draft_id, NOW.date())
    transport = RecordingTransport()

    counts = await send_due(engine, transport, mail_from=DESK, now=NOW, worker="t")

    assert (counts.stale, counts.claimed, counts.sent) == (1, 1, 1)
    assert [m["Message-ID"] for m in transport.sent] == [fresh.message_id]
    assert outbox_row(engine, stale.outbox_id).state == "stale"
    assert outbox_row(engine, fresh.outbox_id).state == "sent"
    back = get_draft(engine, stale.draft_id)
    assert back.state == "drafted"
    assert back.reason is not None
    assert back.reason.startswith("stale: the letter's date")
    again = await send_due(engine, transport, mail_from=DESK, now=NOW, worker="t")
    assert (again.stale, again.claimed) == (0, 0)
    assert len(transport.sent) == 1


async def test_the_sender_logs_ids_only(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    """The warning for a returned letter names the outbox id, not the recipient."""
    stale = queue_reply(engine, now=NOW)
    _valid_until(engine, stale.draft_id, NOW.date() - timedelta(days=1))
    with caplog.at_level(logging.INFO, logger="mail.outbox_sender"):
        await send_due(engine, RecordingTransport(), mail_from=DESK, now=NOW, worker="t")
    assert f"outbox {stale.outbox_id}: not sent" in caplog.text
    assert "sam@mail.example" not in caplog.text
