"""OAuth2 access tokens for IMAP XOAUTH2 (Microsoft 365 / NHSmail), from msal.

Basic authentication to Exchange Online IMAP is switched off, so ``imap.auth: xoauth2`` logs in
with imapclient's ``oauth2_login(user, token)`` (the SASL XOAUTH2 mechanism). The token comes
from msal, either

* client credentials (an app registration with ``IMAP.AccessAsApp``): ``imap.oauth_client_id``
  and the secret ``PSS_INTAKE_IMAP__OAUTH_CLIENT_SECRET``, scope
  ``https://outlook.office365.com/.default``; or
* a refresh token from the environment (``PSS_INTAKE_IMAP__OAUTH_REFRESH_TOKEN``, delegated
  ``IMAP.AccessAsUser.All``); a rotated refresh token in the answer replaces it in memory.

Tokens are cached in memory and fetched again ``refresh_margin`` seconds (default 300, the
same margin msal's own cache uses) before they expire, so a long IMAP session never presents
an expired token at reconnect. A refusal is a :class:`MailSourceAuthError`; the service logs it
in one line and retries with backoff. Note that msal itself answers an identical token request
that got HTTP 400 from its cache for 60 s (and 429/5xx per Retry-After), so a retry inside that
window fails at once without reaching the endpoint.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from ingest.errors import MailSourceAuthError
from pss_intake.config import ImapSettings


class TokenProvider:
    """Hands out a valid access token for ``settings`` (an :class:`ImapSettings`).

    :param verify: passed to msal (requests' ``verify``): ``True``, or a CA bundle path for a
        token endpoint with a private certificate (tests).
    :param clock: seconds since the epoch; injectable so tests can move time.
    :param app: a ready msal application (tests); built from the settings otherwise.
    Thread-safe. Raises :class:`MailSourceAuthError` (one-line message, no secrets) when no
    token can be had.
    """

    def __init__(self, settings: ImapSettings, *, verify: bool | str = True,
                 clock: Callable[[], float] = time.time, refresh_margin: float = 300.0,
                 app: Any = None, timeout: float | None = None) -> None:
        self.settings = settings
        self.verify = verify
        self.clock = clock
        self.refresh_margin = refresh_margin
        self.timeout = timeout if timeout is not None else settings.timeout_seconds
        self._app = app
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        self._refresh_token = (
            settings.oauth_refresh_token.get_secret_value() if settings.oauth_refresh_token
            else None
        )
        self.fetches = 0
        """How many times a token was requested from msal (tests and logs)."""

    @property
    def expires_at(self) -> float:
        """When the cached token expires (epoch seconds; 0 when there is none)."""
        return self._expires_at

    def _build_app(self) -> Any:
        import msal

        s = self.settings
        if not s.oauth_client_id:
            raise MailSourceAuthError("imap.auth is xoauth2 but imap.oauth_client_id is empty")
        common: dict[str, Any] = {
            "authority": s.oauth_authority,
            "timeout": self.timeout,
            # Discovery through login.microsoftonline.com is only a check of the host name;
            # the tenant's own OpenID configuration is still fetched from the authority.
            "instance_discovery": False,
        }
        if self.verify is True:
            common["verify"] = True
        else:
            # requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override a session's verify;
            # an explicit per-request verify is the only way to trust just this bundle.
            import functools

            import requests

            http = requests.Session()
            http.request = functools.partial(  # type: ignore[method-assign]
                http.request, timeout=self.timeout, verify=self.verify)
            common["http_client"] = http
        try:
            if s.oauth_client_secret is not None:
                return msal.ConfidentialClientApplication(
                    s.oauth_client_id,
                    client_credential=s.oauth_client_secret.get_secret_value(),
                    **common,
                )
            if self._refresh_token is None:
                raise MailSourceAuthError(
                    "imap.auth is xoauth2 but neither PSS_INTAKE_IMAP__OAUTH_CLIENT_SECRET nor "
                    "PSS_INTAKE_IMAP__OAUTH_REFRESH_TOKEN is set"
                )
            return msal.PublicClientApplication(s.oauth_client_id, **common)
        except MailSourceAuthError:
            raise
        except Exception as exc:  # ValueError for a bad authority, requests errors
            raise MailSourceAuthError(
                f"cannot reach OAuth authority: {type(exc).__name__}: {_first_line(exc)}"
            ) from exc

    def _fetch(self) -> dict[str, Any]:
        if self._app is None:
            self._app = self._build_app()
        scopes = list(self.settings.oauth_scopes)
        try:
            if self._refresh_token is not None:
                result: dict[str, Any] = self._app.acquire_token_by_refresh_token(
                    self._refresh_token, scopes=scopes)
            else:
                result = self._app.acquire_token_for_client(scopes=scopes)
        except Exception as exc:  # requests.ConnectionError, timeouts
            raise MailSourceAuthError(
                f"OAuth token request failed: {type(exc).__name__}: {_first_line(exc)}"
            ) from exc
        self.fetches += 1
        if not result or "access_token" not in result:
            error = (result or {}).get("error", "no_token")
            raise MailSourceAuthError(
                f"OAuth token endpoint refused: {error}: "
                f"{_first_line((result or {}).get('error_description', ''))}"
            )
        return result

    def token(self) -> str:
        """A token valid for at least ``refresh_margin`` more seconds (fetching one if needed).

        Raises :class:`MailSourceAuthError`.
        """
        with self._lock:
            now = self.clock()
            if self._token is not None and now < self._expires_at - self.refresh_margin:
                return self._token
            result = self._fetch()
            self._token = str(result["access_token"])
            self._expires_at = now + float(result.get("expires_in", 3600))
            if result.get("refresh_token"):
                self._refresh_token = str(result["refresh_token"])
            return self._token

    def invalidate(self) -> None:
        """Forget the cached token (e.g. after the server refused it)."""
        with self._lock:
            self._token = None
            self._expires_at = 0.0


def _first_line(value: object) -> str:
    text = str(value).strip().splitlines()
    return text[0][:200] if text else ""
