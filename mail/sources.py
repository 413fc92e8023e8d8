"""What every mail source shares: the handler it feeds, its counts, retry pacing, a thread.

The contract between a source and its handler (the pipeline):

- The handler returns normally: the enquiry is safely logged (committed). Only then does
  the source move the message out of the inbox: to the processed folder, or to the
  quarantine folder when the enquiry is flagged.
- The handler raises: the message stays where it is and is offered again later, with a
  growing pause, so nothing is lost and a broken database is not hammered.

A crash between the two leaves the message in the inbox; it is handled again on restart,
and the contact log (idempotent on the Message-ID) recognises it, so nothing doubles.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from lookup.enquiry import Enquiry

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class EnquiryHandler(Protocol):
    """Takes one enquiry; returns once it is logged, raises if it could not be."""

    def __call__(self, enquiry: Enquiry, /) -> object: ...


@dataclass(slots=True)
class PollCounts:
    """What one pass over a mailbox did."""

    seen: int = 0  # messages found in the inbox
    processed: int = 0  # handled and moved to the processed folder
    quarantined: int = 0  # handled, flagged, and moved to the quarantine folder
    failed: int = 0  # the handler raised; left in place for a later try
    deferred: int = 0  # an earlier failure's pause is not over yet; not tried

    def add(self, other: PollCounts) -> None:
        self.seen += other.seen
        self.processed += other.processed
        self.quarantined += other.quarantined
        self.failed += other.failed
        self.deferred += other.deferred


class MailSource(Protocol):
    """A mailbox the runtime reads: one pass, or until `stop` is set."""

    def poll_once(self, handler: EnquiryHandler) -> PollCounts: ...

    def run(self, handler: EnquiryHandler, stop: threading.Event) -> None: ...


@dataclass(slots=True)
class RetryPacing:
    """Pauses before a failed message is tried again: 30 s, doubling, at most an hour."""

    first: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(hours=1)
    _failures: dict[object, tuple[int, datetime]] = field(default_factory=dict)

    def due(self, key: object, now: datetime) -> bool:
        entry = self._failures.get(key)
        return entry is None or entry[1] <= now

    def failed(self, key: object, now: datetime) -> int:
        """Note a failure of `key`; return how many in a row it has had."""
        count = self._failures.get(key, (0, now))[0] + 1
        pause = min(self.first * (2 ** min(count - 1, 16)), self.longest)
        self._failures[key] = (count, now + pause)
        return count

    def succeeded(self, key: object) -> None:
        self._failures.pop(key, None)

    def any_due(self, now: datetime) -> bool:
        """Whether some failed message's pause is over (an IDLE should end for it)."""
        return any(when <= now for _, when in self._failures.values())

    def keep_only(self, keys: Container[object]) -> None:
        """Forget failures of messages no longer waiting (moved away by someone else)."""
        for key in [key for key in self._failures if key not in keys]:
            del self._failures[key]


def start_thread(
    source: MailSource, handler: EnquiryHandler, stop: threading.Event, *, name: str
) -> threading.Thread:
    """Run `source` in its own daemon thread until `stop` is set.

    imapclient is synchronous and not thread-safe, so each source owns one thread and its
    connection; the async runtime waits on `stop` and joins the thread, or wraps
    `source.run` in `asyncio.to_thread`.
    """
    thread = threading.Thread(target=source.run, args=(handler, stop), name=name, daemon=True)
    thread.start()
    return thread
