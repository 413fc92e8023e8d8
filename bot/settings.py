"""Operator settings: `ENQUIRY_DESK_*` environment variables over an optional TOML file.

The names are fixed by the contract (section 4). Everything is checked at start, and a
bad value stops the program with a message naming the variable, rather than failing an
hour later in the middle of a send.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from lookup.errors import EnquiryDeskError
from storage.draft_rules import CLAIM_MINUTES
from storage.engine import sqlite_url

ENV_PREFIX = "ENQUIRY_DESK_"
CONFIG_VARIABLE = f"{ENV_PREFIX}CONFIG"
# The embedded default's sender address when MAIL_FROM is not set: approved mail is then
# only written as files (SMTP_HOST needs MAIL_FROM), but its Message-IDs still need a domain.
DEFAULT_MAIL_FROM = "ticket-office@enquiry-desk.invalid"
# Host names and addresses that reach only this machine.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

Security = Literal["tls", "starttls", "none"]
Port = Annotated[int, Field(ge=1, le=65535)]
IdList = Annotated[tuple[str, ...], NoDecode]
# (partner name, mail domain) pairs, in the order given; one partner may have several.
PartnerList = Annotated[tuple[tuple[str, str], ...], NoDecode]

# A DNS name of two or more labels (RFC 1035 2.3.1, with RFC 1123's leading digits).
_DOMAIN = re.compile(r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")
# A partner's name as shown to clerks ("CPS", "HMCTS Leeds"): no separators of the setting.
_PARTNER_NAME = re.compile(r"[^\x00-\x1f\x7f=,]{1,64}")

# An authserv-id is an RFC 2045 token (RFC 8601 2.2), in practice a host or domain name.
_AUTHSERV_ID = re.compile(r"[^\x00-\x20\x7f()<>@,;:\\\"/\[\]?=]{1,255}")


class SettingsError(EnquiryDeskError):
    """One or more settings are invalid; `problems` maps each variable to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        lines = [f"{name}: {problem}" for name, problem in problems.items()]
        super().__init__("invalid settings:\n  " + "\n  ".join(lines))
        self.problems = problems


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="forbid", frozen=True, validate_default=True
    )

    database_url: str | None = None
    data_dir: Path = Path("enquiry-desk-data")
    http_host: str = "127.0.0.1"
    http_port: Port = 8700

    imap_host: str | None = None
    imap_port: Port = 993
    imap_user: str | None = None
    imap_password: SecretStr | None = None
    imap_security: Security = "tls"
    imap_folder: str = "INBOX"

    smtp_host: str | None = None
    smtp_port: Port = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Security = "starttls"
    mail_from: str | None = None
    # Where read mail goes once logged (IMAP folders, or Maildir++ subfolders of the inbox):
    # handled messages to the first, flagged ones (auto-replies, bounces, unreadable) to the second.
    mail_processed_folder: str = Field(default="Processed", min_length=1)
    mail_quarantine_folder: str = Field(default="Quarantine", min_length=1)
    # Attachments up to this size are kept in DATA_DIR/attachments; larger ones are only
    # recorded (name, type, size, hash). 0 keeps none.
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=0)

    slack_mode: Literal["socket", "http", "off"] | None = None
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str | None = None
    slack_officers: IdList = ()
    slack_clerks: IdList = ()
    slack_clerk_channel: str | None = None

    teams_app_id: str | None = None
    teams_app_password: SecretStr | None = None
    # /metrics answers only requests bearing this token; unset, only this machine.
    metrics_token: SecretStr | None = None
    teams_tenant_id: str | None = None
    teams_officers: IdList = ()
    teams_clerks: IdList = ()

    # The authserv-ids of the force's own receiving mail servers: only their
    # Authentication-Results header (the topmost one, RFC 8601 section 5) is believed
    # about the sender address. None set: no sender address counts as personal.
    trusted_authserv_ids: IdList = ()
    # Reverse proxies in front of the desk whose X-Forwarded-For is believed (addresses).
    # None: the connection's own address is the client's, whatever a header says, so a
    # sign-in limit per address cannot be dodged by writing the header.
    trusted_proxies: IdList = ()
    # Partner agencies by mail domain, `name=domain,...` (contract section 4): their mail
    # goes to the partners' route, never a public letter. In TOML also a table.
    partner_domains: PartnerList = ()
    # Chat additions (not in the contract's table; added names, the contract allows).
    # TEAMS_CONNECTOR_URL sends every Teams reply there instead of the activity's
    # serviceUrl (a proxy in a force network). TEAMS_CLERK_CONVERSATION is the clerks'
    # channel conversation id, where new drafts are posted through TEAMS_SERVICE_URL.
    teams_connector_url: str | None = None
    teams_clerk_conversation: str | None = None
    teams_service_url: str = "https://smba.trafficmanager.net/teams/"

    # Replies and drafts (not in the contract's table; added names, the contract allows).
    reply_working_days: Annotated[int, Field(ge=1, le=60)] = 10
    maker_checker: bool = True  # a clerk may not approve a draft they edited themselves
    # An approved reply waits this long before it may be sent, so the clerk can take it
    # back ("Undo" on the desk): Ctrl+Enter must not be final the instant it is pressed.
    approval_hold_seconds: Annotated[int, Field(ge=0, le=600)] = 30
    status_update_days: Annotated[int, Field(ge=1, le=3650)] = 90

    # Review desk (added names). A session unused this long is signed out.
    desk_idle_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 30
    # Cookies marked Secure (HTTPS only). Unset: on, unless HTTP_HOST is a loopback
    # address, where the desk is reached over plain http://127.0.0.1.
    desk_secure_cookies: bool | None = None
    # Failed sign-ins allowed per account name, and per client address, in 15 minutes.
    desk_sign_in_attempts: Annotated[int, Field(ge=1, le=1000)] = 5
    desk_sign_in_attempts_per_address: Annotated[int, Field(ge=1, le=10000)] = 30
    # How long an opened draft stays reserved for the clerk who opened it.
    desk_claim_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = CLAIM_MINUTES

    @field_validator(
        "slack_officers",
        "slack_clerks",
        "teams_officers",
        "teams_clerks",
        "trusted_authserv_ids",
        "trusted_proxies",
        mode="before",
    )
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for proxy in value:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"{proxy!r} is not an IP address or network") from None
        return value

    @field_validator("trusted_authserv_ids")
    @classmethod
    def _authserv_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for server in value:
            if not _AUTHSERV_ID.fullmatch(server):
                raise ValueError(
                    "each entry must be an authserv-id such as mx.force.example "
                    "(no spaces, quotes, @ ; = / or brackets)"
                )
        # Compared without regard to case, as the domain names they are.
        return tuple(dict.fromkeys(server.lower() for server in value))

    @field_validator("partner_domains", mode="before")
    @classmethod
    def _partners(cls, value: Any) -> Any:
        if isinstance(value, dict):
            value = [f"{name}={domain}" for name, domain in value.items()]
        elif isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if not isinstance(value, list | tuple):
            return value  # pydantic reports the wrong type
        pairs: list[tuple[str, str]] = []
        for number, entry in enumerate(value, start=1):
            # The entry itself is never quoted back: settings errors may reach a log.
            name, equals, domain = str(entry).partition("=")
            name, domain = name.strip(), domain.strip().lower().rstrip(".").removeprefix("@")
            if not equals or not _PARTNER_NAME.fullmatch(name) or not _DOMAIN.fullmatch(domain):
                raise ValueError(
                    f"entry {number} is not name=domain (e.g. CPS=cps.gov.uk, separated by commas)"
                )
            pairs.append((name, domain))
        return tuple(dict.fromkeys(pairs))

    @field_validator("mail_from")
    @classmethod
    def _mail_from_is_an_address(cls, value: str | None) -> str | None:
        if value is not None and "@" not in value:
            raise ValueError("must be an email address, e.g. tickets@force.example")
        return value

    @model_validator(mode="after")
    def _complete_services(self) -> Settings:
        if self.imap_host and not (self.imap_user and self.imap_password):
            raise ValueError(
                f"{ENV_PREFIX}IMAP_HOST is set, so IMAP_USER and IMAP_PASSWORD are needed too"
            )
        if self.smtp_host and not self.mail_from:
            raise ValueError(
                f"{ENV_PREFIX}SMTP_HOST is set, so {ENV_PREFIX}MAIL_FROM is needed too"
            )
        mode = self.effective_slack_mode
        if mode == "socket" and not (self.slack_bot_token and self.slack_app_token):
            raise ValueError(
                f"{ENV_PREFIX}SLACK_MODE is socket: SLACK_BOT_TOKEN and SLACK_APP_TOKEN are needed"
            )
        if mode == "http" and not (self.slack_bot_token and self.slack_signing_secret):
            raise ValueError(
                f"{ENV_PREFIX}SLACK_MODE is http: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are needed"
            )
        return self

    @property
    def effective_slack_mode(self) -> str:
        """`off` unless set, or unless tokens are given (then Socket Mode if it can)."""
        if self.slack_mode is not None:
            return self.slack_mode
        if self.slack_bot_token and self.slack_app_token:
            return "socket"
        if self.slack_bot_token and self.slack_signing_secret:
            return "http"
        return "off"

    @property
    def sender_address(self) -> str:
        """The one address approved mail is from: MAIL_FROM, or the embedded default's."""
        return self.mail_from or DEFAULT_MAIL_FROM

    @property
    def teams_enabled(self) -> bool:
        return bool(self.teams_app_id)

    @property
    def database(self) -> str:
        """The database URL, the SQLite file in DATA_DIR unless DATABASE_URL is set."""
        return self.database_url or sqlite_url(self.data_dir / "enquiry-desk.db")

    @property
    def desk_cookies_secure(self) -> bool:
        if self.desk_secure_cookies is not None:
            return self.desk_secure_cookies
        return self.http_host not in LOOPBACK_HOSTS

    @property
    def inbox_dir(self) -> Path:
        """The Maildir read when no IMAP_HOST is set."""
        return self.data_dir / "inbox"

    @property
    def attachments_dir(self) -> Path:
        """Where kept attachments lie, each named by its SHA-256."""
        return self.data_dir / "attachments"

    @property
    def outbox_dir(self) -> Path:
        """Where approved mail is written as `.eml` files when no SMTP_HOST is set."""
        return self.data_dir / "outbox"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = os.environ.get(CONFIG_VARIABLE)
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)


def load_settings(**overrides: Any) -> Settings:
    """Read and check the settings, raising `SettingsError` that names each bad one."""
    config_file = os.environ.get(CONFIG_VARIABLE)
    if config_file:
        _check_toml(Path(config_file))
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def _check_toml(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            tomllib.load(handle)
    except OSError as exc:
        raise SettingsError({CONFIG_VARIABLE: f"cannot read {path}: {exc.strerror}"}) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError({CONFIG_VARIABLE: f"{path} is not valid TOML: {exc}"}) from None


def _describe(exc: ValidationError) -> dict[str, str]:
    # Never echo the offending value: it may be a password or a token.
    problems: dict[str, str] = {}
    for error in exc.errors():
        location = [str(part) for part in error["loc"]]
        name = ENV_PREFIX + location[0].upper() if location else "settings together"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = f"not a known setting (in {os.environ.get(CONFIG_VARIABLE, 'the settings')})"
        problems[name] = message
    return problems
