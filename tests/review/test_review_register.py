"""The register's pages with the fictional ODS sample and roster loaded: /coverage (chart,
filters, CSV), who replaced whom on /register, and the organisation's specialists in post on
the case page, with job title and pay band kept from reviewers without the permission."""

from __future__ import annotations

from pathlib import Path

from review_factories import client_for, sign_in

from pss_intake.config import Settings
from pss_intake.pipeline import Incoming, ingest
from register.ods import import_organisations
from register.roster import import_roster
from store.db import Database

TESTS = Path(__file__).resolve().parent.parent
DATA = TESTS / "fixtures" / "register"
SAMPLES = TESTS / "samples"


def _load(db: Database, settings: Settings, *samples: str) -> dict[str, str]:
    with db.transaction() as session:
        import_organisations(session, [DATA / f for f in ("etr.csv", "icb.csv",
                                                          "independent.csv", "succ.csv")])
        import_roster(session, DATA / "roster.csv")
    refs = {}
    for name in samples:
        path = SAMPLES / name
        outcome = ingest(db, settings, Incoming(path.read_bytes(), f"file:{path}"))
        refs[name] = outcome.case_reference or ""
    return refs


def test_coverage_page_chart_filters_and_csv(settings: Settings, db: Database) -> None:
    _load(db, settings, "S05.eml")
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get("/coverage")
    assert page.status_code == 200
    text = page.text
    # 16 open organisations; 9 have someone in post: the roster's 9 rows cover 8 (Old Mill's
    # count for Northshire, Eastfen's and Marshland's for QZF), and S05 covers Kestrel Valley.
    assert "9 of 16 open organisations have a Patient Safety Specialist in post" in text
    assert '<svg class="chart"' in text and "East of England: 2 of 3 with a specialist." in text
    # Nobody in post first: Northshire and Fellside ICB comes before Brackenridge Hospice.
    assert text.index("NHS Northshire and Fellside Integrated Care Board") < text.index(
        "Brackenridge Hospice")
    icbs = client.get("/coverage?kind=icb").text
    assert "Brackenridge Hospice" not in icbs and "NHS Kestrel Valley Integrated Care Board" in icbs
    region = client.get("/coverage?region=Y58").text
    assert "Southmoor Ambulance Service NHS Trust" in region and "Wrenfield" not in region
    assert client.get("/coverage?kind=hospital").status_code == 400
    csv_text = client.get("/coverage.csv?kind=icb").content.decode("utf-8-sig")
    assert csv_text.splitlines() == [
        "ods_code,name,type,region,specialists_in_post,open_cases",
        "QZX,NHS Northshire and Fellside Integrated Care Board,icb,North East and Yorkshire,0,0",
        "QZF,NHS Eastfen and Marshland Integrated Care Board,icb,East of England,2,0",
        "QZB,NHS Kestrel Valley Integrated Care Board,icb,East of England,2,0",
        "QZA,NHS Wessex Vale Integrated Care Board,icb,South West,1,0",
        "QZC,NHS Westerby and Tamsworth Integrated Care Board,icb,Midlands,1,0",
    ]


def test_register_shows_who_replaced_whom(settings: Settings, db: Database) -> None:
    refs = _load(db, settings, "S02.eml")
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    in_post = client.get("/register").text
    assert "Sarah Whitfield" in in_post  # named as the one Daniel replaced ...
    assert in_post.count("sarah.whitfield2@nhs.net") == 0  # ... but not listed in post
    former = client.get("/register?former=1").text
    assert (f'Left 01 Apr 2025 00:00, replaced by Daniel Okonkwo (<a href="/cases/{refs["S02.eml"]}">'
            f'{refs["S02.eml"]}</a>)') in former
    # Confidential: Sarah's title from the roster and Daniel's from S02 stay out.
    assert "Patient Safety Lead" not in former and "Associate Director" not in former
    allowed = client_for(settings, db)
    sign_in(allowed, "confidential")
    assert "Patient Safety Lead" in allowed.get("/register?former=1").text


def test_case_page_shows_the_specialists_in_post(settings: Settings, db: Database) -> None:
    refs = _load(db, settings, "S01.eml")
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get(f"/cases/{refs['S01.eml']}").text
    assert "Northshire Hospitals NHS Foundation Trust <span class=\"muted\">(ODS RZA)</span>" in page
    assert "Specialists in post at Northshire Hospitals NHS Foundation Trust" in page
    assert "Mei Ling Chan &lt;meiling.chan@nhs.net&gt;, in post since 11 Jan 2021" in page
    assert "first-but-specialist-in-post" in page


def test_a_closed_organisation_is_matched_to_its_successor(settings: Settings,
                                                           db: Database) -> None:
    content = (SAMPLES / "S05.eml").read_bytes().replace(b"Kestrel Valley", b"Eastfen")
    _load(db, settings)
    outcome = ingest(db, settings, Incoming(content, "file:eastfen.eml"))
    assert outcome.record["organisation_code"] == "QZF"
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get(f"/cases/{outcome.case_reference}").text
    assert ("NHS Eastfen Integrated Care Board (QZD) closed on 31 March 2026; its successor is "
            "NHS Eastfen and Marshland Integrated Care Board (QZF).") in page
    # Eastfen's and Marshland's specialists now belong to the merged board.
    assert "Tomasz Wiśniewski" in page and "Bethany Cole" in page
