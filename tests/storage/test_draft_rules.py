"""The draft rules that need no database, one clause at a time, with plain values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.draft_rules import (
    CLAIM_MINUTES,
    DEFAULT_CLAIM_HOLD,
    claim_lapsed,
    holder_against,
    is_an_edit,
    may_approve,
)

AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
HOLD = timedelta(minutes=15)


def test_the_default_hold_is_fifteen_minutes() -> None:
    """DESK_CLAIM_MINUTES's default and the desk's default hold are one constant."""
    assert CLAIM_MINUTES == 15
    assert timedelta(minutes=15) == DEFAULT_CLAIM_HOLD


def test_maker_checker_bars_the_editor_from_approving() -> None:
    """Under maker-checker the clerk who edited the draft may not approve it."""
    assert may_approve(actor="ann", editors={"ann"}, maker_checker=True) is False


def test_maker_checker_lets_another_clerk_approve() -> None:
    """A clerk other than the editor may approve."""
    assert may_approve(actor="bob", editors={"ann"}, maker_checker=True) is True


def test_an_unedited_draft_may_be_approved_by_anyone() -> None:
    """The pipeline's own text has no clerk as its editor."""
    assert may_approve(actor="ann", editors=set(), maker_checker=True) is True


def test_maker_checker_bars_an_earlier_editor_too() -> None:
    """Ann edits, Bob edits after her: Ann still wrote some of the words, and may not."""
    assert may_approve(actor="ann", editors={"ann", "bob"}, maker_checker=True) is False
    assert may_approve(actor="cat", editors={"ann", "bob"}, maker_checker=True) is True


def test_without_maker_checker_the_editor_may_approve() -> None:
    """Switched off, the rule bars no one."""
    assert may_approve(actor="ann", editors={"ann"}, maker_checker=False) is True


def test_a_claim_holds_until_its_hold_has_passed() -> None:
    """One second before the hold ends, the claim still holds."""
    assert claim_lapsed(AT, now=AT + HOLD - timedelta(seconds=1), hold=HOLD) is False


def test_a_claim_lapses_the_moment_its_hold_ends() -> None:
    """At exactly `hold` after it was made, the claim no longer holds."""
    assert claim_lapsed(AT, now=AT + HOLD, hold=HOLD) is True


def test_a_claim_with_no_time_holds_nothing() -> None:
    """A released (or never made) claim has no time and does not hold."""
    assert claim_lapsed(None, now=AT, hold=HOLD) is True


def test_nobody_holds_an_unclaimed_draft() -> None:
    """No claim: anyone may act."""
    assert holder_against("ann", claimed_by=None, claimed_at=None, now=AT, hold=HOLD) is None


def test_a_clerk_is_not_held_off_by_their_own_claim() -> None:
    """The holder may act on the draft they hold."""
    held = holder_against("ann", claimed_by="ann", claimed_at=AT, now=AT, hold=HOLD)
    assert held is None


def test_another_clerks_open_claim_holds_the_draft() -> None:
    """Within the hold, another clerk is told who has the draft."""
    held = holder_against(
        "bob", claimed_by="ann", claimed_at=AT, now=AT + timedelta(minutes=2), hold=HOLD
    )
    assert held == "ann"


def test_another_clerks_lapsed_claim_holds_nothing() -> None:
    """After the hold, another clerk may take the draft."""
    held = holder_against("bob", claimed_by="ann", claimed_at=AT, now=AT + HOLD, hold=HOLD)
    assert held is None


def test_changed_text_is_an_edit() -> None:
    """Different words are an edit."""
    assert is_an_edit("Paid.", None, current_body="Unpaid.", current_subject="Re: x") is True


def test_line_endings_and_trailing_space_are_not_an_edit() -> None:
    """A browser's CRLF and a trailing newline leave the text as it was."""
    assert (
        is_an_edit(
            "Dear A,\r\n\r\nPaid.\r\n",
            "Re: x",
            current_body="Dear A,\n\nPaid.",
            current_subject="Re: x",
        )
        is False
    )


def test_a_changed_subject_is_an_edit() -> None:
    """The same text under another subject is an edit."""
    assert is_an_edit("Paid.", "Re: y", current_body="Paid.", current_subject="Re: x") is True


def test_a_subject_differing_only_in_spaces_is_not_an_edit() -> None:
    """Spaces around the subject, or none given for no subject, change nothing."""
    assert is_an_edit("Paid.", " Re: x ", current_body="Paid.", current_subject="Re: x") is False
    assert is_an_edit("Paid.", "", current_body="Paid.", current_subject=None) is False


def test_no_subject_given_keeps_the_subject() -> None:
    """None means the subject is left as it is, so only the text counts."""
    assert is_an_edit("Paid.", None, current_body="Paid.", current_subject="Re: x") is False
