"""The retention schedule: personal data removed by age, leaving tombstones.

Storage limitation (UK GDPR Art. 5(1)(e)) and the Records Management Code of Practice
(``docs/personal-data.md``): the owner sets a local period per category and documents it.
Each category is a small function selecting what is due and removing it from every table that
holds a copy (raw bytes and the attachments inside them, the extraction and its source texts,
rule results' evidence, outbox bodies, audit old/new values). A tombstone keeps what the
counts need and no personal data: the case reference, dates, state (outcome) and organisation.

Never removed by age: a case that is open (awaiting information or under review), and a
specialist in post. The audit log records *that* something was removed, never what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from store.db import Database
from store.models import (
    AuditEntry,
    Case,
    CaseCorrespondent,
    CasePerson,
    CaseState,
    OutboxMessage,
    RawMessage,
    RuleResult,
    Specialist,
)

ENDED = (CaseState.COMPLETE, CaseState.REJECTED, CaseState.MERGED)
"""Case states after which the conversation is over (``not_a_nomination`` has its own clock)."""

REMOVED = "[removed under the retention schedule]"


@dataclass(frozen=True)
class RetentionPolicy:
    """Periods in days (``retention`` in config.yaml); ``None`` keeps that category forever."""

    raw_mail_days: int | None = 730
    not_a_nomination_days: int | None = 90
    outbox_days: int | None = 90
    former_specialist_days: int | None = 730
    confidential_days: int | None = 365
    audit_days: int | None = 2190


@dataclass
class RetentionReport:
    """What one run removed (or, with ``dry_run``, would remove), by category: a count of
    messages for ``raw_mail``, cases for ``not_a_nomination``, replies for ``outbox``,
    specialists for ``former_specialist`` and ``confidential``, entries for ``audit``."""

    as_of: dt.datetime
    dry_run: bool
    removed: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"as_of": self.as_of.isoformat(), "dry_run": self.dry_run,
                "removed": dict(self.removed)}


def _ended_before(cutoff: dt.datetime) -> ColumnElement[bool]:
    """Cases whose conversation ended before ``cutoff`` (completion, else last change)."""
    return or_(Case.completed_at < cutoff,
               (Case.completed_at.is_(None)) & (Case.updated_at < cutoff))


def blank_case(session: Session, case: Case, now: dt.datetime, *, keep_people: bool) -> int:
    """Remove a case's personal data from every table, keeping its tombstone (reference,
    dates, state, organisation). ``keep_people`` keeps the nominee/replaced values (a
    completed case: they are the register). Returns the number of raw messages emptied."""
    emptied = 0
    for message in case.messages:
        if message.purged_at is None:
            _blank_message(message, now)
            emptied += 1
    for reply in case.outbox:
        _blank_reply(reply, now)
    case.provenance = {}
    for person in case.people:
        person.provenance = {}
        if not keep_people:
            _blank_person(person)
    if not keep_people:
        case.sender_addr = case.sender_name = None
        session.execute(delete(CaseCorrespondent).where(CaseCorrespondent.case_id == case.id))
    session.execute(update(RuleResult).where(RuleResult.case_id == case.id)
                    .values(reason=REMOVED))
    session.execute(update(AuditEntry).where(AuditEntry.case_id == case.id)
                    .values(old_value=None, new_value=None))
    case.purged_at = now
    return emptied


def _blank_message(message: RawMessage, now: dt.datetime) -> None:
    message.content = b""
    message.original = None  # an imported Outlook .msg file holds the same personal data
    message.subject = message.from_addr = message.error = None
    message.extraction = None
    message.purged_at = now


def _blank_reply(reply: OutboxMessage, now: dt.datetime) -> None:
    if reply.purged_at is None and reply.status != "pending":
        reply.content = b""
        reply.subject = ""
        reply.recipients = []
        reply.to_addr = reply.smtp_response = reply.last_error = None
        reply.purged_at = now


PERSON_VALUES = ("name", "honorific", "email", "phone", "phone_extension", "job_title",
                 "pay_band", "pay_band_raw")
"""The personal values of a :class:`~store.models.CasePerson` (what a tombstone removes)."""


def _blank_person(person: CasePerson) -> None:
    for name in PERSON_VALUES:
        setattr(person, name, None)


def _raw_mail(session: Session, policy: RetentionPolicy, now: dt.datetime,
              dry_run: bool) -> int:
    """Raw mail of ended cases; a rejected or merged case loses its people's values too."""
    if policy.raw_mail_days is None:
        return 0
    cutoff = now - dt.timedelta(days=policy.raw_mail_days)
    cases = session.scalars(select(Case).where(
        Case.state.in_(ENDED), Case.purged_at.is_(None), _ended_before(cutoff))).all()
    if dry_run:
        return sum(1 for c in cases for m in c.messages if m.purged_at is None)
    return sum(blank_case(session, c, now, keep_people=c.state == CaseState.COMPLETE)
               for c in cases)


def _not_a_nomination(session: Session, policy: RetentionPolicy, now: dt.datetime,
                      dry_run: bool) -> int:
    """Auto-replies, bounces, newsletters and other mail that nominated nobody: all of it."""
    if policy.not_a_nomination_days is None:
        return 0
    cutoff = now - dt.timedelta(days=policy.not_a_nomination_days)
    cases = session.scalars(select(Case).where(
        Case.state == CaseState.NOT_A_NOMINATION, Case.purged_at.is_(None),
        Case.updated_at < cutoff)).all()
    if not dry_run:
        for case in cases:
            blank_case(session, case, now, keep_people=False)
    return len(cases)


def _outbox(session: Session, policy: RetentionPolicy, now: dt.datetime, dry_run: bool) -> int:
    """Bodies of replies sent (or given up) longer ago than the period; never a pending one."""
    if policy.outbox_days is None:
        return 0
    cutoff = now - dt.timedelta(days=policy.outbox_days)
    replies = session.scalars(select(OutboxMessage).where(
        OutboxMessage.status != "pending", OutboxMessage.purged_at.is_(None),
        or_(OutboxMessage.sent_at < cutoff,
            OutboxMessage.sent_at.is_(None) & (OutboxMessage.created_at < cutoff)))).all()
    if not dry_run:
        for reply in replies:
            _blank_reply(reply, now)
    return len(replies)


def _former(session: Session, days: int | None, now: dt.datetime) -> list[Specialist]:
    if days is None:
        return []
    cutoff = now - dt.timedelta(days=days)
    return list(session.scalars(select(Specialist).where(
        Specialist.in_post.is_(False), Specialist.ended_at < cutoff)).all())


def _ended_case_people(session: Session, email: str | None) -> list[CasePerson]:
    """The rows of ended cases that name the address ``email`` (none without one)."""
    if not email:
        return []
    return list(session.scalars(select(CasePerson).join(Case).where(
        CasePerson.email == email, Case.state.not_in(CaseState.OPEN))).all())


def _former_specialists(session: Session, policy: RetentionPolicy, now: dt.datetime,
                        dry_run: bool) -> int:
    """Specialists no longer in post: their register row and the ended cases naming them."""
    due = [s for s in _former(session, policy.former_specialist_days, now)
           if s.purged_at is None]
    if not dry_run:
        for specialist in due:
            for person in _ended_case_people(session, specialist.email):
                _blank_person(person)
            for name in ("name", "email", "phone", "job_title", "pay_band"):
                setattr(specialist, name, None)
            specialist.purged_at = now
    return len(due)


def _confidential(session: Session, policy: RetentionPolicy, now: dt.datetime,
                  dry_run: bool) -> int:
    """Job title and pay band of specialists no longer in post (their own, shorter clock)."""
    due = [s for s in _former(session, policy.confidential_days, now)
           if s.job_title is not None or s.pay_band is not None
           or any(p.job_title or p.pay_band or p.pay_band_raw
                  for p in _ended_case_people(session, s.email))]
    if not dry_run:
        for specialist in due:
            specialist.job_title = specialist.pay_band = None
            for person in _ended_case_people(session, specialist.email):
                person.job_title = person.pay_band = person.pay_band_raw = None
                session.execute(update(AuditEntry).where(
                    AuditEntry.case_id == person.case_id,
                    or_(AuditEntry.field.like("%job_title"), AuditEntry.field.like("%pay_band")),
                ).values(old_value=None, new_value=None))
    return len(due)


def _audit(session: Session, policy: RetentionPolicy, now: dt.datetime, dry_run: bool) -> int:
    """Audit entries older than the period (the log is itself personal data)."""
    if policy.audit_days is None:
        return 0
    cutoff = now - dt.timedelta(days=policy.audit_days)
    old = session.scalars(select(AuditEntry.id).where(AuditEntry.at < cutoff)).all()
    if old and not dry_run:
        session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff))
    return len(old)


Category = Callable[[Session, RetentionPolicy, dt.datetime, bool], int]

CATEGORIES: tuple[tuple[str, Category], ...] = (
    ("confidential", _confidential),
    ("former_specialist", _former_specialists),
    ("outbox", _outbox),
    ("raw_mail", _raw_mail),
    ("not_a_nomination", _not_a_nomination),
    ("audit", _audit),
)
"""Run in this order, so that each count is what its own clock made due (a dry run counts the
same as a real run): the confidential clock before the former-specialist one that removes the
same values, replies before the raw mail whose cases also lose their replies, the audit log
last."""


def apply_retention(db: Database, policy: RetentionPolicy, *, now: dt.datetime | None = None,
                    dry_run: bool = False) -> RetentionReport:
    """Apply ``policy`` as of ``now`` (default: the current time, UTC) in one transaction.

    :returns: the counts per category (see :class:`RetentionReport`). With ``dry_run`` nothing
        changes. After a run that removed something, SQLite is compacted (VACUUM), since
        SQLite keeps freed pages (and the removed bytes in them) inside the file otherwise.
    """
    now = now or dt.datetime.now(dt.UTC)
    report = RetentionReport(as_of=now, dry_run=dry_run)
    with db.transaction() as session:
        for name, category in CATEGORIES:
            report.removed[name] = category(session, policy, now, dry_run)
        if not dry_run and any(report.removed.values()):
            counts = ", ".join(f"{k} {v}" for k, v in report.removed.items() if v)
            session.add(AuditEntry(action="retention", at=now,
                                   reason=f"removed under the retention schedule: {counts}"))
    if not dry_run and any(report.removed.values()):
        compact(db)
    return report


def compact(db: Database) -> None:
    """Give freed space back and overwrite removed bytes: VACUUM on SQLite (PostgreSQL's
    autovacuum reclaims dead rows itself)."""
    if db.is_sqlite:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("VACUUM")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
