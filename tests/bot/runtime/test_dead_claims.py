"""A restarted worker gives back at once the outbox claims of dead workers on this machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime

from sqlalchemy import Engine

from bot.runtime import release_dead_claims
from storage.outbox import SendingClaim, claim_due, sending_claims
from tests.mail.outbox_rows import queue_reply

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_only_claims_of_dead_workers_here_are_released(engine: Engine) -> None:
    """On SQLite: a claim of a process here that is gone goes back to pending; a live
    process's claim and another machine's claim stay. PostgreSQL leaves all to the timeout."""
    host = socket.gethostname()
    workers = [f"{host}:{_dead_pid()}", f"{host}:{os.getpid()}", "elsewhere:1"]
    ids = []
    for n, worker in enumerate(workers):
        ids.append(queue_reply(engine, now=NOW, original_id=f"<m{n}@mail.example>").outbox_id)
        claim_due(engine, now=NOW, worker=worker, limit=1)
    released = release_dead_claims(engine)
    if engine.dialect.name == "sqlite":
        assert released == 1
        assert sending_claims(engine) == [
            SendingClaim(ids[1], workers[1]),
            SendingClaim(ids[2], workers[2]),
        ]
    else:
        assert released == 0
        assert len(sending_claims(engine)) == 3


def test_a_database_fault_is_logged_not_raised(engine: Engine) -> None:
    """No outbox table: the look is skipped (logged), the worker starts anyway."""
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE outbox")
    assert release_dead_claims(engine) == 0
