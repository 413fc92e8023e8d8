"""Fixtures for the runtime tests: real Dovecot, aiosmtpd and PostgreSQL, worker processes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from sqlalchemy import Engine

from mail.attachment_store import AttachmentStore
from mail.loop_guard import LoopGuard
from mail.parse import MailParser
from storage import migrate
from storage.engine import make_engine, sqlite_url
from tests.bot.runtime.office import MAIL_FROM, Mailbox, import_records
from tests.bot.runtime.servers import RestartableSmtp, running_restartable_smtp, write_ca
from tests.bot.runtime.workers import Worker, start_worker
from tests.mail.dovecot_server import DovecotServer


@pytest.fixture(scope="session")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ca(ca, tmp_path_factory.mktemp("ca"))


@pytest.fixture
def mailbox(dovecot: DovecotServer) -> Mailbox:
    """An empty mailbox of the test's own on the shared Dovecot."""
    return Mailbox(dovecot, f"desk-{uuid.uuid4().hex[:10]}@force.example")


@pytest.fixture
def smtp(ca: trustme.CA) -> Iterator[RestartableSmtp]:
    """aiosmtpd with STARTTLS and AUTH that the test may stop and start."""
    with running_restartable_smtp(ca) as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def sqlite_office(data_dir: Path, tmp_path: Path) -> Iterator[Engine]:
    """The embedded default's SQLite file in DATA_DIR, migrated, with the records in."""
    engine = make_engine(sqlite_url(data_dir / "enquiry-desk.db"))
    migrate.upgrade(engine)
    import_records(engine, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def parser(tmp_path: Path) -> MailParser:
    """The parser as a worker sets it up."""
    return MailParser(
        guard=LoopGuard.for_mail_from(MAIL_FROM),
        keeper=AttachmentStore(tmp_path / "attachments", max_bytes=1024 * 1024),
    )


class Workers:
    """Starts worker processes and makes sure none outlives the test."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[Worker] = []

    def start(self, env: dict[str, str], name: str = "worker") -> Worker:
        worker = start_worker(env, self.folder / f"{name}-{len(self.started)}.log")
        self.started.append(worker)
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            worker.stop_quietly()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    keeper = Workers(tmp_path)
    try:
        yield keeper
    finally:
        keeper.stop_all()
