"""Records import: upsert by (kind, reference), events on status change, and bad input."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from storage.errors import ImportFileError
from storage.record_files import MAX_LINE_BYTES, RawRow, ReadItem
from storage.records_import import import_file, import_rows
from storage.tables import AuditEvent, ImportRun, Record, RecordStatusEvent

HEADER = "kind,reference,status,status_date,surname,forenames,dob,postcode,vrm,amount,email\n"
GOOD = "fpn,1234567890,awaiting_payment,2026-08-01,Miles,Lindsey Jane,1955-04-10,nn1 5ab,ig86 myy,100,L.Miles@Example.org\n"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def stored(engine: Engine) -> dict[tuple[str, str], Record]:
    with engine.connect() as conn:
        rows = conn.execute(select(Record.__table__)).all()  # type: ignore[attr-defined]
    return {(r.kind, r.reference): r for r in rows}


def count(engine: Engine, table: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table.__table__)).scalar_one())


def test_sample_imports_then_reimports_unchanged(engine: Engine, sample_records: Path) -> None:
    """The 2,000 sample records go in; the same file again changes nothing."""
    first = import_file(engine, sample_records)
    assert (first.inserted, first.updated, first.unchanged, first.rejected) == (2000, 0, 0, 0)
    second = import_file(engine, sample_records)
    assert (second.inserted, second.updated, second.unchanged, second.rejected) == (0, 0, 2000, 0)
    assert count(engine, Record) == 2000
    assert count(engine, RecordStatusEvent) == 0
    with open(sample_records, newline="", encoding="utf-8") as handle:
        source = {(r["kind"], r["reference"]): r for r in csv.DictReader(handle)}
    for key, record in list(stored(engine).items())[:200]:
        row = source[key]
        assert record.status == row["status"]
        assert record.dob == (date.fromisoformat(row["dob"]) if row["dob"] else None)
        assert record.surname == (row["surname"] or None)


def test_values_and_normalised_keys_are_stored(engine: Engine, tmp_path: Path) -> None:
    """Dates become dates, pounds become pence, and the lookup keys are normalised."""
    import_file(engine, write(tmp_path, "r.csv", HEADER + GOOD))
    record = stored(engine)[("fpn", "1234567890")]
    assert record.dob == date(1955, 4, 10)
    assert record.amount_pence == 10000
    assert (record.vrm_key, record.vrm_fold) == ("IG86MYY", "1G86MYY")
    assert (record.ref_fold, record.ref_head, record.ref_tail) == ("1234567890", "12345", "67890")
    assert record.postcode_key == "NN15AB"
    assert record.surname_key == "miles"
    assert record.email_key == "l.miles@example.org"
    assert record.status_known is True


def test_jsonl_is_the_same_as_csv(engine: Engine, tmp_path: Path, sample_records: Path) -> None:
    """A JSON Lines export of the same rows is recognised as unchanged."""
    import_file(engine, sample_records)
    with open(sample_records, newline="", encoding="utf-8") as handle:
        lines = [json.dumps(row) for row in csv.DictReader(handle)]
    summary = import_file(engine, write(tmp_path, "r.jsonl", "\n".join(lines) + "\n"))
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 0, 2000)


def test_status_change_updates_and_records_an_event(engine: Engine, tmp_path: Path) -> None:
    """A new status updates the row and leaves an event with the old and new status."""
    import_file(engine, write(tmp_path, "a.csv", HEADER + GOOD))
    changed = GOOD.replace("awaiting_payment,2026-08-01", "paid,2026-08-20")
    summary = import_file(engine, write(tmp_path, "b.csv", HEADER + changed))
    assert (summary.updated, summary.status_changes) == (1, 1)
    assert stored(engine)[("fpn", "1234567890")].status == "paid"
    with engine.connect() as conn:
        event = conn.execute(select(RecordStatusEvent.__table__)).one()  # type: ignore[attr-defined]
    assert (event.old_status, event.new_status, event.status_date) == (
        "awaiting_payment",
        "paid",
        date(2026, 8, 20),
    )


def test_other_change_updates_without_an_event(engine: Engine, tmp_path: Path) -> None:
    """A changed address is an update but not a status event."""
    import_file(engine, write(tmp_path, "a.csv", HEADER + GOOD))
    summary = import_file(
        engine, write(tmp_path, "b.csv", HEADER + GOOD.replace("nn1 5ab", "NN2 7XY"))
    )
    assert (summary.updated, summary.status_changes) == (1, 0)
    assert stored(engine)[("fpn", "1234567890")].postcode_key == "NN27XY"


def test_reference_spelling_upserts_the_same_record(engine: Engine, tmp_path: Path) -> None:
    """`42ab-1234523` and `42AB1234523` are one record, not two."""
    header = "kind,reference,status\n"
    import_file(engine, write(tmp_path, "a.csv", header + "summons,42AB1234523,issued\n"))
    summary = import_file(
        engine, write(tmp_path, "b.csv", header + "summons,42ab-1234523,served\n")
    )
    assert summary.updated == 1
    assert count(engine, Record) == 1


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (GOOD.replace("1955-04-10", "31/02/2026"), "dob: written day-first"),
        (GOOD.replace("1955-04-10", "2026-02-31"), "dob: not a real date"),
        (GOOD.replace("2026-08-01", "yesterday"), "status_date: not a date"),
        (GOOD.replace("fpn,", "parking,", 1), "not a known record kind"),
        (GOOD.replace("1234567890", ""), "reference is empty"),
        (GOOD.replace(",100,", ",a hundred,"), "amount: 'a hundred' is not an amount"),
        (GOOD.replace(",100,", ",100.001,"), "amount"),
    ],
)
def test_bad_rows_are_rejected_with_line_and_reason(
    engine: Engine, tmp_path: Path, bad_row: str, reason: str
) -> None:
    """A bad row is reported with its line number and why; the good rows still import."""
    other = GOOD.replace("1234567890", "1111111111")
    summary = import_file(
        engine,
        write(
            tmp_path, "r.csv", HEADER + other + bad_row + other.replace("1111111111", "2222222222")
        ),
    )
    assert (summary.inserted, summary.rejected) == (2, 1)
    assert summary.rejections[0].line == 3
    assert reason in summary.rejections[0].reason
    assert "31/02/2026" not in summary.rejections[0].reason  # no personal data echoed


def test_rejected_row_leaves_the_stored_record_untouched(engine: Engine, tmp_path: Path) -> None:
    """A later bad version of a record does not corrupt the good one already stored."""
    import_file(engine, write(tmp_path, "a.csv", HEADER + GOOD))
    bad = GOOD.replace("awaiting_payment", "paid").replace("1955-04-10", "1955-13-10")
    summary = import_file(engine, write(tmp_path, "b.csv", HEADER + bad))
    assert summary.rejected == 1
    record = stored(engine)[("fpn", "1234567890")]
    assert (record.status, record.dob) == ("awaiting_payment", date(1955, 4, 10))


def test_unknown_status_is_kept_and_counted(engine: Engine, tmp_path: Path) -> None:
    """A status outside the vocabulary is stored, flagged and counted, not rejected."""
    row = GOOD.replace("awaiting_payment", "Sent_To_Enforcement")
    summary = import_file(engine, write(tmp_path, "r.csv", HEADER + row))
    assert (summary.inserted, summary.rejected, summary.unknown_status) == (1, 0, 1)
    assert summary.unknown_statuses == {"fpn:sent_to_enforcement": 1}
    record = stored(engine)[("fpn", "1234567890")]
    assert (record.status, record.status_known) == ("sent_to_enforcement", False)
    assert "of those imported, 1 with an unknown status" in summary.line()


@pytest.mark.parametrize("batch_size", [1000, 2])
def test_duplicate_reference_in_one_file(engine: Engine, tmp_path: Path, batch_size: int) -> None:
    """A reference given twice in one file: the first wins, the second is reported,
    whether or not the two fall in the same batch."""
    other = GOOD.replace("1234567890", "5555555555")
    second = GOOD.replace("awaiting_payment", "paid")
    summary = import_file(
        engine,
        write(tmp_path, "r.csv", HEADER + GOOD + other + other + second),
        batch_size=batch_size,
    )
    assert (summary.inserted, summary.rejected) == (2, 2)
    assert [r.line for r in summary.rejections] == [4, 5]
    assert "already given on line 2" in summary.rejections[1].reason
    assert stored(engine)[("fpn", "1234567890")].status == "awaiting_payment"


def test_truncated_last_csv_line(engine: Engine, tmp_path: Path) -> None:
    """A file cut off mid-row rejects that row as truncated and keeps the rest."""
    cut = GOOD[: GOOD.index("Lindsey")]
    summary = import_file(engine, write(tmp_path, "r.csv", HEADER + GOOD + cut))
    assert (summary.inserted, summary.rejected) == (1, 1)
    assert "truncated" in summary.rejections[0].reason


def test_truncated_last_jsonl_line(engine: Engine, tmp_path: Path) -> None:
    """JSON Lines cut off mid-object: the broken line is reported as truncated."""
    good = json.dumps({"kind": "pnd", "reference": "P428077221", "status": "issued"})
    summary = import_file(engine, write(tmp_path, "r.jsonl", good + "\n" + good[:-9]))
    assert (summary.inserted, summary.rejected) == (1, 1)
    assert summary.rejections[0].line == 2
    assert "truncated" in summary.rejections[0].reason


def test_latin1_line_is_rejected_alone(engine: Engine, tmp_path: Path) -> None:
    """One row saved in Latin-1 is rejected as not UTF-8; the UTF-8 rows import."""
    latin = (
        GOOD.replace("1234567890", "3333333333").replace("Miles", "Mil\u00e9s").encode("latin-1")
    )
    content = (HEADER + GOOD).encode() + latin + GOOD.replace("1234567890", "4444444444").encode()
    summary = import_file(engine, write(tmp_path, "r.csv", content))
    assert (summary.inserted, summary.rejected) == (2, 1)
    assert summary.rejections[0].line == 3
    assert "not UTF-8" in summary.rejections[0].reason


def test_utf8_bom_and_names_with_accents(engine: Engine, tmp_path: Path) -> None:
    """A UTF-8 byte order mark is skipped; accented names survive and fold in keys."""
    row = GOOD.replace("Miles", "Ó Briain")
    import_file(engine, write(tmp_path, "r.csv", "\ufeff" + HEADER + row))
    record = stored(engine)[("fpn", "1234567890")]
    assert (record.surname, record.surname_key) == ("Ó Briain", "obriain")


def test_utf16_file_is_refused_whole(engine: Engine, tmp_path: Path) -> None:
    """A UTF-16 export is refused with advice, and nothing is stored."""
    with pytest.raises(ImportFileError, match="UTF-16"):
        import_file(engine, write(tmp_path, "r.csv", (HEADER + GOOD).encode("utf-16")))
    assert count(engine, Record) == 0


def test_missing_required_column_is_refused_whole(engine: Engine, tmp_path: Path) -> None:
    """Without a `reference` column no row can be imported: one clear error."""
    with pytest.raises(ImportFileError, match="missing required column\\(s\\): reference"):
        import_file(engine, write(tmp_path, "r.csv", "kind,status\nfpn,paid\n"))
    assert count(engine, Record) == 0


def test_overlong_line_is_rejected_without_reading_it_whole(engine: Engine, tmp_path: Path) -> None:
    """A line of several megabytes (a broken or binary file) is cut off and reported."""
    huge = b"fpn,9999999999," + b"x" * (3 * MAX_LINE_BYTES) + b"\n"
    content = (HEADER + GOOD).encode() + huge + GOOD.replace("1234567890", "7777777777").encode()
    summary = import_file(engine, write(tmp_path, "r.csv", content))
    assert (summary.inserted, summary.rejected) == (2, 1)
    assert "longer than" in summary.rejections[0].reason


def test_unknown_columns_are_reported_by_name_and_ignored(engine: Engine, tmp_path: Path) -> None:
    """A column the contract does not name is reported by name, and its values are not
    stored (contracts.md, section 1, as changed on 2026-12-07)."""
    content = "kind,reference,status,force_area\nfpn,1234567890,paid,Northamptonshire\n"
    reported: list[str] = []
    summary = import_file(engine, write(tmp_path, "r.csv", content), on_unknown=reported.append)
    assert reported == ["force_area"]
    assert summary.unknown_columns == ["force_area"]
    assert stored(engine)[("fpn", "1234567890")].extra is None


def test_json_values_that_are_not_text(engine: Engine, tmp_path: Path) -> None:
    """Numbers are taken as text; a nested object rejects only its own line."""
    lines = [
        json.dumps({"kind": "fpn", "reference": 4249150997, "amount": 100}),
        json.dumps({"kind": "fpn", "reference": "4249150998", "surname": {"x": 1}}),
        "[1, 2]",
    ]
    summary = import_file(engine, write(tmp_path, "r.jsonl", "\n".join(lines) + "\n"))
    assert (summary.inserted, summary.rejected) == (1, 2)
    assert stored(engine)[("fpn", "4249150997")].amount_pence == 10000


def test_an_interrupted_import_leaves_whole_batches(engine: Engine) -> None:
    """Killed mid-way, an import leaves complete earlier batches and nothing half-done."""

    def rows() -> Iterator[ReadItem]:
        for n in range(25):
            yield RawRow(n + 2, {"kind": "pnd", "reference": f"P{n:09d}", "status": "issued"})
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_rows(engine, rows(), source="test", file_format="csv", batch_size=10)
    assert sorted(stored(engine)) == [("pnd", f"P{n:09d}") for n in range(20)]


def test_each_import_is_recorded_and_audited(engine: Engine, sample_records: Path) -> None:
    """An import run records its counts, and the audit trail says who ran it."""
    summary = import_file(engine, sample_records, actor="cli:clerk1")
    with engine.connect() as conn:
        run = conn.execute(select(ImportRun.__table__)).one()  # type: ignore[attr-defined]
        entry = conn.execute(select(AuditEvent.__table__)).one()  # type: ignore[attr-defined]
    assert (run.id, run.inserted, run.actor) == (summary.run_id, 2000, "cli:clerk1")
    assert run.finished_at is not None
    assert (entry.actor, entry.action, entry.entity_id) == ("cli:clerk1", "records.import", run.id)


def test_csv_row_spanning_lines_keeps_its_first_line_number(engine: Engine, tmp_path: Path) -> None:
    """A quoted field with a line break is one row; later line numbers stay right."""
    content = HEADER + GOOD.replace("Lindsey Jane", '"Lindsey\nJane"') + "fpn,,paid,,,,,,,,\n"
    summary = import_file(engine, write(tmp_path, "r.csv", content))
    assert summary.inserted == 1
    assert summary.rejections[0].line == 4
    assert stored(engine)[("fpn", "1234567890")].forenames == "Lindsey\nJane"


def test_first_load_builds_indexes_after_and_a_kill_is_repaired(engine: Engine) -> None:
    """A first import sets the secondary indexes aside and rebuilds them; if killed
    mid-way, `ensure_indexes` (run on every open and import) puts them back."""
    from storage.bulk_load import ensure_indexes

    catalog = (
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'record'"
        if engine.dialect.name == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE tablename = 'record'"
    )

    def names() -> set[str]:
        # From the catalogue: SQLAlchemy's reflection skips indexes on expressions.
        with engine.connect() as conn:
            return {str(name) for (name,) in conn.exec_driver_sql(catalog)}

    expected = names()
    assert {"ix_record_vrm_fold", "ix_record_ref_head_end"} <= expected

    during: set[str] = set()

    def rows() -> Iterator[ReadItem]:
        during.update(names())
        yield RawRow(2, {"kind": "pnd", "reference": "P1", "status": "issued"})
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_rows(engine, rows(), source="t", file_format="csv", batch_size=1)
    if engine.dialect.name == "sqlite":
        assert "ix_record_vrm_fold" not in during
    else:
        assert during == expected  # PostgreSQL keeps its indexes throughout
    assert names() == expected  # restored on the way out

    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP INDEX ix_record_vrm_fold")  # as after a SIGKILL
            conn.exec_driver_sql("DROP INDEX ix_record_ref_head_end")
        ensure_indexes(engine)
        assert names() == expected


def test_fast_insert_stores_exactly_what_sqlalchemy_would(
    tmp_path: Path, sample_records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite new records go in through the driver's `executemany` with SQLAlchemy's
    own value conversions: the stored values match the generic insert's, column by column
    (dates, times, the JSON of extra columns, flags)."""
    from sqlalchemy import insert

    import storage.records_import as records_import
    from storage import migrate
    from storage.engine import make_engine, sqlite_url

    def clock() -> datetime:
        return datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=UTC)

    def generic(conn: Any, rows: list[dict[str, Any]]) -> None:
        conn.execute(insert(Record.__table__), rows)  # type: ignore[attr-defined]

    stored: list[list[tuple[object, ...]]] = []
    for name in ("fast", "generic"):
        if name == "generic":
            monkeypatch.setattr(records_import, "_insert_records", generic)
        engine = make_engine(sqlite_url(tmp_path / f"{name}.db"))
        migrate.upgrade(engine)
        import_file(engine, sample_records, clock=clock)
        with engine.connect() as conn:
            stored.append(
                [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM record ORDER BY id")]
            )
        engine.dispose()
    fast_rows, generic_rows = stored
    assert len(fast_rows) > 100
    differing = {
        column
        for fast, slow in zip(fast_rows, generic_rows, strict=True)
        for column, (a, b) in enumerate(zip(fast, slow, strict=True))
        if a != b
    }
    assert not differing, [(c, fast_rows[0][c], generic_rows[0][c]) for c in differing]
