"""The shared sample in tests/data, read for what a test needs of it.

Tests name records by the properties they rely on (kind, status, a plate on file, a person
with no other record...) rather than by pasted references, so a regenerated sample does not
strand them on records that no longer exist.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from tests.conftest import DATA

Row = dict[str, str]


@cache
def _records() -> tuple[Row, ...]:
    with (DATA / "records.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def sample_records() -> list[Row]:
    """Every sample record, as the CSV has it (copies: tests may change them)."""
    return [dict(row) for row in _records()]


def person(row: Row) -> tuple[str, str, str]:
    """Who a record is about: surname, forenames, date of birth."""
    return (row["surname"], row["forenames"], row["dob"])


@cache
def _counts() -> tuple[Counter[tuple[str, str, str]], Counter[tuple[str, str]]]:
    rows = _records()
    return (
        Counter(person(r) for r in rows),
        Counter((r["surname"], r["postcode"]) for r in rows),
    )


def is_alone(row: Row) -> bool:
    """The record's subject has no other record and nobody else shares their surname and
    postcode, so their identifiers point at this record and no other."""
    people, households = _counts()
    return people[person(row)] == 1 and households[(row["surname"], row["postcode"])] == 1


def find_records(
    *,
    kind: str | None = None,
    status: str | Iterable[str] | None = None,
    has: Iterable[str] = (),
    lacks: Iterable[str] = (),
    alone: bool = False,
    where: Callable[[Row], bool] | None = None,
) -> list[Row]:
    """Sample records, in file order, of that kind and status, with a value in every column
    of `has`, none in those of `lacks`, alone (see `is_alone`) if asked, and `where` true."""
    statuses = {status} if isinstance(status, str) else set(status) if status else None
    has, lacks = tuple(has), tuple(lacks)
    return [
        dict(r)
        for r in _records()
        if (kind is None or r["kind"] == kind)
        and (statuses is None or r["status"] in statuses)
        and all(r[c] for c in has)
        and not any(r[c] for c in lacks)
        and (not alone or is_alone(r))
        and (where is None or where(r))
    ]


def find_record(**properties: Any) -> Row:
    """The first sample record with those properties (see `find_records`)."""
    found = find_records(**properties)
    assert found, f"the sample has no record with {properties}"
    return found[0]


def record_by_reference(reference: str) -> Row:
    [row] = [dict(r) for r in _records() if r["reference"] == reference]
    return row


def uk_date(iso: str) -> str:
    """An ISO date as people write it in the UK: 1948-06-23 -> 23/06/1948."""
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def full_name(row: Row) -> str:
    """The record's name as a verified letter greets its subject."""
    return f"{row['forenames']} {row['surname']}"


def sample_enquiries() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The sample enquiries, each with its line of truth.jsonl."""
    enquiries = (DATA / "enquiries.jsonl").read_text(encoding="utf-8").splitlines()
    truth = (DATA / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    pairs = list(zip(map(json.loads, enquiries), map(json.loads, truth), strict=True))
    assert all(e["id"] == t["id"] for e, t in pairs)
    return pairs


def answerable_email(about: Callable[[Row], bool] | None = None) -> dict[str, Any]:
    """The first sample email that, by truth.jsonl, carries enough to verify its writer
    against exactly one record (for which `about` is true, if given), and quotes nobody
    else's reference."""
    for enquiry, truth in sample_enquiries():
        if (
            enquiry["channel"] == "email"
            and truth["answerable"]
            and not truth["adversarial"]
            and truth["acceptable"] == [truth["reference"]]
            and (about is None or about(record_by_reference(truth["reference"])))
        ):
            return enquiry
    raise AssertionError("the sample has no such answerable email")
