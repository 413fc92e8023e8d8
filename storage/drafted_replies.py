"""The reply already drafted for a contact, for answering a redelivered message the same way.

A message logged twice (a redelivery, a restart after a crash) is recognised by the contact
log; the pipeline then gives back what it produced the first time instead of drafting again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, Table, select

from storage.errors import translated
from storage.saved_match import SavedMatch, saved_match
from storage.tables import Draft, DraftPurpose, DraftRoute

_DRAFT: Table = Draft.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class DraftedReply:
    """The first reply drafted for a contact, as the pipeline reported it then."""

    draft_id: int
    body: str
    route: DraftRoute
    intents: tuple[str, ...]
    decision: SavedMatch | None  # the match as saved with the draft
    record_id: int | None


def first_reply_for(engine: Engine, contact_id: int) -> DraftedReply | None:
    """The oldest reply drafted for contact `contact_id`; None when none was (status
    updates and other purposes are not replies to it)."""
    with translated(f"read the reply to contact {contact_id}"), engine.connect() as conn:
        row = conn.execute(
            select(
                _DRAFT.c.id,
                _DRAFT.c.body,
                _DRAFT.c.route,
                _DRAFT.c.intents,
                _DRAFT.c.decision,
                _DRAFT.c.record_id,
            )
            .where(_DRAFT.c.contact_id == contact_id, _DRAFT.c.purpose == DraftPurpose.REPLY)
            .order_by(_DRAFT.c.id)
            .limit(1)
        ).one_or_none()
    if row is None:
        return None
    return DraftedReply(
        draft_id=int(row.id),
        body=row.body,
        route=DraftRoute(row.route),
        intents=tuple(row.intents or ()),
        decision=saved_match(row.decision),
        record_id=None if row.record_id is None else int(row.record_id),
    )
