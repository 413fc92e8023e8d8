"""A Bot Connector service on loopback that records every activity the bot sends."""

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


@dataclass(frozen=True)
class Sent:
    method: str  # POST (send or reply) or PUT (update)
    path: str
    activity: dict[str, Any]


@dataclass
class FakeConnector:
    url: str = ""
    sent: list[Sent] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def record(self, method: str, path: str, activity: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            self.sent.append(Sent(method, path, activity))
            self._changed.notify_all()
        return {"id": f"sent-{next(self._ids)}"}

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[Sent]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.sent) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} activities, got {len(self.sent)}")
                self._changed.wait(left)
            return list(self.sent)


@contextmanager
def running_fake_connector() -> Iterator[FakeConnector]:
    fake = FakeConnector()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            activity = json.loads(self.rfile.read(length) or b"{}")
            body = json.dumps(fake.record(self.command, self.path, activity)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_PUT = _answer  # noqa: N815 - http.server's hook names

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, name="fake-teams", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
