"""A ticket office for the runtime tests: records, a mailbox full of enquiries, and the
checks that nothing was lost, doubled or left half done."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from imapclient import IMAPClient  # type: ignore[import-untyped]
from sqlalchemy import Engine, func, select

from bot.demo.inbox import demo_enquiries, demo_message
from bot.demo.records import generate_records, write_records_csv
from storage.drafts import approve_draft
from storage.records_import import import_file
from storage.tables import Contact, Draft, DraftState, OutboxMessage, OutboxState
from tests.mail.dovecot_server import HOST, PASSWORD, DovecotServer

TODAY = date(2026, 11, 23)
MAIL_FROM = "tickets@force.example"
RECORDS = 400


def import_records(engine: Engine, folder: Path, count: int = RECORDS) -> None:
    """The synthetic records the enquiries are about, through the real import."""
    path = folder / "records.csv"
    write_records_csv(path, count, seed=7, today=TODAY)
    import_file(engine, path)


def enquiry_messages(count: int, *, seed: int, records: int = RECORDS) -> list[bytes]:
    """`count` realistic enquiries about the records (the demo inbox's), as raw mail."""
    rows = list(generate_records(records, seed=7, today=TODAY))
    return [demo_message(e).as_bytes() for e in demo_enquiries(rows, count=count, seed=seed)]


def message_id(raw: bytes) -> str:
    for line in raw.split(b"\n"):
        if line.lower().startswith(b"message-id:"):
            return line.split(b":", 1)[1].strip().decode()
    raise ValueError("no Message-ID")


@dataclass(frozen=True)
class Mailbox:
    """One user's mailbox on the test Dovecot."""

    server: DovecotServer
    user: str

    def client(self) -> IMAPClient:
        client = IMAPClient(HOST, port=self.server.port, ssl=False, timeout=30)
        client.login(self.user, PASSWORD)
        return client

    def deliver(self, messages: Sequence[bytes]) -> None:
        client = self.client()
        try:
            for start in range(0, len(messages), 200):
                client.multiappend("INBOX", list(messages[start : start + 200]))
        finally:
            client.logout()

    def count(self, folder: str) -> int:
        client = self.client()
        try:
            if not client.folder_exists(folder):
                return 0
            return int(client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"])
        finally:
            client.logout()


def inbound_ids(engine: Engine) -> Counter[str]:
    """How many times each inbound e-mail's Message-ID is in the contact log."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Contact.channel_message_id).where(  # type: ignore[call-overload]
                Contact.channel == "email", Contact.direction == "in"
            )
        ).scalars()
        return Counter(str(value) for value in rows)


def outbox_states(engine: Engine) -> Counter[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)  # type: ignore[call-overload]
        ).all()
    return Counter({str(state): int(count) for state, count in rows})


def sent_message_ids(engine: Engine) -> dict[int, str]:
    """Outbox row id -> Message-ID, for every row."""
    with engine.connect() as conn:
        rows = conn.execute(select(OutboxMessage.id, OutboxMessage.message_id)).all()  # type: ignore[call-overload]
    return {int(row_id): str(mid).strip() for row_id, mid in rows}


def claims_of(engine: Engine, worker_pid: int) -> list[str]:
    """Message-IDs of the rows left claimed (`sending`) by the worker with that pid."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(OutboxMessage.message_id, OutboxMessage.claimed_by).where(  # type: ignore[call-overload]
                OutboxMessage.state == OutboxState.SENDING
            )
        ).all()
    return [str(mid).strip() for mid, by in rows if str(by).endswith(f":{worker_pid}")]


def contacts_without_reply(engine: Engine) -> list[int]:
    """Inbound e-mail contacts that are not flagged yet have no reply draft: an enquiry
    logged and then forgotten."""
    drafted = select(Draft.contact_id).where(Draft.purpose == "reply")  # type: ignore[call-overload]
    with engine.connect() as conn:
        rows = conn.execute(
            select(Contact.id).where(  # type: ignore[call-overload]
                Contact.channel == "email",
                Contact.direction == "in",
                Contact.flag.is_(None),  # type: ignore[union-attr]
                Contact.id.not_in(drafted),  # type: ignore[union-attr]
            )
        ).scalars()
        return [int(value) for value in rows]


def approve_some(engine: Engine, count: int, *, actor: str = "clerk-test") -> list[int]:
    """Approve up to `count` drafted replies (oldest first), as a clerk would."""
    with engine.connect() as conn:
        found = conn.execute(
            select(Draft.id)  # type: ignore[call-overload]
            .where(
                Draft.state == DraftState.DRAFTED,
                Draft.purpose == "reply",
                Draft.recipient.is_not(None),  # type: ignore[union-attr]
            )
            .order_by(Draft.id)
            .limit(count)
        ).scalars()
        ids = [int(value) for value in found]
    for draft_id in ids:
        approve_draft(
            engine,
            draft_id,
            actor=actor,
            now=datetime.now(UTC),
            mail_from=MAIL_FROM,
            maker_checker=False,
        )
    return ids


def wait_for(
    what: str,
    check: Callable[[], bool],
    timeout: float,
    every: float = 0.2,
    show: Callable[[], object] | None = None,
) -> None:
    """Wait until `check()` holds; AssertionError naming `what` (and `show()`, the state
    seen last) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            seen = f"; last seen {show()}" if show is not None else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{seen}")
        time.sleep(every)
