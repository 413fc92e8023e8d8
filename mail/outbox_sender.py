"""One step of the outbox worker: claim what is due, send it, record how each went.

The runtime calls `send_due` on a schedule (and once under `run --once`). Several workers
may share one database: claims are row locks (see `storage.outbox`), so each message is
tried by one worker at a time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from mail.compose import compose
from mail.errors import PermanentSendError, TemporarySendError
from mail.transport import Transport
from storage.engine import Engine
from storage.errors import StorageError
from storage.outbox import (
    MAX_ATTEMPTS,
    claim_due,
    mark_failed,
    mark_retry,
    mark_sent,
    reclaim_stale,
    refresh_claim,
    release,
    return_stale,
)
from storage.tables import OutboxState

log = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=15)
# How long a worker keeps trying to record how a send went while the database is away
# (a restart, a fail-over). Giving up leaves the claim to the stale timeout, and a
# message the server had accepted would then go a second time; well inside STALE_CLAIM.
RECORD_PATIENCE = timedelta(minutes=5)

_T = TypeVar("_T")


@dataclass(slots=True)
class SendCounts:
    """What one step did."""

    claimed: int = 0
    sent: int = 0
    retry: int = 0  # temporary failure: back to pending with a later time
    failed: int = 0  # permanent failure, or out of attempts
    held: int = 0  # not tried: the server was unreachable for the whole batch
    reclaimed: int = 0  # stale claims of dead workers put back
    stale: int = 0  # not sent: the letter's date has passed; its draft is back in the queue
    lost: int = 0  # not sent here: the claim went stale and another worker holds it now


async def send_due(
    engine: Engine,
    transport: Transport,
    *,
    mail_from: str,
    now: datetime,
    worker: str = "outbox",
    limit: int = 20,
    stale_after: timedelta = STALE_CLAIM,
    max_attempts: int = MAX_ATTEMPTS,
    record_patience: timedelta = RECORD_PATIENCE,
) -> SendCounts:
    """Send up to `limit` outbox e-mails due at `now` through `transport`."""
    counts = SendCounts()
    counts.reclaimed = await asyncio.to_thread(
        reclaim_stale, engine, now=now, older_than=stale_after
    )
    # The day the letters would be read: one whose stated date is already behind it goes
    # back to a clerk instead (the same `now.date()` approval checks against).
    today = now.date()
    returned = await asyncio.to_thread(
        return_stale, engine, today=today, now=now, worker=worker, limit=limit
    )
    counts.stale = len(returned)
    for outbox_id in returned:
        log.warning(
            "outbox %d: not sent, its letter's date has passed; back to the queue", outbox_id
        )
    claimed = await asyncio.to_thread(
        claim_due, engine, now=now, worker=worker, limit=limit, today=today
    )
    counts.claimed = len(claimed)

    async def record(call: Callable[[], _T], outbox_id: int) -> _T:
        # Once a message is claimed, only recording its outcome is left to do, and the
        # claim is this worker's: wait for the database rather than leave it `sending`.
        deadline = time.monotonic() + record_patience.total_seconds()
        pause = 0.5
        while True:
            try:
                return await asyncio.to_thread(call)
            except StorageError:
                if time.monotonic() + pause > deadline:
                    raise
                log.warning("outbox %d: cannot record the outcome yet, retrying", outbox_id)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 10.0)

    started = time.monotonic()
    for position, mail in enumerate(claimed):
        # A claim held longer than the stale time may have been taken by another worker:
        # renewed here, just before sending, or the message is left to its new holder.
        renewed_at = now + timedelta(seconds=time.monotonic() - started)
        if not await record(
            partial(refresh_claim, engine, mail.id, worker=worker, now=renewed_at), mail.id
        ):
            counts.lost += 1
            log.warning("outbox %d: claim lost to another worker; not sent here", mail.id)
            continue
        try:
            # Composing checks the address too (`mail.addresses`): a refusal there is
            # this message's permanent failure, like a 5xx from the server.
            await transport.send(compose(mail, mail_from=mail_from, now=now))
        except TemporarySendError as exc:
            state = await record(
                partial(
                    mark_retry,
                    engine,
                    mail.id,
                    now=now,
                    worker=worker,
                    error=str(exc),
                    code=exc.code,
                    max_attempts=max_attempts,
                ),
                mail.id,
            )
            if state == OutboxState.FAILED:
                counts.failed += 1
            else:
                counts.retry += 1
            log.warning(
                "outbox %d: temporary failure (attempt %d, code %s)%s",
                mail.id,
                mail.attempt,
                exc.code,
                ", out of attempts: failed" if state == OutboxState.FAILED else "",
            )
            if exc.affects_all:
                rest = [other.id for other in claimed[position + 1 :]]
                await record(partial(release, engine, rest), mail.id)
                counts.held += len(rest)
                break
        except PermanentSendError as exc:
            await record(
                partial(
                    mark_failed,
                    engine,
                    mail.id,
                    now=now,
                    worker=worker,
                    error=str(exc),
                    code=exc.code,
                ),
                mail.id,
            )
            counts.failed += 1
            log.warning("outbox %d: refused for good (code %s)", mail.id, exc.code)
        except Exception as exc:
            # A fault no transport foresaw, for this one message: it must not stop the
            # outbox and every reply queued behind it. Failed with its class name for a
            # clerk; its text is not logged (it can quote the address or the letter).
            await record(
                partial(
                    mark_failed,
                    engine,
                    mail.id,
                    now=now,
                    worker=worker,
                    error=f"could not be sent ({type(exc).__name__})",
                    code=None,
                ),
                mail.id,
            )
            counts.failed += 1
            log.error("outbox %d: failed unexpectedly (%s)", mail.id, type(exc).__name__)
        else:
            await record(partial(mark_sent, engine, mail.id, now=now, worker=worker), mail.id)
            counts.sent += 1
            log.info("outbox %d sent (attempt %d)", mail.id, mail.attempt)
    return counts
