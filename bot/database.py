"""Opening the configured database, with the schema brought up to date where that is safe."""

from __future__ import annotations

from bot.settings import Settings
from storage import migrate
from storage.bulk_load import ensure_indexes
from storage.engine import Engine, check_connection, is_sqlite, make_engine


def open_database(settings: Settings, url: str | None = None) -> Engine:
    """An engine on `url` (or the configured database), schema checked.

    A SQLite file belongs to this one installation, so it is migrated on the spot: that
    is what makes the embedded default work on first run. A PostgreSQL database may be
    shared by several workers on different versions, so it is only checked, and an
    operator runs `enquiry-desk db upgrade` deliberately.
    """
    engine = make_engine(url or settings.database)
    check_connection(engine)
    if is_sqlite(engine):
        migrate.upgrade(engine)
        ensure_indexes(engine)  # an import killed mid bulk-load leaves them to rebuild
    else:
        migrate.require_current(engine)
    return engine
