"""The main job for one message: store the raw bytes, then parse, thread, extract, merge,
run the rules, decide, and queue the reply — the case change and the reply in one transaction.

:func:`ingest` is what every :class:`ingest.source.MailSource` feeds. It never raises for bad
input: a message that cannot be processed is kept (raw bytes) and becomes a flagged case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import traceback
from dataclasses import dataclass, replace
from email.parser import BytesHeaderParser
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.source import Incoming
from parsing import parse_email
from parsing.extract import extract
from parsing.headers import header_block_end, scan_message_id
from parsing.model import CONTENT_NOT_READ, Classification, ParsedEmail
from parsing.text import decode_header_value
from pss_intake import cases, correspondents
from pss_intake.config import Settings
from pss_intake.context import MessageFacts, case_context, rule_context
from pss_intake.contract import contract_record
from pss_intake.crashpoints import crash_point
from pss_intake.dates import MAX_DAYS_BEFORE_ARRIVAL, message_date, parse_date_header
from pss_intake.deadline import ReadTimeout, deadline
from register.cases import place_case
from replies.render import reply_address
from store.db import Database
from store.models import Case, CaseState, OutboxMessage, RawMessage, utcnow
from validation.chain import Verdict, evaluate
from validation.merge import conflicts, merge
from validation.models import Action, CaseReading, Extraction

log = logging.getLogger("pss_intake.pipeline")

@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one message.

    ``created`` is False when the same bytes were already stored (nothing else was done).
    ``record`` is the JSON line of ``pss-intake import --json`` (DESIGN.md contract plus
    ``case``, ``message_id``, ``state`` and ``reply``).
    """

    raw_message_id: int
    created: bool
    message_id: str | None
    case_reference: str | None
    action: str
    state: str | None
    needs_review: bool
    record: dict[str, Any]


def header_value(content: bytes, name: str) -> str | None:
    """Header ``name`` of raw bytes, read from the header block only (cheap), RFC 2047
    decoded and unfolded; None when absent or unreadable."""
    head = content[: header_block_end(content)]
    try:
        # compat32, which parses no structured header (the default policy's Content-Type
        # parser is quadratic in '"': issue 11).
        value = BytesHeaderParser().parsebytes(head).get(name)
    except Exception:  # a header block too broken to read has no usable value
        return None
    if value is None:
        return None
    return " ".join(decode_header_value(str(value)).split()) or None


def header_message_id(content: bytes) -> str | None:
    """The Message-ID of raw bytes (ASCII, at most 998 characters, RFC 5322 section 2.1.1),
    found by a linear scan: storing the bytes must not wait for any slow parse."""
    return scan_message_id(content)


def store_raw(db: Database, incoming: Incoming) -> tuple[int, bool, bool]:
    """Store the raw bytes unless these exact bytes are already stored; commit.

    :returns: ``(raw_message_id, created, message_id_reused)``. ``message_id_reused`` is True
        when another stored message has the same Message-ID but different bytes.
    Concurrent pollers storing the same bytes both end with the one row (unique sha256).
    """
    digest = hashlib.sha256(incoming.original or incoming.content).hexdigest()
    message_id = header_message_id(incoming.content)
    received = utcnow()
    arrived = incoming.arrived_at.astimezone(dt.UTC) if incoming.arrived_at else None
    # An IMAP INTERNALDATE or a Maildir delivery time bounds the Date header closely; a file
    # saved from a mail program may be old, so then only "not after we read it" holds.
    dated = message_date(parse_date_header(header_value(incoming.content, "Date")),
                         min(arrived or received, received),
                         max_days_before=MAX_DAYS_BEFORE_ARRIVAL if arrived else None)
    for _attempt in range(2):
        try:
            with db.transaction() as session:
                existing = session.execute(
                    select(RawMessage).where(RawMessage.sha256 == digest)
                ).scalar_one_or_none()
                if existing is not None:
                    _remember_imap_key(session, existing, incoming)
                    return existing.id, False, False
                reused = message_id is not None and session.execute(
                    select(RawMessage.id).where(RawMessage.message_id == message_id).limit(1)
                ).first() is not None
                if incoming.uid is not None:
                    _release_imap_key(session, incoming)
                row = RawMessage(
                    sha256=digest,
                    message_id=message_id,
                    mailbox=incoming.mailbox,
                    uidvalidity=incoming.uidvalidity,
                    uid=incoming.uid,
                    source=incoming.source,
                    size=incoming.oversized_size or len(incoming.content),
                    content=incoming.content,
                    status="oversized" if incoming.oversized_size else "new",
                    oversized=incoming.oversized_size is not None,
                    received_at=received,
                    arrived_at=arrived,
                    dated_at=dated,
                    original=incoming.original,
                    original_format=incoming.original_format,
                )
                session.add(row)
                session.flush()
                log.info("event=stored raw=%s message_id=%s uid=%s size=%s", row.id,
                         message_id, incoming.uid, row.size)
                return row.id, True, reused
        except IntegrityError:
            # Another poller stored it first: go round again and find its row.
            continue
    raise RuntimeError("could not store message after a concurrent insert")


def _remember_imap_key(session: Session, row: RawMessage, incoming: Incoming) -> None:
    # After a UIDVALIDITY change the same bytes come back under a new key: keep the newest
    # key so the message can still be moved.
    if incoming.uid is None or (row.mailbox, row.uidvalidity, row.uid) == (
        incoming.mailbox, incoming.uidvalidity, incoming.uid
    ):
        return
    _release_imap_key(session, incoming)
    row.mailbox, row.uidvalidity, row.uid = incoming.mailbox, incoming.uidvalidity, incoming.uid


def _release_imap_key(session: Session, incoming: Incoming) -> None:
    # A key can only name one message; an older row holding it (impossible unless the server
    # reused UIDs without changing UIDVALIDITY) gives it up rather than block storing.
    holder = session.execute(
        select(RawMessage).where(
            RawMessage.mailbox == incoming.mailbox,
            RawMessage.uidvalidity == incoming.uidvalidity,
            RawMessage.uid == incoming.uid,
        )
    ).scalar_one_or_none()
    if holder is not None:
        holder.uid = None
        session.flush()


def ingest(db: Database, settings: Settings, incoming: Incoming) -> Outcome:
    """Store then process one message; never raises for bad input.

    A duplicate (same bytes) returns the stored outcome and changes nothing. A failure while
    processing leaves the raw message stored and puts it in a flagged case. A message larger
    than ``intake.max_message_bytes`` is stored whole (when the source gave it whole) but only
    its header block is read, and it is flagged.
    """
    if incoming.oversized_size is None and len(incoming.content) > (
        settings.intake.max_message_bytes
    ):
        incoming = replace(incoming, oversized_size=len(incoming.content))
    raw_id, created, reused = store_raw(db, incoming)
    crash_point("after-store")
    if not created:
        with db.transaction() as session:
            raw = session.get(RawMessage, raw_id)
            assert raw is not None
            if raw.status not in PENDING:
                return _stored_outcome(session, raw, created=False)
            # Stored by an earlier run that died before finishing: finish it now.
    return process_stored(db, settings, raw_id, message_id_reused=reused)


#: Raw message states still to be processed (``processing``: a run started and never ended).
PENDING = ("new", "oversized", "processing")


class ProcessingInterrupted(Exception):
    """Earlier runs started processing this message ``intake.max_processing_attempts`` times
    and none finished (killed or hung): it is not retried again, in case the message itself
    is what stops the run."""


def process_stored(
    db: Database, settings: Settings, raw_id: int, *, message_id_reused: bool = False
) -> Outcome:
    """Process a stored raw message in one transaction (case change + reply together).

    A run that was interrupted (status still ``processing``: the process was killed before
    its transaction committed, so nothing of it is in the database) is simply run again, up
    to ``intake.max_processing_attempts`` runs in all; then the message is flagged.
    """
    try:
        with db.transaction() as session:
            raw = session.get(RawMessage, raw_id)
            assert raw is not None
            if raw.status not in PENDING:
                return _stored_outcome(session, raw, created=False)
            if raw.status == "processing" and (
                raw.attempts or 0) >= settings.intake.max_processing_attempts:
                raise ProcessingInterrupted()
            raw.attempts = attempt = (raw.attempts or 0) + 1
            raw.status = "processing"
        with db.transaction() as session:
            raw = session.get(RawMessage, raw_id, with_for_update=True)
            assert raw is not None
            if raw.status != "processing" or raw.attempts != attempt:
                # Another run took this message over meanwhile: its result stands.
                return _stored_outcome(session, raw, created=False)
            outcome = _process(session, settings, raw, message_id_reused=message_id_reused)
            crash_point("in-processing")
        crash_point("after-queue")
        return outcome
    except Exception as exc:  # noqa: BLE001 - any failure becomes a flagged case (shunt)
        # Class and frames only: an exception's text can carry addresses or names (e.g. SQL
        # parameters), and logs must not.
        log.error("event=processing-failed raw=%s error=%s\n%s", raw_id, exc.__class__.__name__,
                  "".join(traceback.format_tb(exc.__traceback__)).rstrip())
        with db.transaction() as session:
            raw = session.get(RawMessage, raw_id)
            assert raw is not None
            return _shunt(session, settings, raw, exc)


def _attach(case: Case, raw: RawMessage) -> None:
    """Link ``raw`` to ``case``; the case opens at the date of its earliest message."""
    raw.case_id = case.id
    dated = raw.dated_at or raw.received_at
    if dated is not None and (case.opened_at is None or dated < case.opened_at):
        case.opened_at = dated


def _shunt(session: Session, settings: Settings, raw: RawMessage, exc: Exception) -> Outcome:
    """A flagged case for a message that could not be processed, with the sender and Subject
    its header block gives (when even that cannot be read: none)."""
    error = exc.__class__.__name__
    if isinstance(exc, ProcessingInterrupted):
        error = f"interrupted {raw.attempts} times"
    try:
        parsed: ParsedEmail | None = _parse(settings, raw, headers_only=True)
    except Exception:  # noqa: BLE001 - the header block is what failed: no sender then
        parsed = None
    sender = parsed.from_ if parsed is not None and parsed.from_ and parsed.from_.addr else None
    if parsed is not None:
        raw.subject = parsed.subject[:2000]
        raw.from_addr = sender.addr if sender else None
    case = cases.new_case(session, sender, state=CaseState.NEEDS_REVIEW)
    _attach(case, raw)
    raw.status = "failed"
    raw.error = error
    raw.action = Action.REVIEW
    raw.processed_at = utcnow()
    ctx = rule_context(settings, CaseReading(), facts=MessageFacts(processing_error=error))
    verdict = cases.run_rules(session, case, ctx, raw_message_id=raw.id)
    cases.audit(session, case, "processing-failed", reason=error, raw_message_id=raw.id)
    record = _record(Extraction(classification=Classification.OTHER), CaseReading(), verdict,
                     Action.REVIEW, case, raw.message_id, None)
    return Outcome(raw.id, True, raw.message_id, case.reference, Action.REVIEW, case.state,
                   True, record)


def _parse(settings: Settings, raw: RawMessage, *, headers_only: bool = False) -> ParsedEmail:
    content = raw.content
    if headers_only:
        content = content[: header_block_end(content)]
    return parse_email(
        content,
        own_addresses=settings.own_addresses(),
        own_message_id_domains=frozenset({settings.replies.message_id_domain.lower()}),
        budgets=settings.budgets.limits(),
    )


def _read(settings: Settings, raw: RawMessage) -> tuple[ParsedEmail, Extraction]:
    """Parse and extract within ``budgets.read_seconds``; past it, the header block alone is
    read (within the same time again) and the message is flagged ``content-not-read``."""
    seconds = settings.budgets.read_seconds
    try:
        with deadline(seconds):
            parsed = _parse(settings, raw, headers_only=raw.oversized)
            if raw.oversized:
                return parsed, Extraction(message_id=parsed.message_id,
                                          classification=parsed.classification)
            return parsed, extract(parsed)
    except ReadTimeout:
        pass
    note = f"{CONTENT_NOT_READ}reading stopped after {seconds:g} s; the rest was not read"
    log.warning("event=read-timeout raw=%s message_id=%s seconds=%s", raw.id, raw.message_id,
                seconds)
    try:
        with deadline(seconds):
            parsed = _parse(settings, raw, headers_only=True)
    except ReadTimeout:
        parsed = replace(parse_email(b""), message_id=raw.message_id)
    parsed = replace(parsed, defects=(*parsed.defects, note))
    return parsed, Extraction(message_id=parsed.message_id, classification=parsed.classification)


def _storable_date(value: dt.datetime | None) -> dt.datetime | None:
    """The Date header as a UTC time, or None when it cannot be one (year 9999 with a
    negative offset overflows): a bad Date must not stop a nomination being read."""
    if value is None or not 1900 <= value.year <= 2999:
        return None
    try:
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None


def _find_case(
    session: Session, parsed: ParsedEmail, shared_domains: frozenset[str] = frozenset()
) -> tuple[Case | None, str | None]:
    """Thread a message to its case (DESIGN.md "The case").

    1. A case reference in the Subject joins that case when the sender may speak for it
       (:mod:`pss_intake.correspondents`: a correspondent, a colleague on the organisation's
       own domain, or, on a shared domain such as nhs.net, someone who names one of our
       replies' Message-IDs and copies a correspondent in).
    2. In-Reply-To/References (or a bounce's returned Message-ID) naming a message we sent or
       received joins that message's case, on the same condition.
    3. Failing both, the sender's one open case.

    :returns: ``(case, foreign_reference)``. ``foreign_reference`` is a Subject reference that
        belongs to another sender's case, or that we do not know and nothing else threads the
        message: such a message is not merged silently, the rules flag it.
    """
    sender = parsed.from_.addr if parsed.from_ else None
    foreign: str | None = None
    unknown: str | None = None
    for ref in parsed.case_references:
        case = _follow_merges(
            session, session.execute(select(Case).where(Case.reference == ref)).scalar_one_or_none()
        )
        if case is None:
            unknown = unknown or ref
        elif _speaks_for(session, case, parsed, shared_domains):
            return case, None
        else:
            foreign = foreign or ref
    ids = [i for i in (parsed.in_reply_to, *parsed.references, parsed.bounced_message_id) if i]
    if ids:
        case_id = _thread_case_id(session, ids)
        case = _follow_merges(session, session.get(Case, case_id)) if case_id else None
        automatic = parsed.classification in (Classification.AUTO_REPLY,
                                              Classification.BOUNCE) or parsed.is_bulk
        if case is not None and (automatic or _speaks_for(session, case, parsed, shared_domains)):
            # The thread headers are strong evidence; a reference we don't know is then just
            # noise (e.g. another system's numbering), but one naming another case is not.
            return case, foreign
        if case is not None:
            # Anyone can copy a Message-ID into In-Reply-To: a stranger's message in the
            # thread must not change the case (nor receive its details); a person decides.
            return None, ThreadOfOtherSender(case.reference or "")
    if foreign is None and unknown is None and sender is not None and parsed.classification in (
        Classification.NOMINATION, Classification.FOLLOW_UP, Classification.OTHER
    ):
        open_cases = session.execute(
            select(Case).where(Case.sender_addr == sender, Case.state.in_(CaseState.OPEN))
        ).scalars().all()
        if len(open_cases) == 1:
            return open_cases[0], None
    return None, foreign or unknown


#: Message-IDs per ``IN (...)`` (PostgreSQL refuses a query of 70,000; References is capped
#: by ``budgets.ids_per_references`` as well).
_IN_CHUNK = 500


def _thread_case_id(session: Session, ids: list[str]) -> int | None:
    """The case of the first message we sent, else received, among ``ids`` (Message-IDs)."""
    for model in (OutboxMessage, RawMessage):
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            case_id = session.execute(
                select(model.case_id).where(model.message_id.in_(chunk),
                                            model.case_id.is_not(None)).limit(1)
            ).scalar_one_or_none()
            if case_id is not None:
                return int(case_id)
    return None


class ThreadOfOtherSender(str):
    """A case reference reached through thread headers by a sender who is not one of the
    case's correspondents (see :func:`_find_case`)."""


def _follow_merges(session: Session, case: Case | None) -> Case | None:
    seen = 0
    while case is not None and case.merged_into_id is not None and seen < 20:
        case = session.get(Case, case.merged_into_id)
        seen += 1
    return case


def _speaks_for(
    session: Session, case: Case, parsed: ParsedEmail, shared_domains: frozenset[str]
) -> bool:
    """True when the message may change ``case``
    (:func:`pss_intake.correspondents.may_speak_for`)."""
    return correspondents.may_speak_for(session, case, parsed, shared_domains)


def _process(
    session: Session, settings: Settings, raw: RawMessage, *, message_id_reused: bool
) -> Outcome:
    oversized = raw.oversized
    parsed, extraction = _read(settings, raw)
    raw.subject = parsed.subject[:2000]
    raw.from_addr = parsed.from_.addr if parsed.from_ else None
    raw.date = _storable_date(parsed.date)
    case, foreign = _find_case(session, parsed, settings.shared_domains())
    existed = case is not None
    # The extraction may read an enquiry about the process as "other" rather than a nomination.
    classification = extraction.classification
    if existed and classification in (Classification.NOMINATION, Classification.OTHER):
        classification = Classification.FOLLOW_UP
        extraction = extraction.model_copy(update={"classification": classification})
    raw.classification = classification
    raw.extraction = extraction.model_dump(mode="json")

    automatic = classification in (Classification.AUTO_REPLY, Classification.BOUNCE) or (
        parsed.is_bulk
    )
    if automatic:
        return _process_automatic(session, settings, raw, parsed, extraction, case)

    if case is None:
        case = cases.new_case(session, parsed.from_, state=CaseState.NEEDS_REVIEW)
    _attach(case, raw)
    correspondents.record(session, case, parsed, raw_message_id=raw.id, opened=not existed,
                          own=settings.own_addresses())
    prev_state = case.state if existed else None
    before = cases.load_reading(case)
    reading, changes = merge(before, extraction)
    if existed:
        # A value a follow-up changes without saying it corrects it: a person settles it.
        found = conflicts(before, reading, extraction, changes)
        if found:
            extraction = extraction.model_copy(
                update={"ambiguities": [*extraction.ambiguities, *found]})
            raw.extraction = extraction.model_dump(mode="json")
    cases.save_reading(session, case, reading)
    cases.record_changes(session, case, changes, raw_message_id=raw.id)
    # Stored with the message, so a later evaluation (after a reviewer's edit) sees them too.
    raw.foreign_case_reference = foreign[:16] if foreign else None
    raw.thread_of_other_sender = isinstance(foreign, ThreadOfOtherSender)
    facts = MessageFacts(oversized=oversized, message_id_reused=message_id_reused,
                         foreign_case_reference=raw.foreign_case_reference,
                         thread_of_other_sender=raw.thread_of_other_sender,
                         correction_unapplied=existed and extraction.correction and not changes)
    _found, register_facts = place_case(session, case, reading, parsed,
                                        shared_domains=settings.shared_domains(),
                                        raw_message_id=raw.id)
    ctx = rule_context(settings, reading, parsed=parsed, extraction=extraction,
                       sender_addr=case.sender_addr, facts=facts,
                       duplicate_of=cases.duplicates_of(session, case, reading),
                       register=register_facts)
    verdict = cases.run_rules(session, case, ctx, raw_message_id=raw.id)
    action = verdict.action
    reply = None
    if prev_state in (CaseState.NEEDS_REVIEW, CaseState.REJECTED, CaseState.NOT_A_NOMINATION):
        # A person is deciding (or decided): record the message, let them see it.
        reason = "new message on a case a person is handling"
        cases.set_state(session, case, CaseState.NEEDS_REVIEW, reason=reason,
                        raw_message_id=raw.id)
        action = Action.REVIEW
    elif prev_state == CaseState.COMPLETE and action == Action.ACCEPT and changes:
        # The nominator corrected a detail of a completed nomination: the register follows
        # and the acknowledgement is sent again so they can check the corrected record.
        cases.resync_register(session, case)
        reply = _reply(session, settings, case, parsed, "sender:ack:complete", [],
                       follow_up=existed)
        cases.queue_privacy_notices(session, settings, case)
    elif prev_state == CaseState.COMPLETE and action != Action.ACCEPT:
        cases.set_state(session, case, CaseState.NEEDS_REVIEW,
                        reason="a later message made the completed case doubtful or incomplete",
                        raw_message_id=raw.id)
        action = Action.REVIEW
    elif prev_state == CaseState.COMPLETE:
        pass
    elif action == Action.REVIEW:
        cases.set_state(session, case, CaseState.NEEDS_REVIEW,
                        reason="; ".join(f.rule for f in verdict.flags), raw_message_id=raw.id)
    elif action == Action.REQUEST_MISSING:
        cases.set_state(session, case, CaseState.AWAITING_INFORMATION, raw_message_id=raw.id)
        reply = _reply(session, settings, case, parsed, "sender:request:missing-items",
                       list(verdict.missing), follow_up=existed)
    elif action == Action.ACCEPT:
        cases.complete_case(session, case, settings=settings)
        reply = _reply(session, settings, case, parsed, "sender:ack:complete", [],
                       follow_up=existed)
        cases.queue_privacy_notices(session, settings, case)
    raw.status = "processed"
    raw.action = action
    raw.processed_at = utcnow()
    session.flush()
    log.info("event=processed raw=%s message_id=%s case=%s action=%s state=%s", raw.id,
             raw.message_id, case.reference, action, case.state)
    record = _record(extraction, reading, verdict, action, case, raw.message_id, reply)
    return Outcome(raw.id, True, raw.message_id, case.reference, action, case.state,
                   case.state == CaseState.NEEDS_REVIEW, record)


def _reply(session: Session, settings: Settings, case: Case, parsed: ParsedEmail,
           template: str, missing: list[str], *, follow_up: bool) -> dict[str, str] | None:
    to = reply_address(parsed, settings.own_addresses())
    if to is None:
        cases.audit(session, case, "reply-not-sent", reason="sender must not get a reply")
        return None
    rendered = cases.queue_reply(session, settings, case, template, to=to,
                                 in_reply_to=parsed, missing=missing, follow_up=follow_up)
    if rendered is None:
        return None
    return {"message_id": rendered.message_id, "to": rendered.recipients[0],
            "subject": rendered.subject}


def _process_automatic(
    session: Session, settings: Settings, raw: RawMessage, parsed: ParsedEmail,
    extraction: Extraction, case: Case | None,
) -> Outcome:
    """Auto-replies, bounces and bulk mail: linked to their case for the record, no field
    change, no reply; a permanent bounce of one of our replies flags the case."""
    ctx = rule_context(settings, CaseReading(), extraction=extraction, parsed=parsed)
    if case is None:
        case = cases.new_case(session, parsed.from_, state=CaseState.NOT_A_NOMINATION)
        verdict = cases.run_rules(session, case, ctx, raw_message_id=raw.id)
    else:
        reading = cases.load_reading(case)
        bounced = bool(
            parsed.classification == Classification.BOUNCE and parsed.permanent_failure
            and parsed.bounced_message_id and session.execute(
                select(OutboxMessage.id).where(
                    OutboxMessage.message_id == parsed.bounced_message_id,
                    OutboxMessage.case_id == case.id)
            ).first()
        )
        cases.audit(session, case, "message-linked", reason=str(parsed.classification),
                    raw_message_id=raw.id)
        if bounced:
            # Every other reason the case had stays: the newest message's facts, as a
            # reviewer's re-evaluation sees them, plus the bounce.
            flag_ctx, _ = case_context(session, settings, case, reading, reply_bounced=True)
            cases.run_rules(session, case, flag_ctx, raw_message_id=raw.id)
            cases.set_state(session, case, CaseState.NEEDS_REVIEW,
                            reason="a reply we sent bounced", raw_message_id=raw.id)
        verdict = evaluate(ctx)
    _attach(case, raw)
    raw.status = "processed"
    raw.action = Action.IGNORE
    raw.processed_at = utcnow()
    session.flush()
    log.info("event=processed raw=%s message_id=%s case=%s action=ignore class=%s", raw.id,
             raw.message_id, case.reference, parsed.classification)
    reading = CaseReading(organisation=extraction.organisation)
    record = _record(extraction, reading, verdict, Action.IGNORE, case, raw.message_id, None)
    return Outcome(raw.id, True, raw.message_id, case.reference, Action.IGNORE, case.state,
                   case.state == CaseState.NEEDS_REVIEW, record)


def _record(
    extraction: Extraction, reading: CaseReading, verdict: Verdict, action: str, case: Case,
    message_id: str | None, reply: dict[str, str] | None,
) -> dict[str, Any]:
    """The ``import --json`` line: the contract plus case, Message-ID, state and reply."""
    return {
        **contract_record(extraction.classification, reading, missing=verdict.missing,
                          action=action, flags=[f.model_dump() for f in verdict.flags],
                          organisation_code=case.organisation_code),
        "case": case.reference,
        "message_id": message_id,
        "state": case.state,
        "reply": reply,
    }


def _stored_outcome(session: Session, raw: RawMessage, *, created: bool) -> Outcome:
    """The outcome of a message processed earlier, rebuilt from what was stored."""
    case = session.get(Case, raw.case_id) if raw.case_id else None
    extraction = Extraction.model_validate(raw.extraction) if raw.extraction else Extraction()
    reading = cases.load_reading(case) if case is not None and raw.action != Action.IGNORE else (
        CaseReading(organisation=extraction.organisation)
    )
    results = cases.latest_results(case) if case is not None else []
    flags = [{"rule": r.rule, "reason": r.reason} for r in results if r.hit and r.kind == "flag"]
    # The decided missing list (the chain may drop items), not the raw rule hits.
    missing = list(case.missing or []) if case is not None else []
    action = raw.action or Action.REVIEW
    record = {
        **contract_record(extraction.classification, reading, missing=missing, action=action,
                          flags=flags, organisation_code=case.organisation_code if case else None),
        "case": case.reference if case else None,
        "message_id": raw.message_id,
        "state": case.state if case else None,
        "reply": None,
    }
    return Outcome(raw.id, created, raw.message_id, case.reference if case else None, action,
                   case.state if case else None,
                   case is not None and case.state == CaseState.NEEDS_REVIEW, record)


__all__ = ["Incoming", "Outcome", "ingest", "process_stored", "store_raw"]
