"""The claims in `sending`, read as plain values for the worker that looks for dead ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from storage.errors import StorageError
from storage.outbox import SendingClaim, claim_due, sending_claims
from tests.mail.outbox_rows import queue_reply

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_only_claimed_rows_are_listed_with_their_worker(engine: Engine) -> None:
    """Pending rows are not claims; claimed ones are listed oldest first with `host:pid`."""
    assert sending_claims(engine) == []
    first = queue_reply(engine, now=NOW, original_id="<a@mail.example>")
    second = queue_reply(engine, now=NOW, original_id="<b@mail.example>")
    assert sending_claims(engine) == []
    claim_due(engine, now=NOW, worker="desk-1:4242", limit=1)
    assert sending_claims(engine) == [SendingClaim(first.outbox_id, "desk-1:4242")]
    claim_due(engine, now=NOW, worker="desk-2:7", limit=1)
    assert sending_claims(engine) == [
        SendingClaim(first.outbox_id, "desk-1:4242"),
        SendingClaim(second.outbox_id, "desk-2:7"),
    ]


def test_a_database_fault_is_a_storage_error(engine: Engine) -> None:
    """A dropped outbox table: `StorageError`, no SQLAlchemy error."""
    cascade = " CASCADE" if engine.dialect.name == "postgresql" else ""
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE outbox{cascade}"))
    with pytest.raises(StorageError, match=r"^cannot read the outbox claims: "):
        sending_claims(engine)
