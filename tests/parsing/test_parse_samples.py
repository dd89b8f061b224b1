"""The ten shared sample messages parse to the expected headers, classification and text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsing import Classification, parse_email
from parsing.html import html_to_text
from parsing.text import normalise_text

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
OUR_DOMAINS = frozenset({"pss.england.example"})
EXPECTED = {e["file"]: e for e in json.loads((SAMPLES / "expected.json").read_text("utf-8"))}

HEADERS = {
    "S01.eml": (
        "helen.marsh@northshire.nhs.uk",
        "Patient Safety Specialist nomination - Northshire Hospitals NHS Foundation Trust",
        "<1462acfd3f7301c9.c7026cf8@EXCH02.northshire.nhs.uk>",
    ),
    "S02.eml": (
        "margaret.osei@nhs.net",
        "Change of Patient Safety Specialist – NHS Wessex Vale ICB",
        "<LO7P265MB28987A16E8CDBD5C@LO7P265MB2898.PROD.OUTLOOK.example>",
    ),
    "S03.eml": (
        "claire.pemberton3@nhs.net",
        "Nomination – Patient Safety Specialist (Harbourside MHFT)",
        "<LO2P265MB282291F5DFE0C350@LO2P265MB2822.PROD.OUTLOOK.example>",
    ),
    "S04.eml": (
        "claire.pemberton3@nhs.net",
        "RE: [PSS-000231] Patient Safety Specialist nomination – further information required",
        "<LO7P265MB96323004D54BB4BF@LO7P265MB9632.PROD.OUTLOOK.example>",
    ),
    "S05.eml": (
        "nicholas.farrant@nhs.net",
        "Kestrel Valley ICB - Patient Safety Specialists",
        "<LO6P265MB993122B3D4EABF43@LO6P265MB9931.PROD.OUTLOOK.example>",
    ),
    "S06.eml": (
        "michael.thorne@brackenridgehospice.example.org",
        "Automatic reply: [PSS-000284] Patient Safety Specialist nomination – further "
        "information required",
        "<LO5P265MB488789F9493ADB56@LO5P265MB4887.PROD.OUTLOOK.example>",
    ),
    "S07.eml": (
        "mailer-daemon@mx1.england.example",
        "Undelivered Mail Returned to Sender",
        "<20250121170241.4F2A81C0A2@mx1.england.example>",
    ),
    "S08.eml": (
        "elaine.robson@nhs.net",
        "PSS nomination letter",
        "<LO3P265MB18827EA5AE4A9F65@LO3P265MB1882.PROD.OUTLOOK.example>",
    ),
    "S09.eml": (
        "paula.hargreaves@nhs.net",
        "PSS nomination - Fellside Community Health NHS Trust",
        "<de2c1f928f604373.1f5defc4@relay.fellside.example.org>",
    ),
    "S10.eml": (
        "gary.thompson31@nhs.net",
        "new PSS",
        "<LO6P265MB207573DDC5BEF1E1@LO6P265MB2075.PROD.OUTLOOK.example>",
    ),
}


def parse(name: str):  # type: ignore[no-untyped-def]
    return parse_email((SAMPLES / name).read_bytes(), own_message_id_domains=OUR_DOMAINS)


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_sample_headers_and_classification(name: str) -> None:
    p = parse(name)
    from_addr, subject, message_id = HEADERS[name]
    assert p.from_ is not None and p.from_.addr == from_addr
    assert p.subject == subject
    assert p.message_id == message_id
    assert p.classification == Classification(EXPECTED[name]["classification"])
    assert p.date is not None and p.date.tzinfo is not None
    assert not p.unreadable
    assert p.defects == ()


def test_s02_comma_display_name_is_one_address() -> None:
    p = parse("S02.eml")
    assert p.from_ is not None
    assert p.from_.name == "OSEI, Margaret (NHS WESSEX VALE ICB)"
    assert p.from_.domain == "nhs.net"


def test_s03_html_only_windows_1252_text() -> None:
    p = parse("S03.eml")
    assert p.html is not None and "MsoNormal" in p.html
    assert "Zoë Hartley-Brown" in p.body.new
    assert "Trust’s first PSS – we haven’t" in p.body.new
    assert "“Identifying Patient Safety Specialists”" in p.body.new
    assert "zoe.hartley-brown@nhs.net" in p.body.new
    assert "0117 496 0600" in p.body.signature
    assert "0117 496 0600" not in p.body.new
    assert "&nbsp;" not in p.body.full and "\u00a0" not in p.body.full


def test_s04_reply_split() -> None:
    p = parse("S04.eml")
    assert p.case_references == ("PSS-000231",)
    assert p.in_reply_to == "<pss-000231.r1@pss.england.example>"
    assert p.references == (
        "<LO2P265MB282291F5DFE0C350@LO2P265MB2822.PROD.OUTLOOK.example>",
        "<pss-000231.r1@pss.england.example>",
    )
    assert "+44 (0)7700 900512" in p.body.new
    assert "0117 496 0600" not in p.body.new
    assert "PSS-000231" not in p.body.new
    assert "0117 496 0600" in p.body.signature
    assert "logged under case reference PSS-000231" in p.body.quoted
    assert "please send us:" in p.body.quoted
    assert p.body.forwarded == ""


def test_s04_follow_up_by_in_reply_to_alone() -> None:
    raw = (SAMPLES / "S04.eml").read_bytes().replace(b"[PSS-000231] ", b"")
    p = parse_email(raw, own_message_id_domains=OUR_DOMAINS)
    assert p.case_references == ()
    assert p.classification == Classification.FOLLOW_UP


def test_s05_plain_and_html_give_the_same_addresses() -> None:
    p = parse("S05.eml")
    assert p.html is not None
    from_html = normalise_text(html_to_text(p.html))
    for addr in ("amara.okafor@nhs.net", "lukasz.nowak@nhs.net"):
        assert addr in p.body.new
        assert addr in from_html
    assert "Łukasz Nowak" in p.body.new and "Łukasz Nowak" in from_html
    assert "020 7946 0300" in p.body.signature


def test_s06_auto_reply() -> None:
    p = parse("S06.eml")
    assert p.is_auto_submitted
    assert p.classification == Classification.AUTO_REPLY
    assert "Michael Thorne" in p.body.signature


def test_s07_bounce() -> None:
    p = parse("S07.eml")
    assert p.classification == Classification.BOUNCE
    assert p.return_path_empty
    assert p.from_ is not None and p.from_.name == "Mail Delivery System"
    assert p.bounced_message_id == "<pss-000226.n2@pss.england.example>"
    assert p.bounce_recipients == ("mark.ellison@nhs.net",)
    assert p.permanent_failure
    # The returned message is an attachment, not body text and not a forward.
    assert "Siobhán" not in p.body.full
    assert p.body.forwarded == ""
    (returned,) = p.attachments
    assert returned.content_type == "message/rfc822"
    assert returned.part_index == 5
    assert returned.text is not None and "Siobhán Gallagher" in returned.text


def test_s08_docx_attachment() -> None:
    p = parse("S08.eml")
    (att,) = p.attachments
    assert att.filename == "PSS nomination letter - Westerby and Tamsworth ICB.docx"
    assert att.part_index == 2
    assert att.size > 30000
    assert att.error is None
    assert att.text is not None and "Chidi Eze" in att.text
    assert "Email | chidi.eze@nhs.net" in att.text
    assert "Telephone | 020 7946 0817" in att.text


def test_s09_non_mime_utf8_body() -> None:
    p = parse("S09.eml")
    assert "Ciarán Doherty" in p.body.new
    assert "\ufffd" not in p.body.full
    assert p.body.signature.startswith("Paula Hargreaves")


def test_s10_outlook_mobile_signature() -> None:
    p = parse("S10.eml")
    assert p.body.new == "Please note our new PSS is Dr Ahmed Raza."
    assert p.body.signature.startswith("Thanks")
    assert p.body.signature.endswith("Get Outlook for Android")
    assert p.from_ is not None
    assert p.from_.name == "THOMPSON, Gary (WRENFIELD HOSPITALS NHS TRUST)"


def test_s01_signature_holds_executive_and_disclaimer() -> None:
    p = parse("S01.eml")
    assert "Telephone: 07700 900123" in p.body.new
    assert "0113 496 0100" not in p.body.new
    assert "0113 496 0100" in p.body.signature
    assert "Switchboard: 0113 496 0000" in p.body.signature
    assert p.body.quoted == ""
