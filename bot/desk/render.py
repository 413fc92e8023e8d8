"""Rendering pages: one Jinja2 environment with autoescaping, and the desk's filters."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from storage.users import SignedIn

_ENV = Environment(
    loader=PackageLoader("bot.desk", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _static_version() -> str:
    # Static files are cached for a long time; their URLs change when their content does.
    digest = hashlib.sha256()
    for entry in sorted(resources.files("bot.desk").joinpath("static").iterdir(), key=str):
        if entry.is_file():
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:10]


STATIC_VERSION = _static_version()


def _day(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    return f"{value:%a} {value.day} {value:%b %Y}"


def _when(value: datetime | None) -> str:
    if value is None:
        return "–"
    return f"{value.day} {value:%b %Y %H:%M} UTC"


def _pounds(pence: int | None) -> str:
    if pence is None:
        return "–"
    return f"£{pence // 100:,}.{pence % 100:02d}"


def _words(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _day_rows(days: Sequence[date], *columns: Sequence[str]) -> list[list[str]]:
    return [[_day(d), *(column[i] for column in columns)] for i, d in enumerate(days)]


def _zip_channels(
    days: Sequence[date], counts: Mapping[str, Sequence[int]], channels: Sequence[str]
) -> list[list[str]]:
    return _day_rows(days, *([str(n) for n in counts[c]] for c in channels))


def _zip_series(days: Sequence[date], values: Sequence[float | None]) -> list[list[str]]:
    return _day_rows(days, ["–" if v is None else f"{v:,.1f}".removesuffix(".0") for v in values])


def _zip_shares(days: Sequence[date], *series: Sequence[float | None]) -> list[list[str]]:
    return _day_rows(days, *(["–" if v is None else f"{v:.0%}" for v in s] for s in series))


_ENV.filters.update(
    day=_day,
    when=_when,
    pounds=_pounds,
    words=_words,
    zip_channels=_zip_channels,
    zip_series=_zip_series,
    zip_shares=_zip_shares,
)
_ENV.globals["static_version"] = STATIC_VERSION


def render(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    user: SignedIn | None = getattr(request.state, "desk_user", None)
    page = _ENV.get_template(template).render(
        user=user,
        csrf=user.csrf_token if user else "",
        path=request.url.path,
        **context,
    )
    return HTMLResponse(page, status_code=status_code, headers=headers)


def problem(request: Request, status_code: int, heading: str, message: str) -> HTMLResponse:
    """The page that says why something cannot be shown or done."""
    return render(
        request, "problem.html", status_code=status_code, heading=heading, message=message
    )


def render_fragment(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)
