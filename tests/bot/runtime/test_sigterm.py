"""SIGTERM while mail is being read and replies sent: a prompt, clean stop."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from tests.bot.runtime.conftest import Workers
from tests.bot.runtime.office import (
    Mailbox,
    approve_some,
    contacts_without_reply,
    enquiry_messages,
    inbound_ids,
    message_id,
    outbox_states,
    wait_for,
)
from tests.bot.runtime.servers import RestartableSmtp
from tests.bot.runtime.workers import enquiry_desk, worker_env

MESSAGES = 1000
# Generous: the worker finishes the message and the send in hand, nothing more.
STOP_WITHIN = 5.0


def test_sigterm_stops_within_seconds_with_nothing_half_done(
    sqlite_office: Engine,
    data_dir: Path,
    mailbox: Mailbox,
    smtp: RestartableSmtp,
    ca_file: Path,
    workers: Workers,
) -> None:
    """SIGTERM in the middle of a backlog and a batch of sends: exit code 0 within a few
    seconds; every message filed away is logged and drafted, no claim is left `sending`,
    and what was not reached is taken up by the next run."""
    engine = sqlite_office
    messages = enquiry_messages(MESSAGES, seed=11)
    mailbox.deliver(messages[:100])
    env = worker_env(
        data_dir=data_dir,
        imap_port=mailbox.server.port,
        imap_user=mailbox.user,
        smtp_port=smtp.port,
        ca_file=ca_file,
    )
    enquiry_desk(env, "run", "--once")
    approved = approve_some(engine, 60)
    mailbox.deliver(messages[100:])

    worker = workers.start(env, "sigterm")
    worker.wait_healthy()
    wait_for("sending to start", lambda: len(smtp.handler.received) > 0, timeout=30, every=0.02)
    wait_for("reading to start", lambda: len(inbound_ids(engine)) > 120, timeout=30, every=0.02)
    code, seconds = worker.terminate()
    assert code == 0, worker.tail()
    assert seconds < STOP_WITHIN, f"took {seconds:.1f} s to stop"
    assert '"event": "worker stopped"' in worker.tail(20_000)

    # Nothing half done: no claim in flight, and everything moved out of the inbox was
    # logged and drafted (a message still in the inbox may or may not be logged yet).
    states = outbox_states(engine)
    assert states["sending"] == 0
    assert contacts_without_reply(engine) == []
    filed = mailbox.count("Processed") + mailbox.count("Quarantine")
    assert filed <= len(inbound_ids(engine))
    assert len(inbound_ids(engine)) < MESSAGES, "the backlog was finished before the stop"

    enquiry_desk(env, "run", "--once")
    logged = inbound_ids(engine)
    assert set(logged) == {message_id(raw) for raw in messages}
    assert max(logged.values()) == 1
    assert outbox_states(engine) == {"sent": len(approved)}
    assert sorted(smtp.copies().values()) == [1] * len(approved)
