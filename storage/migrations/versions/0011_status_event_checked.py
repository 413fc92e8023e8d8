"""Status events: each marked when the status-update watcher has dealt with it.

The watcher used to resume from the highest event id it had checked. On PostgreSQL ids
come from a sequence as rows are inserted, and commit order is not id order: an import
still running holds a lower id than one that finished first, and its events, committed
after the watcher passed their id, were never read. Each event now carries
`checked_at`; the watcher reads the unchecked ones. Events up to the old mark are set
checked here (with their own recorded time), so nothing is drafted twice.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN and CREATE INDEX: no batch rebuild of the table.
    op.add_column(
        "record_status_event",
        sa.Column("checked_at", storage.types.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_record_status_event_checked_at", "record_status_event", ["checked_at"], unique=False
    )
    op.execute(
        "UPDATE record_status_event SET checked_at = recorded_at WHERE id <= "
        "(SELECT COALESCE(MAX(entity_id), 0) FROM audit_event "
        "WHERE action = 'status_updates.checked')"
    )


def downgrade() -> None:
    op.drop_index("ix_record_status_event_checked_at", table_name="record_status_event")
    op.execute("ALTER TABLE record_status_event DROP COLUMN checked_at")
