"""Server-side sessions of the review app (issue 15).

The browser's cookie holds only a random token (256 bits). A signed-in session is a
:class:`store.models.ReviewSession` row keyed by the token's SHA-256, holding the CSRF token
and the notices waiting to be shown: nothing in the cookie can be read or replayed once the
row is gone. A session ends

- at sign-out (:func:`end`), after ``review.session_hours`` from sign-in, or after
  ``review.session_idle_minutes`` without a request;
- for every session of an account (:func:`end_all`) when it is disabled, its role or
  permission changes, or its password is reset — and, as a second line, on the next request
  whenever the account's *stamp* (a digest of its password hash, role, permission and status)
  no longer matches the one taken at sign-in, which also covers changes made outside the app.

Before sign-in the cookie's token is not stored anywhere: the sign-in form's CSRF token is an
HMAC of it under the app's secret (:func:`anonymous_csrf`), so it is not in the cookie either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from store.models import ReviewSession, User, utcnow

__all__ = [
    "LiveSession",
    "Lifetimes",
    "add_flash",
    "anonymous_csrf",
    "end",
    "end_all",
    "load",
    "new_token",
    "start",
    "token_id",
    "user_stamp",
]

#: last_seen_at is written at most this often (a database write per request is not needed).
_TOUCH_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Lifetimes:
    """How long sessions live: ``absolute`` from sign-in, ``idle`` without a request."""

    absolute: dt.timedelta = dt.timedelta(hours=8)
    idle: dt.timedelta = dt.timedelta(hours=1)


@dataclass(slots=True)
class LiveSession:
    """A valid signed-in session as a request sees it."""

    id: str
    user_id: int
    csrf_token: str
    flashes: list[Any] = field(default_factory=list)


def new_token() -> str:
    """A fresh random cookie token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_id(token: str) -> str:
    """The row id of a cookie token: its SHA-256 in hex (64 characters)."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def user_stamp(user: User) -> str:
    """A digest (hex) of what a session depends on: id, password hash, role, permission,
    status. Any change to one of them makes existing sessions invalid."""
    text = f"{user.id}|{user.password_hash}|{user.role}|{bool(user.confidential)}|{user.active}"
    return hashlib.sha256(text.encode()).hexdigest()


def anonymous_csrf(secret: str, token: str) -> str:
    """The CSRF token of a not-signed-in browser holding cookie ``token`` (HMAC-SHA-256)."""
    return hmac.new(secret.encode(), b"login|" + token.encode("utf-8", "replace"),
                    hashlib.sha256).hexdigest()


def start(session: Session, user: User, lifetimes: Lifetimes,
          *, now: dt.datetime | None = None) -> str:
    """Open a session for ``user`` (caller commits); returns the new cookie token. Expired
    sessions of everyone are removed on the way (the table stays small)."""
    now = now or utcnow()
    session.execute(delete(ReviewSession).where(ReviewSession.expires_at <= now))
    token = new_token()
    session.add(ReviewSession(
        id=token_id(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
        user_stamp=user_stamp(user), flashes=[], created_at=now, last_seen_at=now,
        expires_at=now + lifetimes.absolute))
    session.flush()
    return token


def load(session: Session, token: str | None, lifetimes: Lifetimes, *,
         take_flashes: bool = False,
         now: dt.datetime | None = None) -> tuple[LiveSession, User] | None:
    """The valid session of cookie ``token`` and its account; None when there is none, it
    expired (absolute or idle), the account is disabled or its stamp changed — such a row is
    deleted (caller commits). With ``take_flashes`` the waiting notices are moved from the
    row into the returned :class:`LiveSession` (a page is about to show them)."""
    if not token or len(token) > 128:
        return None
    now = now or utcnow()
    row = session.get(ReviewSession, token_id(token))
    if row is None:
        return None
    user = session.get(User, row.user_id)
    if (user is None or not user.active or row.expires_at <= now
            or row.last_seen_at + lifetimes.idle <= now
            or not hmac.compare_digest(row.user_stamp, user_stamp(user))):
        session.delete(row)
        return None
    if (now - row.last_seen_at).total_seconds() >= _TOUCH_SECONDS:
        row.last_seen_at = now
    flashes: list[Any] = []
    if take_flashes and row.flashes:
        flashes, row.flashes = list(row.flashes), []
    return LiveSession(row.id, row.user_id, row.csrf_token, flashes), user


def end(session: Session, token: str | None) -> None:
    """End the session of cookie ``token`` (sign-out); nothing when there is none."""
    if token:
        session.execute(delete(ReviewSession).where(ReviewSession.id == token_id(token)))


def end_all(session: Session, user_id: int) -> int:
    """End every session of account ``user_id``; returns how many there were."""
    ids = session.execute(
        select(ReviewSession.id).where(ReviewSession.user_id == user_id)).scalars().all()
    session.execute(delete(ReviewSession).where(ReviewSession.user_id == user_id))
    return len(ids)


def add_flash(session: Session, session_id: str, kind: str, text: str) -> None:
    """Keep a notice (``ok`` or ``error``) for the session's next page (the last five kept)."""
    row = session.get(ReviewSession, session_id)
    if row is not None:
        row.flashes = [*(row.flashes or []), [kind, text]][-5:]

