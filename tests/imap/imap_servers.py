"""Real servers on 127.0.0.1 for the tests and the benchmark: a throwaway Dovecot (started by
``tests/services/dovecot_up.sh``), an aiosmtpd SMTP server that can refuse on demand, and a
fake OAuth2 authority (OpenID configuration + token endpoint over HTTPS, token introspection
over HTTP for Dovecot's oauth2 passdb).

Nothing here reads ../shared: the Dovecot recipe lives in ``tests/services``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from imapclient import IMAPClient

REPO = Path(__file__).resolve().parents[2]
SERVICES = REPO / "tests" / "services"
SHM = Path("/dev/shm") if os.access("/dev/shm", os.W_OK) else Path(tempfile.gettempdir())


class ServerMissing(RuntimeError):
    """A server binary the real-server tests need is not installed."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dovecot_installed() -> bool:
    return any(Path(d, "dovecot").exists() for d in ("/usr/sbin", "/usr/bin", "/sbin")) or (
        shutil.which("dovecot") is not None)


class Dovecot:
    """A throwaway Dovecot 2.3: its own config, users file, cert and Maildir under ``root``.

    ``start()`` (≈0.1 s) / ``stop()`` (≈1 s) / ``start()`` again keeps ports and mail.
    """

    def __init__(self, root: Path | None = None, *, user: str = "test", password: str = "secret",
                 oauth_introspection_url: str | None = None, tls: bool = True) -> None:
        if not dovecot_installed():
            raise ServerMissing(
                "dovecot is not installed: the IMAP tests need Debian's dovecot-imapd "
                "(apt-get install -y dovecot-imapd openssl); .ci/run installs it")
        self.root = root or Path(tempfile.mkdtemp(prefix="pss-dovecot-", dir=SHM))
        self.user = user
        self.password = password
        self.oauth_introspection_url = oauth_introspection_url
        self.port = free_port()
        self.tls_port = free_port() if tls else 0
        self.pid: int | None = None
        self.running = False

    @property
    def cert(self) -> Path:
        return self.root / "cert.pem"

    def start(self) -> Dovecot:
        env = dict(os.environ, IMAP_PORT=str(self.port), IMAPS_PORT=str(self.tls_port),
                   TEST_USER=self.user, TEST_PASS=self.password)
        if self.oauth_introspection_url:
            env["OAUTH2_INTROSPECTION_URL"] = self.oauth_introspection_url
        proc = subprocess.run(["bash", str(SERVICES / "dovecot_up.sh"), str(self.root)],
                              env=env, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise RuntimeError(f"dovecot_up.sh failed ({proc.returncode}): {proc.stderr.strip()}")
        for line in proc.stdout.splitlines():
            if line.startswith("PID="):
                self.pid = int(line[4:])
        self.running = True
        return self

    def stop(self, purge: bool = False) -> None:
        if not self.running and not purge:
            return
        args = ["bash", str(SERVICES / "dovecot_down.sh"), str(self.root)]
        if purge:
            args.append("--purge")
        subprocess.run(args, capture_output=True, text=True, timeout=60)
        self.running = False

    def log_text(self) -> str:
        try:
            return (self.root / "dovecot.log").read_text(errors="replace")
        except OSError:
            return ""

    def client(self) -> IMAPClient:
        """A logged-in plain-IMAP client (imaplib debug off)."""
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client._imap.debug = 0
        client.login(self.user, self.password)
        return client

    def imap_settings(self, **overrides: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "host": "127.0.0.1", "port": self.port, "ssl": False, "starttls": False,
            "username": self.user, "password": self.password, "timeout_seconds": 5.0,
        }
        values.update(overrides)
        return values


# -- SMTP -----------------------------------------------------------------------------------


@dataclass
class Delivered:
    """One message the SMTP server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    msg: EmailMessage


class RefusingSink:
    """aiosmtpd handler that captures mail and refuses on demand.

    Set :attr:`refuse_data` (e.g. ``"451 4.3.0 try later"``) or :attr:`refuse_rcpt`
    (``"550 5.1.1 no such user"``) to make DATA or RCPT answer that instead; None accepts.
    """

    def __init__(self) -> None:
        self.messages: list[Delivered] = []
        self.refused = 0
        self.refuse_data: str | None = None
        self.refuse_rcpt: str | None = None
        self.cond = threading.Condition()

    def reset(self) -> None:
        with self.cond:
            self.messages.clear()
            self.refused = 0
            self.refuse_data = None
            self.refuse_rcpt = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self.refuse_rcpt:
            with self.cond:
                self.refused += 1
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_data:
            with self.cond:
                self.refused += 1
            return self.refuse_data
        data = envelope.original_content or envelope.content
        msg = message_from_bytes(data, policy=policy.default)
        with self.cond:
            self.messages.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos), data,
                                           msg))  # type: ignore[arg-type]
            self.cond.notify_all()
        return "250 2.0.0 Ok: queued as TEST%04d" % len(self.messages)

    def wait_for(self, n: int, timeout: float = 10.0) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: len(self.messages) >= n, timeout)


class SmtpServer:
    """An in-process aiosmtpd server on 127.0.0.1 (no size limit) with a :class:`RefusingSink`."""

    def __init__(self) -> None:
        self.handler = RefusingSink()
        self.port = free_port()
        # data_size_limit=None: aiosmtpd's default 32 MiB refuses big replies at MAIL FROM.
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     data_size_limit=None, enable_SMTPUTF8=True)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def smtp_settings(self, **overrides: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "host": "127.0.0.1", "port": self.port, "ssl": False, "starttls": False,
            "timeout_seconds": 5.0, "backoff_base_seconds": 1.0, "backoff_max_seconds": 8.0,
            "from_address": "PSS Nominations <pss.nominations@england.example>",
        }
        values.update(overrides)
        return values


# -- fake OAuth2 authority ------------------------------------------------------------------


@dataclass
class FakeOAuthState:
    expires_in: int = 3600
    refuse: str | None = None
    """When set (e.g. ``"invalid_client"``), the token endpoint answers 400 with this error."""
    username: str = "test"
    issued: dict[str, float] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    introspections: list[str] = field(default_factory=list)
    counter: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(state: FakeOAuthState, base: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            if self.path.endswith("/v2.0/.well-known/openid-configuration"):
                tenant = self.path.split("/")[1]
                self._json(200, {
                    "issuer": f"{base}/{tenant}/v2.0",
                    "authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/authorize",
                    "token_endpoint": f"{base}/{tenant}/oauth2/v2.0/token",
                    "device_authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/devicecode",
                })
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if self.path.endswith("/oauth2/v2.0/token"):
                with state.lock:
                    state.requests.append(form)
                    if state.refuse:
                        # 401, as RFC 6749 section 5.2 allows for invalid_client (msal caches
                        # identical HTTP 400 answers for 60 s, which would outlast the test).
                        self._json(401, {"error": state.refuse,
                                         "error_description": "AADSTS7000215: refused by test"})
                        return
                    state.counter += 1
                    token = f"tok-{state.counter}"
                    state.issued[token] = time.time() + state.expires_in
                    body: dict[str, Any] = {"token_type": "Bearer", "access_token": token,
                                            "expires_in": state.expires_in}
                    if form.get("grant_type") == "refresh_token":
                        body["refresh_token"] = f"rt-{state.counter}"
                        body["scope"] = form.get("scope", "")
                self._json(200, body)
            elif self.path.startswith("/introspect"):
                token = form.get("token", "")
                auth = self.headers.get("Authorization", "")
                if not token and auth.lower().startswith("bearer "):
                    token = auth[7:]
                with state.lock:
                    state.introspections.append(token)
                    active = state.issued.get(token, 0) > time.time()
                self._json(200, {"active": active, "username": state.username} if active
                           else {"active": False})
            else:
                self._json(404, {"error": "not_found"})

    return Handler


class FakeOAuth:
    """An OAuth2 authority on 127.0.0.1: HTTPS for msal (``authority`` = :attr:`authority`),
    plain HTTP for Dovecot's introspection (:attr:`introspection_url`)."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.state = FakeOAuthState()
        self.https_port = free_port()
        self.http_port = free_port()
        base = f"https://127.0.0.1:{self.https_port}"
        self.authority = f"{base}/tenant"
        self.introspection_url = f"http://127.0.0.1:{self.http_port}/introspect"
        handler = _handler(self.state, base)
        self.https = ThreadingHTTPServer(("127.0.0.1", self.https_port), handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert), str(key))
        self.https.socket = context.wrap_socket(self.https.socket, server_side=True)
        self.http = ThreadingHTTPServer(("127.0.0.1", self.http_port), handler)
        self.threads = [threading.Thread(target=s.serve_forever, daemon=True)
                        for s in (self.https, self.http)]

    def start(self) -> FakeOAuth:
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> None:
        for server in (self.https, self.http):
            server.shutdown()
            server.server_close()


def make_cert(directory: Path) -> tuple[Path, Path]:
    """A self-signed cert for 127.0.0.1/localhost (``cert.pem``, ``key.pem``) via openssl."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    if not cert.exists():
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60)
        os.chmod(cert, 0o644)
        os.chmod(key, 0o600)
    return cert, key
