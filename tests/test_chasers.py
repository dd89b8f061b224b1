"""Chasers over a frozen calendar, delivered through a real SMTP server (aiosmtpd).

The request for the missing items is dated Friday 19 December 2025 (its outbox row is moved
there after the pipeline queued it); Christmas Day (Thu 25) and Boxing Day (Fri 26) are bank
holidays in England, so five working days later is Tuesday 30 December 2025 — worked out by
hand from the gov.uk calendar: 22, 23, 24, 29, 30. Fictional people, Ofcom drama numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from pss_intake.chasers import CHASER, REQUEST, run_chasers
from pss_intake.cli import main
from pss_intake.config import Settings
from pss_intake.pipeline import Incoming, ingest
from replies.sender import send_pending
from review import queries
from store.db import Database, open_database
from store.models import AuditEntry, Case, CaseState, OutboxMessage, RawMessage, RuleResult

sys.path.insert(0, str(Path(__file__).parent / "imap"))
from imap_servers import SmtpServer  # noqa: E402

REQUESTED = dt.datetime(2025, 12, 19, 10, 0, tzinfo=dt.UTC)
SENDER = "Tom Reeve <tom.reeve@dunmore.nhs.uk>"

NOMINATION = """Dear team,

I am writing to identify Maya Patel as our first Patient Safety Specialist.

Name: Maya Patel
Email: maya.patel@dunmore.nhs.uk

I confirm that the Identifying Patient Safety Specialists document has been considered.

Kind regards,
Tom Reeve
Chief Nurse, Dunmore Hospitals NHS Trust
"""


def mail(subject: str, body: str, *, message_id: str, sender: str = SENDER,
         extra: str = "") -> bytes:
    head = (f"From: {sender}\r\nTo: pss.nominations@england.example\r\nSubject: {subject}\r\n"
            f"Date: Fri, 19 Dec 2025 09:00:00 +0000\r\nMessage-ID: {message_id}\r\n{extra}"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
    return (head + body.replace("\n", "\r\n")).encode()


@pytest.fixture()
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture()
def world(tmp_path: Path, smtp: SmtpServer) -> Iterator[tuple[Database, Settings]]:
    settings = Settings(smtp=smtp.smtp_settings(),
                        database={"url": f"sqlite:///{tmp_path / 'c.db'}"})
    db = open_database(settings.database.url)
    yield db, settings
    db.dispose()


def requested_case(db: Database, settings: Settings, smtp: SmtpServer) -> tuple[str, str]:
    """A nomination lacking the phone: the request is queued, moved to 19 December 2025 and
    delivered. Returns (case reference, the request's Message-ID)."""
    outcome = ingest(db, settings, Incoming(
        mail("PSS nomination", NOMINATION, message_id="<nom.1@dunmore.nhs.uk>"), "test"))
    assert outcome.state == CaseState.AWAITING_INFORMATION
    assert outcome.record["missing"] == ["nominees[0].phone"]
    with db.transaction() as session:
        session.execute(update(OutboxMessage).values(created_at=REQUESTED))
        session.execute(update(RawMessage).values(received_at=REQUESTED - dt.timedelta(hours=1)))
    assert send_pending(db, settings).sent == 1
    assert smtp.handler.wait_for(1)
    assert outcome.case_reference is not None and outcome.record["reply"] is not None
    return outcome.case_reference, outcome.record["reply"]["message_id"]


def chase(db: Database, settings: Settings, day: dt.date) -> list[dict[str, Any]]:
    return [o.record() for o in run_chasers(db, settings, as_of=day)]


def test_a_bank_holiday_inside_the_interval_is_not_a_working_day(
        world: tuple[Database, Settings], smtp: SmtpServer) -> None:
    db, settings = world
    ref, request_id = requested_case(db, settings, smtp)
    assert chase(db, settings, dt.date(2025, 12, 29)) == [
        {"case": ref, "action": "waiting", "chasers_sent": 0, "next_due": "2025-12-30",
         "why": ""}]
    # Tuesday 30 December + 5: 31, (1 January is a bank holiday), 2, 5, 6, 7.
    assert chase(db, settings, dt.date(2025, 12, 30)) == [
        {"case": ref, "action": "chased", "chasers_sent": 1, "next_due": "2026-01-07",
         "why": ""}]
    assert send_pending(db, settings).sent == 1
    assert smtp.handler.wait_for(2)
    chaser = smtp.handler.messages[1].msg
    assert smtp.handler.messages[1].rcpt_tos == ["tom.reeve@dunmore.nhs.uk"]
    assert " ".join(chaser["Subject"].split()) == (f"[{ref}] Reminder: Patient Safety Specialist nomination – "
                                 "further information required")
    assert chaser["In-Reply-To"] == request_id
    assert chaser["References"].split() == ["<nom.1@dunmore.nhs.uk>", request_id]
    assert chaser["Auto-Submitted"] == "auto-replied"
    body = chaser.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "We wrote to you on 19 December 2025" in body
    assert "- a contact telephone number for the new Patient Safety Specialist, Maya Patel" in body
    # The same day again: nothing more goes (the next chaser is due on 7 January).
    assert chase(db, settings, dt.date(2025, 12, 30))[0]["action"] == "waiting"
    # The overview: one case waiting, last asked on 30 December 2025 (8 days before 7 January).
    with db.transaction() as session:
        stats = queries.overview(session)
        assert queries.waiting_bands(session, dt.datetime(2026, 1, 7, tzinfo=dt.UTC)) == [
            ("Under a week", 0), ("1 to 2 weeks", 1), ("2 to 4 weeks", 0), ("Over 4 weeks", 0)]
    assert (stats.chasers_sent, stats.chased_cases) == (1, 1)


def test_the_chaser_restates_what_is_missing_now_not_the_first_request(
        world: tuple[Database, Settings], smtp: SmtpServer) -> None:
    db, settings = world
    ref, _ = requested_case(db, settings, smtp)
    with db.transaction() as session:
        # Since the request a reviewer added the phone; the email address was removed.
        case = session.execute(select(Case)).scalar_one()
        case.missing = ["nominees[0].email"]
    chase(db, settings, dt.date(2025, 12, 30))
    send_pending(db, settings)
    assert smtp.handler.wait_for(2)
    body = smtp.handler.messages[1].msg.get_body(  # type: ignore[union-attr]
        preferencelist=("plain",)).get_content()
    assert "- an email address for the new Patient Safety Specialist, Maya Patel" in body
    assert "telephone" not in body


def test_an_out_of_office_with_a_return_date_postpones_the_chaser(
        world: tuple[Database, Settings], smtp: SmtpServer) -> None:
    db, settings = world
    ref, request_id = requested_case(db, settings, smtp)
    ooo = mail(f"Automatic reply: [{ref}] Patient Safety Specialist nomination",
               "Thank you for your email. I am out of the office until Monday 5th January 2026 "
               "with no access to email.\n", message_id="<ooo.1@dunmore.nhs.uk>",
               extra=f"Auto-Submitted: auto-replied\r\nIn-Reply-To: {request_id}\r\n")
    outcome = ingest(db, settings, Incoming(ooo, "test"))
    assert outcome.action == "ignore"
    with db.transaction() as session:
        session.execute(update(RawMessage).where(RawMessage.message_id == "<ooo.1@dunmore.nhs.uk>")
                        .values(received_at=REQUESTED + dt.timedelta(minutes=5)))
    # An auto-reply is not an answer, and it postpones the chaser to after 5 January.
    assert chase(db, settings, dt.date(2025, 12, 30))[0] == {
        "case": ref, "action": "waiting", "chasers_sent": 0, "next_due": "2026-01-06", "why": ""}
    assert chase(db, settings, dt.date(2026, 1, 6))[0]["action"] == "chased"
    assert send_pending(db, settings).sent == 1


def test_no_chaser_goes_to_an_address_that_bounced(
        world: tuple[Database, Settings], smtp: SmtpServer) -> None:
    db, settings = world
    ref, request_id = requested_case(db, settings, smtp)
    bounce = (Path(__file__).parent / "samples" / "S07.eml").read_bytes().replace(
        b"<pss-000226.n2@pss.england.example>", request_id.encode()).replace(
        b"mark.ellison@nhs.net", b"tom.reeve@dunmore.nhs.uk")
    assert ingest(db, settings, Incoming(bounce, "test")).state == CaseState.NEEDS_REVIEW
    # The bounce sent the case to a person; not awaiting, so not chased.
    assert chase(db, settings, dt.date(2025, 12, 30)) == []
    with db.transaction() as session:
        # Put back to waiting (as if a reviewer asked again without fixing the address).
        session.execute(update(Case).values(state=CaseState.AWAITING_INFORMATION))
    assert chase(db, settings, dt.date(2025, 12, 30)) == [
        {"case": ref, "action": "escalated", "chasers_sent": 0, "next_due": None,
         "why": "the address we wrote to bounced"}]
    assert send_pending(db, settings).sent == 0
    assert len(smtp.handler.messages) == 1
    with db.transaction() as session:
        assert session.execute(select(Case.state)).scalar_one() == CaseState.NEEDS_REVIEW


def test_after_the_last_chaser_the_case_goes_to_review(
        world: tuple[Database, Settings], smtp: SmtpServer) -> None:
    db, settings = world
    ref, _ = requested_case(db, settings, smtp)
    days = [dt.date(2025, 12, 30), dt.date(2026, 1, 7), dt.date(2026, 1, 14)]
    actions = [chase(db, settings, day)[0] for day in days]
    assert [(a["action"], a["chasers_sent"], a["next_due"]) for a in actions] == [
        ("chased", 1, "2026-01-07"), ("chased", 2, "2026-01-14"), ("escalated", 2, None)]
    assert actions[2]["why"] == "Asked 3 times since 19 December 2025, no answer."
    assert send_pending(db, settings).sent == 2
    assert smtp.handler.wait_for(3)
    assert "This is reminder 2." in smtp.handler.messages[2].msg.get_body(  # type: ignore[union-attr]
        preferencelist=("plain",)).get_content()
    with db.transaction() as session:
        assert session.execute(select(Case.state)).scalar_one() == CaseState.NEEDS_REVIEW
        flag = session.execute(select(RuleResult).where(
            RuleResult.rule == "no-answer-after-chasers", RuleResult.hit)).scalar_one()
        assert flag.reason == "Asked 3 times since 19 December 2025, no answer."
        templates = list(session.execute(
            select(OutboxMessage.template).order_by(OutboxMessage.id)).scalars())
        assert templates == [REQUEST, CHASER, CHASER]
    # Escalated: no longer considered.
    assert chase(db, settings, dt.date(2026, 1, 20)) == []


def test_an_answer_restarts_the_clock(world: tuple[Database, Settings],
                                      smtp: SmtpServer) -> None:
    db, settings = world
    ref, request_id = requested_case(db, settings, smtp)
    answer = mail(f"RE: [{ref}] Patient Safety Specialist nomination",
                  "Thanks, I will find Maya's number and send it shortly.\n",
                  message_id="<ans.1@dunmore.nhs.uk>",
                  extra=f"In-Reply-To: {request_id}\r\n")
    ingest(db, settings, Incoming(answer, "test"))
    with db.transaction() as session:
        session.execute(update(RawMessage).where(RawMessage.message_id == "<ans.1@dunmore.nhs.uk>")
                        .values(received_at=dt.datetime(2025, 12, 23, 12, 0, tzinfo=dt.UTC)))
        session.execute(update(OutboxMessage).where(OutboxMessage.status == "pending")
                        .values(created_at=dt.datetime(2025, 12, 23, 12, 0, tzinfo=dt.UTC)))
        state = session.execute(select(Case.state)).scalar_one()
    assert state == CaseState.AWAITING_INFORMATION
    # Tuesday 23 December + 5 working days: 24, 29, 30, 31, 2 January (25, 26 and 1 January
    # are bank holidays).
    assert chase(db, settings, dt.date(2025, 12, 30))[0]["next_due"] == "2026-01-02"


def test_the_daily_reply_cap_holds_chasers_back(world: tuple[Database, Settings],
                                                smtp: SmtpServer) -> None:
    db, settings = world
    ref, _ = requested_case(db, settings, smtp)
    capped = settings.model_copy(update={"replies": settings.replies.model_copy(
        update={"max_per_case_per_day": 0})})
    assert chase(db, capped, dt.date(2025, 12, 30)) == [
        {"case": ref, "action": "waiting", "chasers_sent": 0, "next_due": "2025-12-31",
         "why": "daily reply cap reached"}]
    with db.transaction() as session:
        assert "reply-suppressed" in list(session.execute(select(AuditEntry.action)).scalars())
        assert session.execute(select(OutboxMessage.template)).scalars().all() == [REQUEST]


def test_chase_command_dry_run_and_json(world: tuple[Database, Settings], smtp: SmtpServer,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    db, settings = world
    ref, _ = requested_case(db, settings, smtp)
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", settings.database.url)
    capsys.readouterr()
    assert main(["chase", "--as-of", "2025-12-30", "--dry-run", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [{"case": ref, "action": "chased", "chasers_sent": 1,
                      "next_due": "2026-01-07", "why": ""}]
    with db.transaction() as session:
        assert session.execute(select(OutboxMessage.template)).scalars().all() == [REQUEST]
    with pytest.raises(SystemExit):
        main(["chase", "--as-of", "30/12/2025"])
