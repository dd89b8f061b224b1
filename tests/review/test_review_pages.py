"""The queue, the case page's email view, the overview and the audit log page."""

from __future__ import annotations

import datetime as dt
import re

from review_factories import ACCOUNTS, client_for, make_case, sign_in
from sqlalchemy import select

from pss_intake.config import Settings
from review import actions, queries
from review.auth import Reviewer
from review.mail import sanitise_html, view_message
from store.db import Database
from store.models import Case, CaseState, RawMessage, RuleResult, User, utcnow


def _reviewer(db: Database, who: str = "reviewer") -> Reviewer:
    with db.transaction() as session:
        return Reviewer.of(session.execute(
            select(User).where(User.email == ACCOUNTS[who][0])).scalar_one())


def test_queue_oldest_first_with_every_reason_and_filters(settings: Settings,
                                                          db: Database) -> None:
    now = utcnow()
    newer = make_case(db, created_at=now - dt.timedelta(hours=3),
                      organisation="Southmoor Community Health NHS Trust")
    oldest = make_case(db, created_at=now - dt.timedelta(days=6), phone=None, flags=(
        ("sender-domain-not-allowed", "The sender writes from gmail.com."),
        ("possible-duplicate-nomination", "The nominee's email address also appears in "
                                          "PSS-000009."),
    ))
    make_case(db, state=CaseState.COMPLETE)
    with db.transaction() as session:
        # An older evaluation's reasons are not shown: only the latest counts.
        case = session.execute(select(Case).where(Case.reference == newer)).scalar_one()
        case.rule_results.append(RuleResult(evaluation=0, rule="withdrawal", hit=True,
                                            kind="flag", reason="Old news."))
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get("/queue").text
    refs = re.findall(r'<th scope="row"><a href="/cases/(PSS-\d+)">', page)
    assert refs == [oldest, newer]
    row = page.split(f'href="/cases/{oldest}"')[1].split("</tr>")[0]
    # Every reason, in words (rule description + reason), not just the first.
    assert "The nomination comes from a free webmail or personal address" in row
    assert "The sender writes from gmail.com." in row
    assert "The nominee already appears in another case or in the register." in row
    assert "No contact number for Priya Shah." in row
    assert "6 days ago" in row
    assert "Old news." not in page
    # Counts by state.
    assert re.search(r"Needs review</a> <span class=\"count\">2</span>", page)
    assert re.search(r"Complete</a> <span class=\"count\">1</span>", page)
    # Filters.
    by_rule = client.get("/queue?rule=possible-duplicate-nomination").text
    assert re.findall(r'<th scope="row"><a href="/cases/(PSS-\d+)">', by_rule) == [oldest]
    by_org = client.get("/queue", params={"organisation": "Southmoor Community Health NHS Trust"})
    assert re.findall(r'<th scope="row"><a href="/cases/(PSS-\d+)">', by_org.text) == [newer]
    assert "No cases need review with these filters" in client.get(
        "/queue?rule=withdrawal").text
    # Other states are listed too, and a reference can be opened directly.
    assert "PSS-000003" in client.get("/cases?state=complete").text
    assert client.get("/cases?reference=3").headers["location"] == "/cases/PSS-000003"
    assert client.get("/cases/PSS-999999").status_code == 404


def test_case_page_shows_the_email_safely_with_sources_marked(settings: Settings,
                                                              db: Database) -> None:
    hostile = ('<script>alert(1)</script><img src="https://tracker.example/p.gif">'
               '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">click</a>')
    ref = make_case(db, html_extra=hostile)
    client = client_for(settings, db)
    # The formatted (HTML) version is shown only to colleagues with the confidential
    # permission (it cannot be masked reliably; see test_review_confidential).
    sign_in(client, "confidential")
    response = client.get(f"/cases/{ref}")
    page = response.text
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert "script-src 'none'" in response.headers["content-security-policy"]
    # Headers and text of the email.
    assert "<dt>From</dt><dd>Margaret Osei &lt;margaret.osei@northshire.nhs.uk&gt;</dd>" in page
    assert "<dt>Subject</dt><dd>Patient Safety Specialist nomination</dd>" in page
    # The provenance text is marked in the email, and next to the field.
    assert re.search(r'<mark id="src-nominees-0-email"[^>]*>Email: priya.shah@', page)
    assert '<a href="#src-nominees-0-email">see in email</a>' in page
    assert "<q>Nominee: <mark>Priya Shah</mark></q>" in page
    # The HTML is sanitised and sandboxed; nothing active or remote is left in it.
    iframe = re.search(r'<iframe class="mailhtml" sandbox="" [^>]*srcdoc="([^"]*)"', page)
    assert iframe is not None
    srcdoc = iframe.group(1)
    for bad in ("script", "onerror", "javascript:", "tracker.example", "src=x", "href"):
        assert bad not in srcdoc.lower()
    assert "<script" not in page.lower()
    # The attachment is listed.
    assert "nomination-letter.txt" in page


def test_sanitiser_keeps_text_and_inline_images_only() -> None:
    cleaned = sanitise_html(
        '<p style="color:red" onclick="x()">Hi <b>there</b></p>'
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="logo">'
        '<img src="/queue"><img src="cid:image001"><a href="https://x.example">x</a>'
        '<form action="/logout"><button>b</button></form><iframe src="/"></iframe>'
        '<math><mi xlink:href="javascript:alert(1)">m</mi></math>')
    assert cleaned.startswith("<p>Hi <b>there</b></p>")
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in cleaned
    assert cleaned.count("src=") == 1
    for bad in ("style", "onclick", "/queue", "cid:", "href", "form", "iframe", "javascript"):
        assert bad not in cleaned


def test_mail_view_lists_attachments_by_mime_position() -> None:
    from review_factories import nomination_email

    content, _ = nomination_email()
    view = view_message(content)
    assert [(a.index, a.filename, a.content_type) for a in view.attachments] == [
        (4, "nomination-letter.txt", "text/plain")]
    assert view.text.startswith("Dear colleagues,")
    assert view.html is not None and "<table>" in view.html


def test_overview_numbers_and_chart(settings: Settings, db: Database) -> None:
    rita = _reviewer(db)
    touched, untouched, _open = make_case(db), make_case(db), make_case(db)
    with db.transaction() as session:
        actions.accept(session, settings, actions.find_case(session, touched), rita)
        case = actions.find_case(session, untouched)
        from pss_intake import cases

        # Completed by the pipeline, nobody touched it.
        cases.complete_case(session, case)
    with db.transaction() as session:
        for ref, days in ((touched, 4.0), (untouched, 2.0)):
            case = actions.find_case(session, ref)
            case.completed_at = case.messages[0].received_at + dt.timedelta(days=days)
    with db.transaction() as session:
        stats = queries.overview(session)
    assert stats.complete == 2 and stats.total == 3
    assert stats.median_days is not None and abs(stats.median_days - 3.0) < 0.01
    assert stats.untouched == 1 and stats.untouched_share == 0.5
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get("/overview").text
    assert "<dd>3.0</dd>" in page
    assert "50% (1 of 2)" in page
    assert '<svg class="chart"' in page and page.count("<rect ") == len(CaseState.ALL)
    assert "Needs review: 1." in page and "Complete: 2." in page


def test_audit_log_filters_by_case_and_user(settings: Settings, db: Database) -> None:
    first, second = make_case(db), make_case(db)
    with db.transaction() as session:
        actions.reject(session, settings, actions.find_case(session, first),
                       _reviewer(db, "reviewer"), "duplicate")
        actions.reject(session, settings, actions.find_case(session, second),
                       _reviewer(db, "confidential"), "withdrawn")
    client = client_for(settings, db)
    sign_in(client, "admin")
    by_case = client.get(f"/audit?case={first}").text
    assert "duplicate" in by_case and "withdrawn" not in by_case
    by_user = client.get("/audit", params={"user": ACCOUNTS["confidential"][0]}).text
    assert "withdrawn" in by_user and "duplicate" not in by_user
    everything = client.get("/audit").text
    assert "duplicate" in everything and "withdrawn" in everything
    assert "case-viewed" not in client.get(f"/audit?case={first}").text
    client.get(f"/cases/{first}")
    assert "case-viewed" in client.get(f"/audit?case={first}").text


def test_audit_log_refuses_a_page_id_out_of_range(settings: Settings, db: Database) -> None:
    make_case(db)
    client = client_for(settings, db)
    sign_in(client, "admin")
    for before in ("99999999999999999999999999", "-1", "abc", "1e9", "١٢"):
        response = client.get("/audit", params={"before": before})
        assert response.status_code == 400, (before, response.status_code)
        assert "not valid" in response.text and "<html" in response.text.lower()
    assert client.get("/audit?before=999999999999999999").status_code == 200
    assert "case-created" in client.get("/audit?before=999999").text
    assert "case-created" not in client.get("/audit?before=1").text
    assert client.get("/audit?before=").status_code == 200


def test_a_file_sent_for_a_text_field_gets_the_error_page(settings: Settings,
                                                          db: Database) -> None:
    ref = make_case(db)
    client = client_for(settings, db)
    token = sign_in(client, "reviewer")
    response = client.post(f"/cases/{ref}/edit",
                           data={"csrf_token": token, "field": "nominees[0].name",
                                 "reason": "r"},
                           files={"value": ("name.txt", b"Priya Patel", "text/plain")})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "could not be understood" in response.text and "<html" in response.text.lower()
    assert '"detail"' not in response.text and "Priya Patel" not in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    with db.transaction() as session:
        assert actions.find_case(session, ref).people[0].name == "Priya Shah"
    # A query value of the wrong kind is refused the same way.
    response = client.get("/register?former=maybe")
    assert response.status_code == 400 and "could not be understood" in response.text


def test_csv_cells_cannot_become_formulas(settings: Settings, db: Database) -> None:
    ref = make_case(db, nominee="=HYPERLINK(\"http://x.example\")")
    with db.transaction() as session:
        actions.accept(session, settings, actions.find_case(session, ref), _reviewer(db))
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    text = client.get("/register.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",+447700900123," in text  # a phone number stays a number


def test_attachment_download_only_for_the_case_and_a_real_part(settings: Settings,
                                                              db: Database) -> None:
    a, b = make_case(db), make_case(db)
    with db.transaction() as session:
        raw_b = session.execute(select(RawMessage.id).join(Case).where(
            Case.reference == b)).scalar_one()
    client = client_for(settings, db)
    sign_in(client, "confidential")
    assert client.get(f"/cases/{a}/messages/{raw_b}/attachments/4").status_code == 404
    assert client.get(f"/cases/{b}/messages/{raw_b}/attachments/2").status_code == 404
    ok = client.get(f"/cases/{b}/messages/{raw_b}/attachments/4")
    assert ok.status_code == 200
    assert ok.content.startswith(b"Nomination letter")
    assert ok.headers["content-security-policy"] == "default-src 'none'; sandbox"


def test_case_page_lists_every_correspondent(settings: Settings, db: Database) -> None:
    from pss_intake.pipeline import Incoming, ingest

    # A PA nominates for her executive, who is copied in; both may speak for the case.
    body = ("Dear team,\r\n\r\nOn behalf of Dr Osian Prys, Chief Nurse, I nominate Eira Vaughan "
            "(eira.vaughan@nhs.net, 07700 900744) as our first Patient Safety Specialist.\r\n\r\n"
            "Kind regards,\r\nMali Rhys, PA to the Chief Nurse, Brynteg Hospitals NHS Trust\r\n")
    outcome = ingest(db, settings, Incoming((
        "From: Mali Rhys <mali.rhys@nhs.net>\r\nTo: pss.nominations@england.example\r\n"
        "Cc: \"Prys, Osian\" <osian.prys@nhs.net>\r\nReply-To: Mali Rhys <mali.rhys@nhs.net>\r\n"
        "Subject: PSS nomination\r\nMessage-ID: <b.1@nhs.net>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode(), "test"))
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get(f"/cases/{outcome.case_reference}").text
    listed = re.search(r"<dt>Correspondents</dt><dd>(.*?)</dd>", page, re.S)
    assert listed is not None
    items = re.findall(r"<li>(.*?)</li>", listed.group(1))
    assert items == [
        'Mali Rhys &lt;mali.rhys@nhs.net&gt; <span class="rule">(sender)</span>',
        'Prys, Osian &lt;osian.prys@nhs.net&gt; <span class="rule">(copied in)</span>',
    ]


def test_case_page_shows_an_ambiguous_readings_candidates_side_by_side(settings: Settings,
                                                                       db: Database) -> None:
    ref = make_case(db, flags=(("ambiguous-reading", "Could not decide: nominees[0].phone."),))
    with db.transaction() as session:
        case = session.execute(select(Case).where(Case.reference == ref)).scalar_one()
        [raw] = case.messages
        raw.extraction = {**(raw.extraction or {}), "ambiguities": [{
            "field": "nominees[0].phone", "candidates": ["+441134960201", "+441134960202"],
            "evidence": ["Priya can be reached on 0113 496 0201.",
                         "Priya's telephone number is 0113 496 0202."],
            "reason": "two numbers for one person"}]}
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get(f"/cases/{ref}").text
    table = page.split('<table class="ambiguity">', 1)[1].split("</table>", 1)[0]
    assert "Could not decide <code>nominees[0].phone</code>: two numbers for one person" in table
    assert ('<td class="value">+441134960201</td><td class="value">+441134960202</td>'
            in table)
    assert "<q>Priya&#39;s telephone number is 0113 496 0202.</q>" in table
    assert "Could not decide: nominees[0].phone." in page


def test_case_page_shows_a_follow_ups_conflicting_number_beside_the_old(settings: Settings,
                                                                       db: Database) -> None:
    from pss_intake.pipeline import Incoming, ingest

    def mail(body: str, n: int, extra: str = "") -> bytes:
        return (f"From: Alun Prys <alun.prys@caerwent.nhs.uk>\r\nTo: pss.nominations@england"
                f".example\r\nSubject: PSS nomination\r\nMessage-ID: <cw.{n}@caerwent.nhs.uk>\r\n"
                f"{extra}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}").encode()

    ingest(db, settings, Incoming(mail(
        "Dear team,\r\n\r\nI nominate Nia Caradog as our first Patient Safety Specialist.\r\n"
        "\r\nName: Nia Caradog\r\nEmail: nia.caradog@nhs.net\r\nMobile: 07700 900561\r\n\r\n"
        "I confirm that the Identifying Patient Safety Specialists document has been "
        "considered.\r\n\r\nKind regards,\r\nAlun Prys\r\nChief Nurse, Caerwent NHS Trust\r\n",
        1), "test"))
    outcome = ingest(db, settings, Incoming(mail(
        "Hello,\r\n\r\nNia's number is 0113 496 0561.\r\n\r\nAlun\r\n", 2,
        "In-Reply-To: <cw.1@caerwent.nhs.uk>\r\n"), "test"))
    assert outcome.state == "needs_review"
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get(f"/cases/{outcome.case_reference}").text
    table = re.search(r'<table class="ambiguity">(.*?)</table>', page, re.S)
    assert table is not None
    assert "<code>nominees[0].phone</code>" in table.group(1)
    assert re.findall(r'<td class="value">(.*?)</td>', table.group(1)) == [
        "+447700900561", "+441134960561"]
