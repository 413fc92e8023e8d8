"""`enquiry-desk run`: the one web server and, as they land, the workers beside it.

For now the server answers `/healthz` and shows a status page of what the database
holds; the review desk, chat endpoints, mailbox reading and the outbox join it in their
own issues, on this same server and loop.
"""

from __future__ import annotations

import html

import typer
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse

from bot.chat.mount import ChatPipeline, mount_chat
from bot.desk import DeskConfig, install_desk
from bot.settings import Settings
from lookup.errors import EnquiryDeskError
from storage.engine import Engine, check_connection
from storage.overview import Overview, overview


def create_app(
    engine: Engine,
    *,
    settings: Settings | None = None,
    pipeline: ChatPipeline | None = None,
    desk: DeskConfig | None = None,
) -> FastAPI:
    web = FastAPI(title="Enquiry Desk", docs_url=None, redoc_url=None)
    if settings is not None and pipeline is not None:
        # Slack at /slack/events (or Socket Mode), Teams at /api/messages, as configured.
        # Kept where the runtime finds it: the status watcher tells officers through it.
        web.state.chat = mount_chat(web, settings=settings, engine=engine, pipeline=pipeline)
    if desk is not None:
        # The review desk takes `/` and the pages below it; without it, a status page.
        install_desk(web, engine, desk)

    @web.get("/healthz")
    def healthz() -> JSONResponse:
        try:
            check_connection(engine)
        except EnquiryDeskError:
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "up"})

    if desk is None:

        @web.get("/", response_class=HTMLResponse)
        def home() -> str:
            return _status_page(overview(engine))

    return web


def _status_page(view: Overview) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(kind)}</td><td>{count:,}</td></tr>"
        for kind, count in sorted(view.records_by_kind.items())
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Enquiry Desk</title>
<style>body{{font:16px system-ui,sans-serif;margin:2rem auto;max-width:40rem;color:#1b1f24}}
table{{border-collapse:collapse}}td{{padding:.2rem 1rem;border-bottom:1px solid #ddd}}</style>
</head><body><h1>Enquiry Desk</h1>
<p>{view.records:,} records, {view.contacts:,} contacts logged,
{view.drafts_waiting:,} drafts waiting for a clerk.</p>
<table><tr><th>kind</th><th>records</th></tr>{rows}</table></body></html>"""


def describe(view: Overview) -> str:
    return (
        f"{view.records} records, {view.contacts} contacts logged, "
        f"{view.drafts_waiting} drafts waiting"
    )


def serve(settings: Settings, engine: Engine, *, once: bool) -> None:
    """Serve until SIGTERM, or with `once` process everything pending, report and return."""
    from bot.log_format import configure_logging
    from bot.runtime import Runtime, run_service

    configure_logging()
    if once:
        typer.echo(Runtime(settings, engine).run_once().line())
        typer.echo(describe(overview(engine)))
        return
    typer.echo(f"Enquiry Desk on http://{settings.http_host}:{settings.http_port}/")
    run_service(settings, engine)
