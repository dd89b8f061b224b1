"""Real Chromium (Debian's ``chromium`` package) driving the review app served by uvicorn in a
thread on 127.0.0.1. Downloading browsers is not possible here, so Playwright is pointed at
``/usr/bin/chromium``; when it is missing the tests fail (CI installs it), they never skip."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "review"))

from review_factories import add_accounts, make_settings  # noqa: E402

from pss_intake.config import Settings  # noqa: E402
from pss_intake.corpus import FreshDatabases  # noqa: E402
from review.app import create_app  # noqa: E402
from store.db import Database, open_database  # noqa: E402

CHROMIUM = os.environ.get("PSS_INTAKE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    base_url: str
    settings: Settings
    db: Database


@pytest.fixture
def served(databases: FreshDatabases) -> Iterator[Served]:
    databases.template("review", add_accounts)
    settings = make_settings(databases.url("review"))
    db = open_database(settings.database.url)
    port = free_port()
    config = uvicorn.Config(create_app(settings, db, login_failure_delay=0), host="127.0.0.1",
                            port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield Served(f"http://127.0.0.1:{port}", settings, db)
    server.should_exit = True
    thread.join(timeout=10)
    db.dispose()


@dataclass
class Beacon:
    """A second HTTP server standing in for "the internet": it records every request."""

    url: str
    hits: list[str] = field(default_factory=list)


@pytest.fixture
def beacon() -> Iterator[Beacon]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            hits.append(self.path)
            self.send_response(200)
            self.send_header("content-type", "image/gif")
            self.end_headers()
            self.wfile.write(b"GIF89a")

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Beacon(f"http://127.0.0.1:{server.server_address[1]}", hits)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package "
                    "(apt-get install -y chromium), as .ci/run does; the browser tests need it.",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
