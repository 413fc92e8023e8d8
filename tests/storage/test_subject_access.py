"""Subject access: everything about one person, and nothing about anyone else."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from storage.errors import StorageError
from storage.subject_access import Person, gather, note_export
from storage.tables import AuditEvent
from tests.bot.desk.conftest import NOW, record_row, seed_desk, seed_draft


def test_export_gathers_by_address_and_by_records_naming_the_person(
    engine: Engine, sample_records: Path
) -> None:
    """Contacts from the person's address and about their record are in; others are not."""
    seeded = seed_desk(engine, sample_records)
    reference, record_id = next(iter(seeded.records.items()))
    row = record_row(engine, reference)
    mine = seed_draft(engine, party="writer0@example.org", text="again", subject="s2", due=None)
    export = gather(engine, Person(surname=row["surname"], dob=row["dob"]))
    parties = {c["party"] for c in export.contacts}
    assert parties == {"writer0@example.org"}  # the record's one contact
    assert record_id in [r["id"] for r in export.records]
    assert {(r["surname"], r["dob"]) for r in export.records} == {(row["surname"], row["dob"])}
    by_address = gather(engine, Person(email="Writer0@example.org"))
    assert len(by_address.contacts) == 2
    assert mine in {d["id"] for d in by_address.drafts}
    assert "writer1@example.org" not in str(by_address.as_json(made_at=NOW))


def test_a_surname_alone_is_not_enough(engine: Engine) -> None:
    """Without an address or a date of birth, nobody is gathered (too many share a surname)."""
    with pytest.raises(StorageError, match="date of birth"):
        gather(engine, Person(surname="Smith"))


def test_the_export_is_audited_with_counts_only(engine: Engine, sample_records: Path) -> None:
    """The trail says who made an export and how big, never what was in it."""
    seed_desk(engine, sample_records)
    export = gather(engine, Person(email="writer0@example.org"))
    note_export(engine, export, actor="super", now=NOW)
    with engine.connect() as conn:
        event = conn.execute(
            select(AuditEvent).where(AuditEvent.action == "subject_access.exported")  # type: ignore[arg-type]
        ).one()
    assert event.actor == "super"
    assert event.detail == {"records": 0, "contacts": 1, "replies": 1, "held_for_review": 0}
    assert "writer0" not in str(event.detail)


def test_a_neighbours_question_about_the_record_is_held_back(
    engine: Engine, sample_records: Path
) -> None:
    """Someone else wrote about the subject's record (a neighbour, with the plate and the
    postcode): their address, message and the reply sent to them are not in the export,
    only listed by id for review (UK GDPR Article 15(4))."""
    seeded = seed_desk(engine, sample_records)
    reference, record_id = next(iter(seeded.records.items()))
    row = record_row(engine, reference)
    neighbour = seed_draft(
        engine,
        party="nosy.neighbour@example.net",
        text="What is happening with next door's car? Is it going to court?",
        subject="next door",
        record=record_id,
        verified=False,
        due=None,
    )
    export = gather(engine, Person(surname=row["surname"], dob=row["dob"]))
    shown = str(export.as_json(made_at=NOW))
    assert "nosy.neighbour" not in shown
    assert "next door" not in shown
    assert neighbour not in {d["id"] for d in export.drafts}
    held = {e.contact_id for e in export.for_review}
    assert held
    assert all(neighbour in e.replies for e in export.for_review if e.replies)
    # The subject's own contact is still there.
    assert {c["party"] for c in export.contacts} == {"writer0@example.org"}
