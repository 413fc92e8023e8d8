"""Finding contacts for a clerk: by reference, plate, name or email address, and the whole
contact history of one person or one record.

Two routes, merged. Identifiers go through the records' indexed keys, forgiving one
wrong, missing, extra or swapped character (a plate read off a blurred photo), and bring
the contacts about the records found. Words go through the full-text index over the
contacts themselves (FTS5 on SQLite, a `to_tsvector` GIN index on PostgreSQL; both built
by migration 0004). Newest first, because a clerk looks for what is going on now.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, Table, and_, bindparam, func, or_, select, text, union

from lookup.keys import email_key, fold_key, name_key, plate_key, reference_blocks, reference_key
from lookup.score import one_edit_matches
from storage.errors import translated
from storage.tables import Contact, Draft, Record

_C: Table = Contact.__table__  # type: ignore[attr-defined]
_D: Table = Draft.__table__  # type: ignore[attr-defined]
_R: Table = Record.__table__  # type: ignore[attr-defined]

# The expression PostgreSQL's GIN index is built on (migration 0004); a query must repeat
# it exactly for the index to be used.
# Dots and @ become spaces, so that an address is indexed as its words, as FTS5 does on
# SQLite: "writer1" finds writer1@example.org on both.
PG_DOCUMENT = "translate(coalesce(subject, '') || ' ' || party || ' ' || text, '@.', '  ')"

# Characters a folded key can hold: OCR look-alike letters are already digits.
_FOLDED_ALPHABET = "0123456789ACDEFGHJKMNPQRTUVWXY"

# Records taken from one identifier; more says the query was too vague to list them.
RECORDS_PER_KEY = 20
# Rows read from a reference block before the one-edit check narrows them.
PER_BLOCK = 2000

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+")


@dataclass(frozen=True, slots=True)
class FoundRecord:
    id: int
    kind: str
    reference: str
    vrm: str | None
    surname: str | None
    forenames: str | None
    status: str | None
    how: str  # why it was found, for the clerk: "plate, one character different"


@dataclass(frozen=True, slots=True)
class ContactHit:
    id: int
    channel: str
    direction: str
    party: str
    subject: str | None
    text: str
    received_at: datetime
    record_id: int | None
    record_kind: str | None
    record_reference: str | None
    flag: str | None


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    records: tuple[FoundRecord, ...]
    contacts: tuple[ContactHit, ...]


def one_edit_neighbours(key: str) -> set[str]:
    """Every folded key one edit away from `key`: a character changed, dropped, added, or
    two neighbours swapped. For plate-sized keys that is a few hundred strings, which an
    index answers as one IN list, where a fuzzy scan would read every record."""
    out = {key}
    for i in range(len(key)):
        out.add(key[:i] + key[i + 1 :])
        for ch in _FOLDED_ALPHABET:
            out.add(key[:i] + ch + key[i + 1 :])
        if i + 1 < len(key):
            out.add(key[:i] + key[i + 1] + key[i] + key[i + 2 :])
    for i in range(len(key) + 1):
        for ch in _FOLDED_ALPHABET:
            out.add(key[:i] + ch + key[i:])
    out.discard("")
    return out


_HIT_COLUMNS = (
    _C.c.id,
    _C.c.channel,
    _C.c.direction,
    _C.c.party,
    _C.c.subject,
    _C.c.text,
    _C.c.received_at,
    _C.c.record_id,
    _R.c.kind.label("record_kind"),
    _R.c.reference.label("record_reference"),
    _C.c.flag,
)

_RECORD_COLUMNS = (
    _R.c.id,
    _R.c.kind,
    _R.c.reference,
    _R.c.vrm,
    _R.c.surname,
    _R.c.forenames,
    _R.c.status,
)


def search_contacts(engine: Engine, query: str, *, limit: int = 50) -> SearchResult:
    """Contacts matching `query` (a reference, plate, name, email address or words)."""
    query = " ".join(query.split())[:200]
    if not query:
        return SearchResult(query, (), ())
    with translated("search the contacts"), engine.connect() as conn:
        records = _find_records(conn, query)
        record_ids = [r.id for r in records]
        ids = set(_contacts_of_records(conn, record_ids, limit))
        email = _EMAIL.fullmatch(query)
        if email:
            ids.update(_contacts_of_party(conn, query, limit))
        ids.update(_full_text(conn, query, limit))
        contacts = _hits(conn, ids, limit)
    return SearchResult(query, tuple(records), tuple(contacts))


def person_history(engine: Engine, party: str, *, limit: int = 500) -> list[ContactHit]:
    """Every contact to or from one address or chat user, newest first."""
    with translated("read the history"), engine.connect() as conn:
        return _hits(conn, _contacts_of_party(conn, party, limit), limit)


def record_history(engine: Engine, record_id: int, *, limit: int = 500) -> list[ContactHit]:
    """Every contact about one record (logged against it, or drafted from it), newest first."""
    with translated("read the history"), engine.connect() as conn:
        return _hits(conn, _contacts_of_records(conn, [record_id], limit), limit)


def record_summary(engine: Engine, record_id: int) -> FoundRecord | None:
    with translated(f"read record {record_id}"), engine.connect() as conn:
        row = conn.execute(select(*_RECORD_COLUMNS).where(_R.c.id == record_id)).one_or_none()
    return FoundRecord(**row._mapping, how="") if row is not None else None


def find_record_by_reference(engine: Engine, reference: str, kind: str | None = None) -> list[int]:
    """Ids of records whose reference is exactly `reference` (any spacing or case)."""
    key = reference_key(reference)
    if not key:
        return []
    statement = select(_R.c.id).where(_R.c.ref_key == key)
    if kind:
        statement = statement.where(_R.c.kind == kind)
    with translated("find record"), engine.connect() as conn:
        return list(conn.execute(statement.limit(RECORDS_PER_KEY)).scalars())


def _find_records(conn: Connection, query: str) -> list[FoundRecord]:
    found: dict[int, FoundRecord] = {}

    def take(condition: object, how: str) -> None:
        rows = conn.execute(
            select(*_RECORD_COLUMNS).where(condition).limit(RECORDS_PER_KEY)  # type: ignore[arg-type]
        ).all()
        for row in rows:
            found.setdefault(row.id, FoundRecord(**row._mapping, how=how))

    if _EMAIL.fullmatch(query):
        take(_R.c.email_key == email_key(query), "email address on file")
        return list(found.values())

    key = reference_key(query)
    has_digit = any(ch.isdigit() for ch in key)
    if has_digit and 4 <= len(key) <= 24:
        folded = fold_key(key)
        head, tail = reference_blocks(folded)
        take(and_(_R.c.ref_head == head, _R.c.ref_fold == folded), "reference")
        if len(folded) >= 8:
            rows = conn.execute(
                select(_R.c.id, _R.c.ref_fold)
                .where(or_(_R.c.ref_head == head, _R.c.ref_tail == tail))
                .limit(PER_BLOCK)
            ).all()
            near = [rows[i][0] for i in one_edit_matches([folded], [r[1] for r in rows])]
            if near:
                take(_R.c.id.in_(near), "reference, one character different")
        plate = fold_key(plate_key(query))
        if 2 <= len(plate) <= 8:
            take(_R.c.vrm_fold == plate, "plate")
            if len(plate) >= 5:
                neighbours = sorted(one_edit_neighbours(plate) - {plate})
                take(
                    _R.c.vrm_fold.in_(bindparam("near", neighbours, expanding=True)),
                    "plate, one character different",
                )
        return list(found.values())

    words = [w for w in _WORD.findall(query) if not w.isdigit()]
    if 1 <= len(words) <= 3 and all(name_key(w) for w in words):
        surname = name_key(words[-1])
        condition = _R.c.surname_key == surname
        if len(words) > 1:
            condition = and_(
                condition, func.lower(_R.c.forenames).like(f"{words[0].lower()}%", escape="\\")
            )
        take(condition, "name on the record")
    return list(found.values())


def _contacts_of_records(conn: Connection, record_ids: Sequence[int], limit: int) -> list[int]:
    if not record_ids:
        return []
    logged = select(_C.c.id).where(_C.c.record_id.in_(record_ids))
    drafted = select(_D.c.contact_id.label("id")).where(_D.c.record_id.in_(record_ids))
    both = union(logged, drafted).subquery()
    return list(conn.execute(select(both.c.id).order_by(both.c.id.desc()).limit(limit)).scalars())


def _contacts_of_party(conn: Connection, party: str, limit: int) -> list[int]:
    return list(
        conn.execute(
            select(_C.c.id)
            .where(_C.c.party_key == email_key(party))
            .order_by(_C.c.id.desc())
            .limit(limit)
        ).scalars()
    )


def _full_text(conn: Connection, query: str, limit: int) -> list[int]:
    words = _WORD.findall(query)[:12]
    if not words:
        return []
    if conn.dialect.name == "sqlite":
        # Each word quoted: a clerk's input is never FTS5 syntax (no NEAR, no column:).
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        statement = text(
            "SELECT rowid FROM contact_fts WHERE contact_fts MATCH :match "
            "ORDER BY rowid DESC LIMIT :limit"
        )
        return list(conn.execute(statement, {"match": match, "limit": limit}).scalars())
    statement = text(
        f"SELECT id FROM contact WHERE to_tsvector('simple', {PG_DOCUMENT}) "  # noqa: S608
        "@@ plainto_tsquery('simple', :query) ORDER BY id DESC LIMIT :limit"
    )
    return list(conn.execute(statement, {"query": " ".join(words), "limit": limit}).scalars())


def _hits(conn: Connection, ids: Iterable[int], limit: int) -> list[ContactHit]:
    wanted = sorted(set(ids), reverse=True)[: limit * 2]
    if not wanted:
        return []
    statement = (
        select(*_HIT_COLUMNS)
        .select_from(_C.outerjoin(_R, _R.c.id == _C.c.record_id))
        .where(_C.c.id.in_(wanted))
        .order_by(_C.c.received_at.desc(), _C.c.id.desc())
        .limit(limit)
    )
    return [ContactHit(**row._mapping) for row in conn.execute(statement)]


@dataclass(frozen=True, slots=True)
class ContactDetail:
    id: int
    channel: str
    direction: str
    party: str
    subject: str | None
    text: str
    quoted_text: str | None
    received_at: datetime
    record_id: int | None
    thread_key: str | None
    flag: str | None
    flag_reason: str | None


def get_contact(engine: Engine, contact_id: int) -> ContactDetail | None:
    columns = tuple(_C.c[name] for name in ContactDetail.__dataclass_fields__)
    with translated(f"read contact {contact_id}"), engine.connect() as conn:
        row = conn.execute(select(*columns).where(_C.c.id == contact_id)).one_or_none()
    return ContactDetail(**row._mapping) if row is not None else None


def count_party_contacts(engine: Engine, party: str) -> int:
    with translated("count contacts"), engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).where(_C.c.party_key == email_key(party))
            ).scalar_one()
        )


def drafts_of_contact(engine: Engine, contact_id: int) -> list[tuple[int, str]]:
    """(id, state) of the drafts written for one contact, oldest first."""
    with translated("read drafts"), engine.connect() as conn:
        rows = conn.execute(
            select(_D.c.id, _D.c.state).where(_D.c.contact_id == contact_id).order_by(_D.c.id)
        ).all()
    return [(int(row.id), str(row.state)) for row in rows]
