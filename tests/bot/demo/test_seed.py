"""The demo seeds a working office: records through the real import, mail in the inbox."""

from __future__ import annotations

import mailbox
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select

from bot.demo.seed import seed_demo
from lookup.vocabulary import KINDS
from storage.tables import Record

TODAY = date(2026, 11, 23)


def test_demo_seeds_records_and_inbox_once(engine: Engine, tmp_path: Path) -> None:
    """Records of many kinds are imported and enquiries written; a second run adds nothing."""
    inbox = tmp_path / "data" / "inbox"
    first = seed_demo(
        engine,
        data_dir=tmp_path / "data",
        inbox=inbox,
        records=600,
        enquiries=12,
        seed=3,
        today=TODAY,
    )
    assert (first.summary.inserted, first.summary.rejected) == (600, 0)
    assert first.messages_written == 12
    assert len(mailbox.Maildir(inbox, create=False)) == 12
    with engine.connect() as conn:
        kinds = set(conn.execute(select(Record.kind).distinct()).scalars())  # type: ignore[call-overload]
        total = conn.execute(select(func.count()).select_from(Record)).scalar_one()
    assert total == 600
    assert len(kinds) >= 10
    assert kinds <= KINDS

    again = seed_demo(
        engine,
        data_dir=tmp_path / "data",
        inbox=inbox,
        records=600,
        enquiries=12,
        seed=3,
        today=TODAY,
    )
    assert (again.summary.inserted, again.summary.unchanged) == (0, 600)
    assert again.messages_written == 0
    assert len(mailbox.Maildir(inbox, create=False)) == 12
