"""Validating one raw records row into the values stored for it.

A row is either accepted whole or rejected whole with a reason a clerk can act on
("dob: '31/02/2026' is not a date in the form YYYY-MM-DD"). Half a row is never stored:
a record with a silently dropped date of birth would verify people differently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from lookup.errors import EnquiryDeskError
from lookup.keys import (
    email_key,
    fold_key,
    name_code,
    name_key,
    plate_key,
    postcode_key,
    reference_blocks,
    reference_key,
)
from lookup.vocabulary import KINDS, RECORD_COLUMNS, is_known_status
from storage.record_files import BadRow, ReadItem

_STATUS = RECORD_COLUMNS.index("status")
DATE_COLUMNS = ("status_date", "offence_date", "dob", "due_date", "hearing_date")
# Longest accepted text per column. The indexed ones matter most: PostgreSQL refuses a
# B-tree index entry over about 2,700 bytes, which failed the whole batch of 10,000 rows
# around one overlong value; checked here, only that row is rejected, by line and column.
_LIMITS = {
    "reference": 64,
    "status": 64,
    "offence_code": 32,
    "vrm": 32,
    "postcode": 16,
    "phone": 64,
    "urn": 32,
    "officer": 32,
    "surname": 200,  # indexed (surname_key, with dob)
    "forenames": 200,
    "email": 320,  # indexed (email_key); RFC 5321's longest path
    "court": 500,
    "location": 2000,
    "offence": 4000,
    "address": 4000,
    "outcome": 4000,
}


class RowRejected(EnquiryDeskError):
    """A row failed validation; `reason` says which field and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# The stored columns each contract column fills (contracts.md, section 1): a column absent
# from a file leaves all of its stored columns as they are. `kind` and `reference` are
# required, so their stored columns are always given.
STORED_COLUMNS: dict[str, tuple[str, ...]] = {
    column: (column,) for column in RECORD_COLUMNS if column not in ("kind", "reference")
} | {
    "status": ("status", "status_known"),
    "vrm": ("vrm", "vrm_key", "vrm_fold"),
    "surname": ("surname", "surname_key", "surname_code"),
    "forenames": ("forenames", "forename_code"),
    "postcode": ("postcode", "postcode_key"),
    "email": ("email", "email_key"),
    "amount": ("amount_pence",),
    "updated_at": ("source_updated_at",),
}


@dataclass(frozen=True, slots=True)
class ValidRow:
    """A validated row: the column values to store and what the importer needs to know.

    `values` holds only what the row gives: for a row that lacks some of the contract's
    columns (a status-only export), `partial` is true and the stored values of the absent
    columns must be left as they are. `content_hash` fingerprints what the row said; it is
    comparable with a stored row's only when the row is whole.
    """

    kind: str
    ref_key: str
    status: str | None
    status_known: bool
    content_hash: str
    values: dict[str, Any]
    partial: bool = False


Validated = tuple[int, ValidRow] | BadRow


def validate_items(rows: Iterable[ReadItem]) -> Iterator[Validated]:
    """Each read row validated: `(line, ValidRow)`, or a `BadRow` saying why not."""
    for item in rows:
        if isinstance(item, BadRow):
            yield item
            continue
        try:
            yield item.line, validate_row(item.fields)
        except RowRejected as exc:
            yield BadRow(item.line, exc.reason)


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


def validate_row(fields: dict[str, str | None]) -> ValidRow:
    """Check one row and compute its stored values, or raise `RowRejected`."""
    # This runs a million times per large import: one pass to trimmed text, then work
    # only on the columns that need it.
    get = fields.get
    texts = [(get(column) or "").strip() for column in RECORD_COLUMNS]
    kind = texts[0] = texts[0].lower()
    if not kind:
        raise RowRejected("kind is empty")
    if kind not in KINDS:
        raise RowRejected(f"kind: {kind!r} is not a known record kind")
    reference = texts[1]
    if not reference:
        raise RowRejected("reference is empty")
    ref_key = reference_key(reference)
    if not ref_key:
        raise RowRejected(f"reference: {reference!r} has no letters or digits")
    texts[_STATUS] = texts[_STATUS].lower()
    status = texts[_STATUS] or None

    values: dict[str, Any] = {
        column: text or None for column, text in zip(RECORD_COLUMNS, texts, strict=True)
    }
    for column in DATE_COLUMNS:
        text = values[column]
        if text is not None:
            values[column] = _parse_date(column, text)
    for column, limit in _LIMITS.items():
        text = values[column]
        if text is not None and len(text) > limit:
            raise RowRejected(f"{column}: longer than {limit} characters")
    amount = values.pop("amount")
    values["amount_pence"] = None if amount is None else _parse_amount(amount)
    updated = values.pop("updated_at")
    values["source_updated_at"] = (
        None if updated is None else _parse_timestamp("updated_at", updated)
    )
    status_known = status is None or is_known_status(kind, status)
    values["status_known"] = status_known
    values["ref_key"] = ref_key
    ref_fold = fold_key(ref_key)
    values["ref_fold"] = ref_fold
    values["ref_head"], values["ref_tail"] = reference_blocks(ref_fold)

    vrm, surname, forenames, postcode, email = (
        values["vrm"],
        values["surname"],
        values["forenames"],
        values["postcode"],
        values["email"],
    )
    vrm_key = plate_key(vrm) or None if vrm else None
    values["vrm_key"] = vrm_key
    values["vrm_fold"] = fold_key(vrm_key) if vrm_key else None
    surname_key = name_key(surname) if surname else ""
    values["surname_key"] = surname_key or None
    values["surname_code"] = name_code(surname_key) or None
    first = forenames.split()[:1] if forenames else ()
    values["forename_code"] = name_code(name_key(first[0])) or None if first else None
    values["postcode_key"] = postcode_key(postcode) or None if postcode else None
    values["email_key"] = email_key(email) or None if email else None

    # Columns the contract does not name are reported by the reader and their values
    # ignored (contracts.md, section 1), so they are neither stored nor fingerprinted.
    absent = [column for column in STORED_COLUMNS if column not in fields]
    if absent:
        for column in absent:
            for stored in STORED_COLUMNS[column]:
                del values[stored]
        # An absent column is not an empty one: mark it so the fingerprints differ.
        for column in absent:
            texts[RECORD_COLUMNS.index(column)] = "\x00"

    # The fingerprint of everything the source said, to tell an unchanged row cheaply.
    digest = hashlib.blake2b("\x1f".join(texts).encode(), digest_size=16).hexdigest()

    return ValidRow(
        kind=kind,
        ref_key=ref_key,
        status=status,
        status_known=status_known,
        content_hash=digest,
        values=values,
        partial=bool(absent),
    )
