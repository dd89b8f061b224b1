"""One polling pass: connect, fetch and process new mail, file it, disconnect.

:func:`poll_once` is a plain function: the service (:mod:`pss_intake.service`) schedules it,
``pss-intake poll --once`` and the tests call it directly (Mailman's split between one
iteration and the run loop). It takes the ``poller`` lease in the database first, so two
processes never poll the same mailbox at once; the one that finds the lease held returns a
report with ``skipped=True``.

For each message: :func:`pss_intake.pipeline.ingest` stores the raw bytes (committed), then
processes it and queues any reply in the same transaction as the case change; only then is
the message acknowledged to the source, which moves it out of the intake folder. One failing
message (an exception escaping the pipeline, e.g. the database went away) is logged and left
in the folder to be retried by the next pass; the others carry on.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ingest.errors import MailSourceError
from ingest.events import error_text, log_event
from ingest.imap import ImapSource, close, connect
from ingest.lease import POLLER, DbLease, LeaseLost
from ingest.oauth import TokenProvider
from ingest.source import Incoming, MailSource
from pss_intake.config import Settings
from pss_intake.pipeline import Outcome
from store.db import Database

log = logging.getLogger("pss_intake.poller")

#: A backlog at least this long gets a progress bar (when stdout is a terminal).
PROGRESS_MIN_BACKLOG = 200

IngestFn = Callable[[Database, Settings, Incoming], Outcome]


@dataclass
class PollReport:
    """What one pass did. Counts are messages.

    ``skipped``: the lease was held by another process and nothing was done. ``fetched``:
    handed over by the source; ``stored``: new rows (``created``); ``duplicates``: bytes
    already stored (crash leftovers, rescans); ``failed``: left in the folder for the next
    pass; ``filed``: moved out of the intake folder; ``actions``: per decision
    (accept/request_missing/review/ignore) of the newly stored; ``needs_review``: newly stored
    ones whose case needs a person; ``stopped``: a stop was requested before the end.
    """

    skipped: bool = False
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    filed: int = 0
    oversized: int = 0
    needs_review: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    uidvalidity_changed: bool = False
    stopped: bool = False
    seconds: float = 0.0

    def log_fields(self) -> dict[str, Any]:
        """The report as key=value fields for one log line."""
        fields: dict[str, Any] = {
            "fetched": self.fetched, "stored": self.stored, "duplicates": self.duplicates,
            "failed": self.failed, "filed": self.filed, "oversized": self.oversized,
            "review": self.needs_review, "seconds": round(self.seconds, 3),
        }
        fields.update({f"action_{k}": v for k, v in sorted(self.actions.items())})
        return fields


def process_source(db: Database, settings: Settings, source: MailSource, *,
                   report: PollReport | None = None, stop: threading.Event | None = None,
                   lease: DbLease | None = None, ingest: IngestFn | None = None,
                   progress: bool | None = None) -> PollReport:
    """Feed every message of ``source`` through the pipeline, acknowledging each after its
    commit, then flush the source's filing. Works for any :class:`MailSource`.

    ``stop``: when set, the message in hand is finished, filed, and the pass ends. ``lease``
    is renewed every third of its ttl; if it was lost, raises :class:`LeaseLost` (after
    filing what was done). Raises :class:`MailSourceError` when the source fails.
    """
    if ingest is None:
        from pss_intake.pipeline import ingest as pipeline_ingest
        ingest = pipeline_ingest
    report = report or PollReport()
    renewed = time.monotonic()
    with _progress(source, progress) as advance:
        try:
            for incoming in source.messages():
                report.fetched += 1
                fields: dict[str, Any] = {"mailbox": incoming.mailbox,
                                          "uidvalidity": incoming.uidvalidity,
                                          "uid": incoming.uid}
                try:
                    outcome = ingest(db, settings, incoming)
                except LeaseLost:
                    raise  # fenced out: another process polls now
                except Exception as exc:  # noqa: BLE001 - keep the batch going (retried later)
                    report.failed += 1
                    log_event(log, "ingest-failed", logging.ERROR, **fields,
                              error=error_text(exc))
                    advance()
                    continue
                if outcome.created:
                    report.stored += 1
                    report.actions[outcome.action] += 1
                    report.needs_review += outcome.needs_review
                else:
                    report.duplicates += 1
                report.oversized += incoming.oversized_size is not None
                log_event(log, "ingested" if outcome.created else "duplicate", **fields,
                          raw=outcome.raw_message_id, message_id=outcome.message_id,
                          case=outcome.case_reference, action=outcome.action,
                          review=outcome.needs_review, oversized=incoming.oversized_size)
                source.acknowledge(incoming, raw_message_id=outcome.raw_message_id,
                                   needs_review=outcome.needs_review)
                advance()
                if lease is not None and time.monotonic() - renewed > lease.ttl / 3:
                    if not lease.renew():
                        raise LeaseLost("the poller lease was taken over by another process")
                    renewed = time.monotonic()
                if stop is not None and stop.is_set():
                    report.stopped = True
                    break
        except BaseException:
            # File what was committed even when the pass ends on an error; if filing fails
            # too, the messages are offered again and recognised as stored. The first error
            # is the one reported.
            try:
                report.filed += len(source.flush())
            except MailSourceError as exc:
                log_event(log, "file-failed", logging.WARNING, error=error_text(exc))
            raise
        report.filed += len(source.flush())
    return report


class _Progress:
    """A rich progress bar over the backlog, shown when stdout is a terminal and the backlog
    is long (``enabled`` None), always (True) or never (False). Created at the first message,
    when the source knows its backlog."""

    def __init__(self, source: MailSource, enabled: bool | None) -> None:
        self.source = source
        self.enabled = enabled
        self.decided = False
        self.bar: Any = None
        self.task: Any = None

    def advance(self) -> None:
        if not self.decided:
            self.decided = True
            backlog = int(getattr(self.source, "backlog", 0) or 0)
            show = self.enabled if self.enabled is not None else (
                sys.stdout.isatty() and backlog >= PROGRESS_MIN_BACKLOG)
            if show and backlog > 0:
                from rich.progress import Progress

                self.bar = Progress(transient=False)
                self.bar.start()
                self.task = self.bar.add_task("messages", total=backlog)
        if self.bar is not None:
            self.bar.advance(self.task)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def _progress(source: MailSource, enabled: bool | None) -> Iterator[Callable[[], None]]:
    bar = _Progress(source, enabled)
    try:
        yield bar.advance
    finally:
        bar.close()


def poll_once(db: Database, settings: Settings, *, source: ImapSource | None = None,
              lease: DbLease | None = None, stop: threading.Event | None = None,
              tokens: TokenProvider | None = None, ingest: IngestFn | None = None,
              progress: bool | None = None, prefer_move: bool = True) -> PollReport:
    """One pass over the IMAP intake folder (see the module docstring).

    :param source: an open-able :class:`ImapSource` on a live connection (the service keeps
        one); when None, connects with ``settings.imap``, and logs out at the end.
    :param lease: the ``poller`` lease to hold; a fresh one (released at the end) when None.
    Returns a :class:`PollReport` (``skipped=True`` when another process holds the lease).
    Raises :class:`MailSourceError` (connection, login, protocol) or :class:`LeaseLost`;
    everything committed before the error stays committed.
    """
    started = time.monotonic()
    own_lease = lease is None
    if lease is None:
        lease = DbLease(db, POLLER, ttl=settings.imap.lease_seconds)
        db = db.fenced(lease.fence)  # only the holder's commits go through (ingest.lease)
    if not lease.acquire():
        log_event(log, "poll-skipped", reason="lease-held-elsewhere")
        return PollReport(skipped=True)
    client = None
    try:
        if source is None:
            client = connect(settings.imap, tokens=tokens)
            source = ImapSource(db, settings, client, prefer_move=prefer_move)
        source.open()
        report = PollReport(uidvalidity_changed=source.uidvalidity_changed)
        process_source(db, settings, source, report=report, stop=stop, lease=lease,
                       ingest=ingest, progress=progress)
        report.seconds = time.monotonic() - started
        if report.fetched or report.uidvalidity_changed:
            log_event(log, "poll-done", mailbox=source.folder, **report.log_fields())
        return report
    finally:
        if client is not None:
            close(client)
        if own_lease:
            lease.release()
