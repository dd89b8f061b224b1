"""Dates that are true: a message's own Date header bounded by its arrival, working days in
England. Values worked out by hand from the calendar (gov.uk bank holidays)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pss_intake.config import Settings
from pss_intake.corpus import FreshDatabases
from pss_intake.dates import add_working_days, message_date, parse_date_header
from pss_intake.pipeline import Incoming, ingest
from store.models import Case, RawMessage

UTC = dt.UTC


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_the_date_header_is_used_when_it_is_before_the_arrival() -> None:
    header = parse_date_header("Mon, 03 Mar 2025 10:00:00 +0100")
    assert header == at(2025, 3, 3, 9, 0)
    assert message_date(header, at(2025, 3, 3, 9, 5)) == at(2025, 3, 3, 9, 0)


def test_a_date_after_the_arrival_or_absurdly_before_it_gives_the_arrival() -> None:
    arrived = at(2025, 3, 3, 9, 5)
    assert message_date(at(2025, 3, 4, 9, 0), arrived) == arrived  # a fast clock
    assert message_date(at(1970, 1, 1), arrived) == arrived
    assert message_date(at(2023, 3, 1), arrived) == arrived  # > 365 days before
    assert message_date(None, arrived) == arrived
    # A file saved long ago: only the year-2000 floor and "not after" hold.
    assert message_date(at(2023, 3, 1), arrived, max_days_before=None) == at(2023, 3, 1)
    assert parse_date_header("not a date") is None


@pytest.mark.parametrize(("start", "days", "due"), [
    (dt.date(2025, 3, 3), 5, dt.date(2025, 3, 10)),     # Monday + 5 = next Monday
    (dt.date(2025, 12, 19), 5, dt.date(2025, 12, 30)),  # Christmas Day and Boxing Day
    (dt.date(2025, 4, 17), 1, dt.date(2025, 4, 22)),    # Good Friday 18, Easter Monday 21
    (dt.date(2026, 8, 28), 1, dt.date(2026, 9, 1)),     # Summer bank holiday 31 August
])
def test_working_days_skip_weekends_and_englands_bank_holidays(
        start: dt.date, days: int, due: dt.date) -> None:
    assert add_working_days(start, days) == due


MAIL = (b"From: Tom Reeve <tom.reeve@dunmore.nhs.uk>\r\nTo: pss.nominations@england.example\r\n"
        b"Subject: PSS nomination\r\nDate: Mon, 03 Mar 2025 10:00:00 +0000\r\n"
        b"Message-ID: <dates.1@dunmore.nhs.uk>\r\n\r\nWe nominate Maya Patel as our PSS.\r\n")


def test_the_case_opens_at_the_messages_date_not_when_we_processed_it(
        databases: FreshDatabases) -> None:
    db = databases.new()
    try:
        # Reached the mailbox (INTERNALDATE) a day and a half after it was written.
        ingest(db, Settings(), Incoming(MAIL, "imap:INBOX", mailbox="INBOX", uidvalidity=1,
                                        uid=1, arrived_at=at(2025, 3, 4, 22, 0)))
        with db.transaction() as session:
            raw = session.execute(select(RawMessage)).scalar_one()
            case = session.execute(select(Case)).scalar_one()
            assert raw.arrived_at == at(2025, 3, 4, 22, 0)
            assert raw.dated_at == at(2025, 3, 3, 10, 0)
            assert case.opened_at == at(2025, 3, 3, 10, 0)
            assert case.created_at > at(2026, 1, 1)
    finally:
        db.dispose()
