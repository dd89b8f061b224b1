"""The outbox sender against a real SMTP server that refuses on demand: retries with backoff,
permanent refusals, giving up, and every reply delivered exactly once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from imap_helpers import Folders, audit_actions, cases, counts, outbox_rows
from imap_servers import SmtpServer, free_port
from mailgen import nomination

from ingest.poller import poll_once
from replies.sender import envelope_recipients, send_pending
from store.db import Database, open_database
from store.models import CaseState, utcnow


def _queue(settings: Any, folders: Folders, n: int) -> Database:
    db = open_database(settings.database.url)
    folders.append(*[nomination(i) for i in range(1, n + 1)])
    assert poll_once(db, settings).stored == n
    assert counts(db)["outbox_pending"] == n
    return db


def test_refusing_for_a_while_then_accepting_delivers_each_reply_exactly_once(
        make_settings: Any, folders: Folders, smtp: SmtpServer) -> None:
    settings = make_settings(smtp={"backoff_base_seconds": 10, "backoff_max_seconds": 25})
    db = _queue(settings, folders, 3)
    t0 = utcnow()
    smtp.handler.refuse_data = "451 4.3.0 try later"

    first = send_pending(db, settings, now=t0)
    assert (first.due, first.sent, first.retrying, first.failed) == (3, 0, 3, 0)
    rows = outbox_rows(db)
    assert [(r.status, r.attempts, r.sending_started_at) for r in rows] == [
        ("pending", 1, None)] * 3
    assert [r.next_attempt_at for r in rows] == [t0 + dt.timedelta(seconds=10)] * 3
    assert all(r.last_error == "451 4.3.0 try later" for r in rows)

    # Not due yet: nothing is tried.
    assert send_pending(db, settings, now=t0 + dt.timedelta(seconds=9)).due == 0
    second = send_pending(db, settings, now=t0 + dt.timedelta(seconds=10))
    assert (second.due, second.retrying) == (3, 3)
    # Exponential: base × 2^(attempts−1) = 20 s after the second failure.
    assert [r.next_attempt_at for r in outbox_rows(db)] == [t0 + dt.timedelta(seconds=30)] * 3
    third = send_pending(db, settings, now=t0 + dt.timedelta(seconds=30))
    assert third.retrying == 3
    # Capped at backoff_max_seconds (40 s would be next).
    assert [r.next_attempt_at for r in outbox_rows(db)] == [t0 + dt.timedelta(seconds=55)] * 3
    assert smtp.handler.refused == 9
    assert smtp.handler.messages == []

    smtp.handler.refuse_data = None
    done = send_pending(db, settings, now=t0 + dt.timedelta(seconds=55))
    assert (done.due, done.sent, done.retrying, done.failed) == (3, 3, 0, 0)
    assert send_pending(db, settings, now=t0 + dt.timedelta(hours=5)).due == 0
    rows = outbox_rows(db)
    assert [(r.status, r.attempts, r.last_error) for r in rows] == [("sent", 4, None)] * 3
    assert sorted(str(m.msg["Message-ID"]) for m in smtp.handler.messages) == sorted(
        r.message_id for r in rows)
    assert len(smtp.handler.messages) == 3
    db.dispose()


def test_permanent_refusal_fails_the_reply_and_flags_the_case(
        make_settings: Any, folders: Folders, smtp: SmtpServer) -> None:
    settings = make_settings()
    db = _queue(settings, folders, 1)
    smtp.handler.refuse_rcpt = "550 5.1.1 no such user"
    report = send_pending(db, settings)
    assert (report.sent, report.failed, report.retrying) == (0, 1, 0)
    [row] = outbox_rows(db)
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error == "refused: recipients refused: 550 5.1.1 no such user"
    [case] = cases(db)
    assert case.state == CaseState.NEEDS_REVIEW
    [entry] = audit_actions(db, "reply-failed")
    assert (entry.case_id, entry.new_value) == (case.id, row.message_id)
    smtp.handler.refuse_rcpt = None
    assert send_pending(db, settings).due == 0
    assert smtp.handler.messages == []
    db.dispose()


def test_gives_up_after_max_attempts(make_settings: Any, folders: Folders,
                                     smtp: SmtpServer) -> None:
    settings = make_settings(smtp={"max_attempts": 2, "backoff_base_seconds": 1})
    db = _queue(settings, folders, 1)
    smtp.handler.refuse_data = "452 4.2.2 mailbox full"
    t0 = utcnow()
    assert send_pending(db, settings, now=t0).retrying == 1
    last = send_pending(db, settings, now=t0 + dt.timedelta(seconds=5))
    assert (last.retrying, last.failed) == (0, 1)
    [row] = outbox_rows(db)
    assert (row.status, row.attempts) == ("failed", 2)
    assert row.last_error == "gave up after 2 attempts: 452 4.2.2 mailbox full"
    assert cases(db)[0].state == CaseState.NEEDS_REVIEW
    assert len(audit_actions(db, "reply-failed")) == 1
    db.dispose()


def test_smtp_server_down_then_up(make_settings: Any, folders: Folders,
                                  smtp: SmtpServer) -> None:
    settings = make_settings()
    db = _queue(settings, folders, 2)
    down = settings.model_copy(update={"smtp": settings.smtp.model_copy(
        update={"port": free_port()})})
    t0 = utcnow()
    report = send_pending(db, down, now=t0)
    assert (report.due, report.retrying, report.sent) == (2, 2, 0)
    assert all(r.last_error and r.last_error.startswith("cannot connect: ConnectionRefusedError")
               for r in outbox_rows(db))
    up = send_pending(db, settings, now=t0 + dt.timedelta(seconds=2))
    assert (up.sent, up.retrying) == (2, 0)
    assert len(smtp.handler.messages) == 2
    db.dispose()


def test_envelope_recipients_are_one_mailbox_each() -> None:
    assert envelope_recipients(['"Marsh, Helen" <helen.marsh@x.nhs.uk>', "a@b.nhs.uk"]) == [
        "helen.marsh@x.nhs.uk", "a@b.nhs.uk"]
    for bad in (["Marsh, Helen <helen.marsh@x.nhs.uk>"], ["a@b, c@d"], ["nobody"], []):
        try:
            envelope_recipients(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")
