"""A named lock in the database (:class:`store.models.Lease`): one poller at a time.

Two ``pss-intake run`` processes (or a ``poll --once`` from cron beside a service) may point
at the same database; only the holder of the ``poller`` lease talks to the mailbox. The lease
is taken with one atomic statement that works on SQLite and PostgreSQL alike::

    UPDATE lease SET holder = :me, expires_at = :until
     WHERE name = :name AND (expires_at < :now OR holder = :me)

and, when no row exists yet, an INSERT whose primary key makes a concurrent INSERT fail. A
holder renews it while working (the same statement); a holder that died loses it when it
expires, so another process takes over after at most ``ttl`` seconds, or at once when the
dead holder ran on this same host (its pid is gone): a service restarted after a crash does
not wait for its own old lease.

**Fencing**: a holder that stalled (or lost the database) for longer than ``ttl`` may have
been replaced without knowing it. :meth:`DbLease.fence` runs inside each of the holder's
transactions, just before COMMIT: ``UPDATE lease SET expires_at = … WHERE name = … AND
holder = me``. The row it updates stays locked until the COMMIT (PostgreSQL's row lock,
SQLite's single writer), so no other process can take the lease between the check and the
commit; when no row matches, it raises :class:`LeaseLost` and the transaction rolls back.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.errors import MailSourceError
from store.db import Database
from store.models import Lease, utcnow

POLLER = "poller"


class LeaseLost(MailSourceError):
    """Another process took the ``poller`` lease while this one was working (it stalled for
    longer than ``imap.lease_seconds``): this process's work stops at once, uncommitted."""


def make_holder(instance: str = "") -> str:
    """A holder id unique to this process and call: ``instance:pid:random``, where the
    instance name defaults to the host name (only then can a dead holder be recognised by
    its pid, see :func:`_dead_here`)."""
    name = (instance or socket.gethostname())[:64]
    return f"{name}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _dead_here(holder: str) -> bool:
    """True when ``holder`` names a process on this host that no longer exists."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:64] or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # this process, another lease object: alive by definition
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # exists, owned by someone else
    # A zombie (killed, not yet reaped by its parent) still answers kill(0).
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


class DbLease:
    """The lease ``name`` as held (or wanted) by ``holder``.

    :param ttl: seconds a taken or renewed lease lasts; renew well before (e.g. every ttl/3).
    """

    def __init__(self, db: Database, name: str = POLLER, *, holder: str | None = None,
                 ttl: float = 120.0) -> None:
        self.db = db
        self.name = name
        self.holder = holder or make_holder()
        self.ttl = ttl
        self.held = False

    def acquire(self, now: dt.datetime | None = None) -> bool:
        """Take or renew the lease; True when this holder has it until ``now + ttl``.

        False when another holder's lease has not expired. Never blocks on the lease itself
        (the database may wait for its own row locks).
        """
        now = now or utcnow()
        until = now + dt.timedelta(seconds=self.ttl)
        with self.db.transaction() as session:
            result = session.execute(
                update(Lease)
                .where(Lease.name == self.name)
                .where((Lease.expires_at < now) | (Lease.holder == self.holder))
                .values(holder=self.holder, expires_at=until)
                .execution_options(synchronize_session=False)
            )
            taken = bool(result.rowcount == 1)  # type: ignore[attr-defined]
        if not taken:
            try:
                with self.db.transaction() as session:
                    session.execute(
                        insert(Lease).values(name=self.name, holder=self.holder, expires_at=until)
                    )
                taken = True
            except IntegrityError:
                # The row exists: held by someone else (or taken between our two statements).
                taken = False
        if not taken:
            taken = self._take_from_dead_local_holder(until)
        self.held = taken
        return taken

    def _take_from_dead_local_holder(self, until: dt.datetime) -> bool:
        with self.db.transaction() as session:
            current = session.scalar(select(Lease.holder).where(Lease.name == self.name))
        if current is None or not _dead_here(current):
            return False
        with self.db.transaction() as session:
            result = session.execute(
                update(Lease)
                .where(Lease.name == self.name)
                .where(Lease.holder == current)
                .values(holder=self.holder, expires_at=until)
                .execution_options(synchronize_session=False)
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def fence(self, session: Session) -> None:
        """Inside a transaction about to commit: confirm this holder still has the lease
        (and extend it by ``ttl``), locking the lease row until the commit (see the module
        docstring). Raises :class:`LeaseLost` (and sets :attr:`held` False) otherwise."""
        result = session.execute(
            update(Lease)
            .where(Lease.name == self.name)
            .where(Lease.holder == self.holder)
            .values(expires_at=utcnow() + dt.timedelta(seconds=self.ttl))
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            self.held = False
            raise LeaseLost("the poller lease was taken over by another process")

    def current_holder(self) -> tuple[str, dt.datetime] | None:
        """(holder, expires_at) of the lease as the database has it now, or None."""
        with self.db.transaction() as session:
            row = session.get(Lease, self.name)
            return (row.holder, row.expires_at) if row is not None else None

    def renew(self, now: dt.datetime | None = None) -> bool:
        """Extend the lease; False (and :attr:`held` False) if it was lost meanwhile."""
        return self.acquire(now)

    def release(self) -> None:
        """Give the lease up (only if this holder has it), so another process may take it now."""
        with self.db.transaction() as session:
            session.execute(
                delete(Lease).where(Lease.name == self.name).where(Lease.holder == self.holder)
            )
        self.held = False
