"""Errors raised by `mail/`. No imapclient, imaplib, aiosmtplib or socket error leaves it."""

from __future__ import annotations

from lookup.errors import EnquiryDeskError


class MailError(EnquiryDeskError):
    """Something went wrong reading or sending mail."""


class MailboxUnavailable(MailError):
    """The mailbox could not be reached or the connection broke; worth trying again."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"cannot read the mailbox at {where}: {reason}")
        self.where = where
        self.reason = reason


class MailboxLoginFailed(MailError):
    """The IMAP server refused the user name or password: a setting to fix, not a blip."""

    def __init__(self, where: str, answer: str) -> None:
        super().__init__(
            f"the IMAP server at {where} refused the login ({answer}): check "
            "ENQUIRY_DESK_IMAP_USER and ENQUIRY_DESK_IMAP_PASSWORD"
        )
        self.where = where
        self.answer = answer


class SendError(MailError):
    """A message could not be sent. `code` is the SMTP reply code when there was one."""

    def __init__(self, reason: str, *, code: int | None = None) -> None:
        super().__init__(reason if code is None else f"{code} {reason}")
        self.code = code
        self.reason = reason


class TemporarySendError(SendError):
    """Try again later: a 4xx reply, a refused or broken connection, a time-out.

    `affects_all` says the failure is not about this message (the server is unreachable,
    or refused our login), so the rest of the batch should wait too.
    """

    def __init__(self, reason: str, *, code: int | None = None, affects_all: bool = False) -> None:
        super().__init__(reason, code=code)
        self.affects_all = affects_all


class PermanentSendError(SendError):
    """The server refused this message for good (a 5xx reply); sending it again won't help."""
