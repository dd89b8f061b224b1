"""The IMAP mail source (imapclient): fetch new messages by UID, file them once committed.

How one pass works (RFC 3501 unless noted):

1. SELECT the intake folder (``imap.folder``) and read its UIDVALIDITY (section 2.3.1.1).
   The last UID handled is kept per folder in :class:`store.models.MailboxState`. When the
   UIDVALIDITY differs from the stored one, the old UIDs mean nothing any more: ``last_uid``
   goes back to 0 and the folder is rescanned; messages already stored are recognised by the
   SHA-256 of their bytes, so nothing is processed twice and new mail is not skipped.
2. ``UID SEARCH UID last+1:*``. ``n:*`` always matches the highest UID even when it is below
   ``n`` (section 6.4.8: "*" is the largest UID in use), so UIDs ``<= last`` are dropped.
3. FETCH in batches of ``imap.batch_size``: ``RFC822.SIZE`` first; a message larger than
   ``intake.max_message_bytes`` is fetched as ``BODY.PEEK[HEADER]`` only and handed over with
   ``oversized_size`` set (stored and flagged, never fetched in full again). The others are
   fetched with ``BODY.PEEK[]`` in sub-batches of at most ``imap.batch_max_bytes`` (PEEK never
   sets ``\\Seen``, section 6.4.5).
4. The caller stores and processes each message and commits, then calls :meth:`acknowledge`;
   at the end of each batch (and at :meth:`flush`) the acknowledged messages are moved to
   ``imap.processed_folder`` (or ``imap.review_folder``) with UID MOVE (RFC 6851), or, on a
   server without MOVE, UID COPY + ``\\Deleted`` + UID EXPUNGE (RFC 4315 section 2.1; plain
   EXPUNGE without UIDPLUS). Folders are created when missing. ``RawMessage.moved`` and
   ``target_folder`` record it, and ``last_uid`` advances past every handled message.

A crash between the commit and the MOVE leaves the message in the intake folder: the next
pass offers it again, the pipeline recognises its bytes as stored (no second case, no second
reply) and it is moved then.

imapclient leaves imaplib's debug level at 5, which builds a text copy of every fetched body;
:func:`connect` sets it to 0 (3-5x faster bulk FETCH, a third of the memory).
"""

from __future__ import annotations

import datetime as dt
import logging
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from imapclient import DELETED, IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError
from sqlalchemy import update

from ingest.errors import (
    MailSourceAuthError,
    MailSourceConnectionError,
    MailSourceError,
    MailSourceProtocolError,
)
from ingest.events import error_text, log_event
from ingest.oauth import TokenProvider
from ingest.source import Filed, Incoming
from pss_intake.config import ImapSettings, Settings
from store.db import Database
from store.models import MailboxState, RawMessage

log = logging.getLogger("pss_intake.imap")


@contextmanager
def imap_errors(what: str) -> Iterator[None]:
    """Turn socket, TLS and imapclient errors raised inside into :mod:`ingest.errors` ones.

    ``what`` names the command for the message (e.g. ``"UID FETCH"``).
    """
    try:
        yield
    except MailSourceError:
        raise
    except LoginError as exc:
        raise MailSourceAuthError(f"IMAP login refused: {error_text(exc)}") from exc
    except IMAPClientAbortError as exc:
        raise MailSourceConnectionError(f"IMAP connection lost during {what}: "
                                        f"{error_text(exc)}") from exc
    except IMAPClientError as exc:
        # imaplib reports a dropped socket as a plain error too ("socket error: EOF").
        text = str(exc)
        if "socket error" in text or "EOF" in text or "connection" in text.lower():
            raise MailSourceConnectionError(f"IMAP connection lost during {what}: "
                                            f"{error_text(exc)}") from exc
        raise MailSourceProtocolError(f"IMAP {what} failed: {error_text(exc)}") from exc
    except (OSError, EOFError) as exc:  # socket.timeout, ConnectionError, ssl.SSLError
        raise MailSourceConnectionError(f"IMAP {what} failed: {error_text(exc)}") from exc


def ssl_context(ca_file: str | None) -> ssl.SSLContext:
    """A verifying TLS context; trusts ``ca_file`` (PEM) instead of the system store if given."""
    return ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()


def connect(settings: ImapSettings, *, tokens: TokenProvider | None = None) -> IMAPClient:
    """Connect and log in; returns a client with no folder selected.

    Every socket operation has ``imap.timeout_seconds`` as timeout. TLS: ``imap.ssl``
    (implicit TLS, usually port 993) or ``imap.starttls`` (RFC 3501 section 6.2.1), verified
    against ``imap.ca_file`` or the system store. Auth: ``login`` (LOGIN with
    ``imap.password``) or ``xoauth2`` (SASL XOAUTH2 with a token from ``tokens``).
    Raises :class:`MailSourceConnectionError` (unreachable, timeout, TLS) or
    :class:`MailSourceAuthError` (refused login, no token).
    """
    context = ssl_context(settings.ca_file) if (settings.ssl or settings.starttls) else None
    with imap_errors("connect"):
        client = IMAPClient(settings.host, port=settings.port, ssl=settings.ssl,
                            ssl_context=context, timeout=settings.timeout_seconds)
    # imapclient sets imaplib's debug to 5: a repr of every response (every body) is built
    # even with logging off. 0 makes bulk FETCH 3-5x faster and uses a third of the memory.
    client._imap.debug = 0
    try:
        with imap_errors("STARTTLS/login"):
            if settings.starttls and not settings.ssl:
                client.starttls(context)
            if settings.auth == "xoauth2":
                if tokens is None:
                    tokens = TokenProvider(settings)
                try:
                    client.oauth2_login(settings.username, tokens.token())
                except LoginError:
                    # A revoked or mis-scoped token: fetch a fresh one next time.
                    tokens.invalidate()
                    raise
            else:
                password = settings.password.get_secret_value() if settings.password else ""
                client.login(settings.username, password)
    except BaseException:
        close(client)
        raise
    return client


def close(client: IMAPClient | None) -> None:
    """LOGOUT, or just drop the socket when the server is gone; never raises."""
    if client is None:
        return
    try:
        client.logout()
    except Exception:
        try:
            client.shutdown()
        except Exception:
            pass


@dataclass
class _Pending:
    uid: int
    raw_message_id: int
    folder: str


class ImapSource:
    """:class:`ingest.source.MailSource` over one IMAP folder (see the module docstring).

    :param client: a logged-in client (:func:`connect`); not closed here.
    :param prefer_move: use UID MOVE when the server offers it (False forces COPY + EXPUNGE,
        for servers whose MOVE is broken, and for tests).
    Call :meth:`open` (SELECT) before :meth:`messages`.
    """

    def __init__(self, db: Database, settings: Settings, client: IMAPClient, *,
                 prefer_move: bool = True) -> None:
        self.db = db
        self.settings = settings
        self.imap = settings.imap
        self.client = client
        self.prefer_move = prefer_move
        self.folder = settings.imap.folder
        self.uidvalidity = 0
        self.last_uid = 0
        self.uidvalidity_changed = False
        self.backlog = 0
        """How many new UIDs the last SEARCH found (for progress display)."""
        self._pending: list[_Pending] = []
        self._carried: list[Filed] = []
        self._scan: list[int] = []
        self._done: set[int] = set()
        self._existing_folders: set[str] = set()

    # -- state -------------------------------------------------------------------------

    def open(self) -> None:
        """SELECT the intake folder and reconcile UIDVALIDITY with the stored state.

        Raises :class:`MailSourceError` (e.g. the folder does not exist: protocol error).
        """
        with imap_errors(f"SELECT {self.folder}"):
            info = self.client.select_folder(self.folder)
        self.uidvalidity = int(info[b"UIDVALIDITY"])
        with self.db.transaction() as session:
            state = session.get(MailboxState, self.folder)
            if state is None:
                state = MailboxState(mailbox=self.folder, uidvalidity=self.uidvalidity, last_uid=0)
                session.add(state)
            elif state.uidvalidity != self.uidvalidity:
                # RFC 3501 2.3.1.1: the old UIDs are void. Rescan; stored bytes are recognised.
                log_event(log, "uidvalidity-changed", logging.WARNING, mailbox=self.folder,
                          old=state.uidvalidity, new=self.uidvalidity, last_uid=state.last_uid)
                state.uidvalidity = self.uidvalidity
                state.last_uid = 0
                self.uidvalidity_changed = True
            self.last_uid = state.last_uid

    def _save_last_uid(self, last_uid: int) -> None:
        with self.db.transaction() as session:
            session.execute(
                update(MailboxState)
                .where(MailboxState.mailbox == self.folder)
                .where(MailboxState.uidvalidity == self.uidvalidity)
                .values(last_uid=last_uid)
            )
        self.last_uid = last_uid

    # -- fetching ----------------------------------------------------------------------

    def new_uids(self) -> list[int]:
        """UIDs above ``last_uid`` in the selected folder, ascending (RFC 3501 6.4.4)."""
        with imap_errors("UID SEARCH"):
            found = self.client.search(["UID", f"{self.last_uid + 1}:*"])
        # "n:*" matches the highest UID even when it is below n: drop what we have handled.
        return sorted(int(u) for u in found if int(u) > self.last_uid)

    def messages(self) -> Iterator[Incoming]:
        """See :meth:`ingest.source.MailSource.messages`. Moves each batch once acknowledged."""
        uids = self.new_uids()
        self._scan = uids
        self._done = set()
        self.backlog = len(uids)
        batch_size = max(1, self.imap.batch_size)
        for start in range(0, len(uids), batch_size):
            batch = uids[start:start + batch_size]
            yield from self._fetch_batch(batch)
            # Move this batch now rather than at the end: a long backlog leaves the intake
            # folder as it goes. Reported by the next flush().
            self._carried.extend(self._file())

    def _fetch_batch(self, batch: list[int]) -> Iterator[Incoming]:
        limit = self.settings.intake.max_message_bytes
        with imap_errors("UID FETCH RFC822.SIZE"):
            sizes = self.client.fetch(batch, ["RFC822.SIZE"])
        # Plan sub-batches in UID order: full bodies up to batch_max_bytes at a time, an
        # oversized message alone (header only).
        groups: list[tuple[bool, list[int]]] = []
        group_bytes = 0
        for uid in batch:
            if uid not in sizes:
                # Expunged by someone else since the SEARCH: nothing to hand over.
                self._done.add(uid)
                continue
            size = int(sizes[uid][b"RFC822.SIZE"])
            if size > limit:
                groups.append((True, [uid]))
                group_bytes = 0
                continue
            if (not groups or groups[-1][0]
                    or (groups[-1][1] and group_bytes + size > self.imap.batch_max_bytes)):
                groups.append((False, []))
                group_bytes = 0
            groups[-1][1].append(uid)
            group_bytes += size
        for oversized, uids in groups:
            if oversized:
                yield from self._fetch(uids, "BODY.PEEK[HEADER]", b"BODY[HEADER]", sizes)
            else:
                yield from self._fetch(uids, "BODY.PEEK[]", b"BODY[]", None)

    def _fetch(self, uids: list[int], item: str, key: bytes,
               sizes: dict[int, Any] | None) -> Iterator[Incoming]:
        with imap_errors(f"UID FETCH {item}"):
            data = self.client.fetch(uids, [item, "INTERNALDATE"])
        for uid in uids:
            entry = data.pop(uid, None)
            content = entry.get(key) if entry else None
            if content is None:
                self._done.add(uid)
                continue
            oversized = int(sizes[uid][b"RFC822.SIZE"]) if sizes is not None else None
            yield Incoming(content=bytes(content), source=f"imap:{self.folder}",
                           mailbox=self.folder, uidvalidity=self.uidvalidity, uid=uid,
                           oversized_size=oversized,
                           arrived_at=_internal_date(entry.get(b"INTERNALDATE")))

    # -- filing ------------------------------------------------------------------------

    def acknowledge(self, incoming: Incoming, *, raw_message_id: int, needs_review: bool) -> None:
        """See :meth:`ingest.source.MailSource.acknowledge`; the MOVE happens once
        ``imap.move_batch_size`` messages are acknowledged, at the end of each FETCH batch,
        and at :meth:`flush`."""
        if incoming.uid is None or incoming.mailbox != self.folder:
            raise ValueError("not a message of this IMAP source")
        folder = self.imap.review_folder if needs_review else self.imap.processed_folder
        self._pending.append(_Pending(incoming.uid, raw_message_id, folder))
        if len(self._pending) >= max(1, self.imap.move_batch_size):
            # Committed: MOVE now, so a poller killed later in the batch leaves few handled
            # messages behind in the intake folder to be offered again.
            self._carried.extend(self._file())

    def _ensure_folder(self, folder: str) -> None:
        if folder in self._existing_folders:
            return
        with imap_errors(f"CREATE {folder}"):
            if not self.client.folder_exists(folder):
                try:
                    self.client.create_folder(folder)
                    log_event(log, "folder-created", folder=folder)
                except IMAPClientError:
                    # Created meanwhile by someone else (another client, Outlook)?
                    if not self.client.folder_exists(folder):
                        raise
        self._existing_folders.add(folder)

    def _move(self, uids: list[int], folder: str) -> None:
        if self.prefer_move and self.client.has_capability("MOVE"):
            with imap_errors(f"UID MOVE {folder}"):
                self.client.move(uids, folder)
            return
        with imap_errors(f"UID COPY {folder}"):
            self.client.copy(uids, folder)
            self.client.add_flags(uids, [DELETED], silent=True)
            if self.client.has_capability("UIDPLUS"):
                self.client.uid_expunge(uids)
            else:
                # Without UIDPLUS, EXPUNGE also removes other messages marked \Deleted.
                self.client.expunge()

    def flush(self) -> list[Filed]:
        """See :meth:`ingest.source.MailSource.flush`: MOVE what was acknowledged, record it
        on the stored rows, and advance ``last_uid`` past every handled message. Returns
        everything filed since the previous call (batches filed during :meth:`messages`
        included)."""
        filed = self._file()
        carried, self._carried = self._carried, []
        return carried + filed

    def _file(self) -> list[Filed]:
        pending, self._pending = self._pending, []
        by_folder: dict[str, list[_Pending]] = {}
        for item in pending:
            by_folder.setdefault(item.folder, []).append(item)
        filed: list[Filed] = []
        try:
            for folder, items in by_folder.items():
                self._ensure_folder(folder)
                uids = [item.uid for item in items]
                self.db.check_fence()  # still the lease holder (a fenced db), else LeaseLost
                self._move(uids, folder)
                with self.db.transaction() as session:
                    session.execute(
                        update(RawMessage)
                        .where(RawMessage.id.in_([item.raw_message_id for item in items]))
                        .values(moved=True, target_folder=folder)
                        .execution_options(synchronize_session=False)
                    )
                self._done.update(uids)
                filed.extend(Filed(item.raw_message_id, item.uid, folder) for item in items)
                for item in items:
                    log_event(log, "moved", mailbox=self.folder, uidvalidity=self.uidvalidity,
                              uid=item.uid, folder=folder, raw_message=item.raw_message_id)
        finally:
            self._advance()
        return filed

    def _advance(self) -> None:
        # last_uid = the highest UID below which every scanned message was handled (moved or
        # gone). A message whose processing failed stays below it, so the next pass retries it.
        last = self.last_uid
        for uid in self._scan:
            if uid not in self._done:
                break
            last = uid
        if last > self.last_uid:
            self._save_last_uid(last)


def _internal_date(value: object) -> dt.datetime | None:
    """INTERNALDATE as imapclient gives it (a naive local time when it normalises times, else
    aware) as an aware time; None when absent."""
    if not isinstance(value, dt.datetime):
        return None
    return value.astimezone() if value.tzinfo is None else value
