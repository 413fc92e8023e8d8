"""Mail that must never be answered, as the common mail systems really send it (issue 17):
subject-only out-of-office replies in eight languages, Exchange's own, receipts, reports
without a report type, daemon and list mailboxes, lists known only by RFC 2369 headers.
And a control set of people's mail that looks a little like them, which is answered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mail.attachment_store import DescribeOnly
from mail.loop_guard import AUTO_REPLY, BOUNCE, BULK, MAILING_LIST, RECEIPT, LoopGuard
from mail.parse import MailParser
from tests.mail.messages import plain, raw

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
PARSER = MailParser(guard=LoopGuard.for_mail_from("tickets@force.example"), keeper=DescribeOnly())
OOF_BODY = "I am out of the office until Monday with no access to e-mail."


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Your enquiry about ticket 3462166202",  # Outlook, Exchange
        "Out of Office: Your enquiry",  # older Exchange, Lotus
        "Out of Office AutoReply: Your enquiry",
        "Auto-Reply: Re: ticket",
        "AutoReply: ticket",
        "Ateb awtomatig: Eich ymholiad",  # Welsh Outlook
        "Allan o'r swyddfa: Eich ymholiad",
        "Réponse automatique : Votre demande",  # French Outlook
        "Absence du bureau : Votre demande",
        "Automatische Antwort: Ihre Anfrage",  # German Outlook
        "Abwesenheitsnotiz: Ihre Anfrage",  # German Lotus Notes
        "Respuesta automática: Su consulta",  # Spanish Outlook
        "Fuera de la oficina: Su consulta",
        "Risposta automatica: La sua richiesta",  # Italian Outlook
        "Fuori sede: richiesta",
        "Automatisch antwoord: Uw vraag",  # Dutch Outlook
        "Afwezig: Uw vraag",
        "Odpowiedź automatyczna: Zapytanie",  # Polish Outlook
        "Automatyczna odpowiedź: Zapytanie",
    ],
)
def test_subject_only_auto_replies_are_flagged(subject: str) -> None:
    """No Auto-Submitted header at all: the subject alone says it is a responder."""
    enquiry = PARSER.parse(raw(plain(OOF_BODY, subject=subject)), received_at=NOW)
    assert enquiry.flag == AUTO_REPLY


def test_the_record_holders_own_out_of_office_is_not_answered() -> None:
    """From the address on file, with the reference in the subject: still an auto-reply,
    so no verified draft can go back and loop."""
    message = plain(
        OOF_BODY,
        sender="Lindsey Miles <l.miles@example.org>",
        subject="Automatic reply: Re: Your fixed penalty 3462166202",
    )
    assert PARSER.parse(raw(message), received_at=NOW).flag == AUTO_REPLY


@pytest.mark.parametrize(
    ("subject", "flag"),
    [
        ("Read: Your enquiry", RECEIPT),
        ("Delivered: Your enquiry", RECEIPT),
        ("Lu : Votre demande", RECEIPT),
        ("Gelesen: Ihre Anfrage", RECEIPT),
        ("Undeliverable: Re: Your enquiry", BOUNCE),
        ("Undelivered Mail Returned to Sender", BOUNCE),
        ("Mail delivery failed: returning message to sender", BOUNCE),
        ("Delivery Status Notification (Failure)", BOUNCE),
        ("Unzustellbar: Ihre Anfrage", BOUNCE),
    ],
)
def test_plain_text_receipts_and_failure_reports(subject: str, flag: str) -> None:
    message = plain("Your message was read on 2 November 2026.", subject=subject)
    assert PARSER.parse(raw(message), received_at=NOW).flag == flag


@pytest.mark.parametrize(
    ("extra", "sender", "flag"),
    [
        ({"X-Auto-Response-Suppress": "All"}, "Sam <sam@mail.example>", AUTO_REPLY),
        ({"X-MS-Exchange-Inbox-Rules-Loop": "sam@mail.example"}, "sam@mail.example", AUTO_REPLY),
        ({"Return-Path": "< >"}, "sam@mail.example", AUTO_REPLY),
        ({"Return-Path": "<MAILER-DAEMON@relay.example>"}, "postman@relay.example", BOUNCE),
        ({"List-Unsubscribe": "<mailto:leave@lists.example>"}, "news@lists.example", MAILING_LIST),
        ({"X-Mailman-Version": "2.1.39"}, "residents@lists.example", MAILING_LIST),
        ({}, "residents-request@lists.example", MAILING_LIST),
        ({}, "owner-residents@lists.example", MAILING_LIST),
        ({}, "residents-bounces@lists.example", MAILING_LIST),
    ],
)
def test_exchange_null_senders_daemons_and_lists(
    extra: dict[str, str], sender: str, flag: str
) -> None:
    message = plain("Hello", sender=sender, subject="Your enquiry", extra=extra)
    assert PARSER.parse(raw(message), received_at=NOW).flag == flag


def _report(report_type: str | None, part: str, *, outer: str = "report") -> bytes:
    # Written out as a relay writes it: email's MIME classes cannot build a
    # message/delivery-status part by hand.
    kind = f"multipart/{outer}; boundary=XYZ" + (
        f"; report-type={report_type}" if report_type else ""
    )
    return (
        "From: Mail System <postman@relay.example>\r\n"
        "To: tickets@force.example\r\n"
        "Subject: Your message\r\n"
        "Message-ID: <r1@relay.example>\r\n"
        "MIME-Version: 1.0\r\n"
        f"Content-Type: {kind}\r\n\r\n"
        "--XYZ\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        f"--XYZ\r\nContent-Type: {part}\r\n\r\nReporting-MTA: dns; relay.example\r\n"
        "Action: failed\r\n--XYZ--\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("report_type", "part", "flag"),
    [
        (None, "message/delivery-status", BOUNCE),
        ("delivery-status", "message/delivery-status", BOUNCE),
        ("disposition-notification", "message/disposition-notification", RECEIPT),
        ("feedback-report", "message/feedback-report", BULK),
    ],
)
def test_reports_with_and_without_a_report_type(
    report_type: str | None, part: str, flag: str
) -> None:
    assert PARSER.parse(_report(report_type, part), received_at=NOW).flag == flag


def test_a_delivery_status_part_inside_mixed_mail() -> None:
    """Some servers wrap the report in multipart/mixed: the part still tells."""
    message = _report(None, "message/delivery-status", outer="mixed")
    assert PARSER.parse(message, received_at=NOW).flag == BOUNCE


@pytest.mark.parametrize(
    "subject",
    [
        "Re: Automatic reply: your enquiry",  # a person answering our acknowledgement
        "RE: Out of Office: ticket 3462166202",
        "AW: Automatische Antwort: Ihre Anfrage",
        "Absence from court on 3 December",
        "Read my letter again please",
        "Returning the form",
        "Out of time to pay?",
        "Delivery driver ticket",
    ],
)
def test_people_are_still_answered(subject: str) -> None:
    """The control set: people's subjects that only look a little like a responder's."""
    message = plain("Hello, where is my ticket 3462166202? Thanks, Sam", subject=subject)
    assert PARSER.parse(raw(message), received_at=NOW).flag is None
