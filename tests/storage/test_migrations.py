"""The migrations and the table classes describe the same schema, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

from storage import migrate
from storage.engine import make_engine
from storage.errors import SchemaOutOfDate


# SQLite cannot reflect an index on an expression; autogenerate is told to skip them.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_upgrade_builds_exactly_the_modelled_schema(engine: Engine) -> None:
    """After `upgrade`, autogenerate finds nothing to change: no model lacks a migration."""
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"include_object": migrate.include_object}),
            SQLModel.metadata,
        )
    assert diff == []
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_downgrade_to_base_and_up_again(engine: Engine) -> None:
    """Every migration can be undone and redone, leaving the full set of tables."""
    migrate.downgrade(engine, "base")
    assert "record" not in inspect(engine).get_table_names()
    migrate.upgrade(engine)
    assert {"record", "contact", "draft", "outbox", "audit_event"} <= set(
        inspect(engine).get_table_names()
    )


def test_empty_database_is_reported_out_of_date(database_url: str) -> None:
    """A database never upgraded is refused with an instruction naming the command."""
    engine = make_engine(database_url)
    with pytest.raises(SchemaOutOfDate, match="enquiry-desk db upgrade"):
        migrate.require_current(engine)
    engine.dispose()


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    """Running `db upgrade` on a current schema changes nothing and raises nothing."""
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_the_name_pair_index_comes_and_goes_with_0009(engine: Engine) -> None:
    """Migration 0009 adds the (surname code, forename code, dob) index; undoing it to 0008
    drops only that index."""
    name = "ix_record_surname_code_forename_code_dob"
    assert name in {ix["name"] for ix in inspect(engine).get_indexes("record")}
    migrate.downgrade(engine, "0008")
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("record")}
    assert name not in indexes
    assert "ix_record_surname_code_dob" in indexes
    migrate.upgrade(engine)
