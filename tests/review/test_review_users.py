"""``pss-intake user add`` (password from standard input) and the ``serve`` command."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from pss_intake.cli import build_parser, main
from pss_intake.config import Settings
from review.auth import verify_password
from review.users import UserError, add_user, cmd_user_add, read_password
from store.db import open_database
from store.models import User


def _user(settings: Settings, email: str) -> User | None:
    db = open_database(settings.database.url)
    try:
        with db.transaction() as session:
            return session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    finally:
        db.dispose()


def test_user_add_reads_the_password_from_stdin(settings: Settings,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.StringIO("a long enough passphrase\nignored second line\n")
    assert cmd_user_add(settings, "Nadia.Reviewer@England.example", "reviewer", True,
                        stdin=stdin) == 0
    assert "added nadia.reviewer@england.example" in capsys.readouterr().out
    user = _user(settings, "nadia.reviewer@england.example")
    assert user is not None and user.role == "reviewer" and user.confidential
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "a long enough passphrase")


@pytest.mark.parametrize(("email", "role", "password", "message"), [
    ("no-at-sign", "reviewer", "a long enough passphrase", "not an email address"),
    ("a@b.example", "boss", "a long enough passphrase", "role must be"),
    ("a@b.example", "admin", "short", "at least 12"),
])
def test_user_add_refusals(settings: Settings, email: str, role: str, password: str,
                           message: str) -> None:
    with pytest.raises(UserError, match=message):
        cmd_user_add(settings, email, role, False, stdin=io.StringIO(password + "\n"))


def test_user_add_twice_is_refused(settings: Settings) -> None:
    db = open_database(settings.database.url)
    with db.transaction() as session:
        add_user(session, "a@b.example", "a long enough passphrase")
    with db.transaction() as session, pytest.raises(UserError, match="already exists"):
        add_user(session, "A@B.example", "another long passphrase")
    db.dispose()


def test_empty_stdin_is_refused() -> None:
    with pytest.raises(UserError, match="no password"):
        read_password(io.StringIO(""))


def test_the_cli_commands(settings: Settings, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"database:\n  url: {settings.database.url}\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough passphrase\n"))
    status = main(["--config", str(config), "user", "add", "ada@england.example",
                   "--role", "admin"])
    assert status == 0
    user = _user(settings, "ada@england.example")
    assert user is not None and user.role == "admin" and not user.confidential
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough passphrase\n"))
    assert main(["--config", str(config), "user", "add", "ada@england.example",
                 "--role", "admin"]) == 1
    args = build_parser().parse_args(["serve", "--host", "127.0.0.1", "--port", "8099"])
    assert (args.command, args.host, args.port) == ("serve", "127.0.0.1", 8099)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["user", "add", "x@y.example", "--role", "root"])


@pytest.mark.parametrize(("password", "message"), [
    ("password1234", "most common passwords"),      # the report's example
    ("Password1234", "most common passwords"),
    ("qwertyuiop12", "most common passwords"),
    ("iloveyou1234", "similar to a commonly used password"),
    ("nadia.reviewer2024", "too easy to guess"),    # the account's own address
    ("short pass", "at least 12"),
    ("x" * 1025, "at most 1024"),
])
def test_common_and_guessable_passwords_are_refused(password: str, message: str) -> None:
    from review.users import check_password

    with pytest.raises(UserError, match=message):
        check_password(password, "nadia.reviewer@england.example")


def test_a_passphrase_is_accepted() -> None:
    from review.users import check_password

    check_password("correct horse battery staple", "nadia.reviewer@england.example")
    check_password("marmalade quietly orbits lisbon", "")
