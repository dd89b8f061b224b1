"""Erasure (UK GDPR Art. 17) and the subject access export (Art. 15) of one person.

:func:`erase` replaces the person's values on cases and in the register by a tombstone
(``[erased YYYY-MM-DD]``), redacts them from stored messages (a redacted copy replaces the
bytes; its SHA-256 is recorded, the original's hash stays so the same mail is still recognised
if it arrives again), from reply bodies, rule reasons, provenance texts and audit values, and
records the erasure in the audit log with the reason and the counts, never the data.
:func:`export` writes a zip: a readable summary, the records as JSON, the stored messages as
they are, and a list of other people's details in those messages for the team to redact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parsing.mime import parse_email
from privacy.matching import PersonPattern
from privacy.person import Place, find
from privacy.retention import PERSON_VALUES
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

EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


class ErasureRefused(Exception):
    """A case naming the person is still open (erase with ``force`` to go ahead)."""


def redact_message(raw: bytes, pattern: PersonPattern) -> bytes:
    """``raw`` with the person redacted from its headers and text parts; an attachment that is
    not text is dropped (its content cannot be redacted in place) and replaced by a note."""
    msg = message_from_bytes(raw, policy=policy.default)
    for name in ("From", "To", "Cc", "Reply-To", "Sender", "Subject"):
        values = msg.get_all(name) or []
        if any(pattern.found_in(str(v)) for v in values):
            del msg[name]
            for value in values:
                msg[name] = pattern.redact(str(value))
    for part in msg.walk():
        if not part.is_multipart():
            _redact_part(part, pattern)
    return msg.as_bytes()


def _redact_part(part: Message, pattern: PersonPattern) -> None:
    assert isinstance(part, EmailMessage)
    if part.get_content_maintype() == "text":
        try:
            text = part.get_content()
        except (LookupError, UnicodeError, KeyError):
            payload = part.get_payload(decode=True)
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        if pattern.found_in(text):
            part.set_content(pattern.redact(text), subtype=part.get_content_subtype())
        return
    if part.get_content_disposition() is None and part.get_filename() is None:
        return
    part.set_content("[attachment removed when a person's details were erased]\n")


def _tombstone(on: dt.date) -> str:
    return f"[erased {on.isoformat()}]"


def _redact_json(value: Any, pattern: PersonPattern) -> Any:
    if value is None:
        return None
    text = json.dumps(value, ensure_ascii=False)
    return json.loads(pattern.redact(text)) if pattern.found_in(text) else value


def _open_cases(session: Session, places: list[Place]) -> list[str]:
    references = {p.case for p in places if p.case}
    return sorted(r for r in references if session.scalar(
        select(Case.state).where(Case.reference == r)) in CaseState.OPEN)


@dataclass
class ErasureReport:
    """Counts of what an erasure changed (or, with ``dry_run``, would change), by table."""

    places: list[Place]
    changed: Counter[str]
    dry_run: bool

    def as_json(self) -> dict[str, object]:
        return {"dry_run": self.dry_run, "places": len(self.places),
                "changed": dict(sorted(self.changed.items()))}


def erase(session: Session, pattern: PersonPattern, *, reason: str, actor: str,
          now: dt.datetime, dry_run: bool = False, force: bool = False) -> ErasureReport:
    """Erase the person ``pattern`` names everywhere :func:`~privacy.person.find` shows them.

    :raises ErasureRefused: a case naming them is open and ``force`` is not given.
    """
    places = find(session, pattern)
    open_cases = _open_cases(session, places)
    if open_cases and not force:
        raise ErasureRefused(f"open case(s) name this person: {', '.join(open_cases)} "
                             "(decide them first, or use --force)")
    changed: Counter[str] = Counter(p.table for p in places)
    if dry_run:
        return ErasureReport(places, changed, dry_run=True)
    tomb = _tombstone(now.date())
    for place in places:
        _erase_place(session, place, pattern, tomb, now)
    _erase_derived(session, pattern, {p.case for p in places if p.case}, now)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(changed.items()))
    session.add(AuditEntry(action="erasure", actor=actor, at=now,
                           reason=f"{reason} ({counts})"))
    return ErasureReport(places, changed, dry_run=False)


def _erase_place(session: Session, place: Place, pattern: PersonPattern, tomb: str,
                 now: dt.datetime) -> None:
    if place.table == "case_person":
        person = session.get_one(CasePerson, place.row_id)
        for name in PERSON_VALUES:
            setattr(person, name, None)
        person.name, person.provenance = tomb, {}
    elif place.table == "case":
        case = session.get_one(Case, place.row_id)
        case.sender_addr, case.sender_name = None, tomb
    elif place.table == "case_correspondent":
        # A correspondent may speak for the case: an erased person no longer does.
        session.delete(session.get_one(CaseCorrespondent, place.row_id))
    elif place.table == "specialist":
        specialist = session.get_one(Specialist, place.row_id)
        for name in ("email", "phone", "job_title", "pay_band"):
            setattr(specialist, name, None)
        specialist.name, specialist.purged_at = tomb, now
    elif place.table == "raw_message":
        _redact_stored(session.get_one(RawMessage, place.row_id), pattern)
    elif place.table == "outbox":
        _redact_reply(session.get_one(OutboxMessage, place.row_id), pattern)
    elif place.table == "audit_log":
        entry = session.get_one(AuditEntry, place.row_id)
        entry.old_value = pattern.redact(entry.old_value) if entry.old_value else None
        entry.new_value = pattern.redact(entry.new_value) if entry.new_value else None


def _redact_stored(message: RawMessage, pattern: PersonPattern) -> None:
    if message.redacted_sha256 is not None and not pattern.found_in(
            message.content.decode("utf-8", "replace")):
        return
    message.content = redact_message(message.content, pattern.in_context())
    message.redacted_sha256 = hashlib.sha256(message.content).hexdigest()
    message.size = len(message.content)
    message.subject = pattern.redact(message.subject) if message.subject else None
    if pattern.is_email(message.from_addr):
        message.from_addr = None
    message.extraction = _redact_json(message.extraction, pattern)


def _redact_reply(reply: OutboxMessage, pattern: PersonPattern) -> None:
    reply.content = redact_message(reply.content, pattern.in_context())
    reply.subject = pattern.redact(reply.subject)
    reply.recipients = [r if not pattern.is_email(str(r)) else "[erased]"
                        for r in reply.recipients or []]
    if pattern.is_email(reply.to_addr):
        reply.to_addr = None


def _erase_derived(session: Session, pattern: PersonPattern, references: set[str],
                   now: dt.datetime) -> None:
    """Texts derived from the mail on the cases concerned: provenance and rule reasons."""
    for case in session.scalars(select(Case).where(Case.reference.in_(references))):
        case.provenance = _redact_json(case.provenance, pattern) or {}
        for person in case.people:
            person.provenance = _redact_json(person.provenance, pattern) or {}
        for result in session.scalars(select(RuleResult).where(RuleResult.case_id == case.id)):
            if pattern.found_in(result.reason):
                result.reason = pattern.redact(result.reason)


def export(session: Session, pattern: PersonPattern, out: Path, *, now: dt.datetime) -> int:
    """Write the subject access export of ``pattern``'s person to ``out`` (a .zip).

    :returns: the number of places found. The zip holds ``summary.txt``, ``records.json``,
        ``messages/<id>.eml`` (as stored) and ``others-to-review.txt`` (other e-mail addresses
        in those messages, for the team to redact where needed before sending).
    """
    places = find(session, pattern)
    records = [_record(session, p) for p in places]
    messages = {p.row_id for p in places if p.table == "raw_message"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.txt", _summary(places, now))
        archive.writestr("records.json", json.dumps(records, ensure_ascii=False, indent=2,
                                                    default=str))
        others: set[str] = set()
        for row_id in sorted(messages):
            content = session.get_one(RawMessage, row_id).content
            archive.writestr(f"messages/{row_id}.eml", content)
            others |= {e for e in _addresses_in(content) if not pattern.is_email(e)}
        archive.writestr("others-to-review.txt", "\n".join(sorted(others)) + "\n")
    out.write_bytes(buffer.getvalue())
    return len(places)


def _addresses_in(content: bytes) -> set[str]:
    """Lower-cased e-mail addresses in a message's address headers, text and attachments."""
    parsed = parse_email(content)
    found = {a.addr.lower() for a in (parsed.from_, *parsed.to, *parsed.cc, *parsed.reply_to)
             if a is not None and a.addr}
    texts = [parsed.body.full, *(a.text or "" for a in parsed.attachments)]
    return found | {e.lower() for text in texts for e in EMAIL_RE.findall(text)}


def _record(session: Session, place: Place) -> dict[str, object]:
    record = place.as_json()
    if place.table in ("case_person", "specialist"):
        model = CasePerson if place.table == "case_person" else Specialist
        row = session.get_one(model, place.row_id)
        record["values"] = {k: getattr(row, k, None) for k in PERSON_VALUES if hasattr(row, k)}
    return record


def _summary(places: list[Place], now: dt.datetime) -> str:
    lines = [f"Subject access export made {now:%Y-%m-%d %H:%M} UTC.", "",
             "What we hold: your details as a Patient Safety Specialist nominee, as a specialist "
             "replaced, or as a correspondent, in the places listed below.",
             "Why: to keep the national register of Patient Safety Specialists (see the privacy "
             "notice).", ""]
    by_table = Counter(p.table for p in places)
    lines += [f"- {table}: {count}" for table, count in sorted(by_table.items())]
    lines += ["", "Places:"] + [f"- {p.table} {p.row_id} ({p.case or 'no case'}): {p.role}"
                                for p in places]
    return "\n".join(lines) + "\n"
