"""Structured logs: one JSON object per line, ids and counts only.

Log calls in this project pass a fixed message and `extra={...}` of ids, counts and
states. The formatter writes only those extra fields whose names are on the allowed list
below, so a name, an address or a message body passed by mistake never reaches the log.
A message's `%` arguments are filled in only when every one is a number (an id, a count,
seconds): "outbox 12 sent (attempt 2)" keeps its id, while a text argument (which could
be an address or a server's reply quoting one) leaves the message unfilled and counted.

Libraries' messages are not written at all, only their logger, level and exception
type: Slack's own logger puts the whole request body (an officer's question with a name
and date of birth) into its message text, and access logs carry query strings (a
clerk's search). Exceptions are written as their type and where they were raised,
without their text, which for mail and database errors can quote an address or a value.
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


# The loggers whose messages are ours: fixed texts written in this project.
OWN_LOGGERS = frozenset({"bot", "mail", "storage", "lookup", "responses", "__main__"})
# What stands for a library's message.
WITHHELD = "library message (text withheld)"


def _event(record: logging.LogRecord) -> tuple[str, int]:
    """The event text and how many arguments were left out of it."""
    if record.name.split(".", 1)[0] not in OWN_LOGGERS:
        return WITHHELD, 0
    if not isinstance(record.msg, str):
        return type(record.msg).__name__, 0
    args = record.args if isinstance(record.args, tuple) else ()
    if args and all(
        a is None or (isinstance(a, int | float) and not isinstance(a, bool)) for a in args
    ):
        try:
            return record.msg % args, 0
        except (TypeError, ValueError):
            return record.msg, len(args)
    return record.msg, len(args)


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event, withheld = _event(record)
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": event,
        }
        if withheld:
            entry["withheld_args"] = withheld
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
