"""Throwaway databases for tests and benchmarks: SQLite files or PostgreSQL databases.

One :class:`ScratchDatabases` hands out fresh, independent databases quickly: each is a copy
of a template that was migrated (and optionally prepared) once — a file copy on SQLite,
``CREATE DATABASE … TEMPLATE …`` on PostgreSQL. With no server URL everything is SQLite
under ``folder``; with ``server_url`` (a PostgreSQL URL whose user may create databases, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``) each database is a new one on
that server, named ``pss_<pid>_<n>`` so parallel runs never meet.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from itertools import count
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from store.db import Database, open_database

MIGRATED = "migrated"


class ScratchDatabases:
    """Fresh databases on SQLite (files under ``folder``) or on a PostgreSQL server."""

    def __init__(self, folder: Path, server_url: str | None = None) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.server_url = server_url or None
        self._numbers = count(1)
        self._templates: dict[str, str] = {}
        self._admin_engine: Engine | None = None
        self.count = 0

    @property
    def is_postgresql(self) -> bool:
        return self.server_url is not None

    def empty_url(self, name: str = "db") -> str:
        """The URL of a new database with no tables at all (not migrated)."""
        self.count += 1
        database = self._name(name)
        if self.server_url is None:
            return f"sqlite:///{self.folder / f'{database}.db'}"
        self._admin(f'CREATE DATABASE "{database}"')
        return self._url_of(database)

    def template(self, key: str, prepare: Callable[[Database], None] | None = None) -> str:
        """Make (once per ``key``) a migrated database passed to ``prepare``; its URL."""
        if key not in self._templates:
            url = self.empty_url(f"template_{key}")
            db = open_database(url)
            try:
                if prepare is not None:
                    prepare(db)
                if db.is_sqlite:
                    with db.engine.connect() as connection:
                        # Fold the WAL into the file so a plain copy holds everything.
                        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                # PostgreSQL copies a template only while nobody is connected to it.
                db.dispose()
            self._templates[key] = url
        return self._templates[key]

    def url(self, key: str = MIGRATED, name: str = "db") -> str:
        """The URL of a new database that is a copy of template ``key`` (default: migrated)."""
        source = self.template(key)
        if self.server_url is None:
            target = self.empty_url(name)
            shutil.copyfile(make_url(source).database or "", make_url(target).database or "")
            return target
        self.count += 1
        database = self._name(name)
        self._admin(f'CREATE DATABASE "{database}" TEMPLATE "{make_url(source).database}"')
        return self._url_of(database)

    def new(self, key: str = MIGRATED) -> Database:
        """A :class:`Database` on a new copy of template ``key``; the caller disposes it."""
        return Database(self.url(key))

    def _name(self, label: str) -> str:
        """A database name unique to this process: ``pss_<pid>_<n>_<label>``."""
        label = re.sub(r"[^a-z0-9]+", "_", label.lower())[:20]
        return f"pss_{os.getpid()}_{next(self._numbers)}_{label}"

    def _url_of(self, database: str) -> str:
        assert self.server_url is not None
        return make_url(self.server_url).set(database=database).render_as_string(
            hide_password=False)

    def _admin(self, statement: str) -> None:
        assert self.server_url is not None
        if self._admin_engine is None:
            # CREATE DATABASE cannot run inside a transaction block.
            self._admin_engine = create_engine(self.server_url, isolation_level="AUTOCOMMIT",
                                               pool_size=1)
        with self._admin_engine.connect() as connection:
            connection.execute(text(statement))

    def dispose(self) -> None:
        """Close the connection to the server (the databases stay until it is thrown away)."""
        if self._admin_engine is not None:
            self._admin_engine.dispose()
            self._admin_engine = None
