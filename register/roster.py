"""Import the national team's spreadsheet of specialists already in post.

A CSV with a header row naming ``ods_code, organisation, name, email, phone, job_title,
pay_band, in_post_since`` in any order (UTF-8, or Excel's UTF-8 with a byte-order mark).
``organisation`` is matched to an ODS code when ``ods_code`` is empty. Phones are normalised
to E.164 like extracted ones, emails checked and lower-cased (email-validator), bands to the
Agenda for Change forms. Idempotent by (organisation, email): a second import updates the
row. A bad row is reported with its line number; the others still load.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from parsing.extract.bands import normalise_band_value
from parsing.extract.phones import parse_phone
from register.matching import match
from register.names import proper_case
from register.ods import ImportReport, OdsError
from store.models import Organisation, Specialist

__all__ = ["COLUMNS", "import_roster"]

COLUMNS = ("ods_code", "organisation", "name", "email", "phone", "job_title", "pay_band",
           "in_post_since")
REQUIRED = ("name", "email")
FIELDS = ("organisation", "name", "phone", "job_title", "pay_band", "started_at")


@dataclass(frozen=True, slots=True)
class RosterRow:
    code: str | None
    organisation: str | None
    name: str
    email: str
    phone: str | None
    job_title: str | None
    pay_band: str | None
    started_at: dt.datetime | None


def _header(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _date(value: str) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%Y%m%d"):
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    raise ValueError(f"in_post_since {value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _organisation(session: Session, code: str, name: str, today: dt.date
                  ) -> tuple[str | None, str | None]:
    orgs = {o.code: o for o in session.execute(select(Organisation)).scalars()}
    if code:
        code = code.strip().upper()
        if orgs and code not in orgs:
            raise ValueError(f"ODS code {code} is not among the organisations loaded")
        org = orgs.get(code)
        return code, proper_case(org.name) if org is not None else (name or None)
    if not name:
        raise ValueError("neither ods_code nor organisation is given")
    if not orgs:
        return None, name
    found = match(session, organisation=name, display_name=None, sender_domain=None,
                  today=today)
    if found.named_code is None:
        raise ValueError(f"organisation {name!r} matches "
                         + ("more than one organisation" if found.ambiguous else "no ODS "
                            "organisation") + "; give its ods_code")
    return found.named_code, found.named_name


def _parse_row(session: Session, row: dict[str, str], today: dt.date) -> RosterRow:
    for col in REQUIRED:
        if not row.get(col, "").strip():
            raise ValueError(f"no {col}")
    try:
        email = validate_email(row["email"].strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"email is not valid ({exc})") from exc
    phone = None
    if row.get("phone", "").strip():
        found = parse_phone(row["phone"])
        if found is None:
            raise ValueError("phone is not a UK telephone number")
        phone = found.e164
    band_text = row.get("pay_band", "").strip()
    found_band = normalise_band_value(band_text) if band_text else None
    band = found_band.band if found_band is not None else None
    if band_text and band is None:
        raise ValueError("pay_band is not an Agenda for Change band (7, 8a–8d, 9, VSM)")
    code, organisation = _organisation(session, row.get("ods_code", ""),
                                       row.get("organisation", "").strip(), today)
    return RosterRow(code, organisation, " ".join(row["name"].split()), email.lower(), phone,
                     row.get("job_title", "").strip() or None, band,
                     _date(row.get("in_post_since", "")))


def _read(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OdsError(f"{path}: not UTF-8 text (save it as CSV UTF-8)") from exc
    except OSError as exc:
        raise OdsError(f"{path}: {exc.strerror or exc.__class__.__name__}") from exc
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise OdsError(f"{path}: empty file")
    reader.fieldnames = [_header(h) for h in reader.fieldnames]
    missing = [c for c in REQUIRED if c not in reader.fieldnames]
    if missing or not {"ods_code", "organisation"} & set(reader.fieldnames):
        raise OdsError(f"{path}: the header row must name ods_code or organisation, name and "
                       f"email (found: {', '.join(reader.fieldnames)})")
    return [{k: (v or "") for k, v in r.items() if isinstance(k, str)} for r in reader]


def _store(session: Session, parsed: RosterRow, imported_at: dt.datetime,
           report: ImportReport) -> None:
    existing = session.execute(select(Specialist).where(
        Specialist.email == parsed.email,
        Specialist.organisation_code == parsed.code if parsed.code else
        Specialist.organisation == parsed.organisation)).scalars().first()
    values: dict[str, Any] = {
        "organisation": parsed.organisation, "name": parsed.name, "phone": parsed.phone,
        "job_title": parsed.job_title, "pay_band": parsed.pay_band,
        "started_at": parsed.started_at or (existing.started_at if existing else imported_at)}
    if existing is None:
        session.add(Specialist(organisation_code=parsed.code, email=parsed.email,
                               source="roster", in_post=True, **values))
        report.added += 1
        report.changes.append(f"add {parsed.code or parsed.organisation}: specialist")
        return
    changed = [f for f in FIELDS if getattr(existing, f) != values[f]]
    for f in changed:
        setattr(existing, f, values[f])
    report.updated += 1 if changed else 0
    report.unchanged += 0 if changed else 1
    if changed:
        # Field names only: a dry run's listing must not show confidential values.
        report.changes.append(f"update {parsed.code or parsed.organisation}: "
                              f"{', '.join(changed)}")


def import_roster(session: Session, path: Path, *, today: dt.date | None = None
                  ) -> ImportReport:
    """Load the roster at ``path`` into ``session`` (the caller commits, or rolls back for a
    dry run). :raises OdsError: the file cannot be read or has no usable header row."""
    report = ImportReport()
    imported_at = dt.datetime.now(dt.UTC)
    today = today or imported_at.date()
    for line, row in enumerate(_read(path), 2):
        if not any(v.strip() for v in row.values()):
            continue
        try:
            parsed = _parse_row(session, row, today)
        except ValueError as exc:
            report.errors.append(f"{path.name} line {line}: {exc}")
            continue
        _store(session, parsed, imported_at, report)
        session.flush()
    return report

