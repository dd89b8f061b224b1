"""Test data for the review app: accounts, cases built as rows (with a real raw email), and a
signed-in TestClient. Fictional people; Ofcom drama-range numbers only."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from fastapi.testclient import TestClient

from pss_intake import cases
from pss_intake.config import Settings
from review.app import create_app
from review.users import add_user
from store.db import Database
from store.models import Case, CasePerson, CaseState, RawMessage, RuleResult, Specialist, utcnow

PASSWORD = "correct horse battery staple"
JOB_TITLE = "Head of Patient Safety"
PAY_BAND_RAW = "Band 8b"
PAY_BAND = "8b"
#: Strings a user without the confidential permission must never receive.
FORBIDDEN = (JOB_TITLE, PAY_BAND_RAW, "Patient Safety Lead", "Job title", "Pay band", "job_title",
             "pay_band")

ACCOUNTS = {
    "reviewer": ("rita.reviewer@england.example", "reviewer", False),
    "confidential": ("cora.confidential@england.example", "reviewer", True),
    "admin": ("adam.admin@england.example", "admin", False),
    "admin_confidential": ("ada.admin@england.example", "admin", True),
}

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_settings(url: str) -> Settings:
    return Settings.model_validate({
        "database": {"url": url},
        "review": {"secure_cookies": False, "secret_key": "test-secret-key-0123456789"},
    })


def add_accounts(db: Database) -> None:
    with db.transaction() as session:
        for email, role, confidential in ACCOUNTS.values():
            add_user(session, email, PASSWORD, role=role, confidential=confidential)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def client_for(settings: Settings, db: Database) -> TestClient:
    return TestClient(create_app(settings, db, login_failure_delay=0), follow_redirects=False)


def sign_in(client: TestClient, who: str) -> str:
    """Sign ``who`` (a key of ACCOUNTS) in; returns the session's CSRF token."""
    page = client.get("/login")
    token = csrf_of(page.text)
    response = client.post("/login", data={"email": ACCOUNTS[who][0], "password": PASSWORD,
                                           "csrf_token": token, "next": "/queue"})
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/queue").text)


def nomination_email(
    *, sender: str = "Margaret Osei <margaret.osei@northshire.nhs.uk>",
    subject: str = "Patient Safety Specialist nomination",
    nominee: str = "Priya Shah", nominee_email: str = "priya.shah@northshire.nhs.uk",
    phone: str | None = "07700 900123", html_extra: str = "", attachment: bool = True,
    replacing: str | None = None, message_id: str | None = None,
    date: dt.datetime | None = None,
) -> tuple[bytes, str]:
    """A nomination email (plain + HTML + a .txt attachment) and its Message-ID."""
    message_id = message_id or make_msgid(domain="northshire.nhs.uk")
    lines = [
        "Dear colleagues,",
        "",
        "Organisation: Northshire Hospitals NHS Foundation Trust",
        f"Nominee: {nominee}",
        f"Email: {nominee_email}",
    ]
    if phone:
        lines.append(f"Mobile: {phone}")
    lines += [f"Job title: {JOB_TITLE}", f"Pay band: {PAY_BAND_RAW}", ""]
    if replacing:
        lines.append(f"{nominee} replaces {replacing}, our current Patient Safety Specialist.")
    lines += ["We confirm we considered the Identifying Patient Safety Specialists document.", "",
              "Margaret Osei", "Chief Executive", "Tel 0113 496 0100"]
    text = "\n".join(lines) + "\n"
    html = ("<html><body><p>Dear colleagues,</p><table>"
            f"<tr><td>Nominee</td><td>{nominee}</td></tr>"
            f"<tr><td>Job title</td><td>{JOB_TITLE}</td></tr>"
            f"<tr><td>Pay band</td><td>{PAY_BAND_RAW}</td></tr></table>"
            f"{html_extra}</body></html>")
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "pss.nominations@england.example"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or utcnow())
    msg["Message-ID"] = message_id
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if attachment:
        msg.add_attachment(
            f"Nomination letter\n{nominee}, {JOB_TITLE}, {PAY_BAND_RAW}\n".encode(),
            maintype="text", subtype="plain", filename="nomination-letter.txt")
    return msg.as_bytes(), message_id


def _prov(message_id: str, text: str, source: str = "body") -> dict[str, Any]:
    return {"message_id": message_id, "source": source, "text": text}


def make_case(
    db: Database, *, state: str = CaseState.NEEDS_REVIEW, organisation: str = (
        "Northshire Hospitals NHS Foundation Trust"),
    nominee: str = "Priya Shah", nominee_email: str = "priya.shah@northshire.nhs.uk",
    phone: str | None = "+447700900123", nomination_type: str = "first",
    guidance: bool = True, flags: tuple[tuple[str, str], ...] = (
        ("sender-domain-not-allowed", "The sender writes from an unusual address."),),
    replaced: tuple[str, str, str] | None = None, created_at: dt.datetime | None = None,
    sender: str = "margaret.osei@northshire.nhs.uk", html_extra: str = "",
) -> str:
    """A case as the pipeline would leave it, built from rows; returns its reference."""
    content, message_id = nomination_email(
        nominee=nominee, nominee_email=nominee_email,
        phone="07700 900123" if phone else None, html_extra=html_extra,
        replacing=replaced[0] if replaced else None,
        sender=f"Margaret Osei <{sender}>")
    with db.transaction() as session:
        case = Case(state=state, nomination_type=nomination_type, guidance_confirmed=guidance,
                    organisation=organisation, sender_addr=sender, sender_name="Margaret Osei",
                    provenance={"organisation": _prov(
                        message_id, f"Organisation: {organisation}")})
        if created_at is not None:
            case.created_at = created_at
        session.add(case)
        session.flush()
        case.reference = cases.reference_for(case.id)
        session.add(RawMessage(
            sha256=f"{case.id:064d}", message_id=message_id, source="test", size=len(content),
            content=content, status="processed", classification="nomination",
            action="review", case_id=case.id, subject="Patient Safety Specialist nomination",
            from_addr=sender, date=utcnow(),
            extraction={"message_id": message_id, "classification": "nomination",
                        "nominees": [{"name": nominee, "email": nominee_email, "phone": phone,
                                      "job_title": JOB_TITLE, "pay_band": PAY_BAND,
                                      "pay_band_raw": PAY_BAND_RAW}],
                        "organisation": organisation},
        ))
        person = CasePerson(
            role="nominee", position=0, name=nominee, email=nominee_email, phone=phone,
            job_title=JOB_TITLE, pay_band=PAY_BAND, pay_band_raw=PAY_BAND_RAW,
            provenance={
                "name": _prov(message_id, f"Nominee: {nominee}"),
                "email": _prov(message_id, f"Email: {nominee_email}"),
                **({"phone": _prov(message_id, "Mobile: 07700 900123")} if phone else {}),
                "job_title": _prov(message_id, f"Job title: {JOB_TITLE}"),
                "pay_band": _prov(message_id, f"Pay band: {PAY_BAND_RAW}"),
            })
        case.people.append(person)
        if replaced:
            case.people.append(CasePerson(role="replaced", position=0, name=replaced[0],
                                          email=replaced[1], phone=replaced[2], provenance={}))
        for rule, reason in flags:
            case.rule_results.append(RuleResult(evaluation=1, rule=rule, hit=True, kind="flag",
                                                reason=reason))
        if not phone:
            case.rule_results.append(RuleResult(
                evaluation=1, rule="missing-nominee-phone", hit=True, kind="missing",
                reason=f"No contact number for {nominee}.", missing=["nominees[0].phone"]))
            case.missing = ["nominees[0].phone"]
        case.rule_results.append(RuleResult(evaluation=1, rule="auto-reply", hit=False,
                                            kind="ignore"))
        cases.audit(session, case, "case-created", new_value=state)
        return case.reference


def add_specialist(db: Database, *, name: str, email: str, organisation: str,
                   phone: str = "+447700900456") -> int:
    with db.transaction() as session:
        row = Specialist(organisation=organisation, name=name, email=email, phone=phone,
                         job_title="Patient Safety Lead", pay_band="8a")
        session.add(row)
        session.flush()
        return row.id
