"""Schema migrations with Alembic, driven from code rather than an alembic.ini.

The migration scripts ship inside the package, so `enquiry-desk db upgrade` works from
any installed copy without a config file next to it.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from storage.errors import SchemaOutOfDate, translated

_SCRIPTS = Path(__file__).with_name("migrations")


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Whether autogenerate compares an object. Not the review desk's full-text search (an
    FTS5 table and its shadow tables on SQLite, a GIN index on PostgreSQL, all named
    `*_fts*`: written by hand in its migration, with no model), nor indexes on
    expressions, which SQLite cannot reflect and PostgreSQL reflects rewritten; both are
    checked by their own tests."""
    if type_ not in ("table", "index") or name is None:
        return True
    return "_fts" not in name and name not in EXPRESSION_INDEXES


# Indexes on expressions, by name (storage.tables).
EXPRESSION_INDEXES = frozenset({"ix_record_ref_head_end"})


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(engine: Engine) -> str | None:
    with translated("read the schema revision"), engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the newest by default); a no-op when it is there."""
    config = _config()
    with translated("upgrade the schema"), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = _config()
    with translated("downgrade the schema"), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def require_current(engine: Engine) -> None:
    """Refuse to work on a schema older than the code (for shared PostgreSQL databases)."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise SchemaOutOfDate(current, head)


def autogenerate(engine: Engine, message: str) -> None:
    """Write a new migration from the difference between the tables and the database.

    For maintainers: run against a database at head, then read and edit the result.
    """
    config = _config()
    with translated("write a migration"), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
