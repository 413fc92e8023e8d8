"""Structured logs: one JSON object per line, ids and counts only.

Log calls in this project pass a fixed message and `extra={...}` of ids, counts and
states. The formatter writes only those extra fields whose names are on the allowed list
below, so a name, an address or a message body passed by mistake never reaches the log.
Exceptions are written as their type and where they were raised, without their text,
which for mail and database errors can quote an address or a value.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

ALLOWED = frozenset(
    {
        "contact_id",
        "draft_id",
        "record_id",
        "outbox_id",
        "event_id",
        "uid",
        "uidvalidity",
        "channel",
        "new",
        "verified",
        "matched",
        "changes",
        "drafts",
        "count",
        "counts",
        "attempt",
        "state",
        "code",
        "folder",
        "worker",
        "seconds",
        "flag",
        "status",
    }
)


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.msg if isinstance(record.msg, str) else type(record.msg).__name__,
        }
        for key, value in record.__dict__.items():
            if key in ALLOWED:
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            entry["error"] = kind.__name__
            while trace is not None and trace.tb_next is not None:
                trace = trace.tb_next
            if trace is not None:
                code = trace.tb_frame.f_code
                entry["where"] = f"{code.co_filename.rsplit('/', 1)[-1]}:{trace.tb_lineno}"
        return json.dumps(entry, ensure_ascii=False)


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time: a test harness that swaps and
    closes its captured stream must not leave the handler writing to a closed file."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(level: int = logging.INFO) -> None:
    handler = _CurrentStderr(sys.stderr)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
