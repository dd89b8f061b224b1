"""The :class:`MailSource` seam: where raw messages come from.

A source yields :class:`Incoming` values (raw bytes plus where they came
from) and is told, through :meth:`MailSource.acknowledge`, once a message has been stored and
processed (committed in the database), so that it can file it away: the IMAP source MOVEs it
to the processed or review folder (RFC 6851), so the team's own view of the mailbox shows the
pipeline's state. Filing may be deferred to :meth:`MailSource.flush`, which lets IMAP move a
whole batch with one command. Implementations: :class:`ingest.imap.ImapSource` and
:class:`ingest.folder.PathSource`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message as a source hands it over.

    ``content`` is the raw RFC 5322 bytes, unmodified. ``source`` says where it came from in
    words without personal data (``imap:INBOX``, a file path). IMAP messages carry
    ``mailbox``/``uidvalidity``/``uid`` (RFC 3501 section 2.3.1.1). ``oversized_size`` is set
    when the message was larger than ``intake.max_message_bytes``: ``content`` then holds only
    its header block and the message is flagged, not parsed. ``arrived_at`` is when the message
    reached the mailbox (IMAP INTERNALDATE, a file's modification time), None when unknown.
    ``original``/``original_format`` carry a file that was not RFC 5322 (``msg``: an Outlook
    .msg) as it was read; ``content`` is then the message rebuilt from it.
    """

    content: bytes
    source: str
    mailbox: str | None = None
    uidvalidity: int | None = None
    uid: int | None = None
    oversized_size: int | None = None
    arrived_at: dt.datetime | None = None
    original: bytes | None = None
    original_format: str | None = None


@dataclass(frozen=True, slots=True)
class Filed:
    """One message filed by a source: its stored row and the folder it now sits in."""

    raw_message_id: int
    uid: int | None
    folder: str


@runtime_checkable
class MailSource(Protocol):
    """Anything that hands over raw messages one at a time and files them once handled."""

    def messages(self) -> Iterator[Incoming]:
        """Yield each message not handled yet, oldest first (IMAP: ascending UID).

        Between batches a source may carry out the filing deferred so far (as :meth:`flush`).
        Raises :class:`ingest.errors.MailSourceError` when the source cannot be read.
        """
        ...

    def acknowledge(self, incoming: Incoming, *, raw_message_id: int, needs_review: bool) -> None:
        """Record that ``incoming`` is stored (row ``raw_message_id``) and processed, committed.

        Call it only after the commit: a source may file the message away at once or at the
        next :meth:`flush`, and a filed message is not offered again. ``needs_review`` picks
        the review folder instead of the processed one. Raises
        :class:`ingest.errors.MailSourceError`.
        """
        ...

    def flush(self) -> list[Filed]:
        """Carry out the filing deferred so far; returns what was filed (may be empty).

        Raises :class:`ingest.errors.MailSourceError`; messages not filed are offered again by
        a later :meth:`messages`, and the pipeline recognises them as already stored.
        """
        ...
