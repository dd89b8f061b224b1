"""Job title and pay band: only users with the confidential permission ever receive them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from review_factories import (
    ACCOUNTS,
    FORBIDDEN,
    JOB_TITLE,
    PAY_BAND_RAW,
    add_specialist,
    client_for,
    csrf_of,
    make_case,
    sign_in,
)
from sqlalchemy import select

from pss_intake.config import Settings
from review import actions
from review.auth import Reviewer
from store.db import Database
from store.models import RawMessage, User

ORG = "Northshire Hospitals NHS Foundation Trust"


def _reviewer(db: Database, who: str) -> Reviewer:
    with db.transaction() as session:
        user = session.execute(select(User).where(User.email == ACCOUNTS[who][0])).scalar_one()
        return Reviewer.of(user)


@pytest.fixture
def busy(settings: Settings, db: Database) -> dict[str, Any]:
    """A database where confidential values are everywhere: on cases, in emails and
    attachments, in the register (in post and former), in the audit log (a confidential user
    corrected a title and a band), in a merged case and a replacement."""
    old = add_specialist(db, name="Sarah Whitfield", email="sarah.whitfield2@nhs.net",
                         organisation=ORG)
    flagged = make_case(db)
    replacement = make_case(db, nominee="Daniel Okonkwo", nominee_email="daniel.okonkwo@nhs.net",
                            nomination_type="replacement",
                            replaced=("Sarah Whitfield", "sarah.whitfield2@nhs.net",
                                      "+447700900418"))
    merged = make_case(db, nominee="Zoe Hartley-Brown", nominee_email="zoe.hb@nhs.net")
    target = make_case(db, nominee="Zoe Hartley-Brown", nominee_email="zoe.hb@nhs.net",
                       phone=None)
    confidential = _reviewer(db, "confidential")
    with db.transaction() as session:
        case = actions.find_case(session, flagged)
        actions.edit_field(session, settings, case, confidential, "nominees[0].job_title",
                           "Head of Patient Safety and Learning", "Title corrected by trust")
        actions.edit_field(session, settings, case, confidential, "nominees[0].pay_band",
                           "Band 8c", "Band corrected by trust")
    with db.transaction() as session:
        actions.accept(session, settings, actions.find_case(session, replacement), confidential)
    with db.transaction() as session:
        actions.merge_into(session, settings, actions.find_case(session, merged), confidential,
                           target, "Same nomination sent twice")
    with db.transaction() as session:
        raw_id = session.execute(select(RawMessage.id).limit(1)).scalar_one()
    return {"flagged": flagged, "replacement": replacement, "merged": merged,
            "target": target, "raw_id": raw_id, "old": old}


def _all_pages(refs: dict[str, Any]) -> list[str]:
    pages = ["/queue", "/register", "/register?former=1", "/register.csv",
             "/register.csv?former=1", "/overview", "/audit",
             f"/audit?case={refs['flagged']}", "/queue?rule=sender-domain-not-allowed",
             f"/queue?organisation={ORG}"]
    pages += [f"/cases?state={s}" for s in ("needs_review", "complete", "merged")]
    pages += [f"/cases/{refs[k]}" for k in ("flagged", "replacement", "merged", "target")]
    return pages


FORBIDDEN_ALL = (*FORBIDDEN, "Head of Patient Safety and Learning", "Band 8c", "Band 8C",
                 ">8b<", ">8c<", ">8a<", ",8b,", ",8c,", ",8a,")


@pytest.mark.parametrize("who", ["reviewer", "admin"])
def test_without_the_permission_no_title_or_band_anywhere(settings: Settings, db: Database,
                                                          busy: dict[str, Any], who: str) -> None:
    client = client_for(settings, db)
    sign_in(client, who)
    for path in _all_pages(busy):
        response = client.get(path)
        assert response.status_code in (200, 403), (path, response.status_code)
        body = response.text
        leaks = [word for word in FORBIDDEN_ALL if word.lower() in body.lower()]
        assert leaks == [], f"{path} leaks {leaks}"
    # The original attachment cannot be masked: it is not served to them at all.
    response = client.get(f"/cases/{busy['flagged']}/messages/{busy['raw_id']}/attachments/4")
    assert response.status_code == 403
    assert JOB_TITLE not in response.text
    # The email itself is shown (they need it to work), with the values masked.
    case_page = client.get(f"/cases/{busy['flagged']}").text
    assert "Dear colleagues" in case_page and "Priya Shah" in case_page
    assert "Text of the attachment" in case_page
    # They cannot set those fields either.
    token = csrf_of(case_page)
    response = client.post(f"/cases/{busy['flagged']}/edit", data={
        "field": "nominees[0].job_title", "value": "Chief Nurse", "reason": "x",
        "csrf_token": token})
    # Refused like any other error (back to the case, the reason shown there).
    assert response.status_code == 303
    assert "permission" in client.get(f"/cases/{busy['flagged']}").text
    assert "Chief Nurse" not in client.get(f"/cases/{busy['flagged']}").text


def test_the_csv_export_has_no_confidential_columns_without_the_permission(
        settings: Settings, db: Database, busy: dict[str, Any]) -> None:
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    text = client.get("/register.csv?former=1").content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header == ["organisation", "name", "email", "phone", "in_post", "started_on",
                      "ended_on", "replaced", "replaced_on", "case", "ods_code", "replaced_by",
                      "replaced_by_case", "source"]
    assert "Daniel Okonkwo" in text and "Sarah Whitfield" in text


def test_with_the_permission_titles_and_bands_are_shown(settings: Settings, db: Database,
                                                        busy: dict[str, Any]) -> None:
    client = client_for(settings, db)
    sign_in(client, "admin_confidential")
    case_page = client.get(f"/cases/{busy['flagged']}").text
    assert "Head of Patient Safety and Learning" in case_page
    assert "8c (written: Band 8c)" in case_page
    assert f"Job title: {JOB_TITLE}" in case_page  # the email, unmasked
    assert PAY_BAND_RAW in case_page
    register = client.get("/register").text
    assert "Job title" in register and "Pay band" in register and JOB_TITLE in register
    csv_text = client.get("/register.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("organisation,name,email,phone,job_title,pay_band")
    assert JOB_TITLE in csv_text and ",8b," in csv_text
    audit = client.get(f"/audit?case={busy['flagged']}").text
    assert "Head of Patient Safety and Learning" in audit and "nominees[0].job_title" in audit
    link = re.search(r'href="(/cases/[^"]+/attachments/\d+)"', case_page)
    assert link is not None
    download = client.get(link.group(1))
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["content-type"] == "application/octet-stream"
    assert JOB_TITLE.encode() in download.content


# --- B6: free text beside the email (reasons, file names, display names, the HTML) ---------------

ATTACHMENT_REASON = ("The details were read only from an attachment "
                     "(Associate Director of Patient Safety - Band 8d.docx)")
KIM = "Kim Lee (Head of Risk, Band 8a)"
SPLIT_HTML = ("<table><tr><td>Band:</td><td>8c</td></tr></table><p><b>Deputy</b> "
              "Director&nbsp;of&nbsp;Quality, currently on <i>AfC</i> band&nbsp;8c and "
              "previously Band&#160;7</p>")
PROSE = ("Priya's band is 8c not 8b, and her job title is Associate Director of Safety")


def test_reasons_file_names_and_display_names_are_masked(settings: Settings,
                                                         db: Database) -> None:
    ref = make_case(db, flags=(("details-from-attachment-only", ATTACHMENT_REASON),))
    with db.transaction() as session:
        actions.find_case(session, ref).sender_name = KIM
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    for path in ("/queue", "/cases?state=needs_review", f"/cases/{ref}"):
        body = client.get(path).text
        assert "The details were read only from an attachment" in body, path
        for leak in ("Associate Director", "Band 8d", "8d.docx", "Head of Risk", "Band 8a"):
            assert leak not in body, (path, leak)
    case_page = client.get(f"/cases/{ref}").text
    assert "<dt>Sent by</dt><dd>Kim Lee (…, …) &lt;margaret.osei@northshire.nhs.uk&gt;" in case_page
    # A colleague with the permission sees them as they are.
    client = client_for(settings, db)
    sign_in(client, "confidential")
    assert "Associate Director of Patient Safety - Band 8d.docx" in client.get("/queue").text
    assert KIM in client.get(f"/cases/{ref}").text


def test_file_names_in_the_audit_log_are_masked(settings: Settings, db: Database) -> None:
    from pss_intake import cases

    ref = make_case(db)
    with db.transaction() as session:
        cases.audit(session, actions.find_case(session, ref), "attachment-downloaded",
                    actor=ACCOUNTS["confidential"][0],
                    new_value="Associate Director of Patient Safety - Band 8d.docx",
                    reason=KIM)
    client = client_for(settings, db)
    sign_in(client, "admin")
    for path in ("/audit", f"/cases/{ref}"):
        body = client.get(path).text
        assert "attachment-downloaded" in body or "attachment downloaded" in body, path
        for leak in ("Associate Director", "Band 8d", "Head of Risk", "Band 8a"):
            assert leak not in body, (path, leak)
    client = client_for(settings, db)
    sign_in(client, "admin_confidential")
    assert "Associate Director of Patient Safety - Band 8d.docx" in client.get("/audit").text


def test_the_formatted_email_is_not_sent_without_the_permission(settings: Settings,
                                                                db: Database) -> None:
    ref = make_case(db, html_extra=SPLIT_HTML)
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get(f"/cases/{ref}").text
    assert "<iframe" not in page and "srcdoc" not in page
    assert "Formatted view hidden: it may contain confidential details" in page
    # The random CSRF token can hold "8c" by chance (it did once in about a hundred runs).
    page = page.replace(csrf_of(page), "TOKEN")
    for leak in ("8c", "Deputy", "Director&amp;nbsp;of", "Quality", "&#160;7"):
        assert leak not in page, leak
    client = client_for(settings, db)
    sign_in(client, "confidential")
    page = client.get(f"/cases/{ref}").text
    assert '<iframe class="mailhtml"' in page and "Formatted view hidden" not in page


def test_bands_and_titles_said_in_prose_are_masked() -> None:
    from review.confidential import Masker

    masker = Masker(["Associate Director of Safety", "Band 8c"])
    masked = masker.text(PROSE)
    for leak in ("8c", "8b", "Associate Director", "job title"):
        assert leak not in masked, leak
    assert masked.startswith("Priya's ")
    # Without the case knowing the title, "title is ..." still hides it.
    assert "Associate Director" not in Masker().text(PROSE)
    assert Masker().text("Her grade was 7 from 3 May") == "Her … from 3 May"
    assert Masker().label(ATTACHMENT_REASON) == (
        "The details were read only from an attachment (… - ….docx)")
    assert Masker().label(KIM) == "Kim Lee (…, …)"
    # The PSS designation is not a job title; phone numbers and dates are not bands.
    kept = "Priya Shah as our Patient Safety Specialist, mobile 07700 900123, from 1 June 2025"
    assert Masker().label(kept) == kept
    assert Masker(active=False).label(KIM) == KIM
