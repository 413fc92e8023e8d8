"""A claim is fenced (issue 17): when one worker's batch outlasts the stale-claim time and
another worker takes over the rows it has not reached, the first sends none of those. It
sent them twice before (3 of 3 in a probe). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage

from sqlalchemy import Engine

from mail.outbox_sender import STALE_CLAIM, send_due
from storage.outbox import claim_due, reclaim_stale
from tests.mail.outbox_rows import DESK, outbox_row, queue_reply

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class SlowFirstSend:
    """A transport whose first send takes so long that worker B reclaims and claims the
    rest of A's batch meanwhile (the stale time passes during it)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sent: list[EmailMessage] = []
        self.taken_by_b: list[int] = []

    async def send(self, message: EmailMessage) -> None:
        if not self.sent:
            later = NOW + STALE_CLAIM * 2
            reclaim_stale(self.engine, now=later, older_than=STALE_CLAIM)
            self.taken_by_b = [m.id for m in claim_due(self.engine, now=later, worker="B")]
        self.sent.append(message)


async def test_a_worker_sends_nothing_whose_claim_was_taken(engine: Engine) -> None:
    ids = [
        queue_reply(engine, now=NOW, original_id=f"<q{n}@mail.example>").outbox_id for n in range(3)
    ]
    transport = SlowFirstSend(engine)
    counts = await send_due(engine, transport, mail_from=DESK, now=NOW, worker="A")
    assert counts.claimed == 3
    assert len(transport.sent) == 1  # only the one it was sending when B took the rest
    assert counts.lost == 2
    assert sorted(transport.taken_by_b) == sorted(ids)  # all three went stale
    for outbox_id in ids[1:]:
        row = outbox_row(engine, outbox_id)
        assert (row.state, row.claimed_by) == ("sending", "B")
