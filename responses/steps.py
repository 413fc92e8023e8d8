"""Which steps a person can still take on a record, and until when, on a given day.

A letter is a legal document: it may offer only a step that is still open on the day it
is sent, and may quote only a deadline the rules confirm. `steps_for(facts, today)` reads
the record's own dates (offence_date, status_date, due_date, hearing_date), checks each
against the rule for its kind, and says for every step whether it is open (until when),
closed (it ended on which day), done, or a matter for a clerk.

Two principles, both from the issue "Letters that are right for the case as it stands on
the day they are sent":

- A period is never guessed. Where the law fixes it exactly, the record's due date is
  checked against it; where the law allows a longer period on the notice, or the period
  is set by national guidance as "usually" so many days, the record's due date is used
  only if it does not contradict the rule. A date that contradicts the rule becomes a
  `DateFlag` for a clerk and is not used: the step is then `ASK_CLERK`, with no date.
- An unknown kind or status gives `ask_clerk`, never a guess.

The sources for each period are cited where the constant is defined, and in
docs/letters.md with the address each was read at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lookup.vocabulary import KINDS, is_known_status
from responses.case_facts import CaseFacts

__all__ = [
    "COFP_OFFER_DAYS",
    "FPN_MIN_DAYS",
    "HORT1_DAYS",
    "NOMINATION_DAYS",
    "PND_DAYS",
    "DateFlag",
    "Step",
    "StepState",
    "StepView",
    "Steps",
    "steps_for",
]

# Road Traffic Offenders Act 1988, s.52(3)(a): a fixed penalty notice states the
# "suspended enforcement period", "twenty-one days following the date of the notice or
# such longer period (if any) as may be specified in the notice". So 21 days is the
# least the law allows; a notice may give longer (forces commonly give 28), and the
# record's due date is the notice's own end. A due date earlier than this contradicts
# the Act. After the period, an unpaid penalty with no hearing asked for may be
# registered for enforcement as a fine (s.70(1), referring to s.55(3)).
FPN_MIN_DAYS = 21

# Criminal Justice and Police Act 2001, s.4(3)(b): a request to be tried must be made
# "before the end of the period of suspended enforcement" (s.5); s.4(5): if by then the
# penalty is unpaid and no request was made, "one and a half times the amount of the
# penalty may be registered under section 8 ... as a fine". The period is 21 days
# (Legal Aid, Sentencing and Punishment of Offenders Act 2012, Explanatory Notes para
# 710: "Recipients of a PND have 21 days either to ask to be tried ... or to pay").
# Whether the day of issue counts is not confirmed from the text of s.5, so a due date
# 20 or 21 days after issue is accepted and any other is flagged.
PND_DAYS = 21

# Road Traffic Offenders Act 1988, s.76(4): where a conditional offer is not accepted,
# no proceedings may be brought "until the end of the period of twenty-eight days
# following the date on which the conditional offer was made, or such longer period as
# may be specified" in it. So 28 days is the least; a shorter due date is flagged.
COFP_OFFER_DAYS = 28

# Road Traffic Act 1988, s.172: the keeper must give the driver's identity within 28
# days of the notice being served (s.172(7); secondary sources in docs/letters.md).
# Failing to is an offence of its own. Service follows posting, so the due date must be
# at least 28 days after the notice was sent (the record's status date); the exact
# service date is not in the record, so no date is computed from it.
NOMINATION_DAYS = 28

# Road Traffic Act 1988, ss.164-165, as described in the Home Office written answer of
# 18 July 2002 (Hansard): a driver who cannot produce documents when asked is not guilty
# if they produce them at a police station of their choice "within seven days"; the
# HORT/1 form records that. Day-of-counting is not confirmed, so a due date 6 or 7 days
# after the requirement (the offence date) is accepted and any other flagged.
HORT1_DAYS = 7

# Vehicle Defect Rectification Scheme: national guidance, not statute (DVSA MOT testing
# guide, section K): the completed form must be returned "within the specified time,
# usually 14 days". The record's due date is the form's own date; it is used unless it
# falls before the day the form was issued.


class Step(StrEnum):
    """A step the person on the record may take."""

    PAY = "pay"
    REQUEST_HEARING = "request_hearing"
    NOMINATE_DRIVER = "nominate_driver"
    SEND_LICENCE = "send_licence"
    BOOK_COURSE = "book_course"
    FINISH_COURSE = "finish_course"
    PRODUCE_DOCUMENTS = "produce_documents"
    RECTIFY_DEFECT = "rectify_defect"
    COMPLY_CONDITIONS = "comply_conditions"
    ATTEND_HEARING = "attend_hearing"
    STATUTORY_DECLARATION = "statutory_declaration"
    APPEAL = "appeal"


class StepState(StrEnum):
    """Where a step stands on the day."""

    OPEN = "open"
    CLOSED = "closed"
    DONE = "done"
    ASK_CLERK = "ask_clerk"


@dataclass(frozen=True, slots=True)
class StepView:
    """One step: its state, the last day it can be taken (`until`, when confirmed), and
    the rule it comes from. For a closed step, `until` is the day its period ended."""

    step: Step
    state: StepState
    until: date | None
    source: str
    note: str = ""

    @property
    def open(self) -> bool:
        return self.state is StepState.OPEN

    @property
    def closed(self) -> bool:
        return self.state is StepState.CLOSED


@dataclass(frozen=True, slots=True)
class DateFlag:
    """A date in the record that the rules say cannot be right."""

    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class Steps:
    """The steps of one record on `today`."""

    kind: str
    status: str | None
    today: date
    steps: tuple[StepView, ...]
    flags: tuple[DateFlag, ...] = ()
    ask_clerk: str | None = None

    def get(self, step: Step) -> StepView | None:
        for view in self.steps:
            if view.step is step:
                return view
        return None

    def is_open(self, step: Step) -> bool:
        view = self.get(step)
        return view is not None and view.open

    def is_closed(self, step: Step) -> bool:
        view = self.get(step)
        return view is not None and view.closed

    @property
    def hearing(self) -> StepView | None:
        return self.get(Step.REQUEST_HEARING)

    @property
    def payment(self) -> StepView | None:
        return self.get(Step.PAY)

    @property
    def nomination(self) -> StepView | None:
        return self.get(Step.NOMINATE_DRIVER)

    @property
    def licence(self) -> StepView | None:
        return self.get(Step.SEND_LICENCE)

    @property
    def booking(self) -> StepView | None:
        return self.get(Step.BOOK_COURSE)

    @property
    def course(self) -> StepView | None:
        return self.get(Step.FINISH_COURSE)

    @property
    def documents(self) -> StepView | None:
        return self.get(Step.PRODUCE_DOCUMENTS)

    @property
    def rectification(self) -> StepView | None:
        return self.get(Step.RECTIFY_DEFECT)

    @property
    def conditions(self) -> StepView | None:
        return self.get(Step.COMPLY_CONDITIONS)

    @property
    def attendance(self) -> StepView | None:
        return self.get(Step.ATTEND_HEARING)

    @property
    def flag_reasons(self) -> tuple[str, ...]:
        return tuple(flag.reason for flag in self.flags)

    @property
    def next_deadline(self) -> date | None:
        """The soonest last day of a step still open: what a person must act by next."""
        ends = [view.until for view in self.steps if view.open and view.until is not None]
        return min(ends) if ends else None


_FPN_SOURCE = "Road Traffic Offenders Act 1988, s.52(3)(a) and s.70(1)"
_PND_SOURCE = "Criminal Justice and Police Act 2001, ss.4-5 and 8"
_COFP_SOURCE = "Road Traffic Offenders Act 1988, s.76(4)"
_S172_SOURCE = "Road Traffic Act 1988, s.172"
_HORT_SOURCE = "Road Traffic Act 1988, ss.164-165 (HORT/1)"
_VDRS_SOURCE = "Vehicle Defect Rectification Scheme (DVSA MOT testing guide, section K)"
_RECORD_SOURCE = "the date on the record (no statutory period confirmed)"
_STAT_DEC_SOURCE = "Magistrates' Courts Act 1980, s.14 (21 days from finding out)"
_APPEAL_SOURCE = "Criminal Procedure Rules, r.34.2(2)(b) (15 business days after sentence)"


def steps_for(facts: CaseFacts, today: date) -> Steps:
    """The steps of `facts` on `today`, with any dates the rules say cannot be right."""
    kind, status = facts.kind, facts.status
    if kind not in KINDS:
        return Steps(kind, status, today, (), (), f"record kind {kind!r} is not modelled")
    if status is None or not is_known_status(kind, status):
        return Steps(kind, status, today, (), (), f"status {status!r} is not modelled")
    flags = list(_general_flags(facts))
    views = _RULES[kind](facts, today, flags)
    return Steps(kind, status, today, tuple(views), tuple(flags), None)


def _general_flags(facts: CaseFacts) -> Iterable[DateFlag]:
    """A due date before the offence or the status date cannot be a deadline for it."""
    if facts.due_date is None:
        return
    if facts.offence_date is not None and facts.due_date < facts.offence_date:
        yield DateFlag("due_date", "due date is before the offence date")
    elif (
        facts.status_date is not None
        and facts.due_date < facts.status_date
        and facts.status in _ISSUE_STATUSES.get(facts.kind, ())
    ):
        yield DateFlag("due_date", "due date is before the notice was issued")


# The status at which each kind's notice is issued: its status date is the issue date.
_ISSUE_STATUSES: dict[str, tuple[str, ...]] = {
    "fpn": ("awaiting_payment",),
    "pnd": ("issued",),
    "cofp": ("offer_issued", "nip_sent", "awaiting_driver_nomination"),
    "hort1": ("issued",),
    "vdrs": ("issued",),
    "course_offer": ("offered",),
}


def _due(facts: CaseFacts, flags: list[DateFlag]) -> date | None:
    """The due date, unless a flag says it cannot be right."""
    if any(flag.field == "due_date" for flag in flags):
        return None
    return facts.due_date


def _timed(step: Step, until: date | None, today: date, source: str, note: str = "") -> StepView:
    """Open until `until` (inclusive), closed after it; no confirmed date: a clerk."""
    if until is None:
        return StepView(step, StepState.ASK_CLERK, None, source, note or "no confirmed date")
    state = StepState.OPEN if today <= until else StepState.CLOSED
    return StepView(step, state, until, source, note)


def _done(step: Step, source: str, note: str = "") -> StepView:
    return StepView(step, StepState.DONE, None, source, note)


def _shut(step: Step, until: date | None, source: str, note: str = "") -> StepView:
    return StepView(step, StepState.CLOSED, until, source, note)


def _clerk(step: Step, source: str, note: str) -> StepView:
    return StepView(step, StepState.ASK_CLERK, None, source, note)


def _period_end(
    facts: CaseFacts,
    flags: list[DateFlag],
    *,
    least: int,
    exact: bool,
    what: str,
) -> date | None:
    """The notice's period end (its due date), checked against the rule.

    `least` days after the issue date (the status date) is the shortest the rule allows;
    with `exact`, a due date more than a day beyond it contradicts the rule too.
    """
    due = _due(facts, flags)
    issued = facts.status_date
    if due is None or issued is None:
        return due
    gap = (due - issued).days
    if gap < least - (1 if exact else 0):
        flags.append(
            DateFlag(
                "due_date", f"{what}: due date is {gap} days after issue, the rule gives {least}"
            )
        )
        return None
    if exact and gap > least:
        flags.append(
            DateFlag(
                "due_date", f"{what}: due date is {gap} days after issue, the rule gives {least}"
            )
        )
        return None
    return due


def _fpn(facts: CaseFacts, today: date, flags: list[DateFlag]) -> list[StepView]:
    status = facts.status
    if status == "awaiting_payment":
        end = _period_end(
            facts, flags, least=FPN_MIN_DAYS, exact=False, what="fixed penalty notice"
        )
        return [
            _timed(Step.PAY, end, today, _FPN_SOURCE),
            _timed(Step.REQUEST_HEARING, end, today, _FPN_SOURCE),
        ]
    if status == "awaiting_licence":
        return [_timed(Step.SEND_LICENCE, _due(facts, flags), today, _RECORD_SOURCE)]
    if status == "course_offered":
        return [_timed(Step.BOOK_COURSE, _due(facts, flags), today, _RECORD_SOURCE)]
    if status == "request_for_hearing":
        return [
            _done(Step.REQUEST_HEARING, _FPN_SOURCE),
            _done(Step.PAY, _FPN_SOURCE, "not due"),
            *_hearing_steps(facts, today),
        ]
    if status == "fine_registered":
        return [
            _shut(Step.REQUEST_HEARING, _due(facts, flags), _FPN_SOURCE),
            _shut(Step.PAY, _due(facts, flags), _FPN_SOURCE, "now paid to the court"),
        ]
    if status == "referred_to_court":
        return [_done(Step.REQUEST_HEARING, _FPN_SOURCE), *_hearing_steps(facts, today)]
    # paid, cancelled
    return [_done(Step.PAY, _FPN_SOURCE)] if status == "paid" else []


def _pnd(facts: CaseFacts, today: date, flags: list[DateFlag]) -> list[StepView]:
    status = facts.status
    if status == "issued":
        end = _period_end(
            facts, flags, least=PND_DAYS, exact=True, what="penalty notice for disorder"
        )
        return [
            _timed(Step.PAY, end, today, _PND_SOURCE),
            _timed(Step.REQUEST_HEARING, end, today, _PND_SOURCE),
        ]
    if status == "request_for_hearing":
        return [
            _done(Step.REQUEST_HEARING, _PND_SOURCE),
            _done(Step.PAY, _PND_SOURCE, "not due"),
            *_hearing_steps(facts, today),
        ]
    if status == "fine_registered":
        return [
            _shut(Step.REQUEST_HEARING, _due(facts, flags), _PND_SOURCE),
            _shut(Step.PAY, _due(facts, flags), _PND_SOURCE, "now paid to the court"),
        ]
    return [_done(Step.PAY, _PND_SOURCE)] if status == "paid" else []


def _cofp(facts: CaseFacts, today: date, flags: list[DateFlag]) -> list[StepView]:
    status = facts.status
    if status in ("nip_sent", "awaiting_driver_nomination"):
        due = _due(facts, flags)
        if due is not None and facts.status_date is not None:
            gap = (due - facts.status_date).days
            if gap < NOMINATION_DAYS:
                flags.append(
                    DateFlag(
                        "due_date",
                        f"driver nomination: due date is {gap} days after the notice was sent,"
                        f" the law gives {NOMINATION_DAYS} days from service",
                    )
                )
                due = None
        # Asking for court is not a step at this stage: there is no offer yet to decline.
        return [_timed(Step.NOMINATE_DRIVER, due, today, _S172_SOURCE)]
    if status == "driver_nominated":
        return [_done(Step.NOMINATE_DRIVER, _S172_SOURCE)]
    if status == "offer_issued":
        end = _period_end(
            facts, flags, least=COFP_OFFER_DAYS, exact=False, what="conditional offer"
        )
        # Declining the offer is how the matter goes to court: no request is needed.
        return [_timed(Step.PAY, end, today, _COFP_SOURCE, "accepting the offer")]
    if status == "course_offered":
        return [_timed(Step.BOOK_COURSE, _due(facts, flags), today, _RECORD_SOURCE)]
    if status == "referred_to_court":
        return _hearing_steps(facts, today)
    return [_done(Step.PAY, _COFP_SOURCE)] if status == "paid" else []


def _course(facts: CaseFacts, today: date, flags: list[DateFlag]) -> list[StepView]:
    status = facts.status
    if status == "offered":
        return [_timed(Step.BOOK_COURSE, _due(facts, flags), today, _RECORD_SOURCE)]
    if status == "booked":
        return [
            _done(Step.BOOK_COURSE, _RECORD_SOURCE),
            _timed(Step.FINISH_COURSE, _due(facts, flags), today, _RECORD_SOURCE),
        ]
    if status == "completed":
        return [_done(Step.FINISH_COURSE, _RECORD_SOURCE)]
    # expired, not_completed
    return [_shut(Step.BOOK_COURSE, facts.due_date, _RECORD_SOURCE)]


def _hort1(facts: CaseFacts, today: date, flags: list[DateFlag]) -> list[StepView]:
    status = facts.status
    if status == "issued":
        due = _due(facts, flags)
        if due is not None and facts.offence_date is not None:
            gap = (due - facts.offence_date).days
            if gap not in (HORT1_DAYS - 1, HORT1_DAYS):
                flags.append(
                    DateFlag(
                        "due_date",
                        f"HORT/1: due date is {gap} days after the requirement, the law gives"
                        f" {HORT1_DAYS}",
                    )
                )
                due = None
        return [_timed(Step.PRODUCE_DOCUMENTS, due, today, _HORT_SOURCE)]
    if status == "documents_produced":
        return [_done(Step.PRODUCE_DOCUMENTS, _HORT_SOURCE)]
    return [_shut(Step.PRODUCE_DOCUMENTS, facts.due_date, _HORT_SOURCE)]


def _vdrs(facts: CaseFacts, today: date, flags: list[DateFlag]) -> list[StepView]:
    if facts.status == "issued":
        return [_timed(Step.RECTIFY_DEFECT, _due(facts, flags), today, _VDRS_SOURCE)]
    if facts.status == "rectified":
        return [_done(Step.RECTIFY_DEFECT, _VDRS_SOURCE)]
    return [_shut(Step.RECTIFY_DEFECT, facts.due_date, _VDRS_SOURCE)]


def _disposal(facts: CaseFacts, today: date, flags: list[DateFlag]) -> list[StepView]:
    status = facts.status
    if status == "conditions_set":
        return [_timed(Step.COMPLY_CONDITIONS, _due(facts, flags), today, _RECORD_SOURCE)]
    if status == "complied":
        return [_done(Step.COMPLY_CONDITIONS, _RECORD_SOURCE)]
    if status == "failed_to_comply":
        return [_shut(Step.COMPLY_CONDITIONS, facts.due_date, _RECORD_SOURCE)]
    return _hearing_steps(facts, today)  # prosecution


def _court(facts: CaseFacts, today: date, flags: list[DateFlag]) -> list[StepView]:
    status = facts.status
    if status in ("result_recorded", "concluded"):
        # Both periods run from dates the record does not hold (the date of sentence; the
        # day the person found out), so a clerk must work them out.
        return [
            _clerk(Step.APPEAL, _APPEAL_SOURCE, "the record does not give the date of sentence"),
            _clerk(
                Step.STATUTORY_DECLARATION,
                _STAT_DEC_SOURCE,
                "runs from the day the person found out about the case",
            ),
        ]
    if status == "withdrawn":
        return []
    return _hearing_steps(facts, today)


def _hearing_steps(facts: CaseFacts, today: date) -> list[StepView]:
    if facts.hearing_date is None:
        return []
    return [_timed(Step.ATTEND_HEARING, facts.hearing_date, today, "the court's listing")]


def _none(facts: CaseFacts, today: date, flags: list[DateFlag]) -> list[StepView]:
    """Kinds that ask nothing of the person (collision, CICA request, drugs warning)."""
    return []


_RULES = {
    "fpn": _fpn,
    "pnd": _pnd,
    "cofp": _cofp,
    "course_offer": _course,
    "hort1": _hort1,
    "vdrs": _vdrs,
    "community_resolution": _disposal,
    "conditional_caution": _disposal,
    "summons": _court,
    "postal_requisition": _court,
    "court_case": _court,
    "collision": _none,
    "cica_claim": _none,
    "drugs_warning": _none,
}
