"""Two workers on one PostgreSQL, one mailbox and one outbox: nothing done twice, and
the mailbox passes to the survivor when its reader is killed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage.engine import make_engine
from tests.bot.runtime.conftest import Workers
from tests.bot.runtime.office import (
    Mailbox,
    approve_some,
    contacts_without_reply,
    enquiry_messages,
    import_records,
    inbound_ids,
    message_id,
    outbox_states,
    wait_for,
)
from tests.bot.runtime.servers import RestartableSmtp
from tests.bot.runtime.workers import enquiry_desk, worker_env
from tests.postgres_server import PostgresServer

pytestmark = pytest.mark.postgres

FIRST, LATER = 300, 60


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    name = f"rt_{uuid.uuid4().hex[:12]}"
    yield postgres_server.create_database(name)
    postgres_server.drop_database(name)


def test_two_workers_share_mailbox_and_outbox_without_doubling(
    pg_url: str,
    tmp_path: Path,
    mailbox: Mailbox,
    smtp: RestartableSmtp,
    ca_file: Path,
    workers: Workers,
) -> None:
    """Two `enquiry-desk run` on one database: every message logged and drafted once,
    every approved reply sent once; the reader SIGKILLed, the other takes the mailbox
    over (the server drops the dead session's advisory lock) and carries on alone."""
    messages = enquiry_messages(FIRST + LATER, seed=31)
    env = worker_env(
        data_dir=tmp_path / "data",
        imap_port=mailbox.server.tls_port,
        imap_user=mailbox.user,
        imap_security="tls",
        smtp_port=smtp.port,
        ca_file=ca_file,
        database_url=pg_url,
    )
    enquiry_desk(env, "db", "upgrade")
    engine: Engine = make_engine(pg_url)
    try:
        import_records(engine, tmp_path)
        mailbox.deliver(messages[:FIRST])

        # The first worker takes the mailbox; the second starts while it reads.
        reader = workers.start(env, "first")
        reader.wait_healthy()
        wait_for("the first worker to read", lambda: len(inbound_ids(engine)) > 0, timeout=30)
        other = workers.start(env, "second")
        other.wait_healthy()
        wait_for("the backlog", lambda: len(inbound_ids(engine)) == FIRST, timeout=90)
        approved = approve_some(engine, 40)
        wait_for("the sends", lambda: outbox_states(engine) == {"sent": 40}, timeout=60)

        reader.kill()
        mailbox.deliver(messages[FIRST:])
        approved += approve_some(engine, 10)
        # LEADER_RETRY (5 s) plus a pass: well inside this.
        wait_for("the takeover", lambda: len(inbound_ids(engine)) == FIRST + LATER, timeout=60)
        wait_for("the later sends", lambda: outbox_states(engine) == {"sent": 50}, timeout=60)
        code, _ = other.terminate()
        assert code == 0, other.tail()

        logged = inbound_ids(engine)
        assert set(logged) == {message_id(raw) for raw in messages}
        assert max(logged.values()) == 1
        assert contacts_without_reply(engine) == []
        assert mailbox.count("INBOX") == 0
        assert len(approved) == 50
        assert sorted(smtp.copies().values()) == [1] * 50
    finally:
        engine.dispose()
