"""Slack Block Kit for the clerks' channel: the draft card, its buttons and modals.

Text from the public is escaped (`&`, `<`, `>`), so an enquiry cannot ping a channel or
forge a link. A button carries the draft id and the version the clerk saw; a modal
carries them, and where the card lies, in its private metadata: no table is needed to
find the message again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.chat.draft_card import DraftCard

APPROVE = "draft_approve"
EDIT = "draft_edit"
REJECT = "draft_reject"
EDIT_VIEW = "draft_edit_modal"
REJECT_VIEW = "draft_reject_modal"
BODY_BLOCK, BODY_INPUT = "body", "body_input"
REASON_BLOCK, REASON_INPUT = "reason", "reason_input"

SECTION_LIMIT = 2_900  # Slack allows 3,000 characters in a section's text
INPUT_LIMIT = 3_000  # and in a plain-text input


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True, slots=True)
class CardRef:
    """A draft as a clerk saw it, and (for modals) the message that shows it."""

    draft_id: int
    version: int
    channel: str | None = None
    ts: str | None = None

    def dumps(self) -> str:
        return json.dumps({"d": self.draft_id, "v": self.version, "c": self.channel, "t": self.ts})

    @classmethod
    def loads(cls, raw: str) -> CardRef:
        """Read a button value or private metadata; ValueError when it is not ours."""
        try:
            data = json.loads(raw)
            return cls(int(data["d"]), int(data["v"]), data.get("c"), data.get("t"))
        except (TypeError, KeyError, json.JSONDecodeError) as exc:
            raise ValueError("not a draft reference") from exc


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _chunks(text: str, size: int = SECTION_LIMIT) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [" "]


def draft_summary(card: DraftCard) -> str:
    """The notification text (and the fallback when blocks cannot be shown)."""
    urgent = f"URGENT ({card.urgent}): " if card.urgent else ""
    return f"{urgent}Draft {card.draft_id} waiting for a clerk: {card.match_line}"


def draft_blocks(card: DraftCard, *, note: str | None = None) -> list[dict[str, Any]]:
    """The card: buttons while the draft is open; `note` says who acted last, and how."""
    subject = f"\n*Subject:* {escape(card.subject)}" if card.subject else ""
    why = "; ".join(card.reasons) or "none given"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Draft {card.draft_id}"}},
        *([_section(f"*{escape(card.flag_line)}*")] if card.flag_line else []),
        _section(
            f"*From:* {escape(card.sender)} ({escape(card.channel)}){subject}\n"
            f"*Enquiry:*\n>{escape(card.enquiry).replace(chr(10), chr(10) + '>')}"
        ),
        _section(
            f"*Matched record:* {escape(card.match_line)}\n*Why:* {escape(why)}\n"
            f"*Verification:* {card.verification_line}"
            + (
                f"\n*Other candidates:* {escape(', '.join(card.candidates))}"
                if card.candidates and not card.reference
                else ""
            )
            + (
                f"\n*Held because:* {escape(card.hold_reason)}"
                if card.hold_reason and card.is_open
                else ""
            )
        ),
        {"type": "divider"},
    ]
    reply_to = escape(card.recipient or "no recipient")
    blocks.append(_section(f"*Reply to {reply_to}:*"))
    blocks.extend(_section(f"```{escape(part)}```") for part in _chunks(card.body))
    if card.is_open:
        value = CardRef(card.draft_id, card.version).dumps()
        blocks.append(
            {
                "type": "actions",
                "block_id": "draft_actions",
                "elements": [
                    _button("Approve and send", APPROVE, value, style="primary"),
                    _button("Edit", EDIT, value),
                    _button("Reject", REJECT, value, style="danger"),
                ],
            }
        )
    if note or not card.is_open:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": note or state_line(card)}],
            }
        )
    return blocks


def who(actor: str | None) -> str:
    """An actor as stored (`slack:U123`, a desk user name) as Slack shows it."""
    if not actor:
        return "someone"
    if actor.startswith("slack:"):
        return f"<@{actor.removeprefix('slack:')}>"
    return escape(actor)


def state_line(card: DraftCard) -> str:
    if card.state in ("approved", "queued", "sent"):
        return f"Approved by {who(card.approved_by)}; the reply is {card.state}."
    if card.state == "rejected":
        return "Rejected; nothing will be sent."
    return f"Draft is {card.state}."


def _button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def edit_modal(card: DraftCard, ref: CardRef) -> dict[str, Any]:
    field = _text_input(BODY_INPUT, INPUT_LIMIT) | {"initial_value": card.body}
    return _modal(
        EDIT_VIEW, ref, f"Edit draft {card.draft_id}", "Save", BODY_BLOCK, "Reply text", field
    )


def reject_modal(card: DraftCard, ref: CardRef) -> dict[str, Any]:
    field = _text_input(REASON_INPUT, 2_000)
    title = f"Reject draft {card.draft_id}"
    return _modal(REJECT_VIEW, ref, title, "Reject", REASON_BLOCK, "Why is it rejected?", field)


def _text_input(action_id: str, limit: int) -> dict[str, Any]:
    return {
        "type": "plain_text_input",
        "action_id": action_id,
        "multiline": True,
        "max_length": limit,
    }


def _modal(
    callback_id: str,
    ref: CardRef,
    title: str,
    submit: str,
    block_id: str,
    label: str,
    element: dict[str, Any],
) -> dict[str, Any]:
    """A modal with one text box, carrying the draft's reference for its submission."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": ref.dumps(),
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": block_id,
                "label": {"type": "plain_text", "text": label},
                "element": element,
            }
        ],
    }
