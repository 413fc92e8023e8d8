"""Telling the officer in the case, in chat, that a record's status has changed.

The status watcher (bot/status_updates.py) runs in a worker thread and calls a plain
function for each change whose record names an officer; `OfficerNotices` turns that into
a direct message on each chat platform that knows the officer's collar number (the
roster's `USER=COLLAR` entries), posted on the server's event loop (the one it was started
on, with the web server) and logged as an outbound contact about the record. Group members have no known collar number and are not
told. A message that cannot be posted is logged as a warning and not retried: it is a
courtesy, and the record itself is the source of truth.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from responses.case_facts import CaseFacts
from responses.compose import compose_officer_update
from responses.template_store import TemplateStore

log = logging.getLogger(__name__)

# Posts `text` to the officer with collar number `collar` about record `record_id`;
# returns how many messages went out.
NoticePoster = Callable[[str, int, str], Coroutine[Any, Any, int]]

# How long the status pass waits for the posts of one notice before going on.
POST_PATIENCE_SECONDS = 30.0


@dataclass
class OfficerNotices:
    """The platforms' notice posters, given when it is made; started with the web server."""

    posters: tuple[NoticePoster, ...] = ()
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False)
    # Set once started and left set: after `stop` there is nothing to wait for.
    _started: threading.Event = field(default_factory=threading.Event, init=False)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._started.set()

    async def stop(self) -> None:
        self._loop = None

    def notifier(
        self, templates: TemplateStore, clock: Callable[[], datetime]
    ) -> Callable[[str, int, CaseFacts, str | None], None] | None:
        """The function the status pass calls from its thread, or None when no platform
        can tell anyone."""
        if not self.posters:
            return None

        def notify(collar: str, record_id: int, facts: CaseFacts, old_status: str | None) -> None:
            # The status watcher starts beside the web server, so its first pass may come
            # before the server (and with it this) has started: wait for it a while.
            self._started.wait(POST_PATIENCE_SECONDS)
            loop = self._loop
            if loop is None or loop.is_closed():
                log.warning("officer notices not running", extra={"record_id": record_id})
                return
            text = compose_officer_update(
                facts, old_status=old_status, today=clock().date(), store=templates
            )
            for post in self.posters:
                future = asyncio.run_coroutine_threadsafe(post(collar, record_id, text), loop)
                try:
                    future.result(timeout=POST_PATIENCE_SECONDS)
                except Exception as exc:  # a timeout or a failed post: a courtesy, go on
                    future.cancel()
                    log.warning(
                        "cannot tell the officer",
                        extra={"record_id": record_id, "error": type(exc).__name__},
                    )

        return notify
