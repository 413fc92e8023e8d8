"""Counts for the status page and `run --once`: what the database holds right now."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, Table, func, select

from storage.errors import translated
from storage.tables import Contact, Draft, DraftState, Record

_RECORD: Table = Record.__table__  # type: ignore[attr-defined]
_CONTACT: Table = Contact.__table__  # type: ignore[attr-defined]
_DRAFT: Table = Draft.__table__  # type: ignore[attr-defined]

_WAITING = (DraftState.DRAFTED, DraftState.EDITED)


@dataclass(frozen=True, slots=True)
class Overview:
    records_by_kind: dict[str, int]
    contacts: int
    drafts_waiting: int

    @property
    def records(self) -> int:
        return sum(self.records_by_kind.values())


def overview(engine: Engine) -> Overview:
    with translated("read the overview"), engine.connect() as conn:
        by_kind = {
            str(kind): int(count)
            for kind, count in conn.execute(
                select(_RECORD.c.kind, func.count()).group_by(_RECORD.c.kind)
            )
        }
        contacts = conn.execute(select(func.count()).select_from(_CONTACT)).scalar_one()
        waiting = conn.execute(
            select(func.count()).select_from(_DRAFT).where(_DRAFT.c.state.in_(_WAITING))
        ).scalar_one()
    return Overview(records_by_kind=by_kind, contacts=int(contacts), drafts_waiting=int(waiting))
