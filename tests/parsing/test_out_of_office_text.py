"""An out-of-office with no header evidence: the Subject prefix and an away body together."""

from __future__ import annotations

import pytest

from parsing import parse_email
from parsing.classify import is_out_of_office
from parsing.model import Classification


def _mail(subject: str, body: str) -> bytes:
    return (
        "From: Bethan Rhydderch <bethan.rhydderch@nhs.net>\r\n"
        "To: PSS Nominations <pss.nominations@england.example>\r\n"
        f"Subject: {subject}\r\n"
        "Message-ID: <ooo-test@nhs.net>\r\n"
        "Date: Mon, 2 Mar 2026 09:00:00 +0000\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")
    ).encode()


AWAY = (
    "Thank you for your email. I am out of the office until Monday 9 March with no access to "
    "email. For urgent patient safety matters please contact Dafydd Price, our Patient Safety "
    "Specialist, on 07700 900519.\n"
)


@pytest.mark.parametrize(
    "subject",
    [
        "Out of office RE: Patient Safety Specialist nomination",
        "Automatic reply: PSS nomination",
        "Auto-reply: PSS nomination",
        "Allan o'r swyddfa: PSS nomination",
        "Absence - PSS nomination",
        "OOO: PSS nomination",
    ],
)
def test_subject_prefix_and_away_body_is_an_auto_reply(subject: str) -> None:
    parsed = parse_email(_mail(subject, AWAY))
    assert parsed.classification == Classification.AUTO_REPLY
    assert parsed.is_auto_submitted


def test_a_human_reply_about_an_out_of_office_is_not() -> None:
    assert not is_out_of_office("Re: Out of office cover for PSS", AWAY)


def test_the_prefix_alone_is_not_enough() -> None:
    body = "Please accept our nomination of Dafydd Price as our additional PSS."
    assert not is_out_of_office("Out of office cover: PSS nomination", body)
    assert parse_email(_mail("Out of office cover: PSS nomination", body)).classification == (
        Classification.NOMINATION
    )


def test_an_unsubscribe_request_is_not_a_nomination() -> None:
    body = "Please unsubscribe me from this mailing list. I am no longer the PSS lead here."
    parsed = parse_email(_mail("RE: Patient Safety Specialist network bulletin", body))
    assert parsed.classification == Classification.OTHER
    body = "Please could you remove me from your distribution list as I have left the Trust."
    assert parse_email(_mail("PSS network", body)).classification == Classification.OTHER


def test_a_nomination_mentioning_a_list_is_still_a_nomination() -> None:
    body = (
        "I nominate Dafydd Price as our additional PSS. Please add him to the PSS mailing list "
        "and unsubscribe his predecessor."
    )
    assert parse_email(_mail("PSS nomination", body)).classification == (
        Classification.NOMINATION
    )
