"""Tests for the synthetic records generator (bot.demo.records)."""

from __future__ import annotations

import csv
import datetime
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bot.demo.records import (
    RECORD_COLUMNS,
    generate_records,
    write_records_csv,
    write_records_jsonl,
)
from tests.contract import CONTRACT_COLUMNS, CONTRACT_STATUSES

TODAY = datetime.date(2026, 11, 1)

URN = r"42[A-Z]{2}\d{7}"
REFERENCE_SHAPES = {
    "fpn": r"\d{10}",
    "cofp": r"SR\d{9}",
    "pnd": r"P\d{9}",
    "course_offer": r"DA\d{8}",
    "collision": r"RTC\d{8}",
    "cica_claim": r"CICA\d{8}",
    "summons": URN,
    "postal_requisition": URN,
    "court_case": URN,
    "hort1": r"\d{11}",
    "vdrs": r"\d{11}",
    "community_resolution": r"\d{11}",
    "conditional_caution": r"\d{11}",
    "drugs_warning": r"\d{11}",
}
DATE_COLUMNS = ("status_date", "offence_date", "dob", "due_date", "hearing_date")
POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}")
PLATE = re.compile(
    r"[A-Z]{2}\d{2} ?[A-Z]{3}"  # current: AB12 CDE
    r"|[A-Z]\d{1,3} ?[A-Z]{3}"  # prefix: A123 BCD
    r"|[A-Z]{3} ?\d{1,3}[A-Z]"  # suffix: ABC 123D
)


@pytest.fixture(scope="module")
def sample() -> list[dict[str, str]]:
    return list(generate_records(5000, seed=7, today=TODAY))


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def test_columns_are_the_contracts_in_order(sample: list[dict[str, str]]) -> None:
    """RECORD_COLUMNS is the contract's column list, and every row has exactly those keys."""
    assert list(RECORD_COLUMNS) == CONTRACT_COLUMNS
    for row in sample:
        assert list(row) == CONTRACT_COLUMNS
        assert all(isinstance(value, str) for value in row.values())


def test_every_kind_appears_with_only_contract_statuses(sample: list[dict[str, str]]) -> None:
    """A 5,000-row sample holds every contract kind, camera offers, courses and FPNs lead,
    and each status is in its kind's vocabulary."""
    kinds = Counter(row["kind"] for row in sample)
    assert set(kinds) == set(CONTRACT_STATUSES)
    top_three = {kind for kind, _ in kinds.most_common(3)}
    assert top_three == {"cofp", "course_offer", "fpn"}
    for row in sample:
        assert row["status"] in CONTRACT_STATUSES[row["kind"]], row
    # Every status of the busy kinds is used, not just the first of each list.
    for kind in ("fpn", "cofp", "summons"):
        assert {r["status"] for r in sample if r["kind"] == kind} == CONTRACT_STATUSES[kind]


def test_references_have_each_kinds_shape_and_are_unique() -> None:
    """References match each kind's format and never repeat within a kind (nor do URNs
    across the three court kinds) over 60,000 rows."""
    rows = list(generate_records(60_000, seed=11, today=TODAY))
    seen: Counter[tuple[str, str]] = Counter()
    urns: Counter[str] = Counter()
    for row in rows:
        assert re.fullmatch(REFERENCE_SHAPES[row["kind"]], row["reference"]), row
        seen[(row["kind"], row["reference"])] += 1
        if row["kind"] in ("summons", "postal_requisition", "court_case"):
            assert row["urn"] == row["reference"]
            urns[row["urn"]] += 1
        else:
            assert row["urn"] == ""
    assert max(seen.values()) == 1
    assert max(urns.values()) == 1
    # Counter-based, yet not sequential: consecutive FPNs do not share their first digits.
    fpns = [row["reference"] for row in rows if row["kind"] == "fpn"][:50]
    assert len({ref[:6] for ref in fpns}) > 40


def test_dates_are_iso_and_coherent(sample: list[dict[str, str]]) -> None:
    """Dates are ISO 8601, offences precede their status dates, nothing lies in the future
    but listed hearings, penalties fall due 28 days on, and subjects are 17 to 90."""
    for row in sample:
        for column in DATE_COLUMNS:
            if row[column]:
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[column]), (column, row)
                _date(row[column])
        offence, status = _date(row["offence_date"]), _date(row["status_date"])
        assert offence < status <= TODAY, row
        age_at_offence = (offence - _date(row["dob"])).days / 365.25
        assert 17 <= age_at_offence <= 90, row
        if row["kind"] in ("fpn", "cofp", "course_offer"):
            assert _date(row["due_date"]) - offence == datetime.timedelta(days=28), row
        if row["status"] in ("hearing_listed", "listed", "adjourned"):
            assert _date(row["hearing_date"]) > TODAY, row
        elif row["status"] in ("result_recorded", "concluded"):
            assert row["hearing_date"] == row["status_date"], row
            assert row["outcome"], row
        updated = datetime.datetime.fromisoformat(row["updated_at"].replace("Z", "+00:00"))
        assert updated.date() == status


def test_amounts_courts_and_contact_details(sample: list[dict[str, str]]) -> None:
    """Penalties carry the right amount, only court kinds name a court, about half the
    rows have an e-mail, and contact details are invented (reserved domains and numbers)."""
    amounts = {"fpn": "100", "cofp": "100", "pnd": "90", "course_offer": "95"}
    for row in sample:
        assert row["amount"] == amounts.get(row["kind"], ""), row
        is_court_kind = row["kind"] in ("summons", "postal_requisition", "court_case")
        assert bool(row["court"]) == is_court_kind, row
        if row["email"]:
            assert row["email"].endswith(".example"), row
        if row["phone"]:
            assert row["phone"].startswith(("07700 900", "01632 960")), row
    with_email = sum(1 for row in sample if row["email"]) / len(sample)
    assert 0.4 < with_email < 0.6


def test_postcodes_and_plates_are_uk_shaped(sample: list[dict[str, str]]) -> None:
    """Postcodes have a UK outward/inward shape; plates are current, prefix or suffix
    marks, mostly current format and mostly stored without a space."""
    plates = [row["vrm"] for row in sample if row["vrm"]]
    assert len(plates) > len(sample) // 2
    for row in sample:
        assert POSTCODE.fullmatch(row["postcode"]), row["postcode"]
    for plate in plates:
        assert PLATE.fullmatch(plate), plate
    current = sum(1 for p in plates if re.fullmatch(r"[A-Z]{2}\d{2} ?[A-Z]{3}", p))
    assert current / len(plates) > 0.8
    assert sum(1 for p in plates if " " not in p) / len(plates) > 0.75


def test_people_recur_and_relatives_look_alike(sample: list[dict[str, str]]) -> None:
    """Some people have several records, and some households hold two adults with the same
    surname, address, postcode and car but different forenames and dates of birth."""
    people = Counter((r["surname"], r["forenames"], r["dob"]) for r in sample)
    assert sum(1 for n in people.values() if n > 1) > 100
    households: defaultdict[tuple[str, str, str], set[tuple[str, str, str]]] = defaultdict(set)
    for r in sample:
        households[(r["surname"], r["address"], r["postcode"])].add(
            (r["forenames"], r["dob"], r["vrm"].replace(" ", ""))
        )
    lookalikes = 0
    for members in households.values():
        for a in members:
            for b in members:
                same_car = a[2] and a[2] == b[2]
                if a[0] != b[0] and a[1] != b[1] and same_car:
                    lookalikes += 1
    assert lookalikes >= 10


def test_deterministic_for_a_seed_and_different_for_another() -> None:
    """The same seed and day give identical rows (a shorter run being a prefix of a longer
    one); another seed gives different rows."""
    first = list(generate_records(2000, seed=3, today=TODAY))
    assert first == list(generate_records(2000, seed=3, today=TODAY))
    assert first[:500] == list(generate_records(500, seed=3, today=TODAY))
    other = list(generate_records(2000, seed=4, today=TODAY))
    assert other != first
    same_place = sum(a["reference"] == b["reference"] for a, b in zip(first, other, strict=True))
    assert same_place < 20


def test_dates_follow_the_given_today() -> None:
    """Moving `today` moves every date with it: nothing is read from the clock."""
    later = datetime.date(2030, 6, 15)
    for row in generate_records(1000, seed=1, today=later):
        assert _date(row["status_date"]) <= later
        assert _date(row["offence_date"]) > later - datetime.timedelta(days=800)


def test_csv_round_trips_through_dictreader(tmp_path: Path) -> None:
    """The CSV has exactly RECORD_COLUMNS as header and reads back to the generated rows."""
    path = tmp_path / "records.csv"
    assert write_records_csv(path, 1500, seed=5, today=TODAY) == 1500
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == list(RECORD_COLUMNS)
        read_back = list(reader)
    assert read_back == list(generate_records(1500, seed=5, today=TODAY))


def test_jsonl_round_trips(tmp_path: Path) -> None:
    """JSON Lines holds one object per line with the same keys and values as the rows."""
    path = tmp_path / "records.jsonl"
    assert write_records_jsonl(path, 800, seed=5, today=TODAY) == 800
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(generate_records(800, seed=5, today=TODAY))


def test_zero_rows_and_negative_count(tmp_path: Path) -> None:
    """Zero rows writes just the header; a negative count is refused at once."""
    path = tmp_path / "empty.csv"
    assert write_records_csv(path, 0, today=TODAY) == 0
    assert path.read_text(encoding="utf-8").splitlines() == [",".join(RECORD_COLUMNS)]
    with pytest.raises(ValueError, match="negative"):
        generate_records(-1, today=TODAY)
