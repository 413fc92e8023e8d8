"""One raw e-mail in, one `Enquiry` out: never an exception for bad input.

Parsing uses the standard library's `email` parser with the `compat32` policy, which
hands headers over as raw strings that this module decodes itself (RFC 2047 words,
8-bit bytes, unknown charsets). `policy.default` gives the same results here but parses
Content-Type again on every access: 3.6 ms a message against 0.5 ms on the demo inbox. Whatever arrives (broken
MIME, unknown charsets, 8-bit bytes in headers, a zero-byte file, a 30 MB attachment, a
To: line with 10,000 addresses) becomes an enquiry; what cannot be read properly is
flagged with the reason, so it is logged, kept and shown to a clerk, and the reading
loop goes on. Only a failure to keep an attachment on disk (a `MailError`) propagates:
that is the machine's fault, not the message's, and the message is tried again later.

The body is split into the writer's new text and the rest (quoted earlier mail,
signature, forwarded messages) with `lookup.text_parts.split_message`. Threading follows
RFC 5322 3.6.4: the thread's root is the first Message-ID of References, else
In-Reply-To, else the message's own Message-ID.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email import errors as email_errors
from email import policy
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from lookup.enquiry import Attachment, Enquiry
from lookup.text_parts import split_message
from mail.attachment_store import AttachmentKeeper
from mail.auth_results import sender_authenticated
from mail.charsets import decode_bytes, repair_8bit
from mail.errors import MailError
from mail.html_text import html_to_text
from mail.loop_guard import LoopGuard

CHANNEL = "email"

# Flags set here (the loop guard sets the others).
UNPARSEABLE = "unparseable"
MALFORMED = "malformed"
NO_SENDER = "no_sender"

# Text beyond this is cut: no enquiry needs more, and matching costs grow with it.
MAX_TEXT_CHARS = 200_000
# Parts nested deeper than this are not looked into.
MAX_DEPTH = 20
# A From header longer than this is not a real one; only its start is read.
_MAX_FROM_CHARS = 4000
# References kept: the root and the most recent ones (RFC 5322 allows trimming the middle).
_MAX_REFERENCES = 50
# Values kept of any one header, from the top. Authentication-Results comes many times
# (RFC 8601), and only the topmost ones matter: our own server's is added last, above
# the rest. Thousands of copies of a header then cost no more than a hundred.
_MAX_VALUES_PER_HEADER = 100

_MSG_ID = re.compile(r"<[^<>\s]{1,994}>")
_FOLD = re.compile(r"\r?\n[ \t]*")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")

# Headers RFC 5322 (3.6) allows at most once; two of them is a malformed message.
_SINGLE_HEADERS = (
    "from",
    "sender",
    "reply-to",
    "to",
    "cc",
    "subject",
    "message-id",
    "in-reply-to",
    "references",
    "date",
)
# Headers the parser and the loop guard read; no other header is decoded (a To: with
# 10,000 addresses is never parsed).
_READ_HEADERS = frozenset(
    {
        "from",
        "subject",
        "message-id",
        "in-reply-to",
        "references",
        "auto-submitted",
        "x-autoreply",
        "x-autorespond",
        "return-path",
        "precedence",
        "list-id",
        "authentication-results",
    }
)
# MIME defects after which the text cannot be trusted to be the whole message.
_STRUCTURAL_DEFECTS = (
    email_errors.NoBoundaryInMultipartDefect,
    email_errors.StartBoundaryNotFoundDefect,
    email_errors.MultipartInvariantViolationDefect,
    email_errors.MissingHeaderBodySeparatorDefect,
)

_PARSER = BytesParser(policy=policy.compat32)


@dataclass(slots=True)
class _Collected:
    """What the walk over the MIME tree gathers."""

    texts: list[str] = field(default_factory=list)
    forwarded: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MailParser:
    """Parses raw messages into enquiries; `keeper` stores attachments, `guard` flags
    mail that must not be answered. `trusted_authserv_ids` names the force's own
    receiving servers (TRUSTED_AUTHSERV_IDS), whose Authentication-Results header alone
    can mark the sender address as authenticated."""

    guard: LoopGuard
    keeper: AttachmentKeeper
    trusted_authserv_ids: frozenset[str] = frozenset()

    def parse(self, raw: bytes, *, received_at: datetime) -> Enquiry:
        """The enquiry for the message `raw` that arrived at `received_at`."""
        if not raw.strip():
            return _unreadable(raw, received_at, "empty message (zero bytes)")
        try:
            return self._parse(raw, received_at)
        except MailError:
            raise
        except (Exception, RecursionError) as exc:
            # Any other failure is the message's fault: keep it, flagged, and go on.
            return _unreadable(raw, received_at, f"cannot be parsed ({type(exc).__name__})")

    def _parse(self, raw: bytes, received_at: datetime) -> Enquiry:
        message = _PARSER.parsebytes(raw)
        headers = _read_headers(message)
        problems = _header_problems(message)

        message_id = _first_id(headers.get("message-id")) or _fallback_id(raw)
        in_reply_to = _first_id(headers.get("in-reply-to"))
        references = _references(headers.get("references"))
        sender_name, sender = _sender(headers.get("from"))
        if not sender:
            problems.insert(0, "no sender address (From)")
        authenticated = _authenticated(headers, sender, self.trusted_authserv_ids)

        collected = _Collected()
        _walk(message, self.keeper, collected, depth=0)
        problems.extend(collected.problems)
        problems.extend(_defects(message))

        body = _cap("\n\n".join(text for text in collected.texts if text.strip()))
        parts = split_message(body)
        rest = [parts.quoted, *collected.forwarded]
        quoted = "\n\n".join(part for part in rest if part.strip())
        # The sign-off is the writer's own (contracts.md section 2: "Regards, Anne Graham,
        # 12/03/1958" counts), so it stays with their text behind the RFC 3676 delimiter,
        # where the matcher reads it as a signature: names and dates of birth count, a
        # reference there ("our ref") does not.
        own = f"{parts.own}\n\n-- \n{parts.signature}" if parts.signature else parts.own

        flag: str | None = None
        reasons: list[str] = []
        verdict = self.guard.check(
            headers=headers,
            content_type=message.get_content_type(),
            report_type=_param(message, "report-type"),
            sender=sender,
            message_id=message_id,
        )
        if verdict is not None:
            flag = verdict.flag
            reasons.append(verdict.reason)
        if problems:
            flag = flag or (NO_SENDER if not sender else MALFORMED)
            reasons.extend(problems)

        return Enquiry(
            channel=CHANNEL,
            channel_message_id=_safe(message_id),
            sender=_safe(sender),
            sender_name=_safe(sender_name) if sender_name else None,
            sender_authenticated=authenticated,
            received_at=received_at,
            subject=_safe(_subject(headers.get("subject"))),
            text=_safe(own),
            quoted_text=_safe(quoted) or None,
            in_reply_to=_safe(in_reply_to) if in_reply_to else None,
            references=tuple(_safe(ref) for ref in references),
            thread_key=_safe((references or (in_reply_to or message_id,))[0]),
            attachments=tuple(collected.attachments),
            flag=flag,
            flag_reason=_safe("; ".join(reasons)) if reasons else None,
        )


def _unreadable(raw: bytes, received_at: datetime, reason: str) -> Enquiry:
    """An enquiry for a message that cannot be read: flagged, with its bytes as text."""
    match = re.search(rb"^message-id:[ \t]*(<[^<>\s]{1,994}>)", raw[:65536], re.I | re.M)
    message_id = match.group(1).decode("ascii", "replace") if match else _fallback_id(raw)
    return Enquiry(
        channel=CHANNEL,
        channel_message_id=message_id,
        sender="",
        received_at=received_at,
        text="",
        quoted_text=_safe(_cap(decode_bytes(raw[: MAX_TEXT_CHARS * 2], None))) or None,
        thread_key=message_id,
        flag=UNPARSEABLE,
        flag_reason=reason,
    )


def _fallback_id(raw: bytes) -> str:
    # A message without a Message-ID is known by its content, so reading it again after
    # a restart finds the same id and the contact log does not double it.
    return f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid>"


def _read_headers(message: Message) -> dict[str, list[str]]:
    """The headers this module reads, by lower-case name, unfolded, 8-bit repaired."""
    found: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        key = str(name).strip().lower()
        if key in _READ_HEADERS:
            values = found.setdefault(key, [])
            if len(values) >= _MAX_VALUES_PER_HEADER:
                continue
            text = repair_8bit(_FOLD.sub(" ", str(value))).replace("\x00", "")
            values.append(text.strip())
    return found


def _header_problems(message: Message) -> list[str]:
    counts: dict[str, int] = {}
    for name in message:
        key = name.strip().lower()
        if key in _SINGLE_HEADERS:
            counts[key] = counts.get(key, 0) + 1
    return [
        f"{counts[name]} {name} headers where RFC 5322 allows one"
        for name in _SINGLE_HEADERS
        if counts.get(name, 0) > 1
    ]


def _first_id(values: list[str] | None) -> str | None:
    if not values:
        return None
    match = _MSG_ID.search(values[0])
    if match:
        return match.group(0)
    # Some senders leave out the angle brackets; a bare id-left@id-right still threads.
    bare = values[0].strip()
    if bare and "@" in bare and not re.search(r"[\s<>]", bare) and len(bare) <= 994:
        return f"<{bare}>"
    return None


def _references(values: list[str] | None) -> tuple[str, ...]:
    if not values:
        return ()
    ids = list(dict.fromkeys(_MSG_ID.findall(" ".join(values))))
    if len(ids) > _MAX_REFERENCES:
        ids = [ids[0], *ids[-(_MAX_REFERENCES - 1) :]]
    return tuple(ids)


def _decode_words(value: str) -> str:
    """RFC 2047 encoded words decoded with any charset, unknown ones included."""
    if "=?" not in value:
        return value
    try:
        chunks = decode_header(value)
    except (email_errors.HeaderParseError, ValueError, LookupError):
        return value
    out: list[str] = []
    for chunk, charset in chunks:
        out.append(decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return "".join(out)


def _subject(values: list[str] | None) -> str:
    return _decode_words(values[0]).strip()[:2000] if values else ""


def _sender(values: list[str] | None) -> tuple[str | None, str]:
    """The From header's display name and address ('' when there is no usable address)."""
    if not values:
        return None, ""
    # A From header of thousands of characters is not a real one: only its start is read.
    name, address = parseaddr(values[0][:_MAX_FROM_CHARS])
    name = _decode_words(name)
    address = repair_8bit(address).strip()
    if "@" not in address or len(address) > 320:
        return None, ""
    return (repair_8bit(name).strip()[:200] or None), address


def _authenticated(headers: dict[str, list[str]], sender: str, trusted: frozenset[str]) -> bool:
    """Whether the trusted Authentication-Results header says the From domain passed DMARC.

    Only for a message with one From header holding one address: with several authors
    (RFC 5322 3.6.2) a DMARC verdict may be about another of them (RFC 7489 6.6.1).
    """
    values = headers.get("from") or []
    if not sender or not trusted or len(values) != 1:
        return False
    if len(getaddresses([values[0][:_MAX_FROM_CHARS]])) != 1:
        return False
    return sender_authenticated(
        headers.get("authentication-results") or [], sender.rpartition("@")[2], trusted
    )


def _param(part: Message, name: str) -> str | None:
    try:
        value = part.get_param(name)
    except (Exception, RecursionError):
        return None
    if isinstance(value, tuple):  # RFC 2231 form: (charset, language, value)
        value = value[2]
    return str(value).strip().lower() if value else None


def _walk(part: Message, keeper: AttachmentKeeper, out: _Collected, *, depth: int) -> None:
    if depth > MAX_DEPTH:
        out.problems.append(f"parts nested deeper than {MAX_DEPTH} levels were not read")
        return
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        _forwarded(part, keeper, out, depth=depth)
        return
    if part.is_multipart():
        children = [child for child in _children(part) if isinstance(child, Message)]
        if content_type.startswith("message/"):
            return  # delivery-status and the like: header blocks, not text
        if content_type == "multipart/alternative" and children:
            # The same text in several forms (RFC 2046 5.1.4): read one, plain if there is.
            _walk(_preferred(children), keeper, out, depth=depth + 1)
            return
        for child in children:
            _walk(child, keeper, out, depth=depth + 1)
        return
    if content_type in ("text/plain", "text/html") and not _is_attachment(part):
        out.texts.append(_text_of(part, content_type))
        return
    _attachment(part, keeper, out)


def _children(part: Message) -> Iterable[object]:
    payload = part.get_payload()
    return payload if isinstance(payload, list) else ()


def _preferred(children: list[Message]) -> Message:
    for wanted in ("text/plain", "text/html"):
        for child in children:
            if child.get_content_type() == wanted and not _is_attachment(child):
                return child
    # multipart/related and the like: the last alternative is the richest (RFC 2046).
    return children[-1]


def _is_attachment(part: Message) -> bool:
    try:
        disposition = part.get_content_disposition()
        filename = part.get_filename()
    except (Exception, RecursionError):
        return True
    return disposition == "attachment" or bool(filename)


def _text_of(part: Message, content_type: str) -> str:
    data = _payload_bytes(part)
    try:
        charset = part.get_content_charset()
    except (Exception, RecursionError):
        charset = None
    text = decode_bytes(data[: MAX_TEXT_CHARS * 4], charset)
    return html_to_text(text) if content_type == "text/html" else text


def _payload_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except (Exception, RecursionError):
        data = None
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""


def _attachment(part: Message, keeper: AttachmentKeeper, out: _Collected) -> None:
    position = len(out.attachments) + 1
    try:
        filename = part.get_filename()
    except (Exception, RecursionError):
        filename = None
    name = _UNSAFE_NAME.sub("_", repair_8bit(_decode_words(str(filename or ""))))
    name = _safe(name).strip(". ")[:255] or f"attachment-{position}"
    content_type = _safe(part.get_content_type())[:255]
    out.attachments.append(keeper.keep(name, content_type, _payload_bytes(part)))


def _forwarded(part: Message, keeper: AttachmentKeeper, out: _Collected, *, depth: int) -> None:
    """A message inside the message (a forward, or the original in a bounce): its text is
    someone else's earlier mail, kept with the quoted text; its attachments are recorded."""
    inner = next((child for child in _children(part) if isinstance(child, Message)), None)
    if inner is None:
        _attachment(part, keeper, out)
        return
    nested = _Collected()
    _walk(inner, keeper, nested, depth=depth + 1)
    out.attachments.extend(nested.attachments)
    out.problems.extend(nested.problems)
    headers = _read_headers(inner)
    lines = ["---------- Forwarded message ----------"]
    if headers.get("from"):
        lines.append(f"From: {_decode_words(headers['from'][0])}")
    if headers.get("subject"):
        lines.append(f"Subject: {_subject(headers['subject'])}")
    text = "\n\n".join(chunk for chunk in nested.texts if chunk.strip())
    out.forwarded.append(_cap("\n".join(lines) + "\n\n" + text).strip())
    out.forwarded.extend(nested.forwarded)


def _defects(message: Message) -> list[str]:
    found: list[str] = []
    stack: list[tuple[Message, int]] = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        for defect in getattr(part, "defects", ()):
            if isinstance(defect, _STRUCTURAL_DEFECTS):
                found.append(f"malformed MIME: {type(defect).__name__}")
        if depth < MAX_DEPTH:
            stack.extend(
                (child, depth + 1) for child in _children(part) if isinstance(child, Message)
            )
    return list(dict.fromkeys(found))


def _safe(text: str) -> str:
    """Text any database stores: no NUL (PostgreSQL refuses it), no lone surrogates."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _cap(text: str) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    return text[:MAX_TEXT_CHARS] + "\n[... cut: the text was longer]"
