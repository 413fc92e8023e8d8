"""Validating one raw records row into the values stored for it.

A row is either accepted whole or rejected whole with a reason a clerk can act on
("dob: '31/02/2026' is not a date in the form YYYY-MM-DD"). Half a row is never stored:
a record with a silently dropped date of birth would verify people differently.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from lookup.errors import EnquiryDeskError
from lookup.keys import email_key, name_key, plate_key, postcode_key, reference_key
from lookup.vocabulary import KINDS, is_known_status

# The contract's columns (section 1) in its order.
CONTRACT_COLUMNS = (
    "kind",
    "reference",
    "status",
    "status_date",
    "offence_date",
    "offence_code",
    "offence",
    "location",
    "vrm",
    "surname",
    "forenames",
    "dob",
    "postcode",
    "address",
    "email",
    "phone",
    "amount",
    "due_date",
    "court",
    "hearing_date",
    "urn",
    "officer",
    "outcome",
    "updated_at",
)
_KNOWN = frozenset(CONTRACT_COLUMNS)
DATE_COLUMNS = ("status_date", "offence_date", "dob", "due_date", "hearing_date")
# Plain text columns stored as given (trimmed).
TEXT_COLUMNS = tuple(
    c
    for c in CONTRACT_COLUMNS
    if c not in DATE_COLUMNS and c not in ("kind", "reference", "amount", "updated_at")
)
_LIMITS = {
    "reference": 64,
    "status": 64,
    "offence_code": 32,
    "vrm": 32,
    "postcode": 16,
    "phone": 64,
    "urn": 32,
    "officer": 32,
}


class RowRejected(EnquiryDeskError):
    """A row failed validation; `reason` says which field and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ValidRow:
    """A validated row: the column values to store and what the importer needs to know."""

    kind: str
    ref_key: str
    status: str | None
    status_known: bool
    content_hash: str
    values: dict[str, Any]


def _parse_date(column: str, text: str) -> date:
    # The value itself is not echoed: a date of birth is personal data, and reasons end
    # up in terminals and cron mail.
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        raise RowRejected(f"{column}: not a real date (day or month out of range)")
    if "/" in text or "." in text:
        raise RowRejected(f"{column}: written day-first; the import needs YYYY-MM-DD")
    raise RowRejected(f"{column}: not a date in the form YYYY-MM-DD")


def _parse_timestamp(column: str, text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise RowRejected(
            f"{column}: {text!r} is not an ISO 8601 date and time (2026-11-01T09:00:00Z)"
        ) from None
    # A time without a zone in a source export is taken as UTC, the exports' convention.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _parse_amount(text: str) -> int:
    cleaned = text.replace("£", "").replace(",", "").strip()
    try:
        pounds = Decimal(cleaned)
    except InvalidOperation:
        raise RowRejected(f"amount: {text!r} is not an amount in pounds") from None
    pence = pounds * 100
    if not pounds.is_finite() or pence != pence.to_integral_value() or pounds < 0:
        raise RowRejected(f"amount: {text!r} is not an amount in pounds and pence")
    return int(pence)


def _clean(fields: dict[str, str | None], column: str) -> str | None:
    value = fields.get(column)
    if value is None:
        return None
    value = value.strip()
    return value or None


def validate_row(fields: dict[str, str | None]) -> ValidRow:
    """Check one row and compute its stored values, or raise `RowRejected`."""
    kind = (_clean(fields, "kind") or "").lower()
    if not kind:
        raise RowRejected("kind is empty")
    if kind not in KINDS:
        raise RowRejected(f"kind: {kind!r} is not a known record kind")
    reference = _clean(fields, "reference")
    if reference is None:
        raise RowRejected("reference is empty")
    ref_key = reference_key(reference)
    if not ref_key:
        raise RowRejected(f"reference: {reference!r} has no letters or digits")

    values: dict[str, Any] = {"kind": kind, "reference": reference, "ref_key": ref_key}
    for column in TEXT_COLUMNS:
        values[column] = _clean(fields, column)
    for column in DATE_COLUMNS:
        text = _clean(fields, column)
        values[column] = None if text is None else _parse_date(column, text)
    for column, limit in _LIMITS.items():
        text = values[column]
        if text is not None and len(text) > limit:
            raise RowRejected(f"{column}: longer than {limit} characters")
    amount = _clean(fields, "amount")
    values["amount_pence"] = None if amount is None else _parse_amount(amount)
    updated = _clean(fields, "updated_at")
    values["source_updated_at"] = (
        None if updated is None else _parse_timestamp("updated_at", updated)
    )

    status = values["status"]
    if status is not None:
        status = status.lower()
        values["status"] = status
    values["status_known"] = status is None or is_known_status(kind, status)

    extra = {k: v.strip() for k, v in fields.items() if k not in _KNOWN and v and v.strip()}
    values["extra"] = extra or None

    values["vrm_key"] = _key_or_none(plate_key, values["vrm"])
    values["surname_key"] = _key_or_none(name_key, values["surname"])
    values["postcode_key"] = _key_or_none(postcode_key, values["postcode"])
    values["email_key"] = _key_or_none(email_key, values["email"])

    return ValidRow(
        kind=kind,
        ref_key=ref_key,
        status=status,
        status_known=values["status_known"],
        content_hash=_content_hash(values),
        values=values,
    )


def _key_or_none(fn: Any, value: str | None) -> str | None:
    if value is None:
        return None
    return fn(value) or None


def _content_hash(values: dict[str, Any]) -> str:
    """A fingerprint of everything the source said, to tell an unchanged row cheaply."""
    parts = [
        "" if values.get(c) is None else str(values[c])
        for c in (*CONTRACT_COLUMNS, "amount_pence", "source_updated_at")
        if c not in ("amount", "updated_at")
    ]
    if values["extra"]:
        parts.append(json.dumps(values["extra"], sort_keys=True))
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
