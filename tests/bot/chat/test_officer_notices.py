"""The officer in the case is told in Slack when a record's status changes."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Engine, select

from bot.status_updates import draft_status_updates
from storage.records_import import import_file
from storage.tables import Contact
from tests.bot.chat.conftest import (
    NOW,
    OFFICER,
    OFFICER_COLLAR,
    PAID,
    assembled,
    chat_settings,
    serving,
)
from tests.bot.chat.fake_slack import running_fake_slack

REFERENCE, CASE_OFFICER = PAID["reference"], PAID["officer"]


def _changed(sample_records: Path, tmp_path: Path, status: str) -> Path:
    with sample_records.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["reference"] == REFERENCE]
    assert rows[0]["officer"] == CASE_OFFICER
    rows[0]["status"] = status
    path = tmp_path / "changed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_officer_in_the_case_is_told_by_direct_message(
    engine: Engine, sample_records: Path, tmp_path: Path
) -> None:
    """A status change reaches the Slack user listed with the record's collar number, by
    direct message, naming the record and its new status, and is logged as a contact about
    the record; officers with other collar numbers hear nothing."""
    import_file(engine, sample_records)
    with running_fake_slack() as fake:
        settings = chat_settings(
            tmp_path,
            fake,
            slack_officers=(f"{OFFICER}={OFFICER_COLLAR}", f"UCASEOFF={CASE_OFFICER}", "UNOCOLLAR"),
        )
        runtime = assembled(settings, engine)
        assert runtime.notify_officer is not None
        with serving(runtime.web):
            import_file(engine, _changed(sample_records, tmp_path, "referred_to_court"))
            done = draft_status_updates(
                engine,
                templates=runtime.pipeline.templates,
                now=NOW,
                window_days=90,
                reply_working_days=10,
                notify_officer=runtime.notify_officer,
            )
    assert done.officers == 1
    [post] = fake.of("chat.postMessage")
    assert post.params["channel"] == "UCASEOFF"
    assert REFERENCE in post.params["text"]
    assert "court" in post.params["text"].lower()
    with engine.connect() as conn:
        [logged] = conn.execute(
            select(Contact.party, Contact.direction, Contact.record_id).where(  # type: ignore[call-overload]
                Contact.channel == "slack"
            )
        ).all()
    assert logged.party == "UCASEOFF"
    assert logged.direction == "out"
    assert logged.record_id is not None
