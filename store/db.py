"""Engine, sessions, the ``transaction()`` unit of work, and schema upgrades (Alembic).

SQLite (WAL, busy timeout) is the default; PostgreSQL works with the same code and migrations.
Nothing here is global: build a :class:`Database` and pass it to whoever needs it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(Exception):
    """The database cannot be opened or upgraded."""


class Database:
    """One database: an engine and a session factory.

    :param url: a SQLAlchemy URL, e.g. ``sqlite:///var/pss-intake.db`` or
        ``postgresql+psycopg://user@host/db``. A SQLite file's folder is created if missing.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            # Several processes (poller, web app) share the file: wait for locks, don't fail.
            kwargs["connect_args"] = {"timeout": 30}
        self.engine: Engine = create_engine(url, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        # PostgreSQL refuses NUL in text; mail can carry one anywhere (Message-ID, Subject raw
        # or as =00 in an encoded word, a name). Every database gets the same storable text.
        event.listen(self.engine, "before_cursor_execute", _storable_parameters, retval=True)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.fence: Callable[[Session], None] | None = None

    def fenced(self, fence: Callable[[Session], None]) -> Database:
        """This database (same engine and sessions) with ``fence(session)`` run in every
        :meth:`transaction` just before COMMIT; whatever it raises rolls the transaction back
        (:meth:`ingest.lease.DbLease.fence`: only the lease holder commits)."""
        view = copy.copy(self)
        view.fence = fence
        return view

    def check_fence(self) -> None:
        """Run the fence on its own (e.g. before an IMAP MOVE); nothing when unfenced."""
        if self.fence is not None:
            with self.transaction():
                pass

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any exception."""
        session = self.sessions()
        try:
            yield session
            if self.fence is not None:
                self.fence(session)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` (default: the newest; safe to call on every start).

        Raises :class:`StoreError` when the database cannot be reached or upgraded.
        """
        import logging

        # Alembic reports every plugin (as it is imported) and step at INFO; an operator needs
        # only problems, and our one line below.
        logging.getLogger("alembic").setLevel(logging.WARNING)

        from alembic import command
        from alembic.config import Config
        from alembic.migration import MigrationContext

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        try:
            with self.engine.begin() as connection:
                before = MigrationContext.configure(connection).get_current_revision()
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, revision)
                after = MigrationContext.configure(connection).get_current_revision()
        except Exception as exc:
            raise StoreError(
                f"cannot upgrade database schema: {exc.__class__.__name__}: {exc}"
            ) from exc
        log = logging.getLogger("store.db")
        if before == after:
            log.info("event=schema-current revision=%s", after)
        else:
            log.info("event=schema-upgraded from=%s to=%s", before or "empty", after)

    def dispose(self) -> None:
        self.engine.dispose()


#: What a NUL (U+0000) in a text value is stored as: U+FFFD REPLACEMENT CHARACTER, so a
#: reader sees that something was there. Bytes (the raw message) are never changed.
NUL_REPLACEMENT = "\ufffd"


def storable_text(value: str) -> str:
    """``value`` with every NUL replaced by :data:`NUL_REPLACEMENT` (PostgreSQL's text types
    cannot hold NUL; SQLite stores the same so both databases agree)."""
    return value.replace("\x00", NUL_REPLACEMENT) if "\x00" in value else value


def _storable_value(value: Any) -> Any:
    return storable_text(value) if isinstance(value, str) else value


def _storable_parameters(_conn: Any, _cursor: Any, statement: str, parameters: Any,
                         _context: Any, executemany: bool) -> tuple[str, Any]:
    """``before_cursor_execute`` hook: the parameters (a dict or sequence, or a list of them
    for executemany) with NULs in their text values replaced; the statement unchanged."""
    def clean(params: Any) -> Any:
        if isinstance(params, dict):
            return {k: _storable_value(v) for k, v in params.items()}
        if isinstance(params, (list, tuple)):
            return type(params)(_storable_value(v) for v in params)
        return params

    if executemany and isinstance(parameters, (list, tuple)):
        return statement, type(parameters)(clean(p) for p in parameters)
    return statement, clean(parameters)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web app read while the poller writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL never corrupts and survives a process crash (SIGKILL); only an OS
    # crash or power cut may lose the last commits. PostgreSQL is the production database.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def open_database(url: str, *, echo: bool = False, upgrade: bool = True) -> Database:
    """Open ``url`` and (by default) upgrade its schema. Raises :class:`StoreError`."""
    db = Database(url, echo=echo)
    if upgrade:
        db.upgrade()
    return db
