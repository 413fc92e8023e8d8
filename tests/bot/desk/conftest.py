"""Fixtures for the review desk: a database with records, contacts and drafts, accounts,
a clock the tests move, and a signed-in HTTP client."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from bot.desk import DeskConfig
from bot.desk.passwords import hash_password
from bot.service import create_app
from storage.contact_log import NewContact, log_contact
from storage.drafts import NewDraft, create_draft
from storage.records_import import import_file
from storage.saved_match import SavedMatch
from storage.tables import DraftRoute, Record
from storage.users import add_user

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
FROM = "tickets@force.example"


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Seeded:
    """Ids of what `seed_desk` put in the database."""

    drafts: list[int] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)


def record_id(engine: Engine, reference: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(select(Record.id).where(Record.reference == reference)).scalar_one()  # type: ignore[arg-type]
        )


def record_row(engine: Engine, reference: str) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(select(Record.__table__).where(Record.reference == reference)).one()  # type: ignore[attr-defined, arg-type]
    return dict(row._mapping)


def seed_draft(
    engine: Engine,
    *,
    party: str,
    text: str,
    subject: str,
    due: date | None,
    record: int | None = None,
    message_id: str | None = None,
    verified: bool = True,
    decision: dict[str, Any] | None = None,
    received: datetime = NOW - timedelta(days=2),
    quoted: str | None = None,
    body: str = "Dear writer,\n\nThank you for your enquiry.\n\nTicket Office",
    urgent: str | None = None,
    route: str = "clerk",
    reason: str | None = None,
) -> int:
    logged = log_contact(
        engine,
        NewContact(
            channel="email",
            direction="in",
            channel_message_id=message_id or f"<{party}-{subject}-{due}@example.org>",
            party=party,
            received_at=received,
            text=text,
            subject=subject,
            quoted_text=quoted,
            record_id=record,
        ),
        now=received,
    )
    return create_draft(
        engine,
        NewDraft(
            contact_id=logged.id,
            body=body,
            created_by="enquiry-desk",
            record_id=record,
            recipient=party,
            subject=f"Re: {subject}",
            reply_due=due,
            verified=verified,
            intents=("status",),
            # Written as JSON shapes of old drafts: they must read as they always did.
            decision=None if decision is None else SavedMatch.from_json(decision),
            urgent=urgent,
            route=DraftRoute(route),
            reason=reason,
        ),
        now=received,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(engine: Engine) -> dict[str, str]:
    """One account per role (and a second clerk), all with the same password."""
    hashed = hash_password(PASSWORD)
    names = {"clerk1": "clerk", "clerk2": "clerk", "super": "supervisor", "admin": "admin"}
    for name, role in names.items():
        add_user(engine, name, role=role, password_hash=hashed, actor="test", now=NOW)
    return names


def seed_desk(engine: Engine, sample_records: Path) -> Seeded:
    """The sample records, and three open drafts about real ones (one overdue)."""
    import_file(engine, sample_records)
    seeded = Seeded()
    first = _first_records(engine, 3)
    for i, (ref, row) in enumerate(first):
        seeded.records[ref] = row["id"]
        seeded.drafts.append(
            seed_draft(
                engine,
                party=f"writer{i}@example.org",
                text=f"Hello, my name is {row['forenames']} {row['surname']}. "
                f"Where is my ticket {ref}? Car {row['vrm'] or ''}.",
                subject=f"Ticket {ref}",
                due=NOW.date() + timedelta(days=[-3, 2, 5][i]),
                record=row["id"],
                quoted="On Monday, the ticket office wrote:\n> We have your letter.",
                decision={
                    "reasons": ["reference exact", "surname agrees"],
                    "score": 0.97,
                    "candidates": [{"reference": ref, "kind": row["kind"], "score": 0.97}],
                },
            )
        )
    return seeded


def _first_records(engine: Engine, n: int) -> list[tuple[str, dict[str, Any]]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Record.__table__)  # type: ignore[attr-defined]
            .where(Record.vrm.is_not(None), Record.surname.is_not(None))  # type: ignore[union-attr]
            .order_by(Record.id)
            .limit(n)
        ).all()
    return [(row.reference, dict(row._mapping)) for row in rows]


@pytest.fixture
def seeded(engine: Engine, sample_records: Path, accounts: dict[str, str]) -> Seeded:
    return seed_desk(engine, sample_records)


@pytest.fixture
def desk_config(clock: Clock) -> DeskConfig:
    return DeskConfig(secure_cookies=False, clock=clock, mail_from=FROM)


@pytest.fixture
def app(engine: Engine, desk_config: DeskConfig) -> FastAPI:
    return create_app(engine, desk=desk_config)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1:8700", follow_redirects=False) as c:
        yield c


_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(page: str) -> str:
    found = _CSRF.search(page)
    assert found, "no CSRF token in the page"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    """Sign in through the form, as a browser does; returns the POST's response."""
    form = client.get("/sign-in")
    return client.post(
        "/sign-in",
        data={"name": name, "password": password, "csrf": csrf_of(form.text), "next": "/queue"},
    )


@pytest.fixture
def signed_in(client: TestClient) -> Callable[[str], str]:
    """Sign `client` in as an account; returns the session's CSRF token."""

    def go(name: str) -> str:
        response = sign_in(client, name)
        assert response.status_code == 303, response.text
        return csrf_of(client.get("/queue").text)

    return go
