"""Classification: bounces, auto-replies, bulk mail, follow-ups and nominations."""

from __future__ import annotations

from parsing import Classification, parse_email
from parsing.classify import (
    Signals,
    case_references,
    classify,
    is_auto_submitted,
    mentions_topic,
    parse_delivery_status,
)

NOMINATION_BODY = "Our new Patient Safety Specialist is Priya Shah, priya.shah@nhs.net."


def eml(headers: str, body: str = NOMINATION_BODY) -> bytes:
    head = "From: Helen Marsh <helen.marsh@nhs.net>\nTo: pss.nominations@england.example\n"
    return (head + headers.strip("\n")).replace("\n", "\r\n").encode() + b"\r\n\r\n" + body.encode()


def test_plain_nomination() -> None:
    p = parse_email(eml("Subject: Nomination"))
    assert p.classification == Classification.NOMINATION
    assert not p.is_auto_submitted and not p.is_bulk


def test_x_auto_response_suppress_alone_is_not_an_auto_reply() -> None:
    p = parse_email(eml("Subject: Nomination\nX-Auto-Response-Suppress: All"))
    assert not p.is_auto_submitted
    assert p.classification == Classification.NOMINATION


def test_auto_submitted_header() -> None:
    p = parse_email(eml("Subject: Away\nAuto-Submitted: auto-replied"))
    assert p.is_auto_submitted
    assert p.classification == Classification.AUTO_REPLY
    no = parse_email(eml("Subject: Nomination\nAuto-Submitted: no"))
    assert no.classification == Classification.NOMINATION


def test_out_of_office_subject_with_exchange_marker() -> None:
    headers = "Subject: Automatic reply: PSS nomination\nX-Auto-Response-Suppress: All"
    assert parse_email(eml(headers)).classification == Classification.AUTO_REPLY
    # The subject alone is not enough: a person may type it.
    alone = parse_email(eml("Subject: Out of Office: PSS cover"))
    assert alone.classification == Classification.NOMINATION


def test_x_autoreply_header() -> None:
    assert parse_email(eml("Subject: x\nX-Autoreply: yes")).classification == (
        Classification.AUTO_REPLY
    )


def test_list_newsletter_is_other_and_bulk() -> None:
    headers = "Subject: Patient safety news\nList-Id: <news.lists.example>\nPrecedence: list"
    p = parse_email(eml(headers, "This month: Patient Safety Specialist network events."))
    assert p.is_bulk
    assert p.classification == Classification.OTHER


def test_precedence_bulk_is_other() -> None:
    p = parse_email(eml("Subject: PSS\nPrecedence: bulk"))
    assert p.is_bulk and p.classification == Classification.OTHER


def test_follow_up_by_case_reference() -> None:
    p = parse_email(eml("Subject: RE: [pss-000231] more info", "Phone 07700 900512"))
    assert p.case_references == ("PSS-000231",)
    assert p.classification == Classification.FOLLOW_UP


def test_follow_up_by_references_to_our_domain() -> None:
    headers = "Subject: Re: your email\nReferences: <a@nhs.net> <pss-000231.r1@pss.england.example>"
    ours = frozenset({"pss.england.example"})
    p = parse_email(eml(headers, "Phone 07700 900512"), own_message_id_domains=ours)
    assert p.classification == Classification.FOLLOW_UP
    other = parse_email(eml(headers, "Phone 07700 900512"))
    assert other.classification == Classification.OTHER


def test_mail_from_our_own_address_is_other() -> None:
    p = parse_email(eml("Subject: PSS"), own_addresses=frozenset({"helen.marsh@nhs.net"}))
    assert p.classification == Classification.OTHER


def test_unrelated_mail_is_other() -> None:
    p = parse_email(eml("Subject: Lunch", "See you at noon. pss.nominations@england.example"))
    assert p.classification == Classification.OTHER


def test_nomination_only_in_a_text_attachment() -> None:
    body = (
        "--m\r\nContent-Type: text/plain\r\n\r\nPlease see attached.\r\n"
        "--m\r\nContent-Type: text/plain; name=letter.txt\r\n"
        "Content-Disposition: attachment; filename=letter.txt\r\n\r\n"
        "We nominate Priya Shah as Patient Safety Specialist.\r\n--m--\r\n"
    )
    p = parse_email(eml('Subject: Letter\nContent-Type: multipart/mixed; boundary="m"', body))
    assert p.classification == Classification.NOMINATION


def test_plain_text_bounce_from_mailer_daemon_with_null_return_path() -> None:
    raw = (
        b"Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.example\r\nSubject: failure notice\r\n"
        b"Content-Type: multipart/mixed; boundary=q\r\n\r\n"
        b"--q\r\nContent-Type: text/plain\r\n\r\n<x@nhs.net>: mailbox unavailable\r\n"
        b"--q\r\nContent-Type: message/rfc822\r\n\r\n"
        b"From: pss.nominations@england.example\r\nMessage-ID: <ours.1@pss.england.example>\r\n"
        b"Subject: [PSS-000300] request\r\n\r\nPlease send the PSS phone number.\r\n--q--\r\n"
    )
    p = parse_email(raw)
    assert p.classification == Classification.BOUNCE
    assert p.bounced_message_id == "<ours.1@pss.england.example>"
    assert p.body.forwarded == ""
    assert p.attachments[0].content_type == "message/rfc822"
    # Same From without the null Return-Path is not enough.
    assert parse_email(raw.replace(b"Return-Path: <>\r\n", b"")).classification != (
        Classification.BOUNCE
    )


def test_delivery_report_with_rfc822_headers_and_temporary_failure() -> None:
    raw = (
        b"From: postmaster@mx.example\r\nSubject: Delayed\r\nAuto-Submitted: auto-generated\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n"
        b"--r\r\nContent-Type: text/plain\r\n\r\nStill trying.\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example\r\n\r\n"
        b"Final-Recipient: rfc822; <Someone@NHS.net>\r\nAction: delayed\r\nStatus: 4.4.7\r\n\r\n"
        b"Final-Recipient: rfc822; other@nhs.net\r\nAction: failed\r\nStatus: 4.4.7\r\n\r\n"
        b"--r\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        b"Message-ID: <ours.2@pss.england.example>\r\nSubject: x\r\n\r\n--r--\r\n"
    )
    p = parse_email(raw)
    assert p.classification == Classification.BOUNCE
    assert p.is_auto_submitted
    assert p.bounced_message_id == "<ours.2@pss.england.example>"
    assert p.bounce_recipients == ("other@nhs.net",)
    assert p.permanent_failure


def test_parse_delivery_status_units() -> None:
    dsn = parse_delivery_status(
        [
            {"reporting-mta": "dns; mx"},
            {"final-recipient": "rfc822; <A@B.example>", "action": "failed", "status": "5.1.1"},
            {"final-recipient": "rfc822;c@d.example", "action": "delivered", "status": "2.0.0"},
        ]
    )
    assert dsn.recipients == ("a@b.example",)
    assert dsn.permanent_failure
    temp = parse_delivery_status([{"final-recipient": "rfc822; e@f", "status": "4.2.2"}])
    assert temp.recipients == ("e@f",) and not temp.permanent_failure


def test_case_references_and_topic_units() -> None:
    assert case_references("RE: [PSS-000231] and pss 000232; PSS000231") == (
        "PSS-000231",
        "PSS-000232",
    )
    assert case_references("PSS-1234567 is not a reference") == ()
    assert mentions_topic("our new PSS is")
    assert mentions_topic("Patient  Safety\nSpecialist")
    assert not mentions_topic("write to pss.nominations@england.example")
    assert not mentions_topic("PSS-000231")


def test_is_auto_submitted_units() -> None:
    assert is_auto_submitted({"auto-submitted": ("auto-generated; owner-email=x",)}, "")
    assert not is_auto_submitted({"auto-submitted": ("No",)}, "")
    assert not is_auto_submitted({"x-auto-response-suppress": ("All",)}, "Hello")
    assert is_auto_submitted({"x-ms-exchange-inbox-rules-loop": ("a@b",)}, "Autosvar: x")


def test_bounce_wins_over_auto_reply() -> None:
    s = Signals(
        headers={"auto-submitted": ("auto-replied",)},
        subject="Undeliverable",
        from_addr="postmaster@mx.example",
        content_type="multipart/report",
        report_type="delivery-status",
    )
    assert classify(s) == Classification.BOUNCE


def test_question_naming_the_current_pss_is_not_a_nomination() -> None:
    body = (
        "Could you let me know when the next Patient Safety Specialist network meeting is? "
        "Our PSS, Rachel Oduya (rachel.oduya@nhs.net), missed the last invitation."
    )
    p = parse_email(eml("Subject: Question - PSS network meeting", body))
    assert p.classification == Classification.OTHER


def test_short_nominations_are_still_nominations() -> None:
    for body in (
        "Please note our new PSS is Dr Ahmed Raza.",
        "Our PSS is now Dr Ahmed Raza.",
        "Priya Shah is replacing John Smith as PSS.",
        "Please see the attached PSS nomination letter.",
    ):
        assert parse_email(eml("Subject: hello", body)).classification == (
            Classification.NOMINATION
        ), body


def _invitation_response(method_param: str, method_line: str) -> bytes:
    calendar = ("BEGIN:VCALENDAR\r\n" + method_line + "PRODID:Microsoft Exchange Server 2010\r\n"
                "VERSION:2.0\r\nBEGIN:VEVENT\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:helen.marsh"
                "@nhs.net\r\nSUMMARY:Accepted: PSS network meeting\r\nEND:VEVENT\r\n"
                "END:VCALENDAR\r\n")
    return eml('Subject: Accepted: PSS network meeting\nMIME-Version: 1.0\n'
               'Content-Type: multipart/alternative; boundary="b"',
               "--b\r\nContent-Type: text/plain\r\n\r\n\r\n--b\r\nContent-Type: text/calendar; "
               f"charset=utf-8{method_param}\r\n\r\n{calendar}--b--\r\n")


def test_a_calendar_clients_response_to_an_invitation_is_automatic() -> None:
    # RFC 5546: an attendee's Accept is a REPLY the client sends by itself (RFC 6047 puts the
    # method in the Content-Type too); a PSS word in the summary does not make it a nomination.
    for param, line in (("; method=REPLY", ""), ("", "METHOD:REPLY\r\n")):
        p = parse_email(_invitation_response(param, line))
        assert p.classification == Classification.AUTO_REPLY, (param, line)


def test_an_invitation_itself_is_not_an_automatic_reply() -> None:
    p = parse_email(_invitation_response("; method=REQUEST", "METHOD:REQUEST\r\n"))
    assert p.classification != Classification.AUTO_REPLY
