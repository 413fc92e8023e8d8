"""The IMAP source against a real Dovecot: logging before moving, IDLE, restarts, TLS, logins."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import trustme
from sqlalchemy import Engine, func, select

from lookup.enquiry import Enquiry
from mail.errors import MailboxLoginFailed, MailboxUnavailable
from mail.imap_source import ImapConfig, ImapSource
from mail.parse import MailParser
from mail.sources import start_thread
from mail.testing import LoggingHandler
from storage.mailbox_state import FolderPosition, load_position, save_position
from storage.tables import Contact
from tests.mail.conftest import _appender, folder_uids, imap_config
from tests.mail.dovecot_server import DovecotServer
from tests.mail.messages import numbered, plain, raw

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def contact_ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(Contact.channel_message_id)).scalars())  # type: ignore[call-overload]


def wait_for(condition: Callable[[], bool], *, seconds: float = 30.0) -> bool:
    """Poll `condition` until true or the (generous) deadline passes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_poll_logs_each_message_then_moves_it_and_stores_the_position(
    dovecot: DovecotServer,
    imap_user: str,
    appender: Callable[[bytes], None],
    engine: Engine,
    parser: MailParser,
    handler: LoggingHandler,
) -> None:
    """Every message is logged, moved to Processed, and the last UID stored; a second pass
    reads nothing."""
    for index in range(5):
        appender(numbered(index))
    source = ImapSource(imap_config(dovecot, imap_user), engine, parser)
    try:
        counts = source.poll_once(handler)
        assert (counts.seen, counts.processed, counts.failed) == (5, 5, 0)
        assert contact_ids(engine) == sorted(f"<n{i}@mail.example>" for i in range(5))
        assert folder_uids(dovecot, imap_user, "INBOX") == []
        assert len(folder_uids(dovecot, imap_user, "Processed")) == 5
        position = load_position(engine, source.config.account, "INBOX")
        assert position is not None
        assert position.last_uid == 5
        assert source.poll_once(handler).seen == 0
    finally:
        source.close()


def test_flagged_and_bad_messages_go_to_quarantine_and_the_pass_goes_on(
    dovecot: DovecotServer,
    imap_user: str,
    appender: Callable[[bytes], None],
    sqlite_engine: Engine,
    parser: MailParser,
) -> None:
    """Bounces, empty and broken messages are logged flagged and quarantined; good mail
    around them is processed."""
    handler = LoggingHandler(sqlite_engine)
    appender(numbered(1))
    appender(raw(plain(sender="MAILER-DAEMON@mx.example", message_id="<bounce@x>")))
    appender(b"\r\n")
    appender(b"From: a@mail.example\r\nMessage-ID: <b@x>\r\nContent-Type: multipart/mixed\r\n\r\nx")
    appender(numbered(2))
    source = ImapSource(imap_config(dovecot, imap_user), sqlite_engine, parser)
    try:
        counts = source.poll_once(handler)
    finally:
        source.close()
    assert (counts.processed, counts.quarantined) == (2, 3)
    assert len(folder_uids(dovecot, imap_user, "Quarantine")) == 3
    assert len(folder_uids(dovecot, imap_user, "Processed")) == 2
    assert sorted(e.flag or "" for e in handler.seen) == [
        "",
        "",
        "bounce",
        "malformed",
        "unparseable",
    ]


def test_failed_handler_keeps_the_message_in_the_inbox_until_it_succeeds(
    dovecot: DovecotServer,
    imap_user: str,
    appender: Callable[[bytes], None],
    sqlite_engine: Engine,
    parser: MailParser,
) -> None:
    """A raising handler leaves the message (and the stored position) where they were;
    a later pass handles it and later mail is not held up meanwhile."""
    handler = LoggingHandler(sqlite_engine, fail_next=1)
    appender(numbered(1))
    appender(numbered(2))
    clock_now = [NOW]
    source = ImapSource(
        imap_config(dovecot, imap_user), sqlite_engine, parser, clock=lambda: clock_now[0]
    )
    try:
        first = source.poll_once(handler)
        assert (first.failed, first.processed) == (1, 1)
        assert len(folder_uids(dovecot, imap_user, "INBOX")) == 1
        position = load_position(sqlite_engine, source.config.account, "INBOX")
        assert position is not None
        assert position.last_uid == 0  # UID 1 is not done, so the position stays before it
        assert source.poll_once(handler).deferred == 1
        clock_now[0] = NOW.replace(minute=5)
        assert source.poll_once(handler).processed == 1
        assert folder_uids(dovecot, imap_user, "INBOX") == []
        assert contact_ids(sqlite_engine) == ["<n1@mail.example>", "<n2@mail.example>"]
    finally:
        source.close()


def test_changed_uidvalidity_reads_the_folder_again(
    dovecot: DovecotServer,
    imap_user: str,
    appender: Callable[[bytes], None],
    sqlite_engine: Engine,
    parser: MailParser,
) -> None:
    """A stored position under another UIDVALIDITY is ignored: nothing is skipped."""
    appender(numbered(1))
    config = imap_config(dovecot, imap_user)
    save_position(
        sqlite_engine, config.account, "INBOX", FolderPosition(uidvalidity=1, last_uid=999), now=NOW
    )
    assert _one_pass(config, sqlite_engine, parser) == 1
    position = load_position(sqlite_engine, config.account, "INBOX")
    assert position is not None
    assert position.uidvalidity != 1
    assert position.last_uid == 1


def test_without_a_processed_folder_mail_stays_and_the_stored_uid_prevents_rereading(
    dovecot: DovecotServer,
    imap_user: str,
    appender: Callable[[bytes], None],
    sqlite_engine: Engine,
    parser: MailParser,
) -> None:
    """Read-only use: handled mail stays in the inbox, and a new source instance (a restart)
    reads only what arrived since."""
    handler = LoggingHandler(sqlite_engine)
    appender(numbered(1))
    config = imap_config(dovecot, imap_user, processed_folder=None)
    source = ImapSource(config, sqlite_engine, parser)
    try:
        assert source.poll_once(handler).processed == 1
    finally:
        source.close()
    appender(numbered(2))
    restarted = ImapSource(config, sqlite_engine, parser)
    try:
        counts = restarted.poll_once(handler)
    finally:
        restarted.close()
    assert (counts.seen, counts.processed) == (1, 1)
    assert len(handler.seen) == 2
    assert len(folder_uids(dovecot, imap_user, "INBOX")) == 2


def test_wrong_password_is_a_clear_error(
    dovecot: DovecotServer, imap_user: str, sqlite_engine: Engine, parser: MailParser
) -> None:
    """A refused login names the settings to check and does not leak the password."""
    config = imap_config(dovecot, imap_user, password="not-the-password")
    source = ImapSource(config, sqlite_engine, parser)
    with pytest.raises(MailboxLoginFailed) as caught:
        source.poll_once(LoggingHandler(sqlite_engine))
    message = str(caught.value)
    assert "ENQUIRY_DESK_IMAP_PASSWORD" in message
    assert "AUTHENTICATIONFAILED" in message
    assert "not-the-password" not in message
    assert "not-the-password" not in repr(config)


def test_unreachable_server_is_mailbox_unavailable(
    sqlite_engine: Engine, parser: MailParser, dovecot: DovecotServer
) -> None:
    """Nothing listening on the port: a MailboxUnavailable naming the address."""
    from tests.mail.dovecot_server import free_port

    config = imap_config(dovecot, "x@force.example", port=free_port())
    with pytest.raises(MailboxUnavailable, match=r"127\.0\.0\.1"):
        ImapSource(config, sqlite_engine, parser).poll_once(LoggingHandler(sqlite_engine))


def _trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def _one_pass(config: ImapConfig, engine: Engine, parser: MailParser) -> int:
    """Messages processed by one pass of a source that is closed after it."""
    source = ImapSource(config, engine, parser)
    try:
        return source.poll_once(LoggingHandler(engine)).processed
    finally:
        source.close()


def test_implicit_tls_with_the_servers_certificate(
    dovecot: DovecotServer,
    imap_user: str,
    appender: Callable[[bytes], None],
    sqlite_engine: Engine,
    parser: MailParser,
    ca: trustme.CA,
) -> None:
    """IMAP_SECURITY=tls reads over TLS when the certificate is trusted, refuses otherwise."""
    appender(numbered(1))
    config = imap_config(
        dovecot, imap_user, port=dovecot.tls_port, security="tls", ssl_context=_trusting(ca)
    )
    assert _one_pass(config, sqlite_engine, parser) == 1
    untrusting = imap_config(dovecot, imap_user, port=dovecot.tls_port, security="tls")
    with pytest.raises(MailboxUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        ImapSource(untrusting, sqlite_engine, parser).poll_once(LoggingHandler(sqlite_engine))


def test_starttls_upgrades_the_plain_port(
    dovecot: DovecotServer,
    imap_user: str,
    appender: Callable[[bytes], None],
    sqlite_engine: Engine,
    parser: MailParser,
    ca: trustme.CA,
) -> None:
    """IMAP_SECURITY=starttls logs in only after upgrading the plain connection to TLS."""
    appender(numbered(1))
    config = imap_config(dovecot, imap_user, security="starttls", ssl_context=_trusting(ca))
    assert _one_pass(config, sqlite_engine, parser) == 1
    untrusting = imap_config(dovecot, imap_user, security="starttls")
    with pytest.raises(MailboxUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        ImapSource(untrusting, sqlite_engine, parser).poll_once(LoggingHandler(sqlite_engine))


def test_idle_sees_a_new_message_at_once(
    dovecot: DovecotServer,
    imap_user: str,
    appender: Callable[[bytes], None],
    sqlite_engine: Engine,
    parser: MailParser,
) -> None:
    """While idling, a newly delivered message is handled without waiting for a poll."""
    handler = LoggingHandler(sqlite_engine)
    # Polling and IDLE renewal are far off: only the server's EXISTS can wake the source.
    config = imap_config(dovecot, imap_user, idle_renew=600.0, poll_interval=600.0)
    source = ImapSource(config, sqlite_engine, parser)
    stop = threading.Event()
    appender(numbered(1))
    thread = start_thread(source, handler, stop, name="imap-idle-test")
    try:
        assert wait_for(lambda: len(handler.seen) == 1)
        time.sleep(0.5)  # let it settle into IDLE
        appender(numbered(2))
        assert wait_for(lambda: len(handler.seen) == 2, seconds=20)
    finally:
        stop.set()
        thread.join(timeout=15)
    assert not thread.is_alive()
    assert contact_ids(sqlite_engine) == ["<n1@mail.example>", "<n2@mail.example>"]


def test_server_restart_mid_run_loses_and_doubles_nothing(
    fresh_dovecot: DovecotServer, sqlite_engine: Engine, parser: MailParser
) -> None:
    """Dovecot is stopped while a batch is being handled and started again: every message
    ends up logged exactly once and moved out of the inbox."""
    server = fresh_dovecot
    user = "restart@force.example"
    append_gen = _appender(server, user)
    append = next(append_gen)
    for index in range(10):
        append(numbered(index))
    append_gen.close()

    handler = LoggingHandler(sqlite_engine)
    restarted = threading.Event()

    def restart_in_background() -> None:
        server.stop()
        time.sleep(1.0)
        server.start()
        restarted.set()

    original = handler.__call__

    class CrashingHandler:
        """Logs as usual, but on the fourth message takes the server down mid-batch."""

        calls = 0

        def __call__(self, enquiry: object) -> object:
            result = original(enquiry)  # type: ignore[arg-type]
            CrashingHandler.calls += 1
            if CrashingHandler.calls == 4:
                server.stop()  # the move after this batch will find the server gone
                threading.Thread(target=restart_in_background, daemon=True).start()
            return result

    config = imap_config(server, user, batch_size=5, idle_renew=600.0)
    source = ImapSource(config, sqlite_engine, parser, reconnect_first=0.2, reconnect_longest=1.0)
    stop = threading.Event()
    thread = start_thread(source, CrashingHandler(), stop, name="imap-restart-test")
    try:
        assert wait_for(restarted.is_set)
        assert wait_for(lambda: len(contact_ids(sqlite_engine)) == 10)
        assert wait_for(lambda: folder_uids(server, user, "INBOX") == [])
        # New mail after the restart still arrives.
        later = _appender(server, user)
        next(later)(numbered(99))
        later.close()
        assert wait_for(lambda: len(contact_ids(sqlite_engine)) == 11)
    finally:
        stop.set()
        thread.join(timeout=15)
    ids = contact_ids(sqlite_engine)
    assert len(ids) == len(set(ids)) == 11
    assert len(folder_uids(server, user, "Processed")) == 11
    with sqlite_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Contact)).scalar_one() == 11
    # Messages handled before the crash were handed over again, and recognised as logged.
    assert len(handler.seen) > 10


def test_mail_delivered_during_a_pass_is_read_without_waiting_for_idle_renewal(
    dovecot: DovecotServer,
    imap_user: str,
    appender: Callable[[bytes], None],
    sqlite_engine: Engine,
    parser: MailParser,
) -> None:
    """A message arriving while a pass runs is announced in the answers to that pass's
    own commands, not again in the IDLE after it: the source looks once more before
    idling, so it is read at once rather than at the next IDLE renewal."""
    logged = LoggingHandler(sqlite_engine)

    def handler(enquiry: Enquiry) -> int:
        if not logged.seen:
            appender(numbered(2))  # delivered mid-pass, before this pass's MOVE
        return logged(enquiry)

    config = imap_config(dovecot, imap_user, idle_renew=600.0, poll_interval=600.0)
    source = ImapSource(config, sqlite_engine, parser)
    stop = threading.Event()
    appender(numbered(1))
    thread = start_thread(source, handler, stop, name="imap-mid-pass-test")
    try:
        assert wait_for(lambda: len(logged.seen) == 2, seconds=20)
    finally:
        stop.set()
        thread.join(timeout=15)
    assert not thread.is_alive()
    assert contact_ids(sqlite_engine) == ["<n1@mail.example>", "<n2@mail.example>"]
