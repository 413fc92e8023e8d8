"""The SQLModel tables. They stay inside `storage/`; other packages get plain values.

Every schema change goes through an Alembic migration in `storage/migrations/versions`;
`tests/storage/test_migrations.py` fails when these classes and the migrations disagree.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

# Defined at the bottom of the tree (the composer and the adapters name them too) and
# re-exported here, where the columns that keep them are.
from lookup.channels import Channel as Channel
from lookup.keys import END
from lookup.routes import DraftRoute as DraftRoute
from storage.types import UTCDateTime

# Named constraints let Alembic alter them later, SQLite's batch mode included.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _utc(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_type=UTCDateTime, nullable=nullable, index=index)


def _fk(target: str, *, nullable: bool, ondelete: str, index: bool = True) -> Any:
    return Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index
        ),
    )


class Direction(StrEnum):
    INBOUND = "in"
    OUTBOUND = "out"


class DraftState(StrEnum):
    DRAFTED = "drafted"
    EDITED = "edited"
    APPROVED = "approved"
    QUEUED = "queued"
    SENT = "sent"
    REJECTED = "rejected"
    FAILED = "failed"


class DraftPurpose(StrEnum):
    """Why a draft was written."""

    REPLY = "reply"  # to an enquiry
    STATUS_UPDATE = "status_update"  # after an import changed the record the writer asked about


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # Its draft's stated date passed before it went out: never sent, the draft is back
    # in the queue for a new letter (which gets a new outbox row when approved).
    STALE = "stale"
    # The approving clerk took it back within the hold after approval: never sent.
    WITHDRAWN = "withdrawn"


class ImportRun(SQLModel, table=True):
    """One run of `enquiry-desk records import`: what file, when, and what it did."""

    __tablename__ = "import_run"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=1024)
    file_format: str = Field(max_length=16)
    actor: str = Field(max_length=128)
    started_at: datetime = _utc()
    finished_at: datetime | None = _utc(nullable=True)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    unknown_status: int = 0


# The last `lookup.keys.END` characters of a folded reference, written the same way in
# the index and in the look-up (storage.record_lookup): both databases use an expression
# index only for a query that repeats its expression. Valid on SQLite and PostgreSQL.
REF_END = f"substr(ref_fold, length(ref_fold) - {END - 1})"


class Record(SQLModel, table=True):
    """A ticket or case record from a system of record, one row per (kind, reference).

    The `*_key` columns hold the normalised forms from `lookup.keys`; they, not the
    display columns, are indexed and used for candidate look-ups.
    """

    __tablename__ = "record"
    __table_args__ = (
        UniqueConstraint("kind", "ref_key"),
        Index(None, "surname_key", "dob"),
        # Blocking for references with a typo: each block index also carries the folded
        # reference, so candidates are found and compared from the index alone, and an
        # exact folded reference is found through its leading block.
        Index("ix_record_ref_head_fold", "ref_head", "ref_fold"),
        Index("ix_record_ref_tail_fold", "ref_tail", "ref_fold"),
        # A leading block can hold tens of thousands of references; its last characters
        # narrow it to the few a typo can be (lookup.keys.head_block_keys).
        Index("ix_record_ref_head_end", "ref_head", text(REF_END), "ref_fold"),
        # Blocking by name and date of birth for names written with typos, phonetic
        # spellings, swapped or in part (lookup.keys.name_code; migration 0008): either
        # name's code with the date of birth or one of its near forms.
        Index(None, "surname_code", "dob"),
        Index(None, "forename_code", "dob"),
        # Both names' codes together, for a date of birth wrong beyond its near forms or
        # not given (migration 0009); the date of birth last, so a year is a range.
        Index(None, "surname_code", "forename_code", "dob"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    reference: str = Field(max_length=64)
    ref_key: str = Field(max_length=64)
    ref_fold: str = Field(max_length=64)
    ref_head: str = Field(max_length=8)
    ref_tail: str = Field(max_length=8)
    status: str | None = Field(default=None, max_length=64)
    status_known: bool = True
    status_date: date | None = None
    offence_date: date | None = None
    offence_code: str | None = Field(default=None, max_length=32)
    offence: str | None = None
    location: str | None = None
    vrm: str | None = Field(default=None, max_length=32)
    vrm_key: str | None = Field(default=None, max_length=32)
    vrm_fold: str | None = Field(default=None, max_length=32, index=True)
    surname: str | None = None
    surname_key: str | None = None
    surname_code: str | None = Field(default=None, max_length=8)
    forenames: str | None = None
    forename_code: str | None = Field(default=None, max_length=8)
    dob: date | None = Field(default=None, index=True)
    postcode: str | None = Field(default=None, max_length=16)
    postcode_key: str | None = Field(default=None, max_length=16, index=True)
    address: str | None = None
    email: str | None = None
    email_key: str | None = Field(default=None, index=True)
    phone: str | None = Field(default=None, max_length=64)
    amount_pence: int | None = None
    due_date: date | None = None
    court: str | None = None
    hearing_date: date | None = None
    urn: str | None = Field(default=None, max_length=32)
    officer: str | None = Field(default=None, max_length=32)
    outcome: str | None = None
    source_updated_at: datetime | None = _utc(nullable=True)
    extra: dict[str, str] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    content_hash: str = Field(max_length=32)
    import_run_id: int | None = _fk(
        "import_run.id", nullable=True, ondelete="SET NULL", index=False
    )
    import_line: int | None = None
    created_at: datetime = _utc()
    modified_at: datetime = _utc()


class RecordStatusEvent(SQLModel, table=True):
    """A record's status changed on import; the status-update watcher reads these.

    `checked_at` is set when the watcher has dealt with the event (migration 0011). It
    reads the unchecked ones, not those above the highest id it has seen: on PostgreSQL a
    slower import's transaction can commit a lower id after a higher one is visible.
    """

    __tablename__ = "record_status_event"

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = _fk("record.id", nullable=False, ondelete="CASCADE")
    old_status: str | None = Field(default=None, max_length=64)
    new_status: str | None = Field(default=None, max_length=64)
    status_date: date | None = None
    import_run_id: int | None = _fk(
        "import_run.id", nullable=True, ondelete="SET NULL", index=False
    )
    recorded_at: datetime = _utc(index=True)
    checked_at: datetime | None = _utc(nullable=True, index=True)


class Contact(SQLModel, table=True):
    """Every inbound and outbound contact on every channel.

    `(channel, channel_message_id)` is unique: an adapter logs a message under the id
    its channel gave it (an email's Message-ID, a Slack event id), so a redelivery is
    recognised instead of doubled. For mail, `content_key` (a hash of what the message
    says) tells a different message that reuses a Message-ID apart: it is logged under
    the ID with its key appended (`storage.contact_log`, migration 0010). Chat contacts
    keep the empty key.
    """

    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("channel", "channel_message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    direction: str = Field(max_length=8)
    channel_message_id: str = Field(max_length=998)
    thread_key: str | None = Field(default=None, max_length=998, index=True)
    in_reply_to: str | None = Field(default=None, max_length=998)
    party: str = Field(max_length=320)
    party_key: str = Field(max_length=320, index=True)
    subject: str | None = None
    text: str = ""
    quoted_text: str | None = None
    record_id: int | None = _fk("record.id", nullable=True, ondelete="SET NULL")
    flag: str | None = Field(default=None, max_length=64)
    flag_reason: str | None = None
    content_key: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    received_at: datetime = _utc(index=True)
    created_at: datetime = _utc()


class Draft(SQLModel, table=True):
    """A reply or status update drafted for an enquiry, through its approval lifecycle."""

    __tablename__ = "draft"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = _fk("contact.id", nullable=False, ondelete="CASCADE")
    record_id: int | None = _fk("record.id", nullable=True, ondelete="SET NULL")
    state: str = Field(default=DraftState.DRAFTED, max_length=16, index=True)
    route: str = Field(default=DraftRoute.CLERK, max_length=16)
    purpose: str = Field(default=DraftPurpose.REPLY, max_length=16)
    recipient: str | None = Field(default=None, max_length=320)
    status_event_id: int | None = _fk(
        "record_status_event.id", nullable=True, ondelete="SET NULL", index=False
    )
    # The match behind the draft (reasons, candidates, score), shown to the clerk.
    decision: dict[str, Any] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    # A clerk who opened the draft on the desk holds it until claimed_at is stale.
    claimed_by: str | None = Field(default=None, max_length=128)
    claimed_at: datetime | None = _utc(nullable=True)
    intents: list[str] = Field(default_factory=list, sa_type=JSON)
    verified: bool = False
    subject: str | None = None
    body: str = ""
    reply_due: date | None = Field(default=None, index=True)
    reason: str | None = None
    # Why the enquiry is urgent (responses.urgency's fixed words, never the writer's), or
    # None; urgent drafts head the queue.
    urgent: str | None = Field(default=None, max_length=64)
    # The earliest date the letter states as a deadline (a step's last day, a hearing),
    # or None. Approval refuses and the sender returns to the queue a draft whose date
    # has passed: the letter would tell the writer of a step already closed.
    valid_until: date | None = None
    # The date a holding reply promises the real answer by ("we will reply by ..."), or
    # None when the letter promises nothing; sending it opens a `FollowUp` due then.
    reply_promised: date | None = None
    created_by: str = Field(max_length=128)
    edited_by: str | None = Field(default=None, max_length=128)
    approved_by: str | None = Field(default=None, max_length=128)
    version: int = 1
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class OutboxMessage(SQLModel, table=True):
    """A message waiting to go out, sent exactly once per approved draft.

    `message_id` is fixed when the draft is approved, so a retry after a crash sends the
    same Message-ID and the receiving side can recognise a duplicate.
    """

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("draft.id", ondelete="SET NULL"), nullable=True, unique=True
        ),
    )
    channel: str = Field(max_length=16)
    recipient: str = Field(max_length=320)
    subject: str | None = None
    body: str = ""
    message_id: str = Field(max_length=998, unique=True)
    in_reply_to: str | None = Field(default=None, max_length=998)
    references: str | None = None
    state: str = Field(default=OutboxState.PENDING, max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: datetime | None = _utc(nullable=True, index=True)
    last_error: str | None = None
    claimed_by: str | None = Field(default=None, max_length=128)
    claimed_at: datetime | None = _utc(nullable=True)
    sent_at: datetime | None = _utc(nullable=True)
    created_at: datetime = _utc()


class FollowUp(SQLModel, table=True):
    """A holding reply's promise ("we will reply by ..."), due on the promised date.

    A table of its own rather than columns on `draft` or `contact`: a contact can be held
    more than once, and each promise keeps when it was opened and which sent reply
    closed it. One row per holding draft (`draft_id` unique), so a sender that marks the
    same draft sent twice cannot open two.
    """

    __tablename__ = "follow_up"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = _fk("contact.id", nullable=False, ondelete="CASCADE")
    draft_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("draft.id", ondelete="CASCADE"), nullable=False, unique=True
        ),
    )
    due: date = Field(index=True)
    opened_at: datetime = _utc()
    closed_at: datetime | None = _utc(nullable=True)
    closed_by_draft_id: int | None = _fk(
        "draft.id", nullable=True, ondelete="SET NULL", index=False
    )


class AuditEvent(SQLModel, table=True):
    """Who did what, when: imports, approvals, edits, sends, purges."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc(index=True)
    actor: str = Field(max_length=128)
    action: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    detail: dict[str, Any] | None = Field(default=None, sa_type=JSON(none_as_null=True))


class MailboxState(SQLModel, table=True):
    """How far the IMAP source has read one folder of one account.

    IMAP UIDs mean something only under the folder's UIDVALIDITY (RFC 3501, 2.3.1.1); when
    the server changes it, every UID is new and `last_uid` starts again from nothing.
    """

    __tablename__ = "mailbox_state"
    __table_args__ = (UniqueConstraint("account", "folder"),)

    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=512)
    folder: str = Field(max_length=512)
    # Both are unsigned 32-bit numbers in IMAP, beyond a signed INTEGER.
    uidvalidity: int = Field(sa_type=BigInteger)
    last_uid: int = Field(default=0, sa_type=BigInteger)
    updated_at: datetime = _utc()


class ContactAttachment(SQLModel, table=True):
    """An attachment of an inbound contact: what it was, and where a kept copy lies.

    `position` is its place in the message, unique per contact, so recording the same
    message's attachments again (a redelivery) adds nothing.
    """

    __tablename__ = "contact_attachment"
    __table_args__ = (UniqueConstraint("contact_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = _fk("contact.id", nullable=False, ondelete="CASCADE", index=False)
    position: int
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=255)
    size: int = Field(sa_type=BigInteger)
    sha256: str = Field(max_length=64, index=True)
    # Relative to the attachments folder; None when the file was over the size limit.
    stored_path: str | None = Field(default=None, max_length=1024)


class DeskUser(SQLModel, table=True):
    """A review desk account: a clerk, a supervisor or an administrator.

    Only an argon2 hash of the password is kept; `active` false signs the account out
    everywhere without losing who did what under that name in the audit trail.
    """

    __tablename__ = "desk_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=16)
    password_hash: str = Field(max_length=255)
    active: bool = True
    created_at: datetime = _utc()
    last_sign_in_at: datetime | None = _utc(nullable=True)


class DeskSession(SQLModel, table=True):
    """A signed-in browser. The cookie carries a random token; only its SHA-256 is kept,
    so a copy of the database signs nobody in."""

    __tablename__ = "desk_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = _fk("desk_user.id", nullable=False, ondelete="CASCADE")
    csrf_token: str = Field(max_length=64)
    created_at: datetime = _utc()
    last_seen_at: datetime = _utc()


class SignInFailure(SQLModel, table=True):
    """A failed sign-in, counted per account name and per address to slow down guessing."""

    __tablename__ = "desk_sign_in_failure"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc(index=True)
    name_key: str = Field(max_length=64, index=True)
    address: str = Field(max_length=64, index=True)
