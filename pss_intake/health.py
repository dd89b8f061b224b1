"""``/healthz`` and ``/metrics`` for ``pss-intake run`` (on ``service.metrics_host`` :
``service.metrics_port``, 127.0.0.1 by default; port 0 switches them off).

``GET /healthz`` answers JSON (200 healthy, 503 not)::

    {"status": "ok", "instance": "host-a:4242:…", "role": "active",
     "database": {"reachable": true}, "imap": {"connected": true, "idling": true},
     "last_successful_poll": "2026-12-08T04:30:00+00:00", "last_lease_check": "…",
     "lease": {"holder": "host-a:4242:…", "expires_at": "…", "held_here": true},
     "outbox": {"depth": 2, "oldest_pending_age_seconds": 31.5}}

It is unhealthy when the database cannot be reached, or when the last successful poll (a pass,
or a message handled during a long one) is older than three ``imap.poll_seconds``; a standby
does not poll, so for it the last successful lease check counts instead. A service that has
just started has three poll intervals' grace.

``GET /metrics`` is the Prometheus text format (prometheus-client, a registry per service):
``pss_intake_messages_total{outcome}`` (accept, request_missing, review, ignore, duplicate,
failed), ``pss_intake_replies_total{result}`` (sent, failed, retried, uncertain),
``pss_intake_message_processing_seconds`` (histogram), ``pss_intake_poll_errors_total``,
``pss_intake_last_successful_poll_timestamp_seconds``, and, read from the database at each
scrape, ``pss_intake_outbox_depth``, ``pss_intake_outbox_oldest_pending_age_seconds``,
``pss_intake_review_queue_depth``, ``pss_intake_lease_held`` and ``pss_intake_database_up``.
"""

from __future__ import annotations

import datetime as dt
import json
import socketserver
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from ingest.lease import DbLease
from store.db import Database
from store.models import Case, CaseState, OutboxMessage, utcnow

#: Seconds: most messages take 10–100 ms; a large attachment a few seconds.
PROCESSING_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass
class DatabaseState:
    """What one look at the database found (``reachable`` False: the rest is empty)."""

    reachable: bool
    outbox_depth: int = 0
    oldest_pending_age: float | None = None
    review_queue: int = 0
    lease_holder: str | None = None
    lease_expires_at: dt.datetime | None = None


def read_database(db: Database, lease: DbLease) -> DatabaseState:
    """Outbox depth and oldest pending reply (seconds), open review cases, the lease row.
    Never raises: any database error gives ``reachable=False``."""
    try:
        with db.transaction() as session:
            depth, oldest = session.execute(
                select(func.count(), func.min(OutboxMessage.created_at))
                .where(OutboxMessage.status == "pending")).one()
            review = session.scalar(select(func.count()).select_from(Case)
                                    .where(Case.state == CaseState.NEEDS_REVIEW)) or 0
        row = lease.current_holder()
    except Exception:  # noqa: BLE001 - unreachable, whatever the driver says
        return DatabaseState(reachable=False)
    age = None
    if oldest is not None:
        age = max(0.0, (utcnow() - _utc(oldest)).total_seconds())
    return DatabaseState(True, int(depth or 0), age, int(review),
                         row[0] if row else None, _utc(row[1]) if row else None)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _iso(epoch: float | None) -> str | None:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="seconds") if (
        epoch is not None) else None


class Metrics:
    """The service's Prometheus metrics (see the module docstring) in their own registry."""

    def __init__(self, db: Database, lease: DbLease) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.messages = Counter("pss_intake_messages", "Messages handled, by outcome",
                                ["outcome"], registry=r)
        self.replies = Counter("pss_intake_replies", "Reply delivery results", ["result"],
                               registry=r)
        self.processing = Histogram("pss_intake_message_processing_seconds",
                                    "Time to store and process one message",
                                    buckets=PROCESSING_BUCKETS, registry=r)
        self.poll_errors = Counter("pss_intake_poll_errors", "Failed poll passes", registry=r)
        self.last_poll = Gauge("pss_intake_last_successful_poll_timestamp_seconds",
                               "Unix time of the last successful poll", registry=r)
        r.register(_DatabaseCollector(db, lease))
        # Every series exists from the start (at 0), so rate() and alerts see the first event.
        for outcome in ("accept", "request_missing", "review", "ignore", "duplicate", "failed"):
            self.messages.labels(outcome)
        for result in ("sent", "failed", "retried", "uncertain"):
            self.replies.labels(result)


class _DatabaseCollector(Collector):
    """Gauges read from the database at scrape time (every instance sees the same queue)."""

    def __init__(self, db: Database, lease: DbLease) -> None:
        self.db = db
        self.lease = lease

    def collect(self) -> Iterator[GaugeMetricFamily]:
        state = read_database(self.db, self.lease)
        yield GaugeMetricFamily("pss_intake_database_up", "1 if the database answered",
                                value=int(state.reachable))
        if not state.reachable:
            return
        yield GaugeMetricFamily("pss_intake_outbox_depth", "Replies waiting to be sent",
                                value=state.outbox_depth)
        yield GaugeMetricFamily("pss_intake_outbox_oldest_pending_age_seconds",
                                "Age of the oldest pending reply (0 when none)",
                                value=state.oldest_pending_age or 0.0)
        yield GaugeMetricFamily("pss_intake_review_queue_depth", "Cases waiting for a person",
                                value=state.review_queue)
        yield GaugeMetricFamily("pss_intake_lease_held", "1 if this instance holds the lease",
                                value=int(state.lease_holder == self.lease.holder))


@dataclass
class Liveness:
    """What the service reports about itself (epoch seconds; None: not yet)."""

    started_at: float
    last_poll: float | None
    last_lease_check: float | None
    imap_connected: bool
    idling: bool


def health(db: Database, lease: DbLease, live: Liveness, poll_seconds: float,
           now: float | None = None) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) of ``/healthz`` (see the module docstring)."""
    now = time.time() if now is None else now
    state = read_database(db, lease)
    active = lease.held
    last = live.last_poll if active else live.last_lease_check
    stale = now - (last if last is not None else live.started_at) > 3 * poll_seconds
    problems = ([] if state.reachable else ["database unreachable"]) + (
        [f"no successful {'poll' if active else 'lease check'} for "
         f"{3 * poll_seconds:g} s"] if stale else [])
    body = {
        "status": "failing" if problems else "ok",
        "problems": problems,
        "instance": lease.holder,
        "role": "active" if active else "standby",
        "database": {"reachable": state.reachable},
        "imap": {"connected": live.imap_connected, "idling": live.idling},
        "last_successful_poll": _iso(live.last_poll),
        "last_lease_check": _iso(live.last_lease_check),
        "lease": {"holder": state.lease_holder,
                  "expires_at": state.lease_expires_at.isoformat(timespec="seconds")
                  if state.lease_expires_at else None,
                  "held_here": state.lease_holder == lease.holder},
        "outbox": {"depth": state.outbox_depth if state.reachable else None,
                   "oldest_pending_age_seconds": None if state.oldest_pending_age is None
                   else round(state.oldest_pending_age, 1)},
    }
    return (503 if problems else 200), body


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        """Requests are not logged (a scrape every few seconds would drown the events)."""


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_app(metrics: Metrics, report: Callable[[], tuple[int, dict[str, Any]]]) -> WsgiApp:
    """The WSGI app: ``/healthz`` from ``report()``, ``/metrics`` from ``metrics``."""
    prometheus = make_wsgi_app(metrics.registry)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            result: Iterable[bytes] = prometheus(environ, start_response)
            return result
        if path == "/healthz":
            status, body = report()
            data = json.dumps(body).encode()
            start_response(f"{status} {'OK' if status == 200 else 'Service Unavailable'}",
                           [("Content-Type", "application/json"),
                            ("Content-Length", str(len(data))), ("Cache-Control", "no-store")])
            return [data]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found: /healthz or /metrics\n"]

    return app


class HttpEndpoint:
    """The app served from a daemon thread; :meth:`close` stops it.

    Raises :class:`OSError` when the address cannot be bound (e.g. the port is in use).
    """

    def __init__(self, app: WsgiApp, host: str, port: int) -> None:
        self.server = make_server(host, port, app, server_class=_Server,
                                  handler_class=_QuietHandler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, name="metrics-http",
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
