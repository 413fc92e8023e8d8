"""Load: a mail backlog and a steady stream of officer questions on one `enquiry-desk run`.

For each database (SQLite, the embedded default; PostgreSQL, a throwaway server):
synthetic records go through the real import, a backlog of sample enquiries (the demo
inbox's) is appended to a throwaway Dovecot, and one `enquiry-desk run` worker is
started as an operator would start it (IMAP settings, Slack in HTTP mode against a fake
Slack Web API on loopback). While it reads the backlog, signed Slack events (an
authorised officer asking about a reference, as bench/chat.py sends them) arrive at a
fixed rate, open loop, for a fixed time.

Printed per database:
- mail throughput, messages per second, while the questions arrive and after they stop
  (the same worker, the same backlog: the second figure is the baseline, the ratio shows
  what the chat load costs the mail);
- chat latency from request to answer posted (p50, p99, max), under load and, as the
  baseline, one question at a time on the idle worker afterwards;
- the worker's memory (RSS sampled every half second): start, peak, and the median of
  the second quarter of the run against the last quarter, to tell whether it grows;
- whether anything was lost or doubled: every message logged once and filed away, every
  question answered once, naming its reference. The exit status is 1 if not.

    python bench/load.py                      # 10,000 messages, 50 questions/s for 60 s
    python bench/load.py --messages 200 --seconds 10 --rate 10   # the CI smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx2 as httpx
import trustme
from imapclient import IMAPClient  # type: ignore[import-untyped]
from sqlalchemy import Engine, func, select
from sqlmodel import col

from bot.demo.inbox import demo_enquiries, demo_message
from bot.demo.records import generate_records, write_records_csv
from storage import migrate
from storage.engine import make_engine, sqlite_url
from storage.records_import import import_file
from storage.tables import Contact
from tests.bot.chat.fake_slack import FakeSlack, running_fake_slack
from tests.bot.chat.signing import event_body, signed_headers
from tests.mail.dovecot_server import HOST, PASSWORD, free_port, running_dovecot, skip_reason
from tests.postgres_server import running_postgres, skip_or_fail_reason

TODAY = date(2026, 11, 23)
SECRET = "bench-signing-secret"  # noqa: S105 - signs loopback requests only
OFFICER = "UBENCHOFFICER"
ENQUIRY_DESK = str(Path(sys.executable).with_name("enquiry-desk"))
RSS_EVERY = 0.5
PROGRESS_EVERY = 0.25
# Memory "grows" when the last quarter's median RSS exceeds the second quarter's by more.
GROWTH_LIMIT = 0.10


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss_mb(pid: int, field_name: str = "VmRSS") -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Run:
    """What one database's run measured."""

    database: str
    messages: int
    questions: int
    chat_seconds: float = 0.0
    logged: list[tuple[float, int]] = field(default_factory=list)  # (seconds, messages)
    latencies: list[float] = field(default_factory=list)
    idle_latencies: list[float] = field(default_factory=list)
    rss: list[tuple[float, float]] = field(default_factory=list)  # (seconds, MB)
    peak_mb: float = 0.0
    problems: list[str] = field(default_factory=list)
    stop_seconds: float = 0.0

    @property
    def done_at(self) -> float | None:
        """Seconds until the whole backlog was logged, or None if it never was."""
        return next((at for at, count in self.logged if count >= self.messages), None)

    def logged_by(self, seconds: float) -> tuple[float, int]:
        """The last progress sample at or before `seconds`."""
        return [(at, n) for at, n in self.logged if at <= seconds][-1]

    def rss_quarters(self) -> tuple[float, float]:
        end = max(self.done_at or self.chat_seconds, self.chat_seconds)
        values = [mb for at, mb in self.rss if at <= end]
        quarter = max(1, len(values) // 4)
        second = values[quarter : 2 * quarter] or values
        last = values[-quarter:]
        return statistics.median(second), statistics.median(last)


class Sampler:
    """Samples the worker's RSS and the backlog's progress in a thread until stopped."""

    def __init__(self, pid: int, engine: Engine) -> None:
        self.pid = pid
        self.engine = engine
        self.rss: list[tuple[float, float]] = []
        self.logged: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.started = time.perf_counter()

    def _run(self) -> None:
        ticks = 0
        while True:
            at = time.perf_counter() - self.started
            self.logged.append((at, inbound_mail(self.engine)[0]))
            if ticks % round(RSS_EVERY / PROGRESS_EVERY) == 0:
                self.rss.append((at, rss_mb(self.pid)))
            ticks += 1
            if self._stop.wait(PROGRESS_EVERY):
                return

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(5)


def inbound_mail(engine: Engine) -> tuple[int, int]:
    """(distinct Message-IDs, rows) of inbound e-mail in the contact log."""
    with engine.connect() as conn:
        row = conn.execute(
            select(func.count(func.distinct(col(Contact.channel_message_id))), func.count()).where(
                col(Contact.channel) == "email", col(Contact.direction) == "in"
            )
        ).one()
    return int(row[0]), int(row[1])


def chat_contacts(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).where(
                    col(Contact.channel) == "slack", col(Contact.direction) == "in"
                )
            ).scalar_one()
        )


def inbox_left(port: int, user: str) -> int:
    imap = IMAPClient(HOST, port=port, ssl=False, timeout=60)
    try:
        imap.login(user, PASSWORD)
        return int(imap.folder_status("INBOX", [b"MESSAGES"])[b"MESSAGES"])
    finally:
        imap.logout()


def deliver(port: int, user: str, messages: list[bytes]) -> None:
    imap = IMAPClient(HOST, port=port, ssl=False, timeout=120)
    imap.login(user, PASSWORD)
    for start in range(0, len(messages), 200):
        imap.multiappend("INBOX", messages[start : start + 200])
    imap.logout()


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the worker exited at start ({process.returncode})")
        with (
            contextlib.suppress(urllib.error.URLError, OSError),
            urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        time.sleep(0.1)
    raise SystemExit("the worker did not come up")


class Asker:
    """Sends signed Slack events (an officer asking about a reference) to the worker."""

    def __init__(self, base: str, fake: FakeSlack) -> None:
        self.base = base
        self.fake = fake
        self.sent: dict[str, tuple[float, str]] = {}  # ts -> (when sent, reference)
        self.errors = 0

    async def ask(self, client: httpx.AsyncClient, index: int, reference: str, tag: str) -> None:
        ts = f"18{tag}0000000.{index:06d}"
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": "DBENCH",
            "user": OFFICER,
            "text": f"what is the status of {reference} please?",
            "ts": ts,
        }
        body, kind = event_body(event, event_id=f"Ev{tag}{index}")
        headers = {"Content-Type": kind} | signed_headers(SECRET, body)
        self.sent[ts] = (time.perf_counter(), reference)
        try:
            response = await client.post("/slack/events", content=body, headers=headers)
            response.raise_for_status()
        except httpx.HTTPError:
            self.errors += 1

    async def stream(self, references: list[str], rate: float, seconds: float, tag: str) -> None:
        """Open loop: question i leaves at start + i / rate, whatever the answers do."""
        limits = httpx.Limits(max_connections=200)
        async with httpx.AsyncClient(base_url=self.base, limits=limits, timeout=120) as client:
            start = time.perf_counter()
            tasks = []
            count = int(rate * seconds)
            for index in range(count):
                delay = start + index / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                reference = references[index % len(references)]
                tasks.append(asyncio.create_task(self.ask(client, index, reference, tag)))
            await asyncio.gather(*tasks)

    async def one_at_a_time(self, references: list[str], tag: str) -> None:
        async with httpx.AsyncClient(base_url=self.base, timeout=120) as client:
            for index, reference in enumerate(references):
                before = len(self.fake.of("chat.postMessage"))
                await self.ask(client, index, reference, tag)
                await asyncio.to_thread(self.fake.wait_for, "chat.postMessage", before + 1, 60)

    def latencies(self, tag: str) -> tuple[list[float], list[str]]:
        """Milliseconds to answer for each question of `tag`, and what went wrong."""
        posted = {c.params.get("thread_ts"): c for c in self.fake.of("chat.postMessage")}
        values, problems = [], []
        for ts, (sent_at, reference) in self.sent.items():
            if not ts.startswith(f"18{tag}"):
                continue
            call = posted.get(ts)
            if call is None:
                problems.append(f"question {ts} never answered")
                continue
            if reference not in str(call.params.get("text", "")):
                problems.append(f"the answer to {ts} does not name {reference}")
            values.append((call.at - sent_at) * 1000)
        return values, problems


def worker_env(
    work: Path, imap_port: int, user: str, fake: FakeSlack, url: str | None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENQUIRY_DESK_")}
    env.update(
        {
            "ENQUIRY_DESK_DATA_DIR": str(work / "data"),
            "ENQUIRY_DESK_IMAP_HOST": HOST,
            "ENQUIRY_DESK_IMAP_PORT": str(imap_port),
            "ENQUIRY_DESK_IMAP_USER": user,
            "ENQUIRY_DESK_IMAP_PASSWORD": PASSWORD,
            "ENQUIRY_DESK_IMAP_SECURITY": "none",
            "ENQUIRY_DESK_SLACK_MODE": "http",
            "ENQUIRY_DESK_SLACK_BOT_TOKEN": "xoxb-bench",
            "ENQUIRY_DESK_SLACK_SIGNING_SECRET": SECRET,
            "ENQUIRY_DESK_SLACK_API_URL": fake.url,
            "ENQUIRY_DESK_SLACK_OFFICERS": f"{OFFICER}=1234",
        }
    )
    if url is not None:
        env["ENQUIRY_DESK_DATABASE_URL"] = url
    return env


@contextlib.contextmanager
def database(kind: str, work: Path) -> Iterator[tuple[Engine, str | None]]:
    """A migrated, empty database: SQLite in DATA_DIR, or PostgreSQL on a throwaway server."""
    if kind == "sqlite":
        engine = make_engine(sqlite_url(work / "data" / "enquiry-desk.db"))
        migrate.upgrade(engine)
        yield engine, None
        engine.dispose()
        return
    with running_postgres(work / "pg") as server:
        url = server.create_database("load")
        engine = make_engine(url)
        migrate.upgrade(engine)
        yield engine, url
        engine.dispose()


def run_one(kind: str, options: argparse.Namespace, dovecot_port: int) -> Run:
    user = f"load-{kind}@force.example"
    result = Run(kind, options.messages, int(options.rate * options.seconds))
    with tempfile.TemporaryDirectory(prefix=f"load-{kind}-") as folder:
        work = Path(folder)
        (work / "data").mkdir()
        with database(kind, work) as (engine, url):
            csv_path = work / "records.csv"
            write_records_csv(csv_path, options.records, seed=7, today=TODAY)
            import_file(engine, csv_path)
            records = list(generate_records(options.records, seed=7, today=TODAY))
            messages = [
                demo_message(e).as_bytes()
                for e in demo_enquiries(records[:5000], count=options.messages, seed=3)
            ]
            deliver(dovecot_port, user, messages)
            step = max(1, len(records) // 500)
            references = [r["reference"] for r in records[::step]]

            with running_fake_slack() as fake:
                port = free_port()
                env = worker_env(work, dovecot_port, user, fake, url) | {
                    "ENQUIRY_DESK_HTTP_PORT": str(port)
                }
                log_path = work / "worker.log"
                with log_path.open("wb") as log_file:
                    process = subprocess.Popen(
                        [ENQUIRY_DESK, "run"], env=env, stdout=log_file, stderr=subprocess.STDOUT
                    )
                try:
                    wait_healthy(port, process)
                    asker = Asker(f"http://{HOST}:{port}", fake)
                    with Sampler(process.pid, engine) as sampler:
                        asyncio.run(
                            asker.stream(references, options.rate, options.seconds, tag="1")
                        )
                        result.chat_seconds = time.perf_counter() - sampler.started
                        deadline = time.monotonic() + options.timeout
                        while inbound_mail(engine)[0] < options.messages:
                            if time.monotonic() > deadline or process.poll() is not None:
                                break
                            time.sleep(PROGRESS_EVERY)
                        with contextlib.suppress(AssertionError):
                            fake.wait_for("chat.postMessage", result.questions, timeout=60)
                        time.sleep(2 * PROGRESS_EVERY)  # a last progress sample
                    result.rss = sampler.rss
                    result.logged = sampler.logged
                    result.peak_mb = rss_mb(process.pid, "VmHWM")
                    result.latencies, problems = asker.latencies("1")
                    result.problems += problems
                    idle_refs = references[: min(20, len(references))]
                    asyncio.run(asker.one_at_a_time(idle_refs, tag="2"))
                    result.idle_latencies, problems = asker.latencies("2")
                    result.problems += problems
                    if asker.errors:
                        result.problems.append(f"{asker.errors} questions refused by the server")
                    stopping = time.perf_counter()
                    process.send_signal(signal.SIGTERM)
                    code = process.wait(timeout=120)
                    result.stop_seconds = time.perf_counter() - stopping
                    if code != 0:
                        result.problems.append(f"the worker exited with {code} on SIGTERM")
                finally:
                    if process.poll() is None:
                        process.kill()
                        process.wait()
                distinct, rows = inbound_mail(engine)
                if distinct != options.messages:
                    result.problems.append(f"{options.messages - distinct} messages not logged")
                if rows != distinct:
                    result.problems.append(f"{rows - distinct} messages logged twice")
                left = inbox_left(dovecot_port, user)
                if left:
                    result.problems.append(f"{left} messages left in the inbox")
                asked = result.questions + len(result.idle_latencies)
                answered = len(result.latencies) + len(result.idle_latencies)
                if answered != asked:
                    result.problems.append(f"{asked - answered} questions not answered")
                if chat_contacts(engine) != asked:
                    result.problems.append(
                        f"{chat_contacts(engine)} chat contacts logged for {asked} questions"
                    )
    return result


def report(run: Run) -> None:
    print(
        f"\n== {run.database}: {run.messages:,} messages, {run.questions} questions "
        f"over {run.chat_seconds:.0f} s"
    )
    start_at, start_n = run.logged[0]
    done_at = run.done_at
    chat_end = run.chat_seconds if done_at is None else min(run.chat_seconds, done_at)
    at, n = run.logged_by(chat_end)
    during = (n - start_n) / (at - start_at) if at > start_at else float("nan")
    print(
        f"mail while questions arrive: {during:8.1f} msg/s  ({n - start_n} in {at - start_at:.0f} s)"
    )
    if done_at is not None and done_at > run.chat_seconds + 1:
        after = (run.messages - n) / (done_at - at)
        print(
            f"mail after they stop:        {after:8.1f} msg/s  ({run.messages - n} in "
            f"{done_at - at:.0f} s); during/after {during / after:.2f}"
        )
    if done_at is not None:
        overall = (run.messages - start_n) / (done_at - start_at)
        print(f"mail, whole backlog:         {overall:8.1f} msg/s  ({done_at:.0f} s)")
    else:
        print("mail: the backlog was NOT finished")
    if run.latencies:
        print(
            f"chat under load   p50 {statistics.median(run.latencies):7.0f} ms  "
            f"p99 {percentile(run.latencies, 0.99):7.0f} ms  max {max(run.latencies):7.0f} ms"
        )
    if run.idle_latencies:
        print(
            f"chat idle (base)  p50 {statistics.median(run.idle_latencies):7.0f} ms  "
            f"p99 {percentile(run.idle_latencies, 0.99):7.0f} ms"
        )
        if run.latencies:
            ratio = percentile(run.latencies, 0.99) / statistics.median(run.idle_latencies)
            print(f"chat p99 under load / p50 idle: {ratio:.1f}x")
    if run.rss:
        second, last = run.rss_quarters()
        grows = last > second * (1 + GROWTH_LIMIT)
        print(
            f"worker memory: start {run.rss[0][1]:.0f} MB, peak {run.peak_mb:.0f} MB; "
            f"median RSS 2nd quarter {second:.0f} MB, last quarter {last:.0f} MB: "
            f"{'GROWS' if grows else 'flat'}"
        )
        if grows:
            run.problems.append("memory grows over the run")
    print(f"SIGTERM to exit: {run.stop_seconds:.1f} s")
    print("lost or doubled: " + ("nothing" if not run.problems else "; ".join(run.problems)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=50.0, help="questions per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long questions come")
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--timeout", type=float, default=1800.0, help="for the whole backlog")
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    options = parser.parse_args()
    reason = skip_reason() or ("postgresql" in options.databases and skip_or_fail_reason())
    if reason:
        print(f"load bench: {reason}", file=sys.stderr)
        return 1
    runs = []
    with running_dovecot(trustme.CA()) as dovecot:
        for kind in options.databases:
            runs.append(run_one(kind, options, dovecot.port))
            report(runs[-1])
    return 1 if any(run.problems for run in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
