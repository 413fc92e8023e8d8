"""The web server answers health checks and shows what the database holds; the service
is assembled with its collaborators given at construction."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from bot.assemble import assemble, assemble_once
from bot.runtime import OutboxBell
from bot.service import create_app
from bot.settings import Settings
from storage.engine import make_engine
from storage.records_import import import_file


def test_health_and_status_page(engine: Engine, sample_records: Path) -> None:
    """`/healthz` is ok with a database; the status page counts the imported records."""
    import_file(engine, sample_records)
    client = TestClient(create_app(engine))
    assert client.get("/healthz").json() == {"status": "ok", "database": "up"}
    page = client.get("/")
    assert page.status_code == 200
    assert "2,000 records" in page.text
    assert "cofp" in page.text


def test_health_reports_a_lost_database() -> None:
    """With the database unreachable, `/healthz` says so with status 503."""
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
    response = TestClient(create_app(engine)).get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def _slack(tmp_path: Path, **more: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "slack_mode": "http",
        "slack_bot_token": "xoxb-test-token",
        "slack_signing_secret": "8f742231b10e8888abcd99yyyzzz85a5",
        "slack_officers": ("UOFFICER1=8656",),
        "slack_clerks": ("UCLERK01",),
    }
    values.update(more)
    return Settings(**values)


def test_metrics_need_the_token_or_this_machine(engine: Engine, tmp_path: Path) -> None:
    """/metrics says how many enquiries were matched and verified: with a token set only
    a request bearing it is answered; without one, only a client on this machine."""
    guarded = assemble(Settings(data_dir=tmp_path, metrics_token="scrape-me"), engine).web
    with TestClient(guarded, client=("127.0.0.1", 5000)) as client:
        assert client.get("/metrics").status_code == 401
        wrong = {"Authorization": "Bearer guess"}
        assert client.get("/metrics", headers=wrong).status_code == 401
    open_app = assemble(Settings(data_dir=tmp_path), engine).web
    with TestClient(open_app, client=("10.0.0.9", 5000)) as client:
        assert client.get("/metrics").status_code == 403
    with TestClient(open_app, client=("127.0.0.1", 5000)) as client:
        assert "enquiry_desk_database_up" in client.get("/metrics").text


def test_assembled_service_serves_desk_health_and_metrics(engine: Engine, tmp_path: Path) -> None:
    """The assembled web app is the desk (`/` leads to the queue), `/healthz` and
    `/metrics`; with no chat configured nothing listens for new drafts."""
    runtime = assemble(Settings(data_dir=tmp_path, metrics_token="scrape-me"), engine)
    with TestClient(runtime.web, follow_redirects=False) as client:
        assert client.get("/healthz").json() == {"status": "ok", "database": "up"}
        assert client.get("/").headers["location"] == "/queue"
        bearer = {"Authorization": "Bearer scrape-me"}
        assert "enquiry_desk_database_up 1.0" in client.get("/metrics", headers=bearer).text
        assert client.post("/slack/events").status_code == 404
    assert runtime.pipeline.on_draft == ()
    assert runtime.notify_officer is None


def test_pipeline_is_built_with_the_clerks_channel_queue(engine: Engine, tmp_path: Path) -> None:
    """With a Slack clerks' channel the pipeline is made with that channel's draft queue
    (and only then), and the status watcher can tell officers."""
    with_channel = assemble(_slack(tmp_path, slack_clerk_channel="CCLERKS1"), engine)
    assert len(with_channel.pipeline.on_draft) == 1
    assert with_channel.notify_officer is not None
    without = assemble(_slack(tmp_path), engine)
    assert without.pipeline.on_draft == ()


def test_run_once_assembles_no_chat(engine: Engine, tmp_path: Path) -> None:
    """`run --once` serves nothing, so its pipeline tells no chat of new drafts and its
    status pass tells no officer, whatever chat the settings configure."""
    runtime = assemble_once(_slack(tmp_path, slack_clerk_channel="CCLERKS1"), engine)
    assert runtime.pipeline.on_draft == ()
    assert runtime.notify_officer is None


async def test_outbox_bell_wakes_the_outbox_only_once_listening() -> None:
    """A desk approval before the runtime serves is dropped (the outbox's first pass comes
    anyway); once it listens, a ring from another thread sets the outbox's event."""
    bell = OutboxBell()
    bell.ring()
    rung = bell.listen()
    assert not rung.is_set()
    await asyncio.to_thread(bell.ring)
    await asyncio.wait_for(rung.wait(), timeout=5)
