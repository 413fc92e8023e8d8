"""Chat speed: officer questions in flight at once, from signed request to answer posted.

Synthetic records are imported through the real import into SQLite; the real web server
(uvicorn, the Slack app in HTTP mode, the real pipeline) runs on loopback, and a fake
Slack Web API on loopback records when each answer is posted. Each question is a signed
Slack event (a direct message from an authorised officer naming a reference).

Baselines in the same run, on the same questions: the questions sent one at a time
through the same server, and the bare `Matcher.match` call for each (no web, no log).

    python bench/chat.py --records 1000000 --questions 200
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import uvicorn

from bot.matching import Matcher
from bot.pipeline import Pipeline
from bot.service import create_app
from bot.settings import Settings
from bot.synthetic_records import generate_records, write_records_csv
from responses.template_store import TemplateStore
from storage import migrate
from storage.engine import make_engine, sqlite_url
from storage.records_import import import_file
from tests.chat.fake_slack import FakeSlack, running_fake_slack
from tests.chat.signing import event_body, signed_headers

TODAY = date(2026, 11, 23)
SECRET = "bench-signing-secret"  # noqa: S105 - signs loopback requests only
OFFICER = "UBENCHOFFICER"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """The app served by uvicorn in a thread of its own, as `enquiry-desk run` serves it."""

    def __init__(self, app: object) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")  # type: ignore[arg-type]
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


async def ask_all(
    base: str, fake: FakeSlack, questions: list[tuple[str, str]], *, at_once: bool, tag: str
) -> list[float]:
    """Send each question (a signed DM event); milliseconds from send to answer posted."""
    limits = httpx.Limits(max_connections=len(questions) if at_once else 1)
    started: dict[str, float] = {}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def one(index: int, text: str) -> None:
            ts = f"1800000000.{index:06d}"
            event = {
                "type": "message",
                "channel_type": "im",
                "channel": "DBENCH",
                "user": OFFICER,
                "text": text,
                "ts": ts,
            }
            body, kind = event_body(event, event_id=f"Ev{tag}{index}")
            headers = {"Content-Type": kind} | signed_headers(SECRET, body)
            started[ts] = time.perf_counter()
            response = await client.post("/slack/events", content=body, headers=headers)
            response.raise_for_status()

        before = len(fake.of("chat.postMessage"))
        if at_once:
            await asyncio.gather(*(one(i, q) for i, (_, q) in enumerate(questions)))
            await asyncio.to_thread(fake.wait_for, "chat.postMessage", before + len(questions), 120)
        else:
            for i, (_, q) in enumerate(questions):
                await one(i, q)
                await asyncio.to_thread(fake.wait_for, "chat.postMessage", before + i + 1, 60)
    calls = fake.of("chat.postMessage")[before:]
    posted = {c.params["thread_ts"]: c.at for c in calls}
    answers = {c.params["thread_ts"]: c.params["text"] for c in calls}
    for index, (reference, _) in enumerate(questions):
        if reference not in answers[f"1800000000.{index:06d}"]:
            raise SystemExit(f"the answer to question {index} does not name {reference}")
    return [(posted[ts] - start) * 1000 for ts, start in started.items()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-chat-") as folder:
        work = Path(folder)
        csv_path = work / "records.csv"
        write_records_csv(csv_path, args.records, seed=11, today=TODAY)
        engine = make_engine(sqlite_url(work / "chat.db"))
        migrate.upgrade(engine)
        import_file(engine, csv_path)
        step = max(1, args.records // (args.questions * 2))
        sample = [
            r
            for i, r in enumerate(generate_records(args.records, seed=11, today=TODAY))
            if i % step == 0
        ]
        refs = [r["reference"] for r in sample[: args.questions * 2]]
        questions = [(ref, f"what is the status of {ref} please?") for ref in refs]
        warm, timed, single = (
            questions[:20],
            questions[: args.questions],
            questions[args.questions : args.questions * 2],
        )
        single = (single or timed)[: min(50, len(single or timed))]

        pipeline = Pipeline(
            engine, TemplateStore.with_overrides(None), clock=lambda: datetime.now(UTC)
        )
        matcher = Matcher(engine, today=lambda: TODAY)
        raw: list[float] = []
        for _, text in single:
            start = time.perf_counter()
            matcher.match(text, sender=None, channel="chat")
            raw.append((time.perf_counter() - start) * 1000)

        with running_fake_slack() as fake:
            settings = Settings(
                data_dir=work,
                slack_mode="http",
                slack_bot_token="xoxb-bench",  # noqa: S106 - the fake API takes any
                slack_signing_secret=SECRET,
                slack_api_url=fake.url,
                slack_officers=(f"{OFFICER}=1234",),
            )
            with Server(create_app(engine, settings=settings, pipeline=pipeline)) as base:
                asyncio.run(ask_all(base, fake, warm, at_once=True, tag="w"))
                one_at_a_time = asyncio.run(ask_all(base, fake, single, at_once=False, tag="s"))
                together = asyncio.run(ask_all(base, fake, timed, at_once=True, tag="c"))
        engine.dispose()

    print(
        f"records {args.records:,}; {len(timed)} questions in flight at once; {len(single)} one at a time"
    )
    print(f"{'':28}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    rows = [
        (f"{len(timed)} at once, to posted", together),
        ("one at a time, to posted", one_at_a_time),
        ("bare Matcher.match", raw),
    ]
    for name, values in rows:
        print(
            f"{name:28}{statistics.median(values):>10.1f}{percentile(values, 0.99):>10.1f}{max(values):>10.1f}"
        )
    print(
        f"p99 at once / p50 one at a time: "
        f"{percentile(together, 0.99) / statistics.median(one_at_a_time):.1f}x "
        "(every answer checked to name its reference)"
    )
    print("target: p99 at once < 500 ms at 1,000,000 records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
