"""Bytes to typed email (:func:`parse_email`); typed email to fields is
:func:`parsing.extract.extract` (imported from its own module: a function here named like the
subpackage would be shadowed by it as soon as the subpackage is imported).

Pure functions: no I/O, no database, no clock.
"""

from __future__ import annotations

from parsing.budget import DEFAULT_BUDGETS, Budgets
from parsing.model import Address, Attachment, BodyText, Classification, ParsedEmail

__all__ = [
    "Address",
    "Attachment",
    "BodyText",
    "Budgets",
    "Classification",
    "ParsedEmail",
    "parse_email",
]


def parse_email(
    raw: bytes,
    *,
    own_addresses: frozenset[str] = frozenset(),
    own_message_id_domains: frozenset[str] = frozenset(),
    budgets: Budgets = DEFAULT_BUDGETS,
) -> ParsedEmail:
    """Parse raw RFC 5322 bytes; see :func:`parsing.mime.parse_email`."""
    from parsing.mime import parse_email as _parse

    return _parse(
        raw, own_addresses=own_addresses, own_message_id_domains=own_message_id_domains,
        budgets=budgets,
    )

