"""The review app in real Chromium: a reviewer's morning (search, claim the oldest case, fix
it, accept, land on the next), and hostile email HTML stays inert (no script runs, no request
leaves)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from review_factories import ACCOUNTS, PASSWORD, add_specialist, make_case
from sqlalchemy import select

from pss_intake.pipeline import Incoming, ingest
from store.models import Case, OutboxMessage, Specialist, utcnow

pytestmark = pytest.mark.browser

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def sign_in(page: Any, served: Any, who: str = "confidential") -> None:
    page.goto(served.base_url + "/queue")
    # Not signed in: the app sends us to the sign-in page first.
    assert "/login" in page.url
    page.get_by_label("Email address").fill(ACCOUNTS[who][0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/queue$"))


def test_a_reviewers_morning(page: Any, served: Any) -> None:
    """Search a person, claim the oldest case, fix it, accept it, land on the next one."""
    # S08: a replacement whose details are only in the attached letter -> flagged for review.
    outcome = ingest(served.db, served.settings,
                     Incoming(content=(SAMPLES / "S08.eml").read_bytes(), source="test"))
    assert outcome.state == "needs_review"
    oldest = outcome.case_reference
    with served.db.transaction() as session:
        case = session.execute(select(Case).where(Case.reference == oldest)).scalar_one()
        case.created_at = utcnow() - dt.timedelta(days=4)
        organisation = case.organisation
    # The person being replaced is in the register already.
    add_specialist(served.db, name="Joan Tulloch", email="joan.tulloch@nhs.net",
                   organisation=organisation or "NHS Westerby and Tamsworth Integrated Care Board")
    # A newer flagged case, so "oldest first" is visible.
    newer = make_case(served.db, nominee="Tobias Feld", nominee_email="tobias.feld@nhs.net",
                      organisation="Southmoor Community Health NHS Trust")

    sign_in(page, served)

    # The queue: oldest first, with every reason in words.
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 2
    first = rows.nth(0)
    assert first.locator("th a").inner_text() == oldest
    assert rows.nth(1).locator("th a").inner_text() == newer
    assert "read only from an attachment" in first.inner_text()

    # Search a person from the box at the top of the page: the nominee of the oldest case.
    page.get_by_label("Search cases").fill("chidi eze")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r".*/cases\?q=chidi\+eze$"))
    found = page.locator("table.queue tbody tr")
    assert found.count() == 1
    assert "Needs review" in found.nth(0).inner_text()
    found.nth(0).locator("th a").click()

    # The case page says why it was flagged and shows where each value came from.
    page.wait_for_url(re.compile(rf".*/cases/{oldest}$"))
    why = page.locator("section[aria-labelledby=why-h]")
    assert "The details were read only from an attachment" in why.inner_text()
    assert "attachment-only" in why.inner_text()
    assert page.locator("table.fields mark").count() > 0

    # Claim it: the queue shows it as ours.
    page.get_by_role("button", name="Assign to me").click()
    page.wait_for_url(re.compile(rf".*/cases/{oldest}$"))
    assert "You are handling this case" in page.locator("section.claim").inner_text()

    # Fix a field: the nominee's phone number, with a reason.
    row = page.locator("table.fields tr", has=page.locator("th", has_text="contact number")).first
    row.locator("summary").click()
    row.get_by_label("New value").fill("020 7946 0818")
    row.get_by_label("Reason").fill("Confirmed by phone with the ICB")
    row.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf".*/cases/{oldest}$"))
    assert "Saved" in page.locator("p.notice.ok").inner_text()
    assert "020 7946 0818" in page.locator("table.fields").inner_text()

    # Accept it: we land on the next case in the queue, told what was done.
    page.get_by_role("button", name=f"Accept {oldest}").click()
    page.wait_for_url(re.compile(rf".*/cases/{newer}$"))
    notice = page.locator("p.notice.ok").inner_text()
    assert "acknowledgement queued" in notice, notice
    assert f"Next in the queue: {newer}." in notice
    assert page.get_by_role("link", name="Skip to the next case").count() == 1

    # The decided case: complete, its reasons resolved, the reply in its history.
    page.goto(f"{served.base_url}/cases/{oldest}")
    assert page.locator("h1 .state").inner_text() == "Complete"
    assert "Resolved by cora.confidential@england.example" in why.inner_text()
    history = page.locator("table.history").inner_text()
    assert "Reply queued" in history
    assert "Confirmed by phone with the ICB" in history
    with served.db.transaction() as session:
        replies = session.execute(select(OutboxMessage)).scalars().all()
        # The acknowledgement, then the privacy notices to Chidi Eze and Joan Tulloch.
        assert [r.template for r in replies] == ["sender:ack:complete", "privacy-notice:nominee",
                                                 "privacy-notice:replaced"]
        joan = session.execute(
            select(Specialist).where(Specialist.email == "joan.tulloch@nhs.net")).scalar_one()
        assert joan.in_post is False
        assert session.execute(select(Case.claimed_by).where(Case.reference == oldest)
                               ).scalar_one() is None

    # The register: the new specialist is in post and shows whom they replaced.
    page.get_by_role("link", name="Register").click()
    page.wait_for_url(re.compile(r".*/register$"))
    register = page.locator("main").inner_text()
    assert "Chidi Eze" in register
    assert "Joan Tulloch" in register  # in the "Replaced" column
    assert "020 7946 0818" in register


HOSTILE_HTML = """<html><head>
<meta http-equiv="refresh" content="0;url={beacon}/refresh">
<link rel="stylesheet" href="{beacon}/style.css">
<style>@import url({beacon}/import.css); body {{ background: url({beacon}/bg.png); }}</style>
<script>document.title = "pwned"; window.pwned = 1; fetch("{beacon}/fetch");</script>
</head><body onload="window.pwned = 2">
<p>Dear colleagues, please find our nomination below.</p>
<img src="{beacon}/beacon" alt="logo">
<img src="x"
 onerror="window.pwned = 3; document.title = 'pwned'; new Image().src = '{beacon}/onerror'">
<a id="jslink" href="javascript:window.pwned = 4; document.title = 'pwned'">Open the form</a>
<a href="{beacon}/link">Our website</a>
<svg onload="window.pwned = 5"><script>window.pwned = 6</script></svg>
<iframe src="{beacon}/frame"></iframe>
<object data="{beacon}/object"></object>
<div style="background-image: url({beacon}/div.png)">Styled</div>
<form action="{beacon}/form" method="post"><button id="formbutton">Send</button></form>
<p>Kind regards, Margaret</p>
</body></html>"""


def test_hostile_email_html_is_inert(page: Any, served: Any, beacon: Any) -> None:
    html = HOSTILE_HTML.format(beacon=beacon.url)
    ref = make_case(served.db, html_extra="", flags=(("not-a-nomination", "Odd message."),))
    with served.db.transaction() as session:
        case = session.execute(select(Case).where(Case.reference == ref)).scalar_one()
        raw = case.messages[0]
        raw.content = (
            "From: Margaret Osei <margaret.osei@northshire.nhs.uk>\r\n"
            "To: pss.nominations@england.example\r\n"
            "Subject: Nomination <script>document.title='pwned'</script>\r\n"
            "Message-ID: <hostile-1@northshire.nhs.uk>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
        ).encode()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    sign_in(page, served)
    page.goto(f"{served.base_url}/cases/{ref}")
    title = page.title()
    assert title.startswith(ref)
    # The script is not run, and its text shows as text (the subject header, escaped).
    assert "<script>document.title='pwned'</script>" in page.locator("dl.headers").inner_text()
    # Show the formatted version (the sandboxed iframe) and try the links and handlers.
    page.locator("summary", has_text="Formatted version").click()
    frame = page.frame_locator("iframe.mailhtml")
    assert "please find our nomination" in frame.locator("body").inner_text()
    assert frame.locator("script").count() == 0
    assert frame.locator("[onerror], [onload], [onclick]").count() == 0
    frame.locator("a", has_text="Open the form").click()
    frame.locator("a", has_text="Our website").click()
    page.wait_for_timeout(800)

    assert page.title() == title
    assert page.evaluate("window.pwned") is None
    for child in page.frames:
        assert child.evaluate("typeof window.pwned") == "undefined"
    assert dialogs == []
    # No request left the app: nothing to the beacon server, nothing to any other origin.
    foreign = [u for u in requests if not u.startswith(served.base_url)
               and not u.startswith(("data:", "about:"))]
    assert foreign == []
    assert beacon.hits == []
