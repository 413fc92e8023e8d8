"""The contact log: every message in or out, logged once by its channel's own id.

Adapters call `log_contact` before doing anything else with a message. Logging the same
message twice (a redelivery, a restart after a crash) returns the first entry, so the
caller can tell it has seen the message and skip it. For mail the id is the Message-ID
with a hash of the content (`content_key`): a different message that reuses an ID is
logged as its own contact, flagged, never dropped as a redelivery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
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
from storage.errors import StorageError, translated
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
    content_key: str = ""


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
        content_key=enquiry.content_key,
    )


@dataclass(frozen=True, slots=True)
class LoggedContact:
    id: int
    is_new: bool
    # The flag a new entry was logged with, when storage set it (a reused Message-ID).
    flag: Flag | None = None


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
_FIND = select(_CONTACT.c.id, _CONTACT.c.content_key).where(
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
        "content_key": contact.content_key,
        "received_at": contact.received_at,
        "created_at": now,
    }


def reused_id(message_id: str, content_key: str) -> str:
    """The id a different message under an already logged Message-ID is logged as: the
    ID with part of its content key after the closing bracket, where no Message-ID has
    anything (RFC 5322 3.6.4), so `message_id_of` gets the real one back for threading."""
    # The column holds 998 characters; an ID that long is cut so its suffix still fits.
    return f"{message_id[: 998 - 33]}#{content_key[:32]}"


def message_id_of(channel_message_id: str) -> str:
    """The Message-ID a contact was sent with (a reused one's suffix taken off)."""
    end = channel_message_id.rfind(">")
    return channel_message_id[: end + 1] if end >= 0 else channel_message_id


def _log_in(
    conn: Connection, contact: NewContact, now: datetime, attachments: Sequence[Attachment]
) -> LoggedContact:
    row_to_log = contact
    if contact.content_key:
        # Mail: the same ID with the same content (or a row logged before content keys,
        # migration 0010) is a redelivery; the same ID with other content is another
        # message, logged under its own id and flagged for a clerk.
        first = _find(conn, contact.channel, contact.channel_message_id)
        if first is not None:
            if first.content_key in ("", contact.content_key):
                return LoggedContact(id=int(first.id), is_new=False)
            own_id = reused_id(contact.channel_message_id, contact.content_key)
            again = _find(conn, contact.channel, own_id)
            if again is not None:
                return LoggedContact(id=int(again.id), is_new=False)
            reason = "a different message under a Message-ID already logged"
            row_to_log = replace(
                contact,
                channel_message_id=own_id,
                flag=contact.flag or Flag.REUSED_MESSAGE_ID,
                flag_reason="; ".join(r for r in (contact.flag_reason, reason) if r),
            )
    insert = _INSERT["postgresql" if conn.dialect.name == "postgresql" else "sqlite"]
    new_id = conn.execute(insert, _row(row_to_log, now)).scalar_one_or_none()
    if new_id is not None:
        record_attachments_in(conn, int(new_id), attachments)
        flag = row_to_log.flag if row_to_log.flag is not contact.flag else None
        return LoggedContact(id=int(new_id), is_new=True, flag=flag)
    # Another worker logged this very message a moment ago.
    existing = _find(conn, row_to_log.channel, row_to_log.channel_message_id)
    if existing is None:
        raise StorageError("the contact was neither logged nor found")
    return LoggedContact(id=int(existing.id), is_new=False)


def _find(conn: Connection, channel: str, message_id: str) -> Any:
    return conn.execute(_FIND, {"find_channel": channel, "find_message_id": message_id}).first()


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
