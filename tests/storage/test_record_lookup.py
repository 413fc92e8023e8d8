"""Candidate look-up through indexed keys, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Engine

from bot.matching import Matcher, decision_json
from lookup.evidence import BlockingKeys
from storage.record_lookup import find_candidates, records_by_id
from storage.records_import import import_file
from tests.conftest import DATA


def _loaded(engine: Engine) -> Engine:
    import_file(engine, DATA / "records.csv")
    return engine


def test_each_key_finds_its_record_with_typed_dates(engine: Engine) -> None:
    """Plate, surname with date of birth, postcode and a one-edit reference each reach the
    record, and dates come back as dates on both databases."""
    _loaded(engine)
    found, _ = find_candidates(engine, BlockingKeys(vrm_folds=frozenset({"0D811H1"})))
    assert any(r.vrm_key == "OD81IHI" for r in found)
    sample = found[0]
    assert isinstance(sample.dob, date | None)
    assert isinstance(sample.offence_date, date)
    if sample.surname_key and sample.dob:
        by_person, frequency = find_candidates(
            engine,
            BlockingKeys(
                surname_dobs=frozenset({(sample.surname_key, sample.dob)}),
                surnames=frozenset({sample.surname_key}),
            ),
        )
        assert sample.id in {r.id for r in by_person}
        assert frequency[sample.surname_key] >= 1


def test_sample_decisions_are_the_same_on_both_databases(engine: Engine) -> None:
    """The first 60 sample enquiries get the labelled record (or none) on this database."""
    matcher = Matcher(_loaded(engine), today=lambda: date(2026, 11, 23))
    enquiries = [json.loads(x) for x in (DATA / "enquiries.jsonl").read_text().splitlines()[:60]]
    truth = {t["id"]: t for t in map(json.loads, (DATA / "truth.jsonl").read_text().splitlines())}
    right = 0
    for e in enquiries:
        got = decision_json(
            e["id"],
            matcher.match(
                e["text"], sender=e["sender"], channel=e["channel"], subject=e["subject"]
            ),
        )
        expected = truth[e["id"]]
        if got["verified"]:
            assert got["reference"] in expected["acceptable"], e["id"]
        right += got["reference"] in (expected["acceptable"] or [None])
    assert right >= 50


def test_records_by_id_reads_only_those_asked_for(engine: Engine) -> None:
    """A clerk's re-match reads the chosen records and no others."""
    _loaded(engine)
    found, _ = find_candidates(engine, BlockingKeys(vrm_folds=frozenset({"0D811H1"})))
    chosen, _ = records_by_id(engine, [found[0].id], surnames=())
    assert [r.id for r in chosen] == [found[0].id]
    assert records_by_id(engine, [], surnames=()) == ([], {})
