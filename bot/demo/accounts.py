"""Desk accounts for the demo, so a newcomer can sign in and approve a draft at once.

Two clerks, because maker-checker stops one clerk approving their own edit. Their
passwords are random, made on the first run, and written to a file only the owner can
read (never to a log); later runs leave existing accounts alone.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from bot.desk.passwords import hash_password
from storage.engine import Engine
from storage.users import add_user, find_user

DEMO_ACCOUNTS = (("clerk", "clerk"), ("checker", "clerk"), ("super", "supervisor"))


def ensure_demo_accounts(engine: Engine, data_dir: Path) -> Path:
    """Create the demo accounts that do not exist yet; return the file naming them."""
    path = data_dir / "demo-accounts.txt"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for name, role in DEMO_ACCOUNTS:
        if find_user(engine, name) is not None:
            continue
        password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
        add_user(
            engine,
            name,
            role=role,
            password_hash=hash_password(password),
            actor="demo",
            now=datetime.now(UTC),
        )
        lines = [line for line in lines if not line.startswith(f"{name} ")]
        lines.append(f"{name} ({role}): {password}")
    data_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path
