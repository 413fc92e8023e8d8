"""What a channel adapter hands on: one enquiry as it arrived, cleaned, with no I/O attached.

Mail (IMAP, Maildir) and chat (Slack, Teams) adapters build these; the pipeline in `bot/`
logs, matches and drafts from them. It lives at the bottom of the package tree so every
layer may name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from lookup.channels import Channel


class Flag(StrEnum):
    """Why an enquiry is logged and shown to a clerk but never answered, as stored on its
    contact. The mail reasons cite their standards in `mail.loop_guard` and `mail.parse`."""

    BOUNCE = "bounce"
    AUTO_REPLY = "auto_reply"
    RECEIPT = "receipt"
    BULK = "bulk"
    MAILING_LIST = "mailing_list"
    OWN_MESSAGE = "own_message"
    UNPARSEABLE = "unparseable"
    MALFORMED = "malformed"
    NO_SENDER = "no_sender"
    # Chat: the asker is not an authorised officer; they get a refusal, nothing else.
    UNAUTHORISED = "unauthorised"
    # Chat: asked where others can read the answer (a shared conversation).
    WITHHELD = "withheld"
    # Mail: a different message under a Message-ID already logged (a broken mailer):
    # kept as its own contact for a clerk, not answered as if it were new.
    REUSED_MESSAGE_ID = "reused_message_id"


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment as recorded: never its content, only where a kept copy lies."""

    filename: str
    content_type: str
    size: int
    sha256: str
    stored_path: str | None = None  # None when over the size limit or not kept


@dataclass(frozen=True, slots=True)
class Enquiry:
    """One inbound message.

    `channel_message_id` is the channel's own id (an email's Message-ID, a Slack event
    id): logging is idempotent on it. `text` is the writer's new text, with their sign-off
    after a "-- " line when they wrote one (their name and date of birth there count);
    `quoted_text` holds quoted earlier and forwarded messages, kept for the record but
    never matched on.
    `flag` set by the adapter (an auto-reply, a bounce, a message it could not parse) means
    the enquiry is logged and shown to a clerk, and no reply is drafted.
    """

    channel: Channel
    channel_message_id: str
    sender: str
    received_at: datetime
    text: str
    subject: str = ""
    sender_name: str | None = None
    quoted_text: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    thread_key: str | None = None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    flag: Flag | None = None
    flag_reason: str | None = None
    # Chat only: the asker is an authorised officer (collar number), checked by the adapter.
    officer: str | None = None
    # Mail only: the force's own receiving server (a TRUSTED_AUTHSERV_IDS authserv-id, in
    # the topmost such Authentication-Results header, RFC 8601) says the From domain passed
    # DMARC (RFC 7489). Only then may the sender address count as a personal identifier
    # (contracts.md, section 2): otherwise a From line proves nothing.
    sender_authenticated: bool = False
    # Mail only: a hash of what the message says (`mail.parse.content_key`), so that a
    # different message reusing a Message-ID is not taken for a redelivery. Empty for chat.
    content_key: str = ""

    def __post_init__(self) -> None:
        # An adapter that passes a plain string gets it checked here: a misspelt channel
        # or flag fails where it is made, not later as a quiet "not chat".
        object.__setattr__(self, "channel", Channel(self.channel))
        if self.flag is not None:
            object.__setattr__(self, "flag", Flag(self.flag))
