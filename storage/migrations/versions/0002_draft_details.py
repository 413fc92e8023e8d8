"""Drafts carry their purpose, recipient, status event, match decision and desk claim.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("purpose", sa.String(length=16), nullable=False, server_default="reply")
        )
        batch_op.add_column(sa.Column("recipient", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("status_event_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decision", sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=128), nullable=True))
        batch_op.add_column(
            sa.Column("claimed_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_draft_status_event_id_record_status_event"),
            "record_status_event",
            ["status_event_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # The default only filled existing rows; the model sets the value from now on.
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.alter_column("purpose", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_draft_status_event_id_record_status_event"), type_="foreignkey"
        )
        for column in (
            "claimed_at",
            "claimed_by",
            "decision",
            "status_event_id",
            "recipient",
            "purpose",
        ):
            batch_op.drop_column(column)
