"""Benchmark: a mailbox backlog through pss-intake against a real Dovecot on /dev/shm.

Measures, in one run (issue 3, "Measured"):

1. the bare floor: imapclient (``_imap.debug = 0``) UID FETCH BODY.PEEK[] in batches of 100
   plus ``mailparser.parse_from_bytes`` of each message;
2. the full pipeline (:func:`ingest.poller.poll_once`: FETCH, store, parse, extract, rules,
   case, reply queued, MOVE) over the same backlog; both rates and their ratio
   (target: pipeline ≥ 0.5 × floor);
3. peak memory (VmHWM over the RSS just before, each in a fresh subprocess) for one message
   with a 25 MiB attachment: bare mail-parser parse of its bytes, bare FETCH + parse, and the
   pipeline (target: pipeline ≤ bare parse);
4. APPEND-to-reply latency with IDLE on: the service running, single messages APPENDed, time
   until the SMTP server accepted the reply (target < 2 s; Dovecot adds ~0.5 s to IDLE).

Usage: ``python bench/backlog.py [--messages 5000] [--latency-samples 10]``. The backlog is made
up on the spot (tests/imap/mailgen.py): 60 % plain text, 38 % multipart/alternative HTML, 2 %
with a 1 MiB attachment. Needs Debian's dovecot-imapd (tests/services/dovecot_up.sh).
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "imap"))

from imap_servers import SHM, Dovecot, SmtpServer  # type: ignore[import-not-found]  # noqa: E402
from mailgen import (  # type: ignore[import-not-found]  # noqa: E402
    html_alternative,
    nomination,
    with_attachment,
)

MiB = 1024 * 1024


def backlog(n: int) -> list[bytes]:
    """``n`` messages: every 50th with a 1 MiB attachment, 38 % HTML, the rest plain."""
    out = []
    for i in range(1, n + 1):
        if i % 50 == 25:
            out.append(with_attachment(i, MiB))
        elif i % 50 < 19:
            out.append(html_alternative(i))
        else:
            out.append(nomination(i))
    return out


def seed(dovecot: Dovecot, folder: str, messages: list[bytes]) -> float:
    with dovecot.client() as c:
        if not c.folder_exists(folder):
            c.create_folder(folder)
        t0 = time.perf_counter()
        for i in range(0, len(messages), 100):
            c.multiappend(folder, messages[i:i + 100])
        return time.perf_counter() - t0


def bare_floor(dovecot: Dovecot, folder: str) -> tuple[float, int]:
    import mailparser

    with dovecot.client() as c:
        c.select_folder(folder, readonly=True)
        uids = c.search("ALL")
        t0 = time.perf_counter()
        n = 0
        for i in range(0, len(uids), 100):
            data = c.fetch(uids[i:i + 100], ["BODY.PEEK[]"])
            for uid in uids[i:i + 100]:
                mailparser.parse_from_bytes(data[uid][b"BODY[]"])
                n += 1
        return time.perf_counter() - t0, n


def settings_for(dovecot: Dovecot, smtp: SmtpServer | None, folder: str, db_url: str,
                 **imap: Any) -> Any:
    from pss_intake.config import Settings

    return Settings.model_validate({
        "database": {"url": db_url},
        "imap": dovecot.imap_settings(folder=folder, processed_folder=f"{folder}-done",
                                      review_folder=f"{folder}-review", **imap),
        "smtp": smtp.smtp_settings() if smtp else {},
        "replies": {"max_per_sender_per_day": 100000, "max_per_case_per_day": 100000},
    })


def pipeline(dovecot: Dovecot, folder: str, workdir: Path) -> tuple[float, Any]:
    from ingest.poller import poll_once
    from store.db import open_database

    settings = settings_for(dovecot, None, folder, f"sqlite:///{workdir}/bench.db")
    db = open_database(settings.database.url)
    t0 = time.perf_counter()
    report = poll_once(db, settings, progress=False)
    seconds = time.perf_counter() - t0
    db.dispose()
    return seconds, report


# -- memory, each variant in a fresh process ---------------------------------------------


def _status(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM to the current RSS


def memory_child(mode: str, args: dict[str, Any]) -> dict[str, Any]:
    import mailparser

    from ingest.poller import poll_once
    from pss_intake.config import Settings
    from store.db import open_database

    logging.disable(logging.CRITICAL)
    if mode == "bare-parse":
        data = Path(args["file"]).read_bytes()
        _reset_peak()
        before = _status("VmRSS")
        t0 = time.perf_counter()
        mailparser.parse_from_bytes(data)
    elif mode == "bare-fetch-parse":
        from imapclient import IMAPClient

        c = IMAPClient("127.0.0.1", port=args["port"], ssl=False, timeout=60)
        c._imap.debug = 0
        c.login(args["user"], args["password"])
        c.select_folder(args["folder"], readonly=True)
        uids = c.search("ALL")
        _reset_peak()
        before = _status("VmRSS")
        t0 = time.perf_counter()
        data = c.fetch(uids, ["BODY.PEEK[]"])[uids[0]][b"BODY[]"]
        mailparser.parse_from_bytes(data)
    else:
        settings = Settings(**args["settings"])
        db = open_database(settings.database.url)
        # Warm up imports and the database so that only the message's own cost is measured.
        import parsing  # noqa: F401
        import pss_intake.pipeline  # noqa: F401
        _reset_peak()
        before = _status("VmRSS")
        t0 = time.perf_counter()
        report = poll_once(db, settings, progress=False)
        assert report.stored == 1, report
    seconds = time.perf_counter() - t0
    return {"delta": _status("VmHWM") - before, "seconds": seconds}


def run_child(mode: str, args: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--memory-child", mode, json.dumps(args)],
                          capture_output=True, text=True, timeout=600, cwd=str(REPO))
    if proc.returncode != 0:
        raise RuntimeError(f"memory child {mode} failed: {proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def memory(dovecot: Dovecot, workdir: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    big = with_attachment(99_999, 25 * MiB)
    path = workdir / "big.eml"
    path.write_bytes(big)
    seed(dovecot, "big", [big])
    results = {
        "bare mail-parser parse_from_bytes (bytes already loaded)":
            run_child("bare-parse", {"file": str(path)}),
        "bare FETCH BODY.PEEK[] + mail-parser parse":
            run_child("bare-fetch-parse", {"port": dovecot.port, "user": dovecot.user,
                                           "password": dovecot.password, "folder": "big"}),
    }
    settings = settings_for(dovecot, None, "big", f"sqlite:///{workdir}/big.db")
    results["pss-intake pipeline (FETCH, store, parse, process, MOVE)"] = run_child(
        "pipeline", {"settings": settings.model_dump(mode="json") | {
            "imap": settings.imap.model_dump(mode="json") | {"password": dovecot.password}}})
    return len(big), results


def latency(dovecot: Dovecot, workdir: Path, samples: int) -> list[float]:
    from pss_intake.service import Service
    from store.db import open_database

    smtp = SmtpServer().start()
    with dovecot.client() as c:
        c.create_folder("idle")
    settings = settings_for(dovecot, smtp, "idle", f"sqlite:///{workdir}/idle.db",
                            idle=True, poll_seconds=3600)
    settings = settings.model_copy(update={
        "smtp": settings.smtp.model_copy(update={"send_seconds": 3600}),
        "service": settings.service.model_copy(update={"metrics_port": 0})})
    db = open_database(settings.database.url)
    service = Service(settings, db)
    service.start()
    out = []
    try:
        if not service.idling.wait(15):
            raise RuntimeError("IDLE did not start")
        for i in range(samples):
            time.sleep(0.3)
            service.idling.wait(5)
            t0 = time.perf_counter()
            with dovecot.client() as c:
                c.append("idle", nomination(200_000 + i))
            if not smtp.handler.wait_for(i + 1, timeout=30):
                raise RuntimeError("no reply within 30 s")
            out.append(time.perf_counter() - t0)
    finally:
        service.stop()
        smtp.stop()
        db.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000, help="backlog size (default 5000)")
    parser.add_argument("--latency-samples", type=int, default=10)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        print(json.dumps(memory_child(args.memory_child[0], json.loads(args.memory_child[1]))))
        return 0

    from rich.console import Console
    from rich.table import Table

    logging.basicConfig(level=logging.WARNING)
    console = Console()
    workdir = Path(tempfile.mkdtemp(prefix="pss-bench-", dir=SHM))
    workdir.chmod(0o755)  # Dovecot's auth process (user dovecot) must reach the users file
    dovecot = Dovecot(workdir / "dovecot").start()
    try:
        messages = backlog(args.messages)
        total = sum(len(m) for m in messages)
        console.print(f"backlog: {len(messages):,} messages, {total / MiB:,.1f} MiB "
                      f"({sum(len(m) > MiB for m in messages)} with a 1 MiB attachment)")
        seed_s = seed(dovecot, "backlog", messages)
        console.print(f"seeded with MULTIAPPEND in {seed_s:.2f} s "
                      f"({len(messages) / seed_s:,.0f} msg/s)")
        floor_s, n = bare_floor(dovecot, "backlog")
        pipe_s, report = pipeline(dovecot, "backlog", workdir)
        floor_rate, pipe_rate = n / floor_s, report.stored / pipe_s
        table = Table(title=f"Backlog of {n:,} messages ({total / MiB:,.1f} MiB)")
        for col in ("what", "seconds", "msg/s", "MiB/s", "× floor"):
            table.add_column(col, justify="right" if col != "what" else "left")
        table.add_row("bare floor: FETCH BODY.PEEK[] ×100 + mail-parser", f"{floor_s:.2f}",
                      f"{floor_rate:,.0f}", f"{total / MiB / floor_s:,.1f}", "1.00")
        table.add_row("pss-intake pipeline (poll_once)", f"{pipe_s:.2f}", f"{pipe_rate:,.0f}",
                      f"{total / MiB / pipe_s:,.1f}", f"{pipe_rate / floor_rate:.2f}")
        console.print(table)
        console.print(f"pipeline report: stored={report.stored} filed={report.filed} "
                      f"failed={report.failed} actions={dict(report.actions)}; target ratio "
                      f"≥ 0.50: {'met' if pipe_rate / floor_rate >= 0.5 else 'NOT met'}")

        if not args.skip_memory:
            size, mem = memory(dovecot, workdir)
            table = Table(title=f"Peak memory, one {size / 1e6:.1f} MB message (25 MiB "
                                "attachment), fresh process each")
            for col in ("variant", "Δ peak MiB", "× message", "seconds"):
                table.add_column(col, justify="right" if col != "variant" else "left")
            for name, r in mem.items():
                table.add_row(name, f"{r['delta'] / MiB:.1f}", f"{r['delta'] / size:.1f}",
                              f"{r['seconds']:.2f}")
            console.print(table)
            bare = mem["bare mail-parser parse_from_bytes (bytes already loaded)"]["delta"]
            pipe = mem["pss-intake pipeline (FETCH, store, parse, process, MOVE)"]["delta"]
            console.print(f"pipeline / bare parse peak: {pipe / bare:.2f} (target ≤ 1.00: "
                          f"{'met' if pipe <= bare else 'NOT met'})")

        if args.latency_samples:
            lat = latency(dovecot, workdir, args.latency_samples)
            table = Table(title=f"APPEND → reply accepted by SMTP, IDLE on ({len(lat)} samples)")
            for col in ("median s", "min s", "max s"):
                table.add_column(col, justify="right")
            table.add_row(f"{statistics.median(lat):.3f}", f"{min(lat):.3f}", f"{max(lat):.3f}")
            console.print(table)
            console.print(f"target < 2 s: {'met' if max(lat) < 2 else 'NOT met'}")
    finally:
        dovecot.stop(purge=True)
        subprocess.run(["rm", "-rf", str(workdir)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
