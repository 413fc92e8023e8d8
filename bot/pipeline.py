"""One enquiry through the product: log, match, intent, draft (or an officer's answer).

Every channel adapter (IMAP, Maildir, Slack, Teams) and `enquiry-desk draft` call
`Pipeline.handle`. The contact is logged first and committed before anything else, so a
crash later loses nothing; a redelivered message finds its first entry and is not drafted
again.

Disclosure: a record's facts reach the composer only when the match is verified for the
channel (contracts.md, section 2). Everything else gets a reply built from no record at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from bot.matching import Matcher
from lookup.channels import Audience
from lookup.decide import Decision, verifies
from lookup.enquiry import Enquiry, Flag
from lookup.errors import EnquiryDeskError
from lookup.evidence import Evidence
from lookup.routes import OutcomeRoute
from lookup.text_parts import split_message
from responses.case_facts import CaseFacts
from responses.compose import (
    ComposedReply,
    compose_candidates_reply,
    compose_officer_reply,
    compose_reply,
)
from responses.deadlines import reply_due
from responses.formatting import date_long
from responses.intents import IntentResult, detect_intents
from responses.partner_changes import ProposedChange, partner_kind, proposed_change
from responses.steps import steps_for
from responses.template_store import TemplateStore
from responses.urgency import Urgency, urgency
from storage.contact_log import (
    ContactWrite,
    LoggedContact,
    NewContact,
    earlier_in_thread,
    inbound_contact,
    log_contact,
    log_contacts,
    set_contact_record,
)
from storage.contact_search import get_contact
from storage.drafted_replies import first_reply_for
from storage.drafts import DraftView, NewDraft, create_draft, get_draft, replace_draft
from storage.engine import Engine
from storage.errors import StorageError
from storage.record_details import record_details
from storage.saved_match import SavedChange, SavedMatch
from storage.tables import DraftPurpose, DraftRoute

log = logging.getLogger(__name__)

ACTOR = "enquiry-desk"

REFUSAL = (
    "Sorry, I can only answer case questions from officers registered with the ticket "
    "office. If you think you should have access, ask your supervisor."
)


@dataclass(frozen=True, slots=True)
class PipelineOutcome:
    """What happened to one enquiry; `draft` and `chat_reply` are the texts produced."""

    contact_id: int
    is_new: bool
    decision: Decision
    intents: tuple[str, ...]
    draft_id: int | None
    draft: str | None
    route: OutcomeRoute
    chat_reply: str | None = None


@dataclass(frozen=True, slots=True)
class LoggedChatQuestion:
    """A chat question logged by `Pipeline.log_chat_batch`, waiting to be answered."""

    enquiry: Enquiry
    flag: Flag | None  # UNAUTHORISED when the asker is not an authorised officer
    entry: LoggedContact


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    reply_working_days: int = 10
    # (name, mail domain) of partner agencies (PARTNER_DOMAINS): their mail gets a note
    # for the clerk on the partners' route, never a public letter.
    partner_domains: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Partner:
    name: str
    domain: str


def partner_of(sender: str | None, partners: Sequence[tuple[str, str]]) -> Partner | None:
    """The partner whose domain (or a subdomain of it) the sender's address is at; the
    most specific domain when several fit. A forged From only costs a clerk a look: the
    partners' route discloses nothing and sends nothing by itself."""
    if not sender or "@" not in sender:
        return None
    domain = sender.rpartition("@")[2].strip().strip(">").rstrip(".").lower()
    fits = [
        Partner(name, known)
        for name, known in partners
        if domain == known or domain.endswith("." + known)
    ]
    return max(fits, key=lambda p: len(p.domain)) if fits else None


def partner_note(partner: Partner, change: ProposedChange | None = None) -> str:
    """The draft's text for a partner's mail: a note for the clerk, never a letter; with
    the change the mail reports, for the clerk to make in the system of record (the
    product never changes a record: records come from there by import)."""
    note = (
        f"From {partner.name} ({partner.domain}): no public letter is drafted; "
        "answer through the partners' route."
    )
    if change is None:
        return note
    record = (
        f"{change.kind} {change.reference}"
        if change.reference
        else f"a {change.kind} record (none matched: re-match it first)"
    )
    extra = "".join(
        (
            f", outcome {change.outcome}" if change.outcome else "",
            f", hearing {date_long(change.hearing_date)}" if change.hearing_date else "",
        )
    )
    return (
        f"{note}\nProposed change to {record}: status {change.old_status or 'unknown'} "
        f"→ {change.status}{extra}. Apply it by importing the record from the system "
        "of record, or edit the record there."
    )


def hold_reasons(*reasons: str | None) -> str | None:
    """The reasons a clerk must look, most pressing first, as one line."""
    return "; ".join(r for r in reasons if r) or None


def letter_dates(
    facts: CaseFacts | None, reply: ComposedReply, *, today: date, reply_by: date | None
) -> tuple[date | None, date | None]:
    """(valid_until, reply_promised) of a letter composed on `today`.

    valid_until: a letter written from a record reflects which of its steps were open that
    day, so it holds only until the first of them closes (`Steps.next_deadline`), and, when
    it names the hearing date, until the hearing. reply_promised: a held letter that
    quotes `reply_by` promises the writer an answer by then.
    """
    ends: list[date] = []
    if facts is not None:
        deadline = steps_for(facts, today).next_deadline
        if deadline is not None:
            ends.append(deadline)
        hearing = facts.hearing_date
        if hearing is not None and hearing >= today and date_long(hearing) in reply.body:
            ends.append(hearing)
    promised = (
        reply_by
        if reply.hold_reason is not None
        and reply_by is not None
        and date_long(reply_by) in reply.body
        else None
    )
    return (min(ends) if ends else None), promised


def offered_identifiers(evidence: Evidence) -> frozenset[str]:
    """Which kinds of identifier the writer gave, so a reply asks only for the rest."""
    given = {
        "reference": bool(evidence.own_references),
        "surname": bool(evidence.names),
        "dob": bool(evidence.dobs),
        "postcode": bool(evidence.postcodes),
        "vrm": bool(evidence.plates),
        "email": bool(evidence.sender),
    }
    return frozenset(name for name, present in given.items() if present)


@dataclass
class Pipeline:
    """Takes enquiries through log, match, intent and draft against one database."""

    engine: Engine
    templates: TemplateStore
    clock: Callable[[], datetime]
    config: PipelineConfig = field(default_factory=PipelineConfig)
    # Called with each new public draft's id after it is committed (the chat adapters'
    # draft queues, which post it to the clerks' channel). Given when the pipeline is
    # built (bot/assemble.py), never added later. Must return quickly: hand work on.
    on_draft: tuple[Callable[[int], None], ...] = ()

    def __post_init__(self) -> None:
        self.matcher = Matcher(self.engine, today=lambda: self.clock().date())

    # -- the entry point -------------------------------------------------------------

    def handle(self, enquiry: Enquiry, *, link_later: bool = False) -> PipelineOutcome:
        """Log `enquiry` (committed before anything else), match it, and draft or answer.

        `link_later`: an officer's question is not linked to the record it matched here;
        the caller does it (the chat desk, in one transaction with the logged answer) from
        the outcome's verified `decision.record_id`.
        """
        contact = self._contact(enquiry)
        logged = log_contact(
            self.engine, contact, now=self.clock(), attachments=enquiry.attachments
        )
        # Storage may flag what the enquiry did not say: a reused Message-ID.
        flag = logged.flag or contact.flag
        return self._after_log(enquiry, flag, logged, link_later=link_later)

    def handle_chat_batch(
        self,
        enquiries: Sequence[Enquiry],
        deliver: Callable[[int, PipelineOutcome | EnquiryDeskError], None],
    ) -> None:
        """`handle(enquiry, link_later=True)` for several chat questions that arrived
        together, their log entries committed in one transaction before any is matched.

        Each outcome, or the error that question met, goes to `deliver` with the
        question's index as soon as it is ready. When the batch cannot be logged,
        `StorageError` is raised and nothing delivered.
        """
        for index, logged in enumerate(self.log_chat_batch(enquiries)):
            try:
                outcome = self.answer_logged(logged)
            except EnquiryDeskError as exc:
                deliver(index, exc)
            else:
                deliver(index, outcome)

    def log_chat_batch(
        self, enquiries: Sequence[Enquiry], *, wait_ms: int | None = None
    ) -> list[LoggedChatQuestion]:
        """The first half of `handle_chat_batch`: log the questions, one transaction.
        `wait_ms` as for `storage.contact_log.log_contacts`."""
        if any(not e.channel.is_chat or e.attachments for e in enquiries):
            raise ValueError("a chat batch takes chat questions without attachments")
        contacts = [self._contact(enquiry) for enquiry in enquiries]
        logged = log_contacts(
            self.engine, [ContactWrite(c) for c in contacts], now=self.clock(), wait_ms=wait_ms
        )
        questions = []
        for enquiry, contact, entry in zip(enquiries, contacts, logged, strict=True):
            assert entry is not None  # every write here logs a contact
            questions.append(LoggedChatQuestion(enquiry, contact.flag, entry))
        return questions

    def answer_logged(self, question: LoggedChatQuestion) -> PipelineOutcome:
        """The second half, for one logged question: match and answer. Only reads the
        database (the link to the record is the caller's to make, as with `link_later`)."""
        return self._after_log(question.enquiry, question.flag, question.entry, link_later=True)

    def _after_log(
        self, enquiry: Enquiry, flag: Flag | None, logged: LoggedContact, *, link_later: bool
    ) -> PipelineOutcome:
        chat = enquiry.channel.is_chat
        log.info(
            "contact logged",
            extra={"contact_id": logged.id, "channel": enquiry.channel, "new": logged.is_new},
        )
        if not logged.is_new:
            done = self._already_handled(logged.id, chat=chat)
            if chat or flag is not None or done.draft_id is not None:
                return done
            # Logged by a worker that died before drafting (two commits, the log first):
            # the mail is offered again because it was not filed away, so draft it now.
        if flag is Flag.UNAUTHORISED:
            return PipelineOutcome(
                logged.id, True, _NO_DECISION, (), None, None, OutcomeRoute.CHAT, REFUSAL
            )
        if flag is not None:
            # Auto-replies, bounces, unreadable mail: kept and shown to a clerk, never answered.
            return PipelineOutcome(logged.id, True, _NO_DECISION, (), None, None, OutcomeRoute.NONE)
        text = self._text_with_thread(enquiry, logged.id)
        if chat:
            return self._answer_officer(enquiry, logged.id, text, link=not link_later)
        return self._draft_reply(enquiry, logged.id, text)

    # -- public enquiries --------------------------------------------------------------

    def _draft_reply(self, enquiry: Enquiry, contact_id: int, text: str) -> PipelineOutcome:
        evidence = self.matcher.evidence(
            text,
            sender=enquiry.sender,
            subject=enquiry.subject,
            sender_authenticated=enquiry.sender_authenticated,
        )
        decision = self.matcher.decide(evidence, audience=Audience.PUBLIC)
        intents = detect_intents(enquiry.text, enquiry.subject)
        facts = self._facts(decision.record_id) if decision.verified else None
        today = self.clock().date()
        due = reply_due(enquiry.received_at.date(), self.config.reply_working_days)
        # Only the writer's own words of this message: quoted mail and earlier messages
        # in the thread may be old, or someone else's.
        urgent = urgency(
            split_message(enquiry.text).own,
            hearing_date=facts.hearing_date if facts else None,
            # The next deadline of a step still open (a paid case has none), not the
            # record's due date as it stands.
            due_date=steps_for(facts, today).next_deadline if facts else None,
            today=today,
        )
        partner = partner_of(enquiry.sender, self.config.partner_domains)
        change = None
        if partner is not None:
            # A partner writes about a record: the match names it for the clerk whether
            # or not "verified" (nothing goes to the partner without a clerk's reply).
            record = self._facts(decision.record_id) if decision.record_id is not None else None
            change = proposed_change(
                partner_kind(partner.name),
                f"{enquiry.subject}\n{split_message(enquiry.text).own}",
                kind=record.kind if record else None,
                reference=record.reference if record else None,
                status=record.status if record else None,
            )
            reply = ComposedReply(
                subject="",
                body=partner_note(partner, change),
                route=DraftRoute.PARTNER,
                template="partner_note",
                hold_reason=f"partner: {partner.name}",
                auto=False,
            )
        else:
            reply = compose_reply(
                intents=intents,
                facts=facts,
                verified=facts is not None,
                offered=offered_identifiers(evidence),
                today=today,
                store=self.templates,
                reply_by=due,
                third_party=decision.third_party,
            )
        valid_until, promised = letter_dates(facts, reply, today=today, reply_by=due)
        draft_id = self._save_draft(
            enquiry,
            contact_id,
            decision,
            intents,
            reply,
            due,
            urgent=urgent,
            partner=partner,
            change=change,
            valid_until=valid_until,
            reply_promised=promised,
        )
        log.info(
            "draft created",
            extra={
                "contact_id": contact_id,
                "draft_id": draft_id,
                "verified": decision.verified,
                "urgent": urgent.kind.value if urgent else None,
                "partner": partner is not None,
                # The status word only: the outcome and the supporting words are the
                # partner's text and may name the person.
                "proposed_status": change.status if change else None,
            },
        )
        for notify in self.on_draft:
            try:
                notify(draft_id)
            except Exception:  # a chat outage must not lose the draft, already saved
                log.exception("draft notification failed", extra={"draft_id": draft_id})
        return PipelineOutcome(
            contact_id,
            True,
            decision,
            intents.intents,
            draft_id,
            reply.body,
            OutcomeRoute.of_draft(reply.route),
        )

    def _save_draft(
        self,
        enquiry: Enquiry,
        contact_id: int,
        decision: Decision,
        intents: IntentResult,
        reply: ComposedReply,
        due: date,
        *,
        urgent: Urgency | None,
        partner: Partner | None,
        change: ProposedChange | None,
        valid_until: date | None,
        reply_promised: date | None,
    ) -> int:
        saved = SavedMatch.from_decision(
            decision,
            template=reply.template,
            # The intents a clerk must choose between when the message was unclear (issue 15).
            intent_candidates=intents.candidates,
            partner=partner.name if partner else None,  # the desk's and the card's "partner: name"
            proposed_change=_saved_change(change) if change else None,
        )
        return create_draft(
            self.engine,
            NewDraft(
                contact_id=contact_id,
                body=reply.body,
                created_by=ACTOR,
                record_id=decision.record_id,
                purpose=DraftPurpose.REPLY,
                route=reply.route,
                intents=intents.intents,
                verified=decision.verified,
                subject=reply.subject or _reply_subject(enquiry.subject),
                recipient=enquiry.sender or None,
                reply_due=due,
                # The urgency first: for words of self-harm the clerk reads it before all else.
                reason=hold_reasons(
                    f"urgent: {urgent.reason}" if urgent else None, reply.hold_reason
                ),
                decision=saved,
                urgent=urgent.reason if urgent else None,
                valid_until=valid_until,
                reply_promised=reply_promised,
            ),
            now=self.clock(),
        )

    def redraft(
        self, draft_id: int, *, record_id: int | None, actor: str, expected_version: int | None
    ) -> DraftView:
        """A clerk re-matched an enquiry to `record_id` (or to none): write the draft
        afresh from that record. The clerk's choice names the record; verification still
        needs the writer's own identifiers to agree with it."""
        draft = get_draft(self.engine, draft_id)
        contact = get_contact(self.engine, draft.contact_id)
        if contact is None:  # a draft's contact is purged only with the draft itself
            raise StorageError(f"draft {draft_id}: its contact {draft.contact_id} is gone")
        evidence = self.matcher.evidence(
            contact.text, sender=contact.party, subject=contact.subject or ""
        )
        comparisons = self.matcher.compare_with(evidence, [record_id] if record_id else [])
        # A clerk's choice names the record; it does not make a third party the subject.
        verified = bool(comparisons) and verifies(comparisons[0]) and evidence.third_party is None
        facts = self._facts(record_id) if (verified and record_id is not None) else None
        intents = detect_intents(contact.text, contact.subject or "")
        today = self.clock().date()
        reply = compose_reply(
            intents=intents,
            facts=facts,
            verified=facts is not None,
            offered=offered_identifiers(evidence),
            today=today,
            store=self.templates,
            # The same promise as the first draft: a holding reply keeps its date and so
            # opens its follow-up when sent.
            reply_by=draft.reply_due,
            third_party=evidence.third_party.kind if evidence.third_party else None,
        )
        reasons = comparisons[0].reasons if comparisons else ("no record chosen",)
        set_contact_record(self.engine, draft.contact_id, record_id)
        # A partner's mail keeps its note: re-matching names the case, it does not make
        # the partner a member of the public.
        partner = draft.route == DraftRoute.PARTNER
        # The new letter's own dates, as of today: the old ones may be what made it stale.
        valid_until, promised = (
            (None, None)
            if partner
            else letter_dates(facts, reply, today=today, reply_by=draft.reply_due)
        )
        return replace_draft(
            self.engine,
            draft_id,
            record_id=record_id,
            body=draft.body if partner else reply.body,
            subject=draft.subject if partner else (reply.subject or draft.subject),
            verified=facts is not None,
            decision=SavedMatch(
                reference=None if facts is None else facts.reference,
                verified=facts is not None,
                reasons=("chosen by a clerk", *reasons),
                candidates=draft.decision.candidates if draft.decision else (),
                template="partner_note" if partner else reply.template,
                third_party=evidence.third_party.kind if evidence.third_party else None,
            ),
            actor=actor,
            now=self.clock(),
            expected_version=expected_version,
            valid_until=valid_until,
            reply_promised=promised,
        )

    # -- officers in chat --------------------------------------------------------------

    def _answer_officer(
        self, enquiry: Enquiry, contact_id: int, text: str, *, link: bool
    ) -> PipelineOutcome:
        evidence = self.matcher.evidence(text, sender=None, subject=enquiry.subject)
        decision = self.matcher.decide(evidence, audience=Audience.OFFICER)
        today = self.clock().date()
        if decision.record_id is not None and decision.verified:
            if link:
                set_contact_record(self.engine, contact_id, decision.record_id)
            answer = compose_officer_reply(
                self._facts(decision.record_id), today=today, store=self.templates
            )
        else:
            listed = record_details(self.engine, (c.record_id for c in decision.candidates))
            answer = compose_candidates_reply(
                [
                    CaseFacts.of_record(listed[c.record_id])
                    for c in decision.candidates
                    if c.record_id in listed
                ],
                store=self.templates,
            )
        log.info("officer answered", extra={"contact_id": contact_id, "matched": decision.verified})
        return PipelineOutcome(
            contact_id, True, decision, ("status",), None, None, OutcomeRoute.CHAT, answer
        )

    # -- helpers -----------------------------------------------------------------------

    def _contact(self, enquiry: Enquiry) -> NewContact:
        contact = inbound_contact(enquiry)
        if enquiry.channel.is_chat and enquiry.officer is None and enquiry.flag is None:
            reason = "asked in chat without being an authorised officer"
            return replace(contact, flag=Flag.UNAUTHORISED, flag_reason=reason)
        return contact

    def _text_with_thread(self, enquiry: Enquiry, contact_id: int) -> str:
        if not enquiry.thread_key or enquiry.channel.is_chat:
            return enquiry.text
        earlier = earlier_in_thread(
            self.engine, thread_key=enquiry.thread_key, party=enquiry.sender, before_id=contact_id
        )
        return "\n\n".join([*earlier, enquiry.text])

    def _facts(self, record_id: int | None) -> CaseFacts:
        if record_id is None:
            raise ValueError("no record to take facts from")
        return CaseFacts.of_record(record_details(self.engine, [record_id])[record_id])

    def _already_handled(self, contact_id: int, *, chat: bool) -> PipelineOutcome:
        reply = first_reply_for(self.engine, contact_id)
        if reply is None:
            return PipelineOutcome(
                contact_id, False, _NO_DECISION, (), None, None, OutcomeRoute.NONE
            )
        return PipelineOutcome(
            contact_id,
            False,
            reply.decision.as_decision(reply.record_id) if reply.decision else _NO_DECISION,
            reply.intents,
            reply.draft_id,
            reply.body,
            OutcomeRoute.of_draft(reply.route),
        )


_NO_DECISION = Decision(None, None, None, False, 0.0, (), ())


def _saved_change(change: ProposedChange) -> SavedChange:
    """A partner's proposed change as kept with the draft, for the desk to show."""
    return SavedChange(
        kind=change.kind,
        reference=change.reference,
        old_status=change.old_status,
        status=change.status,
        outcome=change.outcome,
        hearing_date=change.hearing_date,
        changes=tuple(change.changes().items()),
        supported_by=change.supported_by,
    )


def _reply_subject(subject: str) -> str:
    subject = subject.strip()
    if not subject:
        return "Your enquiry to the ticket office"
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def outcome_json(enquiry_id: Any, outcome: PipelineOutcome) -> dict[str, Any]:
    """The `enquiry-desk draft` output object of contracts.md, section 3."""
    return {
        "id": enquiry_id,
        "contact_id": outcome.contact_id,
        "reference": outcome.decision.reference,
        "verified": outcome.decision.verified,
        "intents": list(outcome.intents),
        "draft_id": outcome.draft_id,
        "draft": outcome.draft if outcome.draft is not None else outcome.chat_reply,
        "route": outcome.route,
    }
