"""Loading a large export into an empty SQLite records table quickly.

Keeping five secondary indexes up to date row by row costs more than the rows
themselves; building each index once at the end, from sorted data, is several times
cheaper. So a first import into an empty table on SQLite sets those indexes aside and
builds them when it finishes. If the process is killed in between, the indexes are
missing but no data is: `ensure_indexes`, run whenever a database is opened and before
every import, puts them back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, Index, Table, select
from sqlalchemy.schema import CreateIndex

from storage.errors import translated
from storage.tables import Record

_RECORD: Table = Record.__table__  # type: ignore[attr-defined]


def _secondary_indexes() -> list[Index]:
    # The unique (kind, ref_key) constraint is not in this list: the upsert needs it.
    return sorted(_RECORD.indexes, key=lambda index: str(index.name))


def ensure_indexes(engine: Engine) -> None:
    """Create any records index that is missing (a no-op when all are there)."""
    with translated("restore the records indexes"), engine.begin() as conn:
        for index in _secondary_indexes():
            # IF NOT EXISTS rather than `checkfirst`, which reflects the indexes and
            # SQLite cannot reflect one on an expression.
            conn.execute(CreateIndex(index, if_not_exists=True))


@contextmanager
def bulk_load(engine: Engine) -> Iterator[None]:
    """Around an import: on SQLite with no records yet, build indexes after, not during."""
    ensure_indexes(engine)
    if engine.dialect.name != "sqlite" or not _records_empty(engine):
        yield
        return
    with translated("set the records indexes aside"), engine.begin() as conn:
        for index in _secondary_indexes():
            index.drop(conn)
    try:
        yield
    finally:
        ensure_indexes(engine)


def _records_empty(engine: Engine) -> bool:
    with translated("count the records"), engine.connect() as conn:
        return conn.execute(select(_RECORD.c.id).limit(1)).first() is None
