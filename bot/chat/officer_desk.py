"""An officer's question in chat, through the pipeline, to the answer and its log entry.

Channel-neutral: the Slack and Teams adapters turn their events into a `ChatQuestion`,
post what `answer` returns in the thread, and then call `record_reply` (with the posted
message's id, or None when posting failed) so the answer is a logged outbound contact
like any other and the question is linked to the record it was about.

The pipeline is synchronous (database, rapidfuzz). With PostgreSQL it runs in worker
threads so the event loop keeps acknowledging Slack within its three seconds. With
SQLite (`answer_on_loop`) the loop itself logs, matches and composes, a millisecond or so
a question; the answers' log entries, and any write that would wait for another
writer, go to a worker: two
Python threads busy at once fight over the interpreter lock, and under load that cost
more than the work (bench/chat.py).

Under load (200 questions at once) the work goes in batches: the questions that arrived
while the previous batch was being logged are logged in one transaction (committed
before any of them is matched) and then answered one by one; the answers' log entries
and the questions' links to their records are written in one transaction too, after
the questions still waiting for an answer. A commit each, and a thread hand-off each,
cost more than the rest of the database work.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from lookup.channels import Channel
from lookup.decide import Decision
from lookup.enquiry import Enquiry, Flag
from lookup.errors import EnquiryDeskError
from storage.contact_log import ContactWrite, LoggedContact, NewContact, log_contacts
from storage.engine import Engine

log = logging.getLogger(__name__)

In = TypeVar("In")
Out = TypeVar("Out")
Deliver = Callable[[int, object], None]

# An officer's question names a case in a line or two. Slack allows 40,000 characters;
# matching only the start keeps a pasted document from holding a worker for long.
MAX_QUESTION_CHARS = 4_000

# Seconds a posted answer's log entry may wait while questions are still waiting for the
# workers: under a burst, questions are answered first and the log entries follow.
WRITE_PATIENCE = 2.0
# Milliseconds the event loop waits for another SQLite writer before it hands the log
# entry to a worker instead.
LOOP_WRITE_WAIT_MS = 5
# How soon a batch that gave way looks again whether it may go.
RETRY_SECONDS = 0.01

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

    def handle(self, enquiry: Enquiry, *, link_later: bool = False) -> ChatOutcome: ...

    def handle_chat_batch(self, enquiries: Sequence[Enquiry], deliver: Deliver) -> None: ...

    def log_chat_batch(
        self, enquiries: Sequence[Enquiry], *, wait_ms: int | None = None
    ) -> Sequence[object]: ...

    def answer_logged(self, question: Any) -> ChatOutcome: ...


@dataclass(frozen=True, slots=True)
class ChatQuestion:
    channel: Channel  # SLACK or TEAMS
    message_id: str  # the platform's id of the event or activity: logging is idempotent on it
    user_id: str
    text: str
    thread_key: str | None
    officer: str | None  # collar number once the adapter has found the user authorised
    # Why no answer may be given where it was asked (logged as the question's flag), e.g.
    # a conversation others can read; None for a question to answer.
    withheld: str | None = None


@dataclass(frozen=True, slots=True)
class ChatAnswer:
    contact_id: int  # the question's log entry
    record_id: int | None  # the record the answer is about, for the answer's log entry
    text: str
    linked_record: int | None = None  # the record the question turned out to be about


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
    # Log, match and compose on the event loop; the answers' log entries, and any log
    # that would have to wait for another writer, go to the workers. For SQLite: its
    # reads never wait for a writer (WAL), a question's reads take about a millisecond,
    # and a worker thread doing that work while the loop serves requests made the two
    # contend for the interpreter lock, each SQLite call waiting for the loop to let go:
    # that cost a third of every answer, and more in latency, under load
    # (bench/chat.py). Not for PostgreSQL, whose every statement waits on the network.
    answer_on_loop: bool = False
    _questions: _Batches[Enquiry, ChatOutcome] = field(init=False)
    _logging: _Batches[Enquiry, object] = field(init=False)
    _writes: _Batches[ContactWrite, LoggedContact | None] = field(init=False)
    _unanswered: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._questions = _Batches(self._answer_batch, self.workers)
        self._logging = _Batches(self._log_batch_here, self.workers, on_loop=True)
        # Answers already posted can wait a little for their log entries; questions
        # still waiting for an answer cannot. So the writes let the questions go first.
        self._writes = _Batches(
            self._write_batch, self.workers, behind=self._busy, patience=WRITE_PATIENCE
        )

    async def answer(self, question: ChatQuestion) -> ChatAnswer | None:
        """The reply to post, or None when there is nothing to say (a redelivery).

        The question's link to its record is left to `record_reply`, which the caller
        must await whether or not the answer could be posted."""
        enquiry = Enquiry(
            channel=question.channel,
            channel_message_id=question.message_id,
            sender=question.user_id,
            received_at=self.clock(),
            text=clean_question(question.text),
            thread_key=question.thread_key,
            officer=question.officer,
            flag=None if question.withheld is None else Flag.WITHHELD,
            flag_reason=question.withheld,
        )
        self._unanswered += 1
        try:
            if self.answer_on_loop:
                try:
                    logged = await self._logging.submit(enquiry)
                except EnquiryDeskError:  # another writer holds SQLite: wait in a worker
                    logged = await asyncio.get_running_loop().run_in_executor(
                        self.workers, lambda: self.pipeline.log_chat_batch([enquiry])[0]
                    )
                outcome = self.pipeline.answer_logged(logged)
            else:
                outcome = await self._questions.submit(enquiry)
        finally:
            self._unanswered -= 1
        if outcome.chat_reply is None:
            # A redelivery, or a question kept without an answer (`withheld`).
            log.info("chat question not answered", extra={"contact_id": outcome.contact_id})
            return None
        decision = outcome.decision
        linked = decision.record_id if decision.verified else None
        record = decision.record_id if question.officer is not None else None
        return ChatAnswer(outcome.contact_id, record, outcome.chat_reply, linked)

    async def record_reply(
        self, question: ChatQuestion, answer: ChatAnswer, *, posted_id: str | None
    ) -> None:
        """Log the posted answer as an outbound contact, keyed by the posted message id
        (None: it could not be posted, so there is nothing to log), and note which record
        the question was about, in one transaction with whatever else is waiting."""
        contact = None
        if posted_id is not None:
            contact = NewContact(
                channel=question.channel,
                direction="out",
                channel_message_id=posted_id,
                party=question.user_id,
                received_at=self.clock(),
                text=answer.text,
                thread_key=question.thread_key,
                in_reply_to=question.message_id,
                record_id=answer.record_id,
            )
        link = None if answer.linked_record is None else (answer.contact_id, answer.linked_record)
        if contact is None and link is None:
            return
        logged = await self._writes.submit(ContactWrite(contact, link))
        if logged is not None:
            # Debug only: the question's "officer answered" line is the trace at info, and a
            # log line per answer more was a noticeable share of a burst (bench/chat.py).
            log.debug("chat answer logged", extra={"contact_id": logged.id})

    def _busy(self) -> bool:
        """Whether questions are waiting for an answer (read from a worker thread)."""
        return self._unanswered > 0

    def _log_batch_here(self, enquiries: list[Enquiry], deliver: Deliver) -> None:
        # On the loop: wait only briefly for another writer, never hold the loop up.
        logged = self.pipeline.log_chat_batch(enquiries, wait_ms=LOOP_WRITE_WAIT_MS)
        for index, question in enumerate(logged):
            deliver(index, question)

    # -- in a worker thread --------------------------------------------------------------

    def _answer_batch(self, enquiries: list[Enquiry], deliver: Deliver) -> None:
        try:
            self.pipeline.handle_chat_batch(enquiries, deliver)
        except EnquiryDeskError:
            if len(enquiries) == 1:
                raise
            # One question the batch could not log must not fail the others.
            log.warning("a batch of chat questions failed; handling each alone")
            for index, enquiry in enumerate(enquiries):
                try:
                    deliver(index, self.pipeline.handle(enquiry, link_later=True))
                except EnquiryDeskError as exc:
                    deliver(index, exc)

    def _write_batch(self, writes: list[ContactWrite], deliver: Deliver) -> None:
        now = self.clock()
        try:
            logged = log_contacts(self.engine, writes, now=now)
        except EnquiryDeskError:
            if len(writes) == 1:
                raise
            log.warning("a batch of chat writes failed; writing each alone")
            for index, write in enumerate(writes):
                try:
                    deliver(index, log_contacts(self.engine, [write], now=now)[0])
                except EnquiryDeskError as exc:
                    deliver(index, exc)
            return
        for index, entry in enumerate(logged):
            deliver(index, entry)


class _Batches(Generic[In, Out]):
    """Items gathered while they wait for a worker (or the loop's next turn), then handed
    to `run` together.

    `submit` queues an item and, unless a batch is already on its way to the workers,
    sends one; that batch takes everything queued by the time a worker runs it. `run`
    gets the items and a `deliver(index, result)` to call for each, as soon as that
    item's result (or the `Exception` it met) is known; an exception out of `run` goes to
    every item not yet delivered.
    """

    def __init__(
        self,
        run: Callable[[list[In], Deliver], None],
        workers: ThreadPoolExecutor | None,
        *,
        behind: Callable[[], bool] | None = None,
        patience: float = 0.0,
        on_loop: bool = False,
    ) -> None:
        self._run = run
        self._workers = workers
        self._on_loop = on_loop  # run batches on the event loop, not in the workers
        # While `behind()` says other work waits, a batch goes back in the queue behind
        # it, unless its oldest item has waited `patience` seconds already.
        self._behind = behind
        self._patience = patience
        self._lock = threading.Lock()
        self._waiting: list[_Waiting[In, Out]] = []
        self._sent = False

    async def submit(self, item: In) -> Out:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Out] = loop.create_future()
        with self._lock:
            self._waiting.append(_Waiting(item, done, loop, time.monotonic()))
            send, self._sent = not self._sent, True
        if send:
            try:
                self._send(loop)
            except RuntimeError:  # the workers are shut down: the server is stopping
                with self._lock:
                    self._waiting = [w for w in self._waiting if w.done is not done]
                    self._sent = False
                raise
        return await done

    def _send(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._on_loop:
            loop.call_soon(self._take)
        else:
            loop.run_in_executor(self._workers, self._take)

    def _send_later(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.call_later(RETRY_SECONDS, self._send_again, loop)

    def _send_again(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            self._send(loop)
        except RuntimeError as exc:  # the workers are shut down: fail what waits
            with self._lock:
                batch, self._waiting, self._sent = self._waiting, [], False
            for waiting in batch:
                _settle(waiting.done, exc)

    def _take(self) -> None:
        if self._behind is not None and self._behind():
            with self._lock:
                first = self._waiting[0] if self._waiting else None
            if first is not None and time.monotonic() - first.since < self._patience:
                try:
                    first.loop.call_soon_threadsafe(self._send_later, first.loop)
                    return
                except RuntimeError:  # the loop is closed: take the batch now
                    pass
        with self._lock:
            batch, self._waiting, self._sent = self._waiting, [], False
        if not batch:
            return
        delivered = [False] * len(batch)

        def deliver(index: int, result: object) -> None:
            if not delivered[index]:
                delivered[index] = True
                waiting = batch[index]
                waiting.loop.call_soon_threadsafe(_settle, waiting.done, result)

        try:
            self._run([waiting.item for waiting in batch], deliver)
        except Exception as exc:  # never leave a caller waiting for ever
            for index in range(len(batch)):
                deliver(index, exc)
        else:
            missing = RuntimeError("a batch left an item without a result")
            for index in range(len(batch)):
                deliver(index, missing)


@dataclass(frozen=True, slots=True)
class _Waiting(Generic[In, Out]):
    item: In
    done: asyncio.Future[Out]
    loop: asyncio.AbstractEventLoop
    since: float  # time.monotonic() when submitted


def _settle(done: asyncio.Future[Out], result: object) -> None:
    if done.done():  # the caller gave up (cancelled)
        return
    if isinstance(result, BaseException):
        done.set_exception(result)
    else:
        done.set_result(result)  # type: ignore[arg-type]  # `run` delivers an `Out`
