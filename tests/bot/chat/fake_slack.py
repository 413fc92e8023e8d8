"""A Slack Web API on loopback that records every call, for tests and the bench.

Answers the methods the app uses (`auth.test`, `chat.postMessage`, `chat.update`,
`chat.postEphemeral`, `views.open`, `usergroups.users.list`) the way Slack does, in a
thread of its own, so it serves whatever event loop the app under test runs on.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_USER = "UBOT0001"


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    at: float  # time.perf_counter() when it arrived


@dataclass
class FakeSlack:
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    group_members: dict[str, list[str]] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)  # methods answered with ok=false
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def record(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            self.calls.append(Call(method, params, time.perf_counter()))
            self._changed.notify_all()
        if method in self.failing:
            return {"ok": False, "error": "channel_not_found"}
        ts = f"1700000000.{next(self._ts):06d}"
        channel = params.get("channel", "C0")
        answers: dict[str, dict[str, Any]] = {
            "auth.test": {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": "T1"},
            "chat.postMessage": {"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts}},
            "chat.update": {"ok": True, "channel": channel, "ts": params.get("ts")},
            "chat.postEphemeral": {"ok": True, "message_ts": ts},
            "views.open": {"ok": True, "view": {"id": "V1"}},
            "usergroups.users.list": {
                "ok": True,
                "users": self.group_members.get(str(params.get("usergroup")), []),
            },
        }
        return answers.get(method, {"ok": False, "error": "unknown_method"})

    def of(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """The calls of `method` once there are `count` of them; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"expected {count} {method}, saw {seen}")
                self._changed.wait(left)


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            if "json" in (self.headers.get("Content-Type") or ""):
                params = json.loads(raw or "{}")
            else:
                params = dict(parse_qsl(raw))
                for key in ("blocks", "view"):
                    if isinstance(params.get(key), str):
                        params[key] = json.loads(params[key])
            path, _, query = self.path.partition("?")
            params.update(parse_qsl(query))
            method = path.rstrip("/").rsplit("/", 1)[-1]
            body = json.dumps(fake.record(method, params)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # the SDK reads some methods with GET and a query string
            self.do_POST()

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def running_fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    thread = threading.Thread(target=server.serve_forever, name="fake-slack", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
