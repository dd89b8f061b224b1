"""A person's data: found everywhere it is held (UK GDPR Art. 15), exported for a subject
access request, and erased (Art. 17) — see ``docs/personal-data.md``.

:func:`find` starts from an e-mail address or a name, widens to the names and phone numbers
recorded with that address on cases and in the register, and returns every :class:`Place` the
person appears: cases (as nominee, replaced, sender, copied), register rows, stored messages
whose text names them (body, signature, quoted history, attachments), replies sent to or about
them, and audit entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from parsing.mime import parse_email
from parsing.model import ParsedEmail
from privacy.matching import PersonPattern
from store.models import (
    AuditEntry,
    Case,
    CaseCorrespondent,
    CasePerson,
    OutboxMessage,
    RawMessage,
    Specialist,
)


@dataclass(frozen=True)
class Place:
    """Where a person appears. ``table`` is the database table, ``row_id`` its key, ``case``
    the case reference (or None), ``role`` how they appear there (``nominee``, ``replaced``,
    ``sender``, ``copied``, ``named in the body``, ``recipient``, …)."""

    table: str
    row_id: int
    case: str | None
    role: str

    def as_json(self) -> dict[str, object]:
        return {"table": self.table, "id": self.row_id, "case": self.case, "role": self.role}


def pattern_for(session: Session, query: str) -> PersonPattern:
    """The person a query means: an e-mail address (with the names and numbers recorded with
    it) or a name (with the addresses and numbers of the people recorded under that name)."""
    query = " ".join(query.split())
    if "@" in query:
        addr = query.lower()
        people = session.scalars(select(CasePerson).where(CasePerson.email == addr))
        register = session.scalars(select(Specialist).where(Specialist.email == addr))
        rows: list[CasePerson | Specialist] = [*people, *register]
        names = {r.name for r in rows if r.name}
        names |= set(session.scalars(select(Case.sender_name).where(Case.sender_addr == addr)))
        names |= set(session.scalars(select(CaseCorrespondent.name)
                                     .where(CaseCorrespondent.addr == addr)))
        return PersonPattern.of({query}, {n for n in names if n},
                                {r.phone for r in rows if r.phone}, _details(rows))
    base = PersonPattern.of(set(), {query}, set())
    if not base.names:
        raise ValueError("give an e-mail address, or a name of two words or more")
    rows = [r for r in [*session.scalars(select(CasePerson).where(CasePerson.name.is_not(None))),
                        *session.scalars(select(Specialist).where(Specialist.name.is_not(None)))]
            if base.found_in(r.name)]
    return PersonPattern.of({r.email for r in rows if r.email}, {query} | {
        r.name for r in rows if r.name}, {r.phone for r in rows if r.phone}, _details(rows))


def _details(rows: list[CasePerson | Specialist]) -> set[str]:
    """Job titles and pay bands as written of the person's rows (redacted with them)."""
    found = {r.job_title for r in rows if r.job_title}
    found |= {r.pay_band_raw for r in rows if isinstance(r, CasePerson) and r.pay_band_raw}
    return {str(d) for d in found}


def _case_places(session: Session, pattern: PersonPattern) -> list[Place]:
    places = []
    for person in session.scalars(select(CasePerson).join(Case)):
        if pattern.is_email(person.email) or (person.name and pattern.found_in(person.name)):
            places.append(Place("case_person", person.id, person.case.reference, person.role))
    for case in session.scalars(select(Case).where(Case.sender_addr.is_not(None))):
        if pattern.is_email(case.sender_addr) or pattern.found_in(case.sender_name):
            places.append(Place("case", case.id, case.reference, "sender"))
    for who in session.scalars(select(CaseCorrespondent).order_by(CaseCorrespondent.id)):
        if pattern.is_email(who.addr) or pattern.found_in(who.name):
            places.append(Place("case_correspondent", who.id, who.case.reference,
                                f"correspondent ({who.source})"))
    return places


def _register_places(session: Session, pattern: PersonPattern) -> list[Place]:
    return [Place("specialist", s.id, None, "in post" if s.in_post else "former specialist")
            for s in session.scalars(select(Specialist))
            if pattern.is_email(s.email) or (s.name and pattern.found_in(s.name))]


def message_roles(parsed: ParsedEmail, pattern: PersonPattern) -> list[str]:
    """How a parsed message names the person: header roles, then the text regions."""
    roles = []
    if parsed.from_ is not None and pattern.is_email(parsed.from_.addr):
        roles.append("sender")
    if any(pattern.is_email(a.addr) for a in (*parsed.to, *parsed.cc, *parsed.reply_to)):
        roles.append("copied")
    regions = (("body", parsed.body.new), ("signature", parsed.body.signature),
               ("quoted history", parsed.body.quoted), ("forwarded", parsed.body.forwarded))
    roles += [f"named in the {where}" for where, text in regions if pattern.found_in(text)]
    roles += [f"named in attachment {a.filename or a.part_index}" for a in parsed.attachments
              if pattern.found_in(a.text)]
    if not roles and pattern.found_in(parsed.body.full or parsed.subject):
        roles.append("named in the message")
    return roles


def _message_places(session: Session, pattern: PersonPattern) -> list[Place]:
    places = []
    for message in session.scalars(select(RawMessage).where(RawMessage.purged_at.is_(None))):
        parsed = parse_email(message.content)
        reference = message.case.reference if message.case else None
        places += [Place("raw_message", message.id, reference, role)
                   for role in message_roles(parsed, pattern)]
    return places


def _reply_places(session: Session, pattern: PersonPattern) -> list[Place]:
    places = []
    for reply in session.scalars(select(OutboxMessage).where(OutboxMessage.purged_at.is_(None))):
        reference = reply.case.reference if reply.case else None
        if any(pattern.is_email(str(r)) for r in reply.recipients or []):
            places.append(Place("outbox", reply.id, reference, "recipient"))
        elif pattern.found_in(parse_email(reply.content).body.full):
            places.append(Place("outbox", reply.id, reference, "named in a reply"))
    return places


def _audit_places(session: Session, pattern: PersonPattern) -> list[Place]:
    rows = session.scalars(select(AuditEntry).where(
        or_(AuditEntry.old_value.is_not(None), AuditEntry.new_value.is_not(None))))
    return [Place("audit_log", a.id, _reference(session, a.case_id),
                  f"{a.action} {a.field or ''}".strip())
            for a in rows if pattern.found_in(a.old_value) or pattern.found_in(a.new_value)]


def _reference(session: Session, case_id: int | None) -> str | None:
    return session.scalar(select(Case.reference).where(Case.id == case_id)) if case_id else None


def find(session: Session, pattern: PersonPattern) -> list[Place]:
    """Every place ``pattern``'s person appears, in the order cases, register, messages,
    replies, audit (each by row id)."""
    if not pattern:
        return []
    return [*_case_places(session, pattern), *_register_places(session, pattern),
            *_message_places(session, pattern), *_reply_places(session, pattern),
            *_audit_places(session, pattern)]
