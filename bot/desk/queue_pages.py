"""The queue and the draft page: open, edit, approve, reject, re-match, leave."""

# No `from __future__ import annotations` here: FastAPI reads the route signatures at
# definition time, and the `Annotated` aliases they use are local to `router()`.

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import Engine

from bot.desk.auth import Guard
from bot.desk.config import DeskConfig
from bot.desk.render import problem, render
from storage.contact_search import count_party_contacts, find_record_by_reference, get_contact
from storage.dashboard_figures import overdue_count
from storage.drafts import (
    OPEN_STATES,
    DraftError,
    DraftNotFound,
    DraftTaken,
    DraftView,
    approve_draft,
    claim_draft,
    count_drafts,
    edit_draft,
    get_draft,
    list_drafts,
    reject_draft,
    release_draft,
)
from storage.follow_ups import FollowUpView, due_follow_ups
from storage.record_details import record_details
from storage.users import SignedIn, note_desk_action

PAGE_SIZE = 50

# Notices after an action, chosen by code so that nothing from the URL is echoed as text.
NOTICES = {
    "approved": "Draft {id} approved and queued for sending.",
    "rejected": "Draft {id} rejected.",
    "released": "Draft {id} left for someone else.",
    "rematched": "Re-matched: the draft was written again from the record now shown.",
    "saved": "Saved.",
}


@dataclass(frozen=True, slots=True)
class QueueRow:
    draft: DraftView
    record: dict[str, Any] | None
    overdue_days: int
    due_today: bool
    taken_by: str | None


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    """A holding reply's promised date reached with no real answer sent yet."""

    follow_up: FollowUpView
    record: dict[str, Any] | None
    overdue_days: int


def router(engine: Engine, config: DeskConfig, guard: Guard) -> APIRouter:
    routes = APIRouter()
    clerk = Annotated[SignedIn, Depends(guard.needs("clerk"))]

    def notice(code: str | None, draft_id: int | None) -> str:
        template = NOTICES.get(code or "")
        return template.format(id=draft_id) if template else ""

    @routes.get("/queue")
    def queue(
        request: Request,
        user: clerk,
        page: int = 1,
        done: str | None = None,
        draft: int | None = None,
    ) -> Response:
        now = config.clock()
        today = now.date()
        total = count_drafts(engine)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(page, 1), pages)
        drafts = list_drafts(engine, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        follow_ups = due_follow_ups(engine, today=today)
        records = record_details(
            engine,
            [d.record_id for d in drafts if d.record_id]
            + [f.record_id for f in follow_ups if f.record_id],
        )
        rows = [
            QueueRow(
                draft=d,
                record=records.get(d.record_id) if d.record_id else None,
                overdue_days=(today - d.reply_due).days
                if d.is_overdue(today) and d.reply_due
                else 0,
                due_today=d.reply_due == today,
                taken_by=(
                    d.claimed_by
                    if d.claimed_by
                    and d.claimed_by != user.account.name
                    and d.claimed_at is not None
                    and now - d.claimed_at < config.claim_hold
                    else None
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
            overdue=overdue_count(engine, today=today),
            page=page,
            pages=pages,
            notice=notice(done, draft),
        )

    def draft_page(
        request: Request,
        user: SignedIn,
        draft: DraftView,
        *,
        taken_by: str | None = None,
        error: str = "",
        notice_text: str = "",
        status_code: int = 200,
    ) -> Response:
        contact = get_contact(engine, draft.contact_id)
        record = (
            record_details(engine, [draft.record_id]).get(draft.record_id)
            if draft.record_id
            else None
        )
        decision = draft.decision or {}
        candidates = []
        for candidate in decision.get("candidates") or []:
            reference, kind = str(candidate.get("reference") or ""), candidate.get("kind")
            ids = find_record_by_reference(engine, reference, kind) if reference else []
            candidates.append(
                {
                    "reference": reference,
                    "kind": str(kind or ""),
                    "score": float(candidate.get("score") or 0.0),
                    "record_id": ids[0] if len(ids) == 1 else None,
                }
            )
        today = config.clock().date()
        is_open = draft.state in OPEN_STATES
        return render(
            request,
            "draft.html",
            status_code=status_code,
            draft=draft,
            contact=contact,
            record=record,
            reasons=list(decision.get("reasons") or []),
            score=decision.get("score"),
            candidates=candidates,
            history_count=count_party_contacts(engine, contact.party) if contact else 0,
            overdue_days=(today - draft.reply_due).days
            if draft.is_overdue(today) and draft.reply_due
            else 0,
            # The letter states a date already behind us: approval would refuse it.
            stale_date=draft.valid_until if is_open and draft.is_stale(today) else None,
            taken_by=taken_by,
            is_open=is_open,
            can_act=is_open and taken_by is None,
            can_rematch=config.redraft is not None,
            error=error,
            notice=notice_text,
        )

    def hold(draft_id: int, user: SignedIn) -> DraftView:
        """Act only on a draft this clerk holds: another clerk's open claim refuses the
        action (`DraftTaken`), whatever the page they acted from showed."""
        return claim_draft(
            engine,
            draft_id,
            actor=user.account.name,
            now=config.clock(),
            hold=config.claim_hold,
        )

    def load(draft_id: int) -> DraftView | None:
        try:
            return get_draft(engine, draft_id)
        except DraftNotFound:
            return None

    def save_changes(
        current: DraftView, user: SignedIn, body: str, subject: str, version: int, now: datetime
    ) -> DraftView | None:
        """Save the clerk's text if it differs from the draft's: the draft as saved, or
        None. Saving unchanged text must not make this clerk the draft's editor, which
        under maker-checker would bar them from approving it."""
        if (
            _clean(body) == _clean(current.body)
            and subject.strip() == (current.subject or "").strip()
        ):
            return None
        return edit_draft(
            engine,
            current.id,
            body=_clean(body),
            subject=subject.strip(),
            actor=user.account.name,
            now=now,
            expected_version=version,
        )

    def missing(request: Request, draft_id: int) -> Response:
        return problem(
            request, 404, "No such draft", f"There is no draft {draft_id}. It may have been purged."
        )

    def failed(request: Request, user: SignedIn, draft_id: int, exc: DraftError) -> Response:
        current = load(draft_id)
        if current is None:
            return missing(request, draft_id)
        return draft_page(request, user, current, error=exc.reason, status_code=409)

    @routes.get("/drafts/{draft_id}")
    def open_draft(
        request: Request, draft_id: int, user: clerk, done: str | None = None
    ) -> Response:
        draft = load(draft_id)
        if draft is None:
            return missing(request, draft_id)
        taken_by = None
        now = config.clock()
        if draft.state in OPEN_STATES:
            try:
                draft = claim_draft(
                    engine, draft_id, actor=user.account.name, now=now, hold=config.claim_hold
                )
            except DraftTaken as exc:
                taken_by = exc.holder
        note_desk_action(
            engine,
            actor=user.account.name,
            action="draft.viewed",
            entity="draft",
            entity_id=draft_id,
            now=now,
        )
        return draft_page(
            request, user, draft, taken_by=taken_by, notice_text=notice(done, draft_id)
        )

    @routes.post("/drafts/{draft_id}/save")
    def save(
        request: Request,
        draft_id: int,
        user: clerk,
        body: Annotated[str, Form()] = "",
        subject: Annotated[str, Form()] = "",
        version: Annotated[int, Form()] = 0,
    ) -> Response:
        try:
            save_changes(hold(draft_id, user), user, body, subject, version, config.clock())
        except DraftNotFound:
            return missing(request, draft_id)
        except DraftError as exc:
            return failed(request, user, draft_id, exc)
        return RedirectResponse(f"/drafts/{draft_id}?done=saved", status_code=303)

    @routes.post("/drafts/{draft_id}/approve")
    def approve(
        request: Request,
        draft_id: int,
        user: clerk,
        body: Annotated[str, Form()] = "",
        subject: Annotated[str, Form()] = "",
        version: Annotated[int, Form()] = 0,
    ) -> Response:
        now = config.clock()
        try:
            current = hold(draft_id, user)
            # Unsaved changes are saved first; under maker-checker the approval that
            # follows is then refused, and the message says another clerk must approve.
            if current.state in OPEN_STATES and (
                saved := save_changes(current, user, body, subject, version, now)
            ):
                version = saved.version
            approve_draft(
                engine,
                draft_id,
                actor=user.account.name,
                now=now,
                mail_from=config.mail_from,
                maker_checker=config.maker_checker,
                expected_version=version,
            )
        except DraftNotFound:
            return missing(request, draft_id)
        except DraftError as exc:
            return failed(request, user, draft_id, exc)
        if config.on_approved is not None:
            config.on_approved()
        return RedirectResponse(f"/queue?done=approved&draft={draft_id}", status_code=303)

    @routes.post("/drafts/{draft_id}/reject")
    def reject(
        request: Request,
        draft_id: int,
        user: clerk,
        reason: Annotated[str, Form()] = "",
        version: Annotated[int, Form()] = 0,
    ) -> Response:
        try:
            hold(draft_id, user)
            reject_draft(
                engine,
                draft_id,
                actor=user.account.name,
                reason=reason,
                now=config.clock(),
                expected_version=version,
            )
        except DraftNotFound:
            return missing(request, draft_id)
        except DraftError as exc:
            return failed(request, user, draft_id, exc)
        return RedirectResponse(f"/queue?done=rejected&draft={draft_id}", status_code=303)

    @routes.post("/drafts/{draft_id}/rematch")
    def rematch(
        request: Request,
        draft_id: int,
        user: clerk,
        version: Annotated[int, Form()] = 0,
        record_id: Annotated[int | None, Form()] = None,
        reference: Annotated[str, Form()] = "",
    ) -> Response:
        current = load(draft_id)
        if current is None:
            return missing(request, draft_id)
        if config.redraft is None:
            return draft_page(
                request,
                user,
                current,
                error="Re-matching needs the pipeline, which is not running here.",
                status_code=409,
            )
        if record_id is None:
            ids = find_record_by_reference(engine, reference)
            if len(ids) != 1:
                message = (
                    f"No record has the reference {reference.strip()!r}."
                    if not ids
                    else "Several records of different kinds have that reference; "
                    "pick one from the candidates."
                )
                return draft_page(request, user, current, error=message, status_code=409)
            record_id = ids[0]
        try:
            hold(draft_id, user)
            config.redraft(
                draft_id, record_id=record_id, actor=user.account.name, expected_version=version
            )
        except DraftError as exc:
            return failed(request, user, draft_id, exc)
        return RedirectResponse(f"/drafts/{draft_id}?done=rematched", status_code=303)

    @routes.post("/drafts/{draft_id}/release")
    def release(draft_id: int, user: clerk) -> Response:
        release_draft(engine, draft_id, actor=user.account.name)
        return RedirectResponse(f"/queue?done=released&draft={draft_id}", status_code=303)

    return routes


def _clean(body: str) -> str:
    # Browsers send CRLF from a textarea (HTML's form submission rules); keep LF inside.
    return body.replace("\r\n", "\n").rstrip()
