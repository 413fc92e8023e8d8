"""Adaptive Cards for Teams: the clerks' draft card with Approve, Edit and Reject.

Edit and Reject open a card of their own (`Action.ShowCard`) holding the text box, the
Teams counterpart of Slack's modals. Every submit carries the draft id and the version
the clerk saw, so a stale card is refused by the storage layer, not trusted.
"""

from __future__ import annotations

from typing import Any

from bot.chat.draft_card import DraftCard

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERB = "enquiry_desk"  # the key a submit's data carries, so we know it is ours
APPROVE, EDIT, REJECT = "approve", "edit", "reject"


def _text(text: str, *, weight: str | None = None, subtle: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "TextBlock", "text": text, "wrap": True}
    if weight:
        block["weight"] = weight
    if subtle:
        block["isSubtle"] = True
    return block


def _submit(title: str, verb: str, card: DraftCard, **style: str) -> dict[str, Any]:
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {VERB: verb, "d": card.draft_id, "v": card.version},
        **style,
    }


def draft_card(card: DraftCard, *, note: str | None = None) -> dict[str, Any]:
    """The card; actions while the draft is open, and a line saying who acted last."""
    why = "; ".join(card.reasons) or "none given"
    body: list[dict[str, Any]] = [
        _text(f"Draft {card.draft_id}", weight="Bolder"),
        *([_text(card.flag_line, weight="Bolder")] if card.flag_line else []),
        _text(
            f"From: {card.sender} ({card.channel})" + (f" — {card.subject}" if card.subject else "")
        ),
        _text(card.enquiry, subtle=True),
        _text(f"Matched record: {card.match_line}"),
        _text(f"Why: {why}"),
        _text(f"Verification: {card.verification_line}"),
    ]
    if card.candidates and not card.reference:
        body.append(_text("Other candidates: " + ", ".join(card.candidates)))
    body += [
        _text(f"Reply to {card.recipient or 'no recipient'}:", weight="Bolder"),
        _text(card.body),
    ]
    if note or not card.is_open:
        body.append(_text(note or f"Draft is {card.state}.", weight="Bolder"))
    result: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": "1.4",
        "body": body,
    }
    if card.is_open:
        result["actions"] = [
            _submit("Approve and send", APPROVE, card, style="positive"),
            {
                "type": "Action.ShowCard",
                "title": "Edit",
                "card": {
                    "type": "AdaptiveCard",
                    "body": [
                        {
                            "type": "Input.Text",
                            "id": "body",
                            "isMultiline": True,
                            "value": card.body,
                        }
                    ],
                    "actions": [_submit("Save", EDIT, card)],
                },
            },
            {
                "type": "Action.ShowCard",
                "title": "Reject",
                "card": {
                    "type": "AdaptiveCard",
                    "body": [
                        {
                            "type": "Input.Text",
                            "id": "reason",
                            "isMultiline": True,
                            "placeholder": "Why is it rejected?",
                        }
                    ],
                    "actions": [_submit("Reject", REJECT, card, style="destructive")],
                },
            },
        ]
    return result
