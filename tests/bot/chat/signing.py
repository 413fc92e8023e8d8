"""Slack request signing for tests: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier


def signed_headers(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


def event_body(event: dict[str, Any], *, event_id: str) -> tuple[str, str]:
    """An Events API callback: (body, content type)."""
    payload = {
        "token": "unused",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": event,
    }
    return json.dumps(payload), "application/json"


def form_body(fields: dict[str, str]) -> tuple[str, str]:
    """A slash command's form body."""
    return urlencode(fields), "application/x-www-form-urlencoded"


def interaction_body(payload: dict[str, Any]) -> tuple[str, str]:
    """Block actions and view submissions arrive as a form field `payload`."""
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
