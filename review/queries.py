"""What the pages show, read from the database: the queue, a case page, the register, the
overview and the audit log.

Everything here is read-only and takes the viewing :class:`review.auth.Reviewer` where
confidential fields are involved: for a reviewer without the permission, job titles and pay
bands are left out here, before any template sees them (:mod:`review.confidential`).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from pss_intake import cases
from pss_intake.config import Settings
from pss_intake.dates import differ_by_more_than_a_day
from register import export
from register.export import OrganisationBox
from register.export import RegisterEntry as RegisterEntry
from replies.render import national_phone
from review import actions
from review.auth import Reviewer
from review.confidential import Masker, is_confidential_field
from review.fields import PERSON_EDITABLE, item_label, label
from review.mail import MailPart, view_message
from store.models import (
    AuditEntry,
    Case,
    CasePerson,
    CaseState,
    OutboxMessage,
    RawMessage,
    User,
    utcnow,
)
from validation.models import CaseReading, PersonReading, Provenance
from validation.rules import RULES, rule_by_name

CHASER_TEMPLATE = "sender:chase:missing-items"
STATE_WORDS = {
    CaseState.NEEDS_REVIEW: "Needs review",
    CaseState.AWAITING_INFORMATION: "Awaiting information",
    CaseState.COMPLETE: "Complete",
    CaseState.REJECTED: "Rejected",
    CaseState.NOT_A_NOMINATION: "Not a nomination",
    CaseState.MERGED: "Merged",
}
TYPE_WORDS = {"first": "First", "replacement": "Replacement", "additional": "Additional"}
#: Audit actions kept out of a case's history (they are in the audit log page).
QUIET_ACTIONS = frozenset({"case-viewed"})


def days_since(start: dt.datetime, end: dt.datetime | None = None) -> float:
    """Days (fractional) from ``start`` to ``end`` (default now)."""
    return ((end or utcnow()) - start).total_seconds() / 86400.0


def opened(case: Case) -> dt.datetime:
    """When the case began: its first message's date (``opened_at``), else its creation."""
    return case.opened_at or case.created_at


def message_dates(raw: RawMessage) -> tuple[dt.datetime, dt.datetime | None]:
    """(the message's date, when it reached us if that is more than a day away, else None)."""
    arrived = raw.arrived_at or raw.received_at
    dated = raw.dated_at or arrived
    return dated, (arrived if differ_by_more_than_a_day(dated, arrived) else None)


def describe_rule(name: str) -> str:
    """The rule's one-sentence description for reviewers; "" for an unknown rule."""
    try:
        return rule_by_name(name).description
    except KeyError:
        return ""




# ---------------------------------------------------------------------------------------------
# The queue


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule hit: ``kind`` ``flag`` (a person decides), ``missing`` or ``ignore``."""

    rule: str
    description: str
    reason: str
    kind: str


@dataclass(frozen=True, slots=True)
class QueueRow:
    reference: str
    state: str
    organisation: str | None
    nomination_type: str | None
    created_at: dt.datetime
    age_days: float
    reasons: tuple[Reason, ...]
    claimed_by: str | None = None
    claimed_at: dt.datetime | None = None
    resolved: bool = False
    """The case was decided: its reasons are shown as resolved, not current."""


def state_counts(session: Session) -> list[tuple[str, int]]:
    """(state, number of cases) for every state, in :data:`CaseState.ALL` order."""
    rows = dict(session.execute(select(Case.state, func.count()).group_by(Case.state)).all())
    return [(state, int(rows.get(state, 0))) for state in CaseState.ALL]


def reasons_of(case: Case) -> tuple[Reason, ...]:
    """Every hit of the case's latest evaluation, flags first, in rule order."""
    hits = [r for r in cases.latest_results(case) if r.hit]
    order = {"flag": 0, "missing": 1, "ignore": 2}
    hits.sort(key=lambda r: (order.get(r.kind, 3), r.id))
    return tuple(Reason(r.rule, describe_rule(r.rule), r.reason, r.kind) for r in hits)


def case_rows(session: Session, *, state: str = CaseState.NEEDS_REVIEW, rule: str | None = None,
              organisation: str | None = None, limit: int = 1000,
              reviewer: Reviewer | None = None) -> list[QueueRow]:
    """Cases in ``state`` oldest first, optionally only those whose latest evaluation hit
    ``rule`` or whose organisation is ``organisation``.

    The rules' reasons are free text (they can quote a file name or a subject): for a
    ``reviewer`` without the confidential permission — or when no reviewer is given — they go
    through the case's :class:`Masker`."""
    query = (select(Case).where(Case.state == state)
             .options(selectinload(Case.rule_results))
             .order_by(func.coalesce(Case.opened_at, Case.created_at), Case.id))
    if organisation:
        query = query.where(Case.organisation == organisation)
    rows: list[QueueRow] = []
    now = utcnow()
    for case in session.execute(query).scalars():
        reasons = reasons_of(case)
        if rule and not any(r.rule == rule for r in reasons):
            continue
        assert case.reference is not None
        if reviewer is None or not reviewer.confidential:
            masker = masker_for(session, case, reviewer)
            reasons = tuple(Reason(r.rule, r.description, masker.label(r.reason), r.kind)
                            for r in reasons)
        rows.append(QueueRow(case.reference, case.state, case.organisation, case.nomination_type,
                             opened(case), days_since(opened(case), now), reasons))
        if len(rows) >= limit:
            break
    return rows


# ---------------------------------------------------------------------------------------------
# Search


def _like(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` contains ``text``, any case (LIKE with its wildcards escaped; portable)."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def search(session: Session, text: str, reviewer: Reviewer, *, limit: int = 500) -> list[int]:
    """Ids of the cases ``text`` finds, oldest first: by reference (``PSS-12``, ``12``), any
    person's name or e-mail, the sender's name or address, or the organisation.

    Job titles and pay bands are never searched; and for a reviewer without the confidential
    permission a case is not found when the text is part of one of its confidential values
    (a sender's display name or a free-text field can carry a job title)."""
    words = " ".join(text.split())[:200]
    if not words:
        return []
    reference = actions.normalise_reference(words)
    person = select(CasePerson.case_id).where(
        or_(_like(CasePerson.name, words), _like(CasePerson.email, words)))
    query = (select(Case).where(or_(
        Case.reference == reference, _like(Case.organisation, words),
        _like(Case.sender_addr, words), _like(Case.sender_name, words),
        Case.id.in_(person)))
        .order_by(func.coalesce(Case.opened_at, Case.created_at), Case.id).limit(limit))
    found = []
    needle = words.lower()
    for case in session.execute(query).scalars():
        if not reviewer.confidential and _confidential_match(session, case, needle):
            continue
        found.append(case.id)
    return found


def _confidential_match(session: Session, case: Case, needle: str) -> bool:
    return any(needle in " ".join(v.split()).lower() or " ".join(v.split()).lower() == needle
               for v in confidential_values(session, case))



# ---------------------------------------------------------------------------------------------
# Case lists: filters and pages


#: Age filter choices: (days, words) — cases opened at least that many days ago.
AGE_CHOICES = ((2, "Over 2 days"), (7, "Over a week"), (14, "Over 2 weeks"), (28, "Over 4 weeks"))
PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class CaseFilters:
    """What a case list shows: ``state`` ("" for any), the latest evaluation hit ``rule``,
    ``organisation``, opened at least ``age`` days ago, claimed by the viewer (``mine``),
    found by the search ``q``; ``page`` from 1."""

    state: str = CaseState.NEEDS_REVIEW
    rule: str = ""
    organisation: str = ""
    age: int = 0
    mine: bool = False
    q: str = ""
    page: int = 1

    def query_string(self, **changes: Any) -> str:
        """The list's URL query for these filters with ``changes`` (for page links)."""
        from urllib.parse import urlencode

        values = {"state": self.state, "rule": self.rule, "organisation": self.organisation,
                  "age": self.age or "", "mine": "1" if self.mine else "", "q": self.q,
                  "page": self.page if self.page > 1 else ""}
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    @property
    def filtered(self) -> bool:
        return bool(self.rule or self.organisation or self.age or self.mine or self.q)


@dataclass(frozen=True, slots=True)
class CaseList:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    filters: CaseFilters


def list_cases(session: Session, filters: CaseFilters, reviewer: Reviewer, *,
               per_page: int = PER_PAGE) -> CaseList:
    """One page of the cases ``filters`` select, oldest first (by the first message's date)."""
    opened_col = func.coalesce(Case.opened_at, Case.created_at)
    query = (select(Case).options(selectinload(Case.rule_results))
             .order_by(opened_col, Case.id))
    if filters.q:
        query = query.where(Case.id.in_(search(session, filters.q, reviewer)))
    if filters.state:
        query = query.where(Case.state == filters.state)
    if filters.organisation:
        query = query.where(Case.organisation == filters.organisation)
    if filters.mine:
        query = query.where(func.lower(Case.claimed_by) == reviewer.email.lower())
    if filters.age:
        query = query.where(opened_col <= utcnow() - dt.timedelta(days=filters.age))
    chosen = [(case, reasons_of(case)) for case in session.execute(query).scalars()]
    if filters.rule:
        chosen = [(c, r) for c, r in chosen if any(x.rule == filters.rule for x in r)]
    total = len(chosen)
    pages = max(1, -(-total // per_page))
    page = min(max(1, filters.page), pages)
    now = utcnow()
    rows = [_queue_row(session, case, reasons, reviewer, now)
            for case, reasons in chosen[(page - 1) * per_page: page * per_page]]
    return CaseList(rows, total, page, pages, filters)


def _queue_row(session: Session, case: Case, reasons: tuple[Reason, ...],
               reviewer: Reviewer | None, now: dt.datetime) -> QueueRow:
    assert case.reference is not None
    if reviewer is None or not reviewer.confidential:
        masker = masker_for(session, case, reviewer)
        reasons = tuple(Reason(r.rule, r.description, masker.label(r.reason), r.kind)
                        for r in reasons)
    return QueueRow(case.reference, case.state, case.organisation, case.nomination_type,
                    opened(case), days_since(opened(case), now), reasons,
                    case.claimed_by, case.claimed_at, case.state not in CaseState.OPEN)


def organisations_any(session: Session, state: str = "") -> list[str]:
    """The organisations of cases (in ``state``; any state for ""), sorted."""
    query = select(Case.organisation).where(Case.organisation.is_not(None)).distinct()
    if state:
        query = query.where(Case.state == state)
    return sorted(r for r in session.execute(query).scalars() if r)


def organisations(session: Session, state: str = CaseState.NEEDS_REVIEW) -> list[str]:
    """The organisations of cases in ``state``, sorted."""
    rows = session.execute(
        select(Case.organisation).where(Case.state == state, Case.organisation.is_not(None))
        .distinct()
    ).scalars()
    return sorted(r for r in rows if r)


def rule_choices() -> list[tuple[str, str]]:
    """(name, description) of every registered rule that can send a case to a person."""
    return [(r.name, r.description) for r in RULES if r.kind in ("flag", "missing")]


# ---------------------------------------------------------------------------------------------
# A case


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One field of the case for the fields table.

    ``source`` is the provenance text with the value marked (HTML), ``source_kind`` where it
    was read (body, signature, attachment, reviewer...), ``anchor`` the id of the same text
    marked in the email, if found there.
    """

    path: str
    label: str
    value: str
    raw_value: str
    source: Markup | None
    source_kind: str
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class AttachmentView:
    """An attachment and its text (masked, source snippets marked), None when unreadable."""

    part: MailPart
    text: Markup | None


@dataclass(frozen=True, slots=True)
class MessageView:
    raw_id: int
    received_at: dt.datetime
    """The message's own date (bounded Date header, else arrival)."""
    arrived_at: dt.datetime | None
    """When it reached us, only when more than a day away from ``received_at``."""
    classification: str | None
    status: str
    headers: tuple[tuple[str, str], ...]
    text: Markup
    html: str | None
    attachments: tuple[AttachmentView, ...]
    problem: str | None
    html_hidden: bool = False


@dataclass(frozen=True, slots=True)
class HistoryItem:
    at: dt.datetime
    kind: str  # "in", "out" or "audit"
    actor: str
    title: str
    field: str | None = None
    old: str | None = None
    new: str | None = None
    reason: str | None = None
    detail: str | None = None
    body: str | None = None


@dataclass
class CasePage:
    """Everything the case page shows (already filtered for the viewer)."""

    case: Case
    reading: CaseReading
    fields: list[FieldRow]
    add_person: list[tuple[str, str]]
    messages: list[MessageView]
    reasons: tuple[Reason, ...]
    passed: list[tuple[str, str]]
    evaluated_at: dt.datetime | None
    history: list[HistoryItem]
    requestable: list[tuple[str, str, bool]]
    missing: list[str]
    merged_into: str | None
    merged_from: list[str] = field(default_factory=list)
    sender_name: str = ""
    opened: dt.datetime | None = None
    """The first message's date; ``recorded_apart`` when the case was created > a day later."""
    recorded_apart: bool = False
    correspondents: list[tuple[str, str, str]] = field(default_factory=list)
    """(display name, address, which header) of everyone who may speak for the case."""
    ambiguities: list[AmbiguityView] = field(default_factory=list)
    resolution: str | None = None
    """For a decided case: "Resolved by … on …: accepted" (its reasons are no longer current)."""
    reviewers: list[str] = field(default_factory=list)
    """Active accounts a case can be assigned to (for administrators)."""
    organisation_box: OrganisationBox | None = None


@dataclass(frozen=True, slots=True)
class AmbiguityView:
    """A reading the extractor could not decide (rule ``ambiguous-reading``): the field, why,
    and each candidate beside the text it was read from (masked for the viewer)."""

    field: str
    reason: str
    candidates: list[tuple[str, str]]


def _ambiguities(case: Case, masker: Masker) -> list[AmbiguityView]:
    """The ambiguities of the case's latest message that has any, as stored in its extraction
    (``Extraction.ambiguities``); [] when none."""
    for raw in sorted(case.messages, key=lambda m: m.id, reverse=True):
        found = (raw.extraction or {}).get("ambiguities") or []
        if not found:
            continue
        out = []
        for amb in found:
            evidence = list(amb.get("evidence") or [])
            cands = [(masker.text(c), masker.text(evidence[i]) if i < len(evidence) else "")
                     for i, c in enumerate(amb.get("candidates") or [])]
            out.append(AmbiguityView(str(amb.get("field", "")), str(amb.get("reason", "")), cands))
        return out
    return []


def confidential_values(session: Session, case: Case) -> list[str]:
    """Every confidential value known for the case: on its people, in its messages'
    extractions and in its audit entries (older values too)."""
    values: list[str | None] = []
    for person in case.people:
        values += [person.job_title, person.pay_band_raw]
    for raw in case.messages:
        extraction = raw.extraction or {}
        for person in extraction.get("nominees") or []:
            if isinstance(person, dict):
                values += [person.get("job_title"), person.get("pay_band_raw")]
    for entry in session.execute(
        select(AuditEntry).where(AuditEntry.case_id == case.id, AuditEntry.field.is_not(None))
    ).scalars():
        if is_confidential_field(entry.field):
            values += [entry.old_value, entry.new_value]
    return [v for v in values if v]


def masker_for(session: Session, case: Case | None, reviewer: Reviewer | None) -> Masker:
    """The masker for text shown to ``reviewer`` (inactive for the confidential permission;
    active when no reviewer is known)."""
    if reviewer is not None and reviewer.confidential:
        return Masker(active=False)
    return Masker(confidential_values(session, case) if case is not None else ())


def _mark_value(snippet: str, candidates: Iterable[str]) -> Markup:
    """The snippet, escaped, with the first candidate found in it marked; the whole snippet
    marked when none is found."""
    for candidate in candidates:
        if not candidate:
            continue
        match = re.search(r"\s+".join(re.escape(w) for w in candidate.split()), snippet,
                          re.IGNORECASE)
        if match:
            return (escape(snippet[:match.start()]) + Markup("<mark>")
                    + escape(match.group(0)) + Markup("</mark>") + escape(snippet[match.end():]))
    return Markup("<mark>") + escape(snippet) + Markup("</mark>")


def mark_snippets(text: str, snippets: list[tuple[str, str, str]]) -> Markup:
    """``text`` escaped, with each snippet (text, anchor id, label) that occurs in it wrapped in
    ``<mark id=... title=...>`` (first occurrence; overlapping marks are skipped)."""
    spans: list[tuple[int, int, str, str]] = []
    for snippet, anchor, title in snippets:
        words = snippet.split()
        if not words:
            continue
        match = re.search(r"\s+".join(re.escape(w) for w in words), text)
        if match is None:
            continue
        spans.append((match.start(), match.end(), anchor, title))
    spans.sort()
    out = Markup("")
    position = 0
    for start, end, anchor, title in spans:
        if start < position:
            continue
        out += escape(text[position:start])
        out += Markup('<mark id="{}" title="{}">').format(anchor, title)
        out += escape(text[start:end]) + Markup("</mark>")
        position = end
    return out + escape(text[position:])


def _display(field: str, value: Any, person: PersonReading | None) -> str:
    if value is None or value == "":
        return ""
    if field == "guidance_confirmed":
        return "Yes" if value else "No"
    if field == "nomination_type":
        return TYPE_WORDS.get(str(value), str(value))
    if field == "phone":
        ext = person.phone_extension if person is not None else None
        return national_phone(str(value)) + (f" ext. {ext}" if ext else "")
    if field == "pay_band" and person is not None and person.pay_band_raw:
        return f"{value} (written: {person.pay_band_raw})"
    return str(value)


def _field_rows(reading: CaseReading, reviewer: Reviewer, masker: Masker,
                anchors: dict[str, str]) -> list[FieldRow]:
    rows: list[FieldRow] = []

    def add(path: str, value: Any, raw_value: str, provenance: Provenance | None,
            person: PersonReading | None, name: str) -> None:
        if is_confidential_field(path) and not reviewer.confidential:
            return
        shown = _display(name, value, person)
        source: Markup | None = None
        kind = ""
        if provenance is not None:
            kind = str(provenance.source)
            parts = conflicting_parts(path, provenance.text or "", reading)
            if len(parts) > 1:
                source = Markup(" / ").join(
                    Markup('<mark class="conflict">{}</mark>').format(masker.text(p))
                    for p in parts)
            elif provenance.text:
                snippet = masker.text(provenance.text)
                candidates = [shown, str(value or ""), raw_value]
                source = _mark_value(snippet, [c for c in candidates if c])
        # Names and addresses go through the masker too: free text can carry a title.
        rows.append(FieldRow(path, label(path, reading), masker.text(shown),
                             masker.text(raw_value), source, kind,
                             anchors.get(path) or anchors.get(f"{path}#1")))

    rows_case = (
        ("nomination_type", reading.nomination_type, reading.nomination_type or ""),
        ("guidance_confirmed", reading.guidance_confirmed,
         "yes" if reading.guidance_confirmed else "no"),
        ("organisation", reading.organisation, reading.organisation or ""),
    )
    for name, value, raw_value in rows_case:
        add(name, value, raw_value, reading.provenance.get(name), None, name)
    for people in ("nominees", "replaced"):
        for index, person in enumerate(getattr(reading, people)):
            for name in PERSON_EDITABLE[people]:
                value = getattr(person, name)
                raw_value = (person.pay_band_raw or value or "") if name == "pay_band" else (
                    national_phone(value) if name == "phone" else (value or ""))
                add(f"{people}[{index}].{name}", value, raw_value,
                    person.provenance.get(name), person, name)
    return rows


def _snippets_for(reading: CaseReading, reviewer: Reviewer, masker: Masker
                  ) -> list[tuple[str, str, str, str | None]]:
    """(masked snippet, field path, label, message id) of every provenance text the viewer
    may see."""
    out: list[tuple[str, str, str, str | None]] = []
    items: list[tuple[str, Provenance]] = list(reading.provenance.items())
    for people in ("nominees", "replaced"):
        for index, person in enumerate(getattr(reading, people)):
            items += [(f"{people}[{index}].{name}", p) for name, p in person.provenance.items()]
    for path, provenance in items:
        if is_confidential_field(path) and not reviewer.confidential:
            continue
        if not provenance.text:
            continue
        parts = conflicting_parts(path, provenance.text, reading)
        if len(parts) > 1:
            # A contradiction: each conflicting statement is marked on its own.
            out += [(masker.text(part), f"{path}#{n}", f"{label(path, reading)}: statement "
                     f"{n}", provenance.message_id) for n, part in enumerate(parts, 1)]
            continue
        out.append((masker.text(provenance.text), path, label(path, reading),
                    provenance.message_id))
    return out


def with_contradiction(case: Case, reading: CaseReading) -> CaseReading:
    """``reading`` with, when its type is unresolved, the newest message's contradictory type
    statements as the type's provenance (the merge keeps no provenance for an unset value), so
    the page can point at each of them."""
    if reading.nomination_type is not None or "nomination_type" in reading.provenance:
        return reading
    for raw in sorted(case.messages, key=lambda m: m.id, reverse=True):
        extraction = raw.extraction or {}
        found = (extraction.get("provenance") or {}).get("nomination_type")
        if len(extraction.get("stated_types") or []) > 1 and isinstance(found, dict):
            provenance = {**reading.provenance, "nomination_type": Provenance(**found)}
            return reading.model_copy(update={"provenance": provenance})
    return reading


def conflicting_parts(path: str, text: str, reading: CaseReading) -> list[str]:
    """The statements of a contradiction: the extraction joins the sentences stating different
    nomination types with " / " and leaves the type unset (``contradictory-nomination-type``)."""
    if path != "nomination_type" or reading.nomination_type is not None or " / " not in text:
        return [text]
    return [part.strip() for part in text.split(" / ") if part.strip()]


def _anchor(path: str) -> str:
    return "src-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def _messages(settings: Settings, case: Case, masker: Masker,
              snippets: list[tuple[str, str, str, str | None]]
              ) -> tuple[list[MessageView], dict[str, str]]:
    """The case's messages as shown, and for each field path whose source text was found
    (and marked) in one of them, the id of that mark."""
    views: list[MessageView] = []
    found: dict[str, str] = {}
    for raw in sorted(case.messages, key=lambda m: m.id):
        mail = view_message(raw.content)
        texts: dict[int, str | None] = {}
        if mail.attachments:
            parsed = actions.parse_message(settings, raw)
            if parsed is not None:
                for attached in parsed.attachments:
                    for part in mail.attachments:
                        if part.index == attached.part_index or part.filename == attached.filename:
                            texts.setdefault(part.index, attached.text)
        text = masker.text(mail.text)
        mine = [(snippet, _anchor(path), title) for snippet, path, title, mid in snippets
                if path not in found and (mid is None or mid == raw.message_id)]
        marked = mark_snippets(text, mine)
        for _snippet, path, _title, _mid in snippets:
            if path not in found and f'id="{_anchor(path)}"' in marked:
                found[path] = _anchor(path)
        attachments = []
        for p in mail.attachments:
            body = masker.text(texts[p.index]) if texts.get(p.index) else None
            marked_body: Markup | None = None
            if body is not None:
                rest = [(snippet, _anchor(path), title) for snippet, path, title, mid in snippets
                        if path not in found and (mid is None or mid == raw.message_id)]
                marked_body = mark_snippets(body, rest)
                for _snippet, path, _title, _mid in snippets:
                    if path not in found and f'id="{_anchor(path)}"' in marked_body:
                        found[path] = _anchor(path)
            attachments.append(AttachmentView(
                MailPart(p.index, masker.label(p.filename), p.content_type, p.size), marked_body))
        views.append(MessageView(
            raw_id=raw.id,
            received_at=message_dates(raw)[0],
            arrived_at=message_dates(raw)[1],
            classification=raw.classification,
            status=raw.status,
            headers=tuple((name, masker.label(value)) for name, value in mail.headers),
            text=marked,
            # Masking HTML cannot be made reliable (a value split by tags or entities slips
            # through): without the permission the formatted version is not sent at all.
            html=(mail.html if mail.html is not None and not masker.active else None),
            html_hidden=mail.html is not None and masker.active,
            attachments=tuple(attachments),
            problem=mail.problem,
        ))
    return views, found


def _reply_text(content: bytes) -> str:
    from email import policy
    from email.parser import BytesParser

    try:
        message = BytesParser(policy=policy.default).parsebytes(content)
        body = message.get_body(preferencelist=("plain",))
        return str(body.get_content()) if body is not None else ""
    except Exception:  # noqa: BLE001 - a broken stored reply is shown as empty, not an error
        return ""


def case_history(session: Session, case: Case, reviewer: Reviewer, masker: Masker
                 ) -> list[HistoryItem]:
    """Messages in and out and every audit entry of the case, oldest first. Entries about
    confidential fields are left out for a viewer without the permission; free text masked."""
    items: list[HistoryItem] = []
    for raw in case.messages:
        dated, arrived = message_dates(raw)
        items.append(HistoryItem(
            dated, "in", raw.from_addr or "",
            "Email received" + (f" (reached us {arrived:%d %b %Y %H:%M})" if arrived else ""),
            detail=masker.label(raw.subject or ""),
            reason=str(raw.classification or raw.status)))
    for reply in session.execute(
        select(OutboxMessage).where(OutboxMessage.case_id == case.id).order_by(OutboxMessage.id)
    ).scalars():
        items.append(HistoryItem(
            reply.created_at, "out", ", ".join(reply.recipients or []),
            f"Reply {'queued' if reply.status == 'pending' else reply.status}",
            detail=masker.label(reply.subject), reason=reply.template,
            body=masker.text(_reply_text(reply.content))))
    for entry in session.execute(
        select(AuditEntry).where(AuditEntry.case_id == case.id).order_by(AuditEntry.id)
    ).scalars():
        if entry.action in QUIET_ACTIONS:
            continue
        if is_confidential_field(entry.field) and not reviewer.confidential:
            continue
        items.append(HistoryItem(
            entry.at, "audit", entry.actor, entry.action.replace("-", " "),
            field=label(entry.field) if entry.field else None,
            old=masker.label(entry.old_value) if entry.old_value is not None else None,
            new=masker.label(entry.new_value) if entry.new_value is not None else None,
            reason=masker.label(entry.reason) if entry.reason else None))
    items.sort(key=lambda i: i.at)
    return items


def case_page(session: Session, settings: Settings, case: Case, reviewer: Reviewer) -> CasePage:
    """Assemble the case page for ``reviewer``."""
    masker = masker_for(session, case, reviewer)
    reading = with_contradiction(case, cases.load_reading(case))
    snippets = _snippets_for(reading, reviewer, masker)
    messages, anchors = _messages(settings, case, masker, snippets)
    fields = _field_rows(reading, reviewer, masker, anchors)
    results = cases.latest_results(case)
    reasons = reasons_of(case)
    # A check that could not run says so ("Not checked: ...").
    passed = [(r.rule, describe_rule(r.rule) + (f" {r.reason}" if r.reason else ""))
              for r in results if not r.hit]
    requestable = [(item, item_label(item, reading), item in (case.missing or []))
                   for item in actions.requestable_items(reading)]
    add_person = [(f"nominees[{len(reading.nominees)}].name", "Add a new specialist (name)"),
                  (f"replaced[{len(reading.replaced)}].name", "Add a person replaced (name)")]
    merged_into = None
    if case.merged_into_id is not None:
        other = session.get(Case, case.merged_into_id)
        merged_into = other.reference if other is not None else None
    merged_from = [r for r in session.execute(
        select(Case.reference).where(Case.merged_into_id == case.id)).scalars() if r]
    return CasePage(
        case=case, reading=reading, fields=fields, add_person=add_person, messages=messages,
        reasons=tuple(Reason(r.rule, r.description, masker.label(r.reason), r.kind)
                      for r in reasons),
        passed=passed, evaluated_at=results[0].created_at if results else None,
        history=case_history(session, case, reviewer, masker), requestable=requestable,
        missing=[item_label(m, reading) for m in (case.missing or [])],
        merged_into=merged_into, merged_from=merged_from,
        sender_name=masker.label(case.sender_name or ""),
        opened=opened(case),
        recorded_apart=differ_by_more_than_a_day(opened(case), case.created_at),
        correspondents=[(masker.label(c.name or ""), c.addr, _HEADER_WORDS.get(c.source, c.source))
                        for c in case.correspondents],
        ambiguities=_ambiguities(case, masker),
        resolution=resolution(session, case),
        reviewers=sorted(session.execute(select(User.email).where(User.active.is_(True)))
                         .scalars()) if reviewer.is_admin else [],
        organisation_box=export.organisation_box(session, case),
    )


_HEADER_WORDS = {"from": "sender", "sender": "sent it for the sender", "reply-to": "reply-to",
                 "to": "addressed", "cc": "copied in"}


#: The audit actions that decide a case, and how the resolution calls them.
DECISIONS = {"review-accepted": "accepted", "review-rejected": "rejected",
             "review-not-a-nomination": "not a nomination",
             "review-merged-into": "merged into another case"}


def resolution(session: Session, case: Case) -> str | None:
    """"Resolved by … on …: accepted" for a case decided by a person (or "Completed
    automatically on …"); None while the case is open."""
    if case.state in CaseState.OPEN:
        return None
    entry = session.execute(
        select(AuditEntry).where(AuditEntry.case_id == case.id,
                                 AuditEntry.action.in_(list(DECISIONS)))
        .order_by(AuditEntry.id.desc()).limit(1)).scalar_one_or_none()
    if entry is None:
        when = case.completed_at or case.updated_at
        return f"Resolved automatically on {when:%d %b %Y}: {STATE_WORDS.get(case.state, '')}."
    return f"Resolved by {entry.actor} on {entry.at:%d %b %Y}: {DECISIONS[entry.action]}."


# ---------------------------------------------------------------------------------------------
# The register


def register_entries(session: Session, reviewer: Reviewer, *, include_former: bool = False
                     ) -> list[RegisterEntry]:
    """The register by organisation then name (:func:`register.export.register_entries`),
    job titles and pay bands only for a reviewer with the confidential permission."""
    return export.register_entries(session, confidential=reviewer.confidential,
                                   include_former=include_former)


def register_csv(entries: list[RegisterEntry], reviewer: Reviewer) -> str:
    """The register as CSV; job title and pay band columns only for a reviewer with the
    confidential permission."""
    return export.register_csv(entries, confidential=reviewer.confidential)


# ---------------------------------------------------------------------------------------------
# The overview


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    label_y: float


@dataclass(frozen=True, slots=True)
class Overview:
    """``median_days`` from the first email of a case to its completion (None with no
    complete case); ``untouched_share`` the share of complete cases no person acted on."""

    counts: list[tuple[str, int]]
    total: int
    complete: int
    median_days: float | None
    untouched: int
    untouched_share: float | None
    bars: list[Bar]
    chart_width: int
    chart_height: int
    waiting: list[tuple[str, int]] = field(default_factory=list)
    """Cases awaiting information by how long since we last asked: (band, cases)."""
    chasers_sent: int = 0
    chased_cases: int = 0


#: The bands of "waiting for an answer", in days since we last asked: (upper bound, words).
WAITING_BANDS = ((7, "Under a week"), (14, "1 to 2 weeks"), (28, "2 to 4 weeks"),
                 (None, "Over 4 weeks"))


def waiting_bands(session: Session, now: dt.datetime | None = None) -> list[tuple[str, int]]:
    """Cases awaiting information by days since our latest request or chaser to them (since
    the case opened when nothing was sent)."""
    now = now or utcnow()
    last_ask = dict(session.execute(
        select(OutboxMessage.case_id, func.max(OutboxMessage.created_at))
        .join(Case, Case.id == OutboxMessage.case_id)
        .where(Case.state == CaseState.AWAITING_INFORMATION)
        .group_by(OutboxMessage.case_id)).all())
    counts = [0] * len(WAITING_BANDS)
    for case in session.execute(
            select(Case).where(Case.state == CaseState.AWAITING_INFORMATION)).scalars():
        days = days_since(last_ask.get(case.id) or opened(case), now)
        index = next(i for i, (limit, _) in enumerate(WAITING_BANDS)
                     if limit is None or days < limit)
        counts[index] += 1
    return [(words, counts[i]) for i, (_, words) in enumerate(WAITING_BANDS)]


def overview(session: Session) -> Overview:
    """Cases by state, median days to complete, share completed without a person."""
    counts = state_counts(session)
    complete_cases = session.execute(
        select(Case).where(Case.state == CaseState.COMPLETE)
        .options(selectinload(Case.messages))
    ).scalars().all()
    durations = []
    for case in complete_cases:
        if case.completed_at is None:
            continue
        # From the first email's own date (DESIGN: durations run from the nominator's message).
        first = min((message_dates(m)[0] for m in case.messages), default=opened(case))
        durations.append(max(0.0, days_since(first, case.completed_at)))
    untouched = sum(1 for c in complete_cases if not c.touched_by_person)
    complete = len(complete_cases)
    width, height, top, bottom = 640, 220, 20, 40
    biggest = max((n for _, n in counts), default=0) or 1
    slot = width / len(counts)
    bars = []
    for i, (state, n) in enumerate(counts):
        h = (height - top - bottom) * n / biggest
        bars.append(Bar(STATE_WORDS.get(state, state), n, i * slot + slot * 0.15,
                        height - bottom - h, slot * 0.7, h, height - bottom - h - 4))
    return Overview(
        counts=counts, total=sum(n for _, n in counts), complete=complete,
        median_days=statistics.median(durations) if durations else None,
        untouched=untouched, untouched_share=(untouched / complete) if complete else None,
        bars=bars, chart_width=width, chart_height=height,
        waiting=waiting_bands(session),
        chasers_sent=int(session.execute(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template == CHASER_TEMPLATE)).scalar_one()),
        chased_cases=int(session.execute(select(func.count(func.distinct(
            OutboxMessage.case_id))).where(OutboxMessage.template == CHASER_TEMPLATE)
        ).scalar_one()),
    )


# ---------------------------------------------------------------------------------------------
# The audit log


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: dt.datetime
    case_reference: str | None
    actor: str
    action: str
    field: str | None
    old: str | None
    new: str | None
    reason: str | None


def audit_rows(session: Session, reviewer: Reviewer, *, case_reference: str | None = None,
               actor: str | None = None, before: int | None = None, limit: int = 200
               ) -> list[AuditRow]:
    """Audit entries newest first, filtered by case reference and/or actor, ``limit`` at a
    time (``before`` an entry id to page back). Entries about confidential fields are left out
    for a viewer without the permission."""
    query = (select(AuditEntry, Case.reference)
             .outerjoin(Case, Case.id == AuditEntry.case_id)
             .order_by(AuditEntry.id.desc()))
    if case_reference:
        query = query.where(Case.reference == actions.normalise_reference(case_reference))
    if actor:
        query = query.where(func.lower(AuditEntry.actor) == actor.strip().lower())
    if before:
        # Ids are 32-bit integers on PostgreSQL, which refuses a larger bound: past the
        # largest possible id, "before" means every entry.
        query = query.where(AuditEntry.id < min(before, 2**31 - 1))
    masker = masker_for(session, None, reviewer)
    rows: list[AuditRow] = []
    for entry, reference in session.execute(query.limit(limit * 2 + 50)):
        if is_confidential_field(entry.field) and not reviewer.confidential:
            continue
        rows.append(AuditRow(
            entry.id, entry.at, reference, entry.actor, entry.action, entry.field,
            masker.label(entry.old_value) if entry.old_value is not None else None,
            masker.label(entry.new_value) if entry.new_value is not None else None,
            masker.label(entry.reason) if entry.reason else None))
        if len(rows) >= limit:
            break
    return rows


def actors(session: Session) -> list[str]:
    """Everyone who appears as an actor in the audit log, sorted."""
    return sorted(a for a in session.execute(select(AuditEntry.actor).distinct()).scalars() if a)


def raw_message_of(session: Session, case: Case, raw_id: int) -> RawMessage | None:
    """The stored message ``raw_id`` if it belongs to ``case``."""
    raw = session.get(RawMessage, raw_id)
    return raw if raw is not None and raw.case_id == case.id else None
