"""``pss-intake serve`` and ``pss-intake user add|list|disable|enable|set-role|reset-password``.

Passwords are read from the terminal (asked twice, not echoed) or, when standard input is not
a terminal, from its first line (for scripts: ``printf '%s\\n' "$PW" | pss-intake user add
...``). The account functions are :mod:`review.users`; this module is only their command line.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any, TextIO

from pss_intake.config import Settings

__all__ = ["add_cli_commands", "read_password"]

ROLES = ("reviewer", "admin")
Handler = Callable[[argparse.Namespace, Settings, Any], int]


def _error(message: str) -> Exception:
    from pss_intake.cli import CliError

    return CliError(message)


def read_password(stdin: TextIO | None = None) -> str:
    """The new password: asked twice on a terminal (not echoed), else the first line of
    standard input. Raises :class:`pss_intake.cli.CliError` when the two entries differ or
    none is given."""
    stream = stdin if stdin is not None else sys.stdin
    if stream.isatty():
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password again: ")
        if first != second:
            raise _error("the two passwords differ")
        return first
    line = stream.readline()
    if not line:
        raise _error("no password on standard input")
    return line.rstrip("\r\n")


def _cli_actor() -> str:
    """Who the audit log says made a change from the command line."""
    import getpass as gp

    try:
        return f"cli:{gp.getuser()}"
    except (KeyError, OSError):
        return "cli"


def cmd_user(args: argparse.Namespace, settings: Settings, db: Any) -> int:
    """One ``user`` action on the configured database; 0 on success, a one-line error else."""
    from review import users

    action = args.user_command
    password = read_password() if action in ("add", "reset-password") else ""
    try:
        with db.transaction() as session:
            if action == "list":
                for user in users.list_users(session):
                    print(users.describe(user))
                return 0
            actor = _cli_actor()
            if action == "add":
                user = users.add_user(session, args.email, password, role=args.role,
                                      confidential=args.confidential, actor=actor)
                message = f"added {users.describe(user)}"
            elif action in ("disable", "enable"):
                message = users.set_active(session, args.email, action == "enable", actor=actor)
            elif action == "set-role":
                message = users.set_role(session, args.email, role=args.role,
                                         confidential=args.confidential, actor=actor)
            else:
                message = users.reset_password(session, args.email, password, actor=actor)
    except users.UserError as exc:
        raise _error(str(exc)) from exc
    print(message)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from review.serve import serve

    return serve(settings, args.host, args.port)


def _port(value: str) -> int:
    """A TCP port number for argparse (1-65535); anything else is a usage error."""
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {value}")
    return port


def add_cli_commands(sub: Any, with_database: Callable[[Handler], Any],
                     with_settings: Callable[[Callable[[argparse.Namespace, Settings], int]],
                                             Any]) -> None:
    """Register ``serve`` and ``user ...`` on the ``pss-intake`` subcommand parser."""
    p = sub.add_parser("serve", help="run the review web app",
                       description="Serve the review queue web app on the configured database "
                                   "(review.host/review.port unless given).")
    p.add_argument("--host", help="address to listen on (default: review.host)")
    p.add_argument("--port", type=_port, help="port to listen on (default: review.port)")
    p.set_defaults(func=with_settings(cmd_serve))

    p = sub.add_parser("user", help="manage review-app accounts",
                       description="Manage review-app accounts. Every change is audited and "
                                   "ends the account's sessions at once.")
    user_sub = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    run = with_database(cmd_user)
    q = user_sub.add_parser("add", help="create an account",
                            description="Create a review-app account. The password is asked "
                                        "for on the terminal, or read from the first line of "
                                        "standard input when that is not a terminal.")
    q.add_argument("email", metavar="EMAIL")
    q.add_argument("--role", choices=ROLES, required=True)
    q.add_argument("--confidential", action="store_true",
                   help="may see the confidential job title and pay band")
    q.set_defaults(func=run)
    user_sub.add_parser("list", help="list the accounts").set_defaults(func=run)
    for name, words in (("disable", "disable an account (its sessions end now)"),
                        ("enable", "enable a disabled account")):
        q = user_sub.add_parser(name, help=words, description=words[0].upper() + words[1:] + ".")
        q.add_argument("email", metavar="EMAIL")
        q.set_defaults(func=run)
    q = user_sub.add_parser("set-role", help="change an account's role or permission",
                            description="Change an account's role and/or its permission to "
                                        "see job titles and pay bands.")
    q.add_argument("email", metavar="EMAIL")
    q.add_argument("--role", choices=ROLES)
    q.add_argument("--confidential", action=argparse.BooleanOptionalAction, default=None,
                   help="may (or, with --no-confidential, may not) see job title and pay band")
    q.set_defaults(func=run)
    q = user_sub.add_parser("reset-password", help="give an account a new password",
                            description="Give an account a new password (asked for as for "
                                        "'user add'); its sessions end.")
    q.add_argument("email", metavar="EMAIL")
    q.set_defaults(func=run)
