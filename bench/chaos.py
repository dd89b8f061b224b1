"""The kill campaign: two ``pss-intake run`` instances on one mailbox, SIGKILLed at random.

A throwaway Dovecot (tests/services/dovecot_up.sh) holds the intake folder, an in-process
aiosmtpd sink takes the replies, and the database is a SQLite file or a database on a throwaway
PostgreSQL 15 cluster (tests/services/postgres_up.sh). Messages (complete first nominations,
one per made-up trust: each expects exactly one acknowledgement) are APPENDed while the two
instances run; every so often one instance, chosen at random, is killed with SIGKILL and
started again a moment later. When the appends and kills are done the campaign waits until
the folder is empty and no reply is pending (or ``--settle`` seconds pass), stops both
instances with SIGTERM, and counts, from the database, the sink and the mailbox:

* messages appended / stored / cases / duplicates (extra stored rows or cases);
* replies expected / queued / delivered / delivered twice / missing (by In-Reply-To);
* messages left in the intake folder, and how often a handled message was offered again.

Usage: ``python bench/chaos.py [--db sqlite|postgresql] [--messages 300] [--kills 40]
[--seed N]``. The last line reads
``chaos: lost N · duplicated N · replies twice N · replies missing N``; the exit status is 0
when all four are zero. ``tests/test_chaos.py`` runs a short form in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "imap"))

from imap_servers import SHM, Dovecot, SmtpServer  # type: ignore[import-not-found]  # noqa: E402
from mailgen import nomination  # type: ignore[import-not-found]  # noqa: E402

FOLDER = "chaos"
SERVICES = REPO / "tests" / "services"


@dataclass
class Counts:
    """What a campaign ended with (see the module docstring)."""

    appended: int = 0
    stored: int = 0
    cases: int = 0
    duplicates: int = 0
    replies_expected: int = 0
    replies_queued: int = 0
    replies_delivered: int = 0
    replies_twice: int = 0
    replies_missing: int = 0
    left_in_folder: int = 0
    offered_again: int = 0
    kills: int = 0

    @property
    def lost(self) -> int:
        return self.appended - self.stored

    def summary(self) -> str:
        return (f"chaos: lost {self.lost} · duplicated {self.duplicates} · "
                f"replies twice {self.replies_twice} · replies missing {self.replies_missing}")


def _settings(dovecot: Dovecot, smtp: SmtpServer, db_url: str) -> dict[str, Any]:
    """The instances' settings: short poll, lease and claim times so a campaign settles in
    seconds, not the production minutes."""
    return {
        "database": {"url": db_url},
        "imap": dovecot.imap_settings(folder=FOLDER, processed_folder=f"{FOLDER}-done",
                                      review_folder=f"{FOLDER}-review", poll_seconds=2,
                                      idle=True, lease_seconds=6.0, backoff_max_seconds=1.0),
        "smtp": smtp.smtp_settings(send_seconds=1, claim_timeout_seconds=5.0,
                                   backoff_base_seconds=0.5, backoff_max_seconds=2.0,
                                   max_attempts=50),
        "replies": {"max_per_sender_per_day": 100000, "max_per_case_per_day": 100000},
        "logging": {"level": "INFO"},
        # Two instances on one host: no /healthz and /metrics (they would share the port).
        "service": {"metrics_port": 0},
    }


class Instances:
    """The ``pss-intake run`` processes, each with its own log file."""

    def __init__(self, config: Path, env: dict[str, str], workdir: Path, count: int = 2):
        self.config, self.env, self.workdir = config, env, workdir
        self.procs: list[subprocess.Popen[bytes] | None] = [None] * count
        self.current_log: list[Path] = [workdir / "none.log"] * count
        self.logs: list[Path] = []

    def start(self, i: int) -> None:
        log = self.workdir / f"run{i}.{len(self.logs)}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            self.procs[i] = subprocess.Popen(
                [sys.executable, "-m", "pss_intake.cli", "--config", str(self.config), "run"],
                env=self.env, cwd=str(REPO), stdout=out, stderr=subprocess.STDOUT)
        self.current_log[i] = log

    def wait_ready(self, i: int, min_up: float, timeout: float = 60.0) -> None:
        """Wait until instance ``i`` has logged its start and been up ``min_up`` seconds.

        Raises RuntimeError when it exited instead (its log says why)."""
        deadline = time.monotonic() + timeout
        log, proc = self.current_log[i], self.procs[i]
        while time.monotonic() < deadline:
            if "event=service-started" in log.read_text(errors="replace"):
                break
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"instance {i} exited with {proc.returncode}; see {log}")
            time.sleep(0.2)
        time.sleep(min_up)

    def kill(self, i: int) -> None:
        proc = self.procs[i]
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for i, proc in enumerate(self.procs):
            if proc is None:
                continue
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill(i)

    def offered_again(self) -> int:
        """Messages the pipeline found already stored ("duplicate" events in the logs)."""
        return sum(log.read_text(errors="replace").count("event=duplicate")
                   for log in self.logs if log.exists())


def _environment(secrets: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSS_INTAKE_")}
    env.update(secrets)
    env["PYTHONUNBUFFERED"] = "1"  # a killed instance's log lines are kept to the last
    return env


def _append_all(dovecot: Dovecot, messages: list[bytes], seconds: float,
                rng: random.Random) -> None:
    """APPEND ``messages`` one by one, spread over about ``seconds``."""
    pause = seconds / max(1, len(messages))
    with dovecot.client() as client:
        for content in messages:
            client.append(FOLDER, content)
            time.sleep(rng.uniform(0, 2 * pause))


def _kill_campaign(instances: Instances, kills: int, seconds: float,
                   rng: random.Random) -> int:
    """``kills`` SIGKILLs of a random instance spread over about ``seconds``, each restarted
    after a short random pause; returns how many kills were made. A victim is first left to
    start (imports, schema check: seconds on a loaded machine) and run ``min_up`` seconds, so
    kills land while it works, not while it boots."""
    gap = seconds / max(1, kills)
    for _ in range(kills):
        time.sleep(rng.uniform(0.2, 2 * gap))
        victim = rng.randrange(len(instances.procs))
        instances.wait_ready(victim, rng.uniform(0.2, 2.0))
        instances.kill(victim)
        time.sleep(rng.uniform(0.1, 1.0))
        instances.start(victim)
    return kills


def _settled(db: Any, dovecot: Dovecot, expected: int) -> bool:
    from sqlalchemy import func, select

    from store.models import OutboxMessage, RawMessage

    with db.transaction() as session:
        stored = session.scalar(select(func.count()).select_from(RawMessage))
        pending = session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.status == "pending"))
    with dovecot.client() as client:
        left = client.select_folder(FOLDER, readonly=True)[b"EXISTS"]
    return bool(stored >= expected and pending == 0 and left == 0)


def _count(db: Any, smtp: SmtpServer, dovecot: Dovecot, ids: list[str]) -> Counts:
    from sqlalchemy import func, select

    from store.models import Case, OutboxMessage, RawMessage

    with db.transaction() as session:
        stored_ids = Counter(session.scalars(select(RawMessage.message_id)))
        cases = session.scalar(select(func.count()).select_from(Case)) or 0
        queued = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
    answered = Counter(str(m.msg["In-Reply-To"]) for m in smtp.handler.messages)
    with dovecot.client() as client:
        left = client.select_folder(FOLDER, readonly=True)[b"EXISTS"]
    stored = sum(1 for i in ids if stored_ids[i])
    return Counts(
        appended=len(ids), stored=stored, cases=cases,
        duplicates=sum(max(0, stored_ids[i] - 1) for i in ids) + max(0, cases - stored),
        replies_expected=len(ids), replies_queued=queued,
        replies_delivered=sum(1 for i in ids if answered[i]),
        replies_twice=sum(1 for i in ids if answered[i] > 1),
        replies_missing=sum(1 for i in ids if not answered[i]),
        left_in_folder=int(left))


def run_campaign(db_url: str, *, messages: int = 300, kills: int = 40, seed: int = 1,
                 settle: float = 120.0, workdir: Path | None = None) -> Counts:
    """One campaign against the database at ``db_url`` (empty or migrated); its counts."""
    from imap_helpers import write_config  # type: ignore[import-not-found]

    from pss_intake.config import Settings
    from store.db import open_database

    rng = random.Random(seed)
    workdir = workdir or Path(tempfile.mkdtemp(prefix="pss-chaos-", dir=SHM))
    dovecot, smtp = Dovecot(tls=False), SmtpServer().start()
    dovecot.start()
    db = open_database(db_url)
    instances: Instances | None = None
    try:
        with dovecot.client() as client:
            client.create_folder(FOLDER)
        contents = [nomination(n, message_id=f"<chaos.{seed}.{n}@mail.trust{n}.nhs.uk>")
                    for n in range(1, messages + 1)]
        ids = [f"<chaos.{seed}.{n}@mail.trust{n}.nhs.uk>" for n in range(1, messages + 1)]
        config = workdir / "config.yaml"
        secrets = write_config(config, Settings.model_validate(_settings(dovecot, smtp, db_url)))
        instances = Instances(config, _environment(secrets), workdir)
        instances.start(0)
        instances.start(1)
        seconds = max(10.0, messages * 0.2)
        appender = threading.Thread(target=_append_all, args=(dovecot, contents, seconds,
                                                              random.Random(seed + 1)))
        appender.start()
        made = _kill_campaign(instances, kills, seconds, rng)
        appender.join()
        deadline = time.monotonic() + settle
        while time.monotonic() < deadline and not _settled(db, dovecot, messages):
            time.sleep(1)
        instances.stop_all()
        counts = _count(db, smtp, dovecot, ids)
        counts.kills, counts.offered_again = made, instances.offered_again()
        return counts
    finally:
        if instances is not None:
            instances.stop_all()
        db.dispose()
        smtp.stop()
        dovecot.stop(purge=True)


@contextmanager
def postgresql_database() -> Iterator[str]:
    """A database on a throwaway PostgreSQL 15 cluster (removed afterwards); its URL."""
    out = subprocess.run(["bash", str(SERVICES / "postgres_up.sh")], check=True,
                         capture_output=True, text=True).stdout
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    try:
        yield values["URL"]
    finally:
        subprocess.run(["bash", str(SERVICES / "postgres_down.sh"), values["TMP"], "--purge"],
                       check=False, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--settle", type=float, default=180.0,
                        help="seconds to wait for the mailbox and outbox to empty at the end")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="pss-chaos-", dir=SHM))
    t0 = time.monotonic()
    if args.db == "postgresql":
        with postgresql_database() as url:
            counts = run_campaign(url, messages=args.messages, kills=args.kills, seed=args.seed,
                                  settle=args.settle, workdir=workdir)
    else:
        counts = run_campaign(f"sqlite:///{workdir / 'chaos.db'}", messages=args.messages,
                              kills=args.kills, seed=args.seed, settle=args.settle,
                              workdir=workdir)
    print(json.dumps({"db": args.db, "seconds": round(time.monotonic() - t0, 1),
                      "workdir": str(workdir), **asdict(counts)}, indent=1))
    print(counts.summary())
    bad = counts.lost or counts.duplicates or counts.replies_twice or counts.replies_missing
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
