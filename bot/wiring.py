"""Building the running parts from settings: one place that knows where things live.

Each builder takes the settings and what it needs, and nothing looks back: the order they
are called in, and what each is given, is `bot.assemble`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.pipeline import Pipeline, PipelineConfig
from bot.settings import Settings
from mail.attachment_store import AttachmentStore
from mail.imap_source import ImapConfig, ImapSource
from mail.loop_guard import LoopGuard
from mail.maildir_source import MaildirSource
from mail.parse import MailParser
from mail.sources import MailSource
from mail.transport import FileTransport, SmtpConfig, SmtpTransport, Transport
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage.engine import Engine


def utc_now() -> datetime:
    return datetime.now(UTC)


def template_store(settings: Settings) -> TemplateStore:
    """Templates in DATA_DIR/templates override the shipped ones, file by file, so a
    supervisor can reword a letter without touching code."""
    return TemplateStore([settings.data_dir / "templates", PACKAGE_TEMPLATES])


def build_pipeline(
    settings: Settings,
    engine: Engine,
    *,
    clock: Callable[[], datetime] = utc_now,
    templates: TemplateStore | None = None,
    on_draft: tuple[Callable[[int], None], ...] = (),
) -> Pipeline:
    return Pipeline(
        engine=engine,
        templates=templates or template_store(settings),
        clock=clock,
        config=PipelineConfig(
            reply_working_days=settings.reply_working_days,
            partner_domains=settings.partner_domains,
        ),
        on_draft=on_draft,
    )


def build_source(settings: Settings, engine: Engine) -> MailSource:
    """The mailbox: IMAP when IMAP_HOST is set, else the Maildir of the embedded default."""
    parser = MailParser(
        guard=LoopGuard.for_mail_from(settings.sender_address),
        keeper=AttachmentStore(settings.attachments_dir, max_bytes=settings.attachment_max_bytes),
        trusted_authserv_ids=frozenset(settings.trusted_authserv_ids),
    )
    if settings.imap_host:
        assert settings.imap_user is not None
        assert settings.imap_password is not None
        config = ImapConfig(
            host=settings.imap_host,
            user=settings.imap_user,
            password=settings.imap_password.get_secret_value(),
            port=settings.imap_port,
            security=settings.imap_security,
            folder=settings.imap_folder,
            processed_folder=settings.mail_processed_folder,
            quarantine_folder=settings.mail_quarantine_folder,
        )
        return ImapSource(config, engine, parser)
    return MaildirSource(
        settings.inbox_dir,
        parser,
        processed_folder=settings.mail_processed_folder,
        quarantine_folder=settings.mail_quarantine_folder,
    )


def build_transport(settings: Settings) -> Transport:
    """The outbox's way out: SMTP when SMTP_HOST is set, else `.eml` files in a folder."""
    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return SmtpTransport(
            SmtpConfig(
                host=settings.smtp_host,
                port=settings.smtp_port,
                security=settings.smtp_security,
                user=settings.smtp_user,
                password=password,
            )
        )
    return FileTransport(settings.outbox_dir)
