"""Records import speed: N synthetic records into SQLite, then the same file again.

Prints rows per second and peak memory for each pass, and the ratio against a baseline
measured in the same run: the bare floor of any CSV-to-SQLite load (the stdlib csv
reader and one `executemany` into a table with no indexes, no validation, no upsert).
Absolute times drift on shared machines; the ratio says what our work costs on top.

Each pass runs in its own process so that its peak memory is its own.

    python bench/import_records.py --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TARGET_SECONDS_PER_MILLION = 90.0
TARGET_PEAK_MB = 500.0


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_baseline(csv_path: Path, db_path: Path) -> dict[str, float]:
    start = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        conn.execute(f"CREATE TABLE raw ({', '.join(f'c{i} TEXT' for i in range(len(header)))})")
        marks = ", ".join("?" * len(header))
        with conn:
            conn.executemany(f"INSERT INTO raw VALUES ({marks})", reader)  # noqa: S608
    rows = conn.execute("SELECT count(*) FROM raw").fetchone()[0]
    conn.close()
    return {"seconds": time.perf_counter() - start, "rows": rows, "peak_mb": peak_mb()}


def phase_import(csv_path: Path, db_path: Path) -> dict[str, float]:
    from storage import migrate
    from storage.engine import make_engine, sqlite_url
    from storage.records_import import import_file

    engine = make_engine(sqlite_url(db_path))
    migrate.upgrade(engine)
    start = time.perf_counter()
    summary = import_file(engine, csv_path)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rows": summary.accepted + summary.rejected,
        "inserted": summary.inserted,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
        "peak_mb": peak_mb(),
    }


def run_phase(name: str, csv_path: Path, db_path: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--csv", str(csv_path), "--db", str(db_path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--phase", choices=["baseline", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "baseline":
        print(json.dumps(phase_baseline(args.csv, args.db)))
        return 0
    if args.phase == "import":
        print(json.dumps(phase_import(args.csv, args.db)))
        return 0

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bot.demo.records import write_records_csv

    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        work = Path(folder)
        csv_path = work / "records.csv"
        started = time.perf_counter()
        write_records_csv(csv_path, args.rows, seed=args.seed, today=date(2026, 11, 23))
        size_mb = csv_path.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows ({size_mb:,.0f} MB) in {time.perf_counter() - started:.1f} s"
        )

        baseline = run_phase("baseline", csv_path, work / "baseline.db")
        first = run_phase("import", csv_path, work / "desk.db")
        again = run_phase("import", csv_path, work / "desk.db")

    print(f"{'pass':<28}{'seconds':>10}{'rows/s':>12}{'peak MB':>10}{'x baseline':>12}")
    for name, result in (
        ("baseline (csv + executemany)", baseline),
        ("import (new database)", first),
        ("re-import (all unchanged)", again),
    ):
        rate = result["rows"] / result["seconds"]
        ratio = result["seconds"] / baseline["seconds"]
        print(
            f"{name:<28}{result['seconds']:>10.1f}{rate:>12,.0f}{result['peak_mb']:>10.0f}{ratio:>12.1f}"
        )

    ok = first["inserted"] == args.rows and again["unchanged"] == args.rows
    scaled = first["seconds"] * 1_000_000 / args.rows
    print(
        f"targets: 1M rows under {TARGET_SECONDS_PER_MILLION:.0f} s "
        f"(this run scales to {scaled:.0f} s), peak under {TARGET_PEAK_MB:.0f} MB "
        f"(import {first['peak_mb']:.0f}, re-import {again['peak_mb']:.0f}), "
        f"re-import at least as fast ({again['seconds']:.1f} s vs {first['seconds']:.1f} s)"
    )
    if not ok:
        print("error: not every row was imported, or the re-import changed rows", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
