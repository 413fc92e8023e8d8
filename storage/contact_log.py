"""The contact log: every message in or out, logged once by its channel's own id.

Adapters call `log_contact` before doing anything else with a message. Logging the same
message twice (a redelivery, a restart after a crash) returns the first entry, so the
caller can tell it has seen the message and skip it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lookup.channels import Channel
from lookup.enquiry import Attachment, Enquiry, Flag
from lookup.keys import email_key
from storage.attachments import record_attachments_in
from storage.engine import SQLITE_BUSY_TIMEOUT_MS
from storage.errors import translated
from storage.tables import Contact

_CONTACT: Table = Contact.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class NewContact:
    channel: Channel
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
    flag: Flag | None = None
    flag_reason: str | None = None


def inbound_contact(enquiry: Enquiry) -> NewContact:
    """The log entry of an enquiry as it came in."""
    return NewContact(
        channel=enquiry.channel,
        direction="in",
        channel_message_id=enquiry.channel_message_id,
        party=enquiry.sender,
        received_at=enquiry.received_at,
        text=enquiry.text,
        subject=enquiry.subject or None,
        quoted_text=enquiry.quoted_text,
        thread_key=enquiry.thread_key,
        in_reply_to=enquiry.in_reply_to,
        flag=enquiry.flag,
        flag_reason=enquiry.flag_reason,
    )


@dataclass(frozen=True, slots=True)
class LoggedContact:
    id: int
    is_new: bool


def _contact_insert(dialect_insert: Any) -> Any:
    # ON CONFLICT DO NOTHING makes two workers racing on one message safe: exactly one
    # insert wins, and both read back the same row.
    return (
        dialect_insert(_CONTACT)
        .on_conflict_do_nothing(index_elements=["channel", "channel_message_id"])
        .returning(_CONTACT.c.id)
    )


# Built once: every chat question and answer is logged, and building the statements
# afresh each time cost more than running them (bench/chat.py). Values are bound.
_INSERT = {"postgresql": _contact_insert(pg_insert), "sqlite": _contact_insert(sqlite_insert)}
_FIND = select(_CONTACT.c.id).where(
    _CONTACT.c.channel == bindparam("find_channel"),
    _CONTACT.c.channel_message_id == bindparam("find_message_id"),
)
_LINK = (
    update(_CONTACT)
    .where(_CONTACT.c.id == bindparam("link_contact"))
    .values(record_id=bindparam("link_record"))
)


def _row(contact: NewContact, now: datetime) -> dict[str, Any]:
    return {
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


def _log_in(
    conn: Connection, contact: NewContact, now: datetime, attachments: Sequence[Attachment]
) -> LoggedContact:
    insert = _INSERT["postgresql" if conn.dialect.name == "postgresql" else "sqlite"]
    new_id = conn.execute(insert, _row(contact, now)).scalar_one_or_none()
    if new_id is not None:
        record_attachments_in(conn, int(new_id), attachments)
        return LoggedContact(id=int(new_id), is_new=True)
    existing = conn.execute(
        _FIND,
        {"find_channel": contact.channel, "find_message_id": contact.channel_message_id},
    ).scalar_one()
    return LoggedContact(id=int(existing), is_new=False)


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
    with translated("log the contact"), engine.begin() as conn:
        return _log_in(conn, contact, now, attachments)


def set_contact_record(engine: Engine, contact_id: int, record_id: int | None) -> None:
    """Note which record a contact turned out to be about (for its history and updates)."""
    with translated(f"update contact {contact_id}"), engine.begin() as conn:
        conn.execute(_LINK, {"link_contact": contact_id, "link_record": record_id})


@dataclass(frozen=True, slots=True)
class ContactWrite:
    """One item of a `log_contacts` batch: a contact to log, a link to make, or both.

    `link` is (contact id, record id): note that an earlier contact (a chat question) was
    about that record, as `set_contact_record` does.
    """

    contact: NewContact | None = None
    link: tuple[int, int | None] | None = None


def log_contacts(
    engine: Engine,
    writes: Sequence[ContactWrite],
    *,
    now: datetime,
    wait_ms: int | None = None,
) -> list[LoggedContact | None]:
    """Carry out `writes` in one transaction, so a batch costs one commit (chat answers
    under load: each commit waits for SQLite's single writer). Returns, for each write,
    its contact's `LoggedContact`, or None for a link alone. All or nothing: when the
    batch fails, nothing of it is written and `StorageError` says why.

    `wait_ms`: on SQLite, how long to wait for another writer before failing, instead
    of the engine's long wait (for a caller that must not be held up: the event loop)."""
    with translated("log contacts"), engine.begin() as conn:
        short = wait_ms is not None and conn.dialect.name == "sqlite"
        if short:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(wait_ms or 0)}")
        try:
            logged: list[LoggedContact | None] = []
            for write in writes:
                if write.link is not None:
                    contact_id, record_id = write.link
                    conn.execute(_LINK, {"link_contact": contact_id, "link_record": record_id})
                logged.append(
                    None if write.contact is None else _log_in(conn, write.contact, now, ())
                )
            return logged
        finally:
            if short:  # the connection goes back to the pool: restore its wait
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


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
    with translated("read the thread"), engine.connect() as conn:
        return list(reversed(conn.execute(statement).scalars().all()))
