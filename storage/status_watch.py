"""What the status-update watcher reads: status changes not yet dealt with, and who asked.

Each event is marked `checked_at` once dealt with, and the watcher reads the unchecked
ones, so an event committed late by a slower import is still read (migration 0011). The
audit trail keeps a record of each batch ("status_updates.checked").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, Table, func, select, update

from storage.audit import audit
from storage.errors import translated
from storage.tables import AuditEvent, Contact, Draft, RecordStatusEvent

_EVENT: Table = RecordStatusEvent.__table__  # type: ignore[attr-defined]
_AUDIT: Table = AuditEvent.__table__  # type: ignore[attr-defined]
_DRAFT: Table = Draft.__table__  # type: ignore[attr-defined]
_CONTACT: Table = Contact.__table__  # type: ignore[attr-defined]

CHECKED = "status_updates.checked"


@dataclass(frozen=True, slots=True)
class StatusChange:
    event_id: int
    record_id: int
    old_status: str | None
    new_status: str | None
    status_date: date | None


@dataclass(frozen=True, slots=True)
class Asker:
    """Someone who asked about a record and was verified as its subject."""

    contact_id: int
    party: str


def pending_changes(engine: Engine, *, limit: int = 500) -> list[StatusChange]:
    with translated("read status changes"), engine.connect() as conn:
        rows = conn.execute(
            select(
                _EVENT.c.id,
                _EVENT.c.record_id,
                _EVENT.c.old_status,
                _EVENT.c.new_status,
                _EVENT.c.status_date,
            )
            .where(_EVENT.c.checked_at.is_(None))
            .order_by(_EVENT.c.id)
            .limit(limit)
        ).all()
    return [StatusChange(*row) for row in rows]


def verified_askers(engine: Engine, record_id: int, *, since: datetime) -> list[Asker]:
    """The latest contact of each person whose enquiry about the record was verified for it
    since `since`. Only they may be told the new status: the rest proved nothing."""
    statement = (
        select(func.max(_CONTACT.c.id), _CONTACT.c.party_key)
        .join(_DRAFT, _DRAFT.c.contact_id == _CONTACT.c.id)
        .where(
            _DRAFT.c.record_id == record_id,
            _DRAFT.c.verified.is_(True),
            _DRAFT.c.purpose == "reply",
            _CONTACT.c.direction == "in",
            _CONTACT.c.channel == "email",
            _CONTACT.c.received_at >= since,
        )
        .group_by(_CONTACT.c.party_key)
    )
    with translated("read who asked"), engine.connect() as conn:
        latest = [row[0] for row in conn.execute(statement)]
        if not latest:
            return []
        rows = conn.execute(
            select(_CONTACT.c.id, _CONTACT.c.party)
            .where(_CONTACT.c.id.in_(latest))
            .order_by(_CONTACT.c.id)
        ).all()
    return [Asker(int(row[0]), row[1]) for row in rows]


def has_update(engine: Engine, *, event_id: int, contact_id: int) -> bool:
    """A draft for this change and this person exists already (a crash mid-batch)."""
    with translated("read drafts"), engine.connect() as conn:
        found = conn.execute(
            select(_DRAFT.c.id).where(
                _DRAFT.c.status_event_id == event_id, _DRAFT.c.contact_id == contact_id
            )
        ).first()
    return found is not None


def mark_checked(engine: Engine, *, event_ids: Sequence[int], now: datetime, drafted: int) -> None:
    """These events are dealt with; the batch is noted in the audit trail with counts."""
    with translated("save progress"), engine.begin() as conn:
        conn.execute(update(_EVENT).where(_EVENT.c.id.in_(list(event_ids))).values(checked_at=now))
        audit(
            conn,
            at=now,
            actor="status-watcher",
            action=CHECKED,
            entity="record_status_event",
            entity_id=max(event_ids) if event_ids else None,
            detail={"drafted": drafted, "events": len(event_ids)},
        )
