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
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from store.db import Database
from store.models import Lease, utcnow

POLLER = "poller"


def make_holder() -> str:
    """A holder id unique to this process and call: ``host:pid:random``."""
    return f"{socket.gethostname()[:64]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


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
