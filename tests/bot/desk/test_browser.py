"""The desk in a real browser: Debian's Chromium driven by Playwright, against the app
served by uvicorn on a loopback port, sending through an aiosmtpd receiver.

Screenshots of each page go to test-artifacts/desk/ (or $DESK_ARTEFACTS), to be looked at.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine, update

from bot.desk import DeskConfig
from bot.pipeline import Pipeline
from bot.service import create_app
from mail.outbox_sender import send_due
from mail.transport import SmtpConfig, SmtpTransport
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage import migrate
from storage.drafts import approve_draft, reject_draft
from storage.engine import make_engine, sqlite_url
from storage.tables import OutboxMessage
from storage.users import add_user
from tests.bot.desk.conftest import FROM, NOW, PASSWORD, Clock, record_row, seed_desk, seed_draft
from tests.conftest import need_part

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(
    os.environ.get("DESK_ARTEFACTS", Path(__file__).parents[3] / "test-artifacts" / "desk")
)
LAUNCH_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
CHANNELS = ("email", "email", "email", "slack", "teams")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def seed_history(engine: Engine, *, days: int = 28, seed: int = 7) -> None:
    """A month of closed work, so the dashboard has something to draw."""
    rng = random.Random(seed)
    for day in range(days, 0, -1):
        for n in range(rng.randint(3, 9)):
            received = NOW - timedelta(days=day, hours=rng.randint(0, 8))
            matched = rng.random() < 0.85
            draft_id = seed_draft(
                engine,
                party=f"history{day}-{n}@example.org",
                text="Any news on my ticket?",
                subject=f"History {day}-{n}",
                due=(received + timedelta(days=14)).date(),
                message_id=f"<h{day}-{n}@example.org>",
                received=received,
                record=rng.randint(1, 2000) if matched else None,
                verified=matched and rng.random() < 0.75,
            )
            closed = received + timedelta(hours=rng.uniform(1, 40))
            if closed > NOW:
                continue
            if rng.random() < 0.85:
                approve_draft(
                    engine,
                    draft_id,
                    actor="history",
                    now=closed,
                    mail_from=FROM,
                    maker_checker=False,
                )
            else:
                reject_draft(engine, draft_id, actor="history", reason="duplicate", now=closed)
    # That month's replies went out long ago.
    with engine.begin() as conn:
        conn.execute(update(OutboxMessage).values(state="sent", sent_at=OutboxMessage.created_at))


@dataclass
class Served:
    url: str
    engine: Engine
    inbox: Inbox
    references: list[str]


@pytest.fixture
def served(tmp_path: Path, sample_records: Path) -> Iterator[Served]:
    from aiosmtpd.controller import Controller

    if not CHROMIUM.exists():
        need_part("Debian's chromium is not installed: run `bash .ci/install-parts`")
    engine = make_engine(sqlite_url(tmp_path / "desk.db"))
    migrate.upgrade(engine)
    seeded = seed_desk(engine, sample_records)
    seed_history(engine)
    for name, role in (
        ("clerk1", "clerk"),
        ("clerk2", "clerk"),
        ("super", "supervisor"),
        ("admin", "admin"),
    ):
        from bot.desk.passwords import hash_password

        add_user(
            engine, name, role=role, password_hash=hash_password(PASSWORD), actor="test", now=NOW
        )

    inbox = Inbox()
    smtp_port = _free_port()  # aiosmtpd checks its own port, so port=0 cannot be used
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    clock = Clock()
    transport = SmtpTransport(SmtpConfig(host="127.0.0.1", port=smtp_port, security="none"))

    def send_now() -> None:
        asyncio.run(send_due(engine, transport, mail_from=FROM, now=clock()))

    pipeline = Pipeline(engine=engine, templates=TemplateStore([PACKAGE_TEMPLATES]), clock=clock)
    config = DeskConfig(
        secure_cookies=False,
        clock=clock,
        mail_from=FROM,
        on_approved=send_now,
        redraft=pipeline.redraft,
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(engine, desk=config), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", engine, inbox, list(seeded.records))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        controller.stop()
        engine.dispose()


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        need_part("Debian's chromium is not installed: run `bash .ci/install-parts`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def _shot(page: Any, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def _sign_in(browser: Any, served: Served, name: str, *, shot: str | None = None) -> Any:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(served.url + "/queue")
    page.wait_for_url("**/sign-in**")
    if shot:
        _shot(page, shot)
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/queue")
    return page


def test_a_clerks_day_in_the_browser(browser: Any, served: Served) -> None:
    """Sign in, work the queue with the keyboard, edit, have another clerk approve (the
    mail reaches the SMTP receiver), reject with a reason, search a plate with a typo,
    and open the dashboard."""
    clerk1 = _sign_in(browser, served, "clerk1", shot="01-sign-in")
    assert clerk1.locator(".badge.overdue").count() == 1
    _shot(clerk1, "02-queue")

    # The keyboard path: Enter opens the selected (first, overdue) draft.
    clerk1.keyboard.press("Enter")
    clerk1.wait_for_url("**/drafts/*")
    draft_url = clerk1.url
    assert clerk1.locator("details.quoted").count() == 1
    _shot(clerk1, "03-draft")

    # Edit and save with Ctrl+S (htmx swaps the editor in place).
    clerk1.fill(
        "#body",
        "Dear writer,\n\nYour ticket has been paid in full. Nothing more is due.\n\nTicket Office",
    )
    clerk1.locator("#body").press("Control+s")
    clerk1.wait_for_selector("#editor .notice.ok")
    assert "Saved." in clerk1.inner_text("#editor")
    assert "edited by clerk1" in clerk1.inner_text("#editor")

    # A second clerk opening it sees it is taken, and cannot act.
    clerk2 = _sign_in(browser, served, "clerk2")
    clerk2.goto(draft_url)
    assert "clerk1 is working on this draft" in clerk2.inner_text("main")
    assert clerk2.locator("#approve").is_disabled()
    _shot(clerk2, "04-taken")

    # clerk1 leaves it; clerk2 (the checker) approves with Ctrl+Enter; the mail goes out.
    clerk1.click('button:has-text("Leave it for someone else")')
    clerk1.wait_for_url("**/queue**")
    clerk2.goto(draft_url)
    clerk2.locator("#body").press("Control+Enter")
    clerk2.wait_for_url("**/queue?done=approved**")
    assert "approved and queued for sending" in clerk2.inner_text("main")
    deadline = time.monotonic() + 10
    while not served.inbox.messages:
        assert time.monotonic() < deadline, "no mail reached the SMTP receiver"
        time.sleep(0.1)
    (sent,) = served.inbox.messages
    assert sent["To"] == "writer0@example.org"
    assert "paid in full" in sent.get_payload(decode=True).decode()  # type: ignore[union-attr]

    # Reject the next one with a reason, from the keyboard: r, type, Enter.
    waiting = clerk2.locator("tr[data-href]").count()
    clerk2.keyboard.press("Enter")
    clerk2.wait_for_url("**/drafts/*")
    clerk2.keyboard.press("r")
    clerk2.keyboard.type("Duplicate of an enquiry answered yesterday")
    clerk2.keyboard.press("Enter")
    clerk2.wait_for_url("**/queue?done=rejected**")
    assert "rejected" in clerk2.inner_text(".notice.ok")
    assert clerk2.locator("tr[data-href]").count() == waiting - 1

    # Search a plate with one character wrong, typed into the search box (htmx results).
    vrm = str(record_row(served.engine, served.references[2])["vrm"]).replace(" ", "")
    typo = vrm[:-1] + ("Q" if vrm[-1] != "Q" else "W")
    clerk2.keyboard.press("/")
    clerk2.wait_for_url("**/search")
    clerk2.fill("#search-query", typo.lower())
    clerk2.wait_for_selector("text=plate, one character different")
    assert served.references[2] in clerk2.inner_text("#results")
    _shot(clerk2, "05-search")

    # The supervisor's dashboard, subject access and an admin's pages.
    boss = _sign_in(browser, served, "super")
    boss.goto(served.url + "/dashboard")
    assert boss.locator("svg.chart").count() == 5
    _shot(boss, "06-dashboard")
    boss.goto(served.url + "/privacy")
    boss.fill("#email", "writer1@example.org")
    boss.click('button:has-text("Find")')
    boss.wait_for_selector("text=Download export (JSON)")
    _shot(boss, "07-subject-access")
    admin = _sign_in(browser, served, "admin")
    admin.goto(served.url + "/admin/retention")
    admin.select_option("#kind", "fpn")
    admin.fill("#days", "20")
    admin.click('button:has-text("Count what would go")')
    admin.wait_for_selector("text=2. Confirm")
    _shot(admin, "08-retention")
    admin.goto(served.url + "/history/record/1")
    _shot(admin, "09-record-history")
