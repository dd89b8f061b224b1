"""SQLAlchemy 2 ORM models: raw messages, cases, people, rule results, the outbox of replies,
the audit log, the register of specialists, reviewer accounts and mailbox state.

Models hold data; services (``pss_intake.pipeline``, ``ingest``, ``review``) act on them.
Times are timezone-aware UTC. Raw mail is stored as the unmodified bytes, never pickled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A DateTime that always comes back timezone-aware UTC (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class CaseState:
    """Case states (DESIGN.md "The case")."""

    AWAITING_INFORMATION = "awaiting_information"
    COMPLETE = "complete"
    NEEDS_REVIEW = "needs_review"
    REJECTED = "rejected"
    NOT_A_NOMINATION = "not_a_nomination"
    MERGED = "merged"

    ALL = (AWAITING_INFORMATION, COMPLETE, NEEDS_REVIEW, REJECTED, NOT_A_NOMINATION, MERGED)
    OPEN = (AWAITING_INFORMATION, NEEDS_REVIEW)


class MailboxState(Base):
    """Where the poller got to in one IMAP mailbox folder (RFC 3501 section 2.3.1.1)."""

    __tablename__ = "mailbox_state"

    mailbox: Mapped[str] = mapped_column(String(512), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(Integer)
    last_uid: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RawMessage(Base):
    """One received message, stored before anything else is done with it.

    Identity: (mailbox, uidvalidity, uid) for IMAP; ``sha256`` of the bytes is unique, so the
    same bytes are never stored twice whatever their source. ``status``: ``new`` (stored, not yet
    processed), ``processing`` (a run started), ``processed``, ``failed`` (processing raised or
    never finished; flagged for review), or ``oversized`` (stored, not yet processed, too large
    to parse: for IMAP only its header block was kept).
    """

    __tablename__ = "raw_message"
    __table_args__ = (
        UniqueConstraint("mailbox", "uidvalidity", "uid", name="uq_raw_message_imap_key"),
        Index("ix_raw_message_message_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(998))
    mailbox: Mapped[str | None] = mapped_column(String(512))
    uidvalidity: Mapped[int | None] = mapped_column(Integer)
    uid: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(1024), default="")
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(32), default="new")
    oversized: Mapped[bool] = mapped_column(Boolean, default=False)
    """Larger than ``intake.max_message_bytes``: stored, flagged, never parsed beyond headers."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    """Processing runs started; one that never finished (killed, hung) is not retried blindly."""
    classification: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[dt.datetime | None] = mapped_column()
    moved: Mapped[bool] = mapped_column(Boolean, default=False)
    """True once the IMAP message was moved out of the intake folder."""
    target_folder: Mapped[str | None] = mapped_column(String(512))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    subject: Mapped[str | None] = mapped_column(Text)
    from_addr: Mapped[str | None] = mapped_column(String(320))
    date: Mapped[dt.datetime | None] = mapped_column()
    arrived_at: Mapped[dt.datetime | None] = mapped_column()
    """When the message reached the mailbox: IMAP INTERNALDATE (RFC 3501 section 2.3.3), a
    file's modification time; None when the source cannot tell (``received_at`` then)."""
    dated_at: Mapped[dt.datetime | None] = mapped_column()
    """The message's own date (:func:`store.dates.message_date`): its Date header, bounded by
    when it arrived, else the arrival time. What "Email received" and durations use."""
    original: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The file as it was imported when it was not RFC 5322 (an Outlook .msg): ``content``
    then holds the message rebuilt from it."""
    original_format: Mapped[str | None] = mapped_column(String(16))
    """``msg`` for an Outlook .msg file; None for RFC 5322 mail."""
    extraction: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The :class:`validation.models.Extraction` of this message, as JSON."""
    purged_at: Mapped[dt.datetime | None] = mapped_column()
    """When the bytes and every text taken from them were removed (retention or erasure)."""
    redacted_sha256: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of ``content`` after a person's details were redacted from it (erasure); the
    original's ``sha256`` stays, so the same mail arriving again is still recognised."""
    foreign_case_reference: Mapped[str | None] = mapped_column(String(16))
    """A case reference the message pointed at (Subject, or thread headers) but was not merged
    into: unknown, or another sender's case. Kept so a later evaluation still flags it."""
    thread_of_other_sender: Mapped[bool] = mapped_column(Boolean, default=False)
    """True when ``foreign_case_reference`` was reached through In-Reply-To/References."""

    case: Mapped[Case | None] = relationship(back_populates="messages")


class Case(Base):
    """One nomination conversation with one organisation, referenced as ``PSS-nnnnnn``."""

    __tablename__ = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(16), unique=True)
    state: Mapped[str] = mapped_column(String(32), default=CaseState.NEEDS_REVIEW, index=True)
    nomination_type: Mapped[str | None] = mapped_column(String(16))
    guidance_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    organisation: Mapped[str | None] = mapped_column(Text)
    sender_addr: Mapped[str | None] = mapped_column(String(320), index=True)
    sender_name: Mapped[str | None] = mapped_column(Text)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    missing: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column()
    touched_by_person: Mapped[bool] = mapped_column(Boolean, default=False)
    organisation_code: Mapped[str | None] = mapped_column(String(16), index=True)
    """The ODS code matched from what the messages say (the successor when the organisation
    named has closed); None when no organisations are loaded or none matched unambiguously."""
    in_post_from: Mapped[dt.date | None] = mapped_column(Date)
    """A start date the messages state for the nominee ("from 1 April 2025"), if any."""
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    purged_at: Mapped[dt.datetime | None] = mapped_column()
    """Set when the retention schedule left only the tombstone (reference, dates, state,
    organisation)."""
    opened_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    """The date of the case's first message (its ``dated_at``); ``created_at`` when unknown."""
    claimed_by: Mapped[str | None] = mapped_column(String(320))
    """The e-mail of the reviewer handling the case ("Assign to me"), None when unclaimed."""
    claimed_at: Mapped[dt.datetime | None] = mapped_column()

    messages: Mapped[list[RawMessage]] = relationship(
        back_populates="case", order_by="RawMessage.id"
    )
    people: Mapped[list[CasePerson]] = relationship(
        back_populates="case", order_by="(CasePerson.role, CasePerson.position)",
        cascade="all, delete-orphan",
    )
    rule_results: Mapped[list[RuleResult]] = relationship(
        back_populates="case", order_by="RuleResult.id", cascade="all, delete-orphan"
    )
    outbox: Mapped[list[OutboxMessage]] = relationship(
        back_populates="case", order_by="OutboxMessage.id"
    )
    correspondents: Mapped[list[CaseCorrespondent]] = relationship(
        back_populates="case", order_by="CaseCorrespondent.id", cascade="all, delete-orphan"
    )


class CasePerson(Base):
    """A person on a case: ``role`` is ``nominee`` (new PSS) or ``replaced``; ``position`` the
    index as written. ``job_title``/``pay_band``/``pay_band_raw`` are confidential."""

    __tablename__ = "case_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(Text)
    honorific: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    phone_extension: Mapped[str | None] = mapped_column(String(16))
    job_title: Mapped[str | None] = mapped_column(Text)
    pay_band: Mapped[str | None] = mapped_column(String(8))
    pay_band_raw: Mapped[str | None] = mapped_column(Text)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="people")


class CaseCorrespondent(Base):
    """Someone on a case's messages who may speak for it: the From, Sender and Reply-To of
    every message that joined the case, and the other To/Cc recipients of the message that
    opened it (an executive copied in on their PA's nomination). ``source`` says which header
    (``from``, ``sender``, ``reply-to``, ``to``, ``cc``); the first time an address is seen is
    kept."""

    __tablename__ = "case_correspondent"
    __table_args__ = (UniqueConstraint("case_id", "addr", name="uq_case_correspondent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    addr: Mapped[str] = mapped_column(String(320), index=True)
    name: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    raw_message_id: Mapped[int | None] = mapped_column(ForeignKey("raw_message.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="correspondents")


class RuleResult(Base):
    """One rule's outcome in one evaluation of a case (every rule runs; all are kept)."""

    __tablename__ = "rule_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    evaluation: Mapped[int] = mapped_column(Integer)
    raw_message_id: Mapped[int | None] = mapped_column(ForeignKey("raw_message.id"))
    rule: Mapped[str] = mapped_column(String(64))
    hit: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    missing: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="rule_results")


class OutboxMessage(Base):
    """A reply waiting to be sent, written in the same transaction as the case change.

    ``status``: ``pending`` → ``sent`` (the SMTP server accepted it; never sent again) or
    ``failed`` (gave up after the configured attempts; the case is flagged). ``content`` is the
    complete RFC 5322 message as bytes; ``recipients`` the envelope recipients.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    template: Mapped[str] = mapped_column(String(64))
    recipients: Mapped[list[Any]] = mapped_column(JSON)
    to_addr: Mapped[str | None] = mapped_column(String(320), index=True)
    """The (first) recipient's addr-spec, lower-cased: counted for the per-sender reply cap."""
    subject: Mapped[str] = mapped_column(Text)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    smtp_response: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    sending_started_at: Mapped[dt.datetime | None] = mapped_column()
    """Set just before the SMTP transaction; a row left so by a crash is checked, not resent
    blindly."""
    smtp_stage: Mapped[str | None] = mapped_column(String(16))
    """How far the SMTP conversation of the claimed reply got, committed before each step:
    ``envelope`` (MAIL FROM/RCPT TO/DATA, maybe the message text, but no final dot: nothing
    can have been delivered) or ``final-dot`` (the final dot may have reached the server, which
    may have accepted the message). None: not started."""
    purged_at: Mapped[dt.datetime | None] = mapped_column()
    """When the body, subject and recipients were removed (retention or erasure)."""

    case: Mapped[Case | None] = relationship(back_populates="outbox")


class AuditEntry(Base):
    """One recorded event: who (``actor``: ``system`` or a user's e-mail), what, when, why.

    Field changes carry ``field``, ``old_value`` and ``new_value``. Confidential fields are
    recorded too; the review app shows them only to users allowed to see them.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    actor: Mapped[str] = mapped_column(String(320), default="system")
    action: Mapped[str] = mapped_column(String(64))
    field: Mapped[str | None] = mapped_column(String(128))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    raw_message_id: Mapped[int | None] = mapped_column(ForeignKey("raw_message.id"))


class Specialist(Base):
    """The register: a Patient Safety Specialist named by an organisation.

    ``in_post`` turns False when an accepted replacement names this person as replaced;
    ``replaced_by_id`` then points at the successor. Job title and pay band are confidential.
    """

    __tablename__ = "specialist"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str | None] = mapped_column(Text, index=True)
    name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    job_title: Mapped[str | None] = mapped_column(Text)
    pay_band: Mapped[str | None] = mapped_column(String(8))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    in_post: Mapped[bool] = mapped_column(Boolean, default=True)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column()
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("specialist.id"))
    purged_at: Mapped[dt.datetime | None] = mapped_column()
    """When the person's details were removed (retention or erasure): a tombstone row."""
    organisation_code: Mapped[str | None] = mapped_column(String(16), index=True)
    """The organisation's ODS code (as recorded; a closed one resolves to its successor)."""
    source: Mapped[str] = mapped_column(String(16), default="case")
    """``case`` (added by an accepted case) or ``roster`` (the team's spreadsheet)."""
    ended_case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    """The case whose accepted replacement ended this person's time in post."""


class Organisation(Base):
    """An organisation from the Organisation Data Service (ODS) CSV files.

    ``name`` is as ODS publishes it (capitals); ``kind`` is ``trust``, ``icb`` or
    ``independent``; ``national_grouping`` the NHS England region code (``Y58``);
    ``opened_on``/``closed_on`` from columns 11 and 12; ``successor_code``/``successor_on`` from
    ODS's successor file (``succ.csv``).
    """

    __tablename__ = "organisation"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    national_grouping: Mapped[str | None] = mapped_column(String(16))
    health_geography: Mapped[str | None] = mapped_column(String(16))
    postcode: Mapped[str | None] = mapped_column(String(16))
    telephone: Mapped[str | None] = mapped_column(String(32))
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    successor_code: Mapped[str | None] = mapped_column(String(16))
    successor_on: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OrganisationDomain(Base):
    """A sender mail domain learned from accepted cases: ``domain`` → ``code``. A domain seen
    for two organisations is kept with ``code`` None (it proves nothing); shared domains
    (nhs.net) are never learned."""

    __tablename__ = "organisation_domain"

    domain: Mapped[str] = mapped_column(String(255), primary_key=True)
    code: Mapped[str | None] = mapped_column(String(16))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class User(Base):
    """A review-app account. ``role`` is ``reviewer`` or ``admin``; ``confidential`` allows
    seeing job titles and pay bands. ``password_hash`` is an argon2 hash."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16), default="reviewer")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReviewSession(Base):
    """A signed-in review-app session, kept server-side (issue 15): the browser holds only a
    random token; ``id`` is its SHA-256 (hex), so a copy of the database signs nobody in.
    Deleting the row ends the session at once (sign-out, an account disabled, its role or
    password changed). ``user_stamp`` is a digest of the account's password hash, role,
    permission and status at sign-in: any change to them ends the session on its next request
    even when made outside the app. ``flashes`` are the notices waiting to be shown."""

    __tablename__ = "review_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"),
                                         index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_stamp: Mapped[str] = mapped_column(String(64))
    flashes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class Lease(Base):
    """A named lock held in the database (e.g. ``poller``), so one process at a time does a
    job even across machines and on PostgreSQL. Expired leases may be taken over."""

    __tablename__ = "lease"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[dt.datetime] = mapped_column()
