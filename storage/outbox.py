"""The outbox: approved replies waiting to be sent, claimed by one worker at a time.

A row is written as `pending` when a clerk approves a draft (`storage.drafts`), with its
Message-ID fixed then. A sender claims due rows (`pending` -> `sending`), tries each
once, and marks it `sent`, back to `pending` with a later `next_attempt_at` (a temporary
failure), or `failed` (a permanent one, with the server's answer). A claim left in
`sending` by a worker that died goes back to `pending` after a timeout.

Claiming is one UPDATE over a sub-select: on PostgreSQL the sub-select takes its rows
`FOR UPDATE SKIP LOCKED`, so workers sharing the database never claim the same row; on
SQLite the single statement is atomic because SQLite has one writer at a time.

Exactly once per approval, as far as mail allows: a worker that dies after the server
accepted a message but before `mark_sent` leaves a claim that is reclaimed and sent again,
with the same Message-ID, so the receiving side can tell it is the same message.

A letter is re-checked on the day it would go: a pending row whose draft states a date
that has passed (`draft.valid_until`) is never claimed. `return_stale` marks it `stale`
and puts its draft back in the queue for a new letter, in one transaction, so a row is
either sent or returned, never both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import make_msgid
from typing import Any

from sqlalchemy import Connection, Engine, Table, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lookup.keys import email_key
from storage.audit import audit
from storage.dates import long_date
from storage.errors import StorageError, translated
from storage.follow_ups import note_sent_in
from storage.tables import (
    Channel,
    Contact,
    Direction,
    Draft,
    DraftState,
    OutboxMessage,
    OutboxState,
)

_OUTBOX: Table = OutboxMessage.__table__  # type: ignore[attr-defined]
_DRAFT: Table = Draft.__table__  # type: ignore[attr-defined]
_CONTACT: Table = Contact.__table__  # type: ignore[attr-defined]

# Marks the Message-IDs we make, so a copy of our own mail coming back is recognised.
OWN_MESSAGE_ID_TAG = "enquiry-desk"

# Temporary failures are retried after 1, 2, 4 ... minutes, at most an hour apart; after
# this many attempts (about half a day) the message is failed for a clerk to look at.
MAX_ATTEMPTS = 16
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)

# The server's answer is kept for the clerk; a few lines are plenty.
_ERROR_CHARS = 2000


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """One claimed outbox row: what to send, and the how-many-th attempt this is."""

    id: int
    draft_id: int | None
    recipient: str
    subject: str | None
    body: str
    message_id: str
    in_reply_to: str | None
    references: tuple[str, ...]
    attempt: int


def new_message_id(mail_from: str | None) -> str:
    """A Message-ID for a reply from `mail_from`, in our recognisable form."""
    domain = (mail_from or "").rpartition("@")[2].strip(" <>") or "enquiry-desk.invalid"
    return make_msgid(idstring=OWN_MESSAGE_ID_TAG, domain=domain)


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after the `attempt`-th try failed for a temporary reason."""
    doublings = min(max(attempt - 1, 0), 12)
    delay: timedelta = FIRST_RETRY * (2**doublings)
    return min(delay, LONGEST_RETRY)


def claim_due(
    engine: Engine,
    *,
    now: datetime,
    worker: str,
    limit: int = 20,
    today: date | None = None,
) -> list[OutgoingMail]:
    """Claim up to `limit` e-mails due for sending at `now` for `worker`, oldest first.

    Given `today`, a row whose draft states a date before it is left alone, for
    `return_stale`: it must not go out.
    """
    conditions = [
        _OUTBOX.c.state == OutboxState.PENDING,
        _OUTBOX.c.channel == Channel.EMAIL,
        or_(_OUTBOX.c.next_attempt_at.is_(None), _OUTBOX.c.next_attempt_at <= now),
    ]
    if today is not None:
        conditions.append(~exists().where(_stale_draft(today)))
    due = (
        select(_OUTBOX.c.id)
        .where(*conditions)
        .order_by(_OUTBOX.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )

    def claim(ids: Any) -> Any:
        return (
            update(_OUTBOX)
            .where(_OUTBOX.c.id.in_(ids), _OUTBOX.c.state == OutboxState.PENDING)
            .values(
                state=OutboxState.SENDING,
                claimed_by=worker[:128],
                claimed_at=now,
                attempts=_OUTBOX.c.attempts + 1,
            )
            .returning(
                _OUTBOX.c.id,
                _OUTBOX.c.draft_id,
                _OUTBOX.c.recipient,
                _OUTBOX.c.subject,
                _OUTBOX.c.body,
                _OUTBOX.c.message_id,
                _OUTBOX.c.in_reply_to,
                _OUTBOX.c.references,
                _OUTBOX.c.attempts,
            )
        )

    with translated("claim outbox messages"), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Not `IN (sub-select ... LIMIT)` in one statement: PostgreSQL may plan it as
            # a nested-loop semi join that runs the sub-select again for each row,
            # claiming far more than `limit`. Lock the ids, then claim exactly those;
            # the locks hold until this transaction commits.
            ids = list(conn.execute(due).scalars())
            rows = conn.execute(claim(ids)).all() if ids else []
        else:
            rows = conn.execute(claim(due.scalar_subquery())).all()
    claimed = [
        OutgoingMail(
            id=int(row.id),
            draft_id=row.draft_id,
            recipient=row.recipient,
            subject=row.subject,
            body=row.body,
            message_id=row.message_id,
            in_reply_to=row.in_reply_to,
            references=tuple((row.references or "").split()),
            attempt=int(row.attempts),
        )
        for row in rows
    ]
    return sorted(claimed, key=lambda mail: mail.id)


def _stale_draft(today: date) -> Any:
    return (_DRAFT.c.id == _OUTBOX.c.draft_id) & (_DRAFT.c.valid_until < today)


def return_stale(
    engine: Engine, *, today: date, now: datetime, worker: str, limit: int = 100
) -> list[int]:
    """Never send a pending row whose draft states a date before `today`: mark the row
    `stale` and put its draft back in the queue, with the reason, for a new letter.
    Returns the outbox ids returned.

    The row lets go of its draft (`draft_id` is unique on the outbox, and the new letter
    gets a row of its own when approved); the audit event keeps the link.
    """
    stale = (
        select(_OUTBOX.c.id, _OUTBOX.c.draft_id, _DRAFT.c.valid_until, _DRAFT.c.reason)
        .join(_DRAFT, _DRAFT.c.id == _OUTBOX.c.draft_id)
        .where(
            _OUTBOX.c.state == OutboxState.PENDING,
            _OUTBOX.c.channel == Channel.EMAIL,
            _DRAFT.c.valid_until < today,
        )
        .order_by(_OUTBOX.c.id)
        .limit(limit)
        # Only the outbox rows: a worker claiming others must not wait on their drafts.
        .with_for_update(skip_locked=True, of=_OUTBOX)
    )
    returned: list[int] = []
    with translated("return stale outbox messages"), engine.begin() as conn:
        for row in conn.execute(stale).all():
            why = (
                f"stale: the letter's date {long_date(row.valid_until)} has passed"
                " since it was approved"
            )
            changed = conn.execute(
                update(_OUTBOX)
                .where(_OUTBOX.c.id == row.id, _OUTBOX.c.state == OutboxState.PENDING)
                .values(
                    state=OutboxState.STALE,
                    draft_id=None,
                    last_error=why,
                    next_attempt_at=None,
                )
            ).rowcount
            if changed != 1:
                continue
            conn.execute(
                update(_DRAFT)
                .where(_DRAFT.c.id == row.draft_id, _DRAFT.c.state == DraftState.QUEUED)
                .values(
                    state=DraftState.DRAFTED,
                    reason=f"{why}; {row.reason}" if row.reason else why,
                    approved_by=None,
                    # A desk page opened on the queued draft is now out of date.
                    version=_DRAFT.c.version + 1,
                    updated_at=now,
                )
            )
            audit(
                conn,
                at=now,
                actor=f"outbox:{worker}",
                action="outbox.stale",
                entity="outbox",
                entity_id=int(row.id),
                detail={"draft_id": row.draft_id, "valid_until": row.valid_until.isoformat()},
            )
            returned.append(int(row.id))
    return returned


def reclaim_stale(engine: Engine, *, now: datetime, older_than: timedelta) -> int:
    """Put claims older than `older_than` (their worker died) back to pending; return how many."""
    with translated("reclaim outbox messages"), engine.begin() as conn:
        return conn.execute(
            update(_OUTBOX)
            .where(
                _OUTBOX.c.state == OutboxState.SENDING,
                _OUTBOX.c.claimed_at < now - older_than,
            )
            .values(state=OutboxState.PENDING, claimed_by=None, claimed_at=None)
        ).rowcount


def refresh_claim(engine: Engine, outbox_id: int, *, worker: str, now: datetime) -> bool:
    """Renew `worker`'s claim on `outbox_id` just before sending it; False when the claim
    is no longer this worker's (it went stale and another worker took the message, or it
    was sent): then this worker must not send it. The fence against sending twice."""
    with translated(f"renew the claim on outbox {outbox_id}"), engine.begin() as conn:
        return (
            conn.execute(
                update(_OUTBOX)
                .where(
                    _OUTBOX.c.id == outbox_id,
                    _OUTBOX.c.state == OutboxState.SENDING,
                    _OUTBOX.c.claimed_by == worker,
                )
                .values(claimed_at=now)
            ).rowcount
            == 1
        )


def mark_sent(engine: Engine, outbox_id: int, *, now: datetime, worker: str) -> bool:
    """Record that the server accepted message `outbox_id`: the outbox row, its draft and
    an outbound contact in one transaction. False when it was already marked sent."""
    with translated(f"mark outbox {outbox_id} sent"), engine.begin() as conn:
        row = conn.execute(
            update(_OUTBOX)
            .where(_OUTBOX.c.id == outbox_id, _OUTBOX.c.state != OutboxState.SENT)
            .values(
                state=OutboxState.SENT,
                sent_at=now,
                claimed_by=None,
                claimed_at=None,
                next_attempt_at=None,
                last_error=None,
            )
            .returning(
                _OUTBOX.c.draft_id,
                _OUTBOX.c.recipient,
                _OUTBOX.c.subject,
                _OUTBOX.c.body,
                _OUTBOX.c.message_id,
                _OUTBOX.c.in_reply_to,
                _OUTBOX.c.references,
                _OUTBOX.c.attempts,
            )
        ).one_or_none()
        if row is None:
            return False
        record_id = _set_draft_state(conn, row.draft_id, DraftState.SENT, now=now)
        note_sent_in(conn, row.draft_id, now=now, actor=f"outbox:{worker}")
        references = (row.references or "").split()
        _log_outbound(
            conn,
            {
                "channel": Channel.EMAIL,
                "direction": Direction.OUTBOUND,
                "channel_message_id": row.message_id,
                # The thread's root, as an inbound reply to this message will compute it.
                "thread_key": (references or [row.in_reply_to or row.message_id])[0],
                "in_reply_to": row.in_reply_to,
                "party": row.recipient,
                "party_key": email_key(row.recipient),
                "subject": row.subject,
                "text": row.body,
                "record_id": record_id,
                "received_at": now,
                "created_at": now,
            },
        )
        audit(
            conn,
            at=now,
            actor=f"outbox:{worker}",
            action="outbox.sent",
            entity="outbox",
            entity_id=outbox_id,
            detail={"draft_id": row.draft_id, "attempts": int(row.attempts)},
        )
        return True


def mark_retry(
    engine: Engine,
    outbox_id: int,
    *,
    now: datetime,
    worker: str,
    error: str,
    code: int | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> str:
    """A temporary failure: try again later, or fail the message once it has had
    `max_attempts` tries. Returns the state it is left in (`pending` or `failed`)."""
    with translated(f"reschedule outbox {outbox_id}"), engine.begin() as conn:
        attempts = conn.execute(
            select(_OUTBOX.c.attempts).where(_OUTBOX.c.id == outbox_id)
        ).scalar_one_or_none()
        if attempts is None:
            raise StorageError(f"outbox message {outbox_id} does not exist")
        if attempts >= max_attempts:
            _fail(conn, outbox_id, now=now, worker=worker, error=error, code=code)
            return OutboxState.FAILED
        conn.execute(
            update(_OUTBOX)
            .where(_OUTBOX.c.id == outbox_id, _OUTBOX.c.state == OutboxState.SENDING)
            .values(
                state=OutboxState.PENDING,
                next_attempt_at=now + retry_delay(int(attempts)),
                last_error=error[:_ERROR_CHARS],
                claimed_by=None,
                claimed_at=None,
            )
        )
        audit(
            conn,
            at=now,
            actor=f"outbox:{worker}",
            action="outbox.retry",
            entity="outbox",
            entity_id=outbox_id,
            detail={"attempts": int(attempts), "code": code},
        )
        return OutboxState.PENDING


def mark_failed(
    engine: Engine,
    outbox_id: int,
    *,
    now: datetime,
    worker: str,
    error: str,
    code: int | None = None,
) -> None:
    """A permanent failure: the server's answer is kept and the draft is failed."""
    with translated(f"fail outbox {outbox_id}"), engine.begin() as conn:
        _fail(conn, outbox_id, now=now, worker=worker, error=error, code=code)


@dataclass(frozen=True, slots=True)
class SendingClaim:
    """An outbox row some worker has claimed and not yet settled."""

    outbox_id: int
    worker: str | None  # `host:pid` of the claiming worker


def sending_claims(engine: Engine) -> list[SendingClaim]:
    """Every claim now in `sending`, oldest row first, for telling live workers from dead."""
    with translated("read the outbox claims"), engine.connect() as conn:
        rows = conn.execute(
            select(_OUTBOX.c.id, _OUTBOX.c.claimed_by)
            .where(_OUTBOX.c.state == OutboxState.SENDING)
            .order_by(_OUTBOX.c.id)
        ).all()
    return [SendingClaim(int(row.id), row.claimed_by) for row in rows]


def release(engine: Engine, outbox_ids: Sequence[int]) -> None:
    """Hand claims back untried (the worker is stopping, or could not reach the server at
    all): pending again at once, the attempt not counted."""
    if not outbox_ids:
        return
    with translated("release outbox claims"), engine.begin() as conn:
        conn.execute(
            update(_OUTBOX)
            .where(_OUTBOX.c.id.in_(list(outbox_ids)), _OUTBOX.c.state == OutboxState.SENDING)
            .values(
                state=OutboxState.PENDING,
                attempts=_OUTBOX.c.attempts - 1,
                claimed_by=None,
                claimed_at=None,
            )
        )


def _fail(
    conn: Connection, outbox_id: int, *, now: datetime, worker: str, error: str, code: int | None
) -> None:
    draft_id = conn.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == outbox_id, _OUTBOX.c.state != OutboxState.SENT)
        .values(
            state=OutboxState.FAILED,
            last_error=error[:_ERROR_CHARS],
            next_attempt_at=None,
            claimed_by=None,
            claimed_at=None,
        )
        .returning(_OUTBOX.c.draft_id)
    ).scalar_one_or_none()
    _set_draft_state(conn, draft_id, DraftState.FAILED, now=now)
    audit(
        conn,
        at=now,
        actor=f"outbox:{worker}",
        action="outbox.failed",
        entity="outbox",
        entity_id=outbox_id,
        # The code only: the server's text may quote the recipient's address.
        detail={"draft_id": draft_id, "code": code},
    )


def _set_draft_state(
    conn: Connection, draft_id: int | None, state: str, *, now: datetime
) -> int | None:
    """Move the draft to `state`; return its record id (None without a draft)."""
    if draft_id is None:
        return None
    record_id = conn.execute(
        update(_DRAFT)
        .where(_DRAFT.c.id == draft_id)
        .values(state=state, updated_at=now)
        .returning(_DRAFT.c.record_id)
    ).scalar_one_or_none()
    return None if record_id is None else int(record_id)


def _log_outbound(conn: Connection, values: dict[str, Any]) -> None:
    # Idempotent on (channel, Message-ID) like every contact, in the caller's transaction.
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(
        insert(_CONTACT)
        .values(values)
        .on_conflict_do_nothing(index_elements=["channel", "channel_message_id"])
    )
