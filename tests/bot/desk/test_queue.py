"""The queue and the draft page over HTTP: order, overdue, claims, edit, approve, reject,
re-match."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from bot.desk import DeskConfig
from bot.pipeline import Pipeline
from bot.service import create_app
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage.drafts import get_draft
from storage.tables import AuditEvent, OutboxMessage
from tests.bot.desk.conftest import FROM, NOW, Clock, Seeded, csrf_of, seed_draft, sign_in


def _outbox(engine: Engine) -> list[OutboxMessage]:
    with engine.connect() as conn:
        return list(conn.execute(select(OutboxMessage)).all())  # type: ignore[call-overload]


def _audited(engine: Engine, action: str) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(AuditEvent.actor).where(AuditEvent.action == action)  # type: ignore[arg-type]
            ).scalars()
        )


def test_queue_is_ordered_by_due_date_with_overdue_marked(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded
) -> None:
    """Soonest due first; the one past its date carries an overdue badge and the count."""
    signed_in("clerk1")
    page = client.get("/queue").text
    links = [int(n) for n in re.findall(r'<tr data-href="/drafts/(\d+)"', page)]
    assert links == seeded.drafts  # seeded due -3, +2, +5 days
    assert "3 days overdue" in page
    assert "1 overdue" in page
    assert "3 open" in page


def test_draft_page_shows_enquiry_record_reasons_and_editor(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded
) -> None:
    """Side by side: the enquiry with its quoted text folded, the record, why, the editor."""
    signed_in("clerk1")
    page = client.get(f"/drafts/{seeded.drafts[0]}").text
    reference = next(iter(seeded.records))
    assert f"Where is my ticket {reference}" in page
    assert '<details class="quoted"><summary>' in page
    assert "We have your letter" in page
    assert "reference exact" in page
    assert "surname agrees" in page
    assert "writer verified" in page
    assert 'id="body"' in page
    assert "Thank you for your enquiry" in page
    assert "Approve and send" in page


def test_the_second_clerk_sees_the_draft_is_taken(
    engine: Engine, desk_config: DeskConfig, seeded: Seeded
) -> None:
    """Two clerks on one draft: the second is told who has it and cannot act on it."""
    app = create_app(engine, desk=desk_config)
    with (
        TestClient(app, follow_redirects=False) as first,
        TestClient(app, follow_redirects=False) as second,
    ):
        assert sign_in(first, "clerk1").status_code == 303
        assert sign_in(second, "clerk2").status_code == 303
        draft_id = seeded.drafts[0]
        assert "is working on this draft" not in first.get(f"/drafts/{draft_id}").text
        page = second.get(f"/drafts/{draft_id}").text
        assert "clerk1 is working on this draft" in page
        assert 'id="approve" class="primary" formaction' in page
        assert "disabled" in page
        # Acting anyway (a stale page, a crafted request) is refused the same way.
        refused = second.post(
            f"/drafts/{draft_id}/reject",
            data={"reason": "mine now", "version": 1, "csrf": csrf_of(page)},
        )
        assert refused.status_code == 409
        assert "clerk1 is working on it" in refused.text
        assert get_draft(engine, draft_id).state == "drafted"
        queue = second.get("/queue").text
        assert "open: clerk1" in queue


def test_edit_then_another_clerk_approves_into_the_outbox(
    engine: Engine, desk_config: DeskConfig, seeded: Seeded, clock: Clock
) -> None:
    """Maker-checker: the editor cannot approve their own edit; a second clerk can, and
    the approval puts exactly one message in the outbox."""
    app = create_app(engine, desk=desk_config)
    draft_id = seeded.drafts[1]
    with TestClient(app, follow_redirects=False) as maker:
        sign_in(maker, "clerk1")
        page = maker.get(f"/drafts/{draft_id}").text
        saved = maker.post(
            f"/drafts/{draft_id}/save",
            data={
                "csrf": csrf_of(page),
                "version": 1,
                "subject": "Re: your ticket",
                "body": "Dear Ms Example,\r\n\r\nYour ticket is paid.\r\n",
            },
        )
        assert saved.status_code == 303
        page = maker.get(saved.headers["location"]).text
        assert "Saved." in page
        refused = maker.post(
            f"/drafts/{draft_id}/approve",
            data={
                "csrf": csrf_of(page),
                "version": 2,
                "subject": "Re: your ticket",
                "body": "Dear Ms Example,\n\nYour ticket is paid.",
            },
        )
        assert refused.status_code == 409
        assert "another clerk must approve it" in refused.text
        maker.post(f"/drafts/{draft_id}/release", data={"csrf": csrf_of(page)})
    assert _outbox(engine) == []
    clock.advance(minutes=1)
    with TestClient(app, follow_redirects=False) as checker:
        sign_in(checker, "clerk2")
        page = checker.get(f"/drafts/{draft_id}").text
        assert "edited by clerk1" in page
        approved = checker.post(
            f"/drafts/{draft_id}/approve",
            data={
                "csrf": csrf_of(page),
                "version": 2,
                "subject": "Re: your ticket",
                "body": "Dear Ms Example,\n\nYour ticket is paid.",
            },
        )
        assert approved.status_code == 303
        assert checker.get(approved.headers["location"]).text.count("approved and queued") == 1
    (message,) = _outbox(engine)
    assert message.body == "Dear Ms Example,\n\nYour ticket is paid."
    assert message.recipient == "writer1@example.org"
    assert get_draft(engine, draft_id).state == "queued"
    assert _audited(engine, "draft.approved") == ["clerk2"]
    assert _audited(engine, "draft.edited") == ["clerk1"]


def test_reject_needs_a_reason_and_records_it(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """A blank reason is refused; a reason rejects the draft and leaves the queue."""
    signed_in("clerk1")
    draft_id = seeded.drafts[2]
    token = csrf_of(client.get(f"/drafts/{draft_id}").text)
    blank = client.post(
        f"/drafts/{draft_id}/reject", data={"csrf": token, "version": 1, "reason": "  "}
    )
    assert blank.status_code == 409
    assert "say why it is rejected" in blank.text
    done = client.post(
        f"/drafts/{draft_id}/reject",
        data={"csrf": token, "version": 1, "reason": "duplicate of an earlier enquiry"},
    )
    assert done.status_code == 303
    view = get_draft(engine, draft_id)
    assert (view.state, view.reason) == ("rejected", "duplicate of an earlier enquiry")
    queue = client.get(done.headers["location"]).text
    assert f'data-href="/drafts/{draft_id}"' not in queue
    assert f"Draft {draft_id} rejected." in queue


def test_a_stale_page_cannot_overwrite_a_newer_edit(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """Saving from a page older than the draft is refused and says to reload."""
    signed_in("clerk1")
    draft_id = seeded.drafts[0]
    token = csrf_of(client.get(f"/drafts/{draft_id}").text)
    client.post(
        f"/drafts/{draft_id}/save",
        data={"csrf": token, "version": 1, "subject": "Re: x", "body": "first"},
    )
    stale = client.post(
        f"/drafts/{draft_id}/save",
        data={"csrf": token, "version": 1, "subject": "Re: x", "body": "second"},
    )
    assert stale.status_code == 409
    assert "changed since you opened it" in stale.text
    assert get_draft(engine, draft_id).body == "first"


def test_saving_unchanged_text_does_not_make_the_clerk_its_editor(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """Save without changes keeps the draft as drafted, so the clerk may still approve."""
    signed_in("clerk1")
    draft_id = seeded.drafts[0]
    view = get_draft(engine, draft_id)
    token = csrf_of(client.get(f"/drafts/{draft_id}").text)
    client.post(
        f"/drafts/{draft_id}/save",
        data={"csrf": token, "version": 1, "subject": view.subject, "body": view.body},
    )
    assert get_draft(engine, draft_id).edited_by is None
    approved = client.post(
        f"/drafts/{draft_id}/approve",
        data={"csrf": token, "version": 1, "subject": view.subject, "body": view.body},
    )
    assert approved.status_code == 303
    assert get_draft(engine, draft_id).approved_by == "clerk1"


@pytest.fixture
def pipeline_client(engine: Engine, clock: Clock, seeded: Seeded) -> Iterator[TestClient]:
    pipeline = Pipeline(engine=engine, templates=TemplateStore([PACKAGE_TEMPLATES]), clock=clock)
    config = DeskConfig(secure_cookies=False, clock=clock, mail_from=FROM, redraft=pipeline.redraft)
    with TestClient(create_app(engine, desk=config), follow_redirects=False) as client:
        yield client


def test_rematch_redrafts_from_the_chosen_record(
    pipeline_client: TestClient, seeded: Seeded, engine: Engine
) -> None:
    """Re-matching to another reference writes the draft afresh from that record, and
    the reasons say a clerk chose it."""
    client = pipeline_client
    sign_in(client, "clerk1")
    draft_id = seeded.drafts[0]
    other_reference, other_id = list(seeded.records.items())[1]
    token = csrf_of(client.get(f"/drafts/{draft_id}").text)
    response = client.post(
        f"/drafts/{draft_id}/rematch",
        data={"csrf": token, "version": 1, "reference": other_reference},
    )
    assert response.status_code == 303, response.text
    view = get_draft(engine, draft_id)
    assert view.record_id == other_id
    assert view.decision
    assert "chosen by a clerk" in view.decision.reasons
    page = client.get(response.headers["location"]).text
    assert "Re-matched" in page
    assert other_reference in page


def test_rematch_to_an_unknown_reference_says_so(
    pipeline_client: TestClient, seeded: Seeded, engine: Engine
) -> None:
    """A reference that names no record changes nothing and tells the clerk."""
    client = pipeline_client
    sign_in(client, "clerk1")
    draft_id = seeded.drafts[0]
    token = csrf_of(client.get(f"/drafts/{draft_id}").text)
    response = client.post(
        f"/drafts/{draft_id}/rematch",
        data={"csrf": token, "version": 1, "reference": "NO-SUCH-1"},
    )
    assert response.status_code == 409
    assert "No record has the reference" in response.text
    assert get_draft(engine, draft_id).version == 1


def test_unknown_draft_is_a_plain_404(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded
) -> None:
    """A draft id that does not exist gets a page saying so, not an error trace."""
    signed_in("clerk1")
    response = client.get("/drafts/999999")
    assert response.status_code == 404
    assert "No such draft" in response.text


def test_opening_a_draft_is_audited(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """Who looked at which case is in the trail."""
    signed_in("clerk2")
    client.get(f"/drafts/{seeded.drafts[0]}")
    assert _audited(engine, "draft.viewed") == ["clerk2"]


def test_now_is_the_injected_clock(clock: Clock) -> None:
    """The fixtures run on a fixed day, so due dates and overdue badges are stable."""
    assert clock() == NOW


def test_urgent_drafts_come_first_with_their_badge_and_partners_are_marked(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """An urgent draft due last is listed first with "urgent: reason"; a partner's note
    carries "partner: name"; the draft page leads with the urgency."""
    urgent_id = seed_draft(
        engine,
        party="worried@example.org",
        text="Please help.",
        subject="Help",
        due=NOW.date() + timedelta(days=9),
        urgent="words of self-harm or suicide",
        reason="urgent: words of self-harm or suicide",
    )
    partner_id = seed_draft(
        engine,
        party="lawyer@cps.gov.uk",
        text="Upgrade request.",
        subject="File 12AB",
        due=NOW.date() + timedelta(days=8),
        route="partner",
        reason="partner: CPS",
        decision={"partner": "CPS", "reasons": [], "candidates": []},
        body="From CPS (cps.gov.uk): no public letter is drafted; answer through the partners' route.",
    )
    signed_in("clerk1")
    page = client.get("/queue").text
    links = [int(n) for n in re.findall(r'<tr data-href="/drafts/(\d+)"', page)]
    assert links == [urgent_id, *seeded.drafts, partner_id]
    assert '<span class="badge urgent">urgent: words of self-harm or suicide</span>' in page
    assert '<span class="badge partner">partner: CPS</span>' in page
    assert page.count("badge urgent") == 1
    draft_page = client.get(f"/drafts/{urgent_id}").text
    assert "Urgent: words of self-harm or suicide." in draft_page
    assert draft_page.index("Urgent: words of self-harm") < draft_page.index("Enquiry</h2>")
    partner_page = client.get(f"/drafts/{partner_id}").text
    assert "write the reply to the partner before approving" in partner_page


def test_an_unedited_partner_note_is_refused_on_the_desk(
    client: TestClient, signed_in: Callable[[str], str], seeded: Seeded, engine: Engine
) -> None:
    """Approve on the desk refuses the partner's note as written, and queues nothing."""
    body = "From CPS (cps.gov.uk): no public letter is drafted; answer through the partners' route."
    partner_id = seed_draft(
        engine,
        party="lawyer@cps.gov.uk",
        text="Upgrade request.",
        subject="File 12AB",
        due=NOW.date() + timedelta(days=8),
        route="partner",
        reason="partner: CPS",
        decision={"partner": "CPS", "reasons": [], "candidates": []},
        body=body,
    )
    signed_in("clerk1")
    page = client.get(f"/drafts/{partner_id}").text
    refused = client.post(
        f"/drafts/{partner_id}/approve",
        data={"csrf": csrf_of(page), "version": 1, "subject": "Re: File 12AB", "body": body},
    )
    assert refused.status_code == 409
    assert "not a reply; write the reply first" in refused.text
    assert _outbox(engine) == []


def _outbox_of(engine: Engine, draft_id: int) -> list[tuple[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(OutboxMessage.state, OutboxMessage.next_attempt_at).where(  # type: ignore[call-overload]
                OutboxMessage.draft_id == draft_id
            )
        ).all()
    return [(str(r.state), r.next_attempt_at) for r in rows]


def _version(page: str) -> int:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "no version on the page"
    return int(found.group(1))


def _as_shown(engine: Engine, draft_id: int, page: str) -> dict[str, object]:
    """The approve form as the page sends it: the text unchanged."""
    draft = get_draft(engine, draft_id)
    return {
        "csrf": csrf_of(page),
        "version": _version(page),
        "subject": draft.subject or "",
        "body": draft.body,
    }


def test_an_approval_can_be_undone_within_its_hold(
    engine: Engine, seeded: Seeded, clock: Clock
) -> None:
    """Approving (Ctrl+Enter on the page) holds the reply for APPROVAL_HOLD_SECONDS with
    an Undo on the queue page: taken back, nothing is sent and the draft is open again.
    After the hold it is too late, and the reply goes (issue 18)."""
    config = DeskConfig(
        secure_cookies=False, clock=clock, mail_from=FROM, approval_hold=timedelta(seconds=30)
    )
    app = create_app(engine, desk=config)
    first, second = seeded.drafts[0], seeded.drafts[2]
    with TestClient(app, follow_redirects=False) as client:
        sign_in(client, "clerk1")
        page = client.get(f"/drafts/{first}").text
        approved = client.post(f"/drafts/{first}/approve", data=_as_shown(engine, first, page))
        assert approved.status_code == 303, re.findall(r"notice[^>]*>([^<]*)", approved.text)
        queue = client.get(approved.headers["location"]).text
        assert 'id="undo-approval"' in queue
        assert "It goes at" in queue
        assert _outbox_of(engine, first)[0][0] == "pending"
        clock.advance(seconds=10)
        undone = client.post(f"/drafts/{first}/undo", data={"csrf": csrf_of(queue)})
        assert undone.status_code == 303
        assert "taken back" in client.get(undone.headers["location"]).text
        assert get_draft(engine, first).state in ("drafted", "edited")
        assert [state for state, _ in _outbox_of(engine, first)] == ["withdrawn"]

        # The next approval is left alone: after its hold it can no longer be undone.
        page = client.get(f"/drafts/{second}").text
        approved = client.post(f"/drafts/{second}/approve", data=_as_shown(engine, second, page))
        clock.advance(seconds=31)
        queue = client.get(approved.headers["location"]).text
        assert 'id="undo-approval"' not in queue
        late = client.post(f"/drafts/{second}/undo", data={"csrf": csrf_of(queue)})
        assert "too late" in late.text
        assert get_draft(engine, second).state == "queued"
        assert [state for state, _ in _outbox_of(engine, second)] == ["pending"]
