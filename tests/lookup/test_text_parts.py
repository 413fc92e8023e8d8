"""Splitting a message body into own words, quoted mail and signature."""

from __future__ import annotations

import time

import pytest

from lookup.text_parts import MessageParts, split_message


def test_empty_text_gives_three_empty_parts() -> None:
    """An empty body splits into empty parts without error."""
    assert split_message("") == MessageParts(own="", quoted="", signature="")


def test_plain_message_is_all_own() -> None:
    """A body with no quoting or signature is all the writer's own text."""
    parts = split_message("Hello,\n\nWhere is my ticket?\n")
    assert parts == MessageParts(own="Hello,\n\nWhere is my ticket?", quoted="", signature="")


def test_gmail_on_wrote_line_starts_quoted_text() -> None:
    """Everything from a Gmail "On <date>, <name> wrote:" line on is quoted."""
    text = "My ref is 4247250185.\n\nOn Mon, 3 Nov 2026 at 10:02, Jane Doe <jane@example.com> wrote:\n> Old text\n"
    parts = split_message(text)
    assert parts.own == "My ref is 4247250185."
    assert parts.quoted.startswith("On Mon, 3 Nov 2026")
    assert "Old text" in parts.quoted


def test_gmail_on_wrote_line_wrapped_over_two_lines() -> None:
    """A Gmail attribution wrapped onto a second line still starts the quote."""
    text = "Thanks\n\nOn Tue, 4 Nov 2026 at 09:00, Jane Smith <\njane@example.com> wrote:\n> SR259476606"
    parts = split_message(text)
    assert parts.own == "Thanks"
    assert "SR259476606" in parts.quoted


def test_outlook_original_message_separator() -> None:
    """An Outlook "-----Original Message-----" line starts the quoted text."""
    parts = split_message("Any news?\n\n-----Original Message-----\nFrom: Desk\nSent: 1 Nov\nRef X")
    assert parts.own == "Any news?"
    assert parts.quoted.startswith("-----Original Message-----")


@pytest.mark.parametrize("second", ["Sent: 01 November 2026 10:00", "Date: 01 November 2026"])
def test_outlook_header_block_starts_quoted_text(second: str) -> None:
    """An Outlook "From: ... Sent:/Date: ..." header block starts the quoted text."""
    text = f"Any news?\n\nFrom: Enquiry Desk <desk@example.police.uk>\n{second}\nTo: me\n\nRef P427358947"
    parts = split_message(text)
    assert parts.own == "Any news?"
    assert parts.quoted.startswith("From: Enquiry Desk")
    assert "P427358947" in parts.quoted


def test_from_line_without_header_block_is_own_text() -> None:
    """A lone "From:" in the writer's text is not mistaken for a quoted header."""
    parts = split_message("From: 29 September I have been waiting.")
    assert parts.own == "From: 29 September I have been waiting."
    assert parts.quoted == ""


def test_underscore_rule_starts_quoted_text() -> None:
    """A line of underscores (Outlook's separator) starts the quoted text."""
    parts = split_message("Any news?\n________________________________\nFrom: x\nref 42CW2184524")
    assert parts.own == "Any news?"
    assert "42CW2184524" in parts.quoted


def test_angle_quoted_lines_are_quoted_and_marks_removed() -> None:
    """Lines starting with ">" go to quoted without their marks; replies between stay own."""
    parts = split_message("see below\n> quoted SR259476606\n>> older\nmy own DA72302079\n")
    assert parts.own == "see below\nmy own DA72302079"
    assert parts.quoted == "quoted SR259476606\nolder"


@pytest.mark.parametrize("delimiter", ["--", "-- "])
def test_signature_delimiter_keeps_name_in_signature(delimiter: str) -> None:
    """After a "--" or "-- " line comes the signature, the sign-off name included."""
    parts = split_message(f"Hello\n\n{delimiter}\nWendy Williamson\nThis email is confidential.")
    assert parts.own == "Hello"
    assert parts.signature == "Wendy Williamson\nThis email is confidential."


def test_double_dash_inside_a_line_is_not_a_delimiter() -> None:
    """A "--" within a sentence does not start a signature."""
    parts = split_message("I paid -- twice -- already.")
    assert parts.own == "I paid -- twice -- already."
    assert parts.signature == ""


@pytest.mark.parametrize(
    "footer",
    ["Sent from my iPhone", "Sent from my Samsung Galaxy smartphone.", "Get Outlook for iOS"],
)
def test_mobile_footer_is_signature(footer: str) -> None:
    """Mobile footers start the signature; the closing above them stays own."""
    parts = split_message(f"Where is it?\n\nKind regards,\nBen Smith\n{footer}")
    assert parts.own == "Where is it?\n\nKind regards,\nBen Smith"
    assert parts.signature == footer


def test_disclaimer_is_signature() -> None:
    """A confidentiality disclaimer is part of the signature, not the writer's words."""
    text = "Ref 4247250185 please.\n\nThis email and any attachments are confidential and intended solely for the addressee."
    parts = split_message(text)
    assert parts.own == "Ref 4247250185 please."
    assert parts.signature.startswith("This email and any attachments")


def test_simple_closing_stays_own() -> None:
    """A closing with name and phone and no delimiter stays in the writer's own text."""
    text = "Dear Sir/Madam,\n\nStatus please.\n\nRegards\nKarl Colin Watson\n07700 900694"
    parts = split_message(text)
    assert parts.own == text
    assert parts.signature == ""


def test_signature_then_quote() -> None:
    """A signature followed by quoted mail splits into all three parts."""
    text = "Thanks\nSent from my iPhone\n\nOn 1 Nov 2026, at 10:00, Bob wrote:\n\n> ref SR259476606"
    parts = split_message(text)
    assert parts.own == "Thanks"
    assert parts.signature == "Sent from my iPhone"
    assert parts.quoted.endswith("ref SR259476606")


def test_crlf_line_endings() -> None:
    """CRLF and lone CR line endings split exactly like LF."""
    text = "Hi\r\n\r\n--\r\nWendy\r\n"
    assert split_message(text) == split_message(text.replace("\r\n", "\n"))
    assert split_message("Hi\r--\rWendy").signature == "Wendy"


@pytest.mark.parametrize(
    "body",
    [
        "a" * 1_000_000,
        "On Mon wrote\n" * 80_000,
        "From: a\n" * 120_000,
        "> x\n" * 250_000,
        "-" * 1_000_000,
        "😀 שלום مرحبا\u202e\n" * 60_000,
    ],
    ids=["letters", "on-lines", "from-lines", "quoted-lines", "dashes", "emoji-rtl"],
)
def test_huge_bodies_split_in_linear_time(body: str) -> None:
    """A megabyte of pathological text splits quickly (a generous bound, not a benchmark)."""
    started = time.perf_counter()
    split_message(body)
    assert time.perf_counter() - started < 1.0
