"""`records import`: upsert a records export by (kind, reference), in batches.

Each batch is one transaction: a failure or a kill part-way leaves every earlier batch
fully applied and the rest untouched, never half a row. Rows are compared with what is
stored by a content hash, so re-importing an unchanged export writes almost nothing.
"""

from __future__ import annotations

import getpass
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, insert, select, update
from sqlalchemy.engine import Dialect

from storage.audit import audit
from storage.bulk_load import bulk_load
from storage.errors import ImportFileError, translated
from storage.record_files import (
    BadRow,
    Progress,
    ReadItem,
    UnknownColumn,
    detect_format,
    read_rows,
)
from storage.record_rows import STORED_COLUMNS, Validated, ValidRow, validate_items
from storage.tables import ImportRun, Record, RecordStatusEvent

BATCH_SIZE = 10_000
# How many rejected rows a summary keeps word for word; the rest are only counted.
KEPT_REJECTIONS = 1000

Clock = Callable[[], datetime]

_RECORD: Table = Record.__table__  # type: ignore[attr-defined]
_EVENT: Table = RecordStatusEvent.__table__  # type: ignore[attr-defined]
_RUN: Table = ImportRun.__table__  # type: ignore[attr-defined]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Rejection:
    line: int
    reason: str


@dataclass
class ImportSummary:
    """What one import did. `rejections` keeps the first few reasons; `rejected` counts all."""

    run_id: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    unknown_status: int = 0
    status_changes: int = 0
    unknown_statuses: dict[str, int] = field(default_factory=dict)
    # Columns the contract does not name, in the order seen: reported, values ignored.
    unknown_columns: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    on_reject: Callable[[Rejection], None] | None = field(default=None, repr=False)

    @property
    def accepted(self) -> int:
        return self.inserted + self.updated + self.unchanged

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        rejection = Rejection(line, reason)
        if len(self.rejections) < KEPT_REJECTIONS:
            self.rejections.append(rejection)
        if self.on_reject is not None:
            self.on_reject(rejection)

    def line(self) -> str:
        text = (
            f"inserted {self.inserted}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )
        # Said apart from "rejected": these rows are in, only their status is not one
        # the contract lists ("rejected 5 (1 ... kept)" read as if they were among the 5).
        if self.unknown_status:
            text += (
                f"; of those imported, {self.unknown_status} with an unknown status"
                " (kept as given, shown to clerks as unknown)"
            )
        if self.rejected:
            text += "; rejected rows were not imported (reasons above, or --rejects FILE)"
        if self.unknown_columns:
            text += f"; column(s) not in the contract, ignored: {', '.join(self.unknown_columns)}"
        return text


def import_file(
    engine: Engine,
    path: Path,
    *,
    actor: str | None = None,
    progress: Progress | None = None,
    on_reject: Callable[[Rejection], None] | None = None,
    on_unknown: UnknownColumn | None = None,
    clock: Clock = utc_now,
    batch_size: int = BATCH_SIZE,
) -> ImportSummary:
    """Import a CSV or JSON Lines records file. Raises `ImportFileError` when the file as
    a whole cannot be used; bad rows are counted and reported in the summary instead.

    `on_unknown` hears each column the contract does not name as soon as it is read (for
    CSV, before any row is imported); the summary lists them too."""
    unknown: list[str] = []

    def heard(column: str) -> None:
        unknown.append(column)
        if on_unknown is not None:
            on_unknown(column)

    try:
        stream = path.open("rb")
    except OSError as exc:
        raise ImportFileError(str(path), exc.strerror or str(exc)) from exc
    with stream:
        file_format = detect_format(path, stream.peek(1)[:1])
        summary = import_rows(
            engine,
            read_rows(path, stream, progress, heard),
            source=str(path),
            file_format=file_format,
            actor=actor,
            on_reject=on_reject,
            clock=clock,
            batch_size=batch_size,
        )
    summary.unknown_columns = unknown
    return summary


def import_rows(
    engine: Engine,
    rows: Iterable[ReadItem],
    *,
    source: str,
    file_format: str,
    actor: str | None = None,
    on_reject: Callable[[Rejection], None] | None = None,
    clock: Clock = utc_now,
    batch_size: int = BATCH_SIZE,
) -> ImportSummary:
    """Import already-read rows; the engine of `import_file`, usable with any row source."""
    actor = actor or _whoami()
    run_id = _start_run(engine, source, file_format, actor, clock())
    summary = ImportSummary(run_id=run_id, on_reject=on_reject)
    with bulk_load(engine):
        _import(engine, validate_items(rows), summary, clock, batch_size)
    _finish_run(engine, summary, actor, clock())
    return summary


def _import(
    engine: Engine,
    items: Iterable[Validated],
    summary: ImportSummary,
    clock: Clock,
    batch_size: int,
) -> None:
    batch: list[tuple[int, ValidRow]] = []
    for item in items:
        if isinstance(item, BadRow):
            summary.reject(item.line, item.reason)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            _apply_batch(engine, batch, summary, clock())
            batch = []
    if batch:
        _apply_batch(engine, batch, summary, clock())


def _whoami() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _start_run(engine: Engine, source: str, file_format: str, actor: str, now: datetime) -> int:
    with translated("start the import"), engine.begin() as conn:
        result = conn.execute(
            insert(_RUN).values(
                source=source[-1024:],
                file_format=file_format,
                actor=actor[:128],
                started_at=now,
                inserted=0,
                updated=0,
                unchanged=0,
                rejected=0,
                unknown_status=0,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def _finish_run(engine: Engine, summary: ImportSummary, actor: str, now: datetime) -> None:
    with translated("finish the import"), engine.begin() as conn:
        audit(
            conn,
            at=now,
            actor=actor,
            action="records.import",
            entity="import_run",
            entity_id=summary.run_id,
            detail={
                "inserted": summary.inserted,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "rejected": summary.rejected,
            },
        )
        conn.execute(
            update(_RUN)
            .where(_RUN.c.id == summary.run_id)
            .values(
                finished_at=now,
                inserted=summary.inserted,
                updated=summary.updated,
                unchanged=summary.unchanged,
                rejected=summary.rejected,
                unknown_status=summary.unknown_status,
            )
        )


# Looked up per kind so that the unique (kind, ref_key) index serves, which also
# stands while the other indexes are set aside for a bulk load.
_EXISTING = select(
    _RECORD.c.id,
    _RECORD.c.kind,
    _RECORD.c.ref_key,
    _RECORD.c.status,
    _RECORD.c.content_hash,
    _RECORD.c.import_run_id,
    _RECORD.c.import_line,
).where(
    _RECORD.c.kind == bindparam("kind"), _RECORD.c.ref_key.in_(bindparam("keys", expanding=True))
)

_TOUCH = (
    update(_RECORD)
    .where(_RECORD.c.id == bindparam("_id"))
    .values(import_run_id=bindparam("_run"), import_line=bindparam("_line"))
)


def _apply_batch(
    engine: Engine, batch: list[tuple[int, ValidRow]], summary: ImportSummary, now: datetime
) -> None:
    # Within one batch the first row for a (kind, reference) wins; across batches the
    # stored row's import_run_id says whether this same import already wrote it.
    first_line: dict[tuple[str, str], int] = {}
    unique: list[tuple[int, ValidRow]] = []
    for line, row in batch:
        key = (row.kind, row.ref_key)
        if key in first_line:
            summary.reject(line, _duplicate(row, first_line[key]))
        else:
            first_line[key] = line
            unique.append((line, row))

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    touches: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    with (
        translated(f"import the batch ending line {batch[-1][0]}; the import stopped there"),
        engine.begin() as conn,
    ):
        keys_by_kind: dict[str, list[str]] = {}
        for _, row in unique:
            keys_by_kind.setdefault(row.kind, []).append(row.ref_key)
        stored = {
            (r.kind, r.ref_key): r
            for kind, keys in keys_by_kind.items()
            for r in conn.execute(_EXISTING, {"kind": kind, "keys": keys})
        }
        # A partial row (columns absent from the file) is compared value by value with
        # what is stored, since its fingerprint cannot be compared with a whole row's.
        partial_ids = [
            old.id
            for _, row in unique
            if row.partial and (old := stored.get((row.kind, row.ref_key))) is not None
        ]
        current = _stored_values(conn, partial_ids)
        for line, row in unique:
            old = stored.get((row.kind, row.ref_key))
            if old is not None and old.import_run_id == summary.run_id:
                summary.reject(line, _duplicate(row, old.import_line))
                continue
            _count_status(summary, row)
            provenance = {"import_run_id": summary.run_id, "import_line": line}
            if old is None:
                inserts.append(
                    _BLANK
                    | row.values
                    | provenance
                    | {"content_hash": row.content_hash, "created_at": now, "modified_at": now}
                )
            elif _unchanged(row, old.content_hash, current.get(old.id)):
                touches.append({"_id": old.id, "_run": summary.run_id, "_line": line})
            else:
                updates.append(
                    row.values
                    | provenance
                    | {
                        "_id": old.id,
                        "content_hash": _merged_hash(old.content_hash, row),
                        "modified_at": now,
                    }
                )
                if "status" in row.values and old.status != row.status:
                    events.append(
                        {
                            "record_id": old.id,
                            "old_status": old.status,
                            "new_status": row.status,
                            "status_date": row.values.get("status_date"),
                            "import_run_id": summary.run_id,
                            "recorded_at": now,
                        }
                    )
        if inserts:
            _insert_records(conn, inserts)
        # Rows of one file can give different columns (JSON Lines): one statement per set.
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for values in updates:
            by_columns.setdefault(tuple(sorted(values)), []).append(values)
        for columns, group in by_columns.items():
            statement = (
                update(_RECORD)
                .where(_RECORD.c.id == bindparam("_id"))
                .values({c: bindparam(c) for c in columns if c != "_id"})
            )
            conn.execute(statement, group)
        if touches:
            conn.execute(_TOUCH, touches)
        if events:
            conn.execute(insert(_EVENT), events)
    summary.inserted += len(inserts)
    summary.updated += len(updates)
    summary.unchanged += len(touches)
    summary.status_changes += len(events)


# What a new record holds for a column its row does not give: unknown. A record with no
# status has no unknown status.
_BLANK: dict[str, Any] = {
    stored: None for columns in STORED_COLUMNS.values() for stored in columns
} | {"status_known": True}


def _stored_values(conn: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The stored columns of these records, by id (for comparing partial rows)."""
    if not ids:
        return {}
    rows = conn.execute(select(_RECORD).where(_RECORD.c.id.in_(ids))).mappings()
    return {row["id"]: dict(row) for row in rows}


def _unchanged(row: ValidRow, stored_hash: str, stored: dict[str, Any] | None) -> bool:
    if not row.partial:
        return stored_hash == row.content_hash
    return stored is not None and all(stored.get(k) == v for k, v in row.values.items())


def _merged_hash(stored_hash: str, row: ValidRow) -> str:
    """The fingerprint after an update: a whole row's own, or for a partial row one
    derived from the stored fingerprint and the row's, so that the next whole export is
    compared afresh and an identical partial row is caught by its values."""
    if not row.partial:
        return row.content_hash
    both = f"{stored_hash}:{row.content_hash}".encode()
    return hashlib.blake2b(both, digest_size=16).hexdigest()


def _insert_records(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert new records; on SQLite with one `executemany` on the driver's cursor.

    Each value goes through the bind processor SQLAlchemy itself would use for its column
    (dates and times written exactly as through the ORM), but without the per-row work of
    building parameters generically, which was a third of a large import's time.
    """
    if conn.dialect.name != "sqlite":
        # PostgreSQL takes SQLAlchemy's own batched form (psycopg adapts JSON there).
        conn.execute(insert(_RECORD), rows)
        return
    columns = tuple(rows[0])
    processed = [
        (index, process)
        for index, name in enumerate(columns)
        if (process := _bind_processor(name, conn.dialect)) is not None
    ]
    take = itemgetter(*columns)
    params = []
    for row in rows:
        values = list(take(row))
        for index, process in processed:
            if values[index] is not None:
                values[index] = process(values[index])
        params.append(values)
    marks = ", ".join("?" * len(columns))
    sql = f"INSERT INTO record ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, params)
    finally:
        cursor.close()


def _bind_processor(column: str, dialect: Dialect) -> Callable[[Any], Any] | None:
    # The dialect's form of the column's type: for a TypeDecorator (UTC times) that is
    # its own conversion followed by the dialect's, as a statement would apply them.
    type_ = _RECORD.c[column].type.dialect_impl(dialect)
    return type_.bind_processor(dialect)


def _count_status(summary: ImportSummary, row: ValidRow) -> None:
    if not row.status_known:
        summary.unknown_status += 1
        name = f"{row.kind}:{row.status}"
        summary.unknown_statuses[name] = summary.unknown_statuses.get(name, 0) + 1


def _duplicate(row: ValidRow, first: int | None) -> str:
    where = f"line {first}" if first is not None else "an earlier line"
    return f"duplicate: {row.kind} {row.values['reference']} already given on {where} of this file"
