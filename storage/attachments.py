"""The attachments of inbound contacts: name, type, size, hash, and where a copy is kept.

The mail sources store the files themselves (by hash, under a size limit); this module
records them against the contact once it is logged. Recording is idempotent per
(contact, position in the message), so a redelivered message adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lookup.enquiry import Attachment
from storage.errors import translated
from storage.tables import ContactAttachment

_ATTACHMENT: Table = ContactAttachment.__table__  # type: ignore[attr-defined]


def record_attachments(engine: Engine, contact_id: int, attachments: Sequence[Attachment]) -> int:
    """Record `attachments` for contact `contact_id`; return how many were new."""
    if not attachments:
        return 0
    with translated("record attachments"), engine.begin() as conn:
        return record_attachments_in(conn, contact_id, attachments)


def record_attachments_in(
    conn: Connection, contact_id: int, attachments: Sequence[Attachment]
) -> int:
    """`record_attachments` inside the caller's transaction (the contact's own insert)."""
    if not attachments:
        return 0
    rows = [
        {
            "contact_id": contact_id,
            "position": position,
            "filename": attachment.filename[:255],
            "content_type": attachment.content_type[:255],
            "size": attachment.size,
            "sha256": attachment.sha256,
            "stored_path": attachment.stored_path,
        }
        for position, attachment in enumerate(attachments)
    ]
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(_ATTACHMENT)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["contact_id", "position"])
        .returning(_ATTACHMENT.c.id)
    )
    # RETURNING lists only the rows inserted, so the count is exact on both databases.
    return len(conn.execute(statement).all())


def attachments_of(engine: Engine, contact_id: int) -> list[Attachment]:
    """The attachments recorded for contact `contact_id`, in message order."""
    with translated("read attachments"), engine.connect() as conn:
        rows = conn.execute(
            select(_ATTACHMENT)
            .where(_ATTACHMENT.c.contact_id == contact_id)
            .order_by(_ATTACHMENT.c.position)
        ).all()
    return [
        Attachment(
            filename=row.filename,
            content_type=row.content_type,
            size=int(row.size),
            sha256=row.sha256,
            stored_path=row.stored_path,
        )
        for row in rows
    ]
