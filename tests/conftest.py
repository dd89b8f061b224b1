"""Shared fixtures: settings for tests, fresh migrated databases, the corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

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

