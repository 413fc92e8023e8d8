"""Clerks act on drafts from the Slack channel: cards, buttons, modals, and who may act."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import trustme

from bot.chat.slack_blocks import (
    APPROVE,
    BODY_BLOCK,
    BODY_INPUT,
    EDIT,
    EDIT_VIEW,
    REASON_BLOCK,
    REASON_INPUT,
    REJECT,
    REJECT_VIEW,
)
from lookup.enquiry import Enquiry
from mail.outbox_sender import send_due
from mail.transport import SmtpConfig, SmtpTransport
from storage.drafts import get_draft
from tests.bot.chat.conftest import (
    CLERK,
    CLERK_CHANNEL,
    NOW,
    OTHER_CLERK,
    PAID,
    STRANGER,
    ServedApp,
)
from tests.bot.chat.signing import interaction_body
from tests.mail.smtp_server import SMTP_PASSWORD, SMTP_USER, running_smtp

WRITER = PAID["email"]  # on file for the paid fixed penalty
REFERENCE = PAID["reference"]
NAME = f"{PAID['forenames'].split()[0]} {PAID['surname']}"  # as the writer signs
EDITED = f"Dear {PAID['forenames']} {PAID['surname']}, it is paid."


def _new_draft(served: ServedApp) -> tuple[int, dict[str, Any]]:
    """A member of the public writes; the pipeline drafts (in this thread, as the mail
    worker does) and the clerks' channel gets the card."""
    outcome = served.pipeline.handle(
        Enquiry(
            channel="email",
            channel_message_id="<q1@example.org>",
            sender=WRITER,
            received_at=NOW,
            subject=f"My ticket {REFERENCE}",
            text=f"Hello, has my fixed penalty {REFERENCE} been paid?\n\nThanks,\n{NAME}",
            sender_name=NAME,
        )
    )
    assert outcome.draft_id is not None
    card = served.fake.wait_for("chat.postMessage")[0]
    assert card.params["channel"] == CLERK_CHANNEL
    return outcome.draft_id, card.params


def _buttons(blocks: list[dict[str, Any]]) -> dict[str, str]:
    actions = [b for b in blocks if b["type"] == "actions"]
    return {e["action_id"]: e["value"] for a in actions for e in a["elements"]}


def _press(
    served: ServedApp, user: str, action: str, value: str, ts: str = "1700000000.000001"
) -> int:
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "token": "unused",
        "trigger_id": f"trigger-{time.monotonic_ns()}",
        "container": {"type": "message", "message_ts": ts, "channel_id": CLERK_CHANNEL},
        "channel": {"id": CLERK_CHANNEL},
        "message": {"ts": ts},
        "actions": [
            {"action_id": action, "block_id": "draft_actions", "value": value, "type": "button"}
        ],
    }
    return served.post_slack(*interaction_body(payload)).status_code


def _submit(
    served: ServedApp, user: str, callback: str, meta: str, block: str, field: str, text: str
) -> dict[str, Any]:
    payload = {
        "type": "view_submission",
        "user": {"id": user},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "token": "unused",
        "trigger_id": "t",
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": callback,
            "private_metadata": meta,
            "state": {"values": {block: {field: {"type": "plain_text_input", "value": text}}}},
        },
    }
    response = served.post_slack(*interaction_body(payload))
    assert response.status_code == 200
    return json.loads(response.text) if response.text else {}


def test_new_draft_is_posted_with_the_match_and_buttons(served: ServedApp) -> None:
    """The card shows the enquiry, the matched record and why, verification, the draft text,
    and Approve, Edit and Reject."""
    draft_id, params = _new_draft(served)
    text = json.dumps(params["blocks"])
    assert REFERENCE in text
    assert "has my fixed penalty" in text
    assert "verified: the writer's own details agree" in text
    assert get_draft(served.engine, draft_id).body.splitlines()[0][:30] in text
    assert set(_buttons(params["blocks"])) == {APPROVE, EDIT, REJECT}


def test_only_clerks_may_act(served: ServedApp) -> None:
    """A press by someone not a clerk gets a private refusal and changes nothing."""
    draft_id, params = _new_draft(served)
    assert _press(served, STRANGER, APPROVE, _buttons(params["blocks"])[APPROVE]) == 200
    refusal = served.fake.wait_for("chat.postEphemeral")[0].params
    assert refusal["user"] == STRANGER
    assert "clerks" in refusal["text"]
    assert get_draft(served.engine, draft_id).state == "drafted"
    assert served.fake.of("chat.update") == []


def test_approve_updates_the_card_and_a_second_click_is_refused(served: ServedApp) -> None:
    """Approve queues the reply and the card says who approved; a second click is told it
    is already done, and nothing is queued twice."""
    draft_id, params = _new_draft(served)
    value = _buttons(params["blocks"])[APPROVE]
    _press(served, CLERK, APPROVE, value)
    update = served.fake.wait_for("chat.update")[0].params
    assert f"<@{CLERK}>" in json.dumps(update["blocks"])
    assert _buttons(update["blocks"]) == {}
    assert get_draft(served.engine, draft_id).state == "queued"
    _press(served, OTHER_CLERK, APPROVE, value)
    again = served.fake.wait_for("chat.postEphemeral")[0].params
    assert again["user"] == OTHER_CLERK
    assert "already queued" in again["text"]
    with served.engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from outbox").scalar_one() == 1


def test_edit_in_a_modal_then_maker_checker_and_a_stale_card(served: ServedApp) -> None:
    """Edit opens a modal with the text; saving updates the draft and the card. The editor
    may not approve it; the old card's button is stale; another clerk approves."""
    draft_id, params = _new_draft(served)
    old_value = _buttons(params["blocks"])[APPROVE]
    _press(served, CLERK, EDIT, _buttons(params["blocks"])[EDIT])
    view = served.fake.wait_for("views.open")[0].params["view"]
    assert view["blocks"][0]["element"]["initial_value"] == get_draft(served.engine, draft_id).body
    answer = _submit(
        served,
        CLERK,
        EDIT_VIEW,
        view["private_metadata"],
        BODY_BLOCK,
        BODY_INPUT,
        EDITED,
    )
    assert answer == {}
    draft = get_draft(served.engine, draft_id)
    assert (draft.state, draft.body, draft.version) == ("edited", EDITED, 2)
    update = served.fake.wait_for("chat.update")[0].params
    new_value = _buttons(update["blocks"])[APPROVE]
    assert json.loads(new_value)["v"] == 2

    _press(served, OTHER_CLERK, APPROVE, old_value)
    stale = served.fake.wait_for("chat.postEphemeral")[0].params["text"]
    assert "changed since" in stale
    _press(served, CLERK, APPROVE, new_value)
    own = served.fake.wait_for("chat.postEphemeral", 2)[1].params["text"]
    assert "another clerk must approve" in own
    assert get_draft(served.engine, draft_id).state == "edited"
    _press(served, OTHER_CLERK, APPROVE, new_value)
    deadline = time.monotonic() + 10
    while get_draft(served.engine, draft_id).state != "queued" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert get_draft(served.engine, draft_id).approved_by == f"slack:{OTHER_CLERK}"


def test_reject_asks_for_a_reason(served: ServedApp) -> None:
    """Reject opens a modal; an empty reason is refused in the modal, a reason rejects."""
    draft_id, params = _new_draft(served)
    _press(served, CLERK, REJECT, _buttons(params["blocks"])[REJECT])
    view = served.fake.wait_for("views.open")[0].params["view"]
    assert view["callback_id"] == REJECT_VIEW
    empty = _submit(
        served, CLERK, REJECT_VIEW, view["private_metadata"], REASON_BLOCK, REASON_INPUT, "  "
    )
    assert empty["response_action"] == "errors"
    assert get_draft(served.engine, draft_id).state == "drafted"
    assert (
        _submit(
            served,
            CLERK,
            REJECT_VIEW,
            view["private_metadata"],
            REASON_BLOCK,
            REASON_INPUT,
            "Wrong person",
        )
        == {}
    )
    assert get_draft(served.engine, draft_id).state == "rejected"
    update = served.fake.wait_for("chat.update")[0].params
    assert "Rejected by" in json.dumps(update["blocks"])


def test_a_stranger_cannot_submit_a_modal(served: ServedApp) -> None:
    """A view submission from someone not a clerk is refused inside the modal."""
    draft_id, _params = _new_draft(served)
    meta = json.dumps({"d": draft_id, "v": 1, "c": CLERK_CHANNEL, "t": "1.1"})
    answer = _submit(served, STRANGER, REJECT_VIEW, meta, REASON_BLOCK, REASON_INPUT, "no")
    assert answer["response_action"] == "errors"
    assert get_draft(served.engine, draft_id).state == "drafted"


def test_approve_produces_a_sent_mail(served: ServedApp) -> None:
    """Approve in Slack, then the outbox sender: the reply arrives at an SMTP receiver."""
    draft_id, params = _new_draft(served)
    _press(served, CLERK, APPROVE, _buttons(params["blocks"])[APPROVE])
    served.fake.wait_for("chat.update")
    body = get_draft(served.engine, draft_id).body
    with running_smtp(trustme.CA()) as smtp:
        transport = SmtpTransport(
            SmtpConfig(
                "127.0.0.1", smtp.port, "starttls", SMTP_USER, SMTP_PASSWORD, smtp.client_context
            )
        )
        counts = asyncio.run(
            send_due(
                served.engine,
                transport,
                mail_from="tickets@force.example",
                now=datetime.now(UTC)
                + timedelta(minutes=1),  # the clerk's click used the real clock
            )
        )
        assert counts.sent == 1
        (message,) = smtp.handler.received
    assert message["To"] == WRITER
    sent_text = message.get_body(("plain",)).get_content()
    assert sent_text.split() == body.split()  # the same words; line endings are the wire's
    assert get_draft(served.engine, draft_id).state == "sent"
