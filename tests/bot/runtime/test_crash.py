"""SIGKILL at random moments while mail is read and replies go out: nothing lost or doubled."""

from __future__ import annotations

import random
import socket
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select

from mail.parse import MailParser
from storage.contact_log import inbound_contact, log_contact
from storage.outbox import claim_due
from storage.tables import Draft
from tests.bot.runtime.conftest import Workers
from tests.bot.runtime.office import (
    Mailbox,
    approve_some,
    claims_of,
    contacts_without_reply,
    enquiry_messages,
    inbound_ids,
    message_id,
    outbox_states,
    sent_message_ids,
    wait_for,
)
from tests.bot.runtime.servers import RestartableSmtp
from tests.bot.runtime.workers import enquiry_desk, worker_env

MESSAGES = 1000
KILLS = 4
APPROVE_EACH_TIME = 15


def test_sigkill_at_random_moments_loses_and_doubles_nothing(
    sqlite_office: Engine,
    data_dir: Path,
    mailbox: Mailbox,
    smtp: RestartableSmtp,
    ca_file: Path,
    workers: Workers,
) -> None:
    """A worker killed several times mid-ingest and mid-send, restarted each time: every
    message is logged once and drafted, every approved reply reaches the SMTP server once,
    no claim is left behind and the inbox ends empty."""
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    messages = enquiry_messages(MESSAGES, seed=5)
    expected = {message_id(raw) for raw in messages}
    mailbox.deliver(messages)
    env = worker_env(
        data_dir=data_dir,
        imap_port=mailbox.server.port,
        imap_user=mailbox.user,
        smtp_port=smtp.port,
        ca_file=ca_file,
    )
    engine = sqlite_office
    approved: list[int] = []
    # Replies the server had accepted when their worker died, before it could record
    # that: SMTP cannot tell us, so these alone may arrive twice, with one Message-ID.
    in_doubt: set[str] = set()
    left_claimed = 0  # rows a killed worker left `sending`, taken back by the next one
    for _ in range(KILLS):
        worker = workers.start(env, "crash")
        worker.wait_healthy()
        time.sleep(rng.uniform(0.05, 2.5))
        worker.kill()
        received, claimed = smtp.copies(), claims_of(engine, worker.pid)
        left_claimed += len(claimed)
        in_doubt |= {mid for mid in claimed if received[mid]}
        approved += approve_some(engine, APPROVE_EACH_TIME)

    last = workers.start(env, "crash")
    last.wait_healthy()
    approved += approve_some(engine, APPROVE_EACH_TIME)  # and some while it runs

    def settled() -> bool:
        states = outbox_states(engine)
        return (
            len(inbound_ids(engine)) == MESSAGES
            and states["pending"] + states["sending"] == 0
            and mailbox.count("INBOX") == 0
        )

    wait_for(f"the worker to finish the backlog (seed {seed})", settled, timeout=90)
    code, _ = last.terminate()
    assert code == 0, last.tail()
    enquiry_desk(env, "run", "--once")

    context = f"seed {seed}, left claimed {left_claimed}, in doubt {len(in_doubt)}"
    logged = inbound_ids(engine)
    assert set(logged) == expected, context
    assert max(logged.values()) == 1, context
    assert contacts_without_reply(engine) == [], context
    assert mailbox.count("INBOX") == 0, context
    assert mailbox.count("Processed") + mailbox.count("Quarantine") == MESSAGES, context

    # A worker killed at once may leave few drafts to approve; over the rounds there are plenty.
    assert len(approved) >= 2 * APPROVE_EACH_TIME, context
    states = outbox_states(engine)
    assert states == {"sent": len(approved)}, context
    copies = smtp.copies()
    for mid in sent_message_ids(engine).values():
        allowed = 2 if mid in in_doubt else 1
        assert 1 <= copies[mid] <= allowed, f"{mid} received {copies[mid]} times ({context})"
    assert sum(copies.values()) - len(approved) <= len(in_doubt), context


def test_a_claim_left_by_a_killed_worker_is_sent_by_the_next_run_at_once(
    sqlite_office: Engine,
    data_dir: Path,
    mailbox: Mailbox,
    smtp: RestartableSmtp,
    ca_file: Path,
) -> None:
    """An approved reply claimed (`sending`) by a worker of this machine that is gone is
    sent by the next `run --once` at once, not after the fifteen-minute stale timeout,
    and reaches the server once."""
    engine = sqlite_office
    mailbox.deliver(enquiry_messages(3, seed=21))
    env = worker_env(
        data_dir=data_dir,
        imap_port=mailbox.server.port,
        imap_user=mailbox.user,
        smtp_port=smtp.port,
        ca_file=ca_file,
    )
    enquiry_desk(env, "run", "--once")
    approved = approve_some(engine, 2)
    gone = subprocess.Popen(["true"])
    gone.wait()  # its pid now names a worker that has surely exited
    dead = f"{socket.gethostname()}:{gone.pid}"
    claimed = claim_due(engine, now=datetime.now(UTC), worker=dead, limit=1)
    assert len(claimed) == 1
    assert outbox_states(engine)["sending"] == 1

    enquiry_desk(env, "run", "--once")
    assert outbox_states(engine) == {"sent": len(approved)}
    assert sorted(smtp.copies().values()) == [1] * len(approved)


def test_an_enquiry_logged_by_a_worker_killed_before_drafting_is_drafted_on_restart(
    sqlite_office: Engine,
    data_dir: Path,
    mailbox: Mailbox,
    smtp: RestartableSmtp,
    ca_file: Path,
    parser: MailParser,
) -> None:
    """The contact log commits before the draft: a message logged by a worker that died
    before drafting is still in the inbox, and the next run drafts it (once)."""
    engine = sqlite_office
    raw = enquiry_messages(1, seed=22)[0]
    enquiry = parser.parse(raw, received_at=datetime.now(UTC))
    log_contact(
        engine,
        inbound_contact(enquiry),
        now=datetime.now(UTC),
    )
    assert len(contacts_without_reply(engine)) == 1
    mailbox.deliver([raw])
    env = worker_env(
        data_dir=data_dir,
        imap_port=mailbox.server.port,
        imap_user=mailbox.user,
        smtp_port=smtp.port,
        ca_file=ca_file,
    )
    enquiry_desk(env, "run", "--once")
    enquiry_desk(env, "run", "--once")
    assert contacts_without_reply(engine) == []
    assert inbound_ids(engine) == {message_id(raw): 1}
    with engine.connect() as conn:
        drafts = conn.execute(select(func.count()).select_from(Draft)).scalar_one()
    assert drafts == 1
