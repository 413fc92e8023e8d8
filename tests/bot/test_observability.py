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


def test_numeric_arguments_keep_their_ids_and_text_ones_are_withheld() -> None:
    """ "outbox 12 sent (attempt 2)" keeps its numbers; a text argument is never filled in."""
    numbers = logging.LogRecord(
        "mail.outbox_sender",
        logging.INFO,
        __file__,
        1,
        "outbox %d sent (attempt %d)",
        (12, 2),
        None,
    )
    assert _format(numbers)["event"] == "outbox 12 sent (attempt 2)"
    assert "withheld_args" not in _format(numbers)
    code = logging.LogRecord(
        "mail.outbox_sender",
        logging.WARNING,
        __file__,
        1,
        "outbox %d: refused (code %s)",
        (3, None),
        None,
    )
    assert _format(code)["event"] == "outbox 3: refused (code None)"
    text = logging.LogRecord(
        "mail.imap_source",
        logging.ERROR,
        __file__,
        1,
        "%s; again in %.0f s",
        ("NO [AUTH] ann@x.org", 5.0),
        None,
    )
    entry = _format(text)
    assert entry["event"] == "%s; again in %.0f s"
    assert entry["withheld_args"] == 2
    assert "ann@x.org" not in json.dumps(entry)


def test_slacks_own_signature_log_is_withheld(caplog: pytest.LogCaptureFixture) -> None:
    """Bolt's request verification logs the whole body of a request whose signature fails
    (at info level, in its message text): formatted as the service writes it, none of it
    is left."""
    from slack_bolt.middleware.request_verification import RequestVerification

    caplog.set_level(logging.DEBUG)
    body = '{"event": {"text": "check Thornbury-Quist dob 14/03/1961 NN1 5AB"}}'
    RequestVerification("secret")._debug_log_error("v0=00", "1700000000", body)
    assert any("Thornbury" in r.getMessage() for r in caplog.records)  # Bolt did log it
    written = "\n".join(JsonLines().format(r) for r in caplog.records)
    assert "Thornbury" not in written
    assert "1961" not in written


def test_library_messages_are_withheld() -> None:
    """Slack's own logger writes the request body into the message itself: no library's
    message text reaches the log, only its logger and level."""
    body = '{"event": {"text": "check Lindsey Miles dob 10/04/1955 NN1 5AB"}}'
    for name in ("slack_bolt.App", "uvicorn.access", "microsoft_agents.hosting"):
        record = logging.LogRecord(
            name, logging.WARNING, __file__, 1, f"Invalid signature: {body}", (), None
        )
        entry = _format(record)
        assert entry["logger"] == name
        assert entry["level"] == "warning"
        assert "Miles" not in json.dumps(entry)
        assert "1955" not in json.dumps(entry)


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
    text = TestClient(web, client=("127.0.0.1", 5000)).get("/metrics").text
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
