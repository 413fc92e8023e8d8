"""The queue and the draft page: open, edit, approve, reject, re-match, leave.

The pages are the methods of `QueuePages`, bound to one database and one set of clerk
actions (`bot.clerk_actions`); `router` puts them on their paths behind the clerk's role.
Every action on the desk holds the draft's claim (`hold=True`): another clerk's open
claim refuses it, whatever the page it came from showed.
"""

# No `from __future__ import annotations` here: FastAPI reads the route signatures at
# definition time.

import math
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from bot.clerk_actions import ClerkActions
from bot.desk.auth import Guard
from bot.desk.config import DeskConfig
from bot.desk.render import problem, render
from lookup.records import RecordDetails
from storage.contact_search import count_party_contacts, find_record_by_reference, get_contact
from storage.dashboard_figures import overdue_count
from storage.draft_rules import holder_against
from storage.drafts import (
    OPEN_STATES,
    DraftError,
    DraftNotFound,
    DraftView,
    count_drafts,
    get_draft,
    list_drafts,
)
from storage.engine import Engine
from storage.follow_ups import FollowUpView, due_follow_ups
from storage.record_details import record_details
from storage.saved_match import SavedMatch
from storage.users import SignedIn, note_desk_action

PAGE_SIZE = 50

# Notices after an action, chosen by code so that nothing from the URL is echoed as text.
NOTICES = {
    "approved": "Draft {id} approved and queued for sending.",
    "rejected": "Draft {id} rejected.",
    "released": "Draft {id} left for someone else.",
    "rematched": "Re-matched: the draft was written again from the record now shown.",
    "saved": "Saved.",
    "undone": "Draft {id} taken back: nothing was sent, and it is open again.",
}
NO_PIPELINE = "Re-matching needs the pipeline, which is not running here."

TextField = Annotated[str, Form()]
VersionField = Annotated[int, Form()]


@dataclass(frozen=True, slots=True)
class QueueRow:
    draft: DraftView
    record: RecordDetails | None
    overdue_days: int
    due_today: bool
    taken_by: str | None

    @property
    def partner(self) -> str | None:
        """The partner agency a partner's note is about, as the match saved it."""
        return self.draft.decision.partner if self.draft.decision else None


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    """A holding reply's promised date reached with no real answer sent yet."""

    follow_up: FollowUpView
    record: RecordDetails | None
    overdue_days: int


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """One of the match's candidates on the draft page; `record_id` when its reference
    names one record, for "re-match to this"."""

    reference: str
    kind: str
    score: float
    record_id: int | None


def router(engine: Engine, config: DeskConfig, guard: Guard) -> APIRouter:
    """The pages' routes, each for a signed-in clerk (the guard also checks CSRF)."""
    pages = QueuePages(engine, config, config.clerk_actions(engine))
    routes = APIRouter(dependencies=[Depends(guard.needs("clerk"))])
    routes.add_api_route("/queue", pages.queue, methods=["GET"])
    routes.add_api_route("/drafts/{draft_id}", pages.open_draft, methods=["GET"])
    routes.add_api_route("/drafts/{draft_id}/save", pages.save, methods=["POST"])
    routes.add_api_route("/drafts/{draft_id}/approve", pages.approve, methods=["POST"])
    routes.add_api_route("/drafts/{draft_id}/reject", pages.reject, methods=["POST"])
    routes.add_api_route("/drafts/{draft_id}/rematch", pages.rematch, methods=["POST"])
    routes.add_api_route("/drafts/{draft_id}/release", pages.release, methods=["POST"])
    routes.add_api_route("/drafts/{draft_id}/undo", pages.undo, methods=["POST"])
    return routes


def notice(code: str | None, draft_id: int | None) -> str:
    template = NOTICES.get(code or "")
    return template.format(id=draft_id) if template else ""


def clerk(request: Request) -> SignedIn:
    """The clerk the router's guard let in (it keeps them on the request)."""
    user: SignedIn = request.state.desk_user
    return user


def overdue_days(draft: DraftView, today: date) -> int:
    return (today - draft.reply_due).days if draft.is_overdue(today) and draft.reply_due else 0


class QueuePages:
    def __init__(self, engine: Engine, config: DeskConfig, actions: ClerkActions) -> None:
        self.engine = engine
        self.config = config
        self.actions = actions

    # -- pages -------------------------------------------------------------------------

    def queue(
        self, request: Request, page: int = 1, done: str | None = None, draft: int | None = None
    ) -> Response:
        user = clerk(request)
        now = self.config.clock()
        today = now.date()
        total = count_drafts(self.engine)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(page, 1), pages)
        drafts = list_drafts(self.engine, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        follow_ups = due_follow_ups(self.engine, today=today)
        records = record_details(
            self.engine,
            [d.record_id for d in drafts if d.record_id]
            + [f.record_id for f in follow_ups if f.record_id],
        )
        rows = [
            QueueRow(
                draft=d,
                record=records.get(d.record_id) if d.record_id else None,
                overdue_days=overdue_days(d, today),
                due_today=d.reply_due == today,
                taken_by=holder_against(
                    user.account.name,
                    claimed_by=d.claimed_by,
                    claimed_at=d.claimed_at,
                    now=now,
                    hold=self.actions.claim_hold,
                ),
            )
            for d in drafts
        ]
        follow_up_rows = [
            FollowUpRow(
                follow_up=f,
                record=records.get(f.record_id) if f.record_id else None,
                overdue_days=f.overdue_days(today),
            )
            for f in follow_ups
        ]
        return render(
            request,
            "queue.html",
            drafts=rows,
            follow_ups=follow_up_rows,
            total=total,
            overdue=overdue_count(self.engine, today=today),
            page=page,
            pages=pages,
            notice=notice(done, draft),
            # Right after an approval, while its reply is held: the way back.
            undo=self._undo(done, draft),
        )

    def open_draft(self, request: Request, draft_id: int, done: str | None = None) -> Response:
        user = clerk(request)
        try:
            opened = self.actions.open(draft_id, user.account.name)
        except DraftNotFound:
            return self._missing(request, draft_id)
        note_desk_action(
            self.engine,
            actor=user.account.name,
            action="draft.viewed",
            entity="draft",
            entity_id=draft_id,
            now=self.config.clock(),
        )
        return self._draft_page(
            request, opened.draft, taken_by=opened.taken_by, notice_text=notice(done, draft_id)
        )

    # -- actions -----------------------------------------------------------------------

    def save(
        self,
        request: Request,
        draft_id: int,
        body: TextField = "",
        subject: TextField = "",
        version: VersionField = 0,
    ) -> Response:
        actor = clerk(request).account.name
        try:
            self.actions.edit(
                draft_id,
                actor,
                version=version,
                body=_clean(body),
                subject=subject.strip(),
                hold=True,
            )
        except DraftError as exc:
            return self._failed(request, draft_id, exc)
        return RedirectResponse(f"/drafts/{draft_id}?done=saved", status_code=303)

    def approve(
        self,
        request: Request,
        draft_id: int,
        body: TextField = "",
        subject: TextField = "",
        version: VersionField = 0,
    ) -> Response:
        actor = clerk(request).account.name
        try:
            # Unsaved changes are saved first; under maker-checker the approval that
            # follows is then refused, and the message says another clerk must approve.
            self.actions.approve(
                draft_id,
                actor,
                version=version,
                body=_clean(body),
                subject=subject.strip(),
                hold=True,
            )
        except DraftError as exc:
            return self._failed(request, draft_id, exc)
        return RedirectResponse(f"/queue?done=approved&draft={draft_id}", status_code=303)

    def reject(
        self, request: Request, draft_id: int, reason: TextField = "", version: VersionField = 0
    ) -> Response:
        actor = clerk(request).account.name
        try:
            self.actions.reject(draft_id, actor, version=version, reason=reason, hold=True)
        except DraftError as exc:
            return self._failed(request, draft_id, exc)
        return RedirectResponse(f"/queue?done=rejected&draft={draft_id}", status_code=303)

    def rematch(
        self,
        request: Request,
        draft_id: int,
        version: VersionField = 0,
        record_id: Annotated[int | None, Form()] = None,
        reference: TextField = "",
    ) -> Response:
        current = self._load(draft_id)
        if current is None:
            return self._missing(request, draft_id)
        if not self.actions.can_rematch:
            return self._draft_page(request, current, error=NO_PIPELINE, status_code=409)
        if record_id is None:
            ids = find_record_by_reference(self.engine, reference)
            if len(ids) != 1:
                message = (
                    f"No record has the reference {reference.strip()!r}."
                    if not ids
                    else "Several records of different kinds have that reference; "
                    "pick one from the candidates."
                )
                return self._draft_page(request, current, error=message, status_code=409)
            record_id = ids[0]
        actor = clerk(request).account.name
        try:
            self.actions.rematch(draft_id, actor, version=version, record_id=record_id, hold=True)
        except DraftError as exc:
            return self._failed(request, draft_id, exc)
        return RedirectResponse(f"/drafts/{draft_id}?done=rematched", status_code=303)

    def _undo(self, done: str | None, draft_id: int | None) -> tuple[int, str] | None:
        """Right after an approval, while its reply is held: the draft and when it goes."""
        if done != "approved" or draft_id is None:
            return None
        until = self.actions.undo_until(draft_id)
        return (draft_id, f"{until:%H:%M:%S} UTC") if until is not None else None

    def undo(self, request: Request, draft_id: int) -> Response:
        try:
            self.actions.undo(draft_id, clerk(request).account.name)
        except DraftError as exc:
            return self._failed(request, draft_id, exc)
        return RedirectResponse(f"/drafts/{draft_id}?done=undone", status_code=303)

    def release(self, request: Request, draft_id: int) -> Response:
        self.actions.release(draft_id, clerk(request).account.name)
        return RedirectResponse(f"/queue?done=released&draft={draft_id}", status_code=303)

    # -- helpers -----------------------------------------------------------------------

    def _draft_page(
        self,
        request: Request,
        draft: DraftView,
        *,
        taken_by: str | None = None,
        error: str = "",
        notice_text: str = "",
        status_code: int = 200,
    ) -> Response:
        contact = get_contact(self.engine, draft.contact_id)
        record = (
            record_details(self.engine, [draft.record_id]).get(draft.record_id)
            if draft.record_id
            else None
        )
        match = draft.decision or SavedMatch()
        today = self.config.clock().date()
        is_open = draft.state in OPEN_STATES
        return render(
            request,
            "draft.html",
            status_code=status_code,
            draft=draft,
            contact=contact,
            record=record,
            match=match,
            reasons=match.reasons,
            score=match.score,
            candidates=self._candidates(match),
            history_count=count_party_contacts(self.engine, contact.party) if contact else 0,
            overdue_days=overdue_days(draft, today),
            # The letter states a date already behind us: approval would refuse it.
            stale_date=draft.valid_until if is_open and draft.is_stale(today) else None,
            taken_by=taken_by,
            is_open=is_open,
            can_act=is_open and taken_by is None,
            can_rematch=self.actions.can_rematch,
            error=error,
            notice=notice_text,
        )

    def _candidates(self, match: SavedMatch) -> list[CandidateRow]:
        """The match's other candidates, each with its record when the reference names one."""
        candidates = []
        for candidate in match.candidates:
            reference, kind = candidate.reference, candidate.kind
            ids = (
                find_record_by_reference(self.engine, reference, kind or None) if reference else []
            )
            candidates.append(
                CandidateRow(reference, kind, candidate.score, ids[0] if len(ids) == 1 else None)
            )
        return candidates

    def _load(self, draft_id: int) -> DraftView | None:
        try:
            return get_draft(self.engine, draft_id)
        except DraftNotFound:
            return None

    def _missing(self, request: Request, draft_id: int) -> Response:
        return problem(
            request, 404, "No such draft", f"There is no draft {draft_id}. It may have been purged."
        )

    def _failed(self, request: Request, draft_id: int, exc: DraftError) -> Response:
        """The draft page again, saying why the action was refused (404 if it is gone)."""
        current = None if isinstance(exc, DraftNotFound) else self._load(draft_id)
        if current is None:
            return self._missing(request, draft_id)
        return self._draft_page(request, current, error=exc.reason, status_code=409)


def _clean(body: str) -> str:
    # Browsers send CRLF from a textarea (HTML's form submission rules); keep LF inside.
    return body.replace("\r\n", "\n").rstrip()
