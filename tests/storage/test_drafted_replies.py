"""The first reply drafted for a contact, read back for a redelivered message."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from storage.contact_log import NewContact, log_contact
from storage.drafted_replies import DraftedReply, first_reply_for
from storage.drafts import NewDraft, create_draft
from storage.errors import StorageError
from storage.saved_match import SavedMatch
from storage.tables import DraftRoute

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def _contact(engine: Engine, message_id: str) -> int:
    return log_contact(
        engine,
        NewContact(
            channel="email",
            direction="in",
            channel_message_id=message_id,
            party="writer@example.org",
            received_at=NOW,
            text="Where is my ticket?",
        ),
        now=NOW,
    ).id


def test_no_reply_drafted_gives_none(engine: Engine) -> None:
    """A contact with no reply drafted (only a status update about it) has none."""
    contact_id = _contact(engine, "<m1@example.org>")
    create_draft(
        engine,
        NewDraft(contact_id=contact_id, body="Update", created_by="t", purpose="status_update"),
        now=NOW,
    )
    assert first_reply_for(engine, contact_id) is None
    assert first_reply_for(engine, 999) is None


def test_the_oldest_reply_comes_back_as_saved(engine: Engine) -> None:
    """The first reply drafted, with its route, intents, saved match and record."""
    contact_id = _contact(engine, "<m2@example.org>")
    decision = SavedMatch(reasons=("no record named",))
    first = create_draft(
        engine,
        NewDraft(
            contact_id=contact_id,
            body="Dear writer",
            created_by="t",
            route=DraftRoute.CLERK,
            intents=("status", "paid"),
            decision=decision,
        ),
        now=NOW,
    )
    create_draft(engine, NewDraft(contact_id=contact_id, body="Later", created_by="t"), now=NOW)
    assert first_reply_for(engine, contact_id) == DraftedReply(
        draft_id=first,
        body="Dear writer",
        route=DraftRoute.CLERK,
        intents=("status", "paid"),
        decision=decision,
        record_id=None,
    )


def test_a_database_fault_is_a_storage_error(engine: Engine) -> None:
    """A dropped drafts table: `StorageError`, no SQLAlchemy error."""
    contact_id = _contact(engine, "<m3@example.org>")
    cascade = " CASCADE" if engine.dialect.name == "postgresql" else ""
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE draft{cascade}"))
    with pytest.raises(StorageError, match=rf"^cannot read the reply to contact {contact_id}: "):
        first_reply_for(engine, contact_id)
