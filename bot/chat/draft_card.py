"""What the clerks' channel shows of a draft: the enquiry, the match and why, the text.

Built from the stored draft and the contact it answers, as a plain value that the Slack
and Teams formatters render. Clerks are authorised to see the enquiry; the card never
goes anywhere else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from storage.contact_search import get_contact
from storage.drafts import OPEN_STATES, DraftView, get_draft
from storage.engine import Engine

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
    third_party: str | None = None  # who the writer says they are, when not the subject
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


def _intent_line(decision: dict[str, Any]) -> tuple[str, ...]:
    """The intents a clerk must choose between (issue 15); old drafts have none saved."""
    named = [str(intent) for intent in decision.get("intent_candidates") or ()]
    return (f"Intent unclear between: {', '.join(named)}",) if named else ()


def card_from(view: DraftView, contact: dict[str, Any]) -> DraftCard:
    decision = view.decision or {}
    candidates = tuple(
        f"{c.get('reference')} ({c.get('kind')}, {c.get('score')})"
        for c in decision.get("candidates") or ()
        if isinstance(c, dict)
    )
    text = str(contact.get("text") or "")
    if len(text) > ENQUIRY_SHOWN:
        text = text[:ENQUIRY_SHOWN] + " …"
    return DraftCard(
        draft_id=view.id,
        version=view.version,
        state=view.state,
        channel=str(contact.get("channel") or ""),
        sender=str(contact.get("party") or ""),
        subject=contact.get("subject"),
        enquiry=text,
        reference=decision.get("reference"),
        kind=decision.get("kind"),
        verified=view.verified,
        reasons=tuple(str(r) for r in decision.get("reasons") or ()) + _intent_line(decision),
        candidates=candidates,
        hold_reason=view.reason,
        recipient=view.recipient,
        body=view.body,
        approved_by=view.approved_by,
        edited_by=view.edited_by,
        third_party=str(decision["third_party"]) if decision.get("third_party") else None,
        urgent=view.urgent,
        partner=str(decision["partner"]) if decision.get("partner") else None,
    )


def load_card(engine: Engine, draft_id: int) -> DraftCard:
    """The draft as it is now, with the enquiry it answers."""
    view = get_draft(engine, draft_id)
    contact = get_contact(engine, view.contact_id)
    return card_from(view, asdict(contact) if contact is not None else {})
