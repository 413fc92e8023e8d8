"""Mail that must never get a reply: auto-replies, bounces, lists, and our own mail back.

Answering an out-of-office with a templated reply that draws another out-of-office is a
mail loop; answering a bounce writes to nobody; answering a mailing list writes to
everybody. Such mail is still logged (a clerk may want to see the bounce), but flagged so
no reply is drafted. Every rule names the standard it follows in its reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr

from storage.outbox import OWN_MESSAGE_ID_TAG

# The flags this module sets, as stored on the contact.
BOUNCE = "bounce"
AUTO_REPLY = "auto_reply"
RECEIPT = "receipt"
BULK = "bulk"
MAILING_LIST = "mailing_list"
OWN_MESSAGE = "own_message"

# Mailboxes that only ever send delivery reports (RFC 5321 4.5.1, RFC 2142).
_DAEMON_LOCAL_PARTS = frozenset({"mailer-daemon", "mail-daemon", "postmaster"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a message must not be answered: a flag and a reason a clerk can read."""

    flag: str
    reason: str


@dataclass(frozen=True, slots=True)
class LoopGuard:
    """Recognises mail not to answer. `own_addresses` are the desk's sending addresses."""

    own_addresses: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def for_mail_from(cls, mail_from: str | None) -> LoopGuard:
        """The guard for a desk sending as `mail_from` (MAIL_FROM)."""
        if not mail_from or "@" not in mail_from:
            return cls()
        return cls(own_addresses=frozenset({parseaddr(mail_from)[1].lower()}))

    def check(
        self,
        *,
        headers: Mapping[str, Sequence[str]],
        content_type: str,
        report_type: str | None,
        sender: str,
        message_id: str,
    ) -> Verdict | None:
        """The reason not to answer, or None. `headers` maps lower-case names to values."""

        def first(name: str) -> str:
            values = headers.get(name) or ()
            return values[0].strip().lower() if values else ""

        sender = sender.strip().lower()
        local_part = sender.rpartition("@")[0]
        if content_type == "multipart/report" and report_type == "delivery-status":
            return Verdict(BOUNCE, "delivery status report (RFC 3464)")
        if local_part in _DAEMON_LOCAL_PARTS:
            return Verdict(BOUNCE, f"sent by {local_part} (RFC 5321 4.5.1)")
        if sender and sender in self.own_addresses:
            return Verdict(OWN_MESSAGE, "sent from the desk's own address")
        if self._is_own_message_id(message_id):
            return Verdict(OWN_MESSAGE, "carries a Message-ID the desk made")
        if content_type == "multipart/report" and report_type == "disposition-notification":
            return Verdict(RECEIPT, "read receipt (RFC 8098)")
        auto_submitted = first("auto-submitted").split(";")[0].strip()
        if auto_submitted and auto_submitted != "no":
            return Verdict(AUTO_REPLY, f"Auto-Submitted: {auto_submitted} (RFC 3834)")
        if "x-autoreply" in headers or "x-autorespond" in headers:
            return Verdict(AUTO_REPLY, "X-Autoreply or X-Autorespond header")
        if first("return-path") == "<>":
            return Verdict(AUTO_REPLY, "null envelope sender, Return-Path: <> (RFC 3834 3.3)")
        precedence = first("precedence")
        if precedence in ("bulk", "junk"):
            return Verdict(BULK, f"Precedence: {precedence}")
        if precedence == "auto_reply":
            return Verdict(AUTO_REPLY, "Precedence: auto_reply")
        if precedence == "list" or "list-id" in headers:
            return Verdict(MAILING_LIST, "mailing list message (List-Id, RFC 2919)")
        return None

    @staticmethod
    def _is_own_message_id(message_id: str) -> bool:
        # `storage.outbox.new_message_id` tags the local part; any desk's tag counts, as
        # two desks answering each other would loop just the same.
        local = message_id.strip().strip("<>").lower().rpartition("@")[0]
        return local.endswith("." + OWN_MESSAGE_ID_TAG)
