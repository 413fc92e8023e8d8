"""Reply templates as files, found along a chain of names and rendered in a sandbox.

Templates live in folders. `TemplateStore([data_dir / "templates", PACKAGE_TEMPLATES])`
searches the folders in order, so a clerk or supervisor overrides a shipped template by
saving a file with the same name in the data directory, without touching code. Each kind
of reply looks for a chain of names, most specific first; the first name found in any
folder wins (see templates/README.md for the whole scheme):

    public/<intent>/<kind>/<status>.txt -> public/<intent>/<kind>.txt -> public/<intent>.txt
    state/<kind>/<status>.txt -> state/<kind>.txt -> state/unknown.txt
    update/<kind>/<status>.txt -> update/<kind>.txt -> update/letter.txt
    officer/<kind>/<status>.txt -> officer/<kind>.txt -> officer/case.txt

Rendering uses Jinja2's `SandboxedEnvironment`, since templates are edited by people
who are not developers, and `StrictUndefined`, so a name the reply does not offer (a
typo, or a record field in a letter that must not show one) raises instead of printing
an empty string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import (
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplatesNotFound,
    pass_context,
)
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from responses.case_facts import CaseFacts
from responses.deadlines import add_working_days, days_left
from responses.errors import TemplateMissing, TemplateRenderError
from responses.formatting import date_long, date_weekday, deadline_words, pounds
from responses.labels import kind_label, status_label
from responses.template_files import RegularFilesLoader, refusal

__all__ = [
    "PACKAGE_TEMPLATES",
    "UNKNOWN_STATE",
    "TemplateStore",
    "answer_chain",
    "hold_chain",
    "officer_chain",
    "safe_part",
    "state_chain",
    "update_chain",
]

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
# The generic paragraph for a record whose status (or kind) the templates do not know.
UNKNOWN_STATE = "state/unknown.txt"

# Kinds and statuses come from imported records; only plain codes become part of a name,
# so a status such as "../x" can never reach outside the templates folders.
_SAFE = re.compile(r"[a-z0-9_]{1,60}")


def safe_part(code: str | None) -> str | None:
    """`code` if it may be used in a template name, else None."""
    if code is not None and _SAFE.fullmatch(code):
        return code
    return None


def _chain(prefix: str, kind: str | None, status: str | None, last: str) -> tuple[str, ...]:
    kind_part, status_part = safe_part(kind), safe_part(status)
    names: list[str] = []
    if kind_part and status_part:
        names.append(f"{prefix}/{kind_part}/{status_part}.txt")
    if kind_part:
        names.append(f"{prefix}/{kind_part}.txt")
    names.append(last)
    return tuple(names)


def answer_chain(intent: str, kind: str, status: str | None) -> tuple[str, ...]:
    """Names for the paragraph that answers `intent` about a record."""
    return _chain(f"public/{intent}", kind, status, f"public/{intent}.txt")


def state_chain(kind: str, status: str | None, *, known: bool) -> tuple[str, ...]:
    """Names for the paragraph saying where a record stands.

    A status outside the vocabulary skips the kind's own template (written for the
    statuses it knows) and falls to the generic one, unless a clerk has written a
    template for exactly that status.
    """
    kind_part, status_part = safe_part(kind), safe_part(status)
    names: list[str] = []
    if kind_part and status_part:
        names.append(f"state/{kind_part}/{status_part}.txt")
    if kind_part and known:
        names.append(f"state/{kind_part}.txt")
    names.append(UNKNOWN_STATE)
    return tuple(names)


def update_chain(kind: str, status: str | None) -> tuple[str, ...]:
    """Names for a status-update letter."""
    return _chain("update", kind, status, "update/letter.txt")


def officer_chain(kind: str, status: str | None) -> tuple[str, ...]:
    """Names for the chat reply to an officer."""
    return _chain("officer", kind, status, "officer/case.txt")


def hold_chain(intent: str) -> tuple[str, ...]:
    """Names for the holding reply to a complaint, subject access or FOI request."""
    part = safe_part(intent)
    return (f"public/hold/{part}.txt", "public/hold.txt") if part else ("public/hold.txt",)


# Fields of the facts a letter reads, each many times a letter.
_PLAIN_FIELDS = frozenset(field.name for field in fields(CaseFacts))


class _Sandbox(SandboxedEnvironment):
    """The sandbox, reading `CaseFacts` fields directly: they are plain values (text,
    dates, numbers) that the sandbox's checks would let through anyway, and those checks
    were half the cost of an officer's answer's text. Anything done with a value after
    (a method call, another attribute) is checked as before."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is CaseFacts and attribute in _PLAIN_FIELDS:
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)


class TemplateStore:
    """Templates from `folders`, earlier folders overriding later ones name by name."""

    def __init__(self, folders: Sequence[Path]) -> None:
        if not folders:
            raise ValueError("a template store needs at least one folder")
        self.folders: tuple[Path, ...] = tuple(Path(folder) for folder in folders)
        # Plain text, not HTML: escaping would turn "O'Brien" into "O&#39;Brien".
        self._env = _Sandbox(
            loader=RegularFilesLoader([str(f) for f in self.folders], encoding="utf-8"),
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=True,
        )
        self._env.filters.update(
            {
                "pounds": pounds,
                "date_long": date_long,
                "date_weekday": date_weekday,
                "deadline": _deadline,
                "days_left": _days_left,
                "working_days_after": _working_days_after,
                "kind_label": kind_label,
                "status_label": status_label,
            }
        )
        self._env.tests["passed"] = _passed

    @classmethod
    def with_overrides(cls, override: Path | None) -> TemplateStore:
        """The shipped templates, overridden by those in `override` when given."""
        return cls([override, PACKAGE_TEMPLATES] if override else [PACKAGE_TEMPLATES])

    def exists(self, name: str) -> bool:
        """Whether `name` is in any folder. A broken file counts: rendering reports it,
        rather than a clerk's faulty override silently giving way to the shipped one."""
        try:
            self._env.get_template(name)
        except TemplateNotFound:
            return False
        except TemplateError:
            return True
        return True

    def pick(self, names: Sequence[str]) -> str:
        """The first of `names` found in any folder."""
        for name in names:
            if self.exists(name):
                return name
        raise TemplateMissing(tuple(names))

    def render(self, name: str, context: Mapping[str, object]) -> str:
        """Render template `name` with exactly the variables in `context`."""
        try:
            template = self._env.get_template(name)
            return template.render(dict(context))
        except TemplatesNotFound as exc:
            raise TemplateMissing(tuple(str(n) for n in exc.templates)) from exc
        except TemplateNotFound as exc:
            if exc.name == name:
                raise TemplateMissing((name,)) from exc
            raise TemplateRenderError(name, f"it includes a missing template {exc.name}") from exc
        except TemplateError as exc:
            raise TemplateRenderError(name, str(exc)) from exc

    def render_first(self, names: Sequence[str], context: Mapping[str, object]) -> tuple[str, str]:
        """The name of the first template of `names` found, and its rendered text."""
        name = self.pick(names)
        return name, self.render(name, context)

    def names(self) -> list[str]:
        """Every template name across the folders, for a desk to list and edit."""
        return sorted(set(self._env.list_templates(extensions=["txt"])))

    def source_path(self, name: str) -> Path:
        """The file that template `name` is read from (the earliest folder holding it)."""
        if safe_name(name):
            for folder in self.folders:
                # A link is never the template's file: writing through it would reach
                # whatever it points at.
                if (folder / name).is_file() and refusal(folder, name.split("/")) is None:
                    return folder / name
        raise TemplateMissing((name,))


def safe_name(name: str) -> bool:
    """Whether `name` is a relative template name with no way out of its folder."""
    parts = name.split("/")
    return all(part and part not in {".", ".."} for part in parts) and "\\" not in name


def _today(context: Context) -> date:
    today = context.get("today")
    if not isinstance(today, date):
        raise TemplateError("this template needs `today` to word a deadline")
    return today


@pass_context
def _deadline(context: Context, when: date) -> str:
    return deadline_words(when, _today(context))


@pass_context
def _days_left(context: Context, when: date) -> int:
    return days_left(when, _today(context))


@pass_context
def _passed(context: Context, when: date) -> bool:
    return when < _today(context)


def _working_days_after(start: date, n: int) -> date:
    return add_working_days(start, n)
