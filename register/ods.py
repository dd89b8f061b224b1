"""Import the Organisation Data Service's published CSV files into :class:`Organisation` rows.

ODS files have no header row. Organisation files (``etr.csv`` trusts, the ICB file,
independent providers) use the standard 27-column layout: 1 code, 2 name (capitals),
3 national grouping, 4 high level health geography, 5–9 address lines, 10 postcode, 11 open
date and 12 close date (``YYYYMMDD``, empty while open), 18 telephone. The successor file
``succ.csv`` has 5 columns: old code, new code, reason (``M`` merger), effective date,
indicator. Importing again updates rows in place (keyed by code), never duplicates; a
malformed row is reported with its file and line and the rest still load.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Organisation

__all__ = ["ImportReport", "OdsError", "import_organisations", "kind_of", "parse_date"]

CODE = re.compile(r"^[A-Z0-9]{1,9}$")
ORG_FIELDS = ("name", "kind", "national_grouping", "health_geography", "postcode",
              "telephone", "opened_on", "closed_on")


class OdsError(Exception):
    """A file that cannot be read at all (missing, not text, not CSV)."""


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do).

    ``changes`` are lines for a person: ``"add RZA Northshire …"``, ``"update RZA: closed_on
    → 2025-03-31"``; ``errors`` are ``"FILE line N: why"``.
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_date(value: str) -> dt.date | None:
    """An ODS date ``YYYYMMDD`` (``""`` → None); raises ValueError for anything else."""
    value = value.strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{8}", value):
        raise ValueError(f"date {value!r} is not YYYYMMDD")
    return dt.datetime.strptime(value, "%Y%m%d").date()


def kind_of(path: Path, code: str, default: str | None = None) -> str:
    """``trust``, ``icb`` or ``independent``: ``default`` when given, else from ODS's file
    name (``etr`` trusts, ``icb``/``eccg``/``eicb`` boards), else from the code (NHS trusts
    are 3 characters starting R, ICBs 3 starting Q; DOMAIN.md section 4)."""
    if default:
        return default
    stem = path.stem.lower()
    if stem.startswith("etr") or "trust" in stem:
        return "trust"
    if "icb" in stem or "ccg" in stem:
        return "icb"
    if "indep" in stem or "ishp" in stem or "ind" == stem[:3]:
        return "independent"
    if len(code) == 3 and code[0] == "R":
        return "trust"
    if len(code) == 3 and code[0] == "Q":
        return "icb"
    return "independent"


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        # ODS files are plain ASCII; anything else is read as Windows-1252 rather than refused.
        text = path.read_bytes().decode("cp1252", errors="replace")
    except OSError as exc:
        raise OdsError(f"{path}: {exc.strerror or exc.__class__.__name__}") from exc
    try:
        return [(n, row) for n, row in enumerate(csv.reader(text.splitlines()), 1) if row]
    except csv.Error as exc:
        raise OdsError(f"{path}: not a CSV file ({exc})") from exc


def is_successor_file(rows: Sequence[tuple[int, list[str]]]) -> bool:
    """True for ODS's successor layout (5 columns) rather than an organisation file (27)."""
    widths = [len(r) for _, r in rows[:20]]
    return bool(widths) and max(widths) <= 6


def _org_values(path: Path, row: list[str], kind: str | None) -> dict[str, object]:
    if len(row) < 12:
        raise ValueError(f"{len(row)} columns, expected ODS's 27")
    code = row[0].strip().upper()
    if not CODE.match(code):
        raise ValueError(f"ODS code {row[0]!r} is not 1–9 letters or digits")
    name = " ".join(row[1].split())
    if not name:
        raise ValueError("no organisation name (column 2)")
    return {
        "code": code, "name": name, "kind": kind_of(path, code, kind),
        "national_grouping": row[2].strip() or None,
        "health_geography": row[3].strip() or None,
        "postcode": row[9].strip() or None,
        "telephone": (row[17].strip() or None) if len(row) > 17 else None,
        "opened_on": parse_date(row[10]), "closed_on": parse_date(row[11]),
    }


def _upsert(session: Session, values: dict[str, object], report: ImportReport) -> None:
    code = str(values["code"])
    row = session.get(Organisation, code)
    if row is None:
        session.add(Organisation(**values))
        session.flush()
        report.added += 1
        report.changes.append(f"add {code} {values['name']}")
        return
    changed = [f for f in ORG_FIELDS if getattr(row, f) != values[f]]
    if not changed:
        report.unchanged += 1
        return
    for f in changed:
        report.changes.append(f"update {code}: {f} {getattr(row, f)} → {values[f]}")
        setattr(row, f, values[f])
    report.updated += 1


def _import_successors(session: Session, path: Path, rows: Iterable[tuple[int, list[str]]],
                       report: ImportReport) -> None:
    for line, row in rows:
        try:
            if len(row) < 4:
                raise ValueError(f"{len(row)} columns, expected ODS's 5")
            old, new = row[0].strip().upper(), row[1].strip().upper()
            if not (CODE.match(old) and CODE.match(new)) or old == new:
                raise ValueError(f"successor codes {row[0]!r} → {row[1]!r} are not valid")
            when = parse_date(row[3])
            org = session.get(Organisation, old)
            if org is None:
                raise ValueError(f"organisation {old} is not loaded (import its ODS file too)")
        except ValueError as exc:
            report.errors.append(f"{path.name} line {line}: {exc}")
            continue
        if (org.successor_code, org.successor_on) == (new, when):
            report.unchanged += 1
            continue
        report.changes.append(f"update {old}: successor {org.successor_code} → {new}")
        org.successor_code, org.successor_on = new, when
        report.updated += 1


def import_organisations(session: Session, paths: Sequence[Path], *,
                         kind: str | None = None) -> ImportReport:
    """Load ODS files into ``session`` (the caller commits, or rolls back for a dry run).

    Organisation files are loaded before successor files, whatever the order given.
    :raises OdsError: a file cannot be read at all.
    """
    report = ImportReport()
    parsed = [(path, _rows(path)) for path in paths]
    successors = [(p, rows) for p, rows in parsed if is_successor_file(rows)]
    for path, rows in parsed:
        if (path, rows) in successors:
            continue
        for line, row in rows:
            try:
                values = _org_values(path, row, kind)
            except ValueError as exc:
                report.errors.append(f"{path.name} line {line}: {exc}")
                continue
            _upsert(session, values, report)
    for path, rows in successors:
        _import_successors(session, path, rows, report)
    session.flush()
    return report


def loaded(session: Session) -> bool:
    """True once any organisation has been imported."""
    return session.execute(select(Organisation.code).limit(1)).first() is not None
