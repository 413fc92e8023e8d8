"""Drafts through their lifecycle: drafted, edited, approved and queued, sent, rejected, failed.

Every change is one conditional UPDATE (`WHERE state IN ... AND version = ...`), so two
clerks acting on one draft at once cannot both win: the second finds no row to change and
gets `DraftConflict`. Every change is audited in the same transaction, with who and when.

Approving an e-mail draft puts it in the outbox in that same transaction, with its
Message-ID fixed there and then: the sender may retry, but one approval is one message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, case, func, insert, select, update

from storage import draft_rules
from storage.audit import audit
from storage.contact_log import message_id_of
from storage.dates import long_date
from storage.errors import StorageError, translated
from storage.outbox import new_message_id
from storage.saved_match import SavedMatch, saved_match
from storage.tables import (
    AuditEvent,
    Channel,
    Contact,
    Draft,
    DraftPurpose,
    DraftRoute,
    DraftState,
    OutboxMessage,
    OutboxState,
)

_DRAFT: Table = Draft.__table__  # type: ignore[attr-defined]
_CONTACT: Table = Contact.__table__  # type: ignore[attr-defined]
_OUTBOX: Table = OutboxMessage.__table__  # type: ignore[attr-defined]

# Drafts a clerk still has to act on.
OPEN_STATES: tuple[str, ...] = (DraftState.DRAFTED, DraftState.EDITED)

# How the sender's reason for returning a draft begins (storage.outbox.return_stale).
STALE_PREFIX = "stale: "


class DraftError(StorageError):
    """A draft action that cannot be done; the message says why, for the clerk."""

    def __init__(self, draft_id: int, reason: str) -> None:
        super().__init__(f"draft {draft_id}: {reason}")
        self.draft_id = draft_id
        self.reason = reason


class DraftNotFound(DraftError):
    def __init__(self, draft_id: int) -> None:
        super().__init__(draft_id, "no such draft")


class DraftConflict(DraftError):
    """Someone else acted first, or the draft is no longer in a state that allows this."""


class DraftRuleBroken(DraftError):
    """A rule of the office forbids this action (maker-checker, a reason is required)."""


class DraftStale(DraftError):
    """The letter states a date (a step's last day, a hearing) that has passed since it
    was written: sending it would tell the writer of a step already closed."""

    def __init__(self, draft_id: int, valid_until: date) -> None:
        super().__init__(
            draft_id,
            f"the letter states a date that has passed ({long_date(valid_until)}): redraft it",
        )
        self.valid_until = valid_until


class DraftTaken(DraftError):
    """Another clerk has the draft open."""

    def __init__(self, draft_id: int, holder: str) -> None:
        super().__init__(draft_id, f"{holder} is working on it")
        self.holder = holder


@dataclass(frozen=True, slots=True)
class NewDraft:
    contact_id: int
    body: str
    created_by: str
    record_id: int | None = None
    purpose: DraftPurpose = DraftPurpose.REPLY
    route: DraftRoute = DraftRoute.CLERK
    intents: tuple[str, ...] = ()
    verified: bool = False
    subject: str | None = None
    recipient: str | None = None
    reply_due: date | None = None
    reason: str | None = None  # why a clerk must look (held: complaint, intent unclear...)
    decision: SavedMatch | None = None  # the match behind the draft, shown to the clerk
    status_event_id: int | None = None
    urgent: str | None = None  # why it is urgent, in fixed words; None when it is not
    valid_until: date | None = None  # the earliest date the letter states as a deadline
    reply_promised: date | None = None  # the date a holding reply promises an answer by


@dataclass(frozen=True, slots=True)
class DraftView:
    id: int
    contact_id: int
    record_id: int | None
    state: str
    route: DraftRoute
    purpose: DraftPurpose
    intents: tuple[str, ...]
    verified: bool
    subject: str | None
    body: str
    recipient: str | None
    reply_due: date | None
    reason: str | None
    decision: SavedMatch | None
    status_event_id: int | None
    created_by: str
    edited_by: str | None
    approved_by: str | None
    claimed_by: str | None
    claimed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    urgent: str | None = None
    valid_until: date | None = None
    reply_promised: date | None = None

    def is_stale(self, today: date) -> bool:
        """The letter states a date before `today`: it must be redrafted, not sent."""
        return self.valid_until is not None and self.valid_until < today

    def is_overdue(self, today: date) -> bool:
        return self.state in OPEN_STATES and self.reply_due is not None and self.reply_due < today


def _view(row: Any) -> DraftView:
    values = dict(row._mapping)
    values["intents"] = tuple(values["intents"] or ())
    values["route"] = DraftRoute(values["route"])
    values["purpose"] = DraftPurpose(values["purpose"])
    values["decision"] = saved_match(values["decision"])
    return DraftView(**values)


_COLUMNS = tuple(_DRAFT.c[name] for name in DraftView.__dataclass_fields__)


def create_draft(engine: Engine, new: NewDraft, *, now: datetime) -> int:
    with translated("save a draft"), engine.begin() as conn:
        return create_draft_in(conn, new, now=now)


def create_draft_in(conn: Connection, new: NewDraft, *, now: datetime) -> int:
    """`create_draft` inside the caller's transaction. The contact is marked as about the
    draft's record in the same transaction: one commit, not two, per enquiry."""
    if new.record_id is not None:
        conn.execute(
            update(_CONTACT)
            .where(_CONTACT.c.id == new.contact_id, _CONTACT.c.record_id.is_(None))
            .values(record_id=new.record_id)
        )
    draft_id = conn.execute(
        insert(_DRAFT)
        .values(
            contact_id=new.contact_id,
            record_id=new.record_id,
            state=DraftState.DRAFTED,
            route=new.route,
            purpose=new.purpose,
            intents=list(new.intents),
            verified=new.verified,
            subject=new.subject,
            body=new.body,
            recipient=new.recipient,
            reply_due=new.reply_due,
            reason=new.reason,
            decision=None if new.decision is None else new.decision.to_json(),
            status_event_id=new.status_event_id,
            urgent=new.urgent,
            valid_until=new.valid_until,
            reply_promised=new.reply_promised,
            created_by=new.created_by,
            version=1,
            created_at=now,
            updated_at=now,
        )
        .returning(_DRAFT.c.id)
    ).scalar_one()
    audit(
        conn,
        at=now,
        actor=new.created_by,
        action="draft.created",
        entity="draft",
        entity_id=draft_id,
        detail={"purpose": new.purpose, "contact_id": new.contact_id},
    )
    return int(draft_id)


def get_draft(engine: Engine, draft_id: int) -> DraftView:
    with translated(f"read draft {draft_id}"), engine.connect() as conn:
        return _get(conn, draft_id)


def _get(conn: Connection, draft_id: int) -> DraftView:
    row = conn.execute(select(*_COLUMNS).where(_DRAFT.c.id == draft_id)).one_or_none()
    if row is None:
        raise DraftNotFound(draft_id)
    return _view(row)


def list_drafts(
    engine: Engine,
    *,
    states: Sequence[str] = OPEN_STATES,
    limit: int = 100,
    offset: int = 0,
) -> list[DraftView]:
    """Drafts in `states`: urgent ones first, then the one due soonest (those with no due
    date last)."""
    statement = (
        select(*_COLUMNS)
        .where(_DRAFT.c.state.in_(states))
        .order_by(
            case((_DRAFT.c.urgent.is_(None), 1), else_=0),
            case((_DRAFT.c.reply_due.is_(None), 1), else_=0),
            _DRAFT.c.reply_due,
            _DRAFT.c.id,
        )
        .limit(limit)
        .offset(offset)
    )
    with translated("list drafts"), engine.connect() as conn:
        return [_view(row) for row in conn.execute(statement)]


def count_drafts(engine: Engine, *, states: Sequence[str] = OPEN_STATES) -> int:
    statement = select(func.count()).select_from(_DRAFT).where(_DRAFT.c.state.in_(states))
    with translated("count drafts"), engine.connect() as conn:
        return int(conn.execute(statement).scalar_one())


def _change(
    engine: Engine,
    draft_id: int,
    *,
    allowed: Sequence[str],
    expected_version: int | None,
    values: dict[str, Any],
    actor: str,
    action: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
    check: Any = None,
    then: Any = None,
) -> DraftView:
    """Apply one guarded change: fail cleanly if the draft is gone, moved on, or newer
    than the version the clerk saw."""
    with translated(f"change draft {draft_id}"), engine.begin() as conn:
        current = _get(conn, draft_id)
        if current.state not in allowed:
            raise DraftConflict(draft_id, f"it is already {current.state}")
        if expected_version is not None and current.version != expected_version:
            raise DraftConflict(draft_id, "it was changed since you opened it; reload it")
        if check is not None:
            check(current)
        changed = conn.execute(
            update(_DRAFT)
            .where(
                _DRAFT.c.id == draft_id,
                _DRAFT.c.state.in_(allowed),
                _DRAFT.c.version == current.version,
            )
            .values(**values, version=_DRAFT.c.version + 1, updated_at=now)
        ).rowcount
        if changed != 1:
            raise DraftConflict(draft_id, "someone else acted on it first")
        audit(
            conn,
            at=now,
            actor=actor,
            action=action,
            entity="draft",
            entity_id=draft_id,
            detail=detail,
        )
        if then is not None:
            then(conn, current)
        return _get(conn, draft_id)


def edit_draft(
    engine: Engine,
    draft_id: int,
    *,
    body: str,
    actor: str,
    now: datetime,
    subject: str | None = None,
    expected_version: int | None = None,
) -> DraftView:
    values: dict[str, Any] = {"body": body, "state": DraftState.EDITED, "edited_by": actor}
    if subject is not None:
        values["subject"] = subject
    return _change(
        engine,
        draft_id,
        allowed=OPEN_STATES,
        expected_version=expected_version,
        values=values,
        actor=actor,
        action="draft.edited",
        now=now,
    )


_AUDIT: Table = AuditEvent.__table__  # type: ignore[attr-defined]


def draft_editors(engine: Engine, draft_id: int) -> set[str]:
    """Everyone who edited the draft's text since it was last written afresh (from the
    audit trail: its edits after its latest re-match)."""
    about = (_AUDIT.c.entity == "draft") & (_AUDIT.c.entity_id == draft_id)
    with translated(f"read who edited draft {draft_id}"), engine.connect() as conn:
        rewritten = conn.execute(
            select(func.max(_AUDIT.c.id)).where(about, _AUDIT.c.action == "draft.rematched")
        ).scalar_one_or_none()
        edits = select(_AUDIT.c.actor).where(about, _AUDIT.c.action == "draft.edited")
        if rewritten is not None:
            edits = edits.where(_AUDIT.c.id > rewritten)
        return set(conn.execute(edits).scalars())


def approve_draft(
    engine: Engine,
    draft_id: int,
    *,
    actor: str,
    now: datetime,
    mail_from: str,
    maker_checker: bool,
    expected_version: int | None = None,
    hold: timedelta = timedelta(0),
) -> DraftView:
    """Approve and queue for sending: the outbox row, with its Message-ID, is written in
    the same transaction as the approval. It is not due until `hold` has passed, so the
    clerk can still take it back (`undo_approval`)."""

    editors = draft_editors(engine, draft_id)

    def check(current: DraftView) -> None:
        everyone = editors | ({current.edited_by} if current.edited_by else set())
        if not draft_rules.may_approve(actor=actor, editors=everyone, maker_checker=maker_checker):
            raise DraftRuleBroken(draft_id, "you edited this draft; another clerk must approve it")
        if not current.recipient:
            raise DraftRuleBroken(draft_id, "it has no recipient to send to")
        if not current.body.strip():
            raise DraftRuleBroken(draft_id, "it has no text; write the reply first")
        # The clerk's own day, as the queue reckons it (`now.date()`): a date stated in
        # the letter that is already behind us would offer a step that has closed.
        if current.valid_until is not None and current.is_stale(now.date()):
            raise DraftStale(draft_id, current.valid_until)
        if current.route == DraftRoute.PARTNER and current.edited_by is None:
            # The text is a note to the clerk about a partner's mail, not a reply: it
            # must never reach the partner as written.
            raise DraftRuleBroken(
                draft_id,
                "it is a note about a partner's mail, not a reply; write the reply first",
            )

    def queue(conn: Connection, current: DraftView) -> None:
        original = conn.execute(
            select(_CONTACT.c.channel_message_id, _CONTACT.c.thread_key, _CONTACT.c.channel).where(
                _CONTACT.c.id == current.contact_id
            )
        ).one()
        in_reply_to = (
            message_id_of(original.channel_message_id)
            if original.channel == Channel.EMAIL
            else None
        )
        thread = [m for m in (original.thread_key, in_reply_to) if m]
        conn.execute(
            insert(_OUTBOX).values(
                draft_id=draft_id,
                channel=Channel.EMAIL,
                recipient=current.recipient,
                subject=current.subject,
                body=current.body,
                message_id=new_message_id(mail_from),
                in_reply_to=in_reply_to,
                references=" ".join(dict.fromkeys(thread)) or None,
                state=OutboxState.PENDING,
                attempts=0,
                next_attempt_at=now + hold,
                created_at=now,
            )
        )
        audit(conn, at=now, actor=actor, action="draft.queued", entity="draft", entity_id=draft_id)

    return _change(
        engine,
        draft_id,
        allowed=OPEN_STATES,
        expected_version=expected_version,
        values={"state": DraftState.QUEUED, "approved_by": actor},
        actor=actor,
        action="draft.approved",
        now=now,
        check=check,
        then=queue,
    )


def undo_approval(engine: Engine, draft_id: int, *, actor: str, now: datetime) -> DraftView:
    """Take an approval back while its reply is still held: the outbox row is withdrawn
    (never sent) and the draft is open again, as it was before approval. Once the hold
    has passed, or a worker has claimed the row, it is too late (`DraftConflict`)."""
    with translated(f"undo the approval of draft {draft_id}"), engine.begin() as conn:
        current = _get(conn, draft_id)
        if current.state != DraftState.QUEUED:
            raise DraftConflict(draft_id, f"it is {current.state}, not waiting to be sent")
        withdrawn = conn.execute(
            update(_OUTBOX)
            .where(
                _OUTBOX.c.draft_id == draft_id,
                _OUTBOX.c.state == OutboxState.PENDING,
                _OUTBOX.c.attempts == 0,
                _OUTBOX.c.claimed_by.is_(None),
                _OUTBOX.c.next_attempt_at > now,
            )
            .values(state=OutboxState.WITHDRAWN, last_error="withdrawn by the approving clerk")
        ).rowcount
        if withdrawn != 1:
            raise DraftConflict(draft_id, "too late to undo: the reply is being sent")
        back = DraftState.EDITED if current.edited_by else DraftState.DRAFTED
        conn.execute(
            update(_DRAFT)
            .where(_DRAFT.c.id == draft_id, _DRAFT.c.version == current.version)
            .values(state=back, approved_by=None, version=_DRAFT.c.version + 1, updated_at=now)
        )
        audit(
            conn,
            at=now,
            actor=actor,
            action="draft.approval_undone",
            entity="draft",
            entity_id=draft_id,
        )
        return _get(conn, draft_id)


def undo_until(engine: Engine, draft_id: int) -> datetime | None:
    """When the hold on a queued draft's reply ends, while it can still be taken back."""
    with translated(f"read the outbox of draft {draft_id}"), engine.connect() as conn:
        return conn.execute(
            select(_OUTBOX.c.next_attempt_at).where(
                _OUTBOX.c.draft_id == draft_id,
                _OUTBOX.c.state == OutboxState.PENDING,
                _OUTBOX.c.attempts == 0,
                _OUTBOX.c.claimed_by.is_(None),
            )
        ).scalar_one_or_none()


def reject_draft(
    engine: Engine,
    draft_id: int,
    *,
    actor: str,
    reason: str,
    now: datetime,
    expected_version: int | None = None,
) -> DraftView:
    reason = reason.strip()
    if not reason:
        raise DraftRuleBroken(draft_id, "say why it is rejected")
    return _change(
        engine,
        draft_id,
        allowed=OPEN_STATES,
        expected_version=expected_version,
        values={"state": DraftState.REJECTED, "reason": reason[:2000]},
        actor=actor,
        action="draft.rejected",
        now=now,
    )


def replace_draft(
    engine: Engine,
    draft_id: int,
    *,
    record_id: int | None,
    body: str,
    subject: str | None,
    verified: bool,
    decision: SavedMatch | None,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
    valid_until: date | None = None,
    reply_promised: date | None = None,
) -> DraftView:
    """A clerk re-matched the enquiry to another record: the draft is written afresh,
    with the dates of the new letter; a "stale" reason from the sender no longer holds."""

    def drop_stale(conn: Connection, current: DraftView) -> None:
        if current.reason and current.reason.startswith(STALE_PREFIX):
            rest = current.reason.partition("; ")[2] or None
            conn.execute(update(_DRAFT).where(_DRAFT.c.id == draft_id).values(reason=rest))

    return _change(
        engine,
        draft_id,
        allowed=OPEN_STATES,
        expected_version=expected_version,
        values={
            "record_id": record_id,
            "body": body,
            "subject": subject,
            "verified": verified,
            "decision": None if decision is None else decision.to_json(),
            "state": DraftState.DRAFTED,
            "edited_by": None,
            "valid_until": valid_until,
            "reply_promised": reply_promised,
        },
        actor=actor,
        action="draft.rematched",
        now=now,
        detail={"record_id": record_id},
        then=drop_stale,
    )


def claim_draft(
    engine: Engine, draft_id: int, *, actor: str, now: datetime, hold: timedelta
) -> DraftView:
    """Mark the draft as being worked on by `actor`, unless another clerk holds it
    (`draft_rules.holder_against`): then `DraftTaken`, naming them.

    The rule is decided on the claim as read, and the UPDATE changes the row only if that
    claim is still the one in it: a clerk who claimed in between wins, this one is told.
    """
    with translated(f"claim draft {draft_id}"), engine.begin() as conn:
        current = _get(conn, draft_id)
        holder = draft_rules.holder_against(
            actor, claimed_by=current.claimed_by, claimed_at=current.claimed_at, now=now, hold=hold
        )
        if holder is not None:
            raise DraftTaken(draft_id, holder)
        changed = conn.execute(
            update(_DRAFT)
            .where(
                _DRAFT.c.id == draft_id,
                _same(_DRAFT.c.claimed_by, current.claimed_by),
                _same(_DRAFT.c.claimed_at, current.claimed_at),
            )
            .values(claimed_by=actor, claimed_at=now)
        ).rowcount
        if changed != 1:
            raise DraftTaken(draft_id, _get(conn, draft_id).claimed_by or "another clerk")
        return _get(conn, draft_id)


def _same(column: Any, value: object) -> Any:
    """`column` still holds `value` (NULL compares with IS, never with =)."""
    return column.is_(None) if value is None else column == value


def release_draft(engine: Engine, draft_id: int, *, actor: str) -> None:
    with translated(f"release draft {draft_id}"), engine.begin() as conn:
        conn.execute(
            update(_DRAFT)
            .where(_DRAFT.c.id == draft_id, _DRAFT.c.claimed_by == actor)
            .values(claimed_by=None, claimed_at=None)
        )
