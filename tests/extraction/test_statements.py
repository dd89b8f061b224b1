"""Message-level statements: writing on someone's behalf, withdrawals, corrections."""

from __future__ import annotations

import pytest

from parsing.extract import extract
from tests.extraction.helpers import make_parsed


@pytest.mark.parametrize(
    "text",
    [
        "I am writing on behalf of Dr Helen Marsh, Chief Nursing Officer.",
        "I am emailing on behalf of our Chief Nurse to nominate Priya Shah.",
        "I am writing on behalf of Helen, who is on leave this week.",
        "On behalf of Professor Ruth Ellery, please find the nomination below.",
    ],
)
def test_on_behalf_of_a_person(text: str) -> None:
    assert extract(make_parsed(text)).on_behalf_of


@pytest.mark.parametrize(
    "text",
    [
        "I am writing on behalf of NHS Kestrel Valley Integrated Care Board to identify our PSS.",
        "I am writing on behalf of the Trust to nominate Priya Shah.",
        "On behalf of the executive team, thank you.",
        "Our new PSS is Priya Shah.",
    ],
)
def test_not_on_behalf_of_a_person(text: str) -> None:
    assert not extract(make_parsed(text)).on_behalf_of


def test_sender_header_different_from_from() -> None:
    ex = extract(
        make_parsed(
            "Our new PSS is Priya Shah.",
            from_="Dr Helen Marsh <helen.marsh@nhs.net>",
            sender="Joanne Firth <joanne.firth@nhs.net>",
        )
    )
    assert ex.on_behalf_of


@pytest.mark.parametrize(
    "text",
    [
        "Please withdraw our nomination of Priya Shah.",
        "Please disregard my previous email about the nomination.",
        "Unfortunately Priya is no longer taking up the role.",
        "Priya has declined the role, so we are cancelling the nomination.",
    ],
)
def test_withdrawals(text: str) -> None:
    assert extract(make_parsed(text)).withdrawal


@pytest.mark.parametrize(
    "text",
    [
        "We are not withdrawing the nomination.",
        "Our new PSS is Priya Shah.",
        "Please ignore the signature on my previous message; her number is 07700 900123.",
    ],
)
def test_not_withdrawals(text: str) -> None:
    assert not extract(make_parsed(text)).withdrawal


@pytest.mark.parametrize(
    ("text", "correction"),
    [
        ("Sorry, her email is actually priya.shah2@nhs.net.", True),
        ("There was a typo in Rahul's address. The correct address is rahul.mehta@nhs.net.", True),
        ("Apologies for the delay – Zoë's mobile number is 07700 900512.", False),
        ("This was sent to the wrong address last week: priya.shah@nhs.net.", False),
    ],
)
def test_corrections(text: str, correction: bool) -> None:
    assert extract(make_parsed(text)).correction is correction


def test_disregard_with_new_details_is_a_correction_not_a_withdrawal() -> None:
    ex = extract(make_parsed("Please disregard my last email – her number is 07700 900124."))
    assert not ex.withdrawal
    assert ex.correction


def test_reply_confirms_the_document_our_quoted_request_named() -> None:
    quoted = (
        "> Before we can add the nomination to our records, please send us:\n"
        '> - confirmation that the "Identifying Patient Safety Specialists" document was considered'
    )
    ex = extract(make_parsed("Yes, we have considered the document.", quoted=quoted))
    assert ex.guidance_confirmed is True
    # The quoted request alone confirms nothing.
    assert extract(make_parsed("Thanks.", quoted=quoted)).guidance_confirmed is False


def test_a_name_correction_is_read_for_the_merge() -> None:
    from parsing.model import Classification
    from tests.extraction.helpers import make_parsed as mp

    for text, first in (
        ('Apologies - Fionnuala\'s surname is Mulvaney (with an "e"), not Mulvany.', "Fionnuala"),
        ("A correction: the nominee's surname is Mulvaney, not Mulvany as I wrote.", None),
        ("Her surname should be Mulvaney not Mulvany.", None),
    ):
        ex = extract(mp(text, classification=Classification.FOLLOW_UP))
        assert ex.correction
        assert [(c.first, c.old, c.new) for c in ex.name_corrections] == [
            (first, "Mulvany", "Mulvaney")
        ], text
        assert ex.nominees == []
