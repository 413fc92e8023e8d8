"""What the desk needs from the outside: its settings, a clock, and the pipeline's re-draft."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.clerk_actions import ClerkActions, Redraft
from bot.settings import DEFAULT_MAIL_FROM, Settings
from mail.attachment_store import AttachmentStore
from storage.draft_rules import DEFAULT_CLAIM_HOLD
from storage.engine import Engine

__all__ = ["DeskConfig", "Redraft"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class DeskConfig:
    idle: timedelta = timedelta(minutes=30)
    secure_cookies: bool = True
    failures_per_name: int = 5
    failures_per_address: int = 30
    failure_window: timedelta = timedelta(minutes=15)
    claim_hold: timedelta = DEFAULT_CLAIM_HOLD
    maker_checker: bool = True
    # The Message-ID domain of approved mail comes from this address (Settings.sender_address).
    mail_from: str = DEFAULT_MAIL_FROM
    clock: Callable[[], datetime] = field(default=_utc_now)
    redraft: Redraft | None = None
    # Called after an approval, so the outbox sends at once rather than on its next turn.
    on_approved: Callable[[], None] | None = None
    # How long an approved reply waits, with "Undo" on the page (APPROVAL_HOLD_SECONDS).
    approval_hold: timedelta = timedelta(0)
    # Deletes kept attachment files by stored path, after a retention purge.
    discard_files: Callable[[Iterable[str]], int] | None = None

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = _utc_now,
        redraft: Redraft | None = None,
        on_approved: Callable[[], None] | None = None,
    ) -> DeskConfig:
        return cls(
            idle=timedelta(minutes=settings.desk_idle_minutes),
            secure_cookies=settings.desk_cookies_secure,
            failures_per_name=settings.desk_sign_in_attempts,
            failures_per_address=settings.desk_sign_in_attempts_per_address,
            claim_hold=timedelta(minutes=settings.desk_claim_minutes),
            maker_checker=settings.maker_checker,
            mail_from=settings.sender_address,
            clock=clock,
            redraft=redraft,
            on_approved=on_approved,
            approval_hold=timedelta(seconds=settings.approval_hold_seconds),
            discard_files=AttachmentStore(
                settings.attachments_dir, max_bytes=settings.attachment_max_bytes
            ).discard,
        )

    def clerk_actions(self, engine: Engine) -> ClerkActions:
        """The clerk actions as the desk takes them: its clock, claims and re-draft."""
        return ClerkActions(
            engine,
            self.clock,
            self.mail_from,
            maker_checker=self.maker_checker,
            claim_hold=self.claim_hold,
            redraft=self.redraft,
            on_approved=self.on_approved,
            approval_hold=self.approval_hold,
        )
