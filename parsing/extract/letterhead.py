"""An organisation's own block (a letterhead or address block): its numbers are nobody's.

A formal letter opens with the organisation's name, postal address, switchboard and web
address; the nominee's own "Telephone:" line comes further down. This stage finds such
paragraphs so that the people stages never read them: a paragraph of two or more lines with
a UK postcode or a web address, none of whose lines is a job title, a sentence or a
personal e-mail address (one whose local part has a dot, as NHSmail's firstname.lastname).
"""

from __future__ import annotations

import re

from parsing.extract.emails import find_emails
from parsing.extract.textutil import Line, paragraphs_of
from parsing.extract.titles import looks_like_title
from parsing.vocabulary import POSTCODE, WEB_ADDRESS

__all__ = ["organisation_block_lines"]

# A role mailbox's local part: "enquiries@", "pals@", "switchboard@" (no dot, no hyphen).
_ROLE_MAILBOX = re.compile(r"^[a-z]+$")


def _line_fits(text: str) -> bool:
    """True when one line can belong to an organisation's block: short, no sentence, no job
    title, no personal address."""
    t = text.strip()
    if len(t) > 90 or re.search(r"[.!?]\s+[A-Z]|[.!?]$", t) and not WEB_ADDRESS.search(t):
        return False
    if looks_like_title(t):
        return False
    return all(_ROLE_MAILBOX.match(e.addr.split("@", 1)[0]) for e in find_emails(t))


def organisation_block_lines(lines: list[Line]) -> set[int]:
    """Indices (``Line.index``) of the lines of every organisation's block in ``lines``."""
    out: set[int] = set()
    for para in paragraphs_of(lines):
        if len(para) < 2:
            continue
        if not any(POSTCODE.search(ln.text) or WEB_ADDRESS.search(ln.text) for ln in para):
            continue
        if all(_line_fits(ln.text) for ln in para):
            out.update(ln.index for ln in para)
    return out
