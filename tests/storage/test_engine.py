"""Engine set-up: SQLite pragmas, driver choice, and clear errors for bad URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from storage.engine import check_connection, make_engine, normalise_url, sqlite_url
from storage.errors import DatabaseUnavailable


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    """Every SQLite connection has WAL journaling and enforced foreign keys."""
    engine = make_engine(sqlite_url(tmp_path / "a.db"))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_sqlite_folder_is_created(tmp_path: Path) -> None:
    """The embedded default works in a data folder that does not exist yet."""
    engine = make_engine(sqlite_url(tmp_path / "new" / "deeper" / "a.db"))
    check_connection(engine)
    assert (tmp_path / "new" / "deeper" / "a.db").exists()
    engine.dispose()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@db/desk", "postgresql+psycopg://u:p@db/desk"),
        ("postgres://u@db/desk", "postgresql+psycopg://u@db/desk"),
        ("postgresql+psycopg://u@db/desk", "postgresql+psycopg://u@db/desk"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_plain_postgresql_urls_use_psycopg3(given: str, expected: str) -> None:
    """Operators' usual `postgresql://` URLs get the driver we ship."""
    assert normalise_url(given) == expected


def test_nonsense_url_is_a_clear_error() -> None:
    """A URL that is not one raises our error, not SQLAlchemy's."""
    with pytest.raises(DatabaseUnavailable, match="not a database URL"):
        make_engine("not a url")


def test_unreachable_postgresql_is_a_clear_error() -> None:
    """A server that does not answer is reported with the URL, password hidden."""
    engine = make_engine("postgresql://desk:secret@127.0.0.1:1/desk?connect_timeout=2")
    with pytest.raises(DatabaseUnavailable) as caught:
        check_connection(engine)
    assert "127.0.0.1:1/desk" in str(caught.value)
    assert "secret" not in str(caught.value)
