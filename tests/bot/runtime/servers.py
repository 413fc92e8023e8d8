"""Test servers the runtime tests stop and start: aiosmtpd and a PostgreSQL cluster.

The SMTP server keeps one recording handler across restarts (aiosmtpd's controller
cannot be started twice, so each start makes a new one on the same port), so what it
received before and after an outage is counted together. PostgreSQL is stopped and
started again on the same port and data with `pg_ctl`, as an operator would.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.mail.dovecot_server import HOST, free_port
from tests.mail.smtp_server import SMTP_PASSWORD, SMTP_USER, RecordingHandler
from tests.postgres_server import (
    PostgresServer,
    _Cluster,
    _server_options,
    find_postgres_bin,
)


def _authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    good = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == SMTP_USER.encode()
        and auth_data.password == SMTP_PASSWORD.encode()
    )
    # handled=False lets aiosmtpd answer 535 on a bad login instead of nothing.
    return AuthResult(success=True) if good else AuthResult(success=False, handled=False)


class RestartableSmtp:
    """aiosmtpd on 127.0.0.1 with STARTTLS (trustme) and AUTH, stoppable and restartable."""

    def __init__(self, ca: trustme.CA) -> None:
        self.port = free_port()
        self.handler = RecordingHandler()
        self._server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(HOST, "localhost").configure_cert(self._server_context)
        self.client_context = ssl.create_default_context()
        ca.configure_trust(self.client_context)
        self._controller: Controller | None = None

    def start(self) -> None:
        controller = Controller(
            self.handler,
            hostname=HOST,
            port=self.port,
            authenticator=_authenticator,
            auth_required=True,
            auth_require_tls=True,
            server_hostname="localhost",
            tls_context=self._server_context,
            require_starttls=True,
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def copies(self) -> Counter[str]:
        """How many copies of each Message-ID the server accepted."""
        return Counter(str(message["Message-ID"]).strip() for message in self.handler.received)


def accepts(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


class PostgresControl:
    """Stop and start a cluster made by `tests.postgres_server.running_postgres`."""

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        bin_dir = find_postgres_bin()
        assert bin_dir is not None
        # running_postgres keeps its sockets and live log in one private folder.
        self._run_dir = server.log_file.parent
        self._cluster = _Cluster(bin_dir, self._run_dir)

    def stop(self) -> None:
        """A fast shutdown: every client is disconnected at once."""
        self._cluster.run(
            [
                self._cluster.tool("pg_ctl"),
                *("-D", str(self.server.data_dir), "-m", "fast", "-w", "-t", "60", "stop"),
            ]
        )
        deadline = time.monotonic() + 15
        while accepts(self.server.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def start(self) -> None:
        self._cluster.run(
            [
                self._cluster.tool("pg_ctl"),
                *("-D", str(self.server.data_dir), "-w", "-t", "60"),
                *("-l", str(self.server.log_file)),
                *("-o", _server_options(self.server.port, self._run_dir)),
                "start",
            ]
        )


@contextlib.contextmanager
def running_restartable_smtp(ca: trustme.CA) -> Iterator[RestartableSmtp]:
    server = RestartableSmtp(ca)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def write_ca(ca: trustme.CA, folder: Path) -> Path:
    """The CA certificate as a PEM file, for SSL_CERT_FILE in worker processes."""
    path = folder / "test-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path
