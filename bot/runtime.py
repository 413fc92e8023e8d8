"""`enquiry-desk run`: every configured part under one asyncio loop, and `run --once`.

Parts: the web server (review desk, Slack `/slack/events`, Teams `/api/messages`,
`/healthz`, `/metrics`), the mailbox reader (IMAP, or the Maildir of the embedded
default) in its own thread, the outbox sender, and the status-update watcher.

Several workers may share one PostgreSQL: the mailbox and the status watcher run only in
the worker holding the leader lock (an advisory lock, released by the server if that
worker dies); the outbox is shared through row claims (`FOR UPDATE SKIP LOCKED`), and a
claim of a dead worker is taken over after `STALE_CLAIM`.

SIGTERM or SIGINT: stop taking new work, let the current message and send finish, stop.

The runtime is given its parts when it is made (`bot.assemble` builds them, top down);
it only runs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import uvicorn
from fastapi import FastAPI

from bot.metrics import Metrics
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.status_updates import OfficerNotifier, UpdatesDone, draft_status_updates
from bot.wiring import utc_now
from lookup.enquiry import Enquiry
from lookup.errors import EnquiryDeskError
from mail.outbox_sender import SendCounts, send_due
from mail.sources import MailSource, PollCounts
from mail.transport import Transport
from storage.engine import Engine, is_sqlite
from storage.leader_lock import LeaderLock
from storage.outbox import release, sending_claims

log = logging.getLogger(__name__)

# Seconds between passes of the outbox sender and the status watcher, and between tries
# for the leader lock by a worker that does not hold it.
OUTBOX_EVERY = 2.0
STATUS_EVERY = 30.0
LEADER_RETRY = 5.0
# How often the reading worker checks it still holds the leader lock.
LEADER_CHECK = 5.0


@dataclass(frozen=True, slots=True)
class OnceReport:
    mail: PollCounts
    updates: UpdatesDone
    sends: SendCounts

    def line(self) -> str:
        m, u, s = self.mail, self.updates, self.sends
        return (
            f"mail: {m.processed} processed, {m.quarantined} quarantined, {m.failed} failed; "
            f"status changes: {u.changes} ({u.drafts} update drafts); "
            f"outbox: {s.sent} sent, {s.retry} to retry, {s.failed} failed"
        )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class OutboxBell:
    """Rung from any thread when a clerk approves on the desk, so the outbox sends now
    rather than at its next pass. Until the runtime listens, ringing does nothing: the
    outbox's first pass comes as it starts anyway."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._rung: asyncio.Event | None = None

    def listen(self) -> asyncio.Event:
        """On the runtime's loop: the event the outbox waits on, which `ring` sets."""
        rung = asyncio.Event()
        self._loop, self._rung = asyncio.get_running_loop(), rung
        return rung

    def ring(self) -> None:
        loop, rung = self._loop, self._rung
        if loop is not None and rung is not None and not loop.is_closed():
            loop.call_soon_threadsafe(rung.set)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    pipeline: Pipeline
    source: MailSource
    transport: Transport
    # The one web server's app (desk, chat, `/healthz`, `/metrics`) and its metrics.
    web: FastAPI
    metrics: Metrics
    clock: Callable[[], datetime] = utc_now
    worker: str = field(default_factory=worker_name)
    # Tells officers in the case of status changes, when a chat platform can.
    notify_officer: OfficerNotifier | None = None
    # Rung by the desk's approvals (given to it as `on_approved`).
    approvals: OutboxBell = field(default_factory=OutboxBell)

    def __post_init__(self) -> None:
        self.leader = LeaderLock(self.engine)

    def handle(self, enquiry: Enquiry) -> object:
        return self.pipeline.handle(enquiry)

    # -- run --once ------------------------------------------------------------------

    def run_once(self) -> OnceReport:
        """Everything pending: the mailbox, status changes, then the outbox until empty."""
        mail, updates = PollCounts(), UpdatesDone(0, 0, 0)
        release_dead_claims(self.engine)
        if self.leader.try_acquire():
            try:
                mail = self.source.poll_once(self.handle)
                updates = self.status_pass()
            finally:
                self.leader.release()
        return OnceReport(mail, updates, asyncio.run(self._drain_outbox()))

    async def _drain_outbox(self) -> SendCounts:
        total = SendCounts()
        while True:
            step = await self.send_step()
            for name in ("claimed", "sent", "retry", "failed", "held", "reclaimed"):
                setattr(total, name, getattr(total, name) + getattr(step, name))
            # Stop when nothing more can go now (retries wait for their time).
            if step.claimed == 0 or step.sent + step.failed == 0:
                return total

    async def send_step(self) -> SendCounts:
        return await send_due(
            self.engine,
            self.transport,
            mail_from=self.settings.sender_address,
            now=self.clock(),
            worker=self.worker,
        )

    def status_pass(self) -> UpdatesDone:
        return draft_status_updates(
            self.engine,
            templates=self.pipeline.templates,  # one store (and its compiled templates) for both
            now=self.clock(),
            window_days=self.settings.status_update_days,
            reply_working_days=self.settings.reply_working_days,
            notify_officer=self.notify_officer,
        )

    # -- the service ---------------------------------------------------------------------

    async def serve(
        self, stop: asyncio.Event, *, sockets: list[socket.socket] | None = None
    ) -> None:
        """Run every part until `stop` is set, then drain and return. If the web server
        ends by itself, everything stops and `WebServerStopped` says so."""
        if sockets is None:
            sockets = [self.listen()]
        wake = self.approvals.listen()
        server = _QuietServer(
            uvicorn.Config(
                self.web,
                host=self.settings.http_host,
                port=self.settings.http_port,
                log_config=None,
                access_log=False,  # paths can carry references; ids only in our own logs
                # uvicorn believes X-Forwarded-For from 127.0.0.1 by default: only the
                # proxies named in TRUSTED_PROXIES are believed here.
                proxy_headers=bool(self.settings.trusted_proxies),
                forwarded_allow_ips=list(self.settings.trusted_proxies) or None,
            )
        )
        await asyncio.to_thread(release_dead_claims, self.engine)
        tasks = [
            asyncio.create_task(server.serve(sockets=sockets), name="web"),
            asyncio.create_task(self._mailbox(stop), name="mailbox"),
            asyncio.create_task(self._outbox(stop, wake), name="outbox"),
            asyncio.create_task(self.metrics.watch_loop_lag(stop), name="loop-lag"),
        ]
        log.info("worker started", extra={"worker": self.worker})
        stopping = asyncio.create_task(stop.wait(), name="stop")
        await asyncio.wait({stopping, tasks[0]}, return_when=asyncio.FIRST_COMPLETED)
        web_ended = not stop.is_set()
        stop.set()
        log.info("worker stopping", extra={"worker": self.worker})
        server.should_exit = True
        await asyncio.gather(stopping, *tasks, return_exceptions=True)
        self.leader.release()
        log.info("worker stopped", extra={"worker": self.worker})
        if web_ended:
            raise WebServerStopped(self.settings.http_host, self.settings.http_port)

    def listen(self) -> socket.socket:
        """The web server's listening socket, bound now: a port already taken is a clear
        `ListenError` at start, before any mail is read, not a server that never comes up
        while the rest carries on."""
        host, port = self.settings.http_host, self.settings.http_port
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(2048)
        except OSError as exc:
            sock.close()
            raise ListenError(host, port, exc.strerror or type(exc).__name__) from exc
        sock.set_inheritable(True)
        return sock

    async def _mailbox(self, stop: asyncio.Event) -> None:
        """Wait for the leader lock, then read mail (in a thread) and watch status changes
        for as long as the lock is held. A lost lock (the database restarted, the lock's
        session ended, another worker took over) stops the reader at once; this worker
        then waits to take the lock again, so two workers never read at the same time."""
        while not stop.is_set():
            if not await self._lead(stop):
                return
            term = threading.Event()
            term_over = asyncio.Event()
            reader = asyncio.create_task(asyncio.to_thread(self.source.run, self.handle, term))
            watcher = asyncio.create_task(
                self._every(STATUS_EVERY, term_over, self._status_quietly)
            )
            lost = await self._hold(stop, reader)
            term.set()
            term_over.set()
            await asyncio.gather(reader, watcher, return_exceptions=True)
            if not lost:
                return
            log.warning("mailbox lock lost: reading stopped until it is taken again")

    async def _lead(self, stop: asyncio.Event) -> bool:
        """Wait until this worker holds the leader lock; False if told to stop first."""
        while not stop.is_set():
            try:
                if await asyncio.to_thread(self.leader.try_acquire):
                    return True
            except EnquiryDeskError:
                log.exception("leader lock unavailable")
            await _sleep(stop, LEADER_RETRY)
        return False

    async def _hold(self, stop: asyncio.Event, reader: asyncio.Task[None]) -> bool:
        """Check the lock every LEADER_CHECK seconds while the reader runs; True when it
        was lost, False when the worker stops (or the reader ended by itself)."""
        while not stop.is_set() and not reader.done():
            await _sleep(stop, LEADER_CHECK)
            if stop.is_set() or reader.done():
                return False
            try:
                still = await asyncio.to_thread(self.leader.try_acquire)
            except EnquiryDeskError:
                still = False
            if not still:
                return True
        return False

    async def _outbox(self, stop: asyncio.Event, wake: asyncio.Event) -> None:
        while not stop.is_set():
            wake.clear()
            await self._send_quietly()
            waits = [asyncio.create_task(stop.wait()), asyncio.create_task(wake.wait())]
            _, pending = await asyncio.wait(
                waits, timeout=OUTBOX_EVERY, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()

    async def _every(self, seconds: float, stop: asyncio.Event, step: Callable[[], object]) -> None:
        while not stop.is_set():
            try:
                result = step()
                if asyncio.iscoroutine(result):
                    await result
            except Exception:  # a bug in one pass must not end this part for good
                log.exception("periodic step failed unexpectedly")
            await _sleep(stop, seconds)

    async def _send_quietly(self) -> None:
        try:
            counts = await self.send_step()
            if counts.claimed:
                log.info("outbox step", extra={"count": counts.sent, "state": "sent"})
        except EnquiryDeskError:
            # The database or server is away; the next pass tries again.
            log.exception("outbox step failed")

    async def _status_quietly(self) -> None:
        try:
            # A database restart ends the lock's session, and another worker may hold the
            # lock now: only the holder drafts status updates, so no one gets two letters.
            if not await asyncio.to_thread(self.leader.try_acquire):
                log.warning("mailbox lock lost: status pass skipped")
                return
            done = await asyncio.to_thread(self.status_pass)
            if done.changes:
                log.info("status pass", extra={"changes": done.changes, "drafts": done.drafts})
        except EnquiryDeskError:
            log.exception("status pass failed")


def release_dead_claims(engine: Engine) -> int:
    """Give back at once the outbox claims of workers on this machine that are gone.

    A worker killed mid-send leaves its claims in `sending`; the outbox takes them back
    only after `STALE_CLAIM`, because in general nothing tells a slow worker from a dead
    one. The embedded SQLite database serves one machine, where a claim's worker
    (`host:pid`) can be asked directly, so a restarted worker need not wait. On
    PostgreSQL workers may share a host name across containers: the timeout decides.
    """
    if not is_sqlite(engine):
        return 0
    host = socket.gethostname()
    try:
        claims = sending_claims(engine)
    except EnquiryDeskError:
        log.exception("cannot look for claims of dead workers")
        return 0
    dead = [
        claim.outbox_id
        for claim in claims
        if claim.worker and claim.worker.rpartition(":")[0] == host and not _running(claim.worker)
    ]
    try:
        release(engine, dead)
    except EnquiryDeskError:
        log.exception("cannot release claims of dead workers")
        return 0
    if dead:
        log.info("claims of dead workers released", extra={"count": len(dead)})
    return len(dead)


def _running(worker: str) -> bool:
    pid = worker.rpartition(":")[2]
    if not pid.isdigit():
        return True  # not one of ours: leave it to the timeout
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


class ListenError(EnquiryDeskError):
    """The web server cannot listen where the settings say (the port is taken, say)."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(
            f"cannot listen on {host}:{port}: {reason} (is another Enquiry Desk running? "
            "set ENQUIRY_DESK_HTTP_PORT)"
        )


class WebServerStopped(EnquiryDeskError):
    """The web server ended while the service was meant to be running."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"the web server on {host}:{port} stopped; the service stopped with it")


class _QuietServer(uvicorn.Server):
    """uvicorn without its own signal handling: the runtime owns SIGTERM and SIGINT and
    stops every part, the web server among them."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def run_service(runtime: Runtime, sockets: list[socket.socket] | None = None) -> None:
    """The blocking entry point of `enquiry-desk run`: serve until SIGTERM or SIGINT."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await runtime.serve(stop, sockets=sockets)

    with asyncio.Runner(loop_factory=_fast_loop()) as runner:
        runner.run(main())


def _fast_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed (Linux, macOS): officers' questions and
    clerks' pages are many small requests, and under a burst the stock loop's own work
    was a large part of each (bench/chat.py). The stock loop otherwise."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop
