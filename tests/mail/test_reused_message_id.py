"""A different message under a Message-ID already seen is its own contact, flagged; the
same message delivered again is still recognised (issue 17). Broken mailers reuse IDs:
5 of CPython's 48 `test_email` messages share one. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from lookup.enquiry import Flag
from mail.attachment_store import DescribeOnly
from mail.loop_guard import LoopGuard
from mail.maildir_source import MaildirSource
from mail.parse import MailParser, content_key
from mail.testing import LoggingHandler
from storage.contact_log import inbound_contact, log_contact, message_id_of, reused_id
from storage.tables import Contact
from tests.mail.messages import plain, raw

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SHARED_ID = "<1234@broken-mailer.example>"


def _message(body: str, *, received: str = "") -> bytes:
    data = raw(plain(body, message_id=SHARED_ID))
    return (received.encode() + data) if received else data


def test_content_key_ignores_what_relays_add() -> None:
    first = _message("Where is my ticket 3462166202?")
    relayed = _message(
        "Where is my ticket 3462166202?",
        received="Received: from relay.example by mx.example; Mon, 2 Nov 2026 09:00:01\r\n"
        "X-Spam-Score: 0.1\r\nDelivered-To: tickets@force.example\r\n",
    )
    other = _message("Please change my address, ticket 3462166203.")
    assert content_key(first) == content_key(relayed)
    assert content_key(first) != content_key(other)


def test_a_reused_id_is_its_own_contact_and_a_redelivery_is_not(engine: Engine) -> None:
    parser = MailParser(guard=LoopGuard(), keeper=DescribeOnly())
    first = parser.parse(_message("Where is my ticket 3462166202?"), received_at=NOW)
    second = parser.parse(_message("Please change my address."), received_at=NOW)
    one = log_contact(engine, inbound_contact(first), now=NOW)
    two = log_contact(engine, inbound_contact(second), now=NOW)
    assert one.is_new
    assert two.is_new
    assert two.id != one.id
    assert two.flag is Flag.REUSED_MESSAGE_ID
    assert one.flag is None
    # Either, delivered again, is the contact it was.
    assert log_contact(engine, inbound_contact(first), now=NOW) == type(one)(one.id, False)
    assert log_contact(engine, inbound_contact(second), now=NOW).id == two.id
    with engine.connect() as conn:
        rows = conn.execute(
            select(Contact.channel_message_id, Contact.flag, Contact.thread_key).order_by(  # type: ignore[call-overload]
                Contact.id
            )
        ).all()
    assert [r.channel_message_id for r in rows] == [
        SHARED_ID,
        reused_id(SHARED_ID, second.content_key),
    ]
    assert [r.flag for r in rows] == [None, Flag.REUSED_MESSAGE_ID]
    # Threading and replies still use the real Message-ID.
    assert {r.thread_key for r in rows} == {SHARED_ID}
    assert message_id_of(rows[1].channel_message_id) == SHARED_ID


def test_through_the_maildir_nothing_is_lost(
    tmp_path: Path, engine: Engine, parser: MailParser, handler: LoggingHandler
) -> None:
    """Three files: a message, a different one reusing its ID, the first delivered again.
    Two contacts, none lost, none doubled, the inbox emptied."""
    inbox = tmp_path / "inbox"
    for sub in ("tmp", "new", "cur"):
        (inbox / sub).mkdir(parents=True)
    for name, data in (
        ("1.a", _message("Where is my ticket 3462166202?")),
        ("2.b", _message("Please change my address.")),
        ("3.c", _message("Where is my ticket 3462166202?", received="Received: again\r\n")),
    ):
        (inbox / "tmp" / name).write_bytes(data)
        os.replace(inbox / "tmp" / name, inbox / "new" / name)
    counts = MaildirSource(inbox, parser).poll_once(handler)
    assert counts.seen == 3
    assert counts.failed == 0
    assert len(set(handler.contact_ids)) == 2
    assert sorted(os.listdir(inbox / "new")) == []
