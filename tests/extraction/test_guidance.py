"""Confirmation that the "Identifying Patient Safety Specialists" document was considered."""

from __future__ import annotations

import pytest

from parsing.extract.guidance import read_guidance


@pytest.mark.parametrize(
    "text",
    [
        'I confirm that the "Identifying Patient Safety Specialists" document has been considered.',
        "We have considered the ‘Identifying Patient Safety Specialists’ document in reaching this "
        "decision.",
        "I can confirm that we have considered the “Identifying Patient Safety Specialists” "
        "guidance.",
        "The Identifying Patient Safety Specialists document was reviewed by the executive team.",
        "We have read Identifying Patient Safety Specialists and taken it into account.",
        "The identifying patient safety specialists guidance was taken into account.",
        "We have taken the Identifying Patient Safety Specialists document into account.",
        "Guidance considered: Yes",
        "Identifying Patient Safety Specialists document considered: Yes",
        "Has the Identifying Patient Safety Specialists document been considered? Yes.",
        "Although we have not met the national team, I confirm we have considered the "
        "Identifying PSS document.",
        "I confirm that we have read the guidance in making this nomination.",
        "We have taken account of the Identifying Patient Safety Specialists guidance in making "
        "this nomination.",
        "The board took full account of the Identifying PSS document.",
    ],
)
def test_affirmative(text: str) -> None:
    g = read_guidance(text)
    assert (g.confirmed, g.negated) == (True, False)


@pytest.mark.parametrize(
    "text",
    [
        "We have not yet considered the Identifying Patient Safety Specialists document.",
        "I haven't had a chance to read the Identifying PSS guidance yet.",
        "We will consider the Identifying Patient Safety Specialists document next week.",
        "We have not, as yet, considered the Identifying PSS document.",
        "The Identifying Patient Safety Specialists document is yet to be considered.",
        "Guidance considered: No",
        "Guidance considered: not yet",
        "We have not taken account of the Identifying Patient Safety Specialists guidance yet.",
    ],
)
def test_negated(text: str) -> None:
    g = read_guidance(text)
    assert (g.confirmed, g.negated) == (False, True)


@pytest.mark.parametrize(
    "text",
    [
        "Please note our new PSS is Dr Ahmed Raza.",
        "We have followed the guidance on PSIRF implementation.",
        "Has the Identifying Patient Safety Specialists document been considered?",
    ],
)
def test_nothing_stated(text: str) -> None:
    g = read_guidance(text)
    assert (g.confirmed, g.negated, g.text) == (False, False, None)


def test_reading_keeps_the_sentence() -> None:
    text = (
        "Dear team,\n\nI confirm the Identifying Patient Safety Specialists document was "
        "considered.\n"
    )
    assert read_guidance(text).text == (
        "I confirm the Identifying Patient Safety Specialists document was considered."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Yes we have considered the document.",
        "Yes – our executive team read and considered the document at its meeting on 3 June.",
        "Apologies for leaving that out: we have considered it.",
        "Yes, this was considered by the board.",
        "Apologies - yes, we did take it into account.",
    ],
)
def test_reply_to_a_request_naming_the_document(text: str) -> None:
    reading = read_guidance(text, document_in_context=True)
    assert (reading.confirmed, reading.negated) == (True, False)
    # Without the request that named the document, "the document" could be anything.
    assert read_guidance(text).confirmed is False


def test_reply_in_context_still_honours_negation() -> None:
    reading = read_guidance("We have not yet considered the document.", document_in_context=True)
    assert (reading.confirmed, reading.negated) == (False, True)
