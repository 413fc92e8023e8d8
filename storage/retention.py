"""Retention: contacts about records of one kind, older than an age, are deleted with
their drafts and sent messages. Always counted first (a dry run); the purge itself
deletes the same selection and is audited with its counts.

Contacts whose reply is still open or waiting to be sent are kept whatever their age:
deleting them would lose work in progress, not old data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    Table,
    delete,
    exists,
    func,
    select,
)

from storage.audit import audit
from storage.drafts import OPEN_STATES
from storage.errors import StorageError, translated
from storage.tables import Contact, ContactAttachment, Draft, OutboxMessage, OutboxState, Record

_C: Table = Contact.__table__  # type: ignore[attr-defined]
_D: Table = Draft.__table__  # type: ignore[attr-defined]
_O: Table = OutboxMessage.__table__  # type: ignore[attr-defined]
_R: Table = Record.__table__  # type: ignore[attr-defined]
_A: Table = ContactAttachment.__table__  # type: ignore[attr-defined]

# The "kind" for contacts that were never matched to any record.
UNMATCHED = "unmatched"


@dataclass(frozen=True, slots=True)
class PurgePlan:
    kind: str
    older_than_days: int
    cutoff: datetime
    contacts: int
    drafts: int
    messages: int
    oldest: datetime | None
    newest: datetime | None
    # After a purge: the kept attachment files no remaining contact refers to, for the
    # caller to delete from disk (storage/ keeps no files itself).
    files: tuple[str, ...] = ()


def _selection(kind: str, cutoff: datetime) -> Select[tuple[int]]:
    busy = exists().where(
        _D.c.contact_id == _C.c.id,
        _D.c.state.in_(OPEN_STATES),
    )
    unsent = exists().where(
        _D.c.contact_id == _C.c.id,
        _O.c.draft_id == _D.c.id,
        _O.c.state.in_((OutboxState.PENDING, OutboxState.SENDING)),
    )
    about: ColumnElement[bool]
    if kind == UNMATCHED:
        about = _C.c.record_id.is_(None)
    else:
        about = _C.c.record_id.in_(select(_R.c.id).where(_R.c.kind == kind))
    return select(_C.c.id).where(_C.c.received_at < cutoff, about, ~busy, ~unsent)


def _plan(conn: Connection, kind: str, days: int, cutoff: datetime) -> PurgePlan:
    chosen = _selection(kind, cutoff).subquery()
    contacts, oldest, newest = conn.execute(
        select(func.count(), func.min(_C.c.received_at), func.max(_C.c.received_at)).where(
            _C.c.id.in_(select(chosen.c.id))
        )
    ).one()
    drafts = conn.execute(
        select(func.count()).where(_D.c.contact_id.in_(select(chosen.c.id)))
    ).scalar_one()
    messages = conn.execute(
        select(func.count()).where(
            _O.c.draft_id.in_(select(_D.c.id).where(_D.c.contact_id.in_(select(chosen.c.id))))
        )
    ).scalar_one()
    return PurgePlan(
        kind=kind,
        older_than_days=days,
        cutoff=cutoff,
        contacts=int(contacts),
        drafts=int(drafts),
        messages=int(messages),
        oldest=oldest,
        newest=newest,
    )


def plan_purge(engine: Engine, *, kind: str, older_than_days: int, now: datetime) -> PurgePlan:
    """What a purge would delete, deleting nothing."""
    _check(older_than_days)
    cutoff = now - timedelta(days=older_than_days)
    with translated("plan the purge"), engine.connect() as conn:
        return _plan(conn, kind, older_than_days, cutoff)


def purge(
    engine: Engine, *, kind: str, older_than_days: int, now: datetime, actor: str
) -> PurgePlan:
    """Delete what `plan_purge` counted, in one transaction, and audit the counts."""
    _check(older_than_days)
    cutoff = now - timedelta(days=older_than_days)
    with translated("purge (nothing was changed)"), engine.begin() as conn:
        plan = _plan(conn, kind, older_than_days, cutoff)
        chosen = [row[0] for row in conn.execute(_selection(kind, cutoff))]
        kept_files: set[str] = set()
        for start in range(0, len(chosen), 5000):
            batch = chosen[start : start + 5000]
            kept_files.update(
                conn.execute(
                    select(_A.c.stored_path).where(
                        _A.c.contact_id.in_(batch), _A.c.stored_path.is_not(None)
                    )
                ).scalars()
            )
            conn.execute(delete(_A).where(_A.c.contact_id.in_(batch)))
            drafts = select(_D.c.id).where(_D.c.contact_id.in_(batch))
            # The outbox keeps the text of what was sent; it goes with the draft.
            conn.execute(delete(_O).where(_O.c.draft_id.in_(drafts)))
            conn.execute(delete(_D).where(_D.c.contact_id.in_(batch)))
            conn.execute(delete(_C).where(_C.c.id.in_(batch)))
        audit(
            conn,
            at=now,
            actor=actor,
            action="retention.purged",
            entity="contact",
            detail={
                "kind": kind,
                "older_than_days": older_than_days,
                "cutoff": cutoff.isoformat(),
                "contacts": plan.contacts,
                "drafts": plan.drafts,
                "messages": plan.messages,
            },
        )
        # A file sent by several people is kept once: it goes only when no one is left.
        still_used = (
            set(
                conn.execute(
                    select(_A.c.stored_path).where(_A.c.stored_path.in_(sorted(kept_files)))
                ).scalars()
            )
            if kept_files
            else set()
        )
        return replace(plan, files=tuple(sorted(kept_files - still_used)))


def record_kinds(engine: Engine) -> list[str]:
    """Kinds that have records, plus `unmatched`, for the purge form."""
    with translated("list record kinds"), engine.connect() as conn:
        kinds = list(conn.execute(select(_R.c.kind).distinct().order_by(_R.c.kind)).scalars())
    return [*kinds, UNMATCHED]


def _check(days: int) -> None:
    if days < 1:
        raise StorageError("the age must be at least one day")
