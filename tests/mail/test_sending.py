"""Sending the outbox through a real SMTP server (aiosmtpd, STARTTLS or TLS, AUTH) or to files."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import trustme
from sqlalchemy import Engine, select

from mail.outbox_sender import send_due
from mail.transport import FileTransport, SmtpConfig, SmtpTransport
from storage.outbox import retry_delay
from storage.tables import Contact
from tests.mail.dovecot_server import HOST, free_port
from tests.mail.outbox_rows import DESK, draft_state, outbox_row, queue_reply
from tests.mail.smtp_server import SMTP_PASSWORD, SMTP_USER, SmtpServer, running_smtp

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def transport_for(server: SmtpServer, **overrides: object) -> SmtpTransport:
    values: dict[str, object] = {
        "host": HOST,
        "port": server.port,
        "security": "starttls",
        "user": SMTP_USER,
        "password": SMTP_PASSWORD,
        "ssl_context": server.client_context,
        "timeout": 10.0,
    }
    values.update(overrides)
    return SmtpTransport(SmtpConfig(**values))  # type: ignore[arg-type]


async def test_approved_reply_is_sent_threaded_with_loop_headers(
    sqlite_engine: Engine, smtp_server: SmtpServer
) -> None:
    """Over STARTTLS with AUTH: one message, our Message-ID, threaded, auto-reply suppressing."""
    queued = queue_reply(sqlite_engine, now=NOW, thread_root="<root@mail.example>")
    counts = await send_due(
        sqlite_engine, transport_for(smtp_server), mail_from=DESK, now=NOW, worker="t"
    )
    assert (counts.claimed, counts.sent) == (1, 1)
    (received,) = smtp_server.handler.received
    assert received["Message-ID"] == queued.message_id
    assert received["From"] == DESK
    assert received["To"] == "sam@mail.example"
    assert received["In-Reply-To"] == queued.original_id
    assert received["References"] == f"<root@mail.example> {queued.original_id}"
    assert received["Auto-Submitted"] == "auto-replied"
    assert received["X-Auto-Response-Suppress"] == "OOF, AutoReply"
    assert "Your ticket is paid." in received.get_body().get_content()  # type: ignore[union-attr]
    assert smtp_server.handler.envelopes == [(DESK, ["sam@mail.example"])]
    assert outbox_row(sqlite_engine, queued.outbox_id).state == "sent"
    assert draft_state(sqlite_engine, queued.draft_id) == "sent"
    with sqlite_engine.connect() as conn:
        thread = (
            conn.execute(
                select(Contact.direction).where(Contact.thread_key == "<root@mail.example>")  # type: ignore[call-overload]
            )
            .scalars()
            .all()
        )
    assert sorted(thread) == ["in", "out"]
    # Nothing is due any more: sending again sends nothing.
    assert (
        await send_due(sqlite_engine, transport_for(smtp_server), mail_from=DESK, now=NOW)
    ).claimed == 0
    assert len(smtp_server.handler.received) == 1


async def test_temporary_failure_then_success_sends_once(
    sqlite_engine: Engine, smtp_server: SmtpServer
) -> None:
    """A 451 keeps the message pending with a pause; the next try after it sends it, once."""
    queued = queue_reply(sqlite_engine, now=NOW)
    smtp_server.handler.data_replies.append("451 4.3.0 Mailbox busy, try later")
    transport = transport_for(smtp_server)
    first = await send_due(sqlite_engine, transport, mail_from=DESK, now=NOW)
    assert (first.retry, first.sent) == (1, 0)
    row = outbox_row(sqlite_engine, queued.outbox_id)
    assert row.state == "pending"
    assert row.last_error is not None
    assert row.last_error.startswith("451")
    assert (await send_due(sqlite_engine, transport, mail_from=DESK, now=NOW)).claimed == 0
    second = await send_due(sqlite_engine, transport, mail_from=DESK, now=NOW + retry_delay(1))
    assert second.sent == 1
    assert [m["Message-ID"] for m in smtp_server.handler.received] == [queued.message_id]
    assert outbox_row(sqlite_engine, queued.outbox_id).attempts == 2


async def test_permanent_failure_is_recorded_with_the_servers_answer(
    sqlite_engine: Engine, smtp_server: SmtpServer
) -> None:
    """A 554 fails the message for good, keeping the answer; the draft shows failed."""
    queued = queue_reply(sqlite_engine, now=NOW)
    smtp_server.handler.data_replies.append("554 5.7.1 Message rejected as spam")
    counts = await send_due(sqlite_engine, transport_for(smtp_server), mail_from=DESK, now=NOW)
    assert counts.failed == 1
    row = outbox_row(sqlite_engine, queued.outbox_id)
    assert row.state == "failed"
    assert row.last_error == "554 5.7.1 Message rejected as spam"
    assert draft_state(sqlite_engine, queued.draft_id) == "failed"
    assert smtp_server.handler.received == []


async def test_refused_recipient_is_a_permanent_failure(
    sqlite_engine: Engine, smtp_server: SmtpServer
) -> None:
    """RCPT refused with 550: failed with that answer, the other messages still go."""
    bad = queue_reply(sqlite_engine, now=NOW, recipient="gone@mail.example", original_id="<a@x>")
    good = queue_reply(sqlite_engine, now=NOW, original_id="<b@x>")
    smtp_server.handler.refused_recipients["gone@mail.example"] = "550 5.1.1 No such user"
    counts = await send_due(sqlite_engine, transport_for(smtp_server), mail_from=DESK, now=NOW)
    assert (counts.failed, counts.sent) == (1, 1)
    assert outbox_row(sqlite_engine, bad.outbox_id).last_error == "550 5.1.1 No such user"
    assert outbox_row(sqlite_engine, good.outbox_id).state == "sent"


async def test_wrong_smtp_password_holds_the_batch_without_failing_it(
    sqlite_engine: Engine, smtp_server: SmtpServer
) -> None:
    """A refused login is temporary and stops the batch: nothing fails, nothing is lost."""
    first = queue_reply(sqlite_engine, now=NOW, original_id="<a@x>")
    second = queue_reply(sqlite_engine, now=NOW, original_id="<b@x>")
    transport = transport_for(smtp_server, password="wrong")
    counts = await send_due(sqlite_engine, transport, mail_from=DESK, now=NOW)
    assert (counts.retry, counts.held, counts.failed) == (1, 1, 0)
    row = outbox_row(sqlite_engine, first.outbox_id)
    assert row.last_error is not None
    assert "refused the login" in row.last_error
    assert "535" in row.last_error
    untried = outbox_row(sqlite_engine, second.outbox_id)
    assert (untried.state, untried.attempts) == ("pending", 0)


async def test_unreachable_server_is_temporary(
    sqlite_engine: Engine, smtp_server: SmtpServer
) -> None:
    """No server on the port: the message waits for a retry."""
    queued = queue_reply(sqlite_engine, now=NOW)
    transport = transport_for(smtp_server, port=free_port())
    counts = await send_due(sqlite_engine, transport, mail_from=DESK, now=NOW)
    assert counts.retry == 1
    row = outbox_row(sqlite_engine, queued.outbox_id)
    assert row.state == "pending"
    assert "cannot reach the SMTP server" in (row.last_error or "")


# aiosmtpd counts only STARTTLS as TLS when warning about AUTH; implicit TLS is TLS too.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_implicit_tls(sqlite_engine: Engine, ca: trustme.CA) -> None:
    """SMTP_SECURITY=tls sends over implicit TLS with AUTH."""
    queue_reply(sqlite_engine, now=NOW)
    with running_smtp(ca, implicit_tls=True) as server:
        counts = await send_due(
            sqlite_engine, transport_for(server, security="tls"), mail_from=DESK, now=NOW
        )
        assert counts.sent == 1
        assert len(server.handler.received) == 1


async def test_file_transport_writes_one_eml_per_message(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """Without an SMTP host, each approved reply becomes one .eml file, named by Message-ID."""
    queued = queue_reply(sqlite_engine, now=NOW)
    transport = FileTransport(tmp_path / "outbox")
    counts = await send_due(sqlite_engine, transport, mail_from=DESK, now=NOW)
    assert counts.sent == 1
    (written,) = (tmp_path / "outbox").glob("*.eml")
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["Message-ID"] == queued.message_id
    assert message["In-Reply-To"] == queued.original_id
    # Writing the same message again (a retry after a crash) replaces, never doubles.
    await transport.send(message)  # type: ignore[arg-type]
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
