"""`enquiry-desk run` as a separate process, as an operator starts it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.bot.runtime.office import MAIL_FROM
from tests.mail.dovecot_server import HOST, PASSWORD, free_port
from tests.mail.smtp_server import SMTP_PASSWORD, SMTP_USER

ENQUIRY_DESK = str(Path(sys.executable).with_name("enquiry-desk"))


def worker_env(
    *,
    data_dir: Path,
    imap_port: int,
    imap_user: str,
    smtp_port: int,
    ca_file: Path,
    database_url: str | None = None,
    imap_security: str = "none",
) -> dict[str, str]:
    """Settings for a worker reading `imap_user`'s mailbox and sending through the test SMTP."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENQUIRY_DESK_")}
    env.update(
        {
            "ENQUIRY_DESK_DATA_DIR": str(data_dir),
            "ENQUIRY_DESK_IMAP_HOST": HOST,
            "ENQUIRY_DESK_IMAP_PORT": str(imap_port),
            "ENQUIRY_DESK_IMAP_USER": imap_user,
            "ENQUIRY_DESK_IMAP_PASSWORD": PASSWORD,
            "ENQUIRY_DESK_IMAP_SECURITY": imap_security,
            "ENQUIRY_DESK_SMTP_HOST": HOST,
            "ENQUIRY_DESK_SMTP_PORT": str(smtp_port),
            "ENQUIRY_DESK_SMTP_USER": SMTP_USER,
            "ENQUIRY_DESK_SMTP_PASSWORD": SMTP_PASSWORD,
            "ENQUIRY_DESK_SMTP_SECURITY": "starttls",
            "ENQUIRY_DESK_MAIL_FROM": MAIL_FROM,
            # The workers trust the test CA (OpenSSL reads this for the default context).
            "SSL_CERT_FILE": str(ca_file),
        }
    )
    if database_url is not None:
        env["ENQUIRY_DESK_DATABASE_URL"] = database_url
    return env


def enquiry_desk(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run one command to the end; its output, or AssertionError with its errors."""
    done = subprocess.run(
        [ENQUIRY_DESK, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"enquiry-desk {' '.join(args)}: {done.stderr[-3000:]}"
    return done.stdout


@dataclass
class Worker:
    """One `enquiry-desk run` process, its log in a file."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{self.port}/healthz", timeout=2) as answer:
                return bool(answer.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.healthy():
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited ({self.process.returncode}): {self.tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"worker not up within {timeout:.0f} s: {self.tail()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def terminate(self, timeout: float = 30) -> tuple[int, float]:
        """SIGTERM; the exit code and how many seconds the worker took to stop."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
            raise AssertionError(
                f"worker ignored SIGTERM for {timeout:.0f} s: {self.tail()}"
            ) from None
        return code, time.monotonic() - started

    def stop_quietly(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


def start_worker(env: dict[str, str], log: Path) -> Worker:
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [ENQUIRY_DESK, "run"],
            env=env | {"ENQUIRY_DESK_HTTP_PORT": str(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Worker(process, port, log)
