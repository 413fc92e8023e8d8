"""Verification on the adversarial labelled set in tests/data/verification (see its README):
households, twins, look-alike references, third parties, quoted mail, forged senders.

Every enquiry goes through the matcher as `enquiry-desk match` sends it. The labels come
from who wrote and what they typed, never from a run of the matcher.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.matching import Matcher, match_item
from storage import migrate
from storage.engine import make_engine, sqlite_url
from storage.records_import import import_file
from tests.conftest import DATA

SET = DATA / "verification"
# The day the set was made: only dates written without a year depend on it.
TODAY = date(2026, 12, 7)
RECALL_TARGET = 0.97


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def match_line(matcher: Matcher, item: dict[str, Any]) -> dict[str, Any]:
    """One input line through the matcher the way `enquiry-desk match FILE` does it."""
    return match_item(matcher, item)


@pytest.fixture(scope="module")
def truths() -> list[dict[str, Any]]:
    return read_jsonl(SET / "truth.jsonl")


@pytest.fixture(scope="module")
def decisions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The set's records in a fresh SQLite database, and the decision for every enquiry."""
    engine = make_engine(sqlite_url(tmp_path_factory.mktemp("verification") / "v.db"))
    migrate.upgrade(engine)
    import_file(engine, SET / "records.csv")
    matcher = Matcher(engine, today=lambda: TODAY)
    out = {e["id"]: match_line(matcher, e) for e in read_jsonl(SET / "enquiries.jsonl")}
    engine.dispose()
    return out


def wrongly_verified(truth: dict[str, Any], decision: dict[str, Any]) -> bool:
    """Verified for someone who is not the subject, or for a record the enquiry is not about.
    Officers in chat are authorised (contracts.md section 2), so only the record counts there."""
    if not decision["verified"]:
        return False
    if decision["reference"] != truth["about"]:
        return True
    return truth["channel"] != "chat" and not truth["writer_is_subject"]


def listing(rows: list[dict[str, Any]], decisions: dict[str, dict[str, Any]]) -> str:
    by_category = Counter(t["category"] for t in rows)
    lines = [
        f"{len(rows)} enquiries: " + ", ".join(f"{k} {n}" for k, n in sorted(by_category.items()))
    ]
    lines += [
        f"  {t['id']} {t['category']} ({t['split']}, {t['note']}): verified for "
        f"{decisions[t['id']]['reference']}, about {t['about']}"
        for t in rows
    ]
    return "\n".join(lines)


def test_the_set_is_well_formed(truths: list[dict[str, Any]]) -> None:
    """The labels agree with their definitions, every `about` is a record, and the committed
    files are exactly what make_set.py produces."""
    enquiries = read_jsonl(SET / "enquiries.jsonl")
    assert [e["id"] for e in enquiries] == [t["id"] for t in truths]
    assert len(truths) >= 400
    with (SET / "records.csv").open(encoding="utf-8", newline="") as f:
        references = {row["reference"] for row in csv.DictReader(f)}
    for t in truths:
        assert t["about"] is None or t["about"] in references, t["id"]
        assert not t["personal_given"] or t["writer_is_subject"], t["id"]
        assert not t["expect_verified"] or t["personal_given"], t["id"]
    for category in {t["category"] for t in truths}:
        members = [t for t in truths if t["category"] == category]
        held = sum(t["split"] == "heldout" for t in members)
        assert abs(held - len(members) / 3) <= 1, category
    spec = importlib.util.spec_from_file_location("make_set", SET / "make_set.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    assert module.main(["--check"]) == 0


def test_no_one_is_verified_who_is_not_the_subject(
    truths: list[dict[str, Any]], decisions: dict[str, dict[str, Any]]
) -> None:
    """Zero enquiries verified for a record the writer is not the subject of, or that the
    enquiry is not about: neighbours, relatives, third parties, quoters, forged senders."""
    wrong = [t for t in truths if wrongly_verified(t, decisions[t["id"]])]
    assert wrong == [], listing(wrong, decisions)


def test_no_subject_is_verified_without_a_personal_identifier(
    truths: list[dict[str, Any]], decisions: dict[str, dict[str, Any]]
) -> None:
    """The subject who gives public identifiers only, or contradicts the record, is not
    verified either (the rule of contracts.md section 2, not a disclosure to a stranger)."""
    wrong = [
        t
        for t in truths
        if t["channel"] == "email"
        and t["writer_is_subject"]
        and not t["expect_verified"]
        and decisions[t["id"]]["verified"]
    ]
    assert wrong == [], listing(wrong, decisions)


def test_subjects_who_prove_it_are_verified(
    truths: list[dict[str, Any]], decisions: dict[str, dict[str, Any]]
) -> None:
    """At least 97% of the enquiries that should verify are verified for their record."""
    expected = [t for t in truths if t["expect_verified"]]
    shares = {}
    missed = []
    for split in ("dev", "heldout"):
        part = [t for t in expected if t["split"] == split]
        right = [
            t
            for t in part
            if decisions[t["id"]]["verified"] and decisions[t["id"]]["reference"] == t["about"]
        ]
        shares[split] = f"{split} {len(right)}/{len(part)}"
        missed += [t for t in part if t not in right]
    verified = len(expected) - len(missed)
    message = (
        f"verified {verified}/{len(expected)} ({', '.join(shares.values())}); missed:\n"
        + "\n".join(
            f"  {t['id']} {t['category']} ({t['split']}, {t['note']}): "
            f"{decisions[t['id']]['reference']} verified={decisions[t['id']]['verified']} "
            f"{decisions[t['id']]['reasons'][:3]}"
            for t in missed
        )
    )
    assert verified >= RECALL_TARGET * len(expected), message
