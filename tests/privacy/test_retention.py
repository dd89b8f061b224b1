"""The retention schedule over a frozen clock: what is due goes from every table (checked
byte by byte, in the rows and in the SQLite file), tombstones stay, open cases and specialists
in post stay. Fictional people, Ofcom drama numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update

from privacy.retention import RetentionPolicy, apply_retention
from pss_intake.config import Settings
from pss_intake.corpus import FreshDatabases
from pss_intake.pipeline import Incoming, ingest
from store.db import Database
from store.models import AuditEntry, Base, Case, OutboxMessage, RawMessage, Specialist

NOW = dt.datetime(2028, 6, 1, 9, 0, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=1000)


def mail(sender: str, subject: str, body: str, message_id: str, extra: str = "") -> bytes:
    head = (f"From: {sender}\r\nTo: pss.nominations@england.example\r\nSubject: {subject}\r\n"
            f"Date: Mon, 03 Mar 2025 10:00:00 +0000\r\nMessage-ID: {message_id}\r\n{extra}"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
    return (head + body.replace("\n", "\r\n")).encode()


def nomination(line: str) -> str:
    return (f"Dear team,\n\n{line}\n\nI confirm that the Identifying Patient Safety "
            "Specialists document has been considered.\n\nKind regards,\nTom Reeve\n"
            "Chief Nurse, Dunmore Hospitals NHS Trust\n")


EXEC = "Tom Reeve <tom.reeve@dunmore.nhs.uk>"
FIRST = nomination("Maya Patel is our first Patient Safety Specialist.\n\nName: Maya Patel\n"
                   "Email: maya.patel@nhs.net\nPhone: 07700 900611\nJob title: Head of "
                   "Patient Safety\nBand: 8b")
REPLACEMENT = nomination("Owen Hart will replace Maya Patel as our Patient Safety "
                         "Specialist.\n\nNew PSS: Owen Hart, owen.hart@nhs.net, 07700 900612\n"
                         "Replacing: Maya Patel, maya.patel@nhs.net, 07700 900611")
OPEN = nomination("Our first Patient Safety Specialist is Ruth Gale, ruth.gale@nhs.net, "
                  "07700 900613.")
AUTO = "I am out of the office until Monday.\n\nLena Voss\n"


@pytest.fixture()
def db(databases: FreshDatabases):  # type: ignore[no-untyped-def]
    database = databases.new()
    # The counts below are of replies; privacy notices have tests of their own.
    settings = Settings(notices={"enabled": False})
    for raw in (mail(EXEC, "PSS nomination", FIRST, "<r1@dunmore.nhs.uk>"),
                mail(EXEC, "PSS replacement", REPLACEMENT, "<r2@dunmore.nhs.uk>"),
                mail("Ruth's boss <rg.boss@gmail.com>", "PSS", OPEN, "<r3@gmail.com>"),
                mail("Lena Voss <lena.voss@nhs.net>", "Out of office", AUTO, "<r4@nhs.net>",
                     "Auto-Submitted: auto-replied\r\n")):
        ingest(database, settings, Incoming(raw, "test"))
    with database.transaction() as session:
        session.execute(update(Case).values(created_at=LONG_AGO, updated_at=LONG_AGO))
        session.execute(update(Case).where(Case.completed_at.is_not(None))
                        .values(completed_at=LONG_AGO))
        session.execute(update(Specialist).where(Specialist.in_post.is_(False))
                        .values(ended_at=LONG_AGO))
        session.execute(update(OutboxMessage).values(status="sent", sent_at=LONG_AGO,
                                                     created_at=LONG_AGO))
    yield database
    database.dispose()


def states(db: Database) -> list[tuple[str, str]]:
    with db.transaction() as session:
        return [(c.reference or "", c.state) for c in session.scalars(select(Case).order_by(Case.id))]


def everything(db: Database) -> str:
    """Every value of every row of every table, as one text."""
    parts = []
    with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                for value in row:
                    parts.append(value.decode("utf-8", "replace")
                                 if isinstance(value, bytes) else str(value))
    return "\n".join(parts)


def test_the_fixture_is_what_the_tests_assume(db: Database) -> None:
    assert [s for _, s in states(db)] == ["complete", "complete", "needs_review",
                                          "not_a_nomination"]


def test_dry_run_counts_and_changes_nothing(db: Database) -> None:
    before = everything(db)
    report = apply_retention(db, RetentionPolicy(), now=NOW, dry_run=True)
    # confidential: Maya (left, with a job title and band); former: Maya; raw mail: one message
    # each of the two complete cases; not a nomination: the auto-reply's case; outbox: the
    # acknowledgements of the two complete cases (the review case and the auto-reply get none).
    assert report.removed == {"confidential": 1, "former_specialist": 1, "raw_mail": 2,
                              "not_a_nomination": 1, "outbox": 2, "audit": 0}
    assert everything(db) == before


def test_due_data_is_gone_from_every_table_and_the_file(db: Database) -> None:
    report = apply_retention(db, RetentionPolicy(), now=NOW)
    assert report.removed["raw_mail"] == 2 and report.removed["former_specialist"] == 1
    text = everything(db)
    for gone in ("maya.patel@nhs.net", "Maya Patel", "+447700900611", "Head of Patient Safety",
                 "lena.voss@nhs.net", "out of the office"):
        assert gone not in text, gone
    path = Path(db.engine.url.database or "")
    if db.is_sqlite:
        stored = path.read_bytes() + (Path(f"{path}-wal").read_bytes()
                                      if Path(f"{path}-wal").exists() else b"")
        assert b"maya.patel@nhs.net" not in stored and b"out of the office" not in stored
    with db.transaction() as session:
        owen = session.scalars(select(Specialist).where(Specialist.in_post.is_(True))).one()
        # In post: the register keeps him whole; the raw mail that named him is gone.
        assert (owen.name, owen.email, owen.phone) == ("Owen Hart", "owen.hart@nhs.net",
                                                       "+447700900612")
        raws = session.scalars(select(RawMessage).order_by(RawMessage.id)).all()
        assert [r.content == b"" for r in raws] == [True, True, False, True]
        assert b"ruth.gale@nhs.net" in raws[2].content  # open case: never removed by age
        tombstones = session.scalars(select(Case).where(Case.purged_at.is_not(None))
                                     .order_by(Case.id)).all()
        assert [(c.state, c.organisation is not None) for c in tombstones] == [
            ("complete", True), ("complete", True), ("not_a_nomination", False)]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "retention")).one()
        assert entry.reason == ("removed under the retention schedule: confidential 1, "
                                "former_specialist 1, outbox 2, raw_mail 2, not_a_nomination 1")


def test_nothing_is_due_before_its_period(db: Database) -> None:
    report = apply_retention(db, RetentionPolicy(), now=LONG_AGO + dt.timedelta(days=80))
    assert set(report.removed.values()) == {0}


def test_a_second_run_removes_nothing_more(db: Database) -> None:
    apply_retention(db, RetentionPolicy(), now=NOW)
    again = apply_retention(db, RetentionPolicy(), now=NOW)
    assert set(again.removed.values()) == {0}


def test_the_audit_log_is_kept_for_its_own_period(db: Database) -> None:
    with db.transaction() as session:
        session.execute(update(AuditEntry).values(at=LONG_AGO))
        old = len(session.scalars(select(AuditEntry)).all())
    policy = RetentionPolicy(audit_days=900, raw_mail_days=None, not_a_nomination_days=None,
                             outbox_days=None, former_specialist_days=None,
                             confidential_days=None)
    assert apply_retention(db, policy, now=NOW).removed["audit"] == old
    with db.transaction() as session:
        left = session.scalars(select(AuditEntry)).all()
        assert [(e.action, e.reason) for e in left] == [
            ("retention", f"removed under the retention schedule: audit {old}")]


def test_the_service_applies_it_only_while_holding_the_lease(db: Database) -> None:
    from pss_intake.service import Service

    service = Service(Settings(database={"url": db.url}), db)
    service.lease.held = False
    service.retention_job()
    assert everything(db).count("lena.voss@nhs.net") > 0
    service.lease.held = True
    service.retention_job()  # now: the fixture's dates are long past every period
    assert "lena.voss@nhs.net" not in everything(db)
