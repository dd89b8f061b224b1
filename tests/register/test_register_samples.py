"""The ten shared samples processed with the fictional ODS sample and roster loaded: ODS codes,
the cross-record flags, the register's history (a replaced person no longer in post, with
"replaced by") and coverage counts; and with nothing loaded, the same rules "not checked"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from pss_intake.config import Settings
from pss_intake.pipeline import Incoming, Outcome, ingest
from register.coverage import coverage, regions
from register.export import register_csv, register_entries
from store.db import Database
from store.models import Case, OutboxMessage, RuleResult, Specialist

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TODAY = dt.date(2026, 12, 1)


def _import_samples(db: Database, settings: Settings) -> dict[str, Outcome]:
    return {p.stem: ingest(db, settings, Incoming(p.read_bytes(), f"file:{p}"))
            for p in sorted(SAMPLES.glob("S*.eml"))}


def test_codes_and_flags(loaded_db: Database, settings: Settings) -> None:
    out = _import_samples(loaded_db, settings)
    codes = {k: o.record["organisation_code"] for k, o in out.items()}
    assert codes == {"S01": "RZA", "S02": "QZA", "S03": "RZB", "S04": "RZB", "S05": "QZB",
                     "S06": None, "S07": None, "S08": "QZC", "S09": "RZC", "S10": "RZD"}
    # Northshire absorbed Old Mill (succ.csv), whose specialist is still in post: a "first"
    # nomination from Northshire is doubtful.
    assert out["S01"].record["flags"] == [{
        "rule": "first-but-specialist-in-post",
        "reason": "A first nomination, but Northshire Hospitals NHS Foundation Trust already "
                  "has Mei Ling Chan in post."}]
    assert out["S02"].action == "accept" and out["S02"].record["flags"] == []
    # Joan Tulloch is in post at Westerby and Tamsworth: no replaced-person flag there.
    assert [f["rule"] for f in out["S08"].record["flags"]] == ["attachment-only"]


def test_register_history_after_the_replacement(loaded_db: Database, settings: Settings) -> None:
    _import_samples(loaded_db, settings)
    with loaded_db.transaction() as session:
        sarah = session.execute(select(Specialist).where(
            Specialist.email == "sarah.whitfield2@nhs.net")).scalar_one()
        daniel = session.execute(select(Specialist).where(
            Specialist.email == "daniel.okonkwo@nhs.net")).scalar_one()
        case = session.get(Case, daniel.case_id)
        assert case is not None and case.reference == "PSS-000002"
        assert (sarah.in_post, sarah.replaced_by_id, sarah.ended_case_id) == (
            False, daniel.id, daniel.case_id)
        # S02 states "from 1 April 2025": in post since then, and Sarah left that day.
        assert daniel.started_at == sarah.ended_at == dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
        entries = register_entries(session, confidential=False, include_former=True)
        in_post = register_entries(session, confidential=False)
    by_name = {e.name: e for e in entries}
    assert by_name["Sarah Whitfield"].replaced_by == "Daniel Okonkwo"
    assert by_name["Sarah Whitfield"].replaced_by_case == "PSS-000002"
    assert by_name["Daniel Okonkwo"].replaced == (
        ("Sarah Whitfield", dt.datetime(2025, 4, 1, tzinfo=dt.UTC)),)
    assert "Sarah Whitfield" not in {e.name for e in in_post}
    text = register_csv(entries, confidential=False)
    assert ("NHS Wessex Vale Integrated Care Board,Sarah Whitfield,sarah.whitfield2@nhs.net,"
            "+447700900431,no,2021-03-15,2025-04-01,,,,QZA,Daniel Okonkwo,PSS-000002,roster"
            ) in text
    # Confidential columns stay out without the permission.
    assert "job_title" not in text and "Patient Safety Lead" not in text


def test_in_post_since_falls_back_to_the_message_date(loaded_db: Database,
                                                      settings: Settings) -> None:
    _import_samples(loaded_db, settings)
    with loaded_db.transaction() as session:
        ciaran = session.execute(select(Specialist).where(
            Specialist.email == "ciaran.doherty@nhs.net")).scalar_one()
    # S09 states no start date; its Date header is Thu, 27 Mar 2025 13:13:51 +0000.
    assert ciaran.started_at.date() == dt.date(2025, 3, 27)


def test_coverage_counts(loaded_db: Database, settings: Settings) -> None:
    _import_samples(loaded_db, settings)
    with loaded_db.transaction() as session:
        rows = coverage(session, today=TODAY)
        icbs = coverage(session, kind="icb", today=TODAY)
    counts = {r.ods_code: (r.specialists_in_post, r.open_cases) for r in rows}
    # 16 open organisations (19 less RZJ, QZD and QZE, which have closed).
    assert len(rows) == 16 and not {"RZJ", "QZD", "QZE"} & set(counts)
    assert counts["QZF"] == (2, 0)  # Eastfen's and Marshland's specialists belong to QZF
    assert counts["RZA"] == (1, 1)  # Old Mill's specialist; S01 is open (flagged)
    assert counts["QZA"] == (1, 0)  # Daniel replaced Sarah
    assert counts["QZB"] == (2, 0)  # S05: two nominees
    assert counts["RZB"] == (1, 0) and counts["RZC"] == (1, 0)
    assert counts["RZD"] == (0, 1)  # S10 awaits information
    assert counts["QZC"] == (1, 1)  # Joan in post; S08 in review
    # Nobody in post comes first (then by name).
    assert [r.ods_code for r in rows[:5]] == ["QZX", "RZG", "RZK", "NZB02", "RZD"]
    assert all(r.specialists_in_post for r in rows[5:])
    assert {r.ods_code for r in icbs} == {"QZA", "QZB", "QZC", "QZF", "QZX"}
    bars = {b.region: (b.covered, b.total) for b in regions(rows)}
    assert bars["North East and Yorkshire"] == (2, 3)  # RZA, RZC covered; QZX not
    assert bars["No region"] == (1, 2)


def test_with_nothing_loaded_the_rules_say_not_checked(db: Database, settings: Settings) -> None:
    out = _import_samples(db, settings)
    assert out["S01"].action == "accept" and out["S01"].record["organisation_code"] is None
    with db.transaction() as session:
        results = session.execute(select(RuleResult).join(Case).where(
            Case.reference == out["S01"].case_reference)).scalars().all()
    reasons = {r.rule: (r.hit, r.reason) for r in results}
    assert reasons["organisation-not-recognised"] == (
        False, "Not checked: no organisations are loaded from ODS.")
    assert reasons["first-but-specialist-in-post"] == (
        False, "Not checked: the register of specialists in post is not loaded.")


def test_replies_name_the_organisation_as_the_register_does(loaded_db: Database,
                                                           settings: Settings) -> None:
    out = _import_samples(loaded_db, settings)
    # S10 names its trust only in the NHSmail display name, in capitals.
    assert out["S10"].record["organisation"] == "WRENFIELD HOSPITALS NHS TRUST"
    with loaded_db.transaction() as session:
        reply = session.execute(select(OutboxMessage).where(
            OutboxMessage.case_id == select(Case.id).where(
                Case.reference == out["S10"].case_reference).scalar_subquery())
        ).scalar_one()
    text = reply.content.decode("utf-8")
    assert "Organisation: Wrenfield Hospitals NHS Trust" in text
    assert "WRENFIELD" not in text.partition("\r\n\r\n")[2]
