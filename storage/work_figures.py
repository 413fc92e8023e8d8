"""Counts of work done and waiting, read from the database at each metrics scrape.

Taken from the tables rather than counted in memory, so every worker reports the same
figures and a restart does not reset them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, Table, func, select

from storage.errors import translated
from storage.tables import Contact, Draft, DraftState, OutboxMessage, OutboxState

_CONTACT: Table = Contact.__table__  # type: ignore[attr-defined]
_DRAFT: Table = Draft.__table__  # type: ignore[attr-defined]
_OUTBOX: Table = OutboxMessage.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class WorkFigures:
    enquiries_by_channel: dict[str, int]
    matched: int
    verified: int
    flagged: int
    drafts_waiting: int
    outbox_pending: int
    sends_failed: int
    sent: int


def work_figures(engine: Engine) -> WorkFigures:
    inbound = _CONTACT.c.direction == "in"
    with translated("read work figures"), engine.connect() as conn:
        by_channel = {
            str(channel): int(count)
            for channel, count in conn.execute(
                select(_CONTACT.c.channel, func.count()).where(inbound).group_by(_CONTACT.c.channel)
            )
        }

        def count(table: Table, *where: object) -> int:
            return int(
                conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()  # type: ignore[arg-type]
            )

        return WorkFigures(
            enquiries_by_channel=by_channel,
            matched=count(_CONTACT, inbound, _CONTACT.c.record_id.is_not(None)),
            verified=count(_DRAFT, _DRAFT.c.purpose == "reply", _DRAFT.c.verified.is_(True)),
            flagged=count(_CONTACT, inbound, _CONTACT.c.flag.is_not(None)),
            drafts_waiting=count(
                _DRAFT, _DRAFT.c.state.in_((DraftState.DRAFTED, DraftState.EDITED))
            ),
            outbox_pending=count(
                _OUTBOX, _OUTBOX.c.state.in_((OutboxState.PENDING, OutboxState.SENDING))
            ),
            sends_failed=count(_OUTBOX, _OUTBOX.c.state == OutboxState.FAILED),
            sent=count(_OUTBOX, _OUTBOX.c.state == OutboxState.SENT),
        )
