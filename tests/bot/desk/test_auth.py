"""Signing in and staying safe: roles, CSRF, throttling, idle timeout, cookies."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from bot.desk import DeskConfig
from bot.desk.auth import Guard, Throttled
from bot.service import create_app
from storage.drafts import get_draft
from storage.tables import AuditEvent, DeskSession
from tests.bot.desk.conftest import PASSWORD, Clock, Seeded, csrf_of, sign_in


def _actions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars())  # type: ignore[arg-type]


def test_sign_in_lands_on_the_queue(
    client: TestClient, accounts: dict[str, str], engine: Engine
) -> None:
    """The right password signs in, redirects to the queue, and is audited."""
    response = sign_in(client, "clerk1")
    assert response.status_code == 303
    assert response.headers["location"] == "/queue"
    page = client.get("/queue")
    assert page.status_code == 200
    assert "clerk1 · clerk" in page.text
    assert "desk.signed_in" in _actions(engine)


def test_wrong_password_is_refused_without_a_session(
    client: TestClient, accounts: dict[str, str], engine: Engine
) -> None:
    """A wrong password gets 401, no session cookie, and an audit entry without the name."""
    response = sign_in(client, "clerk1", "not the password")
    assert response.status_code == 401
    assert "do not match" in response.text
    assert "desk_session" not in response.cookies
    assert client.get("/queue").status_code == 303
    with engine.connect() as conn:
        failed = conn.execute(
            select(AuditEvent).where(AuditEvent.action == "desk.sign_in_failed")  # type: ignore[arg-type]
        ).one()
    assert failed.actor == "anonymous"
    assert "clerk1" not in str(failed.detail)


def test_pages_need_a_session(client: TestClient, accounts: dict[str, str]) -> None:
    """Signed out, every desk page redirects to sign-in, remembering where to return."""
    for path in ("/queue", "/drafts/1", "/search?q=x", "/dashboard", "/admin/users"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/sign-in?next=" + path.split("?")[0])


@pytest.mark.parametrize(
    "path", ["/admin/users", "/admin/retention", "/dashboard", "/dashboard.csv", "/privacy"]
)
def test_a_clerk_cannot_reach_supervisor_or_admin_pages(
    client: TestClient, signed_in: Callable[[str], str], accounts: dict[str, str], path: str
) -> None:
    """A clerk gets 403 on the dashboard, subject access, retention and accounts pages."""
    signed_in("clerk1")
    response = client.get(path)
    assert response.status_code == 403
    assert "Not for this account" in response.text


def test_a_supervisor_sees_the_dashboard_but_not_admin_pages(
    client: TestClient, signed_in: Callable[[str], str], accounts: dict[str, str]
) -> None:
    """Roles are ordered: a supervisor reaches supervisor pages, not administrators'."""
    signed_in("super")
    assert client.get("/dashboard").status_code == 200
    assert client.get("/privacy").status_code == 200
    assert client.get("/admin/users").status_code == 403
    assert client.get("/queue").status_code == 200


def test_an_admin_reaches_everything(
    client: TestClient, signed_in: Callable[[str], str], accounts: dict[str, str]
) -> None:
    """The admin role includes the others."""
    signed_in("admin")
    for path in ("/queue", "/dashboard", "/admin/users", "/admin/retention", "/search"):
        assert client.get(path).status_code == 200, path


def test_a_post_without_the_csrf_token_changes_nothing(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """Rejecting without the session's token (or with another) is refused with 403."""
    signed_in("clerk1")
    draft_id = seeded.drafts[0]
    for token in ("", "forged-token"):
        response = client.post(
            f"/drafts/{draft_id}/reject", data={"reason": "spam", "version": 1, "csrf": token}
        )
        assert response.status_code == 403
        assert "expired" in response.text
    assert get_draft(engine, draft_id).state == "drafted"


def test_a_post_from_another_origin_is_refused(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """Even with the right token, a request whose Origin is another site is refused."""
    token = signed_in("clerk1")
    draft_id = seeded.drafts[0]
    response = client.post(
        f"/drafts/{draft_id}/reject",
        data={"reason": "spam", "version": 1, "csrf": token},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert get_draft(engine, draft_id).state == "drafted"


def test_the_csrf_header_is_accepted_for_htmx(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """htmx sends the token as X-CSRF-Token; that is as good as the form field."""
    token = signed_in("clerk1")
    draft_id = seeded.drafts[1]
    response = client.post(
        f"/drafts/{draft_id}/reject",
        data={"reason": "duplicate", "version": 1},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 303
    assert get_draft(engine, draft_id).state == "rejected"


def _all_routes(routes: Sequence[Any]) -> Iterator[APIRoute]:
    # FastAPI keeps included routers whole, as entries holding the router.
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _all_routes(route.original_router.routes)


def test_every_desk_post_route_checks_csrf(
    app: FastAPI, client: TestClient, signed_in: Callable[[str], str], seeded: Seeded
) -> None:
    """No POST route of the desk can be driven without the token (none forgot the check)."""
    signed_in("admin")
    posts = [
        route.path
        for route in _all_routes(app.routes)
        if "POST" in route.methods and route.path != "/sign-in"
    ]
    assert len(posts) >= 10
    for path in posts:
        url = path.replace("{draft_id}", str(seeded.drafts[0])).replace("{user_id}", "1")
        if "/slack" in url or "/api/messages" in url:
            continue
        response = client.post(url, data={"csrf": "wrong"})
        assert response.status_code == 403, url


def test_sign_in_form_needs_its_own_token(client: TestClient, accounts: dict[str, str]) -> None:
    """A sign-in posted from elsewhere (no token cookie) is refused: no login CSRF."""
    response = client.post(
        "/sign-in", data={"name": "clerk1", "password": PASSWORD, "csrf": "made-up"}
    )
    assert response.status_code == 403


def test_failed_sign_ins_are_throttled_per_account(
    client: TestClient, accounts: dict[str, str], clock: Clock
) -> None:
    """After five failures even the right password is refused (429) until the window passes."""
    for _ in range(5):
        assert sign_in(client, "clerk1", "guess").status_code == 401
    refused = sign_in(client, "clerk1")
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.text
    assert "Retry-After" in refused.headers
    # Another account from the same address is not locked out by these five.
    assert sign_in(client, "clerk2").status_code == 303
    clock.advance(minutes=16)
    assert sign_in(client, "clerk1").status_code == 303


def test_failed_sign_ins_are_throttled_per_address(
    engine: Engine, accounts: dict[str, str], clock: Clock
) -> None:
    """Guessing across many names from one address is stopped by the per-address limit."""
    config = DeskConfig(secure_cookies=False, clock=clock, failures_per_address=3)
    with TestClient(create_app(engine, desk=config), follow_redirects=False) as client:
        for name in ("a1", "a2", "a3"):
            assert sign_in(client, name, "guess").status_code == 401
        assert sign_in(client, "clerk1").status_code == 429


def test_parallel_guesses_are_all_counted(
    engine: Engine, accounts: dict[str, str], clock: Clock
) -> None:
    """Twenty wrong guesses at once: at most the limit's worth have their password
    checked; the rest are refused. Each attempt is counted before it is checked."""
    guard = Guard(engine, DeskConfig(secure_cookies=False, clock=clock))

    def guess(_: int) -> str:
        try:
            outcome = guard.sign_in("clerk1", "wrong guess", address="203.0.113.9")
        except Throttled:
            return "throttled"
        return "checked" if outcome.account is None else "signed in"

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(guess, range(20)))
    assert results.count("signed in") == 0
    assert results.count("checked") <= 5
    assert results.count("throttled") >= 15


def test_guesses_from_elsewhere_do_not_lock_the_clerk_out(
    engine: Engine, accounts: dict[str, str], clock: Clock
) -> None:
    """Five wrong passwords for clerk1 from a stranger's address stop that address, not
    clerk1 at their own desk: the limit is per name and address together."""
    guard = Guard(engine, DeskConfig(secure_cookies=False, clock=clock))
    for _ in range(5):
        assert guard.sign_in("clerk1", "guess", address="198.51.100.7").account is None
    with pytest.raises(Throttled):
        guard.sign_in("clerk1", PASSWORD, address="198.51.100.7")
    assert guard.sign_in("clerk1", PASSWORD, address="10.1.2.3").account is not None


def test_idle_session_is_signed_out(
    client: TestClient,
    signed_in: Callable[[str], str],
    accounts: dict[str, str],
    clock: Clock,
    engine: Engine,
) -> None:
    """Thirty minutes without a request ends the session; activity before then keeps it."""
    signed_in("clerk1")
    clock.advance(minutes=25)
    assert client.get("/queue").status_code == 200
    clock.advance(minutes=25)  # 25 since the last request: still within the limit
    assert client.get("/queue").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/queue")
    assert response.status_code == 303
    assert "timed_out=1" in response.headers["location"]
    assert "signed out after a while" in client.get(response.headers["location"]).text
    with engine.connect() as conn:
        assert conn.execute(select(DeskSession)).all() == []  # type: ignore[call-overload]
    assert "desk.timed_out" in _actions(engine)


def test_sign_out_ends_the_session(
    client: TestClient, signed_in: Callable[[str], str], accounts: dict[str, str]
) -> None:
    """After signing out, the old cookie opens nothing, even if kept and replayed."""
    token = signed_in("clerk1")
    cookie = client.cookies.get("desk_session")
    assert cookie
    assert client.post("/sign-out", data={"csrf": token}).status_code == 303
    client.cookies.set("desk_session", cookie)
    assert client.get("/queue").status_code == 303


def test_session_cookie_flags(engine: Engine, accounts: dict[str, str], clock: Clock) -> None:
    """With secure cookies on, the session cookie is __Host-, Secure, HttpOnly, SameSite."""
    config = DeskConfig(secure_cookies=True, clock=clock)
    with TestClient(
        create_app(engine, desk=config), base_url="https://desk.example", follow_redirects=False
    ) as client:
        response = sign_in(client, "clerk1")
        assert response.status_code == 303
        header = next(
            h
            for h in response.headers.get_list("set-cookie")
            if h.startswith("__Host-desk_session=")
        )
        lowered = header.lower()
        assert "secure" in lowered
        assert "httponly" in lowered
        assert "samesite=lax" in lowered
        assert "path=/" in lowered


def test_the_database_holds_no_usable_session_token(
    client: TestClient, signed_in: Callable[[str], str], accounts: dict[str, str], engine: Engine
) -> None:
    """Only the token's hash is stored: a copy of the database signs nobody in."""
    signed_in("clerk1")
    cookie = client.cookies.get("desk_session")
    with engine.connect() as conn:
        stored = conn.execute(select(DeskSession.token_hash)).scalar_one()  # type: ignore[call-overload]
    assert cookie
    assert stored != cookie
    assert len(stored) == 64


def test_security_headers_on_pages(client: TestClient, accounts: dict[str, str]) -> None:
    """Pages forbid outside scripts and framing, and are never cached."""
    page = client.get("/sign-in")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    assert "csrf" in page.text
    assert csrf_of(page.text)


def test_next_cannot_send_the_clerk_elsewhere(client: TestClient, accounts: dict[str, str]) -> None:
    """An open redirect through `next` is not possible."""
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "name": "clerk1",
            "password": PASSWORD,
            "csrf": csrf_of(form.text),
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/queue"
