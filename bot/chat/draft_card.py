"""What the clerks' channel shows of a draft: the enquiry, the match and why, the text.

Built from the stored draft and the contact it answers, as a plain value that the Slack
and Teams formatters render. Clerks are authorised to see the enquiry; the card never
goes anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from lookup.third_party import ThirdPartyKind
from storage.contact_search import ContactDetail, get_contact
from storage.drafts import OPEN_STATES, DraftView, get_draft
from storage.engine import Engine
from storage.saved_match import SavedMatch

# The card shows the start of a long enquiry; the desk has the whole of it.
ENQUIRY_SHOWN = 1_500


@dataclass(frozen=True, slots=True)
class DraftCard:
    draft_id: int
    version: int
    state: str
    channel: str
    sender: str
    subject: str | None
    enquiry: str
    reference: str | None
    kind: str | None
    verified: bool
    reasons: tuple[str, ...]
    candidates: tuple[str, ...]
    hold_reason: str | None
    recipient: str | None
    body: str
    approved_by: str | None
    edited_by: str | None
    third_party: ThirdPartyKind | None = None  # who the writer says they are, if not the subject
    urgent: str | None = None  # why the enquiry is urgent (fixed words), shown first
    partner: str | None = None  # the partner agency the mail came from

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def flag_line(self) -> str | None:
        """What a clerk must see before anything else: urgency, then a partner sender."""
        parts = [f"URGENT: {self.urgent}" if self.urgent else "", self.partner_label or ""]
        return " · ".join(p for p in parts if p) or None

    @property
    def partner_label(self) -> str | None:
        return f"partner: {self.partner} (no public letter)" if self.partner else None

    @property
    def match_line(self) -> str:
        if self.reference:
            kind = f" ({self.kind})" if self.kind else ""
            return f"{self.reference}{kind}"
        return "no record named"

    @property
    def verification_line(self) -> str:
        if self.third_party:
            return (
                f"not verified: a third party ({self.third_party}); "
                "the reply discloses nothing about any record"
            )
        if self.verified:
            return "verified: the writer's own details agree with the record"
        return "not verified: the reply discloses nothing about any record"


def _intent_line(decision: SavedMatch) -> tuple[str, ...]:
    """The intents a clerk must choose between (issue 15); old drafts have none saved."""
    named = decision.intent_candidates
    return (f"Intent unclear between: {', '.join(named)}",) if named else ()


def card_from(view: DraftView, contact: ContactDetail | None) -> DraftCard:
    """The card of a draft; `contact` None when the enquiry has been purged."""
    decision = view.decision or SavedMatch()
    text = contact.text if contact else ""
    if len(text) > ENQUIRY_SHOWN:
        text = text[:ENQUIRY_SHOWN] + " …"
    return DraftCard(
        draft_id=view.id,
        version=view.version,
        state=view.state,
        channel=contact.channel if contact else "",
        sender=contact.party if contact else "",
        subject=contact.subject if contact else None,
        enquiry=text,
        reference=decision.reference,
        kind=decision.kind,
        verified=view.verified,
        reasons=decision.reasons + _intent_line(decision),
        candidates=tuple(f"{c.reference} ({c.kind}, {c.score})" for c in decision.candidates),
        hold_reason=view.reason,
        recipient=view.recipient,
        body=view.body,
        approved_by=view.approved_by,
        edited_by=view.edited_by,
        third_party=decision.third_party,
        urgent=view.urgent,
        partner=decision.partner,
    )


def load_card(engine: Engine, draft_id: int) -> DraftCard:
    """The draft as it is now, with the enquiry it answers."""
    view = get_draft(engine, draft_id)
    return card_from(view, get_contact(engine, view.contact_id))
