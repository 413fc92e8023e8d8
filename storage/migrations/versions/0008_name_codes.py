"""Records: phonetic name codes and their indexes with the date of birth.

Officers ask by name and date of birth, and real records are mistyped: a surname spelt
as it sounds (Tomson for Thompson), forename and surname swapped, a surname missing.
Each record carries a Soundex code of its surname and of its first forename
(`lookup.keys.name_code`), computed at import, and an index on each with the date of
birth, so that the matcher reaches such records through an index, never a scan. Rows
already stored get their codes here: a re-import would not rewrite them (their content
hash is unchanged). The codes are computed by `lookup.keys.name_code` as it is when
this runs; should that ever change, its own migration recomputes them.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lookup.keys import name_code, name_key

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("record", sa.Column("surname_code", sa.String(length=8), nullable=True))
    op.add_column("record", sa.Column("forename_code", sa.String(length=8), nullable=True))
    _fill_codes()
    op.create_index("ix_record_surname_code_dob", "record", ["surname_code", "dob"])
    op.create_index("ix_record_forename_code_dob", "record", ["forename_code", "dob"])


_BATCH = 10_000


def _fill_codes() -> None:
    conn = op.get_bind()
    record = sa.table(
        "record",
        sa.column("id", sa.Integer),
        sa.column("surname_key", sa.String),
        sa.column("forenames", sa.String),
        sa.column("surname_code", sa.String),
        sa.column("forename_code", sa.String),
    )
    update = (
        sa.update(record)
        .where(record.c.id == sa.bindparam("row_id"))
        .values(surname_code=sa.bindparam("s_code"), forename_code=sa.bindparam("f_code"))
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(record.c.id, record.c.surname_key, record.c.forenames)
            .where(record.c.id > last)
            .order_by(record.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        conn.execute(
            update,
            [
                {
                    "row_id": row_id,
                    "s_code": name_code(surname or "") or None,
                    "f_code": name_code(name_key((forenames or "").split(" ", 1)[0])) or None,
                }
                for row_id, surname, forenames in rows
            ],
        )


def downgrade() -> None:
    op.drop_index("ix_record_forename_code_dob", table_name="record")
    op.drop_index("ix_record_surname_code_dob", table_name="record")
    # Plain DROP COLUMN (SQLite has it since 3.35): batch mode would copy the table,
    # reflecting the record table's expression index, which SQLite cannot reflect.
    op.drop_column("record", "forename_code")
    op.drop_column("record", "surname_code")
