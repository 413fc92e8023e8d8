"""Stored records as plain values, no database attached: what the matcher compares
(`RecordView`) and what the desk and the replies show (`RecordDetails`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class RecordView:
    """The fields of one record that matching, verification and replies use."""

    id: int
    kind: str
    reference: str
    ref_key: str
    ref_fold: str
    status: str | None
    surname_key: str | None
    forenames: str | None
    dob: date | None
    postcode_key: str | None
    vrm_key: str | None
    vrm_fold: str | None
    email_key: str | None
    offence_date: date | None


@dataclass(frozen=True, slots=True)
class RecordDetails:
    """A stored record's display fields (the contract's columns, section 1), read by id:
    what the desk shows a clerk and what replies are written from (`responses.CaseFacts`).

    Typed as the import keeps them: dates as dates, the amount in pence. It holds the
    subject's date of birth, postcode and email on file for the clerk; `CaseFacts` is the
    part a reply may print, and leaves those out.
    """

    id: int
    kind: str
    reference: str
    status: str | None = None
    status_known: bool = True
    status_date: date | None = None
    offence_date: date | None = None
    offence_code: str | None = None
    offence: str | None = None
    location: str | None = None
    vrm: str | None = None
    surname: str | None = None
    forenames: str | None = None
    dob: date | None = None
    postcode: str | None = None
    email: str | None = None
    amount_pence: int | None = None
    due_date: date | None = None
    court: str | None = None
    hearing_date: date | None = None
    urn: str | None = None
    officer: str | None = None
    outcome: str | None = None
