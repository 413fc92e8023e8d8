"""The service assembled once, top down, for `enquiry-desk run`.

Every part is built here, in this order, and given what it needs when it is made:

1. the engine (opened by the caller, `bot.database.open_database`);
2. the parts the settings give: templates, the mail source and transport, and for chat
   the clients, rosters, clerks' actions, notice posters and draft queues;
3. the pipeline, told of new drafts through those queues;
4. the chat adapters (Slack, Teams) over the pipeline;
5. the desk and the one web app (desk, chat routes, `/healthz`, `/metrics`);
6. the runtime, which runs them all.

Nothing reaches back: no part looks another up on the app, nor adds itself to a part
already built.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import typer

from bot.chat.wiring import ChatSetup
from bot.desk import DeskConfig
from bot.log_format import configure_logging
from bot.metrics import Metrics
from bot.runtime import OutboxBell, Runtime, run_service
from bot.service import create_app
from bot.settings import Settings
from bot.wiring import build_pipeline, build_source, build_transport, template_store, utc_now
from mail.sources import MailSource
from mail.transport import Transport
from storage.engine import Engine
from storage.overview import Overview, overview


def assemble(
    settings: Settings,
    engine: Engine,
    *,
    clock: Callable[[], datetime] = utc_now,
    source: MailSource | None = None,
    transport: Transport | None = None,
    teams_anonymous_for_tests: bool = False,
) -> Runtime:
    """The whole service over `engine`. `source` and `transport` are built from the
    settings unless given (tests hand in their own); no setting reaches
    `teams_anonymous_for_tests` (see `bot.chat.teams_wiring`)."""
    templates = template_store(settings)
    source = source or build_source(settings, engine)
    transport = transport or build_transport(settings)
    chat = ChatSetup.from_settings(
        settings, engine, clock=clock, teams_anonymous_for_tests=teams_anonymous_for_tests
    )
    pipeline = build_pipeline(
        settings,
        engine,
        clock=clock,
        templates=templates,
        on_draft=chat.draft_listeners if chat is not None else (),
    )
    adapters = chat.adapters(pipeline) if chat is not None else None
    approvals = OutboxBell()
    desk = DeskConfig.from_settings(
        settings, clock=clock, redraft=pipeline.redraft, on_approved=approvals.ring
    )
    metrics = Metrics(engine, token=metrics_token(settings))
    web = create_app(engine, desk=desk, chat=adapters, metrics=metrics)
    return Runtime(
        settings,
        engine,
        pipeline,
        source,
        transport,
        web,
        metrics,
        clock=clock,
        notify_officer=adapters.notices.notifier(templates, clock) if adapters else None,
        approvals=approvals,
    )


def assemble_once(
    settings: Settings, engine: Engine, *, clock: Callable[[], datetime] = utc_now
) -> Runtime:
    """`run --once`: the mailbox, status changes and the outbox. No chat: nothing would
    be running to post new drafts' cards or tell officers; the app (`/healthz`, the
    status page) is made but never served."""
    metrics = Metrics(engine, token=metrics_token(settings))
    return Runtime(
        settings,
        engine,
        build_pipeline(settings, engine, clock=clock),
        build_source(settings, engine),
        build_transport(settings),
        create_app(engine, metrics=metrics),
        metrics,
        clock=clock,
    )


def metrics_token(settings: Settings) -> str | None:
    token = settings.metrics_token
    return token.get_secret_value() if token is not None else None


def describe(view: Overview) -> str:
    return (
        f"{view.records} records, {view.contacts} contacts logged, "
        f"{view.drafts_waiting} drafts waiting"
    )


def serve(settings: Settings, engine: Engine, *, once: bool) -> None:
    """Serve until SIGTERM, or with `once` process everything pending, report and return."""
    configure_logging()
    if once:
        typer.echo(assemble_once(settings, engine).run_once().line())
        typer.echo(describe(overview(engine)))
        return
    runtime = assemble(settings, engine)
    # Bound before saying where: a taken port ends here, exit status 2 with the address.
    sockets = [runtime.listen()]
    typer.echo(f"Enquiry Desk on http://{settings.http_host}:{settings.http_port}/")
    run_service(runtime, sockets)
