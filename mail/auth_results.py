"""Authentication-Results headers (RFC 8601): whether the From domain passed DMARC.

A From line proves nothing by itself (contracts.md, section 2): anyone can write any
address there. What can be believed is the verdict of the force's own receiving mail
server, which checks SPF, DKIM and DMARC (RFC 7489) and records the outcome in an
`Authentication-Results` header named by its authserv-id. Any server upstream, and the
sender, can add such headers too, with any authserv-id, including ours (RFC 8601
sections 5 and 7.2). Mail servers prepend their headers, so the one written by our own
server on arrival is above everything that came with the message: only the topmost
header whose authserv-id is trusted (TRUSTED_AUTHSERV_IDS) is read, and everything below
it is ignored, even a header bearing the same id.

The parser follows the grammar of RFC 8601 section 2.2 (comments, nested or not,
quoted strings, folding whitespace; names, methods and results compared without regard
to case). Property values are read more loosely than the grammar says, because common
servers write DKIM signature fragments (`header.b=Ab/c+d=`) unquoted; that looseness
can never make a domain compare equal that is not. Whatever cannot be read is not a
pass: nothing here raises on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Only this many headers, from the top, are looked at: our own server's is the first
# or among the first, and a message carrying thousands of them costs nothing more.
MAX_HEADERS = 100
# A header longer than this is not read (though its authserv-id still is, so an
# over-long header from a trusted server cannot be skipped to reach a forged one below).
MAX_HEADER_CHARS = 16_384

_HEADER_NAME = re.compile(r"[ \t]*authentication-results[ \t]*:", re.IGNORECASE)
# RFC 2045 token characters: printable, no space, no tspecials. Non-ASCII is allowed
# because authserv-ids may be internationalised domain names (RFC 8601 section 2.5).
_TOKEN = re.compile(r"[^\x00-\x20\x7f()<>@,;:\\\"/\[\]?=]+")
# RFC 8601 `Keyword` (an ldh-str), used for methods, results, ptypes and properties.
_KEYWORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?")
_DIGITS = re.compile(r"[0-9]+")
# A property value read loosely: up to whitespace, a comment, a quote or the next ';'.
_LOOSE_VALUE = re.compile(r"[^\x00-\x20\x7f();\"]+")
_WHITESPACE = " \t\r\n"
# The only version of the header field that RFC 8601 defines; another is not understood.
_KNOWN_VERSION = 1


@dataclass(frozen=True, slots=True)
class Property:
    """One `ptype.property=value` of a result, such as `header.from=example.org`."""

    ptype: str  # lower case: smtp, header, body, policy
    name: str  # lower case: from, d, mailfrom
    value: str


@dataclass(frozen=True, slots=True)
class MethodResult:
    """One `method=result` clause (a resinfo), with its reason and properties."""

    method: str  # lower case: dmarc, dkim, spf
    result: str  # lower case: pass, fail, none, temperror
    version: int | None = None
    reason: str | None = None
    properties: tuple[Property, ...] = ()

    def values(self, ptype: str, name: str) -> tuple[str, ...]:
        """The values of property `ptype.name` (case-insensitive), in order."""
        ptype, name = ptype.lower(), name.lower()
        return tuple(p.value for p in self.properties if p.ptype == ptype and p.name == name)


@dataclass(frozen=True, slots=True)
class AuthenticationResults:
    """One parsed header. `results` is empty when the server said `none`."""

    authserv_id: str  # lower case
    results: tuple[MethodResult, ...]
    version: int | None = None


def sender_authenticated(
    headers_top_to_bottom: Sequence[str], from_domain: str, trusted: frozenset[str]
) -> bool:
    """Whether the topmost Authentication-Results header from a trusted server says
    that `from_domain` passed DMARC.

    `headers_top_to_bottom` are the header values in the order they appear in the message
    (a leading `Authentication-Results:` name is allowed); `trusted` holds the force's
    own authserv-ids. True only when that header parses, has a `dmarc` result, every
    `dmarc` result in it is `pass`, and every `header.from` it gives is `from_domain`.
    Never raises.
    """
    try:
        return _authenticated(headers_top_to_bottom, from_domain, trusted)
    except Exception:
        # Bad input must never stop the reading of mail; and what was not read is no pass.
        return False


def authserv_id(value: str) -> str | None:
    """The authserv-id a header value starts with (lower case), or None if unreadable."""
    scanner = _Scanner(_strip_name(value))
    closed, _ = scanner.skip()
    if not closed:
        return None
    found = scanner.value()
    return found.lower() if found else None


def parse_authentication_results(value: str) -> AuthenticationResults | None:
    """The header value parsed (RFC 8601 section 2.2), or None if it is malformed."""
    text = _strip_name(value)
    if len(text) > MAX_HEADER_CHARS:
        return None
    try:
        return _Scanner(text).header()
    except _Malformed:
        return None


def _authenticated(headers: Sequence[str], from_domain: str, trusted: frozenset[str]) -> bool:
    domain = _domain(from_domain.rpartition("@")[2])
    wanted = {_domain(server) for server in trusted} - {""}
    if not domain or not wanted:
        return False
    for value in list(headers)[:MAX_HEADERS]:
        server = authserv_id(value)
        if server is None or _domain(server) not in wanted:
            continue
        # The topmost trusted header decides, whatever it says: RFC 8601 section 5.
        parsed = parse_authentication_results(value)
        return parsed is not None and _dmarc_passed(parsed, domain)
    return False


def _dmarc_passed(header: AuthenticationResults, domain: str) -> bool:
    verdicts = [result for result in header.results if result.method == "dmarc"]
    if not verdicts:
        return False
    # More than one dmarc verdict (several From domains, or two evaluations): all must
    # be passes for this very domain, or the message is not believed.
    return all(
        verdict.result == "pass"
        and all(_domain(v.rpartition("@")[2]) == domain for v in verdict.values("header", "from"))
        for verdict in verdicts
    )


def _domain(text: str) -> str:
    """A domain in one comparable form: lower case, no final dot, A-labels for IDNs."""
    name = text.strip().rstrip(".").lower()
    if not name or any(char in name for char in " \t\r\n@"):
        return ""
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            return ""
    return name


def _strip_name(value: str) -> str:
    match = _HEADER_NAME.match(value)
    return value[match.end() :] if match else value


class _Malformed(Exception):
    """Internal to the scanner: the header does not follow the grammar."""


class _Scanner:
    """A cursor over one header value, one method per grammar rule of RFC 8601 2.2."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def header(self) -> AuthenticationResults:
        self.cfws()
        server = self.value()
        if not server:
            raise _Malformed("no authserv-id")
        version: int | None = None
        if self.cfws() and self.peek().isdigit():
            version = int(self.expect(_DIGITS))
            if version != _KNOWN_VERSION:
                raise _Malformed("unknown version")  # RFC 8601 2.2: not to be interpreted
            self.cfws()
        results: list[MethodResult] = []
        if not self.at_end():
            self.literal(";")
            self.cfws()
            if self.keyword_is("none"):
                self.expect(_KEYWORD)
                self.cfws()
                if not self.at_end():
                    raise _Malformed("text after none")
                return AuthenticationResults(server.lower(), (), version)
            results.append(self.resinfo())
            while not self.at_end():
                self.literal(";")
                self.cfws()
                if self.at_end():
                    break  # a final ';' is written by some servers and harmless
                results.append(self.resinfo())
        if not results:
            raise _Malformed("neither none nor a result")
        return AuthenticationResults(server.lower(), tuple(results), version)

    def resinfo(self) -> MethodResult:
        method = self.expect(_KEYWORD).lower()
        self.cfws()
        method_version: int | None = None
        if self.peek() == "/":
            self.pos += 1
            self.cfws()
            method_version = int(self.expect(_DIGITS))
            self.cfws()
        self.literal("=")
        self.cfws()
        result = self.expect(_KEYWORD).lower()
        reason: str | None = None
        properties: list[Property] = []
        while True:
            spaced = self.cfws()
            if self.at_end() or self.peek() == ";":
                break
            if not spaced:
                raise _Malformed("no space before a property")
            word = self.expect(_KEYWORD).lower()
            self.cfws()
            if word == "reason" and self.peek() == "=" and reason is None and not properties:
                self.pos += 1
                self.cfws()
                reason = self.value()
                if reason is None:
                    raise _Malformed("empty reason")
                continue
            self.literal(".")
            self.cfws()
            name = self.expect(_KEYWORD).lower()
            self.cfws()
            self.literal("=")
            self.cfws()
            properties.append(Property(word, name, self.property_value()))
        return MethodResult(method, result, method_version, reason, tuple(properties))

    def property_value(self) -> str:
        if self.peek() == '"':
            return self.quoted()
        return self.expect(_LOOSE_VALUE)

    def value(self) -> str | None:
        """RFC 2045 `value`: a token or a quoted string (None when neither is there)."""
        if self.peek() == '"':
            return self.quoted()
        match = _TOKEN.match(self.text, self.pos)
        if not match:
            return None
        self.pos = match.end()
        return match.group(0)

    def quoted(self) -> str:
        self.pos += 1  # the opening quote
        out: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == '"':
                return "".join(out)
            if char == "\\" and self.pos < len(self.text):
                char = self.text[self.pos]
                self.pos += 1
            out.append(char)
        raise _Malformed("unterminated quoted string")

    def cfws(self) -> bool:
        """Skips folding whitespace and comments (RFC 5322 3.2.2); True if any was there."""
        closed, skipped = self.skip()
        if not closed:
            raise _Malformed("unterminated comment")
        return skipped

    def skip(self) -> tuple[bool, bool]:
        """Skips whitespace and comments (nested, with quoted pairs): (closed, skipped)."""
        start, depth, text = self.pos, 0, self.text
        while self.pos < len(text):
            char = text[self.pos]
            if depth and char == "\\":
                self.pos = min(self.pos + 2, len(text))
                continue
            if char == "(":
                depth += 1
            elif char == ")" and depth:
                depth -= 1
            elif not depth and char not in _WHITESPACE:
                break
            self.pos += 1
        return depth == 0, self.pos > start

    def keyword_is(self, word: str) -> bool:
        match = _KEYWORD.match(self.text, self.pos)
        return match is not None and match.group(0).lower() == word

    def expect(self, pattern: re.Pattern[str]) -> str:
        match = pattern.match(self.text, self.pos)
        if not match:
            raise _Malformed("unexpected character")
        self.pos = match.end()
        return match.group(0)

    def literal(self, char: str) -> None:
        if self.peek() != char:
            raise _Malformed(f"expected {char!r}")
        self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def at_end(self) -> bool:
        return self.pos >= len(self.text)
