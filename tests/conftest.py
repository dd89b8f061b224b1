"""Shared fixtures: settings for tests, fresh migrated databases, and ``make_parsed`` (a
:class:`ParsedEmail` builder whose defaults describe an ordinary nomination from an NHS
executive to the national mailbox; people and numbers fictional, Ofcom drama range)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from parsing.model import Address, BodyText, Classification, ParsedEmail
from pss_intake.config import Settings
from pss_intake.corpus import FreshDatabases

TESTS = Path(__file__).resolve().parent
SAMPLES = TESTS / "samples"
FIXTURES = TESTS / "fixtures"


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> FreshDatabases:
    return FreshDatabases(tmp_path_factory.mktemp("dbs"))


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database={"url": f"sqlite:///{tmp_path / 'test.db'}"},
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
