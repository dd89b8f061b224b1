"""/healthz's verdict (pss_intake.health.health) on a real SQLite database: the three poll
intervals rule for the holder, the lease check for a standby, the start-up grace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.lease import DbLease
from pss_intake.health import Liveness, health
from store.db import Database, open_database
from store.models import OutboxMessage, utcnow

T = 1_800_000_000.0  # epoch seconds: "now" in these tests


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path}/h.db")
    yield database
    database.dispose()


def _live(started: float, last_poll: float | None = None,
          last_check: float | None = None) -> Liveness:
    return Liveness(started, last_poll, last_check, imap_connected=True, idling=False)


def test_the_holder_is_healthy_until_three_poll_intervals_pass_without_a_poll(
        db: Database) -> None:
    lease = DbLease(db, holder="host-a:1:x", ttl=15)
    assert lease.acquire()
    status, body = health(db, lease, _live(T - 600, last_poll=T - 180), 60, now=T)
    assert (status, body["status"], body["role"]) == (200, "ok", "active")
    assert body["last_successful_poll"] == dt.datetime.fromtimestamp(
        T - 180, dt.UTC).isoformat(timespec="seconds")
    assert body["lease"]["holder"] == "host-a:1:x" and body["lease"]["held_here"] is True
    status, body = health(db, lease, _live(T - 600, last_poll=T - 181), 60, now=T)
    assert (status, body["problems"]) == (503, ["no successful poll for 180 s"])


def test_a_service_just_started_has_three_intervals_grace(db: Database) -> None:
    lease = DbLease(db, holder="host-a:1:x", ttl=15)
    assert lease.acquire()
    assert health(db, lease, _live(T - 179), 60, now=T)[0] == 200
    assert health(db, lease, _live(T - 181), 60, now=T)[0] == 503


def test_a_standby_is_judged_by_its_lease_checks(db: Database) -> None:
    holder = DbLease(db, holder="host-a:1:x", ttl=15)
    assert holder.acquire()
    standby = DbLease(db, holder="host-b:2:y", ttl=15)
    assert standby.acquire() is False
    status, body = health(db, standby, _live(T - 600, last_check=T - 5), 60, now=T)
    assert (status, body["role"], body["last_successful_poll"]) == (200, "standby", None)
    assert body["lease"] == {"holder": "host-a:1:x", "held_here": False,
                             "expires_at": body["lease"]["expires_at"]}
    status, body = health(db, standby, _live(T - 600, last_check=T - 200), 60, now=T)
    assert (status, body["problems"]) == (503, ["no successful lease check for 180 s"])


def test_outbox_depth_counts_pending_replies_and_the_oldest_age(db: Database) -> None:
    lease = DbLease(db, holder="host-a:1:x", ttl=15)
    assert lease.acquire()
    now = utcnow()
    with db.transaction() as s:
        for n, (status, age) in enumerate([("pending", 90), ("pending", 30), ("sent", 900)]):
            s.add(OutboxMessage(message_id=f"<r{n}@x>", template="t", recipients=[],
                                subject="s", content=b"", status=status,
                                created_at=now - dt.timedelta(seconds=age)))
    status, body = health(db, lease, _live(T, last_poll=T), 60, now=T)
    assert status == 200
    assert body["outbox"]["depth"] == 2
    assert 90 <= body["outbox"]["oldest_pending_age_seconds"] < 95


def test_an_unreachable_database_is_unhealthy(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path}/h.db")
    lease = DbLease(db, holder="host-a:1:x", ttl=15)
    db.dispose()
    # A database URL that cannot be opened: a directory in the place of the file.
    broken = Database(f"sqlite:///{tmp_path}")
    lease.db = broken
    status, body = health(broken, lease, _live(T, last_poll=T), 60, now=T)
    assert (status, body["database"], body["problems"]) == (
        503, {"reachable": False}, ["database unreachable"])
    assert body["outbox"] == {"depth": None, "oldest_pending_age_seconds": None}
