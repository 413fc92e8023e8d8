"""One worker at a time reads the mailbox and watches status changes.

On PostgreSQL this is a session advisory lock held on a connection of its own: if the
worker dies, its connection closes and the server releases the lock, so another worker
takes over without any timeout of ours. SQLite serves one machine and one worker; the
lock is then always granted.
"""

from __future__ import annotations

import contextlib
import zlib

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from storage.errors import translated


class LeaderLock:
    def __init__(self, engine: Engine, name: str = "enquiry-desk:mailbox") -> None:
        self._engine = engine
        # Advisory locks take a 64-bit key; a stable digest of the name gives one.
        self._key = zlib.crc32(name.encode())
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._engine.dialect.name != "postgresql"

    def try_acquire(self) -> bool:
        """Take the lock if free; True if this worker holds it now."""
        if self._engine.dialect.name != "postgresql":
            return True
        if self._conn is not None:
            if self._alive(self._conn):
                return True
            self._drop()
        with translated("take the mailbox lock"):
            conn = self._engine.connect()
            got = bool(
                conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}).scalar()
            )
            conn.commit()
        if got:
            self._conn = conn
        else:
            conn.close()
        return got

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
            self._conn.commit()
        except SQLAlchemyError:
            pass  # the connection is going anyway; closing it releases the lock
        self._drop()

    def _alive(self, conn: Connection) -> bool:
        try:
            conn.execute(text("SELECT 1"))
            conn.commit()
            return True
        except SQLAlchemyError:
            return False

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._conn.close()
            self._conn = None
