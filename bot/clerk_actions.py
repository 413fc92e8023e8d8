"""What a clerk may do to a draft, from the review desk, chat or the command line.

Open (and so claim), edit, approve, reject, re-match and release: one set of actions with
their collaborators given once (the database, a clock, the sender address, the
maker-checker setting, the claim's hold, the pipeline's re-draft), so the desk, Slack,
Teams and `enquiry-desk drafts` cannot drift apart. Each action returns what it did as a
typed value; one that cannot be done raises `DraftError` (from `storage.drafts`) whose
`reason` is written for the clerk.

Only the desk claims: a clerk there opens the draft before acting, and another clerk's
open claim refuses the action (`hold=True`). A chat card or a command names the version
the clerk saw instead, and the storage layer refuses it if the draft has moved on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from bot.settings import Settings
from storage.draft_rules import DEFAULT_CLAIM_HOLD, is_an_edit
from storage.drafts import (
    OPEN_STATES,
    DraftRuleBroken,
    DraftTaken,
    DraftView,
    approve_draft,
    claim_draft,
    edit_draft,
    get_draft,
    reject_draft,
    release_draft,
    undo_approval,
    undo_until,
)
from storage.engine import Engine


class Redraft(Protocol):
    """Re-compose a draft from another record (the pipeline's `redraft`)."""

    def __call__(
        self, draft_id: int, *, record_id: int, actor: str, expected_version: int
    ) -> DraftView: ...


class Action(StrEnum):
    """What an action did to the draft."""

    EDITED = "edited"
    UNCHANGED = "unchanged"  # the text saved was the text it had: nothing was written
    APPROVED = "approved"
    REJECTED = "rejected"
    REMATCHED = "rematched"
    UNDONE = "undone"  # an approval taken back within its hold


@dataclass(frozen=True, slots=True)
class Done:
    action: Action
    draft: DraftView  # as it stands after the action


@dataclass(frozen=True, slots=True)
class Opened:
    draft: DraftView
    taken_by: str | None  # another clerk holds it: this one may read it, not act on it


@dataclass(frozen=True, slots=True)
class ClerkActions:
    """The actions over one database; synchronous (chat runs them on its worker threads)."""

    engine: Engine
    clock: Callable[[], datetime]
    # The Message-ID domain of approved mail comes from this address.
    mail_from: str
    maker_checker: bool = True
    claim_hold: timedelta = DEFAULT_CLAIM_HOLD
    redraft: Redraft | None = None
    # Called after an approval, so the outbox sends at once rather than on its next turn.
    on_approved: Callable[[], None] | None = None
    # How long an approved reply waits before it may go, so it can be taken back (`undo`).
    # The desk sets it (APPROVAL_HOLD_SECONDS: a key press approves there); a chat button
    # or a typed command is its own confirmation, so chat and the CLI send at once.
    approval_hold: timedelta = timedelta(0)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        engine: Engine,
        *,
        clock: Callable[[], datetime],
        redraft: Redraft | None = None,
        on_approved: Callable[[], None] | None = None,
    ) -> ClerkActions:
        return cls(
            engine,
            clock,
            settings.sender_address,
            maker_checker=settings.maker_checker,
            claim_hold=timedelta(minutes=settings.desk_claim_minutes),
            redraft=redraft,
            on_approved=on_approved,
        )

    @property
    def can_rematch(self) -> bool:
        return self.redraft is not None

    # -- claims ----------------------------------------------------------------------

    def open(self, draft_id: int, actor: str) -> Opened:
        """The draft, claimed for `actor` while it is open, unless another clerk holds it."""
        draft = get_draft(self.engine, draft_id)
        if draft.state not in OPEN_STATES:
            return Opened(draft, None)
        try:
            return Opened(self.claim(draft_id, actor), None)
        except DraftTaken as exc:
            return Opened(draft, exc.holder)

    def claim(self, draft_id: int, actor: str) -> DraftView:
        """Hold the draft for `actor`, or renew their hold; `DraftTaken` when another
        clerk's claim has not lapsed."""
        return claim_draft(
            self.engine, draft_id, actor=actor, now=self.clock(), hold=self.claim_hold
        )

    def release(self, draft_id: int, actor: str) -> None:
        """Leave the draft for someone else; only `actor`'s own claim is let go."""
        release_draft(self.engine, draft_id, actor=actor)

    # -- changes -----------------------------------------------------------------------

    def edit(
        self,
        draft_id: int,
        actor: str,
        *,
        version: int | None,
        body: str,
        subject: str | None = None,
        hold: bool = False,
    ) -> Done:
        """Save the clerk's text (and subject, unless None). Text as it was is not saved
        (`Action.UNCHANGED`): it must not make the clerk the draft's editor."""
        current = self._current(draft_id, actor, hold=hold)
        return self._save(current, actor, version, body, subject, self.clock())

    def approve(
        self,
        draft_id: int,
        actor: str,
        *,
        version: int | None,
        body: str | None = None,
        subject: str | None = None,
        hold: bool = False,
    ) -> Done:
        """Approve the draft into the outbox. With `body`, the text the clerk has in front
        of them is saved first; under maker-checker the approval is then refused, and the
        reason says another clerk must approve it."""
        now = self.clock()
        if body is not None or hold:
            current = self._current(draft_id, actor, hold=hold)
            if body is not None and current.state in OPEN_STATES:
                saved = self._save(current, actor, version, body, subject, now)
                if saved.action is Action.EDITED:
                    version = saved.draft.version
        view = approve_draft(
            self.engine,
            draft_id,
            actor=actor,
            now=now,
            mail_from=self.mail_from,
            maker_checker=self.maker_checker,
            expected_version=version,
            hold=self.approval_hold,
        )
        if self.on_approved is not None:
            self.on_approved()
        return Done(Action.APPROVED, view)

    def undo(self, draft_id: int, actor: str) -> Done:
        """Take back an approval while its reply is still held (`approval_hold`): the
        reply is withdrawn and the draft is open again. Too late is a `DraftConflict`."""
        return Done(
            Action.UNDONE, undo_approval(self.engine, draft_id, actor=actor, now=self.clock())
        )

    def undo_until(self, draft_id: int) -> datetime | None:
        """Until when the approval of `draft_id` can be taken back, if it still can."""
        until = undo_until(self.engine, draft_id)
        return until if until is not None and until > self.clock() else None

    def reject(
        self, draft_id: int, actor: str, *, version: int | None, reason: str, hold: bool = False
    ) -> Done:
        """Reject the draft, saying why (a blank reason is refused)."""
        if hold:
            self.claim(draft_id, actor)
        view = reject_draft(
            self.engine,
            draft_id,
            actor=actor,
            reason=reason,
            now=self.clock(),
            expected_version=version,
        )
        return Done(Action.REJECTED, view)

    def rematch(
        self, draft_id: int, actor: str, *, version: int, record_id: int, hold: bool = False
    ) -> Done:
        """Write the draft afresh from `record_id`, the record the clerk chose."""
        if self.redraft is None:
            raise DraftRuleBroken(draft_id, "re-matching needs the pipeline, which is not running")
        if hold:
            self.claim(draft_id, actor)
        view = self.redraft(draft_id, record_id=record_id, actor=actor, expected_version=version)
        return Done(Action.REMATCHED, view)

    def _current(self, draft_id: int, actor: str, *, hold: bool) -> DraftView:
        """The draft as it is now; with `hold`, only if `actor` holds it or can take it:
        another clerk's open claim refuses (`DraftTaken`), whatever page was acted from."""
        return self.claim(draft_id, actor) if hold else get_draft(self.engine, draft_id)

    def _save(
        self,
        current: DraftView,
        actor: str,
        version: int | None,
        body: str,
        subject: str | None,
        now: datetime,
    ) -> Done:
        # A closed draft is left to `edit_draft` to refuse, whatever the text.
        if current.state in OPEN_STATES and not is_an_edit(
            body, subject, current_body=current.body, current_subject=current.subject
        ):
            return Done(Action.UNCHANGED, current)
        view = edit_draft(
            self.engine,
            current.id,
            body=body,
            actor=actor,
            now=now,
            subject=subject,
            expected_version=version,
        )
        return Done(Action.EDITED, view)
