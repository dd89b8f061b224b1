"""Issue 11, "What broke" 3, 4, 6, 7 and 8, through the whole pipeline: each with the
minimised input that broke it."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

import pss_intake.pipeline as pipeline
from parsing import parse_email
from pss_intake.config import Settings
from pss_intake.corpus import FreshDatabases
from pss_intake.pipeline import Incoming, header_message_id, ingest
from store.db import Database
from store.models import OutboxMessage, RawMessage
from tests.hostile.linear import assert_linear
from tests.hostile.mail import mail


@pytest.fixture()
def db(databases: FreshDatabases):  # type: ignore[no-untyped-def]
    # The session's databases: SQLite, or PostgreSQL under tests/services/pytest_on_postgres.sh.
    database = databases.new()
    yield database
    database.dispose()


def _outbox(db: Database) -> list[OutboxMessage]:
    with db.transaction() as session:
        rows = list(session.execute(select(OutboxMessage)).scalars())
        session.expunge_all()
        return rows


def test_the_plain_nomination_is_accepted(db: Database) -> None:
    # The base every test below damages: as it stands it is complete and acknowledged.
    outcome = ingest(db, Settings(), Incoming(mail(), "test"))
    assert (outcome.action, outcome.record["reply"]["to"]) == ("accept", "tom.reeve@dunmore.nhs.uk")


# 3. A Content-Type parameter of 40,000 '"': 6.6 s reading the Message-ID before storing.

def _quoted(n: int) -> bytes:
    return mail().replace(b"charset=utf-8", b"charset=utf-8; name=" + b'"' * n, 1)


def test_message_id_for_storing_is_read_in_linear_time() -> None:
    assert header_message_id(_quoted(40_000)) == "<hostile.1@dunmore.nhs.uk>"
    assert_linear(lambda s: header_message_id(s.encode()), lambda n: _quoted(n).decode())


def test_message_id_scan_reads_ascii_ids_only() -> None:
    assert header_message_id(b"Message-ID: <a\xeeb@x>\r\n\r\n") is None
    assert header_message_id(b"Subject: x\r\nMessage-Id:\r\n <a.1@x.example>\r\n\r\n") == (
        "<a.1@x.example>")
    assert header_message_id(b"Message-ID: bare.2@x.example\r\n\r\n") == "<bare.2@x.example>"


def test_message_with_many_quotes_is_stored_and_read(db: Database) -> None:
    outcome = ingest(db, Settings(), Incoming(_quoted(40_000), "test"))
    assert outcome.created and outcome.message_id == "<hostile.1@dunmore.nhs.uk>"


# 4. A 10 MB Cc took 97-122 s and 1.7 GiB; References of 1.75 million IDs failed in IN (...).

def test_huge_cc_is_cut_to_the_budget_and_flagged(db: Database) -> None:
    cc = ", ".join(f"person{i}@trust{i % 97}.nhs.uk" for i in range(400_000))  # 10.8 MB
    start = time.monotonic()
    outcome = ingest(db, Settings(), Incoming(mail(extra=f"Cc: {cc}\r\n"), "test"))
    assert time.monotonic() - start < 60
    assert outcome.action == "review"
    assert "content-not-read" in {f["rule"] for f in outcome.record["flags"]}


def test_addresses_per_header_boundary() -> None:
    cc = ", ".join(f"p{i}@t.nhs.uk" for i in range(500))
    from parsing.budget import Budgets

    at = parse_email(mail(extra=f"Cc: {cc}\r\n"), budgets=Budgets(addresses_per_header=500))
    over = parse_email(mail(extra=f"Cc: {cc}\r\n"), budgets=Budgets(addresses_per_header=499))
    assert len(at.cc) == 500 and not [d for d in at.defects if "Cc" in d]
    assert len(over.cc) == 499
    assert "content not read: Cc names more than 499 addresses; the rest were not read" in (
        over.defects)


def test_references_keep_the_first_and_latest_ids() -> None:
    refs = " ".join(f"<r{i}@x.example>" for i in range(200_000))
    parsed = parse_email(mail(extra=f"References: {refs}\r\n"))
    # header_bytes (64 KiB) cuts the field first: 64 KiB / 15 bytes an ID, then the ID budget.
    assert len(parsed.references) == 100
    assert parsed.references[0] == "<r0@x.example>"


def test_references_boundary() -> None:
    from parsing.budget import Budgets

    refs = " ".join(f"<r{i}@x.example>" for i in range(10))
    at = parse_email(mail(extra=f"References: {refs}\r\n"), budgets=Budgets(ids_per_references=10))
    over = parse_email(mail(extra=f"References: {refs}\r\n"), budgets=Budgets(ids_per_references=9))
    assert len(at.references) == 10
    assert over.references == ("<r0@x.example>", *(f"<r{i}@x.example>" for i in range(2, 10)))


def test_threading_query_is_chunked(db: Database) -> None:
    # 70,001 IDs in one IN (...) fail on PostgreSQL (and past 32,766 on SQLite).
    first = ingest(db, Settings(), Incoming(mail(), "test"))
    ids = [f"<n{i}@x.example>" for i in range(70_000)] + [first.message_id or ""]
    with db.transaction() as session:
        case_id = pipeline._thread_case_id(session, ids)
        row = session.execute(select(RawMessage)).scalar_one()
        assert case_id == row.case_id is not None


# 6. A stray 8-bit byte inside In-Reply-To made a complete nomination unparseable-message.

def test_eight_bit_byte_in_in_reply_to(db: Database) -> None:
    raw = mail(extra="In-Reply-To: <abc\xee@x.example>\r\n").replace(b"\xc3\xae", b"\xee")
    assert b"<abc\xee@x.example>" in raw
    outcome = ingest(db, Settings(), Incoming(raw, "test"))
    assert outcome.action == "accept"
    assert "unparseable-message" not in {f["rule"] for f in outcome.record["flags"]}


# 7. A line without a colon (or a bare CR in Date) ended the header block early, so the
#    List-Id / Auto-Submitted below it were read as body and the mail got a reply.

def _damaged(damage: bytes, marker: str) -> bytes:
    raw = mail(extra=f"{marker}\r\n")
    return raw.replace(b"Message-ID:", damage + b"Message-ID:", 1)


@pytest.mark.parametrize("damage", [b"this line has no colon\r\n",
                                    b"Date: Mon, 03 Mar 2025 10:00:00 +0000\r\r\n"])
@pytest.mark.parametrize("marker", ["List-Id: <news.dunmore.nhs.uk>", "Auto-Submitted: auto-replied",
                                    "Precedence: bulk"])
def test_damaged_header_block_still_shows_automatic_mail(db: Database, damage: bytes,
                                                         marker: str) -> None:
    outcome = ingest(db, Settings(), Incoming(_damaged(damage, marker), "test"))
    assert outcome.record["reply"] is None
    assert _outbox(db) == []
    assert outcome.action == "ignore"


@pytest.mark.parametrize("damage", [b"this line has no colon\r\n",
                                    b"Date: Mon, 03 Mar 2025 10:00:00 +0000\r\r\n"])
def test_damaged_header_block_goes_to_review(db: Database, damage: bytes) -> None:
    outcome = ingest(db, Settings(), Incoming(_damaged(damage, "X-Mailer: Outlook"), "test"))
    assert outcome.action == "review"
    assert "content-not-read" in {f["rule"] for f in outcome.record["flags"]}
    assert _outbox(db) == []


def test_missing_blank_line_before_the_body_is_read_as_before() -> None:
    # No header field follows the first line without a colon: the body starts there.
    raw = mail().replace(b"\r\n\r\nDear team", b"\r\nDear team")
    parsed = parse_email(raw)
    assert "Maya Patel" in parsed.body.new
    assert not [d for d in parsed.defects if d.startswith("content not read")]


# 8. An 8-bit byte in the From domain got a reply to the decoded address, with an
#    encoded-word inside the address in To.

def test_eight_bit_from_domain_gets_no_reply(db: Database) -> None:
    raw = mail(sender="Tom Reeve <tom.reeve@n\xeerthshire.nhs.uk>")
    raw = raw.replace("n\xeerthshire".encode(), b"n\xeerthshire")
    assert b"@n\xeerthshire" in raw
    outcome = ingest(db, Settings(), Incoming(raw, "test"))
    assert outcome.record["reply"] is None
    assert _outbox(db) == []
    with db.transaction() as session:
        assert session.execute(select(func.count()).select_from(RawMessage)).scalar_one() == 1


# 2 (the attachment path). "PSS PSS …" in an attachment's text went through the same
#    organisation pattern (60 KB: 9.3 s).

def test_capitalised_words_in_an_attachment(db: Database) -> None:
    head, _sep, _body = mail().partition(b"\r\n\r\n")
    head = head.replace(b"Content-Type: text/plain; charset=utf-8",
                        b"Content-Type: multipart/mixed; boundary=XX")
    raw = head + (
        "\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n"
        "--XX\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Disposition: attachment; filename=notes.txt\r\n\r\n"
        + "PSS " * 50_000 + "\r\n--XX--\r\n").encode()
    start = time.monotonic()
    outcome = ingest(db, Settings(budgets={"read_seconds": 0}), Incoming(raw, "test"))
    assert time.monotonic() - start < 30
    assert outcome.created
