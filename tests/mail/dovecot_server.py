"""A throwaway Dovecot IMAP server for tests: Debian's `dovecot-imapd`, unprivileged.

It runs from a temporary config on 127.0.0.1 with a static password for every user (so
each test logs in as a user of its own and gets an empty mailbox), plain IMAP on one
port and implicit TLS on another with a certificate from `trustme`. As root it runs as
Debian's `dovecot` account (created by the package); otherwise as the current user.
Stopping and starting again keeps the mail, as a real server restart does.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import trustme

DOVECOT = "/usr/sbin/dovecot"
SERVICE_ACCOUNT = "dovecot"
PASSWORD = "imap-test-password"
HOST = "127.0.0.1"


def skip_reason() -> str | None:
    """Why a Dovecot server cannot be started here, or None."""
    if not os.access(DOVECOT, os.X_OK):
        return "Dovecot not installed: apt-get install dovecot-imapd (or bash .ci/install-parts)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVICE_ACCOUNT)
        except KeyError:
            return f"running as root but the {SERVICE_ACCOUNT!r} account is missing"
        if shutil.which("runuser") is None:
            return "running as root but runuser (util-linux) is missing"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class DovecotServer:
    """One Dovecot instance in a short temporary folder (socket paths must stay short)."""

    def __init__(self, ca: trustme.CA) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="dv", dir="/tmp"))
        self.port = free_port()
        self.tls_port = free_port()
        self.ca = ca
        self._process: subprocess.Popen[bytes] | None = None
        if os.geteuid() == 0:
            account = pwd.getpwnam(SERVICE_ACCOUNT)
            self.user_name, self.uid, self.gid = SERVICE_ACCOUNT, account.pw_uid, account.pw_gid
        else:
            account = pwd.getpwuid(os.getuid())
            self.user_name, self.uid, self.gid = account.pw_name, os.getuid(), os.getgid()
        self._write_config()

    @property
    def log_file(self) -> Path:
        return self.root / "dovecot.log"

    def _write_config(self) -> None:
        for sub in ("base", "state", "mail"):
            (self.root / sub).mkdir()
        certificate = self.ca.issue_cert(HOST, "localhost")
        certificate.cert_chain_pems[0].write_to_path(str(self.root / "cert.pem"))
        for blob in certificate.cert_chain_pems[1:]:
            blob.write_to_path(str(self.root / "cert.pem"), append=True)
        certificate.private_key_pem.write_to_path(str(self.root / "key.pem"))
        group = _group_name(self.gid)
        (self.root / "dovecot.conf").write_text(
            f"""
base_dir = {self.root}/base
state_dir = {self.root}/state
log_path = {self.log_file}
info_log_path = {self.log_file}
protocols = imap
listen = {HOST}
ssl = yes
ssl_cert = <{self.root}/cert.pem
ssl_key = <{self.root}/key.pem
disable_plaintext_auth = no
auth_failure_delay = 0
# A throwaway server: no fsync per message (appending thousands for the bench).
mail_fsync = never
default_internal_user = {self.user_name}
default_login_user = {self.user_name}
default_internal_group = {group}
first_valid_uid = {self.uid}
mail_location = maildir:{self.root}/mail/%u
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={self.uid} gid={self.gid} home={self.root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {HOST}
    port = {self.port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {self.tls_port}
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
"""
        )
        for path in [self.root, *self.root.rglob("*")]:
            os.chown(path, self.uid, self.gid)

    def start(self) -> None:
        command = [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVICE_ACCOUNT, "--", *command]
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"dovecot exited at start: {self._diagnostics()}")
            if _accepts(self.port) and _accepts(self.tls_port):
                return
            time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start within 30 s: {self._diagnostics()}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
        # The master is gone once its port is closed; wait so a restart can bind again.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and (_accepts(self.port) or _accepts(self.tls_port)):
            time.sleep(0.05)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def _diagnostics(self) -> str:
        text = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
        if self._process is not None and self._process.stderr is not None:
            with contextlib.suppress(Exception):
                if self._process.poll() is not None:
                    text += self._process.stderr.read().decode(errors="replace")
        return text[-3000:]


def _accepts(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


def _group_name(gid: int) -> str:
    return grp.getgrgid(gid).gr_name


@contextlib.contextmanager
def running_dovecot(ca: trustme.CA) -> Iterator[DovecotServer]:
    server = DovecotServer(ca)
    try:
        server.start()
        yield server
    finally:
        server.remove()
