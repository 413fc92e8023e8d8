"""An officer's question in chat, through the pipeline, to the answer and its log entry.

Channel-neutral: the Slack and Teams adapters turn their events into a `ChatQuestion`,
post what `answer` returns in the thread, and call `record_reply` with the posted
message's id so the answer is a logged outbound contact like any other.

The pipeline is synchronous (database, rapidfuzz); it runs in worker threads so the
event loop keeps acknowledging Slack within its three seconds.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy import Engine

from lookup.decide import Decision
from lookup.enquiry import Enquiry
from storage.contact_log import NewContact, log_contact

log = logging.getLogger(__name__)

T = TypeVar("T")

# An officer's question names a case in a line or two. Slack allows 40,000 characters;
# matching only the start keeps a pasted document from holding a worker for long.
MAX_QUESTION_CHARS = 4_000

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


class ChatOutcome(Protocol):
    @property
    def contact_id(self) -> int: ...
    @property
    def decision(self) -> Decision: ...
    @property
    def chat_reply(self) -> str | None: ...


class EnquiryHandler(Protocol):
    """What the desk needs of `bot.pipeline.Pipeline`."""

    def handle(self, enquiry: Enquiry) -> ChatOutcome: ...


@dataclass(frozen=True, slots=True)
class ChatQuestion:
    channel: str  # "slack" or "teams"
    message_id: str  # the platform's id of the event or activity: logging is idempotent on it
    user_id: str
    text: str
    thread_key: str | None
    officer: str | None  # collar number once the adapter has found the user authorised


@dataclass(frozen=True, slots=True)
class ChatAnswer:
    contact_id: int
    record_id: int | None
    text: str


def clean_question(text: str) -> str:
    """Drop bot mentions and surplus space, and cut to `MAX_QUESTION_CHARS`."""
    text = _MENTION.sub(" ", text or "")
    return " ".join(text.split())[:MAX_QUESTION_CHARS]


@dataclass
class OfficerDesk:
    engine: Engine
    pipeline: EnquiryHandler
    clock: Callable[[], datetime]
    # Own threads, so chat questions never queue behind other users of the default pool.
    workers: ThreadPoolExecutor | None = None

    async def answer(self, question: ChatQuestion) -> ChatAnswer | None:
        """The reply to post, or None when there is nothing to say (a redelivery)."""
        enquiry = Enquiry(
            channel=question.channel,
            channel_message_id=question.message_id,
            sender=question.user_id,
            received_at=self.clock(),
            text=clean_question(question.text),
            thread_key=question.thread_key,
            officer=question.officer,
        )
        outcome = await self._run(self.pipeline.handle, enquiry)
        if outcome.chat_reply is None:
            log.info("chat question already handled", extra={"contact_id": outcome.contact_id})
            return None
        record = outcome.decision.record_id if question.officer is not None else None
        return ChatAnswer(outcome.contact_id, record, outcome.chat_reply)

    async def record_reply(
        self, question: ChatQuestion, answer: ChatAnswer, *, posted_id: str
    ) -> None:
        """Log the posted answer as an outbound contact, keyed by the posted message id."""
        now = self.clock()
        contact = NewContact(
            channel=question.channel,
            direction="out",
            channel_message_id=posted_id,
            party=question.user_id,
            received_at=now,
            text=answer.text,
            thread_key=question.thread_key,
            in_reply_to=question.message_id,
            record_id=answer.record_id,
        )
        logged = await self._run(lambda: log_contact(self.engine, contact, now=now))
        log.info(
            "chat answer logged", extra={"contact_id": logged.id, "question": answer.contact_id}
        )

    async def _run(self, call: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.workers, call, *args)
