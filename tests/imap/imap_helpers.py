"""Helpers for the real-server tests: folders on the test Dovecot, database look-ups, samples."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import yaml
from imap_servers import REPO, Dovecot, SmtpServer
from sqlalchemy import func, select

from pss_intake.config import Settings
from store.db import Database
from store.models import AuditEntry, Case, OutboxMessage, RawMessage, RuleResult

SAMPLES = REPO / "tests" / "samples"


def sample(name: str) -> bytes:
    """A sample message's bytes with CRLF line ends (as IMAP serves them)."""
    data = (SAMPLES / name).read_bytes()
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


@dataclass
class Folders:
    """The intake, processed and review folders of one test."""

    dovecot: Dovecot
    intake: str

    @property
    def processed(self) -> str:
        return f"{self.intake}-done"

    @property
    def review(self) -> str:
        return f"{self.intake}-review"

    def create(self) -> None:
        with self.dovecot.client() as c:
            c.create_folder(self.intake)

    def append(self, *messages: bytes, folder: str | None = None) -> None:
        """APPEND (MULTIAPPEND when several) to the intake folder."""
        with self.dovecot.client() as c:
            if len(messages) == 1:
                c.append(folder or self.intake, messages[0])
            else:
                c.multiappend(folder or self.intake, list(messages))

    def contents(self, folder: str) -> list[tuple[int, bytes, tuple[bytes, ...]]]:
        """(uid, bytes, flags) of every message in ``folder``; [] when it does not exist."""
        with self.dovecot.client() as c:
            if not c.folder_exists(folder):
                return []
            c.select_folder(folder, readonly=True)
            uids = c.search("ALL")
            data = c.fetch(uids, ["BODY.PEEK[]", "FLAGS"]) if uids else {}
            return [(u, data[u][b"BODY[]"], tuple(data[u][b"FLAGS"])) for u in sorted(data)]

    def count(self, folder: str) -> int:
        return len(self.contents(folder))

    def recreate_intake(self) -> None:
        """Delete and recreate the intake folder: Dovecot gives it a new UIDVALIDITY."""
        with self.dovecot.client() as c:
            c.delete_folder(self.intake)
            c.create_folder(self.intake)

    def uidvalidity(self) -> int:
        with self.dovecot.client() as c:
            return int(c.select_folder(self.intake, readonly=True)[b"UIDVALIDITY"])


def counts(db: Database) -> dict[str, int]:
    """How many raw messages, cases and outbox rows (by status) the database holds."""
    with db.transaction() as s:
        out = {
            "raw": s.scalar(select(func.count()).select_from(RawMessage)) or 0,
            "cases": s.scalar(select(func.count()).select_from(Case)) or 0,
            "outbox": s.scalar(select(func.count()).select_from(OutboxMessage)) or 0,
        }
        for status, n in s.execute(select(OutboxMessage.status, func.count())
                                   .group_by(OutboxMessage.status)):
            out[f"outbox_{status}"] = n
        return out


def raw_rows(db: Database) -> list[RawMessage]:
    with db.transaction() as s:
        return list(s.scalars(select(RawMessage).order_by(RawMessage.id)))


def outbox_rows(db: Database) -> list[OutboxMessage]:
    with db.transaction() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def cases(db: Database) -> list[Case]:
    with db.transaction() as s:
        return list(s.scalars(select(Case).order_by(Case.id)))


def audit_actions(db: Database, action: str) -> list[AuditEntry]:
    with db.transaction() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)
                              .order_by(AuditEntry.id)))


def one_mailbox_each(header_value: str) -> list[tuple[str, str]]:
    """Parse an address header with the stdlib's strict parser; (name, addr) per mailbox."""
    return [(n, a) for n, a in getaddresses([header_value]) if a]


def write_config(path: Path, settings: Settings) -> dict[str, str]:
    """Write ``settings`` (minus secrets) as config.yaml; returns the env with the secrets."""
    data: dict[str, Any] = settings.model_dump(mode="json")
    env = {}
    for section, key in (("imap", "password"), ("smtp", "password"),
                         ("imap", "oauth_client_secret"), ("imap", "oauth_refresh_token")):
        value = getattr(getattr(settings, section), key)
        data[section].pop(key, None)
        if value is not None:
            env[f"PSS_INTAKE_{section.upper()}__{key.upper()}"] = value.get_secret_value()
    data.pop("review", None)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return env


def run_cli(config: Path, secrets: dict[str, str], *args: str, crash_at: str | None = None,
            extra_env: dict[str, str] | None = None, timeout: float = 60
            ) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pss_intake.cli --config CONFIG ARGS`` in a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSS_INTAKE_")}
    env.update(secrets)
    env.update(extra_env or {})
    if crash_at:
        env["PSS_INTAKE_TEST_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-m", "pss_intake.cli", "--config", str(config),
                           *args], env=env, capture_output=True, text=True, timeout=timeout,
                          cwd=str(REPO))


def smtp_message_ids(smtp: SmtpServer) -> list[str]:
    return [str(m.msg["Message-ID"]) for m in smtp.handler.messages]


def flags_of(db: Database, case_id: int | None) -> list[str]:
    """Names of the flag rules that hit in the case's latest evaluation, sorted."""
    with db.transaction() as s:
        last = s.scalar(select(func.max(RuleResult.evaluation))
                        .where(RuleResult.case_id == case_id))
        return sorted(s.scalars(select(RuleResult.rule).where(
            RuleResult.case_id == case_id, RuleResult.evaluation == last,
            RuleResult.hit.is_(True), RuleResult.kind == "flag")))
