"""One address cannot stop the outbox (issue 17): a recipient that is not one usable
address, or that needs SMTPUTF8 from a server without it, fails that reply alone, with
a reason for a clerk, and every reply queued behind it is still sent. Through a real
SMTP server (aiosmtpd, STARTTLS and AUTH)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import trustme
from sqlalchemy import Engine

from mail.addresses import AddressRefused, checked_recipient
from mail.outbox_sender import send_due
from storage.tables import OutboxMessage
from tests.mail.outbox_rows import DESK, draft_state, outbox_row, queue_reply
from tests.mail.smtp_server import SmtpServer, running_smtp
from tests.mail.test_sending import transport_for

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def utf8_smtp_server(ca: trustme.CA) -> Iterator[SmtpServer]:
    with running_smtp(ca, smtputf8=True) as server:
        yield server


def _queue(engine: Engine, recipients: list[str]) -> list[int]:
    return [
        queue_reply(
            engine, now=NOW, recipient=address, original_id=f"<e{n}@mail.example>"
        ).outbox_id
        for n, address in enumerate(recipients)
    ]


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Sam@Mail.Example", "Sam@mail.example"),
        ("zoe@exämple.org", "zoe@xn--exmple-cua.org"),
        ("o'brien+ticket@example.ie", "o'brien+ticket@example.ie"),
        ("  sam@mail.example \n", "sam@mail.example"),
    ],
)
def test_addresses_that_can_be_sent_to(address: str, expected: str) -> None:
    assert checked_recipient(address).address == expected


@pytest.mark.parametrize(
    "address",
    [
        "",
        "sam@mail.example, eve@evil.example",
        "Sam <sam@mail.example>",
        "sam\u200b@mail.example",  # zero-width space
        "sam\u202e@mail.example",  # right-to-left override
        "sam\r\nBcc: eve@evil.example",
        "sam@@mail.example",
        "sam@localhost",
        "sam..x@mail.example",
        "sam@-mail.example",
        "a" * 65 + "@mail.example",
    ],
)
def test_addresses_that_are_refused(address: str) -> None:
    with pytest.raises(AddressRefused) as caught:
        checked_recipient(address)
    assert address.strip() not in str(caught.value) or not address.strip()


def test_a_non_ascii_mailbox_needs_smtputf8() -> None:
    recipient = checked_recipient("zoë.müller@exämple.org")
    assert recipient.needs_smtputf8
    assert recipient.address == "zoë.müller@xn--exmple-cua.org"


async def test_bad_addresses_fail_alone_and_the_queue_goes_on(
    sqlite_engine: Engine, smtp_server: SmtpServer
) -> None:
    """Ahead of a good reply: a non-ASCII mailbox (the server has no SMTPUTF8), an
    invisible character, two addresses in one. The good one is sent; each bad one is
    failed with its reason and its draft shows `failed` to the clerks."""
    ids = _queue(
        sqlite_engine,
        [
            "zoë.müller@example.org",
            "sam\u200b@mail.example",
            "sam@mail.example, eve@evil.example",
            "kim@mail.example",
        ],
    )
    counts = await send_due(
        sqlite_engine, transport_for(smtp_server), mail_from=DESK, now=NOW, worker="t"
    )
    assert (counts.claimed, counts.sent, counts.failed) == (4, 1, 3)
    assert smtp_server.handler.envelopes == [(DESK, ["kim@mail.example"])]
    rows: list[OutboxMessage] = [outbox_row(sqlite_engine, i) for i in ids]
    assert [row.state for row in rows] == ["failed", "failed", "failed", "sent"]
    assert "SMTPUTF8" in (rows[0].last_error or "")
    assert "invisible character" in (rows[1].last_error or "")
    assert "exactly one" in (rows[2].last_error or "")
    # The reason never repeats the address.
    assert all("@" not in (row.last_error or "") for row in rows[:3])
    assert draft_state(sqlite_engine, rows[0].draft_id) == "failed"
    # Nothing is retried: the next round has nothing to do.
    again = await send_due(sqlite_engine, transport_for(smtp_server), mail_from=DESK, now=NOW)
    assert again.claimed == 0


async def test_smtputf8_server_gets_the_utf8_mailbox(
    sqlite_engine: Engine, utf8_smtp_server: SmtpServer
) -> None:
    """Where the server offers SMTPUTF8, the reply goes, the domain in IDNA form."""
    (outbox_id,) = _queue(sqlite_engine, ["zoë.müller@exämple.org"])
    counts = await send_due(
        sqlite_engine, transport_for(utf8_smtp_server), mail_from=DESK, now=NOW, worker="t"
    )
    assert counts.sent == 1
    ((_sender, recipients),) = utf8_smtp_server.handler.envelopes
    assert recipients == ["zoë.müller@xn--exmple-cua.org"]
    (received,) = utf8_smtp_server.handler.received
    assert str(received["To"]) == "zoë.müller@xn--exmple-cua.org"
    assert outbox_row(sqlite_engine, outbox_id).state == "sent"
