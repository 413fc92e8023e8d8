"""Parsing raw mail into enquiries: text, threading, attachments, and every kind of bad input."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lookup.text_parts import split_message
from mail.attachment_store import AttachmentStore, DescribeOnly
from mail.loop_guard import LoopGuard
from mail.parse import MALFORMED, NO_SENDER, UNPARSEABLE, MailParser
from tests.mail.messages import plain, raw

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
PARSER = MailParser(guard=LoopGuard.for_mail_from("tickets@force.example"), keeper=DescribeOnly())


def test_plain_message_gives_sender_subject_and_new_text_apart_from_quote_and_signature() -> None:
    """The writer's new words and sign-off are the text; the quoted earlier mail is kept apart."""
    body = (
        "Hi,\n\nHas my ticket 3462166202 been paid?\n\n-- \nSam Writer\n07700 900123\n\n"
        "On Mon, 1 Nov 2026 at 09:00, Enquiry Desk <tickets@force.example> wrote:\n"
        "> Please send your reference 9999999999.\n"
    )
    enquiry = PARSER.parse(raw(plain(body)), received_at=NOW)
    assert enquiry.channel == "email"
    assert enquiry.sender == "sam@mail.example"
    assert enquiry.sender_name == "Sam Writer"
    assert enquiry.subject == "Ticket query"
    assert "3462166202" in enquiry.text
    assert "9999999999" not in enquiry.text
    # The sign-off stays the writer's, behind the delimiter, so it is read as a signature.
    assert enquiry.text.endswith("\n-- \nSam Writer\n07700 900123")
    assert split_message(enquiry.text).signature == "Sam Writer\n07700 900123"
    assert enquiry.quoted_text is not None
    assert "9999999999" in enquiry.quoted_text
    assert "07700" not in enquiry.quoted_text
    assert enquiry.flag is None
    assert enquiry.received_at == NOW


def test_html_only_message_is_read_as_text() -> None:
    """An HTML-only body becomes readable text, without tags or style sheets."""
    message = plain()
    message.set_content(
        "<html><head><style>p{color:red}</style></head><body><p>My plate is "
        "<b>AB12&nbsp;CDE</b></p><p>Thanks</p></body></html>",
        subtype="html",
    )
    enquiry = PARSER.parse(raw(message), received_at=NOW)
    assert "AB12" in enquiry.text
    assert "CDE" in enquiry.text
    assert "<" not in enquiry.text
    assert "color" not in enquiry.text


def test_alternative_prefers_the_plain_part() -> None:
    """multipart/alternative yields one text (the plain one), not both copies."""
    message = plain("Plain words 1234")
    message.add_alternative("<p>HTML words 5678</p>", subtype="html")
    enquiry = PARSER.parse(raw(message), received_at=NOW)
    assert "Plain words 1234" in enquiry.text
    assert "5678" not in enquiry.text


def test_thread_key_is_the_root_of_references_then_in_reply_to_then_own_id() -> None:
    """Threading uses the first References id, else In-Reply-To, else the Message-ID."""
    # A folded References header, as long threads have.
    with_refs = raw(plain(extra={"In-Reply-To": "<parent@desk>"})).replace(
        b"In-Reply-To:",
        b"References: <root@mail.example> <middle@desk>\r\n <parent@desk>\nIn-Reply-To:",
    )
    enquiry = PARSER.parse(with_refs, received_at=NOW)
    assert enquiry.thread_key == "<root@mail.example>"
    assert enquiry.references == ("<root@mail.example>", "<middle@desk>", "<parent@desk>")
    assert enquiry.in_reply_to == "<parent@desk>"
    reply = PARSER.parse(raw(plain(extra={"In-Reply-To": "<parent@desk>"})), received_at=NOW)
    assert reply.thread_key == "<parent@desk>"
    alone = PARSER.parse(raw(plain()), received_at=NOW)
    assert alone.thread_key == "<m1@mail.example>"


def test_unknown_and_non_text_charsets_are_decoded_safely() -> None:
    """Charsets Python lacks, or names of non-text codecs, still give the text."""
    for charset in ("x-unknown-charset", "base64", "zlib", ""):
        data = (
            b"From: a@mail.example\r\nMessage-ID: <c@x>\r\nSubject: s\r\n"
            b'Content-Type: text/plain; charset="' + charset.encode() + b'"\r\n\r\n'
            b"Caf\xc3\xa9 reference 3462166202\r\n"
        )
        enquiry = PARSER.parse(data, received_at=NOW)
        assert "Café reference 3462166202" in enquiry.text, charset
        assert enquiry.flag is None


def test_latin1_body_mislabelled_as_utf8_is_still_read() -> None:
    """Bytes that are not valid in the declared charset fall back to Windows-1252."""
    data = (
        b"From: a@mail.example\r\nMessage-ID: <l@x>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nCaf\xe9 \x80 5\r\n"
    )
    assert "Café € 5" in PARSER.parse(data, received_at=NOW).text


def test_8bit_bytes_in_headers_are_decoded() -> None:
    """Raw UTF-8 or Latin-1 bytes in Subject and From become text, not escapes."""
    data = (
        b"From: Ren\xc3\xa9e <renee@mail.example>\r\nSubject: Amende pay\xe9e\r\n"
        b"Message-ID: <h@x>\r\n\r\nhello\r\n"
    )
    enquiry = PARSER.parse(data, received_at=NOW)
    assert enquiry.sender == "renee@mail.example"
    assert enquiry.sender_name == "Renée"
    assert enquiry.subject == "Amende payée"


def test_encoded_word_with_unknown_charset_is_decoded() -> None:
    """An RFC 2047 word in a charset Python lacks still yields readable text."""
    data = (
        b"From: a@mail.example\r\nSubject: =?x-bogus?Q?Ticket_caf=C3=A9?=\r\n"
        b"Message-ID: <w@x>\r\n\r\nhello\r\n"
    )
    assert PARSER.parse(data, received_at=NOW).subject == "Ticket café"


def test_zero_byte_message_is_flagged_not_fatal() -> None:
    """An empty message becomes a flagged enquiry with a stable id."""
    first = PARSER.parse(b"", received_at=NOW)
    assert first.flag == UNPARSEABLE
    assert first.flag_reason == "empty message (zero bytes)"
    assert first.channel_message_id == PARSER.parse(b"", received_at=NOW).channel_message_id


def test_missing_from_is_flagged_and_missing_message_id_gets_a_stable_id() -> None:
    """No From: flagged no_sender; no Message-ID: an id from the content, the same each time."""
    data = raw(plain(message_id=None)).replace(b"From: Sam Writer <sam@mail.example>\r\n", b"")
    enquiry = PARSER.parse(data, received_at=NOW)
    assert enquiry.flag == NO_SENDER
    assert enquiry.sender == ""
    assert enquiry.channel_message_id.endswith("@no-message-id.invalid>")
    assert PARSER.parse(data, received_at=NOW).channel_message_id == enquiry.channel_message_id
    assert "3462166202" in enquiry.text


def test_duplicated_headers_are_flagged_with_the_reason() -> None:
    """Two From or two Message-ID headers break RFC 5322: flagged malformed, first one used."""
    data = (
        b"From: first@mail.example\r\nFrom: second@mail.example\r\n"
        b"Message-ID: <one@x>\r\nMessage-ID: <two@x>\r\n\r\nhello\r\n"
    )
    enquiry = PARSER.parse(data, received_at=NOW)
    assert enquiry.flag == MALFORMED
    assert enquiry.sender == "first@mail.example"
    assert enquiry.channel_message_id == "<one@x>"
    assert enquiry.flag_reason is not None
    assert "2 from headers" in enquiry.flag_reason
    assert "2 message-id headers" in enquiry.flag_reason


def test_multipart_without_boundary_is_flagged_malformed() -> None:
    """Broken MIME structure is flagged with the defect named, and its text still kept."""
    data = (
        b"From: a@mail.example\r\nMessage-ID: <b@x>\r\nContent-Type: multipart/mixed\r\n\r\n"
        b"ticket 3462166202\r\n"
    )
    enquiry = PARSER.parse(data, received_at=NOW)
    assert enquiry.flag == MALFORMED
    assert enquiry.flag_reason is not None
    assert "NoBoundaryInMultipartDefect" in enquiry.flag_reason


def test_nested_message_is_quoted_and_its_attachments_recorded() -> None:
    """A forwarded message's text goes with the quoted text; its attachments are recorded."""
    inner = plain("The original says reference 1111111111.", sender="other@mail.example")
    inner.add_attachment(
        b"%PDF-1.4 letter", maintype="application", subtype="pdf", filename="letter.pdf"
    )
    outer = plain("Please see the forwarded letter.")
    outer.add_attachment(inner)
    enquiry = PARSER.parse(raw(outer), received_at=NOW)
    assert "forwarded letter" in enquiry.text
    assert "1111111111" not in enquiry.text
    assert enquiry.quoted_text is not None
    assert "1111111111" in enquiry.quoted_text
    assert [a.filename for a in enquiry.attachments] == ["letter.pdf"]
    assert enquiry.flag is None


def test_large_attachment_recorded_by_hash_but_kept_only_under_the_limit(tmp_path: Path) -> None:
    """A 30 MB attachment is described (size, hash) but not stored; a small one is stored."""
    parser = MailParser(
        guard=LoopGuard(), keeper=AttachmentStore(tmp_path / "att", max_bytes=1024 * 1024)
    )
    big = bytes(range(256)) * (30 * 1024 * 1024 // 256)
    small = b"a small scan"
    message = plain()
    message.add_attachment(big, maintype="application", subtype="octet-stream", filename="big.bin")
    message.add_attachment(small, maintype="image", subtype="png", filename="../../etc/passwd")
    enquiry = parser.parse(raw(message), received_at=NOW)
    large, little = enquiry.attachments
    assert large.size == len(big)
    assert large.stored_path is None
    assert len(large.sha256) == 64
    assert little.stored_path is not None
    assert (tmp_path / "att" / little.stored_path).read_bytes() == small
    assert "/" not in little.filename
    assert little.filename.endswith("passwd")
    assert little.content_type == "image/png"
    assert not any(path.name == "passwd" for path in (tmp_path / "att").rglob("*"))


def test_ten_thousand_recipients_do_not_slow_or_stop_parsing() -> None:
    """A To: line with 10,000 addresses is never parsed; the message reads quickly."""
    recipients = ", ".join(f"person{i}@mail.example" for i in range(10_000))
    data = raw(plain()).replace(b"To: tickets@force.example", b"To: " + recipients.encode())
    started = time.monotonic()
    enquiry = PARSER.parse(data, received_at=NOW)
    assert time.monotonic() - started < 5  # a blow-up guard, not a speed test
    assert enquiry.flag is None
    assert "3462166202" in enquiry.text


def test_deep_nesting_is_cut_and_reported() -> None:
    """Parts nested beyond the depth limit are not read and the message is flagged."""
    inner = b"Content-Type: text/plain\r\n\r\nbottom 3462166202\r\n"
    for level in range(40):
        boundary = f"b{level}".encode()
        inner = (
            b"Content-Type: multipart/mixed; boundary="
            + boundary
            + b"\r\n\r\n--"
            + boundary
            + b"\r\n"
            + inner
            + b"\r\n--"
            + boundary
            + b"--\r\n"
        )
    data = b"From: a@mail.example\r\nMessage-ID: <d@x>\r\n" + inner
    enquiry = PARSER.parse(data, received_at=NOW)
    assert enquiry.flag == MALFORMED
    assert enquiry.flag_reason is not None
    assert "nested deeper" in enquiry.flag_reason


def test_nul_bytes_never_reach_the_text() -> None:
    """NUL characters (which PostgreSQL cannot store) are removed from every field."""
    data = b"From: a@mail.example\r\nSubject: a\x00b\r\nMessage-ID: <n@x>\r\n\r\nref\x00 123\r\n"
    enquiry = PARSER.parse(data, received_at=NOW)
    assert "\x00" not in enquiry.text + enquiry.subject
    assert enquiry.text == "ref 123"


def test_base64_body_with_garbage_still_parses() -> None:
    """Broken base64 yields what can be decoded and no exception."""
    good = base64.b64encode(b"reference 3462166202").decode()
    data = (
        b"From: a@mail.example\r\nMessage-ID: <g@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + good.encode()
        + b"!!!***\r\n"
    )
    assert "3462166202" in PARSER.parse(data, received_at=NOW).text


_HEADER_NAMES = st.sampled_from(
    [
        "From",
        "To",
        "Subject",
        "Message-ID",
        "References",
        "In-Reply-To",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Content-Disposition",
        "Auto-Submitted",
        "X-Junk",
    ]
)


@st.composite
def _messy_messages(draw: st.DrawFn) -> bytes:
    """Messages that look like mail: header lines with arbitrary bytes, MIME fragments."""
    lines = [
        draw(_HEADER_NAMES).encode() + b": " + draw(st.binary(max_size=60)).replace(b"\n", b" ")
        for _ in range(draw(st.integers(0, 8)))
    ]
    body_parts = draw(
        st.lists(
            st.one_of(
                st.binary(max_size=80),
                st.sampled_from(
                    [
                        b"--b\r\nContent-Type: text/html\r\n\r\n<p>x",
                        b"--b--",
                        b"=?utf-8?q?x?=",
                        b"Content-Type: message/rfc822\r\n\r\n",
                        b"begin 644 x\r\n",
                    ]
                ),
            ),
            max_size=6,
        )
    )
    return b"\r\n".join(lines) + b"\r\n\r\n" + b"\r\n".join(body_parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=2000), _messy_messages()))
def test_fuzzed_input_always_gives_a_storable_enquiry(data: bytes) -> None:
    """Whatever bytes arrive, parsing returns an enquiry with an id and storable text."""
    enquiry = PARSER.parse(data, received_at=NOW)
    assert enquiry.channel == "email"
    assert enquiry.channel_message_id.startswith("<")
    assert 0 < len(enquiry.channel_message_id) <= 998
    assert len(enquiry.sender) <= 320
    for text in (
        enquiry.text,
        enquiry.subject,
        enquiry.quoted_text or "",
        enquiry.flag_reason or "",
    ):
        assert "\x00" not in text
        text.encode("utf-8")  # no lone surrogates
    assert enquiry.thread_key


TRUSTING = MailParser(
    guard=LoopGuard.for_mail_from("tickets@force.example"),
    keeper=DescribeOnly(),
    trusted_authserv_ids=frozenset({"mx.force.example"}),
)
_OUR_PASS = (
    b"Authentication-Results: mx.force.example;\r\n"
    b"\tspf=pass smtp.mailfrom=mail.example;\r\n"
    b"\tdmarc=pass (p=reject) header.from=mail.example\r\n"
)
_OUR_FAIL = b"Authentication-Results: mx.force.example; dmarc=fail header.from=mail.example\r\n"


def _received(*headers: bytes, message: bytes | None = None) -> bytes:
    """The message as our server hands it on: its headers prepended above the sender's."""
    return b"".join(headers) + (message if message is not None else raw(plain()))


def test_trusted_header_on_top_authenticates_the_sender() -> None:
    """Our server's folded dmarc=pass for the From domain sets sender_authenticated."""
    enquiry = TRUSTING.parse(_received(_OUR_PASS), received_at=NOW)
    assert enquiry.sender == "sam@mail.example"
    assert enquiry.sender_authenticated
    assert enquiry.flag is None


def test_sender_not_authenticated_without_trusted_ids_or_header() -> None:
    """No trusted ids configured, or no header from our server: a From line proves nothing."""
    assert not PARSER.parse(_received(_OUR_PASS), received_at=NOW).sender_authenticated
    assert not TRUSTING.parse(raw(plain()), received_at=NOW).sender_authenticated
    other = _OUR_PASS.replace(b"mx.force.example", b"mx.other.example")
    assert not TRUSTING.parse(_received(other), received_at=NOW).sender_authenticated


def test_forged_trusted_header_from_the_sender_is_not_believed() -> None:
    """A pass bearing our id written by the sender sits below our server's fail: no pass."""
    forged = raw(plain(extra={"Authentication-Results": "mx.force.example; dmarc=pass"}))
    enquiry = TRUSTING.parse(_received(_OUR_FAIL, message=forged), received_at=NOW)
    assert not enquiry.sender_authenticated
    alone = TRUSTING.parse(_received(_OUR_PASS, message=forged), received_at=NOW)
    assert alone.sender_authenticated


def test_pass_for_another_domain_or_several_authors_is_not_authentication() -> None:
    """A pass for another From domain, or a From with two addresses, authenticates no one."""
    elsewhere = _OUR_PASS.replace(b"header.from=mail.example", b"header.from=other.example")
    assert not TRUSTING.parse(_received(elsewhere), received_at=NOW).sender_authenticated
    two = raw(plain(sender="Sam <sam@mail.example>, Eve <eve@other.example>"))
    enquiry = TRUSTING.parse(_received(_OUR_PASS, message=two), received_at=NOW)
    assert not enquiry.sender_authenticated


def test_thousands_of_authentication_results_headers_cost_little() -> None:
    """A message carrying 20,000 Authentication-Results headers parses quickly, unbelieved."""
    junk = b"Authentication-Results: relay.example; dmarc=pass\r\n" * 20_000
    started = time.monotonic()
    enquiry = TRUSTING.parse(_received(junk, _OUR_PASS), received_at=NOW)
    assert time.monotonic() - started < 5  # a blow-up guard, not a speed test
    assert not enquiry.sender_authenticated
    assert TRUSTING.parse(_received(_OUR_PASS, junk), received_at=NOW).sender_authenticated
