"""Shared fixtures: a database of each kind, fresh for every test that asks for one.

SQLite always; PostgreSQL from Debian's package, one throwaway server for the whole
session and one new database per test. Without the package the PostgreSQL half skips,
saying how to install it, except in CI (the CI variable set), where it fails: CI
installs every part and must never skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from sqlalchemy import Engine

from storage import migrate
from storage.engine import make_engine, sqlite_url
from tests.mail.dovecot_server import DovecotServer, running_dovecot, skip_reason
from tests.postgres_server import PostgresServer, running_postgres, skip_or_fail_reason

DATA = Path(__file__).parent / "data"


def need_part(reason: str) -> None:
    """Skip for a missing real part, or fail in CI, where every part is installed."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must not skip: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    reason = skip_or_fail_reason()
    if reason is not None:
        need_part(reason)
    with running_postgres(tmp_path_factory.mktemp("postgres")) as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a new database on the session's PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "test.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = server.create_database(name)
    yield url
    server.drop_database(name)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on an empty database brought to the newest schema."""
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sample_records() -> Path:
    """The 2,000 sample records shipped with the tests (a copy of shared/sample)."""
    return DATA / "records.csv"


# Mail servers, shared by the mail and runtime tests: one session Dovecot, not one per folder.


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    """A throwaway certificate authority for the test servers' TLS."""
    return trustme.CA()


@pytest.fixture(scope="session")
def dovecot(ca: trustme.CA) -> Iterator[DovecotServer]:
    """One Dovecot for the session; each test reads a mailbox of its own."""
    reason = skip_reason()
    if reason is not None:
        need_part(reason)
    with running_dovecot(ca) as server:
        yield server


@pytest.fixture
def fresh_dovecot(ca: trustme.CA) -> Iterator[DovecotServer]:
    """A Dovecot of the test's own, which the test may stop and start."""
    reason = skip_reason()
    if reason is not None:
        need_part(reason)
    with running_dovecot(ca) as server:
        yield server
