"""Bytes to typed email (:func:`parse_email`) and typed email to fields (:func:`extract`).

Pure functions: no I/O, no database, no clock.
"""

from __future__ import annotations

from parsing.model import Address, Attachment, BodyText, Classification, ParsedEmail

__all__ = [
    "Address",
    "Attachment",
    "BodyText",
    "Classification",
    "ParsedEmail",
    "extract",
    "parse_email",
]


def parse_email(
    raw: bytes,
    *,
    own_addresses: frozenset[str] = frozenset(),
    own_message_id_domains: frozenset[str] = frozenset(),
) -> ParsedEmail:
    """Parse raw RFC 5322 bytes; see :func:`parsing.mime.parse_email`."""
    from parsing.mime import parse_email as _parse

    return _parse(
        raw, own_addresses=own_addresses, own_message_id_domains=own_message_id_domains
    )


def extract(parsed: ParsedEmail):  # type: ignore[no-untyped-def]
    """Read the nomination fields of ``parsed``; see :mod:`parsing.extract`."""
    from parsing.extract import extract as _extract

    return _extract(parsed)
