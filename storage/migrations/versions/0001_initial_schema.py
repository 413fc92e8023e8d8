"""Initial schema: records, imports, status events, contacts, drafts, outbox, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 22:40:50.924512
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(none_as_null=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)

    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=1024), nullable=False),
        sa.Column("file_format", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("started_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("unknown_status", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_run")),
    )
    op.create_table(
        "record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("ref_key", sa.String(length=64), nullable=False),
        sa.Column("ref_fold", sa.String(length=64), nullable=False),
        sa.Column("ref_head", sa.String(length=8), nullable=False),
        sa.Column("ref_tail", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=True),
        sa.Column("status_known", sa.Boolean(), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("offence_date", sa.Date(), nullable=True),
        sa.Column("offence_code", sa.String(length=32), nullable=True),
        sa.Column("offence", sa.String(), nullable=True),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("vrm", sa.String(length=32), nullable=True),
        sa.Column("vrm_key", sa.String(length=32), nullable=True),
        sa.Column("vrm_fold", sa.String(length=32), nullable=True),
        sa.Column("surname", sa.String(), nullable=True),
        sa.Column("surname_key", sa.String(), nullable=True),
        sa.Column("forenames", sa.String(), nullable=True),
        sa.Column("dob", sa.Date(), nullable=True),
        sa.Column("postcode", sa.String(length=16), nullable=True),
        sa.Column("postcode_key", sa.String(length=16), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("email_key", sa.String(), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("amount_pence", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("court", sa.String(), nullable=True),
        sa.Column("hearing_date", sa.Date(), nullable=True),
        sa.Column("urn", sa.String(length=32), nullable=True),
        sa.Column("officer", sa.String(length=32), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("source_updated_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("import_run_id", sa.Integer(), nullable=True),
        sa.Column("import_line", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_run_id"],
            ["import_run.id"],
            name=op.f("fk_record_import_run_id_import_run"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record")),
        sa.UniqueConstraint("kind", "ref_key", name=op.f("uq_record_kind_ref_key")),
    )
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_dob"), ["dob"], unique=False)
        batch_op.create_index(batch_op.f("ix_record_email_key"), ["email_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_record_postcode_key"), ["postcode_key"], unique=False)
        batch_op.create_index("ix_record_ref_head_fold", ["ref_head", "ref_fold"], unique=False)
        batch_op.create_index("ix_record_ref_tail_fold", ["ref_tail", "ref_fold"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_record_surname_key_dob"), ["surname_key", "dob"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_record_vrm_fold"), ["vrm_fold"], unique=False)

    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("channel_message_id", sa.String(length=998), nullable=False),
        sa.Column("thread_key", sa.String(length=998), nullable=True),
        sa.Column("in_reply_to", sa.String(length=998), nullable=True),
        sa.Column("party", sa.String(length=320), nullable=False),
        sa.Column("party_key", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("quoted_text", sa.String(), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("flag", sa.String(length=64), nullable=True),
        sa.Column("flag_reason", sa.String(), nullable=True),
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
            name=op.f("fk_contact_record_id_record"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
        sa.UniqueConstraint(
            "channel", "channel_message_id", name=op.f("uq_contact_channel_channel_message_id")
        ),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_party_key"), ["party_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_record_id"), ["record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_thread_key"), ["thread_key"], unique=False)

    op.create_table(
        "record_status_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("old_status", sa.String(length=64), nullable=True),
        sa.Column("new_status", sa.String(length=64), nullable=True),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("import_run_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_run_id"],
            ["import_run.id"],
            name=op.f("fk_record_status_event_import_run_id_import_run"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
            name=op.f("fk_record_status_event_record_id_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_status_event")),
    )
    with op.batch_alter_table("record_status_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_status_event_record_id"), ["record_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_record_status_event_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("route", sa.String(length=16), nullable=False),
        sa.Column("intents", sa.JSON(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("subject", sa.String(), nullable=True),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("reply_due", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("edited_by", sa.String(length=128), nullable=True),
        sa.Column("approved_by", sa.String(length=128), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_draft_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
            name=op.f("fk_draft_record_id_record"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft")),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_draft_record_id"), ["record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_draft_reply_due"), ["reply_due"], unique=False)
        batch_op.create_index(batch_op.f("ix_draft_state"), ["state"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(), nullable=True),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=False),
        sa.Column("in_reply_to", sa.String(length=998), nullable=True),
        sa.Column("references", sa.String(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("claimed_by", sa.String(length=128), nullable=True),
        sa.Column("claimed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["draft.id"], name=op.f("fk_outbox_draft_id_draft"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("draft_id", name=op.f("uq_outbox_draft_id")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbox_message_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_state"))
        batch_op.drop_index(batch_op.f("ix_outbox_next_attempt_at"))

    op.drop_table("outbox")
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_state"))
        batch_op.drop_index(batch_op.f("ix_draft_reply_due"))
        batch_op.drop_index(batch_op.f("ix_draft_record_id"))
        batch_op.drop_index(batch_op.f("ix_draft_contact_id"))

    op.drop_table("draft")
    with op.batch_alter_table("record_status_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_status_event_recorded_at"))
        batch_op.drop_index(batch_op.f("ix_record_status_event_record_id"))

    op.drop_table("record_status_event")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_thread_key"))
        batch_op.drop_index(batch_op.f("ix_contact_record_id"))
        batch_op.drop_index(batch_op.f("ix_contact_received_at"))
        batch_op.drop_index(batch_op.f("ix_contact_party_key"))

    op.drop_table("contact")
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_vrm_fold"))
        batch_op.drop_index(batch_op.f("ix_record_surname_key_dob"))
        batch_op.drop_index("ix_record_ref_tail_fold")
        batch_op.drop_index("ix_record_ref_head_fold")
        batch_op.drop_index(batch_op.f("ix_record_postcode_key"))
        batch_op.drop_index(batch_op.f("ix_record_email_key"))
        batch_op.drop_index(batch_op.f("ix_record_dob"))

    op.drop_table("record")
    op.drop_table("import_run")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
