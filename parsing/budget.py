"""The limits one message is read under (issue 11, "Budgets"), as plain values.

:class:`Budgets` is what :func:`parsing.parse_email` takes; ``pss_intake.config`` builds one
from the ``budgets:`` section of config.yaml (where each default is documented). Whatever is
over a budget is not read and leaves a ``content not read: …`` defect, so the message goes to
review; the raw bytes are stored before any of this runs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_BUDGETS", "Budgets"]


@dataclass(frozen=True, slots=True)
class Budgets:
    """``text_chars``: characters of decoded body text read (HTML before conversion too);
    ``header_bytes``: bytes read of one header field (first line and continuations);
    ``addresses_per_header``: mailboxes read from one address header (To, Cc, …);
    ``ids_per_references``: Message-IDs read from References (the first and the latest);
    ``attachment_text_chars``: characters of text kept from one attachment."""

    text_chars: int = 300_000
    header_bytes: int = 65_536
    addresses_per_header: int = 500
    ids_per_references: int = 100
    attachment_text_chars: int = 200_000


DEFAULT_BUDGETS = Budgets()
