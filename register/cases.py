"""A case's place in the register: its ODS code, the start date it states, and the facts the
cross-record rules read. Called by the pipeline for each message and by the review app when a
person changes a case."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from parsing.model import ParsedEmail
from register.dates import stated_start
from register.facts import facts_for
from register.matching import OrganisationMatch, match, match_code
from store.models import AuditEntry, Case
from validation.models import CaseReading
from validation.rules import RegisterFacts

__all__ = ["place_case"]


def _match_for(session: Session, case: Case, reading: CaseReading, parsed: ParsedEmail | None,
               shared_domains: frozenset[str]) -> OrganisationMatch:
    sender = parsed.from_ if parsed is not None else None
    domain = sender.domain if sender is not None else (
        (case.sender_addr or "").rpartition("@")[2] or None)
    found = match(session, organisation=reading.organisation,
                  display_name=sender.name if sender is not None else case.sender_name,
                  sender_domain=domain, shared_domains=shared_domains)
    if found.code is None and not found.ambiguous and case.organisation_code:
        # A follow-up that names nothing keeps what earlier messages established.
        return match_code(session, case.organisation_code) or found
    return found


def place_case(session: Session, case: Case, reading: CaseReading, parsed: ParsedEmail | None,
               *, shared_domains: frozenset[str], actor: str = "system",
               raw_message_id: int | None = None) -> tuple[OrganisationMatch, RegisterFacts]:
    """Match ``case`` to its organisation (``case.organisation_code``, a change audited), note
    a start date the new message states (``case.in_post_from``), and return the match and the
    :class:`RegisterFacts` for the rules."""
    found = _match_for(session, case, reading, parsed, shared_domains)
    if found.code != case.organisation_code:
        session.add(AuditEntry(case_id=case.id, actor=actor, action="organisation-matched",
                               field="organisation_code", old_value=case.organisation_code,
                               new_value=found.code, reason=found.note() or (
                                   f"from the {found.via.replace('_', ' ')}" if found.via
                                   else None), raw_message_id=raw_message_id))
        case.organisation_code = found.code
    if parsed is not None and reading.nominees:
        written = parsed.date.date() if isinstance(parsed.date, dt.datetime) else None
        start = stated_start(parsed.body.new or "", written=written)
        if start is not None:
            case.in_post_from = start
    return found, facts_for(session, reading, found, case_id=case.id)
