"""Follow-ups: a holding reply's promise to answer by a date, kept until it is kept.

A holding reply ("a member of the team will reply to you by ...") is a draft with
`reply_promised` set. When the outbox marks it sent, a follow-up opens for its contact,
due on the promised date; the queue lists those due or overdue beside the drafts. When a
real answer to the same enquiry is sent (a reply that is not itself a holding reply, to
the same contact or in the same mail thread), the follow-up closes, naming that reply.

Opening and closing happen inside `storage.outbox.mark_sent`'s transaction, so a send is
recorded with its follow-up or not at all; one follow-up per holding draft (the table's
unique `draft_id`) keeps a second `mark_sent` from opening another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.audit import audit
from storage.errors import translated
from storage.tables import Contact, Draft, FollowUp

_FOLLOW_UP: Table = FollowUp.__table__  # type: ignore[attr-defined]
_DRAFT: Table = Draft.__table__  # type: ignore[attr-defined]
_CONTACT: Table = Contact.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class FollowUpView:
    """An open follow-up as the queue shows it, with who wrote and about what."""

    id: int
    contact_id: int
    draft_id: int
    due: date
    opened_at: datetime
    record_id: int | None
    party: str
    subject: str | None

    def overdue_days(self, today: date) -> int:
        return max((today - self.due).days, 0)


def note_sent_in(conn: Connection, draft_id: int | None, *, now: datetime, actor: str) -> None:
    """After draft `draft_id` was sent, in the sender's transaction: a holding reply
    opens its follow-up; a real reply closes the open ones of its enquiry."""
    if draft_id is None:
        return
    draft = conn.execute(
        select(_DRAFT.c.contact_id, _DRAFT.c.purpose, _DRAFT.c.reply_promised).where(
            _DRAFT.c.id == draft_id
        )
    ).one_or_none()
    if draft is None:
        return
    if draft.reply_promised is not None:
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        opened = conn.execute(
            insert(_FOLLOW_UP)
            .values(
                contact_id=draft.contact_id,
                draft_id=draft_id,
                due=draft.reply_promised,
                opened_at=now,
            )
            .on_conflict_do_nothing(index_elements=["draft_id"])
            # RETURNING, not rowcount: drivers differ in what rowcount says here.
            .returning(_FOLLOW_UP.c.id)
        ).scalar_one_or_none()
        if opened is not None:
            audit(
                conn,
                at=now,
                actor=actor,
                action="follow_up.opened",
                entity="draft",
                entity_id=draft_id,
                detail={"contact_id": draft.contact_id},
            )
        return
    # A status update tells of a change the office made; it does not answer what the
    # writer asked, so only a reply closes the promise.
    if draft.purpose != "reply":
        return
    thread = conn.execute(
        select(_CONTACT.c.thread_key).where(_CONTACT.c.id == draft.contact_id)
    ).scalar_one_or_none()
    same_enquiry = [_FOLLOW_UP.c.contact_id == draft.contact_id]
    if thread is not None:
        # The writer's next message in the thread is a new contact; its answer keeps the
        # promise made to the first.
        same_enquiry.append(
            _FOLLOW_UP.c.contact_id.in_(
                select(_CONTACT.c.id).where(_CONTACT.c.thread_key == thread)
            )
        )
    closed = conn.execute(
        update(_FOLLOW_UP)
        .where(or_(*same_enquiry), _FOLLOW_UP.c.closed_at.is_(None))
        .values(closed_at=now, closed_by_draft_id=draft_id)
    ).rowcount
    if closed:
        audit(
            conn,
            at=now,
            actor=actor,
            action="follow_up.closed",
            entity="draft",
            entity_id=draft_id,
            detail={"contact_id": draft.contact_id, "closed": closed},
        )


def due_follow_ups(engine: Engine, *, today: date, limit: int = 100) -> list[FollowUpView]:
    """Open follow-ups due on or before `today`, the most overdue first."""
    return _open(engine, _FOLLOW_UP.c.due <= today, limit=limit)


def open_follow_ups(engine: Engine, contact_id: int) -> list[FollowUpView]:
    """The open follow-ups of one contact, whatever their due date."""
    return _open(engine, _FOLLOW_UP.c.contact_id == contact_id, limit=100)


def _open(engine: Engine, condition: Any, *, limit: int) -> list[FollowUpView]:
    statement = (
        select(
            _FOLLOW_UP.c.id,
            _FOLLOW_UP.c.contact_id,
            _FOLLOW_UP.c.draft_id,
            _FOLLOW_UP.c.due,
            _FOLLOW_UP.c.opened_at,
            _CONTACT.c.record_id,
            _CONTACT.c.party,
            _CONTACT.c.subject,
        )
        .join(_CONTACT, _CONTACT.c.id == _FOLLOW_UP.c.contact_id)
        .where(_FOLLOW_UP.c.closed_at.is_(None), condition)
        .order_by(_FOLLOW_UP.c.due, _FOLLOW_UP.c.id)
        .limit(limit)
    )
    with translated("list follow-ups"), engine.connect() as conn:
        return [
            FollowUpView(
                id=int(row.id),
                contact_id=int(row.contact_id),
                draft_id=int(row.draft_id),
                due=row.due,
                opened_at=row.opened_at,
                record_id=row.record_id,
                party=row.party,
                subject=row.subject,
            )
            for row in conn.execute(statement)
        ]
