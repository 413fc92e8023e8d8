"""The mail tables on both databases: read positions and attachment records."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from lookup.enquiry import Attachment
from storage.attachments import attachments_of, record_attachments
from storage.contact_log import NewContact, log_contact
from storage.mailbox_state import FolderPosition, load_position, save_position

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_position_is_saved_replaced_and_kept_per_folder(engine: Engine) -> None:
    """A folder's position round-trips, is replaced on save, and IMAP's 32-bit values fit."""
    assert load_position(engine, "desk@imap:993", "INBOX") is None
    save_position(engine, "desk@imap:993", "INBOX", FolderPosition(4_294_967_295, 7), now=NOW)
    save_position(engine, "desk@imap:993", "INBOX", FolderPosition(4_294_967_295, 9), now=NOW)
    save_position(engine, "desk@imap:993", "Other", FolderPosition(1, 1), now=NOW)
    assert load_position(engine, "desk@imap:993", "INBOX") == FolderPosition(4_294_967_295, 9)
    assert load_position(engine, "desk@imap:993", "Other") == FolderPosition(1, 1)


def test_attachments_are_recorded_once_in_message_order(engine: Engine) -> None:
    """Recording a redelivered message's attachments again adds nothing."""
    contact = log_contact(
        engine,
        NewContact(
            channel="email",
            direction="in",
            channel_message_id="<a@x>",
            party="sam@mail.example",
            received_at=NOW,
        ),
        now=NOW,
    )
    files = (
        Attachment("scan.pdf", "application/pdf", 31_457_280, "a" * 64, None),
        Attachment("photo.jpg", "image/jpeg", 1200, "b" * 64, "bb/" + "b" * 64),
    )
    assert record_attachments(engine, contact.id, files) == 2
    assert record_attachments(engine, contact.id, files) == 0
    assert attachments_of(engine, contact.id) == list(files)
