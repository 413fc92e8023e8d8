"""Errors raised by `storage/`. No SQLAlchemy or driver exception leaves this package."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.exc import SQLAlchemyError

from lookup.errors import EnquiryDeskError


class StorageError(EnquiryDeskError):
    """Something went wrong reading or writing the database."""


class DatabaseUnavailable(StorageError):
    """The database could not be reached or opened."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"cannot open the database at {url}: {reason}")
        self.url = url
        self.reason = reason


class SchemaOutOfDate(StorageError):
    """The database schema is behind the code; `enquiry-desk db upgrade` brings it up."""

    def __init__(self, current: str | None, head: str) -> None:
        where = current or "empty"
        super().__init__(
            f"the database schema is at revision {where}, the code needs {head}: "
            "run `enquiry-desk db upgrade`"
        )
        self.current = current
        self.head = head


class ImportFileError(StorageError):
    """A records file cannot be imported at all (unreadable, wrong format, no key columns)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@contextmanager
def translated(doing: str) -> Iterator[None]:
    """Turn any SQLAlchemy or driver failure inside the block into a `StorageError`.

    `doing` says what was being done, in words for an operator ("log the contact"); only the
    exception's class name is added, never its message, because a driver's message can quote
    the statement's parameters (names, addresses, references). Errors that are already ours
    pass through unchanged. Usable as a decorator as well: `@translated("read the queue")`.

    The drivers' own errors are caught too: the hot look-ups run fixed SQL on the driver's
    cursor (`storage.record_lookup.RawLookup`), where SQLAlchemy does not wrap them.
    """
    try:
        yield
    except StorageError:
        raise
    except (SQLAlchemyError, sqlite3.Error, psycopg.Error) as exc:
        raise StorageError(f"cannot {doing}: {type(exc).__name__}") from exc
