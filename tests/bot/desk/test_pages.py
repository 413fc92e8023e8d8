"""Search, history, dashboard, subject access, retention and accounts pages over HTTP."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from bot.cli import main
from bot.desk.passwords import password_matches
from storage.drafts import reject_draft
from storage.tables import AuditEvent, Contact
from storage.users import find_user
from tests.bot.desk.conftest import NOW, Seeded, record_row, seed_draft


def _actions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(AuditEvent.action)).scalars())  # type: ignore[arg-type]


def test_search_a_plate_with_a_typo(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """A plate with one wrong character finds the record and its contact; the trail keeps
    the count, not the query."""
    signed_in("clerk1")
    reference = next(iter(seeded.records))
    vrm = str(record_row(engine, reference)["vrm"])
    typo = vrm[:-1] + ("Q" if vrm[-1] != "Q" else "W")
    page = client.get("/search", params={"q": typo}).text
    assert reference in page
    assert "plate, one character different" in page
    assert "writer0@example.org" in page
    with engine.connect() as conn:
        detail = conn.execute(
            select(AuditEvent.detail).where(AuditEvent.action == "contact.searched")  # type: ignore[arg-type]
        ).scalar_one()
    assert typo not in json.dumps(detail)


def test_search_as_you_type_returns_only_the_results(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded
) -> None:
    """An htmx request gets the results fragment, not a whole page."""
    signed_in("clerk1")
    fragment = client.get("/search", params={"q": "writer1"}, headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="results">')
    assert "writer1@example.org" in fragment


def test_histories_of_a_person_and_a_record(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded
) -> None:
    """The history pages list the contacts of one address and of one record."""
    signed_in("clerk1")
    person = client.get("/history/person", params={"party": "writer2@example.org"}).text
    assert "writer2@example.org" in person
    assert "1 contact," in person
    reference, record_id = next(iter(seeded.records.items()))
    record = client.get(f"/history/record/{record_id}").text
    assert reference in record
    assert "writer0@example.org" in record


def test_dashboard_draws_svg_and_exports_csv(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """Five charts drawn as SVG with titles; the CSV holds the same figures."""
    signed_in("super")
    page = client.get("/dashboard").text
    assert page.count('<svg class="chart"') == 5
    assert "Enquiries per day by channel</title>" in page
    export = client.get("/dashboard.csv")
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0] == ["figure", "day", "series", "value"]
    enquiries = [r for r in rows if r[0] == "enquiries"]
    assert sum(int(r[3]) for r in enquiries) == 3
    assert ["overdue", "", "3-5 days", "1"] in rows
    assert "dashboard.exported" in _actions(engine)


def test_subject_access_preview_then_export(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """A supervisor finds one person's contacts, downloads them as JSON, and it is audited."""
    token = signed_in("super")
    preview = client.post(
        "/privacy/subject-access", data={"csrf": token, "email": "writer1@example.org"}
    )
    assert preview.status_code == 200
    assert "1 contact" in preview.text
    export = client.post(
        "/privacy/subject-access/export", data={"csrf": token, "email": "writer1@example.org"}
    )
    assert "attachment" in export.headers["content-disposition"]
    body = export.json()
    assert [c["party"] for c in body["contacts"]] == ["writer1@example.org"]
    assert "writer0" not in export.text
    assert "subject_access.exported" in _actions(engine)


def test_retention_dry_run_then_confirmed_purge(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """The purge button comes only after a dry run, and runs only on the figures shown."""
    token = signed_in("admin")
    old = NOW - timedelta(days=900)
    stale = seed_draft(
        engine, party="old@example.org", text="x", subject="o", due=None, received=old
    )
    reject_draft(engine, stale, actor="c", reason="dup", now=old)
    plan = client.post(
        "/admin/retention/plan", data={"csrf": token, "kind": "unmatched", "days": 365}
    )
    assert "Delete these 1 contacts" in plan.text
    moved = client.post(
        "/admin/retention/purge",
        data={"csrf": token, "kind": "unmatched", "days": 365, "expected": 5},
    )
    assert moved.status_code == 409
    assert "changed since the dry run" in moved.text
    done = client.post(
        "/admin/retention/purge",
        data={"csrf": token, "kind": "unmatched", "days": 365, "expected": 1},
    )
    assert "Purged 1 contact," in done.text
    with engine.connect() as conn:
        parties = set(conn.execute(select(Contact.party)).scalars())  # type: ignore[call-overload]
    assert "old@example.org" not in parties
    assert len(parties) == 3


def test_admin_adds_and_switches_off_an_account(
    client: TestClient, signed_in: Callable[[str], str], accounts: dict[str, str], engine: Engine
) -> None:
    """An administrator adds a clerk; a short password is refused; switching off works."""
    token = signed_in("admin")
    short = client.post(
        "/admin/users", data={"csrf": token, "name": "newbie", "role": "clerk", "password": "short"}
    )
    assert short.status_code == 422
    assert "at least 12" in short.text
    made = client.post(
        "/admin/users",
        data={"csrf": token, "name": "newbie", "role": "clerk", "password": "a long enough one"},
    )
    assert "Account newbie (clerk) added." in made.text
    account = find_user(engine, "newbie")
    assert account is not None
    assert account.password_hash.startswith("$argon2id$")
    client.post(f"/admin/users/{account.id}/active", data={"csrf": token, "active": "false"})
    switched = find_user(engine, "newbie")
    assert switched is not None
    assert not switched.active


def test_cli_users_add_reads_the_password_from_stdin(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`enquiry-desk users add NAME --role R --password-stdin` makes an argon2 account."""
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO("a very good password\n"))
    with pytest.raises(SystemExit) as exit_:
        main(["users", "add", "Dana", "--role", "supervisor", "--password-stdin", "--db", url])
    assert exit_.value.code == 0
    account = find_user(engine, "dana")
    assert account is not None
    assert account.role == "supervisor"
    assert password_matches(account.password_hash, "a very good password")
    assert not password_matches(account.password_hash, "a very good password\n")


def test_cli_users_add_refuses_an_unknown_role(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A role outside clerk, supervisor and admin is an error naming the choices."""
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO("a very good password\n"))
    with pytest.raises(SystemExit) as exit_:
        main(["users", "add", "eve", "--role", "boss", "--password-stdin", "--db", url])
    assert exit_.value.code == 2
    assert "clerk, supervisor, admin" in capsys.readouterr().err
