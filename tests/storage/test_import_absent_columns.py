"""Columns absent from a records file leave stored values as they are (contracts.md,
section 1, as changed on 2026-12-07): a status-only export changes statuses and nothing
else; a present but empty cell means unknown; an unknown header is reported by name
before the first row is imported, and its values are ignored. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from storage.records_import import import_file
from storage.tables import Record, RecordStatusEvent

FULL = (
    "kind,reference,status,surname,forenames,dob,postcode,vrm,email,amount\n"
    "fpn,3462166202,awaiting_payment,Thornbury,William James,1961-03-14,NN1 5AB,AB12CDE,"
    "w.thornbury@example.org,100\n"
    "fpn,3462166203,awaiting_payment,Thornbury,Liam,1992-07-02,NN1 5AB,XY65ZZT,,100\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _record(engine: Engine, reference: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(
            select(Record.__table__).where(Record.__table__.c.reference == reference)  # type: ignore[attr-defined]
        ).one()


def _events(engine: Engine) -> int:
    table = RecordStatusEvent.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_status_only_export_changes_statuses_and_nothing_else(
    engine: Engine, tmp_path: Path
) -> None:
    import_file(engine, _write(tmp_path, "full.csv", FULL))
    before = _record(engine, "3462166202")
    summary = import_file(
        engine, _write(tmp_path, "status.csv", "kind,reference,status\nfpn,3462166202,paid\n")
    )
    assert (summary.inserted, summary.updated, summary.rejected) == (0, 1, 0)
    after = _record(engine, "3462166202")
    assert after.status == "paid"
    for column in (
        "surname",
        "surname_key",
        "surname_code",
        "forenames",
        "forename_code",
        "dob",
        "postcode",
        "postcode_key",
        "vrm",
        "vrm_key",
        "email",
        "email_key",
        "amount_pence",
    ):
        assert getattr(after, column) == getattr(before, column), column
    assert after.dob == date(1961, 3, 14)
    assert _events(engine) == 1
    # The other record, not in the file, is untouched.
    assert _record(engine, "3462166203").status == "awaiting_payment"


def test_the_same_partial_file_again_is_unchanged(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, _write(tmp_path, "full.csv", FULL))
    status = _write(tmp_path, "status.csv", "kind,reference,status\nfpn,3462166202,paid\n")
    import_file(engine, status)
    again = import_file(engine, status)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)
    assert _events(engine) == 1


def test_a_present_empty_cell_means_unknown(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, _write(tmp_path, "full.csv", FULL))
    import_file(
        engine,
        _write(tmp_path, "blank.csv", "kind,reference,status,email\nfpn,3462166202,paid,\n"),
    )
    after = _record(engine, "3462166202")
    assert after.email is None
    assert after.email_key is None
    assert after.surname == "Thornbury"


def test_json_lines_rows_each_give_their_own_columns(engine: Engine, tmp_path: Path) -> None:
    """In JSON Lines a key absent from one object leaves that record's value alone, while
    the next object in the same batch may give it."""
    import_file(engine, _write(tmp_path, "full.csv", FULL))
    lines = [
        {"kind": "fpn", "reference": "3462166202", "status": "paid"},
        {"kind": "fpn", "reference": "3462166203", "postcode": "NN2 6CD"},
        {"kind": "fpn", "reference": "3462166204", "status": "awaiting_payment"},
    ]
    text = "\n".join(json.dumps(line) for line in lines) + "\n"
    summary = import_file(engine, _write(tmp_path, "mixed.jsonl", text))
    assert (summary.inserted, summary.updated, summary.rejected) == (1, 2, 0)
    father, son, new = (_record(engine, f"346216620{n}") for n in (2, 3, 4))
    assert (father.status, father.postcode) == ("paid", "NN1 5AB")
    assert (son.status, son.postcode, son.postcode_key) == ("awaiting_payment", "NN2 6CD", "NN26CD")
    assert son.surname == "Thornbury"
    assert son.dob == date(1992, 7, 2)
    # A new record from a partial row knows only what the row gives.
    assert (new.status, new.surname, new.dob) == ("awaiting_payment", None, None)


def test_unknown_header_is_reported_before_any_row(engine: Engine, tmp_path: Path) -> None:
    """The report comes when the header is read, before the first row is written."""
    seen: list[tuple[str, int]] = []

    def on_unknown(column: str) -> None:
        table = Record.__table__  # type: ignore[attr-defined]
        with engine.connect() as conn:
            rows = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        seen.append((column, rows))

    text = "kind,reference,Colour,status,notes\nfpn,3462166202,red,paid,call back\n"
    summary = import_file(engine, _write(tmp_path, "odd.csv", text), on_unknown=on_unknown)
    assert seen == [("colour", 0), ("notes", 0)]
    assert summary.unknown_columns == ["colour", "notes"]
    assert "colour" in summary.line()
    assert "ignored" in summary.line()
    record = _record(engine, "3462166202")
    assert record.status == "paid"
    assert record.extra is None


def test_unknown_json_keys_are_reported_once(engine: Engine, tmp_path: Path) -> None:
    lines = [
        {"kind": "fpn", "reference": "3462166202", "status": "paid", "colour": {"nested": 1}},
        {"kind": "fpn", "reference": "3462166203", "status": "paid", "colour": "red"},
    ]
    reported: list[str] = []
    text = "\n".join(json.dumps(line) for line in lines) + "\n"
    summary = import_file(engine, _write(tmp_path, "k.jsonl", text), on_unknown=reported.append)
    assert reported == ["colour"]
    assert (summary.inserted, summary.rejected) == (2, 0)


def test_one_overlong_value_rejects_its_row_alone(engine: Engine, tmp_path: Path) -> None:
    """On PostgreSQL a surname over an index entry's size used to abort its whole batch
    (0 of 1,000 good rows in) and print the row's names: now that row alone is rejected,
    by line and column, with no value in the reason."""
    rows = [f"fpn,34621{n:05d},awaiting_payment,Good{n}" for n in range(50)]
    rows.insert(20, "fpn,3462199999,awaiting_payment," + "Q" * 3000)
    text = "kind,reference,status,surname\n" + "\n".join(rows) + "\n"
    summary = import_file(engine, _write(tmp_path, "long.csv", text))
    assert (summary.inserted, summary.rejected) == (50, 1)
    (rejection,) = summary.rejections
    assert rejection.line == 22
    assert "surname" in rejection.reason
    assert "QQQ" not in rejection.reason
