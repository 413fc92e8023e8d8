"""Fixtures for the mail tests: real Dovecot and aiosmtpd servers, parsers, a logging handler."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme
from imapclient import IMAPClient  # type: ignore[import-untyped]
from sqlalchemy import Engine

from mail.attachment_store import AttachmentStore
from mail.imap_source import ImapConfig
from mail.loop_guard import LoopGuard
from mail.parse import MailParser
from mail.testing import LoggingHandler
from storage import migrate
from storage.engine import make_engine, sqlite_url
from tests.mail.dovecot_server import HOST, PASSWORD, DovecotServer
from tests.mail.smtp_server import SmtpServer, running_smtp

DESK = "tickets@force.example"


def imap_config(server: DovecotServer, user: str, **overrides: object) -> ImapConfig:
    """Plain IMAP on loopback as `user`, with short timings for tests."""
    values: dict[str, object] = {
        "host": HOST,
        "port": server.port,
        "user": user,
        "password": PASSWORD,
        "security": "none",
        "timeout": 10.0,
        "idle_renew": 30.0,
    }
    values.update(overrides)
    return ImapConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def imap_user() -> str:
    """A user name no other test uses: an empty mailbox on the shared server."""
    return f"desk-{uuid.uuid4().hex[:10]}@force.example"


@pytest.fixture
def appender(dovecot: DovecotServer, imap_user: str) -> Iterator[Callable[[bytes], None]]:
    """Appends raw messages to the test user's INBOX over IMAP, as delivery would."""
    yield from _appender(dovecot, imap_user)


def _appender(server: DovecotServer, user: str) -> Iterator[Callable[[bytes], None]]:
    client = IMAPClient(HOST, port=server.port, ssl=False, timeout=10)
    client.login(user, PASSWORD)

    def append(raw: bytes) -> None:
        client.append("INBOX", raw)

    yield append
    client.logout()


def folder_uids(server: DovecotServer, user: str, folder: str) -> list[int]:
    """The UIDs in `folder` of `user`'s mailbox, seen by a separate connection."""
    client = IMAPClient(HOST, port=server.port, ssl=False, timeout=10)
    try:
        client.login(user, PASSWORD)
        if not client.folder_exists(folder):
            return []
        client.select_folder(folder, readonly=True)
        return sorted(client.search("ALL"))
    finally:
        client.logout()


@pytest.fixture
def smtp_server(ca: trustme.CA) -> Iterator[SmtpServer]:
    """aiosmtpd on loopback with STARTTLS (trustme) and AUTH required."""
    with running_smtp(ca) as server:
        yield server


@pytest.fixture
def parser(tmp_path: Path) -> MailParser:
    """The parser as the desk sets it up, keeping attachments up to 1 MB in tmp."""
    return MailParser(
        guard=LoopGuard.for_mail_from(DESK),
        keeper=AttachmentStore(tmp_path / "attachments", max_bytes=1024 * 1024),
    )


@pytest.fixture
def handler(engine: Engine) -> LoggingHandler:
    return LoggingHandler(engine)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database, for tests about the mail servers rather than storage."""
    engine = make_engine(sqlite_url(tmp_path / "mail.db"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()
