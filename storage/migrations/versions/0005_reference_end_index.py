"""Records: an index on (ref_head, the folded reference's last characters).

Finding the references one edit away from a written one read every reference sharing its
leading block, and some blocks (a kind's letters and a year) hold tens of thousands; the
look-up stopped at 2,000 and could miss the record. With this index it reads only those
a single edit can reach (lookup.keys.head_block_keys). The expression is written as the
look-up writes it: `storage.tables.REF_END`, copied here because a migration must not
change when the model does.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REF_END = "substr(ref_fold, length(ref_fold) - 2)"


def upgrade() -> None:
    op.create_index("ix_record_ref_head_end", "record", ["ref_head", sa.text(REF_END), "ref_fold"])


def downgrade() -> None:
    op.drop_index("ix_record_ref_head_end", table_name="record")
