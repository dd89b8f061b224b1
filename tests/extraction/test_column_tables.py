"""Tables whose columns are people ("| New PSS | Outgoing PSS"): read column-wise, never swapped."""

from __future__ import annotations

import pytest

from parsing.extract import extract
from tests.extraction.helpers import make_parsed


def people(ex):  # type: ignore[no-untyped-def]
    return (
        [(p.name, p.email, p.phone, p.job_title, p.pay_band) for p in ex.nominees],
        [(p.name, p.email, p.phone) for p in ex.replaced],
    )


INTRO = "Our PSS is moving on and will be replaced as follows.\n\n"
OUTRO = "\n\nThe Identifying Patient Safety Specialists document has been considered."
NEW = ("Jacob Ekwueme", "jacob.ekwueme@nhs.net", "+441144960391", "Patient Safety Lead", "8c")
OLD = ("Patricia Halloran", "patricia.halloran@nhs.net", "+447700900288")


@pytest.mark.parametrize(
    "table",
    [
        # HTML converted to text: the empty corner cell is dropped from the header row.
        "New PSS | Outgoing PSS\n"
        "Name | Jacob Ekwueme | Patricia Halloran\n"
        "Email | jacob.ekwueme@nhs.net | patricia.halloran@nhs.net\n"
        "Phone | 0114 496 0391 | 07700 900288\n"
        "Job title | Patient Safety Lead | Head of Clinical Risk\n"
        "AfC band | 8c | 8d",
        # Markdown-style pipes with the empty corner kept.
        "| | New PSS | Outgoing PSS |\n"
        "| Name | Jacob Ekwueme | Patricia Halloran |\n"
        "| Email | jacob.ekwueme@nhs.net | patricia.halloran@nhs.net |\n"
        "| Phone | 0114 496 0391 | 07700 900288 |\n"
        "| Job title | Patient Safety Lead | Head of Clinical Risk |\n"
        "| AfC band | 8c | 8d |",
        # A generic word in the corner.
        "Details\tNew PSS\tOutgoing PSS\n"
        "Name\tJacob Ekwueme\tPatricia Halloran\n"
        "Email\tjacob.ekwueme@nhs.net\tpatricia.halloran@nhs.net\n"
        "Phone\t0114 496 0391\t07700 900288\n"
        "Job title\tPatient Safety Lead\tHead of Clinical Risk\n"
        "AfC band\t8c\t8d",
        # Outlook's plain rendering: one cell per line, label then one value per person.
        "New PSS\nOutgoing PSS\n"
        "Name\nJacob Ekwueme\nPatricia Halloran\n"
        "Email\njacob.ekwueme@nhs.net\npatricia.halloran@nhs.net\n"
        "Phone\n0114 496 0391\n07700 900288\n"
        "Job title\nPatient Safety Lead\nHead of Clinical Risk\n"
        "AfC band\n8c\n8d",
        # The same with a blank line after every cell.
        "\n\nNew PSS\n\nOutgoing PSS\n\n"
        "Name\n\nJacob Ekwueme\n\nPatricia Halloran\n\n"
        "Email\n\njacob.ekwueme@nhs.net\n\npatricia.halloran@nhs.net\n\n"
        "Phone\n\n0114 496 0391\n\n07700 900288\n\n"
        "Job title\n\nPatient Safety Lead\n\nHead of Clinical Risk\n\n"
        "AfC band\n\n8c\n\n8d",
    ],
    ids=[
        "html-pipes",
        "markdown-pipes",
        "tabs-generic-corner",
        "cell-per-line",
        "cell-per-line-blanks",
    ],
)
def test_people_in_columns(table: str) -> None:
    ex = extract(make_parsed(INTRO + table + OUTRO))
    assert people(ex) == ([NEW], [OLD])


def test_outgoing_column_first_is_not_swapped() -> None:
    table = (
        "Departing PSS | Incoming PSS\n"
        "Name | Patricia Halloran | Jacob Ekwueme\n"
        "Email | patricia.halloran@nhs.net | jacob.ekwueme@nhs.net\n"
        "Phone | 07700 900288 | 0114 496 0391\n"
        "Job title | Head of Clinical Risk | Patient Safety Lead\n"
        "Band | 8d | 8c"
    )
    assert people(extract(make_parsed(INTRO + table + OUTRO))) == ([NEW], [OLD])


def test_cell_per_line_with_retiring_heading() -> None:
    table = (
        "Retiring PSS\nProposed PSS\n"
        "Name\nPatricia Halloran\nJacob Ekwueme\n"
        "Email\npatricia.halloran@nhs.net\njacob.ekwueme@nhs.net\n"
        "Telephone\n07700 900288\n0114 496 0391"
    )
    ex = extract(make_parsed(INTRO + table + OUTRO))
    assert [(p.name, p.email, p.phone) for p in ex.nominees] == [NEW[:3]]
    assert [(p.name, p.email, p.phone) for p in ex.replaced] == [OLD]


def test_two_column_label_value_table_still_reads() -> None:
    table = (
        "Name | Jacob Ekwueme\n"
        "Email | jacob.ekwueme@nhs.net\n"
        "Phone | 0114 496 0391\n"
        "Job title | Patient Safety Lead\n"
        "Pay band | 8c"
    )
    text = "We would like to identify our first PSS.\n\n" + table + OUTRO
    assert people(extract(make_parsed(text))) == ([NEW], [])


def test_a_single_role_heading_is_not_a_column_table() -> None:
    text = (
        "We would like to register a replacement PSS.\n\n"
        "New PSS\nName: Jacob Ekwueme\nEmail: jacob.ekwueme@nhs.net\nPhone: 0114 496 0391\n\n"
        "Outgoing PSS\nName: Patricia Halloran\nEmail: patricia.halloran@nhs.net\n"
        "Phone: 07700 900288" + OUTRO
    )
    ex = extract(make_parsed(text))
    assert [(p.name, p.email, p.phone) for p in ex.nominees] == [NEW[:3]]
    assert [(p.name, p.email, p.phone) for p in ex.replaced] == [OLD]


def test_a_role_column_says_whose_row_it_is() -> None:
    table = (
        "Name\tEmail\tPhone\tRole\n"
        "Jacob Ekwueme\tjacob.ekwueme@nhs.net\t0114 496 0391\tNew PSS\n"
        "Patricia Halloran\tpatricia.halloran@nhs.net\t07700 900288\tOutgoing PSS"
    )
    ex = extract(make_parsed(INTRO + table + OUTRO))
    assert [(p.name, p.email, p.phone, p.job_title) for p in ex.nominees] == [
        ("Jacob Ekwueme", "jacob.ekwueme@nhs.net", "+441144960391", None)
    ]
    assert [(p.name, p.email, p.phone) for p in ex.replaced] == [OLD]


def test_a_title_cell_that_reads_like_a_label_is_a_value() -> None:
    # "Patient Safety Manager" is made of label words ("line manager"), but it is a title.
    table = (
        "New PSS\nPrevious PSS\n"
        "Name\nJacob Ekwueme\nPatricia Halloran\n"
        "Job Title\nPatient Safety Manager\nHead of Governance\n"
        "Email\njacob.ekwueme@nhs.net\npatricia.halloran@nhs.net"
    )
    ex = extract(make_parsed(INTRO + table + OUTRO))
    assert [(p.name, p.job_title) for p in ex.nominees] == [
        ("Jacob Ekwueme", "Patient Safety Manager")
    ]
    two_columns = (
        "Name\n\nJacob Ekwueme\n\nJob title\n\nPatient Safety Manager\n\nEmail\n\nj.e@nhs.net"
    )
    [p] = extract(make_parsed("Our first PSS:\n\n" + two_columns)).nominees
    assert (p.name, p.job_title, p.email) == (
        "Jacob Ekwueme",
        "Patient Safety Manager",
        "j.e@nhs.net",
    )


def test_empty_cells_keep_values_in_their_column() -> None:
    # The HTML converter writes "-" for an empty cell of a table with a column per person.
    table = (
        "- | New PSS | Outgoing PSS\n"
        "Name | Jacob Ekwueme | Patricia Halloran\n"
        "Email | jacob.ekwueme@nhs.net | patricia.halloran@nhs.net\n"
        "Phone | 0114 496 0391 | -\n"
        "AfC band | - | 8d"
    )
    ex = extract(make_parsed(INTRO + table + OUTRO))
    assert people(ex) == (
        [("Jacob Ekwueme", "jacob.ekwueme@nhs.net", "+441144960391", None, None)],
        [("Patricia Halloran", "patricia.halloran@nhs.net", None)],
    )


def test_an_empty_email_cell_does_not_give_the_next_address_to_the_wrong_person() -> None:
    # Outlook's plain rendering drops an empty cell, so Lowri's address slid under Anselm.
    text = """Ashwell Fen Hospitals NHS Trust is identifying its first Patient Safety Specialists.

Nominee 1
Nominee 2
Name
Anselm Brightwater
Lowri Pennant
Email
lowri.pennant@nhs.net
Telephone
0118 496 0237
07700 900624

We have considered the Identifying Patient Safety Specialists document.
"""
    ex = extract(make_parsed(text))
    assert [(p.name, p.email, p.phone) for p in ex.nominees] == [
        ("Anselm Brightwater", None, "+441184960237"),
        ("Lowri Pennant", "lowri.pennant@nhs.net", "+447700900624"),
    ]
