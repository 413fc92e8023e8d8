"""The draft lifecycle: guarded transitions, maker-checker, outbox on approval, claims."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from storage.contact_log import NewContact, log_contact
from storage.drafts import (
    DraftConflict,
    DraftNotFound,
    DraftRuleBroken,
    DraftTaken,
    NewDraft,
    approve_draft,
    claim_draft,
    count_drafts,
    create_draft,
    edit_draft,
    get_draft,
    list_drafts,
    reject_draft,
)
from storage.tables import AuditEvent, OutboxMessage

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
FROM = "tickets@force.example"


def _contact(engine: Engine, message_id: str = "<m1@example.org>") -> int:
    logged = log_contact(
        engine,
        NewContact(
            channel="email",
            direction="in",
            channel_message_id=message_id,
            party="writer@example.org",
            received_at=NOW,
            text="where is my ticket",
            thread_key="<root@example.org>",
        ),
        now=NOW,
    )
    return logged.id


def _draft(engine: Engine, *, due: date | None = date(2026, 11, 30), **extra: object) -> int:
    contact_id = _contact(engine, f"<m{due}-{len(extra)}@example.org>")
    values: dict[str, object] = {
        "contact_id": contact_id,
        "body": "Dear writer, ...",
        "created_by": "pipeline",
        "recipient": "writer@example.org",
        "subject": "Re: ticket",
        "reply_due": due,
    }
    values.update(extra)
    return create_draft(engine, NewDraft(**values), now=NOW)  # type: ignore[arg-type]


def _outbox(engine: Engine) -> list[OutboxMessage]:
    with engine.connect() as conn:
        return list(conn.execute(select(OutboxMessage)).all())  # type: ignore[call-overload]


def test_queue_lists_open_drafts_soonest_due_first(engine: Engine) -> None:
    """The queue is ordered by reply-due date, undated drafts last; closed ones are left out."""
    late = _draft(engine, due=date(2026, 12, 5))
    undated = _draft(engine, due=None)
    soon = _draft(engine, due=date(2026, 11, 20))
    closed = _draft(engine, due=date(2026, 11, 1))
    reject_draft(engine, closed, actor="clerk1", reason="duplicate", now=NOW)
    listed = list_drafts(engine)
    assert [d.id for d in listed] == [soon, late, undated]
    assert count_drafts(engine) == 3
    assert listed[0].is_overdue(date(2026, 11, 23))
    assert not listed[1].is_overdue(date(2026, 11, 23))


def test_approval_queues_one_threaded_message(engine: Engine) -> None:
    """Approving writes the outbox row with a Message-ID and the thread of the enquiry."""
    draft_id = _draft(engine)
    approved = approve_draft(
        engine, draft_id, actor="clerk1", now=NOW, mail_from=FROM, maker_checker=True
    )
    assert approved.state == "queued"
    assert approved.approved_by == "clerk1"
    [row] = _outbox(engine)
    assert row.draft_id == draft_id
    assert row.recipient == "writer@example.org"
    assert row.message_id.endswith("@force.example>")
    assert row.in_reply_to is not None
    assert row.in_reply_to.startswith("<m")
    assert row.references == f"<root@example.org> {row.in_reply_to}"
    with pytest.raises(DraftConflict, match="already queued"):
        approve_draft(engine, draft_id, actor="clerk2", now=NOW, mail_from=FROM, maker_checker=True)
    assert len(_outbox(engine)) == 1


def test_maker_checker_stops_approving_your_own_edit(engine: Engine) -> None:
    """With maker-checker on, the clerk who edited a draft cannot approve it; another can."""
    draft_id = _draft(engine)
    edited = edit_draft(engine, draft_id, body="Better text", actor="clerk1", now=NOW)
    assert edited.state == "edited"
    assert edited.version == 2
    with pytest.raises(DraftRuleBroken, match="another clerk"):
        approve_draft(engine, draft_id, actor="clerk1", now=NOW, mail_from=FROM, maker_checker=True)
    assert _outbox(engine) == []
    approve_draft(engine, draft_id, actor="clerk2", now=NOW, mail_from=FROM, maker_checker=True)
    assert _outbox(engine)[0].body == "Better text"


def test_maker_checker_off_lets_the_editor_approve(engine: Engine) -> None:
    """The rule is a setting: off, one clerk may edit and approve."""
    draft_id = _draft(engine)
    edit_draft(engine, draft_id, body="Mine", actor="clerk1", now=NOW)
    done = approve_draft(
        engine, draft_id, actor="clerk1", now=NOW, mail_from=FROM, maker_checker=False
    )
    assert done.state == "queued"


def test_stale_version_is_refused(engine: Engine) -> None:
    """A clerk acting on the version they opened loses to a change made since."""
    draft_id = _draft(engine)
    seen = get_draft(engine, draft_id).version
    edit_draft(engine, draft_id, body="changed", actor="clerk2", now=NOW)
    with pytest.raises(DraftConflict, match="changed since"):
        approve_draft(
            engine,
            draft_id,
            actor="clerk1",
            now=NOW,
            mail_from=FROM,
            maker_checker=True,
            expected_version=seen,
        )


def test_reject_needs_a_reason_and_closes_the_draft(engine: Engine) -> None:
    """Rejection without a reason is refused; with one, the draft cannot then be sent."""
    draft_id = _draft(engine)
    with pytest.raises(DraftRuleBroken, match="say why"):
        reject_draft(engine, draft_id, actor="clerk1", reason="  ", now=NOW)
    rejected = reject_draft(engine, draft_id, actor="clerk1", reason="wrong record", now=NOW)
    assert rejected.state == "rejected"
    assert rejected.reason == "wrong record"
    with pytest.raises(DraftConflict):
        approve_draft(engine, draft_id, actor="clerk2", now=NOW, mail_from=FROM, maker_checker=True)


def test_draft_without_recipient_or_text_cannot_be_approved(engine: Engine) -> None:
    """A held draft with no text, or nobody to send to, stays with the clerk."""
    empty = _draft(engine, body="  ")
    with pytest.raises(DraftRuleBroken, match="no text"):
        approve_draft(engine, empty, actor="c", now=NOW, mail_from=FROM, maker_checker=True)
    nobody = _draft(engine, recipient=None)
    with pytest.raises(DraftRuleBroken, match="no recipient"):
        approve_draft(engine, nobody, actor="c", now=NOW, mail_from=FROM, maker_checker=True)


def test_every_step_is_audited_with_who(engine: Engine) -> None:
    """Created, edited, approved and queued each leave an audit entry naming the actor."""
    draft_id = _draft(engine)
    edit_draft(engine, draft_id, body="x", actor="clerk1", now=NOW)
    approve_draft(engine, draft_id, actor="clerk2", now=NOW, mail_from=FROM, maker_checker=True)
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditEvent.action, AuditEvent.actor)  # type: ignore[call-overload]
            .where(AuditEvent.entity_id == draft_id, AuditEvent.entity == "draft")
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("draft.created", "pipeline"),
        ("draft.edited", "clerk1"),
        ("draft.approved", "clerk2"),
        ("draft.queued", "clerk2"),
    ]


def test_claims_show_a_second_clerk_the_draft_is_taken(engine: Engine) -> None:
    """A claim holds the draft for one clerk; it lapses after the hold time."""
    draft_id = _draft(engine)
    hold = timedelta(minutes=10)
    claim_draft(engine, draft_id, actor="clerk1", now=NOW, hold=hold)
    claim_draft(engine, draft_id, actor="clerk1", now=NOW + timedelta(minutes=1), hold=hold)
    with pytest.raises(DraftTaken) as taken:
        claim_draft(engine, draft_id, actor="clerk2", now=NOW + timedelta(minutes=2), hold=hold)
    assert taken.value.holder == "clerk1"
    later = claim_draft(
        engine, draft_id, actor="clerk2", now=NOW + timedelta(minutes=30), hold=hold
    )
    assert later.claimed_by == "clerk2"


def test_racing_claims_leave_the_draft_with_exactly_one_clerk(engine: Engine) -> None:
    """Eight clerks opening one draft at once: one holds it, seven are told who does."""
    draft_id = _draft(engine)
    held: list[str] = []
    refused: list[str] = []
    start = threading.Barrier(8)

    def open_it(n: int) -> None:
        start.wait()
        try:
            claim_draft(engine, draft_id, actor=f"clerk{n}", now=NOW, hold=timedelta(minutes=15))
            held.append(f"clerk{n}")
        except DraftTaken as exc:
            refused.append(exc.holder)

    threads = [threading.Thread(target=open_it, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(held) == 1
    assert refused == held * 7
    assert get_draft(engine, draft_id).claimed_by == held[0]


def test_unknown_draft_is_a_clear_error(engine: Engine) -> None:
    """Acting on a draft that does not exist names it."""
    with pytest.raises(DraftNotFound, match="draft 999"):
        approve_draft(engine, 999, actor="c", now=NOW, mail_from=FROM, maker_checker=True)


def test_racing_approvals_queue_exactly_one_message(engine: Engine) -> None:
    """Eight clerks clicking Approve at once produce one outbox row and seven conflicts."""
    draft_id = _draft(engine)
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def click(n: int) -> None:
        start.wait()
        try:
            approve_draft(
                engine, draft_id, actor=f"clerk{n}", now=NOW, mail_from=FROM, maker_checker=True
            )
            outcomes.append("ok")
        except DraftConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=click, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == 1
