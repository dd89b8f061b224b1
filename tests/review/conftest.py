from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from review_factories import add_accounts, make_settings

from pss_intake.config import Settings
from store.db import Database, open_database


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(f"sqlite:///{tmp_path / 'review.db'}")


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = open_database(settings.database.url)
    add_accounts(database)
    yield database
    database.dispose()
