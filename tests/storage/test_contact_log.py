"""The contact log records each message once, however often it is delivered."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from storage.contact_log import NewContact, log_contact
from storage.tables import Contact

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def message(message_id: str, channel: str = "email") -> NewContact:
    return NewContact(
        channel=channel,
        direction="in",
        channel_message_id=message_id,
        party="Someone@Example.org",
        received_at=NOW,
        subject="My ticket",
        text="What is the status of 4249150997?",
    )


def contacts(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Contact.__table__)).scalar_one())  # type: ignore[attr-defined]


def test_redelivered_message_is_recognised(engine: Engine) -> None:
    """Logging the same message id twice returns the first entry and adds nothing."""
    first = log_contact(engine, message("<a@x>"), now=NOW)
    again = log_contact(engine, message("<a@x>"), now=NOW)
    assert first.is_new
    assert not again.is_new
    assert first.id == again.id
    assert contacts(engine) == 1


def test_same_id_on_another_channel_is_another_contact(engine: Engine) -> None:
    """Message ids are unique per channel, not across channels."""
    a = log_contact(engine, message("123"), now=NOW)
    b = log_contact(engine, message("123", channel="slack"), now=NOW)
    assert a.id != b.id
    assert contacts(engine) == 2


def test_racing_workers_log_one_contact(engine: Engine) -> None:
    """Eight threads logging one message at once agree on a single entry."""
    with ThreadPoolExecutor(8) as pool:
        results = list(
            pool.map(lambda _: log_contact(engine, message("<race@x>"), now=NOW), range(8))
        )
    assert len({r.id for r in results}) == 1
    assert sum(r.is_new for r in results) == 1
    assert contacts(engine) == 1


def test_party_key_and_time_are_stored(engine: Engine) -> None:
    """The sender is indexed in folded form and the time comes back in UTC."""
    logged = log_contact(engine, message("<b@x>"), now=NOW)
    with engine.connect() as conn:
        row = conn.execute(
            select(Contact.__table__).where(Contact.__table__.c.id == logged.id)
        ).one()  # type: ignore[attr-defined]
    assert row.party_key == "someone@example.org"
    assert row.received_at == NOW
