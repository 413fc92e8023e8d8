"""Raw test e-mails, built as mail programs build them."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime


def plain(
    body: str = "Hello,\n\nWhere is my ticket 3462166202?\n\nThanks,\nSam",
    *,
    sender: str = "Sam Writer <sam@mail.example>",
    subject: str = "Ticket query",
    message_id: str | None = "<m1@mail.example>",
    extra: dict[str, str] | None = None,
) -> EmailMessage:
    """A plain-text message from a member of the public to the desk."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = "tickets@force.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
    if message_id:
        message["Message-ID"] = message_id
    for name, value in (extra or {}).items():
        message[name] = value
    message.set_content(body)
    return message


def raw(message: EmailMessage) -> bytes:
    return message.as_bytes()


def numbered(index: int, *, body: str | None = None) -> bytes:
    """A distinct, ordinary enquiry with Message-ID <n{index}@mail.example>."""
    return raw(
        plain(
            body or f"Hello,\n\nQuestion number {index} about ticket 34621662{index:02d}.\n\nSam",
            message_id=f"<n{index}@mail.example>",
            subject=f"Query {index}",
        )
    )
