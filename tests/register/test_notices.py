"""UK GDPR Article 14 notices: queued on completion to each nominee and each person replaced,
once per person per case, in the case history, never with job title or pay band, and off when
``notices.enabled`` is false."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default
from pathlib import Path

from sqlalchemy import select

from pss_intake import cases
from pss_intake.config import Settings
from pss_intake.pipeline import Incoming, ingest
from store.db import Database
from store.models import AuditEntry, Case, OutboxMessage

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _notices(db: Database) -> list[OutboxMessage]:
    with db.transaction() as session:
        return list(session.execute(select(OutboxMessage).where(
            OutboxMessage.template.like("privacy-notice:%")).order_by(OutboxMessage.id)
        ).scalars())


def _text(notice: OutboxMessage) -> str:
    part = message_from_bytes(notice.content, policy=default).get_body()  # type: ignore[attr-defined]
    return str(part.get_content()).replace("\r\n", "\n")


def _ingest(db: Database, settings: Settings, name: str, content: bytes | None = None) -> None:
    path = SAMPLES / name
    ingest(db, settings, Incoming(content or path.read_bytes(), f"file:{path}"))


def test_a_replacement_notifies_the_nominee_and_the_person_replaced(
        loaded_db: Database, settings: Settings) -> None:
    _ingest(loaded_db, settings, "S02.eml")
    notices = _notices(loaded_db)
    assert [(n.template, n.to_addr) for n in notices] == [
        ("privacy-notice:nominee", "daniel.okonkwo@nhs.net"),
        ("privacy-notice:replaced", "sarah.whitfield2@nhs.net")]
    nominee = message_from_bytes(notices[0].content, policy=default)
    assert nominee["Subject"] == ("Your details on the Patient Safety Specialist register "
                                  "[PSS-000001]")
    assert nominee["Auto-Submitted"] == "auto-generated"
    text = _text(notices[0])
    assert text.startswith("Dear Daniel Okonkwo,\n\nYou have been identified as a Patient "
                           "Safety Specialist for NHS Wessex Vale Integrated Care Board by "
                           "Margaret Osei (case reference PSS-000001).")
    assert "- Your email address: daniel.okonkwo@nhs.net" in text
    assert "for 2 years after you leave the role" in text  # retention.former_specialist_days
    body = _text(notices[1])
    assert "you are no longer NHS Wessex Vale Integrated Care Board's Patient Safety" in body
    for content in (text, body):
        # Confidential: Daniel's title and band (S02), Sarah's from the roster.
        for secret in ("Associate Director of Quality", "8c", "Patient Safety Lead", "8b"):
            assert secret not in content
    with loaded_db.transaction() as session:
        history = session.execute(select(AuditEntry.field, AuditEntry.new_value).where(
            AuditEntry.action == "privacy-notice-queued")).all()
    assert history == [("nominees[0]", notices[0].message_id),
                       ("replaced[0]", notices[1].message_id)]


def test_once_per_person_per_case_and_not_before_completion(
        db: Database, settings: Settings) -> None:
    _ingest(db, settings, "S03.eml")  # awaiting information: no notice yet
    assert _notices(db) == []
    _ingest(db, settings, "S04.eml")  # the follow-up completes the case
    assert [n.to_addr for n in _notices(db)] == ["zoe.hartley-brown@nhs.net"]
    _ingest(db, settings, "S05.eml")  # another case, two nominees
    assert [n.to_addr for n in _notices(db)][1:] == ["amara.okafor@nhs.net",
                                                     "lukasz.nowak@nhs.net"]


def test_asking_again_sends_no_second_notice(db: Database, settings: Settings) -> None:
    _ingest(db, settings, "S09.eml")
    assert len(_notices(db)) == 1
    with db.transaction() as session:
        case = session.execute(select(Case)).scalars().first()
        assert case is not None
        assert cases.queue_privacy_notices(session, settings, case) == []
    assert len(_notices(db)) == 1


def test_switched_off(db: Database, tmp_path: Path) -> None:
    settings = Settings(database={"url": f"sqlite:///{tmp_path / 'x.db'}"},
                        notices={"enabled": False})
    _ingest(db, settings, "S09.eml")
    assert _notices(db) == []


def test_an_administrators_template(db: Database, tmp_path: Path) -> None:
    (tmp_path / "privacy-notice.txt.j2").write_text(
        "Hello {{ name }} ({{ reference }}). {{ retention }}\n")
    settings = Settings(database={"url": f"sqlite:///{tmp_path / 'x.db'}"},
                        notices={"template_dir": str(tmp_path)},
                        retention={"former_specialist_days": 90})
    _ingest(db, settings, "S09.eml")
    [notice] = _notices(db)
    text = _text(notice)
    assert text == ("Hello Ciarán Doherty (PSS-000001). We keep these details while you are a "
                    "Patient Safety Specialist and for 90 days after you leave the role, then "
                    "delete them.\n")


def test_an_answer_to_a_notice_does_not_change_the_nomination(
        db: Database, settings: Settings) -> None:
    _ingest(db, settings, "S09.eml")
    [notice] = _notices(db)
    answer = (
        "From: Ciaran Doherty <ciaran.doherty@nhs.net>\r\n"
        "To: PSS Nominations <pss.nominations@england.example>\r\n"
        f"Subject: Re: {notice.subject}\r\n"
        f"In-Reply-To: {notice.message_id}\r\n"
        "Message-ID: <answer.1@nhs.net>\r\n"
        "Date: Mon, 31 Mar 2025 09:00:00 +0000\r\n\r\n"
        "Thanks. Please note my number is now 07700 900123.\r\n").encode()
    outcome = ingest(db, settings, Incoming(answer, "test"))
    # Named, not asked: the answer is a new case a person reads, not a change to PSS-000001.
    assert outcome.case_reference == "PSS-000002" and outcome.state == "needs_review"
    with db.transaction() as session:
        first = session.execute(select(Case).where(Case.reference == "PSS-000001")).scalar_one()
        assert first.state == "complete"
        assert [p.phone for p in first.people] == ["+441144960377"]
