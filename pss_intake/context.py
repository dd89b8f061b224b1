"""The one builder of :class:`validation.rules.RuleContext`.

Three callers evaluate the rules: the pipeline (a new message on a case), the review app
(re-evaluating a case after a reviewer's action, with the newest message as the message the
rules look at) and ``pss-intake extract`` (a message alone, as if it opened a case). They all
build the context here, so an evaluation after a reviewer's edit sees the same facts about the
message as the one when it arrived: what processing found out about a message (its thread
verdict above all) is stored on its :class:`store.models.RawMessage` and read back from there,
never worked out again differently.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from parsing import parse_email
from parsing.model import Address, Classification, ParsedEmail
from pss_intake import cases
from pss_intake.config import Settings
from register.cases import place_case
from replies.render import answerable, reply_address
from store.models import AuditEntry, Case, RawMessage
from validation.models import CaseReading, Extraction
from validation.rules import RegisterFacts, RuleContext

AUTOMATIC = (Classification.AUTO_REPLY, Classification.BOUNCE)


@dataclass(frozen=True, slots=True)
class MessageFacts:
    """What processing found out about one message, beyond its parse and extraction.

    ``foreign_case_reference`` is a case reference the message pointed at but was not merged
    into (unknown, or another sender's case); ``thread_of_other_sender`` says it was reached
    through In-Reply-To/References. ``processing_error`` is the exception class name when
    processing failed. ``correction_unapplied``: a follow-up says it corrects a detail but
    changed no value of the case. See :class:`RuleContext` for the others.
    """

    oversized: bool = False
    processing_error: str | None = None
    message_id_reused: bool = False
    foreign_case_reference: str | None = None
    thread_of_other_sender: bool = False
    correction_unapplied: bool = False


def rule_context(
    settings: Settings,
    reading: CaseReading,
    *,
    parsed: ParsedEmail | None = None,
    extraction: Extraction | None = None,
    sender_addr: str | None = None,
    facts: MessageFacts = MessageFacts(),
    duplicate_of: tuple[str, ...] = (),
    reply_bounced: bool = False,
    reply_possible: bool | None = None,
    no_answer_after_chasers: str | None = None,
    register: RegisterFacts | None = None,
) -> RuleContext:
    """The context for one evaluation. ``reply_possible`` defaults to whether ``parsed`` has
    an address we may answer (True without a message: nothing says otherwise); ``register``
    is what the register says about the case (:func:`register.cases.place_case`; nothing
    loaded when None)."""
    if reply_possible is None:
        reply_possible = parsed is None or (
            reply_address(parsed, settings.own_addresses()) is not None
        )
    return RuleContext(
        reading=reading,
        extraction=extraction,
        parsed=parsed,
        sender_addr=sender_addr,
        webmail_domains=settings.webmail_domains(),
        organisation_domains=settings.organisation_domains(),
        oversized=facts.oversized,
        processing_error=facts.processing_error,
        message_id_reused=facts.message_id_reused,
        foreign_case_reference=facts.foreign_case_reference,
        thread_of_other_sender=facts.thread_of_other_sender,
        correction_unapplied=facts.correction_unapplied,
        duplicate_of=duplicate_of,
        reply_bounced=reply_bounced,
        reply_possible=reply_possible,
        no_answer_after_chasers=no_answer_after_chasers,
        register=register if register is not None else RegisterFacts(),
    )


def parse_stored(settings: Settings, raw: RawMessage) -> ParsedEmail | None:
    """Re-parse a stored message as the pipeline does; None when it cannot be parsed (the
    parser is pure, so this is only ever a problem of the message or the parser)."""
    try:
        return parse_email(
            raw.content,
            own_addresses=settings.own_addresses(),
            own_message_id_domains=frozenset({settings.replies.message_id_domain.lower()}),
        )
    except Exception:  # noqa: BLE001 - re-evaluating must not fail because parsing does
        return None


def latest_message(case: Case) -> RawMessage | None:
    """The newest message of the case that is not an auto-reply or bounce."""
    for raw in sorted(case.messages, key=lambda m: m.id, reverse=True):
        if raw.classification not in AUTOMATIC:
            return raw
    return None


def stored_facts(session: Session, case: Case, raw: RawMessage | None) -> MessageFacts:
    """The facts recorded when ``raw`` was processed. A foreign reference that is now the
    case's own (a reviewer merged that case and this one) no longer counts."""
    if raw is None:
        return MessageFacts()
    reused = bool(raw.message_id) and session.execute(
        select(RawMessage.id).where(RawMessage.message_id == raw.message_id,
                                    RawMessage.id != raw.id).limit(1)
    ).first() is not None
    foreign = raw.foreign_case_reference
    if foreign is not None:
        own = {case.reference} | set(session.execute(
            select(Case.reference).where(Case.merged_into_id == case.id)).scalars())
        foreign = None if foreign in own else foreign
    return MessageFacts(
        oversized=raw.oversized,
        processing_error=(raw.error or "processing failed") if raw.status == "failed" else None,
        message_id_reused=reused,
        foreign_case_reference=foreign,
        thread_of_other_sender=foreign is not None and raw.thread_of_other_sender,
        correction_unapplied=_correction_unapplied(session, case, raw),
    )


def _correction_unapplied(session: Session, case: Case, raw: RawMessage) -> bool:
    """True when ``raw`` is a later message of ``case`` that says it corrects a detail and
    changed no field (no ``field-changed`` audit entry of the system names it)."""
    if not (raw.extraction or {}).get("correction") or min(m.id for m in case.messages) == raw.id:
        return False
    return session.execute(
        select(AuditEntry.id).where(AuditEntry.raw_message_id == raw.id,
                                    AuditEntry.action == "field-changed").limit(1)
    ).first() is None


def case_reply_address(settings: Settings, case: Case, parsed: ParsedEmail | None
                       ) -> Address | None:
    """Where a reply on the case goes: the newest message's reply address, or the case's
    sender when that message cannot be parsed now (with the same refusals)."""
    own = settings.own_addresses()
    if parsed is not None:
        return reply_address(parsed, own)
    if not case.sender_addr:
        return None
    return answerable(Address(case.sender_name or "", case.sender_addr), own)


def case_context(
    session: Session, settings: Settings, case: Case, reading: CaseReading, *,
    parsed: ParsedEmail | None | bool = False, extraction: Extraction | None | bool = False,
    processing_error: str | None = None, reply_bounced: bool | None = None,
    no_answer_after_chasers: str | None = None,
) -> tuple[RuleContext, RawMessage | None]:
    """The context for evaluating ``case`` again without a new message: the case's fields
    with its newest non-automatic message (re-parsed unless given) and that message's stored
    facts. A bounced reply, and chasers that went unanswered (``no_answer_after_chasers``,
    else the reason of the last evaluation), stay facts of the case until a person resolves
    them.

    :returns: ``(context, the newest message or None)``.
    """
    raw = latest_message(case)
    if parsed is False:
        parsed = parse_stored(settings, raw) if raw is not None else None
    if extraction is False:
        extraction = (Extraction.model_validate(raw.extraction)
                      if raw is not None and raw.extraction else None)
    assert not isinstance(parsed, bool) and not isinstance(extraction, bool)
    facts = stored_facts(session, case, raw)
    if processing_error is not None:
        facts = replace(facts, processing_error=processing_error)
    previous = cases.latest_results(case)
    if reply_bounced is None:
        reply_bounced = any(r.rule == "reply-bounced" and r.hit for r in previous)
    if no_answer_after_chasers is None:
        no_answer_after_chasers = next(
            (r.reason for r in previous if r.rule == "no-answer-after-chasers" and r.hit), None)
    ctx = rule_context(
        settings, reading, parsed=parsed, extraction=extraction, sender_addr=case.sender_addr,
        facts=facts, duplicate_of=cases.duplicates_of(session, case, reading),
        reply_bounced=reply_bounced,
        reply_possible=case_reply_address(settings, case, parsed) is not None,
        no_answer_after_chasers=no_answer_after_chasers,
        register=place_case(session, case, reading, parsed,
                            shared_domains=settings.shared_domains())[1],
    )
    return ctx, raw
