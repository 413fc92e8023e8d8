"""Tests for the throwaway PostgreSQL server helper used by the test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, text

from tests.postgres_server import PostgresServer, running_postgres, skip_or_fail_reason

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """One server for the module; start-up costs a couple of seconds."""
    reason = skip_or_fail_reason()
    if reason is not None:
        # CI must have PostgreSQL: there a missing server is a broken image, not a skip.
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with running_postgres(tmp_path_factory.mktemp("postgres")) as server:
        yield server


def _engine(url: str) -> Engine:
    # Each test disposes its engines before dropping databases, so no pooled
    # connection outlives the database it points at.
    return create_engine(url)


def test_server_answers_version(pg_server: PostgresServer) -> None:
    """The admin URL reaches a real PostgreSQL server."""
    engine = _engine(pg_server.admin_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("select version()")).scalar_one()
    finally:
        engine.dispose()
    assert "PostgreSQL" in version
    assert pg_server.admin_url == (
        f"postgresql+psycopg://{pg_server.user}@127.0.0.1:{pg_server.port}/postgres"
    )


def test_server_listens_on_loopback_with_fast_settings(pg_server: PostgresServer) -> None:
    """The server listens on 127.0.0.1 and runs with the speed-over-durability settings."""
    with pg_server.connect_admin() as conn:
        rows = conn.execute(
            "select name, setting from pg_settings where name in "
            "('listen_addresses', 'fsync', 'full_page_writes', 'synchronous_commit', "
            "'max_connections', 'server_encoding')"
        ).fetchall()
    settings = {name: setting for name, setting in rows}
    assert settings == {
        "listen_addresses": "127.0.0.1",
        "fsync": "off",
        "full_page_writes": "off",
        "synchronous_commit": "off",
        "max_connections": "100",
        "server_encoding": "UTF8",
    }


def test_created_database_round_trips_a_table(pg_server: PostgresServer) -> None:
    """create_database returns a URL where SQLAlchemy can create, write and read a table."""
    url = pg_server.create_database("ed_roundtrip")
    assert url == pg_server.url_for("ed_roundtrip")
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("create table enquiry (id serial primary key, subject text)"))
            conn.execute(
                text("insert into enquiry (subject) values (:subject)"),
                [{"subject": "Bin not collected"}, {"subject": "Pothole — Élan Street"}],
            )
        with engine.connect() as conn:
            rows = conn.execute(text("select subject from enquiry order by id")).scalars().all()
        assert rows == ["Bin not collected", "Pothole — Élan Street"]
    finally:
        engine.dispose()
        pg_server.drop_database("ed_roundtrip")


def test_databases_are_independent(pg_server: PostgresServer) -> None:
    """A table created in one database does not exist in another."""
    url_a = pg_server.create_database("ed_indep_a")
    url_b = pg_server.create_database("ed_indep_b")
    engine_a, engine_b = _engine(url_a), _engine(url_b)
    try:
        with engine_a.begin() as conn:
            conn.execute(text("create table only_in_a (x int)"))
            conn.execute(text("insert into only_in_a values (1)"))
        with engine_b.connect() as conn:
            exists_in_b = conn.execute(text("select to_regclass('only_in_a')")).scalar_one()
        with engine_a.connect() as conn:
            count_in_a = conn.execute(text("select count(*) from only_in_a")).scalar_one()
        assert exists_in_b is None
        assert count_in_a == 1
    finally:
        engine_a.dispose()
        engine_b.dispose()
        pg_server.drop_database("ed_indep_a")
        pg_server.drop_database("ed_indep_b")


def test_drop_database_removes_it_even_with_open_connection(pg_server: PostgresServer) -> None:
    """drop_database succeeds while a session is still connected, and the database is gone."""
    url = pg_server.create_database("ed_dropme")
    engine = _engine(url)
    lingering = engine.connect()  # simulates a connection a test forgot to close
    try:
        pg_server.drop_database("ed_dropme")
        with pg_server.connect_admin() as conn:
            found = conn.execute("select 1 from pg_database where datname = 'ed_dropme'").fetchone()
        assert found is None
        pg_server.drop_database("ed_dropme")  # dropping again is a no-op
    finally:
        lingering.invalidate()
        engine.dispose()


def test_missing_database_is_a_connection_error(pg_server: PostgresServer) -> None:
    """url_for does not create anything: connecting to an unknown database fails."""
    with pytest.raises(psycopg.OperationalError, match="does not exist"):
        psycopg.connect(
            host=pg_server.host, port=pg_server.port, user=pg_server.user, dbname="ed_nope"
        ).close()


def test_server_log_is_written(pg_server: PostgresServer) -> None:
    """The live server log exists, so start-up failures and crashes can be diagnosed."""
    assert Path(pg_server.log_file).is_file()
