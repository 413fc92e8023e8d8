"""The mailbox reader stops at once when its leader lock is lost, and starts again only
once the lock is taken back (issue 17: it took the lock once and read on after losing it,
so two workers could read one mailbox). In-process, with a lock that a test takes away."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import bot.runtime as runtime_module
from bot.assemble import assemble
from bot.settings import Settings
from mail.sources import EnquiryHandler, PollCounts
from mail.testing import RecordingTransport
from storage.engine import Engine


@dataclass
class Lock:
    """A leader lock the test grants and takes away."""

    granted: bool = True
    asked: int = 0

    def try_acquire(self) -> bool:
        self.asked += 1
        return self.granted

    def release(self) -> None:
        self.granted = False


@dataclass
class Reader:
    """A mail source that records when it reads and when it was told to stop."""

    terms: list[tuple[float, float | None]] = field(default_factory=list)

    def poll_once(self, handler: EnquiryHandler) -> PollCounts:
        return PollCounts()

    def run(self, handler: EnquiryHandler, stop: threading.Event) -> None:
        self.terms.append((time.monotonic(), None))
        stop.wait()
        started, _ = self.terms[-1]
        self.terms[-1] = (started, time.monotonic())

    @property
    def reading(self) -> bool:
        return bool(self.terms) and self.terms[-1][1] is None


def _until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_a_lost_lock_stops_the_reader_until_it_is_taken_again(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime_module, "LEADER_CHECK", 0.05)
    monkeypatch.setattr(runtime_module, "LEADER_RETRY", 0.05)
    reader = Reader()
    runtime = assemble(
        Settings(data_dir=tmp_path), engine, source=reader, transport=RecordingTransport()
    )
    lock = Lock()
    runtime.leader = lock  # type: ignore[assignment]
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    serving = threading.Thread(
        target=loop.run_until_complete, args=(runtime.serve(stop, sockets=[listening]),)
    )
    serving.start()
    try:
        _until(lambda: reader.reading)
        lock.granted = False  # another worker has it now
        _until(lambda: not reader.reading)
        asked = lock.asked
        time.sleep(0.3)
        assert not reader.reading  # it waits, and keeps asking
        assert lock.asked > asked
        lock.granted = True
        _until(lambda: reader.reading)
        assert len(reader.terms) == 2
    finally:
        loop.call_soon_threadsafe(stop.set)
        serving.join(timeout=15)
        loop.close()
    assert not serving.is_alive()
    assert not reader.reading
