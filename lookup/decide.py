"""From compared candidates to a decision: the one record, or none and a list for a clerk.

Naming a record needs a clear lead: a weight above `NAME_AT` and `MARGIN` ahead of the
next candidate. Verification for the public is `lookup.verify` (contracts.md, section 2):
two identifiers agree, at least one personal, nothing blocks; a third party is never
verified. For officers in chat (`Audience.OFFICER`, authorised by the adapter) an
unambiguous record is enough; any other audience is the public. Every decision's reasons
end with which identifiers counted as personal, which as public, and what decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from lookup.channels import Audience
from lookup.score import Comparison
from lookup.third_party import ThirdParty, ThirdPartyKind

NAME_AT = 6.0
MARGIN = 3.0
# An authorised officer in chat is named a record at a lower line: their names and dates
# of birth are weighed at Fellegi-Sunter levels (`lookup.score.officer_names`), on which
# FEBRL 1-3 (development data) put an exact forename and date of birth with another
# surname (a married name, a mistyped one) at 5.4, right far more often than not, with
# the margin over the next still asked. bench/name_dob.py measures what it costs.
OFFICER_NAME_AT = 5.3
# Weight at which the shown score reaches one half; the score is for people to sort by.
HALF = 6.0
LISTED = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    reference: str
    kind: str
    record_id: int
    score: float


@dataclass(frozen=True, slots=True)
class Decision:
    record_id: int | None
    reference: str | None
    kind: str | None
    verified: bool
    score: float
    candidates: tuple[Candidate, ...]
    reasons: tuple[str, ...]
    # The writer says they write for or about someone else: a clerk decides what, if
    # anything, may be disclosed to them.
    third_party: ThirdPartyKind | None = None


def shown_score(weight: float) -> float:
    return round(max(weight, 0.0) / (max(weight, 0.0) + HALF), 3)


def verifies(comparison: Comparison) -> bool:
    """The writer proves they are this record's subject (contracts.md, section 2)."""
    return comparison.verification.verified


def decide(
    comparisons: list[Comparison], *, audience: Audience, third_party: ThirdParty | None = None
) -> Decision:
    # By identity, not equality: only the member itself relaxes the rules, so a string
    # ("officer", "chat") or anything else passed by mistake is decided for the public.
    officer = audience is Audience.OFFICER
    ranked = sorted(comparisons, key=lambda c: (-c.weight, c.record.id))
    listed = tuple(
        Candidate(c.record.reference, c.record.kind, c.record.id, shown_score(c.weight))
        for c in ranked[:LISTED]
        if c.weight > 0
    )
    kind = third_party.kind if third_party is not None else None
    tail = (f"third party: {third_party.reason}",) if third_party is not None else ()

    def unnamed(*reasons: str) -> Decision:
        # The leader's identifiers are still said, as personal or public, so a clerk
        # sees what the writer offered; nothing is verified without one named record.
        check = ranked[0].verification.reasons[:2] if ranked else ("personal: none", "public: none")
        rule = (*check, "not verified: no one record named")
        return Decision(None, None, None, False, 0.0, listed, (*reasons, *rule, *tail), kind)

    if not ranked or ranked[0].weight < (OFFICER_NAME_AT if officer else NAME_AT):
        return unnamed(
            "no clear match",
            *(ranked[0].reasons if ranked else ("no record shares an identifier",)),
        )
    top = ranked[0]
    named = [c for c in ranked if c.named]
    if named and not top.named:
        # The writer gave a reference that is not the record their other details point
        # to: perhaps someone else's. A clerk decides; nothing is named.
        return unnamed("the reference given is not the writer's own record", *named[0].reasons)
    runner_up = ranked[1].weight if len(ranked) > 1 else 0.0
    if top.weight - runner_up < MARGIN:
        return unnamed("several records fit equally", *top.reasons)
    rule: tuple[str, ...]
    if officer:
        verified, rule = True, ("an authorised officer in chat",)
    else:
        check = top.verification
        verified, rule = check.verified, check.reasons
    return Decision(
        record_id=top.record.id,
        reference=top.record.reference,
        kind=top.record.kind,
        verified=verified,
        score=shown_score(top.weight),
        candidates=listed,
        reasons=(*top.reasons, *rule, *tail),
        third_party=kind,
    )
