"""Passwords, sign-in with slowing down, the signed-in reviewer, and CSRF tokens.

- Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 parameters); a hash made
  with older parameters is upgraded on the next successful sign-in.
- Repeated failures are slowed down per account: after :data:`FREE_FAILURES` failures in a row
  the account refuses every attempt (without checking the password) for a wait that doubles with
  each further failure, from :data:`LOCK_BASE_SECONDS` up to :data:`LOCK_MAX_SECONDS`. Per client
  address, :class:`AttemptLimiter` caps failures (password spraying across accounts). Each
  failure also costs the caller a short pause in the web route.
- The session lives in a signed cookie (Starlette's ``SessionMiddleware``: itsdangerous,
  HttpOnly, SameSite=Lax, ``Secure`` unless ``review.secure_cookies`` is off for local http). It
  holds the user id, a fingerprint of the password hash (so changing a password ends the
  sessions made with the old one) and the CSRF token.
- CSRF: one random token per session, sent in a hidden field of every POST form and compared in
  constant time (:func:`csrf_matches`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import User, utcnow

__all__ = [
    "FREE_FAILURES",
    "AttemptLimiter",
    "LoginOutcome",
    "Reviewer",
    "authenticate",
    "csrf_matches",
    "hash_password",
    "lock_wait",
    "new_csrf_token",
    "password_fingerprint",
    "verify_password",
]

#: Failures in a row allowed before an account starts refusing attempts for a while.
FREE_FAILURES = 5
LOCK_BASE_SECONDS = 30.0
LOCK_MAX_SECONDS = 15 * 60.0
ROLES = ("reviewer", "admin")

_hasher = PasswordHasher()
_dummy_hash: str | None = None


@dataclass(frozen=True, slots=True)
class Reviewer:
    """The signed-in user as actions and pages see them (no password hash).

    ``email`` is what the audit log records as the actor; ``confidential`` allows seeing job
    titles and pay bands; ``role`` is ``reviewer`` or ``admin`` (admins also see the audit log).
    """

    id: int
    email: str
    role: str
    confidential: bool

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @classmethod
    def of(cls, user: User) -> Reviewer:
        return cls(user.id, user.email, user.role, bool(user.confidential))


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (a PHC string, ``$argon2id$v=19$...``)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; False for a wrong password or an unreadable hash."""
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the hash kept in the session: a password change invalidates it."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _burn_time(password: str) -> None:
    # An unknown account costs as much as a known one, so timing does not reveal which exist.
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
    verify_password(_dummy_hash, password)


def lock_wait(failed_logins: int) -> float:
    """Seconds an account refuses attempts after ``failed_logins`` failures in a row:
    0 below :data:`FREE_FAILURES`, then 30 s, 60 s, 120 s, ... capped at 15 minutes."""
    if failed_logins < FREE_FAILURES:
        return 0.0
    # The exponent is capped so a long-running attack cannot overflow the float.
    doublings = min(failed_logins - FREE_FAILURES, 20)
    return min(LOCK_BASE_SECONDS * 2.0**doublings, LOCK_MAX_SECONDS)


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """The result of a sign-in attempt: ``status`` ``ok`` (``reviewer`` set), ``invalid`` (wrong
    email or password, deliberately not saying which) or ``locked`` (``retry_after`` seconds)."""

    status: Literal["ok", "invalid", "locked"]
    reviewer: Reviewer | None = None
    fingerprint: str | None = None
    retry_after: float = 0.0


def authenticate(session: Session, email: str, password: str,
                 *, now: dt.datetime | None = None) -> LoginOutcome:
    """Check a sign-in attempt and record its outcome on the account (caller commits).

    A locked account is refused without checking the password and without extending the lock.
    Success resets the failure count and upgrades an outdated hash.
    """
    now = now or utcnow()
    user = session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()
    if user is None or not user.active:
        _burn_time(password)
        return LoginOutcome("invalid")
    wait = lock_wait(user.failed_logins)
    if wait and user.last_failed_at is not None:
        remaining = (user.last_failed_at + dt.timedelta(seconds=wait) - now).total_seconds()
        if remaining > 0:
            return LoginOutcome("locked", retry_after=remaining)
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        user.last_failed_at = now
        return LoginOutcome("invalid")
    user.failed_logins = 0
    user.last_failed_at = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return LoginOutcome("ok", Reviewer.of(user), password_fingerprint(user.password_hash))


class AttemptLimiter:
    """Failed sign-ins per client address in a sliding window, in memory (one process).

    :param limit: failures allowed within ``window`` seconds before :meth:`blocked` is True.
    """

    def __init__(self, limit: int = 30, window: float = 15 * 60.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, key: str) -> bool:
        """True when ``key`` has used up its failures in the window."""
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.limit

    def failed(self, key: str) -> None:
        """Record one failure for ``key``."""
        with self._lock:
            self._recent(key, time.monotonic()).append(time.monotonic())


def new_csrf_token() -> str:
    """A fresh random CSRF token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; False when either token is missing."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
