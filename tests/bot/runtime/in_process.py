"""`Runtime.serve` in a thread of the test process, with a clock the test can move on.

For outages: the service's own retry pauses (a minute before a failed send is tried
again, doubling) are facts of the design, and waiting them out would take minutes. The
assembly takes the clock, the mail source and the transport as collaborators, so the
test hands in a clock it can move forward and a source with short reconnect pauses;
everything else is what `enquiry-desk run` assembles.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.assemble import assemble
from bot.runtime import Runtime
from bot.settings import Settings
from mail.imap_source import ImapConfig, ImapSource
from mail.parse import MailParser
from mail.sources import RetryPacing
from mail.transport import SmtpConfig, SmtpTransport
from tests.bot.runtime.office import MAIL_FROM, Mailbox
from tests.bot.runtime.servers import RestartableSmtp
from tests.mail.dovecot_server import HOST, PASSWORD, free_port
from tests.mail.smtp_server import SMTP_PASSWORD, SMTP_USER


@dataclass
class MovableClock:
    """The real time plus an offset the test can add to."""

    offset: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, by: timedelta) -> None:
        self.offset += by


@contextmanager
def serving(
    engine: Engine,
    *,
    data_dir: Path,
    mailbox: Mailbox,
    smtp: RestartableSmtp,
    parser: MailParser,
    clock: MovableClock,
    database_url: str | None = None,
) -> Iterator[Runtime]:
    """A runtime reading `mailbox` and sending through `smtp` until the block ends."""
    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        http_port=free_port(),
        mail_from=MAIL_FROM,
    )
    source = ImapSource(
        ImapConfig(
            host=HOST,
            port=mailbox.server.port,
            user=mailbox.user,
            password=PASSWORD,
            security="none",
            timeout=10.0,
        ),
        engine,
        parser,
        clock=clock,
        pacing=RetryPacing(first=timedelta(seconds=1), longest=timedelta(seconds=2)),
        reconnect_first=0.5,
        reconnect_longest=2.0,
        stop_check=0.5,
    )
    transport = SmtpTransport(
        SmtpConfig(
            host=HOST,
            port=smtp.port,
            user=SMTP_USER,
            password=SMTP_PASSWORD,
            ssl_context=smtp.client_context,
            timeout=10.0,
        )
    )
    runtime = assemble(settings, engine, clock=clock, source=source, transport=transport)
    ready = threading.Event()
    stopper: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
    failures: list[BaseException] = []

    async def main() -> None:
        stop = asyncio.Event()
        stopper.append((asyncio.get_running_loop(), stop))
        ready.set()
        await runtime.serve(stop)

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:  # handed to the test below
            failures.append(exc)
            ready.set()

    thread = threading.Thread(target=run, name="runtime", daemon=True)
    thread.start()
    ready.wait(30)
    try:
        yield runtime
    finally:
        if stopper:
            loop, stop = stopper[0]
            loop.call_soon_threadsafe(stop.set)
        thread.join(60)
        assert not thread.is_alive(), "the runtime did not stop"
    assert not failures, failures
