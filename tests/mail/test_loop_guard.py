"""Mail that must not be answered is flagged, with the standard it follows; ordinary mail is not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mail.attachment_store import DescribeOnly
from mail.loop_guard import (
    AUTO_REPLY,
    BOUNCE,
    BULK,
    MAILING_LIST,
    OWN_MESSAGE,
    RECEIPT,
    LoopGuard,
)
from mail.parse import MailParser
from storage.outbox import new_message_id
from tests.mail.messages import plain, raw

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
PARSER = MailParser(
    guard=LoopGuard.for_mail_from("Enquiry Desk <tickets@force.example>"), keeper=DescribeOnly()
)


@pytest.mark.parametrize(
    ("extra", "flag", "reason_part"),
    [
        ({"Auto-Submitted": "auto-replied"}, AUTO_REPLY, "RFC 3834"),
        ({"Auto-Submitted": "auto-generated; owner-email=x@y"}, AUTO_REPLY, "auto-generated"),
        ({"X-Autoreply": "yes"}, AUTO_REPLY, "X-Autoreply"),
        ({"X-Autorespond": "Out of office"}, AUTO_REPLY, "X-Autoreply"),
        ({"Return-Path": "<>"}, AUTO_REPLY, "null envelope sender"),
        ({"Precedence": "bulk"}, BULK, "bulk"),
        ({"Precedence": "junk"}, BULK, "junk"),
        ({"Precedence": "list"}, MAILING_LIST, "List-Id"),
        ({"List-Id": "Residents <residents.lists.example>"}, MAILING_LIST, "RFC 2919"),
    ],
)
def test_auto_replies_bulk_and_list_mail_are_flagged(
    extra: dict[str, str], flag: str, reason_part: str
) -> None:
    """Each auto-reply, bulk or list marker flags the message with its reason."""
    enquiry = PARSER.parse(raw(plain(extra=extra)), received_at=NOW)
    assert enquiry.flag == flag
    assert enquiry.flag_reason is not None
    assert reason_part in enquiry.flag_reason


def test_auto_submitted_no_is_a_person_writing() -> None:
    """`Auto-Submitted: no` (RFC 3834) marks a human message: not flagged."""
    enquiry = PARSER.parse(raw(plain(extra={"Auto-Submitted": "no"})), received_at=NOW)
    assert enquiry.flag is None


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@mx.mail.example",
        "postmaster@mail.example",
        "Mail Delivery <mailer-daemon@x.example>",
    ],
)
def test_daemon_senders_are_bounces(sender: str) -> None:
    """Mail from MAILER-DAEMON or postmaster is a bounce."""
    enquiry = PARSER.parse(raw(plain(sender=sender)), received_at=NOW)
    assert enquiry.flag == BOUNCE


def _report(report_type: str) -> bytes:
    return (
        b"From: Mail System <robot@mx.mail.example>\r\nMessage-ID: <r@x>\r\n"
        b"Content-Type: multipart/report; report-type="
        + report_type.encode()
        + b'; boundary="R"\r\n'
        b"\r\n--R\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        b"--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        b"Final-Recipient: rfc822; nobody@mail.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"--R\r\nContent-Type: message/rfc822\r\n\r\nFrom: tickets@force.example\r\n"
        b"Subject: Your enquiry\r\n\r\nOur reply about ticket 3462166202\r\n--R--\r\n"
    )


def test_delivery_status_report_is_a_bounce_with_the_original_quoted() -> None:
    """A multipart/report delivery-status (RFC 3464) is a bounce; the returned mail is quoted."""
    enquiry = PARSER.parse(_report("delivery-status"), received_at=NOW)
    assert enquiry.flag == BOUNCE
    assert "could not be delivered" in enquiry.text
    assert "3462166202" not in enquiry.text
    assert enquiry.quoted_text is not None
    assert "3462166202" in enquiry.quoted_text


def test_read_receipt_is_flagged() -> None:
    """A disposition notification (read receipt) is flagged, not answered."""
    assert PARSER.parse(_report("disposition-notification"), received_at=NOW).flag == RECEIPT


def test_our_own_mail_coming_back_is_flagged() -> None:
    """Mail from MAIL_FROM, or carrying a Message-ID we made, is our own coming back."""
    from_us = PARSER.parse(raw(plain(sender="tickets@force.example")), received_at=NOW)
    assert from_us.flag == OWN_MESSAGE
    our_id = new_message_id("tickets@force.example")
    relayed = PARSER.parse(raw(plain(message_id=our_id)), received_at=NOW)
    assert relayed.flag == OWN_MESSAGE
    # A reply to our message (our id only in In-Reply-To) is a person writing back.
    reply = PARSER.parse(raw(plain(extra={"In-Reply-To": our_id})), received_at=NOW)
    assert reply.flag is None


def test_ordinary_mail_is_not_flagged() -> None:
    """A plain enquiry from a person passes the guard."""
    assert PARSER.parse(raw(plain()), received_at=NOW).flag is None
