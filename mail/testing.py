"""Fakes for tests, shipped beside the real transports (as httpx ships `MockTransport`).

Each speaks the interface the real part speaks, so code under test takes it where it
would take the real one; nothing here opens a socket.

- `RecordingTransport`: a `transport.Transport` that accepts every message and keeps it,
  for the outbox worker (`outbox_sender.send_due`) without an SMTP server.
- `LoggingHandler`: a `sources.EnquiryHandler` that does what the pipeline does first
  (log the contact, record its attachments) and keeps what it was given, for a mail
  source (`ImapSource`, `MaildirSource`) without the rest of the pipeline; it can be told
  to fail, as a database outage would.

The real servers the tests also run against (Dovecot, aiosmtpd) are not faked here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage

from lookup.enquiry import Enquiry
from mail.sources import Clock, utc_now
from storage.attachments import record_attachments
from storage.contact_log import inbound_contact, log_contact
from storage.engine import Engine

__all__ = ["LoggingHandler", "RecordingTransport"]


@dataclass
class RecordingTransport:
    """A transport that accepts everything and keeps what it was given, in order."""

    sent: list[EmailMessage] = field(default_factory=list)

    async def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


@dataclass
class LoggingHandler:
    """What the pipeline does first: log the contact and record its attachments.

    `seen` and `contact_ids` grow by one for each enquiry logged. While `fail_next` is
    above zero, each call lowers it by one and raises instead of logging, so the source
    must leave the message where it is and offer it again later.
    """

    engine: Engine
    seen: list[Enquiry] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    fail_next: int = 0
    clock: Clock = utc_now

    def __call__(self, enquiry: Enquiry) -> int:
        if self.fail_next > 0:
            self.fail_next -= 1
            raise RuntimeError("simulated outage")
        logged = log_contact(self.engine, inbound_contact(enquiry), now=self.clock())
        record_attachments(self.engine, logged.id, enquiry.attachments)
        self.seen.append(enquiry)
        self.contact_ids.append(logged.id)
        return logged.id
