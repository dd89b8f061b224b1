"""A local mail source: one .eml (or Outlook .msg) file, a folder of them, or a Maildir.

What ``pss-intake demo`` and ``pss-intake import`` read. Messages are handed over as their raw
bytes, unmodified; nothing is filed away afterwards (:meth:`PathSource.acknowledge` only
records), so importing the same path twice relies on the pipeline's deduplication by the hash
of the bytes.

Order: the paths in the order given; within a folder of .eml files, by file name; within a
Maildir (``cur/`` and ``new/`` together), by the delivery time that starts a Maildir file name
(``1700000000.M1P2.host``), then by name.
"""

from __future__ import annotations

import datetime as dt
import mailbox
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.errors import MailSourceError
from ingest.outlook import is_msg, msg_to_rfc5322
from ingest.source import Filed, Incoming

_MAILDIR_TIME = re.compile(r"^(\d+)(?:\.(\d+))?")


def is_maildir(path: Path) -> bool:
    """True when ``path`` is a folder with Maildir's ``cur`` and ``new`` subfolders."""
    return (path / "cur").is_dir() and (path / "new").is_dir()


def _maildir_order(key: str) -> tuple[int, str]:
    match = _MAILDIR_TIME.match(key)
    return (int(match.group(1)) if match else 0, key)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise MailSourceError(f"no such file: {path}") from exc
    except OSError as exc:
        raise MailSourceError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _check(path: Path) -> None:
    if not path.exists():
        raise MailSourceError(f"no such file or folder: {path}")
    if not os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):
        raise MailSourceError(f"cannot read {path}: permission denied")
    if not (path.is_file() or path.is_dir()):
        raise MailSourceError(f"not a file or folder: {path}")


def _iter_maildir(path: Path) -> Iterator[Incoming]:
    try:
        box = mailbox.Maildir(str(path), factory=None, create=False)
        # Maildir readers ignore dot files (e.g. a .keep that lets git carry an empty new/).
        keys = sorted((k for k in box.keys() if not k.startswith(".")), key=_maildir_order)
    except OSError as exc:
        raise MailSourceError(f"cannot read Maildir {path}: {exc.strerror or exc}") from exc
    for key in keys:
        try:
            content = box.get_bytes(key)
        except KeyError:
            # Removed by someone else since the listing: nothing to hand over.
            continue
        except OSError as exc:
            raise MailSourceError(f"cannot read Maildir {path} message {key}: "
                                  f"{exc.strerror or exc}") from exc
        yield Incoming(content=content, source=f"maildir:{path}/{key}",
                       arrived_at=_maildir_time(key))


def _maildir_time(key: str) -> dt.datetime | None:
    """The delivery time a Maildir file name starts with (seconds since the epoch)."""
    match = _MAILDIR_TIME.match(key)
    return dt.datetime.fromtimestamp(int(match.group(1)), dt.UTC) if match else None


#: Why a file in a folder was not imported: (path, reason in words).
Skipped = list[tuple[Path, str]]


def _file_incoming(path: Path) -> Incoming:
    """One file as a message: an Outlook .msg is rebuilt as RFC 5322 (the original bytes
    kept, marked ``msg``); anything else is handed over as it is."""
    data = _read(path)
    if path.suffix.lower() == ".msg" or is_msg(data):
        rebuilt = msg_to_rfc5322(data)
        return Incoming(content=rebuilt if rebuilt is not None else data,
                        source=f"file:{path}", original=data, original_format="msg")
    return Incoming(content=data, source=f"file:{path}")


def _iter_one(path: Path, skipped: Skipped) -> Iterator[Incoming]:
    if path.is_file():
        yield _file_incoming(path)
    elif is_maildir(path):
        yield from _iter_maildir(path)
    else:
        try:
            entries = sorted(path.iterdir())
        except OSError as exc:
            raise MailSourceError(f"cannot list {path}: {exc.strerror or exc}") from exc
        for entry in entries:
            reason = _skip_reason(entry)
            if reason is not None:
                skipped.append((entry, reason))
                continue
            yield _file_incoming(entry)


def _skip_reason(entry: Path) -> str | None:
    """Why a folder's entry is not imported, or None for an .eml or .msg file."""
    if entry.name.startswith("."):
        return "hidden file"
    if entry.is_dir():
        return "a folder inside the folder (give it as a path of its own)"
    if entry.suffix.lower() in (".eml", ".msg"):
        # Read it (one that vanished since the listing is then an error, not a skip).
        return None
    return "not an .eml or .msg file"


def iter_path_messages(paths: Iterable[str | os.PathLike[str]], *,
                       skipped: Skipped | None = None) -> Iterator[Incoming]:
    """Yield every message under ``paths`` (files, folders of ``*.eml`` and ``*.msg``,
    Maildirs), in order; what a folder holds besides is appended to ``skipped`` with why.

    Every path is checked before the first message is yielded, so a typo fails at once:
    raises :class:`MailSourceError` (``no such file or folder: PATH``, ``cannot read PATH:
    ...``) for a missing or unreadable path, and during iteration for a file that cannot be
    read. ``Incoming.source`` is ``file:PATH`` or ``maildir:PATH/KEY``; the IMAP fields are
    ``None``.
    """
    checked = [Path(p) for p in paths]
    for path in checked:
        _check(path)
    return _chain(checked, skipped if skipped is not None else [])


def _chain(paths: list[Path], skipped: Skipped) -> Iterator[Incoming]:
    for path in paths:
        yield from _iter_one(path, skipped)


class PathSource:
    """:class:`ingest.source.MailSource` over local paths; files nothing away."""

    def __init__(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        self.paths = [Path(p) for p in paths]
        for path in self.paths:
            _check(path)
        self.acknowledged: list[int] = []
        self.skipped: Skipped = []

    def messages(self) -> Iterator[Incoming]:
        """See :meth:`ingest.source.MailSource.messages`."""
        return _chain(self.paths, self.skipped)

    def acknowledge(self, incoming: Incoming, *, raw_message_id: int, needs_review: bool) -> None:
        """See :meth:`ingest.source.MailSource.acknowledge`; only remembers the row id."""
        self.acknowledged.append(raw_message_id)

    def flush(self) -> list[Filed]:
        """Nothing is filed: returns ``[]``."""
        return []
