"""Authentication-Results (RFC 8601): only the topmost trusted header's DMARC pass counts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mail.auth_results import (
    MAX_HEADER_CHARS,
    MAX_HEADERS,
    authserv_id,
    parse_authentication_results,
    sender_authenticated,
)

OURS = frozenset({"mx.force.example"})
PASS = "mx.force.example; spf=pass smtp.mailfrom=mail.example; dmarc=pass header.from=mail.example"
FAIL = "mx.force.example; dmarc=fail (p=reject) header.from=mail.example"
GMAIL_STYLE = (
    "mx.google.com;\r\n       dkim=pass header.i=@mail.example header.s=20230601 "
    "header.b=Vx3u/8e+;\r\n       spf=pass (google.com: domain of sam@mail.example designates "
    "192.0.2.1 as permitted sender) smtp.mailfrom=sam@mail.example;\r\n"
    "       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=mail.example"
)


def test_trusted_pass_for_the_from_domain() -> None:
    """A trusted server's dmarc=pass for the From domain authenticates the sender."""
    assert sender_authenticated([PASS], "mail.example", OURS)


def test_gmail_shaped_header_with_folding_and_comments() -> None:
    """A real-shaped folded header with comments and unquoted DKIM fragments is read."""
    assert sender_authenticated([GMAIL_STYLE], "mail.example", frozenset({"mx.google.com"}))


def test_untrusted_authserv_id_is_ignored() -> None:
    """A pass from a server not named in the trusted set counts for nothing."""
    header = PASS.replace("mx.force.example", "mx.elsewhere.example")
    assert not sender_authenticated([header], "mail.example", OURS)


def test_untrusted_pass_above_trusted_fail_is_ignored() -> None:
    """An untrusted header above the trusted one is skipped; the trusted fail decides."""
    forged = PASS.replace("mx.force.example", "relay.mail.example")
    assert not sender_authenticated([forged, FAIL], "mail.example", OURS)


def test_forged_trusted_pass_below_the_real_header_is_ignored() -> None:
    """A sender's own header bearing our id, below our server's fail, is not believed."""
    assert not sender_authenticated([FAIL, PASS], "mail.example", OURS)


def test_topmost_trusted_header_decides() -> None:
    """Whatever lies below it, the topmost trusted header is the one that counts."""
    assert sender_authenticated([PASS, FAIL], "mail.example", OURS)
    assert not sender_authenticated([FAIL, PASS, PASS], "mail.example", OURS)


def test_malformed_topmost_trusted_header_is_no_pass_and_not_skipped() -> None:
    """A broken trusted header at the top is a fail; a good one below does not count."""
    broken = "mx.force.example; dmarc=pass header.from=mail.example (unclosed"
    assert not sender_authenticated([broken, PASS], "mail.example", OURS)


def test_overlong_trusted_header_is_not_skipped() -> None:
    """A trusted header too long to read is a fail, not a reason to read the one below."""
    long = PASS + " (" + "x" * MAX_HEADER_CHARS + ")"
    assert not sender_authenticated([long, PASS], "mail.example", OURS)


@pytest.mark.parametrize("result", ["fail", "none", "temperror", "permerror", "neutral"])
def test_dmarc_results_other_than_pass(result: str) -> None:
    """Only dmarc=pass authenticates: fail, none, temperror and the rest do not."""
    header = f"mx.force.example; dmarc={result} header.from=mail.example"
    assert not sender_authenticated([header], "mail.example", OURS)


def test_spf_and_dkim_pass_without_dmarc_is_not_enough() -> None:
    """SPF and DKIM passes say nothing of the From domain's alignment: no dmarc, no pass."""
    header = (
        "mx.force.example; spf=pass smtp.mailfrom=mail.example; dkim=pass header.d=mail.example"
    )
    assert not sender_authenticated([header], "mail.example", OURS)


def test_header_from_of_another_domain() -> None:
    """A pass for another From domain does not authenticate this sender."""
    header = "mx.force.example; dmarc=pass header.from=other.example"
    assert not sender_authenticated([header], "mail.example", OURS)
    suffix = "mx.force.example; dmarc=pass header.from=mail.example.evil.example"
    assert not sender_authenticated([suffix], "mail.example", OURS)


def test_header_from_absent_means_the_pass_is_for_the_message() -> None:
    """Without header.from, a pass from our server is about the message's one From domain."""
    assert sender_authenticated(["mx.force.example; dmarc=pass"], "mail.example", OURS)


def test_every_dmarc_verdict_must_pass() -> None:
    """Two dmarc verdicts, one a fail, are not a pass."""
    header = (
        "mx.force.example; dmarc=pass header.from=mail.example; dmarc=fail header.from=mail.example"
    )
    assert not sender_authenticated([header], "mail.example", OURS)


def test_case_is_ignored_everywhere() -> None:
    """Authserv-id, method, result, property and domains compare without regard to case."""
    header = "MX.Force.Example; DMARC=PASS Header.From=Mail.EXAMPLE"
    assert sender_authenticated([header], "mail.EXAMPLE", frozenset({"Mx.Force.example"}))


def test_comments_quotes_version_and_reason() -> None:
    """Nested comments, a quoted id and value, the version and a reason are all understood."""
    header = (
        '"mx.force.example" (our (inbound) gateway) 1; (first) dmarc/1 = pass '
        'reason="aligned (strict)" (checked) header . from = "mail.example" (done)'
    )
    assert sender_authenticated([header], "mail.example", OURS)
    parsed = parse_authentication_results(header)
    assert parsed is not None
    assert parsed.version == 1
    (result,) = parsed.results
    assert (result.method, result.result, result.version) == ("dmarc", "pass", 1)
    assert result.reason == "aligned (strict)"
    assert result.values("header", "from") == ("mail.example",)


def test_header_name_may_be_given() -> None:
    """A whole header line, name included, is read as its value."""
    assert sender_authenticated(["Authentication-Results: " + PASS], "mail.example", OURS)


def test_none_means_nothing_was_checked() -> None:
    """`none` (no checks done) parses to no results and is no pass."""
    parsed = parse_authentication_results("mx.force.example 1; none")
    assert parsed is not None
    assert parsed.results == ()
    assert not sender_authenticated(["mx.force.example; none"], "mail.example", OURS)


def test_unknown_version_is_not_read() -> None:
    """A version RFC 8601 does not define is not interpreted (section 2.2)."""
    header = "mx.force.example 2; dmarc=pass header.from=mail.example"
    assert parse_authentication_results(header) is None
    assert not sender_authenticated([header], "mail.example", OURS)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "   ",
        ";",
        "mx.force.example",
        "mx.force.example;",
        "mx.force.example; dmarc",
        "mx.force.example; dmarc=",
        "mx.force.example; =pass",
        "mx.force.example; dmarc=pass header.from",
        "mx.force.example; dmarc=pass header=mail.example",
        "mx.force.example; dmarc=pass action=none header.from=mail.example",
        'mx.force.example; dmarc=pass header.from="mail.example',
        "mx.force.example; dmarc=pass (unclosed comment",
        "mx.force.example; none; dmarc=pass",
        "mx.force.example dmarc=pass",
        "\x00\x01garbage\xff",
        "dmarc=pass header.from=mail.example",
    ],
)
def test_garbage_is_no_pass(header: str) -> None:
    """Anything that does not follow the grammar is not a pass, and nothing raises."""
    assert not sender_authenticated([header], "mail.example", OURS)


def test_microsoft_style_header_without_authserv_id_cannot_be_trusted() -> None:
    """A header starting straight with results names no server, so none can be trusted."""
    header = "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=mail.example; dmarc=pass"
    assert authserv_id(header) == "spf"
    assert not sender_authenticated([header], "mail.example", OURS)


def test_nothing_trusted_or_no_domain_is_no_pass() -> None:
    """No trusted ids, no headers or an empty From domain: never authenticated."""
    assert not sender_authenticated([PASS], "mail.example", frozenset())
    assert not sender_authenticated([], "mail.example", OURS)
    assert not sender_authenticated([PASS], "", OURS)


def test_only_the_top_headers_are_looked_at() -> None:
    """A trusted header below the first hundred is not read (our server's is on top)."""
    others = ["relay.example; dmarc=none"] * MAX_HEADERS
    assert not sender_authenticated([*others, PASS], "mail.example", OURS)
    assert sender_authenticated([*others[:-1], PASS], "mail.example", OURS)


def test_internationalised_domain_compares_as_a_labels() -> None:
    """A U-label From domain agrees with its A-label form in header.from."""
    header = "mx.force.example; dmarc=pass header.from=xn--bcher-kva.example"
    assert sender_authenticated([header], "bücher.example", OURS)


@given(st.lists(st.text(max_size=200), max_size=5), st.text(max_size=40))
def test_never_raises(headers: list[str], domain: str) -> None:
    """Any strings at all give a bool and never an exception."""
    assert isinstance(sender_authenticated(headers, domain, OURS), bool)
