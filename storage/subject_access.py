"""Subject access: everything logged about one person, for a data protection request.

A person is found by what the office holds about them: the address they write from,
and the records that name them (by that address on file, or by surname and date of birth
together, never by a surname alone). The export is what a supervisor checks and sends;
it is built here and audited with its counts, never with its contents.

Only the subject's own data goes in (UK GDPR Article 15(4): the right of access must not
adversely affect the rights of others; Data Protection Act 2018 Schedule 2 paragraph 16
on third parties' information). A contact about the subject's record is theirs when it
came from or went to an address of theirs (the one they give, or one on their records),
or when its reply verified the writer as the record's subject. Anything else about their
records (a neighbour's question, an insurer's letter, the reply sent to them) is someone
else's data: it is not exported, only listed by id and date for a supervisor to review.
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
    "party_key",
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
class ForReview:
    """An entry about the subject's records that holds someone else's data: named by id
    and date only, for a supervisor to decide on (redact, or ask the other person)."""

    contact_id: int
    received_at: datetime
    channel: str
    direction: str
    record_id: int | None
    replies: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SubjectAccessExport:
    records: tuple[dict[str, Any], ...]
    contacts: tuple[dict[str, Any], ...]
    drafts: tuple[dict[str, Any], ...]
    for_review: tuple[ForReview, ...] = ()

    def as_json(self, *, made_at: datetime) -> dict[str, Any]:
        return {
            "made_at": made_at.isoformat(),
            "records": [_plain(r) for r in self.records],
            "contacts": [_plain(c) for c in self.contacts],
            "replies": [_plain(d) for d in self.drafts],
        }

    def review_json(self) -> list[dict[str, Any]]:
        """The entries held back, for the supervisor's own file (not for the subject)."""
        return [
            {
                "contact_id": e.contact_id,
                "received_at": e.received_at.isoformat(),
                "channel": e.channel,
                "direction": e.direction,
                "record_id": e.record_id,
                "reply_ids": list(e.replies),
            }
            for e in self.for_review
        ]


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
                select(*(_D.c[n] for n in _DRAFT_FIELDS), _D.c.verified, _D.c.record_id)
                .where(_D.c.contact_id.in_(select(chosen.c.id)))
                .order_by(_D.c.id)
            )
        ]
    # The subject's addresses: the one they gave and those on their records.
    addresses = [person.email, *(r["email"] for r in records)]
    own_keys = {email_key(a) for a in addresses if a}
    verified = {
        d["contact_id"] for d in drafts if d["verified"] and d["record_id"] in set(record_ids)
    }
    mine = [c for c in contacts if c["party_key"] in own_keys or c["id"] in verified]
    mine_ids = {c["id"] for c in mine}
    others = [c for c in contacts if c["id"] not in mine_ids]
    review = tuple(
        ForReview(
            contact_id=c["id"],
            received_at=c["received_at"],
            channel=str(c["channel"]),
            direction=str(c["direction"]),
            record_id=c["record_id"],
            replies=tuple(d["id"] for d in drafts if d["contact_id"] == c["id"]),
        )
        for c in others
    )
    return SubjectAccessExport(
        tuple(records),
        tuple({k: v for k, v in c.items() if k != "party_key"} for c in mine),
        tuple(
            {k: v for k, v in d.items() if k in _DRAFT_FIELDS}
            for d in drafts
            if d["contact_id"] in mine_ids
        ),
        review,
    )


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
                "held_for_review": len(export.for_review),
            },
        )
