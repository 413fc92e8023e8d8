"""Split an email or chat body into what the writer wrote now, quoted mail and sign-off.

An identifier the writer typed is evidence about them; one in a quoted earlier message may
be someone else's (a forwarded ticket, a neighbour's reply), and a signature holds the
writer's name but also disclaimers and phone numbers. The matcher weighs each part
differently, so extraction needs to know where every identifier came from.

Everything is found with a few whole-text regular expressions whose repeats are bounded,
so the cost is linear in the length of the text whatever it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Source = Literal["own", "quoted", "signature"]

# The first line at which earlier, quoted mail begins; everything after it is quoted.
# Each alternative is anchored at a line start and its repeats are bounded, so a scan of a
# huge body costs one cheap attempt per position.
_QUOTE_START = re.compile(
    r"""
    ^[ \t]*-{2,}[ \t]*(?:Original|Forwarded)[ \t]+Message[ \t]*-{2,}[ \t]*$  # Outlook / forwards
    | ^[ \t]*_{8,}[ \t]*$                                          # Outlook "_____" rule
    | ^[ \t]*On[ \t][^\n]{1,250}?wrote:[ \t]*$                     # Gmail, one line
    | ^[ \t]*On[ \t][^\n]{1,200}\n[^\n]{0,200}?wrote:[ \t]*$       # Gmail, wrapped in two
    | ^[ \t]*\*?From:\*?[ \t][^\n]{1,300}\n(?:[^\n]{0,300}\n){0,3}[ \t]*\*?(?:Sent|Date):  # Outlook block
    | ^[ \t]*\*?From:\*?[ \t][^\n]{1,300}?[ \t]\*?(?:Sent|Date):\*?[ \t]  # header block on one line
    """,
    re.MULTILINE | re.IGNORECASE | re.VERBOSE,
)

# The "-- " signature delimiter (RFC 3676): the signature starts on the next line.
_SIG_DELIMITER = re.compile(r"^--[ ]?$", re.MULTILINE)

# Footers and disclaimers that start a signature block on their own line.
_SIG_FOOTER = re.compile(
    r"""
    ^[ \t]*(?:
        Sent[ \t]from[ \t](?:my[ \t]\S|Mail[ \t]for|Outlook|Yahoo|AOL|Samsung)
      | Get[ \t]Outlook[ \t]for[ \t]
      | (?:This|The[ \t]information[ \t]in[ \t]this)[ \t]e-?mail[^\n]{0,120}?(?:confidential|intended)
      | This[ \t]message[^\n]{0,120}?(?:confidential|intended)
      | CONFIDENTIAL(?:ITY)?[ \t]+NOTICE
      | DISCLAIMER\b
    )
    """,
    re.MULTILINE | re.IGNORECASE | re.VERBOSE,
)

# The ">" marks themselves, removed from quoted text so its identifiers read normally.
_QUOTE_MARKS = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class MessageParts:
    """A message body in three parts; each is stripped, and empty when absent."""

    own: str
    quoted: str
    signature: str


def split_message(text: str) -> MessageParts:
    """Split `text` into the writer's own words, quoted earlier mail and the sign-off."""
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    current, quoted = _cut_at_quote(body)
    own, signature = _cut_at_signature(current)
    own, inline_quotes = _take_quoted_lines(own)
    signature, sig_quotes = _take_quoted_lines(signature)
    quoted_parts = [inline_quotes, sig_quotes, quoted]
    all_quoted = "\n".join(part for part in quoted_parts if part)
    return MessageParts(
        own=own.strip(),
        quoted=_QUOTE_MARKS.sub("", all_quoted).strip(),
        signature=signature.strip(),
    )


def _cut_at_quote(body: str) -> tuple[str, str]:
    """The text before the first quoted-mail header, and the header with all after it."""
    match = _QUOTE_START.search(body)
    if match is None:
        return body, ""
    return body[: match.start()], body[match.start() :]


def _cut_at_signature(current: str) -> tuple[str, str]:
    """The writer's text and the signature block after a delimiter or footer."""
    delimiter = _SIG_DELIMITER.search(current)
    footer = _SIG_FOOTER.search(current)
    if delimiter is not None and (footer is None or delimiter.start() <= footer.start()):
        return current[: delimiter.start()], current[delimiter.end() :]
    if footer is not None:
        return current[: footer.start()], current[footer.start() :]
    return current, ""


def _take_quoted_lines(part: str) -> tuple[str, str]:
    """`part` without its ">" lines, and those lines (inline replies keep both sides)."""
    if ">" not in part:
        return part, ""
    kept: list[str] = []
    taken: list[str] = []
    for line in part.split("\n"):
        (taken if line.lstrip(" \t").startswith(">") else kept).append(line)
    return "\n".join(kept), "\n".join(taken)
