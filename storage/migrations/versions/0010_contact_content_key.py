"""Contacts: a message is known by its Message-ID and its content, not the ID alone.

Broken mailers reuse a Message-ID for different messages (5 of CPython's 48 test
messages share one). Keyed by the ID alone, the second was taken for a redelivery of the
first and moved on with no contact row: lost. `content_key` is a hash of what the
message says (`mail.parse`); a redelivery has the same one, a different message with a
reused ID does not and becomes its own contact, logged under the ID with its key after
the closing bracket (`<id@host>#1a2b...`, see `storage.contact_log`), so the unique
(channel, channel_message_id) stays as it is. Rows logged before this revision have an
empty key and still match any redelivery of their ID. Chat contacts keep the empty key:
their platforms' ids are unique.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: on SQLite a batch rebuild of `contact` would drop its search
    # triggers and fight the tables that refer to it (see 0004).
    op.add_column(
        "contact",
        sa.Column("content_key", sa.String(length=64), nullable=False, server_default=""),
    )


def downgrade() -> None:
    # SQLite (3.35 and later) drops a plain column in place, as PostgreSQL does: no batch
    # rebuild, for the same reason as above. Reused IDs' contacts keep their suffixed ids.
    op.execute("ALTER TABLE contact DROP COLUMN content_key")
