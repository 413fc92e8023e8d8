"""The status-update watcher reads every committed event once (issue 17): an event that
commits after a higher id was already dealt with (a slower concurrent import on
PostgreSQL) is still read. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, insert, select

from storage.records_import import import_file
from storage.status_watch import mark_checked, pending_changes
from storage.tables import Record, RecordStatusEvent

NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
_EVENT = RecordStatusEvent.__table__  # type: ignore[attr-defined]


def _event(engine: Engine, event_id: int, record_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(_EVENT).values(
                id=event_id,
                record_id=record_id,
                old_status="awaiting_payment",
                new_status="paid",
                recorded_at=NOW,
            )
        )


def test_a_late_committed_lower_id_is_still_read(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("kind,reference,status\nfpn,3462166202,awaiting_payment\n", encoding="utf-8")
    import_file(engine, path)
    with engine.connect() as conn:
        record_id = conn.execute(select(Record.id)).scalar_one()  # type: ignore[call-overload]
    _event(engine, 50, record_id)  # the import that finished first
    assert [c.event_id for c in pending_changes(engine)] == [50]
    mark_checked(engine, event_ids=[50], now=NOW, drafted=0)
    assert pending_changes(engine) == []
    _event(engine, 40, record_id)  # the slower import commits its lower id now
    assert [c.event_id for c in pending_changes(engine)] == [40]
    mark_checked(engine, event_ids=[40], now=NOW, drafted=0)
    assert pending_changes(engine) == []
