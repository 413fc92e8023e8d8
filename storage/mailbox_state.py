"""How far the IMAP source has read each folder: its UIDVALIDITY and the last UID handled.

The IMAP source saves the state only after the messages up to `last_uid` have been
logged, so a restart resumes after them and never skips one. A changed UIDVALIDITY
(the server rebuilt its index) makes every stored UID meaningless; the source then reads
the folder from the start and the contact log's idempotency keeps it from doubling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.errors import translated
from storage.tables import MailboxState

_STATE: Table = MailboxState.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class FolderPosition:
    """Where reading one folder stands: UIDs up to `last_uid` under `uidvalidity` are done."""

    uidvalidity: int
    last_uid: int


def load_position(engine: Engine, account: str, folder: str) -> FolderPosition | None:
    """The stored position for (`account`, `folder`), or None when never read."""
    with translated("read the mailbox state"), engine.connect() as conn:
        row = conn.execute(
            select(_STATE.c.uidvalidity, _STATE.c.last_uid).where(
                _STATE.c.account == account, _STATE.c.folder == folder
            )
        ).one_or_none()
    if row is None:
        return None
    return FolderPosition(uidvalidity=int(row.uidvalidity), last_uid=int(row.last_uid))


def save_position(
    engine: Engine, account: str, folder: str, position: FolderPosition, *, now: datetime
) -> None:
    """Store `position` for (`account`, `folder`), replacing what was there."""
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(_STATE).values(
        account=account,
        folder=folder,
        uidvalidity=position.uidvalidity,
        last_uid=position.last_uid,
        updated_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["account", "folder"],
        set_={
            "uidvalidity": statement.excluded.uidvalidity,
            "last_uid": statement.excluded.last_uid,
            "updated_at": statement.excluded.updated_at,
        },
    )
    with translated("save the mailbox state"), engine.begin() as conn:
        conn.execute(statement)
