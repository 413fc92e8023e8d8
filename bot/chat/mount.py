"""Putting the chat adapters on the one web server, from the settings.

Slack in HTTP mode answers at `/slack/events` (signatures checked); in Socket Mode it
keeps an outbound connection instead and no route is mounted. Teams answers at
`/api/messages`. `ChatRuntime.start` and `stop` belong in the server's lifespan.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import aiohttp
from fastapi import FastAPI, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat.clerk_actions import ClerkActions
from bot.chat.draft_queue import DraftQueue
from bot.chat.officer_desk import EnquiryHandler, OfficerDesk
from bot.chat.officer_notices import OfficerNotices
from bot.chat.roster import parse_roster
from bot.chat.slack_app import SlackDraftPoster, SlackOfficerNotice, build_slack_app
from bot.settings import Settings
from storage.engine import Engine, is_sqlite

log = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"
SLACK_API_URL = "https://slack.com/api/"
# Chat questions get their own threads, never queued behind other users of asyncio's
# default pool. Few: the pipeline is mostly Python (the GIL), and SQLite takes one writer
# at a time, its busy handler sleeping the others (bench/chat.py: one thread beat two and
# eight there); PostgreSQL's row locks let a few work at once. On SQLite the desk answers
# on the event loop and the one thread takes the writes (see officer_desk).
SQLITE_CHAT_WORKERS = 1
CHAT_WORKERS = 4


class ChatPipeline(EnquiryHandler, Protocol):
    on_draft: list[Callable[[int], None]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ChatRuntime:
    """What runs beside the routes: Socket Mode, the clerks' channel poster."""

    starts: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    stops: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # Posting a draft's card, by platform: the pipeline's `on_draft` reaches these.
    posters: dict[str, Callable[[int], Awaitable[str | None]]] = field(default_factory=dict)
    # Telling officers in the case of status changes, for the status watcher.
    notices: OfficerNotices = field(default_factory=OfficerNotices)

    def add_poster(
        self, name: str, post: Callable[[int], Awaitable[str | None]], pipeline: ChatPipeline
    ) -> None:
        queue = DraftQueue(post)
        self.posters[name] = post
        self.starts.append(queue.start)
        self.stops.append(queue.stop)
        pipeline.on_draft.append(queue.notify)

    async def start(self) -> None:
        for start in self.starts:
            await start()

    async def stop(self) -> None:
        for stop in reversed(self.stops):
            await stop()


def slack_client(settings: Settings) -> AsyncWebClient:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    base = settings.slack_api_url or SLACK_API_URL
    return AsyncWebClient(token=token, base_url=base if base.endswith("/") else base + "/")


def keep_session(runtime: ChatRuntime, client: AsyncWebClient) -> None:
    """Give `client` one HTTP session for the server's life.

    Without one the SDK opens a session, and a new connection, for every call: under 200
    questions at once that was a large share of each answer's time (bench/chat.py).
    """

    async def open_session() -> None:
        client.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=client.timeout),
            trust_env=client.trust_env_in_session,
        )

    async def close_session() -> None:
        session, client.session = client.session, None
        if session is not None:
            await session.close()

    # First to start and last to stop: everything else may post while it runs.
    runtime.starts.insert(0, open_session)
    runtime.stops.insert(0, close_session)


def mount_chat(
    web: FastAPI,
    *,
    settings: Settings,
    engine: Engine,
    pipeline: ChatPipeline,
    clock: Callable[[], datetime] = utc_now,
    teams_anonymous_for_tests: bool = False,
) -> ChatRuntime:
    """Mount whichever of Slack and Teams the settings turn on. No setting reaches
    `teams_anonymous_for_tests`: only a test passes it (see `teams_wiring`)."""
    runtime = ChatRuntime()
    mode = settings.effective_slack_mode
    if mode == "off" and not settings.teams_enabled:
        return runtime
    count = SQLITE_CHAT_WORKERS if engine.dialect.name == "sqlite" else CHAT_WORKERS
    workers = ThreadPoolExecutor(count, thread_name_prefix="chat")

    async def shut_workers() -> None:
        workers.shutdown(wait=False, cancel_futures=True)

    runtime.stops.append(shut_workers)
    desk = OfficerDesk(engine, pipeline, clock, workers, answer_on_loop=is_sqlite(engine))
    clerks = ClerkActions.from_settings(settings, engine, clock=clock, workers=workers)
    if mode != "off":
        _mount_slack(web, runtime, settings, pipeline, desk, clerks)
    if settings.teams_enabled:
        from bot.chat.teams_wiring import mount_teams  # the Agents SDK loads only when used

        mount_teams(
            web,
            runtime,
            settings=settings,
            pipeline=pipeline,
            desk=desk,
            clerks=clerks,
            anonymous_for_tests=teams_anonymous_for_tests,
        )
    _run_with(web, runtime)
    return runtime


def _run_with(web: FastAPI, runtime: ChatRuntime) -> None:
    """Start and stop `runtime` with the server, around whatever lifespan it has."""
    inner = web.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        await runtime.start()
        try:
            async with inner(app) as state:
                yield state
        finally:
            await runtime.stop()

    web.router.lifespan_context = lifespan


def _mount_slack(
    web: FastAPI,
    runtime: ChatRuntime,
    settings: Settings,
    pipeline: ChatPipeline,
    desk: OfficerDesk,
    clerks: ClerkActions,
) -> None:
    client = slack_client(settings)
    keep_session(runtime, client)
    roster = parse_roster(settings.slack_officers, settings.slack_clerks, group_prefix="S")
    http = settings.effective_slack_mode == "http"
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    )
    app = build_slack_app(
        client=client,
        signing_secret=secret if http else None,
        roster=roster,
        desk=desk,
        clerks=clerks,
    )
    if http:
        handler = AsyncSlackRequestHandler(app)

        async def slack_events(request: Request) -> Response:
            try:
                return await handler.handle(request)
            except Exception as exc:  # a payload Bolt cannot read: refuse it, keep serving
                log.warning("unreadable slack request", extra={"error": type(exc).__name__})
                return Response(status_code=400)

        # A plain route: Bolt reads the request itself, so FastAPI's parameter handling
        # would be work on every event for nothing.
        web.router.add_route(
            SLACK_EVENTS_PATH, slack_events, methods=["POST"], include_in_schema=False
        )

    else:
        from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

        app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else ""
        # The handler opens its HTTP session when made, so it is made on the running loop.
        sockets: list[AsyncSocketModeHandler] = []
        connecting: list[asyncio.Task[None]] = []

        async def keep_connecting(socket: AsyncSocketModeHandler) -> None:
            # Slack unreachable at start must not stop the desk and the mail: keep trying.
            delay = 1.0
            while True:
                try:
                    await socket.connect_async()  # type: ignore[no-untyped-call]
                    return
                except Exception as exc:
                    log.warning(
                        "slack socket mode cannot connect", extra={"error": type(exc).__name__}
                    )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)

        async def start_socket() -> None:
            sockets.append(AsyncSocketModeHandler(app, app_token))
            connecting.append(asyncio.get_running_loop().create_task(keep_connecting(sockets[-1])))

        async def stop_socket() -> None:
            for task in connecting:
                task.cancel()
            for socket in sockets:
                await socket.close_async()  # type: ignore[no-untyped-call]
            sockets.clear()
            connecting.clear()

        runtime.starts.append(start_socket)
        runtime.stops.append(stop_socket)

    runtime.notices.posters.append(SlackOfficerNotice(client, roster, desk.engine, desk.clock).post)
    if settings.slack_clerk_channel:
        poster = SlackDraftPoster(client, clerks, settings.slack_clerk_channel)
        runtime.add_poster("slack", poster.post, pipeline)
