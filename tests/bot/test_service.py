"""The web server answers health checks and shows what the database holds."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from bot.service import create_app
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
