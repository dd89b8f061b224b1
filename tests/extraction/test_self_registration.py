"""The nominee writing in themselves: the sender is the nominee, with what they say of
themselves; the executive they mention is not."""

from __future__ import annotations

import pytest

from parsing.extract import extract
from tests.extraction.helpers import make_parsed

FROM = "GREENHALGH, Philippa (KESTREL COAST NHS TRUST) <philippa.greenhalgh@nhs.net>"


def person(p):  # type: ignore[no-untyped-def]
    return (p.name, p.email, p.phone, p.job_title, p.pay_band)


@pytest.mark.parametrize(
    "text",
    [
        "Our Chief Nursing Officer, Gillian Armitage, has asked me to get in touch to register "
        "myself as an additional Patient Safety Specialist. I am the Trust's Patient Safety "
        "Incident Response Lead (AfC band 8a) and my mobile is 07700 900561.",
        "Gillian Armitage (Chief Nursing Officer) asked me to register as an additional PSS for "
        "the Trust, so I am writing to nominate myself. I currently work as Patient Safety "
        "Incident Response Lead on band 8a. My mobile number is 07700 900561.",
        "I have been asked to act as an additional Patient Safety Specialist for Kestrel Coast "
        "NHS Trust. My current role is Patient Safety Incident Response Lead, Band 8a, and you "
        "can reach me on 07700 900561.",
    ],
)
def test_sender_is_the_nominee_with_their_own_details(text: str) -> None:
    ex = extract(make_parsed(text, from_=FROM))
    assert [person(p) for p in ex.nominees] == [
        (
            "Philippa Greenhalgh",
            "philippa.greenhalgh@nhs.net",
            "+447700900561",
            "Patient Safety Incident Response Lead",
            "8a",
        )
    ]
    assert ex.replaced == []


def test_putting_myself_forward_with_a_contraction() -> None:
    text = (
        "Our Director of Nursing (cc'd) has asked me to put myself forward as the Trust's new "
        "PSS, replacing Dr Mark Lyle who retired last month. I'm currently Head of Patient "
        "Safety (band 8b) and can be contacted on 0113 496 0555."
    )
    ex = extract(make_parsed(text, from_=FROM))
    assert [person(p) for p in ex.nominees] == [
        (
            "Philippa Greenhalgh",
            "philippa.greenhalgh@nhs.net",
            "+441134960555",
            "Head of Patient Safety",
            "8b",
        )
    ]
    assert [p.name for p in ex.replaced] == ["Mark Lyle"]


def test_executive_writing_about_themselves_gives_no_details_to_the_nominee() -> None:
    text = (
        "I am the Trust's Chief Nurse and my mobile is 07700 900111. I would like to nominate "
        "Mrs Priya Shah (priya.shah@nhs.net, 07700 900222) as our first PSS."
    )
    ex = extract(make_parsed(text, from_="Helen Marsh <helen.marsh@nhs.net>"))
    assert [person(p) for p in ex.nominees] == [
        ("Priya Shah", "priya.shah@nhs.net", "+447700900222", None, None)
    ]


def test_labelled_self_nomination_keeps_the_labels() -> None:
    text = (
        "I will be the Trust's first Patient Safety Specialist. My details are:\n"
        "Name: Philippa Greenhalgh\nJob title: Head of Patient Safety\nEmail: "
        "philippa.greenhalgh@nhs.net\nPhone: 07700 900958"
    )
    ex = extract(make_parsed(text, from_=FROM))
    assert [person(p) for p in ex.nominees] == [
        (
            "Philippa Greenhalgh",
            "philippa.greenhalgh@nhs.net",
            "+447700900958",
            "Head of Patient Safety",
            None,
        )
    ]


def test_identified_by_the_chief_executive_with_my_details_line() -> None:
    text = (
        "I have been identified by our Chief Executive as the Trust's new Patient Safety "
        "Specialist, replacing Mr Keith Dale (keith.dale@nhs.net, 0121 496 0433).\n\n"
        "My details: Head of Patient Safety and Improvement, Band 8b, mobile 07700 900818."
    )
    ex = extract(make_parsed(text, from_=FROM))
    assert [person(p) for p in ex.nominees] == [
        (
            "Philippa Greenhalgh",
            "philippa.greenhalgh@nhs.net",
            "+447700900818",
            "Head of Patient Safety and Improvement",
            "8b",
        )
    ]
    assert [(p.name, p.email) for p in ex.replaced] == [("Keith Dale", "keith.dale@nhs.net")]


def test_sender_without_display_name_is_named_by_their_signature() -> None:
    text = (
        "Our Chief Nurse has asked me to register myself as the Trust's first Patient Safety "
        "Specialist. My mobile is 07700 900561."
    )
    ex = extract(
        make_parsed(
            text,
            signature="Kind regards\nPhilippa Greenhalgh\nPatient Safety Lead",
            from_="philippa.greenhalgh@nhs.net",
        )
    )
    assert [(p.name, p.email, p.phone) for p in ex.nominees] == [
        ("Philippa Greenhalgh", "philippa.greenhalgh@nhs.net", "+447700900561")
    ]
