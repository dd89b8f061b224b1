"""An organisation's letterhead or address block is found, and a person's block is not
(``parsing/extract/letterhead.py``)."""

from __future__ import annotations

from parsing.extract.letterhead import organisation_block_lines
from parsing.extract.textutil import lines_of

LETTER = """Ashgrove Moor Community Health NHS Trust
Quarry Bank House, 21 Tanner's Row
Ashgrove AG3 7QP
Telephone: 0113 496 0180
www.ashgrovemoor.nhs.example

Dear colleagues,

His contact details are:
Email: leo.fairweather@nhs.net
Telephone: 0113 496 0181
"""


def test_letterhead_lines_are_the_organisations() -> None:
    assert organisation_block_lines(lines_of(LETTER)) == {0, 1, 2, 3, 4}


def test_a_person_with_an_address_is_not_an_organisation_block() -> None:
    text = ("Ruth Aldous\nHead of Patient Safety\nQuarry Bank House\nAshgrove AG3 7QP\n"
            "Tel: 0113 496 0182\n")
    assert organisation_block_lines(lines_of(text)) == set()


def test_a_personal_address_keeps_a_block_a_persons() -> None:
    text = "Ruth Aldous\nAshgrove AG3 7QP\nruth.aldous@nhs.net\nTel: 0113 496 0183\n"
    assert organisation_block_lines(lines_of(text)) == set()


def test_a_role_mailbox_and_web_address_are_an_organisations() -> None:
    text = "Thornleigh Hospice\nenquiries@thornleigh.example\nwww.thornleigh.example\n"
    assert organisation_block_lines(lines_of(text)) == {0, 1, 2}
