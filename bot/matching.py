"""Matching an enquiry to a record: extraction, blocking, scoring and the decision.

The pure parts live in `lookup/`; this module feeds them from the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.enquiry_lines import BadLine, text_field
from lookup.channels import Audience
from lookup.decide import Decision, decide
from lookup.evidence import Evidence, blocking_keys
from lookup.evidence_from_text import evidence_from_text
from lookup.score import Comparison, compare
from storage.engine import Engine
from storage.record_lookup import find_candidates, records_by_id


@dataclass(frozen=True, slots=True)
class Matcher:
    """Matches enquiries against the records in one database."""

    engine: Engine
    # Today's date, for dates written without a year ("from 29 September"); injected
    # so that tests and replays do not depend on the day they run.
    today: Callable[[], date] = date.today

    def evidence(
        self,
        text: str,
        *,
        sender: str | None,
        subject: str = "",
        sender_authenticated: bool = False,
    ) -> Evidence:
        return evidence_from_text(
            text,
            sender=sender,
            subject=subject,
            today=self.today(),
            sender_authenticated=sender_authenticated,
        )

    def match(
        self, text: str, *, sender: str | None, audience: Audience, subject: str = ""
    ) -> Decision:
        """As `enquiry-desk match` does: no mail headers, so a sender address never counts."""
        return self.decide(self.evidence(text, sender=sender, subject=subject), audience=audience)

    def decide(self, evidence: Evidence, *, audience: Audience) -> Decision:
        # Officers' names and dates of birth are weighed at their own levels
        # (`lookup.score.officer_names`); as in `lookup.decide`, only the member counts.
        officer = audience is Audience.OFFICER
        records, frequency = find_candidates(self.engine, blocking_keys(evidence))
        comparisons = [compare(evidence, r, frequency, officer=officer) for r in records]
        decision = decide(comparisons, audience=audience, third_party=evidence.third_party)
        if decision.record_id is not None or not evidence.names:
            return decision
        # Nothing named: look again with every near date of birth and both names' codes
        # whatever the date (lookup.evidence.blocking_keys). Most questions never need it,
        # and it is the slow look-up.
        more, more_frequency = find_candidates(self.engine, blocking_keys(evidence, wide=True))
        seen = {r.id for r in records}
        frequency = {**frequency, **more_frequency}
        comparisons = [compare(evidence, r, frequency, officer=officer) for r in records] + [
            compare(evidence, r, frequency, officer=officer) for r in more if r.id not in seen
        ]
        return decide(comparisons, audience=audience, third_party=evidence.third_party)

    def compare_with(self, evidence: Evidence, record_ids: Sequence[int]) -> list[Comparison]:
        """How the evidence fares against records chosen by id (a clerk's re-match)."""
        surnames = blocking_keys(evidence).surnames
        records, frequency = records_by_id(self.engine, record_ids, surnames=surnames)
        return [compare(evidence, r, frequency) for r in records]


def decision_json(enquiry_id: Any, decision: Decision) -> dict[str, Any]:
    """The batch-matching output object of contracts.md, section 2."""
    return {
        "id": enquiry_id,
        "reference": decision.reference,
        "kind": decision.kind,
        "verified": decision.verified,
        "score": decision.score,
        "candidates": [
            {"reference": c.reference, "kind": c.kind, "score": c.score}
            for c in decision.candidates
        ],
        "reasons": list(decision.reasons),
        # An addition to the contract's fields (section 2 allows new optional ones).
        "third_party": decision.third_party.value if decision.third_party else None,
    }


def batch_audience(channel: object) -> Audience:
    """Who a batch line is decided for: its contract's `"channel": "email" | "chat"`
    (contracts.md, section 2), where "chat" lines are from authorised officers. Anything
    else, a misspelling included, is the public."""
    return Audience.OFFICER if channel == "chat" else Audience.PUBLIC


def empty_decision() -> Decision:
    return Decision(None, None, None, False, 0.0, (), ())


def match_item(matcher: Matcher, item: dict[str, Any] | BadLine) -> dict[str, Any]:
    """One line of `enquiry-desk match FILE` (contracts.md, section 2): its decision, or an
    answer with an `error` field for a line that could not be read."""
    if isinstance(item, BadLine):
        # Same order, one object per line: a bad line gets an answer saying why.
        result = decision_json(None, empty_decision())
        result["error"] = str(item)
        return result
    decision = matcher.match(
        item["text"],
        sender=text_field(item, "sender"),
        audience=batch_audience(item.get("channel")),
        subject=text_field(item, "subject") or "",
    )
    return decision_json(item.get("id"), decision)
