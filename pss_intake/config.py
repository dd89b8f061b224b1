"""Settings: ``config.yaml`` loaded into a pydantic settings model, overridable from the
environment as ``PSS_INTAKE_<SECTION>__<KEY>`` (e.g. ``PSS_INTAKE_DATABASE__URL``).

Precedence, highest first: environment variables, the YAML file, the defaults below.
Secrets (``imap.password``, ``smtp.password``, ``imap.oauth_client_secret``,
``imap.oauth_refresh_token``, ``review.secret_key``) are read only from the environment: a value
for one of them in the YAML file is an error, so a secret can never be committed by accident.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from parsing.budget import Budgets

ENV_PREFIX = "PSS_INTAKE_"
MAX_CONFIG_BYTES = 1024 * 1024
SECRET_KEYS = {
    ("imap", "password"),
    ("imap", "oauth_client_secret"),
    ("imap", "oauth_refresh_token"),
    ("smtp", "password"),
    ("review", "secret_key"),
}


class ConfigError(Exception):
    """The configuration file is missing, unreadable, not YAML, or holds a secret."""


class Section(BaseModel):
    """A settings section: an unknown (e.g. misspelt) key is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class DatabaseSettings(Section):
    url: str = "sqlite:///var/pss-intake.db"
    """SQLAlchemy URL. A relative SQLite path is relative to the working directory."""
    echo: bool = False


class IntakeSettings(Section):
    mailbox_address: str = "pss.nominations@england.example"
    """The national mailbox's own address: mail from it is ours, replies come from it."""
    own_addresses: list[str] = Field(default_factory=list)
    """Other addresses of ours (aliases): never treated as a nominator."""
    max_message_bytes: int = 40 * 1024 * 1024
    """Larger messages are stored and flagged, not parsed (NHSmail's limit is 35 MB)."""
    max_processing_attempts: int = Field(default=5, ge=1)
    """Runs started on one message that never finished (the process was killed or hung) before
    it is flagged instead of run again (``unparseable-message``, "interrupted N times")."""
    allowed_sender_domains: list[str] = Field(
        default_factory=lambda: ["nhs.net", "nhs.uk", "gov.uk"]
    )
    """Domains (and their subdomains) a nominating executive normally writes from; a Reply-To
    outside these and the sender's own domain is flagged (``reply-to-elsewhere``), and so is a
    nomination from outside them whose domain does not name the organisation
    (``sender-domain-not-allowed``: a hospice on its own domain is fine, a consultancy is not)."""
    webmail_domains: list[str] = Field(
        default_factory=lambda: [
            "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com",
            "live.com", "live.co.uk", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com",
            "aol.com", "btinternet.com", "sky.com", "protonmail.com", "proton.me", "gmx.com",
        ]
    )
    """Free webmail domains: a nomination from one goes to review."""
    shared_domains: list[str] = Field(default_factory=lambda: ["nhs.net"])
    """Mail domains many organisations share: sharing one with a case's executive does not make
    a sender their colleague (see :mod:`pss_intake.correspondents`)."""


class ImapSettings(Section):
    host: str = "127.0.0.1"
    port: int = 993
    ssl: bool = True
    starttls: bool = False
    ca_file: str | None = None
    """PEM bundle to verify the server with (e.g. a test server's self-signed cert)."""
    auth: Literal["login", "xoauth2"] = "login"
    username: str = ""
    password: SecretStr | None = None
    folder: str = "INBOX"
    processed_folder: str = "Processed"
    review_folder: str = "Review"
    poll_seconds: int = 60
    idle: bool = True
    idle_seconds: int = 600
    """Restart IDLE this often: well inside the 29 minutes of RFC 2177 section 3."""
    batch_size: int = 100
    """Messages per UID FETCH (batching stops paying off above ~100)."""
    move_batch_size: int = Field(default=10, ge=1)
    """Processed messages MOVEd together, as soon as they are committed: a poller killed
    mid-batch leaves at most this many handled messages in the intake folder."""
    batch_max_bytes: int = 64 * 1024 * 1024
    """At most this many message bytes per BODY.PEEK[] FETCH (bounds the poller's memory)."""
    lease_seconds: float = 15.0
    """The ``poller`` lease in the database lasts this long unless renewed: one poller at a
    time across processes. The holder renews it every ``lease_check_seconds`` (a job of its
    own, whatever the poll is doing); a standby takes it over at most ``lease_seconds +
    lease_check_seconds`` after the holder died (at once when it died on the same host)."""
    lease_check_seconds: float = 3.0
    """How often the holder renews the lease and a standby tries to take it."""
    timeout_seconds: float = 60.0
    backoff_max_seconds: float = 300.0
    oauth_authority: str = "https://login.microsoftonline.com/organizations"
    oauth_client_id: str = ""
    oauth_client_secret: SecretStr | None = None
    oauth_refresh_token: SecretStr | None = None
    oauth_scopes: list[str] = Field(
        default_factory=lambda: ["https://outlook.office365.com/.default"]
    )


class SmtpSettings(Section):
    host: str = "127.0.0.1"
    port: int = 587
    ssl: bool = False
    starttls: bool = True
    ca_file: str | None = None
    username: str = ""
    password: SecretStr | None = None
    from_address: str = "PSS Nominations <pss.nominations@england.example>"
    timeout_seconds: float = 30.0
    max_attempts: int = 8
    backoff_base_seconds: float = 30.0
    backoff_max_seconds: float = 3600.0
    send_seconds: int = 30
    claim_timeout_seconds: float = 600.0
    """A reply whose SMTP transaction started longer ago than this without being recorded as
    sent was interrupted (crash between the server's answer and our commit): it is not sent
    again blindly but marked failed and its case flagged for a person to check."""


class ReplySettings(Section):
    team_name: str = "National Patient Safety Team"
    message_id_domain: str = "pss.england.example"
    outbox_dir: str = "var/outbox"
    """Where ``demo`` and ``import`` write each reply as an .eml file instead of sending it."""
    max_per_case_per_day: int = 3
    max_per_sender_per_day: int = 10


class ChaserSettings(Section):
    after_working_days: int = Field(default=5, ge=1)
    """A case awaiting information is chased after this many working days (England: weekends
    and bank holidays do not count) without an answer, and again after the same interval."""
    max: int = Field(default=2, ge=0)
    """At most this many chasers; once they too go unanswered for the interval, the case goes
    to review (``no-answer-after-chasers``)."""
    daily_at: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    """When ``pss-intake run`` chases, every day, as HH:MM in England's time (Europe/London)."""


class ReviewSettings(Section):
    host: str = "127.0.0.1"
    port: int = 8080
    secret_key: SecretStr | None = None
    """Signs session cookies; from the environment. A random key per process if unset."""
    secure_cookies: bool = True
    attachment_max_download_bytes: int = 50 * 1024 * 1024
    session_hours: float = 8.0
    """A session ends this long after sign-in, whatever happens."""
    session_idle_minutes: float = 60.0
    """A session ends after this long without a request."""
    trusted_proxies: list[str] = Field(default_factory=list)
    """Addresses or networks (``10.0.0.0/8``) of reverse proxies whose ``X-Forwarded-For`` /
    ``X-Forwarded-Proto`` are believed; none by default (the peer's own address is used)."""


class NoticeSettings(Section):
    """UK GDPR Article 14 privacy notices to the people a completed case names."""

    enabled: bool = True
    """Queue a notice to each nominee (and person replaced) when a case completes; switch off
    where organisations send their own."""
    template_dir: str | None = None
    """A folder holding an administrator's own ``privacy-notice.txt.j2`` (Jinja2); the
    built-in text when unset."""


class DemoSettings(Section):
    mailbox: str = "demo/mailbox"
    """The sample mailbox shipped in the repo (a Maildir)."""
    database_url: str = "sqlite:///var/demo.db"
    outbox_dir: str = "var/demo-outbox"


class RetentionSettings(Section):
    """Days after which personal data is removed (docs/personal-data.md); null keeps it."""

    raw_mail_days: int | None = Field(default=730, ge=1)
    """Raw mail and attachments of cases that ended (complete, rejected, merged)."""
    not_a_nomination_days: int | None = Field(default=90, ge=1)
    """Everything of mail that nominated nobody (auto-replies, bounces, newsletters)."""
    outbox_days: int | None = Field(default=90, ge=1)
    """Reply bodies, subjects and recipients, after sending."""
    former_specialist_days: int | None = Field(default=730, ge=1)
    """Specialists no longer in post, after they left."""
    confidential_days: int | None = Field(default=365, ge=1)
    """Job title and pay band of specialists no longer in post, after they left."""
    audit_days: int | None = Field(default=2190, ge=1)
    """The audit log and the access log (six years)."""


class ServiceSettings(Section):
    instance: str = ""
    """This instance's name in the lease, logs and /healthz (default: the host name). Two
    instances on one host with the host name recognise each other's death by pid."""
    metrics_host: str = "127.0.0.1"
    """Address ``run`` serves ``/healthz`` and ``/metrics`` on (loopback: scrape it locally or
    through a proxy)."""
    metrics_port: Annotated[int, Field(ge=0, le=65535)] = 9464
    """Port for ``/healthz`` and ``/metrics``; 0 switches them off."""


class BudgetSettings(Section):
    """Limits each message is read under (issue 11); the raw bytes are stored before any."""

    read_seconds: float = Field(default=5.0, ge=0)
    """Wall time for parsing and reading one message; past it the rest is not read
    (``content-not-read``) and the case goes to review. 0: no limit."""
    text_chars: int = Field(default=300_000, ge=1)
    header_bytes: int = Field(default=65_536, ge=256)
    addresses_per_header: int = Field(default=500, ge=1)
    ids_per_references: int = Field(default=100, ge=2)
    attachment_text_chars: int = Field(default=200_000, ge=1)

    def limits(self) -> Budgets:
        """The parser's :class:`parsing.budget.Budgets` (everything but the time)."""
        return Budgets(text_chars=self.text_chars, header_bytes=self.header_bytes,
                       addresses_per_header=self.addresses_per_header,
                       ids_per_references=self.ids_per_references,
                       attachment_text_chars=self.attachment_text_chars)


class LoggingSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    format: Literal["text", "json"] = "text"
    """``text``: ``time level logger event=… k=v`` lines; ``json``: one JSON object per line
    with the same keys plus ``time``, ``level``, ``logger`` (for a SIEM)."""


class Settings(BaseSettings):
    """All settings. Build with :func:`load_settings`; tests may construct it directly."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid"
    )

    database: DatabaseSettings = DatabaseSettings()
    intake: IntakeSettings = IntakeSettings()
    imap: ImapSettings = ImapSettings()
    smtp: SmtpSettings = SmtpSettings()
    replies: ReplySettings = ReplySettings()
    chasers: ChaserSettings = ChaserSettings()
    review: ReviewSettings = ReviewSettings()
    notices: NoticeSettings = NoticeSettings()
    demo: DemoSettings = DemoSettings()
    retention: RetentionSettings = RetentionSettings()
    service: ServiceSettings = ServiceSettings()
    budgets: BudgetSettings = BudgetSettings()
    logging: LoggingSettings = LoggingSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment beats the file (passed as init values by load_settings).
        return (env_settings, init_settings)

    def own_addresses(self) -> frozenset[str]:
        """Lower-cased addresses that are ours (the mailbox and its aliases)."""
        return frozenset(
            a.lower() for a in [self.intake.mailbox_address, *self.intake.own_addresses]
        )

    def shared_domains(self) -> frozenset[str]:
        """Lower-cased domains no single organisation owns: ``intake.shared_domains`` and the
        webmail domains."""
        return frozenset(d.lower() for d in self.intake.shared_domains) | self.webmail_domains()

    def organisation_domains(self) -> frozenset[str]:
        """Lower-cased ``intake.allowed_sender_domains`` (each covers its subdomains)."""
        return frozenset(d.lower() for d in self.intake.allowed_sender_domains)

    def webmail_domains(self) -> frozenset[str]:
        """Lower-cased free webmail domains (``intake.webmail_domains``)."""
        return frozenset(d.lower() for d in self.intake.webmail_domains)


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a settings file; raises :class:`ConfigError` with a one-line reason."""
    if path.exists() and not path.is_file():
        raise ConfigError(f"config file {path} is not a regular file")
    if path.exists() and path.stat().st_size > MAX_CONFIG_BYTES:
        raise ConfigError(f"config file {path} is larger than {MAX_CONFIG_BYTES} bytes")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    except RecursionError as exc:
        raise ConfigError(f"config file {path} is nested too deeply") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise ConfigError(f"config file {path} is not valid YAML{where}: {problem}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must be a mapping of sections")
    # Keys are matched without regard to case (as the environment is), so the secret check
    # must be too: "IMAP: {PASSWORD: x}" is still a secret in the file.
    data = {str(k).lower(): ({str(kk).lower(): vv for kk, vv in v.items()}
                             if isinstance(v, dict) else v) for k, v in data.items()}
    for section, key in SECRET_KEYS:
        section_data = data.get(section)
        value = section_data.get(key) if isinstance(section_data, dict) else None
        if value not in (None, ""):
            env = f"{ENV_PREFIX}{section.upper()}__{key.upper()}"
            raise ConfigError(
                f"{path}: {section}.{key} is a secret; set it in the environment as {env}"
            )
    return data


def default_config_path() -> Path:
    """``$PSS_INTAKE_CONFIG`` if set, else ``config.yaml`` in the working directory."""
    return Path(os.environ.get("PSS_INTAKE_CONFIG", "config.yaml"))


def load_settings(path: Path | None = None) -> Settings:
    """Load settings from ``path`` (or :func:`default_config_path`) and the environment.

    A missing file is an error when it was asked for (``path``, or ``$PSS_INTAKE_CONFIG``);
    a missing ``./config.yaml`` means the built-in defaults.
    Raises :class:`ConfigError` (one-line message) for an unreadable or invalid file.
    """
    explicit = path is not None or bool(os.environ.get("PSS_INTAKE_CONFIG"))
    path = path or default_config_path()
    data: dict[str, Any] = {}
    if explicit or path.exists():
        data = read_yaml(path)
    try:
        return Settings(**data)
    except ValidationError as exc:
        # Name the setting and the problem, never the value (it may be a mistyped secret).
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors(include_input=False)[:3]
        )
        source = f"{path} or the environment" if path.exists() else "the environment"
        raise ConfigError(f"invalid settings (from {source}): {problems}") from exc
