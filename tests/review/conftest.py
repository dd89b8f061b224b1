from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The suite imports test modules with --import-mode=importlib (no sys.path changes): make the
# shared factories importable for this folder and tests/browser.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_factories import add_accounts, make_settings  # noqa: E402

from pss_intake.config import Settings  # noqa: E402
from store.db import Database, open_database  # noqa: E402


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the test accounts, made once (argon2 hashing and the Alembic
    upgrade are deliberately slow) and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "review.db"
    database = open_database(f"sqlite:///{path}")
    add_accounts(database)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(f"sqlite:///{tmp_path / 'review.db'}")


@pytest.fixture
def db(settings: Settings, template_db: Path, tmp_path: Path) -> Iterator[Database]:
    shutil.copyfile(template_db, tmp_path / "review.db")
    database = open_database(settings.database.url)
    yield database
    database.dispose()
