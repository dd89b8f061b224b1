"""``pss-intake user add`` and ``pss-intake serve``: review-app accounts and the web server.

``user add EMAIL --role reviewer|admin [--confidential]`` reads the password from the terminal
(asked twice, not echoed) or, when standard input is not a terminal, from its first line (for
scripts: ``printf '%s\\n' "$PW" | pss-intake user add ...``). Passwords are hashed with argon2.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from typing import Any, TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pss_intake.config import Settings
from review.auth import ROLES, hash_password
from store.models import User

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "UserError",
    "add_cli_commands",
    "check_password",
    "add_user",
    "cmd_serve",
    "cmd_user_add",
    "read_password",
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
             confidential: bool = False) -> User:
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
    return user


def read_password(stdin: TextIO | None = None) -> str:
    """The new password: asked twice on a terminal (not echoed), else the first line of
    standard input. Raises :class:`UserError` when the two entries differ or none is given."""
    stream = stdin if stdin is not None else sys.stdin
    if stream.isatty():
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password again: ")
        if first != second:
            raise UserError("the two passwords differ")
        return first
    line = stream.readline()
    if not line:
        raise UserError("no password on standard input")
    return line.rstrip("\r\n")


def cmd_user_add(settings: Settings, email: str, role: str, confidential: bool,
                 *, stdin: TextIO | None = None) -> int:
    """Create a review-app account in the configured database; 0 on success.

    Raises :class:`UserError` (a one-line reason) when the account cannot be created.
    """
    from store.db import open_database

    password = read_password(stdin)
    db = open_database(settings.database.url)
    try:
        with db.transaction() as session:
            user = add_user(session, email, password, role=role, confidential=confidential)
            extra = ", may see job titles and pay bands" if confidential else ""
            print(f"added {user.email} ({role}{extra})")
    finally:
        db.dispose()
    return 0


def cmd_serve(settings: Settings, host: str | None = None, port: int | None = None) -> int:
    """Serve the review app with uvicorn until interrupted; 0 on a clean stop."""
    import uvicorn

    from review.app import create_app
    from store.db import open_database

    db = open_database(settings.database.url)
    app = create_app(settings, db)
    # log_config=None: uvicorn's loggers go through ours (logging.format text or json).
    logging.getLogger("uvicorn.access").addFilter(_without_query)
    # Forwarded headers are handled by the app, from review.trusted_proxies only (uvicorn
    # would otherwise believe X-Forwarded-For from 127.0.0.1).
    uvicorn.run(app, host=host or settings.review.host, port=port or settings.review.port,
                proxy_headers=False, server_header=False, log_level="info", log_config=None)
    db.dispose()
    return 0


def _without_query(record: logging.LogRecord) -> bool:
    """uvicorn's access line without the query string: a search or filter (``?user=…``) can
    carry an e-mail address or a name, and logs must not."""
    args = record.args
    if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
        record.args = (args[0], args[1], args[2].split("?", 1)[0], args[3], args[4])
    return True


def _port(value: str) -> int:
    """A TCP port number for argparse (1-65535); anything else is a usage error."""
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {value}")
    return port


def add_cli_commands(sub: Any) -> None:
    """Register ``serve`` and ``user add`` on the ``pss-intake`` subcommand parser."""
    p = sub.add_parser("serve", help="run the review web app",
                       description="Serve the review queue web app on the configured database "
                                   "(review.host/review.port unless given).")
    p.add_argument("--host", help="address to listen on (default: review.host)")
    p.add_argument("--port", type=_port, help="port to listen on (default: review.port)")
    p.set_defaults(func=_serve)

    p = sub.add_parser("user", help="manage review-app accounts",
                       description="Manage review-app accounts.")
    user_sub = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    q = user_sub.add_parser("add", help="create an account",
                            description="Create a review-app account. The password is asked "
                                        "for on the terminal, or read from the first line of "
                                        "standard input when that is not a terminal.")
    q.add_argument("email", metavar="EMAIL")
    q.add_argument("--role", choices=ROLES, required=True)
    q.add_argument("--confidential", action="store_true",
                   help="may see the confidential job title and pay band")
    q.set_defaults(func=_user_add)


def _settings(args: argparse.Namespace) -> Settings:
    from pss_intake.cli import _settings as load

    return load(args)


def _serve(args: argparse.Namespace) -> int:
    from pss_intake.cli import _setup_logging

    settings = _settings(args)
    _setup_logging(settings, args, quiet=False)
    return cmd_serve(settings, args.host, args.port)


def _user_add(args: argparse.Namespace) -> int:
    from pss_intake.cli import CliError

    settings = _settings(args)
    try:
        return cmd_user_add(settings, args.email, args.role, args.confidential)
    except UserError as exc:
        raise CliError(str(exc)) from exc
