"""``logging.format: json`` for the review app: ``pss-intake serve`` writes only JSON lines
(uvicorn's own lines included), and they carry no e-mail address or name, not even one in a
request's query string. (The mailbox service's JSON
lines are read back in tests/imap/test_takeover.py.)"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_logs_one_json_object_per_line(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSS_INTAKE_")}
    env.update(PSS_INTAKE_DATABASE__URL=f"sqlite:///{tmp_path}/r.db",
               PSS_INTAKE_LOGGING__FORMAT="json", PSS_INTAKE_REVIEW__SECRET_KEY="k" * 64)
    proc = subprocess.Popen([sys.executable, "-m", "pss_intake.cli", "serve", "--port",
                             str(port)], env=env, cwd=str(tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                # A filter in the query string may name someone: the log must not.
                url = f"http://127.0.0.1:{port}/?user=jane.doe%40example.nhs.uk&q=Jane+Doe"
                with urllib.request.urlopen(url, timeout=2) as r:
                    status = r.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                time.sleep(0.2)
        assert status is not None
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    records = [json.loads(line) for line in err.splitlines() if line.strip()]
    loggers = {r["logger"] for r in records}
    assert "uvicorn.error" in loggers  # uvicorn's start/stop lines, as JSON too
    assert all({"time", "level", "logger"} <= set(r) for r in records)
    access = [r for r in records if r["logger"] == "uvicorn.access"]
    assert access and all("?" not in r["message"] for r in access), access
    assert "jane" not in err.lower() and "%40" not in err and "@" not in err
