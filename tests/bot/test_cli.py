"""The command line as operators use it: summaries, exit codes and clear errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.cli import main
from storage.engine import sqlite_url
from tests.sample import find_record, full_name, uk_date

# A fixed penalty; the enquiries below give its reference, its subject's name and date of birth.
FPN = find_record(kind="fpn", status="paid")


@pytest.fixture(autouse=True)
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every command works on the embedded default inside this test's folder."""
    import os

    for name in list(os.environ):
        if name.startswith("ENQUIRY_DESK_"):
            monkeypatch.delenv(name)
    folder = tmp_path / "data"
    monkeypatch.setenv("ENQUIRY_DESK_DATA_DIR", str(folder))
    return folder


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(args)
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_import_then_reimport(
    sample_records: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """First run inserts 2,000; the second reports them unchanged. The embedded database
    is created and migrated on first use."""
    code, out, _ = run_cli(["records", "import", str(sample_records)], capsys)
    assert code == 0
    assert out.strip() == "inserted 2000, updated 0, unchanged 0, rejected 0"
    assert (data_dir / "enquiry-desk.db").exists()
    code, out, _ = run_cli(["records", "import", str(sample_records)], capsys)
    assert (code, out.strip()) == (0, "inserted 0, updated 0, unchanged 2000, rejected 0")


def test_some_bad_rows_still_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad rows are listed on stderr with line numbers; the import succeeds with the rest."""
    path = tmp_path / "r.csv"
    path.write_text("kind,reference,dob\nfpn,1,1990-01-01\nfpn,2,31/02/2026\nnope,3,\n")
    rejects = tmp_path / "rejects.csv"
    code, out, err = run_cli(["records", "import", str(path), "--rejects", str(rejects)], capsys)
    assert code == 0
    assert out.strip() == (
        "inserted 1, updated 0, unchanged 0, rejected 2; rejected rows were not imported"
        " (reasons above, or --rejects FILE)"
    )
    assert "line 3: dob:" in err
    assert "line 4: kind:" in err
    with rejects.open(newline="") as handle:
        assert [row["line"] for row in csv.DictReader(handle)] == ["3", "4"]


def test_strict_import_exits_3_on_any_rejected_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scheduled import with --strict can tell that a row was rejected; without it the
    contract's exit 0 stands."""
    path = tmp_path / "r.csv"
    path.write_text("kind,reference,dob\nfpn,1,1990-01-01\nfpn,2,31/02/2026\n")
    code, out, _ = run_cli(["records", "import", str(path), "--strict"], capsys)
    assert code == 3
    assert "inserted 1" in out
    assert "rejected 1" in out
    clean = tmp_path / "clean.csv"
    clean.write_text("kind,reference\nfpn,3\n")
    assert run_cli(["records", "import", str(clean), "--strict"], capsys)[0] == 0


def test_unknown_column_is_named_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header the contract does not name is reported by name; its values are not."""
    path = tmp_path / "r.csv"
    path.write_text("kind,reference,status,colour\nfpn,1,paid,Thornbury-red\n")
    code, out, err = run_cli(["records", "import", str(path)], capsys)
    assert code == 0
    assert "column 'colour' is not in the records contract" in err
    assert "Thornbury-red" not in err + out


def test_nothing_importable_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """When every row is rejected the exit status says so."""
    path = tmp_path / "r.csv"
    path.write_text("kind,reference\nparking,1\nparking,2\n")
    code, out, _ = run_cli(["records", "import", str(path)], capsys)
    assert code == 1
    assert "rejected 2" in out


def test_file_level_error_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file without the key columns gives one error line and exit status 2."""
    path = tmp_path / "r.csv"
    path.write_text("type,ref\nfpn,1\n")
    code, _, err = run_cli(["records", "import", str(path)], capsys)
    assert code == 2
    assert err.startswith("error: ")
    assert "missing required column(s): kind, reference" in err
    assert "Traceback" not in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that is not there is named in the error."""
    code, _, err = run_cli(["records", "import", str(tmp_path / "absent.csv")], capsys)
    assert code == 2
    assert "absent.csv" in err


def test_bad_setting_stops_any_command(
    monkeypatch: pytest.MonkeyPatch, sample_records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad setting is reported by name before anything is done."""
    monkeypatch.setenv("ENQUIRY_DESK_HTTP_PORT", "0")
    code, _, err = run_cli(["records", "import", str(sample_records)], capsys)
    assert code == 2
    assert "ENQUIRY_DESK_HTTP_PORT" in err


def test_db_upgrade_and_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`db upgrade` migrates a database named with --db; `db current` reports it."""
    url = sqlite_url(tmp_path / "other.db")
    code, out, _ = run_cli(["db", "upgrade", "--db", url], capsys)
    assert code == 0
    assert "was empty" in out
    code, out, _ = run_cli(["db", "current", "--db", url], capsys)
    revision = out.split()[1].rstrip(",")
    assert out.strip() == f"database {revision}, code {revision}"


def test_run_once_reports_the_database(
    sample_records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`run --once` opens the embedded default, reports what it holds, and exits."""
    run_cli(["records", "import", str(sample_records)], capsys)
    code, out, _ = run_cli(["run", "--once"], capsys)
    assert code == 0
    assert out.splitlines() == [
        "mail: 0 processed, 0 quarantined, 0 failed; status changes: 0 (0 update drafts); "
        "outbox: 0 sent, 0 to retry, 0 failed",
        "2000 records, 0 contacts logged, 0 drafts waiting",
    ]


def test_demo_command_on_the_embedded_default(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`demo` creates the embedded database, imports records and fills the inbox."""
    code, out, _ = run_cli(["demo", "--records", "300", "--enquiries", "5"], capsys)
    assert code == 0
    assert out.splitlines() == [
        "inserted 300, updated 0, unchanged 0, rejected 0",
        f"5 new sample enquiries in {data_dir / 'inbox'}",
        "desk accounts for the demo (clerk, checker, super): passwords in "
        f"{data_dir / 'demo-accounts.txt'}",
    ]
    code, out, _ = run_cli(["run", "--once"], capsys)
    assert code == 0
    assert out.splitlines()[0].startswith("mail: 5 processed, 0 quarantined, 0 failed;")
    assert out.splitlines()[1] == "300 records, 5 contacts logged, 5 drafts waiting"
    assert list((data_dir / "inbox" / "new").iterdir()) == []
    # A clerk approves one; the next pass writes it to the outbox folder as an .eml file.
    code, _, _ = run_cli(["drafts", "approve", "1", "--as", "clerk"], capsys)
    assert code == 0
    code, out, _ = run_cli(["run", "--once"], capsys)
    assert "outbox: 1 sent" in out
    [sent] = list((data_dir / "outbox").glob("*.eml"))
    assert "In-Reply-To:" in sent.read_text()


def test_match_file_follows_the_contract(
    sample_records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`match FILE.jsonl` prints one object per line, same order, with the contract's keys;
    a broken line gets an answer saying why instead of stopping the batch."""
    import json

    run_cli(["records", "import", str(sample_records)], capsys)
    enquiries = [
        {
            "id": "a",
            "channel": "email",
            "sender": "x@y.uk",
            "subject": "",
            "text": f"ref {FPN['reference']}, {full_name(FPN)}, dob {uk_date(FPN['dob'])}",
        },
        {
            "id": "b",
            "channel": "chat",
            "sender": "U1",
            "subject": "",
            "text": f"status of {FPN['reference']}?",
        },
        {"id": "c", "channel": "email", "sender": "x@y.uk", "subject": "", "text": "hello"},
    ]
    lines = [
        json.dumps(enquiries[0]),
        json.dumps(enquiries[1]),
        "{broken",
        json.dumps(enquiries[2]),
    ]
    path = tmp_path / "e.jsonl"
    path.write_text("\n".join(lines) + "\n")
    code, out, _ = run_cli(["match", str(path)], capsys)
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in results] == ["a", "b", None, "c"]
    assert set(results[0]) >= {
        "id",
        "reference",
        "kind",
        "verified",
        "score",
        "candidates",
        "reasons",
    }
    assert (results[0]["reference"], results[0]["kind"], results[0]["verified"]) == (
        FPN["reference"],
        "fpn",
        True,
    )
    assert "reference exact" in results[0]["reasons"]
    assert (results[1]["reference"], results[1]["verified"]) == (FPN["reference"], True)
    assert "line 3" in results[2]["error"]
    assert (results[3]["reference"], results[3]["verified"]) == (None, False)


def test_match_text_explains_itself(
    sample_records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`match --text` prints the decision and its reasons for a person."""
    run_cli(["records", "import", str(sample_records)], capsys)
    code, out, _ = run_cli(["match", "--text", f"my ticket {FPN['reference']}"], capsys)
    assert code == 0
    assert out.splitlines()[0].startswith(f"fpn {FPN['reference']}, NOT verified")
    assert "reference exact" in out
