"""The contact log: every message in or out, logged once by its channel's own id.

Adapters call `log_contact` before doing anything else with a message. Logging the same
message twice (a redelivery, a restart after a crash) returns the first entry, so the
caller can tell it has seen the message and skip it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from lookup.enquiry import Attachment
from lookup.keys import email_key
from storage.attachments import record_attachments_in
from storage.errors import StorageError
from storage.tables import Contact

_CONTACT: Table = Contact.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class NewContact:
    channel: str
    direction: str
    channel_message_id: str
    party: str
    received_at: datetime
    text: str = ""
    subject: str | None = None
    quoted_text: str | None = None
    thread_key: str | None = None
    in_reply_to: str | None = None
    record_id: int | None = None
    flag: str | None = None
    flag_reason: str | None = None


@dataclass(frozen=True, slots=True)
class LoggedContact:
    id: int
    is_new: bool


def log_contact(
    engine: Engine,
    contact: NewContact,
    *,
    now: datetime,
    attachments: Sequence[Attachment] = (),
) -> LoggedContact:
    """Log `contact` unless its (channel, message id) is already logged; either way
    return the id of the one entry for it. Attachments are recorded in the same
    transaction, so a logged contact never lacks them."""
    values = {
        "channel": contact.channel,
        "direction": contact.direction,
        "channel_message_id": contact.channel_message_id,
        "thread_key": contact.thread_key,
        "in_reply_to": contact.in_reply_to,
        "party": contact.party,
        "party_key": email_key(contact.party),
        "subject": contact.subject,
        "text": contact.text,
        "quoted_text": contact.quoted_text,
        "record_id": contact.record_id,
        "flag": contact.flag,
        "flag_reason": contact.flag_reason,
        "received_at": contact.received_at,
        "created_at": now,
    }
    # ON CONFLICT DO NOTHING makes two workers racing on one message safe: exactly one
    # insert wins, and both read back the same row.
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(_CONTACT)
        .values(values)
        .on_conflict_do_nothing(index_elements=["channel", "channel_message_id"])
        .returning(_CONTACT.c.id)
    )
    try:
        with engine.begin() as conn:
            new_id = conn.execute(statement).scalar_one_or_none()
            if new_id is not None:
                record_attachments_in(conn, int(new_id), attachments)
                return LoggedContact(id=int(new_id), is_new=True)
            existing = conn.execute(
                select(_CONTACT.c.id).where(
                    _CONTACT.c.channel == contact.channel,
                    _CONTACT.c.channel_message_id == contact.channel_message_id,
                )
            ).scalar_one()
            return LoggedContact(id=int(existing), is_new=False)
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot log the contact: {type(exc).__name__}") from exc


def set_contact_record(engine: Engine, contact_id: int, record_id: int | None) -> None:
    """Note which record a contact turned out to be about (for its history and updates)."""
    try:
        with engine.begin() as conn:
            conn.execute(
                update(_CONTACT).where(_CONTACT.c.id == contact_id).values(record_id=record_id)
            )
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot update contact {contact_id}: {type(exc).__name__}") from exc


def earlier_in_thread(
    engine: Engine, *, thread_key: str, party: str, before_id: int, limit: int = 5
) -> list[str]:
    """The texts the same writer sent earlier in one thread, oldest first.

    A reply often says only "any news?"; the identifiers are in the writer's first
    message. Only the same sender's own words count: a thread can include other people.
    """
    statement = (
        select(_CONTACT.c.text)
        .where(
            _CONTACT.c.thread_key == thread_key,
            _CONTACT.c.party_key == email_key(party),
            _CONTACT.c.direction == "in",
            _CONTACT.c.id < before_id,
        )
        .order_by(_CONTACT.c.id.desc())
        .limit(limit)
    )
    try:
        with engine.connect() as conn:
            return list(reversed(conn.execute(statement).scalars().all()))
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot read the thread: {type(exc).__name__}") from exc
