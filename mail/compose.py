"""The e-mail for one approved reply, as it goes out.

Threading (RFC 5322 3.6.4): In-Reply-To names the message answered and References
carries the thread, so the writer's mail program shows the reply under their enquiry.

Loop safety: `Auto-Submitted: auto-replied` (RFC 3834 section 5) tells well-behaved
responders not to answer, and `X-Auto-Response-Suppress: OOF, AutoReply` asks Exchange to send no
out-of-office or rule reply. Delivery reports are deliberately not suppressed (that would
be `All`): a bounce tells the clerk the reply never arrived. `Precedence: bulk` is left
out: it is not standard (RFC 3834 leaves it to Auto-Submitted, RFC 2076 discourages it),
and it marks a personal reply as mass mail to spam filters.
"""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from mail.addresses import checked_recipient
from storage.outbox import OutgoingMail

# CRLF line ends for SMTP; headers folded only past RFC 5322's 998-octet limit, because
# folding at 78 would split a long Message-ID onto its own line, which some mail programs
# then fail to match when threading.
_POLICY = policy.SMTP.clone(max_line_length=998)

# The same, for a recipient whose local part is not ASCII: headers in UTF-8 as they are,
# which only an SMTPUTF8 server accepts (RFC 6531 section 3.2); encoded words there are
# not allowed in an address.
_UTF8_POLICY = _POLICY.clone(utf8=True)

# Longest References header kept: the root and the most recent ids (RFC 5322 allows it).
_MAX_REFERENCES = 20


def compose(mail: OutgoingMail, *, mail_from: str, now: datetime) -> EmailMessage:
    """The message for `mail`, sent from `mail_from` at `now`. Raises `AddressRefused`
    (a `PermanentSendError`) when the recipient is not one usable address."""
    recipient = checked_recipient(mail.recipient)
    message = EmailMessage(policy=_UTF8_POLICY if recipient.needs_smtputf8 else _POLICY)
    message["From"] = mail_from
    message["To"] = recipient.address
    message["Subject"] = _one_line(mail.subject or "Your enquiry")
    message["Date"] = format_datetime(now)
    message["Message-ID"] = mail.message_id
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
    # The parent's thread, then the parent itself, each once.
    references = [ref for ref in dict.fromkeys([*mail.references, mail.in_reply_to]) if ref]
    if len(references) > _MAX_REFERENCES:
        references = [references[0], *references[-(_MAX_REFERENCES - 1) :]]
    if references:
        message["References"] = " ".join(references)
    message["Auto-Submitted"] = "auto-replied"
    message["X-Auto-Response-Suppress"] = "OOF, AutoReply"
    message.set_content(mail.body, charset="utf-8")
    return message


def _one_line(text: str) -> str:
    # A header value with a line break would start a new header: never allow it.
    return " ".join(text.split())[:900]
