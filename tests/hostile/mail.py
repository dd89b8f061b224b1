"""Literal test mail for the hostile-input tests (fictional people, Ofcom drama numbers)."""

from __future__ import annotations

FIRST = """Dear team,

I am writing to identify Maya Patel as our first Patient Safety Specialist.

Name: Maya Patel
Email: maya.patel@nhs.net
Phone: 07700 900611

I confirm that the Identifying Patient Safety Specialists document has been considered.

Kind regards,
Tom Reeve
Chief Nurse, Dunmore Hospitals NHS Trust
"""

SENDER = "Tom Reeve <tom.reeve@dunmore.nhs.uk>"


def mail(sender: str = SENDER, subject: str = "PSS nomination", body: str = FIRST, *,
         message_id: str = "<hostile.1@dunmore.nhs.uk>", extra: str = "",
         date: str = "Mon, 03 Mar 2025 10:00:00 +0000") -> bytes:
    """A complete nomination (``FIRST``: accepted as it stands) with ``extra`` header lines
    (CRLF-terminated) inserted after the Message-ID."""
    head = (f"From: {sender}\r\nTo: pss.nominations@england.example\r\nSubject: {subject}\r\n"
            f"Date: {date}\r\nMessage-ID: {message_id}\r\n{extra}"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
    return (head + body.replace("\n", "\r\n")).encode()
