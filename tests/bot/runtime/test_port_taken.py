"""`enquiry-desk run` with its port taken (issue 18): it exits non-zero at once, naming
the address, before saying where it serves or reading any mail; it used to print the
address, log a bare OSError, keep reading mail and ignore SIGTERM."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ENQUIRY_DESK = str(Path(sys.executable).with_name("enquiry-desk"))


def test_a_taken_port_ends_the_run_at_once(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            **os.environ,
            "ENQUIRY_DESK_HTTP_HOST": "127.0.0.1",
            "ENQUIRY_DESK_HTTP_PORT": str(port),
            "ENQUIRY_DESK_DATA_DIR": str(tmp_path / "data"),
        }
        env.pop("ENQUIRY_DESK_DATABASE_URL", None)
        done = subprocess.run(
            [ENQUIRY_DESK, "run"], env=env, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Enquiry Desk on" not in done.stdout
    # No mail was read: nothing was logged from the inbox, not even a worker start.
    assert "worker started" not in done.stderr
