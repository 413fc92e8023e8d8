"""Fixtures for the bot tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.matching import Matcher
from storage import migrate
from storage.engine import make_engine, sqlite_url
from storage.records_import import import_file
from tests.conftest import DATA


@pytest.fixture(scope="session")
def sample_matcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matcher]:
    """A matcher over the 2,000 sample records in SQLite, shared by the session (read-only)."""
    engine = make_engine(sqlite_url(tmp_path_factory.mktemp("match") / "m.db"))
    migrate.upgrade(engine)
    import_file(engine, DATA / "records.csv")
    yield Matcher(engine)
    engine.dispose()
