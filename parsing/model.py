"""Typed, frozen results of parsing one email: what the message *is*, before any reading of fields.

Everything here is produced by :func:`parsing.parse_email` from raw bytes, with no I/O, so tests
can build these objects directly from literal values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

#: Every defect saying that some of the message's content was not read starts with this, so
#: the ``content-not-read`` rule can find them (MIME part and depth limits, text cut at the
#: extraction's length limit, a body decoded with replacement characters).
CONTENT_NOT_READ = "content not read: "


class Classification(StrEnum):
    """What kind of message this is (values are those of the JSON contract in DESIGN.md).

    ``nomination`` names a new Patient Safety Specialist; ``follow_up`` continues a case (a case
    reference in the Subject, or In-Reply-To/References to one of our messages); ``auto_reply`` is
    RFC 3834 ``Auto-Submitted`` other than ``no`` or an Exchange out-of-office; ``bounce`` is a
    delivery status notification (RFC 3464 ``multipart/report; report-type=delivery-status``);
    ``other`` is everything else, bulk and list mail included (see :attr:`ParsedEmail.is_bulk`).
    """

    NOMINATION = "nomination"
    FOLLOW_UP = "follow_up"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox (RFC 5322 section 3.4): ``addr`` is the lower-cased addr-spec, ``name`` the
    display name as written (RFC 2047 decoded), ``""`` when absent."""

    name: str
    addr: str

    @property
    def domain(self) -> str:
        """The part after ``@``, lower-cased; ``""`` for a malformed address."""
        return self.addr.rpartition("@")[2] if "@" in self.addr else ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A non-inline MIME part (or an inline one with a filename that is not an image).

    ``size`` is the decoded payload length in bytes. ``text`` is the readable text pulled out of
    it (.docx via python-docx, PDF via pdfminer.six, text/* decoded, TNEF bodies), or None when the
    type cannot be read or reading failed (``error`` then says why, in words fit for a reviewer).
    ``part_index`` is the part's position in a depth-first walk of the MIME tree, so the bytes can
    be found again in the stored raw message for download.
    """

    filename: str | None
    content_type: str
    size: int
    part_index: int
    text: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class BodyText:
    """The readable body split into the three regions the extraction treats differently.

    ``new`` is what the sender wrote in this message (above any quoted history, signature
    removed); ``signature`` is the sender's sign-off block and anything after it that is not
    quoted history (job title, phone numbers, PA details, disclaimers); ``quoted`` is earlier
    messages quoted or forwarded below (Outlook ``From:/Sent:`` blocks, ``On ... wrote:``,
    ``>`` lines, ``-----Original Message-----``). ``full`` is the whole text as decoded.
    A forwarded nomination (``---------- Forwarded message ---------`` with nothing new above it,
    or a message/rfc822 part) has its forwarded text in ``forwarded`` so it can be read as the
    nomination; ``forwarded`` is ``""`` otherwise.
    """

    full: str
    new: str
    signature: str
    quoted: str
    forwarded: str = ""


@dataclass(frozen=True, slots=True)
class ParsedEmail:
    """One email as parsed from its raw bytes (RFC 5322 header names in field names).

    - ``message_id``, ``in_reply_to`` and each of ``references`` keep their angle brackets,
      e.g. ``"<abc@host>"``; ``message_id`` is None when the header is absent.
    - ``from_`` is the first From mailbox; ``sender`` the Sender header when it differs
      (a PA sending on behalf); ``reply_to``, ``to`` and ``cc`` are tuples of :class:`Address`.
    - ``date`` is timezone-aware, or None when absent or unparseable.
    - ``text`` is the body (plain part preferred; HTML-only mail converted with html2text).
    - ``html`` is the raw HTML part (for the review page, which sanitises it), or None.
    - ``headers`` maps lower-cased header names to every value, decoded, in order.
    - ``defects`` lists MIME or header problems in words ("multipart without closing boundary").
    - ``is_bulk`` is True for List-Id / List-Unsubscribe / ``Precedence: bulk|list|junk`` mail.
    - ``is_auto_submitted`` is True for RFC 3834 ``Auto-Submitted`` other than ``no`` and for
      Exchange/Outlook out-of-office markers (``X-Auto-Response-Suppress`` alone is not enough).
    - ``case_references`` are the ``PSS-nnnnnn`` references in the Subject, upper-cased, in order.
    - ``bounced_message_id`` is, for a bounce, the Message-ID of the returned message (if included).
    - ``bounce_recipients`` lists the failed recipients' addresses of a bounce (RFC 3464 fields).
    - ``permanent_failure`` is True for a bounce whose status is 5.x.x.
    - ``return_path_empty`` is True for ``Return-Path: <>`` (a null reverse-path, RFC 5321 4.5.5).
    """

    message_id: str | None
    subject: str
    date: dt.datetime | None
    from_: Address | None
    sender: Address | None
    reply_to: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    in_reply_to: str | None
    references: tuple[str, ...]
    headers: dict[str, tuple[str, ...]]
    body: BodyText
    html: str | None
    attachments: tuple[Attachment, ...]
    classification: Classification
    is_bulk: bool = False
    is_auto_submitted: bool = False
    case_references: tuple[str, ...] = ()
    bounced_message_id: str | None = None
    bounce_recipients: tuple[str, ...] = ()
    permanent_failure: bool = False
    defects: tuple[str, ...] = field(default_factory=tuple)
    return_path_empty: bool = False
    unreadable: bool = False
    """True when no readable text could be obtained (broken MIME, undecodable body)."""

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        values = self.headers.get(name.lower())
        return values[0] if values else None
