"""parse_email on small literal messages: headers, addresses, charsets, MIME structure,
forwards, defects, and robustness on hostile bytes."""

from __future__ import annotations

import base64
import datetime as dt
import email
import os

import pytest

from parsing import Address, Classification, parse_email
from parsing.mime import MAX_MIME_DEPTH, parse_addresses


def eml(headers: str, body: bytes | str = b"") -> bytes:
    """A message from header lines (LF line endings) and a body."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return headers.strip("\n").replace("\n", "\r\n").encode("ascii") + b"\r\n\r\n" + data


PLAIN = """
From: Helen Marsh <helen.marsh@northshire.nhs.uk>
To: PSS Nominations <pss.nominations@england.example>
Subject: PSS nomination
Date: Mon, 13 Jan 2025 09:12:44 +0000
Message-ID: <abc@northshire.nhs.uk>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
"""


# -- headers and addresses -------------------------------------------------------------------


def test_encoded_word_display_names() -> None:
    raw = eml(
        """
From: =?utf-8?q?Siobh=C3=A1n_Gallagher?= <Siobhan.Gallagher@NHS.net>
To: =?iso-8859-1?q?Zo=EB_Hartley?= <zoe@nhs.net>, "=?utf-8?b?TnXDsWV6LCBBbmE=?=" <ana@nhs.net>
Cc: =?utf-8?q?=C5=81ukasz?= Nowak <lukasz.nowak@nhs.net>, =?utf-8?q?Ay=C5=9Fe?= <ayse@nhs.net>
Subject: =?utf-8?q?Nomination_=E2=80=93?= PSS
""",
        "Patient Safety Specialist nomination",
    )
    p = parse_email(raw)
    assert p.from_ == Address("Siobhán Gallagher", "siobhan.gallagher@nhs.net")
    assert p.to == (Address("Zoë Hartley", "zoe@nhs.net"), Address("Nuñez, Ana", "ana@nhs.net"))
    assert p.cc == (
        Address("Łukasz Nowak", "lukasz.nowak@nhs.net"),
        Address("Ayşe", "ayse@nhs.net"),
    )
    assert p.subject == "Nomination – PSS"


def test_quoted_surname_forename_display_name_is_one_address() -> None:
    raw = eml('From: "SMITH, Jane (NORTHSHIRE HOSPITALS NHS TRUST)" <Jane.Smith@nhs.net>\n', "x")
    p = parse_email(raw)
    assert p.from_ == Address("SMITH, Jane (NORTHSHIRE HOSPITALS NHS TRUST)", "jane.smith@nhs.net")


def test_unquoted_surname_forename_display_name_is_one_address() -> None:
    (addr,) = parse_addresses("SMITH, Jane (NORTHSHIRE HOSPITALS NHS TRUST) <jane.smith@nhs.net>")
    assert addr == Address("SMITH, Jane (NORTHSHIRE HOSPITALS NHS TRUST)", "jane.smith@nhs.net")


def test_encoded_comma_does_not_split_the_name() -> None:
    assert parse_addresses("=?utf-8?q?SMITH=2C_Jane?= <j@nhs.net>") == (
        Address("SMITH, Jane", "j@nhs.net"),
    )


def test_folded_address_header() -> None:
    assert parse_addresses('"THOMPSON, Gary (WRENFIELD)"\r\n <Gary.Thompson31@nhs.net>') == (
        Address("THOMPSON, Gary (WRENFIELD)", "gary.thompson31@nhs.net"),
    )


def test_mailer_daemon_comment_form() -> None:
    assert parse_addresses("MAILER-DAEMON@mx1.example (Mail Delivery System)") == (
        Address("Mail Delivery System", "mailer-daemon@mx1.example"),
    )


def test_group_and_empty_items_are_skipped() -> None:
    assert parse_addresses("undisclosed-recipients:;") == ()
    assert parse_addresses("a@b.example, , C@D.example") == (
        Address("", "a@b.example"),
        Address("", "c@d.example"),
    )


def test_raw_utf8_in_header() -> None:
    raw = "From: Zoë Hartley <zoe@nhs.net>\r\nSubject: Zoë\r\n\r\nx".encode("utf-8")
    p = parse_email(raw)
    assert p.from_ == Address("Zoë Hartley", "zoe@nhs.net")
    assert p.subject == "Zoë"


def test_sender_only_when_different_from_from() -> None:
    base = "From: Helen Marsh <helen.marsh@nhs.net>\nSubject: x\n"
    same = parse_email(eml(base + "Sender: helen.marsh@nhs.net\n", "x"))
    assert same.sender is None
    pa = parse_email(eml(base + "Sender: Joanne Firth <Joanne.Firth@nhs.net>\n", "x"))
    assert pa.sender == Address("Joanne Firth", "joanne.firth@nhs.net")


def test_reply_to_and_threading_headers() -> None:
    raw = eml(
        """
From: a@nhs.net
Reply-To: PA <pa@nhs.net>
Subject: Re: [pss-000231] Nomination, also PSS 000232 and PSS-000231
In-Reply-To: <r1@pss.england.example>
References: <first@nhs.net>
 <r1@pss.england.example>
Message-ID: <x@nhs.net>
""",
        "ok",
    )
    p = parse_email(raw)
    assert p.reply_to == (Address("PA", "pa@nhs.net"),)
    assert p.in_reply_to == "<r1@pss.england.example>"
    assert p.references == ("<first@nhs.net>", "<r1@pss.england.example>")
    assert p.case_references == ("PSS-000231", "PSS-000232")
    assert p.message_id == "<x@nhs.net>"
    assert p.header("in-reply-to") == "<r1@pss.england.example>"
    assert p.headers["references"] == ("<first@nhs.net> <r1@pss.england.example>",)


def test_message_id_without_brackets_is_bracketed() -> None:
    p = parse_email(eml("Message-ID: abc@host.example\n", "x"))
    assert p.message_id == "<abc@host.example>"
    assert parse_email(eml("Subject: x\n", "x")).message_id is None


def test_date_is_aware_or_none() -> None:
    p = parse_email(eml("Date: Mon, 14 Apr 2025 17:58:40 +0100\n", "x"))
    assert p.date == dt.datetime(2025, 4, 14, 17, 58, 40, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    minus = parse_email(eml("Date: Mon, 14 Apr 2025 17:58:40 -0000\n", "x"))
    assert minus.date is not None and minus.date.utcoffset() == dt.timedelta(0)
    bad = parse_email(eml("Date: sometime next week\n", "x"))
    assert bad.date is None
    assert "Date header could not be read" in bad.defects


def test_headers_map_is_decoded_and_keeps_every_value() -> None:
    raw = eml("Received: one\nReceived: two\nSubject: =?utf-8?q?a_b?=\n X\n", "x")
    p = parse_email(raw)
    assert p.headers["received"] == ("one", "two")
    assert p.headers["subject"] == ("a b X",)


def test_return_path_empty() -> None:
    assert parse_email(eml("Return-Path: <>\n", "x")).return_path_empty
    assert not parse_email(eml("Return-Path: <a@b.example>\n", "x")).return_path_empty
    assert not parse_email(eml("Subject: x\n", "x")).return_path_empty


# -- charsets and transfer encodings ---------------------------------------------------------


def test_iso_8859_1_is_read_as_windows_1252() -> None:
    raw = eml(
        "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n",
        b"The Trust\x92s nominee is Zo\xeb \x96 \x93first\x94.",
    )
    p = parse_email(raw)
    assert p.body.full == "The Trust’s nominee is Zoë – “first”."


def test_us_ascii_quoted_printable_0x92() -> None:
    raw = eml(
        "Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: quoted-printable\n",
        b"We haven=92t had one.",
    )
    assert parse_email(raw).body.full == "We haven’t had one."


def test_unknown_charset_falls_back() -> None:
    raw = eml("Content-Type: text/plain; charset=x-unknown\n", "Ciarán Doherty".encode())
    p = parse_email(raw)
    assert p.body.full == "Ciarán Doherty"
    assert "undecodable charset x-unknown" in p.defects
    latin = eml("Content-Type: text/plain; charset=x-bogus\n", b"Ciar\xe1n")
    assert parse_email(latin).body.full == "Ciarán"


def test_declared_utf8_that_is_not() -> None:
    p = parse_email(eml("Content-Type: text/plain; charset=utf-8\n", b"Ciar\xe1n"))
    assert p.body.full == "Ciarán"
    assert any("not valid in declared charset utf-8" in d for d in p.defects)


def test_no_mime_headers_8bit_utf8_body() -> None:
    raw = eml("From: a@nhs.net\nSubject: PSS\n", "Name: Ciarán Doherty\nSiobhán")
    p = parse_email(raw)
    assert p.body.full == "Name: Ciarán Doherty\nSiobhán"


def test_no_mime_headers_8bit_windows_1252_body() -> None:
    p = parse_email(eml("Subject: PSS\n", b"Name: Ciar\xe1n \x96 ok"))
    assert p.body.full == "Name: Ciarán – ok"


def test_base64_body_and_crlf_and_invisible_characters() -> None:
    text = "Name:\u00a0Priya\u200b Shah\r\nBand\u00ad 8a\r\nTrust’s"
    raw = eml(
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n",
        base64.encodebytes(text.encode("utf-8")),
    )
    assert parse_email(raw).body.full == "Name: Priya Shah\nBand 8a\nTrust’s"


def test_format_flowed_is_unwrapped() -> None:
    raw = eml(
        "Content-Type: text/plain; charset=utf-8; format=flowed\n",
        "Our nominee is Priya Shah who \nstarts in May.\n\n> quoted line that \n> continues\n",
    )
    p = parse_email(raw)
    assert "Our nominee is Priya Shah who starts in May." in p.body.new
    assert "> quoted line that continues" in p.body.quoted


# -- structure -------------------------------------------------------------------------------


def test_alternative_prefers_plain_but_keeps_html() -> None:
    raw = eml(
        'Content-Type: multipart/alternative; boundary="b"\n',
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain PSS text\r\n"
        "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html text</p>\r\n--b--\r\n",
    )
    p = parse_email(raw)
    assert p.body.full == "plain PSS text"
    assert p.html == "<p>html text</p>"


def test_alternative_with_blank_plain_uses_html() -> None:
    raw = eml(
        'Content-Type: multipart/alternative; boundary="b"\n',
        "--b\r\nContent-Type: text/plain\r\n\r\n \r\n \r\n"
        "--b\r\nContent-Type: text/html\r\n\r\n<p>Name&nbsp;Priya</p>\r\n--b--\r\n",
    )
    assert parse_email(raw).body.full == "Name Priya"


def test_html_only_outlook_table() -> None:
    html = (
        "<html><head><style>p {margin:0}</style></head><body>"
        "<!--[if gte mso 9]><xml><o:shapedefaults/></xml><![endif]-->"
        "<p class=MsoNormal>Details:<o:p></o:p></p>"
        "<table class=MsoTableGrid><tr><td><p class=MsoNormal>Name<o:p></o:p></p></td>"
        "<td><p class=MsoNormal>Priya Shah<o:p></o:p></p></td></tr>"
        "<tr><td><p class=MsoNormal>Email<o:p></o:p></p></td><td><p class=MsoNormal>"
        '<a href="mailto:priya.shah@nhs.net">priya.shah@nhs.net</a><o:p></o:p></p></td></tr>'
        "</table></body></html>"
    )
    p = parse_email(eml("Content-Type: text/html; charset=utf-8\n", html))
    assert p.body.full == "Details:\nName | Priya Shah\nEmail | priya.shah@nhs.net"
    assert p.html == html


def test_related_html_with_inline_cid_image_is_not_an_attachment() -> None:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()
    raw = eml(
        'Content-Type: multipart/related; boundary="r"\n',
        "--r\r\nContent-Type: text/html\r\n\r\n"
        '<p>Hello PSS</p><img src="cid:image001.png@01">\r\n'
        "--r\r\nContent-Type: image/png; name=image001.png\r\nContent-ID: <image001.png@01>\r\n"
        "Content-Disposition: inline; filename=image001.png\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{png}\r\n--r--\r\n",
    )
    p = parse_email(raw)
    assert p.attachments == ()
    assert p.body.full == "Hello PSS"


def test_attachment_listing_in_walk_order() -> None:
    raw = eml(
        'Content-Type: multipart/mixed; boundary="m"\n',
        '--m\r\nContent-Type: multipart/alternative; boundary="a"\r\n\r\n'
        "--a\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
        "--a\r\nContent-Type: text/html\r\n\r\n<p>see attached</p>\r\n--a--\r\n"
        "--m\r\nContent-Type: text/plain; charset=utf-8; name=notes.txt\r\n"
        'Content-Disposition: attachment; filename="=?utf-8?q?n=C3=B3tes.txt?="\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\nNominee: Priya Shah=0A07700 900123\r\n"
        "--m\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=scan.jpg\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n--m--\r\n",
    )
    p = parse_email(raw)
    notes, scan = p.attachments
    assert (notes.filename, notes.content_type, notes.part_index) == ("nótes.txt", "text/plain", 4)
    assert notes.text == "Nominee: Priya Shah\n07700 900123"
    assert notes.size == len(b"Nominee: Priya Shah\n07700 900123")
    assert (scan.filename, scan.content_type, scan.part_index, scan.size) == (
        "scan.jpg",
        "image/jpeg",
        5,
        6,
    )
    assert scan.text is None and scan.error is None
    assert p.body.full == "see attached"
    # part_index matches the stdlib's walk of the same bytes.
    walked = list(email.message_from_bytes(raw).walk())
    assert walked[4].get_filename() is not None


def test_message_rfc822_forward_becomes_forwarded_text() -> None:
    inner = (
        "From: Helen Marsh <helen.marsh@nhs.net>\r\n"
        "Date: Mon, 3 Feb 2025 09:00:00 +0000\r\n"
        "Subject: =?utf-8?q?PSS_nomination_=E2=80=93_Northshire?=\r\n"
        "Message-ID: <inner@nhs.net>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Our PSS is Priya Shah, priya.shah@nhs.net.\r\n"
    )
    raw = eml(
        "From: Joanne Firth <joanne.firth@nhs.net>\nSubject: FW: PSS\n"
        'Content-Type: multipart/mixed; boundary="m"\n',
        "--m\r\nContent-Type: text/plain\r\n\r\nForwarding as requested.\r\n"
        "--m\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
        + inner
        + "--m--\r\n",
    )
    p = parse_email(raw)
    assert p.attachments == ()
    assert p.body.new == "Forwarding as requested."
    assert p.body.forwarded == (
        "From: Helen Marsh <helen.marsh@nhs.net>\n"
        "Date: Mon, 3 Feb 2025 09:00:00 +0000\n"
        "Subject: PSS nomination – Northshire\n\n"
        "Our PSS is Priya Shah, priya.shah@nhs.net."
    )
    assert p.classification == Classification.NOMINATION


def test_truncated_multipart_keeps_readable_text() -> None:
    raw = eml(
        'Subject: PSS\nContent-Type: multipart/mixed; boundary="m"\n',
        "--m\r\nContent-Type: text/plain\r\n\r\nOur PSS is Priya Shah.\r\n"
        "--m\r\nContent-Type: application/pdf; name=a.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLj",
    )
    p = parse_email(raw)
    assert "multipart without closing boundary" in p.defects
    assert p.body.full == "Our PSS is Priya Shah."
    assert not p.unreadable
    assert p.attachments[0].content_type == "application/pdf"
    assert p.attachments[0].text is None and p.attachments[0].error


def test_smime_signature_part_is_not_listed() -> None:
    raw = eml(
        'Content-Type: multipart/signed; boundary="s"; protocol="application/pkcs7-signature"\n',
        "--s\r\nContent-Type: text/plain\r\n\r\nsigned PSS text\r\n"
        "--s\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--s--\r\n",
    )
    p = parse_email(raw)
    assert p.attachments == ()
    assert p.body.full == "signed PSS text"


def test_nesting_beyond_the_limit_is_recorded() -> None:
    body = ""
    for i in range(MAX_MIME_DEPTH + 5):
        body += f"--b{i}\r\nContent-Type: multipart/mixed; boundary=b{i + 1}\r\n\r\n"
    body += f"--b{MAX_MIME_DEPTH + 5}\r\nContent-Type: text/plain\r\n\r\ndeep\r\n"
    p = parse_email(eml("Content-Type: multipart/mixed; boundary=b0\n", body))
    assert any("nested deeper" in d for d in p.defects)
    assert p.unreadable


def test_binary_garbage_body_is_unreadable() -> None:
    garbage = bytes(range(256)) * 20
    p = parse_email(eml("Subject: PSS\nContent-Type: text/plain; charset=utf-8\n", garbage))
    assert p.unreadable
    assert p.body.full == ""
    assert "unreadable text/plain part (binary data)" in p.defects


# -- never raises ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        os.urandom(4096),
        b"\x00" * 1000,
        b"From: " + b"(" * 50000 + b"\r\n\r\nx",
        b"Subject: " + b"a" * 200000 + b"\r\n\r\nx",
        b"Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
        + b"".join(
            b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (i, i + 1)
            for i in range(3000)
        ),
        b"Content-Type: message/rfc822\r\n\r\n" * 3000,
        b"Content-Type: text/html\r\n\r\n" + b"<div>" * 50000 + b"<table><tr><td>" * 3000,
        b"Content-Type: text/plain; charset=utf-16\r\n\r\nabc",
        b"Content-Type: text/plain; charset=undefined\r\n\r\nabc",
        b"Content-Type: multipart/alternative\r\n\r\nno boundary",
        b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!",
    ],
    ids=[
        "empty",
        "random",
        "nul",
        "comment-bomb",
        "huge-header",
        "deep-multipart",
        "deep-rfc822",
        "hostile-html",
        "utf16",
        "undefined-codec",
        "no-boundary",
        "bad-base64",
    ],
)
def test_never_raises(raw: bytes) -> None:
    p = parse_email(raw)
    assert isinstance(p.classification, Classification)
    assert isinstance(p.defects, tuple)


def test_empty_bytes() -> None:
    p = parse_email(b"")
    assert p.unreadable
    assert p.classification == Classification.OTHER
    assert p.from_ is None and p.message_id is None and p.subject == ""


def test_unexpected_failure_gives_a_parse_failed_result(monkeypatch: pytest.MonkeyPatch) -> None:
    import parsing.mime as mime

    def boom(*args: object, **kwargs: object) -> object:
        raise KeyError("secret personal data")

    monkeypatch.setattr(mime, "split_body", boom)
    p = parse_email(eml("Subject: PSS\nMessage-ID: <m@x.example>\n", "Priya"))
    assert p.defects == ("parse failed: KeyError",)
    assert p.unreadable and p.classification == Classification.OTHER
    assert p.message_id == "<m@x.example>" and p.subject == "PSS"


def test_decomposed_letters_are_composed() -> None:
    p = parse_email(eml("Subject: x\n", "Zoe\u0308 Hartley"))
    assert p.body.full == "Zo\u00eb Hartley"


def test_large_attachment_memory_stays_near_three_times_the_message() -> None:
    import tracemalloc

    payload = base64.encodebytes(os.urandom(6 * 1024 * 1024)).replace(b"\n", b"\r\n")
    raw = eml(
        'Subject: big\nContent-Type: multipart/mixed; boundary="m"\n',
        b"--m\r\nContent-Type: text/plain\r\n\r\nPSS nomination attached.\r\n"
        b"--m\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf"
        b"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + payload + b"--m--\r\n",
    )
    del payload
    parse_email(eml("Subject: warm-up\n", "x"))
    tracemalloc.start()
    try:
        p = parse_email(raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert p.attachments[0].size == 6 * 1024 * 1024
    assert peak < 4 * len(raw)


def test_thread_ids_wrongly_wrapped_in_encoded_words_still_thread() -> None:
    # Some mailers fold a long In-Reply-To into RFC 2047 encoded words; the ID is still there.
    from parsing import parse_email

    raw = (b"From: Diane Whitlock <diane.whitlock@ravensworth.nhs.uk>\r\n"
           b"To: pss.nominations@england.example\r\nSubject: Re: PSS\r\n"
           b"In-Reply-To: =?utf-8?q?=3CBN8PR11MB36654D2E0A5B=40BN8PR?= =?utf-8?q?11MB3666"
           b"=2Eoutlook=2Ecom=3E?=\r\n"
           b"References: =?utf-8?q?=3Cfirst=40ravensworth=2Enhs=2Euk=3E?= <second@ravensworth.nhs.uk>\r\n"
           b"\r\nPlease withdraw the nomination below.\r\n")
    parsed = parse_email(raw)
    assert parsed.in_reply_to == "<BN8PR11MB36654D2E0A5B@BN8PR11MB3666.outlook.com>"
    assert parsed.references == ("<first@ravensworth.nhs.uk>", "<second@ravensworth.nhs.uk>")
