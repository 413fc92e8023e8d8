"""The match behind a draft, as kept with it (the draft's `decision` column), read back typed.

The pipeline saves it when it drafts and a clerk's re-match replaces it; the desk, the
chat card, the CLI and a redelivered message read it. It is JSON in the database, so
every shape ever written must still read: drafts saved before a key existed get its
default (no score, no candidates, no partner...), and a value of the wrong type is
dropped, never trusted. Shapes written so far:

- a pipeline draft: reference, kind, verified, score, candidates (reference, kind, score,
  record_id), reasons, third_party, template, intent_candidates (issue 15), and for a
  partner's mail partner and proposed_change;
- a clerk's re-match: reference, verified, reasons, candidates, template, third_party;
- older drafts: candidates without record_id, no intent_candidates.

No SQL here: the packages above read it from `storage.drafts.DraftView.decision`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from lookup.decide import Candidate, Decision
from lookup.third_party import ThirdPartyKind

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
JsonObject = dict[str, JsonValue]


@dataclass(frozen=True, slots=True)
class SavedCandidate:
    """A record the match listed; `record_id` is None in drafts saved before it was kept."""

    reference: str
    kind: str
    score: float
    record_id: int | None = None

    def to_json(self) -> JsonObject:
        return {
            "reference": self.reference,
            "kind": self.kind,
            "score": self.score,
            "record_id": self.record_id,
        }

    @classmethod
    def from_json(cls, saved: Mapping[str, object]) -> SavedCandidate:
        return cls(
            reference=_text(saved.get("reference")) or "",
            kind=_text(saved.get("kind")) or "",
            score=_number(saved.get("score")) or 0.0,
            record_id=_whole(saved.get("record_id")),
        )


@dataclass(frozen=True, slots=True)
class SavedChange:
    """A partner's proposed change to a record (`responses.partner_changes`), for a clerk
    to apply at source. `changes` are the record's fields as they would become."""

    kind: str
    reference: str | None
    old_status: str | None
    status: str
    outcome: str | None = None
    hearing_date: date | None = None
    changes: tuple[tuple[str, str], ...] = ()
    supported_by: tuple[str, ...] = ()

    def to_json(self) -> JsonObject:
        return {
            "kind": self.kind,
            "reference": self.reference,
            "old_status": self.old_status,
            "status": self.status,
            "outcome": self.outcome,
            "hearing_date": self.hearing_date.isoformat() if self.hearing_date else None,
            "changes": dict(self.changes),
            "supported_by": list(self.supported_by),
        }

    @classmethod
    def from_json(cls, saved: Mapping[str, object]) -> SavedChange:
        changes = saved.get("changes")
        return cls(
            kind=_text(saved.get("kind")) or "",
            reference=_text(saved.get("reference")),
            old_status=_text(saved.get("old_status")),
            status=_text(saved.get("status")) or "",
            outcome=_text(saved.get("outcome")),
            hearing_date=_iso_date(saved.get("hearing_date")),
            changes=tuple(
                (str(name), str(value))
                for name, value in (changes.items() if isinstance(changes, Mapping) else ())
                if value is not None
            ),
            supported_by=_texts(saved.get("supported_by")),
        )


@dataclass(frozen=True, slots=True)
class SavedMatch:
    """The match as a clerk is shown it. None and empty mean the draft did not keep it."""

    reference: str | None = None
    kind: str | None = None
    verified: bool = False
    score: float | None = None  # None after a clerk's re-match: a choice has no score
    candidates: tuple[SavedCandidate, ...] = ()
    reasons: tuple[str, ...] = ()
    # Who the writer says they are when not the record's subject: disclose nothing.
    third_party: ThirdPartyKind | None = None
    template: str | None = None
    # The intents a clerk must choose between when the message was unclear (issue 15).
    intent_candidates: tuple[str, ...] = ()
    partner: str | None = None  # the partner agency the mail came from
    proposed_change: SavedChange | None = None

    @classmethod
    def from_decision(
        cls,
        decision: Decision,
        *,
        template: str,
        intent_candidates: Sequence[str] = (),
        partner: str | None = None,
        proposed_change: SavedChange | None = None,
    ) -> SavedMatch:
        """The pipeline's match, with the candidates' record ids for a re-match."""
        return cls(
            reference=decision.reference,
            kind=decision.kind,
            verified=decision.verified,
            score=decision.score,
            candidates=tuple(
                SavedCandidate(c.reference, c.kind, c.score, c.record_id)
                for c in decision.candidates
            ),
            reasons=decision.reasons,
            third_party=decision.third_party,
            template=template,
            intent_candidates=tuple(intent_candidates),
            partner=partner,
            proposed_change=proposed_change,
        )

    def as_decision(self, record_id: int | None) -> Decision:
        """The decision again, for answering a redelivered message the same way."""
        return Decision(
            record_id=record_id,
            reference=self.reference,
            kind=self.kind,
            verified=self.verified,
            score=self.score or 0.0,
            candidates=tuple(
                Candidate(c.reference, c.kind, c.record_id or 0, c.score) for c in self.candidates
            ),
            reasons=self.reasons,
            third_party=self.third_party,
        )

    def to_json(self) -> JsonObject:
        return {
            "reference": self.reference,
            "kind": self.kind,
            "verified": self.verified,
            "score": self.score,
            "candidates": [c.to_json() for c in self.candidates],
            "reasons": list(self.reasons),
            "third_party": self.third_party.value if self.third_party else None,
            "template": self.template,
            "intent_candidates": list(self.intent_candidates),
            "partner": self.partner,
            "proposed_change": self.proposed_change.to_json() if self.proposed_change else None,
        }

    @classmethod
    def from_json(cls, saved: Mapping[str, object]) -> SavedMatch:
        """Any shape ever saved (see the module's docstring); missing keys are defaults."""
        candidates = saved.get("candidates")
        change = saved.get("proposed_change")
        return cls(
            reference=_text(saved.get("reference")),
            kind=_text(saved.get("kind")),
            # Only a true saved as such: a stray string or number proves nothing.
            verified=saved.get("verified") is True,
            score=_number(saved.get("score")),
            candidates=tuple(
                SavedCandidate.from_json(c)
                for c in (candidates if isinstance(candidates, list) else ())
                if isinstance(c, Mapping)
            ),
            reasons=_texts(saved.get("reasons")),
            third_party=_third_party(saved.get("third_party")),
            template=_text(saved.get("template")),
            intent_candidates=_texts(saved.get("intent_candidates")),
            partner=_text(saved.get("partner")),
            proposed_change=SavedChange.from_json(change) if isinstance(change, Mapping) else None,
        )


def saved_match(stored: object) -> SavedMatch | None:
    """The `decision` column as read: None when the draft kept no match (a status update)."""
    return SavedMatch.from_json(stored) if isinstance(stored, Mapping) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(str(item) for item in value if item is not None)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _whole(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _iso_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _third_party(value: object) -> ThirdPartyKind | None:
    if not value:
        return None
    try:
        return ThirdPartyKind(str(value))
    except ValueError:
        # A mark of a third party is never dropped, whatever it says: the reply to them
        # must disclose nothing, so an unknown word is read as the generic one.
        return ThirdPartyKind.REPRESENTATIVE
