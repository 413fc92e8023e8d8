"""Reading template files: regular files inside their folder, never a link out of it.

An override folder is writable by supervisors. Jinja's own `FileSystemLoader` follows
symbolic links, so an "override" that is a link to `/proc/self/environ` or a settings
file would render the process's secrets (the SMTP password, the Slack token) into a
draft. Here a template is read only when it is a regular file and no part of its path
below the folder is a link; anything else is an error a clerk sees, naming the template.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, TemplateError, TemplateNotFound
from jinja2.loaders import split_template_path

__all__ = ["NotARegularTemplate", "RegularFilesLoader", "refusal"]


class NotARegularTemplate(TemplateError):
    """A template path is a link or not a regular file: refused, never read."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"template {name} is {why}; only regular files are read")
        self.name = name


class RegularFilesLoader(FileSystemLoader):
    """`FileSystemLoader` that refuses links and anything but regular files."""

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if not os.path.lexists(path):
                continue
            why = refusal(Path(folder), pieces)
            if why is not None:
                raise NotARegularTemplate(template, why)
            return super().get_source(environment, template)
        raise TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        return [
            name
            for name in super().list_templates()
            if not any(
                os.path.lexists(Path(folder, *name.split("/")))
                and refusal(Path(folder), name.split("/")) is not None
                for folder in self.searchpath
            )
        ]


def refusal(folder: Path, pieces: list[str]) -> str | None:
    """Why the file at `folder/pieces` may not be read, or None when it may."""
    current = folder
    for piece in pieces:
        current = current / piece
        try:
            mode = current.lstat().st_mode
        except OSError:
            return "unreadable"
        if stat.S_ISLNK(mode):
            return "a symbolic link"
    return None if stat.S_ISREG(mode) else "not a regular file"
