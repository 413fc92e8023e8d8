"""A clerk's Approve, Edit or Reject from chat, with the outcome said plainly.

The actions themselves are `bot.clerk_actions`, the same the desk and the command line
take; here each runs on the chat's worker threads, off the event loop. The storage layer
guards every change with the draft's version, so a second click, a colleague who acted
first on the desk, or a card older than the draft all end as a `DraftError`; here that
becomes a short message for the clerk and the draft as it now stands, so the chat
message can be brought up to date.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from bot import clerk_actions
from bot.chat.draft_card import DraftCard, load_card
from bot.clerk_actions import Action, Done
from bot.settings import Settings
from storage.drafts import DraftError, DraftNotFound
from storage.engine import Engine

log = logging.getLogger(__name__)

T = TypeVar("T")

# What the clerk is told when the action was done, by what it did.
DONE = {
    Action.APPROVED: "Approved: the reply is queued to send.",
    Action.EDITED: "Saved your changes to the draft.",
    Action.UNCHANGED: "Nothing to save: the text is as it was.",
    Action.REJECTED: "Rejected: nothing will be sent.",
}


@dataclass(frozen=True, slots=True)
class ActionResult:
    message: str  # for the clerk who acted
    card: DraftCard | None  # the draft as it now stands (None if it no longer exists)
    action: Action | None = None  # what was done; None when it was refused

    @property
    def done(self) -> bool:
        return self.action is not None

    @property
    def changed(self) -> bool:
        """The draft changed as asked, so the card may say who acted."""
        return self.action is not None and self.action is not Action.UNCHANGED


@dataclass(frozen=True, slots=True)
class ClerkActions:
    """`bot.clerk_actions.ClerkActions`, awaited: each call runs in `workers`."""

    actions: clerk_actions.ClerkActions
    workers: ThreadPoolExecutor | None = None

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        engine: Engine,
        *,
        clock: Callable[[], datetime],
        workers: ThreadPoolExecutor | None = None,
    ) -> ClerkActions:
        return cls(clerk_actions.ClerkActions.from_settings(settings, engine, clock=clock), workers)

    async def card(self, draft_id: int) -> DraftCard:
        return await self._run(lambda: load_card(self.actions.engine, draft_id))

    async def approve(self, draft_id: int, version: int, actor: str) -> ActionResult:
        return await self._act(
            draft_id,
            Action.APPROVED,
            lambda: self.actions.approve(draft_id, actor, version=version),
        )

    async def edit(self, draft_id: int, version: int, actor: str, body: str) -> ActionResult:
        return await self._act(
            draft_id,
            Action.EDITED,
            lambda: self.actions.edit(draft_id, actor, version=version, body=body),
        )

    async def reject(self, draft_id: int, version: int, actor: str, reason: str) -> ActionResult:
        return await self._act(
            draft_id,
            Action.REJECTED,
            lambda: self.actions.reject(draft_id, actor, version=version, reason=reason),
        )

    async def _act(self, draft_id: int, asked: Action, act: Callable[[], Done]) -> ActionResult:
        try:
            done = await self._run(act)
        except DraftNotFound as exc:
            return ActionResult(f"This draft no longer exists ({exc.reason}).", None)
        except DraftError as exc:
            log.info("draft action refused", extra={"draft_id": draft_id, "action": asked.value})
            return ActionResult(f"Not {asked}: {exc.reason}.", await self.card(draft_id))
        log.info("draft action", extra={"draft_id": draft_id, "action": done.action.value})
        return ActionResult(DONE[done.action], await self.card(draft_id), done.action)

    async def _run(self, call: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.workers, call)
