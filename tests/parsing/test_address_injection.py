"""B11: address headers are tokenised before RFC 2047 decoding, and only syntactically valid
addresses are used, so an encoded-word can never inject address syntax."""

from __future__ import annotations

from parsing import parse_email
from parsing.mime import parse_addresses
from parsing.model import Address


def test_encoded_word_cannot_inject_a_bcc_address() -> None:
    raw = (
        b"From: a@nhs.net\nReply-To: =?utf-8?Q?x=0D=0ABcc:evil@x.com?= <a@nhs.net>\n"
        b"Subject: PSS\n\nHello\n"
    )
    reply_to = parse_email(raw).reply_to
    assert [a.addr for a in reply_to] == ["a@nhs.net"]
    assert "evil@x.com?=" not in {a.addr for a in reply_to}


def test_invalid_addresses_are_not_used() -> None:
    assert parse_addresses('<a@b@c>, "x"@y, @@@') == ()


def test_encoded_names_are_still_decoded() -> None:
    raw = '=?utf-8?B?WsO2ZQ==?= Hart <zoe@nhs.net>, "OSEI, Margaret" <m@nhs.net>'
    assert parse_addresses(raw) == (
        Address(name="Zöe Hart", addr="zoe@nhs.net"),
        Address(name="OSEI, Margaret", addr="m@nhs.net"),
    )
