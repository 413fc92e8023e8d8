"""Review desk: accounts, sessions, sign-in failures, and full-text search over contacts.

The search index is written by hand, per database: an FTS5 table kept up by triggers on
SQLite, an expression GIN index over `to_tsvector` on PostgreSQL. Neither is a model, so
autogenerate is told to leave them alone (`storage.migrations.env`).

Later migrations beware: on SQLite, `batch_alter_table("contact")` rebuilds the table and
drops its triggers; such a migration must create the three `contact_fts_*` triggers again
and rebuild the index (`INSERT INTO contact_fts(contact_fts) VALUES ('rebuild')`).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Kept in step with storage.contact_search.PG_DOCUMENT: PostgreSQL uses an expression
# index only for a query that repeats the expression exactly.
# Dots and @ become spaces, so that an address is indexed as its words, as FTS5 does on
# SQLite: "writer1" finds writer1@example.org on both.
PG_DOCUMENT = "translate(coalesce(subject, '') || ' ' || party || ' ' || text, '@.', '  ')"

SQLITE_FTS = [
    # External content: the text lives once, in `contact`; the index holds only tokens.
    # remove_diacritics 2 lets "Zoe" find "Zoë".
    """CREATE VIRTUAL TABLE contact_fts USING fts5(
        subject, party, text,
        content='contact', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER contact_fts_insert AFTER INSERT ON contact BEGIN
        INSERT INTO contact_fts(rowid, subject, party, text)
        VALUES (new.id, new.subject, new.party, new.text);
    END""",
    """CREATE TRIGGER contact_fts_delete AFTER DELETE ON contact BEGIN
        INSERT INTO contact_fts(contact_fts, rowid, subject, party, text)
        VALUES ('delete', old.id, old.subject, old.party, old.text);
    END""",
    """CREATE TRIGGER contact_fts_update AFTER UPDATE OF subject, party, text ON contact BEGIN
        INSERT INTO contact_fts(contact_fts, rowid, subject, party, text)
        VALUES ('delete', old.id, old.subject, old.party, old.text);
        INSERT INTO contact_fts(rowid, subject, party, text)
        VALUES (new.id, new.subject, new.party, new.text);
    END""",
    # Contacts logged before this revision.
    "INSERT INTO contact_fts(contact_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    op.create_table(
        "desk_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_user")),
        sa.UniqueConstraint("name", name=op.f("uq_desk_user_name")),
    )
    op.create_table(
        "desk_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["desk_user.id"],
            name=op.f("fk_desk_session_user_id_desk_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_desk_session_token_hash")),
    )
    with op.batch_alter_table("desk_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "desk_sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("name_key", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_sign_in_failure")),
    )
    with op.batch_alter_table("desk_sign_in_failure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_desk_sign_in_failure_address"), ["address"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_desk_sign_in_failure_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_desk_sign_in_failure_name_key"), ["name_key"], unique=False
        )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_contact_fts ON contact "
            f"USING gin (to_tsvector('simple', {PG_DOCUMENT}))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("contact_fts_insert", "contact_fts_delete", "contact_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS contact_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_contact_fts")

    with op.batch_alter_table("desk_sign_in_failure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_sign_in_failure_name_key"))
        batch_op.drop_index(batch_op.f("ix_desk_sign_in_failure_at"))
        batch_op.drop_index(batch_op.f("ix_desk_sign_in_failure_address"))
    op.drop_table("desk_sign_in_failure")
    with op.batch_alter_table("desk_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_session_user_id"))
    op.drop_table("desk_session")
    op.drop_table("desk_user")
