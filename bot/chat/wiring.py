"""The chat adapters from the settings, in the two steps the service is assembled in.

`ChatSetup.from_settings` comes before the pipeline: the platforms' clients and rosters,
the clerks' actions, the officers' notice posters, and a draft queue for each clerks'
channel, whose `notify` the pipeline is built with. `ChatSetup.adapters(pipeline)` comes
after: the officer desk over that pipeline, the Slack and Teams routes, and the parts
that start and stop with the web server (`ChatAdapters`, given to `create_app`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from fastapi import APIRouter

from bot.chat.clerk_actions import ClerkActions
from bot.chat.draft_queue import DraftQueue
from bot.chat.officer_desk import EnquiryHandler, OfficerDesk
from bot.chat.officer_notices import NoticePoster, OfficerNotices
from bot.chat.slack_wiring import SlackSetup
from bot.settings import Settings
from storage.engine import Engine, is_sqlite

if TYPE_CHECKING:
    from bot.chat.teams_wiring import TeamsSetup

# Chat questions get their own threads, never queued behind other users of asyncio's
# default pool. Few: the pipeline is mostly Python (the GIL), and SQLite takes one writer
# at a time, its busy handler sleeping the others (bench/chat.py: one thread beat two and
# eight there); PostgreSQL's row locks let a few work at once. On SQLite the desk answers
# on the event loop and the one thread takes the writes (see officer_desk).
SQLITE_CHAT_WORKERS = 1
CHAT_WORKERS = 4


class Part(Protocol):
    """Something that runs beside the routes, for as long as the web server does."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(frozen=True, slots=True)
class ChatWorkers:
    """The chat's own threads, let go when the server stops."""

    pool: ThreadPoolExecutor

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


@dataclass(frozen=True, slots=True)
class ChatAdapters:
    """The chat routes, and the parts started in order with the server (stopped in reverse)."""

    routes: APIRouter
    parts: tuple[Part, ...]
    notices: OfficerNotices

    @asynccontextmanager
    async def lifespan(self, _app: Any) -> AsyncIterator[None]:
        started: list[Part] = []
        try:
            for part in self.parts:
                await part.start()
                started.append(part)
            yield
        finally:
            for part in reversed(started):
                await part.stop()


@dataclass(frozen=True, slots=True)
class ChatSetup:
    engine: Engine
    clock: Callable[[], datetime]
    workers: ChatWorkers
    clerks: ClerkActions
    slack: SlackSetup | None
    teams: TeamsSetup | None
    draft_queues: tuple[DraftQueue, ...]  # one for each clerks' channel, Slack's first
    notices: OfficerNotices

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        engine: Engine,
        *,
        clock: Callable[[], datetime],
        teams_anonymous_for_tests: bool = False,
    ) -> ChatSetup | None:
        """Whichever of Slack and Teams the settings turn on; None when neither is. No
        setting reaches `teams_anonymous_for_tests`: only a test passes it."""
        slack_on = settings.effective_slack_mode != "off"
        if not slack_on and not settings.teams_enabled:
            return None
        count = SQLITE_CHAT_WORKERS if is_sqlite(engine) else CHAT_WORKERS
        workers = ChatWorkers(ThreadPoolExecutor(count, thread_name_prefix="chat"))
        clerks = ClerkActions.from_settings(settings, engine, clock=clock, workers=workers.pool)
        slack = SlackSetup.from_settings(settings) if slack_on else None
        teams: TeamsSetup | None = None
        if settings.teams_enabled:
            # Loaded only with Teams on: the Agents SDK takes a third of a second to import.
            from bot.chat.teams_wiring import TeamsSetup

            teams = TeamsSetup.from_settings(
                settings, anonymous_for_tests=teams_anonymous_for_tests
            )
        posters = [
            poster.post
            for poster in (
                slack.draft_poster(clerks) if slack else None,
                teams.draft_poster(clerks) if teams else None,
            )
            if poster is not None
        ]
        notice_posters: tuple[NoticePoster, ...] = (
            (slack.officer_notice(engine, clock).post,) if slack else ()
        )
        return cls(
            engine=engine,
            clock=clock,
            workers=workers,
            clerks=clerks,
            slack=slack,
            teams=teams,
            draft_queues=tuple(DraftQueue(post) for post in posters),
            notices=OfficerNotices(notice_posters),
        )

    @property
    def draft_listeners(self) -> tuple[Callable[[int], None], ...]:
        """For the pipeline: each new public draft's id goes to every clerks' channel."""
        return tuple(queue.notify for queue in self.draft_queues)

    def adapters(self, pipeline: EnquiryHandler) -> ChatAdapters:
        """The Slack and Teams adapters over `pipeline`, which officers' questions go to."""
        desk = OfficerDesk(
            self.engine,
            pipeline,
            self.clock,
            self.workers.pool,
            answer_on_loop=is_sqlite(self.engine),
        )
        routes = APIRouter()
        # The client's session first to start and last to stop: everything else may post
        # while it runs.
        parts: list[Part] = [self.slack.session] if self.slack else []
        parts.append(self.workers)
        if self.slack is not None:
            slack = self.slack.adapter(desk, self.clerks)
            routes.include_router(slack.routes)
            if slack.socket is not None:
                parts.append(slack.socket)
        if self.teams is not None:
            routes.include_router(self.teams.routes(desk, self.clerks))
        parts.extend(self.draft_queues)
        parts.append(self.notices)
        return ChatAdapters(routes, tuple(parts), self.notices)
