"""XOAUTH2 (Microsoft 365 / NHSmail style): tokens from msal against a fake OAuth2 authority
on 127.0.0.1, presented to a Dovecot whose oauth2 passdb checks them by introspection at the
same fake. Nothing here can reach Microsoft."""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from imap_helpers import counts
from imap_servers import SHM, Dovecot, FakeOAuth, ServerMissing, SmtpServer, make_cert
from mailgen import nomination

from ingest.errors import MailSourceAuthError
from ingest.imap import close, connect
from ingest.oauth import TokenProvider
from ingest.poller import poll_once
from pss_intake.config import ImapSettings, Settings
from pss_intake.service import Service
from store.db import open_database


@pytest.fixture(scope="module")
def oauth_servers() -> Iterator[tuple[FakeOAuth, Dovecot, Path]]:
    root = Path(tempfile.mkdtemp(prefix="pss-dovecot-oauth-", dir=SHM))
    cert, key = make_cert(root)
    fake = FakeOAuth(cert, key).start()
    try:
        dovecot = Dovecot(root, oauth_introspection_url=fake.introspection_url)
    except ServerMissing as exc:
        fake.stop()
        pytest.fail(str(exc), pytrace=False)
    dovecot.start()
    yield fake, dovecot, cert
    dovecot.stop(purge=True)
    fake.stop()


@pytest.fixture
def oauth(oauth_servers: tuple[FakeOAuth, Dovecot, Path]) -> tuple[FakeOAuth, Dovecot, Path]:
    fake = oauth_servers[0]
    with fake.state.lock:
        fake.state.expires_in = 3600
        fake.state.refuse = None
        fake.state.requests.clear()
        fake.state.introspections.clear()
        fake.state.counter = 0
    return oauth_servers


def _imap(fake: FakeOAuth, dovecot: Dovecot, **extra: Any) -> dict[str, Any]:
    values = dovecot.imap_settings(auth="xoauth2", password=None,
                                   oauth_authority=fake.authority, oauth_client_id="pss-app",
                                   oauth_client_secret="app-secret")
    values.update(extra)
    return values


def test_client_credentials_token_logs_in_and_polls(
        oauth: tuple[FakeOAuth, Dovecot, Path], smtp: SmtpServer, database_url: str) -> None:
    fake, dovecot, cert = oauth
    with dovecot.client() as c:
        c.create_folder("oauth-in")
        c.append("oauth-in", nomination(1))
    settings = Settings(database={"url": database_url},
                        imap=_imap(fake, dovecot, folder="oauth-in",
                                   processed_folder="oauth-done", review_folder="oauth-review"),
                        smtp=smtp.smtp_settings())
    db = open_database(settings.database.url)
    tokens = TokenProvider(settings.imap, verify=str(cert))

    report = poll_once(db, settings, tokens=tokens)
    again = poll_once(db, settings, tokens=tokens)

    assert (report.stored, report.filed, again.fetched) == (1, 1, 0)
    assert counts(db)["cases"] == 1
    # One token for both logins (cached); Dovecot checked it at each login.
    assert [(r["grant_type"], r["client_id"], r["client_secret"], r["scope"])
            for r in fake.state.requests] == [
        ("client_credentials", "pss-app", "app-secret", "https://outlook.office365.com/.default")]
    assert fake.state.introspections == ["tok-1", "tok-1"]
    assert tokens.fetches == 1
    assert "method=XOAUTH2" in dovecot.log_text()
    db.dispose()


def test_client_credentials_token_is_refreshed_before_it_expires(
        oauth: tuple[FakeOAuth, Dovecot, Path]) -> None:
    fake, dovecot, cert = oauth
    # 302 s: valid for 2 more seconds before the 300 s refresh margin (ours and msal's cache).
    fake.state.expires_in = 302
    tokens = TokenProvider(ImapSettings(**_imap(fake, dovecot)), verify=str(cert))
    first = tokens.token()
    assert tokens.token() == first == "tok-1"
    time.sleep(2.2)
    second = tokens.token()
    assert second != first
    assert len(fake.state.requests) == 2
    client = connect(ImapSettings(**_imap(fake, dovecot)), tokens=tokens)
    close(client)
    assert fake.state.introspections[-1] == second


def test_refresh_token_flow_refreshes_on_time_and_keeps_the_rotated_token(
        oauth: tuple[FakeOAuth, Dovecot, Path]) -> None:
    fake, dovecot, cert = oauth
    fake.state.expires_in = 600
    now = [1_000_000.0]
    settings = ImapSettings(**_imap(fake, dovecot, oauth_client_secret=None,
                                    oauth_refresh_token="rt-from-env",
                                    oauth_scopes=["https://outlook.office365.com/IMAP.AccessAsUser.All"]))
    tokens = TokenProvider(settings, verify=str(cert), clock=lambda: now[0])
    assert tokens.token() == "tok-1"
    now[0] += 299  # 301 s left: more than the 300 s margin
    assert tokens.token() == "tok-1"
    now[0] += 2  # 299 s left: refresh now
    assert tokens.token() == "tok-2"
    grants = [(r["grant_type"], r["refresh_token"]) for r in fake.state.requests]
    assert grants == [("refresh_token", "rt-from-env"), ("refresh_token", "rt-1")]
    assert "IMAP.AccessAsUser.All" in fake.state.requests[0]["scope"]
    client = connect(settings, tokens=tokens)
    close(client)


def test_token_refused_by_dovecot_is_an_auth_error_and_forgotten(
        oauth: tuple[FakeOAuth, Dovecot, Path]) -> None:
    fake, dovecot, _cert = oauth

    class BogusApp:
        def acquire_token_for_client(self, scopes: list[str]) -> dict[str, Any]:
            return {"access_token": "not-issued", "expires_in": 3600}

    tokens = TokenProvider(ImapSettings(**_imap(fake, dovecot)), app=BogusApp())
    with pytest.raises(MailSourceAuthError) as info:
        connect(ImapSettings(**_imap(fake, dovecot)), tokens=tokens)
    assert str(info.value).startswith("IMAP login refused: LoginError")
    assert tokens.expires_at == 0.0  # invalidated: the next login fetches a new token


def test_auth_failure_is_one_log_line_retried_with_backoff_then_recovers(
        oauth: tuple[FakeOAuth, Dovecot, Path], smtp: SmtpServer, database_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    fake, dovecot, cert = oauth
    with dovecot.client() as c:
        c.create_folder("oauth-fail-in")
    # Counts the one reply (privacy notices are tested in tests/register/test_notices.py).
    settings = Settings(database={"url": database_url},
                        notices={"enabled": False},
                        imap=_imap(fake, dovecot, folder="oauth-fail-in",
                                   processed_folder="oauth-fail-done",
                                   review_folder="oauth-fail-review", idle=False,
                                   poll_seconds=1, backoff_max_seconds=1.0),
                        smtp=smtp.smtp_settings(send_seconds=1), service={"metrics_port": 0})
    fake.state.refuse = "invalid_client"
    caplog.set_level(logging.INFO, logger="pss_intake")
    db = open_database(settings.database.url)
    service = Service(settings, db, tokens=TokenProvider(settings.imap, verify=str(cert)))
    service.start()
    try:
        time.sleep(3.5)
        failures = [m for m in caplog.messages if m.startswith("event=imap-auth-failed ")]
        assert len(failures) >= 2  # retried, not given up, not a crash loop (≤ 1 per second)
        assert len(failures) <= 6
        assert all("OAuth token endpoint refused: invalid_client" in m for m in failures)
        assert all("\n" not in m and "app-secret" not in m for m in failures)
        fake.state.refuse = None
        with dovecot.client() as c:
            c.append("oauth-fail-in", nomination(1))
        assert smtp.handler.wait_for(1, timeout=10)
    finally:
        service.stop()
    assert any(m.startswith("event=imap-recovered ") for m in caplog.messages)
    assert counts(db) == {"raw": 1, "cases": 1, "outbox": 1, "outbox_sent": 1}
    db.dispose()
