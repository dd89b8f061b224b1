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


def find_emails(text: str) -> list[EmailMatch]:
    """Every valid address in ``text``, in order, each with its offsets.

    A trailing full stop is not part of an address ("…@nhs.net." ends a sentence); the
    pattern's last label cannot end in a dot, so that comes for free.
    """
    out: list[EmailMatch] = []
    for m in _ADDRESS.finditer(text):
        raw = m.group(1)
        # A leading apostrophe or quote is punctuation around the address, not part of it.
        lead = len(raw) - len(raw.lstrip("'`"))
        addr = normalise_email(raw[lead:])
        if addr:
            out.append(EmailMatch(addr, m.start(1) + lead, m.end(1)))
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
