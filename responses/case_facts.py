"""The facts of one record that a reply may show, as a value the templates read.

Only display fields: never the date of birth, address, email or phone on file, so a
template cannot print them whatever a clerk writes into it. `of_record` takes a stored
record's details (`lookup.RecordDetails`, as `storage.record_details` reads them);
`from_columns` reads the contract's text columns (section 1) for callers that hold a
row as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation

from lookup.records import RecordDetails
from responses.errors import FactsError

__all__ = ["CaseFacts"]


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What a reply may say about a record. None means the record does not say."""

    kind: str
    reference: str
    status: str | None = None
    status_date: date | None = None
    offence_date: date | None = None
    offence_code: str | None = None
    offence: str | None = None
    location: str | None = None
    vrm: str | None = None
    surname: str | None = None
    forenames: str | None = None
    amount_pence: int | None = None
    due_date: date | None = None
    court: str | None = None
    hearing_date: date | None = None
    urn: str | None = None
    officer: str | None = None
    outcome: str | None = None

    @classmethod
    def of_record(cls, record: RecordDetails) -> CaseFacts:
        """The reply-facing part of a stored record: its display fields, by name."""
        # Written out, not copied by field name, so that mypy checks every type.
        return cls(
            kind=record.kind,
            reference=record.reference,
            status=record.status,
            status_date=record.status_date,
            offence_date=record.offence_date,
            offence_code=record.offence_code,
            offence=record.offence,
            location=record.location,
            vrm=record.vrm,
            surname=record.surname,
            forenames=record.forenames,
            amount_pence=record.amount_pence,
            due_date=record.due_date,
            court=record.court,
            hearing_date=record.hearing_date,
            urn=record.urn,
            officer=record.officer,
            outcome=record.outcome,
        )

    @classmethod
    def from_columns(cls, columns: Mapping[str, str | None]) -> CaseFacts:
        """Read the contract's columns (all text, empty meaning unknown).

        `amount` is in pounds ("100", "62.50") and becomes `amount_pence`; dates are ISO
        8601. Columns that are not display fields (dob, address, email...) are ignored.
        """
        values: dict[str, object] = {}
        for field in fields(cls):
            column = "amount" if field.name == "amount_pence" else field.name
            raw = (columns.get(column) or "").strip()
            if not raw:
                continue
            if field.name == "amount_pence":
                values[field.name] = _pence(raw)
            elif field.name.endswith("_date"):
                values[field.name] = _iso_date(column, raw)
            else:
                values[field.name] = raw
        if "kind" not in values or "reference" not in values:
            raise FactsError("kind" if "kind" not in values else "reference", "")
        return cls(**values)  # type: ignore[arg-type]


def _pence(raw: str) -> int:
    try:
        pounds = Decimal(raw.replace("£", "").replace(",", ""))
    except InvalidOperation as exc:
        raise FactsError("amount", raw) from exc
    if not pounds.is_finite():
        raise FactsError("amount", raw)
    return int((pounds * 100).to_integral_value())


def _iso_date(column: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw[:10])
    except ValueError as exc:
        raise FactsError(column, raw) from exc
