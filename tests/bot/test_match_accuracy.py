"""Matching accuracy on labelled data: the shared sample, and a generated set with
look-alike relatives, quoted references and enquiries about no record."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.demo.inbox import demo_enquiries
from bot.demo.records import generate_records, write_records_csv
from bot.matching import Matcher, batch_audience, decision_json
from lookup.channels import Audience
from storage import migrate
from storage.engine import make_engine, sqlite_url
from storage.records_import import import_file
from tests.accuracy import score
from tests.conftest import DATA


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def run(matcher: Matcher, enquiries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        e["id"]: decision_json(
            e["id"],
            matcher.match(
                e["text"],
                sender=e.get("sender"),
                audience=batch_audience(e["channel"]),
                subject=e.get("subject") or "",
            ),
        )
        for e in enquiries
    }


def test_shared_sample_meets_the_targets(sample_matcher: Matcher) -> None:
    """No wrong verification, >= 95% of answerable emails verified, <= 0.5% wrong matches."""
    truths = read_jsonl(DATA / "truth.jsonl")
    accuracy = score(run(sample_matcher, read_jsonl(DATA / "enquiries.jsonl")), truths)
    assert accuracy.wrong_verified == []
    assert accuracy.verified_share >= 0.95, accuracy.missed
    assert accuracy.wrong_match_share <= 0.005, accuracy.wrong_matched


@pytest.fixture(scope="module")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Matcher, list[Any], dict[str, tuple[str, str, str]]]:
    """4,000 synthetic records and 400 labelled enquiries about them; `people` maps each
    reference to its subject (surname, forenames, date of birth)."""
    folder = tmp_path_factory.mktemp("generated")
    today = date(2026, 11, 23)
    write_records_csv(folder / "r.csv", 4000, seed=21, today=today)
    engine = make_engine(sqlite_url(folder / "g.db"))
    migrate.upgrade(engine)
    import_file(engine, folder / "r.csv")
    records = list(generate_records(4000, seed=21, today=today))
    people = {r["reference"]: (r["surname"], r["forenames"], r["dob"]) for r in records}
    return Matcher(engine), list(demo_enquiries(records, count=400, seed=9)), people


def test_generated_set_never_discloses(generated: tuple[Matcher, list[Any], Any]) -> None:
    """On 400 generated enquiries: never verified against a record the writer is not the
    subject of, including quoted references of other people and look-alike relatives."""
    matcher, enquiries, people = generated
    wrong = []
    for e in enquiries:
        decision = matcher.match(
            e.body, sender=e.sender_address, audience=Audience.PUBLIC, subject=e.subject
        )
        writer = people.get(e.writer_reference)
        if decision.verified and (writer is None or people[decision.reference or ""] != writer):
            wrong.append((e.index, e.scenario, decision.reference))
    assert wrong == []
    assert any(e.scenario == "other_reference" for e in enquiries)


def test_generated_set_is_mostly_matched(generated: tuple[Matcher, list[Any], Any]) -> None:
    """Most enquiries about a record name it, and almost none names a wrong one."""
    matcher, enquiries, _ = generated
    about = [e for e in enquiries if e.reference and e.writer_reference == e.reference]
    named_right = named_wrong = 0
    for e in enquiries:
        decision = matcher.match(
            e.body, sender=e.sender_address, audience=Audience.PUBLIC, subject=e.subject
        )
        if decision.reference is None:
            continue
        if decision.reference == e.reference:
            named_right += 1
        else:
            named_wrong += 1
    assert named_wrong <= 0.005 * len(enquiries)
    assert named_right >= 0.8 * len(about)
