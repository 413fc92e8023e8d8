"""The shared mailbox over IMAP: imapclient in one worker thread, IDLE with polling fallback.

Each pass selects the folder, checks its UIDVALIDITY against the stored one, fetches the
messages after the last UID handled, hands each to the handler and, only once the
handler has returned (the contact is committed), moves it on: to the processed folder,
or to the quarantine folder when the enquiry is flagged. The stored position then moves
up to the last UID before the first message that failed, so a crash or a dropped
connection at any point loses nothing, and what is read twice the contact log
recognises.

Between passes the connection IDLEs (RFC 2177) so new mail is seen at once; IDLE is
renewed every few minutes, well inside the 29 minutes after which a server may drop an
idle client. Servers without IDLE are polled. Any network error closes the connection,
and the next pass reconnects after a pause that doubles up to a minute.

imapclient is synchronous and not thread-safe: one source owns one connection and runs
in one thread (`mail.sources.start_thread`).
"""

from __future__ import annotations

import contextlib
import logging
import ssl
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from imapclient import IMAPClient  # type: ignore[import-untyped]
from imapclient.exceptions import (  # type: ignore[import-untyped]
    IMAPClientError,
    LoginError,
)

from lookup.enquiry import Enquiry
from lookup.errors import EnquiryDeskError
from mail.errors import MailboxLoginFailed, MailboxUnavailable
from mail.parse import MailParser
from mail.sources import Clock, EnquiryHandler, PollCounts, RetryPacing, utc_now
from storage.engine import Engine
from storage.mailbox_state import FolderPosition, load_position, save_position

log = logging.getLogger(__name__)

Security = Literal["tls", "starttls", "none"]

# Fetched together at most this many bytes of mail, so a run of large messages does not
# sit in memory at once (one larger message is still fetched, alone).
_FETCH_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImapConfig:
    """Where the mailbox is and how to treat it. The password is never shown in repr."""

    host: str
    user: str
    password: str = field(repr=False)
    port: int = 993
    security: Security = "tls"
    folder: str = "INBOX"
    # None leaves handled mail where it is (read-only use); the stored UID then decides.
    processed_folder: str | None = "Processed"
    quarantine_folder: str = "Quarantine"
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)
    timeout: float = 60.0
    idle_renew: float = 5 * 60.0  # seconds; RFC 2177 servers may drop a client after 29 min
    poll_interval: float = 60.0  # seconds between passes when the server has no IDLE
    batch_size: int = 100

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def account(self) -> str:
        """The key under which the position is stored: one per user and server."""
        return f"{self.user}@{self.host}:{self.port}"


class ImapSource:
    """Reads one IMAP folder into enquiries; `engine` stores the read position."""

    def __init__(
        self,
        config: ImapConfig,
        engine: Engine,
        parser: MailParser,
        *,
        clock: Clock = utc_now,
        pacing: RetryPacing | None = None,
        reconnect_first: float = 1.0,
        reconnect_longest: float = 60.0,
        login_retry: float = 300.0,
        stop_check: float = 1.0,
    ) -> None:
        self.config = config
        self.engine = engine
        self.parser = parser
        self.clock = clock
        self.pacing = pacing or RetryPacing()
        self.reconnect_first = reconnect_first
        self.reconnect_longest = reconnect_longest
        self.login_retry = login_retry
        self.stop_check = stop_check
        self._client: Any = None

    # -- connection -----------------------------------------------------------------------

    def connect(self) -> None:
        """Log in now (the runtime's start-up check): `MailboxLoginFailed` for a refused
        login, `MailboxUnavailable` for anything else."""
        self._connected()

    def close(self) -> None:
        """Log out and drop the connection; the next pass opens a new one."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except (IMAPClientError, OSError):
            with contextlib.suppress(IMAPClientError, OSError):
                client.shutdown()

    def _connected(self) -> Any:
        if self._client is not None:
            return self._client
        config = self.config
        context = config.ssl_context or ssl.create_default_context()
        try:
            client = IMAPClient(
                config.host,
                port=config.port,
                ssl=config.security == "tls",
                ssl_context=context if config.security == "tls" else None,
                timeout=config.timeout,
            )
        except (IMAPClientError, OSError) as exc:
            raise MailboxUnavailable(config.where, _reason(exc)) from exc
        try:
            if config.security == "starttls":
                client.starttls(context)
            client.login(config.user, config.password)
            for folder in (config.processed_folder, config.quarantine_folder):
                if folder and not client.folder_exists(folder):
                    client.create_folder(folder)
        except LoginError as exc:
            _drop(client)
            answer = _reason(exc)
            if "UNAVAILABLE" in answer.upper():  # RFC 5530: the server, not the password
                raise MailboxUnavailable(config.where, answer) from exc
            raise MailboxLoginFailed(config.where, answer) from exc
        except (IMAPClientError, OSError) as exc:
            _drop(client)
            raise MailboxUnavailable(config.where, _reason(exc)) from exc
        self._client = client
        return client

    # -- one pass -------------------------------------------------------------------------

    def poll_once(self, handler: EnquiryHandler, stop: threading.Event | None = None) -> PollCounts:
        """Hand every new message to `handler` once; return what happened. Once `stop`
        is set, the pass ends after the batch in hand (a long backlog must not hold up a
        SIGTERM); the rest waits in the inbox for the next run."""
        client = self._connected()
        try:
            return self._drain(client, handler, stop)
        except (IMAPClientError, OSError) as exc:
            self.close()
            raise MailboxUnavailable(self.config.where, _reason(exc)) from exc

    def _drain(
        self, client: Any, handler: EnquiryHandler, stop: threading.Event | None = None
    ) -> PollCounts:
        config = self.config
        selected = client.select_folder(config.folder)
        uidvalidity = int(selected[b"UIDVALIDITY"])
        stored = load_position(self.engine, config.account, config.folder)
        last = 0
        if stored is not None and stored.uidvalidity == uidvalidity:
            last = stored.last_uid
        elif stored is not None:
            log.warning(
                "IMAP folder UIDVALIDITY changed (%d -> %d): reading the whole folder again",
                stored.uidvalidity,
                uidvalidity,
            )
        # "n:*" always matches the highest UID, even below n (RFC 3501 6.4.8): filter.
        uids = sorted(
            uid for uid in client.search(["UID", f"{last + 1}:*", "UNDELETED"]) if uid > last
        )
        self.pacing.keep_only({self._key(uid) for uid in uids})
        counts = PollCounts(seen=len(uids))
        blocked = False  # a message before this point is still to do: the position stays
        for chunk in _chunks(uids, config.batch_size):
            if stop is not None and stop.is_set():
                break
            done_up_to, chunk_blocked = self._handle_chunk(client, chunk, handler, counts)
            if not blocked and done_up_to is not None:
                last = done_up_to
            blocked = blocked or chunk_blocked
            save_position(
                self.engine,
                config.account,
                config.folder,
                FolderPosition(uidvalidity=uidvalidity, last_uid=last),
                now=self.clock(),
            )
        if not uids and (stored is None or stored.uidvalidity != uidvalidity):
            save_position(
                self.engine,
                config.account,
                config.folder,
                FolderPosition(uidvalidity=uidvalidity, last_uid=last),
                now=self.clock(),
            )
        return counts

    def _handle_chunk(
        self, client: Any, uids: Sequence[int], handler: EnquiryHandler, counts: PollCounts
    ) -> tuple[int | None, bool]:
        """Handle `uids` (ascending); return the last UID before the first one not done,
        and whether some message in the chunk is not done."""
        now = self.clock()
        due = [uid for uid in uids if self.pacing.due(self._key(uid), now)]
        counts.deferred += len(uids) - len(due)
        handled: dict[int, Enquiry] = {}
        for uid, raw, arrived in self._fetch(client, due):
            key = self._key(uid)
            try:
                enquiry = self.parser.parse(raw, received_at=arrived)
                handler(enquiry)
            except Exception as exc:  # the handler's failure must not stop the loop
                attempts = self.pacing.failed(key, self.clock())
                counts.failed += 1
                log.warning(
                    "IMAP message uid %d not handled (attempt %d), kept for a later try: %s",
                    uid,
                    attempts,
                    _describe(exc),
                )
                continue
            self.pacing.succeeded(key)
            handled[uid] = enquiry
        self._file_away(client, handled, counts)
        done_up_to: int | None = None
        for uid in uids:
            if uid not in handled:
                return done_up_to, True
            done_up_to = uid
        return done_up_to, False

    def _fetch(self, client: Any, uids: Sequence[int]) -> Iterator[tuple[int, bytes, datetime]]:
        """(uid, raw bytes, arrival time) for `uids`, fetched in groups of bounded size."""
        if not uids:
            return
        sizes = client.fetch(uids, [b"RFC822.SIZE"])
        group: list[int] = []
        group_bytes = 0
        for uid in uids:
            size = int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0))
            if group and group_bytes + size > _FETCH_BYTES:
                yield from self._fetch_group(client, group)
                group, group_bytes = [], 0
            group.append(uid)
            group_bytes += size
        if group:
            yield from self._fetch_group(client, group)

    def _fetch_group(self, client: Any, uids: list[int]) -> Iterator[tuple[int, bytes, datetime]]:
        fetched = client.fetch(uids, [b"BODY.PEEK[]", b"INTERNALDATE"])
        for uid in uids:
            data = fetched.get(uid)
            if data is None:
                continue  # expunged meanwhile by someone else
            raw = data.get(b"BODY[]") or b""
            yield uid, bytes(raw), _arrival(data.get(b"INTERNALDATE"), self.clock)

    def _file_away(self, client: Any, handled: dict[int, Enquiry], counts: PollCounts) -> None:
        config = self.config
        flagged = [uid for uid, enquiry in handled.items() if enquiry.flag]
        plain = [uid for uid, enquiry in handled.items() if not enquiry.flag]
        for uid in flagged:
            enquiry = handled[uid]
            log.info(
                "IMAP message uid %d quarantined: %s (%s)", uid, enquiry.flag, enquiry.flag_reason
            )
        if flagged:
            self._move(client, flagged, config.quarantine_folder)
        counts.quarantined += len(flagged)
        if plain:
            if config.processed_folder:
                self._move(client, plain, config.processed_folder)
            else:
                client.add_flags(plain, [b"\\Seen"])
        counts.processed += len(plain)

    @staticmethod
    def _move(client: Any, uids: list[int], folder: str) -> None:
        if client.has_capability("MOVE"):
            client.move(uids, folder)  # atomic (RFC 6851)
            return
        client.copy(uids, folder)
        client.delete_messages(uids)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
        else:
            client.expunge()

    def _key(self, uid: int) -> tuple[str, int]:
        return (self.config.folder, uid)

    # -- the long-running mode ------------------------------------------------------------

    def run(self, handler: EnquiryHandler, stop: threading.Event) -> None:
        """Read until `stop` is set: a pass, then IDLE (or a pause) until new mail."""
        pause = self.reconnect_first
        try:
            while not stop.is_set():
                try:
                    counts = self.poll_once(handler, stop)
                    pause = self.reconnect_first
                    if counts.processed or counts.quarantined:
                        # Mail that arrived during the pass was announced (EXISTS) in the
                        # answers to its commands, which imapclient does not keep; an IDLE
                        # now would not hear of it again. Look once more first.
                        continue
                    self._wait_for_mail(stop)
                except MailboxLoginFailed as exc:
                    log.error("%s; trying again in %.0f s", exc, self.login_retry)
                    self.close()
                    stop.wait(self.login_retry)
                except EnquiryDeskError as exc:  # unreachable server, database down
                    log.warning("mailbox pass failed, retrying in %.1f s: %s", pause, exc)
                    self.close()
                    stop.wait(pause)
                    pause = min(pause * 2, self.reconnect_longest)
                except Exception as exc:  # a bug must not end the reading for good
                    log.exception("mailbox pass failed unexpectedly: %s", type(exc).__name__)
                    self.close()
                    stop.wait(pause)
                    pause = min(pause * 2, self.reconnect_longest)
        finally:
            self.close()

    def _wait_for_mail(self, stop: threading.Event) -> None:
        client = self._client
        if client is None:
            return
        try:
            if not client.has_capability("IDLE"):
                stop.wait(self.config.poll_interval)
                return
            client.idle()
            try:
                self._idle(client, stop)
            finally:
                client.idle_done()
        except (IMAPClientError, OSError) as exc:
            self.close()
            raise MailboxUnavailable(self.config.where, _reason(exc)) from exc

    def _idle(self, client: Any, stop: threading.Event) -> None:
        renew_at = time.monotonic() + self.config.idle_renew
        while not stop.is_set():
            left = renew_at - time.monotonic()
            if left <= 0 or self.pacing.any_due(self.clock()):
                return
            wait = min(self.stop_check, left)
            started = time.monotonic()
            responses = client.idle_check(timeout=wait)
            if any(_is_new_mail(response) for response in responses):
                return
            if not responses and time.monotonic() - started < wait / 2:
                # Woken early with nothing to read: the server closed the connection
                # (imapclient swallows the EOF). idle_done will tell for sure.
                return


def _is_new_mail(response: object) -> bool:
    return isinstance(response, tuple) and len(response) > 1 and response[1] == b"EXISTS"


def _arrival(value: object, clock: Clock) -> datetime:
    if isinstance(value, datetime):
        # imapclient gives INTERNALDATE as naive local time by default.
        return value.astimezone(UTC) if value.tzinfo else value.astimezone().astimezone(UTC)
    return clock()


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), max(size, 1)):
        yield items[start : start + size]


def _drop(client: Any) -> None:
    with contextlib.suppress(IMAPClientError, OSError):
        client.shutdown()


def _reason(exc: BaseException) -> str:
    text = exc.args[0] if exc.args else ""
    if isinstance(text, bytes):  # imaplib hands the server's answer over as bytes
        text = text.decode("utf-8", "replace")
    elif isinstance(exc, OSError):  # "[SSL: CERTIFICATE_VERIFY_FAILED] ...", not the errno
        text = str(exc)
    return " ".join(str(text).split()) or type(exc).__name__


def _describe(exc: BaseException) -> str:
    if isinstance(exc, EnquiryDeskError):
        return f"{type(exc).__name__}: {exc}"
    return type(exc).__name__
