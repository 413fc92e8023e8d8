"""Mail ingest speed: messages appended to a real Dovecot, then read end to end into SQLite.

Synthetic records are imported, sample enquiries about them (the demo inbox's) are
appended over IMAP to a throwaway Dovecot on loopback, and then:

- baseline: a raw imapclient fetch of the same messages (BODY.PEEK[] in batches of 100,
  read-only), with no processing at all: the floor set by the server and the protocol;
- mail layer alone: the IMAP source's pass over a server-side copy of the same messages
  with only the pipeline's first step as handler (log the contact): fetch, parse, log,
  MOVE to the processed folder;
- ingest: the IMAP source's pass with the real pipeline as handler: fetch, parse, log the
  contact, match, detect intents, draft, then MOVE to the processed folder.

Printed: messages per second for both, their ratio, and peak memory (the process's
maximum RSS). Needs Debian's dovecot-imapd (`bash .ci/install-parts`).

    python bench/ingest.py --messages 10000
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trustme
from imapclient import IMAPClient  # type: ignore[import-untyped]
from sqlalchemy import Engine, func, select

from bot.demo.inbox import DESK_ADDRESS, demo_enquiries, demo_message
from bot.demo.records import generate_records, write_records_csv
from bot.pipeline import Pipeline
from lookup.enquiry import Enquiry
from mail.attachment_store import AttachmentStore
from mail.imap_source import ImapConfig, ImapSource
from mail.loop_guard import LoopGuard
from mail.parse import MailParser
from mail.sources import PollCounts
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage import migrate
from storage.attachments import record_attachments
from storage.contact_log import inbound_contact, log_contact
from storage.engine import make_engine, sqlite_url
from storage.records_import import import_file
from storage.tables import Contact, Draft
from tests.mail.dovecot_server import HOST, PASSWORD, running_dovecot, skip_reason

TODAY = date(2026, 11, 23)
USER = "bench@force.example"
TARGET_PER_SECOND = 100
COPY_FOLDER = "Copy"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def client(port: int) -> IMAPClient:
    imap = IMAPClient(HOST, port=port, ssl=False, timeout=60)
    imap.login(USER, PASSWORD)
    return imap


def append_all(port: int, messages: list[bytes]) -> float:
    """Append to INBOX, and copy server-side to COPY_FOLDER for the mail-layer-only pass."""
    started = time.perf_counter()
    imap = client(port)
    for start in range(0, len(messages), 200):
        imap.multiappend("INBOX", messages[start : start + 200])
    elapsed = time.perf_counter() - started
    imap.create_folder(COPY_FOLDER)
    imap.select_folder("INBOX")
    imap.copy(imap.search("ALL"), COPY_FOLDER)
    imap.logout()
    return elapsed


def log_only(engine: Engine) -> Callable[[Enquiry], object]:
    """The pipeline's first step alone: log the contact and record its attachments."""

    def handle(enquiry: Enquiry) -> object:
        logged = log_contact(
            engine,
            inbound_contact(enquiry),
            now=datetime.now(UTC),
        )
        record_attachments(engine, logged.id, enquiry.attachments)
        return logged

    return handle


def ingest(
    port: int, folder: str, engine: Engine, parser: MailParser, handle: Callable[[Enquiry], object]
) -> tuple[PollCounts, float]:
    config = ImapConfig(
        host=HOST, port=port, user=USER, password=PASSWORD, security="none", folder=folder
    )
    source = ImapSource(config, engine, parser)
    started = time.perf_counter()
    counts = source.poll_once(handle)
    elapsed = time.perf_counter() - started
    source.close()
    return counts, elapsed


def baseline_fetch(port: int) -> tuple[int, float]:
    """Fetch every message's bytes, read-only, doing nothing with them."""
    started = time.perf_counter()
    imap = client(port)
    imap.select_folder("INBOX", readonly=True)
    uids = imap.search("ALL")
    fetched = 0
    for start in range(0, len(uids), 100):
        data = imap.fetch(uids[start : start + 100], [b"BODY.PEEK[]", b"INTERNALDATE"])
        fetched += sum(1 for item in data.values() if item.get(b"BODY[]"))
    imap.logout()
    return fetched, time.perf_counter() - started


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--messages", type=int, default=10_000)
    arguments.add_argument("--records", type=int, default=20_000)
    options = arguments.parse_args()
    reason = skip_reason()
    if reason is not None:
        print(f"ingest bench: {reason}", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="ingest-") as folder:
        work = Path(folder)
        csv_path = work / "records.csv"
        write_records_csv(csv_path, options.records, seed=7, today=TODAY)
        engine = make_engine(sqlite_url(work / "ingest.db"))
        migrate.upgrade(engine)
        import_file(engine, csv_path)
        records = list(generate_records(options.records, seed=7, today=TODAY))
        messages = [
            demo_message(enquiry).as_bytes()
            for enquiry in demo_enquiries(records, count=options.messages, seed=3)
        ]
        total_mb = sum(len(message) for message in messages) / 1e6

        parser = MailParser(
            guard=LoopGuard.for_mail_from(DESK_ADDRESS),
            keeper=AttachmentStore(work / "attachments", max_bytes=10 * 1024 * 1024),
        )
        pipeline = Pipeline(
            engine=engine,
            templates=TemplateStore([PACKAGE_TEMPLATES]),
            clock=lambda: datetime.now(UTC),
        )

        def handle(enquiry: Enquiry) -> object:
            outcome = pipeline.handle(enquiry)
            record_attachments(engine, outcome.contact_id, enquiry.attachments)
            return outcome

        log_engine = make_engine(sqlite_url(work / "log-only.db"))
        migrate.upgrade(log_engine)
        with running_dovecot(trustme.CA()) as server:
            append_seconds = append_all(server.port, messages)
            fetched, baseline_seconds = baseline_fetch(server.port)
            logged, log_seconds = ingest(
                server.port, COPY_FOLDER, log_engine, parser, log_only(log_engine)
            )
            rss_before = rss_mb()
            counts, ingest_seconds = ingest(server.port, "INBOX", engine, parser, handle)
        log_engine.dispose()

        with engine.connect() as conn:
            contacts = conn.execute(select(func.count()).select_from(Contact)).scalar_one()
            drafts = conn.execute(select(func.count()).select_from(Draft)).scalar_one()
        engine.dispose()

    baseline_rate = fetched / baseline_seconds
    ingest_rate = counts.seen / ingest_seconds
    print(f"messages: {options.messages} ({total_mb:.1f} MB) against {options.records} records")
    print(f"append over IMAP:        {options.messages / append_seconds:8.0f} msg/s (setup)")
    print(f"baseline raw fetch:      {baseline_rate:8.0f} msg/s  ({fetched} messages)")
    print(
        f"ingest end to end:       {ingest_rate:8.0f} msg/s  "
        f"(processed {counts.processed}, quarantined {counts.quarantined}, failed {counts.failed})"
    )
    print(f"ratio ingest/baseline:   {ingest_rate / baseline_rate:8.3f}")
    log_rate = logged.seen / log_seconds
    print(
        f"mail layer alone:        {log_rate:8.0f} msg/s  "
        f"(fetch, parse, log contact, move; ratio to baseline {log_rate / baseline_rate:.3f})"
    )
    print(f"contacts {contacts}, drafts {drafts}")
    print(f"peak memory (max RSS):   {rss_mb():8.0f} MB  (before ingest {rss_before:.0f} MB)")
    verdict = "meets" if ingest_rate >= TARGET_PER_SECOND else "MISSES"
    print(f"target >= {TARGET_PER_SECOND} msg/s end to end: {verdict}")
    if contacts != options.messages or counts.failed or logged.seen != options.messages:
        print("ingest bench: not every message was logged", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
