"""A queue that flows, at the request level: search (and the confidential rule), claiming,
the next case after a decision, bulk decisions, filters and pages, resolved flags, dates and
contradictions pointed at their evidence. Fictional people; Ofcom drama-range numbers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from review_factories import ACCOUNTS, FORBIDDEN, JOB_TITLE, client_for, make_case, sign_in
from sqlalchemy import select, update

from pss_intake.config import Settings
from pss_intake.pipeline import Incoming, ingest
from store.db import Database
from store.models import AuditEntry, Case, CaseState, RawMessage

RITA = ACCOUNTS["reviewer"][0]
CORA = ACCOUNTS["confidential"][0]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ROW = re.compile(r'<th scope="row"><a href="/cases/(PSS-\d{6})">')


def listed(html: str) -> list[str]:
    """The case references in a list page's table, in order."""
    return ROW.findall(html)


def _state(db: Database, ref: str) -> str:
    with db.transaction() as session:
        return session.execute(select(Case.state).where(Case.reference == ref)).scalar_one()


def _audit(db: Database, ref: str) -> list[tuple[str, str, str | None]]:
    with db.transaction() as session:
        case_id = session.execute(select(Case.id).where(Case.reference == ref)).scalar_one()
        return [(a.action, a.actor, a.reason) for a in session.execute(
            select(AuditEntry).where(AuditEntry.case_id == case_id)
            .order_by(AuditEntry.id)).scalars()]


def _old(days: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(days=days)


# -- search -------------------------------------------------------------------------------------


def test_search_finds_by_reference_person_sender_and_organisation(
        settings: Settings, db: Database) -> None:
    priya = make_case(db, created_at=_old(3))
    omar = make_case(db, nominee="Omar Haddad", nominee_email="omar.haddad@eastvale.nhs.uk",
                     organisation="Eastvale Community NHS Trust", sender="kit.lowe@eastvale.nhs.uk",
                     state=CaseState.COMPLETE, created_at=_old(2))
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    number = int(omar.removeprefix("PSS-"))
    for query, expected in (
            (omar, [omar]), (str(number), [omar]), ("omar haddad", [omar]),
            ("OMAR.HADDAD@eastvale", [omar]), ("kit.lowe", [omar]), ("Eastvale Community", [omar]),
            ("Priya", [priya]), ("northshire", [priya]), ("nhs.uk", [priya, omar]),
            ("nobody-like-this", [])):
        page = client.get("/cases", params={"q": query})
        assert page.status_code == 200
        assert listed(page.text) == expected, query
    # Results show each case's state and organisation (a search looks at every state).
    page = client.get("/cases", params={"q": "omar"}).text
    assert "Complete" in page and "Eastvale Community NHS Trust" in page
    # LIKE wildcards typed in the box are text, not patterns.
    assert listed(client.get("/cases", params={"q": "%"}).text) == []


def test_search_never_finds_a_case_by_job_title_or_pay_band_without_the_permission(
        settings: Settings, db: Database) -> None:
    ref = make_case(db)
    with db.transaction() as session:
        # A display name can carry the job title (Outlook signs "Name, Title").
        session.execute(update(Case).values(sender_name=f"Margaret Osei, {JOB_TITLE}"))
    plain = client_for(settings, db)
    sign_in(plain, "reviewer")
    for query in (JOB_TITLE, "head of patient", "8b", "Band 8b"):
        page = plain.get("/cases", params={"q": query}).text
        assert listed(page) == [], query
        # The page echoes what was typed (in the box and the heading), nothing more.
        shown = page.split("<main", 1)[1].replace(query, "")
        for text in FORBIDDEN:
            assert text not in shown, query
    allowed = client_for(settings, db)
    sign_in(allowed, "confidential")
    assert listed(allowed.get("/cases", params={"q": "head of patient"}).text) == [ref]


def test_every_page_has_the_search_box(settings: Settings, db: Database) -> None:
    ref = make_case(db)
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    for path in ("/queue", f"/cases/{ref}", "/register", "/overview", "/cases?state=complete"):
        assert 'action="/cases" class="search"' in client.get(path).text, path


# -- claiming -----------------------------------------------------------------------------------


def test_claiming_keeps_two_reviewers_off_the_same_case(settings: Settings, db: Database) -> None:
    ref = make_case(db)
    other = make_case(db)
    rita = client_for(settings, db)
    rita_token = sign_in(rita, "reviewer")
    assert rita.post(f"/cases/{ref}/claim", data={"csrf_token": rita_token}).status_code == 303
    assert "You are handling this case" in rita.get(f"/cases/{ref}").text
    assert listed(rita.get("/queue", params={"mine": "1"}).text) == [ref]

    cora = client_for(settings, db)
    cora_token = sign_in(cora, "confidential")
    page = cora.get(f"/cases/{ref}").text
    assert f"Being handled by {RITA} since " in page
    assert f"Being handled by {RITA}" in cora.get("/queue").text
    assert listed(cora.get("/queue", params={"mine": "1"}).text) == []
    # Cora cannot decide it, nor take it.
    cora.post(f"/cases/{ref}/reject", data={"csrf_token": cora_token, "reason": "duplicate"})
    assert _state(db, ref) == CaseState.NEEDS_REVIEW
    assert f"is being handled by {RITA}" in cora.get(f"/cases/{ref}").text
    cora.post(f"/cases/{ref}/claim", data={"csrf_token": cora_token})
    with db.transaction() as session:
        assert session.execute(select(Case.claimed_by).where(Case.reference == ref)
                               ).scalar_one() == RITA
    # An administrator reassigns it to Cora, who can then decide it.
    admin = client_for(settings, db)
    admin_token = sign_in(admin, "admin")
    assert CORA in admin.get(f"/cases/{ref}").text
    admin.post(f"/cases/{ref}/assign", data={"csrf_token": admin_token, "to": CORA})
    cora.post(f"/cases/{ref}/reject", data={"csrf_token": cora_token, "reason": "duplicate"})
    assert _state(db, ref) == CaseState.REJECTED
    actions = [(a, who) for a, who, _ in _audit(db, ref)]
    assert ("case-claimed", RITA) in actions
    assert ("case-reassigned", ACCOUNTS["admin"][0]) in actions
    assert ("review-rejected", CORA) in actions
    with db.transaction() as session:
        # A decided case is nobody's any more.
        assert session.execute(select(Case.claimed_by).where(Case.reference == ref)
                               ).scalar_one() is None
    # A reviewer who is not an administrator cannot reassign.
    rita.post(f"/cases/{other}/claim", data={"csrf_token": rita_token})
    cora.post(f"/cases/{other}/assign", data={"csrf_token": cora_token, "to": CORA})
    assert "Only administrators can reassign cases." in cora.get(f"/cases/{other}").text
    with db.transaction() as session:
        assert session.execute(select(Case.claimed_by).where(Case.reference == other)
                               ).scalar_one() == RITA


# -- the next case ------------------------------------------------------------------------------


def test_after_a_decision_the_reviewer_lands_on_the_next_case(
        settings: Settings, db: Database) -> None:
    first = make_case(db, created_at=_old(5))
    second = make_case(db, created_at=_old(4))
    third = make_case(db, created_at=_old(3))
    taken = make_case(db, created_at=_old(4.5))  # type: ignore[arg-type]
    with db.transaction() as session:
        session.execute(update(Case).where(Case.reference == taken)
                        .values(claimed_by=CORA, claimed_at=_old(1)))
    client = client_for(settings, db)
    token = sign_in(client, "reviewer")
    response = client.post(f"/cases/{first}/accept", data={"csrf_token": token})
    # Cora's case is not offered to Rita.
    assert response.headers["location"] == f"/cases/{second}"
    page = client.get(response.headers["location"]).text
    assert f"Accepted {first}" in page and f"Next in the queue: {second}." in page
    assert f'href="/next?after={second}"' in page
    # "Skip" moves on to the next one after this, then round to the start.
    assert client.get(f"/next?after={second}").headers["location"] == f"/cases/{third}"
    assert client.get(f"/next?after={third}").headers["location"] == f"/cases/{second}"
    response = client.post(f"/cases/{second}/not-a-nomination",
                           data={"csrf_token": token, "reason": "a newsletter"})
    assert response.headers["location"] == f"/cases/{third}"
    response = client.post(f"/cases/{third}/reject", data={"csrf_token": token, "reason": "x"})
    assert response.headers["location"] == "/queue"
    assert "The queue is empty." in client.get("/queue").text


# -- bulk ---------------------------------------------------------------------------------------


def test_bulk_not_a_nomination_is_recorded_on_each_case(settings: Settings, db: Database) -> None:
    a, b, claimed = make_case(db), make_case(db), make_case(db)
    with db.transaction() as session:
        session.execute(update(Case).where(Case.reference == claimed)
                        .values(claimed_by=CORA, claimed_at=_old(1)))
    client = client_for(settings, db)
    token = sign_in(client, "reviewer")
    assert 'name="refs"' in client.get("/queue").text
    # Without a reason nothing changes.
    client.post("/queue/bulk", data={"csrf_token": token, "refs": [a, b],
                                     "action": "not-a-nomination", "reason": " "})
    assert _state(db, a) == CaseState.NEEDS_REVIEW
    response = client.post("/queue/bulk", data={
        "csrf_token": token, "refs": [a, b, claimed], "action": "not-a-nomination",
        "reason": "Conference mailing list", "back": "/queue"})
    assert response.headers["location"] == "/queue"
    page = client.get("/queue").text
    assert f"2 case(s) marked not a nomination: {a}, {b}." in page
    assert f"{claimed} was left as it was" in page
    for ref in (a, b):
        assert _state(db, ref) == CaseState.NOT_A_NOMINATION
        assert ("review-not-a-nomination", RITA, "Conference mailing list") in _audit(db, ref)
    assert _state(db, claimed) == CaseState.NEEDS_REVIEW
    client.post("/queue/bulk", data={"csrf_token": token, "refs": [claimed],
                                     "action": "reject", "reason": "spam"})
    assert _state(db, claimed) == CaseState.NEEDS_REVIEW


# -- filters and pages --------------------------------------------------------------------------


def test_every_list_filters_and_paginates(settings: Settings, db: Database) -> None:
    refs = [make_case(db, created_at=_old(60 - i), state=CaseState.COMPLETE) for i in range(52)]
    recent = make_case(db, created_at=_old(1), state=CaseState.COMPLETE,
                       organisation="Eastvale Community NHS Trust")
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    first = client.get("/cases", params={"state": "complete"}).text
    assert listed(first) == refs[:50]
    assert "Page 1 of 2." in first and "Next page" in first
    second = client.get("/cases", params={"state": "complete", "page": "2"}).text
    assert listed(second) == [*refs[50:], recent]
    assert listed(client.get("/cases", params={"state": "complete", "age": "28"}).text) == (
        refs[:33])  # opened 60..28 days ago
    assert listed(client.get("/cases", params={
        "state": "complete", "organisation": "Eastvale Community NHS Trust"}).text) == [recent]
    assert listed(client.get("/cases", params={
        "state": "complete", "rule": "sender-domain-not-allowed", "page": "2"}).text) == (
        [*refs[50:], recent])
    assert client.get("/cases", params={"state": "complete", "age": "3"}).status_code == 400
    assert client.get("/queue", params={"page": "x"}).status_code == 400


# -- resolved flags, dates, contradictions ------------------------------------------------------


def test_a_decided_case_shows_its_flags_as_resolved(settings: Settings, db: Database) -> None:
    ref = make_case(db)
    client = client_for(settings, db)
    token = sign_in(client, "reviewer")
    assert "Why it is here" in client.get(f"/cases/{ref}").text
    client.post(f"/cases/{ref}/accept", data={"csrf_token": token})
    page = client.get(f"/cases/{ref}").text
    today = dt.datetime.now(dt.UTC).strftime("%d %b %Y")
    assert "Why it was here" in page
    assert f"Resolved by {RITA} on {today}: accepted. These reasons are resolved" in page
    assert 'class="reasons big resolved"' in page
    listing = client.get("/cases", params={"state": "complete"}).text
    assert 'class="reasons resolved"' in listing


def test_the_case_page_shows_both_dates_when_they_are_a_day_apart(
        settings: Settings, db: Database) -> None:
    ref = make_case(db)
    with db.transaction() as session:
        session.execute(update(RawMessage).values(
            dated_at=dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC),
            arrived_at=dt.datetime(2026, 3, 5, 7, 0, tzinfo=dt.UTC)))
        session.execute(update(Case).values(opened_at=dt.datetime(2026, 3, 2, 9, 15,
                                                                  tzinfo=dt.UTC)))
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get(f"/cases/{ref}").text
    assert "sent 02 Mar 2026 09:15" in page and "(reached us 05 Mar 2026 07:00)" in page
    assert "<dt>Opened</dt><dd>02 Mar 2026 09:15" in page
    assert "02 Mar 2026 09:15" in client.get("/queue").text


def test_a_contradiction_marks_each_conflicting_statement(settings: Settings,
                                                          db: Database) -> None:
    path = FIXTURES / "review_contradictory_type_label_vs_prose.eml"
    outcome = ingest(db, settings, Incoming(path.read_bytes(), f"file:{path}"))
    assert "contradictory-nomination-type" in [f["rule"] for f in outcome.record["flags"]]
    client = client_for(settings, db)
    sign_in(client, "confidential")
    page = client.get(f"/cases/{outcome.case_reference}").text
    row = page.split("<th scope=\"row\">Nomination type</th>", 1)[1].split("</tr>", 1)[0]
    assert row.count('<mark class="conflict">') == 2
    assert 'href="#src-nomination-type-1"' in row
    assert 'id="src-nomination-type-1"' in page and 'id="src-nomination-type-2"' in page
