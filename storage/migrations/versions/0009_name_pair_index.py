"""Records: an index on both names' codes with the date of birth.

An officer's question whose date of birth is wrong in two or more digits, or missing,
still gives both names, as a rule spelt as they sound: the (surname code, forename
code, date of birth) index reaches such records without a scan, and a birth year given
narrows it to a range. The codes are those of migration 0008; no value changes here.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_record_surname_code_forename_code_dob",
        "record",
        ["surname_code", "forename_code", "dob"],
    )


def downgrade() -> None:
    op.drop_index("ix_record_surname_code_forename_code_dob", table_name="record")
