"""`enquiry-desk draft FILE.jsonl` and `enquiry-desk drafts list|show|approve|reject|edit`."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import click
import typer

from bot.clerk_actions import Action, ClerkActions
from bot.database import open_database
from bot.enquiry_lines import BadLine, enquiry_lines, text_field
from bot.pipeline import Pipeline, outcome_json
from bot.settings import Settings, load_settings
from bot.wiring import build_pipeline
from lookup.channels import Channel
from lookup.enquiry import Enquiry
from lookup.routes import OutcomeRoute
from storage.drafts import OPEN_STATES, DraftView, get_draft, list_drafts
from storage.engine import Engine
from storage.saved_match import SavedMatch

drafts_app = typer.Typer(help="Drafted replies waiting for a clerk.", no_args_is_help=True)

DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL (default: the configured one).")
]
ActorOption = Annotated[
    str | None,
    typer.Option("--as", help="Who is acting, for the audit trail (default: your login name)."),
]


def _settings() -> Settings:
    return load_settings()


def _now() -> datetime:
    return datetime.now(UTC)


def _actions(settings: Settings, engine: Engine) -> ClerkActions:
    return ClerkActions.from_settings(settings, engine, clock=_now)


def _actor(given: str | None) -> str:
    if given:
        return given
    try:
        return os.getlogin()
    except OSError:
        return os.environ.get("USER", "cli")


def draft(
    file: Annotated[
        Path, typer.Argument(help="JSON Lines of enquiries (contracts.md, section 3).")
    ],
    db: DbOption = None,
) -> None:
    """Run enquiries through the whole pipeline (log, match, intent, draft): one JSON per line."""
    settings = _settings()
    pipeline = build_pipeline(settings, open_database(settings, db), clock=_now)
    for _, item in enquiry_lines(file):
        typer.echo(json.dumps(_draft_item(pipeline, item), ensure_ascii=False))


def _draft_item(pipeline: Pipeline, item: dict[str, Any] | BadLine) -> dict[str, Any]:
    if isinstance(item, BadLine):
        return {
            "id": None,
            "contact_id": None,
            "reference": None,
            "verified": False,
            "intents": [],
            "draft_id": None,
            "draft": None,
            "route": OutcomeRoute.NONE,
            "error": str(item),
        }
    outcome = pipeline.handle(enquiry_from_item(item, item["text"], now=pipeline.clock()))
    return outcome_json(item.get("id"), outcome)


def enquiry_from_item(item: dict[str, Any], text: str, *, now: datetime) -> Enquiry:
    """A contract-format line as the enquiry its channel would have delivered.

    `chat` lines come from authorised officers (contracts.md, section 2). The message id
    is the line's own id, or a digest of the line, so loading a file twice doubles nothing.
    """
    # The contract's "channel": "email" | "chat" (section 2), read here at the edge;
    # anything but "chat" is mail from the public.
    chat = item.get("channel") == "chat"
    sender = text_field(item, "sender") or ""
    subject = text_field(item, "subject") or ""
    key = item.get("id")
    if not isinstance(key, str | int) or isinstance(key, bool):
        key = hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:32]
    return Enquiry(
        channel=Channel.CHAT if chat else Channel.EMAIL,
        channel_message_id=f"file:{key}",
        sender=str(sender),
        received_at=now,
        text=text,
        subject=str(subject),
        officer=(str(sender) or "file") if chat else None,
    )


@drafts_app.command("list")
def drafts_list(
    db: DbOption = None,
    state: Annotated[
        list[str] | None, typer.Option(help="States to list (default: drafted and edited).")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
) -> None:
    """Drafts waiting for a clerk, the one due soonest first."""
    engine = open_database(_settings(), db)
    today = date.today()
    rows = list_drafts(engine, states=tuple(state or OPEN_STATES), limit=limit)
    if not rows:
        typer.echo("no drafts")
        return
    for d in rows:
        due = d.reply_due.isoformat() if d.reply_due else "-"
        late = " OVERDUE" if d.is_overdue(today) else ""
        check = "verified" if d.verified else "unverified"
        held = f" held: {d.reason}" if d.reason else ""
        typer.echo(
            f"#{d.id:<6} {d.state:<8} due {due}{late}  {d.purpose:<13} {check:<10}"
            f" {','.join(d.intents) or '-'}{held}"
        )


@drafts_app.command("show")
def drafts_show(draft_id: int, db: DbOption = None) -> None:
    """One draft in full: why it was drafted and its text."""
    typer.echo(describe_draft(get_draft(open_database(_settings(), db), draft_id)))


def describe_draft(d: DraftView) -> str:
    decision = d.decision or SavedMatch()
    lines = [
        f"draft #{d.id} ({d.state}, version {d.version}) for contact #{d.contact_id}",
        f"purpose: {d.purpose}   route: {d.route}   verified: {'yes' if d.verified else 'no'}",
        f"intents: {', '.join(d.intents) or '-'}   reply due: {d.reply_due or '-'}",
        f"matched: {decision.kind or '-'} {decision.reference or '(none)'}",
        "reasons: " + ", ".join(decision.reasons),
    ]
    if d.reason:
        lines.append(f"for a clerk: {d.reason}")
    lines += [f"to: {d.recipient or '-'}", f"subject: {d.subject or ''}", "", d.body]
    return "\n".join(lines)


@drafts_app.command("approve")
def drafts_approve(
    draft_id: int,
    db: DbOption = None,
    actor: ActorOption = None,
    version: Annotated[
        int | None, typer.Option(help="Refuse if the draft changed since this version.")
    ] = None,
) -> None:
    """Approve a draft: it goes to the outbox and is sent once."""
    settings = _settings()
    actions = _actions(settings, open_database(settings, db))
    done = actions.approve(draft_id, _actor(actor), version=version).draft
    typer.echo(f"draft #{done.id} approved by {done.approved_by}: {done.state}")


@drafts_app.command("reject")
def drafts_reject(
    draft_id: int,
    reason: Annotated[str, typer.Option(help="Why; kept with the draft.")],
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Reject a draft, saying why."""
    settings = _settings()
    actions = _actions(settings, open_database(settings, db))
    done = actions.reject(draft_id, _actor(actor), version=None, reason=reason).draft
    typer.echo(f"draft #{done.id} rejected")


@drafts_app.command("edit")
def drafts_edit(
    draft_id: int,
    db: DbOption = None,
    actor: ActorOption = None,
    body_file: Annotated[
        Path | None, typer.Option("--file", help="New text from this file ('-': stdin).")
    ] = None,
) -> None:
    """Replace a draft's text: from --file, or in $EDITOR."""
    settings = _settings()
    engine = open_database(settings, db)
    current = get_draft(engine, draft_id)
    if body_file is None:
        body = click.edit(current.body)
        if body is None:
            typer.echo("unchanged")
            return
    elif str(body_file) == "-":
        body = sys.stdin.read()
    else:
        body = body_file.read_text(encoding="utf-8")
    done = _actions(settings, engine).edit(
        draft_id, _actor(actor), version=current.version, body=body
    )
    if done.action is Action.UNCHANGED:
        typer.echo("unchanged")
        return
    typer.echo(f"draft #{draft_id} edited (version {done.draft.version})")
