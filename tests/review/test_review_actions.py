"""Every reviewer action: its state, its audit entries (who, what, old/new, reason), its reply
in the outbox and its effect on the register; through the routes and called directly."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from review_factories import ACCOUNTS, add_specialist, client_for, csrf_of, make_case, sign_in
from sqlalchemy import select
from sqlalchemy.orm import Session

from pss_intake import cases
from pss_intake.config import Settings
from pss_intake.pipeline import Incoming, ingest
from review import actions
from review.auth import Reviewer
from store.db import Database
from store.models import (
    AuditEntry,
    Case,
    CaseState,
    OutboxMessage,
    RawMessage,
    Specialist,
    User,
)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
RITA = ACCOUNTS["reviewer"][0]
CORA = ACCOUNTS["confidential"][0]


def reviewer(db: Database, who: str = "reviewer") -> Reviewer:
    with db.transaction() as session:
        return Reviewer.of(session.execute(
            select(User).where(User.email == ACCOUNTS[who][0])).scalar_one())


def load(session: Session, ref: str) -> Case:
    return session.execute(select(Case).where(Case.reference == ref)).scalar_one()


def audit_of(db: Database, ref: str, action: str | None = None) -> list[AuditEntry]:
    with db.transaction() as session:
        query = (select(AuditEntry).join(Case, Case.id == AuditEntry.case_id)
                 .where(Case.reference == ref).order_by(AuditEntry.id))
        if action:
            query = query.where(AuditEntry.action == action)
        return list(session.execute(query).scalars())


def post(client, path: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/queue").text)
    return client.post(path, data={**data, "csrf_token": token})


# -- edit ------------------------------------------------------------------------------------


def test_edit_a_field_through_the_page(settings: Settings, db: Database) -> None:
    ref = make_case(db, phone=None)
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    response = post(client, f"/cases/{ref}/edit", {"field": "nominees[0].phone",
                                                   "value": "07700 900461 ext. 12",
                                                   "reason": "Phoned the trust"})
    assert response.status_code == 303 and response.headers["location"] == f"/cases/{ref}"
    page = client.get(f"/cases/{ref}").text
    assert "Saved New specialist 1: contact number." in page
    assert "07700 900461 ext. 12" in page
    assert "Entered by a reviewer" in page
    with db.transaction() as session:
        case = load(session, ref)
        person = case.people[0]
        assert (person.phone, person.phone_extension) == ("+447700900461", "12")
        assert person.provenance["phone"]["source"] == "reviewer"
        assert case.touched_by_person is True
        # The rules ran again: the phone is no longer missing.
        latest = cases.latest_results(case)
        assert not any(r.hit for r in latest if r.rule == "missing-nominee-phone")
        assert case.missing == []
        assert case.state == CaseState.NEEDS_REVIEW
    changes = audit_of(db, ref, "field-changed")
    assert [(e.field, e.old_value, e.new_value, e.actor, e.reason) for e in changes] == [
        ("nominees[0].phone", None, "+447700900461", RITA, "Phoned the trust"),
        ("nominees[0].phone_extension", None, "12", RITA, "Phoned the trust"),
    ]
    # The history on the page shows the change with old and new values.
    assert "<ins>+447700900461</ins>" in page


def test_editing_a_complete_case_updates_the_register_and_csv(settings: Settings,
                                                               db: Database) -> None:
    ref = make_case(db)
    with db.transaction() as session:
        actions.accept(session, settings, load(session, ref), reviewer(db))
    client = client_for(settings, db)
    sign_in(client, "confidential")
    assert 'name="field" value="nominees[0].name"' in client.get(f"/cases/{ref}").text
    for field, value in (("nominees[0].name", "Priya Patel"),
                         ("nominees[0].email", "Priya.Patel@Northshire.nhs.uk"),
                         ("nominees[0].job_title", "Deputy Head of Patient Safety"),
                         ("organisation", "Northshire Health NHS Trust")):
        response = post(client, f"/cases/{ref}/edit",
                        {"field": field, "value": value, "reason": "Trust corrected it"})
        assert response.status_code == 303
    page = client.get(f"/cases/{ref}").text
    assert "the register is updated" in page
    with db.transaction() as session:
        rows = session.execute(select(Specialist)).scalars().all()
        assert [(r.name, r.email, r.job_title, r.organisation) for r in rows] == [
            ("Priya Patel", "priya.patel@northshire.nhs.uk", "Deputy Head of Patient Safety",
             "Northshire Health NHS Trust")]
        assert load(session, ref).state == CaseState.COMPLETE
    register = client.get("/register").text
    assert "Priya Patel" in register and "Priya Shah" not in register
    csv_text = client.get("/register.csv").content.decode("utf-8-sig")
    assert "Priya Patel,priya.patel@northshire.nhs.uk" in csv_text
    assert "Priya Shah" not in csv_text and "Deputy Head of Patient Safety" in csv_text
    corrected = audit_of(db, ref, "register-corrected")
    assert [(e.field.rsplit(".", 1)[-1], e.old_value, e.new_value, e.actor)
            for e in corrected] == [
        ("name", "Priya Shah", "Priya Patel", CORA),
        ("email", "priya.shah@northshire.nhs.uk", "priya.patel@northshire.nhs.uk", CORA),
        ("job_title", "Head of Patient Safety", "Deputy Head of Patient Safety", CORA),
    ]


@pytest.mark.parametrize(("field", "value", "reason", "message"), [
    ("nominees[0].email", "not an address", "r", "not an email address"),
    ("nominees[0].phone", "call me", "r", "not a phone number"),
    ("nominees[0].name", "Priya Shah", "r", "unchanged"),
    ("nominees[0].name", "Priya Patel", "", "Give a reason"),
    ("nominees[3].name", "Someone", "r", "one at a time"),
    ("sender_addr", "x@y.example", "r", "Choose a field"),
    ("nomination_type", "fourth", "r", "first, replacement or additional"),
])
def test_bad_edits_change_nothing(settings: Settings, db: Database, field: str, value: str,
                                  reason: str, message: str) -> None:
    ref = make_case(db)
    with db.transaction() as session, pytest.raises(actions.ActionError, match=message):
        actions.edit_field(session, settings, load(session, ref), reviewer(db), field, value,
                           reason)
    assert audit_of(db, ref, "field-changed") == []
    # Through the page the error is shown and the case is unchanged.
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    post(client, f"/cases/{ref}/edit", {"field": field, "value": value, "reason": reason})
    assert 'class="notice error"' in client.get(f"/cases/{ref}").text


@pytest.mark.parametrize("value", [
    "Priya\x00Shah", "Priya\x07Shah", "Priya\x1bShah", "Priya\x7fShah", "Priya\x85Shah",
    "Priya \u202eharS", "Priya \u202dShah", "\u2066Priya Shah\u2069", "Priya \u2067Shah",
    "Priya \u2068Shah", "Priya\u200fShah",
])
@pytest.mark.parametrize("field", ["nominees[0].name", "organisation", "nominees[0].email"])
def test_control_and_bidi_characters_are_refused(settings: Settings, db: Database, field: str,
                                                 value: str) -> None:
    ref = make_case(db)
    with db.transaction() as session, pytest.raises(actions.ActionError,
                                                    match="type it again without it"):
        actions.edit_field(session, settings, load(session, ref), reviewer(db), field, value,
                           "r")
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    post(client, f"/cases/{ref}/edit", {"field": field, "value": value, "reason": "r"})
    page = client.get(f"/cases/{ref}").text
    assert 'class="notice error"' in page and "type it again without it" in page
    assert audit_of(db, ref, "field-changed") == []
    with db.transaction() as session:
        case = load(session, ref)
        assert case.people[0].name == "Priya Shah"
        assert case.organisation == "Northshire Hospitals NHS Foundation Trust"


def test_control_characters_in_a_reason_are_refused(settings: Settings, db: Database) -> None:
    ref = make_case(db)
    with db.transaction() as session, pytest.raises(actions.ActionError, match="reason"):
        actions.edit_field(session, settings, load(session, ref), reviewer(db),
                           "nominees[0].name", "Priya Patel", "fixed\u202e")
    with db.transaction() as session:
        # Ordinary spacing in a value is still fine.
        actions.edit_field(session, settings, load(session, ref), reviewer(db),
                           "nominees[0].name", "Priya\tPatel\n", "fixed")
        assert load(session, ref).people[0].name == "Priya Patel"


def test_edit_case_fields_and_add_a_person(settings: Settings, db: Database) -> None:
    ref = make_case(db)
    rita = reviewer(db)
    with db.transaction() as session:
        case = load(session, ref)
        actions.edit_field(session, settings, case, rita, "nomination_type", "replacement",
                           "letter says so")
        actions.edit_field(session, settings, case, rita, "replaced[0].name", "Joan Tulloch",
                           "letter says so")
        actions.edit_field(session, settings, case, rita, "guidance_confirmed", "no",
                           "not stated")
        actions.edit_field(session, settings, case, rita, "nominees[0].email",
                           " P.Shah@Northshire.NHS.uk ", "case")
    with db.transaction() as session:
        case = load(session, ref)
        reading = cases.load_reading(case)
        assert reading.nomination_type == "replacement"
        assert [p.name for p in reading.replaced] == ["Joan Tulloch"]
        assert reading.guidance_confirmed is False
        missing = set(case.missing)
        assert {"guidance_confirmation", "replaced[0].email", "replaced[0].phone"} <= missing
    fields = [(e.field, e.old_value, e.new_value) for e in audit_of(db, ref, "field-changed")]
    assert ("nomination_type", "first", "replacement") in fields
    assert ("replaced[0].name", None, "Joan Tulloch") in fields
    assert ("guidance_confirmed", "true", "false") in fields
    assert ("nominees[0].email", "priya.shah@northshire.nhs.uk", "p.shah@northshire.nhs.uk"
            ) in fields
    assert all(e.actor == RITA for e in audit_of(db, ref, "field-changed"))


def test_confidential_edit_normalises_the_band(settings: Settings, db: Database) -> None:
    ref = make_case(db)
    with db.transaction() as session:
        actions.edit_field(session, settings, load(session, ref), reviewer(db, "confidential"),
                           "nominees[0].pay_band", "AfC band 8C", "trust corrected it")
    with db.transaction() as session:
        person = load(session, ref).people[0]
        assert (person.pay_band, person.pay_band_raw) == ("8c", "AfC band 8C")
    with db.transaction() as session, pytest.raises(actions.NotAllowed):
        actions.edit_field(session, settings, load(session, ref), reviewer(db),
                           "nominees[0].job_title", "Chief Nurse", "r")


# -- accept ----------------------------------------------------------------------------------


def test_accept_completes_queues_the_acknowledgement_and_updates_the_register(
        settings: Settings, db: Database) -> None:
    ref = make_case(db)
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    response = post(client, f"/cases/{ref}/accept", {"reason": "Sender domain checked"})
    assert response.status_code == 303
    page = client.get(f"/cases/{ref}").text
    assert "the register is updated and the acknowledgement queued" in page
    assert "Reply queued" in page
    with db.transaction() as session:
        case = load(session, ref)
        assert case.state == CaseState.COMPLETE and case.completed_at is not None
        assert case.touched_by_person is True
        replies = session.execute(select(OutboxMessage).where(
            OutboxMessage.case_id == case.id)).scalars().all()
        # The acknowledgement to the sender, and the privacy notice to the nominee.
        assert [(r.template, r.recipients, r.status) for r in replies] == [
            ("sender:ack:complete", ["margaret.osei@northshire.nhs.uk"], "pending"),
            ("privacy-notice:nominee", ["priya.shah@northshire.nhs.uk"], "pending")]
        assert ref in replies[0].subject
        specialists = session.execute(select(Specialist)).scalars().all()
        assert [(s.name, s.email, s.in_post, s.case_id) for s in specialists] == [
            ("Priya Shah", "priya.shah@northshire.nhs.uk", True, case.id)]
    accepted = audit_of(db, ref, "review-accepted")
    assert [(e.actor, e.reason) for e in accepted] == [(RITA, "Sender domain checked")]
    states = audit_of(db, ref, "state-changed")
    assert (states[-1].old_value, states[-1].new_value, states[-1].actor) == (
        "needs_review", "complete", RITA)
    assert [e.actor for e in audit_of(db, ref, "reply-queued")] == [RITA]
    assert "Priya Shah" in client.get("/register").text
    # A complete case cannot be accepted twice.
    post(client, f"/cases/{ref}/accept", {})
    assert "cannot be accepted" in client.get(f"/cases/{ref}").text


def test_accept_refuses_while_required_items_are_missing(settings: Settings,
                                                        db: Database) -> None:
    ref = make_case(db, phone=None)
    with db.transaction() as session, pytest.raises(actions.ActionError,
                                                    match="still missing.*contact number"):
        actions.accept(session, settings, load(session, ref), reviewer(db))
    with db.transaction() as session:
        assert load(session, ref).state == CaseState.NEEDS_REVIEW
        assert session.execute(select(OutboxMessage)).first() is None


def test_an_accepted_replacement_ends_the_replaced_specialist(settings: Settings,
                                                             db: Database) -> None:
    org = "Northshire Hospitals NHS Foundation Trust"
    old_id = add_specialist(db, name="Sarah Whitfield", email="sarah.whitfield2@nhs.net",
                            organisation=org)
    ref = make_case(db, nominee="Daniel Okonkwo", nominee_email="daniel.okonkwo@nhs.net",
                    nomination_type="replacement",
                    replaced=("Sarah Whitfield", "sarah.whitfield2@nhs.net", "+447700900418"))
    with db.transaction() as session:
        actions.accept(session, settings, load(session, ref), reviewer(db))
    with db.transaction() as session:
        old = session.get(Specialist, old_id)
        assert old is not None and old.in_post is False and old.ended_at is not None
        new = session.get(Specialist, old.replaced_by_id)
        assert new is not None and new.name == "Daniel Okonkwo" and new.in_post
    replaced = audit_of(db, ref, "register-replaced")
    assert [(e.field, e.new_value, e.actor) for e in replaced] == [
        (f"specialist[{old_id}].in_post", "false", RITA)]
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    register = client.get("/register").text
    assert "Daniel Okonkwo" in register and "Sarah Whitfield (left" in register
    former = client.get("/register?former=1").text
    assert "replaced by Daniel Okonkwo" in former
    csv_text = client.get("/register.csv?former=1").content.decode("utf-8-sig")
    assert "Sarah Whitfield" in csv_text.splitlines()[1] + csv_text.splitlines()[2]


def test_accepting_again_after_a_correction_does_not_duplicate_the_register(
        settings: Settings, db: Database) -> None:
    ref = make_case(db)
    rita = reviewer(db)
    with db.transaction() as session:
        actions.accept(session, settings, load(session, ref), rita)
    with db.transaction() as session:
        # A later email changed something, so the pipeline sent it back to review.
        cases.set_state(session, load(session, ref), CaseState.NEEDS_REVIEW, reason="changed")
    with db.transaction() as session:
        case = load(session, ref)
        actions.edit_field(session, settings, case, rita, "nominees[0].name", "Priya Shah-Kaur",
                           "married name")
        actions.accept(session, settings, case, rita)
    with db.transaction() as session:
        names = session.execute(select(Specialist.name)).scalars().all()
    assert names == ["Priya Shah-Kaur"]


# -- request information, reject, not a nomination ---------------------------------------------


def test_request_information_queues_the_request(settings: Settings, db: Database) -> None:
    ref = make_case(db, phone=None)
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get(f"/cases/{ref}").text
    # The case's missing items are offered, already ticked.
    assert 'value="nominees[0].phone" checked' in page
    response = post(client, f"/cases/{ref}/request-information",
                    {"items": ["nominees[0].phone", "guidance_confirmation"],
                     "reason": "phone missing"})
    assert response.status_code == 303
    with db.transaction() as session:
        case = load(session, ref)
        assert case.state == CaseState.AWAITING_INFORMATION and case.touched_by_person
        reply = session.execute(select(OutboxMessage)).scalar_one()
        assert reply.template == "sender:request:missing-items"
        assert reply.recipients == ["margaret.osei@northshire.nhs.uk"]
        body = email.message_from_bytes(reply.content, policy=email.policy.default).get_body(
            ("plain",))
        text = body.get_content() if body is not None else ""
        assert "telephone number for the new Patient Safety Specialist, Priya Shah" in text
        assert "Identifying Patient Safety Specialists" in text
    requested = audit_of(db, ref, "review-information-requested")
    assert [(e.actor, e.new_value, e.reason) for e in requested] == [
        (RITA, "guidance_confirmation, nominees[0].phone", "phone missing")]


def test_request_information_needs_items_and_an_address(settings: Settings,
                                                       db: Database) -> None:
    ref = make_case(db, phone=None)
    with db.transaction() as session, pytest.raises(actions.ActionError, match="at least one"):
        actions.request_information(session, settings, load(session, ref), reviewer(db), [])
    with db.transaction() as session, pytest.raises(actions.ActionError, match="from the list"):
        actions.request_information(session, settings, load(session, ref), reviewer(db),
                                    ["nominees[0].job_title"])
    noreply = make_case(db, sender="no-reply@northshire.nhs.uk")
    with db.transaction() as session, pytest.raises(actions.ActionError, match="could not be"):
        actions.request_information(session, settings, load(session, noreply), reviewer(db),
                                    ["nominees[0].phone"])
    with db.transaction() as session:
        assert load(session, noreply).state == CaseState.NEEDS_REVIEW
        assert session.execute(select(OutboxMessage)).first() is None


@pytest.mark.parametrize(("path", "state", "action"), [
    ("reject", CaseState.REJECTED, "review-rejected"),
    ("not-a-nomination", CaseState.NOT_A_NOMINATION, "review-not-a-nomination"),
])
def test_reject_and_not_a_nomination(settings: Settings, db: Database, path: str, state: str,
                                     action: str) -> None:
    ref = make_case(db)
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    post(client, f"/cases/{ref}/{path}", {"reason": ""})
    assert "Give a reason" in client.get(f"/cases/{ref}").text
    post(client, f"/cases/{ref}/{path}", {"reason": "Sent by mistake, says the trust"})
    with db.transaction() as session:
        case = load(session, ref)
        assert case.state == state and case.touched_by_person
        assert session.execute(select(OutboxMessage)).first() is None
    entries = audit_of(db, ref, action)
    assert [(e.actor, e.reason) for e in entries] == [(RITA, "Sent by mistake, says the trust")]
    change = audit_of(db, ref, "state-changed")[-1]
    assert (change.new_value, change.actor, change.reason) == (
        state, RITA, "Sent by mistake, says the trust")


# -- merge -----------------------------------------------------------------------------------


def test_merge_into_another_case(settings: Settings, db: Database) -> None:
    target = make_case(db, phone=None, state=CaseState.AWAITING_INFORMATION)
    source = make_case(db)
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    response = post(client, f"/cases/{source}/merge", {"into": target.lower(),
                                                       "reason": "Same nomination twice"})
    assert response.headers["location"] == f"/cases/{target}"
    with db.transaction() as session:
        src, dst = load(session, source), load(session, target)
        assert src.state == CaseState.MERGED and src.merged_into_id == dst.id
        assert dst.state == CaseState.NEEDS_REVIEW
        assert src.messages == [] and len(dst.messages) == 2
        # The phone the source case had fills the target's gap.
        assert dst.people[0].phone == "+447700900123"
        assert dst.missing == []
    assert [(e.new_value, e.actor, e.reason) for e in audit_of(db, source, "review-merged-into")
            ] == [(target, RITA, "Same nomination twice")]
    assert [e.new_value for e in audit_of(db, target, "review-merged-from")] == [source]
    phone = [e for e in audit_of(db, target, "field-changed") if e.field == "nominees[0].phone"]
    assert phone and phone[0].reason == f"merged from {source}: Same nomination twice"
    page = client.get(f"/cases/{source}").text
    assert f'href="/cases/{target}"' in page and "Merged into" in page


@pytest.mark.parametrize("other", ["self", "PSS-999999", "merged"])
def test_merge_refusals(settings: Settings, db: Database, other: str) -> None:
    ref = make_case(db)
    if other == "self":
        other = ref
    elif other == "merged":
        a, b = make_case(db), make_case(db)
        with db.transaction() as session:
            actions.merge_into(session, settings, load(session, a), reviewer(db), b, "dup")
        other = a
    with db.transaction() as session, pytest.raises(actions.ActionError):
        actions.merge_into(session, settings, load(session, ref), reviewer(db), other, "dup")


# -- re-run extraction -------------------------------------------------------------------------


def test_rerun_extraction_rebuilds_fields_from_the_stored_mail(settings: Settings,
                                                               db: Database) -> None:
    outcome = ingest(db, settings, Incoming(content=(SAMPLES / "S08.eml").read_bytes(),
                                            source="test"))
    ref = outcome.case_reference
    assert ref is not None and outcome.state == CaseState.NEEDS_REVIEW
    rita = reviewer(db)
    with db.transaction() as session:
        case = load(session, ref)
        before = cases.load_reading(case)
        # A reviewer's slip, and a stored extraction that is out of date.
        actions.edit_field(session, settings, case, rita, "nominees[0].name", "Chidi Ezeh",
                           "typo")
        case.messages[0].extraction = {"message_id": None}
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    post(client, f"/cases/{ref}/rerun-extraction", {"reason": "parser updated"})
    assert "Extraction re-run on 1 message(s); 1 field(s) changed." in client.get(
        f"/cases/{ref}").text
    with db.transaction() as session:
        case = load(session, ref)
        after = cases.load_reading(case)
        assert after.model_dump() == before.model_dump()
        assert case.messages[0].extraction["nominees"][0]["name"] == before.nominees[0].name
        assert case.state == CaseState.NEEDS_REVIEW
        assert any(r.hit and r.rule == "attachment-only" for r in cases.latest_results(case))
    restored = [e for e in audit_of(db, ref, "field-changed") if e.actor == RITA
                and e.reason and e.reason.startswith("extraction re-run")]
    assert [(e.field, e.old_value, e.new_value) for e in restored] == [
        ("nominees[0].name", "Chidi Ezeh", before.nominees[0].name)]
    rerun = audit_of(db, ref, "review-extraction-rerun")
    assert [(e.actor, e.reason) for e in rerun] == [(RITA, "parser updated")]


def test_rerun_skips_automatic_mail_and_flags_unreadable(settings: Settings,
                                                         db: Database) -> None:
    ref = make_case(db)
    with db.transaction() as session:
        case = load(session, ref)
        session.add(RawMessage(sha256="f" * 64, message_id="<ooo@x>", source="test", size=10,
                               content=b"\x00\x01 not mail at all", status="processed",
                               classification="nomination", case_id=case.id))
    with db.transaction() as session:
        case = load(session, ref)
        message = actions.rerun_extraction(session, settings, case, reviewer(db))
        assert "Priya Shah" in [p.name for p in case.people]
    assert "message(s)" in message


# -- the case page ------------------------------------------------------------------------------


def test_pipeline_cases_show_on_the_queue_and_page(settings: Settings, db: Database) -> None:
    for name in ("S01", "S03", "S08"):
        ingest(db, settings, Incoming(content=(SAMPLES / f"{name}.eml").read_bytes(),
                                      source="test"))
    client = client_for(settings, db)
    sign_in(client, "confidential")
    queue = client.get("/queue").text
    assert queue.count('<th scope="row"><a href="/cases/') == 1
    assert "only in an attachment" in queue
    with db.transaction() as session:
        ref = session.execute(select(Case.reference).where(
            Case.state == CaseState.NEEDS_REVIEW)).scalar_one()
    page = client.get(f"/cases/{ref}").text
    assert "PSS nomination letter - Westerby and Tamsworth ICB.docx" in page
    assert "<mark" in page
    assert 'sandbox=""' not in page or "<script" not in page
    assert client.get(f"/cases/{ref}").headers["content-security-policy"].startswith(
        "default-src 'none'")


def test_the_unparseable_message_is_still_shown(settings: Settings, db: Database) -> None:
    ref = make_case(db)
    with db.transaction() as session:
        case = load(session, ref)
        case.messages[0].content = b"\xff\xfe garbage without headers \x00"
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    page = client.get(f"/cases/{ref}")
    assert page.status_code == 200
    assert "garbage without headers" in page.text


def test_rerun_reads_a_message_whose_processing_once_failed(
        settings: Settings, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import pss_intake.pipeline as pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("parser bug")

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "parse_email", broken)
        outcome = ingest(db, settings, Incoming(content=(SAMPLES / "S01.eml").read_bytes(),
                                                source="test"))
    ref = outcome.case_reference
    assert ref is not None and outcome.state == CaseState.NEEDS_REVIEW
    with db.transaction() as session:
        case = load(session, ref)
        assert case.sender_addr is None and case.people == []
        assert any(r.hit and r.rule == "unparseable-message" for r in cases.latest_results(case))
    with db.transaction() as session:
        actions.rerun_extraction(session, settings, load(session, ref), reviewer(db),
                                 "parser fixed")
    with db.transaction() as session:
        case = load(session, ref)
        assert [p.name for p in case.people] == ["Priya Shah"]
        assert case.sender_addr is not None
        assert case.messages[0].status == "processed"
        assert not any(r.hit for r in cases.latest_results(case)
                       if r.rule == "unparseable-message")
    # Now it can be accepted, and the acknowledgement goes to the sender.
    with db.transaction() as session:
        actions.accept(session, settings, load(session, ref), reviewer(db))
    with db.transaction() as session:
        reply = session.execute(select(OutboxMessage).where(
            OutboxMessage.template == "sender:ack:complete")).scalar_one()
        assert reply.recipients == [load(session, ref).sender_addr]


# -- re-evaluation keeps what was found when the message arrived --------------------------------

_NOMINATION = (
    "Dear team,\n\nI am writing to identify Ffion Tregaron as our first Patient Safety "
    "Specialist.\n\nName: Ffion Tregaron\nEmail: ffion.tregaron@nhs.net\nPhone: 07700 900731\n\n"
    "I confirm that the Identifying Patient Safety Specialists document has been considered.\n\n"
    "Kind regards,\nGareth Penrhyn\nChief Nurse, Caerwent Valley NHS Trust\n"
)


def _mail(sender: str, subject: str, body: str, message_id: str, extra: str = "") -> bytes:
    return (f"From: {sender}\r\nTo: pss.nominations@england.example\r\nSubject: {subject}\r\n"
            f"Date: Tue, 04 Mar 2025 09:00:00 +0000\r\nMessage-ID: {message_id}\r\n{extra}"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            + body.replace("\n", "\r\n")).encode()


@pytest.mark.parametrize(("subject", "thread"), [
    ("RE: PSS nomination", "In-Reply-To: <cv.1@caerwent.nhs.uk>\r\n"),
    ("RE: [PSS-000001] nomination", ""),
])
def test_an_unrelated_edit_keeps_the_unknown_case_reference_of_a_strangers_case(
        settings: Settings, db: Database, subject: str, thread: str) -> None:
    # A stranger writes in the thread of another sender's case (or quotes its reference): the
    # message opens its own flagged case; correcting an unrelated field must not clear the flag.
    ingest(db, settings, Incoming(_mail("Gareth Penrhyn <gareth.penrhyn@caerwent.nhs.uk>",
                                        "PSS nomination", _NOMINATION, "<cv.1@caerwent.nhs.uk>"),
                                  "test"))
    stranger = ingest(db, settings, Incoming(_mail(
        "Ivo Strand <ivo.strand@quarrybank-advisory.example>", subject,
        "Ffion's phone is now 07700 900732.\n", "<qa.1@quarrybank-advisory.example>", thread),
        "test"))
    ref = stranger.case_reference
    assert ref == "PSS-000002"
    assert "unknown-case-reference" in {f["rule"] for f in stranger.record["flags"]}
    with db.transaction() as session:
        actions.edit_field(session, settings, load(session, ref), reviewer(db),
                           "organisation", "Quarrybank Advisory", "as the signature says")
    with db.transaction() as session:
        hits = {r.rule: r.reason for r in cases.latest_results(load(session, ref)) if r.hit}
    assert "unknown-case-reference" in hits
    assert ("replies in the thread of PSS-000001" in hits["unknown-case-reference"]) == bool(
        thread)


def test_an_unrelated_edit_keeps_a_correction_that_changed_nothing_flagged(
        settings: Settings, db: Database) -> None:
    ingest(db, settings, Incoming(_mail("Gareth Penrhyn <gareth.penrhyn@caerwent.nhs.uk>",
                                        "PSS nomination", _NOMINATION, "<cv.1@caerwent.nhs.uk>"),
                                  "test"))
    # It says it corrects her mobile but gives the number already held, so no value changes:
    # the case must stay in front of a person.
    later = ingest(db, settings, Incoming(_mail(
        "Gareth Penrhyn <gareth.penrhyn@caerwent.nhs.uk>", "RE: PSS nomination",
        "Sorry, her mobile is actually 07700 900731 - I mistyped it.\n",
        "<cv.2@caerwent.nhs.uk>", "In-Reply-To: <cv.1@caerwent.nhs.uk>\r\n"), "test"))
    assert [f["rule"] for f in later.record["flags"]] == ["correction-not-applied"]
    with db.transaction() as session:
        actions.edit_field(session, settings, load(session, "PSS-000001"), reviewer(db),
                           "organisation", "Caerwent Valley Health NHS Trust", "as the letterhead says")
    with db.transaction() as session:
        hits = {r.rule for r in cases.latest_results(load(session, "PSS-000001")) if r.hit}
    assert "correction-not-applied" in hits
