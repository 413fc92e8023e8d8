"""Fixtures for the chat tests: the real web server on loopback, a fake Slack Web API.

The app under test is the one `bot.assemble.assemble` builds for `enquiry-desk run`,
served by uvicorn on a free loopback port in a thread of its own, as the runtime serves it.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from bot.assemble import assemble
from bot.pipeline import Pipeline
from bot.runtime import Runtime
from bot.settings import Settings
from storage.records_import import import_file
from tests.bot.chat.fake_slack import FakeSlack, running_fake_slack
from tests.bot.chat.signing import signed_headers
from tests.sample import find_record

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
OFFICER, OFFICER_COLLAR = "UOFFICER1", "8656"
GROUP_OFFICER = "UOFFICER2"
CLERK, OTHER_CLERK = "UCLERK01", "UCLERK02"
STRANGER = "USTRANGER"
CLERK_CHANNEL = "CCLERKS1"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

# A paid fixed penalty in the sample whose subject has no other record, with an address on
# file and an officer in the case other than the test officer.
PAID = find_record(
    kind="fpn",
    status="paid",
    has=["email", "officer"],
    alone=True,
    where=lambda r: r["officer"] != OFFICER_COLLAR,
)


@dataclass
class ServedApp:
    base_url: str
    fake: FakeSlack
    settings: Settings
    engine: Engine
    web: FastAPI
    loop: asyncio.AbstractEventLoop
    pipeline: Pipeline

    def post_slack(
        self, body: str, content_type: str, *, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        sent = {"Content-Type": content_type}
        sent.update(signed_headers(SECRET, body) if headers is None else headers)
        return httpx.post(f"{self.base_url}/slack/events", content=body, headers=sent, timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(web: FastAPI) -> Iterator[tuple[str, asyncio.AbstractEventLoop]]:
    """Serve `web` with uvicorn on loopback until the block ends."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    loop = asyncio.new_event_loop()
    thread = threading.Thread(
        target=lambda: loop.run_until_complete(server.serve()), name="uvicorn", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", loop
    finally:
        server.should_exit = True
        thread.join(20)
        loop.close()


def chat_settings(tmp_path: Path, fake: FakeSlack, **more: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "slack_mode": "http",
        "slack_bot_token": "xoxb-test-token",
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.url,
        "slack_officers": (f"{OFFICER}={OFFICER_COLLAR}", "SOFFICERS"),
        "slack_clerks": (CLERK, OTHER_CLERK),
        "slack_clerk_channel": CLERK_CHANNEL,
        "mail_from": "tickets@force.example",
    }
    values.update(more)
    return Settings(**values)


def assembled(settings: Settings, engine: Engine, **more: Any) -> Runtime:
    """The service over `engine` as `enquiry-desk run` assembles it, its clock fixed at
    `NOW`; the test serves its `web`."""
    return assemble(settings, engine, clock=lambda: NOW, **more)


@pytest.fixture
def served(engine: Engine, sample_records: Path, tmp_path: Path) -> Iterator[ServedApp]:
    """The app with Slack in HTTP mode over the sample records, and the fake Slack API."""
    import_file(engine, sample_records)
    with running_fake_slack() as fake:
        fake.group_members["SOFFICERS"] = [GROUP_OFFICER]
        settings = chat_settings(tmp_path, fake)
        runtime = assembled(settings, engine)
        with serving(runtime.web) as (url, loop):
            yield ServedApp(url, fake, settings, engine, runtime.web, loop, runtime.pipeline)
