"""Finding e-mail addresses in text and checking them.

An address is found with a permissive pattern, then its syntax is checked with
``email_validator.validate_email(addr, check_deliverability=False)`` (no DNS: parsing is pure).
Accepted addresses are returned lower-cased, as the JSON contract in DESIGN.md requires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from parsing.extract.textutil import fold

__all__ = ["EmailMatch", "find_emails", "local_part_matches_name", "normalise_email"]

# Permissive on purpose (apostrophes occur in Irish names: "o'hare@"); the validator decides.
_ADDRESS = re.compile(
    r"(?<![\w.@+'-])([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)"
)


@dataclass(frozen=True, slots=True)
class EmailMatch:
    """An address found in a text: ``addr`` lower-cased; ``start``/``end`` offsets of the
    address as written."""

    addr: str
    start: int
    end: int


def normalise_email(value: str) -> str | None:
    """Return ``value`` lower-cased if it is a syntactically valid address, else None.

    Surrounding angle brackets, quotes, a ``mailto:`` prefix and trailing punctuation are
    removed first.
    """
    value = value.strip().strip("<>\"'()[],;:.")
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if "@" not in value:
        return None
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return None
    return result.normalized.lower()


_LOCAL_CHAR = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-."
)
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_MAX_DOMAIN = 255
_MAX_STARTS = 8
# What may not stand just before an address (the pattern's look-behind).
_NOT_BEFORE = frozenset(".@+'-_")


def _candidates(text: str) -> list[tuple[int, int]]:
    """Spans :data:`_ADDRESS` would match, found from each ``@`` outwards, so that long runs of
    address characters without an ``@`` cost linear time, not quadratic."""
    out: list[tuple[int, int]] = []
    at = text.find("@")
    last_end = 0
    while at >= 0:
        # The run of address characters before the "@" (never past the previous "@", which is
        # not one of them, so each character is scanned once).
        run = at
        while run > last_end and text[run - 1] in _LOCAL_CHAR:
            run -= 1
        dom = _DOMAIN.match(text, at + 1, min(len(text), at + 1 + _MAX_DOMAIN))
        if dom is not None:
            tries = 0
            for start in range(run, at):
                prev = text[start - 1] if start > 0 else ""
                if prev and (prev.isalnum() or prev in _NOT_BEFORE):
                    continue
                tries += 1
                if _LOCAL.fullmatch(text, start, at):
                    out.append((start, dom.end()))
                    last_end = dom.end()
                    break
                if tries >= _MAX_STARTS:
                    break
        at = text.find("@", max(at + 1, last_end))
    return out


def find_emails(text: str) -> list[EmailMatch]:
    """Every valid address in ``text``, in order, each with its offsets.

    A trailing full stop is not part of an address ("…@nhs.net." ends a sentence); the
    pattern's last label cannot end in a dot, so that comes for free.
    """
    out: list[EmailMatch] = []
    for start, end in _candidates(text):
        raw = text[start:end]
        # A leading apostrophe or quote is punctuation around the address, not part of it.
        lead = len(raw) - len(raw.lstrip("'`"))
        addr = normalise_email(raw[lead:])
        if addr:
            out.append(EmailMatch(addr, start + lead, end))
    return out


def local_part_matches_name(addr: str, name: str) -> int:
    """How well the local part of ``addr`` matches the person ``name``.

    Returns 2 when every token of the local part (split on ``.``, ``_``, ``-``; digits
    dropped) matches a name token or both first and last name appear, 1 when the surname or the
    first name alone appears (``zoe.hartley-brown`` vs ``Zoë``), 0 otherwise. Comparison is
    on folded text so ``zoe`` matches ``Zoë`` and ``ohare`` matches ``O’Hare``.
    """
    local = fold(addr.partition("@")[0])
    local_compact = re.sub(r"[^a-z]", "", local)
    name_tokens = [re.sub(r"[^a-z]", "", t) for t in re.split(r"[\s\-]+", fold(name))]
    name_tokens = [t for t in name_tokens if t]
    if not name_tokens or not local_compact:
        return 0
    first, last = name_tokens[0], name_tokens[-1]
    if (
        len(name_tokens) >= 2
        and local_compact.startswith(first)
        and local_compact.endswith(re.sub(r"[^a-z]", "", "".join(name_tokens[1:])))
    ):
        return 2
    if len(name_tokens) >= 2 and first in local_compact and last in local_compact:
        return 2
    parts = [p for p in re.split(r"[._\-]+", re.sub(r"\d", "", local)) if p]
    if (
        len(name_tokens) >= 2
        and len(parts) >= 2
        and parts[0] == first[:1]
        and (local_compact.endswith(last))
    ):
        # Initial plus surname ("p.shah", "pshah").
        return 2
    if len(parts) >= 2 and len(name_tokens) == 1 and name_tokens[0] in parts:
        return 1
    if len(name_tokens) >= 2 and (last in parts or first in parts or local_compact == last):
        return 1
    if (
        len(name_tokens) == 1
        and local_compact.startswith(name_tokens[0])
        and len(name_tokens[0]) >= 3
    ):
        return 1
    return 0
