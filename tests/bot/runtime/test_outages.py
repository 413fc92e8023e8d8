"""The mailbox, the SMTP server and the database each go away for a while and come back
while a worker runs: it recovers by itself and loses nothing."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from mail.parse import MailParser
from storage import migrate
from storage.engine import make_engine
from storage.tables import OutboxMessage
from tests.bot.runtime.in_process import MovableClock, serving
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
from tests.bot.runtime.servers import PostgresControl, RestartableSmtp
from tests.conftest import need_part
from tests.mail.dovecot_server import DovecotServer
from tests.postgres_server import PostgresServer, running_postgres, skip_or_fail_reason

# Outages last this long: several reconnect attempts and outbox passes fail meanwhile.
OUTAGE = 4.0
# Past every retry pause the outage can have caused, still short of the 15-minute
# stale-claim timeout (moving past that would hand a live worker's claims to itself).
RETRIES_DUE = timedelta(minutes=5)


def retried(engine: Engine) -> int:
    """Outbox rows that needed more than one attempt: proof the outage was felt."""
    with engine.connect() as conn:
        attempts = conn.execute(select(OutboxMessage.attempts)).scalars()  # type: ignore[call-overload]
        return sum(1 for value in attempts if value > 1)


def assert_all_logged_and_sent(
    engine: Engine, mailbox: Mailbox, smtp: RestartableSmtp, messages: list[bytes], sent: int
) -> None:
    logged = inbound_ids(engine)
    assert set(logged) == {message_id(raw) for raw in messages}
    assert max(logged.values()) == 1
    assert contacts_without_reply(engine) == []
    assert mailbox.count("INBOX") == 0
    assert outbox_states(engine) == {"sent": sent}
    assert sorted(smtp.copies().values()) == [1] * sent


def test_imap_server_stopped_and_restarted(
    sqlite_office: Engine,
    data_dir: Path,
    fresh_dovecot: DovecotServer,
    smtp: RestartableSmtp,
    parser: MailParser,
) -> None:
    """Dovecot stopped in the middle of a backlog and started again: the worker
    reconnects by itself, reads what was left and what arrived after, each once."""
    engine = sqlite_office
    mailbox = Mailbox(fresh_dovecot, "desk@force.example")
    messages = enquiry_messages(400, seed=41)
    mailbox.deliver(messages[:300])
    clock = MovableClock()
    with serving(engine, data_dir=data_dir, mailbox=mailbox, smtp=smtp, parser=parser, clock=clock):
        wait_for("reading to start", lambda: len(inbound_ids(engine)) > 30, 30, every=0.02)
        fresh_dovecot.stop()
        stopped_at = len(inbound_ids(engine))
        time.sleep(OUTAGE)
        fresh_dovecot.start()
        mailbox.deliver(messages[300:])
        wait_for(
            "every message",
            lambda: len(inbound_ids(engine)) == 400,
            timeout=60,
            show=lambda: (len(inbound_ids(engine)), mailbox.count("INBOX")),
        )
        wait_for("an empty inbox", lambda: mailbox.count("INBOX") == 0, timeout=30)
        approved = approve_some(engine, 10)
        wait_for("the sends", lambda: outbox_states(engine) == {"sent": 10}, timeout=30)
    assert stopped_at < 300, "the backlog was done before the outage"
    assert_all_logged_and_sent(engine, mailbox, smtp, messages, len(approved))


def test_smtp_server_stopped_and_restarted(
    sqlite_office: Engine,
    data_dir: Path,
    mailbox: Mailbox,
    smtp: RestartableSmtp,
    parser: MailParser,
) -> None:
    """The SMTP server away while approved replies wait: sends fail and are rescheduled,
    nothing is failed for good, and once it is back and the retry pauses are over every
    reply arrives once."""
    engine = sqlite_office
    messages = enquiry_messages(60, seed=42)
    mailbox.deliver(messages)
    clock = MovableClock()
    with serving(engine, data_dir=data_dir, mailbox=mailbox, smtp=smtp, parser=parser, clock=clock):
        wait_for("the backlog", lambda: len(inbound_ids(engine)) == 60, timeout=60)
        approved = approve_some(engine, 10)
        wait_for("first sends", lambda: len(smtp.handler.received) > 0, 30, every=0.01)
        smtp.stop()
        approved += approve_some(engine, 20)
        time.sleep(OUTAGE)
        assert outbox_states(engine)["failed"] == 0
        smtp.start()
        clock.advance(RETRIES_DUE)
        wait_for("the sends", lambda: outbox_states(engine) == {"sent": 30}, timeout=60)
    assert retried(engine) > 0, "no send met the outage"
    assert_all_logged_and_sent(engine, mailbox, smtp, messages, len(approved))


@pytest.fixture
def own_postgres(tmp_path: Path) -> Iterator[PostgresServer]:
    """A PostgreSQL server of the test's own, which it stops and starts."""
    reason = skip_or_fail_reason()
    if reason is not None:
        need_part(reason)
    with running_postgres(tmp_path / "pg") as server:
        yield server


@pytest.mark.postgres
def test_database_stopped_and_restarted(
    own_postgres: PostgresServer,
    tmp_path: Path,
    mailbox: Mailbox,
    smtp: RestartableSmtp,
    parser: MailParser,
) -> None:
    """PostgreSQL shut down (every connection dropped) twice, in the middle of reading
    mail and of sending, and started again: the worker carries on by itself; every
    message logged and drafted once, every approved reply sent once."""
    url = own_postgres.create_database(f"rt_{uuid.uuid4().hex[:12]}")
    engine = make_engine(url)
    migrate.upgrade(engine)
    import_records(engine, tmp_path)
    control = PostgresControl(own_postgres)
    messages = enquiry_messages(400, seed=43)
    mailbox.deliver(messages[:300])
    clock = MovableClock()
    try:
        with serving(
            engine,
            data_dir=tmp_path / "data",
            mailbox=mailbox,
            smtp=smtp,
            parser=parser,
            clock=clock,
            database_url=url,
        ):
            wait_for("reading to start", lambda: len(inbound_ids(engine)) > 30, 30, every=0.02)
            control.stop()
            time.sleep(OUTAGE)
            control.start()
            mailbox.deliver(messages[300:])
            wait_for("every message", lambda: len(inbound_ids(engine)) == 400, timeout=60)
            approved = approve_some(engine, 40)
            wait_for("first sends", lambda: len(smtp.handler.received) > 0, 30, every=0.01)
            control.stop()
            time.sleep(OUTAGE)
            control.start()
            clock.advance(RETRIES_DUE)
            wait_for(
                "the sends",
                lambda: outbox_states(engine) == {"sent": 40},
                timeout=60,
                show=lambda: (outbox_states(engine), len(smtp.handler.received)),
            )
            wait_for("an empty inbox", lambda: mailbox.count("INBOX") == 0, timeout=30)
        assert_all_logged_and_sent(engine, mailbox, smtp, messages, len(approved))
    finally:
        engine.dispose()
