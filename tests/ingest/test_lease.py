"""The ``poller`` lease in the database: one holder at a time, expiry, renewal, release."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import threading

import pytest

from ingest.lease import DbLease
from store.db import Database, open_database
from store.models import Lease

T0 = dt.datetime(2025, 1, 13, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(database_url: str) -> Database:
    database = open_database(database_url)
    yield database
    database.dispose()


def _row(db: Database) -> tuple[str, dt.datetime] | None:
    with db.transaction() as session:
        lease = session.get(Lease, "poller")
        return (lease.holder, lease.expires_at) if lease else None


def test_first_taker_gets_it_second_does_not(db: Database) -> None:
    a = DbLease(db, holder="a", ttl=60)
    b = DbLease(db, holder="b", ttl=60)
    assert a.acquire(T0) is True
    assert b.acquire(T0 + dt.timedelta(seconds=30)) is False
    assert _row(db) == ("a", T0 + dt.timedelta(seconds=60))


def test_renewal_extends_and_expiry_hands_over(db: Database) -> None:
    a = DbLease(db, holder="a", ttl=60)
    b = DbLease(db, holder="b", ttl=60)
    assert a.acquire(T0)
    assert a.renew(T0 + dt.timedelta(seconds=50)) is True
    assert b.acquire(T0 + dt.timedelta(seconds=100)) is False  # a's lease runs to T0+110
    assert b.acquire(T0 + dt.timedelta(seconds=111)) is True
    assert a.renew(T0 + dt.timedelta(seconds=112)) is False
    assert a.held is False
    assert _row(db) == ("b", T0 + dt.timedelta(seconds=171))


def test_release_lets_another_take_it_at_once(db: Database) -> None:
    a = DbLease(db, holder="a", ttl=60)
    b = DbLease(db, holder="b", ttl=60)
    assert a.acquire(T0)
    a.release()
    assert _row(db) is None
    assert b.acquire(T0 + dt.timedelta(seconds=1)) is True


def test_release_by_non_holder_changes_nothing(db: Database) -> None:
    a = DbLease(db, holder="a", ttl=60)
    assert a.acquire(T0)
    DbLease(db, holder="b").release()
    assert _row(db) == ("a", T0 + dt.timedelta(seconds=60))


def test_concurrent_takers_exactly_one_wins(database_url: str) -> None:
    url = database_url
    open_database(url).dispose()
    barrier = threading.Barrier(8)
    results: list[bool] = []

    def take(i: int) -> None:
        database = Database(url)
        barrier.wait()
        results.append(DbLease(database, holder=f"h{i}", ttl=60).acquire())
        database.dispose()

    threads = [threading.Thread(target=take, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]


def test_dead_holder_on_this_host_is_taken_over_at_once(db: Database) -> None:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    host = socket.gethostname()[:64]
    alive = f"{host}:1:cafe"  # pid 1 is always there
    assert DbLease(db, holder=alive, ttl=3600).acquire()
    assert DbLease(db, ttl=60).acquire() is False
    DbLease(db, holder=alive).release()
    dead = f"{host}:{proc.stdout.strip()}:deadbeef"
    assert DbLease(db, holder=dead, ttl=3600).acquire()
    me = DbLease(db, ttl=60)
    assert me.acquire() is True
    assert _row(db)[0] == me.holder  # type: ignore[index]


def _mailbox_states(db: Database) -> list[str]:
    from sqlalchemy import select

    from store.models import MailboxState

    with db.transaction() as session:
        return list(session.scalars(select(MailboxState.mailbox).order_by(MailboxState.mailbox)))


def _write(db: Database, mailbox: str) -> None:
    from store.models import MailboxState

    with db.transaction() as session:
        session.add(MailboxState(mailbox=mailbox, uidvalidity=1, last_uid=0))


def test_a_fenced_holder_commits_and_extends_its_lease(db: Database) -> None:
    a = DbLease(db, holder="a", ttl=60)
    assert a.acquire(T0)
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    _write(db.fenced(a.fence), "INBOX")
    assert _mailbox_states(db) == ["INBOX"]
    holder, until = _row(db)  # type: ignore[misc]
    assert holder == "a"
    # The commit renewed the lease: now + 60 s (the row was T0 + 60 s, in 2025).
    assert until.replace(tzinfo=None) >= before + dt.timedelta(seconds=59)


def test_a_holder_replaced_while_stalled_commits_nothing(db: Database) -> None:
    from ingest.lease import LeaseLost

    a = DbLease(db, holder="a", ttl=60)
    b = DbLease(db, holder="b", ttl=60)
    assert a.acquire(T0)
    # a stalls past its expiry; b takes over; a wakes up believing it still holds the lease.
    assert b.acquire(T0 + dt.timedelta(seconds=61))
    assert a.held is True
    fenced = db.fenced(a.fence)
    with pytest.raises(LeaseLost):
        _write(fenced, "INBOX")
    with pytest.raises(LeaseLost):
        fenced.check_fence()  # what the IMAP source runs before each MOVE
    assert a.held is False
    assert _mailbox_states(db) == []
    assert _row(db) == ("b", T0 + dt.timedelta(seconds=121))
    _write(db.fenced(b.fence), "INBOX")  # the new holder's commits go through
    assert _mailbox_states(db) == ["INBOX"]


def test_an_expired_lease_nobody_took_still_fences_for_its_holder(db: Database) -> None:
    # The row lock makes "holder = me" enough: nobody can take the lease between the fence's
    # UPDATE and the COMMIT, so an expired but untaken lease is still safe to commit under.
    a = DbLease(db, holder="a", ttl=60)
    assert a.acquire(T0)
    _write(db.fenced(a.fence), "INBOX")
    assert _mailbox_states(db) == ["INBOX"]


def test_an_instance_name_replaces_the_host_name_in_the_holder() -> None:
    from ingest.lease import make_holder

    name, pid, token = make_holder("intake-b").split(":")
    assert (name, pid, len(token)) == ("intake-b", str(os.getpid()), 12)
    assert make_holder("").split(":")[0] == socket.gethostname()[:64]
