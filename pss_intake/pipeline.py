"""The main job for one message: store the raw bytes, then parse, thread, extract, merge,
run the rules, decide, and queue the reply — the case change and the reply in one transaction.

:func:`ingest` is what every :class:`ingest.source.MailSource` feeds. It never raises for bad
input: a message that cannot be processed is kept (raw bytes) and becomes a flagged case.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message as a source hands it over.

    ``content`` is the raw RFC 5322 bytes, unmodified. ``source`` says where it came from in
    words without personal data (``imap:INBOX``, a file path). IMAP messages carry
    ``mailbox``/``uidvalidity``/``uid`` (RFC 3501 section 2.3.1.1). ``oversized_size`` is set
    when the message was larger than ``intake.max_message_bytes``: ``content`` then holds only
    its header block and the message is flagged, not parsed.
    """

    content: bytes
    source: str
    mailbox: str | None = None
    uidvalidity: int | None = None
    uid: int | None = None
    oversized_size: int | None = None
