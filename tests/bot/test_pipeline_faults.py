"""`Pipeline.handle` on a broken database: a `StorageError` (our error tree), never a
SQLAlchemy or driver exception, whichever step meets the fault."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.pipeline import Pipeline
from lookup.enquiry import Enquiry
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage import migrate
from storage.engine import make_engine, sqlite_url
from storage.errors import StorageError

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
STORE = TemplateStore([PACKAGE_TEMPLATES])


def _pipeline(engine: Engine) -> Pipeline:
    return Pipeline(engine=engine, templates=STORE, clock=lambda: NOW)


def _email(key: str) -> Enquiry:
    return Enquiry(
        channel="email",
        channel_message_id=f"<{key}@example.org>",
        sender="writer@example.org",
        received_at=NOW,
        text="What is happening with my ticket 4249150997? My car is AB12 CDE.",
        subject="My ticket",
    )


def _drop(engine: Engine, table: str) -> None:
    cascade = " CASCADE" if engine.dialect.name == "postgresql" else ""
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {table}{cascade}"))


def test_a_redelivery_with_the_drafts_table_gone_is_a_storage_error(engine: Engine) -> None:
    """The redelivered message's earlier draft is read through storage: the fault that
    used to escape as `OperationalError` is a `StorageError` naming what was being done."""
    pipeline = _pipeline(engine)
    first = pipeline.handle(_email("again"))
    assert first.draft_id is not None
    _drop(engine, "draft")
    with pytest.raises(
        StorageError, match=rf"^cannot read the reply to contact {first.contact_id}"
    ):
        pipeline.handle(_email("again"))


def test_a_new_message_with_the_records_table_moved_is_a_storage_error(engine: Engine) -> None:
    """Logged first, then the candidate look-up meets the fault: a `StorageError`."""
    # Renamed, not dropped: the contact log's reference to it must still hold.
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE record RENAME TO record_elsewhere"))
    with pytest.raises(StorageError, match=r"^cannot look up candidate records: "):
        _pipeline(engine).handle(_email("new"))


def test_a_database_file_that_is_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    """A SQLite file overwritten with other bytes (a bad restore): the first step, the
    contact log, says so as a `StorageError`."""
    path = tmp_path / "desk.db"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    engine.dispose()
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    path.write_bytes(b"this is not a SQLite database " * 200)
    engine = make_engine(sqlite_url(path))
    try:
        with pytest.raises(StorageError, match=r"^cannot log the contact: DatabaseError$"):
            _pipeline(engine).handle(_email("garbled"))
    finally:
        engine.dispose()
