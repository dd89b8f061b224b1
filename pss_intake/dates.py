"""The date a message was written, as far as it can be trusted, and working days in England.

A message's Date header (RFC 5322 section 3.6.1) is set by the sender's machine: usually right,
sometimes minutes fast, occasionally absurd (1970, a year ahead). :func:`message_date` bounds it
by when the message reached us; :func:`add_working_days` counts working days without weekends
and England's bank holidays (from the ``holidays`` package, ``GB`` subdivision ``ENG``).
"""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime
from functools import lru_cache

import holidays

#: A Date header further before its arrival than this is not believed (a dead clock, 1970).
MAX_DAYS_BEFORE_ARRIVAL = 365


def parse_date_header(value: str | None) -> dt.datetime | None:
    """An RFC 5322 Date header value as an aware UTC time; None when absent or unreadable
    (a date without a zone is taken as UTC, RFC 5322 section 4.3's ``-0000``)."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or not 1900 <= when.year <= 2999:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    try:
        return when.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None


#: Before this no message of the PSS programme (2019 on) was written: a clock at zero.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def message_date(header: dt.datetime | None, arrived: dt.datetime, *,
                 max_days_before: int | None = MAX_DAYS_BEFORE_ARRIVAL) -> dt.datetime:
    """The date to show and measure from: the Date header when it is no later than
    ``arrived`` (when the message reached us) and no more than ``max_days_before`` days before
    it (None: a file saved long ago may be old, only dates before 2000 are refused); otherwise
    ``arrived``. Both aware; the result is UTC."""
    arrived = arrived.astimezone(dt.UTC)
    if header is None:
        return arrived
    header = header.astimezone(dt.UTC)
    earliest = EARLIEST if max_days_before is None else max(
        EARLIEST, arrived - dt.timedelta(days=max_days_before))
    if header > arrived or header < earliest:
        return arrived
    return header


def differ_by_more_than_a_day(a: dt.datetime | None, b: dt.datetime | None) -> bool:
    """True when both are known and more than 24 hours apart (then a page shows both)."""
    return a is not None and b is not None and abs(a - b) > dt.timedelta(days=1)


@lru_cache(maxsize=1)
def _england() -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG")


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a bank holiday in England."""
    return day.weekday() < 5 and day not in _england()


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted):
    Friday 19 December 2025 + 5 → Tuesday 30 December 2025 (25 and 26 December are holidays)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def next_working_day(day: dt.date) -> dt.date:
    """``day`` when it is a working day, else the next one."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day
