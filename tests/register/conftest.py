"""Fixtures for the register: a fresh migrated database with the shared fictional ODS sample
(tests/fixtures/register, copied from the team's sample) loaded, optionally with the roster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pss_intake.corpus import FreshDatabases
from register.ods import import_organisations
from register.roster import import_roster
from store.db import Database

DATA = Path(__file__).resolve().parent.parent / "fixtures" / "register"
ODS_FILES = [DATA / "etr.csv", DATA / "icb.csv", DATA / "independent.csv", DATA / "succ.csv"]


def load_organisations(db: Database) -> None:
    with db.transaction() as session:
        report = import_organisations(session, ODS_FILES)
        assert report.errors == []


def load_roster(db: Database) -> None:
    with db.transaction() as session:
        report = import_roster(session, DATA / "roster.csv")
        assert report.errors == []


@pytest.fixture()
def db(databases: FreshDatabases) -> Iterator[Database]:
    database = databases.new()
    yield database
    database.dispose()


@pytest.fixture()
def loaded_db(db: Database) -> Database:
    load_organisations(db)
    load_roster(db)
    return db
