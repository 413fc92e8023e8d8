"""Fetching candidate records through the indexed keys, never by scanning the table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, func, select

from lookup.evidence import BlockingKeys
from lookup.keys import reference_blocks
from lookup.records import RecordView
from lookup.score import one_edit_matches
from storage.errors import translated
from storage.tables import REF_END, Record

_R: Table = Record.__table__  # type: ignore[attr-defined]

# Rows taken from any one key; a key matching more than this says too little anyway.
PER_KEY = 50
# Beyond this many records a surname already has the lowest weight (lookup.score).
FREQUENCY_CAP = 1000
# Rows taken by name code and near dates of birth: a Soundex code is coarse, and near
# dates are many, so more fit than by one exact key.
PER_NAME = 200
# Rows taken by both names' codes whatever the date of birth: a common pair of names
# holds many people, and a date of birth that far off names none of them anyway.
PER_PAIR = 50
# Rows read from a reference block before the one-edit check narrows them.
PER_BLOCK = 2000

_VIEW = (
    _R.c.id,
    _R.c.kind,
    _R.c.reference,
    _R.c.ref_key,
    _R.c.ref_fold,
    _R.c.status,
    _R.c.surname_key,
    _R.c.forenames,
    _R.c.dob,
    _R.c.postcode_key,
    _R.c.vrm_key,
    _R.c.vrm_fold,
    _R.c.email_key,
    _R.c.offence_date,
)


def find_candidates(engine: Engine, keys: BlockingKeys) -> tuple[list[RecordView], dict[str, int]]:
    """Records sharing a blocking key with the enquiry, and how common their surnames are.

    Runs on the driver's own cursor with fixed SQL texts: building SQLAlchemy expressions
    for ten small indexed look-ups cost several times more than the look-ups themselves.
    """
    with translated("look up candidate records"), engine.connect() as conn:
        raw = RawLookup(conn)
        ids: set[int] = set()
        if keys.ref_folds:
            folds = tuple(keys.ref_folds)
            heads = tuple({reference_blocks(fold)[0] for fold in folds})
            sql = _by_folds(len(heads), len(folds))
            ids.update(raw.ids(sql, (*heads, *folds), PER_KEY * len(folds)))
        near: list[tuple[Any, ...]] = []
        for head, prefix, end in keys.ref_heads:
            near += raw.rows(
                BY_HEAD_PREFIX, (head, prefix, prefix + _ABOVE, prefix + "%"), PER_BLOCK
            )
            near += raw.rows(BY_HEAD_END, (head, end), PER_BLOCK)
        for tail in keys.ref_tails:
            near += raw.rows(_BY_TAIL, (tail,), PER_BLOCK)
        ids.update(near[i][0] for i in one_edit_matches(keys.near, [r[1] for r in near]))
        for plate in keys.vrm_folds:
            ids.update(raw.ids(_BY_PLATE, (plate,), PER_KEY))
        for surname, dob in keys.surname_dobs:
            ids.update(raw.ids(_BY_SURNAME_DOB, (surname, raw.day(dob)), PER_KEY))
        for dob in keys.dobs:
            ids.update(raw.ids(_BY_DOB, (raw.day(dob),), PER_KEY))
        if keys.name_codes and keys.near_dobs:
            codes = tuple(sorted(keys.name_codes))
            days = tuple(raw.day(d) for d in sorted(keys.near_dobs))
            for sql in (
                by_code_dob("surname_code", codes, days),
                by_code_dob("forename_code", codes, days),
            ):
                ids.update(raw.ids(sql, (*codes, *days), PER_NAME))
        years = {d.year for d in keys.dobs}
        for surname_code, forename_code in keys.name_pairs:
            for year in years:  # a birth year that is right narrows the pair a lot
                first, last = raw.day(date(year, 1, 1)), raw.day(date(year, 12, 31))
                ids.update(
                    raw.ids(_BY_PAIR_YEAR, (surname_code, forename_code, first, last), PER_PAIR)
                )
            ids.update(raw.ids(_BY_PAIR, (surname_code, forename_code), PER_PAIR))
        for postcode in keys.postcodes:
            ids.update(raw.ids(_BY_POSTCODE, (postcode,), PER_KEY))
        for address in keys.emails:
            ids.update(raw.ids(_BY_EMAIL, (address,), PER_KEY))
        if not ids:
            return [], {}
        records = raw.views(ids)
        # Only surnames the writer gave are weighed by how common they are.
        wanted = {r.surname_key for r in records if r.surname_key in keys.surnames}
        return records, {name: raw.surname_count(name) for name in wanted}


def by_code_dob(column: str, codes: tuple[str, ...], days: tuple[object, ...]) -> str:
    """Records whose name code (`column`) is one of `codes` and whose date of birth is
    one of `days`: probes of the (code, dob) index, one per pair."""
    return (
        f"SELECT id FROM record WHERE {column} IN ({', '.join('?' * len(codes))})"  # noqa: S608
        f" AND dob IN ({', '.join('?' * len(days))}) LIMIT ?"
    )


_BY_PAIR = "SELECT id FROM record WHERE surname_code = ? AND forename_code = ? LIMIT ?"
_BY_PAIR_YEAR = (
    "SELECT id FROM record WHERE surname_code = ? AND forename_code = ?"
    " AND dob >= ? AND dob <= ? LIMIT ?"
)
_BY_PLATE = "SELECT id FROM record WHERE vrm_fold = ? LIMIT ?"
_BY_SURNAME_DOB = "SELECT id FROM record WHERE surname_key = ? AND dob = ? LIMIT ?"
_BY_DOB = "SELECT id FROM record WHERE dob = ? LIMIT ?"
_BY_POSTCODE = "SELECT id FROM record WHERE postcode_key = ? LIMIT ?"
_BY_EMAIL = "SELECT id FROM record WHERE email_key = ? LIMIT ?"
_SURNAME_COUNT = (
    "SELECT count(*) FROM (SELECT id FROM record WHERE surname_key = ? LIMIT ?) AS capped"
)
_VIEW_NAMES = tuple(column.name for column in _VIEW)


def _by_folds(heads: int, folds: int) -> str:
    # A written reference and its neighbour-swapped forms in one statement: the index on
    # (ref_head, ref_fold) is probed for each pair, and as a reference's head is its first
    # characters, no pair finds a row that its own fold would not.
    return (
        "SELECT id FROM record"  # noqa: S608 - only placeholders go in; values are bound
        f" WHERE ref_head IN ({', '.join('?' * heads)})"
        f" AND ref_fold IN ({', '.join('?' * folds)}) LIMIT ?"
    )


# The near references behind a leading block, through the keys of
# lookup.keys.head_block_keys. Those with the prefix are a range of the (ref_head,
# ref_fold) index: folded references hold only 0-9 and A-Z, so every one starting with
# the prefix lies between it and the prefix followed by Zs, in byte order (SQLite) and
# in the usual collations (PostgreSQL); the LIKE keeps the range exact whatever the
# collation (and is case-blind on SQLite only, which cannot matter: all is upper case). Those with the end come from an index on (ref_head, that expression),
# which each database uses only for a query that repeats it exactly.
_ABOVE = "Z" * 64
BY_HEAD_PREFIX = (
    "SELECT id, ref_fold FROM record WHERE ref_head = ? AND ref_fold >= ? AND ref_fold <= ?"
    " AND ref_fold LIKE ? LIMIT ?"
)
BY_HEAD_END = f"SELECT id, ref_fold FROM record WHERE ref_head = ? AND {REF_END} = ? LIMIT ?"  # noqa: S608
_BY_TAIL = "SELECT id, ref_fold FROM record WHERE ref_tail = ? LIMIT ?"


class RawLookup:
    """Fixed SQL on the DB-API cursor under one SQLAlchemy connection.

    SQL is written with `?`; for psycopg it becomes `%s`. SQLite hands dates back as ISO
    text, PostgreSQL as dates; both come out as dates.
    """

    def __init__(self, conn: Connection) -> None:
        self._sqlite = conn.dialect.name == "sqlite"
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        self._cursor = dbapi.cursor()

    def run(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        if not self._sqlite:
            sql = sql.replace("?", "%s")
        self._cursor.execute(sql, params)
        return list(self._cursor.fetchall())

    def day(self, value: date) -> object:
        return value.isoformat() if self._sqlite else value

    def ids(self, sql: str, params: tuple[object, ...], limit: int) -> list[int]:
        return [row[0] for row in self.run(sql, (*params, limit))]

    def rows(self, sql: str, params: tuple[object, ...], limit: int) -> list[tuple[Any, ...]]:
        return self.run(sql, (*params, limit))

    def views(self, ids: set[int]) -> list[RecordView]:
        ordered = sorted(ids)
        marks = ", ".join("?" * len(ordered))
        sql = f"SELECT {', '.join(_VIEW_NAMES)} FROM record WHERE id IN ({marks})"  # noqa: S608
        views = []
        for row in self.run(sql, tuple(ordered)):
            values = dict(zip(_VIEW_NAMES, row, strict=True))
            values["dob"] = as_date(values["dob"])
            values["offence_date"] = as_date(values["offence_date"])
            views.append(RecordView(**values))
        return views

    def surname_count(self, name: str) -> int:
        return int(self.run(_SURNAME_COUNT, (name, FREQUENCY_CAP))[0][0])


def as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def records_by_id(
    engine: Engine, record_ids: Iterable[int], *, surnames: Iterable[str]
) -> tuple[list[RecordView], dict[str, int]]:
    """Records chosen by id (a clerk's re-match), with the frequency of given surnames."""
    wanted = sorted(set(record_ids))
    if not wanted:
        return [], {}
    with translated("look up the records"), engine.connect() as conn:
        records = [
            RecordView(**row._mapping)
            for row in conn.execute(select(*_VIEW).where(_R.c.id.in_(wanted)))
        ]
        given = set(surnames)
        return records, _surname_frequency(
            conn, {r.surname_key for r in records if r.surname_key in given}
        )


_CAPPED_COUNT = select(func.count()).select_from(
    select(_R.c.id).where(_R.c.surname_key == bindparam("name")).limit(FREQUENCY_CAP).subquery()
)


def _surname_frequency(conn: Connection, surnames: Iterable[str]) -> dict[str, int]:
    """How many records carry each surname, counted up to `FREQUENCY_CAP`: past that a
    surname weighs the least it can, so counting every Smith would be wasted work."""
    return {
        name: int(conn.execute(_CAPPED_COUNT, {"name": name}).scalar_one()) for name in surnames
    }
