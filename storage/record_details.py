"""A record's display fields, for replies and for the clerk: read by id, never searched."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, Table, bindparam, select
from sqlalchemy.exc import SQLAlchemyError

from storage.errors import StorageError
from storage.tables import Record

_R: Table = Record.__table__  # type: ignore[attr-defined]

DETAIL_COLUMNS = (
    "id",
    "kind",
    "reference",
    "status",
    "status_known",
    "status_date",
    "offence_date",
    "offence_code",
    "offence",
    "location",
    "vrm",
    "surname",
    "forenames",
    "dob",
    "postcode",
    "email",
    "amount_pence",
    "due_date",
    "court",
    "hearing_date",
    "urn",
    "officer",
    "outcome",
)

# Built once: an officer's answer reads one record, and building the statement each time
# cost more than running it.
_BY_IDS = select(*(_R.c[name] for name in DETAIL_COLUMNS)).where(
    _R.c.id.in_(bindparam("ids", expanding=True))
)


def record_details(engine: Engine, record_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Display fields of the records asked for, by id; ids not found are left out."""
    wanted = sorted(set(record_ids))
    if not wanted:
        return {}
    try:
        with engine.connect() as conn:
            return {row.id: dict(row._mapping) for row in conn.execute(_BY_IDS, {"ids": wanted})}
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot read records: {type(exc).__name__}") from exc
