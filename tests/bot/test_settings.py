"""Settings come from ENQUIRY_DESK_* variables and a TOML file, and bad ones stop start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from bot.wiring import build_source
from mail.maildir_source import MaildirSource
from storage.engine import make_engine, sqlite_url


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("ENQUIRY_DESK_"):
            monkeypatch.delenv(name)


def test_embedded_defaults_need_nothing_installed() -> None:
    """With nothing set: SQLite in the data folder, Maildir inbox, desk on localhost:8700."""
    settings = load_settings()
    assert settings.database.startswith("sqlite:///")
    assert settings.database.endswith("enquiry-desk-data/enquiry-desk.db")
    assert settings.inbox_dir == Path("enquiry-desk-data/inbox")
    assert settings.outbox_dir == Path("enquiry-desk-data/outbox")
    assert (settings.http_host, settings.http_port) == ("127.0.0.1", 8700)
    assert settings.effective_slack_mode == "off"
    assert not settings.teams_enabled


def test_environment_overrides_toml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The TOML file fills in settings; an environment variable beats it."""
    config = tmp_path / "desk.toml"
    config.write_text('http_port = 9000\nimap_folder = "Tickets"\nslack_officers = "U1,U2"\n')
    monkeypatch.setenv("ENQUIRY_DESK_CONFIG", str(config))
    monkeypatch.setenv("ENQUIRY_DESK_HTTP_PORT", "9100")
    settings = load_settings()
    assert settings.http_port == 9100
    assert settings.imap_folder == "Tickets"
    assert settings.slack_officers == ("U1", "U2")


def test_comma_separated_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """OFFICERS and CLERKS are comma-separated user ids, spaces ignored."""
    monkeypatch.setenv("ENQUIRY_DESK_SLACK_CLERKS", "U01, U02 ,,U03")
    assert load_settings().slack_clerks == ("U01", "U02", "U03")


def test_trusted_proxies_are_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy is trusted unless named; named ones are addresses or networks."""
    assert load_settings().trusted_proxies == ()
    monkeypatch.setenv("ENQUIRY_DESK_TRUSTED_PROXIES", "10.0.0.1, 192.168.4.0/24")
    assert load_settings().trusted_proxies == ("10.0.0.1", "192.168.4.0/24")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("ENQUIRY_DESK_HTTP_PORT", "99999", "ENQUIRY_DESK_HTTP_PORT"),
        ("ENQUIRY_DESK_HTTP_PORT", "eighty", "ENQUIRY_DESK_HTTP_PORT"),
        ("ENQUIRY_DESK_IMAP_SECURITY", "ssl", "ENQUIRY_DESK_IMAP_SECURITY"),
        ("ENQUIRY_DESK_SLACK_MODE", "webhooks", "ENQUIRY_DESK_SLACK_MODE"),
        ("ENQUIRY_DESK_MAIL_FROM", "tickets", "ENQUIRY_DESK_MAIL_FROM"),
        ("ENQUIRY_DESK_TRUSTED_PROXIES", "10.0.0.1, proxy.local", "ENQUIRY_DESK_TRUSTED_PROXIES"),
        ("ENQUIRY_DESK_APPROVAL_HOLD_SECONDS", "-1", "ENQUIRY_DESK_APPROVAL_HOLD_SECONDS"),
    ],
)
def test_bad_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    """A bad value stops start-up with a message naming the variable."""
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert expected in caught.value.problems
    assert expected in str(caught.value)


def test_incomplete_service_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """An IMAP host without credentials is refused, naming what is missing."""
    monkeypatch.setenv("ENQUIRY_DESK_IMAP_HOST", "imap.force.example")
    with pytest.raises(SettingsError, match="IMAP_USER and IMAP_PASSWORD"):
        load_settings()


def test_secrets_are_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong setting's message does not repeat values, and secrets stay hidden in repr."""
    monkeypatch.setenv("ENQUIRY_DESK_SMTP_PORT", "hunter2-port")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "hunter2" not in str(caught.value)
    monkeypatch.delenv("ENQUIRY_DESK_SMTP_PORT")
    monkeypatch.setenv("ENQUIRY_DESK_SMTP_PASSWORD", "hunter2")
    assert "hunter2" not in repr(load_settings())


def test_unknown_key_in_toml_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A misspelt setting in the file is an error, not silently ignored."""
    config = tmp_path / "desk.toml"
    config.write_text('imap_hots = "imap.force.example"\n')
    monkeypatch.setenv("ENQUIRY_DESK_CONFIG", str(config))
    with pytest.raises(SettingsError, match="ENQUIRY_DESK_IMAP_HOTS: not a known setting"):
        load_settings()


def test_unreadable_or_broken_toml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A missing or malformed config file is reported against ENQUIRY_DESK_CONFIG."""
    monkeypatch.setenv("ENQUIRY_DESK_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(SettingsError, match="ENQUIRY_DESK_CONFIG: cannot read"):
        load_settings()
    broken = tmp_path / "broken.toml"
    broken.write_text("http_port = = 1\n")
    monkeypatch.setenv("ENQUIRY_DESK_CONFIG", str(broken))
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings()


def test_trusted_authserv_ids_default_to_none() -> None:
    """Unset, no receiving server is trusted, so no sender address counts as personal."""
    assert load_settings().trusted_authserv_ids == ()


def test_trusted_authserv_ids_are_comma_separated_and_lower_cased(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """TRUSTED_AUTHSERV_IDS is split on commas, spaces dropped, case folded, repeats removed."""
    monkeypatch.setenv(
        "ENQUIRY_DESK_TRUSTED_AUTHSERV_IDS",
        " MX1.Force.Example, mx2.force.example,,mx1.force.example",
    )
    assert load_settings().trusted_authserv_ids == ("mx1.force.example", "mx2.force.example")


@pytest.mark.parametrize("value", ["mx one.example", "mx.force.example;dmarc=pass", "a@b.example"])
def test_bad_trusted_authserv_id_is_named(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """An entry that cannot be an authserv-id stops start-up, naming the setting."""
    monkeypatch.setenv("ENQUIRY_DESK_TRUSTED_AUTHSERV_IDS", value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "ENQUIRY_DESK_TRUSTED_AUTHSERV_IDS" in caught.value.problems
    assert value not in str(caught.value)


def test_trusted_authserv_ids_reach_the_mail_parser(tmp_path: Path) -> None:
    """The mailbox reader built at start trusts exactly the configured servers."""
    settings = load_settings(data_dir=tmp_path, trusted_authserv_ids="mx.force.example")
    engine = make_engine(sqlite_url(tmp_path / "desk.db"))
    try:
        source = build_source(settings, engine)
    finally:
        engine.dispose()
    assert isinstance(source, MaildirSource)
    assert source.parser.trusted_authserv_ids == frozenset({"mx.force.example"})


def test_partner_domains_default_to_none() -> None:
    """Unset, no sender is a partner."""
    assert load_settings().partner_domains == ()


def test_partner_domains_are_name_domain_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """PARTNER_DOMAINS is `name=domain,...`: spaces dropped, domains lower-cased without a
    trailing dot or a leading @, repeats removed, one name allowed several domains."""
    monkeypatch.setenv(
        "ENQUIRY_DESK_PARTNER_DOMAINS",
        " CPS = CPS.gov.uk, HMCTS Leeds=leeds.justice.gov.uk.,,CPS=@cps.gov.uk,CPS=cps.gsi.gov.uk",
    )
    assert load_settings().partner_domains == (
        ("CPS", "cps.gov.uk"),
        ("HMCTS Leeds", "leeds.justice.gov.uk"),
        ("CPS", "cps.gsi.gov.uk"),
    )


def test_partner_domains_from_a_toml_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """In the TOML file the setting may be a table of name = domain."""
    config = tmp_path / "desk.toml"
    config.write_text('[partner_domains]\nCPS = "cps.gov.uk"\nDVLA = "dvla.gov.uk"\n')
    monkeypatch.setenv("ENQUIRY_DESK_CONFIG", str(config))
    assert load_settings().partner_domains == (("CPS", "cps.gov.uk"), ("DVLA", "dvla.gov.uk"))


@pytest.mark.parametrize(
    "value",
    [
        "cps.gov.uk",
        "CPS=",
        "=cps.gov.uk",
        "CPS=cps gov uk",
        "CPS=hunter2-not-a-domain",
        "CPS=cps.gov.uk,s3cr3tT0ken",
        "CPS=a@b.example",
    ],
)
def test_bad_partner_domains_entry_is_named(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """A bad entry stops start-up, naming the setting and the entry's position, never its text."""
    monkeypatch.setenv("ENQUIRY_DESK_PARTNER_DOMAINS", value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    problem = caught.value.problems["ENQUIRY_DESK_PARTNER_DOMAINS"]
    assert "is not name=domain" in problem
    for part in value.replace("=", ",").split(","):
        if part and part not in ("CPS", "cps.gov.uk"):  # the example in the message
            assert part not in str(caught.value)
