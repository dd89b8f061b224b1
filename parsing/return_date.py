"""The date an out-of-office auto-reply says its writer is back (pure).

Auto-replies say it in a few stock ways: "I will return on Monday 5 January", "back in the
office on 05/01/2026", "out of the office until 5th January 2026", "returning January 5".
Dates are read day first (the UK's order); a date without a year is the first such date on or
after the auto-reply was written.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {name: i + 1 for i, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
MONTHS.update({name[:3]: n for name, n in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|" \
         r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thur?s?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?"
#: The words that introduce the date of return.
_CUE = (r"(?:return(?:ing)?(?:\s+to\s+(?:the\s+)?(?:office|work))?|back(?:\s+in\s+(?:the\s+)?"
        r"(?:office|work))?|in\s+the\s+office|available|until|till|from)"
        r"(?:\s+(?:on|from|at\s+work\s+on))?\s+(?:the\s+)?")
_PATTERNS = (
    re.compile(_CUE + _WEEKDAY + _DAY + r"(?:\s+of)?\s+" + _MONTH + _YEAR, re.IGNORECASE),
    re.compile(_CUE + _WEEKDAY + _MONTH + r"\s+" + _DAY + _YEAR, re.IGNORECASE),
    re.compile(_CUE + _WEEKDAY + r"(?P<day>\d{1,2})[/.](?P<month>\d{1,2})"
               r"(?:[/.](?P<year>\d{2}|\d{4}))?\b", re.IGNORECASE),
)


def return_date(text: str, written: dt.date) -> dt.date | None:
    """The return date an auto-reply's ``text`` states, or None when it states none.

    :param written: the date of the auto-reply, to place a date without a year (and to refuse
        a date before it, which is not a return).
    """
    flat = " ".join(text.split())
    found: list[tuple[int, dt.date]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(flat):
            day = _date(match, written)
            if day is not None and day >= written:
                found.append((match.start(), day))
    return min(found)[1] if found else None


def _date(match: re.Match[str], written: dt.date) -> dt.date | None:
    month_text = match.group("month").lower().rstrip(".")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
    day = int(match.group("day"))
    year_text = match.group("year")
    if month is None:
        return None
    try:
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            return dt.date(year, month, day)
        candidate = dt.date(written.year, month, day)
        return candidate if candidate >= written else dt.date(written.year + 1, month, day)
    except ValueError:
        return None
