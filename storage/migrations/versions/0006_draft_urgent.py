"""Drafts say why they are urgent (a hearing or deadline within two working days, a
threat, words of self-harm, danger), so the queue can put them first with the reason.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("draft", sa.Column("urgent", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite has it since 3.35): batch mode would copy the table,
    # reflecting the record table's expression index, which SQLite cannot reflect.
    op.drop_column("draft", "urgent")
