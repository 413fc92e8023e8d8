"""Slack from the settings: the Web API client and its one HTTP session, the roster, the
posters, and the app's way in.

In HTTP mode Slack posts to `/slack/events` (signatures checked); in Socket Mode the app
keeps an outbound connection instead and no route is served. `SlackSetup` is what the
settings give before the pipeline is built; `SlackSetup.adapter` is the app over the
officer desk, built after it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import aiohttp
from fastapi import APIRouter, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat.clerk_actions import ClerkActions
from bot.chat.officer_desk import OfficerDesk
from bot.chat.roster import Roster, parse_roster
from bot.chat.slack_app import SlackDraftPoster, SlackOfficerNotice, build_slack_app
from bot.settings import Settings
from storage.engine import Engine

log = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"
SLACK_API_URL = "https://slack.com/api/"


def slack_client(settings: Settings) -> AsyncWebClient:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    base = settings.slack_api_url or SLACK_API_URL
    return AsyncWebClient(token=token, base_url=base if base.endswith("/") else base + "/")


@dataclass
class SlackSession:
    """One HTTP session for the client, for the server's life.

    Without one the SDK opens a session, and a new connection, for every call: under 200
    questions at once that was a large share of each answer's time (bench/chat.py).
    """

    client: AsyncWebClient

    async def start(self) -> None:
        self.client.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.client.timeout),
            trust_env=self.client.trust_env_in_session,
        )

    async def stop(self) -> None:
        session, self.client.session = self.client.session, None
        if session is not None:
            await session.close()


@dataclass
class SlackSocket:
    """The Socket Mode connection, kept trying while Slack is unreachable."""

    app: AsyncApp
    app_token: str
    _handlers: list[AsyncSocketModeHandler] = field(default_factory=list, init=False)
    _connecting: list[asyncio.Task[None]] = field(default_factory=list, init=False)

    async def start(self) -> None:
        # The handler opens its HTTP session when made, so it is made on the running loop.
        handler = AsyncSocketModeHandler(self.app, self.app_token)
        self._handlers.append(handler)
        self._connecting.append(asyncio.get_running_loop().create_task(self._connect(handler)))

    async def stop(self) -> None:
        for task in self._connecting:
            task.cancel()
        for handler in self._handlers:
            await handler.close_async()  # type: ignore[no-untyped-call]
        self._handlers.clear()
        self._connecting.clear()

    async def _connect(self, handler: AsyncSocketModeHandler) -> None:
        # Slack unreachable at start must not stop the desk and the mail: keep trying.
        delay = 1.0
        while True:
            try:
                await handler.connect_async()  # type: ignore[no-untyped-call]
                return
            except Exception as exc:
                log.warning("slack socket mode cannot connect", extra={"error": type(exc).__name__})
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)


@dataclass(frozen=True, slots=True)
class SlackAdapter:
    """The Slack app's way in: a route (HTTP mode) or a connection (Socket Mode)."""

    routes: APIRouter
    socket: SlackSocket | None


@dataclass(frozen=True, slots=True)
class SlackSetup:
    client: AsyncWebClient
    session: SlackSession
    roster: Roster
    signing_secret: str | None  # HTTP mode; None in Socket Mode
    app_token: str | None  # Socket Mode; None in HTTP mode
    clerk_channel: str | None

    @classmethod
    def from_settings(cls, settings: Settings) -> SlackSetup:
        client = slack_client(settings)
        http = settings.effective_slack_mode == "http"
        secret = settings.slack_signing_secret
        token = settings.slack_app_token
        return cls(
            client=client,
            session=SlackSession(client),
            roster=parse_roster(settings.slack_officers, settings.slack_clerks, group_prefix="S"),
            signing_secret=secret.get_secret_value() if http and secret else None,
            app_token=None if http else (token.get_secret_value() if token else ""),
            clerk_channel=settings.slack_clerk_channel or None,
        )

    def draft_poster(self, clerks: ClerkActions) -> SlackDraftPoster | None:
        """Posts new drafts' cards to the clerks' channel, when one is set."""
        if not self.clerk_channel:
            return None
        return SlackDraftPoster(self.client, clerks, self.clerk_channel)

    def officer_notice(self, engine: Engine, clock: Callable[[], datetime]) -> SlackOfficerNotice:
        return SlackOfficerNotice(self.client, self.roster, engine, clock)

    def adapter(self, desk: OfficerDesk, clerks: ClerkActions) -> SlackAdapter:
        app = build_slack_app(
            client=self.client,
            signing_secret=self.signing_secret,
            roster=self.roster,
            desk=desk,
            clerks=clerks,
        )
        routes = APIRouter()
        if self.app_token is not None:
            return SlackAdapter(routes, SlackSocket(app, self.app_token))
        handler = AsyncSlackRequestHandler(app)

        async def slack_events(request: Request) -> Response:
            try:
                return await handler.handle(request)
            except Exception as exc:  # a payload Bolt cannot read: refuse it, keep serving
                log.warning("unreadable slack request", extra={"error": type(exc).__name__})
                return Response(status_code=400)

        # A plain route: Bolt reads the request itself, so FastAPI's parameter handling
        # would be work on every event for nothing.
        routes.add_route(SLACK_EVENTS_PATH, slack_events, methods=["POST"], include_in_schema=False)
        return SlackAdapter(routes, None)
