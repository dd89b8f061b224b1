"""Shared fixtures: settings for tests, fresh migrated databases, and ``make_parsed`` (a
:class:`ParsedEmail` builder whose defaults describe an ordinary nomination from an NHS
executive to the national mailbox; people and numbers fictional, Ofcom drama range)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from parsing.model import Address, BodyText, Classification, ParsedEmail
from pss_intake.config import Settings
from pss_intake.corpus import FreshDatabases

TESTS = Path(__file__).resolve().parent
SAMPLES = TESTS / "samples"
FIXTURES = TESTS / "fixtures"


# The one place the tests learn which database to use: a PostgreSQL server URL whose user may
# create databases (tests/services/postgres_up.sh prints one), or unset for SQLite files.
TEST_DATABASE_URL = os.environ.get("PSS_INTAKE_TEST_DATABASE_URL") or None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL run only the tests that use the test database (every database a test
    touches comes from the ``databases`` fixture); the rest ran on SQLite already."""
    if TEST_DATABASE_URL is None:
        return
    keep = [item for item in items if "databases" in getattr(item, "fixturenames", ())]
    dropped = [item for item in items if "databases" not in getattr(item, "fixturenames", ())]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshDatabases]:
    """Fresh databases for the session: each test that asks gets one of its own."""
    scratch = FreshDatabases(tmp_path_factory.mktemp("dbs"), TEST_DATABASE_URL)
    yield scratch
    scratch.dispose()


@pytest.fixture()
def database_url(databases: FreshDatabases) -> str:
    """The URL of a new, migrated database for this test alone."""
    return databases.url()


@pytest.fixture()
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        database={"url": database_url},
        replies={"outbox_dir": str(tmp_path / "outbox")},
    )


EXECUTIVE = Address(name="Dr Helen Marsh", addr="helen.marsh@nhs.net")
MAILBOX = Address(name="PSS Nominations", addr="pss.nominations@england.example")


def build_parsed(**overrides: Any) -> ParsedEmail:
    """A parsed nomination email; keyword arguments replace any :class:`ParsedEmail` field."""
    base = ParsedEmail(
        message_id="<nomination.1@nhs.net>",
        subject="Patient Safety Specialist nomination",
        date=None,
        from_=EXECUTIVE,
        sender=None,
        reply_to=(),
        to=(MAILBOX,),
        cc=(),
        in_reply_to=None,
        references=(),
        headers={},
        body=BodyText(full="", new="", signature="", quoted=""),
        html=None,
        attachments=(),
        classification=Classification.NOMINATION,
    )
    return dataclasses.replace(base, **overrides)


@pytest.fixture
def make_parsed() -> Callable[..., ParsedEmail]:
    """The :func:`build_parsed` builder."""
    return build_parsed
