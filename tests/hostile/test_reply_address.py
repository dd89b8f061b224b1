"""Issue 11, "What broke" 5: the reply's To split into several mailboxes when the sender's
quoted display name was long and had a comma (Python 3.11's folding drops the quotes, CPython
gh-80222); with an unbalanced "(" the real address disappeared. Every To is built so folding
cannot break it, and the sender refuses a message whose To/Cc do not parse back to exactly
its recipients."""

from __future__ import annotations

import base64
import email
import email.policy
from email.utils import getaddresses

import pytest

from parsing.model import Address
from parsing.text import decode_header_value
from pss_intake.corpus import FreshDatabases
from replies.render import header_mailboxes, mailbox_header, render_reply
from replies.sender import send_pending
from store.models import OutboxMessage
from validation.models import CaseReading

# An ordinary NHSmail display name of 81 characters, with its comma.
NHSMAIL = "SURNAME-DOUBLEBARRELLED, Mrs Forename (NORTHSHIRE COMMUNITY HEALTHCARE NHS TRUST)"
NAMES = [
    NHSMAIL,
    "PEMBERTON, Claire (HARBOURSIDE HEALTHCARE NHS FOUNDATION TRUST) (Interim",
    'O"Brien, Siobhán \\ (Ward 8a, Ashdown Vale Hospitals NHS Foundation Trust)',
    "Ó Súilleabháin, Siobhán Áine Bríd (NORTHSHIRE COMMUNITY HEALTHCARE NHS FOUNDATION TRUST)",
    "a, " * 300,
]


def _render(name: str) -> bytes:
    return render_reply(
        "sender:ack:complete", reference="PSS-000001", reading=CaseReading(), missing=[],
        to=Address(name=name, addr="fore.surname@nhs.net"), in_reply_to=None,
        from_address="PSS Nominations <pss.nominations@england.example>",
        team_name="National Patient Safety Team", message_id_domain="pss.england.example",
    ).content


@pytest.mark.parametrize("name", NAMES)
def test_to_parses_back_to_exactly_the_one_mailbox(name: str) -> None:
    content = _render(name)
    raw_to = [v for k, v in email.message_from_bytes(content).items() if k == "To"]
    assert [a for _n, a in getaddresses(raw_to)] == ["fore.surname@nhs.net"]
    strict = email.message_from_bytes(content, policy=email.policy.default)
    [mailbox] = strict["To"].addresses
    assert mailbox.addr_spec == "fore.surname@nhs.net"
    assert header_mailboxes(content) == ["fore.surname@nhs.net"]
    assert all(len(line) <= 78 for line in content.split(b"\r\n\r\n")[0].split(b"\r\n"))


def test_display_name_survives_as_written() -> None:
    # As written, but for a doubled space where the standard library keeps the fold between
    # two encoded-words (RFC 2047 section 6.2 says to drop it; parsing.text does).
    for name in (NHSMAIL, NAMES[3]):
        strict = email.message_from_bytes(_render(name), policy=email.policy.default)
        assert " ".join(strict["To"].addresses[0].display_name.split()) == name
        raw_to = email.message_from_bytes(_render(name))["To"]
        assert decode_header_value(str(raw_to)) == f"{name} <fore.surname@nhs.net>"


def test_mailbox_header_never_folds_inside_a_name() -> None:
    # Worked by hand: a quoted name that fits the line stays whole, the address folds below;
    # the 81-character name does not fit, so it is B encoded-words.
    assert mailbox_header("PEMBERTON, Claire (HARBOURSIDE NHS FT)", "c.p@nhs.net") == (
        '"PEMBERTON, Claire (HARBOURSIDE NHS FT)" <c.p@nhs.net>')
    # 45 bytes at most, cut after a space: "…Forename " (38) and the rest (43).
    first = base64.b64encode(NHSMAIL[:38].encode()).decode()
    second = base64.b64encode(NHSMAIL[38:].encode()).decode()
    assert mailbox_header(NHSMAIL, "fore.surname@nhs.net") == (
        f"=?utf-8?b?{first}?=\n =?utf-8?b?{second}?=\n <fore.surname@nhs.net>")


def test_header_mailboxes_refuses_what_two_readers_read_differently() -> None:
    # The folding bug's output: quotes gone, so a naive reader sees two mailboxes.
    broken = b"To: SURNAME, Forename (TRUST) <a@nhs.net>\r\n\r\nbody"
    assert header_mailboxes(broken) != ["a@nhs.net"]
    assert header_mailboxes(b"To: a@nhs.net, b@nhs.net\r\n\r\n") == ["a@nhs.net", "b@nhs.net"]


def test_sender_refuses_a_to_that_does_not_parse_back(databases: FreshDatabases) -> None:
    from pss_intake.config import Settings

    db = databases.new()
    with db.transaction() as session:
        session.add(OutboxMessage(
            message_id="<r.1@pss.england.example>", template="sender:ack:complete",
            recipients=["a@nhs.net"], to_addr="a@nhs.net", subject="x",
            content=b"To: SURNAME, Forename (TRUST) <a@nhs.net>\r\nSubject: x\r\n\r\nbody"))
    from tests.imap.imap_servers import SmtpServer

    server = SmtpServer().start()
    try:
        settings = Settings(smtp=server.smtp_settings())
        report = send_pending(db, settings)
    finally:
        server.stop()
    assert (report.sent, report.failed) == (0, 1)
    assert server.handler.messages == []
    with db.transaction() as session:
        row = session.query(OutboxMessage).one()
        assert row.status == "failed"
        assert "does not parse back" in (row.last_error or "")
    db.dispose()


def test_envelope_recipient_must_be_ascii() -> None:
    from replies.sender import envelope_recipients

    assert envelope_recipients(["tom.reeve@northshire.nhs.uk"]) == ["tom.reeve@northshire.nhs.uk"]
    with pytest.raises(ValueError, match="not exactly one mailbox"):
        envelope_recipients(["tom.reeve@nîrthshire.nhs.uk"])
