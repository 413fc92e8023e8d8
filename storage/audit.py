"""The audit trail: who did what, when. Ids and actions only, never message text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, insert

from storage.tables import AuditEvent

_AUDIT: Table = AuditEvent.__table__  # type: ignore[attr-defined]


def audit(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one audit entry inside the caller's transaction, so it stands or falls with
    the change it describes."""
    conn.execute(
        insert(_AUDIT).values(
            at=at,
            actor=actor[:128],
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
    )
