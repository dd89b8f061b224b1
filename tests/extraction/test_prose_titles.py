"""Job titles and bands written in prose: after bracketed contacts, in the sentence before the
nomination, on a line of their own under a heading, or as a post described before the name."""

from __future__ import annotations

import pytest

from parsing.extract import extract
from tests.extraction.helpers import make_parsed


def nominees(ex):  # type: ignore[no-untyped-def]
    return [(p.name, p.email, p.phone, p.job_title, p.pay_band) for p in ex.nominees]


@pytest.mark.parametrize(
    "text",
    [
        "Please register Dr Imogen Farrant (imogen.farrant@nhs.net, 07700 900512), our Lead for "
        "Patient Safety Learning (8b), as an additional PSS.",
        "We would like to add Dr Imogen Farrant (imogen.farrant@nhs.net / 07700 900512), the "
        "Trust's Lead for Patient Safety Learning (Band 8b), to the register as an additional PSS.",
        "Please add Dr Imogen Farrant, imogen.farrant@nhs.net, 07700 900512, the ICB's Lead for "
        "Patient Safety Learning (Band 8b), as an additional Patient Safety Specialist.",
    ],
)
def test_title_after_bracketed_contacts(text: str) -> None:
    assert nominees(extract(make_parsed(text))) == [
        (
            "Imogen Farrant",
            "imogen.farrant@nhs.net",
            "+447700900512",
            "Lead for Patient Safety Learning",
            "8b",
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Kwabena Mensah currently works as Head of Clinical Governance on AfC band 8a. I am "
        "therefore pleased to nominate Mr Mensah as our first PSS. His email is "
        "kwabena.mensah@nhs.net and his number is 0161 496 0733.",
        "Kwabena has worked here for eleven years and is employed as Head of Clinical Governance "
        "(Band 8a). I am delighted to nominate Kwabena Mensah as our first PSS; he can be "
        "reached on kwabena.mensah@nhs.net or 0161 496 0733.",
    ],
)
def test_title_and_band_in_the_sentence_before_the_nomination(text: str) -> None:
    assert nominees(extract(make_parsed(text))) == [
        (
            "Kwabena Mensah",
            "kwabena.mensah@nhs.net",
            "+441614960733",
            "Head of Clinical Governance",
            "8a",
        )
    ]


def test_title_line_with_band_in_brackets_under_a_heading() -> None:
    text = (
        "Our PSS is leaving, so we would like to register a replacement.\n\n"
        "New PSS\nMr Tobias Wren\nHead of Patient Safety Investigations (Band 8b)\n"
        "tobias.wren@nhs.net\n07700 900634\n\n"
        "Outgoing PSS\nMrs Lorraine Hebden\nlorraine.hebden@nhs.net\n0117 496 0522"
    )
    ex = extract(make_parsed(text))
    assert nominees(ex) == [
        (
            "Tobias Wren",
            "tobias.wren@nhs.net",
            "+447700900634",
            "Head of Patient Safety Investigations",
            "8b",
        )
    ]
    assert [(p.name, p.email, p.phone) for p in ex.replaced] == [
        ("Lorraine Hebden", "lorraine.hebden@nhs.net", "+441174960522")
    ]


def test_detail_lines_below_a_labelled_name() -> None:
    text = (
        "We would like to identify our first PSS.\n\n"
        "Name: Mr Tobias Wren\nLead Patient Safety Investigator, Band 8a\n"
        "tobias.wren@nhs.net\nMobile 07700 900634\n"
        "Please contact my PA on 0113 496 0744 with any queries."
    )
    assert nominees(extract(make_parsed(text))) == [
        (
            "Tobias Wren",
            "tobias.wren@nhs.net",
            "+447700900634",
            "Lead Patient Safety Investigator",
            "8a",
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Our Associate Director of Patient Safety and Quality Governance, who joined us in 2023, "
        "has transformed how we learn from incidents. I am therefore delighted to nominate Mx "
        "Robin Yardley as an additional PSS. Robin's details are robin.yardley@nhs.net and "
        "07700 900655.",
        "The Trust's Associate Director of Patient Safety and Quality Governance has led our "
        "PSIRF work since 2022. She chairs our learning panel. I am pleased to nominate Mx Robin "
        "Yardley (robin.yardley@nhs.net, 07700 900655) as an additional PSS.",
    ],
)
def test_post_described_before_the_name(text: str) -> None:
    assert nominees(extract(make_parsed(text))) == [
        (
            "Robin Yardley",
            "robin.yardley@nhs.net",
            "+447700900655",
            "Associate Director of Patient Safety and Quality Governance",
            None,
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        # The post described is the one being left: it is not the nominee's.
        "Our Head of Patient Safety is leaving the Trust in May. I am pleased to nominate Mx "
        "Robin Yardley (robin.yardley@nhs.net, 07700 900655) as her replacement.",
        # An executive is the nominator, not the nominee.
        "Our Chief Nurse has asked me to write to you. I am pleased to nominate Mx Robin Yardley "
        "(robin.yardley@nhs.net, 07700 900655) as an additional PSS.",
        # The post holder asked the writer to send the nomination.
        "Our Head of Governance has asked me to send you our nomination. I am pleased to "
        "nominate Mx Robin Yardley (robin.yardley@nhs.net, 07700 900655) as an additional PSS.",
        # Too far away: the description and the nomination are unrelated.
        "Our Head of Governance has reviewed the PSIRF plan. It was approved in May. The board "
        "met in June. Finance signed off the budget. I am pleased to nominate Mx Robin Yardley "
        "(robin.yardley@nhs.net, 07700 900655) as an additional PSS.",
    ],
)
def test_post_described_before_the_name_is_not_always_theirs(text: str) -> None:
    [robin] = extract(make_parsed(text)).nominees
    assert robin.job_title is None


def test_explicit_title_beats_a_described_post() -> None:
    text = (
        "Our Head of Governance, who joined us last year, has led the review. I am pleased to "
        "nominate Mx Robin Yardley as an additional PSS. Robin is our Patient Safety Manager and "
        "can be reached on robin.yardley@nhs.net or 07700 900655."
    )
    [robin] = extract(make_parsed(text)).nominees
    assert robin.job_title == "Patient Safety Manager"


def test_prose_title_keeps_its_bracketed_qualifier_but_not_a_band() -> None:
    import time

    from parsing.extract import extract as ex_
    from tests.extraction.helpers import make_parsed as mp

    [p] = ex_(
        mp(
            "I nominate Priya Raman, Patient Safety Lead (Maternity and Neonatal), Band 8a, as "
            "our first PSS. Her email is priya.raman@nhs.net."
        )
    ).nominees
    assert (p.job_title, p.pay_band) == ("Patient Safety Lead (Maternity and Neonatal)", "8a")
    [p] = ex_(
        mp(
            "I nominate Priya Raman, Patient Safety Lead (Band 8a), as our first PSS. Her email "
            "is priya.raman@nhs.net."
        )
    ).nominees
    assert (p.job_title, p.pay_band) == ("Patient Safety Lead", "8a")
    start = time.perf_counter()
    ex_(mp("I nominate Jo Bloggs, Head " + "(Aa Head " * 3000 + "as our PSS."))
    assert time.perf_counter() - start < 5
