"""Compose replies: the letters to the public, the chat lines to officers, status updates.

The disclosure policy lives here, and comes first in every path:

1. `facts` with `verified=False` is a caller's mistake and raises `DisclosureError`: the
   pipeline must not even hand over a record it may not disclose.
2. A writer who says they write for or about someone else (a third party: a relative, an
   employer, an insurer, a solicitor, a victim or witness, a representative) gets a letter
   explaining the proper route, whatever they asked, held for a clerk; its template is
   given no record at all (contracts.md, section 2: third parties are never verified).
3. A complaint, a subject access request or a Freedom of Information request is never
   answered automatically: a holding reply for a clerk, saying nothing about any record.
   So too the intents whose answer is a court's or a clerk's step (plea by post,
   statutory declaration, appeal, the evidence, a lost notice, licence questions,
   consequences, mitigation, more time, collision admin, "is this genuine?", a victim's
   review, a camera site): a holding reply, or a sourced letter explaining the step,
   never describing a record (`HOLD_INTENTS`).
4. An unclear message gets a neutral acknowledgement for a clerk to complete.
5. Without a verified writer and a record, the reply asks for what would complete
   verification and reveals nothing: its template is given no record at all, so a clerk's
   edit that names a record field fails to render rather than leak it.
6. Only then is the record described, and only the one record passed in: the functions
   here take a single `CaseFacts`, so no other record can reach a draft.

The salutation names the person on the record, and only in a letter that describes the
record to its verified subject (or a status update to them); every other letter says
"Dear Sir or Madam". A From display name or a signature is never used: either can be
forged, and would put a forged name into a letter to the real person.

Every reply to the public is a draft for a clerk (`route=DraftRoute.CLERK`). `auto` says whether
the body is a complete answer a clerk can approve as it stands; when it is False,
`hold_reason` says what a person must do first.

What a letter says about deadlines and steps comes from `responses.steps` for the day the
letter is written: a step is offered only while it is open, a closed one is named with
the day it ended, and a record date the rules contradict holds the letter for a clerk.
Every rendered public letter then passes `responses.letter_check` before it becomes a
draft; a letter that fails is held with the reason, never sent as it stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from lookup.routes import DraftRoute
from lookup.third_party import ThirdPartyKind
from lookup.vocabulary import KINDS, is_known_status
from responses.case_facts import CaseFacts
from responses.errors import DisclosureError
from responses.formatting import date_weekday
from responses.intents import (
    ALREADY_PAID,
    APPEAL,
    CAMERA_SITE_COMPLAINT,
    CHANGE_OF_ADDRESS,
    COLLISION_ADMIN,
    COMPLAINT,
    CONSEQUENCES,
    CONTEST,
    COURT_DATE,
    DOCUMENTS_SENT,
    FOI,
    HOW_TO_PAY,
    IS_GENUINE,
    LICENCE_QUESTION,
    MITIGATION,
    MORE_TIME,
    NEW_INTENTS,
    NOMINATE_DRIVER,
    NOT_RECEIVED,
    OTHER,
    PLEA_BY_POST,
    SEE_EVIDENCE,
    STATUS,
    STATUTORY_DECLARATION,
    SUBJECT_ACCESS,
    VICTIM_REVIEW,
    WANTS_COURSE,
    IntentResult,
)
from responses.labels import kind_label, status_label
from responses.letter_check import check_letter, commitments
from responses.steps import Step, Steps, StepState, steps_for
from responses.template_store import (
    UNKNOWN_STATE,
    TemplateStore,
    answer_chain,
    hold_chain,
    officer_chain,
    state_chain,
    update_chain,
)

__all__ = [
    "CLERK",
    "HOLD_INTENTS",
    "IDENTIFIER_KINDS",
    "CandidateLine",
    "ComposedReply",
    "compose_candidates_reply",
    "compose_officer_reply",
    "compose_officer_update",
    "compose_reply",
    "compose_status_update",
]

# Every reply this module writes is a draft for a clerk (a partner's note is made in bot/).
CLERK = DraftRoute.CLERK

# Intents a person must answer, whatever the record says. The later ones (issue 15) are
# steps that belong to a court, another body or a clerk's judgement: each gets a holding
# reply, or, where the law is clear and sourced (docs/letters.md), a letter that explains
# the step without describing any record (`public/hold/<intent>.txt`, given no record,
# so it is safe for an unverified writer too), always held for a clerk.
HOLD_INTENTS: tuple[str, ...] = (COMPLAINT, SUBJECT_ACCESS, FOI, *NEW_INTENTS)
_HOLD_REASONS: Mapping[str, str] = {
    COMPLAINT: "complaint: a clerk must answer it",
    SUBJECT_ACCESS: "subject access request: handled by a clerk under data protection law",
    FOI: "Freedom of Information request: handled by a clerk",
    PLEA_BY_POST: "plea by post: the plea is made to the court; a clerk must check the letter",
    STATUTORY_DECLARATION: (
        "statutory declaration: made to the court within 21 days of finding out;"
        " a clerk must check the letter"
    ),
    APPEAL: (
        "appeal after conviction or sentence: made to the Crown Court;"
        " a clerk must check the letter"
    ),
    SEE_EVIDENCE: "asks to see the evidence (photo, calibration, speed): a clerk must reply",
    NOT_RECEIVED: "notice or letter lost or never received: a clerk must check what was sent",
    LICENCE_QUESTION: "licence question (lost, abroad, with DVLA): a clerk must reply",
    CONSEQUENCES: "asks about consequences (points, insurance, job, DBS): a clerk must reply",
    MITIGATION: "mitigation or special reasons: a clerk must reply",
    MORE_TIME: "asks for more time or an extension: a clerk must decide",
    COLLISION_ADMIN: (
        "collision admin (report, other party's details, witness forms, dashcam):"
        " a clerk must reply"
    ),
    IS_GENUINE: (
        "asks whether a letter is genuine: a clerk must check, confirming nothing"
        " to an unverified writer"
    ),
    VICTIM_REVIEW: "victim asks for a review of a decision (Victims' Right to Review): a clerk must route it",
    CAMERA_SITE_COMPLAINT: "complaint about a camera's site or signs: a clerk must answer it",
}
UNCLEAR_REASON = "intent unclear"
THIRD_PARTY_TEMPLATE = "public/third_party.txt"

# Intents whose reply promises an action on the record that a person must carry out.
_ACTION_REASONS: Mapping[str, str] = {
    CONTEST: "contest or court hearing requested: a clerk must record it",
    NOMINATE_DRIVER: (
        "driver nomination: a clerk must check whether a driver was named, and record it"
    ),
    CHANGE_OF_ADDRESS: "change of address: a clerk must update the record",
}

# What the writer can offer towards verification (contract, section 2), and how a letter
# asks for each. The sender address is not asked for: it counts only when it is already
# on file, which the writer cannot supply.
IDENTIFIER_KINDS: tuple[str, ...] = ("reference", "surname", "dob", "postcode", "vrm", "email")
_ASKS: tuple[tuple[str, str], ...] = (
    ("reference", "the reference number printed on the notice or letter you received"),
    ("surname", "your full name"),
    ("dob", "your date of birth"),
    ("postcode", "the postcode of the address the notice or letter was sent to"),
    ("vrm", "the registration number of the vehicle, if a vehicle was involved"),
)

_SUBJECT_LINE = re.compile(r"\ASubject:[ \t]*([^\n]*)\n")
_DEFAULT_SUBJECT = "Your enquiry to the Ticket Office"


@dataclass(frozen=True, slots=True)
class ComposedReply:
    """A drafted reply. `template` is the main template used; `parts` all of them."""

    subject: str
    body: str
    route: DraftRoute
    template: str
    hold_reason: str | None
    auto: bool
    parts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CandidateLine:
    """All that a list of possible records shows of each: no names, no dates."""

    kind: str
    reference: str
    status: str | None


def compose_reply(
    *,
    intents: IntentResult,
    facts: CaseFacts | None,
    verified: bool,
    offered: frozenset[str],
    today: date,
    store: TemplateStore,
    reply_by: date | None = None,
    third_party: ThirdPartyKind | None = None,
) -> ComposedReply:
    """The draft reply to a member of the public.

    `offered` names the identifier kinds the writer gave (see `IDENTIFIER_KINDS`);
    `reply_by`, when given, is quoted in holding replies as the date they will hear from
    a person; `third_party`, when the writer says they write for or about someone else,
    gets the letter explaining the proper route (it takes no record).
    """
    if facts is not None and not verified:
        raise DisclosureError(
            "compose_reply was given a record for an unverified writer; pass facts=None"
        )
    if facts is not None and third_party is not None:
        raise DisclosureError(
            "compose_reply was given a record for a third party, who is never verified as"
            " its subject; pass facts=None"
        )
    base: dict[str, object] = {
        # A verified writer is addressed by the record's name, even in a holding reply
        # (the name is theirs, proved); anyone else is "Sir or Madam".
        "addressee": _addressee(facts) if facts is not None else None,
        "today": today,
        "reply_by": reply_by,
        "intents": list(intents.intents),
    }

    held = [intent for intent in intents.intents if intent in HOLD_INTENTS]
    if third_party is not None:
        # Before the holding and unclear replies: who is writing decides what may be said,
        # whatever they asked. A complaint or request among the intents stays in the
        # reason, for the clerk to answer as well.
        name, text = store.render_first(
            (THIRD_PARTY_TEMPLATE,), {**base, "third_party": str(third_party)}
        )
        reasons = [
            f"third party ({third_party}): a clerk must decide what may be disclosed",
            *(_HOLD_REASONS[intent] for intent in dict.fromkeys(held)),
        ]
        return _reply(text, name, (name,), hold_reason="; ".join(reasons), checked=(None, None))

    if held and not intents.unclear:
        name, text = store.render_first(hold_chain(held[0]), {**base, "intent": held[0]})
        reason = "; ".join(_HOLD_REASONS[intent] for intent in held)
        return _reply(
            text,
            name,
            (name,),
            hold_reason=reason,
            checked=(None, None),
            intents=tuple(intents.intents),
        )

    if intents.unclear:
        name, text = store.render_first(("public/unclear.txt",), base)
        return _reply(text, name, (name,), hold_reason=UNCLEAR_REASON, checked=(None, None))

    if facts is None:
        asks = [text for key, text in _ASKS if key not in offered]
        context = {**base, "asks": asks, "gave_some": bool(offered & set(IDENTIFIER_KINDS))}
        name, text = store.render_first(("public/verify.txt",), context)
        return _reply(text, name, (name,), hold_reason=None, checked=(None, None))

    return _verified_letter(intents.intents, facts, base, store, today)


def _verified_letter(
    intents: Iterable[str],
    facts: CaseFacts,
    base: Mapping[str, object],
    store: TemplateStore,
    today: date,
) -> ComposedReply:
    steps = steps_for(facts, today)
    context = {**base, **_record_context(facts, steps), "addressee": _addressee(facts)}
    answers: list[str] = []
    parts: list[str] = []
    reasons: list[str] = []
    wanted = list(dict.fromkeys(intents))
    asked = [intent for intent in wanted if intent in _FURTHER] if _ended(facts) else []
    for intent in wanted:
        if intent in (STATUS, OTHER):
            continue  # the state paragraph is the answer to a status query
        if intent in asked:
            # An ended case asked about what comes next: one paragraph saying what the
            # record shows, for every such question, and a clerk replies about the rest.
            if intent != asked[0]:
                continue
            name, text = store.render_first((CONCLUDED_TEMPLATE,), {**context, "asked": asked})
            answers.append(text.strip())
            parts.append(name)
            reasons.append(_concluded_reason(asked, facts))
            continue
        name, text = store.render_first(answer_chain(intent, facts.kind, facts.status), context)
        answers.append(text.strip())
        parts.append(name)
        reason = _clerk_needed(intent, facts, steps)
        if reason is not None:
            reasons.append(reason)
    state_name, state = _state(facts, context, store)
    parts.append(state_name)
    if state_name == UNKNOWN_STATE:
        reasons.append(_unknown_reason(facts))
    reasons.extend(_steps_reasons(facts, steps))
    letter_name, text = store.render_first(
        ("public/letter.txt",), {**context, "answers": answers, "state": state}
    )
    parts.append(letter_name)
    return _reply(
        text,
        parts[0],
        tuple(parts),
        hold_reason="; ".join(dict.fromkeys(reasons)) or None,
        checked=(facts, steps),
        intents=tuple(wanted),
    )


def compose_status_update(
    facts: CaseFacts,
    *,
    old_status: str | None,
    today: date,
    store: TemplateStore,
) -> ComposedReply:
    """A letter telling someone who asked about this record that its status changed.

    The caller sends this only to people who were verified as the record's subject when
    they asked; the letter describes the record and is addressed with its name.
    """
    steps = steps_for(facts, today)
    context: dict[str, object] = {
        "addressee": _addressee(facts),
        "today": today,
        "old_status": old_status,
        "intents": [],
        **_record_context(facts, steps),
    }
    state_name, state = _state(facts, context, store)
    name, text = store.render_first(
        update_chain(facts.kind, facts.status), {**context, "state": state}
    )
    reasons = [_unknown_reason(facts)] if state_name == UNKNOWN_STATE else []
    reasons.extend(_steps_reasons(facts, steps))
    return _reply(
        text,
        name,
        (name, state_name),
        hold_reason="; ".join(dict.fromkeys(reasons)) or None,
        checked=(facts, steps),
    )


def compose_officer_reply(facts: CaseFacts, *, today: date, store: TemplateStore) -> str:
    """A few lines for an authorised officer: kind, status, key dates, court, officer."""
    context = {"today": today, **_record_context(facts, steps_for(facts, today))}
    _, text = store.render_first(officer_chain(facts.kind, facts.status), context)
    return _tidy(text)


def compose_officer_update(
    facts: CaseFacts, *, old_status: str | None, today: date, store: TemplateStore
) -> str:
    """A chat line for the officer in the case when the record's status changes."""
    context = {
        "today": today,
        "old_status": old_status,
        **_record_context(facts, steps_for(facts, today)),
    }
    _, text = store.render_first(("officer/update.txt",), context)
    return _tidy(text)


def compose_candidates_reply(
    candidates: Sequence[CaseFacts], *, store: TemplateStore, limit: int = 10
) -> str:
    """A short list for an officer when several records fit: kind, reference, status."""
    lines = [CandidateLine(c.kind, c.reference, c.status) for c in candidates[:limit]]
    context = {"candidates": lines, "total": len(candidates)}
    _, text = store.render_first(("officer/candidates.txt",), context)
    return _tidy(text)


def _record_context(facts: CaseFacts, steps: Steps) -> dict[str, object]:
    return {
        "facts": facts,
        "steps": steps,
        "kind_label": kind_label(facts.kind),
        "status_label": status_label(facts.status),
        "known_status": _known(facts),
    }


def _addressee(facts: CaseFacts) -> str | None:
    """The full name on the record ("William Thornbury"), or None unless both forenames
    and surname are known: "Dear Mr or Ms Thornbury" guesses a title, so a surname alone
    gives way to "Sir or Madam"."""
    forenames = " ".join((facts.forenames or "").split())
    surname = " ".join((facts.surname or "").split())
    return f"{forenames} {surname}" if forenames and surname else None


def _known(facts: CaseFacts) -> bool:
    return facts.status is not None and is_known_status(facts.kind, facts.status)


def _state(
    facts: CaseFacts, context: Mapping[str, object], store: TemplateStore
) -> tuple[str, str]:
    name, text = store.render_first(
        state_chain(facts.kind, facts.status, known=_known(facts)), context
    )
    return name, text.strip()


def _unknown_reason(facts: CaseFacts) -> str:
    if facts.kind not in KINDS:
        return f"record kind {facts.kind!r} is not in the vocabulary: a clerk must check the letter"
    if facts.status is None:
        return "the record has no status: a clerk must check the letter"
    return f"status {facts.status!r} is not in the vocabulary: a clerk must check the letter"


def _clerk_needed(intent: str, facts: CaseFacts, steps: Steps) -> str | None:
    """Why a person must act before this answer can go, or None when it is complete."""
    if intent == CONTEST:
        return _contest_reason(facts, steps)
    if intent == COURT_DATE and facts.status in _ENDED:
        return f"court date asked about a case that is {facts.status}: a clerk must check"
    if intent in (HOW_TO_PAY, ALREADY_PAID) and steps.is_closed(Step.PAY):
        until = steps.payment.until if steps.payment else None
        when = f" on {date_weekday(until)}" if until else ""
        return f"payment asked about after the period to pay ended{when}: a clerk must reply"
    if intent in _ACTION_REASONS:
        return _ACTION_REASONS[intent]
    if intent == DOCUMENTS_SENT:
        late = steps.get(Step.SEND_LICENCE) or steps.get(Step.PRODUCE_DOCUMENTS)
        if late is not None and late.closed and late.until is not None:
            return (
                f"documents sent after the date they were due, {date_weekday(late.until)}:"
                " a clerk must check what was received"
            )
        expected = facts.status == "awaiting_licence" or (
            facts.kind == "hort1" and facts.status in {"issued", "documents_produced"}
        )
        return None if expected else "documents sent: a clerk must check what was received"
    if intent == WANTS_COURSE:
        booking = steps.get(Step.BOOK_COURSE)
        if booking is not None and booking.closed and booking.until is not None:
            return (
                f"course asked for after the offer ended on {date_weekday(booking.until)}:"
                " a clerk must reply"
            )
        on_offer = facts.kind == "course_offer" or facts.status == "course_offered"
        return None if on_offer else "course asked for but none offered: a clerk must check"
    return None


# Statuses after which the court has finished with a case.
_ENDED = frozenset({"concluded", "result_recorded", "withdrawn"})

CONCLUDED_TEMPLATE = "public/concluded.txt"
# Cases that have ended, resulted or been withdrawn, by kind: a question about what comes
# next (a court date, paying, a course, contesting) is answered with what the record
# shows, and a clerk replies about anything further.
_ENDED_CASES: Mapping[str, frozenset[str]] = {
    "summons": _ENDED,
    "postal_requisition": _ENDED,
    "court_case": _ENDED,
    "collision": frozenset({"closed"}),
    "course_offer": frozenset({"completed", "expired", "not_completed"}),
    "community_resolution": frozenset({"complied", "failed_to_comply", "prosecution"}),
    "conditional_caution": frozenset({"complied", "failed_to_comply", "prosecution"}),
}
_FURTHER: frozenset[str] = frozenset({COURT_DATE, HOW_TO_PAY, ALREADY_PAID, WANTS_COURSE, CONTEST})
_TOPICS: Mapping[str, str] = {
    COURT_DATE: "court date",
    HOW_TO_PAY: "payment",
    ALREADY_PAID: "payment",
    WANTS_COURSE: "course",
    CONTEST: "contest",
}


def _ended(facts: CaseFacts) -> bool:
    return facts.status in _ENDED_CASES.get(facts.kind, frozenset())


def _concluded_reason(asked: Sequence[str], facts: CaseFacts) -> str:
    topics = " and ".join(dict.fromkeys(_TOPICS[intent] for intent in asked))
    return (
        f"{topics} asked about a {kind_label(facts.kind)} that is"
        f" {status_label(facts.status)}: a clerk must reply"
    )


def _contest_reason(facts: CaseFacts, steps: Steps) -> str:
    """Why a contest letter waits for a clerk: always, since it commits the office or
    tells the person a step has closed; the reason says which."""
    hearing = steps.hearing
    if hearing is not None and hearing.closed and hearing.until is not None:
        return (
            f"court hearing asked for after the period ended on {date_weekday(hearing.until)}:"
            " a clerk must reply"
        )
    if hearing is not None and hearing.closed:
        return "court hearing asked for after the period ended: a clerk must reply"
    if facts.kind == "cofp" and steps.nomination is not None:
        return "court asked for at the driver-nomination stage: a clerk must reply"
    if facts.status in _ENDED:
        return f"contest of a case that is {facts.status}: a clerk must reply"
    return _ACTION_REASONS[CONTEST]


# Steps whose periods run from dates no record holds: the letters never offer them, and a
# clerk answers the intents that ask about them.
_CLERK_WORKS_OUT = frozenset({Step.APPEAL, Step.STATUTORY_DECLARATION})


def _steps_reasons(facts: CaseFacts, steps: Steps) -> list[str]:
    """Reasons from the steps model: dates that cannot be right, a record the model does
    not know, and a period that ended while the record still waits on it."""
    reasons = [f"record dates a clerk must check: {reason}" for reason in steps.flag_reasons]
    if steps.ask_clerk is not None and _known(facts):
        reasons.append(f"steps: {steps.ask_clerk}")
    for view in steps.steps:
        if view.state is StepState.ASK_CLERK and view.step not in _CLERK_WORKS_OUT:
            # The letter can only say "within the time on the notice": a person confirms
            # the date (responses/steps.py found none it could trust).
            reasons.append(
                f"no confirmed date for {view.step.replace('_', ' ')}: a clerk must check"
            )
        waiting = facts.status in ("awaiting_payment", "issued", "offer_issued")
        if view.closed and view.step is Step.PAY and view.until and waiting:
            reasons.append(
                f"the period on the notice ended on {date_weekday(view.until)} but the"
                f" record is still {facts.status}: a clerk must check"
            )
    return reasons


def _reply(
    text: str,
    template: str,
    parts: tuple[str, ...],
    *,
    hold_reason: str | None,
    checked: tuple[CaseFacts | None, Steps | None],
    intents: tuple[str, ...] = (),
) -> ComposedReply:
    subject, body = _split_subject(_tidy(text))
    if hold_reason is None:
        # A letter that commits the office to act on the record waits for a clerk,
        # whatever template produced it.
        promised = commitments(body)
        if promised:
            hold_reason = (
                f"the letter commits the office ({', '.join(promised)}): a clerk must approve it"
            )
    problems = check_letter(f"{subject}\n{body}", *checked, intents=intents)
    if problems:
        found = "letter check: " + "; ".join(problems)
        hold_reason = f"{hold_reason}; {found}" if hold_reason else found
    return ComposedReply(
        subject=subject,
        body=body,
        route=CLERK,
        template=template,
        hold_reason=hold_reason,
        auto=hold_reason is None,
        parts=parts,
    )


def _split_subject(text: str) -> tuple[str, str]:
    """A template may start with "Subject: ..."; the rest is the body."""
    match = _SUBJECT_LINE.match(text)
    if match is None:
        return _DEFAULT_SUBJECT, text
    return match.group(1).strip() or _DEFAULT_SUBJECT, text[match.end() :].lstrip("\n")


_BLANK_RUN = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
# Two spaces between words are left where an optional sentence rendered empty.
_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")


def _tidy(text: str) -> str:
    """One blank line between paragraphs, no trailing spaces, one final newline."""
    text = _TRAILING_SPACE.sub("\n", text.replace("\r\n", "\n"))
    text = _DOUBLE_SPACE.sub(" ", text)
    return _BLANK_RUN.sub("\n\n", text).strip() + "\n"
