from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The suite imports test modules with --import-mode=importlib (no sys.path changes): make the
# shared factories importable for this folder and tests/browser.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_factories import add_accounts, make_settings  # noqa: E402

from pss_intake.config import Settings  # noqa: E402
from pss_intake.corpus import FreshDatabases  # noqa: E402
from store.db import Database, open_database  # noqa: E402


@pytest.fixture
def settings(databases: FreshDatabases) -> Settings:
    """Settings on a new copy of a migrated database with the test accounts (made once:
    argon2 hashing and the Alembic upgrade are deliberately slow)."""
    databases.template("review", add_accounts)
    return make_settings(databases.url("review"))


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = open_database(settings.database.url)
    yield database
    database.dispose()
