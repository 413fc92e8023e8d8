"""What the desk needs from the outside: its settings, a clock, and the pipeline's re-draft."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.settings import Settings
from storage.drafts import DraftView


class Redraft(Protocol):
    """Re-compose a draft from another record (the pipeline's `redraft`)."""

    def __call__(
        self, draft_id: int, *, record_id: int, actor: str, expected_version: int
    ) -> DraftView: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class DeskConfig:
    idle: timedelta = timedelta(minutes=30)
    secure_cookies: bool = True
    failures_per_name: int = 5
    failures_per_address: int = 30
    failure_window: timedelta = timedelta(minutes=15)
    claim_hold: timedelta = timedelta(minutes=15)
    maker_checker: bool = True
    # The Message-ID domain of approved mail comes from this address.
    mail_from: str = "desk@enquiry-desk.invalid"
    clock: Callable[[], datetime] = field(default=_utc_now)
    redraft: Redraft | None = None
    # Called after an approval, so the outbox sends at once rather than on its next turn.
    on_approved: Callable[[], None] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **collaborators: object) -> DeskConfig:
        return cls(
            idle=timedelta(minutes=settings.desk_idle_minutes),
            secure_cookies=settings.desk_cookies_secure,
            failures_per_name=settings.desk_sign_in_attempts,
            failures_per_address=settings.desk_sign_in_attempts_per_address,
            claim_hold=timedelta(minutes=settings.desk_claim_minutes),
            maker_checker=settings.maker_checker,
            mail_from=settings.mail_from or "desk@enquiry-desk.invalid",
            **collaborators,  # type: ignore[arg-type]
        )
