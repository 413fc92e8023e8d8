"""A clerk's Approve, Edit or Reject from chat, with the outcome said plainly.

The storage layer guards every change with the draft's version, so a second click, a
colleague who acted first on the desk, or a card older than the draft all end as a
`DraftError`; here that becomes a short message for the clerk and the draft as it now
stands, so the chat message can be brought up to date.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Engine

from bot.chat.draft_card import DraftCard, load_card
from storage.drafts import DraftError, DraftNotFound, approve_draft, edit_draft, reject_draft

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ActionResult:
    done: bool
    message: str  # for the clerk who acted
    card: DraftCard | None  # the draft as it now stands (None if it no longer exists)


@dataclass
class ClerkActions:
    engine: Engine
    clock: Callable[[], datetime]
    mail_from: str | None
    maker_checker: bool = True
    workers: ThreadPoolExecutor | None = None

    async def card(self, draft_id: int) -> DraftCard:
        return await self._run(lambda: load_card(self.engine, draft_id))

    async def approve(self, draft_id: int, version: int, actor: str) -> ActionResult:
        def act() -> object:
            return approve_draft(
                self.engine,
                draft_id,
                actor=actor,
                now=self.clock(),
                mail_from=self.mail_from or "",
                maker_checker=self.maker_checker,
                expected_version=version,
            )

        return await self._act(draft_id, "approved", act, "Approved: the reply is queued to send.")

    async def edit(self, draft_id: int, version: int, actor: str, body: str) -> ActionResult:
        def act() -> object:
            return edit_draft(
                self.engine,
                draft_id,
                body=body,
                actor=actor,
                now=self.clock(),
                expected_version=version,
            )

        return await self._act(draft_id, "edited", act, "Saved your changes to the draft.")

    async def reject(self, draft_id: int, version: int, actor: str, reason: str) -> ActionResult:
        def act() -> object:
            return reject_draft(
                self.engine,
                draft_id,
                actor=actor,
                reason=reason,
                now=self.clock(),
                expected_version=version,
            )

        return await self._act(draft_id, "rejected", act, "Rejected: nothing will be sent.")

    async def _act(
        self, draft_id: int, what: str, act: Callable[[], object], done: str
    ) -> ActionResult:
        try:
            await self._run(act)
        except DraftNotFound as exc:
            return ActionResult(False, f"This draft no longer exists ({exc.reason}).", None)
        except DraftError as exc:
            log.info("draft action refused", extra={"draft_id": draft_id, "action": what})
            return ActionResult(False, f"Not {what}: {exc.reason}.", await self.card(draft_id))
        log.info("draft action", extra={"draft_id": draft_id, "action": what})
        return ActionResult(True, done, await self.card(draft_id))

    async def _run(self, call: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.workers, call)
