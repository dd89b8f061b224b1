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
    assert response.status_code == 403
    assert "Chief Nurse" not in client.get(f"/cases/{busy['flagged']}").text


def test_the_csv_export_has_no_confidential_columns_without_the_permission(
        settings: Settings, db: Database, busy: dict[str, Any]) -> None:
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    text = client.get("/register.csv?former=1").content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header == ["organisation", "name", "email", "phone", "in_post", "started_on",
                      "ended_on", "replaced", "replaced_on", "case"]
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
