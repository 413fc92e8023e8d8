"""Who may ask and who may act, read from the settings' id lists."""

from __future__ import annotations

import pytest

from bot.chat.officer_desk import MAX_QUESTION_CHARS, clean_question
from bot.chat.roster import RosterError, parse_roster


def test_officers_with_collars_groups_and_clerks() -> None:
    """`USER=COLLAR` maps to the collar, a bare user to itself, `S...` is a group."""
    roster = parse_roster(["U1=8656", " U2 ", "S0GROUP"], ["UC1"], group_prefix="S")
    assert roster.collar("U1") == "8656"
    assert roster.collar("U2") == "U2"
    assert roster.collar("UC1") is None
    assert roster.officer_groups == frozenset({"S0GROUP"})
    assert roster.is_clerk("UC1")
    assert not roster.is_clerk("U1")


@pytest.mark.parametrize(("officers", "clerks"), [(["=8656"], []), ([], ["UC1=1"])])
def test_unreadable_entries_are_refused(officers: list[str], clerks: list[str]) -> None:
    """An officer entry without a user id, or a clerk entry with a collar, is an error."""
    with pytest.raises(RosterError):
        parse_roster(officers, clerks)


def test_question_is_cleaned_and_cut() -> None:
    """Mentions and surplus space go; a pasted document is cut to the first characters."""
    assert clean_question("<@U0BOT>  status of\n 123 ") == "status of 123"
    assert len(clean_question("word " * 20_000)) == MAX_QUESTION_CHARS
