"""Case facts from the contract's text columns, and the labels letters use."""

from __future__ import annotations

from datetime import date

import pytest

from lookup.records import RecordDetails
from lookup.vocabulary import KIND_STATUSES
from responses.case_facts import CaseFacts
from responses.errors import FactsError
from responses.labels import KIND_LABELS, STATUS_LABELS, kind_label, status_label


def test_of_record_keeps_the_display_fields_and_drops_the_personal_ones() -> None:
    """A stored record's details become facts field for field; its date of birth,
    postcode and email on file do not reach a reply."""
    record = RecordDetails(
        id=4,
        kind="court_case",
        reference="URN-42",
        status="listed",
        status_known=True,
        status_date=date(2026, 10, 1),
        amount_pence=10_000,
        court="Leeds Magistrates' Court",
        hearing_date=date(2026, 12, 14),
        surname="Graham",
        forenames="Anne",
        dob=date(1958, 3, 12),
        postcode="LS1 4AB",
        email="anne@example.org",
    )
    facts = CaseFacts.of_record(record)
    assert facts == CaseFacts(
        kind="court_case",
        reference="URN-42",
        status="listed",
        status_date=date(2026, 10, 1),
        amount_pence=10_000,
        court="Leeds Magistrates' Court",
        hearing_date=date(2026, 12, 14),
        surname="Graham",
        forenames="Anne",
    )
    assert not {"dob", "postcode", "email"} & set(CaseFacts.__dataclass_fields__)


def test_from_columns_reads_the_contract_row() -> None:
    """Amounts in pounds become pence, ISO dates become dates, empty means unknown."""
    facts = CaseFacts.from_columns(
        {
            "kind": "fpn",
            "reference": "3462166202",
            "status": "awaiting_licence",
            "status_date": "2026-08-18",
            "amount": "62.50",
            "due_date": "2026-07-22",
            "hearing_date": "",
            "court": None,
            "dob": "1955-04-10",
            "email": "someone@example.org",
            "updated_at": "2026-11-01T09:00:00Z",
        }
    )
    assert facts == CaseFacts(
        kind="fpn",
        reference="3462166202",
        status="awaiting_licence",
        status_date=date(2026, 8, 18),
        amount_pence=6250,
        due_date=date(2026, 7, 22),
    )


@pytest.mark.parametrize(
    ("columns", "bad"),
    [
        ({"kind": "fpn", "reference": "1", "amount": "a hundred"}, "amount"),
        ({"kind": "fpn", "reference": "1", "due_date": "22/07/2026"}, "due_date"),
        ({"kind": "fpn"}, "reference"),
    ],
)
def test_from_columns_rejects_bad_values(columns: dict[str, str], bad: str) -> None:
    """A malformed amount or date, or a missing reference, names the column."""
    with pytest.raises(FactsError) as caught:
        CaseFacts.from_columns(columns)
    assert caught.value.column == bad


def test_case_facts_hold_no_contact_or_birth_details() -> None:
    """The value a template sees has no field for date of birth, address, email or phone."""
    names = set(CaseFacts.__dataclass_fields__)
    assert not names & {"dob", "address", "postcode", "email", "phone"}


def test_every_kind_and_status_of_the_contract_has_a_label() -> None:
    """Letters never fall back to a raw code for anything in the vocabulary."""
    assert set(KIND_LABELS) == set(KIND_STATUSES)
    for statuses in KIND_STATUSES.values():
        assert statuses <= set(STATUS_LABELS)
    assert kind_label("parking_ticket") == "parking ticket"
    assert status_label("on_hold") == "on hold"
    assert status_label(None) == "not recorded"
