"""Chasers: a case awaiting information is reminded, then handed to a person.

For each case in ``awaiting_information`` (:func:`consider`):

* The clock starts at our latest request for the missing items (or chaser), or at a later
  answer from a correspondent (any message on the case that is not automatic). Auto-replies
  and bounces are not answers.
* The next chaser is due ``chasers.after_working_days`` working days later (weekends and
  England's bank holidays from the ``holidays`` package do not count). An out-of-office
  auto-reply since our last message that states a return date postpones it to the first
  working day after that date.
* When due and fewer than ``chasers.max`` chasers were sent since the request, a chaser is
  queued: to the address the request went to (never one that bounced, never one replies may not
  go to, within the daily reply caps), threaded under our last message (the reference in the
  Subject, In-Reply-To/References), restating what is missing *now* (``case.missing``).
* When due and every chaser was sent, the case goes to review with the
  ``no-answer-after-chasers`` flag: "Asked 3 times since 1 December 2025, no answer."

Dates are England's (Europe/London). ``as_of`` replays a day (tests, an operator's check): the
rows written are stamped with that day.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.events import log_event
from parsing import parse_email
from parsing.model import Address, Classification
from parsing.return_date import return_date
from pss_intake import cases, context
from pss_intake.config import Settings
from pss_intake.dates import add_working_days
from replies.render import answerable
from store.db import Database
from store.models import Case, CaseState, OutboxMessage, RawMessage, utcnow

log = logging.getLogger("pss_intake.chasers")

REQUEST = "sender:request:missing-items"
CHASER = "sender:chase:missing-items"
LONDON = ZoneInfo("Europe/London")
AUTOMATIC = (Classification.AUTO_REPLY, Classification.BOUNCE)

__all__ = ["CHASER", "REQUEST", "ChaseOutcome", "consider", "run_chasers"]


@dataclass(frozen=True, slots=True)
class ChaseOutcome:
    """What one run did with one case: ``action`` ``chased`` (a chaser queued), ``escalated``
    (sent to review) or ``waiting``; ``chasers_sent`` since the request (after this run);
    ``next_due`` the day the next step is due (None once escalated); ``why`` in words."""

    case: str
    action: str
    chasers_sent: int
    next_due: dt.date | None
    why: str = ""

    def record(self) -> dict[str, Any]:
        """The ``pss-intake chase --json`` line."""
        return {"case": self.case, "action": self.action, "chasers_sent": self.chasers_sent,
                "next_due": self.next_due.isoformat() if self.next_due else None,
                "why": self.why}


@dataclass(frozen=True, slots=True)
class _Clock:
    request: OutboxMessage
    last_ask: OutboxMessage
    chasers: int
    started: dt.datetime
    due: dt.date


def local_date(when: dt.datetime) -> dt.date:
    """The day ``when`` falls on in England."""
    return when.astimezone(LONDON).date()


def moment(as_of: dt.date | None) -> dt.datetime:
    """The time a run acts at: now, or 09:00 in England on ``as_of``."""
    if as_of is None:
        return utcnow()
    return dt.datetime.combine(as_of, dt.time(9, 0), LONDON).astimezone(dt.UTC)


def run_chasers(db: Database, settings: Settings, *, as_of: dt.date | None = None,
                dry_run: bool = False) -> list[ChaseOutcome]:
    """Consider every case awaiting information, oldest first; one transaction per case
    (rolled back with ``dry_run``: the outcomes say what would happen)."""
    now = moment(as_of)
    with db.transaction() as session:
        ids = list(session.execute(
            select(Case.id).where(Case.state == CaseState.AWAITING_INFORMATION)
            .order_by(Case.id)).scalars())
    outcomes = []
    for case_id in ids:
        session = db.sessions()
        try:
            case = session.get(Case, case_id)
            if case is None or case.state != CaseState.AWAITING_INFORMATION:
                continue
            outcome = consider(session, settings, case, now)
            if dry_run:
                session.rollback()
            else:
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        outcomes.append(outcome)
        if outcome.action != "waiting":
            log_event(log, "chase", case=outcome.case, action=outcome.action,
                      chasers_sent=outcome.chasers_sent, dry_run=dry_run)
    return outcomes


def consider(session: Session, settings: Settings, case: Case, now: dt.datetime
             ) -> ChaseOutcome:
    """Chase, escalate or wait for one case awaiting information (see the module)."""
    assert case.reference is not None
    clock = _clock(session, settings, case)
    if clock is None:
        return ChaseOutcome(case.reference, "waiting", 0, None, "no request on record")
    today = local_date(now)
    if today < clock.due:
        return ChaseOutcome(case.reference, "waiting", clock.chasers, clock.due)
    if clock.chasers >= settings.chasers.max:
        return _escalate(session, settings, case, clock, now)
    return _chase(session, settings, case, clock, now)


def _clock(session: Session, settings: Settings, case: Case) -> _Clock | None:
    asks = list(session.execute(
        select(OutboxMessage).where(OutboxMessage.case_id == case.id,
                                    OutboxMessage.template.in_([REQUEST, CHASER]))
        .order_by(OutboxMessage.created_at, OutboxMessage.id)).scalars())
    requests = [a for a in asks if a.template == REQUEST]
    if not requests:
        return None
    request = requests[-1]
    last_ask = asks[-1]
    inbound = list(session.execute(
        select(RawMessage).where(RawMessage.case_id == case.id,
                                 RawMessage.received_at > last_ask.created_at)
        .order_by(RawMessage.received_at)).scalars())
    answers = [m for m in inbound if m.classification not in AUTOMATIC and m.action != "ignore"]
    started = max([last_ask.created_at, *(m.received_at for m in answers)])
    chasers = sum(1 for a in asks if a.template == CHASER and a.created_at > request.created_at
                  and (not answers or a.created_at > answers[-1].received_at))
    due = add_working_days(local_date(started), settings.chasers.after_working_days)
    for raw in inbound:
        if raw.classification == Classification.AUTO_REPLY:
            back = _return_date(settings, raw)
            if back is not None:
                due = max(due, add_working_days(back, 1))
    return _Clock(request, last_ask, chasers, started, due)


def _return_date(settings: Settings, raw: RawMessage) -> dt.date | None:
    try:
        parsed = parse_email(raw.content, own_addresses=settings.own_addresses())
    except Exception:  # noqa: BLE001 - an unreadable auto-reply states no date
        return None
    text = "\n".join((parsed.subject, parsed.body.full))
    return return_date(text, local_date(raw.dated_at or raw.received_at))


def bounced_addresses(session: Session, settings: Settings, case: Case) -> set[str]:
    """Lower-cased addresses our mail on ``case`` could not be delivered to: recipients of a
    reply the SMTP server refused for good, and those a bounce on the case names (the returned
    reply's recipient and the RFC 3464 failed recipients)."""
    found = {r.to_addr for r in session.execute(
        select(OutboxMessage).where(OutboxMessage.case_id == case.id,
                                    OutboxMessage.status == "failed")).scalars() if r.to_addr}
    for raw in session.execute(select(RawMessage).where(
            RawMessage.case_id == case.id,
            RawMessage.classification == Classification.BOUNCE)).scalars():
        try:
            parsed = parse_email(raw.content, own_addresses=settings.own_addresses())
        except Exception:  # noqa: BLE001 - an unreadable bounce names nobody
            continue
        found.update(a.lower() for a in parsed.bounce_recipients)
        if parsed.bounced_message_id:
            found.update(a for a in session.execute(
                select(OutboxMessage.to_addr).where(
                    OutboxMessage.message_id == parsed.bounced_message_id)).scalars() if a)
    return found


def _references(content: bytes) -> tuple[str, ...]:
    try:
        value = BytesHeaderParser(policy=policy.default).parsebytes(content).get("References")
    except Exception:  # noqa: BLE001 - a broken stored header just starts a new chain
        return ()
    return tuple(str(value).split()) if value else ()


def _chase(session: Session, settings: Settings, case: Case, clock: _Clock, now: dt.datetime
           ) -> ChaseOutcome:
    assert case.reference is not None
    ref, sent = case.reference, clock.chasers
    retry = add_working_days(local_date(now), 1)
    address = clock.request.to_addr or ""
    name = case.sender_name if address == (case.sender_addr or "").lower() else ""
    to = answerable(Address(name or "", address), settings.own_addresses())
    if address in bounced_addresses(session, settings, case):
        # Nothing more can reach them: a person decides (the rule says why).
        return _escalate(session, settings, case, clock, now, bounced=True)
    if to is None or not case.missing:
        cases.audit(session, case, "chaser-not-sent", at=now,
                    reason="nothing missing" if to is not None else "address refused")
        return ChaseOutcome(ref, "waiting", sent, None,
                            "nothing missing" if to is not None else "address refused")
    rendered = cases.queue_reply(
        session, settings, case, CHASER, to=to, in_reply_to=None, missing=list(case.missing),
        now=now, asked_on=local_date(clock.request.created_at), reminder=sent + 1,
        thread=(clock.last_ask.message_id, _references(clock.last_ask.content)))
    if rendered is None:
        return ChaseOutcome(ref, "waiting", sent, retry, "daily reply cap reached")
    cases.audit(session, case, "chaser-sent", at=now, new_value=str(sent + 1),
                reason=f"no answer in {settings.chasers.after_working_days} working days")
    due = add_working_days(local_date(now), settings.chasers.after_working_days)
    return ChaseOutcome(ref, "chased", sent + 1, due)


def _escalate(session: Session, settings: Settings, case: Case, clock: _Clock,
              now: dt.datetime, *, bounced: bool = False) -> ChaseOutcome:
    assert case.reference is not None
    asked = 1 + clock.chasers
    since = local_date(clock.request.created_at)
    reason = (f"Asked {asked} time{'s' if asked != 1 else ''} since {since.day} "
              f"{since:%B %Y}, no answer.")
    # The case's other facts (its latest message's) are evaluated again with this one.
    ctx, raw = context.case_context(session, settings, case, cases.load_reading(case),
                                    reply_bounced=True if bounced else None,
                                    no_answer_after_chasers=None if bounced else reason)
    cases.run_rules(session, case, ctx, raw_message_id=raw.id if raw else None)
    why = "the address we wrote to bounced" if bounced else reason
    cases.set_state(session, case, CaseState.NEEDS_REVIEW, reason=why)
    cases.audit(session, case, "chasers-exhausted" if not bounced else "chaser-not-sent",
                at=now, reason=why)
    return ChaseOutcome(case.reference, "escalated", clock.chasers, None, why)
