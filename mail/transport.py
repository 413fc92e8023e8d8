"""Ways a composed e-mail leaves: an SMTP server, or `.eml` files in a folder.

Every transport raises only `TemporarySendError` (try again later) or
`PermanentSendError` (this message will never go), so the outbox worker needs to know
nothing about aiosmtplib. SMTP reply classes follow RFC 5321 4.2.1: 4yz is transient,
5yz permanent.
"""

from __future__ import annotations

import asyncio
import os
import re
import ssl
import tempfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Literal, Protocol

import aiosmtplib

from mail.errors import PermanentSendError, TemporarySendError

Security = Literal["tls", "starttls", "none"]


class Transport(Protocol):
    """Delivers one message; returns once it is accepted, raises a `SendError` if not."""

    async def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """An SMTP server to send through. The password is never shown in repr."""

    host: str
    port: int = 587
    security: Security = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)
    timeout: float = 60.0


class SmtpTransport:
    """Sends through an SMTP server with aiosmtplib: implicit TLS (`tls`, usually port
    465), STARTTLS (`starttls`, port 587, refused if the server cannot) or plain (`none`),
    with AUTH when a user is set."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    async def send(self, message: EmailMessage) -> None:
        config = self.config
        context = config.ssl_context or ssl.create_default_context()
        # Flattened here with the message's own policy: aiosmtplib would re-fold headers at
        # 78 characters, splitting a long Message-ID onto a line of its own.
        data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
        sender = parseaddr(str(message.get("From", "")))[1]
        recipients = [address for _, address in getaddresses(message.get_all("To", []))]
        # A non-ASCII mailbox needs the SMTPUTF8 extension (RFC 6531); aiosmtplib refuses
        # with SMTPNotSupported when the server does not offer it.
        utf8 = not all(address.isascii() for address in [sender, *recipients])
        try:
            await aiosmtplib.send(
                data,
                sender=sender,
                recipients=recipients,
                mail_options=["SMTPUTF8"] if utf8 else None,
                hostname=config.host,
                port=config.port,
                username=config.user,
                password=config.password,
                use_tls=config.security == "tls",
                # True insists on STARTTLS; False never upgrades (aiosmtplib's None would
                # upgrade opportunistically, which `none` must not).
                start_tls=config.security == "starttls",
                tls_context=context if config.security != "none" else None,
                timeout=config.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            # One recipient per message: its refusal is the message's refusal.
            refusal = exc.recipients[0] if exc.recipients else None
            if refusal is None:
                raise TemporarySendError("the server refused the recipient") from exc
            raise _by_code(refusal.code, refusal.message) from exc
        except aiosmtplib.SMTPAuthenticationError as exc:
            # A wrong password is not this message's fault: hold the batch, keep the mail.
            raise TemporarySendError(
                f"the SMTP server refused the login: {_clean(exc.message)}",
                code=exc.code,
                affects_all=True,
            ) from exc
        except aiosmtplib.SMTPNotSupported as exc:
            # About this message's address, not the server's health: the rest still go.
            raise PermanentSendError(
                "the address is not ASCII and the SMTP server does not offer SMTPUTF8"
            ) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise _by_code(exc.code, exc.message) from exc
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            # Refused connection, TLS failure, time-out, a dropped line: the server, not us.
            raise TemporarySendError(
                f"cannot reach the SMTP server at {config.host}:{config.port}: "
                f"{_clean(str(exc)) or type(exc).__name__}",
                affects_all=True,
            ) from exc


def _by_code(code: int, message: str) -> TemporarySendError | PermanentSendError:
    if 500 <= code < 600:
        return PermanentSendError(_clean(message), code=code)
    return TemporarySendError(_clean(message), code=code)


def _clean(text: str) -> str:
    return " ".join(str(text).split())[:1000]


class FileTransport:
    """Writes each message as `<folder>/<Message-ID>.eml`: the embedded default without an
    SMTP server. Writing the same message twice leaves one file."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path_for(self, message: EmailMessage) -> Path:
        message_id = str(message.get("Message-ID", "")).strip().strip("<>")
        safe = re.sub(r"[^A-Za-z0-9@._+-]", "_", message_id)[:200] or "message"
        return self.folder / f"{safe}.eml"

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._write, message)

    def _write(self, message: EmailMessage) -> None:
        target = self.path_for(message)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".part-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(message.as_bytes())
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise TemporarySendError(f"cannot write to {self.folder}: {exc.strerror}") from exc
