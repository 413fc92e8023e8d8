"""The supervisor's figures: enquiries per day by channel, backlog, time to reply, share
matched and verified, and overdue drafts. Counted here; drawn by `bot.desk.charts`.

Days are UTC days, bucketed in Python rather than with each database's date functions,
so SQLite and PostgreSQL give the same figures for the same rows.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, Table, func, or_, select

from storage.drafts import OPEN_STATES
from storage.errors import translated
from storage.tables import Contact, Direction, Draft, OutboxMessage

_C: Table = Contact.__table__  # type: ignore[attr-defined]
_D: Table = Draft.__table__  # type: ignore[attr-defined]
_O: Table = OutboxMessage.__table__  # type: ignore[attr-defined]

# How late the overdue drafts are, in days past their reply-due date.
OVERDUE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("1-2 days", 1, 2),
    ("3-5 days", 3, 5),
    ("6-10 days", 6, 10),
    ("over 10 days", 11, None),
)


@dataclass(frozen=True, slots=True)
class Figures:
    days: tuple[date, ...]
    enquiries_by_channel: dict[str, tuple[int, ...]]
    backlog: tuple[int, ...]
    reply_hours: tuple[float | None, ...]  # median, per day of approval
    matched_share: tuple[float | None, ...]  # of the drafts written that day
    verified_share: tuple[float | None, ...]
    overdue_bands: tuple[tuple[str, int], ...]
    open_now: int
    overdue_now: int

    def rows(self) -> list[tuple[str, str, str, str]]:
        """The same figures as (figure, day, series, value) rows, for CSV export."""
        out: list[tuple[str, str, str, str]] = []
        for channel, counts in sorted(self.enquiries_by_channel.items()):
            out += [
                ("enquiries", d.isoformat(), channel, str(n))
                for d, n in zip(self.days, counts, strict=True)
            ]
        out += [
            ("backlog", d.isoformat(), "open drafts", str(n))
            for d, n in zip(self.days, self.backlog, strict=True)
        ]
        for name, series in (
            ("time_to_reply_hours", self.reply_hours),
            ("share_matched", self.matched_share),
            ("share_verified", self.verified_share),
        ):
            out += [
                (name, d.isoformat(), "median" if name.startswith("time") else "share", _number(v))
                for d, v in zip(self.days, series, strict=True)
            ]
        out += [("overdue", "", band, str(n)) for band, n in self.overdue_bands]
        return out


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def dashboard_figures(engine: Engine, *, today: date, days: int = 28) -> Figures:
    span = tuple(today - timedelta(days=days - 1 - i) for i in range(days))
    start, end = _start(span[0]), _start(today + timedelta(days=1))
    index = {d: i for i, d in enumerate(span)}
    with translated("count the dashboard figures"), engine.connect() as conn:
        arrivals = conn.execute(
            select(_C.c.received_at, _C.c.channel).where(
                _C.c.direction == Direction.INBOUND,
                _C.c.received_at >= start,
                _C.c.received_at < end,
            )
        ).all()
        drafts = conn.execute(
            select(
                _D.c.created_at, _D.c.updated_at, _D.c.state, _D.c.record_id, _D.c.verified
            ).where(
                _D.c.created_at < end,
                or_(_D.c.state.in_(OPEN_STATES), _D.c.updated_at >= start),
            )
        ).all()
        replies = conn.execute(
            select(_O.c.created_at, _C.c.received_at)
            .join(_D, _D.c.id == _O.c.draft_id)
            .join(_C, _C.c.id == _D.c.contact_id)
            .where(_O.c.created_at >= start, _O.c.created_at < end)
        ).all()
        open_dues = (
            conn.execute(select(_D.c.reply_due).where(_D.c.state.in_(OPEN_STATES))).scalars().all()
        )

    by_channel: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    for received_at, channel in arrivals:
        i = index.get(received_at.astimezone(UTC).date())
        if i is not None:
            by_channel[channel][i] += 1

    backlog = [0] * days
    written: Counter[int] = Counter()
    matched: Counter[int] = Counter()
    verified: Counter[int] = Counter()
    for created_at, updated_at, state, record_id, is_verified in drafts:
        # A closed draft's last change is when it left the queue (approved or rejected).
        closed_at = None if state in OPEN_STATES else updated_at
        for i, day in enumerate(span):
            day_end = _start(day + timedelta(days=1))
            if created_at < day_end and (closed_at is None or closed_at >= day_end):
                backlog[i] += 1
        i = index.get(created_at.astimezone(UTC).date())
        if i is not None:
            written[i] += 1
            matched[i] += record_id is not None
            verified[i] += bool(is_verified)

    waits: dict[int, list[float]] = defaultdict(list)
    for approved_at, received_at in replies:
        i = index.get(approved_at.astimezone(UTC).date())
        if i is not None:
            waits[i].append(max(0.0, (approved_at - received_at).total_seconds() / 3600))

    bands = []
    for label, low, high in OVERDUE_BANDS:
        late = [(today - due).days for due in open_dues if due is not None and due < today]
        bands.append((label, sum(1 for n in late if n >= low and (high is None or n <= high))))

    def share(part: Counter[int], i: int) -> float | None:
        return part[i] / written[i] if written[i] else None

    return Figures(
        days=span,
        enquiries_by_channel={k: tuple(v) for k, v in by_channel.items()},
        backlog=tuple(backlog),
        reply_hours=tuple(statistics.median(waits[i]) if waits[i] else None for i in range(days)),
        matched_share=tuple(share(matched, i) for i in range(days)),
        verified_share=tuple(share(verified, i) for i in range(days)),
        overdue_bands=tuple(bands),
        open_now=len(open_dues),
        overdue_now=sum(1 for due in open_dues if due is not None and due < today),
    )


def overdue_count(engine: Engine, *, today: date) -> int:
    """Open drafts whose reply-due date has passed."""
    with translated("count overdue drafts"), engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).where(_D.c.state.in_(OPEN_STATES), _D.c.reply_due < today)
            ).scalar_one()
        )
