"""The Alembic migrations build exactly the schema the models describe, on the test database
(SQLite, or PostgreSQL with ``PSS_INTAKE_TEST_DATABASE_URL``): from an empty database, and
from the previous release's schema (revision 0003) with data in it."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from pss_intake.corpus import FreshDatabases
from store.db import MIGRATIONS, Database, open_database
from store.models import Base

PREVIOUS_RELEASE = "0003"


def _head() -> str:
    """The newest revision in store/migrations (one head: the chain never branches)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, heads
    return heads[0]


def _assert_matches_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == _head()
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_match_the_models(databases: FreshDatabases) -> None:
    db = open_database(databases.empty_url("m"))
    try:
        _assert_matches_models(db)
    finally:
        db.dispose()


def test_upgrade_is_idempotent(databases: FreshDatabases) -> None:
    url = databases.empty_url("m")
    open_database(url).dispose()
    db = open_database(url)
    try:
        _assert_matches_models(db)
    finally:
        db.dispose()


def test_previous_release_schema_with_data_upgrades_to_head(databases: FreshDatabases) -> None:
    db = Database(databases.empty_url("m"))
    try:
        db.upgrade(PREVIOUS_RELEASE)
        received = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC)
        with db.engine.begin() as connection:
            # The 0003 columns of raw_message, written as that release wrote them.
            connection.execute(text(
                "INSERT INTO raw_message (sha256, source, content, size, received_at, status,"
                " moved, oversized, attempts) VALUES (:sha, 'file:a.eml', :raw, 5, :at, 'processed', false,"
                " false, 1)"), {"sha": "ab" * 32, "raw": b"hello", "at": received})
        db.upgrade()
        _assert_matches_models(db)
        with db.engine.connect() as connection:
            row = connection.execute(text(
                "SELECT sha256, content, status, attempts FROM raw_message")).one()
        assert (row.sha256, bytes(row.content), row.status, row.attempts) == (
            "ab" * 32, b"hello", "processed", 1)
    finally:
        db.dispose()
