"""Read one message on its own, with no database: what ``pss-intake extract`` prints.

The rules run as if the message opened a new case, so ``missing``, ``action`` and ``flags``
say what the pipeline would do with it as a first message.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from parsing import parse_email
from parsing.extract import extract
from pss_intake.config import Settings
from pss_intake.context import MessageFacts, rule_context
from pss_intake.contract import contract_record
from register.facts import facts_for
from register.matching import NO_MATCH, match
from validation.chain import evaluate
from validation.merge import merge
from validation.models import CaseReading
from validation.rules import RegisterFacts


def read_message(content: bytes, settings: Settings, *,
                 organisations: Session | None = None) -> dict[str, Any]:
    """The JSON contract (DESIGN.md) for raw message bytes; never raises for bad input.

    ``organisations`` is a session on a database with ODS organisations loaded (read only):
    with it, ``organisation_code`` is matched and the cross-record rules run; without it,
    ``organisation_code`` is None and they report "not checked"."""
    oversized = len(content) > settings.intake.max_message_bytes
    parsed = parse_email(
        content,
        own_addresses=settings.own_addresses(),
        own_message_id_domains=frozenset({settings.replies.message_id_domain.lower()}),
    )
    extraction = extract(parsed)
    automatic = parsed.classification in ("auto_reply", "bounce") or parsed.is_bulk
    reading = (
        CaseReading(organisation=extraction.organisation)
        if automatic else merge(CaseReading(), extraction)[0]
    )
    found, register_facts = NO_MATCH, RegisterFacts()
    if organisations is not None and not automatic:
        sender = parsed.from_
        found = match(organisations, organisation=reading.organisation,
                      display_name=sender.name if sender else None,
                      sender_domain=sender.domain if sender else None,
                      shared_domains=settings.shared_domains())
        register_facts = facts_for(organisations, reading, found, case_id=None)
    verdict = evaluate(rule_context(
        settings, reading, parsed=parsed, extraction=extraction,
        sender_addr=parsed.from_.addr if parsed.from_ else None,
        facts=MessageFacts(oversized=oversized), register=register_facts,
    ))
    return contract_record(extraction.classification, reading, missing=verdict.missing,
                           action=verdict.action,
                           flags=[f.model_dump() for f in verdict.flags],
                           organisation_code=found.code)
