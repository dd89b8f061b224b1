"""Case operations shared by the pipeline and the review app: load and save a case's reading,
record audit entries, evaluate the rules, queue replies, and complete a case into the register.

Every function works inside the caller's session (one transaction): the caller commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from parsing.model import Address, ParsedEmail
from pss_intake.config import Settings
from register import notices
from register.facts import in_post_at, same_person
from register.matching import learn_domain
from register.names import proper_case
from register.notices import NoticeOptions, queue_notices
from replies.render import RenderedReply, render_reply
from store.models import (
    AuditEntry,
    Case,
    CasePerson,
    CaseState,
    Organisation,
    OutboxMessage,
    RawMessage,
    RuleResult,
    Specialist,
    utcnow,
)
from validation.chain import Verdict, evaluate
from validation.merge import PERSON_FIELDS, Change
from validation.models import CaseReading, NominationType, PersonReading, Provenance
from validation.rules import RuleContext

ROLES = {"nominees": "nominee", "replaced": "replaced"}
NOTICE_TEMPLATE_PREFIX = notices.TEMPLATE_PREFIX


def reference_for(case_id: int) -> str:
    """The case reference for a database id: 7 → ``PSS-000007``."""
    return f"PSS-{case_id:06d}"


def new_case(session: Session, sender: Address | None, *, state: str) -> Case:
    """Create a case (with its reference) for a nominating ``sender``."""
    case = Case(
        state=state,
        sender_addr=sender.addr if sender else None,
        sender_name=sender.name if sender else None,
    )
    session.add(case)
    session.flush()
    case.reference = reference_for(case.id)
    audit(session, case, "case-created", new_value=state)
    return case


def audit(
    session: Session,
    case: Case | None,
    action: str,
    *,
    actor: str = "system",
    field: str | None = None,
    old_value: Any = None,
    new_value: Any = None,
    reason: str | None = None,
    raw_message_id: int | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Append one audit entry (who, what, when — ``at``, default now —, why) and return it."""
    entry = AuditEntry(
        at=at or utcnow(),
        case_id=case.id if case is not None else None,
        actor=actor,
        action=action,
        field=field,
        old_value=None if old_value is None else str(old_value),
        new_value=None if new_value is None else str(new_value),
        reason=reason,
        raw_message_id=raw_message_id,
    )
    session.add(entry)
    return entry


def set_state(
    session: Session, case: Case, state: str, *, actor: str = "system", reason: str | None = None,
    raw_message_id: int | None = None,
) -> None:
    """Change the case's state, with an audit entry when it actually changes."""
    if case.state == state:
        return
    audit(session, case, "state-changed", actor=actor, field="state", old_value=case.state,
          new_value=state, reason=reason, raw_message_id=raw_message_id)
    case.state = state
    if state == CaseState.COMPLETE:
        case.completed_at = utcnow()


def load_reading(case: Case) -> CaseReading:
    """The case's fields as a :class:`CaseReading` (people ordered by position)."""
    people: dict[str, list[PersonReading]] = {"nominee": [], "replaced": []}
    for row in sorted(case.people, key=lambda p: (p.role, p.position)):
        values = {f: getattr(row, f) for f in PERSON_FIELDS}
        provenance = {k: Provenance(**v) for k, v in (row.provenance or {}).items()}
        people.setdefault(row.role, []).append(PersonReading(**values, provenance=provenance))
    return CaseReading(
        nomination_type=NominationType(case.nomination_type) if case.nomination_type else None,
        nominees=people["nominee"],
        replaced=people["replaced"],
        guidance_confirmed=case.guidance_confirmed,
        organisation=case.organisation,
        provenance={k: Provenance(**v) for k, v in (case.provenance or {}).items()},
    )


def save_reading(session: Session, case: Case, reading: CaseReading) -> None:
    """Write ``reading`` onto the case and its people rows (updated in place by position)."""
    case.nomination_type = reading.nomination_type
    case.guidance_confirmed = reading.guidance_confirmed
    case.organisation = reading.organisation
    case.provenance = {k: v.model_dump(mode="json") for k, v in reading.provenance.items()}
    existing = {(p.role, p.position): p for p in case.people}
    wanted: set[tuple[str, int]] = set()
    for list_name, role in ROLES.items():
        for position, person in enumerate(getattr(reading, list_name)):
            key = (role, position)
            wanted.add(key)
            row = existing.get(key)
            if row is None:
                row = CasePerson(role=role, position=position)
                case.people.append(row)
            for f in PERSON_FIELDS:
                setattr(row, f, getattr(person, f))
            row.provenance = {k: v.model_dump(mode="json") for k, v in person.provenance.items()}
    for key, row in existing.items():
        if key not in wanted:
            case.people.remove(row)
    session.flush()


def record_changes(
    session: Session, case: Case, changes: list[Change], *, actor: str = "system",
    raw_message_id: int | None = None, reason: str | None = None,
) -> None:
    """One ``field-changed`` audit entry per change, old and new values kept."""
    for change in changes:
        audit(session, case, "field-changed", actor=actor, field=change.field,
              old_value=change.old, new_value=change.new, raw_message_id=raw_message_id,
              reason=reason)


def duplicates_of(session: Session, case: Case, reading: CaseReading) -> tuple[str, ...]:
    """References of other live cases (and register entries) naming a nominee's e-mail."""
    emails = {p.email for p in reading.nominees if p.email}
    if not emails:
        return ()
    rows = session.execute(
        select(Case.reference)
        .join(CasePerson, CasePerson.case_id == Case.id)
        .where(CasePerson.role == "nominee", CasePerson.email.in_(emails), Case.id != case.id,
               Case.state.in_([CaseState.AWAITING_INFORMATION, CaseState.NEEDS_REVIEW,
                               CaseState.COMPLETE]))
    ).scalars()
    refs = sorted({r for r in rows if r})
    in_register = session.execute(
        select(func.count()).select_from(Specialist)
        .where(Specialist.email.in_(emails), Specialist.in_post.is_(True),
               Specialist.case_id != case.id)
    ).scalar_one()
    if in_register and not refs:
        refs.append("the register")
    return tuple(refs)


def run_rules(
    session: Session, case: Case, ctx: RuleContext, *, raw_message_id: int | None = None
) -> Verdict:
    """Evaluate every rule and store every outcome as evaluation number n+1 of the case."""
    verdict = evaluate(ctx)
    last = session.execute(
        select(func.max(RuleResult.evaluation)).where(RuleResult.case_id == case.id)
    ).scalar_one()
    number = (last or 0) + 1
    # One executemany for all the rules' rows (the ORM would insert them one by one).
    now = utcnow()
    session.execute(insert(RuleResult), [
        {"case_id": case.id, "evaluation": number, "raw_message_id": raw_message_id,
         "rule": o.rule, "hit": o.hit, "kind": o.kind, "reason": o.reason,
         "missing": list(o.missing), "created_at": now}
        for o in verdict.outcomes
    ])
    case.missing = list(verdict.missing)
    return verdict


def latest_results(case: Case) -> list[RuleResult]:
    """The rule results of the case's latest evaluation."""
    if not case.rule_results:
        return []
    last = max(r.evaluation for r in case.rule_results)
    return [r for r in case.rule_results if r.evaluation == last]


def replies_today(session: Session, *, case_id: int | None = None,
                  recipient: str | None = None, now: dt.datetime | None = None) -> int:
    """How many replies were queued in the 24 hours before ``now`` (default: the present) for
    a case or a recipient."""
    now = now or utcnow()
    since = now - dt.timedelta(days=1)
    # Privacy notices go to the people named, not the sender: they are not replies.
    query = select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.created_at >= since, OutboxMessage.created_at <= now,
        OutboxMessage.template.not_like(f"{NOTICE_TEMPLATE_PREFIX}%"))
    if case_id is not None:
        query = query.where(OutboxMessage.case_id == case_id)
    if recipient is not None:
        query = query.where(OutboxMessage.to_addr == recipient.lower())
    return int(session.execute(query).scalar_one())


def queue_reply(
    session: Session,
    settings: Settings,
    case: Case,
    template: str,
    *,
    to: Address,
    in_reply_to: ParsedEmail | None,
    missing: list[str] | None = None,
    actor: str = "system",
    follow_up: bool = False,
    now: dt.datetime | None = None,
    thread: tuple[str, tuple[str, ...]] | None = None,
    asked_on: dt.date | None = None,
    reminder: int = 0,
) -> RenderedReply | None:
    """Render a reply and add it to the outbox (same transaction as the case change).

    ``now`` stamps the outbox row and the Date header (default: the present; a chaser run
    ``--as-of`` a date passes that day); ``thread``, ``asked_on`` and ``reminder`` go to
    :func:`replies.render.render_reply`. Returns None (and records why) when the per-case or
    per-sender daily cap is reached.
    """
    if replies_today(session, case_id=case.id, now=now) >= (
        settings.replies.max_per_case_per_day
    ) or replies_today(session, recipient=to.addr, now=now) >= (
        settings.replies.max_per_sender_per_day
    ):
        audit(session, case, "reply-suppressed", actor=actor, reason="daily reply cap reached")
        return None
    assert case.reference is not None
    reading = load_reading(case)
    registered = organisation_name(session, case)
    if registered:
        # Replies name the organisation as the register does, not as a display name shouts it.
        reading = reading.model_copy(update={"organisation": registered})
    rendered = render_reply(
        template,
        reference=case.reference,
        reading=reading,
        missing=list(missing or []),
        to=to,
        in_reply_to=in_reply_to,
        from_address=settings.smtp.from_address,
        team_name=settings.replies.team_name,
        message_id_domain=settings.replies.message_id_domain,
        follow_up=follow_up,
        now=now,
        thread=thread,
        asked_on=asked_on,
        reminder=reminder,
    )
    stamp = now or utcnow()
    session.add(OutboxMessage(
        case_id=case.id, message_id=rendered.message_id, template=template,
        recipients=list(rendered.recipients), to_addr=rendered.recipients[0].lower(),
        subject=rendered.subject,
        content=rendered.content, created_at=stamp,
    ))
    audit(session, case, "reply-queued", actor=actor, field=template,
          new_value=rendered.message_id, at=stamp)
    return rendered


def resync_register(session: Session, case: Case, *, actor: str = "system") -> None:
    """After a correction to a completed case, bring its register entries (one per nominee,
    in order) in line with the case's fields; old and new values go to the audit log."""
    reading = load_reading(case)
    rows = session.execute(
        select(Specialist).where(Specialist.case_id == case.id).order_by(Specialist.id)
    ).scalars().all()
    for row, person in zip(rows, reading.nominees, strict=False):
        for field in ("name", "email", "phone", "job_title", "pay_band"):
            new = getattr(person, field)
            if getattr(row, field) != new:
                audit(session, case, "register-corrected", actor=actor,
                      field=f"specialist[{row.id}].{field}", old_value=getattr(row, field),
                      new_value=new)
                setattr(row, field, new)
        row.organisation = organisation_name(session, case) or reading.organisation
        row.organisation_code = case.organisation_code


def _in_post_since(session: Session, case: Case) -> dt.datetime:
    """The stated start date, else the date of the case's first message (``case.opened_at``:
    its Date header bounded by its arrival), else now (the import's time)."""
    if case.in_post_from is not None:
        return dt.datetime.combine(case.in_post_from, dt.time(), tzinfo=dt.UTC)
    first = case.opened_at or session.execute(
        select(func.min(RawMessage.dated_at)).where(RawMessage.case_id == case.id)
    ).scalar_one_or_none()
    if isinstance(first, dt.datetime):
        return first if first.tzinfo else first.replace(tzinfo=dt.UTC)
    return utcnow()


def _replaced_rows(session: Session, case: Case, person: PersonReading,
                   organisation: str | None) -> list[Specialist]:
    """Specialists in post that ``person`` (named as replaced) is: at the case's organisation
    (its predecessors included) by email, else by name; without an ODS code, by email
    anywhere, else by name within the same organisation as written."""
    if case.organisation_code:
        pool = in_post_at(session, case.organisation_code, exclude_case=case.id)
        return [r for r in pool if same_person(person, r)]
    query = select(Specialist).where(Specialist.in_post.is_(True))
    if person.email:
        query = query.where(Specialist.email == person.email)
    elif person.name:
        query = query.where(Specialist.name == person.name,
                            Specialist.organisation == organisation)
    else:
        return []
    return [r for r in session.execute(query).scalars() if r.case_id != case.id]


def complete_case(session: Session, case: Case, *, actor: str = "system",
                  reason: str | None = None, settings: Settings | None = None) -> None:
    """Mark the case complete and update the register: each nominee becomes a specialist in
    post (since the stated start date, else the message's date); each replaced person found
    in post (see :func:`_replaced_rows`) is marked no longer in post, replaced by the first
    nominee, with this case recorded as the one that ended their time in post. With
    ``settings``, the sender's own mail domain is learned for the organisation."""
    reading = load_reading(case)
    set_state(session, case, CaseState.COMPLETE, actor=actor, reason=reason)
    organisation = organisation_name(session, case) or reading.organisation
    since = _in_post_since(session, case)
    new_rows = []
    for person in reading.nominees:
        row = Specialist(
            organisation=organisation, name=person.name, email=person.email,
            phone=person.phone, job_title=person.job_title, pay_band=person.pay_band,
            case_id=case.id, organisation_code=case.organisation_code, started_at=since,
        )
        session.add(row)
        new_rows.append(row)
    session.flush()
    if reading.nomination_type == "replacement":
        for person in reading.replaced:
            for old in _replaced_rows(session, case, person, organisation):
                old.in_post = False
                old.ended_at = since
                old.ended_case_id = case.id
                old.replaced_by_id = new_rows[0].id if new_rows else None
                audit(session, case, "register-replaced", actor=actor,
                      field=f"specialist[{old.id}].in_post", old_value="true", new_value="false")
    audit(session, case, "register-updated", actor=actor,
          new_value=f"{len(new_rows)} specialist(s) added")
    if settings is not None:
        learn_domain(session, domain=(case.sender_addr or "").rpartition("@")[2],
                     code=case.organisation_code, case_id=case.id,
                     shared_domains=settings.shared_domains() | settings.webmail_domains())


def organisation_name(session: Session, case: Case) -> str | None:
    """The register's name (proper case) of the case's organisation, or None."""
    if not case.organisation_code:
        return None
    org = session.get(Organisation, case.organisation_code)
    return proper_case(org.name) if org is not None else None


def _years(days: int) -> str:
    years = days / 365
    if years >= 1 and abs(years - round(years)) < 0.05:
        return f"{round(years)} year{'s' if round(years) != 1 else ''}"
    return f"{days} days"


def queue_privacy_notices(session: Session, settings: Settings, case: Case, *,
                          actor: str = "system") -> list[str]:
    """Queue the UK GDPR Article 14 notices a completed case owes (``notices.enabled``);
    returns their Message-IDs (see :mod:`register.notices`)."""
    if not settings.notices.enabled:
        return []
    days = settings.retention.former_specialist_days
    retention = ("We keep these details while you are a Patient Safety Specialist and for "
                 f"{_years(days)} after you leave the role, then delete them." if days else
                 "We keep these details while you are a Patient Safety Specialist and until "
                 "you ask us to remove them after you leave the role.")
    options = NoticeOptions(
        from_address=settings.smtp.from_address, team_name=settings.replies.team_name,
        message_id_domain=settings.replies.message_id_domain, retention=retention,
        template_dir=settings.notices.template_dir)
    return queue_notices(session, case, organisation_name(session, case) or case.organisation,
                         options, actor=actor)
