"""``replies.render``: who gets a reply, how they are greeted, and the reply message itself."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.utils import getaddresses

import pytest

from parsing.model import Address, Classification
from replies.render import greeting_name, missing_words, render_reply, reply_address, reply_order
from validation.models import CaseReading, NominationType, PersonReading

OWN = frozenset({"pss.nominations@england.example", "patientsafety.team@england.example"})
ORG = "Northshire Hospitals NHS Foundation Trust"
FROM_ADDRESS = "PSS Nominations <pss.nominations@england.example>"
TEAM = "National Patient Safety Team"
DOMAIN = "pss.england.example"
NOW = dt.datetime(2024, 3, 5, 10, 30, tzinfo=dt.UTC)
CLAIRE = Address(
    name="PEMBERTON, Claire (HARBOURSIDE HEALTHCARE NHS FOUNDATION TRUST)",
    addr="claire.pemberton@nhs.net",
)
GUIDANCE_WORDS = (
    "confirmation that the \u201cIdentifying Patient Safety Specialists\u201d document was "
    "considered in making this nomination"
)
TYPE_WORDS = (
    "whether the new Patient Safety Specialist is the organisation's first, is replacing "
    "someone currently in post, or is in addition to those in post"
)


# --- reply_address --------------------------------------------------------------------------


def test_reply_goes_to_the_sender(make_parsed) -> None:
    parsed = make_parsed()
    assert reply_address(parsed, OWN) == Address(name="Dr Helen Marsh", addr="helen.marsh@nhs.net")


def test_reply_to_beats_from(make_parsed) -> None:
    pa = Address(name="Janet Pike (PA to Dr Marsh)", addr="janet.pike@nhs.net")
    parsed = make_parsed(reply_to=(pa,))
    assert reply_address(parsed, OWN) == pa


@pytest.mark.parametrize(
    "overrides",
    [
        {"classification": Classification.AUTO_REPLY, "is_auto_submitted": True},
        {"classification": Classification.BOUNCE},
        {"is_bulk": True},
        {"is_auto_submitted": True},
        {"return_path_empty": True},
        {"from_": None},
    ],
    ids=["auto-reply", "bounce", "bulk", "auto-submitted", "empty-return-path", "no-from"],
)
def test_no_reply_to_automatic_mail(make_parsed, overrides) -> None:
    assert reply_address(make_parsed(**overrides), OWN) is None


@pytest.mark.parametrize(
    "addr",
    [
        "no-reply@nhs.net",
        "noreply@england.example",
        "noreply+x@nhs.net",
        "no_reply@trust.nhs.uk",
        "donotreply@trust.nhs.uk",
        "do-not-reply@trust.nhs.uk",
        "mailer-daemon@nhs.net",
        "postmaster@trust.nhs.uk",
        "bounces+pss=england.example@lists.example",
    ],
)
def test_no_reply_to_no_reply_addresses(make_parsed, addr: str) -> None:
    parsed = make_parsed(from_=Address(name="", addr=addr))
    assert reply_address(parsed, OWN) is None


def test_no_reply_when_reply_to_is_a_no_reply_address(make_parsed) -> None:
    parsed = make_parsed(reply_to=(Address(name="", addr="no-reply@trust.nhs.uk"),))
    assert reply_address(parsed, OWN) is None


def test_no_reply_to_a_noreply_suffix_address(make_parsed) -> None:
    parsed = make_parsed(from_=Address(name="", addr="alerts-noreply@trust.nhs.uk"))
    assert reply_address(parsed, OWN) is None


@pytest.mark.parametrize("addr", ["pss.nominations@england.example",
                                  "patientsafety.team@england.example"])
def test_no_reply_to_our_own_addresses(make_parsed, addr: str) -> None:
    parsed = make_parsed(from_=Address(name="PSS Nominations", addr=addr))
    assert reply_address(parsed, OWN) is None


def test_words_resembling_no_reply_are_not_refused(make_parsed) -> None:
    # "Noreen" starts with "no" but is a person.
    noreen = Address(name="Noreen Reilly", addr="noreen.reilly@nhs.net")
    assert reply_address(make_parsed(from_=noreen), OWN) == noreen


# --- greeting_name --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("display", "expected"),
    [
        ("OSEI, Margaret (NHS WESSEX VALE ICB)", "Margaret Osei"),
        ("PEMBERTON, Claire (HARBOURSIDE HEALTHCARE NHS FOUNDATION TRUST)", "Claire Pemberton"),
        ("HARTLEY-BROWN, Zoë (NORTHSHIRE HOSPITALS NHS FOUNDATION TRUST)", "Zoë Hartley-Brown"),
        ("O'BRIEN, Siobhán (NHS ENGLAND)", "Siobhán O'Brien"),
        ("Marsh, Helen", "Helen Marsh"),
        ("Dr Helen Marsh", "Dr Helen Marsh"),
        ("Dr Helen Marsh (NHS England)", "Dr Helen Marsh"),
        ("", "colleague"),
        ("(NHS ENGLAND)", "colleague"),
    ],
)
def test_greeting_name(display: str, expected: str) -> None:
    assert greeting_name(Address(name=display, addr="someone@nhs.net")) == expected


def test_greeting_name_all_capitals_directory_entry() -> None:
    address = Address(name="OSEI, MARGARET (NHS WESSEX VALE ICB)", addr="margaret.osei@nhs.net")
    assert greeting_name(address) == "Margaret Osei"


def test_greeting_name_when_the_display_name_is_the_address() -> None:
    address = Address(name="helen.marsh@nhs.net", addr="helen.marsh@nhs.net")
    assert greeting_name(address) == "colleague"


# --- missing_words --------------------------------------------------------------------------


def _reading() -> CaseReading:
    return CaseReading(
        nomination_type=NominationType.REPLACEMENT,
        nominees=[PersonReading(name="Priya Shah", email="priya.shah@nhs.net"),
                  PersonReading(email="adam.clarke@nhs.net")],
        replaced=[PersonReading(name="Gareth Lloyd")],
    )


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("nomination_type", TYPE_WORDS),
        ("guidance_confirmation", GUIDANCE_WORDS),
        ("nominees[0].phone",
         "a contact telephone number for the new Patient Safety Specialist, Priya Shah"),
        ("nominees[0].email", "an email address for the new Patient Safety Specialist, Priya Shah"),
        ("nominees[1].name", "the full name of the new Patient Safety Specialist whose email "
                             "address is adam.clarke@nhs.net"),
        ("nominees[1].phone", "a contact telephone number for the new Patient Safety Specialist "
                              "whose email address is adam.clarke@nhs.net"),
        ("replaced[0].email",
         "an email address for the Patient Safety Specialist being replaced, Gareth Lloyd"),
        ("replaced[0].phone",
         "a contact telephone number for the Patient Safety Specialist being replaced, "
         "Gareth Lloyd"),
        ("replaced[1].name", "the full name of the Patient Safety Specialist being replaced"),
    ],
)
def test_missing_words(item: str, expected: str) -> None:
    assert missing_words(item, _reading()) == expected


def test_missing_words_for_a_person_not_yet_known() -> None:
    # "index 0 when the person is absent altogether"
    empty = CaseReading()
    assert missing_words("nominees[0].name", empty) == (
        "the full name of the new Patient Safety Specialist"
    )
    assert missing_words("nominees[0].email", empty) == (
        "an email address of the new Patient Safety Specialist"
    )
    assert missing_words("replaced[0].phone", empty) == (
        "a contact telephone number of the Patient Safety Specialist being replaced"
    )


def test_name_is_never_used_to_ask_for_the_name() -> None:
    # Asking for the name of "Priya Shah" would make no sense, whatever the reading says.
    assert missing_words("nominees[0].name", _reading()) == (
        "the full name of the new Patient Safety Specialist whose email address is "
        "priya.shah@nhs.net"
    )


def test_missing_words_tell_two_nameless_nominees_apart() -> None:
    reading = CaseReading(nominees=[PersonReading(email="priya.shah@nhs.net"),
                                    PersonReading(email="adam.clarke@nhs.net")])
    assert missing_words("nominees[0].phone", reading) != missing_words(
        "nominees[1].phone", reading)


# --- render_reply ---------------------------------------------------------------------------


def _answered(make_parsed):
    return make_parsed(
        message_id="<CWLP123MB4567.nomination@CWLP123.prod.outlook.com>",
        references=("<earlier.1@nhs.net>",),
        from_=CLAIRE,
    )


def _confidential_reading() -> CaseReading:
    return CaseReading(
        nomination_type=NominationType.FIRST,
        organisation=ORG,
        nominees=[PersonReading(
            name="Priya Shah", email="priya.shah@nhs.net", phone=None,
            job_title="Associate Director of Clinical Governance", pay_band="8c",
            pay_band_raw="AfC Band 8c",
        )],
    )


def _render(make_parsed, template="sender:request:missing-items", reading=None, missing=None,
            to=CLAIRE, answered="default", from_address=FROM_ADDRESS):
    rendered = render_reply(
        template,
        reference="PSS-000123",
        reading=reading if reading is not None else _confidential_reading(),
        missing=missing if missing is not None else ["guidance_confirmation",
                                                     "nominees[0].phone"],
        to=to,
        in_reply_to=_answered(make_parsed) if answered == "default" else answered,
        from_address=from_address,
        team_name=TEAM,
        message_id_domain=DOMAIN,
        now=NOW,
    )
    parsed = email.message_from_bytes(rendered.content, policy=email.policy.default)
    return rendered, parsed


def test_request_subject_carries_the_reference(make_parsed) -> None:
    rendered, msg = _render(make_parsed)
    assert "[PSS-000123]" in msg["Subject"]
    assert msg["Subject"] == (
        "[PSS-000123] Patient Safety Specialist nomination \u2013 further information required"
    )
    assert rendered.subject == msg["Subject"]


def test_ack_subject_carries_the_reference(make_parsed) -> None:
    rendered, msg = _render(make_parsed, template="sender:ack:complete", missing=[])
    assert msg["Subject"] == "[PSS-000123] Patient Safety Specialist nomination \u2013 received"


def test_threading_headers_follow_the_answered_message(make_parsed) -> None:
    _, msg = _render(make_parsed)
    assert msg["In-Reply-To"] == "<CWLP123MB4567.nomination@CWLP123.prod.outlook.com>"
    assert msg["References"].split() == [
        "<earlier.1@nhs.net>", "<CWLP123MB4567.nomination@CWLP123.prod.outlook.com>",
    ]


def test_no_threading_headers_without_an_answered_message(make_parsed) -> None:
    _, msg = _render(make_parsed, answered=None)
    assert msg["In-Reply-To"] is None
    assert msg["References"] is None


def test_reply_is_marked_auto_submitted(make_parsed) -> None:
    _, msg = _render(make_parsed)
    assert msg["Auto-Submitted"] == "auto-replied"
    assert len(msg.get_all("Auto-Submitted")) == 1


def test_exactly_one_recipient_even_with_a_comma_in_the_name(make_parsed) -> None:
    rendered, msg = _render(make_parsed)
    addresses = msg["To"].addresses
    assert len(addresses) == 1
    assert addresses[0].addr_spec == "claire.pemberton@nhs.net"
    assert addresses[0].display_name == (
        "PEMBERTON, Claire (HARBOURSIDE HEALTHCARE NHS FOUNDATION TRUST)"
    )
    # A naive reader of the raw header must not see two mailboxes either.
    raw_to = [v for k, v in email.message_from_bytes(rendered.content).items() if k == "To"]
    assert len(raw_to) == 1
    assert [a for _, a in getaddresses(raw_to)] == ["claire.pemberton@nhs.net"]
    assert rendered.recipients == ("claire.pemberton@nhs.net",)
    assert msg["Cc"] is None and msg["Bcc"] is None


def test_line_breaks_in_a_display_name_cannot_add_headers(make_parsed) -> None:
    sneaky = Address(name="Claire Pemberton\r\nBcc: someone@example.org",
                     addr="claire.pemberton@nhs.net")
    rendered, msg = _render(make_parsed, to=sneaky)
    assert msg["Bcc"] is None
    assert len(msg["To"].addresses) == 1
    assert msg["To"].addresses[0].addr_spec == "claire.pemberton@nhs.net"


def test_message_id_uses_the_configured_domain(make_parsed) -> None:
    rendered, msg = _render(make_parsed)
    assert msg["Message-ID"] == rendered.message_id
    assert rendered.message_id.startswith("<pss-000123.")
    assert rendered.message_id.endswith("@pss.england.example>")


def test_two_replies_get_different_message_ids(make_parsed) -> None:
    first, _ = _render(make_parsed)
    second, _ = _render(make_parsed)
    assert first.message_id != second.message_id


def test_from_and_date(make_parsed) -> None:
    _, msg = _render(make_parsed)
    assert msg["From"].addresses[0].addr_spec == "pss.nominations@england.example"
    assert msg["From"].addresses[0].display_name == "PSS Nominations"
    assert msg["Date"] == "Tue, 05 Mar 2024 10:30:00 +0000"


def test_from_address_with_a_comma_in_the_display_name(make_parsed) -> None:
    from_address = "Patient Safety, NHS England <pss.nominations@england.example>"
    _, msg = _render(make_parsed, from_address=from_address)
    assert msg["From"].addresses[0].addr_spec == "pss.nominations@england.example"


def test_lines_end_with_crlf(make_parsed) -> None:
    rendered, _ = _render(make_parsed)
    assert b"\r\n" in rendered.content
    assert b"\n" not in rendered.content.replace(b"\r\n", b"")


def test_request_body_greets_and_lists_each_missing_item(make_parsed) -> None:
    _, msg = _render(make_parsed)
    body = msg.get_content()
    lines = body.splitlines()
    assert lines[0] == "Dear Claire Pemberton,"
    assert "- " + GUIDANCE_WORDS in lines
    assert "- a contact telephone number for the new Patient Safety Specialist, Priya Shah" in lines
    assert "PSS-000123" in body
    assert TEAM in lines
    assert "pss.nominations@england.example" in lines


def test_request_body_lists_what_was_recorded(make_parsed) -> None:
    _, msg = _render(make_parsed)
    lines = msg.get_content().splitlines()
    assert "- Organisation: Northshire Hospitals NHS Foundation Trust" in lines
    assert "- Nomination: the organisation's first Patient Safety Specialist" in lines
    assert "- New Patient Safety Specialist: Priya Shah, priya.shah@nhs.net" in lines


def test_request_body_lists_the_missing_type_in_words(make_parsed) -> None:
    reading = CaseReading(nominees=[PersonReading(name="Priya Shah", email="priya.shah@nhs.net",
                                                  phone="+447700900123")],
                          guidance_confirmed=True)
    _, msg = _render(make_parsed, reading=reading, missing=["nomination_type"])
    lines = msg.get_content().splitlines()
    assert "- " + TYPE_WORDS in lines
    # The phone is shown as people write it, not in E.164.
    assert "- New Patient Safety Specialist: Priya Shah, priya.shah@nhs.net, 07700 900123" in lines


def test_ack_body_lists_the_record(make_parsed) -> None:
    reading = CaseReading(
        nomination_type=NominationType.REPLACEMENT,
        organisation=ORG,
        nominees=[PersonReading(name="Priya Shah", email="priya.shah@nhs.net",
                                phone="+441134960123")],
        replaced=[PersonReading(name="Gareth Lloyd", email="gareth.lloyd@nhs.net",
                                phone="+442079460456")],
        guidance_confirmed=True,
    )
    _, msg = _render(make_parsed, template="sender:ack:complete", reading=reading, missing=[])
    lines = msg.get_content().splitlines()
    assert lines[0] == "Dear Claire Pemberton,"
    assert "- Nomination: replacing a Patient Safety Specialist in post" in lines
    assert "- New Patient Safety Specialist: Priya Shah, priya.shah@nhs.net, 0113 496 0123" in lines
    assert "- Replacing: Gareth Lloyd, gareth.lloyd@nhs.net, 020 7946 0456" in lines
    assert ("- Identifying Patient Safety Specialists document: confirmed as considered"
            in lines)


@pytest.mark.parametrize("template", ["sender:request:missing-items", "sender:ack:complete"])
def test_confidential_fields_never_appear(make_parsed, template: str) -> None:
    missing = ["nominees[0].phone"] if template.startswith("sender:request") else []
    rendered, msg = _render(make_parsed, template=template, missing=missing)
    body = msg.get_content()
    assert "Associate Director of Clinical Governance" not in body
    assert "8c" not in body
    assert "AfC Band" not in body
    assert b"Clinical Governance" not in rendered.content


def test_unknown_template_key_is_refused(make_parsed) -> None:
    with pytest.raises(KeyError):
        _render(make_parsed, template="sender:request:everything")


def test_missing_items_are_asked_in_reading_order() -> None:
    items = ["replaced[0].phone", "nominees[0].phone", "nominees[0].email", "nominees[0].name",
             "guidance_confirmation", "nomination_type", "nominees[1].name", "replaced[0].name"]
    assert sorted(items, key=reply_order) == [
        "nomination_type", "guidance_confirmation", "nominees[0].name", "nominees[0].email",
        "nominees[0].phone", "nominees[1].name", "replaced[0].name", "replaced[0].phone"]


def test_a_follow_up_is_thanked_for_the_further_details(make_parsed) -> None:
    rendered = render_reply(
        "sender:ack:complete", reference="PSS-000123", reading=CaseReading(), missing=[],
        to=Address(name="Dr Helen Marsh", addr="helen.marsh@nhs.net"), in_reply_to=None,
        from_address="PSS Nominations <pss.nominations@england.example>",
        team_name="National Patient Safety Team", message_id_domain="pss.england.example",
        follow_up=True)
    body = email.message_from_bytes(rendered.content, policy=email.policy.default).get_content()
    assert ("Thank you for the further details about your Patient Safety Specialist "
            "nomination, case reference PSS-000123.") in body


@pytest.mark.parametrize("addr", ["jane@noreply.nhs.net", "owner-pss-list@lists.nhs.net",
                                  '"x"@y', "a@b@c"])
def test_no_reply_to_unanswerable_addresses(make_parsed, addr: str) -> None:
    parsed = make_parsed(from_=Address(name="", addr=addr))
    assert reply_address(parsed, frozenset()) is None


def test_answerable_applies_the_same_refusals_to_a_bare_address() -> None:
    from replies.render import answerable

    ok = Address(name="Dr Helen Marsh", addr="helen.marsh@nhs.net")
    assert answerable(ok, frozenset()) == ok
    for addr in ("no-reply@nhs.net", "jane@noreply.nhs.net", "owner-list@lists.nhs.net",
                 "a@b@c", "pss.nominations@england.example"):
        assert answerable(Address(name="", addr=addr),
                          frozenset({"pss.nominations@england.example"})) is None
