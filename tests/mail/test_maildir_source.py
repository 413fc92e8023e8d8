"""The Maildir source: logged before moved, failures kept and retried, bad input quarantined."""

from __future__ import annotations

import os
import shutil
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from bot.demo.inbox import write_demo_inbox
from bot.demo.records import generate_records
from mail.maildir_source import MaildirSource
from mail.parse import MailParser
from mail.sources import start_thread
from mail.testing import LoggingHandler
from storage.tables import Contact, ContactAttachment
from tests.mail.messages import numbered, plain, raw


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def deliver(root: Path, name: str, data: bytes) -> Path:
    """Put a message into the Maildir the way a delivery agent does: tmp/, then new/."""
    for sub in ("tmp", "new", "cur"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    temporary = root / "tmp" / name
    temporary.write_bytes(data)
    target = root / "new" / name
    os.replace(temporary, target)
    return target


def names(folder: Path) -> list[str]:
    return sorted(
        path.name.split(":", 1)[0] for sub in ("new", "cur") for path in (folder / sub).glob("*")
    )


def contacts(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Contact)).scalar_one())


def test_demo_inbox_is_logged_and_filed_away(
    tmp_path: Path, engine: Engine, parser: MailParser, handler: LoggingHandler
) -> None:
    """Every demo message is logged once and moved to .Processed; a second pass finds nothing."""
    inbox = tmp_path / "inbox"
    written = write_demo_inbox(
        inbox, list(generate_records(300, seed=5, today=date(2026, 11, 2))), count=25
    )
    source = MaildirSource(inbox, parser)
    counts = source.poll_once(handler)
    assert counts.seen == written == 25
    assert counts.processed + counts.quarantined == 25
    assert counts.failed == 0
    assert contacts(engine) == 25
    assert names(inbox) == []
    assert len(names(inbox / ".Processed")) == counts.processed
    assert (inbox / ".Processed" / "maildirfolder").exists()
    assert source.poll_once(handler).seen == 0
    assert contacts(engine) == 25


def test_flagged_mail_goes_to_quarantine_and_is_logged_with_its_reason(
    tmp_path: Path, engine: Engine, parser: MailParser, handler: LoggingHandler
) -> None:
    """An auto-reply is logged with its flag and filed in .Quarantine, not .Processed."""
    inbox = tmp_path / "inbox"
    deliver(inbox, "1.auto", raw(plain(extra={"Auto-Submitted": "auto-replied"})))
    counts = MaildirSource(inbox, parser).poll_once(handler)
    assert (counts.processed, counts.quarantined) == (0, 1)
    assert names(inbox / ".Quarantine") == ["1.auto"]
    with engine.connect() as conn:
        flag, reason = conn.execute(select(Contact.flag, Contact.flag_reason)).one()  # type: ignore[call-overload]
    assert flag == "auto_reply"
    assert "RFC 3834" in reason


def test_handler_failure_keeps_the_message_and_retries_after_a_pause(
    tmp_path: Path, engine: Engine, parser: MailParser, handler: LoggingHandler
) -> None:
    """A raising handler leaves the message in place; it is retried only after its pause."""
    inbox = tmp_path / "inbox"
    deliver(inbox, "1.a", numbered(1))
    clock = Clock()
    source = MaildirSource(inbox, parser, clock=clock)
    handler.fail_next = 1
    assert source.poll_once(handler).failed == 1
    assert names(inbox) == ["1.a"]
    assert contacts(engine) == 0
    assert source.poll_once(handler).deferred == 1
    clock.now += timedelta(seconds=31)
    assert source.poll_once(handler).processed == 1
    assert contacts(engine) == 1
    assert names(inbox / ".Processed") == ["1.a"]


def test_crash_between_logging_and_moving_does_not_double(
    tmp_path: Path, engine: Engine, parser: MailParser, handler: LoggingHandler
) -> None:
    """A message logged but not moved (a crash) is recognised on the next pass, not doubled."""
    inbox = tmp_path / "inbox"
    deliver(inbox, "1.a", numbered(1))
    source = MaildirSource(inbox, parser)
    source.poll_once(handler)
    # Put it back as if the rename had never happened.
    (moved,) = (inbox / ".Processed" / "cur").iterdir()
    shutil.copy(moved, inbox / "new" / "1.a")
    moved.unlink()
    counts = source.poll_once(handler)
    assert counts.processed == 1
    assert contacts(engine) == 1
    assert names(inbox) == []


def test_bad_input_is_quarantined_and_the_loop_goes_on(
    tmp_path: Path, engine: Engine, parser: MailParser, handler: LoggingHandler
) -> None:
    """Zero bytes, garbage, broken MIME, a missing From: each is logged flagged and kept,
    and the good message after them is still processed."""
    inbox = tmp_path / "inbox"
    deliver(inbox, "1.empty", b"")
    deliver(inbox, "2.garbage", b"\xff\xfe\x00\x01 not mail at all")
    deliver(
        inbox,
        "3.broken",
        b"From: a@mail.example\r\nMessage-ID: <b@x>\r\nContent-Type: multipart/mixed\r\n\r\nx",
    )
    deliver(inbox, "4.nofrom", b"Subject: hi\r\nMessage-ID: <nf@x>\r\n\r\nticket 1234567890")
    deliver(inbox, "5.good", numbered(5))
    counts = MaildirSource(inbox, parser).poll_once(handler)
    assert counts.quarantined == 4
    assert counts.processed == 1
    assert names(inbox / ".Quarantine") == ["1.empty", "2.garbage", "3.broken", "4.nofrom"]
    assert names(inbox / ".Processed") == ["5.good"]
    with engine.connect() as conn:
        rows = conn.execute(select(Contact.flag, Contact.flag_reason)).all()  # type: ignore[call-overload]
    assert sorted(flag or "" for flag, _ in rows) == [
        "",
        "malformed",
        "no_sender",
        "no_sender",
        "unparseable",
    ]
    assert all(reason for flag, reason in rows if flag)


def test_attachments_are_recorded_against_the_contact(
    tmp_path: Path, engine: Engine, parser: MailParser, handler: LoggingHandler
) -> None:
    """The handler's record_attachments stores name, type, size and hash, once."""
    message = plain()
    message.add_attachment(b"scan", maintype="image", subtype="jpeg", filename="ticket.jpg")
    inbox = tmp_path / "inbox"
    deliver(inbox, "1.att", raw(message))
    MaildirSource(inbox, parser).poll_once(handler)
    with engine.connect() as conn:
        rows = conn.execute(select(ContactAttachment)).all()
    assert [(row.filename, row.content_type, row.size) for row in rows] == [
        ("ticket.jpg", "image/jpeg", 4)
    ]


def test_run_reads_until_stopped(
    tmp_path: Path, parser: MailParser, handler: LoggingHandler
) -> None:
    """The long-running mode picks up new mail by polling and ends when asked."""
    inbox = tmp_path / "inbox"
    source = MaildirSource(inbox, parser, poll_interval=0.05)
    stop = threading.Event()
    thread = start_thread(source, handler, stop, name="maildir-test")
    deliver(inbox, "1.a", numbered(1))
    deadline = datetime.now(UTC) + timedelta(seconds=20)
    while not handler.seen and datetime.now(UTC) < deadline:
        threading.Event().wait(0.05)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert [enquiry.channel_message_id for enquiry in handler.seen] == ["<n1@mail.example>"]


def test_a_reply_joins_its_earlier_contact_by_thread_key(
    tmp_path: Path, engine: Engine, parser: MailParser, handler: LoggingHandler
) -> None:
    """An enquiry, the writer's follow-up to it, and their reply to our answer share one
    thread key: the first message's Message-ID."""
    inbox = tmp_path / "inbox"
    deliver(inbox, "1.first", raw(plain(message_id="<first@mail.example>")))
    deliver(
        inbox,
        "2.chaser",
        raw(
            plain(message_id="<chaser@mail.example>", extra={"In-Reply-To": "<first@mail.example>"})
        ),
    )
    deliver(
        inbox,
        "3.answer",
        raw(
            plain(
                message_id="<answer@mail.example>",
                extra={
                    "In-Reply-To": "<1.2.3.enquiry-desk@force.example>",
                    "References": "<first@mail.example> <1.2.3.enquiry-desk@force.example>",
                },
            )
        ),
    )
    MaildirSource(inbox, parser).poll_once(handler)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Contact.channel_message_id, Contact.thread_key).order_by(Contact.id)  # type: ignore[call-overload]
        ).all()
    assert [tuple(row) for row in rows] == [
        ("<first@mail.example>", "<first@mail.example>"),
        ("<chaser@mail.example>", "<first@mail.example>"),
        ("<answer@mail.example>", "<first@mail.example>"),
    ]
