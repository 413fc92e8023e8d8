"""Officers ask in Slack; signed requests go into the running app, answers reach the fake API."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import Engine, select

from storage.tables import Contact
from tests.bot.chat.conftest import (
    GROUP_OFFICER,
    OFFICER,
    PAID,
    STRANGER,
    ServedApp,
    assembled,
    chat_settings,
    serving,
)
from tests.bot.chat.fake_slack import running_fake_slack
from tests.bot.chat.signing import event_body, form_body, interaction_body, signed_headers

REFERENCE = PAID["reference"]  # fpn, paid


def _dm(user: str, text: str, *, event_id: str, ts: str = "1700000100.000001") -> tuple[str, str]:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0001",
        "user": user,
        "text": text,
        "ts": ts,
    }
    return event_body(event, event_id=event_id)


def _contacts(served: ServedApp) -> list[Contact]:
    with served.engine.connect() as conn:
        rows = conn.execute(select(Contact).order_by(Contact.id)).all()  # type: ignore[arg-type]
    return [Contact(**dict(r._mapping)) for r in rows]


def test_officer_direct_message_gets_the_status_in_the_thread(served: ServedApp) -> None:
    """An authorised officer's DM about a sample record is answered in its thread with the
    record's status, and both question and answer are logged contacts."""
    response = served.post_slack(*_dm(OFFICER, f"status of {REFERENCE}?", event_id="Ev001"))
    assert response.status_code == 200
    posted = served.fake.wait_for("chat.postMessage")[0].params
    assert posted["channel"] == "D0001"
    assert posted["thread_ts"] == "1700000100.000001"
    assert REFERENCE in posted["text"]
    assert "paid" in posted["text"].lower()
    deadline = time.monotonic() + 10
    while len(_contacts(served)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    inbound, outbound = _contacts(served)
    assert (inbound.channel, inbound.direction, inbound.channel_message_id) == (
        "slack",
        "in",
        "Ev001",
    )
    assert inbound.flag is None
    assert (outbound.direction, outbound.party) == ("out", OFFICER)
    assert outbound.channel_message_id.startswith("D0001:")
    assert outbound.record_id is not None
    assert outbound.record_id == inbound.record_id


def test_group_member_mentions_the_bot_in_a_channel(served: ServedApp) -> None:
    """A member of the officers' user group mentioning the bot in a channel is answered
    in the thread, visible to that officer only: others in the channel may not be
    officers. The answer is still a logged contact."""
    event = {
        "type": "app_mention",
        "channel": "C0PUBLIC",
        "user": GROUP_OFFICER,
        "text": f"<@UBOT0001> where is {REFERENCE}",
        "ts": "1700000200.000001",
    }
    served.post_slack(*event_body(event, event_id="Ev002"))
    posted = served.fake.wait_for("chat.postEphemeral")[0].params
    assert (posted["channel"], posted["user"]) == ("C0PUBLIC", GROUP_OFFICER)
    assert posted["thread_ts"] == "1700000200.000001"
    assert "paid" in posted["text"].lower()
    assert served.fake.of("usergroups.users.list")
    deadline = time.monotonic() + 10
    while len(_contacts(served)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _contacts(served)[1].channel_message_id.startswith("C0PUBLIC:")
    assert not served.fake.of("chat.postMessage")  # nothing the channel can read


def test_slash_command_in_a_channel_is_answered_to_the_officer_only(served: ServedApp) -> None:
    """`/case` typed in a channel: the answer is shown to the officer who asked, not
    posted for the channel."""
    assert served.post_slack(*form_body(_case_command("C0PUBLIC", "555.666"))).status_code == 200
    posted = served.fake.wait_for("chat.postEphemeral")[0].params
    assert (posted["channel"], posted["user"]) == ("C0PUBLIC", OFFICER)
    assert "paid" in posted["text"].lower()
    assert not served.fake.of("chat.postMessage")


def _case_command(channel: str, trigger: str, text: str = REFERENCE) -> dict[str, str]:
    return {
        "command": "/case",
        "text": text,
        "user_id": OFFICER,
        "channel_id": channel,
        "trigger_id": trigger,
        "team_id": "T1",
        "response_url": "http://127.0.0.1:1/unused",
    }


def test_slash_command_answers_and_empty_command_shows_usage(served: ServedApp) -> None:
    """`/case REF` posts the answer; `/case` alone is answered with how to use it."""
    fields = _case_command("D0002", "111.222")
    assert served.post_slack(*form_body(fields)).status_code == 200
    posted = served.fake.wait_for("chat.postMessage")[0].params
    assert posted["channel"] == "D0002"
    assert "paid" in posted["text"].lower()
    empty = served.post_slack(*form_body(fields | {"text": " ", "trigger_id": "333.444"}))
    assert "/case" in empty.text
    time.sleep(0.3)
    assert len(served.fake.of("chat.postMessage")) == 1


def test_unauthorised_user_is_refused_and_the_attempt_logged(served: ServedApp) -> None:
    """Someone not listed gets a refusal that reveals nothing; the attempt is logged."""
    served.post_slack(*_dm(STRANGER, f"status of {REFERENCE}?", event_id="Ev003"))
    text = served.fake.wait_for("chat.postMessage")[0].params["text"]
    assert REFERENCE not in text
    assert "paid" not in text.lower()
    assert "officer" in text.lower()
    flagged = [c for c in _contacts(served) if c.direction == "in"]
    assert flagged[0].flag == "unauthorised"
    assert flagged[0].record_id is None


def test_redelivered_event_is_answered_once(served: ServedApp) -> None:
    """Slack's retry of an event (same event id) does not produce a second answer."""
    body = _dm(OFFICER, f"status of {REFERENCE}?", event_id="Ev004")
    served.post_slack(*body)
    served.fake.wait_for("chat.postMessage")
    retry = served.post_slack(
        *body,
        headers=signed_headers("8f742231b10e8888abcd99yyyzzz85a5", body[0])
        | {"X-Slack-Retry-Num": "1"},
    )
    assert retry.status_code == 200
    time.sleep(0.5)
    assert len(served.fake.of("chat.postMessage")) == 1


def test_bot_and_edited_messages_are_not_questions(served: ServedApp) -> None:
    """Message events with a subtype or from a bot are ignored, so the bot never loops."""
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": OFFICER,
        "text": REFERENCE,
        "ts": "1.1",
        "subtype": "message_changed",
    }
    served.post_slack(*event_body(event, event_id="Ev005"))
    bot = {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "bot_id": "B9",
        "text": REFERENCE,
        "ts": "1.2",
    }
    served.post_slack(*event_body(bot, event_id="Ev006"))
    time.sleep(0.5)
    assert served.fake.of("chat.postMessage") == []
    assert _contacts(served) == []


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="unsigned"),
        pytest.param(
            {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"},
            id="bad-signature",
        ),
    ],
)
def test_unsigned_or_forged_requests_are_refused(
    served: ServedApp, headers: dict[str, str]
) -> None:
    """A request without a valid signature gets 401 and does nothing."""
    body, kind = _dm(OFFICER, REFERENCE, event_id="Ev007")
    assert served.post_slack(body, kind, headers=headers).status_code == 401
    time.sleep(0.3)
    assert served.fake.of("chat.postMessage") == []
    assert _contacts(served) == []


def test_replayed_request_with_an_old_timestamp_is_refused(served: ServedApp) -> None:
    """A correctly signed request older than five minutes (a replay) gets 401."""
    body, kind = _dm(OFFICER, REFERENCE, event_id="Ev008")
    old = signed_headers("8f742231b10e8888abcd99yyyzzz85a5", body, timestamp=int(time.time()) - 600)
    assert served.post_slack(body, kind, headers=old).status_code == 401
    time.sleep(0.3)
    assert _contacts(served) == []


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        pytest.param("payload=%7Bnot+json", "application/x-www-form-urlencoded", id="bad-payload"),
        pytest.param("{not json", "application/json", id="bad-json"),
        pytest.param(
            *interaction_body(
                {"type": "block_actions", "actions": [{"action_id": "draft_approve", "value": "x"}]}
            ),
            id="incomplete-action",
        ),
    ],
)
def test_malformed_payloads_get_an_error_status_and_are_logged(
    served: ServedApp, body: str, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Signed but unreadable payloads are answered with a 4xx status and logged."""
    caplog.set_level(logging.WARNING)
    response = served.post_slack(body, kind)
    assert 400 <= response.status_code < 500
    time.sleep(0.3)
    assert served.fake.of("chat.postMessage") == []
    assert caplog.records, "the refusal was not logged"


def test_a_forty_thousand_character_question_is_answered(served: ServedApp) -> None:
    """A 40,000-character question is answered, within a generous bound."""
    text = f"status of {REFERENCE} " + "and more words " * 2_700
    assert len(text) >= 40_000
    start = time.monotonic()
    served.post_slack(*_dm(OFFICER, text[:40_000], event_id="Ev009"))
    posted = served.fake.wait_for("chat.postMessage", timeout=20)[0].params
    assert time.monotonic() - start < 10
    assert "paid" in posted["text"].lower()


def test_socket_mode_mounts_no_route_and_keeps_trying_to_connect(
    engine: Engine, tmp_path: Path
) -> None:
    """In Socket Mode there is no `/slack/events`; the app asks Slack for a connection, and
    Slack refusing it leaves the rest of the server up."""
    with running_fake_slack() as fake:
        settings = chat_settings(
            tmp_path,
            fake,
            slack_mode="socket",
            slack_app_token="xapp-test",
            slack_signing_secret=None,
        )
        web = assembled(settings, engine).web
        with serving(web) as (url, _loop):
            fake.wait_for("apps.connections.open")
            assert httpx.post(f"{url}/slack/events", content="{}").status_code == 404
            assert httpx.get(f"{url}/healthz").status_code == 200
