"""A partner's mail read as a proposed change to a record, with literals."""

from __future__ import annotations

from datetime import date

import pytest

from responses.partner_changes import (
    PartnerKind,
    ProposedChange,
    partner_kind,
    proposed_change,
)

COURSE = PartnerKind.COURSE_PROVIDER
COURT = PartnerKind.COURT


def test_a_course_providers_completion_proposes_completed() -> None:
    """ "Attended and completed the course" about a booked course offer: completed."""
    change = proposed_change(
        COURSE,
        "Re DA46551882: the client attended and completed the course on 20 November 2026.",
        kind="course_offer",
        reference="DA46551882",
        status="booked",
    )
    assert change == ProposedChange(
        kind="course_offer",
        reference="DA46551882",
        old_status="booked",
        status="completed",
        supported_by=("attended and completed the course",),
    )
    assert change.changes() == {"status": "completed"}


def test_non_attendance_proposes_not_completed() -> None:
    """ "Did not attend the course": not_completed, not completed."""
    change = proposed_change(
        COURSE,
        "The client did not attend the course booked for 3 May 2026.",
        kind="course_offer",
        reference="DA13373978",
        status="booked",
    )
    assert change is not None
    assert change.status == "not_completed"
    assert change.supported_by == ("did not attend",)


def test_a_court_result_proposes_result_recorded_with_the_outcome() -> None:
    """A summons resulted: result_recorded, the court's sentences as the outcome."""
    change = proposed_change(
        COURT,
        "Result: Convicted in absence. Fined £220 and 3 penalty points.",
        kind="summons",
        reference="42/TR/1234/26",
        status="hearing_listed",
    )
    assert change is not None
    assert change.status == "result_recorded"
    assert change.outcome == "Convicted in absence. Fined £220 and 3 penalty points."
    assert change.changes() == {
        "status": "result_recorded",
        "outcome": "Convicted in absence. Fined £220 and 3 penalty points.",
    }


def test_a_court_result_for_a_court_case_proposes_concluded() -> None:
    """The same result for a court file: concluded (court_case has no result_recorded)."""
    change = proposed_change(
        COURT, "The defendant was found guilty and fined £400.", kind="court_case", status="listed"
    )
    assert change is not None
    assert change.status == "concluded"
    assert change.outcome == "The defendant was found guilty and fined £400."


def test_a_withdrawal_proposes_withdrawn() -> None:
    """A postal requisition withdrawn by the prosecution: withdrawn."""
    change = proposed_change(
        COURT,
        "The case was withdrawn by the prosecution today.",
        kind="postal_requisition",
        status="hearing_listed",
    )
    assert change is not None
    assert (change.status, change.outcome, change.hearing_date) == ("withdrawn", None, None)


def test_an_adjournment_proposes_adjourned_with_the_new_date() -> None:
    """ "Adjourned to Monday 14 December 2026": adjourned, hearing 2026-12-14."""
    change = proposed_change(
        COURT,
        "Convicted; sentence adjourned to Monday 14 December 2026 at 10am.",
        kind="court_case",
        reference="12AB3456789",
        status="listed",
    )
    assert change is not None
    assert change.status == "adjourned"
    assert change.hearing_date == date(2026, 12, 14)
    assert change.changes() == {"status": "adjourned", "hearing_date": "2026-12-14"}
    assert change.as_json()["hearing_date"] == "2026-12-14"


@pytest.mark.parametrize(
    ("partner", "text"),
    [
        (COURSE, "Please see the attached about the course."),
        (COURSE, "Has the client completed the course?"),
        (COURSE, "We will confirm once the course is completed."),
        (COURSE, "We have completed our checks."),
        (COURSE, "One attended and completed the course; the other did not attend the course."),
        (COURT, "Please find the court list attached."),
        (COURT, "The case has not been withdrawn."),
        (COURT, "Charge 1 withdrawn; fined £100 on charge 2."),
    ],
)
def test_nothing_is_proposed_for_a_vague_or_mixed_message(partner: PartnerKind, text: str) -> None:
    """Questions, plans, negations, other matters and mixed reports propose nothing."""
    kind = "course_offer" if partner is COURSE else "summons"
    assert proposed_change(partner, text, kind=kind, status="booked") is None


@pytest.mark.parametrize(
    ("partner", "text", "kind"),
    [
        (COURSE, "The client completed the course yesterday.", "fpn"),
        (COURT, "The case was withdrawn.", "court_case"),
        (COURT, "Fined £100.", "pnd"),
    ],
)
def test_nothing_outside_the_kinds_vocabulary(partner: PartnerKind, text: str, kind: str) -> None:
    """A status the record's kind does not have (records contract) is never proposed."""
    assert proposed_change(partner, text, kind=kind, status="issued") is None


def test_nothing_when_the_record_already_has_the_status_or_the_partner_is_other() -> None:
    """Already completed, or from DVLA: nothing to propose."""
    text = "The client completed the course."
    assert proposed_change(COURSE, text, kind="course_offer", status="completed") is None
    assert proposed_change(PartnerKind.OTHER, text, kind="course_offer", status="booked") is None


def test_a_court_result_without_a_matched_record_proposes_nothing() -> None:
    """A court's statuses differ by kind: with no record named, nothing is proposed."""
    assert proposed_change(COURT, "Fined £100.", kind=None) is None


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("HMCTS Leeds", COURT),
        ("Leeds Magistrates' Court", COURT),
        ("NDORS", COURSE),
        ("TTC Courses", COURSE),
        ("DVLA", PartnerKind.OTHER),
        ("CPS", PartnerKind.OTHER),
    ],
)
def test_partner_kind_from_the_configured_name(name: str, kind: PartnerKind) -> None:
    """The configured partner name says whether it is a court or a course provider."""
    assert partner_kind(name) is kind
