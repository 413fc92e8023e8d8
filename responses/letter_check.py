"""A last check of a rendered letter against the record and its steps, before it is a draft.

Templates are edited by people, and several paragraphs meet in one letter; this catches
the contradictions that would mislead the reader whatever produced them. Each rule
returns a short reason; compose holds a letter with any reason for a clerk, never sends
it silently. Pure: text and values in, reasons out.
"""

from __future__ import annotations

import re

from responses.case_facts import CaseFacts
from responses.steps import Step, Steps

__all__ = ["CLOSED_STATUSES", "check_letter"]

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


def check_letter(body: str, facts: CaseFacts | None, steps: Steps | None) -> tuple[str, ...]:
    """Reasons the letter must not go as it stands; empty when it may."""
    reasons: list[str] = []
    if _RELATIVE.search(body):
        reasons.append("a deadline is written relative to today; it must be an absolute date")
    if _NO_NEED_TO_PAY.search(body) and _PAY.search(body):
        reasons.append('the letter says "you do not need to pay" and also asks for payment')
    if facts is None:
        return tuple(reasons)
    status = facts.status or ""
    if status in CLOSED_STATUSES and _PAY.search(body):
        reasons.append(f"payment wording in a letter about a {status} case")
    if status in _ENDED_STATUSES and _NO_HEARING.search(body):
        reasons.append(f'"no hearing date has been set" in a letter about a {status} case')
    if steps is None:
        return tuple(reasons)
    if steps.is_closed(Step.PAY) and _PAY.search(body):
        reasons.append("payment offered after the period to pay ended")
    if not steps.is_open(Step.REQUEST_HEARING) and (
        _RECORD_REQUEST.search(body) or _OFFER_HEARING.search(body)
    ):
        reasons.append("a court hearing request offered when that step is not open")
    return tuple(reasons)
