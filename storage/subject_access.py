"""Subject access: everything logged about one person, for a data protection request.

A person is found by what the office holds about them: the address they write from,
and the records that name them (by that address on file, or by surname and date of birth
together, never by a surname alone). The export is what a supervisor checks and sends;
it is built here and audited with its counts, never with its contents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Table, and_, or_, select, union

from lookup.keys import email_key, name_key
from storage.audit import audit
from storage.errors import StorageError, translated
from storage.record_details import DETAIL_COLUMNS
from storage.tables import Contact, Draft, Record

_C: Table = Contact.__table__  # type: ignore[attr-defined]
_D: Table = Draft.__table__  # type: ignore[attr-defined]
_R: Table = Record.__table__  # type: ignore[attr-defined]

_CONTACT_FIELDS = (
    "id",
    "channel",
    "direction",
    "party",
    "subject",
    "text",
    "quoted_text",
    "received_at",
    "record_id",
    "flag",
    "flag_reason",
)
_DRAFT_FIELDS = (
    "id",
    "contact_id",
    "state",
    "subject",
    "body",
    "recipient",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True, slots=True)
class Person:
    email: str | None = None
    surname: str | None = None
    dob: date | None = None

    def usable(self) -> bool:
        return bool(self.email) or bool(self.surname and self.dob)


@dataclass(frozen=True, slots=True)
class SubjectAccessExport:
    records: tuple[dict[str, Any], ...]
    contacts: tuple[dict[str, Any], ...]
    drafts: tuple[dict[str, Any], ...]

    def as_json(self, *, made_at: datetime) -> dict[str, Any]:
        return {
            "made_at": made_at.isoformat(),
            "records": [_plain(r) for r in self.records],
            "contacts": [_plain(c) for c in self.contacts],
            "replies": [_plain(d) for d in self.drafts],
        }


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row.items()}


def _record_condition(person: Person) -> ColumnElement[bool] | None:
    parts: list[ColumnElement[bool]] = []
    if person.email:
        parts.append(_R.c.email_key == email_key(person.email))
    if person.surname and person.dob:
        parts.append(and_(_R.c.surname_key == name_key(person.surname), _R.c.dob == person.dob))
    return or_(*parts) if parts else None


def gather(engine: Engine, person: Person) -> SubjectAccessExport:
    if not person.usable():
        raise StorageError("give an email address, or a surname with a date of birth")
    condition = _record_condition(person)
    with translated("gather the export"), engine.connect() as conn:
        records = (
            [
                dict(row._mapping)
                for row in conn.execute(select(*(_R.c[n] for n in DETAIL_COLUMNS)).where(condition))
            ]
            if condition is not None
            else []
        )
        record_ids = [r["id"] for r in records]
        sources = []
        if person.email:
            sources.append(select(_C.c.id).where(_C.c.party_key == email_key(person.email)))
        if record_ids:
            sources.append(select(_C.c.id).where(_C.c.record_id.in_(record_ids)))
            sources.append(
                select(_D.c.contact_id.label("id")).where(_D.c.record_id.in_(record_ids))
            )
        if not sources:
            return SubjectAccessExport(tuple(records), (), ())
        chosen = union(*sources).subquery()
        contacts = [
            dict(row._mapping)
            for row in conn.execute(
                select(*(_C.c[n] for n in _CONTACT_FIELDS))
                .where(_C.c.id.in_(select(chosen.c.id)))
                .order_by(_C.c.received_at, _C.c.id)
            )
        ]
        drafts = [
            dict(row._mapping)
            for row in conn.execute(
                select(*(_D.c[n] for n in _DRAFT_FIELDS))
                .where(_D.c.contact_id.in_(select(chosen.c.id)))
                .order_by(_D.c.id)
            )
        ]
    return SubjectAccessExport(tuple(records), tuple(contacts), tuple(drafts))


def note_export(engine: Engine, export: SubjectAccessExport, *, actor: str, now: datetime) -> None:
    """Audit that an export was made: by whom, when, and how much it held."""
    with translated("audit the export"), engine.begin() as conn:
        audit(
            conn,
            at=now,
            actor=actor,
            action="subject_access.exported",
            entity="contact",
            detail={
                "records": len(export.records),
                "contacts": len(export.contacts),
                "replies": len(export.drafts),
            },
        )
