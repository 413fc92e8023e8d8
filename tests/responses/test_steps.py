"""The steps model: literal records, one test or more per kind, either side of each period end."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from responses.case_facts import CaseFacts
from responses.steps import Step, StepState, steps_for

ISSUED = date(2026, 11, 2)


def _fpn(due: date | None, status: str = "awaiting_payment") -> CaseFacts:
    return CaseFacts(
        kind="fpn",
        reference="4249150997",
        status=status,
        offence_date=date(2026, 11, 1),
        status_date=ISSUED,
        due_date=due,
    )


def test_fpn_pay_and_hearing_open_to_the_last_day_then_closed() -> None:
    """A 28-day notice: both steps open on its last day, closed the day after."""
    due = date(2026, 11, 30)
    last = steps_for(_fpn(due), date(2026, 11, 30))
    assert last.is_open(Step.PAY)
    assert last.is_open(Step.REQUEST_HEARING)
    assert last.hearing is not None
    assert last.hearing.until == due
    after = steps_for(_fpn(due), date(2026, 12, 1))
    assert after.is_closed(Step.PAY)
    assert after.is_closed(Step.REQUEST_HEARING)
    assert after.hearing is not None
    assert after.hearing.until == due
    assert after.flags == ()


def test_fpn_period_shorter_than_the_act_allows_is_flagged() -> None:
    """RTOA 1988 s.52(3)(a) gives at least 21 days: a 20-day due date is not used."""
    steps = steps_for(_fpn(date(2026, 11, 22)), date(2026, 11, 10))
    assert steps.hearing is not None
    assert steps.hearing.state is StepState.ASK_CLERK
    assert steps.hearing.until is None
    assert steps.flag_reasons == (
        "fixed penalty notice: due date is 20 days after issue, the rule gives 21",
    )
    assert steps_for(_fpn(date(2026, 11, 23)), date(2026, 11, 10)).flags == ()


def test_fpn_due_date_before_the_offence_is_flagged() -> None:
    """A due date before the offence cannot be the deadline."""
    steps = steps_for(_fpn(date(2026, 10, 30)), date(2026, 11, 10))
    assert steps.flag_reasons == ("due date is before the offence date",)
    assert steps.payment is not None
    assert steps.payment.until is None


def test_fpn_registered_and_requested() -> None:
    """Registered: hearing and payment to us closed; requested: the hearing step done."""
    registered = steps_for(_fpn(date(2026, 11, 30), "fine_registered"), date(2026, 12, 20))
    assert registered.is_closed(Step.REQUEST_HEARING)
    assert registered.hearing is not None
    assert registered.hearing.until == date(2026, 11, 30)
    requested = steps_for(_fpn(None, "request_for_hearing"), date(2026, 12, 20))
    assert requested.hearing is not None
    assert requested.hearing.state is StepState.DONE
    assert steps_for(_fpn(None, "paid"), date(2026, 12, 20)).is_open(Step.PAY) is False


def _pnd(due: date) -> CaseFacts:
    return CaseFacts(
        kind="pnd",
        reference="PND1",
        status="issued",
        offence_date=ISSUED,
        status_date=ISSUED,
        due_date=due,
    )


def test_pnd_21_days_open_then_closed() -> None:
    """CJPA 2001: 21 days to pay or ask to be tried; open on the last day, closed after."""
    due = date(2026, 11, 23)
    assert steps_for(_pnd(due), date(2026, 11, 23)).is_open(Step.REQUEST_HEARING)
    assert steps_for(_pnd(due), date(2026, 11, 24)).is_closed(Step.REQUEST_HEARING)
    assert steps_for(_pnd(date(2026, 11, 22)), date(2026, 11, 10)).flags == ()


def test_pnd_given_28_days_is_flagged() -> None:
    """A PND due date 28 days after issue contradicts the 21 days the law gives."""
    steps = steps_for(_pnd(date(2026, 11, 30)), date(2026, 11, 10))
    assert steps.flag_reasons == (
        "penalty notice for disorder: due date is 28 days after issue, the rule gives 21",
    )
    assert steps.hearing is not None
    assert steps.hearing.state is StepState.ASK_CLERK


def _cofp(status: str, due: date | None) -> CaseFacts:
    return CaseFacts(
        kind="cofp",
        reference="C1",
        status=status,
        offence_date=date(2026, 10, 30),
        status_date=ISSUED,
        due_date=due,
    )


def test_cofp_nomination_open_then_closed_and_no_hearing_step() -> None:
    """s.172: name the driver by the notice's date; asking for court is no step here."""
    due = date(2026, 12, 4)
    steps = steps_for(_cofp("awaiting_driver_nomination", due), date(2026, 12, 4))
    assert steps.is_open(Step.NOMINATE_DRIVER)
    assert steps.hearing is None
    assert steps_for(_cofp("nip_sent", due), date(2026, 12, 5)).is_closed(Step.NOMINATE_DRIVER)


def test_cofp_nomination_shorter_than_28_days_is_flagged() -> None:
    """A nomination due date under 28 days after the notice was sent cannot be right."""
    steps = steps_for(_cofp("nip_sent", date(2026, 11, 20)), date(2026, 11, 10))
    assert steps.flag_reasons == (
        "driver nomination: due date is 18 days after the notice was sent, the law gives 28"
        " days from service",
    )
    assert steps.nomination is not None
    assert steps.nomination.until is None


def test_cofp_offer_at_least_28_days() -> None:
    """RTOA 1988 s.76(4): an offer open for 28 days; shorter is flagged."""
    good = steps_for(_cofp("offer_issued", date(2026, 11, 30)), date(2026, 11, 30))
    assert good.is_open(Step.PAY)
    assert steps_for(_cofp("offer_issued", date(2026, 11, 30)), date(2026, 12, 1)).is_closed(
        Step.PAY
    )
    short = steps_for(_cofp("offer_issued", date(2026, 11, 23)), date(2026, 11, 10))
    assert short.flag_reasons == (
        "conditional offer: due date is 21 days after issue, the rule gives 28",
    )


def test_course_offer_book_then_finish() -> None:
    """Book by the offer's date; once booked, finish by it."""
    offer = CaseFacts(
        kind="course_offer",
        reference="DA1",
        status="offered",
        offence_date=ISSUED,
        status_date=ISSUED,
        due_date=date(2026, 12, 20),
    )
    assert steps_for(offer, date(2026, 12, 20)).is_open(Step.BOOK_COURSE)
    assert steps_for(offer, date(2026, 12, 21)).is_closed(Step.BOOK_COURSE)
    booked = CaseFacts(
        kind="course_offer", reference="DA1", status="booked", due_date=date(2026, 12, 20)
    )
    assert steps_for(booked, date(2026, 12, 1)).is_open(Step.FINISH_COURSE)


def test_hort1_seven_days() -> None:
    """Produce documents within 7 days of the requirement; other gaps are flagged."""
    facts = CaseFacts(
        kind="hort1",
        reference="H1",
        status="issued",
        offence_date=ISSUED,
        status_date=ISSUED,
        due_date=date(2026, 11, 9),
    )
    assert steps_for(facts, date(2026, 11, 9)).is_open(Step.PRODUCE_DOCUMENTS)
    assert steps_for(facts, date(2026, 11, 10)).is_closed(Step.PRODUCE_DOCUMENTS)
    wrong = CaseFacts(
        kind="hort1",
        reference="H1",
        status="issued",
        offence_date=ISSUED,
        status_date=ISSUED,
        due_date=date(2026, 11, 16),
    )
    assert steps_for(wrong, date(2026, 11, 3)).flag_reasons == (
        "HORT/1: due date is 14 days after the requirement, the law gives 7",
    )


def test_vdrs_uses_the_forms_date() -> None:
    """The form's own date (usually 14 days, national guidance) decides; before issue is flagged."""
    facts = CaseFacts(
        kind="vdrs",
        reference="V1",
        status="issued",
        offence_date=ISSUED,
        status_date=ISSUED,
        due_date=date(2026, 11, 16),
    )
    assert steps_for(facts, date(2026, 11, 16)).is_open(Step.RECTIFY_DEFECT)
    assert steps_for(facts, date(2026, 11, 17)).is_closed(Step.RECTIFY_DEFECT)
    early = CaseFacts(
        kind="vdrs",
        reference="V1",
        status="issued",
        offence_date=ISSUED,
        status_date=ISSUED,
        due_date=date(2026, 11, 1),
    )
    assert steps_for(early, date(2026, 11, 3)).flag_reasons == (
        "due date is before the offence date",
    )


def test_court_kinds_hearing_and_after() -> None:
    """A listed hearing is open until its day; after a result, appeal and statutory
    declaration are for a clerk (the record lacks the dates they run from)."""
    listed = CaseFacts(
        kind="summons", reference="S1", status="hearing_listed", hearing_date=date(2026, 12, 3)
    )
    assert steps_for(listed, date(2026, 12, 3)).is_open(Step.ATTEND_HEARING)
    assert steps_for(listed, date(2026, 12, 4)).is_closed(Step.ATTEND_HEARING)
    done = steps_for(CaseFacts(kind="court_case", reference="K1", status="concluded"), ISSUED)
    appeal = done.get(Step.APPEAL)
    assert appeal is not None
    assert appeal.state is StepState.ASK_CLERK
    assert (
        steps_for(CaseFacts(kind="summons", reference="S1", status="withdrawn"), ISSUED).steps == ()
    )


def test_disposals_comply_by_the_date() -> None:
    """Conditions of an out-of-court disposal: open until the record's date."""
    facts = CaseFacts(
        kind="conditional_caution",
        reference="CC1",
        status="conditions_set",
        status_date=ISSUED,
        due_date=date(2026, 12, 1),
    )
    assert steps_for(facts, date(2026, 12, 1)).is_open(Step.COMPLY_CONDITIONS)
    assert steps_for(facts, date(2026, 12, 2)).is_closed(Step.COMPLY_CONDITIONS)


def test_kinds_that_ask_nothing_and_unknowns() -> None:
    """Collisions, CICA requests and drugs warnings ask nothing; unknowns ask a clerk."""
    for kind, status in (
        ("collision", "closed"),
        ("cica_claim", "request_received"),
        ("drugs_warning", "recorded"),
    ):
        steps = steps_for(CaseFacts(kind=kind, reference="X", status=status), ISSUED)
        assert steps.steps == ()
        assert steps.ask_clerk is None
    assert steps_for(CaseFacts(kind="parking", reference="X", status="x"), ISSUED).ask_clerk
    assert steps_for(CaseFacts(kind="fpn", reference="X", status="suspended"), ISSUED).ask_clerk
    assert steps_for(CaseFacts(kind="fpn", reference="X"), ISSUED).ask_clerk


def test_next_deadline_is_the_soonest_open_step_and_none_once_paid() -> None:
    """What a person must act by next: the soonest open step's last day; nothing once paid."""
    facts = CaseFacts(
        kind="fpn",
        reference="3462166202",
        status="awaiting_payment",
        offence_date=date(2026, 11, 20),
        status_date=date(2026, 11, 20),
        due_date=date(2026, 12, 18),
    )
    steps = steps_for(facts, date(2026, 12, 7))
    open_ends = [v.until for v in steps.steps if v.open and v.until is not None]
    assert open_ends
    assert steps.next_deadline == min(open_ends)
    paid = steps_for(replace(facts, status="paid"), date(2026, 12, 7))
    assert paid.next_deadline is None
