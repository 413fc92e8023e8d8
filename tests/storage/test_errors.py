"""Database failures leave `storage/` one way: a `StorageError` saying what was being done,
naming the failure's class and never quoting the statement or its parameters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError

from storage.contact_log import NewContact, log_contact
from storage.errors import StorageError, translated
from storage.record_details import record_details
from storage.users import UserError

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
# Values a driver's message would quote back (SQLAlchemy adds "[parameters: ...]").
PARTY = "jo.bloggs.private@example.org"
TEXT = "My ticket FP12345678, date of birth 04/07/1981"


def _drop(engine: Engine, table: str) -> None:
    cascade = " CASCADE" if engine.dialect.name == "postgresql" else ""
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {table}{cascade}"))


def test_a_write_to_a_dropped_table_names_the_task_not_the_values(engine: Engine) -> None:
    """Logging into a dropped table: the message says what failed and the error's class;
    the party and text, which the driver's own message quotes, appear nowhere in it."""
    _drop(engine, "contact")
    contact = NewContact(
        channel="email",
        direction="in",
        channel_message_id="<secret@example.org>",
        party=PARTY,
        received_at=NOW,
        text=TEXT,
    )
    with pytest.raises(StorageError) as caught:
        log_contact(engine, contact, now=NOW)
    message = str(caught.value)
    assert message in (
        "cannot log the contact: OperationalError",  # SQLite: no such table
        "cannot log the contact: ProgrammingError",  # PostgreSQL: relation does not exist
    )
    assert PARTY not in message
    assert "FP12345678" not in message
    # The cause stays chained for the log's traceback, where the operator can read it.
    assert isinstance(caught.value.__cause__, OperationalError | ProgrammingError)
    assert PARTY in str(caught.value.__cause__)


def test_a_driver_error_from_the_raw_cursor_is_translated_too(engine: Engine) -> None:
    """The hot look-ups run on the driver's cursor (sqlite3 / psycopg errors, not
    SQLAlchemy's); they come out as `StorageError` all the same."""
    _drop(engine, "record")
    with pytest.raises(StorageError, match=r"^cannot read records: \w+$") as caught:
        record_details(engine, [1, 2])
    assert not isinstance(caught.value.__cause__, SQLAlchemyError)


def test_our_own_errors_and_other_exceptions_pass_through() -> None:
    """An error already ours keeps its class and words; a bug is not dressed up as a
    database failure."""
    with pytest.raises(UserError, match=r"^no account named sam$"), translated("read accounts"):
        raise UserError("no account named sam")
    with pytest.raises(KeyError), translated("read accounts"):
        raise KeyError("record_id")


def test_translated_works_as_a_decorator() -> None:
    """`@translated(...)` on a function translates what the function raises, on every call."""

    @translated("count the queue")
    def count(fail: bool) -> int:
        if fail:
            raise OperationalError("SELECT count(*) FROM draft WHERE party = ?", (PARTY,), None)
        return 3

    assert count(False) == 3
    for _ in range(2):
        with pytest.raises(StorageError) as caught:
            count(True)
        assert str(caught.value) == "cannot count the queue: OperationalError"
