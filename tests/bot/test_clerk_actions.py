"""The one set of clerk actions (bot.clerk_actions) on a real database, with literal values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clerk_actions import Action, ClerkActions
from bot.settings import Settings
from storage.contact_log import NewContact, log_contact
from storage.drafts import (
    DraftConflict,
    DraftRuleBroken,
    DraftTaken,
    DraftView,
    NewDraft,
    create_draft,
    get_draft,
)
from storage.engine import Engine
from storage.tables import OutboxMessage

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
BODY = "Dear writer,\n\nYour ticket is paid.\n\nTicket Office"


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Wakes:
    """Counts the calls of `on_approved`."""

    count: int = 0

    def __call__(self) -> None:
        self.count += 1


@dataclass
class Redrafts:
    """Stands in for the pipeline's `redraft`, keeping what it was asked."""

    engine: Engine
    asked: list[tuple[int, int, str, int]] = field(default_factory=list)

    def __call__(
        self, draft_id: int, *, record_id: int, actor: str, expected_version: int
    ) -> DraftView:
        self.asked.append((draft_id, record_id, actor, expected_version))
        return get_draft(self.engine, draft_id)


def _draft(engine: Engine) -> int:
    contact = log_contact(
        engine,
        NewContact(
            channel="email",
            direction="in",
            channel_message_id="<m1@example.org>",
            party="writer@example.org",
            received_at=NOW,
            text="Where is my ticket?",
        ),
        now=NOW,
    )
    return create_draft(
        engine,
        NewDraft(
            contact_id=contact.id,
            body=BODY,
            created_by="pipeline",
            recipient="writer@example.org",
            subject="Re: ticket",
        ),
        now=NOW,
    )


def _actions(
    engine: Engine,
    clock: Clock,
    *,
    maker_checker: bool = True,
    redraft: Redrafts | None = None,
    on_approved: Wakes | None = None,
) -> ClerkActions:
    return ClerkActions(
        engine,
        clock,
        "tickets@force.example",
        maker_checker=maker_checker,
        claim_hold=timedelta(minutes=15),
        redraft=redraft,
        on_approved=on_approved,
    )


def _message_ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(OutboxMessage.message_id)).scalars())  # type: ignore[call-overload]


def test_approve_queues_one_message_from_the_sender_and_wakes_the_outbox(engine: Engine) -> None:
    """Approving puts one message in the outbox, its Message-ID in the sender's domain,
    and calls `on_approved` once."""
    draft_id = _draft(engine)
    wakes = Wakes()
    done = _actions(engine, Clock(), on_approved=wakes).approve(draft_id, "ann", version=1)
    assert (done.action, done.draft.state, done.draft.approved_by) == (
        Action.APPROVED,
        "queued",
        "ann",
    )
    (message_id,) = _message_ids(engine)
    assert message_id.endswith("@force.example>")
    assert wakes.count == 1


def test_the_editor_may_not_approve_and_another_clerk_may(engine: Engine) -> None:
    """Maker-checker: ann edits, ann's approval is refused, bob's goes through."""
    draft_id = _draft(engine)
    actions = _actions(engine, Clock())
    edited = actions.edit(draft_id, "ann", version=1, body="Dear writer, it is paid.")
    assert (edited.action, edited.draft.version, edited.draft.edited_by) == (
        Action.EDITED,
        2,
        "ann",
    )
    with pytest.raises(DraftRuleBroken, match="another clerk must approve"):
        actions.approve(draft_id, "ann", version=2)
    assert actions.approve(draft_id, "bob", version=2).draft.approved_by == "bob"


def test_an_earlier_editor_may_not_approve_after_a_later_edit(engine: Engine) -> None:
    """ann edits, bob edits after her, ann approves: refused, since some of the words are
    still hers (issue 18: maker-checker barred only the last editor). cat may approve."""
    draft_id = _draft(engine)
    actions = _actions(engine, Clock())
    actions.edit(draft_id, "ann", version=1, body="Dear writer, it is paid.")
    actions.edit(draft_id, "bob", version=2, body="Dear writer, it is paid in full.")
    with pytest.raises(DraftRuleBroken, match="another clerk must approve"):
        actions.approve(draft_id, "ann", version=3)
    with pytest.raises(DraftRuleBroken):
        actions.approve(draft_id, "bob", version=3)
    assert actions.approve(draft_id, "cat", version=3).draft.approved_by == "cat"


def test_without_maker_checker_the_editor_may_approve(engine: Engine) -> None:
    """Switched off, the clerk who edited approves their own text."""
    draft_id = _draft(engine)
    actions = _actions(engine, Clock(), maker_checker=False)
    actions.edit(draft_id, "ann", version=1, body="Dear writer, it is paid.")
    assert actions.approve(draft_id, "ann", version=2).draft.state == "queued"


def test_saving_the_text_as_it_was_changes_nothing(engine: Engine) -> None:
    """The same text with a browser's CRLF is not an edit: no new version, no editor."""
    draft_id = _draft(engine)
    done = _actions(engine, Clock()).edit(
        draft_id, "ann", version=1, body=BODY.replace("\n", "\r\n") + "\r\n"
    )
    assert done.action is Action.UNCHANGED
    view = get_draft(engine, draft_id)
    assert (view.version, view.edited_by, view.state) == (1, None, "drafted")


def test_approve_with_changed_text_saves_it_first_and_so_is_refused(engine: Engine) -> None:
    """The desk's Approve with unsaved changes: the text is saved, then maker-checker
    refuses the approval by the same clerk; nothing is queued."""
    draft_id = _draft(engine)
    actions = _actions(engine, Clock())
    with pytest.raises(DraftRuleBroken, match="you edited this draft"):
        actions.approve(draft_id, "ann", version=1, body="New text.", subject="Re: ticket")
    view = get_draft(engine, draft_id)
    assert (view.body, view.edited_by, view.state) == ("New text.", "ann", "edited")
    assert _message_ids(engine) == []


def test_approve_with_unchanged_text_approves(engine: Engine) -> None:
    """The desk's Approve with the text as it was: approved by that clerk."""
    draft_id = _draft(engine)
    done = _actions(engine, Clock()).approve(
        draft_id, "ann", version=1, body=BODY, subject="Re: ticket", hold=True
    )
    assert (done.draft.state, done.draft.edited_by) == ("queued", None)


def test_a_stale_version_is_refused(engine: Engine) -> None:
    """A card or page older than the draft cannot change it."""
    draft_id = _draft(engine)
    actions = _actions(engine, Clock())
    actions.edit(draft_id, "ann", version=1, body="First.")
    with pytest.raises(DraftConflict, match="changed since you opened it"):
        actions.edit(draft_id, "bob", version=1, body="Second.")
    assert get_draft(engine, draft_id).body == "First."


def test_opening_claims_and_a_second_clerk_is_told_who_has_it(engine: Engine) -> None:
    """ann opens the draft and holds it; bob's open names ann, and bob's held action is
    refused."""
    draft_id = _draft(engine)
    clock = Clock()
    actions = _actions(engine, clock)
    assert actions.open(draft_id, "ann").taken_by is None
    clock.now += timedelta(minutes=2)
    opened = actions.open(draft_id, "bob")
    assert (opened.taken_by, opened.draft.claimed_by) == ("ann", "ann")
    with pytest.raises(DraftTaken, match="ann is working on it"):
        actions.reject(draft_id, "bob", version=1, reason="duplicate", hold=True)
    assert get_draft(engine, draft_id).state == "drafted"


def test_an_action_without_hold_goes_by_the_version_not_the_claim(engine: Engine) -> None:
    """Chat and the command line do not claim: a desk clerk's open claim does not stop
    them, the version they saw does."""
    draft_id = _draft(engine)
    actions = _actions(engine, Clock())
    actions.open(draft_id, "ann")
    done = actions.reject(draft_id, "slack:U1", version=1, reason="duplicate")
    assert (done.action, done.draft.state) == (Action.REJECTED, "rejected")


def test_a_claim_lapses_after_the_hold(engine: Engine) -> None:
    """Fifteen minutes after ann's claim, bob may take the draft."""
    draft_id = _draft(engine)
    clock = Clock()
    actions = _actions(engine, clock)
    actions.open(draft_id, "ann")
    clock.now += timedelta(minutes=15)
    opened = actions.open(draft_id, "bob")
    assert (opened.taken_by, opened.draft.claimed_by) == (None, "bob")


def test_release_leaves_the_draft_for_someone_else(engine: Engine) -> None:
    """After ann leaves the draft, bob opens it at once; bob's release of ann's claim
    would have let go nothing."""
    draft_id = _draft(engine)
    actions = _actions(engine, Clock())
    actions.open(draft_id, "ann")
    actions.release(draft_id, "bob")
    assert get_draft(engine, draft_id).claimed_by == "ann"
    actions.release(draft_id, "ann")
    assert actions.open(draft_id, "bob").taken_by is None


def test_reject_needs_a_reason(engine: Engine) -> None:
    """A blank reason is refused; a reason rejects and is kept."""
    draft_id = _draft(engine)
    actions = _actions(engine, Clock())
    with pytest.raises(DraftRuleBroken, match="say why"):
        actions.reject(draft_id, "ann", version=1, reason="  ")
    assert actions.reject(draft_id, "ann", version=1, reason="spam").draft.reason == "spam"


def test_rematch_needs_the_pipeline_and_asks_it_for_the_chosen_record(engine: Engine) -> None:
    """Without a re-draft, re-matching is refused; with one, it is asked for the record
    the clerk chose, by that clerk, at the version they saw."""
    draft_id = _draft(engine)
    assert _actions(engine, Clock()).can_rematch is False
    with pytest.raises(DraftRuleBroken, match="needs the pipeline"):
        _actions(engine, Clock()).rematch(draft_id, "ann", version=1, record_id=7)
    redrafts = Redrafts(engine)
    done = _actions(engine, Clock(), redraft=redrafts).rematch(
        draft_id, "ann", version=1, record_id=7, hold=True
    )
    assert done.action is Action.REMATCHED
    assert redrafts.asked == [(draft_id, 7, "ann", 1)]


def test_from_settings_takes_the_one_sender_address(engine: Engine, tmp_path: Path) -> None:
    """Without MAIL_FROM the embedded default's address is the sender; with it, MAIL_FROM."""
    unset = ClerkActions.from_settings(
        Settings(data_dir=tmp_path, mail_from=None), engine, clock=Clock()
    )
    assert unset.mail_from == "ticket-office@enquiry-desk.invalid"
    given = Settings(data_dir=tmp_path, mail_from="tickets@force.example", desk_claim_minutes=5)
    actions = ClerkActions.from_settings(given, engine, clock=Clock())
    assert (actions.mail_from, actions.claim_hold) == (
        "tickets@force.example",
        timedelta(minutes=5),
    )
