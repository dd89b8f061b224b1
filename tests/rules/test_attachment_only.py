"""The ``attachment-only`` rule: details read only from an attachment, or an unreadable
attachment and no details anywhere, go to a person."""

from __future__ import annotations

from parsing.model import Attachment
from validation.models import CaseReading, Extraction, PersonReading, RuleOutcome
from validation.rules.attachment_only import AttachmentOnly
from validation.rules.base import RuleContext

RULE = AttachmentOnly()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

LETTER = Attachment(
    filename="PSS nomination letter.docx", content_type=DOCX, size=24_576, part_index=2,
    text="I nominate Priya Shah, priya.shah@nhs.net, 07700 900123, as our first PSS.",
)
LOGO = Attachment(
    filename="image001.png", content_type="image/png", size=4_096, part_index=3, text=None,
    error=None,
)
SCAN = Attachment(
    filename="nomination.pdf", content_type="application/pdf", size=310_000, part_index=2,
    text=None, error="the PDF has no text layer (a scanned image)",
)
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net", phone="+447700900123")


def test_name_and_kind() -> None:
    assert RULE.name == "attachment-only"
    assert RULE.kind == "flag"


def test_details_from_attachment_names_the_readable_attachment(make_parsed) -> None:
    parsed = make_parsed(attachments=(LETTER, LOGO))
    extraction = Extraction(nominees=[PRIYA], details_from_attachment=True)
    ctx = RuleContext(reading=CaseReading(nominees=[PRIYA]), extraction=extraction, parsed=parsed)
    assert RULE.check(ctx) == RuleOutcome(
        rule="attachment-only", hit=True, kind="flag",
        reason="The details were read only from an attachment (PSS nomination letter.docx).",
        missing=[],
    )


def test_attachment_without_filename_is_named_by_its_type(make_parsed) -> None:
    unnamed = Attachment(
        filename=None, content_type="text/plain", size=200, part_index=2,
        text="Nominee: Priya Shah",
    )
    extraction = Extraction(nominees=[PRIYA], details_from_attachment=True)
    ctx = RuleContext(
        reading=CaseReading(nominees=[PRIYA]), extraction=extraction,
        parsed=make_parsed(attachments=(unnamed,)),
    )
    assert RULE.check(ctx).reason == "The details were read only from an attachment (text/plain)."


def test_unreadable_attachment_and_no_people_hits(make_parsed) -> None:
    ctx = RuleContext(
        reading=CaseReading(), extraction=Extraction(), parsed=make_parsed(attachments=(SCAN,)),
    )
    assert RULE.check(ctx) == RuleOutcome(
        rule="attachment-only", hit=True, kind="flag",
        reason=(
            "The email has no details in its text and an attachment could not be read "
            "(nomination.pdf)."
        ),
        missing=[],
    )


def test_unreadable_attachment_with_people_in_the_text_passes(make_parsed) -> None:
    # The body named the nominee; the unreadable PDF is only a copy.
    extraction = Extraction(nominees=[PRIYA])
    ctx = RuleContext(
        reading=CaseReading(nominees=[PRIYA]), extraction=extraction,
        parsed=make_parsed(attachments=(SCAN,)),
    )
    assert RULE.check(ctx) == RuleOutcome(rule="attachment-only", hit=False, kind="flag")


def test_unreadable_attachment_with_replaced_person_in_the_text_passes(make_parsed) -> None:
    gareth = PersonReading(name="Gareth Lloyd")
    extraction = Extraction(replaced=[gareth])
    ctx = RuleContext(
        reading=CaseReading(replaced=[gareth]), extraction=extraction,
        parsed=make_parsed(attachments=(SCAN,)),
    )
    assert RULE.check(ctx).hit is False


def test_details_in_the_body_with_a_readable_attachment_pass(make_parsed) -> None:
    extraction = Extraction(nominees=[PRIYA], details_from_attachment=False)
    ctx = RuleContext(
        reading=CaseReading(nominees=[PRIYA]), extraction=extraction,
        parsed=make_parsed(attachments=(LETTER,)),
    )
    assert RULE.check(ctx).hit is False


def test_plain_email_without_attachments_passes(make_parsed) -> None:
    ctx = RuleContext(reading=CaseReading(), extraction=Extraction(), parsed=make_parsed())
    assert RULE.check(ctx).hit is False


def test_without_a_message_passes() -> None:
    assert RULE.check(RuleContext(reading=CaseReading(nominees=[PRIYA]))).hit is False


GARBLED = Attachment(
    filename="PSS nomination form.pdf", content_type="application/pdf", size=513, part_index=2,
    text="P\na\nt\ni\ne\nn\nt\n\nS\na\nf\ne\nt\ny",
)


def test_a_document_nothing_could_be_read_from_goes_to_a_person(make_parsed) -> None:
    from parsing.model import Classification

    ctx = RuleContext(reading=CaseReading(), parsed=make_parsed(attachments=(GARBLED, LOGO)),
                      extraction=Extraction(classification=Classification.NOMINATION))
    assert RULE.check(ctx).reason == (
        "The email has no details in its text and none could be read from its attachment "
        "(PSS nomination form.pdf): a person must read it."
    )


def test_an_image_alone_or_a_case_with_people_is_not_attachment_only(make_parsed) -> None:
    from parsing.model import Classification

    nomination = Extraction(classification=Classification.NOMINATION)
    image_only = RuleContext(reading=CaseReading(), extraction=nomination,
                             parsed=make_parsed(attachments=(LOGO,)))
    assert RULE.check(image_only).hit is False
    # A follow-up with a document, on a case whose nominee is known: not this rule's business.
    known = RuleContext(reading=CaseReading(nominees=[PRIYA]), extraction=nomination,
                        parsed=make_parsed(attachments=(GARBLED,)))
    assert RULE.check(known).hit is False
    # Automatic or unrelated mail with a PDF has rules of its own.
    other = RuleContext(reading=CaseReading(), extraction=Extraction(),
                        parsed=make_parsed(attachments=(GARBLED,)))
    assert RULE.check(other).hit is False
