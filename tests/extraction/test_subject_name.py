"""The nominee named only in the Subject, the body giving their details."""

from __future__ import annotations

import pytest

from parsing.extract import extract
from tests.extraction.helpers import make_parsed
from validation.models import Source


def nominees(ex):  # type: ignore[no-untyped-def]
    return [(p.name, p.email, p.phone, p.job_title, p.pay_band) for p in ex.nominees]


BODY = (
    "Please accept this as our nomination for the Trust's first Patient Safety Specialist. "
    "His details are as follows:\n\n"
    "o.bankole@nhs.net\n0113 496 0472\nHead of Quality Governance, Band 8c"
)


def test_name_from_subject_backed_by_the_address() -> None:
    ex = extract(make_parsed(BODY, subject="PSS nomination - Dr Olumide Bankole"))
    assert nominees(ex) == [
        (
            "Olumide Bankole",
            "o.bankole@nhs.net",
            "+441134960472",
            "Head of Quality Governance",
            "8c",
        )
    ]
    [p] = ex.nominees
    assert p.honorific == "Dr"
    assert p.provenance["name"].source == Source.SUBJECT


def test_name_from_subject_backed_by_the_body_using_it() -> None:
    body = BODY.replace("o.bankole@nhs.net", "quality.lead@nhs.net").replace(
        "His details", "Olumide's details"
    )
    ex = extract(make_parsed(body, subject="RE: Nomination – Dr Olumide Bankole"))
    assert [p.name for p in ex.nominees] == ["Olumide Bankole"]


def test_details_kept_when_the_subject_name_is_not_backed_up() -> None:
    body = BODY.replace("o.bankole@nhs.net", "quality.lead@nhs.net")
    ex = extract(make_parsed(body, subject="PSS nomination - Dr Olumide Bankole"))
    # The name is not confirmed, but the contacts the body gives are never dropped.
    assert nominees(ex) == [
        (None, "quality.lead@nhs.net", "+441134960472", "Head of Quality Governance", "8c")
    ]


@pytest.mark.parametrize(
    "subject",
    [
        "PSS nomination - Deepdale Valley NHS Trust",
        "Patient Safety Specialist nomination",
        "PSS nomination from Helen Marsh",
    ],
)
def test_subject_without_the_nominees_name(subject: str) -> None:
    ex = extract(make_parsed(BODY, subject=subject))
    assert [p.name for p in ex.nominees] == [None]
    assert ex.nominees[0].email == "o.bankole@nhs.net"


def test_name_in_body_wins_over_subject() -> None:
    text = (
        "I would like to nominate Mrs Priya Shah as our first PSS. Her details are:\n\n"
        "priya.shah@nhs.net\n07700 900123"
    )
    ex = extract(make_parsed(text, subject="PSS nomination - Dr Olumide Bankole"))
    assert [(p.name, p.email, p.phone) for p in ex.nominees] == [
        ("Priya Shah", "priya.shah@nhs.net", "+447700900123")
    ]


@pytest.mark.parametrize(
    "intro",
    ["Zara's details are as follows:", "Her contact details are:", "The nominee's details are:"],
)
def test_details_block_introduced_without_a_name_belongs_to_the_nominee(intro: str) -> None:
    text = (
        "We are delighted to nominate Ms Zara Whitcombe as our first Patient Safety "
        f"Specialist.\n\n{intro}\n\nzwhitcombe@brookfield.example\n07700 900867\n"
        "Group Head of Clinical Risk"
    )
    ex = extract(make_parsed(text))
    assert nominees(ex) == [
        (
            "Zara Whitcombe",
            "zwhitcombe@brookfield.example",
            "+447700900867",
            "Group Head of Clinical Risk",
            None,
        )
    ]
