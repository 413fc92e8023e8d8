"""The match kept with a draft: every shape ever saved reads back, and a value round-trips."""

from __future__ import annotations

import json
from datetime import date

import pytest

from lookup.decide import Candidate, Decision
from lookup.third_party import ThirdPartyKind
from storage.saved_match import SavedCandidate, SavedChange, SavedMatch, saved_match

FULL = SavedMatch(
    reference="3462166202",
    kind="fpn",
    verified=True,
    score=0.97,
    candidates=(
        SavedCandidate("3462166202", "fpn", 0.97, 11),
        SavedCandidate("3462166299", "fpn", 0.41, 12),
    ),
    reasons=("reference exact", "surname agrees"),
    third_party=None,
    template="status/fpn",
    intent_candidates=("plea_by_post", "contest"),
    partner="TTC Courses",
    proposed_change=SavedChange(
        kind="course_offer",
        reference="DA46551882",
        old_status="booked",
        status="completed",
        hearing_date=date(2026, 12, 14),
        changes=(("status", "completed"), ("hearing_date", "2026-12-14")),
        supported_by=("attended and completed the course",),
    ),
)

# As `bot.pipeline` wrote a draft's match before SavedMatch (decision_json less "id",
# candidates with record ids, the template, intent candidates, a partner's change).
PIPELINE_ROW = {
    "reference": "3462166202",
    "kind": "fpn",
    "verified": True,
    "score": 0.97,
    "candidates": [
        {"reference": "3462166202", "kind": "fpn", "score": 0.97, "record_id": 11},
        {"reference": "3462166299", "kind": "fpn", "score": 0.41, "record_id": 12},
    ],
    "reasons": ["reference exact", "surname agrees"],
    "third_party": None,
    "template": "status/fpn",
    "intent_candidates": ["plea_by_post", "contest"],
    "partner": "TTC Courses",
    "proposed_change": {
        "kind": "course_offer",
        "reference": "DA46551882",
        "old_status": "booked",
        "status": "completed",
        "outcome": None,
        "hearing_date": "2026-12-14",
        "changes": {"status": "completed", "hearing_date": "2026-12-14"},
        "supported_by": ["attended and completed the course"],
    },
}


def test_a_value_round_trips_through_json() -> None:
    """to_json, through the database's JSON text, and from_json give the same value."""
    assert SavedMatch.from_json(json.loads(json.dumps(FULL.to_json()))) == FULL
    assert SavedMatch.from_json(SavedMatch().to_json()) == SavedMatch()


def test_the_pipelines_old_rows_read_as_they_were_written() -> None:
    """A draft saved by the pipeline before this value existed reads field for field."""
    assert SavedMatch.from_json(PIPELINE_ROW) == FULL
    assert FULL.to_json() == PIPELINE_ROW


def test_an_old_clerks_rematch_reads_with_defaults() -> None:
    """A re-match row (no kind, no score, candidates without record ids, no intents):
    the missing keys are their defaults, and no score is shown rather than a zero."""
    old = {
        "reference": "3462166202",
        "verified": False,
        "reasons": ["chosen by a clerk", "reference exact"],
        "candidates": [{"reference": "3462166202", "kind": "fpn", "score": 0.8}],
        "template": "ask_for_identifiers",
        "third_party": "solicitor",
    }
    match = SavedMatch.from_json(old)
    assert match == SavedMatch(
        reference="3462166202",
        verified=False,
        reasons=("chosen by a clerk", "reference exact"),
        candidates=(SavedCandidate("3462166202", "fpn", 0.8, None),),
        template="ask_for_identifiers",
        third_party=ThirdPartyKind.SOLICITOR,
    )
    assert match.kind is None
    assert match.score is None
    assert match.intent_candidates == ()
    assert match.partner is None
    assert match.proposed_change is None


def test_a_test_seed_shape_with_only_some_keys_reads() -> None:
    """The fewest keys ever written (reasons, score, candidates without record ids)."""
    match = SavedMatch.from_json(
        {
            "reasons": ["reference exact"],
            "score": 1,
            "candidates": [{"reference": "X1", "kind": "fpn", "score": 1}],
        }
    )
    assert match.reference is None
    assert not match.verified
    assert match.score == 1.0
    assert match.candidates == (SavedCandidate("X1", "fpn", 1.0, None),)


@pytest.mark.parametrize("stored", [None, [], "text", 3])
def test_no_saved_match_is_none(stored: object) -> None:
    """A draft that kept no match (a status update) has none; so has a stray value."""
    assert saved_match(stored) is None


def test_an_empty_object_is_an_empty_match() -> None:
    """{} is a match with nothing in it: no record, not verified, no reasons."""
    assert saved_match({}) == SavedMatch()


def test_wrong_types_are_dropped_not_trusted() -> None:
    """Values of the wrong type become defaults; only a JSON true verifies."""
    match = SavedMatch.from_json(
        {
            "reference": 3462166202,
            "verified": "true",
            "score": "0.9",
            "candidates": ["3462166202", {"reference": "A1", "kind": None, "score": True}],
            "reasons": "reference exact",
            "intent_candidates": None,
            "partner": ["CPS"],
            "proposed_change": "completed",
        }
    )
    assert match == SavedMatch(candidates=(SavedCandidate("A1", "", 0.0, None),))


@pytest.mark.parametrize("word", ["guardian", "Solicitor", True])
def test_an_unknown_third_party_mark_is_kept_as_one(word: object) -> None:
    """A third-party mark is never dropped: an unknown word is the generic representative."""
    assert SavedMatch.from_json({"third_party": word}).third_party is (
        ThirdPartyKind.REPRESENTATIVE
    )


def test_a_decision_is_kept_and_given_back() -> None:
    """from_decision then as_decision gives the pipeline's decision again (for a
    redelivered message), with the record id the draft row holds."""
    decision = Decision(
        record_id=11,
        reference="3462166202",
        kind="fpn",
        verified=False,
        score=0.5,
        candidates=(Candidate("3462166202", "fpn", 11, 0.5),),
        reasons=("reference exact", "third party: we act for"),
        third_party=ThirdPartyKind.SOLICITOR,
    )
    saved = SavedMatch.from_decision(decision, template="third_party", intent_candidates=["status"])
    assert saved.template == "third_party"
    assert saved.intent_candidates == ("status",)
    again = SavedMatch.from_json(json.loads(json.dumps(saved.to_json())))
    assert again.as_decision(11) == decision


def test_an_old_candidate_without_a_record_id_gives_record_zero() -> None:
    """As before: a redelivery of an old draft lists its candidates with record id 0."""
    old = SavedMatch.from_json({"candidates": [{"reference": "A1", "kind": "fpn", "score": 0.4}]})
    assert old.as_decision(None).candidates == (Candidate("A1", "fpn", 0, 0.4),)
