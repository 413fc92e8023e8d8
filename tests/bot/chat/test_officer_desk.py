"""The officer desk under load: questions and log entries reach the worker in batches."""

from __future__ import annotations

import asyncio
import csv
import itertools
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.chat.officer_desk import ChatAnswer, ChatQuestion, OfficerDesk
from bot.pipeline import LoggedChatQuestion, Pipeline
from lookup.enquiry import Enquiry
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage import migrate
from storage.engine import make_engine, sqlite_url
from storage.errors import StorageError
from storage.records_import import import_file
from storage.tables import Contact
from tests.conftest import DATA

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@dataclass
class CountingPipeline(Pipeline):
    """The real pipeline, noting the size of each batch of chat questions it logs."""

    batches: list[int] = field(default_factory=list)

    def log_chat_batch(
        self, enquiries: Sequence[Enquiry], *, wait_ms: int | None = None
    ) -> list[LoggedChatQuestion]:
        self.batches.append(len(enquiries))
        return super().log_chat_batch(enquiries, wait_ms=wait_ms)


@pytest.fixture
def workers() -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(1, thread_name_prefix="chat-test")
    yield pool
    pool.shutdown(wait=True)


@pytest.fixture(params=[False, True], ids=["in-worker", "on-loop"])
def desk(
    request: pytest.FixtureRequest, engine: Engine, workers: ThreadPoolExecutor
) -> OfficerDesk:
    """The desk both ways: matching in the worker (PostgreSQL's way) or on the loop."""
    import_file(engine, DATA / "records.csv")
    pipeline = CountingPipeline(engine, TemplateStore([PACKAGE_TEMPLATES]), clock=lambda: NOW)
    return OfficerDesk(engine, pipeline, lambda: NOW, workers, answer_on_loop=request.param)


def references(count: int) -> list[str]:
    with (DATA / "records.csv").open(encoding="utf-8") as handle:
        return sorted(row["reference"] for row in csv.DictReader(handle))[:count]


def question(index: int, text: str) -> ChatQuestion:
    return ChatQuestion("slack", f"Ev{index}", "UOFFICER", text, f"D1:{index}", "8656")


def contacts(engine: Engine) -> list[tuple[int, str, str, str | None, int | None]]:
    columns = (Contact.id, Contact.direction, Contact.channel_message_id)
    with engine.connect() as conn:
        rows = conn.execute(
            select(*columns, Contact.in_reply_to, Contact.record_id).order_by(Contact.id)  # type: ignore[call-overload]
        ).all()
    return [tuple(row) for row in rows]


class Gate:
    """Holds the desk's one worker busy until opened, so that work piles up behind it."""

    def __init__(self, workers: ThreadPoolExecutor) -> None:
        self.opened = threading.Event()
        workers.submit(self.opened.wait, 10)

    async def open_after(self, *work: asyncio.Task[object]) -> None:
        for _ in range(5):  # let every task reach the point where it waits for the worker
            await asyncio.sleep(0)
        self.opened.set()
        await asyncio.gather(*work)


async def test_questions_at_once_are_answered_and_logged_with_their_links(
    desk: OfficerDesk, engine: Engine
) -> None:
    """Twelve questions at once each get the answer naming their reference; every
    question and posted answer is logged, and each question linked to its record."""
    refs = references(12)
    asked = [question(i, f"status of {ref} please") for i, ref in enumerate(refs)]
    answers = await asyncio.gather(*(desk.answer(q) for q in asked))
    for ref, answer in zip(refs, answers, strict=True):
        assert answer is not None
        assert ref in answer.text
    await asyncio.gather(
        *(
            desk.record_reply(q, a, posted_id=f"D1:{i}.posted")
            for i, (q, a) in enumerate(zip(asked, answers, strict=True))
            if a is not None
        )
    )
    rows = contacts(engine)
    questions = {r[2]: r for r in rows if r[1] == "in"}
    replies = {r[3]: r for r in rows if r[1] == "out"}
    assert set(questions) == set(replies) == {q.message_id for q in asked}
    for answer, asked_one in zip(answers, asked, strict=True):
        assert answer is not None
        assert questions[asked_one.message_id][4] == answer.record_id is not None
        assert replies[asked_one.message_id][4] == answer.record_id


async def test_questions_waiting_for_the_worker_go_in_one_batch(
    desk: OfficerDesk, workers: ThreadPoolExecutor
) -> None:
    """Questions that arrive while the worker is busy reach it as one batch."""
    gate = Gate(workers)
    tasks = [
        asyncio.create_task(desk.answer(question(i, f"status of {ref}")))
        for i, ref in enumerate(references(5))
    ]
    await gate.open_after(*tasks)
    assert all(task.result() is not None for task in tasks)
    assert isinstance(desk.pipeline, CountingPipeline)
    assert desk.pipeline.batches == [5]


async def test_an_answer_that_could_not_be_posted_still_links_the_question(
    desk: OfficerDesk, engine: Engine
) -> None:
    """Posting failed: no answer is logged, but the question is linked to its record."""
    asked = question(1, f"status of {references(1)[0]}")
    answer = await desk.answer(asked)
    assert answer is not None
    await desk.record_reply(asked, answer, posted_id=None)
    rows = contacts(engine)
    assert [(r[1], r[4]) for r in rows] == [("in", answer.linked_record)]
    assert answer.linked_record is not None


async def test_one_bad_write_fails_only_its_own_caller(
    desk: OfficerDesk, engine: Engine, workers: ThreadPoolExecutor
) -> None:
    """In a batch of log entries, one that cannot be written (its record is gone) fails
    for its caller alone; the others are written."""
    asked = [question(i, f"status of {ref}") for i, ref in enumerate(references(2))]
    good, bad = [await desk.answer(q) for q in asked]
    assert good is not None
    assert bad is not None
    gone = ChatAnswer(bad.contact_id, None, bad.text, linked_record=10**9)
    gate = Gate(workers)
    writes = [
        asyncio.create_task(desk.record_reply(asked[0], good, posted_id="D1:0.posted")),
        asyncio.create_task(desk.record_reply(asked[1], gone, posted_id="D1:1.posted")),
    ]
    for _ in range(5):
        await asyncio.sleep(0)
    gate.opened.set()
    results = await asyncio.gather(*writes, return_exceptions=True)
    assert results[0] is None
    assert isinstance(results[1], StorageError)
    logged = {r[2] for r in contacts(engine) if r[1] == "out"}
    assert logged == {"D1:0.posted"}


async def test_log_entries_wait_while_questions_wait(
    desk: OfficerDesk, engine: Engine, workers: ThreadPoolExecutor
) -> None:
    """A posted answer's log entry, queued before three new questions, is written after
    they are answered: questions still waiting come first."""
    first, *others = references(4)
    asked = question(0, f"status of {first}")
    answer = await desk.answer(asked)
    assert answer is not None
    gate = Gate(workers)
    write = asyncio.create_task(desk.record_reply(asked, answer, posted_id="D1:0.posted"))
    for _ in range(5):
        await asyncio.sleep(0)
    tasks = [
        asyncio.create_task(desk.answer(question(i, f"status of {ref}")))
        for i, ref in enumerate(others, start=1)
    ]
    await gate.open_after(write, *tasks)
    rows = contacts(engine)
    reply_id = next(r[0] for r in rows if r[1] == "out")
    assert reply_id > max(r[0] for r in rows if r[1] == "in")


async def test_a_busy_sqlite_writer_never_holds_up_the_event_loop(
    tmp_path: Path, workers: ThreadPoolExecutor
) -> None:
    """While another connection holds SQLite's write lock, a question logged from the loop
    gives way at once and waits in a worker: the loop keeps running, and the question is
    answered once the lock is free."""
    path = tmp_path / "busy.db"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    import_file(engine, DATA / "records.csv")
    pipeline = Pipeline(engine, TemplateStore([PACKAGE_TEMPLATES]), clock=lambda: NOW)
    desk = OfficerDesk(engine, pipeline, lambda: NOW, workers, answer_on_loop=True)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(1.5, holder.execute, ["COMMIT"]).start()
    ticks: list[float] = []

    async def tick() -> None:
        while len(ticks) < 1000:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    ticker = asyncio.create_task(tick())
    started = time.monotonic()
    answer = await desk.answer(question(1, f"status of {references(1)[0]}"))
    ticker.cancel()
    holder.close()
    engine.dispose()
    assert answer is not None
    assert time.monotonic() - started >= 1.4  # it did wait for the lock
    # ...and the loop ran meanwhile: held up, it would miss a whole 1.5 s of ticks.
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 1.0
