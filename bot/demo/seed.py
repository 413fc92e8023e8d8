"""`enquiry-desk demo`: a working office to look at on a first run.

The synthetic records go through the real import (written as a contract CSV file and
imported like any export), so the demo shows exactly what production would store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.demo.inbox import write_demo_inbox
from bot.demo.records import generate_records, write_records_csv
from storage.engine import Engine
from storage.records_import import ImportSummary, import_file

# Records the sample enquiries are written about.
INBOX_SAMPLE = 5000


@dataclass(frozen=True, slots=True)
class DemoResult:
    summary: ImportSummary
    messages_written: int
    records_file: Path


def seed_demo(
    engine: Engine,
    *,
    data_dir: Path,
    inbox: Path,
    records: int,
    enquiries: int,
    seed: int,
    today: date,
) -> DemoResult:
    """Import `records` synthetic records and put `enquiries` sample emails in `inbox`.

    Running it again on the same day changes nothing: the records come back unchanged
    and the messages already in the inbox are not written twice.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    records_file = data_dir / "demo-records.csv"
    write_records_csv(records_file, records, seed=seed, today=today)
    summary = import_file(engine, records_file, actor="demo")
    # The inbox needs a sample, not the whole set; a shorter run of the generator is
    # exactly the first rows of a longer one, so these are the same records.
    sample = list(generate_records(min(records, INBOX_SAMPLE), seed=seed, today=today))
    written = write_demo_inbox(inbox, sample, count=enquiries, seed=seed)
    return DemoResult(summary=summary, messages_written=written, records_file=records_file)
