"""A record's display fields, for replies and for the clerk: read by id, never searched."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields

from sqlalchemy import Date, Engine, Table

from lookup.records import RecordDetails
from storage.errors import translated
from storage.record_lookup import RawLookup, as_date
from storage.tables import Record

_R: Table = Record.__table__  # type: ignore[attr-defined]

# The value's fields are the columns read, in its order: one list, so the two cannot drift.
DETAIL_COLUMNS = tuple(field.name for field in fields(RecordDetails))

# Fixed SQL on the driver's cursor, as for the candidate look-up: an officer's answer
# reads one record, and SQLAlchemy's statement handling cost more than the read.
_SELECT = f"SELECT {', '.join(DETAIL_COLUMNS)} FROM record WHERE id IN "  # noqa: S608
_DATES = frozenset(name for name in DETAIL_COLUMNS if isinstance(_R.c[name].type, Date))


def record_details(engine: Engine, record_ids: Iterable[int]) -> dict[int, RecordDetails]:
    """Display fields of the records asked for, by id; ids not found are left out."""
    wanted = tuple(sorted(set(record_ids)))
    if not wanted:
        return {}
    marks = ", ".join("?" * len(wanted))
    with translated("read records"), engine.connect() as conn:
        rows = RawLookup(conn).run(f"{_SELECT}({marks})", wanted)
    found = {}
    for row in rows:
        values = dict(zip(DETAIL_COLUMNS, row, strict=True))
        for name in _DATES:
            values[name] = as_date(values[name])
        values["status_known"] = bool(values["status_known"])
        details = RecordDetails(**values)
        found[details.id] = details
    return found
