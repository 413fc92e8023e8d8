"""A real SMTP server for tests: aiosmtpd with STARTTLS (trustme) or implicit TLS, and AUTH.

It records what it accepts, and can be told to answer the next DATA commands with given
replies (a 4xx, a 5xx) before accepting again, or to refuse a recipient.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.mail.dovecot_server import HOST, free_port

SMTP_USER = "desk-sender"
SMTP_PASSWORD = "smtp-test-password"


@dataclass
class RecordingHandler:
    """Accepts mail into `received`; `data_replies` are used up first, one per message."""

    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)
    refused_recipients: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refused_recipients:
            return self.refused_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 2.0.0 OK queued"


def _authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    if (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == SMTP_USER.encode()
        and auth_data.password == SMTP_PASSWORD.encode()
    ):
        return AuthResult(success=True)
    # handled=False makes aiosmtpd answer 535; with True it would answer nothing.
    return AuthResult(success=False, handled=False)


@dataclass
class SmtpServer:
    port: int
    handler: RecordingHandler
    client_context: ssl.SSLContext


@contextmanager
def running_smtp(
    ca: trustme.CA, *, implicit_tls: bool = False, smtputf8: bool = False
) -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 requiring AUTH over TLS (STARTTLS unless `implicit_tls`)."""
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(HOST, "localhost").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    handler = RecordingHandler()
    port = free_port()
    tls: dict[str, Any] = (
        {"ssl_context": server_context}
        if implicit_tls
        else {"tls_context": server_context, "require_starttls": True}
    )
    controller = Controller(
        handler,
        hostname=HOST,
        port=port,
        authenticator=_authenticator,
        auth_required=True,
        # aiosmtpd only counts STARTTLS as TLS for AUTH; under implicit TLS the whole
        # connection is encrypted, so AUTH is allowed outright there.
        auth_require_tls=not implicit_tls,
        server_hostname="localhost",
        # RFC 6531: off unless a test asks, as on many real relays.
        enable_SMTPUTF8=smtputf8,
        **tls,
    )
    controller.start()
    try:
        yield SmtpServer(port=port, handler=handler, client_context=client_context)
    finally:
        controller.stop()
