"""Questions to the team: enquiries are not nominations; a nomination that also asks something
carries the question; courtesy lines are not questions."""

from __future__ import annotations

import pytest

from parsing import Classification
from parsing.extract import extract
from parsing.extract.questions import find_questions, is_hypothetical
from tests.extraction.helpers import make_parsed

NOMINATION = (
    "I am pleased to nominate Mr Declan Shaughnessy as our first Patient Safety Specialist. "
    "He can be reached at declan.shaughnessy@nhs.net or on 07700 900419.\n\n"
    "I confirm that the Identifying Patient Safety Specialists document was considered."
)


@pytest.mark.parametrize(
    "text",
    [
        "We are considering identifying a second PSS later this year. Could you tell me whether "
        "there is a form we should use?",
        "We are planning to put forward an additional Patient Safety Specialist next year. Is the "
        "role expected to be full time?",
        "Our board may wish to nominate a second PSS for community services. I would like to know "
        "whether the second specialist needs to be band 8a or above.",
        "Before we identify our first PSS, can you advise whether an ICB and a trust can share "
        "one?",
        "Our PSS, Jo Bloggs, is retiring in the spring. Do we need to send you the name of her "
        "successor straight away, or can it wait until the post is filled?",
    ],
)
def test_enquiry_is_not_a_nomination(text: str) -> None:
    ex = extract(make_parsed(text, subject="Question about PSS nominations"))
    assert ex.classification == Classification.OTHER
    assert (ex.nominees, ex.replaced, ex.nomination_type) == ([], [], None)
    assert ex.questions


def test_nomination_with_a_real_question_keeps_the_question() -> None:
    text = (
        NOMINATION + "\n\nSeparately, could you tell me whether backfill for the syllabus "
        "training is funded nationally?\n\nPlease let me know if you need anything further."
    )
    ex = extract(make_parsed(text))
    assert ex.classification == Classification.NOMINATION
    assert [p.name for p in ex.nominees] == ["Declan Shaughnessy"]
    assert ex.questions == [
        "Separately, could you tell me whether backfill for the syllabus training is funded "
        "nationally?"
    ]


def test_question_without_question_mark() -> None:
    text = NOMINATION + "\n\nI would be grateful if you could advise when the next induction is."
    assert extract(make_parsed(text)).questions == [
        "I would be grateful if you could advise when the next induction is."
    ]


@pytest.mark.parametrize(
    "courtesy",
    [
        "Please let me know if you need anything further.",
        "Do let me know if you have any questions.",
        "Could you confirm receipt of this email?",
        "Please do not hesitate to contact me if you require any further information.",
        "Can you let me know if there is anything else you need?",
        "Is this enough for you to add her to the register?",
        "Could you let me know if you need any more details?",
        "Please confirm that the nomination is now complete.",
        "Could you let me know once she has been added to the register?",
        "Can you confirm when this has been processed?",
        "Would you like me to send a copy of her job description?",
        "Do you need anything else from us?",
        "Shall I forward her CV?",
        "Hopefully that is everything you need?",
        "Is that all you need from us?",
        "Name of organisation? Northvale NHS Trust",
    ],
)
def test_courtesy_lines_are_not_questions(courtesy: str) -> None:
    assert find_questions(courtesy) == []
    ex = extract(make_parsed(NOMINATION + "\n\n" + courtesy))
    assert ex.classification == Classification.NOMINATION
    assert ex.questions == []


def test_form_question_answered_on_the_spot_is_not_a_question() -> None:
    assert find_questions("Has the Identifying PSS document been considered? Yes") == []
    form = "Identifying Patient Safety Specialists document considered?\n\nYes"
    assert find_questions(form) == []


def test_line_addressed_to_a_colleague_is_not_a_question_for_the_team() -> None:
    assert find_questions("Tom – please could you send this on to the national mailbox?") == []


def test_questions_in_quoted_history_or_a_forward_do_not_count() -> None:
    ex = extract(
        make_parsed(
            NOMINATION,
            quoted="> Could you tell me whether the training is funded?",
            signature="Kind regards\nHelen Marsh",
        )
    )
    assert ex.questions == []


def test_missing_details_nomination_with_a_courtesy_line_stays_a_nomination() -> None:
    text = (
        "We would like to nominate Mrs Priya Shah as our first PSS; I will send her details "
        "separately. Please let me know if you need anything else."
    )
    ex = extract(make_parsed(text))
    assert ex.classification == Classification.NOMINATION
    assert [p.name for p in ex.nominees] == ["Priya Shah"]


def test_hypothetical_framing() -> None:
    assert is_hypothetical("We are thinking about identifying a second PSS.")
    assert is_hypothetical("We intend to nominate a replacement later this year.")
    assert not is_hypothetical("I am pleased to nominate Priya Shah as our PSS.")
