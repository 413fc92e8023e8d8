"""The one address a reply goes to, checked and encoded before anything is sent.

A recipient comes from mail a stranger wrote, so it is checked as hostile input:

- exactly one address (RFC 5322 `addr-spec`), never a list: a crafted From with two
  addresses must not give a reply two recipients;
- no control, format or invisible characters (a zero-width space, a bidi override, a
  line break): they hide what the clerk approved and can split headers;
- the domain in IDNA form (RFC 5890: `exämple.org` becomes `xn--exmple-cua.org`), which
  every server takes;
- a local part that is not ASCII (`zoë.müller@…`) can only go through a server that offers
  SMTPUTF8 (RFC 6531); the transport says so, and refuses that message alone.

A refusal is a `PermanentSendError` for that one message: the outbox marks its draft
`failed` with the reason for a clerk, and the queue goes on.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from mail.errors import PermanentSendError

__all__ = ["AddressRefused", "Recipient", "checked_recipient"]

# RFC 5321 4.5.3.1: 64 octets of local part, 255 of domain.
_MAX_LOCAL = 64
_MAX_DOMAIN = 255
# Characters RFC 5322 allows in an unquoted local part besides letters and digits.
_ATEXT = set("!#$%&'*+-/=?^_`{|}~.")


class AddressRefused(PermanentSendError):
    """The recipient address cannot be used; `reason` says why (without the address)."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """An address ready for the envelope and the To header."""

    address: str  # local@domain, the domain in IDNA (ASCII) form
    needs_smtputf8: bool  # the local part is not ASCII


def checked_recipient(text: str) -> Recipient:
    """The single address in `text`, checked and encoded, or `AddressRefused`."""
    address = text.strip()
    if not address:
        raise AddressRefused("there is no recipient address")
    if address.count("@") != 1 or any(c in address for c in ',;<>()[]\\"'):
        raise AddressRefused("the recipient is not exactly one plain address")
    if any(_hidden(char) for char in address):
        raise AddressRefused("the address holds a space, a control or an invisible character")
    local, domain = address.split("@")
    if not local or len(local.encode()) > _MAX_LOCAL:
        raise AddressRefused("the address's local part is empty or too long")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise AddressRefused("the address's local part has a misplaced dot")
    if not all(char.isalnum() or char in _ATEXT for char in local):
        raise AddressRefused("the address's local part holds a character mail cannot carry")
    return Recipient(f"{local}@{_ascii_domain(domain)}", needs_smtputf8=not local.isascii())


def _ascii_domain(domain: str) -> str:
    labels = domain.rstrip(".").split(".")
    if len(labels) < 2 or not all(labels):
        raise AddressRefused("the address's domain is not a full domain name")
    try:
        encoded = ".".join(
            label.lower() if label.isascii() else label.encode("idna").decode("ascii")
            for label in labels
        )
    except UnicodeError:
        raise AddressRefused("the address's domain cannot be written in IDNA form") from None
    if len(encoded) > _MAX_DOMAIN or not all(
        part.replace("-", "").isalnum() and part.isascii() and not part.startswith("-")
        for part in encoded.split(".")
    ):
        raise AddressRefused("the address's domain is not a valid host name")
    return encoded


def _hidden(char: str) -> bool:
    # Cc control, Cf format (zero-width, bidi), Zl/Zp separators, Co private use, Cn
    # unassigned; and any whitespace, which never belongs in an addr-spec we send to.
    return unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp", "Co", "Cn"} or char.isspace()
