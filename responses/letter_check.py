"""A last check of a rendered letter against the record and its steps, before it is a draft.

Templates are edited by people, and several paragraphs meet in one letter; this catches
the contradictions that would mislead the reader whatever produced them. Each rule
returns a short reason; compose holds a letter with any reason for a clerk, never sends
it silently. Pure: text and values in, reasons out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from responses.case_facts import CaseFacts
from responses.steps import Step, Steps, StepState

__all__ = ["CLOSED_STATUSES", "check_letter", "commitments"]

# Statuses after which nothing is payable to the office.
CLOSED_STATUSES: frozenset[str] = frozenset(
    {
        "paid",
        "cancelled",
        "completed",
        "concluded",
        "result_recorded",
        "withdrawn",
        "closed",
        "complied",
        "documents_produced",
        "rectified",
        "fine_registered",
        "request_for_hearing",
        "driver_nominated",
    }
)
# Statuses after which no hearing is to come.
_ENDED_STATUSES = frozenset({"concluded", "result_recorded", "withdrawn", "closed"})

_PAY = re.compile(r"\b(please pay|you can pay|to accept it, please pay|must be paid by)\b", re.I)
_NO_NEED_TO_PAY = re.compile(r"\byou do not need to pay\b", re.I)
_NO_HEARING = re.compile(r"\bno hearing date has been set\b", re.I)
_RELATIVE = re.compile(r"\(in \d+ days?\)|\bin \d+ days?\b|\btomorrow\b", re.I)
_RECORD_REQUEST = re.compile(r"\bwe will record your request\b", re.I)
_OFFER_HEARING = re.compile(r"\byou can (also )?ask for a court hearing\b", re.I)
_BOOK = re.compile(
    r"\b(please book|you can book|book (a|your) place|we will book|to accept, please book)\b", re.I
)
_PRODUCE = re.compile(r"\b(please produce|produce them (at a police station )?by)\b", re.I)
_RECTIFY = re.compile(r"\bmust be put right and the completed notice returned\b", re.I)
_THANKS_DRIVER = re.compile(r"\bthank you for telling us who was driving\b", re.I)
_ENDED_HEARING = re.compile(r"\bthe hearing is\b(?! adjourned)", re.I)

# Steps that belong to a court (docs/letters.md, "Court steps the office does not take"):
# a letter may explain them, never take them for the office nor say the office decides.
_COURT_STEPS = frozenset({"plea_by_post", "statutory_declaration", "appeal"})
_TAKES_COURT_STEP = re.compile(
    r"\bwe (will|have|can) (record|accept|accepted|recorded|lodge|lodged|enter|entered|send"
    r"|sent|cancel|set aside|void)\b[^.]*\b(plea|declaration|appeal|conviction)",
    re.I,
)
_DAYS = re.compile(r"\b(\d+) (business |working )?days?\b", re.I)
# The only periods a court-step letter may state, each with its source.
_COURT_PERIODS: dict[str, frozenset[str]] = {
    # Magistrates' Courts Act 1980, s.14(1)(b); CrimPR r.24.17(2).
    "statutory_declaration": frozenset({"21 days"}),
    # CrimPR r.34.2(2)(b), as amended by SI 2021/849.
    "appeal": frozenset({"15 business days"}),
    # MCA 1980, s.12: the period is the one in the court's papers; none is stated.
    "plea_by_post": frozenset(),
}
# A reply to "is this letter genuine?" must not confirm a letter or a case to a writer
# nobody has verified: the question is exactly what a fraudster would ask.
_CONFIRMS = re.compile(
    r"\b(this|the|that|your) (letter|email|text|notice|message) (is|was) (genuine|real"
    r"|from us|sent by us)\b|\bwe (did|have) (send|sent) (you|it|this)\b",
    re.I,
)

# The office's promises to act on a record: a clerk must approve every one.
_COMMITMENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("record a request", re.compile(r"\bwe will record\b", re.I)),
    ("book a course", re.compile(r"\bwe will book\b", re.I)),
    ("update the record", re.compile(r"\b(we will update|will update it)\b", re.I)),
    ("trace a payment", re.compile(r"\b(we will trace|will trace the payment)\b", re.I)),
)
_OVER = frozenset({StepState.CLOSED, StepState.DONE})
# Statuses at which a course can no longer be booked.
_COURSE_GONE = frozenset({"expired", "not_completed", "completed", "booked"})


def commitments(body: str) -> tuple[str, ...]:
    """What the letter promises the office will do to the record, if anything."""
    return tuple(what for what, pattern in _COMMITMENTS if pattern.search(body))


def check_letter(
    body: str,
    facts: CaseFacts | None,
    steps: Steps | None,
    *,
    intents: Sequence[str] = (),
) -> tuple[str, ...]:
    """Reasons the letter must not go as it stands; empty when it may.

    `intents` are what the writer asked; a writer who says they have paid must not be
    asked to pay, and one whose message may only ask how to name a driver must not be
    thanked for naming one.
    """
    reasons: list[str] = []
    if _RELATIVE.search(body):
        reasons.append("a deadline is written relative to today; it must be an absolute date")
    if _NO_NEED_TO_PAY.search(body) and _PAY.search(body):
        reasons.append('the letter says "you do not need to pay" and also asks for payment')
    if "already_paid" in intents and _PAY.search(body):
        reasons.append("a writer who says they have paid is asked to pay")
    if "nominate_driver" in intents and _THANKS_DRIVER.search(body):
        reasons.append(
            "the writer is thanked for naming the driver, which the intent alone cannot confirm"
        )
    reasons.extend(_court_step_reasons(body, intents))
    if "is_genuine" in intents and facts is None and _CONFIRMS.search(body):
        reasons.append(
            "a letter to a writer who is not verified confirms that a letter or case is ours"
        )
    if facts is None:
        return tuple(reasons)
    status = facts.status or ""
    if status in CLOSED_STATUSES and _PAY.search(body):
        reasons.append(f"payment wording in a letter about a {status} case")
    if status in _ENDED_STATUSES and _NO_HEARING.search(body):
        reasons.append(f'"no hearing date has been set" in a letter about a {status} case')
    if facts.kind == "course_offer" and status in _COURSE_GONE and _BOOK.search(body):
        reasons.append(f"booking wording in a letter about an {status} course offer")
    if facts.kind == "hort1" and status != "issued" and _PRODUCE.search(body):
        reasons.append(f"asked to produce documents on a case that is {status}")
    if facts.kind == "vdrs" and status != "issued" and _RECTIFY.search(body):
        reasons.append(f"asked to put a defect right on a case that is {status}")
    if steps is None:
        return tuple(reasons)
    if steps.is_closed(Step.PAY) and _PAY.search(body):
        reasons.append("payment offered after the period to pay ended")
    if not steps.is_open(Step.REQUEST_HEARING) and (
        _RECORD_REQUEST.search(body) or _OFFER_HEARING.search(body)
    ):
        reasons.append("a court hearing request offered when that step is not open")
    for step, pattern, what in (
        (Step.BOOK_COURSE, _BOOK, "booking a course"),
        (Step.PRODUCE_DOCUMENTS, _PRODUCE, "producing documents"),
    ):
        view = steps.get(step)
        if view is not None and view.state in _OVER and pattern.search(body):
            reasons.append(f"{what} offered when that step is {view.state}")
    view = steps.attendance
    if view is not None and view.closed and _ENDED_HEARING.search(body):
        reasons.append("a hearing that has passed is written as still to come")
    return tuple(reasons)


def _court_step_reasons(body: str, intents: Sequence[str]) -> list[str]:
    """A court-step letter that takes the step for the office, or states a period that is
    not the sourced one."""
    asked = [intent for intent in intents if intent in _COURT_STEPS]
    if not asked:
        return []
    reasons: list[str] = []
    if _TAKES_COURT_STEP.search(body):
        reasons.append(
            "the letter takes a court's step (plea, declaration or appeal) for the office"
        )
    allowed = frozenset().union(*(_COURT_PERIODS[intent] for intent in asked))
    for match in _DAYS.finditer(body):
        period = f"{match.group(1)} {match.group(2) or ''}days".replace("  ", " ")
        if period.lower() not in allowed:
            reasons.append(f"a period of {match.group(0)} is stated with no source for {asked[0]}")
    return reasons
