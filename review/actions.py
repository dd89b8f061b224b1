"""What a reviewer can do to a case: application functions called by the web routes and by
tests alike.

Every function works inside the caller's session (one transaction; the caller commits, and an
exception rolls everything back), takes the acting :class:`review.auth.Reviewer`, writes audit
entries with the reviewer's email as the actor (and the reason, where one is given), marks the
case as touched by a person, and returns a short message for the reviewer (no personal data: it
may be kept in the session cookie as a notice).

Errors (all :class:`ActionError`, whose message is fit to show the reviewer)::

    ActionError          the action cannot be done as asked (bad value, missing reason, ...)
    ├── CaseNotFound     no case has that reference
    ├── InvalidState     the case's state does not allow the action
    └── NotAllowed       the reviewer lacks the permission (confidential fields)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from parsing.model import Address, Classification, ParsedEmail
from pss_intake import cases, context
from pss_intake.config import Settings
from review.auth import Reviewer
from review.confidential import is_confidential_field
from review.fields import CASE_FIELDS, PERSON_EDITABLE, label, parse_path
from store.models import Case, CaseState, RawMessage, Specialist
from validation.chain import Verdict, evaluate
from validation.merge import PERSON_FIELDS, Change, merge
from validation.models import (
    CaseReading,
    Extraction,
    NominationType,
    PersonReading,
    Provenance,
    Source,
)
from validation.rules import RuleContext

__all__ = [
    "ActionError",
    "CaseNotFound",
    "InvalidState",
    "NotAllowed",
    "accept",
    "edit_field",
    "find_case",
    "latest_parsed",
    "mark_not_a_nomination",
    "merge_into",
    "missing_items",
    "parse_message",
    "reject",
    "request_information",
    "requestable_items",
    "rerun_extraction",
]

AUTOMATIC = (Classification.AUTO_REPLY, Classification.BOUNCE)
#: The longest value a reviewer may type into a field (the longest organisation name in the ODS
#: data is well under 200 characters).
MAX_VALUE_LENGTH = 500
_NOT_REOPENABLE = (CaseState.MERGED, CaseState.COMPLETE)


class ActionError(Exception):
    """The action cannot be done as asked; the message says why, for the reviewer."""


class CaseNotFound(ActionError):
    """No case has the given reference."""


class InvalidState(ActionError):
    """The case's state does not allow this action."""


class NotAllowed(ActionError):
    """The reviewer lacks the permission for this (confidential fields)."""


# ---------------------------------------------------------------------------------------------
# Looking things up


def normalise_reference(value: str) -> str:
    """``"pss-12"``, ``"12"`` or ``" PSS-000012 "`` → ``"PSS-000012"``; other text unchanged
    (upper-cased, trimmed)."""
    text = value.strip().upper()
    digits = text.removeprefix("PSS-").removeprefix("PSS")
    # ASCII digits only: str.isdigit also takes "٠١" and superscripts, which int() reads.
    if digits.isascii() and digits.isdigit() and len(digits) <= 6:
        return cases.reference_for(int(digits))
    return text


def find_case(session: Session, reference: str) -> Case:
    """The case with ``reference``; raises :class:`CaseNotFound`."""
    ref = normalise_reference(reference)
    case = session.execute(select(Case).where(Case.reference == ref)).scalar_one_or_none()
    if case is None:
        raise CaseNotFound(f"There is no case {ref}.")
    return case


def parse_message(settings: Settings, raw: RawMessage) -> ParsedEmail | None:
    """Re-parse a stored message as the pipeline does; None when it cannot be parsed."""
    return context.parse_stored(settings, raw)


def latest_parsed(settings: Settings, case: Case) -> ParsedEmail | None:
    """The newest non-automatic message of the case, parsed; None if none or unparseable."""
    raw = context.latest_message(case)
    return parse_message(settings, raw) if raw is not None else None


def missing_items(reading: CaseReading) -> list[str]:
    """Required items the reading lacks (contract form, sorted), from the ``missing`` rules."""
    return list(evaluate(RuleContext(reading=reading)).missing)


def requestable_items(reading: CaseReading) -> list[str]:
    """Every item a reviewer may ask the sender for, given the people on the case."""
    items = ["nomination_type", "guidance_confirmation"]
    for people in ("nominees", "replaced"):
        count = max(1, len(getattr(reading, people)))
        for index in range(count):
            items += [f"{people}[{index}].{f}" for f in ("name", "email", "phone")]
    return items


# ---------------------------------------------------------------------------------------------
# Shared steps


# Characters no typed value may hold: control characters (NUL and the rest; tabs and line
# breaks are only spacing and are folded away) and the bidirectional formatting characters that
# make text display other than it reads (U+202A-U+202E, U+2066-U+2069, marks U+200E/U+200F,
# U+061C).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                  "\u200e\u200f\u061c")


def _check_characters(value: str | None, what: str) -> None:
    """Raise :class:`ActionError` when ``value`` holds a control or bidi formatting
    character."""
    for char in value or "":
        if char in "\t\n\r":
            continue
        if char in _BIDI:
            raise ActionError(f"The {what} contains a hidden text-direction character "
                              f"(U+{ord(char):04X}); type it again without it.")
        if unicodedata.category(char) == "Cc" or char in "\u2028\u2029\x85":
            raise ActionError(f"The {what} contains a control character "
                              f"(U+{ord(char):04X}); type it again without it.")


def _require_reason(reason: str | None, what: str) -> str:
    _check_characters(reason, "reason")
    text = " ".join((reason or "").split())
    if not text:
        raise ActionError(f"Give a reason to {what}.")
    return text[:2000]


def _optional_reason(reason: str | None) -> str | None:
    _check_characters(reason, "reason")
    text = " ".join((reason or "").split())
    return text[:2000] or None


def _touch(case: Case) -> None:
    case.touched_by_person = True


def _reevaluate(
    session: Session, settings: Settings, case: Case, reading: CaseReading, *,
    parsed: ParsedEmail | None | bool = False, extraction: Extraction | None | bool = False,
    processing_error: str | None = None,
) -> Verdict:
    """Run the rules again on the case's fields, with the newest message as the message the
    rules look at (re-parsed unless given) and what was found out when it arrived, so the
    queue shows reasons that are true now (:func:`pss_intake.context.case_context`)."""
    ctx, raw = context.case_context(session, settings, case, reading, parsed=parsed,
                                    extraction=extraction, processing_error=processing_error)
    return cases.run_rules(session, case, ctx, raw_message_id=raw.id if raw else None)


def _reply_to(settings: Settings, case: Case, parsed: ParsedEmail | None) -> Address | None:
    return context.case_reply_address(settings, case, parsed)


def _queue(session: Session, settings: Settings, case: Case, reviewer: Reviewer,
           template: str, missing: list[str]) -> str | None:
    """Queue a templated reply; returns None when queued, else why it was not."""
    parsed = latest_parsed(settings, case)
    to = _reply_to(settings, case, parsed)
    if to is None:
        cases.audit(session, case, "reply-not-sent", actor=reviewer.email,
                    reason="the sender must not get a reply (no address, automatic or no-reply)")
        return "the sender has no address we may write to"
    rendered = cases.queue_reply(session, settings, case, template, to=to, in_reply_to=parsed,
                                 missing=missing, actor=reviewer.email)
    if rendered is None:
        return "the daily limit of replies was reached"
    return None


# ---------------------------------------------------------------------------------------------
# Editing fields


def _clean_text(value: str) -> str | None:
    return " ".join(value.split()) or None


def _normalise_band(value: str) -> str:
    text = value.strip().lower()
    for word in ("agenda for change", "afc", "pay", "band", "grade", ":", "-"):
        text = text.replace(word, " ")
    text = "".join(text.split())
    if text == "vsm":
        return "VSM"
    if text in {"2", "3", "4", "5", "6", "7", "9", "8a", "8b", "8c", "8d"}:
        return text
    raise ActionError("Write the pay band as 2 to 7, 8a to 8d, 9 or VSM.")


def _person_values(field: str, value: str) -> dict[str, Any]:
    """The stored values for one edited person field (a phone also sets its extension, a band
    also keeps the text as typed)."""
    if field in ("name", "job_title"):
        return {field: _clean_text(value)}
    if field == "email":
        text = value.strip()
        if not text:
            return {"email": None}
        try:
            checked = validate_email(text, check_deliverability=False)
        except EmailNotValidError as exc:
            raise ActionError(f"That is not an email address ({exc}).") from exc
        return {"email": checked.normalized.lower()}
    if field == "phone":
        text = value.strip()
        if not text:
            return {"phone": None, "phone_extension": None}
        try:
            number = phonenumbers.parse(text, "GB")
        except phonenumbers.NumberParseException as exc:
            raise ActionError("That is not a phone number.") from exc
        if not phonenumbers.is_possible_number(number):
            raise ActionError("That is not a possible phone number.")
        extension = number.extension or None
        number.extension = None
        return {"phone": phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                "phone_extension": extension}
    if field == "pay_band":
        text = value.strip()
        if not text:
            return {"pay_band": None, "pay_band_raw": None}
        return {"pay_band": _normalise_band(text), "pay_band_raw": " ".join(text.split())}
    raise ActionError(f"The field {field} cannot be edited.")


def _case_value(field: str, value: str) -> Any:
    text = value.strip()
    if field == "nomination_type":
        if not text:
            return None
        try:
            return NominationType(text.lower())
        except ValueError as exc:
            raise ActionError("The nomination type is first, replacement or additional.") from exc
    if field == "guidance_confirmed":
        if text.lower() in ("yes", "true", "1"):
            return True
        if text.lower() in ("no", "false", "0", ""):
            return False
        raise ActionError("Answer yes or no for the guidance document.")
    return _clean_text(text)


def _as_audit(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def edit_field(session: Session, settings: Settings, case: Case, reviewer: Reviewer,
               field: str, value: str, reason: str | None) -> str:
    """Set one field (``organisation``, ``nominees[0].phone``, ...) to ``value`` as typed.

    Values are normalised as the intake does (email lower-case, phone E.164 with any extension
    kept apart, pay band ``8b`` with the text as typed kept as written); an empty value clears
    the field. Index ``len(people)`` adds a person. The field's provenance becomes "entered by a
    reviewer". The change is audited (``field-changed`` with old and new values, the reviewer,
    the reason) and the rules run again. Raises :class:`ActionError` for an unknown field, a bad
    value, no change or no reason; :class:`NotAllowed` for a confidential field without the
    permission; :class:`InvalidState` for a merged case.
    """
    reason = _require_reason(reason, "correct a field")
    if case.state == CaseState.MERGED:
        raise InvalidState("This case was merged into another; edit that one.")
    # Parsed once, strictly; from here on only the parsed path is looked at (the raw string
    # once let "nominees[0].job_title\n" pass the permission check and edit the title).
    path = parse_path(field)
    if path is None or (path.people is None and path.field not in CASE_FIELDS) or (
        path.people is not None and path.field not in PERSON_EDITABLE[path.people]
    ):
        raise ActionError("Choose a field to correct.")
    if is_confidential_field(path.field) and not reviewer.confidential:
        # Refused before the value is looked at: the answer is the same whatever was guessed.
        raise NotAllowed("You do not have permission to edit that field.")
    _check_characters(value, "new value")
    if len(value) > MAX_VALUE_LENGTH:
        raise ActionError(f"The new value is longer than {MAX_VALUE_LENGTH} characters.")
    reading = cases.load_reading(case)
    changes: list[Change] = []
    by_reviewer = Provenance(source=Source.REVIEWER, text="")
    if path.people is None:
        new = _case_value(path.field, value)
        old = getattr(reading, path.field)
        if new != old:
            changes.append(Change(path.field, _as_audit(old), _as_audit(new)))
        provenance = {**reading.provenance, path.field: by_reviewer}
        reading = reading.model_copy(update={path.field: new, "provenance": provenance})
    else:
        people = list(getattr(reading, path.people))
        if path.index > len(people):
            raise ActionError("Add people one at a time.")
        if path.index == len(people):
            people.append(PersonReading())
        person = people[path.index]
        updates = _person_values(path.field, value)
        for name, new_value in updates.items():
            old_value = getattr(person, name)
            if new_value != old_value:
                changes.append(Change(f"{path.people}[{path.index}].{name}",
                                      _as_audit(old_value), _as_audit(new_value)))
        provenance = {**person.provenance, **{name: by_reviewer for name in updates}}
        people[path.index] = person.model_copy(update={**updates, "provenance": provenance})
        reading = reading.model_copy(update={path.people: people})
    if not changes:
        raise ActionError("The value is unchanged.")
    cases.save_reading(session, case, reading)
    cases.record_changes(session, case, changes, actor=reviewer.email, reason=reason)
    if case.state == CaseState.COMPLETE:
        # The register (and so the CSV) is made from a complete case: it follows the
        # correction, each changed register value audited (``register-corrected``).
        session.flush()
        cases.resync_register(session, case, actor=reviewer.email)
        session.flush()
    _reevaluate(session, settings, case, reading)
    _touch(case)
    if case.state == CaseState.COMPLETE:
        return f"Saved {label(path.path)}; the register is updated."
    return f"Saved {label(path.path)}."


# ---------------------------------------------------------------------------------------------
# Decisions


def _supersede_register_rows(session: Session, case: Case, prior: list[Specialist],
                             reviewer: Reviewer) -> None:
    """A case accepted again (after a correction) replaces its earlier register rows instead of
    adding the same people twice; successors' links are moved to the new rows."""
    if not prior:
        return
    new_rows = session.execute(
        select(Specialist).where(Specialist.case_id == case.id,
                                 Specialist.id.not_in([p.id for p in prior]))
        .order_by(Specialist.id)
    ).scalars().all()
    first_new = new_rows[0].id if new_rows else None
    for old in prior:
        for row in session.execute(
            select(Specialist).where(Specialist.replaced_by_id == old.id)
        ).scalars():
            row.replaced_by_id = first_new
        session.delete(old)
    session.flush()
    cases.audit(session, case, "register-corrected", actor=reviewer.email,
                new_value=f"{len(prior)} earlier entr{'y' if len(prior) == 1 else 'ies'} replaced")


def accept(session: Session, settings: Settings, case: Case, reviewer: Reviewer,
           reason: str | None = None) -> str:
    """Accept the case: it becomes ``complete``, the register is updated (a replacement marks
    the replaced specialists no longer in post) and the acknowledgement is queued in the outbox.

    Flags are a person's to overrule; required items are not: raises :class:`ActionError` when
    an item is missing (ask the sender, or correct the field), :class:`InvalidState` when the
    case is complete or merged.
    """
    if case.state in _NOT_REOPENABLE:
        raise InvalidState(f"This case is {case.state.replace('_', ' ')}; it cannot be accepted.")
    reading = cases.load_reading(case)
    missing = missing_items(reading)
    if missing:
        words = "; ".join(label(m) for m in missing)
        raise ActionError(f"Cannot accept: still missing {words}. Correct the fields or ask "
                          "the sender.")
    reason = _optional_reason(reason)
    prior = session.execute(
        select(Specialist).where(Specialist.case_id == case.id)
    ).scalars().all()
    cases.audit(session, case, "review-accepted", actor=reviewer.email, reason=reason)
    cases.complete_case(session, case, actor=reviewer.email, reason=reason, settings=settings)
    _supersede_register_rows(session, case, list(prior), reviewer)
    _touch(case)
    problem = _queue(session, settings, case, reviewer, "sender:ack:complete", [])
    cases.queue_privacy_notices(session, settings, case, actor=reviewer.email)
    if problem:
        return f"Accepted {case.reference}; the register is updated. No acknowledgement was " \
               f"queued: {problem}."
    return f"Accepted {case.reference}; the register is updated and the acknowledgement queued."


def request_information(session: Session, settings: Settings, case: Case, reviewer: Reviewer,
                        items: Iterable[str], reason: str | None = None) -> str:
    """Ask the sender for ``items`` (contract form, e.g. ``nominees[0].phone``): the templated
    request goes to the outbox and the case waits for information.

    Raises :class:`ActionError` when no valid item is chosen or the request cannot be queued
    (no address we may write to, daily limit reached: nothing changes then);
    :class:`InvalidState` unless the case is open (needs review or awaiting information).
    """
    if case.state not in CaseState.OPEN:
        raise InvalidState(f"This case is {case.state.replace('_', ' ')}; nothing can be "
                           "requested.")
    reading = cases.load_reading(case)
    allowed = set(requestable_items(reading))
    chosen = sorted({i.strip() for i in items if i.strip()})
    if not chosen:
        raise ActionError("Choose at least one item to ask for.")
    unknown = [i for i in chosen if i not in allowed]
    if unknown:
        raise ActionError("Choose items from the list.")
    reason = _optional_reason(reason)
    cases.audit(session, case, "review-information-requested", actor=reviewer.email,
                new_value=", ".join(chosen), reason=reason)
    problem = _queue(session, settings, case, reviewer, "sender:request:missing-items", chosen)
    if problem:
        # Raising rolls the whole action back: the case must not wait for a request never sent.
        raise ActionError(f"The request could not be queued: {problem}.")
    cases.set_state(session, case, CaseState.AWAITING_INFORMATION, actor=reviewer.email,
                    reason=reason or "information requested by a reviewer")
    _touch(case)
    return f"Request for {len(chosen)} item(s) queued; {case.reference} awaits information."


def _close(session: Session, case: Case, reviewer: Reviewer, state: str, action: str,
           reason: str) -> None:
    if case.state in _NOT_REOPENABLE:
        raise InvalidState(f"This case is {case.state.replace('_', ' ')}; it cannot be changed.")
    cases.audit(session, case, action, actor=reviewer.email, reason=reason)
    cases.set_state(session, case, state, actor=reviewer.email, reason=reason)
    _touch(case)


def reject(session: Session, settings: Settings, case: Case, reviewer: Reviewer,
           reason: str | None) -> str:
    """Reject the nomination (no reply is sent). Raises :class:`ActionError` without a reason,
    :class:`InvalidState` for a complete or merged case."""
    reason = _require_reason(reason, "reject a case")
    _close(session, case, reviewer, CaseState.REJECTED, "review-rejected", reason)
    return f"Rejected {case.reference}."


def mark_not_a_nomination(session: Session, settings: Settings, case: Case, reviewer: Reviewer,
                          reason: str | None) -> str:
    """Mark the case as not a nomination (kept for the record, no reply). Raises as
    :func:`reject`."""
    reason = _require_reason(reason, "mark a case as not a nomination")
    _close(session, case, reviewer, CaseState.NOT_A_NOMINATION, "review-not-a-nomination", reason)
    return f"Marked {case.reference} as not a nomination."


def merge_into(session: Session, settings: Settings, case: Case, reviewer: Reviewer,
               other_reference: str, reason: str | None) -> str:
    """Merge this case into the case ``other_reference``: its messages move there, its fields
    are merged into the other's (changes audited there), it becomes ``merged`` and points at
    the other; the other case goes to review (unless it is complete and nothing changed).

    Raises :class:`ActionError` without a reason or for the same case, :class:`CaseNotFound`,
    :class:`InvalidState` when either case is merged or this one is complete.
    """
    reason = _require_reason(reason, "merge cases")
    if case.state in _NOT_REOPENABLE:
        raise InvalidState(f"This case is {case.state.replace('_', ' ')}; it cannot be merged.")
    other = find_case(session, other_reference)
    if other.id == case.id:
        raise ActionError("A case cannot be merged into itself.")
    if other.state == CaseState.MERGED:
        raise InvalidState(f"{other.reference} was itself merged into another case; merge into "
                           "that one.")
    assert case.reference is not None and other.reference is not None
    source = cases.load_reading(case)
    as_extraction = Extraction(
        nomination_type=source.nomination_type, nominees=source.nominees,
        replaced=source.replaced, guidance_confirmed=source.guidance_confirmed,
        organisation=source.organisation, provenance=source.provenance,
    )
    merged, changes = merge(cases.load_reading(other), as_extraction)
    for raw in list(case.messages):
        raw.case_id = other.id
    session.flush()
    session.expire(case, ["messages"])
    session.expire(other, ["messages"])
    cases.save_reading(session, other, merged)
    cases.record_changes(session, other, changes, actor=reviewer.email,
                         reason=f"merged from {case.reference}: {reason}")
    cases.audit(session, case, "review-merged-into", actor=reviewer.email,
                new_value=other.reference, reason=reason)
    cases.audit(session, other, "review-merged-from", actor=reviewer.email,
                new_value=case.reference, reason=reason)
    case.merged_into_id = other.id
    cases.set_state(session, case, CaseState.MERGED, actor=reviewer.email, reason=reason)
    if not (other.state == CaseState.COMPLETE and not changes):
        cases.set_state(session, other, CaseState.NEEDS_REVIEW, actor=reviewer.email,
                        reason=f"{case.reference} was merged into it")
    _reevaluate(session, settings, other, merged)
    _touch(case)
    _touch(other)
    return f"Merged {case.reference} into {other.reference}."


# ---------------------------------------------------------------------------------------------
# Re-running the extraction


def _diff(old: CaseReading, new: CaseReading) -> list[Change]:
    """Field changes from ``old`` to ``new`` (people compared by position)."""
    changes: list[Change] = []
    for field in ("nomination_type", "guidance_confirmed", "organisation"):
        a, b = _as_audit(getattr(old, field)), _as_audit(getattr(new, field))
        if a != b:
            changes.append(Change(field, a, b))
    for people in ("nominees", "replaced"):
        before, after = getattr(old, people), getattr(new, people)
        for index in range(max(len(before), len(after))):
            p = before[index] if index < len(before) else PersonReading()
            q = after[index] if index < len(after) else PersonReading()
            for field in PERSON_FIELDS:
                a, b = getattr(p, field), getattr(q, field)
                if a != b:
                    changes.append(Change(f"{people}[{index}].{field}", a, b))
    return changes


def rerun_extraction(session: Session, settings: Settings, case: Case, reviewer: Reviewer,
                     reason: str | None = None) -> str:
    """Read the case's stored raw messages again, in the order they arrived, with the current
    parser; rebuild the fields from scratch by merging them; record what changed; run the rules.

    Corrections typed by reviewers are replaced by what the emails say (the audit log keeps
    them). Auto-replies, bounces and bulk mail add nothing, as in the pipeline; a message over
    the size limit (only its header stored) is skipped; a message that cannot be parsed is
    skipped and flagged. The state is unchanged. Raises :class:`InvalidState` for a merged case
    and :class:`ActionError` when the case has no message.
    """
    if case.state == CaseState.MERGED:
        raise InvalidState("This case was merged into another; re-run that one.")
    messages = sorted(case.messages, key=lambda m: m.id)
    if not messages:
        raise ActionError("This case has no stored message to read.")
    # The subpackage, not ``parsing.extract`` the wrapper function: once any
    # ``parsing.extract.*`` module is imported, the package attribute of that name is the
    # subpackage and the wrapper is shadowed.
    from parsing.extract import extract

    reason = _optional_reason(reason)
    reading = CaseReading()
    last_parsed: ParsedEmail | None = None
    last_extraction: Extraction | None = None
    failed: list[str] = []
    read = 0
    for position, raw in enumerate(messages):
        if raw.oversized:
            continue
        parsed = parse_message(settings, raw)
        if parsed is None:
            failed.append(f"message {raw.id}")
            continue
        if parsed.classification in AUTOMATIC or parsed.is_bulk:
            continue
        try:
            extraction: Extraction = extract(parsed)
        except Exception as exc:  # noqa: BLE001 - one bad message must not stop the rest
            failed.append(f"message {raw.id} ({exc.__class__.__name__})")
            continue
        if position > 0 and extraction.classification in (Classification.NOMINATION,
                                                          Classification.OTHER):
            # Later messages of a case are follow-ups, as the pipeline treats them.
            extraction = extraction.model_copy(update={"classification":
                                                       Classification.FOLLOW_UP})
        raw.extraction = extraction.model_dump(mode="json")
        raw.classification = extraction.classification
        if raw.status == "failed":
            # Read now where processing once failed (a parser bug since fixed): record what
            # the pipeline would have, so the case stops being flagged as unreadable.
            raw.status, raw.error = "processed", None
            raw.subject = parsed.subject[:2000]
            raw.from_addr = parsed.from_.addr if parsed.from_ else None
            raw.date = parsed.date
            if case.sender_addr is None and parsed.from_ is not None:
                case.sender_addr, case.sender_name = parsed.from_.addr, parsed.from_.name
        reading, _ = merge(reading, extraction)
        last_parsed, last_extraction = parsed, extraction
        read += 1
    changes = _diff(cases.load_reading(case), reading)
    cases.save_reading(session, case, reading)
    cases.record_changes(session, case, changes, actor=reviewer.email,
                         reason="extraction re-run" + (f": {reason}" if reason else ""))
    cases.audit(session, case, "review-extraction-rerun", actor=reviewer.email, reason=reason,
                new_value=f"{read} message(s) read, {len(changes)} field(s) changed"
                          + (f", unreadable: {', '.join(failed)}" if failed else ""))
    _reevaluate(session, settings, case, reading, parsed=last_parsed, extraction=last_extraction,
                processing_error="re-reading failed for " + ", ".join(failed) if failed else None)
    _touch(case)
    # Without the permission, a change to a title or band is not even counted.
    shown = [c for c in changes if reviewer.confidential or not is_confidential_field(c.field)]
    return (f"Extraction re-run on {read} message(s); {len(shown)} field(s) changed."
            + (f" {len(failed)} message(s) could not be read." if failed else ""))

