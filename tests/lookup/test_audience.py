"""The disclosure switch in `lookup.decide`: only `Audience.OFFICER` relaxes the rules.

Literal comparisons, no extraction: one record, a weight and what agreed, decided for
each audience and for values that are not an audience at all.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from lookup.channels import CHAT_CHANNELS, Audience, Channel
from lookup.decide import MARGIN, NAME_AT, OFFICER_NAME_AT, decide
from lookup.enquiry import Enquiry, Flag
from lookup.keys import fold_key
from lookup.records import RecordView
from lookup.routes import DraftRoute, OutcomeRoute
from lookup.score import Comparison
from lookup.verify import Identifier

RECORD = RecordView(
    id=7,
    kind="fpn",
    reference="3462166202",
    ref_key="3462166202",
    ref_fold=fold_key("3462166202"),
    status="awaiting_payment",
    surname_key="thornbury",
    forenames="William",
    dob=None,
    postcode_key=None,
    vrm_key=None,
    vrm_fold=None,
    email_key=None,
    offence_date=None,
)
# The reference alone, exactly: one personal identifier, not enough for the public.
BY_REFERENCE = Comparison(
    RECORD, NAME_AT + MARGIN, (Identifier.REFERENCE,), (), ("reference exact",), named=True
)
# A name and date of birth weighed between the officers' line and the public's.
BETWEEN_LINES = Comparison(
    RECORD,
    (OFFICER_NAME_AT + NAME_AT) / 2,
    (Identifier.SURNAME, Identifier.DATE_OF_BIRTH),
    (),
    ("surname agrees", "date of birth agrees"),
)
NOT_AUDIENCES = ["officer", "OFFICER", "chat", Channel.CHAT, Channel.SLACK, None, 1, True]


def test_an_officer_is_told_an_unambiguous_record() -> None:
    """For `Audience.OFFICER` a record named with a clear lead is verified, and says why."""
    decision = decide([BY_REFERENCE], audience=Audience.OFFICER)
    assert decision.record_id == 7
    assert decision.verified
    assert "an authorised officer in chat" in decision.reasons


def test_the_public_needs_two_identifiers() -> None:
    """For `Audience.PUBLIC` the same record is named but not verified (section 2)."""
    decision = decide([BY_REFERENCE], audience=Audience.PUBLIC)
    assert decision.record_id == 7
    assert not decision.verified
    assert "an authorised officer in chat" not in decision.reasons


@pytest.mark.parametrize("audience", NOT_AUDIENCES, ids=repr)
def test_anything_but_the_officer_member_is_the_public(audience: object) -> None:
    """A string that spells the officer's value, a channel, None: decided as for the public."""
    decision = decide([BY_REFERENCE], audience=audience)  # type: ignore[arg-type]
    assert decision == decide([BY_REFERENCE], audience=Audience.PUBLIC)
    assert not decision.verified


def test_the_officers_naming_line_is_for_officers_only() -> None:
    """A weight between the two lines names the record for an officer and for nobody else."""
    assert decide([BETWEEN_LINES], audience=Audience.OFFICER).record_id == 7
    assert decide([BETWEEN_LINES], audience=Audience.PUBLIC).record_id is None
    for audience in NOT_AUDIENCES:
        assert decide([BETWEEN_LINES], audience=audience).record_id is None  # type: ignore[arg-type]


def test_audience_values() -> None:
    """The two audiences and their stored words."""
    assert [a.value for a in Audience] == ["public", "officer"]


def test_channels_keep_the_words_the_contact_log_stores() -> None:
    """Channel values are the strings already in `contact.channel`; chat ones say so."""
    assert {c.value for c in Channel} == {"email", "slack", "teams", "desk", "chat"}
    assert {Channel.SLACK, Channel.TEAMS, Channel.CHAT} == CHAT_CHANNELS
    assert Channel.SLACK.is_chat
    assert Channel("chat").is_chat
    assert not Channel.EMAIL.is_chat
    assert not Channel.DESK.is_chat


def test_an_enquiry_checks_its_channel_and_flag() -> None:
    """Plain strings become the enums; a misspelt channel or flag fails where it is made."""
    at = datetime(2026, 11, 23, 9, 0)
    enquiry = Enquiry("slack", "Ev1", "U1", at, "status?", flag="withheld")  # type: ignore[arg-type]
    assert enquiry.channel is Channel.SLACK
    assert enquiry.flag is Flag.WITHHELD
    with pytest.raises(ValueError, match="emial"):
        Enquiry("emial", "<1@x>", "a@b.uk", at, "hello")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unauthorized"):
        Enquiry(Channel.SLACK, "Ev2", "U1", at, "hi", flag="unauthorized")  # type: ignore[arg-type]


def test_a_partners_draft_waits_for_a_clerk() -> None:
    """The contract's route (section 3) of every draft, a partner's note included, is clerk."""
    assert OutcomeRoute.of_draft(DraftRoute.CLERK) is OutcomeRoute.CLERK
    assert OutcomeRoute.of_draft(DraftRoute.PARTNER) is OutcomeRoute.CLERK
    assert [r.value for r in OutcomeRoute] == ["clerk", "chat", "none"]
