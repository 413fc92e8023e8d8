"""Building the running parts from settings: one place that knows where things live."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.pipeline import Pipeline, PipelineConfig
from bot.settings import Settings
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage.engine import Engine


def utc_now() -> datetime:
    return datetime.now(UTC)


def template_store(settings: Settings) -> TemplateStore:
    """Templates in DATA_DIR/templates override the shipped ones, file by file, so a
    supervisor can reword a letter without touching code."""
    return TemplateStore([settings.data_dir / "templates", PACKAGE_TEMPLATES])


def build_pipeline(
    settings: Settings, engine: Engine, *, clock: Callable[[], datetime] = utc_now
) -> Pipeline:
    return Pipeline(
        engine=engine,
        templates=template_store(settings),
        clock=clock,
        config=PipelineConfig(
            reply_working_days=settings.reply_working_days,
            partner_domains=settings.partner_domains,
        ),
    )
