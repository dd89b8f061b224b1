"""A start date a nomination states for the new specialist ("from 1 April 2025", "start date:
01/04/2025", "with effect from 1st April"), read from the message's own new text."""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["stated_start"]

_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|" \
         r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WORDS = (r"(?:with\s+effect\s+from|effective\s+(?:from\s+)?|starting(?:\s+on)?|"
          r"start(?:s|ing)?\s+(?:date\s*[:\-]?|on)|from|as\s+of|in\s+post\s+from|"
          r"takes?\s+up\s+(?:the\s+)?(?:role|post)\s+on|commencing(?:\s+on)?)")
_LONG = re.compile(_WORDS + r"\s+(?:\w+day\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH
                   + r"(?:\s+(?P<year>\d{4}))?\b", re.IGNORECASE)
_NUMERIC = re.compile(_WORDS + r"\s+(?P<day>\d{1,2})[/.](?P<mon>\d{1,2})[/.](?P<year>\d{4})\b",
                      re.IGNORECASE)


def _month_number(word: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(word.lower()[:3]))


def stated_start(text: str, *, written: dt.date | None = None) -> dt.date | None:
    """The first start date ``text`` states, or None. A date without a year takes the year
    of ``written`` (the message's date; today when not given). UK order (day/month/year)."""
    best: tuple[int, dt.date] | None = None
    for pattern in (_LONG, _NUMERIC):
        for found in pattern.finditer(text):
            try:
                year = int(found.group("year")) if found.group("year") else (
                    (written or dt.datetime.now(dt.UTC).date()).year)
                month = (_month_number(found.group("month")) if "month" in pattern.groupindex
                         else int(found.group("mon")))
                when = dt.date(year, month, int(found.group("day")))
            except ValueError:
                continue
            if best is None or found.start() < best[0]:
                best = (found.start(), when)
            break
    return best[1] if best else None
