"""Chat speed: officer questions in flight at once, from signed request to answer posted.

Synthetic records are imported through the real import into SQLite; the real web server
(uvicorn, the Slack app in HTTP mode, the real pipeline) runs on loopback in this
process. The load (signed Slack events, a direct message from an authorised officer
naming a reference) and the Slack Web API that the answers are posted to run in a
second process, the driver: in one process they would take the app's interpreter lock
and the figure would measure the load generator as much as the app. The driver sends
each request on a connection of its own and notes when the answer reaches its fake
Slack, both on its own clock.

Baselines in the same run, on the same questions: the questions sent one at a time
through the same server, and the bare `Matcher.match` call for each (no web, no log).

The burst is sent `--rounds` times, each round about records not asked about before, and
each round's figures are printed: on a shared machine one round can be slowed by other
work, so the median round is the figure to judge by. The app logs as `enquiry-desk run`
does (JSON lines, to a file here), since that is part of every answer's cost.

    python bench/chat.py --records 1000000 --questions 200 [--rounds 5] [--db FILE]

With `--db FILE` the records are imported into FILE once and the file is kept, so
repeated runs at 1,000,000 records skip the two-minute import.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import sys
import tempfile
import threading
import time
from contextlib import redirect_stderr
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvicorn
from aiohttp import web
from sqlalchemy import Engine, text

from bot.assemble import assemble
from bot.demo.records import generate_records, write_records_csv
from bot.log_format import configure_logging
from bot.matching import Matcher
from bot.settings import Settings
from lookup.channels import Audience
from storage import migrate
from storage.engine import make_engine, sqlite_url
from storage.records_import import import_file
from tests.bot.chat.signing import event_body, signed_headers

TODAY = date(2026, 11, 23)
SECRET = "bench-signing-secret"  # noqa: S105 - signs loopback requests only
OFFICER = "UBENCHOFFICER"
Question = tuple[str, str]  # (reference, text)
RUN = f"{time.time_ns():x}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def record_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM record")).scalar_one())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """The app served by uvicorn in a thread of its own, as `enquiry-desk run` serves it."""

    def __init__(self, app: object) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(
                app,  # type: ignore[arg-type]
                host="127.0.0.1",
                port=self.port,
                log_level="warning",
                access_log=False,  # as the runtime serves it
                backlog=4096,
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


# -- the driver: load and the fake Slack Web API, in a process of its own --------------


class Driver:
    """Sends signed events to the app and receives its `chat.postMessage` calls."""

    def __init__(self) -> None:
        self.posted: dict[str, tuple[float, str]] = {}  # thread ts -> (arrived, text)
        self.waiting: dict[str, asyncio.Future[None]] = {}
        self.ts = 0

    async def slack_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params: dict[str, Any] = await request.json()
        else:
            params = dict(await request.post())
        if method == "auth.test":
            return web.json_response(
                {"ok": True, "user_id": "UBOT0001", "bot_id": "BBOT", "team_id": "T1"}
            )
        if method != "chat.postMessage":
            return web.json_response({"ok": False, "error": "unknown_method"})
        arrived = time.perf_counter()
        thread = str(params.get("thread_ts"))
        self.posted[thread] = (arrived, str(params.get("text")))
        waiter = self.waiting.pop(thread, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        self.ts += 1
        ts = f"1700000000.{self.ts:06d}"
        return web.json_response({"ok": True, "channel": params.get("channel"), "ts": ts})

    async def ask(self, port: int, request: bytes, thread: str) -> float:
        """Send one signed event on a new connection; when it was sent."""
        waiter = asyncio.get_running_loop().create_future()
        self.waiting[thread] = waiter
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status = head.split(b" ", 2)[1]
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        writer.close()
        if status != b"200":
            raise SystemExit(f"the app answered {status.decode()} to a question")
        return started

    async def phase(
        self, port: int, questions: list[Question], *, at_once: bool, tag: str
    ) -> list[float]:
        """Milliseconds from send to answer posted, for each question."""
        requests = [self.request(port, i, text, tag) for i, (_, text) in enumerate(questions)]
        threads = [thread for thread, _ in requests]
        if at_once:
            starts = await asyncio.gather(*(self.ask(port, r, t) for t, r in requests))
            await asyncio.wait_for(
                asyncio.gather(*(self.waiting.get(t) or _done() for t in threads)), 120
            )
        else:
            starts = []
            for thread, request in requests:
                starts.append(await self.ask(port, request, thread))
                await asyncio.wait_for(self.waiting.get(thread) or _done(), 60)
        for (reference, _), thread in zip(questions, threads, strict=True):
            if reference not in self.posted[thread][1]:
                raise SystemExit(f"the answer in thread {thread} does not name {reference}")
        return [(self.posted[t][0] - s) * 1000 for t, s in zip(threads, starts, strict=True)]

    @staticmethod
    def request(port: int, index: int, text: str, tag: str) -> tuple[str, bytes]:
        """A signed Events API request, built before the clock starts."""
        ts = f"1800{ord(tag[0]):06d}.{index:06d}"
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": "DBENCH",
            "user": OFFICER,
            "text": text,
            "ts": ts,
        }
        # Unique per run too: a kept database (--db) has the last run's events logged.
        body, kind = event_body(event, event_id=f"Ev{RUN}{tag}{index}")
        headers = {"Content-Type": kind} | signed_headers(SECRET, body)
        raw = body.encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        return ts, (
            f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{head}"
            f"Content-Length: {len(raw)}\r\nConnection: close\r\n\r\n"
        ).encode() + raw


async def _done() -> None:
    return None


def drive(conn: Any) -> None:
    """The driver process: serve the fake Slack API, then run what the app asks for."""

    async def main() -> None:
        driver = Driver()
        api = web.Application()
        api.router.add_route("*", "/api/{method}", driver.slack_api)
        runner = web.AppRunner(api, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=4096)
        await site.start()
        port = runner.addresses[0][1]
        conn.send(f"http://127.0.0.1:{port}/api/")
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command is None:
                break
            app_port, questions, at_once, tag = command
            conn.send(await driver.phase(app_port, questions, at_once=at_once, tag=tag))
        await runner.cleanup()

    asyncio.run(main())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="bursts, each about new records")
    parser.add_argument("--db", type=Path, help="SQLite file to keep the records in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-chat-") as folder:
        work = Path(folder)
        engine = make_engine(sqlite_url(args.db or work / "chat.db"))
        migrate.upgrade(engine)
        if record_count(engine) != args.records:
            if record_count(engine):
                raise SystemExit(f"{args.db} holds another number of records")
            csv_path = work / "records.csv"
            write_records_csv(csv_path, args.records, seed=11, today=TODAY)
            import_file(engine, csv_path)
        # Questions about records spread evenly through the table, none asked twice: a
        # burst of 200 for each round, then 50 for one at a time.
        wanted = args.questions * args.rounds + 50
        step = max(1, args.records // wanted)
        refs = [
            r["reference"]
            for i, r in enumerate(generate_records(args.records, seed=11, today=TODAY))
            if i % step == 0
        ][:wanted]
        questions = [(ref, f"what is the status of {ref} please?") for ref in refs]
        bursts = [
            questions[n * args.questions : (n + 1) * args.questions] for n in range(args.rounds)
        ]
        single = questions[args.questions * args.rounds :] or bursts[0][:50]

        matcher = Matcher(engine, today=lambda: TODAY)
        raw: list[float] = []
        for _, text in single:
            start = time.perf_counter()
            matcher.match(text, sender=None, audience=Audience.OFFICER)
            raw.append((time.perf_counter() - start) * 1000)

        spawn = multiprocessing.get_context("spawn")
        ours, theirs = spawn.Pipe()
        driver = spawn.Process(target=drive, args=(theirs,), daemon=True)
        driver.start()
        slack_url = str(ours.recv())
        settings = Settings(
            data_dir=work,
            slack_mode="http",
            slack_bot_token="xoxb-bench",  # noqa: S106 - the fake API takes any
            slack_signing_secret=SECRET,
            slack_api_url=slack_url,
            slack_officers=(f"{OFFICER}=1234",),
        )
        server = Server(assemble(settings, engine).web)

        def phase(chosen: list[Question], *, at_once: bool, tag: str) -> list[float]:
            ours.send((server.port, chosen, at_once, tag))
            return list(ours.recv())

        rounds: list[tuple[list[float], float]] = []
        log_path = work / "service.log"
        configure_logging()
        try:
            # The server stops inside the redirection: answers' log entries written as
            # it stops still go to the file.
            with log_path.open("w") as service_log, redirect_stderr(service_log), server:
                phase(bursts[0][:20], at_once=True, tag="w")
                one_at_a_time = phase(single, at_once=False, tag="s")
                for n, burst in enumerate(bursts):
                    cpu = time.process_time()
                    times = phase(burst, at_once=True, tag=chr(ord("a") + n))
                    # The app's processor time (every thread of this process) per question.
                    rounds.append((times, (time.process_time() - cpu) * 1000 / len(burst)))
        finally:
            ours.send(None)
            driver.join(30)
        log_lines = sum(1 for _ in log_path.open())
        engine.dispose()

    print(
        f"records {args.records:,}; {args.questions} questions in flight at once, "
        f"{args.rounds} rounds; {len(single)} one at a time"
    )
    print(f"{'':30}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'cpu ms/q':>10}")
    for n, (times, cpu) in enumerate(rounds, 1):
        print(_row(f"round {n}: {len(times)} at once", times) + f"{cpu:>10.2f}")
    middle = sorted(rounds, key=lambda r: percentile(r[0], 0.99))[len(rounds) // 2]
    print(_row("median round (by p99)", middle[0]) + f"{middle[1]:>10.2f}")
    print(_row("one at a time, to posted", one_at_a_time))
    print(_row("bare Matcher.match", raw))
    print(
        f"median round p99 / p50 one at a time: "
        f"{percentile(middle[0], 0.99) / statistics.median(one_at_a_time):.1f}x "
        f"(every answer checked to name its reference; {log_lines:,} log lines written)"
    )
    print("load and fake Slack API in a separate process; target: p99 at once < 500 ms at 1M")
    return 0


def _row(name: str, values: list[float]) -> str:
    return (
        f"{name:30}{statistics.median(values):>10.1f}"
        f"{percentile(values, 0.99):>10.1f}{max(values):>10.1f}"
    )


if __name__ == "__main__":
    sys.exit(main())
