"""Letters re-checked on the day they go out, and holding replies tracked.

`draft.valid_until` is the earliest date a letter states as a deadline: approval refuses
and the sender returns to the queue a draft whose date has passed. `draft.reply_promised`
is the date a holding reply promises ("we will reply by ..."); sending it opens a
`follow_up` due on that date, closed when the real answer is sent.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("draft", sa.Column("valid_until", sa.Date(), nullable=True))
    op.add_column("draft", sa.Column("reply_promised", sa.Date(), nullable=True))
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("opened_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_draft_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_follow_up_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["draft.id"],
            name=op.f("fk_follow_up_draft_id_draft"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_draft_id"],
            ["draft.id"],
            name=op.f("fk_follow_up_closed_by_draft_id_draft"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
        sa.UniqueConstraint("draft_id", name=op.f("uq_follow_up_draft_id")),
    )
    # Plain CREATE INDEX, not batch mode: batch on SQLite copies tables by reflection,
    # and nothing here needs a copy.
    op.create_index(op.f("ix_follow_up_contact_id"), "follow_up", ["contact_id"], unique=False)
    op.create_index(op.f("ix_follow_up_due"), "follow_up", ["due"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_follow_up_due"), table_name="follow_up")
    op.drop_index(op.f("ix_follow_up_contact_id"), table_name="follow_up")
    op.drop_table("follow_up")
    # A plain DROP COLUMN (SQLite has it since 3.35): batch mode would copy the table,
    # reflecting the record table's expression index, which SQLite cannot reflect.
    op.drop_column("draft", "reply_promised")
    op.drop_column("draft", "valid_until")
