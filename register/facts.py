"""Build :class:`validation.rules.RegisterFacts` for a case: what the cross-record rules read
(the organisation matched, its specialists in post, replaced people and nominees found in
post)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from register.matching import OrganisationMatch
from register.ods import loaded as organisations_loaded
from store.models import Organisation, Specialist
from validation.models import CaseReading, PersonReading
from validation.rules import RegisterFacts

__all__ = ["facts_for", "in_post_at", "roster_loaded", "same_person"]


def roster_loaded(session: Session) -> bool:
    """True once the team's roster of specialists in post has been imported."""
    return session.execute(
        select(Specialist.id).where(Specialist.source == "roster").limit(1)
    ).first() is not None


def in_post_at(session: Session, code: str, *, exclude_case: int | None = None
               ) -> list[Specialist]:
    """Specialists in post at ``code`` or at an organisation that closed into it (the
    specialists of merged ICBs belong to their successor), oldest first."""
    codes = {code}
    frontier = {code}
    while frontier:
        # The predecessors of the codes found so far (ODS successor links, several levels).
        frontier = set(session.execute(
            select(Organisation.code).where(Organisation.successor_code.in_(frontier))
        ).scalars()) - codes
        codes |= frontier
    query = select(Specialist).where(Specialist.in_post.is_(True),
                                     Specialist.organisation_code.in_(codes))
    if exclude_case is not None:
        query = query.where((Specialist.case_id.is_(None)) | (Specialist.case_id != exclude_case))
    return list(session.execute(query.order_by(Specialist.started_at, Specialist.id)).scalars())


def same_person(person: PersonReading, row: Specialist) -> bool:
    """By email when both have one, else by name (case-insensitive, spaces normalised)."""
    if person.email and row.email:
        return person.email.lower() == row.email.lower()
    if person.name and row.name:
        return " ".join(person.name.split()).casefold() == " ".join(row.name.split()).casefold()
    return False


def _nominees_in_post(session: Session, nominees: Iterable[PersonReading], case_id: int | None,
                      here: list[Specialist]) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    for person in nominees:
        hits = [r for r in here if same_person(person, r)]
        if not hits and person.email:
            hits = [r for r in session.execute(select(Specialist).where(
                Specialist.in_post.is_(True), Specialist.email == person.email.lower()
            )).scalars() if r.case_id is None or r.case_id != case_id]
        if hits:
            found.append((person.name or person.email or "the nominee",
                          hits[0].organisation or hits[0].organisation_code or "another "
                          "organisation"))
    return tuple(found)


def facts_for(session: Session, reading: CaseReading, found: OrganisationMatch, *,
              case_id: int | None, today: dt.date | None = None) -> RegisterFacts:
    """What the register says about a case reading ``reading`` matched to ``found``."""
    if not organisations_loaded(session):
        return RegisterFacts(specialists_loaded=roster_loaded(session))
    closed = None
    if found.closed_on is not None and not found.resolved_to_successor:
        closed = f"{found.named_name} closed on {found.closed_on.strftime('%-d %B %Y')}"
    facts = RegisterFacts(
        organisations_loaded=True, specialists_loaded=roster_loaded(session),
        organisation_text=found.text or reading.organisation, organisation_code=found.code,
        organisation_name=found.name, ambiguous=found.ambiguous,
        closed_without_successor=closed,
    )
    if not facts.specialists_loaded:
        return facts
    here = in_post_at(session, found.code, exclude_case=case_id) if found.code else []
    pool = here if found.code else list(session.execute(
        select(Specialist).where(Specialist.in_post.is_(True))).scalars())
    replaced = tuple(p.name or p.email or "the person replaced" for p in reading.replaced
                     if (p.name or p.email) and not any(same_person(p, r) for r in pool))
    return dataclasses.replace(
        facts, in_post=tuple(r.name or r.email or "(no name)" for r in here),
        replaced_not_in_post=replaced,
        nominees_in_post=_nominees_in_post(session, reading.nominees, case_id, here))
