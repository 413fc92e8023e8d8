"""Retention: a dry run counts, the purge deletes the same, keeps open work, and is audited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select, update

from storage.drafts import approve_draft, reject_draft
from storage.retention import UNMATCHED, plan_purge, purge, record_kinds
from storage.tables import AuditEvent, Contact, Draft, OutboxMessage
from tests.bot.desk.conftest import NOW, record_row, seed_desk, seed_draft


def _count(engine: Engine, table: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_dry_run_then_purge_by_kind_and_age(engine: Engine, sample_records: Path) -> None:
    """Only old, closed contacts about the chosen kind go, with their drafts and messages."""
    seeded = seed_desk(engine, sample_records)  # three open drafts, two days old
    old = NOW - timedelta(days=800)
    (reference, record_id), *_ = seeded.records.items()
    kind = record_row(engine, reference)["kind"]
    sent = seed_draft(
        engine,
        party="x@example.org",
        text="old",
        subject="a",
        due=None,
        record=record_id,
        received=old,
    )
    approve_draft(
        engine, sent, actor="c", now=old, mail_from="t@force.example", maker_checker=False
    )
    # While its message waits in the outbox the contact is kept; once sent it may go.
    assert plan_purge(engine, kind=kind, older_than_days=365, now=NOW).contacts == 0
    with engine.begin() as conn:
        conn.execute(update(OutboxMessage).values(state="sent"))
    closed = seed_draft(
        engine,
        party="y@example.org",
        text="old",
        subject="b",
        due=None,
        record=record_id,
        received=old,
    )
    reject_draft(engine, closed, actor="c", reason="dup", now=old)
    still_open = seed_draft(
        engine,
        party="z@example.org",
        text="old",
        subject="c",
        due=None,
        record=record_id,
        received=old,
    )
    before = _count(engine, Contact)

    plan = plan_purge(engine, kind=kind, older_than_days=365, now=NOW)
    assert (plan.contacts, plan.drafts, plan.messages) == (2, 2, 1)
    assert _count(engine, Contact) == before  # the dry run deleted nothing

    done = purge(engine, kind=kind, older_than_days=365, now=NOW, actor="admin")
    assert done.contacts == 2
    assert _count(engine, Contact) == before - 2
    assert _count(engine, OutboxMessage) == 0
    with engine.connect() as conn:
        remaining = set(conn.execute(select(Draft.id)).scalars())  # type: ignore[call-overload]
        event = conn.execute(
            select(AuditEvent).where(AuditEvent.action == "retention.purged")  # type: ignore[arg-type]
        ).one()
    assert still_open in remaining
    assert sent not in remaining
    assert closed not in remaining
    assert event.actor == "admin"
    assert event.detail["contacts"] == 2
    assert event.detail["kind"] == kind
    assert plan_purge(engine, kind=kind, older_than_days=365, now=NOW).contacts == 0


def test_unmatched_contacts_have_their_own_kind(engine: Engine, sample_records: Path) -> None:
    """Contacts never matched to a record are purged under "unmatched", and only those."""
    seed_desk(engine, sample_records)
    old = NOW - timedelta(days=400)
    lone = seed_draft(engine, party="q@example.org", text="?", subject="q", due=None, received=old)
    reject_draft(engine, lone, actor="c", reason="spam", now=old)
    assert UNMATCHED in record_kinds(engine)
    assert plan_purge(engine, kind=UNMATCHED, older_than_days=365, now=NOW).contacts == 1
    assert purge(engine, kind=UNMATCHED, older_than_days=365, now=NOW, actor="a").contacts == 1
    assert _count(engine, Contact) == 3


def test_purge_names_the_attachment_files_left_without_a_contact(
    engine: Engine, sample_records: Path, tmp_path: Path
) -> None:
    """Issue 18: the purge left attachment files on disk. It now returns the files no
    remaining contact refers to, and the store deletes exactly those: a file that a
    newer contact also sent stays."""
    from mail.attachment_store import AttachmentStore
    from storage.attachments import record_attachments
    from storage.tables import Draft as DraftRow

    seeded = seed_desk(engine, sample_records)
    (reference, record_id), *_ = seeded.records.items()
    kind = record_row(engine, reference)["kind"]
    store = AttachmentStore(tmp_path / "attachments", max_bytes=1_000_000)
    only_old = store.keep("scan.pdf", "application/pdf", b"%PDF old letter")
    shared = store.keep("photo.jpg", "image/jpeg", b"JPEG both sent this")
    old = NOW - timedelta(days=800)
    draft = seed_draft(
        engine,
        party="x@example.org",
        text="old",
        subject="a",
        due=None,
        record=record_id,
        received=old,
    )
    reject_draft(engine, draft, actor="c", reason="done", now=old)
    with engine.connect() as conn:
        contact_id = conn.execute(
            select(DraftRow.contact_id).where(DraftRow.id == draft)  # type: ignore[call-overload, arg-type]
        ).scalar_one()
    record_attachments(engine, contact_id, [only_old, shared])
    newer = seeded.drafts[0]
    with engine.connect() as conn:
        newer_contact = conn.execute(
            select(DraftRow.contact_id).where(DraftRow.id == newer)  # type: ignore[call-overload, arg-type]
        ).scalar_one()
    record_attachments(engine, newer_contact, [shared])

    done = purge(engine, kind=kind, older_than_days=365, now=NOW, actor="admin")
    assert done.contacts == 1
    assert done.files == (only_old.stored_path,)
    assert store.discard(done.files) == 1
    assert not (tmp_path / "attachments" / str(only_old.stored_path)).exists()
    assert (tmp_path / "attachments" / str(shared.stored_path)).exists()
    # Nothing but stored names is touched.
    assert store.discard(["../../etc/passwd", "ab/not-a-hash"]) == 0
