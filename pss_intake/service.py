"""The mailbox service: ``pss-intake run`` and ``pss-intake poll --once``.

:func:`run_service` runs two APScheduler jobs (``max_instances=1``, ``coalesce=True``):

* ``poll`` every ``imap.poll_seconds``: one pass of :func:`ingest.poller.poll_once` on a
  connection kept open between passes. Where the server offers IDLE (RFC 2177) and
  ``imap.idle`` is on, a thread holds a second connection in IDLE on the intake folder and
  wakes the poll job as soon as the server reports EXISTS; it re-issues IDLE every
  ``imap.idle_seconds`` (RFC 2177 section 3: servers may drop a client idle for 30 minutes).
  The periodic poll stays behind it in case a notification is lost.
* ``send`` every ``smtp.send_seconds``, and right after a poll that stored new mail:
  :func:`replies.sender.send_pending`.
* ``chase`` every day at ``chasers.daily_at`` (England's time): :func:`pss_intake.chasers.
  run_chasers`, under a ``chaser`` lease so two processes never chase the same day twice.

Only the holder of the ``poller`` lease in the database polls and idles (one poller at a time
across processes, SQLite or PostgreSQL); another ``run`` waits as a standby. A third job,
``lease``, every ``imap.lease_check_seconds`` and independent of the poll, renews the lease
while held (a heartbeat) and on a standby tries to take it, polling at once when it does: a
standby takes over at most ``imap.lease_seconds + imap.lease_check_seconds`` after the holder
died. Every transaction of the poll is fenced (:meth:`ingest.lease.DbLease.fence`), and each
MOVE checked, so a holder that lost the lease without noticing commits and moves nothing more:
it drops its IMAP connection and becomes a standby. Any connection or login failure is logged
in one line and retried with exponential backoff (1 s doubling up to
``imap.backoff_max_seconds``); a reconnect catches up by UID. SIGTERM/SIGINT: the message in
hand is finished and filed, no new reply is started, the lease is released and the process
exits 0.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from imapclient import IMAPClient

from ingest.errors import MailSourceAuthError, MailSourceConnectionError, MailSourceError
from ingest.events import error_text, log_event
from ingest.imap import ImapSource, close, connect, imap_errors
from ingest.lease import POLLER, DbLease, LeaseLost, make_holder
from ingest.oauth import TokenProvider
from ingest.poller import PollReport, poll_once
from pss_intake.config import Settings
from pss_intake.health import HttpEndpoint, Liveness, Metrics, health, make_app
from pss_intake.pipeline import Incoming, Outcome
from replies.sender import SendReport, send_pending
from store.db import Database, open_database

log = logging.getLogger("pss_intake.service")

#: The first retry after a failure waits this long; each further failure doubles it.
BACKOFF_START_SECONDS = 1.0


def backoff_delay(failures: int, cap: float, start: float = BACKOFF_START_SECONDS) -> float:
    """Seconds to wait after ``failures`` consecutive failures: start × 2^(failures−1) ≤ cap."""
    return float(min(cap, start * (2 ** max(0, failures - 1))))


RETENTION_DELAY = 300
"""Seconds after start before the first daily retention run (after the first polls)."""


class Service:
    """The running service (see the module docstring). Build, :meth:`start`, :meth:`stop`.

    :param stop: set it to stop the service (signal handlers do).
    :param tokens: an OAuth2 token provider (``imap.auth: xoauth2``); built when None.
    """

    def __init__(self, settings: Settings, db: Database, *, stop: threading.Event | None = None,
                 tokens: TokenProvider | None = None, prefer_move: bool = True) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        self.settings = settings
        self.db = db
        self.stop_event = stop or threading.Event()
        self.prefer_move = prefer_move
        if tokens is None and settings.imap.auth == "xoauth2":
            tokens = TokenProvider(settings.imap)
        self.tokens = tokens
        self.lease = DbLease(db, POLLER, ttl=settings.imap.lease_seconds,
                             holder=make_holder(settings.service.instance))
        self.work_db = db.fenced(self.lease.fence)
        """The database as the poll uses it: only the lease holder's commits go through."""
        self.scheduler = BackgroundScheduler(timezone=dt.UTC)
        self._client: IMAPClient | None = None
        self._poll_lock = threading.Lock()
        self._wake = threading.Event()
        self._failures = 0
        self._retry_at = 0.0
        self._idle_thread: threading.Thread | None = None
        self.idling = threading.Event()
        """Set while the IDLE connection is in IDLE (for tests and diagnostics)."""
        self.polls: list[PollReport] = []
        """Reports of the passes that did something (for tests and diagnostics; bounded)."""
        self.sends: list[SendReport] = []
        self.lease_checked_at: float | None = None
        """Epoch seconds of the last successful lease renewal or check."""
        self.started_at = time.time()
        self.last_poll_ok: float | None = None
        """Epoch seconds of the last successful pass (or message handled during one)."""
        self.metrics = Metrics(db, self.lease)
        self.http: HttpEndpoint | None = None

    # -- scheduling --------------------------------------------------------------------

    def start(self) -> None:
        """Start the jobs (the first poll and send run at once) and the IDLE thread."""
        imap, smtp = self.settings.imap, self.settings.smtp
        now = dt.datetime.now(dt.UTC)
        common: dict[str, Any] = {"max_instances": 1, "coalesce": True,
                                  "misfire_grace_time": None, "next_run_time": now}
        self.scheduler.add_job(self.poll_job, "interval", seconds=imap.poll_seconds, id="poll",
                               **common)
        self.scheduler.add_job(self.send_job, "interval", seconds=smtp.send_seconds, id="send",
                               **common)
        self.scheduler.add_job(self.lease_job, "interval", id="lease",
                               seconds=max(0.5, min(imap.lease_check_seconds,
                                                    imap.lease_seconds / 3)), **common)
        hour, minute = (int(x) for x in self.settings.chasers.daily_at.split(":"))
        self.scheduler.add_job(self.chase_job, "cron", hour=hour, minute=minute,
                               timezone="Europe/London", id="chase", max_instances=1,
                               coalesce=True, misfire_grace_time=3600)
        self.scheduler.add_job(self.retention_job, "interval", hours=24, id="retention",
                               max_instances=1, coalesce=True, misfire_grace_time=None,
                               next_run_time=now + dt.timedelta(seconds=RETENTION_DELAY))
        if self.settings.service.metrics_port:
            service = self.settings.service
            self.http = HttpEndpoint(make_app(self.metrics, self.health), service.metrics_host,
                                     service.metrics_port)
            log_event(log, "metrics-listening", host=service.metrics_host, port=self.http.port)
        self.scheduler.start()
        if imap.idle:
            self._idle_thread = threading.Thread(target=self.idle_loop, name="imap-idle",
                                                 daemon=True)
            self._idle_thread.start()
        log_event(log, "service-started", mailbox=imap.folder, holder=self.lease.holder,
                  poll_seconds=imap.poll_seconds, idle=imap.idle, send_seconds=smtp.send_seconds)

    def _run_now(self, job_id: str) -> None:
        if self.stop_event.is_set():
            return
        try:
            self.scheduler.modify_job(job_id, next_run_time=dt.datetime.now(dt.UTC))
        except Exception:  # the scheduler is shutting down
            pass

    def request_poll(self) -> None:
        """Ask for a poll now (IDLE saw new mail); a poll in progress goes round again."""
        self._wake.set()
        self._run_now("poll")

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the message in hand, stop the jobs and the IDLE thread, release the lease."""
        self.stop_event.set()
        try:
            self.scheduler.shutdown(wait=True)
        except Exception:  # never started
            pass
        if self._idle_thread is not None:
            self._idle_thread.join(timeout)
        with self._poll_lock:
            close(self._client)
            self._client = None
        if self.http is not None:
            self.http.close()
        try:
            if self.lease.held:
                self.lease.release()
        except Exception as exc:  # the database is gone: the lease simply expires
            log_event(log, "lease-release-failed", logging.WARNING, error=error_text(exc))
        log_event(log, "service-stopped", holder=self.lease.holder)

    # -- jobs --------------------------------------------------------------------------

    def poll_job(self) -> None:
        """One or more passes (more while IDLE keeps reporting new mail)."""
        if self.stop_event.is_set() or time.monotonic() < self._retry_at:
            return
        if not self._poll_lock.acquire(blocking=False):
            self._wake.set()
            return
        try:
            while not self.stop_event.is_set():
                self._wake.clear()
                report = self._poll()
                if report is None:
                    return
                if report.stored or report.failed or report.duplicates:
                    self.polls.append(report)
                    del self.polls[:-100]
                if report.stored:
                    self._run_now("send")
                if not self._wake.is_set():
                    return
        finally:
            self._poll_lock.release()

    def _poll(self) -> PollReport | None:
        try:
            if not self._take_lease():
                return None  # standby: another process polls
            if self._client is None:
                self._client = connect(self.settings.imap, tokens=self.tokens)
                log_event(log, "imap-connected", mailbox=self.settings.imap.folder)
            source = ImapSource(self.work_db, self.settings, self._client,
                                prefer_move=self.prefer_move)
            report = poll_once(self.work_db, self.settings, source=source, lease=self.lease,
                               stop=self.stop_event, ingest=self._ingest)
        except LeaseLost:
            # Another process holds the lease now: stop at once, keep nothing open.
            log_event(log, "lease-lost", logging.WARNING, holder=self.lease.holder)
            self.lease.held = False
            close(self._client)
            self._client = None
            return None
        except Exception as exc:  # noqa: BLE001 - MailSourceError, StoreError, SQLAlchemy
            self._failed("poll", exc)
            close(self._client)
            self._client = None
            return None
        if self._failures:
            log_event(log, "imap-recovered", after_failures=self._failures)
        self._polled()
        self._failures = 0
        self._retry_at = 0.0
        return report

    def _ingest(self, db: Database, settings: Settings, incoming: Incoming) -> Outcome:
        """:func:`pss_intake.pipeline.ingest`, timed and counted for /metrics."""
        from pss_intake.pipeline import ingest

        started = time.perf_counter()
        try:
            outcome = ingest(db, settings, incoming)
        except LeaseLost:
            raise
        except Exception:
            self.metrics.messages.labels("failed").inc()
            raise
        self.metrics.processing.observe(time.perf_counter() - started)
        self.metrics.messages.labels(outcome.action if outcome.created else "duplicate").inc()
        self._polled()  # a long pass is alive while messages go through
        return outcome

    def _polled(self) -> None:
        self.last_poll_ok = time.time()
        self.metrics.last_poll.set(self.last_poll_ok)

    def health(self) -> tuple[int, dict[str, Any]]:
        """``/healthz``: (HTTP status, JSON body); see :mod:`pss_intake.health`."""
        live = Liveness(self.started_at, self.last_poll_ok, self.lease_checked_at,
                        self._client is not None, self.idling.is_set())
        return health(self.db, self.lease, live, self.settings.imap.poll_seconds)

    def _failed(self, what: str, exc: BaseException) -> None:
        self.metrics.poll_errors.inc()
        self._failures += 1
        delay = backoff_delay(self._failures, self.settings.imap.backoff_max_seconds)
        self._retry_at = time.monotonic() + delay
        event = ("imap-auth-failed" if isinstance(exc, MailSourceAuthError) else
                 "imap-unavailable" if isinstance(exc, MailSourceConnectionError | OSError)
                 else f"{what}-failed")
        log_event(log, event, logging.WARNING, error=error_text(exc), failures=self._failures,
                  retry_in=delay)
        if not self.stop_event.is_set():
            try:
                self.scheduler.modify_job(
                    "poll", next_run_time=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay))
            except Exception:
                pass

    def send_job(self) -> None:
        """Deliver due replies; never raises (a database error is logged, retried next run)."""
        if self.stop_event.is_set():
            return
        try:
            report = send_pending(self.db, self.settings, stop=self.stop_event)
        except Exception as exc:  # noqa: BLE001 - the job must survive
            log_event(log, "send-job-failed", logging.ERROR, error=error_text(exc))
            return
        for result, n in (("sent", report.sent), ("failed", report.failed),
                          ("retried", report.retrying), ("uncertain", report.uncertain)):
            if n:
                self.metrics.replies.labels(result).inc(n)
        if report.due:
            self.sends.append(report)
            del self.sends[:-100]

    def retention_job(self) -> None:
        """Apply the retention schedule (daily, by the lease holder only); logs counts only."""
        from privacy.retention import apply_retention
        from pss_intake.privacy_cli import retention_policy

        if not self.lease.held or self.stop_event.is_set():
            return
        try:
            report = apply_retention(self.db, retention_policy(self.settings))
        except Exception as exc:  # noqa: BLE001 - a failed run is retried the next day
            log_event(log, "retention-failed", logging.WARNING, error=error_text(exc))
            return
        log_event(log, "retention-applied", **report.removed)

    def chase_job(self) -> None:
        """Chase cases awaiting information (daily); only one process at a time (a lease of
        its own), never raises."""
        from pss_intake.chasers import run_chasers

        if self.stop_event.is_set():
            return
        lease = DbLease(self.db, "chaser", ttl=600.0)
        try:
            if not lease.acquire():
                return
            try:
                outcomes = run_chasers(self.db, self.settings)
            finally:
                lease.release()
        except Exception as exc:  # noqa: BLE001 - the job must survive
            log_event(log, "chase-job-failed", logging.ERROR, error=error_text(exc))
            return
        log_event(log, "chase-job", considered=len(outcomes),
                  chased=sum(1 for o in outcomes if o.action == "chased"),
                  escalated=sum(1 for o in outcomes if o.action == "escalated"))
        self._run_now("send")

    def lease_job(self) -> None:
        """The heartbeat: renew the lease while holding it; on a standby, try to take it and
        poll at once when that succeeds. Never raises (a database error is logged)."""
        if self.stop_event.is_set():
            return
        was_held = self.lease.held
        try:
            held = self._take_lease()
        except Exception as exc:  # noqa: BLE001 - the job must survive
            log_event(log, "lease-renew-failed" if was_held else "lease-check-failed",
                      logging.WARNING, error=error_text(exc))
            return
        if held and not was_held:
            self.request_poll()

    def _take_lease(self) -> bool:
        """Take or renew the lease, logging a change of hands; raises on database errors."""
        was_held = self.lease.held
        held = self.lease.acquire()
        self.lease_checked_at = time.time()
        if held and not was_held:
            log_event(log, "lease-acquired", holder=self.lease.holder)
        elif was_held and not held:
            log_event(log, "lease-lost", logging.WARNING, holder=self.lease.holder)
        return held

    # -- IDLE --------------------------------------------------------------------------

    def idle_loop(self) -> None:
        """Hold IDLE on the intake folder while this process holds the lease; wake the poll
        on EXISTS; reconnect with backoff on any error (RFC 2177)."""
        failures = 0
        while not self.stop_event.is_set():
            if not self.lease.held:
                self.stop_event.wait(1.0)
                continue
            client: IMAPClient | None = None
            try:
                client = connect(self.settings.imap, tokens=self.tokens)
                if not client.has_capability("IDLE"):
                    log_event(log, "idle-unsupported", mailbox=self.settings.imap.folder)
                    return
                with imap_errors("SELECT (IDLE)"):
                    client.select_folder(self.settings.imap.folder, readonly=True)
                if failures:
                    log_event(log, "idle-recovered", after_failures=failures)
                failures = 0
                # Anything that arrived while we were not idling: catch up by UID.
                self.request_poll()
                self._idle(client)
            except Exception as exc:  # noqa: BLE001 - reconnect whatever it was
                failures += 1
                delay = backoff_delay(failures, self.settings.imap.backoff_max_seconds)
                event = "idle-auth-failed" if isinstance(exc, MailSourceAuthError) else (
                    "idle-unavailable")
                log_event(log, event, logging.WARNING, error=error_text(exc),
                          failures=failures, retry_in=delay)
                self.stop_event.wait(delay)
            finally:
                self.idling.clear()
                close(client)

    def _idle(self, client: IMAPClient) -> None:
        check = 1.0  # seconds: how quickly a stop request is noticed
        while not self.stop_event.is_set() and self.lease.held:
            with imap_errors("IDLE"):
                client.idle()
            self.idling.set()
            started = time.monotonic()
            # A lost lease ends IDLE within a second: the new holder watches the folder.
            while (not self.stop_event.is_set() and self.lease.held
                   and time.monotonic() - started < self.settings.imap.idle_seconds):
                t0 = time.monotonic()
                with imap_errors("IDLE"):
                    responses = client.idle_check(timeout=check)
                if not responses and time.monotonic() - t0 < check / 2:
                    # idle_check returns at once with nothing only at the end of the stream.
                    raise MailSourceConnectionError("IDLE connection closed by the server")
                for response in responses:
                    if len(response) >= 2 and response[1] == b"EXISTS":
                        log_event(log, "idle-exists", mailbox=self.settings.imap.folder,
                                  exists=response[0])
                        self.request_poll()
                    elif response and response[0] == b"BYE":
                        raise MailSourceConnectionError("IDLE: the server said BYE")
            self.idling.clear()
            with imap_errors("DONE"):
                client.idle_done()


def _install_signals(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM/SIGINT set ``stop``; returns a function restoring the previous handlers."""
    previous: dict[int, Any] = {}

    def handler(signum: int, _frame: FrameType | None) -> None:
        log_event(log, "signal", signal=signal.Signals(signum).name)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        previous[signum] = signal.signal(signum, handler)

    def restore() -> None:
        for signum, old in previous.items():
            signal.signal(signum, old)

    return restore


def run_service(settings: Settings, *, db: Database | None = None,
                stop: threading.Event | None = None, install_signals: bool = True,
                tokens: TokenProvider | None = None, prefer_move: bool = True) -> int:
    """Run the service until ``stop`` is set (by SIGTERM/SIGINT when ``install_signals``).

    Signal handlers can only be installed from the main thread; tests running the service in
    a thread pass ``install_signals=False`` and their own ``stop``. Returns 0.
    Raises :class:`store.db.StoreError` when the database cannot be opened.
    """
    # APScheduler logs every job run at INFO: our own event lines say what happened.
    scheduler_log = logging.getLogger("apscheduler")
    if scheduler_log.getEffectiveLevel() < logging.WARNING:
        scheduler_log.setLevel(logging.WARNING)
    db = db or open_database(settings.database.url, echo=settings.database.echo)
    stop = stop or threading.Event()
    restore = _install_signals(stop) if install_signals else (lambda: None)
    service = Service(settings, db, stop=stop, tokens=tokens, prefer_move=prefer_move)
    try:
        service.start()
        while not stop.wait(1.0):
            pass
    finally:
        service.stop()
        restore()
    return 0


def cmd_run(settings: Settings) -> int:
    """``pss-intake run``: the service until SIGTERM/SIGINT; exit status 0."""
    return run_service(settings)


def cmd_poll(settings: Settings, once: bool = True) -> int:
    """``pss-intake poll --once``: one IMAP pass, then one outbox run; exit status 0.

    Without ``once`` it is ``run``. Raises :class:`ingest.errors.MailSourceError` (the CLI
    prints it in one line, exit 1) when the mailbox cannot be read; replies are still sent.
    """
    if not once:
        return cmd_run(settings)
    db = open_database(settings.database.url, echo=settings.database.echo)
    try:
        error: MailSourceError | None = None
        try:
            poll_once(db, settings)
        except MailSourceError as exc:
            error = exc
            log_event(log, "poll-failed", logging.ERROR, error=error_text(exc))
        send_pending(db, settings)
        if error is not None:
            raise error
        return 0
    finally:
        db.dispose()
