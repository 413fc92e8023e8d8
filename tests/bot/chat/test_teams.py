"""Teams: activities posted to `/api/messages`, replies captured by a loopback connector."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from sqlalchemy import Engine, select

from bot.chat.teams_wiring import TeamsSetupError
from bot.pipeline import Pipeline
from bot.settings import Settings
from lookup.enquiry import Enquiry
from storage.drafts import get_draft
from storage.records_import import import_file
from storage.tables import Contact
from tests.bot.chat.conftest import NOW, PAID, assembled, serving
from tests.bot.chat.fake_teams import FakeConnector, running_fake_connector

REFERENCE = PAID["reference"]  # fpn, paid
EDITED = f"Dear {PAID['forenames']} {PAID['surname']}, your penalty is paid."

OFFICER_AAD, CLERK_AAD, STRANGER_AAD = "aad-officer", "aad-clerk", "aad-stranger"
CLERKS_CONVERSATION = "19:clerks@thread.tacv2"


@dataclass
class TeamsApp:
    url: str
    fake: FakeConnector
    engine: Engine
    pipeline: Pipeline

    def send(
        self, activity: dict[str, Any], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return httpx.post(
            f"{self.url}/api/messages", json=activity, headers=headers or {}, timeout=30
        )


def _settings(tmp_path: Path, connector: str, **more: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "slack_mode": "off",
        "teams_app_id": "00000000-0000-0000-0000-00000000a11d",
        "teams_tenant_id": "00000000-0000-0000-0000-0000000000e1",
        "teams_officers": (f"{OFFICER_AAD}=8656",),
        "teams_clerks": (CLERK_AAD,),
        "teams_connector_url": connector,
        "teams_clerk_conversation": CLERKS_CONVERSATION,
        "mail_from": "tickets@force.example",
    }
    values.update(more)
    return Settings(**values)


def _message(
    user: str,
    text: str,
    *,
    activity_id: str,
    service_url: str,
    value: Any = None,
    conversation_type: str = "personal",
) -> dict[str, Any]:
    activity: dict[str, Any] = {
        "type": "message",
        "id": activity_id,
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": f"29:{user}", "aadObjectId": user, "name": "Someone"},
        "recipient": {"id": "28:desk", "name": "Enquiry Desk"},
        "conversation": {"id": "a:conversation-1", "conversationType": conversation_type},
        "text": text,
    }
    if value is not None:
        activity["value"] = value
        activity["replyToId"] = "card-activity-1"
    return activity


@pytest.fixture
def teams(engine: Engine, sample_records: Path, tmp_path: Path) -> Iterator[TeamsApp]:
    import_file(engine, sample_records)
    with running_fake_connector() as fake:
        runtime = assembled(_settings(tmp_path, fake.url), engine, teams_anonymous_for_tests=True)
        with serving(runtime.web) as (url, _loop):
            yield TeamsApp(url, fake, engine, runtime.pipeline)


def test_officer_question_is_answered_in_the_conversation(teams: TeamsApp) -> None:
    """An authorised officer's message gets the record's status as a reply."""
    response = teams.send(
        _message(
            OFFICER_AAD, f"status of {REFERENCE}?", activity_id="a1", service_url=teams.fake.url
        )
    )
    assert response.status_code in (200, 202)
    (reply,) = teams.fake.wait_for()
    assert reply.path.endswith("/v3/conversations/a:conversation-1/activities/a1")
    assert "paid" in reply.activity["text"].lower()


def test_stranger_is_refused_in_teams(teams: TeamsApp) -> None:
    """Someone not listed gets the refusal, which names no record."""
    teams.send(
        _message(
            STRANGER_AAD, f"status of {REFERENCE}?", activity_id="a2", service_url=teams.fake.url
        )
    )
    (reply,) = teams.fake.wait_for()
    assert REFERENCE not in reply.activity["text"]
    assert "officer" in reply.activity["text"].lower()


def test_officer_in_a_group_chat_is_asked_to_write_privately(teams: TeamsApp) -> None:
    """In a group chat or channel everyone reads the bot's replies, and Teams cannot show
    a message to one person: the officer is asked to write privately, nothing about the
    case is said, and the question is logged, flagged with why it was not answered."""
    for n, kind in enumerate(("groupChat", "channel")):
        teams.send(
            _message(
                OFFICER_AAD,
                f"status of {REFERENCE}?",
                activity_id=f"g{n}",
                service_url=teams.fake.url,
                conversation_type=kind,
            )
        )
        reply = teams.fake.wait_for(n + 1)[n]
        assert "private chat" in reply.activity["text"]
        assert REFERENCE not in reply.activity["text"]
        assert "paid" not in reply.activity["text"].lower()
    with teams.engine.connect() as conn:
        flags = conn.execute(
            select(Contact.flag, Contact.flag_reason).where(Contact.channel == "teams")  # type: ignore[call-overload]
        ).all()
    assert [flag for flag, _ in flags] == ["withheld", "withheld"]
    assert "groupChat" in flags[0][1]


def _draft_card(teams: TeamsApp, message_id: str) -> tuple[int, dict[str, Any]]:
    outcome = teams.pipeline.handle(
        Enquiry(
            channel="email",
            channel_message_id=message_id,
            sender=PAID["email"],
            received_at=NOW,
            subject=REFERENCE,
            text=f"Has my penalty {REFERENCE} been paid?\n{PAID['forenames'].split()[0]} {PAID['surname']}",
        )
    )
    assert outcome.draft_id is not None
    (card,) = teams.fake.wait_for()
    assert f"/v3/conversations/{CLERKS_CONVERSATION}/activities" in card.path
    attachment = card.activity["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return outcome.draft_id, attachment["content"]


def _press(teams: TeamsApp, user: str, activity_id: str, value: dict[str, Any]) -> None:
    """A card button pressed by `user`: Teams sends its data as the activity's value."""
    teams.send(_message(user, "", activity_id=activity_id, service_url=teams.fake.url, value=value))


def _shown_card_submit(content: dict[str, Any], title: str) -> dict[str, Any]:
    """The data a shown card's button submits (Teams adds the card's inputs to it)."""
    action = next(a for a in content["actions"] if a.get("title") == title)
    return dict(action["card"]["actions"][0]["data"])


def test_edit_from_the_card_saves_the_clerks_text(teams: TeamsApp) -> None:
    """Edit shows the draft in a text box; saving it changes the draft and the card."""
    draft_id, content = _draft_card(teams, "<t-edit@example.org>")
    submit = _shown_card_submit(content, "Edit")
    _press(teams, CLERK_AAD, "e1", submit | {"body": EDITED})
    sent = teams.fake.wait_for(3)[1:]
    update = next(s for s in sent if s.method == "PUT")
    assert "Edited" in json.dumps(update.activity)
    draft = get_draft(teams.engine, draft_id)
    assert draft.body == EDITED


def test_reject_from_the_card_needs_a_reason(teams: TeamsApp) -> None:
    """Reject without a reason asks for one and changes nothing; with one, the draft is
    rejected, the reason kept, and the card says so."""
    draft_id, content = _draft_card(teams, "<t-reject@example.org>")
    submit = _shown_card_submit(content, "Reject")
    _press(teams, CLERK_AAD, "r1", submit | {"reason": " "})
    asked = teams.fake.wait_for(2)[1]
    assert "fill in" in asked.activity["text"]
    assert get_draft(teams.engine, draft_id).state == "drafted"

    _press(teams, CLERK_AAD, "r2", submit | {"reason": "Writer is not the person named"})
    sent = teams.fake.wait_for(4)[2:]
    update = next(s for s in sent if s.method == "PUT")
    assert "Rejected" in json.dumps(update.activity)
    draft = get_draft(teams.engine, draft_id)
    assert draft.state == "rejected"
    assert draft.reason == "Writer is not the person named"


def test_draft_card_approve_and_refusals(teams: TeamsApp) -> None:
    """A new draft is posted to the clerks' conversation as an Adaptive Card; a stranger's
    submit is refused; a clerk's Approve queues it and updates the card."""
    draft_id, content = _draft_card(teams, "<t1@example.org>")
    assert REFERENCE in json.dumps(content)
    submit = content["actions"][0]["data"]

    _press(teams, STRANGER_AAD, "a3", submit)
    refused = teams.fake.wait_for(2)[1]
    assert "clerks" in refused.activity["text"]
    assert get_draft(teams.engine, draft_id).state == "drafted"

    _press(teams, CLERK_AAD, "a4", submit)
    sent = teams.fake.wait_for(4)[2:]
    update = next(s for s in sent if s.method == "PUT")
    assert update.path.endswith("/activities/card-activity-1")
    assert "Approved" in json.dumps(update.activity)
    assert get_draft(teams.engine, draft_id).state == "queued"

    _press(teams, CLERK_AAD, "a5", submit)
    again = [s for s in teams.fake.wait_for(5)[4:] if s.method == "POST"]
    assert "already queued" in again[-1].activity["text"]


def test_real_mode_requires_a_valid_token(engine: Engine, tmp_path: Path) -> None:
    """Without anonymous mode, an activity with no token or a forged one gets 401."""
    settings = _settings(tmp_path, "https://proxy.force.example/", teams_app_password="secret")
    web = assembled(settings, engine).web
    with serving(web) as (url, _loop):
        activity = _message(
            OFFICER_AAD,
            "status",
            activity_id="a6",
            service_url="https://smba.trafficmanager.net/uk/",
        )
        assert httpx.post(f"{url}/api/messages", json=activity, timeout=30).status_code == 401
        forged = {"Authorization": "Bearer not.a.token"}
        assert (
            httpx.post(f"{url}/api/messages", json=activity, headers=forged, timeout=30).status_code
            == 401
        )


def test_anonymous_mode_cannot_reach_a_real_connector(engine: Engine, tmp_path: Path) -> None:
    """Anonymous mode is refused unless the connector is on loopback."""
    settings = _settings(tmp_path, "https://smba.trafficmanager.net/uk/")
    with pytest.raises(TeamsSetupError):
        assembled(settings, engine, teams_anonymous_for_tests=True)


def test_malformed_activity_gets_an_error_status(teams: TeamsApp) -> None:
    """An activity that is not JSON, or lacks its conversation, is answered with 400."""
    bad = httpx.post(
        f"{teams.url}/api/messages",
        content="{not json",
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert bad.status_code == 400
    assert teams.send({"type": "message", "text": "x"}).status_code == 400
