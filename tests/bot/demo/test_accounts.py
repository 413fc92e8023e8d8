"""Demo desk accounts: made once, passwords in an owner-only file, kept on a second run."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import Engine

from bot.demo.accounts import ensure_demo_accounts
from bot.desk.passwords import password_matches
from storage.users import find_user


def test_accounts_are_made_once_and_their_passwords_work(engine: Engine, tmp_path: Path) -> None:
    """Each account's password in the file verifies against its stored hash; a second run
    changes neither the accounts nor the file; only the owner can read the file."""
    path = ensure_demo_accounts(engine, tmp_path)
    first = path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for line in first.splitlines():
        name, password = line.split(" ", 1)[0], line.rsplit(": ", 1)[1]
        account = find_user(engine, name)
        assert account is not None
        assert password_matches(account.password_hash, password)
    assert ensure_demo_accounts(engine, tmp_path).read_text() == first
