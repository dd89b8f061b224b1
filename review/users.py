"""Review-app accounts: create, list, disable, enable, change role or permission, reset the
password (issue 13). Used by ``pss-intake user ...`` and the admin page alike.

Every change is audited (one ``user-*`` entry: the account's state before and after, the
actor) and ends the account's sessions at once (:func:`review.sessions.end_all`). The last
active administrator can be neither disabled nor demoted, so the app always has one.
Passwords are checked by :func:`check_password` and hashed with argon2.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pss_intake import cases
from review import sessions
from review.auth import ROLES, hash_password
from store.models import User

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "UserError",
    "add_user",
    "check_password",
    "describe",
    "find_user",
    "list_users",
    "reset_password",
    "set_active",
    "set_role",
]

#: NCSC guidance favours length over composition rules; 12 characters is the floor here.
MIN_PASSWORD_LENGTH = 12


#: zxcvbn's score (0-4) a password must reach: 3 is "safely unguessable" against an online
#: attack and slows an offline one on a slow hash.
MIN_PASSWORD_SCORE = 3
#: Words every guesser of this app's passwords would try first.
_SITE_WORDS = ("pss", "patient", "safety", "specialist", "nhs", "england", "review", "intake")


class UserError(Exception):
    """An account cannot be created as asked (bad email, role, password, or it exists)."""


def check_password(password: str, email: str = "") -> None:
    """Refuse a password that is short or common; raises :class:`UserError` with the reason.

    At least :data:`MIN_PASSWORD_LENGTH` characters (NCSC guidance favours length over
    composition rules), at most 1024, not one of the 30,000 commonest passwords that zxcvbn
    ships (from leaked password sets), and a zxcvbn score of at least
    :data:`MIN_PASSWORD_SCORE` counting the account's address and this site's words as known
    to a guesser (``password1234``, ``qwertyuiop12`` and ``rita.reviewer2024`` fail).
    """
    import zxcvbn
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise UserError("the password must have at most 1024 characters")
    if password.lower() in FREQUENCY_LISTS["passwords"]:
        raise UserError("that password is one of the most common passwords; choose another")
    local = email.split("@", 1)[0]
    hints = [email, local, *local.replace("-", ".").replace("_", ".").split("."), *_SITE_WORDS]
    # zxcvbn's cost grows with length; the first 100 characters decide any real case.
    result = zxcvbn.zxcvbn(password[:100], user_inputs=[h for h in hints if h])
    if result["score"] < MIN_PASSWORD_SCORE:
        warning = str(result["feedback"].get("warning") or "").rstrip(".").lower()
        raise UserError("that password is too easy to guess" + (f" ({warning})" if warning
                        else "") + "; a few unrelated words make a good one")


def add_user(session: Session, email: str, password: str, *, role: str = "reviewer",
             confidential: bool = False, actor: str = "system") -> User:
    """Create an account (caller commits). Raises :class:`UserError` for an email without
    ``@``, an unknown role, a password shorter than :data:`MIN_PASSWORD_LENGTH`, or an
    existing account."""
    address = email.strip().lower()
    if "@" not in address or any(c.isspace() for c in address):
        raise UserError(f"not an email address: {email!r}")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    check_password(password, address)
    exists = session.execute(
        select(User.id).where(func.lower(User.email) == address)
    ).first()
    if exists is not None:
        raise UserError(f"an account for {address} already exists")
    user = User(email=address, password_hash=hash_password(password), role=role,
                confidential=confidential)
    session.add(user)
    session.flush()
    cases.audit(session, None, "user-added", actor=actor, field="account",
                new_value=describe(user))
    return user


def describe(user: User) -> str:
    """An account's state in one line for the audit log:
    ``ada@england.example role=admin confidential=yes active=yes``."""
    yes = {True: "yes", False: "no"}
    return (f"{user.email} role={user.role} confidential={yes[bool(user.confidential)]} "
            f"active={yes[bool(user.active)]}")


def find_user(session: Session, email: str) -> User:
    """The account with ``email`` (any case); raises :class:`UserError` when there is none."""
    address = email.strip().lower()
    user = session.execute(
        select(User).where(func.lower(User.email) == address)).scalar_one_or_none()
    if user is None:
        raise UserError(f"there is no account for {address}")
    return user


def list_users(session: Session) -> list[User]:
    """Every account, by email address."""
    return list(session.execute(select(User).order_by(User.email)).scalars())


def _active_admins(session: Session) -> int:
    return len(session.execute(select(User.id).where(
        User.role == "admin", User.active.is_(True))).all())


def _changed(session: Session, user: User, before: str, action: str, actor: str) -> str:
    """Audit one change, end the account's sessions; returns a message (no password)."""
    ended = sessions.end_all(session, user.id)
    cases.audit(session, None, action, actor=actor, field="account", old_value=before,
                new_value=describe(user))
    return f"{describe(user)} ({ended} session{'s' if ended != 1 else ''} ended)"


def set_active(session: Session, email: str, active: bool, *, actor: str) -> str:
    """Enable or disable an account (caller commits). A disabled account cannot sign in and
    its sessions end now. Raises :class:`UserError` for an unknown account, no change, or the
    last active administrator."""
    user = find_user(session, email)
    if bool(user.active) == active:
        raise UserError(f"{user.email} is already {'enabled' if active else 'disabled'}")
    if not active and user.role == "admin" and _active_admins(session) <= 1:
        raise UserError(f"{user.email} is the last active administrator")
    before = describe(user)
    user.active = active
    return _changed(session, user, before, "user-enabled" if active else "user-disabled",
                    actor)


def set_role(session: Session, email: str, *, role: str | None = None,
             confidential: bool | None = None, actor: str) -> str:
    """Change an account's role and/or confidential permission (None: unchanged; caller
    commits). Raises :class:`UserError` for an unknown account or role, no change, or
    demoting the last active administrator."""
    user = find_user(session, email)
    if role is not None and role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    new_role = role if role is not None else user.role
    new_confidential = bool(user.confidential) if confidential is None else confidential
    if (new_role, new_confidential) == (user.role, bool(user.confidential)):
        raise UserError(f"{user.email} already has that role and permission")
    if user.role == "admin" and new_role != "admin" and user.active \
            and _active_admins(session) <= 1:
        raise UserError(f"{user.email} is the last active administrator")
    before = describe(user)
    user.role, user.confidential = new_role, new_confidential
    return _changed(session, user, before, "user-role-changed", actor)


def reset_password(session: Session, email: str, password: str, *, actor: str) -> str:
    """Give an account a new password (checked by :func:`check_password`; caller commits);
    its sessions end. Raises :class:`UserError`."""
    user = find_user(session, email)
    check_password(password, user.email)
    before = describe(user)
    user.password_hash = hash_password(password)
    return _changed(session, user, before, "user-password-reset", actor)
