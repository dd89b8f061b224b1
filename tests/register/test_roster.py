"""The roster import: header in any order, Excel's BOM, phones normalised, idempotent by
(organisation, email), dry runs, and per-row errors with line numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from register.roster import import_roster
from store.db import Database
from store.models import Specialist
from tests.register.conftest import DATA, load_organisations


def _rows(db: Database) -> list[Specialist]:
    with db.transaction() as session:
        return list(session.execute(select(Specialist).order_by(Specialist.id)).scalars())


def test_the_sample_roster_loads(db: Database) -> None:
    load_organisations(db)
    with db.transaction() as session:
        report = import_roster(session, DATA / "roster.csv")
    assert (report.added, report.errors) == (9, [])
    first = _rows(db)[0]
    assert (first.organisation_code, first.organisation, first.name, first.email, first.phone,
            first.job_title, first.pay_band, first.started_at, first.source, first.in_post) == (
        "QZA", "NHS Wessex Vale Integrated Care Board", "Sarah Whitfield",
        "sarah.whitfield2@nhs.net", "+447700900431", "Patient Safety Lead", "8b",
        dt.datetime(2021, 3, 15, tzinfo=dt.UTC), "roster", True)
    # A second import updates, never duplicates.
    with db.transaction() as session:
        again = import_roster(session, DATA / "roster.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 9)
    assert len(_rows(db)) == 9


def test_any_column_order_bom_and_organisation_by_name(db: Database, tmp_path: Path) -> None:
    load_organisations(db)
    path = tmp_path / "roster.csv"
    path.write_bytes("\ufeffEmail,Name,Organisation,Phone,In post since\r\n"
                     "Ann.Lee@NHS.net,Ann Lee,Pellbridge Hospitals NHS Trust,0113 496 0123,"
                     "01/04/2024\r\n".encode())
    with db.transaction() as session:
        report = import_roster(session, path)
    assert report.errors == []
    [row] = _rows(db)
    assert (row.organisation_code, row.email, row.phone, row.started_at) == (
        "RZG", "ann.lee@nhs.net", "+441134960123", dt.datetime(2024, 4, 1, tzinfo=dt.UTC))


def test_bad_rows_are_reported_by_line_and_the_rest_load(db: Database, tmp_path: Path) -> None:
    load_organisations(db)
    path = tmp_path / "roster.csv"
    path.write_text(
        "ods_code,organisation,name,email,phone,job_title,pay_band,in_post_since\n"
        "RZG,,Ann Lee,ann.lee@nhs.net,0113 496 0123,,,2024-04-01\n"
        "RZQ,,Bob Tan,bob.tan@nhs.net,,,,\n"
        "RZG,,Cy Oh,not-an-address,,,,\n"
        ",Nowhere Trust,Di Fox,di.fox@nhs.net,,,,\n"
        "RZG,,Ed Ng,ed.ng@nhs.net,12345,,,\n"
        "RZG,,Flo Ma,flo.ma@nhs.net,,,Band 12,\n")
    with db.transaction() as session:
        report = import_roster(session, path)
    assert [e.split(":")[0] for e in report.errors] == [
        "roster.csv line 3", "roster.csv line 4", "roster.csv line 5", "roster.csv line 6",
        "roster.csv line 7"]
    assert report.errors[0] == "roster.csv line 3: ODS code RZQ is not among the organisations loaded"
    assert report.added == 1 and [r.name for r in _rows(db)] == ["Ann Lee"]


def test_dry_run_changes_nothing(db: Database) -> None:
    load_organisations(db)
    session = db.sessions()
    report = import_roster(session, DATA / "roster.csv")
    session.rollback()
    session.close()
    assert report.added == 9 and _rows(db) == []
    # The listing names organisations, never the confidential values.
    assert all("Patient Safety" not in line and "8b" not in line for line in report.changes)
