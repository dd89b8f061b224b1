"""The register as rows for pages and CSV: who is in post, who replaced whom (names and case
references both ways), and the people no longer in post. Job title and pay band are filled
only for a viewer with the confidential permission."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from register.names import proper_case
from store.models import Case, CasePerson, Organisation, Specialist

__all__ = ["OrganisationBox", "RegisterEntry", "csv_cell", "organisation_box", "register_csv",
           "register_entries"]


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One specialist. ``job_title``/``pay_band`` are None for a viewer without the permission.

    ``replaced`` lists (name, date they left) of the people this specialist replaced (from the
    register, or as the case names them when they were never in it); ``replacing_case`` the
    case that added this specialist; ``replaced_by``/``replaced_by_case`` who replaced them
    and in which case; ``source`` ``case`` or ``roster``.
    """

    id: int
    organisation: str
    organisation_code: str | None
    name: str | None
    email: str | None
    phone: str | None
    job_title: str | None
    pay_band: str | None
    in_post: bool
    started_at: dt.datetime
    ended_at: dt.datetime | None
    case_reference: str | None
    replaced: tuple[tuple[str, dt.datetime | None], ...]
    replaced_by: str | None
    replaced_by_case: str | None = None
    source: str = "case"


def _named_replaced(session: Session) -> dict[int, list[str]]:
    """Case id → names of the people its case says it replaces."""
    out: dict[int, list[str]] = {}
    for case_id, name in session.execute(
        select(CasePerson.case_id, CasePerson.name).where(CasePerson.role == "replaced")
        .order_by(CasePerson.case_id, CasePerson.position)
    ):
        if name:
            out.setdefault(case_id, []).append(name)
    return out


def register_entries(session: Session, *, confidential: bool, include_former: bool = False
                     ) -> list[RegisterEntry]:
    """The register by organisation then name: specialists in post (and, if asked, former)."""
    rows = session.execute(select(Specialist).order_by(Specialist.organisation,
                                                        Specialist.name, Specialist.id)
                           ).scalars().all()
    by_id = {r.id: r for r in rows}
    refs = dict(session.execute(select(Case.id, Case.reference)).all())
    replaced: dict[int, list[tuple[str, dt.datetime | None]]] = {}
    for row in rows:
        if row.replaced_by_id is not None:
            replaced.setdefault(row.replaced_by_id, []).append((row.name or "(no name)",
                                                                 row.ended_at))
    named = _named_replaced(session)
    entries = []
    for row in rows:
        if not row.in_post and not include_former:
            continue
        successor = by_id.get(row.replaced_by_id) if row.replaced_by_id else None
        mine = replaced.get(row.id) or [(n, None) for n in named.get(row.case_id or -1, [])]
        entries.append(RegisterEntry(
            id=row.id, organisation=row.organisation or "(organisation not given)",
            organisation_code=row.organisation_code,
            name=row.name, email=row.email, phone=row.phone,
            job_title=row.job_title if confidential else None,
            pay_band=row.pay_band if confidential else None,
            in_post=row.in_post, started_at=row.started_at, ended_at=row.ended_at,
            case_reference=refs.get(row.case_id) if row.case_id else None,
            replaced=tuple(mine),
            replaced_by=successor.name if successor is not None else None,
            replaced_by_case=refs.get(row.ended_case_id) if row.ended_case_id else None,
            source=row.source,
        ))
    return entries


def csv_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection); a phone number in
    E.164 ("+44...") is a number, not a formula, and stays as it is."""
    if value and (value[0] in "=@\t\r" or (value[0] in "+-" and not value[1:].replace(
            " ", "").isdigit())):
        return "'" + value
    return value


def _day(value: dt.datetime | None) -> str:
    return value.date().isoformat() if value else ""


def register_csv(entries: list[RegisterEntry], *, confidential: bool) -> str:
    """The register as CSV (RFC 4180, CRLF); job title and pay band columns only for a viewer
    with the confidential permission."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # New columns go at the end, so spreadsheets built on the older export keep working.
    header = ["organisation", "name", "email", "phone"]
    if confidential:
        header += ["job_title", "pay_band"]
    header += ["in_post", "started_on", "ended_on", "replaced", "replaced_on", "case",
               "ods_code", "replaced_by", "replaced_by_case", "source"]
    writer.writerow(header)
    for e in entries:
        row = [e.organisation, e.name or "", e.email or "", e.phone or ""]
        if confidential:
            row += [e.job_title or "", e.pay_band or ""]
        row += ["yes" if e.in_post else "no", _day(e.started_at), _day(e.ended_at),
                "; ".join(name for name, _ in e.replaced),
                "; ".join(when.date().isoformat() for _, when in e.replaced if when),
                e.case_reference or "", e.organisation_code or "", e.replaced_by or "",
                e.replaced_by_case or "", e.source]
        writer.writerow([csv_cell(str(v)) for v in row])
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class OrganisationBox:
    """What the case page shows beside the nomination: the matched organisation (register
    name in proper case, ODS code), a note when the one named has closed, and its specialists
    in post as (name, email, in post since, case reference) — never a job title or pay band."""

    code: str
    name: str
    note: str | None
    specialists: tuple[tuple[str, str, dt.datetime, str | None], ...]


def organisation_box(session: Session, case: Case) -> OrganisationBox | None:
    """The :class:`OrganisationBox` for ``case``, or None when it has no ODS code."""
    from register.facts import in_post_at
    from register.matching import match

    if not case.organisation_code:
        return None
    reading_name = case.organisation
    found = match(session, organisation=reading_name, display_name=case.sender_name,
                  sender_domain=None)
    named = found if found.code == case.organisation_code else None
    org = session.get(Organisation, case.organisation_code)
    refs = dict(session.execute(select(Case.id, Case.reference)).all())
    people = tuple((r.name or "(no name)", r.email or "", r.started_at,
                    refs.get(r.case_id) if r.case_id else None)
                   for r in in_post_at(session, case.organisation_code, exclude_case=case.id))
    return OrganisationBox(
        code=case.organisation_code,
        name=proper_case(org.name) if org is not None else case.organisation_code,
        note=named.note() if named is not None else None, specialists=people)
