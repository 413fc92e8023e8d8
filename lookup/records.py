"""What the matcher sees of a stored record: a plain value, no database attached."""

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
