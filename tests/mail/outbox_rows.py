"""Outbox rows as an approval leaves them: an inbound contact, its queued draft, a pending row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from storage.engine import session_scope
from storage.outbox import new_message_id
from storage.tables import Contact, Draft, DraftState, OutboxMessage, OutboxState

DESK = "tickets@force.example"


@dataclass(frozen=True)
class Queued:
    contact_id: int
    draft_id: int
    outbox_id: int
    message_id: str
    original_id: str


def queue_reply(
    engine: Engine,
    *,
    now: datetime,
    recipient: str = "sam@mail.example",
    original_id: str = "<enquiry-1@mail.example>",
    thread_root: str | None = None,
) -> Queued:
    """An inbound enquiry, a draft answering it (queued), and its pending outbox row."""
    with session_scope(engine) as session:
        contact = Contact(
            channel="email",
            direction="in",
            channel_message_id=original_id,
            thread_key=thread_root or original_id,
            party=recipient,
            party_key=recipient,
            subject="Ticket query",
            text="Where is my ticket?",
            received_at=now,
            created_at=now,
        )
        session.add(contact)
        session.flush()
        assert contact.id is not None
        draft = Draft(
            contact_id=contact.id,
            state=DraftState.QUEUED,
            recipient=recipient,
            subject="Re: Ticket query",
            body="Dear Sam,\n\nYour ticket is paid.\n\nEnquiry Desk",
            created_by="pipeline",
            approved_by="clerk-1",
            created_at=now,
            updated_at=now,
        )
        session.add(draft)
        session.flush()
        assert draft.id is not None
        message_id = new_message_id(DESK)
        thread = list(dict.fromkeys(m for m in (thread_root, original_id) if m))
        outbox = OutboxMessage(
            draft_id=draft.id,
            channel="email",
            recipient=recipient,
            subject="Re: Ticket query",
            body=draft.body,
            message_id=message_id,
            in_reply_to=original_id,
            references=" ".join(thread),
            state=OutboxState.PENDING,
            next_attempt_at=now,
            created_at=now,
        )
        session.add(outbox)
        session.flush()
        assert outbox.id is not None
        return Queued(contact.id, draft.id, outbox.id, message_id, original_id)


def outbox_row(engine: Engine, outbox_id: int) -> OutboxMessage:
    with session_scope(engine) as session:
        row = session.get(OutboxMessage, outbox_id)
        assert row is not None
        session.expunge(row)
        return row


def draft_state(engine: Engine, draft_id: int) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(select(Draft.state).where(Draft.id == draft_id)).scalar_one()  # type: ignore[call-overload, arg-type]
        )
