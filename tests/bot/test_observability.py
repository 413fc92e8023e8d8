"""Metrics from the database and logs that carry ids, never personal data."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from bot.log_format import JsonLines
from bot.metrics import Metrics
from bot.pipeline import Pipeline
from lookup.enquiry import Enquiry
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage.records_import import import_file
from tests.conftest import DATA
from tests.sample import answerable_email

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def _format(record: logging.LogRecord) -> dict[str, object]:
    return json.loads(JsonLines().format(record))  # type: ignore[no-any-return]


def test_log_lines_keep_ids_and_drop_everything_else() -> None:
    """Allowed extras (ids, counts) are written; a sender address or body passed by
    mistake is not, nor are message arguments."""
    record = logging.LogRecord(
        "bot.pipeline", logging.INFO, __file__, 1, "draft created for %s", ("ann@x.org",), None
    )
    record.__dict__.update(
        {"draft_id": 7, "contact_id": 3, "sender": "ann@x.org", "text": "my dob is 1/2/80"}
    )
    entry = _format(record)
    assert entry["event"] == "draft created for %s"
    assert entry["draft_id"] == 7
    assert entry["contact_id"] == 3
    assert "ann@x.org" not in json.dumps(entry)
    assert "1/2/80" not in json.dumps(entry)


def test_exceptions_are_logged_by_type_and_place_not_text() -> None:
    """An exception's message (which may quote an address) is left out of the log line."""
    try:
        raise ValueError("recipient refused: <ann@x.org>")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "mail", logging.ERROR, __file__, 1, "send failed", (), sys.exc_info()
        )
    entry = _format(record)
    assert entry["error"] == "ValueError"
    assert str(entry["where"]).startswith("test_observability.py:")
    assert "ann@x.org" not in json.dumps(entry)


def test_metrics_count_what_the_database_holds(engine: Engine) -> None:
    """After three enquiries (one flagged), /metrics reports them by channel, matched,
    verified, flagged and drafts waiting."""
    import_file(engine, DATA / "records.csv")
    pipeline = Pipeline(
        engine=engine, templates=TemplateStore([PACKAGE_TEMPLATES]), clock=lambda: NOW
    )
    item = answerable_email()
    pipeline.handle(Enquiry("email", "<1@x>", item["sender"], NOW, item["text"]))
    pipeline.handle(Enquiry("email", "<2@x>", "who@x.org", NOW, "Where is my case?"))
    pipeline.handle(Enquiry("email", "<3@x>", "daemon@x.org", NOW, "bounce", flag="bounce"))
    web = FastAPI()
    Metrics(engine).mount(web)
    text = TestClient(web).get("/metrics").text
    lines = {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line and not line.startswith("#")
    }
    assert lines['enquiry_desk_enquiries_total{channel="email"}'] == 3
    assert lines["enquiry_desk_enquiries_matched_total"] == 1
    assert lines["enquiry_desk_replies_verified_total"] == 1
    assert lines["enquiry_desk_enquiries_flagged_total"] == 1
    assert lines["enquiry_desk_drafts_waiting"] == 2
    assert lines["enquiry_desk_database_up"] == 1
    assert "enquiry_desk_loop_lag_seconds" in lines


def test_logging_follows_the_current_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    """The handler writes to the stderr of the moment, not to a stream swapped out and
    closed since it was configured (as test harnesses do)."""
    import io
    import sys

    from bot.log_format import configure_logging

    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    try:
        configure_logging()
        first.close()
        second = io.StringIO()
        monkeypatch.setattr(sys, "stderr", second)
        logging.getLogger("bot.test").info("still logging", extra={"draft_id": 5})
        assert json.loads(second.getvalue())["draft_id"] == 5
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
