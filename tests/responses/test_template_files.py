"""Template overrides are regular files inside their folder: a link is refused, named,
and never read (issue 18: an override linked to /proc/self/environ put the SMTP password
and the Slack token in a draft)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from responses.errors import TemplateRenderError
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore

SECRET = "SMTP_PASSWORD=hunter2-not-for-letters"


def _shipped_name() -> str:
    return next(
        str(p.relative_to(PACKAGE_TEMPLATES))
        for p in sorted(PACKAGE_TEMPLATES.rglob("*.txt"))
        if p.is_file()
    )


def test_a_regular_override_is_used(tmp_path: Path) -> None:
    name = _shipped_name()
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text("Our own wording.\n", encoding="utf-8")
    store = TemplateStore.with_overrides(tmp_path)
    assert store.render(name, {}).strip() == "Our own wording."
    assert store.source_path(name) == tmp_path / name


def test_an_override_that_is_a_link_is_refused_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "environ"
    secret.write_text(SECRET, encoding="utf-8")
    overrides = tmp_path / "overrides"
    name = _shipped_name()
    (overrides / name).parent.mkdir(parents=True)
    os.symlink(secret, overrides / name)
    store = TemplateStore.with_overrides(overrides)
    with pytest.raises(TemplateRenderError) as caught:
        store.render(name, {})
    assert "symbolic link" in str(caught.value)
    assert "hunter2" not in str(caught.value)
    # It does not quietly give way to the shipped file either, nor point an editor at it.
    assert store.exists(name)
    assert store.source_path(name) == PACKAGE_TEMPLATES / name


def test_a_linked_folder_inside_the_overrides_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    name = _shipped_name()
    (outside / Path(name).name).parent.mkdir(parents=True)
    (outside / Path(name).name).write_text(SECRET, encoding="utf-8")
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    first = Path(name).parts[0]
    assert len(Path(name).parts) == 2, "the shipped templates sit one folder deep"
    os.symlink(outside, overrides / first)
    store = TemplateStore.with_overrides(overrides)
    with pytest.raises(TemplateRenderError) as caught:
        store.render(name, {})
    assert "hunter2" not in str(caught.value)
    # A template reached through a link is not offered for editing either.
    assert name not in store.names()


def test_a_link_is_not_listed_as_a_template(tmp_path: Path) -> None:
    secret = tmp_path / "environ"
    secret.write_text(SECRET, encoding="utf-8")
    overrides = tmp_path / "overrides"
    (overrides / "public").mkdir(parents=True)
    os.symlink(secret, overrides / "public" / "secrets.txt")
    (overrides / "public" / "extra.txt").write_text("fine\n", encoding="utf-8")
    names = TemplateStore.with_overrides(overrides).names()
    assert "public/extra.txt" in names
    assert "public/secrets.txt" not in names
