"""The ``content-not-read`` rule: a message part of which was not read goes to a person
(B9: details past a limit were dropped silently and the sender was asked again)."""

from __future__ import annotations

import time
from email.message import EmailMessage

from parsing import parse_email
from parsing.model import CONTENT_NOT_READ, Attachment
from validation.models import CaseReading, Extraction, RuleOutcome
from validation.rules import RULES
from validation.rules.attachment_only import AttachmentOnly
from validation.rules.base import RuleContext
from validation.rules.content_not_read import ContentNotRead

RULE = ContentNotRead()


def test_name_kind_and_registered_among_the_flags() -> None:
    assert RULE.name == "content-not-read"
    assert RULE.kind == "flag"
    assert any(isinstance(r, ContentNotRead) for r in RULES)


def test_a_not_read_defect_hits_with_the_reason(make_parsed) -> None:
    parsed = make_parsed(
        defects=("invalid header", f"{CONTENT_NOT_READ}more than 500 MIME parts; the rest not read")
    )
    assert RULE.check(RuleContext(reading=CaseReading(), parsed=parsed)) == RuleOutcome(
        rule="content-not-read", hit=True, kind="flag",
        reason="Part of the message was not read (more than 500 MIME parts; the rest not read).",
        missing=[],
    )


def test_other_defects_pass(make_parsed) -> None:
    parsed = make_parsed(defects=("invalid header",))
    assert RULE.check(RuleContext(reading=CaseReading(), parsed=parsed)).hit is False


def test_without_a_message_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading())).hit is False


def _parsed_hits(raw: bytes) -> bool:
    parsed = parse_email(raw)
    return RULE.check(RuleContext(reading=CaseReading(), parsed=parsed)).hit


def test_nomination_after_600_tiny_parts_is_flagged() -> None:
    msg = EmailMessage()
    msg["From"] = "a@nhs.net"
    msg["Subject"] = "PSS nomination"
    msg.set_content("see below")
    for _ in range(600):
        msg.add_attachment("x", filename="x.txt")
    msg.add_attachment("Nominee: Priya Shah priya.shah@nhs.net", filename="n.txt")
    started = time.monotonic()
    assert _parsed_hits(msg.as_bytes())
    assert time.monotonic() - started < 5


def test_forward_nested_past_the_depth_limit_is_flagged() -> None:
    inner = EmailMessage()
    inner["Subject"] = "Nomination"
    inner.set_content("Nominee: Priya Shah priya.shah@nhs.net")
    for _ in range(35):
        outer = EmailMessage()
        outer["Subject"] = "Fwd: Nomination"
        outer.add_attachment(inner)
        inner = outer
    inner["From"] = "a@nhs.net"
    assert _parsed_hits(inner.as_bytes())


def test_text_past_the_extraction_limit_is_flagged() -> None:
    from parsing.extract.people import MAX_REGION_CHARS

    sentence = "The trust has reviewed its patient safety arrangements this year. "
    body = (sentence * (MAX_REGION_CHARS // len(sentence) + 10)
            + "\nNominee: Priya Shah, priya.shah@nhs.net\n")
    raw = b"From: a@nhs.net\nSubject: PSS nomination\n\n" + body.encode()
    assert _parsed_hits(raw)


def test_an_ordinary_message_passes() -> None:
    assert not _parsed_hits(b"From: a@nhs.net\nSubject: PSS\n\nNominee: Priya Shah\n")


def test_an_unreadable_rtf_with_no_people_is_attachment_only(make_parsed) -> None:
    rtf = Attachment(
        filename="nomination.rtf", content_type="application/rtf", size=900, part_index=2,
        text=None, error="the RTF document could not be read (ValueError)",
    )
    ctx = RuleContext(
        reading=CaseReading(), extraction=Extraction(), parsed=make_parsed(attachments=(rtf,))
    )
    outcome = AttachmentOnly().check(ctx)
    assert outcome.hit is True
    assert outcome.reason == (
        "The email has no details in its text and an attachment could not be read "
        "(nomination.rtf)."
    )


def test_more_people_than_the_reader_keeps_is_not_read_and_hits() -> None:
    # 2,500 "Name:/Email:" records once took 40 s to match against each other; past 60 people
    # the rest are left unread and a person checks the message.
    from parsing.extract import extract
    from parsing.extract.people import MAX_PEOPLE
    from tests.extraction.helpers import make_parsed as make_text

    records = "\n\n".join(
        f"Name: Person{chr(65 + i % 26)}{chr(65 + i // 26 % 26)} Tester{i}\nEmail: p{i}@nhs.net"
        for i in range(200)
    )
    started = time.monotonic()
    extraction = extract(make_text("We nominate:\n\n" + records))
    assert time.monotonic() - started < 10
    assert len(extraction.nominees) <= MAX_PEOPLE
    outcome = RULE.check(RuleContext(reading=CaseReading(), extraction=extraction))
    assert outcome.hit
    assert outcome.reason == (
        f"Part of the message was not read (more than {MAX_PEOPLE} people are named; the rest "
        "were not read)."
    )
