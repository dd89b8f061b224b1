"""``/healthz`` and ``/metrics`` of a real ``pss-intake run`` process (its own Dovecot, so the
test can stop it; the session's SMTP sink, refusing on demand)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from imap_helpers import Folders, write_config
from imap_servers import REPO, SHM, Dovecot, SmtpServer, free_port
from mailgen import nomination
from prometheus_client.parser import text_string_to_metric_families


@pytest.fixture
def own_dovecot() -> Iterator[Dovecot]:
    server = Dovecot(tls=False).start()
    yield server
    server.stop(purge=True)


def _get(port: int, path: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
            return r.status, r.read(), r.headers["Content-Type"]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers["Content-Type"]


def healthz(port: int) -> tuple[int, dict[str, Any]]:
    status, body, kind = _get(port, "/healthz")
    assert kind == "application/json"
    return status, json.loads(body)


def metrics(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample as {(name, sorted labels): value}."""
    status, body, kind = _get(port, "/metrics")
    assert status == 200 and kind.startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(body.decode())
            for s in family.samples}


def _wait(predicate: Any, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except (OSError, AssertionError):
            pass
        time.sleep(step)
    return bool(predicate())


def test_healthz_and_metrics_of_a_running_service(
        make_settings: Any, own_dovecot: Dovecot, smtp: SmtpServer, tmp_path: Path) -> None:
    port = free_port()
    settings = make_settings(
        imap=own_dovecot.imap_settings(folder="INBOX", processed_folder="Processed",
                                       review_folder="Review", idle=False, poll_seconds=1,
                                       backoff_max_seconds=1.0, timeout_seconds=3.0),
        smtp={"send_seconds": 1, "backoff_base_seconds": 0.5, "backoff_max_seconds": 1.0},
        service={"metrics_port": port, "instance": "intake-a"})
    config = tmp_path / "config.yaml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSS_INTAKE_")}
    env.update(write_config(config, settings))
    smtp.handler.refuse_data = "451 4.3.0 try again later"
    log = tmp_path / "run.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pss_intake.cli", "--config",
                                 str(config), "run"], env=env, cwd=str(REPO), stdout=out,
                                stderr=subprocess.STDOUT)
        try:
            _check(proc, port, own_dovecot, smtp, log)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=20) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    # Served by the process: gone with it.
    with pytest.raises(OSError):
        _get(port, "/healthz")


def _check(proc: subprocess.Popen[bytes], port: int, dovecot: Dovecot, smtp: SmtpServer,
           log: Path) -> None:
    assert _wait(lambda: healthz(port)[1]["last_successful_poll"] is not None, 20), (
        log.read_text())
    status, body = healthz(port)
    assert status == 200, body
    holder = body["lease"]["holder"]
    assert holder.startswith(f"intake-a:{proc.pid}:")
    assert body["instance"] == holder
    assert (body["status"], body["role"], body["problems"]) == ("ok", "active", [])
    assert body["database"] == {"reachable": True}
    assert body["imap"]["connected"] is True
    assert body["lease"]["held_here"] is True
    assert body["outbox"] == {"depth": 0, "oldest_pending_age_seconds": None}

    # One complete nomination (accept) and one without a phone (request_missing); the SMTP
    # server answers 451 to both replies, so they wait in the outbox and are retried.
    with dovecot.client() as c:
        c.append("INBOX", nomination(1))
        c.append("INBOX", nomination(2, phone=False))
    assert _wait(lambda: metrics(port)[("pss_intake_replies_total",
                                        (("result", "retried"),))] >= 2, 20)
    m = metrics(port)
    outcomes = {dict(k[1])["outcome"]: v for k, v in m.items()
                if k[0] == "pss_intake_messages_total"}
    assert outcomes == {"accept": 1, "request_missing": 1, "review": 0, "ignore": 0,
                        "duplicate": 0, "failed": 0}
    assert m[("pss_intake_message_processing_seconds_count", ())] == 2
    assert m[("pss_intake_outbox_depth", ())] == 2
    assert m[("pss_intake_outbox_oldest_pending_age_seconds", ())] > 0
    assert m[("pss_intake_review_queue_depth", ())] == 0
    assert m[("pss_intake_replies_total", (("result", "sent"),))] == 0
    assert m[("pss_intake_poll_errors_total", ())] == 0
    assert m[("pss_intake_lease_held", ())] == 1
    assert m[("pss_intake_database_up", ())] == 1
    status, body = healthz(port)
    assert status == 200
    assert body["outbox"]["depth"] == 2
    assert body["outbox"]["oldest_pending_age_seconds"] >= 0

    smtp.handler.refuse_data = None
    assert smtp.handler.wait_for(2, timeout=20)
    assert _wait(lambda: healthz(port)[1]["outbox"]["depth"] == 0, 10)
    assert metrics(port)[("pss_intake_replies_total", (("result", "sent"),))] == 2

    # IMAP down: polls fail; three poll intervals (3 s) after the last good one, 503.
    dovecot.stop()
    assert _wait(lambda: healthz(port)[0] == 503, 15)
    status, body = healthz(port)
    assert body["status"] == "failing"
    assert body["problems"] == ["no successful poll for 3 s"]
    assert body["imap"]["connected"] is False
    assert body["database"] == {"reachable": True}
    assert metrics(port)[("pss_intake_poll_errors_total", ())] >= 2
    dovecot.start()
    assert _wait(lambda: healthz(port)[0] == 200, 15)
    status, _, _ = _get(port, "/nothing")
    assert status == 404


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (trust authentication), under /dev/shm.

    Debian's ``postgresql`` package provides the binaries (.ci/run installs it). PostgreSQL
    refuses to run as root: as root, the cluster belongs to (and runs as) ``postgres``.
    """

    def __init__(self) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins:
            pytest.fail("PostgreSQL is not installed (apt-get install -y postgresql; .ci/run "
                        "does)", pytrace=False)
        self.bin = bins[-1].parent
        self.root = Path(tempfile.mkdtemp(prefix="pss-pg-", dir=SHM))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            self.data.mkdir()
            shutil.chown(self.data, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / tool), *args], check=True,
                       capture_output=True, timeout=60)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.data / "log"),
                  "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
                        "-c fsync=off", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def postgres() -> Iterator[Postgres]:
    server = Postgres()
    server.start()
    yield server
    server.remove()


def test_healthz_is_503_while_the_database_is_unreachable(
        make_settings: Any, folders: Folders, smtp: SmtpServer, tmp_path: Path,
        postgres: Postgres) -> None:
    port = free_port()
    settings = make_settings(database={"url": postgres.url},
                             imap={"poll_seconds": 1, "idle": False},
                             smtp={"send_seconds": 1}, service={"metrics_port": port})
    config = tmp_path / "config.yaml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSS_INTAKE_")}
    env.update(write_config(config, settings))
    log = tmp_path / "run.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pss_intake.cli", "--config",
                                 str(config), "run"], env=env, cwd=str(REPO), stdout=out,
                                stderr=subprocess.STDOUT)
        try:
            assert _wait(lambda: healthz(port)[0] == 200, 30), log.read_text()
            postgres.stop()
            status, body = healthz(port)  # at once: the check asks the database itself
            assert (status, body["status"]) == (503, "failing"), body
            assert body["database"] == {"reachable": False}
            assert body["problems"][0] == "database unreachable"
            assert metrics(port)[("pss_intake_database_up", ())] == 0
            postgres.start()
            assert _wait(lambda: healthz(port)[0] == 200, 30), log.read_text()[-2000:]
            folders.append(nomination(1))
            assert smtp.handler.wait_for(1, timeout=20), log.read_text()[-2000:]
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=20) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_a_metrics_port_in_use_is_a_one_line_error(make_settings: Any, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        settings = make_settings(service={"metrics_port": port})
        config = tmp_path / "config.yaml"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PSS_INTAKE_")}
        env.update(write_config(config, settings))
        result = subprocess.run([sys.executable, "-m", "pss_intake.cli", "--config",
                                 str(config), "run"], env=env, cwd=str(REPO),
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "pss-intake: error: Address already in use"
