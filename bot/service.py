"""The one web app of `enquiry-desk run`, from parts built before it.

It answers `/healthz`; with the desk, the review desk's pages from `/`, else a status page
of what the database holds; with chat, Slack's `/slack/events` and Teams' `/api/messages`,
the chat's parts starting and stopping with the server; with metrics, `/metrics`.
`bot.assemble` builds the parts and hands them in.
"""

from __future__ import annotations

import html

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse

from bot.chat.wiring import ChatAdapters
from bot.desk import DeskConfig, install_desk
from bot.metrics import Metrics
from lookup.errors import EnquiryDeskError
from storage.engine import Engine, check_connection
from storage.overview import Overview, overview


def create_app(
    engine: Engine,
    *,
    desk: DeskConfig | None = None,
    chat: ChatAdapters | None = None,
    metrics: Metrics | None = None,
) -> FastAPI:
    web = FastAPI(
        title="Enquiry Desk",
        docs_url=None,
        redoc_url=None,
        lifespan=chat.lifespan if chat is not None else None,
    )
    if chat is not None:
        web.include_router(chat.routes)
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

    if metrics is not None:
        metrics.mount(web)
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
