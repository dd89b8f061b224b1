"""A person's data found, exported and erased everywhere: a nominee, a replaced specialist and
a PA named only in a signature. Fictional people, Ofcom drama numbers."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from privacy.erasure import ErasureRefused, erase, export, redact_message
from privacy.matching import PersonPattern
from privacy.person import find, pattern_for
from pss_intake.config import Settings
from pss_intake.corpus import FreshDatabases
from pss_intake.pipeline import Incoming, ingest
from store.db import Database
from store.models import (
    AuditEntry,
    Base,
    CaseCorrespondent,
    CasePerson,
    RawMessage,
    Specialist,
)

NOW = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)


def mail(sender: str, subject: str, body: str, message_id: str) -> bytes:
    head = (f"From: {sender}\r\nTo: pss.nominations@england.example\r\nSubject: {subject}\r\n"
            f"Date: Mon, 03 Mar 2025 10:00:00 +0000\r\nMessage-ID: {message_id}\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
    return (head + body.replace("\n", "\r\n")).encode()


SIGNATURE = ("Kind regards,\nTom Reeve\nChief Nurse, Dunmore Hospitals NHS Trust\n"
             "PA: Cerys Lloyd, cerys.lloyd@dunmore.nhs.uk, 0113 496 0455\n")
GUIDANCE = ("I confirm that the Identifying Patient Safety Specialists document has been "
            "considered.")
FIRST = (f"Dear team,\n\nDr Maya Patel is our first Patient Safety Specialist.\n\n"
         f"Name: Dr Maya Patel\nEmail: maya.patel@nhs.net\nPhone: 07700 900611\n\n"
         f"{GUIDANCE}\n\n{SIGNATURE}")
REPLACEMENT = (f"Dear team,\n\nOwen Hart will replace Maya Patel as our Patient Safety "
               f"Specialist.\n\nNew PSS: Owen Hart, owen.hart@nhs.net, 07700 900612\n"
               f"Replacing: Maya Patel, maya.patel@nhs.net, 07700 900611\n\n{GUIDANCE}\n\n"
               f"{SIGNATURE}")
EXEC = "Tom Reeve <tom.reeve@dunmore.nhs.uk>"


@pytest.fixture()
def db(databases: FreshDatabases):  # type: ignore[no-untyped-def]
    database = databases.new()
    for raw in (mail(EXEC, "PSS nomination", FIRST, "<p1@dunmore.nhs.uk>"),
                mail(EXEC, "PSS replacement", REPLACEMENT, "<p2@dunmore.nhs.uk>")):
        # The places listed below are without privacy notices (tests/register has those).
        ingest(database, Settings(notices={"enabled": False}), Incoming(raw, "test"))
    yield database
    database.dispose()


def places(db: Database, who: str) -> list[tuple[str, str]]:
    with db.transaction() as session:
        return [(p.table, p.role) for p in find(session, pattern_for(session, who))]


def test_a_replaced_specialist_is_found_everywhere_they_appear(db: Database) -> None:
    assert places(db, "maya.patel@nhs.net") == [
        ("case_person", "nominee"), ("case_person", "replaced"),
        ("specialist", "former specialist"),
        ("raw_message", "named in the body"), ("raw_message", "named in the body"),
        ("outbox", "named in a reply"), ("outbox", "named in a reply"),
        *[("audit_log", f"field-changed {role}[0].{field}")
          for role in ("nominees", "replaced") for field in ("name", "email", "phone")]]


def test_a_name_without_its_honorific_finds_the_same_person(db: Database) -> None:
    assert places(db, "Dr Maya Patel") == places(db, "maya.patel@nhs.net")


def test_a_pa_named_only_in_a_signature_is_found_there(db: Database) -> None:
    assert places(db, "cerys.lloyd@dunmore.nhs.uk") == [
        ("raw_message", "named in the signature"), ("raw_message", "named in the signature")]


def test_the_sender_is_found_as_sender(db: Database) -> None:
    found = places(db, "tom.reeve@dunmore.nhs.uk")
    assert found[:2] == [("case", "sender"), ("case", "sender")]
    assert ("raw_message", "sender") in found


def test_export_holds_summary_records_messages_and_others(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "sar.zip"
    with db.transaction() as session:
        count = export(session, pattern_for(session, "maya.patel@nhs.net"), out, now=NOW)
    assert count == 13
    with zipfile.ZipFile(out) as archive:
        names = sorted(archive.namelist())
        assert names == ["messages/1.eml", "messages/2.eml", "others-to-review.txt",
                         "records.json", "summary.txt"]
        records = json.loads(archive.read("records.json"))
        assert records[0]["values"]["email"] == "maya.patel@nhs.net"
        others = archive.read("others-to-review.txt").decode().split()
        assert others == ["cerys.lloyd@dunmore.nhs.uk", "owen.hart@nhs.net",
                          "pss.nominations@england.example", "tom.reeve@dunmore.nhs.uk"]


def everything(db: Database) -> str:
    parts = []
    with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                parts += [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                          for v in row]
    return "\n".join(parts)


def test_erasure_leaves_no_trace_and_records_that_it_happened(db: Database) -> None:
    with db.transaction() as session:
        report = erase(session, pattern_for(session, "maya.patel@nhs.net"),
                       reason="Art. 17 request 2027-01", actor="ig@england.example", now=NOW)
    assert dict(report.changed) == {"case_person": 2, "specialist": 1, "raw_message": 2,
                                    "outbox": 2, "audit_log": 6}
    text = everything(db)
    for gone in ("maya.patel@nhs.net", "Maya Patel", "+447700900611", "07700 900611"):
        assert gone not in text, gone
    assert "Owen Hart" in text and "cerys.lloyd@dunmore.nhs.uk" in text
    with db.transaction() as session:
        person = session.scalars(select(CasePerson).order_by(CasePerson.id)).first()
        assert person is not None and (person.name, person.email) == ("[erased 2027-01-04]", None)
        specialist = session.scalars(select(Specialist).where(Specialist.in_post.is_(False))).one()
        assert specialist.name == "[erased 2027-01-04]"
        raw = session.get_one(RawMessage, 1)
        assert raw.redacted_sha256 is not None and raw.sha256 != raw.redacted_sha256
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "erasure")).one()
        assert (entry.actor, entry.reason) == (
            "ig@england.example",
            "Art. 17 request 2027-01 (audit_log 6, case_person 2, outbox 2, raw_message 2, "
            "specialist 1)")


def test_erasure_is_refused_while_a_case_naming_them_is_open(databases: FreshDatabases) -> None:
    db = databases.new()
    body = FIRST.replace("07700 900611", "")  # no phone: the case waits for it
    ingest(db, Settings(), Incoming(mail(EXEC, "PSS", body, "<p3@dunmore.nhs.uk>"), "test"))
    with db.transaction() as session, pytest.raises(ErasureRefused, match="PSS-"):
        erase(session, pattern_for(session, "maya.patel@nhs.net"), reason="r", actor="a",
              now=NOW)
    with db.transaction() as session:
        erase(session, pattern_for(session, "maya.patel@nhs.net"), reason="r", actor="a",
              now=NOW, force=True)
    assert "maya.patel@nhs.net" not in everything(db)
    db.dispose()


def test_dry_run_changes_nothing(db: Database) -> None:
    before = everything(db)
    with db.transaction() as session:
        report = erase(session, pattern_for(session, "maya.patel@nhs.net"), reason="r",
                       actor="a", now=NOW, dry_run=True)
    assert report.dry_run and len(report.places) == 13
    assert everything(db) == before


@pytest.mark.parametrize(("written", "found"), [
    ("call 07700 900611 today", True), ("call +44 7700 900611", True),
    ("call +44 (0)7700-900-611", True), ("call 07700900611", True),
    ("call 07700 900612", False), ("call 107700 900611", False),
])
def test_phone_numbers_match_as_people_write_them(written: str, found: bool) -> None:
    pattern = PersonPattern.of(set(), set(), {"+447700900611"})
    assert pattern.found_in(written) is found


@pytest.mark.parametrize(("written", "found"), [
    ("Siobhán Kelly", True), ("SIOBHÁN KELLY", True), ("Siobhan Kelly", True),
    ("Siobhán  Kelly-Ross", False), ("Siobhán Kellyn", False),
])
def test_names_match_whole_words_ignoring_case_and_accents(written: str, found: bool) -> None:
    pattern = PersonPattern.of(set(), {"Ms Siobhán Kelly"}, set())
    assert pattern.found_in(f"and {written}, who") is found


def test_redaction_reaches_encoded_parts_and_drops_binary_attachments() -> None:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "Maya Patel <maya.patel@nhs.net>"
    msg["Subject"] = "About Maya Patel"
    msg.set_content("Maya Patel, 07700 900611\n", cte="base64")
    msg.add_attachment(b"%PDF-1.4 Maya Patel", maintype="application", subtype="pdf",
                       filename="letter.pdf")
    pattern = PersonPattern.of({"maya.patel@nhs.net"}, {"Maya Patel"}, {"+447700900611"})
    redacted = redact_message(msg.as_bytes(), pattern)
    from email import message_from_bytes, policy

    out = message_from_bytes(redacted, policy=policy.default)
    assert str(out["From"]) == "[erased] <[erased]>" or "maya" not in str(out["From"]).lower()
    assert str(out["Subject"]) == "About [erased]"
    body = out.get_body(("plain",))
    assert body is not None and body.get_content() == "[erased], [erased]\n"
    assert b"%PDF" not in redacted


def test_erasing_the_sender_removes_them_as_correspondent_too(db: Database) -> None:
    with db.transaction() as session:
        if not session.scalars(select(CaseCorrespondent)).first():
            session.add(CaseCorrespondent(case_id=1, addr="tom.reeve@dunmore.nhs.uk",
                                          name="Tom Reeve", source="from"))
    assert ("case_correspondent", "correspondent (from)") in places(db,
                                                                     "tom.reeve@dunmore.nhs.uk")
    with db.transaction() as session:
        erase(session, pattern_for(session, "tom.reeve@dunmore.nhs.uk"), reason="r",
              actor="a", now=NOW)
    text = everything(db)
    assert "tom.reeve@dunmore.nhs.uk" not in text and "Tom Reeve" not in text
    assert "Owen Hart" in text
