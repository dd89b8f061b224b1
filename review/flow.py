"""How a reviewer moves through the work: claiming a case, the next case after a
decision, and decisions on several cases at once.

Functions work inside the caller's session (the caller commits) and raise
:class:`review.actions.ActionError` with a message fit for the reviewer. Claims are recorded
on the case (``claimed_by``, ``claimed_at``) and in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pss_intake import cases
from pss_intake.config import Settings
from review import actions
from review.auth import Reviewer
from store.models import Case, CaseState, User, utcnow

__all__ = ["BULK_ACTIONS", "BulkReport", "assign", "bulk", "check_claim", "claim",
           "next_case", "release", "release_if_closed"]

#: Bulk decisions: form value → (action function, words for the report).
BULK_ACTIONS = {
    "not-a-nomination": (actions.mark_not_a_nomination, "marked not a nomination"),
    "reject": (actions.reject, "rejected"),
}


# ---------------------------------------------------------------------------------------------
# Claiming


def check_claim(case: Case, reviewer: Reviewer) -> None:
    """Raise :class:`ActionError` when another reviewer is handling ``case``."""
    if case.claimed_by and case.claimed_by.lower() != reviewer.email.lower():
        since = case.claimed_at.strftime("%d %b %Y %H:%M") if case.claimed_at else "earlier"
        raise actions.ActionError(
            f"{case.reference} is being handled by {case.claimed_by} since {since}. Ask them, "
            "or an administrator to reassign it.")


def claim(session: Session, settings: Settings, case: Case, reviewer: Reviewer) -> str:
    """"Assign to me": the reviewer handles the case from now; refused when someone else
    does or the case is closed."""
    if case.state not in CaseState.OPEN:
        raise actions.InvalidState("Only open cases can be assigned.")
    check_claim(case, reviewer)
    if case.claimed_by == reviewer.email:
        return f"You are already handling {case.reference}."
    case.claimed_by, case.claimed_at = reviewer.email, utcnow()
    cases.audit(session, case, "case-claimed", actor=reviewer.email, new_value=reviewer.email)
    return f"You are handling {case.reference}; other reviewers see it as yours."


def release(session: Session, settings: Settings, case: Case, reviewer: Reviewer) -> str:
    """Give the case back to the queue (its holder or an administrator)."""
    if not case.claimed_by:
        return f"Nobody is handling {case.reference}."
    if case.claimed_by.lower() != reviewer.email.lower() and not reviewer.is_admin:
        check_claim(case, reviewer)
    cases.audit(session, case, "case-released", actor=reviewer.email, old_value=case.claimed_by)
    case.claimed_by = case.claimed_at = None
    return f"{case.reference} is back in the queue for anyone."


def assign(session: Session, settings: Settings, case: Case, reviewer: Reviewer,
           to: str) -> str:
    """An administrator gives the case to another active reviewer (``to``: their e-mail)."""
    if not reviewer.is_admin:
        raise actions.NotAllowed("Only administrators can reassign cases.")
    if case.state not in CaseState.OPEN:
        raise actions.InvalidState("Only open cases can be assigned.")
    email = to.strip().lower()
    user = session.execute(select(User).where(func.lower(User.email) == email,
                                              User.active.is_(True))).scalar_one_or_none()
    if user is None:
        raise actions.ActionError("Choose an active reviewer to assign the case to.")
    cases.audit(session, case, "case-reassigned", actor=reviewer.email,
                old_value=case.claimed_by, new_value=user.email)
    case.claimed_by, case.claimed_at = user.email, utcnow()
    return f"{case.reference} is now handled by {user.email}."


def release_if_closed(case: Case) -> None:
    """A decided case is nobody's any more (its claim is kept in the audit log)."""
    if case.state not in CaseState.OPEN:
        case.claimed_by = case.claimed_at = None


# ---------------------------------------------------------------------------------------------
# The next case


def next_case(session: Session, reviewer: Reviewer, *, after: Case | None = None) -> str | None:
    """The reference of the case to work on next: the oldest case needing review that nobody
    else is handling, other than ``after``; the first one queued after ``after`` when there is
    one (so "skip" moves on), else from the start. None when there is none."""
    order = func.coalesce(Case.opened_at, Case.created_at)
    query = (select(Case.id, Case.reference, order.label("opened"))
             .where(Case.state == CaseState.NEEDS_REVIEW,
                    or_(Case.claimed_by.is_(None),
                        func.lower(Case.claimed_by) == reviewer.email.lower()))
             .order_by(order, Case.id))
    if after is not None:
        query = query.where(Case.id != after.id)
    rows = session.execute(query).all()
    if not rows:
        return None
    if after is not None:
        mark = (_aware(after.opened_at or after.created_at), after.id)
        for row in rows:
            if (_aware(row.opened), row.id) > mark:
                return str(row.reference)
    return str(rows[0].reference)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


# ---------------------------------------------------------------------------------------------
# Bulk decisions


@dataclass(frozen=True, slots=True)
class BulkReport:
    """``done``: references decided; ``skipped``: (reference, why) left as they were."""

    done: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]


def bulk(session: Session, settings: Settings, reviewer: Reviewer, references: Iterable[str],
         action: str, reason: str) -> BulkReport:
    """Apply one decision (:data:`BULK_ACTIONS`) with one reason to several cases, each
    recorded in the audit log as if decided alone; a case that cannot take it (closed, someone
    else's) is skipped with the reason, the others go ahead (each in a savepoint)."""
    if action not in BULK_ACTIONS:
        raise actions.ActionError("Choose what to do with the selected cases.")
    function, _words = BULK_ACTIONS[action]
    refs = list(dict.fromkeys(r.strip() for r in references if r.strip()))[:200]
    if not refs:
        raise actions.ActionError("Select at least one case.")
    if not " ".join((reason or "").split()):
        raise actions.ActionError("Give one reason for the selected cases.")
    done: list[str] = []
    skipped: list[tuple[str, str]] = []
    for ref in refs:
        try:
            with session.begin_nested():
                case = actions.find_case(session, ref)
                check_claim(case, reviewer)
                function(session, settings, case, reviewer, reason)
                release_if_closed(case)
            done.append(case.reference or ref)
        except actions.ActionError as exc:
            skipped.append((actions.normalise_reference(ref), str(exc)))
    return BulkReport(tuple(done), tuple(skipped))
