"""The ODS import: the headerless 27-column layout, succ.csv, idempotence, dry runs, and a
malformed row reported by line number while the rest load."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from register.ods import import_organisations
from store.db import Database
from store.models import Organisation
from tests.register.conftest import DATA, ODS_FILES


def _count(db: Database) -> int:
    with db.transaction() as session:
        return int(session.execute(select(func.count()).select_from(Organisation)).scalar_one())


def test_the_sample_loads_with_kinds_dates_and_successors(db: Database) -> None:
    with db.transaction() as session:
        report = import_organisations(session, ODS_FILES)
    # 10 trusts + 7 ICBs + 2 independent providers; the 3 successor rows update 3 of them.
    assert (report.added, report.updated, report.errors) == (19, 3, [])
    with db.transaction() as session:
        rza = session.get(Organisation, "RZA")
        assert rza is not None
        assert (rza.name, rza.kind, rza.national_grouping, rza.postcode, rza.telephone) == (
            "NORTHSHIRE HOSPITALS NHS FOUNDATION TRUST", "trust", "Y63", "NS1 1AA",
            "0113 496 0000")
        old_mill = session.get(Organisation, "RZJ")
        assert old_mill is not None
        assert (old_mill.closed_on, old_mill.successor_code, old_mill.successor_on) == (
            dt.date(2025, 3, 31), "RZA", dt.date(2025, 4, 1))
        assert session.get(Organisation, "QZF").kind == "icb"  # type: ignore[union-attr]
        assert session.get(Organisation, "NZB02").kind == "independent"  # type: ignore[union-attr]


def test_importing_again_changes_nothing(db: Database) -> None:
    with db.transaction() as session:
        import_organisations(session, ODS_FILES)
    with db.transaction() as session:
        report = import_organisations(session, list(reversed(ODS_FILES)))
    assert (report.added, report.updated, report.unchanged) == (0, 0, 22)
    assert _count(db) == 19


def test_a_changed_row_updates_in_place(db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        import_organisations(session, ODS_FILES)
    changed = tmp_path / "etr.csv"
    changed.write_text((DATA / "etr.csv").read_text().replace(
        '"RZG","PELLBRIDGE HOSPITALS NHS TRUST","Y56","QZB","PELLBRIDGE ROAD","","","PELLBRIDGE","","PB3 4GG","19990401",""',
        '"RZG","PELLBRIDGE HOSPITALS NHS TRUST","Y56","QZB","PELLBRIDGE ROAD","","","PELLBRIDGE","","PB3 4GG","19990401","20270331"'))
    with db.transaction() as session:
        report = import_organisations(session, [changed])
    assert (report.added, report.updated, report.unchanged) == (0, 1, 9)
    assert report.changes == ["update RZG: closed_on None → 2027-03-31"]


def test_dry_run_rolls_back(db: Database) -> None:
    session = db.sessions()
    report = import_organisations(session, ODS_FILES)
    session.rollback()
    session.close()
    assert report.added == 19 and "add RZK SOUTHMOOR AMBULANCE SERVICE NHS TRUST" in report.changes
    assert _count(db) == 0


def test_malformed_rows_are_reported_by_line_and_the_rest_load(db: Database,
                                                              tmp_path: Path) -> None:
    lines = (DATA / "etr.csv").read_text().splitlines()
    lines[1] = '"RZB","HARBOURSIDE","Y58"'  # too few columns
    lines[3] = lines[3].replace('"19940401"', '"1994-04-01"')  # not YYYYMMDD
    bad = tmp_path / "etr.csv"
    bad.write_text("\n".join(lines) + "\n")
    succ = tmp_path / "succ.csv"
    succ.write_text('"RZJ","RZA","M","20250401",""\n"XXX","RZA","M","20250401",""\n')
    with db.transaction() as session:
        report = import_organisations(session, [bad, succ])
    assert report.errors == [
        "etr.csv line 2: 3 columns, expected ODS's 27",
        "etr.csv line 4: date '1994-04-01' is not YYYYMMDD",
        "succ.csv line 2: organisation XXX is not loaded (import its ODS file too)",
    ]
    assert report.added == 8 and _count(db) == 8
