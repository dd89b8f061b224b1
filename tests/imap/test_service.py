"""The service (`run_service` / `pss-intake run`) against real servers: IDLE latency, Dovecot
stopped and restarted mid-run, SIGTERM, and a standby taking over the poller lease."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from imap_helpers import Folders, counts, write_config
from imap_servers import REPO, Dovecot, SmtpServer
from mailgen import nomination

from pss_intake.config import Settings
from pss_intake.service import Service
from store.db import open_database
from store.models import Lease


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class Running:
    """A :class:`Service` running in this process (no signal handlers)."""

    def __init__(self, settings: Settings) -> None:
        self.db = open_database(settings.database.url)
        self.service = Service(settings, self.db)

    def __enter__(self) -> Service:
        self.service.start()
        return self.service

    def __exit__(self, *exc: object) -> None:
        self.service.stop()
        self.db.dispose()


def test_idle_picks_up_an_appended_message_within_two_seconds(
        make_settings: Any, folders: Folders, smtp: SmtpServer) -> None:
    # The periodic poll is an hour away: only IDLE can be this quick.
    settings = make_settings(imap={"idle": True, "poll_seconds": 3600},
                             smtp={"send_seconds": 3600})
    with Running(settings) as service:
        assert service.idling.wait(10)
        latencies = []
        for n in (1, 2, 3):
            t0 = time.monotonic()
            folders.append(nomination(n))
            assert smtp.handler.wait_for(n, timeout=10)
            latencies.append(time.monotonic() - t0)
            assert service.idling.wait(5)
    assert max(latencies) < 2.0, latencies
    db = open_database(settings.database.url, upgrade=False)
    assert counts(db) == {"raw": 3, "cases": 3, "outbox": 3, "outbox_sent": 3}
    db.dispose()


@pytest.fixture
def own_dovecot() -> Iterator[Dovecot]:
    server = Dovecot(tls=False).start()
    yield server
    server.stop(purge=True)


def _deliver_to_maildir(server: Dovecot, data: bytes, n: int) -> None:
    """Drop a message straight into the Maildir, as a local delivery agent would."""
    new = server.root / "mail" / server.user / "Maildir" / "new"
    path = new / f"{int(time.time())}.M{n}P{os.getpid()}.test"
    path.write_bytes(data.replace(b"\r\n", b"\n"))
    os.chmod(path, 0o666)


def test_dovecot_stopped_and_restarted_mid_run_the_service_recovers_and_misses_nothing(
        make_settings: Any, own_dovecot: Dovecot, smtp: SmtpServer,
        caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings(
        imap=own_dovecot.imap_settings(folder="INBOX", processed_folder="Processed",
                                       review_folder="Review", idle=True, poll_seconds=1,
                                       backoff_max_seconds=1.0, timeout_seconds=3.0),
        smtp={"send_seconds": 1})
    caplog.set_level(logging.INFO, logger="pss_intake")
    with own_dovecot.client() as c:
        c.append("INBOX", nomination(1))
    with Running(settings) as service:
        assert smtp.handler.wait_for(1, timeout=10)
        own_dovecot.stop()
        # Mail arrives while the server is down (delivered locally into the Maildir).
        _deliver_to_maildir(own_dovecot, nomination(2), 2)
        time.sleep(2.5)  # the service fails, logs, backs off (capped at 1 s), retries
        assert service.idling.is_set() is False
        assert len(smtp.handler.messages) == 1
        own_dovecot.start()
        # The mail delivered while down is caught up by UID, without any new APPEND.
        assert smtp.handler.wait_for(2, timeout=10), len(smtp.handler.messages)
        assert service.idling.wait(10)  # IDLE is back too
        with own_dovecot.client() as c:
            c.append("INBOX", nomination(3))
        assert smtp.handler.wait_for(3, timeout=5), len(smtp.handler.messages)
    db = open_database(settings.database.url, upgrade=False)
    assert counts(db) == {"raw": 3, "cases": 3, "outbox": 3, "outbox_sent": 3}
    assert len(smtp.handler.messages) == 3
    assert len({str(m.msg["In-Reply-To"]) for m in smtp.handler.messages}) == 3
    with own_dovecot.client() as c:
        assert c.select_folder("INBOX")[b"EXISTS"] == 0
        assert c.select_folder("Processed")[b"EXISTS"] == 3
    events = " ".join(caplog.messages)
    for event in ("imap-unavailable", "idle-unavailable", "imap-recovered", "idle-recovered"):
        assert f"event={event} " in events
    db.dispose()


def test_a_standby_service_takes_over_when_the_active_one_stops(
        make_settings: Any, folders: Folders, smtp: SmtpServer) -> None:
    settings = make_settings(imap={"idle": True, "poll_seconds": 1, "lease_seconds": 3},
                             smtp={"send_seconds": 1})
    first, second = Running(settings), Running(settings)
    a = first.__enter__()
    b = second.__enter__()
    try:
        folders.append(*[nomination(n) for n in range(1, 5)])
        assert smtp.handler.wait_for(4, timeout=15)
        holders = [s for s in (a, b) if s.lease.held]
        assert len(holders) == 1
        active, standby = (a, b) if a.lease.held else (b, a)
        assert sum(r.stored for r in active.polls) == 4
        assert sum(r.stored for r in standby.polls) == 0
        (first if active is a else second).__exit__()
        folders.append(nomination(5))
        assert smtp.handler.wait_for(5, timeout=15)
        assert standby.lease.held
    finally:
        for running in (first, second):
            if not running.service.stop_event.is_set():
                running.__exit__()
    db = open_database(settings.database.url, upgrade=False)
    assert counts(db) == {"raw": 5, "cases": 5, "outbox": 5, "outbox_sent": 5}
    assert len(smtp.handler.messages) == 5
    db.dispose()


def test_sigterm_stops_pss_intake_run_cleanly(make_settings: Any, folders: Folders,
                                              smtp: SmtpServer, tmp_path: Path) -> None:
    settings = make_settings(imap={"idle": True, "poll_seconds": 5},
                             smtp={"send_seconds": 5})
    config = tmp_path / "config.yaml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSS_INTAKE_")}
    env.update(write_config(config, settings))
    log_path = tmp_path / "run.log"
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen([sys.executable, "-m", "pss_intake.cli", "--config",
                                 str(config), "run"], env=env, cwd=str(REPO),
                                stdout=log_file, stderr=subprocess.STDOUT)
        try:
            folders.append(nomination(1))
            assert smtp.handler.wait_for(1, timeout=20), log_path.read_text()
            t0 = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0, log_path.read_text()
            stop_seconds = time.monotonic() - t0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert stop_seconds < 5.0
    text = log_path.read_text()
    assert "event=signal signal=SIGTERM" in text
    assert "event=service-stopped" in text
    db = open_database(settings.database.url, upgrade=False)
    with db.transaction() as s:
        assert s.get(Lease, "poller") is None  # released, so a successor starts at once
    assert counts(db) == {"raw": 1, "cases": 1, "outbox": 1, "outbox_sent": 1}
    assert folders.count(folders.intake) == 0
    db.dispose()


def test_thread_safety_smoke_many_messages_with_idle_and_periodic_poll(
        make_settings: Any, folders: Folders, smtp: SmtpServer) -> None:
    settings = make_settings(imap={"idle": True, "poll_seconds": 1, "batch_size": 7},
                             smtp={"send_seconds": 1})
    with Running(settings):
        stop = threading.Event()

        def feeder() -> None:
            for n in range(1, 31):
                folders.append(nomination(n))
                if stop.wait(0.01):
                    return

        t = threading.Thread(target=feeder)
        t.start()
        t.join()
        assert smtp.handler.wait_for(30, timeout=30), len(smtp.handler.messages)
    db = open_database(settings.database.url, upgrade=False)
    assert counts(db) == {"raw": 30, "cases": 30, "outbox": 30, "outbox_sent": 30}
    assert len(smtp.handler.messages) == 30
    db.dispose()
