"""Status updates after a re-import: drafted for verified askers only, once."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from bot.pipeline import Pipeline
from bot.status_updates import draft_status_updates
from lookup.enquiry import Enquiry
from responses.case_facts import CaseFacts
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage.records_import import import_file
from storage.tables import Draft
from tests.conftest import DATA
from tests.sample import answerable_email

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
STORE = TemplateStore([PACKAGE_TEMPLATES])


def _camera_or_penalty_email() -> dict[str, Any]:
    """A sample email that verifies its writer against a fixed penalty or camera detection
    (kinds that can be referred to court) with an officer in the case."""
    return answerable_email(lambda r: r["kind"] in ("fpn", "cofp") and bool(r["officer"]))


def _reimport_with_status(engine: Engine, tmp_path: Path, reference: str, status: str) -> None:
    with (DATA / "records.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["reference"] == reference]
    assert len(rows) == 1
    rows[0]["status"] = status
    rows[0]["status_date"] = "2026-11-22"
    path = tmp_path / "changed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    import_file(engine, path)


def test_reimport_drafts_an_update_for_the_verified_asker_only(
    engine: Engine, tmp_path: Path
) -> None:
    """The verified writer gets a status-update draft; someone who only quoted the reference
    gets nothing; the officer in the case is told; a second run drafts nothing more."""
    import_file(engine, DATA / "records.csv")
    pipeline = Pipeline(engine=engine, templates=STORE, clock=lambda: NOW)
    item = _camera_or_penalty_email()
    asked = pipeline.handle(
        Enquiry("email", "<a1@x>", item["sender"], NOW, item["text"], subject=item["subject"])
    )
    assert asked.decision.verified
    reference = asked.decision.reference
    assert reference is not None
    stranger = pipeline.handle(
        Enquiry("email", "<a2@x>", "nosy@example.org", NOW, f"What happened with {reference}?")
    )
    assert not stranger.decision.verified

    _reimport_with_status(engine, tmp_path, reference, "referred_to_court")
    told: list[tuple[str, CaseFacts, Any]] = []
    done = draft_status_updates(
        engine,
        templates=STORE,
        now=NOW,
        window_days=90,
        reply_working_days=10,
        notify_officer=lambda officer, _record, facts, old: told.append((officer, facts, old)),
    )
    assert done.changes == 1
    assert done.drafts == 1
    with engine.connect() as conn:
        [draft] = conn.execute(
            select(Draft.recipient, Draft.body).where(  # type: ignore[call-overload]
                Draft.purpose == "status_update"
            )
        ).all()
    assert draft.recipient == item["sender"]
    assert reference in draft.body
    assert "court" in draft.body.lower()
    assert [(o, f.reference) for o, f, _ in told] == [(told[0][1].officer, reference)]
    again = draft_status_updates(
        engine, templates=STORE, now=NOW, window_days=90, reply_working_days=10
    )
    assert (again.changes, again.drafts) == (0, 0)


def test_askers_outside_the_window_are_not_written_to(engine: Engine, tmp_path: Path) -> None:
    """Someone who asked long before the window gets no update."""
    import_file(engine, DATA / "records.csv")
    long_ago = datetime(2025, 1, 6, tzinfo=UTC)
    pipeline = Pipeline(engine=engine, templates=STORE, clock=lambda: long_ago)
    item = _camera_or_penalty_email()
    asked = pipeline.handle(
        Enquiry("email", "<old@x>", item["sender"], long_ago, item["text"], subject="x")
    )
    assert asked.decision.reference is not None
    _reimport_with_status(engine, tmp_path, asked.decision.reference, "cancelled")
    done = draft_status_updates(
        engine, templates=STORE, now=NOW, window_days=30, reply_working_days=10
    )
    assert (done.changes, done.drafts) == (1, 0)
