"""The pipeline's case logic on literal mail: storing first, shunting failures, threading,
automatic mail, the register, reply addressing. Fictional people, Ofcom drama numbers."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

import pss_intake.pipeline as pipeline
from ingest.source import Incoming
from pss_intake.config import Settings
from pss_intake.corpus import FreshDatabases
from pss_intake.pipeline import ingest
from store.models import AuditEntry, Case, CaseCorrespondent, OutboxMessage, RawMessage, Specialist

SAMPLES = Path(__file__).resolve().parent / "samples"


def mail(sender: str, subject: str, body: str, *, message_id: str, extra: str = "") -> bytes:
    head = (f"From: {sender}\r\nTo: pss.nominations@england.example\r\nSubject: {subject}\r\n"
            f"Date: Mon, 03 Mar 2025 10:00:00 +0000\r\nMessage-ID: {message_id}\r\n{extra}"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
    return (head + body.replace("\n", "\r\n")).encode()


FIRST = """Dear team,

I am writing to identify Maya Patel as our first Patient Safety Specialist.

Name: Maya Patel
Email: maya.patel@nhs.net
Phone: 07700 900611

I confirm that the Identifying Patient Safety Specialists document has been considered.

Kind regards,
Tom Reeve
Chief Nurse, Dunmore Hospitals NHS Trust
"""

REPLACEMENT = """Dear team,

Maya Patel is leaving the Trust. Her replacement as our Patient Safety Specialist will be
Owen Hart, who will replace her from 1 May.

New PSS: Owen Hart, owen.hart@nhs.net, 07700 900612
Replacing: Maya Patel, maya.patel@nhs.net, 07700 900611

I confirm that the Identifying Patient Safety Specialists document has been considered.

Kind regards,
Tom Reeve
Chief Nurse, Dunmore Hospitals NHS Trust
"""


@pytest.fixture()
def db(databases: FreshDatabases):  # type: ignore[no-untyped-def]
    database = databases.new()
    yield database
    database.dispose()


def count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_processing_failure_keeps_the_message_and_flags_a_case(db, monkeypatch) -> None:
    def broken(parsed):  # type: ignore[no-untyped-def]
        raise RuntimeError("extraction bug")

    monkeypatch.setattr(pipeline, "extract", broken)
    raw = mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", FIRST,
               message_id="<fail.1@dunmore.nhs.uk>")
    outcome = ingest(db, Settings(), Incoming(raw, "test"))
    assert outcome.action == "review"
    assert outcome.state == "needs_review"
    assert outcome.record["flags"] == [{
        "rule": "unparseable-message",
        "reason": "The message could not be processed (RuntimeError)."}]
    with db.transaction() as session:
        stored = session.execute(select(RawMessage)).scalar_one()
        assert stored.content == raw
        assert stored.status == "failed"
    # The same bytes again: nothing new, the stored outcome comes back.
    again = ingest(db, Settings(), Incoming(raw, "test"))
    assert (again.created, again.case_reference) == (False, outcome.case_reference)
    assert count(db, Case) == 1


def test_oversized_message_is_stored_as_headers_and_flagged(db) -> None:
    head = mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", "",
                message_id="<big.1@dunmore.nhs.uk>")
    outcome = ingest(db, Settings(), Incoming(head, "test", oversized_size=50_000_000))
    assert outcome.action == "review"
    assert [f["rule"] for f in outcome.record["flags"]] == ["oversized-message"]
    assert outcome.record["reply"] is None
    with db.transaction() as session:
        stored = session.execute(select(RawMessage)).scalar_one()
        assert (stored.size, stored.status) == (50_000_000, "processed")


def test_reused_message_id_with_other_content_is_not_dropped(db) -> None:
    a = mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", FIRST,
             message_id="<same@dunmore.nhs.uk>")
    b = mail("Ann Lowe <ann.lowe@wendover.nhs.uk>", "PSS nomination",
             FIRST.replace("Maya Patel", "Lena Ford").replace("maya.patel", "lena.ford"),
             message_id="<same@dunmore.nhs.uk>")
    ingest(db, Settings(), Incoming(a, "test"))
    second = ingest(db, Settings(), Incoming(b, "test"))
    assert second.created is True
    assert "message-id-reused" in {f["rule"] for f in second.record["flags"]}
    assert count(db, RawMessage) == 2


def test_case_reference_quoted_by_another_sender_is_not_merged(db) -> None:
    first = ingest(db, Settings(), Incoming(mail(
        "Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", FIRST,
        message_id="<a.1@dunmore.nhs.uk>"), "test"))
    assert first.case_reference == "PSS-000001"
    other = ingest(db, Settings(), Incoming(mail(
        "Ann Lowe <ann.lowe@wendover.nhs.uk>", "RE: [PSS-000001] nomination",
        "Please change the phone to 07700 900699.\n", message_id="<b.1@wendover.nhs.uk>"),
        "test"))
    assert other.case_reference == "PSS-000002"
    assert "unknown-case-reference" in {f["rule"] for f in other.record["flags"]}
    assert other.state == "needs_review"
    with db.transaction() as session:
        case = session.execute(select(Case).where(Case.reference == "PSS-000001")).scalar_one()
        assert [p.phone for p in case.people] == ["+447700900611"]


def test_replacement_accepted_updates_the_register(db) -> None:
    ingest(db, Settings(), Incoming(mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>",
                                         "PSS nomination", FIRST,
                                         message_id="<r.1@dunmore.nhs.uk>"), "test"))
    # A new conversation (the first case is complete, so it is not joined).
    outcome = ingest(db, Settings(), Incoming(mail(
        "Tom Reeve <tom.reeve@dunmore.nhs.uk>", "Change of PSS", REPLACEMENT,
        message_id="<r.2@dunmore.nhs.uk>"), "test"))
    assert outcome.action == "accept", outcome.record
    with db.transaction() as session:
        rows = {s.email: s for s in session.execute(select(Specialist)).scalars()}
        assert rows["maya.patel@nhs.net"].in_post is False
        assert rows["owen.hart@nhs.net"].in_post is True
        assert rows["maya.patel@nhs.net"].replaced_by_id == rows["owen.hart@nhs.net"].id


def test_auto_reply_to_our_request_is_linked_and_changes_nothing(db) -> None:
    first = ingest(db, Settings(), Incoming((SAMPLES / "S03.eml").read_bytes(), "test"))
    reply_id = first.record["reply"]["message_id"]
    ooo = mail("Claire Pemberton <claire.pemberton3@nhs.net>",
               f"Automatic reply: [{first.case_reference}] nomination",
               "I am out of the office. My PA is on 0117 496 0601.\n",
               message_id="<ooo.1@nhs.net>",
               extra=f"In-Reply-To: {reply_id}\r\nAuto-Submitted: auto-replied\r\n")
    outcome = ingest(db, Settings(), Incoming(ooo, "test"))
    assert outcome.action == "ignore"
    assert outcome.case_reference == first.case_reference
    assert outcome.state == "awaiting_information"
    assert count(db, OutboxMessage) == 1


def test_hard_bounce_of_our_reply_flags_the_case(db) -> None:
    first = ingest(db, Settings(), Incoming((SAMPLES / "S03.eml").read_bytes(), "test"))
    reply_id = first.record["reply"]["message_id"]
    bounce = (SAMPLES / "S07.eml").read_bytes().replace(
        b"<pss-000226.n2@pss.england.example>", reply_id.encode())
    outcome = ingest(db, Settings(), Incoming(bounce, "test"))
    assert outcome.action == "ignore"
    assert outcome.case_reference == first.case_reference
    assert outcome.state == "needs_review"
    with db.transaction() as session:
        actions = [a.action for a in session.execute(select(AuditEntry)).scalars()]
        assert "message-linked" in actions


def test_reply_to_display_name_with_comma_has_one_recipient(db) -> None:
    outcome = ingest(db, Settings(), Incoming((SAMPLES / "S02.eml").read_bytes(), "test"))
    with db.transaction() as session:
        # The reply to the sender (the privacy notices to the people named are not replies).
        row = session.execute(select(OutboxMessage).where(
            OutboxMessage.template == "sender:ack:complete")).scalar_one()
    parsed = email.message_from_bytes(row.content, policy=email.policy.default)
    assert [a.addr_spec for a in parsed["To"].addresses] == ["margaret.osei@nhs.net"]
    assert parsed["In-Reply-To"] == (
        "<LO7P265MB28987A16E8CDBD5C@LO7P265MB2898.PROD.OUTLOOK.example>")
    assert parsed["Auto-Submitted"] == "auto-replied"
    assert parsed["Subject"].startswith(f"[{outcome.case_reference}] ")
    assert row.recipients == ["margaret.osei@nhs.net"]


def test_no_reply_sender_gets_no_reply(db) -> None:
    raw = mail("Trust Mailer <no-reply@dunmore.nhs.uk>", "PSS nomination",
               FIRST.replace("Phone: 07700 900611\n", ""), message_id="<nr.1@dunmore.nhs.uk>")
    outcome = ingest(db, Settings(), Incoming(raw, "test"))
    # Nobody can be asked for the phone, so a person chases it (the case must not wait forever).
    assert outcome.action == "review"
    assert outcome.state == "needs_review"
    assert [f["rule"] for f in outcome.record["flags"]] == ["cannot-ask-sender"]
    assert outcome.record["missing"] == ["nominees[0].phone"]
    assert outcome.record["reply"] is None
    assert count(db, OutboxMessage) == 0


def test_stranger_in_the_thread_of_a_completed_case_changes_nothing(db) -> None:
    first = ingest(db, Settings(), Incoming(mail(
        "Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", FIRST,
        message_id="<t.1@dunmore.nhs.uk>"), "test"))
    assert first.state == "complete"
    stranger = ingest(db, Settings(), Incoming(mail(
        "Mallory <mallory@elsewhere.example>", "Re: PSS nomination",
        "Correction: Maya's email address is maya.patel@elsewhere.example and her phone is "
        "07700 900666.\n", message_id="<m.1@elsewhere.example>",
        extra="In-Reply-To: <t.1@dunmore.nhs.uk>\r\n"), "test"))
    assert stranger.case_reference == "PSS-000002"
    assert stranger.state == "needs_review"
    assert stranger.record["reply"] is None
    assert {f["rule"] for f in stranger.record["flags"]} >= {"unknown-case-reference"}
    with db.transaction() as session:
        rows = session.execute(select(Specialist)).scalars().all()
        assert [(r.email, r.phone) for r in rows] == [("maya.patel@nhs.net", "+447700900611")]
    # The acknowledgement and Maya's privacy notice, nothing for the stranger.
    assert count(db, OutboxMessage) == 2


def test_copying_the_executive_in_does_not_let_a_stranger_change_the_case(db) -> None:
    # To and Cc can be typed by anyone: a stranger copying the executive in is still a stranger.
    first = ingest(db, Settings(), Incoming(mail(
        "Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", FIRST,
        message_id="<c.1@dunmore.nhs.uk>"), "test"))
    assert first.state == "complete"
    stranger = ingest(db, Settings(), Incoming(mail(
        "M Grant <m.grant@consult-example.co.uk>", "RE: [PSS-000001] nomination",
        "Maya's phone is now 07700 900999.\n", message_id="<c.2@consult-example.co.uk>",
        extra="Cc: Tom Reeve <tom.reeve@dunmore.nhs.uk>\r\n"
              "In-Reply-To: <c.1@dunmore.nhs.uk>\r\n"), "test"))
    assert stranger.case_reference == "PSS-000002"
    assert stranger.state == "needs_review"
    assert "unknown-case-reference" in {f["rule"] for f in stranger.record["flags"]}
    with db.transaction() as session:
        rows = session.execute(select(Specialist)).scalars().all()
        assert [(r.email, r.phone) for r in rows] == [("maya.patel@nhs.net", "+447700900611")]


def test_a_colleague_on_the_trusts_own_domain_copying_the_executive_joins(db) -> None:
    # The executive's PA answers our request from the trust's own domain, executive in Cc.
    first = ingest(db, Settings(), Incoming(mail(
        "Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination",
        FIRST.replace("Phone: 07700 900611\n", ""), message_id="<d.1@dunmore.nhs.uk>"), "test"))
    assert first.state == "awaiting_information"
    pa = ingest(db, Settings(), Incoming(mail(
        "Jo Pike <jo.pike@dunmore.nhs.uk>", "RE: PSS nomination",
        "Tom asked me to send Maya's number: 07700 900611.\n", message_id="<d.2@dunmore.nhs.uk>",
        extra="Cc: Tom Reeve <tom.reeve@dunmore.nhs.uk>\r\nIn-Reply-To: <d.1@dunmore.nhs.uk>\r\n"),
        "test"))
    assert pa.case_reference == "PSS-000001"
    assert pa.state == "complete"


def test_sharing_nhs_net_with_the_executive_proves_no_colleague(db) -> None:
    first = ingest(db, Settings(), Incoming(mail(
        "Tom Reeve <tom.reeve@nhs.net>", "PSS nomination",
        FIRST.replace("Phone: 07700 900611\n", ""), message_id="<e.1@nhs.net>"), "test"))
    other = ingest(db, Settings(), Incoming(mail(
        "Jo Pike <jo.pike@nhs.net>", "RE: PSS nomination", "Maya's number: 07700 900611.\n",
        message_id="<e.2@nhs.net>",
        extra="Cc: Tom Reeve <tom.reeve@nhs.net>\r\nIn-Reply-To: <e.1@nhs.net>\r\n"), "test"))
    assert first.case_reference == "PSS-000001"
    assert other.case_reference == "PSS-000002"
    assert other.state == "needs_review"


def test_replies_per_case_are_capped(db) -> None:
    settings = Settings(replies={"max_per_case_per_day": 1})
    base = FIRST.replace("Phone: 07700 900611\n", "")
    ingest(db, settings, Incoming(mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination",
                                       base, message_id="<c.1@dunmore.nhs.uk>"), "test"))
    second = ingest(db, settings, Incoming(mail(
        "Tom Reeve <tom.reeve@dunmore.nhs.uk>", "RE: PSS nomination",
        "I will send the phone number tomorrow.\n", message_id="<c.2@dunmore.nhs.uk>",
        extra="In-Reply-To: <c.1@dunmore.nhs.uk>\r\n"), "test"))
    assert second.case_reference == "PSS-000001"
    assert second.action == "request_missing"
    assert second.record["reply"] is None
    assert count(db, OutboxMessage) == 1


def test_a_date_that_cannot_be_stored_does_not_stop_the_nomination(db) -> None:
    raw = mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", FIRST,
               message_id="<d.1@dunmore.nhs.uk>").replace(
        b"Date: Mon, 03 Mar 2025 10:00:00 +0000", b"Date: Fri, 31 Dec 9999 23:59:59 -1200")
    outcome = ingest(db, Settings(), Incoming(raw, "test"))
    assert outcome.action == "accept"
    assert outcome.record["nominees"][0]["name"] == "Maya Patel"


def test_a_message_over_the_limit_from_a_file_is_stored_whole_and_flagged(db) -> None:
    raw = mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", FIRST,
               message_id="<o.1@dunmore.nhs.uk>")
    outcome = ingest(db, Settings(intake={"max_message_bytes": 200}), Incoming(raw, "file"))
    assert outcome.action == "review"
    assert [f["rule"] for f in outcome.record["flags"]] == ["oversized-message"]
    with db.transaction() as session:
        stored = session.execute(select(RawMessage)).scalar_one()
        assert (stored.content, stored.oversized) == (raw, True)


def _interrupted(db, raw: bytes, runs: int) -> int:
    """Store ``raw`` as if ``runs`` earlier runs had started processing it and been killed
    before their transaction committed (so nothing but the status and count remains)."""
    raw_id, _created, _ = pipeline.store_raw(db, Incoming(raw, "test"))
    with db.transaction() as session:
        row = session.get(RawMessage, raw_id)
        row.status, row.attempts = "processing", runs
    return raw_id


def test_a_run_killed_while_processing_is_run_again_with_its_reply(db) -> None:
    raw = mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", FIRST,
               message_id="<k.1@dunmore.nhs.uk>")
    raw_id = _interrupted(db, raw, runs=1)
    outcome = ingest(db, Settings(), Incoming(raw, "test"))
    assert (outcome.action, outcome.record["flags"]) == ("accept", [])
    assert outcome.record["reply"]["to"] == "tom.reeve@dunmore.nhs.uk"
    again = ingest(db, Settings(), Incoming(raw, "test"))
    assert (again.created, again.case_reference) == (False, outcome.case_reference)
    with db.transaction() as session:
        stored = session.get(RawMessage, raw_id)
        assert (stored.status, stored.attempts, stored.content) == ("processed", 2, raw)
        assert session.execute(select(func.count()).select_from(Case)).scalar_one() == 1
        # One reply (and the nominee's privacy notice, which is not a reply).
        assert session.execute(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template.not_like("privacy-notice:%"))).scalar_one() == 1


def test_a_message_whose_runs_never_finish_is_flagged_with_its_sender_and_subject(db) -> None:
    raw = mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", FIRST,
               message_id="<k.2@dunmore.nhs.uk>")
    # intake.max_processing_attempts (5) runs started, none finished: not a sixth.
    raw_id = _interrupted(db, raw, runs=5)
    outcome = ingest(db, Settings(), Incoming(raw, "test"))
    assert outcome.action == "review"
    assert outcome.record["flags"] == [{
        "rule": "unparseable-message",
        "reason": "The message could not be processed (interrupted 5 times)."}]
    assert (outcome.record["missing"], outcome.record["reply"]) == ([], None)
    with db.transaction() as session:
        stored = session.get(RawMessage, raw_id)
        assert (stored.status, stored.attempts, stored.content) == ("failed", 5, raw)
        assert (stored.from_addr, stored.subject) == ("tom.reeve@dunmore.nhs.uk", "PSS nomination")
        case = session.get(Case, stored.case_id)
        assert (case.sender_addr, case.sender_name) == ("tom.reeve@dunmore.nhs.uk", "Tom Reeve")
        assert session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == 0


def test_a_nomination_after_a_long_preamble_is_still_read(db) -> None:
    # 45,000 characters of prose before the details (past an earlier, smaller reading limit).
    preamble = "The trust has reviewed its patient safety arrangements this year. " * 700
    raw = mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", preamble + "\n" + FIRST,
               message_id="<long.1@dunmore.nhs.uk>")
    outcome = ingest(db, Settings(), Incoming(raw, "test"))
    assert outcome.record["nominees"][0]["email"] == "maya.patel@nhs.net"
    assert outcome.action == "accept"


def test_an_interim_executive_on_a_consultancys_domain_goes_to_review(db) -> None:
    # Complete in every detail, but from a domain that is neither NHS nor the trust's own.
    body = FIRST.replace("Tom Reeve\nChief Nurse", "Tom Reeve\nInterim Chief Nurse")
    outcome = ingest(db, Settings(), Incoming(mail(
        "Tom Reeve <tom.reeve@harbourline-interim.co.uk>", "PSS nomination", body,
        message_id="<i.1@harbourline-interim.co.uk>"), "test"))
    assert outcome.action == "review"
    assert [f["rule"] for f in outcome.record["flags"]] == ["sender-domain-not-allowed"]
    assert count(db, Specialist) == 0


# --- Correspondents and who may speak for a case ----------------------------------------------

PA_FIRST = FIRST.replace("Kind regards,\nTom Reeve", "Kind regards,\nJo Pike, PA to Tom Reeve")


def our_reply_id(db, reference: str) -> str:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        return session.execute(
            select(OutboxMessage.message_id).join(Case, Case.id == OutboxMessage.case_id)
            .where(Case.reference == reference).order_by(OutboxMessage.id.desc()).limit(1)
        ).scalar_one()


def test_the_executive_copied_on_the_pas_nomination_may_answer_our_request(db) -> None:
    # The PA opens the case on nhs.net with the executive in Cc; we ask the PA for the phone;
    # the executive answers (forwarded our request) without copying the PA: a correspondent.
    first = ingest(db, Settings(), Incoming(mail(
        "Jo Pike <jo.pike@nhs.net>", "PSS nomination",
        PA_FIRST.replace("Phone: 07700 900611\n", ""), message_id="<f.1@nhs.net>",
        extra="Cc: Tom Reeve <tom.reeve@nhs.net>\r\n"), "test"))
    assert first.state == "awaiting_information"
    executive = ingest(db, Settings(), Incoming(mail(
        "Tom Reeve <tom.reeve@nhs.net>", "RE: [PSS-000001] PSS nomination",
        "Maya's number is 07700 900611.\n", message_id="<f.2@nhs.net>",
        extra=f"In-Reply-To: {our_reply_id(db, 'PSS-000001')}\r\n"), "test"))
    assert executive.case_reference == "PSS-000001"
    assert executive.state == "complete"
    with db.transaction() as session:
        rows = session.execute(select(CaseCorrespondent).order_by(CaseCorrespondent.id)
                               ).scalars().all()
        assert [(r.addr, r.source) for r in rows] == [
            ("jo.pike@nhs.net", "from"), ("tom.reeve@nhs.net", "cc")]


def test_a_pa_on_nhs_net_naming_our_reply_and_copying_the_executive_joins(db) -> None:
    first = ingest(db, Settings(), Incoming(mail(
        "Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination",
        FIRST.replace("Phone: 07700 900611\n", ""), message_id="<g.1@dunmore.nhs.uk>"), "test"))
    assert first.state == "awaiting_information"
    ours = our_reply_id(db, "PSS-000001")
    pa = ingest(db, Settings(), Incoming(mail(
        "Jo Pike <jo.pike@nhs.net>", "RE: [PSS-000001] PSS nomination",
        "Tom asked me to send Maya's number: 07700 900611.\n", message_id="<g.2@nhs.net>",
        extra=f"Cc: Tom Reeve <tom.reeve@dunmore.nhs.uk>\r\nIn-Reply-To: {ours}\r\n"
              f"References: <g.1@dunmore.nhs.uk> {ours}\r\n"), "test"))
    assert pa.case_reference == "PSS-000001"
    assert pa.state == "complete"


@pytest.mark.parametrize("extra", [
    # Names our reply but copies nobody on the case: whom does she answer for?
    "In-Reply-To: {ours}\r\n",
    # Copies the executive but names only the message we received: no secret of ours.
    "Cc: Tom Reeve <tom.reeve@dunmore.nhs.uk>\r\nIn-Reply-To: <h.1@dunmore.nhs.uk>\r\n",
])
def test_on_a_shared_domain_both_our_message_id_and_the_copy_are_needed(db, extra) -> None:
    ingest(db, Settings(), Incoming(mail(
        "Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination",
        FIRST.replace("Phone: 07700 900611\n", ""), message_id="<h.1@dunmore.nhs.uk>"), "test"))
    other = ingest(db, Settings(), Incoming(mail(
        "Jo Pike <jo.pike@nhs.net>", "RE: PSS nomination", "Maya's number: 07700 900611.\n",
        message_id="<h.2@nhs.net>", extra=extra.format(ours=our_reply_id(db, "PSS-000001"))),
        "test"))
    assert other.case_reference == "PSS-000002"
    assert other.state == "needs_review"
    assert "unknown-case-reference" in {f["rule"] for f in other.record["flags"]}


def test_a_colleague_on_the_trusts_own_domain_joins_without_copying_anyone(db) -> None:
    ingest(db, Settings(), Incoming(mail(
        "Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination",
        FIRST.replace("Phone: 07700 900611\n", ""), message_id="<k.1@dunmore.nhs.uk>"), "test"))
    colleague = ingest(db, Settings(), Incoming(mail(
        "Jo Pike <jo.pike@dunmore.nhs.uk>", "RE: [PSS-000001] PSS nomination",
        "Maya's number is 07700 900611.\n", message_id="<k.2@dunmore.nhs.uk>"), "test"))
    assert colleague.case_reference == "PSS-000001"
    assert colleague.state == "complete"


# --- Corrections, a surname alone, conflicts ----------------------------------------------------

DELYTH = """Dear team,

I am pleased to nominate Mrs Delyth Morgan-Ash as our first Patient Safety Specialist.

Name: Delyth Morgan-Ash
Email: delyth.morgan-ash@nhs.net
Mobile: 07700 900521

I confirm that the Identifying Patient Safety Specialists document has been considered.

Kind regards,
Rhodri Bevan
Chief Nurse, Llanfair Vale NHS Trust
"""
RHODRI = "Rhodri Bevan <rhodri.bevan@llanfairvale.nhs.uk>"


def follow_up(db, body: str, n: int = 2):  # type: ignore[no-untyped-def]
    first = ingest(db, Settings(), Incoming(mail(
        RHODRI, "PSS nomination", DELYTH, message_id="<lv.1@llanfairvale.nhs.uk>"), "test"))
    assert first.state == "complete"
    return ingest(db, Settings(), Incoming(mail(
        RHODRI, "RE: PSS nomination", body, message_id=f"<lv.{n}@llanfairvale.nhs.uk>",
        extra="In-Reply-To: <lv.1@llanfairvale.nhs.uk>\r\n"), "test"))


def test_a_correction_above_an_unmarked_quote_wins_and_the_old_value_is_audited(db) -> None:
    # The quote below "On … wrote:" has no ">" and still shows the old number.
    outcome = follow_up(db, "Hi\n\nsorry, her mobile is actually 07700 900527\n\n"
                            f"On Mon, 3 Mar 2025 at 10:00, {RHODRI} wrote:\n{DELYTH}")
    assert outcome.action == "accept"
    assert [p["phone"] for p in outcome.record["nominees"]] == ["+447700900527"]
    with db.transaction() as session:
        changed = session.execute(select(AuditEntry).where(
            AuditEntry.action == "field-changed", AuditEntry.raw_message_id == 2)).scalars().all()
        assert [(a.field, a.old_value, a.new_value) for a in changed] == [
            ("nominees[0].phone", "+447700900521", "+447700900527")]
        assert session.execute(select(Specialist.phone)).scalar_one() == "+447700900527"


def test_a_correction_that_changes_nothing_goes_to_a_person(db) -> None:
    # It says it corrects her mobile but gives the number the case already holds, so no value
    # changes: the case must not stay accepted as if the sender's correction had been applied.
    quote = ("\n\n________________________________\nFrom: " + RHODRI + "\nSent: 03 March 2025 "
             "10:00\nTo: PSS Nominations <pss.nominations@england.example>\nSubject: PSS "
             "nomination\n\n" + DELYTH)
    outcome = follow_up(db, "Hello,\n\nSorry, her mobile is actually 07700 900521 - I mistyped "
                            "it below.\n\nRhodri" + quote)
    assert outcome.action == "review"
    assert outcome.state == "needs_review"
    assert [f["rule"] for f in outcome.record["flags"]] == ["correction-not-applied"]


def test_a_surname_alone_is_the_nominee_already_on_the_case(db) -> None:
    # Not a second nominee called "Morgan-Ash": the one on the case, her number corrected.
    outcome = follow_up(db, "Hello,\n\nSorry, Ms Morgan-Ash's mobile is actually "
                            "07700 900527.\n\nRhodri\n")
    assert outcome.action == "accept"
    assert [(p["name"], p["phone"]) for p in outcome.record["nominees"]] == [
        ("Delyth Morgan-Ash", "+447700900527")]


def test_another_number_without_a_correction_goes_to_a_person_with_both(db) -> None:
    outcome = follow_up(db, "Hello,\n\nMorgan-Ash would also like her landline recorded: "
                            "0113 496 0527.\n\nRhodri\n")
    assert outcome.state == "needs_review"
    assert [f["rule"] for f in outcome.record["flags"]] == ["ambiguous-reading"]
    with db.transaction() as session:
        stored = session.get(RawMessage, 2)
        assert stored is not None and stored.extraction is not None
        assert [(a["field"], a["candidates"]) for a in stored.extraction["ambiguities"]] == [
            ("nominees[0].phone", ["+447700900521", "+441134960527"])]
        # The register keeps the accepted number until a person decides.
        assert session.execute(select(Specialist.phone)).scalar_one() == "+447700900521"


# NUL (U+0000) in text: PostgreSQL's text types refuse it, so every database stores U+FFFD in
# its place (store/db.py); the raw bytes keep the NUL.

def test_a_nul_in_the_message_id_is_stored_and_read(db) -> None:
    raw = mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>", "PSS nomination", FIRST,
               message_id="<n\x00ul.1@dunmore.nhs.uk>")
    outcome = ingest(db, Settings(), Incoming(raw, "test"))
    assert (outcome.action, outcome.message_id) == ("accept", "<n\ufffdul.1@dunmore.nhs.uk>")
    again = ingest(db, Settings(), Incoming(raw, "test"))
    assert (again.created, again.raw_message_id) == (False, outcome.raw_message_id)
    with db.transaction() as session:
        stored = session.execute(select(RawMessage)).scalar_one()
        assert (stored.content, stored.message_id) == (raw, "<n\ufffdul.1@dunmore.nhs.uk>")
        [reply] = session.execute(select(OutboxMessage).where(
            OutboxMessage.template == "sender:ack:complete")).scalars().all()
        # A NUL may not go out in a header (RFC 5322): no In-Reply-To; the Subject threads.
        sent = email.message_from_bytes(reply.content, policy=email.policy.default)
        assert (sent["In-Reply-To"], sent["References"]) == (None, None)
        assert b"\x00" not in reply.content and "[PSS-" in sent["Subject"]


@pytest.mark.parametrize(("subject", "stored_subject"), [
    ("PSS\x00 nomination", "PSS\ufffd nomination"),
    ("=?utf-8?Q?PSS=00_nomination?=", "PSS\ufffd nomination"),
])
def test_a_nul_in_the_subject_raw_or_encoded_does_not_stop_processing(
        db, subject: str, stored_subject: str) -> None:
    raw = mail("Tom Reeve <tom.reeve@dunmore.nhs.uk>", subject, FIRST,
               message_id="<nul.2@dunmore.nhs.uk>")
    outcome = ingest(db, Settings(), Incoming(raw, "test"))
    assert (outcome.action, outcome.record["flags"]) == ("accept", [])
    with db.transaction() as session:
        stored = session.execute(select(RawMessage)).scalar_one()
        assert (stored.status, stored.subject, stored.content) == (
            "processed", stored_subject, raw)
        assert stored.extraction["message_id"] == "<nul.2@dunmore.nhs.uk>"


def test_a_complete_nomination_from_a_non_ascii_address_goes_to_review(db) -> None:
    # A non-ASCII local part needs SMTPUTF8 (RFC 6531), which we do not send: no reply can go.
    raw = mail("=?utf-8?q?Jos=C3=A9_Garc=C3=ADa?= <josé.garcía@dunmore.nhs.uk>",
               "PSS nomination", FIRST, message_id="<utf8.1@dunmore.nhs.uk>")
    outcome = ingest(db, Settings(), Incoming(raw, "test"))
    assert (outcome.action, outcome.state, outcome.record["reply"]) == (
        "review", "needs_review", None)
    assert [f["rule"] for f in outcome.record["flags"]] == ["cannot-acknowledge-sender"]
    assert outcome.record["nominees"][0]["name"] == "Maya Patel"
    with db.transaction() as session:
        assert session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == 0
        case = session.execute(select(Case)).scalar_one()
        assert case.sender_addr == "josé.garcía@dunmore.nhs.uk"
