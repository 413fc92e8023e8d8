"""New drafts, from the pipeline's threads to a poster on the event loop.

The pipeline calls `notify(draft_id)` from whichever thread committed the draft; it only
hands the id to the loop (`call_soon_threadsafe`), where one task posts the cards in
order. A failed post is the poster's to log: the draft is safe in the database and on
the review desk either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class DraftQueue:
    post: Callable[[int], Awaitable[object]]
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False)
    _queue: asyncio.Queue[int] | None = field(default=None, init=False)
    _task: asyncio.Task[None] | None = field(default=None, init=False)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self._task = self._loop.create_task(self._run(), name="draft-poster")

    async def stop(self) -> None:
        task, self._task, self._loop, self._queue = self._task, None, None, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def notify(self, draft_id: int) -> None:
        loop, queue = self._loop, self._queue
        if loop is None or queue is None or loop.is_closed():
            log.warning("draft poster not running", extra={"draft_id": draft_id})
            return
        loop.call_soon_threadsafe(queue.put_nowait, draft_id)

    async def _run(self) -> None:
        queue = self._queue
        assert queue is not None
        while True:
            draft_id = await queue.get()
            try:
                await self.post(draft_id)
            except Exception:  # one bad draft must not stop the cards after it
                log.exception("posting a draft failed", extra={"draft_id": draft_id})
