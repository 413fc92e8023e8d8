"""Mail that must never get a reply: auto-replies, bounces, lists, and our own mail back.

Answering an out-of-office with a templated reply that draws another out-of-office is a
mail loop; answering a bounce writes to nobody; answering a mailing list writes to
everybody. Such mail is still logged (a clerk may want to see the bounce), but flagged so
no reply is drafted. Every rule names the standard it follows in its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr

from lookup.enquiry import Flag
from mail.auto_reply_subjects import auto_subject
from storage.outbox import OWN_MESSAGE_ID_TAG

# The flags this module sets, as stored on the contact.
BOUNCE = Flag.BOUNCE
AUTO_REPLY = Flag.AUTO_REPLY
RECEIPT = Flag.RECEIPT
BULK = Flag.BULK
MAILING_LIST = Flag.MAILING_LIST
OWN_MESSAGE = Flag.OWN_MESSAGE

# Mailboxes that only ever send delivery reports (RFC 5321 4.5.1, RFC 2142).
_DAEMON_LOCAL_PARTS = frozenset({"mailer-daemon", "mail-daemon", "postmaster", "mailerdaemon"})
# List software's own mailboxes: Mailman's -request, -bounces and -owner, Majordomo's
# owner- (RFC 2142 section 6 reserves the -request suffix for list administration).
_LIST_SUFFIXES = ("-request", "-bounces", "-owner", "-admin")
_LIST_PREFIXES = ("owner-",)
# The other list headers of RFC 2369 (List-Id is RFC 2919), and what Mailman adds.
_LIST_HEADERS = (
    "list-id",
    "list-unsubscribe",
    "list-post",
    "list-help",
    "list-subscribe",
    "list-owner",
    "list-archive",
    "x-mailman-version",
    "x-beenthere",
)
# Parts that only machine reports carry: a delivery status (RFC 3464), a disposition
# notification (RFC 8098, formerly 3798) and an abuse feedback report (RFC 5965).
_REPORT_PARTS = {
    "message/delivery-status": (BOUNCE, "a delivery status part (RFC 3464)"),
    "message/global-delivery-status": (BOUNCE, "a delivery status part (RFC 6533)"),
    "message/disposition-notification": (RECEIPT, "a disposition notification (RFC 8098)"),
    "message/feedback-report": (BULK, "an abuse feedback report (RFC 5965)"),
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a message must not be answered: a flag and a reason a clerk can read."""

    flag: Flag
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
        subject: str = "",
        part_types: Iterable[str] = (),
    ) -> Verdict | None:
        """The reason not to answer, or None. `headers` maps lower-case names to values;
        `part_types` are the content types of the message's parts (as many as were read)."""

        def first(name: str) -> str:
            values = headers.get(name) or ()
            return values[0].strip().lower() if values else ""

        sender = sender.strip().lower()
        local_part = sender.rpartition("@")[0]
        # "<>", "< >": the null reverse-path, whatever spaces a relay wrote into it.
        return_path = "".join(first("return-path").split())
        return_local = parseaddr(return_path)[1].rpartition("@")[0]
        if content_type == "multipart/report":
            if report_type == "disposition-notification":
                return Verdict(RECEIPT, "read receipt (RFC 8098)")
            if report_type == "feedback-report":
                return Verdict(BULK, "abuse feedback report (RFC 5965)")
            # A report of any other or no report-type is a delivery report in practice.
            return Verdict(BOUNCE, "delivery status report (RFC 3462/3464)")
        for part in part_types:
            if part in _REPORT_PARTS:
                return Verdict(*_REPORT_PARTS[part])
        if local_part in _DAEMON_LOCAL_PARTS:
            return Verdict(BOUNCE, f"sent by {local_part} (RFC 5321 4.5.1)")
        if return_local in _DAEMON_LOCAL_PARTS:
            return Verdict(BOUNCE, f"Return-Path {return_local} (RFC 5321 4.5.1)")
        if sender and sender in self.own_addresses:
            return Verdict(OWN_MESSAGE, "sent from the desk's own address")
        if self._is_own_message_id(message_id):
            return Verdict(OWN_MESSAGE, "carries a Message-ID the desk made")
        auto_submitted = first("auto-submitted").split(";")[0].strip()
        if auto_submitted and auto_submitted != "no":
            return Verdict(AUTO_REPLY, f"Auto-Submitted: {auto_submitted} (RFC 3834)")
        if "x-autoreply" in headers or "x-autorespond" in headers:
            return Verdict(AUTO_REPLY, "X-Autoreply or X-Autorespond header")
        if "x-autogenerated" in headers or "x-ms-exchange-inbox-rules-loop" in headers:
            return Verdict(AUTO_REPLY, "generated by a mail rule (X-Autogenerated, Exchange)")
        if any(v in first("x-auto-response-suppress") for v in ("all", "oof")):
            # Exchange puts this on its own out-of-office and rule replies.
            return Verdict(AUTO_REPLY, "Exchange automatic reply (X-Auto-Response-Suppress)")
        if return_path == "<>":
            return Verdict(AUTO_REPLY, "null envelope sender, Return-Path: <> (RFC 3834 3.3)")
        precedence = first("precedence")
        if precedence in ("bulk", "junk"):
            return Verdict(BULK, f"Precedence: {precedence}")
        if precedence == "auto_reply":
            return Verdict(AUTO_REPLY, "Precedence: auto_reply")
        if precedence == "list" or any(name in headers for name in _LIST_HEADERS):
            return Verdict(MAILING_LIST, "mailing list message (List-Id, RFC 2919; RFC 2369)")
        if local_part.endswith(_LIST_SUFFIXES) or local_part.startswith(_LIST_PREFIXES):
            return Verdict(MAILING_LIST, "sent by a list's own mailbox (RFC 2142 section 6)")
        by_subject = auto_subject(subject)
        if by_subject == "auto_reply":
            return Verdict(AUTO_REPLY, "the subject of an automatic reply")
        if by_subject == "bounce":
            return Verdict(BOUNCE, "the subject of a delivery failure report")
        if by_subject == "receipt":
            return Verdict(RECEIPT, "the subject of a read or delivery receipt")
        return None

    @staticmethod
    def _is_own_message_id(message_id: str) -> bool:
        # `storage.outbox.new_message_id` tags the local part; any desk's tag counts, as
        # two desks answering each other would loop just the same.
        local = message_id.strip().strip("<>").lower().rpartition("@")[0]
        return local.endswith("." + OWN_MESSAGE_ID_TAG)
