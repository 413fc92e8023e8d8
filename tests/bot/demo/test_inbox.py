"""Tests for the demo inbox writer (bot.demo.inbox)."""

from __future__ import annotations

import datetime
import email
import email.policy
import email.utils
import mailbox
import re
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.demo.inbox import DESK_ADDRESS, demo_enquiries, write_demo_inbox
from bot.demo.records import generate_records

TODAY = datetime.date(2026, 11, 1)


@pytest.fixture(scope="module")
def records() -> list[dict[str, str]]:
    return list(generate_records(3000, seed=21, today=TODAY))


def _messages(folder: Path) -> list[EmailMessage]:
    parsed = []
    for sub in ("new", "cur"):
        for path in sorted((folder / sub).iterdir()):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            parsed.append(message)
    return parsed


def _squash(text: str) -> str:
    """Upper case, letters and digits only: how a matcher would compare references."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def test_writes_count_parseable_messages(tmp_path: Path, records: list[dict[str, str]]) -> None:
    """The folder is created and holds `count` well-formed messages, each with a unique
    Message-ID on the demo domain, a From with a display name, the desk as To, a Subject,
    a Date and a plain-text UTF-8 body."""
    folder = tmp_path / "deep" / "Maildir"
    assert write_demo_inbox(folder, records, count=40, seed=1) == 40
    messages = _messages(folder)
    assert len(messages) == 40
    assert len(mailbox.Maildir(folder, create=False)) == 40
    ids = set()
    for message in messages:
        message_id = str(message["Message-ID"])
        assert re.fullmatch(r"<[^@<>]+@demo\.enquiry-desk\.example>", message_id)
        ids.add(message_id)
        name, address = email.utils.parseaddr(str(message["From"]))
        assert name
        assert "@" in address
        assert str(message["To"]) == DESK_ADDRESS
        assert str(message["Subject"]).strip()
        assert email.utils.parsedate_to_datetime(str(message["Date"])).tzinfo is not None
        assert message.get_content_type() == "text/plain"
        assert message.get_content_charset() == "utf-8"
        body = message.get_content()
        assert isinstance(body, str)
        assert len(body.strip()) > 20
    assert len(ids) == 40


def test_second_run_adds_nothing(tmp_path: Path, records: list[dict[str, str]]) -> None:
    """Running again with the same seed writes nothing; a larger count adds only the rest."""
    folder = tmp_path / "Maildir"
    assert write_demo_inbox(folder, records, count=25, seed=4) == 25
    assert write_demo_inbox(folder, records, count=25, seed=4) == 0
    assert write_demo_inbox(folder, records, count=30, seed=4) == 5
    assert len(_messages(folder)) == 30
    # Another seed is another set of messages.
    assert write_demo_inbox(folder, records, count=3, seed=5) == 3
    assert len(_messages(folder)) == 33


def test_message_already_present_under_another_name_is_not_repeated(
    tmp_path: Path, records: list[dict[str, str]]
) -> None:
    """A demo message moved or re-filed under another file name (as a mail client or
    IMAP copy would) is recognised by its Message-ID and not written again."""
    folder = tmp_path / "Maildir"
    write_demo_inbox(folder, records, count=3, seed=8)
    box = mailbox.Maildir(folder, create=False)
    key = next(iter(box.keys()))
    message = box[key]
    box.remove(key)
    box.add(message)  # the same message, a new file name chosen by mailbox
    assert write_demo_inbox(folder, records, count=3, seed=8) == 0
    assert len(box) == 3


def test_deterministic_for_a_seed(tmp_path: Path, records: list[dict[str, str]]) -> None:
    """Two folders written with the same seed hold byte-identical messages; another seed
    writes different ones."""
    first, second, third = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_demo_inbox(first, records, count=20, seed=2)
    write_demo_inbox(second, records, count=20, seed=2)
    write_demo_inbox(third, records, count=20, seed=3)

    def contents(folder: Path) -> list[bytes]:
        return sorted(path.read_bytes() for path in (folder / "new").iterdir())

    assert contents(first) == contents(second)
    bodies_a = {m.get_content() for m in _messages(first)}
    bodies_c = {m.get_content() for m in _messages(third)}
    assert len(bodies_a & bodies_c) <= 2  # a short general question may coincide


def test_enquiries_read_like_the_public(records: list[dict[str, str]]) -> None:
    """Over 200 enquiries: most name their record recognisably, some mistype or space out
    the reference, some give a lower-case plate or a written-out date of birth, some quote
    an earlier message, and sign-offs include phone signatures."""
    enquiries = list(demo_enquiries(records, count=200, seed=6))
    about = [e for e in enquiries if e.scenario == "record"]
    by_reference = {r["reference"]: r for r in records}

    named = [e for e in about if _squash(e.reference) in _squash(e.body)]
    assert len(named) > len(about) // 2
    spaced = [e for e in named if e.reference not in e.body]
    assert spaced, "some references should be written with spaces, dashes or lower case"
    mistyped = [
        e
        for e in about
        if e.reference not in e.body
        and _squash(e.reference) not in _squash(e.body)
        and re.search(re.escape(e.reference[:3]), e.body, re.IGNORECASE)
    ]
    assert mistyped, "some references should carry a typo"

    lower_plates = [
        e
        for e in about
        if by_reference[e.reference]["vrm"]
        and by_reference[e.reference]["vrm"].replace(" ", "").lower() in e.body.replace(" ", "")
    ]
    assert lower_plates
    assert any(re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", e.body) for e in about)
    assert any(re.search(r"\d(st|nd|rd|th) [A-Z][a-z]+ \d{4}", e.body) for e in about)
    assert any("wrote:\n> " in e.body for e in enquiries)
    assert any("Sent from my iPhone" in e.body for e in enquiries)
    assert any("\n--\n" in e.body for e in enquiries)
    assert len(Counter(e.intent for e in about)) >= 8


def test_some_enquiries_name_no_record_or_someone_elses(records: list[dict[str, str]]) -> None:
    """A few enquiries name no record (and quote no reference from the records), one or
    two quote a reference belonging to another record's subject, and a few come from a
    third party who holds the subject's reference but is not its subject."""
    enquiries = list(demo_enquiries(records, count=100, seed=9))
    scenarios = Counter(e.scenario for e in enquiries)
    assert 3 <= scenarios["no_record"] <= 10
    assert 1 <= scenarios["other_reference"] <= 3
    assert 2 <= scenarios["third_party"] <= 4
    by_reference = {r["reference"]: r for r in records}
    for enquiry in enquiries:
        if enquiry.scenario == "no_record":
            assert enquiry.reference == enquiry.writer_reference == ""
            assert not any(ref in _squash(enquiry.body) for ref in by_reference)
        elif enquiry.scenario == "other_reference":
            owner = by_reference[enquiry.reference]
            writer = by_reference[enquiry.writer_reference]
            assert (owner["surname"], owner["forenames"], owner["dob"]) != (
                writer["surname"],
                writer["forenames"],
                writer["dob"],
            )
            assert writer["surname"].lower() in enquiry.sender_name.lower()
        elif enquiry.scenario == "third_party":
            assert enquiry.reference in by_reference
            assert enquiry.writer_reference == ""
        else:
            assert enquiry.reference == enquiry.writer_reference != ""


def test_without_records_every_enquiry_is_general(tmp_path: Path) -> None:
    """With no records to ask about, messages are still written, all naming no record."""
    assert write_demo_inbox(tmp_path / "Maildir", [], count=5, seed=0) == 5
    assert {e.scenario for e in demo_enquiries([], count=5)} == {"no_record"}
