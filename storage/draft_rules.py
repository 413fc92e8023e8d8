"""The rules of a draft's life that need no database: maker-checker, claims, what is an edit.

Pure functions of plain values, so `storage.drafts` applies them inside its transactions,
the desk's queue shows what they decide, and the tests state them with literals. Nothing
here reads a clock: the caller says what time it is.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

# How long a draft a clerk opened stays theirs (the default of DESK_CLAIM_MINUTES).
CLAIM_MINUTES = 15
DEFAULT_CLAIM_HOLD = timedelta(minutes=CLAIM_MINUTES)


def may_approve(*, actor: str, editors: Collection[str], maker_checker: bool) -> bool:
    """Under maker-checker no clerk who wrote any of the draft's text may approve it.

    `editors` are all who edited the text since it was last written afresh (the pipeline
    writes every first draft; a re-match writes it again and starts the list anew), not
    only the last: "A edits, B edits, A approves" is A approving A's own words.
    """
    return not (maker_checker and actor in editors)


def claim_lapsed(claimed_at: datetime | None, *, now: datetime, hold: timedelta) -> bool:
    """A claim lapses `hold` after it was made: at that instant it no longer holds. A
    claim with no time (never made, or released) holds nothing."""
    return claimed_at is None or now - claimed_at >= hold


def holder_against(
    actor: str,
    *,
    claimed_by: str | None,
    claimed_at: datetime | None,
    now: datetime,
    hold: timedelta,
) -> str | None:
    """Who holds the draft so that `actor` may not act on it, or None when `actor` may:
    nobody holds it, `actor` does, or the holder's claim has lapsed."""
    if claimed_by is None or claimed_by == actor:
        return None
    if claim_lapsed(claimed_at, now=now, hold=hold):
        return None
    return claimed_by


def is_an_edit(
    body: str, subject: str | None, *, current_body: str, current_subject: str | None
) -> bool:
    """Whether saving `body` (and `subject`, unless None: kept as it is) changes the draft.

    Line endings and trailing blank space do not count: a browser sends a textarea's lines
    with CRLF (HTML's form submission rules), and saving the text as it was must not make
    the clerk its editor, which under maker-checker would bar them from approving it.
    """
    if _text(body) != _text(current_body):
        return True
    return subject is not None and subject.strip() != (current_subject or "").strip()


def _text(body: str) -> str:
    return body.replace("\r\n", "\n").rstrip()
