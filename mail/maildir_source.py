"""The embedded default's inbox: a Maildir folder (DATA_DIR/inbox) read by polling.

Messages are read from `new/` and `cur/`, handed to the handler, and only once it has
returned (the contact is logged) moved by rename into a Maildir++ subfolder: handled mail
into `.Processed`, flagged mail into `.Quarantine` (names configurable). A rename within
one file system is atomic, so a message is always in exactly one folder, and a crash
before the rename only means it is read again, which the contact log recognises.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

from lookup.enquiry import Enquiry
from lookup.errors import EnquiryDeskError
from mail.errors import MailError
from mail.parse import MailParser
from mail.sources import Clock, EnquiryHandler, PollCounts, RetryPacing, utc_now

log = logging.getLogger(__name__)


class MaildirSource:
    """Reads the Maildir at `root` (created if missing) with `parser`."""

    def __init__(
        self,
        root: Path,
        parser: MailParser,
        *,
        processed_folder: str = "Processed",
        quarantine_folder: str = "Quarantine",
        clock: Clock = utc_now,
        poll_interval: float = 5.0,
        pacing: RetryPacing | None = None,
    ) -> None:
        self.root = Path(root)
        self.parser = parser
        self.processed = self._subfolder(processed_folder)
        self.quarantine = self._subfolder(quarantine_folder)
        self.clock = clock
        self.poll_interval = poll_interval
        self.pacing = pacing or RetryPacing()

    def _subfolder(self, name: str) -> Path:
        # Maildir++: a subfolder is a dot-directory inside the root, itself a Maildir.
        return self.root / ("." + name.strip(".").replace("/", "."))

    def _ensure_folders(self) -> None:
        for folder in (self.root, self.processed, self.quarantine):
            for sub in ("tmp", "new", "cur"):
                (folder / sub).mkdir(parents=True, exist_ok=True)
        for folder in (self.processed, self.quarantine):
            (folder / "maildirfolder").touch(exist_ok=True)

    def pending(self) -> list[Path]:
        """The messages waiting in the inbox, oldest delivery first."""
        found: list[Path] = []
        for sub in ("new", "cur"):
            try:
                entries = list(os.scandir(self.root / sub))
            except FileNotFoundError:
                continue
            found.extend(
                Path(entry.path)
                for entry in entries
                if not entry.name.startswith(".") and entry.is_file()
            )
        # Maildir names start with the delivery time, so name order is arrival order.
        return sorted(found, key=lambda path: path.name)

    def poll_once(self, handler: EnquiryHandler) -> PollCounts:
        """Hand every waiting message to `handler` once; return what happened."""
        try:
            self._ensure_folders()
        except OSError as exc:
            raise MailError(f"cannot use the Maildir at {self.root}: {exc.strerror}") from exc
        counts = PollCounts()
        for path in self.pending():
            counts.seen += 1
            key = path.name.split(":", 1)[0]
            now = self.clock()
            if not self.pacing.due(key, now):
                counts.deferred += 1
                continue
            outcome = self._handle(path, key, handler, now)
            if outcome == "processed":
                counts.processed += 1
            elif outcome == "quarantined":
                counts.quarantined += 1
            elif outcome == "failed":
                counts.failed += 1
        return counts

    def _handle(self, path: Path, key: str, handler: EnquiryHandler, now: datetime) -> str:
        try:
            raw = path.read_bytes()
            arrived = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except FileNotFoundError:
            return "gone"  # another reader moved it meanwhile
        except OSError as exc:
            return self._failed(key, now, exc)
        try:
            enquiry = self.parser.parse(raw, received_at=arrived)
            handler(enquiry)
        except Exception as exc:  # the handler's failure must not stop the loop
            return self._failed(key, now, exc)
        self.pacing.succeeded(key)
        return self._file_away(path, enquiry)

    def _failed(self, key: str, now: datetime, exc: Exception) -> str:
        attempts = self.pacing.failed(key, now)
        log.warning(
            "maildir message %s not handled (attempt %d), kept for a later try: %s",
            key,
            attempts,
            _describe(exc),
        )
        return "failed"

    def _file_away(self, path: Path, enquiry: Enquiry) -> str:
        folder = self.quarantine if enquiry.flag else self.processed
        name = path.name
        # Maildir info "2,S": seen (the Maildir spec's flags).
        if ":2," not in name:
            name = f"{name}:2,S"
        elif "S" not in name.rsplit(":2,", 1)[1]:
            name = name + "S"
        try:
            os.replace(path, folder / "cur" / name)
        except FileNotFoundError:
            return "gone"
        except OSError as exc:
            # Logged already; it will be read again next time and recognised as seen.
            log.warning("maildir message %s logged but not moved: %s", path.name, exc.strerror)
            return "processed"
        if enquiry.flag:
            log.info(
                "maildir message %s quarantined: %s (%s)",
                path.name.split(":", 1)[0],
                enquiry.flag,
                enquiry.flag_reason,
            )
            return "quarantined"
        return "processed"

    def run(self, handler: EnquiryHandler, stop: threading.Event) -> None:
        """Poll every `poll_interval` seconds until `stop` is set."""
        while not stop.is_set():
            try:
                self.poll_once(handler)
            except Exception as exc:  # keep the loop alive; the next pass tries again
                log.error("reading the Maildir failed: %s", _describe(exc))
            stop.wait(self.poll_interval)


def _describe(exc: BaseException) -> str:
    # Our own errors carry messages written without personal data; others only by type.
    if isinstance(exc, EnquiryDeskError):
        return f"{type(exc).__name__}: {exc}"
    return type(exc).__name__
