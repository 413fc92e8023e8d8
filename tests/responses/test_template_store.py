"""Templates as files: name chains, overrides from earlier folders, strict rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from responses.compose import compose_reply
from responses.errors import TemplateMissing, TemplateRenderError
from responses.intents import detect_intents
from responses.template_store import (
    PACKAGE_TEMPLATES,
    TemplateStore,
    answer_chain,
    state_chain,
)
from tests.responses.fixtures import FULL, TODAY


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_chains_go_from_specific_to_general() -> None:
    """Intent answers and state paragraphs try kind and status before the general file."""
    assert answer_chain("already_paid", "fpn", "paid") == (
        "public/already_paid/fpn/paid.txt",
        "public/already_paid/fpn.txt",
        "public/already_paid.txt",
    )
    assert state_chain("fpn", "paid", known=True) == (
        "state/fpn/paid.txt",
        "state/fpn.txt",
        "state/unknown.txt",
    )
    # An unknown status skips the kind's template, written for the statuses it knows.
    assert state_chain("fpn", "on_hold", known=False) == (
        "state/fpn/on_hold.txt",
        "state/unknown.txt",
    )


def test_unsafe_codes_never_become_paths() -> None:
    """A status like "../../etc/passwd" from an import is left out of template names."""
    assert state_chain("fpn", "../../etc/passwd", known=False) == ("state/unknown.txt",)
    assert answer_chain("status", "../x", None) == ("public/status.txt",)


def test_earlier_folder_overrides_later(tmp_path: Path) -> None:
    """A clerk's file in the data directory wins over the shipped one of the same name."""
    _write(tmp_path, "public/_signoff.txt", "Kind regards,\nNorthshire Ticket Office")
    store = TemplateStore([tmp_path, PACKAGE_TEMPLATES])
    reply = compose_reply(
        intents=detect_intents("What is the status of my ticket?"),
        facts=FULL,
        verified=True,
        offered=frozenset({"reference", "surname"}),
        today=TODAY,
        store=store,
    )
    assert reply.body.endswith("Kind regards,\nNorthshire Ticket Office\n")
    shipped = TemplateStore([PACKAGE_TEMPLATES])
    assert "Northshire" not in shipped.render("public/_signoff.txt", {})


def test_more_specific_override_applies_to_one_status_only(tmp_path: Path) -> None:
    """A file for one kind and status changes that letter and no other."""
    _write(tmp_path, "state/fpn/awaiting_payment.txt", "Special wording for {{ facts.reference }}.")
    store = TemplateStore.with_overrides(tmp_path)
    assert store.pick(state_chain("fpn", "awaiting_payment", known=True)) == (
        "state/fpn/awaiting_payment.txt"
    )
    assert store.pick(state_chain("fpn", "paid", known=True)) == "state/fpn.txt"
    assert store.source_path("state/fpn/awaiting_payment.txt").parent.parent == tmp_path / "state"
    assert store.source_path("state/fpn.txt").is_relative_to(PACKAGE_TEMPLATES)


def test_missing_variable_fails_loudly(tmp_path: Path) -> None:
    """An override naming a variable the reply does not offer raises, naming the template."""
    _write(tmp_path, "public/already_paid.txt", "Paid on {{ facts.payment_date }}.")
    store = TemplateStore.with_overrides(tmp_path)
    with pytest.raises(TemplateRenderError) as caught:
        compose_reply(
            intents=detect_intents("I have already paid"),
            facts=FULL,
            verified=True,
            offered=frozenset({"reference", "dob"}),
            today=TODAY,
            store=store,
        )
    assert caught.value.name == "public/already_paid.txt"
    assert "payment_date" in caught.value.reason


def test_override_of_the_verify_letter_cannot_reach_a_record(tmp_path: Path) -> None:
    """The letter to an unverified writer is given no record: naming one fails to render."""
    _write(tmp_path, "public/verify.txt", "Your reference is {{ facts.reference }}.")
    store = TemplateStore.with_overrides(tmp_path)
    with pytest.raises(TemplateRenderError, match="facts"):
        compose_reply(
            intents=detect_intents("What is the status of my ticket?"),
            facts=None,
            verified=False,
            offered=frozenset({"reference"}),
            today=TODAY,
            store=store,
        )


def test_syntax_error_and_missing_include_are_render_errors(tmp_path: Path) -> None:
    """A broken template or an include of a missing file is reported, not half-rendered."""
    _write(tmp_path, "public/unclear.txt", "{% if %}")
    _write(tmp_path, "public/hold.txt", '{% include "public/_nothing.txt" %}')
    store = TemplateStore.with_overrides(tmp_path)
    # The broken override is still the one chosen: it must not give way to the shipped file.
    assert store.source_path(store.pick(["public/unclear.txt"])).is_relative_to(tmp_path)
    with pytest.raises(TemplateRenderError):
        store.render("public/unclear.txt", {})
    with pytest.raises(TemplateRenderError, match="_nothing"):
        store.render("public/hold.txt", {})
    with pytest.raises(TemplateMissing):
        store.pick(("public/nope.txt", "public/nor_this.txt"))


def test_sandbox_blocks_unsafe_attribute_access(tmp_path: Path) -> None:
    """A template cannot reach Python internals through a value it is given."""
    _write(tmp_path, "x.txt", "{{ facts.__class__.__mro__ }}")
    store = TemplateStore([tmp_path])
    with pytest.raises(TemplateRenderError):
        store.render("x.txt", {"facts": FULL})


@pytest.mark.parametrize(
    "source", ["{{ facts.reference.__class__ }}", "{{ facts.offence_date.__reduce__() }}"]
)
def test_sandbox_checks_what_is_done_with_a_fact(tmp_path: Path, source: str) -> None:
    """Facts' fields are read without the sandbox's checks (plain values); what a
    template then does with a value is checked as before."""
    _write(tmp_path, "x.txt", source)
    store = TemplateStore([tmp_path])
    with pytest.raises(TemplateRenderError):
        store.render("x.txt", {"facts": FULL})


def test_names_lists_shipped_templates() -> None:
    """The store lists every template a desk could offer for editing."""
    names = TemplateStore([PACKAGE_TEMPLATES]).names()
    assert "public/letter.txt" in names
    assert "state/fpn.txt" in names
    assert "officer/case.txt" in names


def test_templates_ship_as_package_data() -> None:
    """pyproject's package data covers every template file under responses/templates."""
    import tomllib

    config = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["responses"]
    files = [p.relative_to(PACKAGE_TEMPLATES.parent) for p in PACKAGE_TEMPLATES.rglob("*.txt")]
    assert files
    assert all(
        any(path.match(pattern) or _globstar(path, pattern) for pattern in patterns)
        for path in files
    )


def _globstar(path: Path, pattern: str) -> bool:
    """Path.match before Python 3.13 has no "**"; expand it by hand for one level or more."""
    head, _, tail = pattern.partition("**/")
    return bool(tail) and str(path).startswith(head) and path.match(tail)
