"""Engines and sessions for SQLite (the embedded default) and PostgreSQL.

`Engine` is re-exported so that other packages can type an engine they are handed without
importing SQLAlchemy themselves (only `storage/` may; a ruff rule enforces it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session

from storage.errors import DatabaseUnavailable

__all__ = [
    "SQLITE_BUSY_TIMEOUT_MS",
    "Engine",
    "check_connection",
    "is_sqlite",
    "make_engine",
    "normalise_url",
    "session_scope",
    "sqlite_url",
]

# Milliseconds a SQLite writer waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_MS = 15_000


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path.resolve()}"


def normalise_url(url: str) -> str:
    """Pick our drivers when a URL names only the database.

    Operators write `postgresql://...` as every PostgreSQL tool does; SQLAlchemy would
    then look for psycopg2, which we do not ship. psycopg 3 is what we install.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(url, "not a database URL") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets the review desk read while an import or the mail loop writes; SQLite
    # leaves foreign keys off unless asked, per connection. synchronous=NORMAL is safe
    # with WAL (a power cut may lose the last commits, never corrupts the file).
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA cache_size=-65536")
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`, with the settings this project relies on."""
    url = normalise_url(url)
    parsed = make_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError) as exc:
        raise DatabaseUnavailable(parsed.render_as_string(), str(exc)) from exc
    return engine


def check_connection(engine: Engine) -> None:
    """Connect once, turning any failure into a `DatabaseUnavailable` naming the URL."""
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(engine.url.render_as_string(), _first_line(exc)) from exc


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
