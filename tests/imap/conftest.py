"""Fixtures for the real-server tests: one throwaway Dovecot and one aiosmtpd server for the
session, a fresh set of IMAP folders and a fresh SQLite database per test.

If ``dovecot`` is not installed these tests FAIL (they never skip): CI installs
``dovecot-imapd`` (see .ci/run).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from imap_helpers import Folders  # noqa: E402
from imap_servers import Dovecot, ServerMissing, SmtpServer  # noqa: E402

from pss_intake.config import Settings  # noqa: E402
from store.db import Database, open_database  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.imap)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    try:
        server = Dovecot()
    except ServerMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    server.start()
    yield server
    server.stop(purge=True)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> Iterator[SmtpServer]:
    smtp_server.handler.reset()
    yield smtp_server
    smtp_server.handler.reset()


_counter = iter(range(1, 1_000_000))


@pytest.fixture
def folders(request: pytest.FixtureRequest, dovecot: Dovecot) -> Iterator[Folders]:
    """An empty intake folder (and names for processed/review) unique to the test."""
    base = re.sub(r"[^A-Za-z0-9]+", "-", request.node.name)[:60].strip("-")
    f = Folders(dovecot, f"t{next(_counter)}-{base}")
    f.create()
    yield f


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and key in out else value
    return out


@pytest.fixture
def make_settings(database_url: str, dovecot: Dovecot, smtp: SmtpServer,
                  folders: Folders) -> Callable[..., Settings]:
    """Settings for this test's folders, database (its own, see tests/conftest.py) and servers;
    keyword arguments are sections to merge in, e.g. ``imap={"poll_seconds": 1}``."""

    def make(**sections: dict[str, Any]) -> Settings:
        base: dict[str, Any] = {
            "database": {"url": database_url},
            "imap": dovecot.imap_settings(
                folder=folders.intake, processed_folder=folders.processed,
                review_folder=folders.review, poll_seconds=60, idle=False,
                backoff_max_seconds=1.0, lease_seconds=30.0),
            "smtp": smtp.smtp_settings(),
            "replies": {"max_per_sender_per_day": 1000, "max_per_case_per_day": 1000},
            # Tests that want /healthz and /metrics give a free port; two services in one
            # test must not both take the default one.
            "service": {"metrics_port": 0},
            # These tests count replies to senders; privacy notices have tests of their own.
            "notices": {"enabled": False},
        }
        return Settings(**_merge(base, sections))

    return make


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = open_database(settings.database.url)
    yield database
    database.dispose()
