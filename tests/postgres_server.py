"""Start a throwaway, real PostgreSQL server for the test session.

Uses the binaries from Debian's ``postgresql`` package
(``/usr/lib/postgresql/<version>/bin``).  The cluster is created with
``initdb`` in a fresh directory, trusts every local connection, listens only
on 127.0.0.1 on a free port, and trades durability for speed (fsync off):
it exists only for the duration of a test session and is deleted afterwards.

Typical use (e.g. from a session fixture in ``conftest.py``)::

    reason = skip_or_fail_reason()
    if reason is not None and os.environ.get("CI"):
        pytest.fail(reason)  # CI images must have PostgreSQL
    if reason is not None:
        pytest.skip(reason)
    with running_postgres(tmp_path_factory.mktemp("pg")) as server:
        url = server.create_database("enquiry_desk_test")
        ...
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql

__all__ = [
    "PostgresServer",
    "find_postgres_bin",
    "running_postgres",
    "skip_or_fail_reason",
]

DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")
REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres")
# postgres refuses to run as root; Debian's package creates this account.
SERVICE_ACCOUNT = "postgres"
# Database superuser created by initdb (independent of the OS account).
SUPERUSER = "postgres"
HOST = "127.0.0.1"
LOG_TAIL_LINES = 40
START_TIMEOUT_S = 60
CONNECT_TIMEOUT_S = 30.0
# Picking a port by binding to port 0 and releasing it is racy; if another
# process grabs the port before postgres binds it, simply try a new one.
START_ATTEMPTS = 3
_BIND_ERROR = re.compile(r"could not bind|Address already in use|could not create any TCP/IP")


def find_postgres_bin() -> Path | None:
    """Return the ``bin`` directory of the newest installed PostgreSQL, or None."""
    candidates: list[tuple[tuple[int, ...], Path]] = []
    if not DEBIAN_PG_ROOT.is_dir():
        return None
    for version_dir in DEBIAN_PG_ROOT.iterdir():
        try:
            # Sort numerically: "9.6" < "10" < "15", which string order gets wrong.
            version = tuple(int(part) for part in version_dir.name.split("."))
        except ValueError:
            continue
        bin_dir = version_dir / "bin"
        # Client-only installs (postgresql-client) have a bin dir without a server.
        if all(os.access(bin_dir / name, os.X_OK) for name in REQUIRED_BINARIES):
            candidates.append((version, bin_dir))
    if not candidates:
        return None
    return max(candidates)[1]


def _running_as_root() -> bool:
    return os.geteuid() == 0


def skip_or_fail_reason() -> str | None:
    """Return why a PostgreSQL test server cannot be started here, or None if it can."""
    if find_postgres_bin() is None:
        return "PostgreSQL server not installed: apt-get install postgresql"
    if _running_as_root():
        try:
            pwd.getpwnam(SERVICE_ACCOUNT)
        except KeyError:
            return (
                f"running as root but the {SERVICE_ACCOUNT!r} account is missing "
                "(it is created by: apt-get install postgresql)"
            )
        if shutil.which("runuser") is None:
            return "running as root but runuser (util-linux) is missing to drop privileges"
    return None


@dataclass(frozen=True)
class PostgresServer:
    """Connection details of a running throwaway server (trust auth, no password)."""

    host: str
    port: int
    user: str
    data_dir: Path
    log_file: Path

    @property
    def admin_url(self) -> str:
        """SQLAlchemy URL of the always-present ``postgres`` maintenance database."""
        return self.url_for("postgres")

    def url_for(self, dbname: str) -> str:
        """SQLAlchemy URL (psycopg 3 driver) for database ``dbname`` on this server."""
        return (
            f"postgresql+psycopg://{quote(self.user, safe='')}@{self.host}:{self.port}/"
            f"{quote(dbname, safe='')}"
        )

    def connect_admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """Open an autocommit psycopg connection to the ``postgres`` database."""
        # Autocommit: CREATE/DROP DATABASE cannot run inside a transaction block.
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        )

    def create_database(self, name: str) -> str:
        """Create database ``name`` and return its SQLAlchemy URL."""
        with self.connect_admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name`` if it exists, disconnecting any leftover sessions."""
        with self.connect_admin() as conn:
            # FORCE (PostgreSQL 13+) stops a forgotten pooled connection from
            # making teardown fail with "database is being accessed by other users".
            force = sql.SQL(" WITH (FORCE)") if conn.info.server_version >= 130000 else sql.SQL("")
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}{}").format(sql.Identifier(name), force)
            )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _child_env() -> dict[str, str]:
    # Stray PG* variables from the developer's shell (PGDATA, PGOPTIONS, PGPORT...)
    # must not leak into the server we start; every setting is passed explicitly.
    return {key: value for key, value in os.environ.items() if not key.startswith("PG")}


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(server log {path} unreadable: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"


class _Cluster:
    """Runs the PostgreSQL tools, as ``postgres`` when we are root."""

    def __init__(self, bin_dir: Path, work_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.work_dir = work_dir
        self.as_root = _running_as_root()
        if self.as_root:
            account = pwd.getpwnam(SERVICE_ACCOUNT)
            self.uid, self.gid = account.pw_uid, account.pw_gid
        else:
            self.uid, self.gid = os.getuid(), os.getgid()

    def give(self, path: Path) -> None:
        """Hand ``path`` to the account the server runs as."""
        if self.as_root:
            os.chown(path, self.uid, self.gid)

    def can_hold_data_in(self, directory: Path) -> bool:
        """Whether a data directory created (and handed over) in ``directory`` is reachable."""
        if not self.as_root:
            return os.access(directory, os.W_OK | os.X_OK)
        # As root we create the data dir ourselves and chown it, so the server
        # account only needs to traverse the path.  A caller's tmp dir is often
        # under a 0700 root-owned parent (pytest's /tmp/pytest-of-root), which it
        # cannot; asking the OS as that account also honours ACLs.
        probe = self.run(["test", "-x", str(directory)], check=False)
        return probe.returncode == 0

    def run(
        self, args: Sequence[str], *, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", SERVICE_ACCOUNT, "--", *command]
        result = subprocess.run(
            command,
            # A cwd the postgres account can read avoids "could not change
            # directory" warnings when the caller's cwd is private to root.
            cwd=self.work_dir,
            env=_child_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed with exit code {result.returncode}:\n"
                f"{result.stdout}{result.stderr}"
            )
        return result

    def tool(self, name: str) -> str:
        return str(self.bin_dir / name)


def _initdb(cluster: _Cluster, data_dir: Path) -> None:
    common = [
        cluster.tool("initdb"),
        "--pgdata",
        str(data_dir),
        "--auth=trust",
        f"--username={SUPERUSER}",
        "--encoding=UTF8",
        # Throwaway cluster: skipping the final fsync saves about a second.
        "--no-sync",
    ]
    result = cluster.run([*common, "--locale=C.UTF-8"], check=False)
    if result.returncode == 0:
        return
    output = result.stdout + result.stderr
    if "locale" not in output.lower():
        raise RuntimeError(f"initdb failed (exit code {result.returncode}):\n{output}")
    # Minimal images may lack the C.UTF-8 locale; the plain C locale with UTF8
    # encoding behaves the same for tests.  initdb may leave files behind.
    _empty_directory(data_dir)
    cluster.run([*common, "--no-locale"])


def _empty_directory(directory: Path) -> None:
    for child in directory.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _server_options(port: int, socket_dir: Path) -> str:
    # Durability settings are off because the data is discarded after the run.
    # pg_ctl hands this string to a shell, so only space-free values are used
    # (socket_dir comes from mkdtemp under /tmp).
    return " ".join(
        [
            f"-c listen_addresses={HOST}",
            f"-c port={port}",
            f"-c unix_socket_directories={socket_dir}",
            "-c fsync=off",
            "-c full_page_writes=off",
            "-c synchronous_commit=off",
            "-c max_connections=100",
        ]
    )


def _wait_for_connection(server: PostgresServer, deadline: float, kept_log: Path) -> None:
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with server.connect_admin() as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError as exc:
            last_error = exc
            time.sleep(0.1)
    raise RuntimeError(
        f"PostgreSQL on port {server.port} accepted no connection within "
        f"{CONNECT_TIMEOUT_S:.0f}s: {last_error}\n"
        f"--- last {LOG_TAIL_LINES} lines of the server log (kept as {kept_log}) ---\n"
        f"{_tail(server.log_file)}"
    )


def _postmaster_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    """Whether ``pid`` is still running (a zombie awaiting its reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        # No procfs: fall back to probing with signal 0.
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    # pg_ctl daemonises the postmaster, so its parent is init; after exit it
    # lingers as a zombie until init reaps it, which we cannot hurry.
    return stat.rpartition(")")[2].split()[0] != "Z"


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def _stop(cluster: _Cluster, data_dir: Path) -> None:
    """Stop the server in ``data_dir`` if one is running; never leave it behind."""
    pid = _postmaster_pid(data_dir)
    if pid is None:
        return
    cluster.run(
        [cluster.tool("pg_ctl"), "-D", str(data_dir), "-m", "immediate", "-w", "-t", "30", "stop"],
        check=False,
        timeout=60,
    )
    # pg_ctl returns once the pid file is gone, a moment before the postmaster
    # has actually exited; wait so callers (and pgrep in CI) see no server.
    if _wait_gone(pid, 10):
        return
    # pg_ctl could not stop it (e.g. a half-started server): signal the
    # postmaster directly.  SIGQUIT is what "-m immediate" sends; the postmaster
    # then takes its children down with it.
    for sig in (signal.SIGQUIT, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        if _wait_gone(pid, 10):
            return


@contextlib.contextmanager
def running_postgres(base_dir: Path) -> Iterator[PostgresServer]:
    """Start a fresh PostgreSQL server under ``base_dir``; stop and delete it on exit.

    Raises RuntimeError (including the tail of the server log) if it cannot start.
    The live log is ``server.log_file``; a copy is kept as ``base_dir/postgres.log``
    after the server stops, for inspection (e.g. as a CI artifact).
    """
    reason = skip_or_fail_reason()
    if reason is not None:
        raise RuntimeError(reason)
    bin_dir = find_postgres_bin()
    assert bin_dir is not None  # checked by skip_or_fail_reason()
    base_dir = Path(base_dir).resolve()
    base_dir.mkdir(parents=True, exist_ok=True)

    # Unix socket paths are limited to ~107 bytes, and base_dir may be long
    # (pytest's tmp paths are), so sockets live in a short dir under /tmp.
    run_dir = Path(tempfile.mkdtemp(prefix="edpg", dir="/tmp"))
    cluster = _Cluster(bin_dir, run_dir)
    data_dir: Path | None = None
    log_file = run_dir / "postgres.log"
    kept_log = base_dir / "postgres.log"
    try:
        cluster.give(run_dir)
        # Prefer the caller's directory for the data, but fall back to the
        # private /tmp dir when the server account cannot reach it.
        data_parent = base_dir if cluster.can_hold_data_in(base_dir) else run_dir
        data_dir = Path(tempfile.mkdtemp(prefix="pgdata", dir=data_parent))
        # initdb insists on 0700 (mkdtemp's default) and on owning the directory.
        cluster.give(data_dir)
        log_file.touch()
        cluster.give(log_file)

        _initdb(cluster, data_dir)

        server: PostgresServer | None = None
        for attempt in range(1, START_ATTEMPTS + 1):
            port = _free_port()
            log_offset = log_file.stat().st_size
            result = cluster.run(
                [
                    cluster.tool("pg_ctl"),
                    "-D",
                    str(data_dir),
                    "-w",
                    "-t",
                    str(START_TIMEOUT_S),
                    "-l",
                    str(log_file),
                    "-o",
                    _server_options(port, run_dir),
                    "start",
                ],
                check=False,
                timeout=START_TIMEOUT_S + 30,
            )
            if result.returncode == 0:
                server = PostgresServer(
                    host=HOST, port=port, user=SUPERUSER, data_dir=data_dir, log_file=log_file
                )
                break
            # A half-started postmaster must not survive into the next attempt.
            _stop(cluster, data_dir)
            log_tail = _tail(log_file)
            # Only this attempt's output decides whether a retry can help.
            with log_file.open(encoding="utf-8", errors="replace") as log:
                log.seek(log_offset)
                port_taken = _BIND_ERROR.search(log.read()) is not None
            if attempt < START_ATTEMPTS and port_taken:
                continue
            raise RuntimeError(
                f"PostgreSQL failed to start (pg_ctl exit code {result.returncode}):\n"
                f"{result.stdout}{result.stderr}\n"
                f"--- last {LOG_TAIL_LINES} lines of the server log (kept as {kept_log}) ---\n"
                f"{log_tail}"
            )
        assert server is not None
        _wait_for_connection(server, time.monotonic() + CONNECT_TIMEOUT_S, kept_log)
        yield server
    finally:
        try:
            if data_dir is not None:
                _stop(cluster, data_dir)
        finally:
            # Keep the log where the caller (and CI artifacts) can find it.
            with contextlib.suppress(OSError):
                if log_file.exists():
                    shutil.copyfile(log_file, kept_log)
            if data_dir is not None:
                shutil.rmtree(data_dir, ignore_errors=True)
            shutil.rmtree(run_dir, ignore_errors=True)
