"""Fetching candidate records through the indexed keys, never by scanning the table."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    and_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from lookup.evidence import BlockingKeys
from lookup.keys import reference_blocks
from lookup.records import RecordView
from lookup.score import one_edit_matches
from storage.errors import StorageError
from storage.tables import Record

_R: Table = Record.__table__  # type: ignore[attr-defined]

# Rows taken from any one key; a key matching more than this says too little anyway.
PER_KEY = 50
# Beyond this many records a surname already has the lowest weight (lookup.score).
FREQUENCY_CAP = 1000
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
    """Records sharing a blocking key with the enquiry, and how common their surnames are."""
    try:
        with engine.connect() as conn:
            ids: set[int] = set()

            def take(condition: ColumnElement[bool]) -> None:
                ids.update(conn.execute(select(_R.c.id).where(condition).limit(PER_KEY)).scalars())

            if keys.ref_folds:
                take(
                    or_(
                        *(
                            and_(_R.c.ref_head == reference_blocks(fold)[0], _R.c.ref_fold == fold)
                            for fold in keys.ref_folds
                        )
                    )
                )
            for column, values in (
                (_R.c.ref_head, keys.ref_heads),
                (_R.c.ref_tail, keys.ref_tails),
            ):
                if values:
                    rows = conn.execute(
                        select(_R.c.id, _R.c.ref_fold).where(column.in_(values)).limit(PER_BLOCK)
                    ).all()
                    ids.update(
                        rows[i][0] for i in one_edit_matches(keys.near, [r[1] for r in rows])
                    )
            if keys.vrm_folds:
                take(_R.c.vrm_fold.in_(keys.vrm_folds))
            if keys.surname_dobs:
                take(
                    or_(*(and_(_R.c.surname_key == s, _R.c.dob == d) for s, d in keys.surname_dobs))
                )
            if keys.dobs:
                take(_R.c.dob.in_(keys.dobs))
            if keys.postcodes:
                take(_R.c.postcode_key.in_(keys.postcodes))
            if keys.emails:
                take(_R.c.email_key.in_(keys.emails))
            if not ids:
                return [], {}
            records = [
                RecordView(**row._mapping)
                for row in conn.execute(select(*_VIEW).where(_R.c.id.in_(ids)))
            ]
            # Only surnames the writer gave are weighed by how common they are.
            wanted = {r.surname_key for r in records if r.surname_key in keys.surnames}
            return records, _surname_frequency(conn, wanted)
    except SQLAlchemyError as exc:
        raise StorageError(f"candidate look-up failed: {type(exc).__name__}") from exc


_CAPPED_COUNT = select(func.count()).select_from(
    select(_R.c.id).where(_R.c.surname_key == bindparam("name")).limit(FREQUENCY_CAP).subquery()
)


def _surname_frequency(conn: Connection, surnames: Iterable[str]) -> dict[str, int]:
    """How many records carry each surname, counted up to `FREQUENCY_CAP`: past that a
    surname weighs the least it can, so counting every Smith would be wasted work."""
    return {
        name: int(conn.execute(_CAPPED_COUNT, {"name": name}).scalar_one()) for name in surnames
    }
