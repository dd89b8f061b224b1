"""Passwords, sign-in with slowing down, the signed-in reviewer, and CSRF tokens.

- Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 parameters); a hash made
  with older parameters is upgraded on the next successful sign-in.
- A sign-in answers the same way, in the same time, for an address with an account and one
  without: every attempt runs exactly one argon2 verification (against a dummy hash made with
  the same parameters when there is no usable account) and nothing is written for a failure.
- Repeated failures are slowed down, never locked out (:class:`Throttle`, in memory): per
  address *and* client, after :data:`FREE_FAILURES` failures each further attempt must wait a
  delay that doubles from 1 s up to a minute; per client, across addresses (password
  spraying), after 30. An attacker elsewhere cannot keep the owner out, and the answer while
  waiting is the same whether the address has an account or not.
- Sessions are server-side (:mod:`review.sessions`); CSRF: one random token per session, sent
  in a hidden field of every POST form and compared in constant time (:func:`csrf_matches`).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import User

__all__ = [
    "FREE_CLIENT_FAILURES",
    "FREE_FAILURES",
    "ROLES",
    "LoginOutcome",
    "Reviewer",
    "Throttle",
    "authenticate",
    "csrf_matches",
    "dummy_hash",
    "hash_password",
    "new_csrf_token",
    "verify_password",
]

#: Failures per address and client before attempts are slowed down.
FREE_FAILURES = 5
#: Failures per client (any address) before its attempts are slowed down.
FREE_CLIENT_FAILURES = 30
ROLES = ("reviewer", "admin")

_hasher = PasswordHasher()
_dummy_lock = threading.Lock()
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


def dummy_hash() -> str:
    """A hash with the current parameters of a random password nobody knows: verified
    instead of a real one when there is no usable account, so both cost the same."""
    global _dummy_hash
    with _dummy_lock:
        if _dummy_hash is None:
            _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
        return _dummy_hash


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """The result of a sign-in attempt: ``ok`` (``user`` set) or ``invalid`` (wrong address or
    password, an account disabled: deliberately not saying which)."""

    status: Literal["ok", "invalid"]
    user: User | None = None


def authenticate(session: Session, email: str, password: str) -> LoginOutcome:
    """Check a sign-in attempt: one argon2 verification whatever the address (caller
    commits). Success upgrades an outdated hash; a failure writes nothing."""
    user = session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()
    usable = user is not None and user.active
    checked = verify_password(user.password_hash if usable and user else dummy_hash(),
                              password)
    if not (usable and checked) or user is None:
        return LoginOutcome("invalid")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return LoginOutcome("ok", user)


class Throttle:
    """Failed sign-ins per key, in memory (one process): after ``free`` failures, each attempt
    must wait ``base`` seconds after the latest failure, doubling with each further failure up
    to ``cap``; a key is forgotten ``forget`` seconds after its latest failure.

    :param clock: seconds, monotonic (tests pass their own).
    :param max_keys: keys kept at most; the stalest are dropped first (memory stays bounded
        under a flood of made-up addresses).
    """

    def __init__(self, free: int, *, base: float = 1.0, cap: float = 60.0,
                 forget: float = 15 * 60.0, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.base, self.cap, self.forget = free, base, cap, forget
        self.max_keys = max_keys
        self.clock = clock
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def delay(self, failures: int) -> float:
        """Seconds to wait after the latest of ``failures`` failures (0 below ``free``)."""
        if failures < self.free:
            return 0.0
        return min(self.base * 2.0 ** min(failures - self.free, 30), self.cap)

    def wait(self, key: str) -> float:
        """Seconds ``key`` must still wait before its next attempt (0: it may try now)."""
        now = self.clock()
        with self._lock:
            count, last = self._failures.get(key, (0, 0.0))
            if count and now - last >= self.forget:
                del self._failures[key]
                return 0.0
            return max(0.0, last + self.delay(count) - now) if count else 0.0

    def failed(self, key: str) -> None:
        """Record one failure for ``key``."""
        now = self.clock()
        with self._lock:
            count, last = self._failures.pop(key, (0, 0.0))
            if count and now - last >= self.forget:
                count = 0
            self._failures[key] = (count + 1, now)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def succeeded(self, key: str) -> None:
        """Forget ``key``'s failures (a right password)."""
        with self._lock:
            self._failures.pop(key, None)


def new_csrf_token() -> str:
    """A fresh random CSRF token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; False when either token is missing."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
