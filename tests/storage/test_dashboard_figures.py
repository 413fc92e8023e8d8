"""The dashboard's figures from known contacts and drafts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from storage.dashboard_figures import dashboard_figures, overdue_count
from storage.drafts import approve_draft, reject_draft
from tests.bot.desk.conftest import NOW, seed_desk, seed_draft


def test_figures_count_enquiries_backlog_replies_shares_and_overdue(
    engine: Engine, sample_records: Path
) -> None:
    """Per-day enquiries, the backlog, time to reply, shares and overdue bands add up."""
    seed_desk(engine, sample_records)  # three drafts received two days ago, one overdue
    received = NOW - timedelta(days=1, hours=2)
    answered = seed_draft(
        engine,
        party="p@example.org",
        text="x",
        subject="p",
        due=None,
        received=received,
        verified=False,
    )
    approve_draft(
        engine,
        answered,
        actor="c",
        now=NOW - timedelta(days=1),
        mail_from="t@f.example",
        maker_checker=False,
    )
    dropped = seed_draft(
        engine,
        party="q@example.org",
        text="y",
        subject="q",
        due=None,
        received=received,
        verified=False,
    )
    reject_draft(engine, dropped, actor="c", reason="spam", now=NOW - timedelta(days=1))

    f = dashboard_figures(engine, today=NOW.date(), days=7)
    assert f.days[-1] == NOW.date()
    assert f.enquiries_by_channel["email"][-3:] == (3, 2, 0)
    assert f.backlog[-3:] == (3, 3, 3)  # the two of yesterday opened and closed that day
    assert f.reply_hours[-2] == 2.0
    assert f.matched_share[-2] == 0.0
    assert f.matched_share[-3] == 1.0
    assert f.verified_share[-3] == 1.0
    assert f.open_now == 3
    assert f.overdue_now == 1
    assert dict(f.overdue_bands)["3-5 days"] == 1
    assert overdue_count(engine, today=NOW.date()) == 1
    rows = f.rows()
    assert ("enquiries", NOW.date().isoformat(), "email", "0") in rows
    assert ("overdue", "", "3-5 days", "1") in rows
